//! Paxos's half of the safety checker ([`crate::checker`]): watches every decision as it happens and reports each broken rule at the event that breaks it.
//!
//! It is incremental: each node event (and each delivered prepare or promise) updates a few maps and is checked
//! against them, so a run of a million steps costs a million small checks and never rescans history. "Chosen" is
//! computed from what acceptors actually accepted (a phase-2 quorum of acceptors accepted the same value in the same
//! ballot), independently of what any learner or proposer believes, so a learner or proposer that is wrong is caught
//! too. The quorums are the configuration's own ([`Cluster::real_q1`], [`Cluster::real_q2`]: a majority, or the
//! flexible quorums the user set), whatever quorums a bug makes the nodes use.
//!
//! Besides the consequences (agreement, validity), it checks the rules of "Paxos Made Simple" as each step is taken:
//! a proposer completes phase 1 only with a phase-1 quorum of promises ([`Rule::ElectedWithoutQuorum`]); it proposes,
//! in each slot, the value of the highest-ballot proposal that quorum reported, or any value when none reported one
//! (P2c, [`Rule::AdoptedNotHighest`]); it commits, and a learner learns, only what a phase-2 quorum accepted
//! ([`Rule::CommittedUnchosen`], [`Rule::LearnedUnchosen`]); an acceptor keeps its promise
//! ([`Rule::PromiseDecreased`], [`Rule::AcceptedBelowPromise`]). The proposer's side is judged by the promises
//! delivered to it ([`PaxosJudge::on_deliver`]), not by what it says it adopted.

use litemap::LiteMap;

use paxos_core::{Ballot, Bug, Cluster, Configs, Log, Msg, NodeEvent, NodeId, NodeSet, Slot, Value};
use serde::{Deserialize, Serialize};

use crate::checker::{Checker, Chosen, Violation};
use crate::protocol::ledger::{TxnBreach, Txns};
use crate::protocol::{Judge, Paxos, RuleSet};

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
    /// A proposer completes phase 1 (in Multi-Paxos: becomes the leader), and so starts phase 2, only once a
    /// phase-1 quorum of acceptors promised its ballot.
    ElectedWithoutQuorum,
    /// In each slot, a proposer's phase-2 value is the value of the highest-ballot proposal its phase-1 quorum
    /// reported, or any value when none reported one (P2c of "Paxos Made Simple").
    AdoptedNotHighest,
    /// A proposer takes a value as committed only once a phase-2 quorum of acceptors accepted it.
    CommittedUnchosen,
    /// Multi-Paxos with membership changes: the votes that choose a slot's value are a quorum of the configuration
    /// in force in that slot (the last chosen at least `ALPHA` slots before it).
    QuorumOfConfiguration,
}

impl Rule {
    /// Every rule: the rules of the protocol in the order a run meets them, then the consequences and the workload.
    pub const ALL: [Rule; 11] = [
        Rule::PromiseDecreased,
        Rule::ElectedWithoutQuorum,
        Rule::AdoptedNotHighest,
        Rule::AcceptedBelowPromise,
        Rule::CommittedUnchosen,
        Rule::QuorumOfConfiguration,
        Rule::LearnedUnchosen,
        Rule::Agreement,
        Rule::Validity,
        Rule::TxnIdReused,
        Rule::TxnIdOrder,
    ];

    /// The rule a teaching bug removes: the checker reports it at the event that breaks it, before any consequence.
    pub fn broken_by(bug: Bug) -> Rule {
        match bug {
            Bug::Amnesia => Rule::PromiseDecreased,
            Bug::IgnoreAccepted | Bug::AdoptLowest => Rule::AdoptedNotHighest,
            Bug::MinorityQuorum => Rule::ElectedWithoutQuorum,
            Bug::BreakPromise => Rule::AcceptedBelowPromise,
            Bug::ReconfigureEarly => Rule::QuorumOfConfiguration,
        }
    }

    /// The rule's name for people, as the page's status and lessons name it.
    pub fn title(self) -> &'static str {
        match self {
            Rule::Agreement => "agreement",
            Rule::Validity => "validity",
            Rule::LearnedUnchosen => "learned unchosen",
            Rule::PromiseDecreased => "promise decreased",
            Rule::AcceptedBelowPromise => "accepted below promise",
            Rule::TxnIdReused => "txn id reused",
            Rule::TxnIdOrder => "txn id order",
            Rule::ElectedWithoutQuorum => "phase 1 without a quorum",
            Rule::AdoptedNotHighest => "not the highest accepted value",
            Rule::CommittedUnchosen => "committed without a quorum",
            Rule::QuorumOfConfiguration => "not a quorum of the configuration",
        }
    }

    /// The rule itself, in one sentence for people.
    pub fn description(self) -> &'static str {
        match self {
            Rule::Agreement => "At most one value is chosen in each slot.",
            Rule::Validity => "Only a value some client proposed (or a no-op) can be chosen.",
            Rule::LearnedUnchosen => "A learner learns a value only once a phase-2 quorum of acceptors accepted it.",
            Rule::PromiseDecreased => "An acceptor's promise never goes down, not even across a restart.",
            Rule::AcceptedBelowPromise => "An acceptor never accepts a proposal below the ballot it promised.",
            Rule::TxnIdReused => "No transaction ID goes to two requests, and no request gets two IDs.",
            Rule::TxnIdOrder => "Each learner hands out transaction IDs 0, 1, 2, … in log order.",
            Rule::ElectedWithoutQuorum => {
                "A proposer completes phase 1 (becomes the leader) only once a phase-1 quorum of acceptors promised \
                 its ballot."
            }
            Rule::AdoptedNotHighest => {
                "A proposer proposes the value of the highest-ballot proposal its phase-1 quorum reported, or its own \
                 value when none reported one."
            }
            Rule::CommittedUnchosen => {
                "A proposer takes a value as committed only once a phase-2 quorum of acceptors accepted it."
            }
            Rule::QuorumOfConfiguration => {
                "A slot's value is chosen by a quorum of the configuration in force there: the last one chosen at \
                 least 3 slots before."
            }
        }
    }

    /// The rule's name as reports spell it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::ElectedWithoutQuorum => "elected_without_quorum",
            Rule::AdoptedNotHighest => "adopted_not_highest",
            Rule::CommittedUnchosen => "committed_unchosen",
            Rule::QuorumOfConfiguration => "quorum_of_configuration",
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

/// A proposer's current ballot as the checker saw it: the prepares and promises delivered for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Phase1 {
    ballot: Ballot,
    /// Multi-Paxos: the first slot its prepare asked about (every prepare of one ballot asks the same), once one was
    /// delivered. Single-decree Paxos always asks from slot 0, and leaves it `None`.
    first: Option<Slot>,
    /// The acceptors whose promise of `ballot` reached the proposer before it completed phase 1: its quorum.
    promised: NodeSet,
    /// Per slot, the highest-ballot proposal those promises reported.
    reported: LiteMap<Slot, (Ballot, Value)>,
    /// Whether the proposer completed phase 1; later promises do not count.
    elected: bool,
}

/// The checker's state. It is `Clone + Hash` so the explorer can carry it inside each explored state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PaxosJudge {
    /// The configuration's quorum sizes (not the ones a bug makes the nodes use).
    q1: usize,
    q2: usize,
    /// Single-decree Paxos: each ballot proposes one value, in slot 0.
    single: bool,
    /// Per node: its proposer's current ballot, from `Preparing` until it is abandoned.
    phase1: Vec<Option<Phase1>>,
    /// Per (slot, ballot): the values accepted and by which acceptors. Several values per ballot only under a bug.
    votes: LiteMap<(Slot, Ballot), Vec<(Value, NodeSet)>>,
    chosen: Log<Chosen>,
    /// Values chosen in a slot after a different one was (only a bug allows it), in the order they were chosen.
    also: Vec<(Slot, Chosen)>,
    proposed: LiteMap<Value, ()>,
    promised: Vec<Ballot>,
    /// The workload's rules, shared with every protocol's judge.
    txns: Txns,
    /// The first configuration's acceptors, and the configurations chosen since.
    members: NodeSet,
    pub(crate) configs: Configs,
}

impl PaxosJudge {
    /// A checker for one cluster.
    pub fn new(cluster: &Cluster) -> PaxosJudge {
        PaxosJudge {
            q1: cluster.real_q1,
            q2: cluster.real_q2,
            single: cluster.config.mode == paxos_core::Mode::Single,
            phase1: vec![None; cluster.len()],
            votes: LiteMap::new(),
            chosen: Log::new(),
            also: Vec::new(),
            proposed: LiteMap::new(),
            promised: vec![Ballot::ZERO; cluster.len()],
            txns: Txns::new(cluster.len()),
            members: cluster.members,
            configs: Configs::default(),
        }
    }

    /// The acceptors in force in `slot` and their (phase-1, phase-2) quorums, as safety judges them: the
    /// configuration's own for the first, majorities after.
    fn config(&self, slot: Slot) -> (NodeSet, usize, usize) {
        let m = self.configs.at(self.members, slot);
        if m == self.members {
            (m, self.q1, self.q2)
        } else {
            (m, m.len() / 2 + 1, m.len() / 2 + 1)
        }
    }

    /// Whether `votes` hold a majority of a configuration asked for: counted as a quorum by a node that uses a
    /// configuration not in force (the reconfigure-early bug), rather than by one that miscounts.
    fn asked_majority(&self, votes: NodeSet) -> bool {
        self.proposed.keys().any(|p| matches!(p, Value::Config(m) if NodeSet(votes.0 & m.0).len() > m.len() / 2))
    }

    /// The acceptors in force once the slots chosen so far are.
    pub fn in_force(&self) -> NodeSet {
        self.configs.at(self.members, Slot(self.chosen.len() as u64))
    }

    /// The values chosen so far, per slot.
    pub fn chosen(&self) -> &Log<Chosen> {
        &self.chosen
    }

    /// The values chosen in a slot after a different one was: each broke agreement. With [`PaxosJudge::chosen`], every
    /// value chosen in every slot, each at the first ballot a quorum accepted it in.
    pub fn also_chosen(&self) -> &[(Slot, Chosen)] {
        &self.also
    }

    /// The checker as the explorer compares states: what no later check reads is left out, so that two
    /// checkers that differ only in it are one state. A later check reads only the value chosen in a slot (the
    /// ballot and the quorum that chose it first name a violation, they decide none), whether a value was also
    /// chosen (not in which order), and the votes for values other than the chosen one (a vote for the chosen
    /// value is not counted any more).
    pub(crate) fn explorer_key(&self) -> PaxosJudge {
        let mut k = self.clone();
        let mut chosen = Log::new();
        for (slot, c) in self.chosen.iter() {
            chosen.insert(slot, Chosen { value: c.value.clone(), ballot: Ballot::ZERO, quorum: NodeSet::EMPTY });
        }
        k.chosen = chosen;
        for (_, c) in &mut k.also {
            (c.ballot, c.quorum) = (Ballot::ZERO, NodeSet::EMPTY);
        }
        k.also.sort_by(|a, b| (a.0, &a.1.value).cmp(&(b.0, &b.1.value)));
        k.also.dedup();
        let stale: Vec<(Slot, Ballot)> = k
            .votes
            .iter()
            .filter(|((slot, _), vs)| self.chosen.get(slot).is_some_and(|c| vs.iter().any(|(v, _)| *v == c.value)))
            .map(|(key, _)| *key)
            .collect();
        for key in stale {
            let value = &self.chosen.get(&key.0).expect("filtered on a chosen value").value;
            if let Some(vs) = k.votes.get_mut(&key) {
                vs.retain(|(v, _)| v != value);
                if vs.is_empty() {
                    k.votes.remove(&key);
                }
            }
        }
        k
    }

    /// Forgets `node`'s phase 1. The explorer calls it once the node's proposer stopped preparing in
    /// single-decree Paxos, where no later event reads it: a ballot is prepared once, and the explorer's nodes start
    /// no new ballot (no timer fires).
    pub(crate) fn forget_phase1(&mut self, node: NodeId) {
        self.phase1[node.index()] = None;
    }

    /// Records a client proposal, for the validity rule.
    pub fn on_propose(&mut self, value: &Value) {
        self.proposed.insert(value.clone(), ());
    }

    /// A message is about to be delivered to `to`. Prepares and promises are what the checker judges a proposer's
    /// phase 1 by: the promises of its current ballot that reach it before it completes phase 1 are its quorum, and
    /// what they report is what it must adopt. Call it before the receiver steps.
    pub fn on_deliver(&mut self, from: NodeId, to: NodeId, msg: &Msg) {
        match msg {
            // Single-decree prepares always ask from slot 0, so only Multi-Paxos needs to note it.
            Msg::Prepare { ballot, from: first } if !self.single => {
                if let Some(p) = self.phase1[from.index()].as_mut().filter(|p| p.ballot == *ballot) {
                    p.first = Some(p.first.map_or(*first, |f| f.min(*first)));
                }
            }
            Msg::Promise { ballot, accepted } => {
                let Some(p) = self.phase1[to.index()].as_mut() else { return };
                // A second promise from the same acceptor (a duplicated prepare) does not count: the first is the
                // one the proposer took.
                if p.ballot != *ballot || p.elected || !p.promised.insert(from) {
                    return;
                }
                for a in accepted {
                    match p.reported.get(&a.slot) {
                        Some((b, _)) if *b >= a.ballot => {}
                        _ => {
                            p.reported.insert(a.slot, (a.ballot, a.value.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A node restarted. Its acceptor must still hold its promise (a node that is no acceptor holds none); its
    /// learner and its proposer start over.
    pub fn restarted_with(&mut self, step: u64, node: NodeId, promised: Ballot) -> Option<Violation> {
        self.txns.restarted(node);
        self.phase1[node.index()] = None;
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
                let (members, _, q2) = self.config(*slot);
                let entry = self.votes.entry((*slot, *ballot)).or_default();
                let i = match entry.iter().position(|(x, _)| x == value) {
                    Some(i) => i,
                    None => {
                        entry.push((value.clone(), NodeSet::EMPTY));
                        entry.len() - 1
                    }
                };
                if !entry[i].1.insert(node) || !members.contains(node) || NodeSet(entry[i].1 .0 & members.0).len() != q2
                {
                    return (None, found);
                }
                let quorum = NodeSet(entry[i].1 .0 & members.0);
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
                self.configs.note(*slot, value);
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
            NodeEvent::Preparing { ballot } => {
                let fresh = Phase1 {
                    ballot: *ballot,
                    first: None,
                    promised: NodeSet::EMPTY,
                    reported: LiteMap::new(),
                    elected: false,
                };
                self.phase1[node.index()] = Some(fresh);
                (None, Vec::new())
            }
            NodeEvent::Abandoned { ballot, .. } => {
                if self.phase1[node.index()].as_ref().is_some_and(|p| p.ballot == *ballot) {
                    self.phase1[node.index()] = None;
                }
                (None, Vec::new())
            }
            NodeEvent::Elected { ballot } => {
                let first = self.phase1[node.index()].as_ref().and_then(|p| p.first).unwrap_or_default();
                // The proposer may have learned the slots from `first` on chosen meanwhile: a quorum of the
                // configuration after them does too.
                let ((members, q1, _), (later, q1_later, _)) =
                    (self.config(first), self.config(first.max(Slot(self.chosen.len() as u64))));
                let (promised, msg) = match self.phase1[node.index()].as_mut().filter(|p| p.ballot == *ballot) {
                    Some(p) => {
                        p.elected = true;
                        if NodeSet(p.promised.0 & members.0).len() >= q1
                            || NodeSet(p.promised.0 & later.0).len() >= q1_later
                        {
                            return (None, Vec::new());
                        }
                        let promised = p.promised;
                        if self.asked_majority(promised) {
                            let msg = format!(
                                "proposer {node} completed phase 1 of {ballot} with promises from {promised}, not a \
                                 quorum of the configuration in force, {members}"
                            );
                            let nodes = std::iter::once(node).chain(promised.iter().filter(|n| *n != node)).collect();
                            return (
                                None,
                                vec![v(Rule::QuorumOfConfiguration, None, nodes, vec![*ballot], vec![], msg)],
                            );
                        }
                        let msg = format!(
                            "proposer {node} completed phase 1 of {ballot} with promises from {promised}, fewer than \
                             a phase-1 quorum of {q1} acceptors"
                        );
                        (promised, msg)
                    }
                    None => {
                        (NodeSet::EMPTY, format!("proposer {node} completed phase 1 of {ballot} without preparing it"))
                    }
                };
                let nodes = std::iter::once(node).chain(promised.iter().filter(|n| *n != node)).collect();
                (None, vec![v(Rule::ElectedWithoutQuorum, None, nodes, vec![*ballot], vec![], msg)])
            }
            NodeEvent::Adopted { slot, ballot, value, .. } => {
                let Some(p) = self.phase1[node.index()].as_mut().filter(|p| p.ballot == *ballot && p.elected) else {
                    let msg =
                        format!("proposer {node} proposed {value} in slot {slot} at {ballot} before phase 1 of it");
                    return (
                        None,
                        vec![v(Rule::ElectedWithoutQuorum, Some(*slot), vec![node], vec![*ballot], vec![], msg)],
                    );
                };
                let (quorum, first) = (p.promised, p.first);
                let reported = if self.single {
                    // A single-decree ballot proposes once: what its phase 1 saw is needed no more, and forgetting
                    // it keeps the explorer from telling apart states that differ only in that (as the proposer
                    // forgets it too).
                    p.promised = NodeSet::EMPTY;
                    std::mem::take(&mut p.reported).remove(slot)
                } else {
                    p.reported.get(slot).cloned()
                };
                if first.is_some_and(|first| *slot < first) {
                    // Below the slots its phase 1 asked about: only a value already chosen there may be proposed
                    // (a proposer asks only about the slots it does not know to be chosen).
                    let chosen = self.chosen.get(slot).map(|c| (c.ballot, c.value.clone()));
                    if chosen.as_ref().is_some_and(|(_, c)| c == value) {
                        return (None, Vec::new());
                    }
                    let what = match &chosen {
                        Some((b, c)) => format!("{c} was chosen there at {b}"),
                        None => "nothing is chosen there".to_string(),
                    };
                    let msg = format!(
                        "proposer {node} proposed {value} in slot {slot} at {ballot}, below the slots its phase 1 \
                         asked about, and {what}"
                    );
                    let (ballots, values) = match chosen {
                        Some((b, c)) => (vec![*ballot, b], vec![value.clone(), c]),
                        None => (vec![*ballot], vec![value.clone()]),
                    };
                    return (None, vec![v(Rule::AdoptedNotHighest, Some(*slot), vec![node], ballots, values, msg)]);
                }
                match reported {
                    Some((b, reported)) if reported != *value => {
                        let msg = format!(
                            "proposer {node} proposed {value} in slot {slot} at {ballot}, but its phase-1 quorum \
                             {quorum} reported {reported} accepted at {b}, the highest ballot: it must propose \
                             {reported}"
                        );
                        let nodes = std::iter::once(node).chain(quorum.iter().filter(|n| *n != node)).collect();
                        let (ballots, values) = (vec![*ballot, b], vec![value.clone(), reported]);
                        (None, vec![v(Rule::AdoptedNotHighest, Some(*slot), nodes, ballots, values, msg)])
                    }
                    _ => (None, Vec::new()),
                }
            }
            NodeEvent::Committed { slot, ballot, value } => {
                let first = self.chosen.get(slot);
                if first.is_some_and(|c| c.value == *value)
                    || self.also.iter().any(|(s, c)| s == slot && c.value == *value)
                {
                    return (None, Vec::new());
                }
                let votes = self
                    .votes
                    .get(&(*slot, *ballot))
                    .and_then(|e| e.iter().find(|(x, _)| x == value))
                    .map_or(NodeSet::EMPTY, |(_, set)| *set);
                let (members, _, q2) = self.config(*slot);
                // Votes of a quorum, of the first configuration's size or a majority of one asked for, that is
                // none of the configuration in force: membership counted wrong, not a quorum miscounted.
                if votes.len() >= q2 || self.asked_majority(votes) {
                    let msg = format!(
                        "proposer {node} committed {value} in slot {slot} at {ballot} on votes from {votes}, not a \
                         quorum of the configuration in force there, {members}"
                    );
                    let nodes = std::iter::once(node).chain(votes.iter().filter(|n| *n != node)).collect();
                    let values = vec![value.clone()];
                    return (
                        None,
                        vec![v(Rule::QuorumOfConfiguration, Some(*slot), nodes, vec![*ballot], values, msg)],
                    );
                }
                // "only acceptor 0", "only acceptors 0, 1": a list in words, singular for one.
                let who: Vec<String> = votes.iter().map(|n| n.to_string()).collect();
                let s = if who.len() == 1 { "" } else { "s" };
                let msg = format!(
                    "proposer {node} committed {value} in slot {slot} at {ballot}, but only acceptor{s} {} \
                     accepted it there, fewer than a phase-2 quorum of {q2}",
                    who.join(", ")
                );
                let nodes = std::iter::once(node).chain(votes.iter().filter(|n| *n != node)).collect();
                (None, vec![v(Rule::CommittedUnchosen, Some(*slot), nodes, vec![*ballot], vec![value.clone()], msg)])
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
                let found = self.txns.allocated("learner", node, *slot, *client, *req, *id);
                let found = found.map(|b| match b {
                    TxnBreach::Reused(msg) => v(Rule::TxnIdReused, Some(*slot), vec![node], vec![], vec![], msg),
                    TxnBreach::Order(msg) => v(Rule::TxnIdOrder, Some(*slot), vec![node], vec![], vec![], msg),
                });
                (None, found.into_iter().collect())
            }
            _ => (None, Vec::new()),
        }
    }
}

impl Judge<Paxos> for PaxosJudge {
    type Rule = Rule;

    fn new(c: &Cluster) -> Self {
        PaxosJudge::new(c)
    }

    fn chosen(&self) -> &Log<Chosen> {
        PaxosJudge::chosen(self)
    }

    fn also_chosen(&self) -> &[(Slot, Chosen)] {
        PaxosJudge::also_chosen(self)
    }

    fn on_propose(&mut self, v: &Value) {
        PaxosJudge::on_propose(self, v)
    }

    #[inline]
    fn on_deliver(&mut self, from: NodeId, to: NodeId, m: &Msg) {
        PaxosJudge::on_deliver(self, from, to, m)
    }

    #[inline]
    fn on_event(&mut self, step: u64, node: NodeId, e: &NodeEvent) -> (Option<(Slot, Chosen)>, Vec<Violation>) {
        PaxosJudge::on_event(self, step, node, e)
    }

    fn on_restart(&mut self, step: u64, id: NodeId, n: &paxos_core::Node) -> Option<Violation> {
        // A node that is no acceptor holds no promise (`Ballot::ZERO`), so only an acceptor can break one.
        self.restarted_with(step, id, n.durable().promised)
    }

    fn explorer_key(&self) -> Self {
        PaxosJudge::explorer_key(self)
    }

    fn broken_by(b: Bug) -> Rule {
        Rule::broken_by(b)
    }

    fn grow(&mut self) {
        self.phase1.push(None);
        self.promised.push(Ballot::ZERO);
        self.txns.grow();
    }
}

impl RuleSet for Rule {
    const ALL: &'static [Rule] = &Rule::ALL;
    const AGREEMENT: Rule = Rule::Agreement;

    fn name(self) -> &'static str {
        Rule::name(self)
    }

    fn title(self) -> &'static str {
        Rule::title(self)
    }

    fn description(self) -> &'static str {
        Rule::description(self)
    }
}

/// What only Paxos's explorer asks of the checker.
impl Checker<Paxos> {
    /// See [`PaxosJudge::forget_phase1`].
    pub(crate) fn forget_phase1(&mut self, node: NodeId) {
        self.judge.forget_phase1(node);
    }

    /// A node restarted with its acceptor's promise at `promised` (see [`PaxosJudge::restarted_with`]).
    pub(crate) fn restarted_with(&mut self, step: u64, node: NodeId, promised: Ballot) -> Option<Violation> {
        self.judge.restarted_with(step, node, promised)
    }
}

#[cfg(test)]
mod tests {
    use paxos_core::{Config, Mode, PValue};

    use super::*;

    fn b(round: u32, node: u8) -> Ballot {
        Ballot { round, node: NodeId(node) }
    }

    fn checker(mode: Mode, n: usize, bug: Option<Bug>) -> PaxosJudge {
        let mut cfg = Config::uniform(mode, n);
        if let Some(bug) = bug {
            cfg.bugs = cfg.bugs.with(bug);
        }
        PaxosJudge::new(&cfg.validate().unwrap())
    }

    /// Feeds one event at `step` and returns the rules it broke.
    fn event(c: &mut PaxosJudge, step: u64, node: u8, e: NodeEvent) -> Vec<(u64, Rule)> {
        c.on_event(step, NodeId(node), &e).1.into_iter().map(|v| (v.step, v.rule)).collect()
    }

    fn promise(c: &mut PaxosJudge, acceptor: u8, proposer: u8, ballot: Ballot, accepted: &[(u64, Ballot, &str)]) {
        let accepted =
            accepted.iter().map(|&(s, ballot, v)| PValue { slot: Slot(s), ballot, value: Value::text(v) }).collect();
        c.on_deliver(NodeId(acceptor), NodeId(proposer), &Msg::Promise { ballot, accepted });
    }

    /// Node 0 prepares `ballot`; its prepare reaches its own acceptor.
    fn prepare(c: &mut PaxosJudge, ballot: Ballot) {
        assert_eq!(event(c, 1, 0, NodeEvent::Preparing { ballot }), []);
        c.on_deliver(NodeId(0), NodeId(0), &Msg::Prepare { ballot, from: Slot(0) });
    }

    #[test]
    fn phase_1_completes_only_with_a_quorum_of_promises() {
        let mut c = checker(Mode::Single, 3, None);
        prepare(&mut c, b(1, 0));
        promise(&mut c, 0, 0, b(1, 0), &[]);
        // A duplicate of the same promise, and a promise of another ballot, do not make a quorum.
        promise(&mut c, 0, 0, b(1, 0), &[]);
        promise(&mut c, 1, 0, b(2, 1), &[]);
        assert_eq!(event(&mut c, 7, 0, NodeEvent::Elected { ballot: b(1, 0) }), [(7, Rule::ElectedWithoutQuorum)]);
        // With a second acceptor's promise, it holds.
        let mut c = checker(Mode::Single, 3, None);
        prepare(&mut c, b(1, 0));
        promise(&mut c, 0, 0, b(1, 0), &[]);
        promise(&mut c, 2, 0, b(1, 0), &[]);
        assert_eq!(event(&mut c, 7, 0, NodeEvent::Elected { ballot: b(1, 0) }), []);
        // Electing a ballot it never prepared (or gave up) breaks it too.
        assert_eq!(
            event(&mut c, 8, 0, NodeEvent::Abandoned { ballot: b(1, 0), reason: paxos_core::AbandonReason::Timeout }),
            []
        );
        assert_eq!(event(&mut c, 9, 0, NodeEvent::Elected { ballot: b(1, 0) }), [(9, Rule::ElectedWithoutQuorum)]);
    }

    #[test]
    fn the_minority_quorum_bug_is_judged_by_the_configurations_quorums() {
        // The nodes use quorums of 1; the configuration's are 2 of 3.
        let mut c = checker(Mode::Single, 3, Some(Bug::MinorityQuorum));
        c.on_propose(&Value::text("v0"));
        prepare(&mut c, b(1, 0));
        promise(&mut c, 0, 0, b(1, 0), &[]);
        assert_eq!(event(&mut c, 2, 0, NodeEvent::Elected { ballot: b(1, 0) }), [(2, Rule::ElectedWithoutQuorum)]);
        let (slot, ballot, value) = (Slot(0), b(1, 0), Value::text("v0"));
        let adopted = NodeEvent::Adopted { slot, ballot, value: value.clone(), from: None, passed_over: None };
        assert_eq!(event(&mut c, 2, 0, adopted), []);
        // One vote chooses nothing, so committing or learning on it breaks a rule, at that event.
        let accepted = NodeEvent::Accepted { slot, ballot, value: value.clone() };
        assert_eq!(c.on_event(3, NodeId(0), &accepted), (None, vec![]));
        let committed = NodeEvent::Committed { slot, ballot, value: value.clone() };
        assert_eq!(event(&mut c, 4, 0, committed.clone()), [(4, Rule::CommittedUnchosen)]);
        let learned = NodeEvent::Learned { slot, value: value.clone() };
        assert_eq!(event(&mut c, 4, 0, learned.clone()), [(4, Rule::LearnedUnchosen)]);
        // A second vote chooses it, with the two acceptors as the quorum (a bitmask in traces); then both hold.
        let (chosen, broken) = c.on_event(5, NodeId(1), &accepted);
        assert_eq!(broken, []);
        let quorum: NodeSet = [NodeId(0), NodeId(1)].into_iter().collect();
        assert_eq!(chosen, Some((slot, Chosen { value, ballot, quorum })));
        assert_eq!(quorum.0, 0b11);
        assert_eq!(event(&mut c, 6, 0, committed), []);
        assert_eq!(event(&mut c, 6, 1, learned), []);
    }

    #[test]
    fn phase_2_proposes_the_highest_ballot_value_its_quorum_reported() {
        let elect = |reports: [&[(u64, Ballot, &str)]; 2]| {
            let mut c = checker(Mode::Multi, 3, None);
            prepare(&mut c, b(3, 0));
            promise(&mut c, 0, 0, b(3, 0), reports[0]);
            promise(&mut c, 1, 0, b(3, 0), reports[1]);
            assert_eq!(event(&mut c, 2, 0, NodeEvent::Elected { ballot: b(3, 0) }), []);
            // A promise after phase 1 completed is not part of its quorum.
            promise(&mut c, 2, 0, b(3, 0), &[(0, b(2, 2), "late")]);
            c
        };
        let adopt = |c: &mut PaxosJudge, slot: u64, value: &str| {
            let e = NodeEvent::Adopted {
                slot: Slot(slot),
                ballot: b(3, 0),
                value: Value::text(value),
                from: None,
                passed_over: None,
            };
            event(c, 9, 0, e)
        };
        let mut c = elect([&[(0, b(1, 0), "low"), (1, b(1, 0), "x")], &[(0, b(2, 1), "high")]]);
        assert_eq!(adopt(&mut c, 0, "low"), [(9, Rule::AdoptedNotHighest)]);
        assert_eq!(adopt(&mut c, 0, "mine"), [(9, Rule::AdoptedNotHighest)]);
        assert_eq!(adopt(&mut c, 0, "late"), [(9, Rule::AdoptedNotHighest)]);
        assert_eq!(adopt(&mut c, 0, "high"), []);
        assert_eq!(adopt(&mut c, 1, "x"), []);
        // A slot no promise of the quorum reported anything in takes any value (P2c).
        assert_eq!(adopt(&mut c, 2, "mine"), []);
        // Reported in the other order, the highest still wins.
        let mut c = elect([&[(0, b(2, 1), "high")], &[(0, b(1, 0), "low")]]);
        assert_eq!(adopt(&mut c, 0, "low"), [(9, Rule::AdoptedNotHighest)]);
        assert_eq!(adopt(&mut c, 0, "high"), []);
        // Phase 2 without phase 1.
        let mut c = checker(Mode::Multi, 3, None);
        assert_eq!(adopt(&mut c, 0, "x"), [(9, Rule::ElectedWithoutQuorum)]);
    }

    #[test]
    fn below_the_slots_phase_1_asked_about_only_the_chosen_value_may_be_proposed() {
        let mut c = checker(Mode::Multi, 3, None);
        let value = Value::text("a");
        for n in [0, 1] {
            c.on_event(1, NodeId(n), &NodeEvent::Accepted { slot: Slot(0), ballot: b(1, 0), value: value.clone() });
        }
        assert_eq!(event(&mut c, 2, 0, NodeEvent::Preparing { ballot: b(2, 0) }), []);
        c.on_deliver(NodeId(0), NodeId(1), &Msg::Prepare { ballot: b(2, 0), from: Slot(1) });
        promise(&mut c, 1, 0, b(2, 0), &[]);
        promise(&mut c, 2, 0, b(2, 0), &[]);
        assert_eq!(event(&mut c, 3, 0, NodeEvent::Elected { ballot: b(2, 0) }), []);
        let adopt = |c: &mut PaxosJudge, value: &str| {
            let e = NodeEvent::Adopted {
                slot: Slot(0),
                ballot: b(2, 0),
                value: Value::text(value),
                from: None,
                passed_over: None,
            };
            event(c, 4, 0, e)
        };
        assert_eq!(adopt(&mut c, "a"), []);
        assert_eq!(adopt(&mut c, "b"), [(4, Rule::AdoptedNotHighest)]);
    }

    #[test]
    fn every_rule_has_a_distinct_name_title_and_description() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for r in Rule::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.name(), "traces spell a rule by its name");
            assert!(!r.title().is_empty() && r.description().ends_with('.'), "{r:?}");
        }
    }
}
