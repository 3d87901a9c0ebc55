//! The safety checker: watches every decision as it happens and reports the first broken rule.
//!
//! It is incremental: each node event updates a few maps and is checked against them, so a run of a million steps
//! costs a million small checks and never rescans history. "Chosen" is computed from what acceptors actually
//! accepted (a phase-2 quorum of acceptors accepted the same value in the same ballot), independently of what any
//! learner believes, so a learner that is wrong is caught too.

use litemap::LiteMap;

use paxos_core::{Ballot, Cluster, Log, NodeEvent, NodeId, NodeSet, Slot, Value};
use serde::{Deserialize, Serialize};

/// A safety rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// At most one value is chosen per slot.
    Agreement,
    /// A chosen value was proposed by a client (or is a no-op).
    Validity,
    /// A learner learns only the chosen value.
    LearnedUnchosen,
    /// An acceptor's promise never decreases.
    PromiseDecreased,
    /// An acceptor never accepts below its promise.
    AcceptedBelowPromise,
    /// No transaction ID is handed out to two requests, and no request gets two IDs.
    TxnIdReused,
    /// Transaction IDs follow log order: each learner hands out 0, 1, 2, … in increasing slots.
    TxnIdOrder,
}

impl Rule {
    /// The rule's name as reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Agreement => "agreement",
            Rule::Validity => "validity",
            Rule::LearnedUnchosen => "learned_unchosen",
            Rule::PromiseDecreased => "promise_decreased",
            Rule::AcceptedBelowPromise => "accepted_below_promise",
            Rule::TxnIdReused => "txn_id_reused",
            Rule::TxnIdOrder => "txn_id_order",
        }
    }
}

/// A broken rule, with what is needed to see why.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Violation {
    /// The simulator step at which it happened.
    pub step: u64,
    /// The rule.
    pub rule: Rule,
    /// The slot concerned, if any.
    pub slot: Option<Slot>,
    /// The nodes concerned.
    pub nodes: Vec<NodeId>,
    /// The ballots concerned.
    pub ballots: Vec<Ballot>,
    /// The values concerned.
    pub values: Vec<Value>,
    /// One sentence for people.
    pub message: String,
}

/// A value chosen in a slot, as the checker computed it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Chosen {
    /// The value.
    pub value: Value,
    /// The ballot in which a phase-2 quorum accepted it first.
    pub ballot: Ballot,
    /// That quorum.
    pub quorum: NodeSet,
}

/// The checker's state. It is `Clone + Hash` so the explorer can carry it inside each explored state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Checker {
    q2: usize,
    /// Per (slot, ballot): the values accepted and by which acceptors. Several values per ballot only under a bug.
    votes: LiteMap<(Slot, Ballot), Vec<(Value, NodeSet)>>,
    chosen: Log<Chosen>,
    /// Values chosen in a slot after a different one was (only a bug allows it), in the order they were chosen.
    also: Vec<(Slot, Chosen)>,
    proposed: LiteMap<Value, ()>,
    promised: Vec<Ballot>,
    txn_owner: LiteMap<u64, (u32, u32)>,
    txn_id: LiteMap<(u32, u32), u64>,
    /// Per learner: the last (slot, id) it handed out since its last restart.
    txn_last: Vec<Option<(Slot, u64)>>,
}

impl Checker {
    /// A checker for one cluster.
    pub fn new(cluster: &Cluster) -> Checker {
        Checker {
            q2: cluster.q2,
            votes: LiteMap::new(),
            chosen: Log::new(),
            also: Vec::new(),
            proposed: LiteMap::new(),
            promised: vec![Ballot::ZERO; cluster.len()],
            txn_owner: LiteMap::new(),
            txn_id: LiteMap::new(),
            txn_last: vec![None; cluster.len()],
        }
    }

    /// The values chosen so far, per slot.
    pub fn chosen(&self) -> &Log<Chosen> {
        &self.chosen
    }

    /// The values chosen in a slot after a different one was: each broke agreement. With [`Checker::chosen`], every
    /// value chosen in every slot, each at the first ballot a quorum accepted it in.
    pub fn also_chosen(&self) -> &[(Slot, Chosen)] {
        &self.also
    }

    /// Records a client proposal, for the validity rule.
    pub fn on_propose(&mut self, value: &Value) {
        self.proposed.insert(value.clone(), ());
    }

    /// A node restarted. Its acceptor must still hold its promise; its learner starts over.
    pub fn on_restart(&mut self, step: u64, node: NodeId, promised: Ballot) -> Option<Violation> {
        self.txn_last[node.index()] = None;
        let before = self.promised[node.index()];
        self.promised[node.index()] = promised;
        (promised < before).then(|| Violation {
            step,
            rule: Rule::PromiseDecreased,
            slot: None,
            nodes: vec![node],
            ballots: vec![before, promised],
            values: vec![],
            message: format!("acceptor {node} restarted with promise {promised}, below its earlier promise {before}"),
        })
    }

    /// Checks one decision of `node`. Returns the value newly chosen by it, if any, and the
    /// violations, in the order they arose (one decision can break two rules: see `Accepted`).
    pub fn on_event(&mut self, step: u64, node: NodeId, event: &NodeEvent) -> (Option<(Slot, Chosen)>, Vec<Violation>) {
        let v = |rule, slot, nodes, ballots, values, message| Violation {
            step,
            rule,
            slot,
            nodes,
            ballots,
            values,
            message,
        };
        match event {
            NodeEvent::Promised { ballot, .. } => {
                let before = self.promised[node.index()];
                self.promised[node.index()] = *ballot;
                if *ballot < before {
                    let msg = format!("acceptor {node} promised {ballot} after promising the higher {before}");
                    return (
                        None,
                        vec![v(Rule::PromiseDecreased, None, vec![node], vec![before, *ballot], vec![], msg)],
                    );
                }
                (None, Vec::new())
            }
            NodeEvent::Accepted { slot, ballot, value } => {
                let mut found = Vec::new();
                let promised = self.promised[node.index()];
                if *ballot < promised {
                    let msg = format!(
                        "acceptor {node} accepted {value} at {ballot} in slot {slot} below its promise {promised}"
                    );
                    let bad = v(
                        Rule::AcceptedBelowPromise,
                        Some(*slot),
                        vec![node],
                        vec![promised, *ballot],
                        vec![value.clone()],
                        msg,
                    );
                    // The vote still counts: what a quorum accepted is chosen, whatever rule the acceptance broke
                    // (the break-promise bug chooses a second value exactly this way).
                    found.push(bad);
                }
                if self.chosen.get(slot).is_some_and(|c| c.value == *value) {
                    // More votes for the value already chosen: they cannot break agreement, so skip the counting.
                    return (None, found);
                }
                let entry = self.votes.entry((*slot, *ballot)).or_default();
                let i = match entry.iter().position(|(x, _)| x == value) {
                    Some(i) => i,
                    None => {
                        entry.push((value.clone(), NodeSet::EMPTY));
                        entry.len() - 1
                    }
                };
                if !entry[i].1.insert(node) || entry[i].1.len() != self.q2 {
                    return (None, found);
                }
                let quorum = entry[i].1;
                let chosen = Chosen { value: value.clone(), ballot: *ballot, quorum };
                if let Some(first) = self.chosen.get(slot) {
                    if first.value != *value {
                        let nodes = first.quorum.iter().chain(quorum.iter()).collect::<NodeSet>().iter().collect();
                        let msg = format!(
                            "two values chosen in slot {slot}: {} at {} and {value} at {ballot}",
                            first.value, first.ballot
                        );
                        let values = vec![first.value.clone(), value.clone()];
                        found.push(v(Rule::Agreement, Some(*slot), nodes, vec![first.ballot, *ballot], values, msg));
                        if !self.also.iter().any(|(s, c)| s == slot && c.value == *value) {
                            self.also.push((*slot, chosen));
                        }
                    }
                    return (None, found);
                }
                self.chosen.insert(*slot, chosen.clone());
                // Votes for the chosen value are no longer needed (see above); keep those for other values.
                if let Some(e) = self.votes.get_mut(&(*slot, *ballot)) {
                    e.retain(|(x, _)| x != value);
                    if e.is_empty() {
                        self.votes.remove(&(*slot, *ballot));
                    }
                }
                if *value != Value::Noop && !self.proposed.contains_key(value) {
                    let msg = format!("{value} was chosen in slot {slot} but no client proposed it");
                    let bad = v(
                        Rule::Validity,
                        Some(*slot),
                        quorum.iter().collect(),
                        vec![*ballot],
                        vec![value.clone()],
                        msg,
                    );
                    found.push(bad);
                }
                (Some((*slot, chosen)), found)
            }
            NodeEvent::Learned { slot, value } => match self.chosen.get(slot) {
                Some(c) if c.value == *value => (None, Vec::new()),
                other => {
                    let (ballots, mut values, what) = match other {
                        Some(c) => (vec![c.ballot], vec![c.value.clone()], format!("{} was chosen", c.value)),
                        None => (vec![], vec![], "nothing was chosen".to_string()),
                    };
                    values.push(value.clone());
                    let msg = format!("learner {node} learned {value} in slot {slot}, but {what}");
                    (None, vec![v(Rule::LearnedUnchosen, Some(*slot), vec![node], ballots, values, msg)])
                }
            },
            NodeEvent::Allocated { slot, client, req, id } => {
                let request = (*client, *req);
                let owner = self.txn_owner.get(id).copied();
                if owner.is_some_and(|o| o != request) {
                    let owner = owner.unwrap_or_default();
                    let msg = format!(
                        "transaction ID {id} handed out twice: to request {}/{} and to {client}/{req}",
                        owner.0, owner.1
                    );
                    return (None, vec![v(Rule::TxnIdReused, Some(*slot), vec![node], vec![], vec![], msg)]);
                }
                // The first learner to hand out an ID records it; the others only need the order check below.
                if owner.is_none() {
                    if let Some(other) = self.txn_id.get(&request).filter(|o| **o != *id) {
                        let msg = format!("request {client}/{req} received transaction IDs {other} and {id}");
                        return (None, vec![v(Rule::TxnIdReused, Some(*slot), vec![node], vec![], vec![], msg)]);
                    }
                    self.txn_owner.insert(*id, request);
                    self.txn_id.insert(request, *id);
                }
                let last = self.txn_last[node.index()].replace((*slot, *id));
                let expected = last.map_or(0, |(_, i)| i + 1);
                if *id != expected || last.is_some_and(|(s, _)| s >= *slot) {
                    let msg = format!(
                        "learner {node} handed out ID {id} in slot {slot}, out of log order (expected {expected})"
                    );
                    return (None, vec![v(Rule::TxnIdOrder, Some(*slot), vec![node], vec![], vec![], msg)]);
                }
                (None, Vec::new())
            }
            _ => (None, Vec::new()),
        }
    }
}
