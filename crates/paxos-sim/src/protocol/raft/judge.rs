//! Raft's half of the checker: the rules of Figure 3 of the Raft paper (Election Safety, Leader Append-Only, Log
//! Matching, Leader Completeness, State Machine Safety), and the three rules whose removal the teaching bugs model,
//! each judged from the nodes' own events at the event that breaks it: a node votes once per term (`votedFor` kept
//! across a restart), a vote goes only to a candidate whose log is at least as up to date as the voter's (§5.4.1),
//! and a leader commits by counting replicas only entries of its own term (§5.4.2). The judge keeps a mirror of each
//! node's log, built from its `Appended` and `Truncated` events, with a hash of each prefix, so Log Matching is one
//! comparison per node and slot.

use std::hash::{Hash, Hasher};

use litemap::LiteMap;
use paxos_core::{Log, NodeId, NodeSet, Slot, Value};
use raft_core::{Bug, Cluster, EntryId, Msg, Node, NodeEvent, Term};
use serde::{Deserialize, Serialize};

use super::Raft;
use crate::checker::{Chosen, Verdict, Violation};
use crate::protocol::ledger::{Breach, Ledger};
use crate::protocol::{Judge, RuleSet};

/// A rule of Raft's checker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A node grants at most one vote per term, across restarts (`votedFor` is durable).
    VoteOnce,
    /// A node votes only for a candidate whose log is at least as up to date as its own (§5.4.1).
    UpToDateVote,
    /// At most one leader is elected in a term.
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log; it only appends.
    LeaderAppendOnly,
    /// Two logs with an entry of the same slot and term are identical up to that slot.
    LogMatching,
    /// A leader commits by counting replicas only entries of its own term (§5.4.2, Figure 8).
    CurrentTermCommit,
    /// The votes that elect a leader and the replicas that commit an entry meet every majority of the last
    /// committed configuration in that node's log (single-server changes, one at a time, keep it so).
    QuorumOfConfiguration,
    /// A leader's log holds every entry committed in earlier terms.
    LeaderCompleteness,
    /// No two nodes apply different values at one slot.
    StateMachineSafety,
    /// Only a value some client proposed (or a leader's no-op) is committed.
    Validity,
    /// No transaction ID is handed out to two requests, and no request gets two IDs.
    TxnIdReused,
    /// Transaction IDs follow log order at each node: 0, 1, 2, … in increasing slots.
    TxnIdOrder,
}

impl Rule {
    /// Every rule: those a run meets first, then the consequences and the workload.
    pub const ALL: [Rule; 12] = [
        Rule::VoteOnce,
        Rule::UpToDateVote,
        Rule::QuorumOfConfiguration,
        Rule::ElectionSafety,
        Rule::LeaderAppendOnly,
        Rule::LogMatching,
        Rule::CurrentTermCommit,
        Rule::LeaderCompleteness,
        Rule::StateMachineSafety,
        Rule::Validity,
        Rule::TxnIdReused,
        Rule::TxnIdOrder,
    ];

    /// The rule a teaching bug removes, reported at the event that breaks it, before any consequence.
    pub fn broken_by(b: Bug) -> Rule {
        match b {
            Bug::CommitOldTerm => Rule::CurrentTermCommit,
            Bug::ForgetVote => Rule::VoteOnce,
            Bug::NoLogCheck => Rule::UpToDateVote,
            Bug::ChangeTwoAtOnce => Rule::QuorumOfConfiguration,
        }
    }
}

impl RuleSet for Rule {
    const ALL: &'static [Rule] = &Rule::ALL;
    const AGREEMENT: Rule = Rule::StateMachineSafety;

    fn name(self) -> &'static str {
        match self {
            Rule::VoteOnce => "vote_once",
            Rule::UpToDateVote => "up_to_date_vote",
            Rule::ElectionSafety => "election_safety",
            Rule::LeaderAppendOnly => "leader_append_only",
            Rule::LogMatching => "log_matching",
            Rule::CurrentTermCommit => "current_term_commit",
            Rule::QuorumOfConfiguration => "quorum_of_configuration",
            Rule::LeaderCompleteness => "leader_completeness",
            Rule::StateMachineSafety => "state_machine_safety",
            Rule::Validity => "validity",
            Rule::TxnIdReused => "txn_id_reused",
            Rule::TxnIdOrder => "txn_id_order",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Rule::VoteOnce => "one vote per term",
            Rule::UpToDateVote => "up-to-date vote",
            Rule::ElectionSafety => "election safety",
            Rule::LeaderAppendOnly => "leader append-only",
            Rule::LogMatching => "log matching",
            Rule::CurrentTermCommit => "commit by counting only in the current term",
            Rule::QuorumOfConfiguration => "no quorum in force",
            Rule::LeaderCompleteness => "leader completeness",
            Rule::StateMachineSafety => "state machine safety",
            Rule::Validity => "validity",
            Rule::TxnIdReused => "txn id reused",
            Rule::TxnIdOrder => "txn id order",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Rule::VoteOnce => "A node grants at most one vote in a term, and remembers it across a restart.",
            Rule::UpToDateVote => {
                "A node votes only for a candidate whose log is at least as up to date as its own: a later last \
                 term, or the same last term and at least as long."
            }
            Rule::ElectionSafety => "At most one leader is elected in a term.",
            Rule::LeaderAppendOnly => "A leader never overwrites or deletes entries in its own log; it only appends.",
            Rule::LogMatching => {
                "If two logs hold an entry with the same slot and term, they are identical up to that slot."
            }
            Rule::CurrentTermCommit => {
                "A leader counts replicas to commit only entries of its own term; earlier entries are committed with \
                 them."
            }
            Rule::QuorumOfConfiguration => {
                "The votes that elect a leader, and the replicas that commit an entry, meet every majority of the \
                 last committed configuration: a change adds or removes one server, after the last one committed."
            }
            Rule::LeaderCompleteness => "The log of a leader holds every entry committed in an earlier term.",
            Rule::StateMachineSafety => "No two nodes apply different values at the same slot.",
            Rule::Validity => "Only a value some client proposed (or a leader's no-op) is committed.",
            Rule::TxnIdReused => "No transaction ID is handed out to two requests, and no request gets two IDs.",
            Rule::TxnIdOrder => "Each node hands out transaction IDs 0, 1, 2, … in log order.",
        }
    }
}

/// One node's log as its events told it: each entry's term and value, and a hash of the log up to it.
type Mirror = Vec<(Term, Value, u64)>;

/// The checker's state for Raft.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RaftJudge {
    ledger: Ledger<Raft>,
    /// The leader elected in each term.
    leaders: LiteMap<Term, NodeId>,
    /// Each vote granted: (voter, term) → candidate.
    votes: LiteMap<(NodeId, Term), NodeId>,
    /// Each candidate's last entry when it campaigned: (candidate, term) → last.
    campaigns: LiteMap<(NodeId, Term), Option<EntryId>>,
    /// Per node: the term it leads in, while it does.
    leading: Vec<Option<Term>>,
    /// Per node: its current term, as its events told it.
    terms: Vec<Term>,
    logs: Vec<Mirror>,
    /// Per slot: the replicas the leader counted when it committed it.
    counted: LiteMap<Slot, NodeSet>,
    /// The first configuration.
    first: NodeSet,
    /// Per node: the configuration entries of its log, by slot, as its events told them.
    configs: Vec<Vec<(Slot, NodeSet)>>,
    /// The configuration entry committed last, by slot.
    committed_config: Option<(Slot, NodeSet)>,
}

fn chain(prev: u64, term: Term, value: &Value) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (prev, term, value).hash(&mut h);
    h.finish()
}

fn last_of(log: &Mirror) -> Option<EntryId> {
    log.last().map(|(term, _, _)| EntryId { term: *term, slot: Slot(log.len() as u64 - 1) })
}

impl RaftJudge {
    /// The last committed configuration (the first while none is).
    pub fn committed_configuration(&self) -> NodeSet {
        self.committed_config.map_or(self.first, |c| c.1)
    }

    /// `who` (the votes that elected node `i`, or the replicas it counted) must meet every majority of the last
    /// configuration in its log at a slot committed by now: hold at least half of it. A majority of node `i`'s own
    /// configuration does when the two are at most one server apart, which the leader's rules of one server and
    /// one change at a time (raft-core's `membership.rs`) keep so.
    fn quorum_breach(&self, i: usize, who: NodeSet) -> Option<(NodeSet, NodeSet)> {
        let committed = self.ledger.chosen().len() as u64;
        let own = &self.configs[i];
        let reference = own.iter().rev().find(|c| c.0 .0 < committed).map_or(self.first, |c| c.1);
        let held = NodeSet(who.0 & reference.0).len();
        (2 * held < reference.len()).then(|| (reference, own.last().map_or(self.first, |c| c.1)))
    }

    fn violation(
        step: u64,
        rule: Rule,
        slot: Option<Slot>,
        nodes: Vec<NodeId>,
        terms: Vec<Term>,
        values: Vec<Value>,
        message: String,
    ) -> Violation<Raft> {
        Violation { step, rule, slot, nodes, ballots: terms, values, message }
    }

    fn breach(step: u64, node: NodeId, slot: Slot, term: Term, b: Breach) -> Violation<Raft> {
        let (rule, values, message) = match b {
            Breach::Agreement(values, m) => (Rule::StateMachineSafety, values, format!("node {node} committed: {m}")),
            Breach::Validity(m) => (Rule::Validity, vec![], m),
            Breach::TxnIdReused(m) => (Rule::TxnIdReused, vec![], m),
            Breach::TxnIdOrder(m) => (Rule::TxnIdOrder, vec![], m),
        };
        Self::violation(step, rule, Some(slot), vec![node], vec![term], values, message)
    }

    fn appended(&mut self, step: u64, node: NodeId, slot: Slot, term: Term, value: &Value) -> Vec<Violation<Raft>> {
        let mut found = Vec::new();
        let i = node.index();
        let at = slot.0 as usize;
        if let Some((t, v, _)) = self.logs[i].get(at) {
            if let Some(lead) = self.leading[i].filter(|_| (*t, v) != (term, value)) {
                let msg =
                    format!("leader {node} of {lead} overwrote its entry [{slot}] {v} of {t} with {value} of {term}");
                found.push(Self::violation(
                    step,
                    Rule::LeaderAppendOnly,
                    Some(slot),
                    vec![node],
                    vec![lead, *t, term],
                    vec![v.clone(), value.clone()],
                    msg,
                ));
            }
        }
        self.configs[i].retain(|c| c.0 < slot);
        if let Value::Config(m) = value {
            self.configs[i].push((slot, *m));
        }
        let log = &mut self.logs[i];
        log.truncate(at);
        // A gap (an entry past the end) is no Raft log; keep the mirror's slots aligned regardless.
        while log.len() < at {
            log.push((Term(0), Value::Noop, 0));
        }
        let prev = log.last().map_or(0, |e| e.2);
        let h = chain(prev, term, value);
        log.push((term, value.clone(), h));
        for (m, other) in self.logs.iter().enumerate() {
            if m == i {
                continue;
            }
            if let Some((t, _, oh)) = other.get(at).filter(|(t, _, _)| *t == term) {
                if *oh != h {
                    let other_node = NodeId(m as u8);
                    let first = (0..=at)
                        .find(|&k| other.get(k).map(|e| (e.0, &e.1)) != self.logs[i].get(k).map(|e| (e.0, &e.1)))
                        .unwrap_or(at);
                    let msg = format!(
                        "nodes {node} and {other_node} both hold an entry of {t} at [{slot}], but their logs differ at [{first}]"
                    );
                    found.push(Self::violation(
                        step,
                        Rule::LogMatching,
                        Some(slot),
                        vec![node, other_node],
                        vec![term],
                        vec![],
                        msg,
                    ));
                    break;
                }
            }
        }
        found
    }
}

impl Judge<Raft> for RaftJudge {
    type Rule = Rule;

    fn new(c: &Cluster) -> RaftJudge {
        let n = c.config.nodes;
        RaftJudge {
            ledger: Ledger::new(n),
            leaders: LiteMap::new(),
            votes: LiteMap::new(),
            campaigns: LiteMap::new(),
            leading: vec![None; n],
            terms: vec![Term(0); n],
            logs: vec![Vec::new(); n],
            counted: LiteMap::new(),
            first: c.members,
            configs: vec![Vec::new(); n],
            committed_config: None,
        }
    }

    fn chosen(&self) -> &Log<Chosen<Raft>> {
        self.ledger.chosen()
    }

    fn also_chosen(&self) -> &[(Slot, Chosen<Raft>)] {
        self.ledger.also_chosen()
    }

    fn on_propose(&mut self, v: &Value) {
        self.ledger.propose(v)
    }

    fn on_deliver(&mut self, _from: NodeId, _to: NodeId, _m: &Msg) {}

    fn on_event(&mut self, step: u64, node: NodeId, e: &NodeEvent) -> Verdict<Raft> {
        let i = node.index();
        let none = |v: Vec<Violation<Raft>>| (None, v);
        match e {
            NodeEvent::NewTerm { term, .. } => {
                self.leading[i] = None;
                self.terms[i] = *term;
                none(vec![])
            }
            NodeEvent::Campaigned { term, last } => {
                self.leading[i] = None;
                self.terms[i] = *term;
                self.campaigns.insert((node, *term), *last);
                none(vec![])
            }
            NodeEvent::Voted { term, candidate } => {
                let mut found = Vec::new();
                if let Some(before) = self.votes.get(&(node, *term)).filter(|b| **b != *candidate) {
                    let msg = format!(
                        "node {node} voted for node {candidate} in {term}, after voting for node {before} in {term}"
                    );
                    found.push(Self::violation(
                        step,
                        Rule::VoteOnce,
                        None,
                        vec![node, *candidate, *before],
                        vec![*term],
                        vec![],
                        msg,
                    ));
                }
                self.votes.insert((node, *term), *candidate);
                let mine = last_of(&self.logs[i]);
                let theirs = self.campaigns.get(&(*candidate, *term)).copied().flatten();
                if mine > theirs {
                    let theirs = theirs.map_or("an empty log".to_string(), |t| format!("last entry {t}"));
                    let mine = mine.map_or(String::new(), |m| m.to_string());
                    let msg = format!("node {node} voted for node {candidate} in {term}, whose log ({theirs}) is less up to date than its own (last entry {mine})");
                    found.push(Self::violation(
                        step,
                        Rule::UpToDateVote,
                        None,
                        vec![node, *candidate],
                        vec![*term],
                        vec![],
                        msg,
                    ));
                }
                none(found)
            }
            NodeEvent::Elected { term, votes } => {
                let mut found = Vec::new();
                if let Some((reference, own)) = self.quorum_breach(i, *votes) {
                    let msg = format!(
                        "node {node} was elected leader of {term} by {votes}, a majority of its configuration {own} \
                         but not of the committed configuration {reference}: another majority of {reference} can \
                         elect a second leader"
                    );
                    let v =
                        Self::violation(step, Rule::QuorumOfConfiguration, None, vec![node], vec![*term], vec![], msg);
                    found.push(v);
                }
                if let Some(other) = self.leaders.get(term).filter(|o| **o != node) {
                    let msg = format!("node {node} was elected leader of {term}, which node {other} already leads");
                    found.push(Self::violation(
                        step,
                        Rule::ElectionSafety,
                        None,
                        vec![node, *other],
                        vec![*term],
                        vec![],
                        msg,
                    ));
                }
                self.leaders.insert(*term, node);
                self.leading[i] = Some(*term);
                self.terms[i] = *term;
                let log = &self.logs[i];
                for (slot, c) in self.ledger.chosen().iter() {
                    let held = log.get(slot.0 as usize).is_some_and(|(t, v, _)| *t == c.ballot && *v == c.value);
                    if c.ballot < *term && !held {
                        let msg = format!(
                            "node {node} was elected leader of {term} by {votes} without the entry [{slot}] {} of {}, committed earlier",
                            c.value, c.ballot
                        );
                        found.push(Self::violation(
                            step,
                            Rule::LeaderCompleteness,
                            Some(slot),
                            vec![node],
                            vec![*term, c.ballot],
                            vec![c.value.clone()],
                            msg,
                        ));
                        break;
                    }
                }
                none(found)
            }
            NodeEvent::Appended { slot, term, value } => none(self.appended(step, node, *slot, *term, value)),
            NodeEvent::Truncated { from, removed } => {
                let mut found = Vec::new();
                if let Some(lead) = self.leading[i] {
                    let msg = format!("leader {node} of {lead} deleted {removed} entries of its log from [{from}] on");
                    found.push(Self::violation(
                        step,
                        Rule::LeaderAppendOnly,
                        Some(*from),
                        vec![node],
                        vec![lead],
                        vec![],
                        msg,
                    ));
                }
                self.logs[i].truncate(from.0 as usize);
                self.configs[i].retain(|c| c.0 < *from);
                none(found)
            }
            NodeEvent::Counted { slot, term, leader_term, replicas } => {
                self.counted.insert(*slot, *replicas);
                if let Some((reference, own)) = self.quorum_breach(i, *replicas) {
                    let msg = format!(
                        "leader {node} of {leader_term} committed [{slot}] on {replicas}, a majority of its \
                         configuration {own} but not of the committed configuration {reference}: a leader elected \
                         by the rest of {reference} need not hold it"
                    );
                    let (nodes, terms) = (vec![node], vec![*leader_term]);
                    let v = Self::violation(step, Rule::QuorumOfConfiguration, Some(*slot), nodes, terms, vec![], msg);
                    return none(vec![v]);
                }
                if term == leader_term {
                    return none(vec![]);
                }
                let msg = format!(
                    "leader {node} of {leader_term} committed [{slot}], an entry of the earlier {term}, by counting its replicas {replicas}: a later leader may still overwrite it (Figure 8)"
                );
                none(vec![Self::violation(
                    step,
                    Rule::CurrentTermCommit,
                    Some(*slot),
                    vec![node],
                    vec![*leader_term, *term],
                    vec![],
                    msg,
                )])
            }
            NodeEvent::Committed { slot, term, value } => {
                let quorum = self.counted.get(slot).copied().unwrap_or(NodeSet::EMPTY);
                let (news, breaches) =
                    self.ledger.decide(*slot, Chosen { value: value.clone(), ballot: *term, quorum });
                if let (Some(_), Value::Config(m)) = (&news, value) {
                    if self.committed_config.is_none_or(|c| c.0 < *slot) {
                        self.committed_config = Some((*slot, *m));
                    }
                }
                let mut found: Vec<Violation<Raft>> =
                    breaches.into_iter().map(|b| Self::breach(step, node, *slot, *term, b)).collect();
                // Leader Completeness, judged at the commit too: a leader of a later term than the one the entry is
                // committed in, elected already, must hold it now.
                let now = self.terms[i];
                let at = slot.0 as usize;
                for (l, lead) in self.leading.iter().enumerate() {
                    let Some(lead) = lead.filter(|t| *t > now) else { continue };
                    if self.logs[l].get(at).is_none_or(|(t, v, _)| (*t, v) != (*term, value)) {
                        let leader = NodeId(l as u8);
                        let msg = format!(
                            "node {node} committed [{slot}] {value} of {term} in {now}, but node {leader}, leader of \
                             the later {lead}, does not hold it"
                        );
                        let (nodes, terms) = (vec![node, leader], vec![lead, *term]);
                        found.push(Self::violation(
                            step,
                            Rule::LeaderCompleteness,
                            Some(*slot),
                            nodes,
                            terms,
                            vec![value.clone()],
                            msg,
                        ));
                        break;
                    }
                }
                (news, found)
            }
            NodeEvent::Allocated { slot, client, req, id } => {
                let found = self.ledger.allocated(node, *slot, *client, *req, *id);
                none(found.into_iter().map(|b| Self::breach(step, node, *slot, Term(0), b)).collect())
            }
            NodeEvent::SteppedDown { .. } => {
                self.leading[i] = None;
                none(vec![])
            }
            NodeEvent::Refused { .. }
            | NodeEvent::Inconsistent { .. }
            | NodeEvent::BackedOff { .. }
            | NodeEvent::Ignored { .. } => none(vec![]),
        }
    }

    fn on_restart(&mut self, _step: u64, id: NodeId, n: &Node) -> Option<Violation<Raft>> {
        // A restarted node leads no more and applies its log again; its log is what it kept, which the mirror holds
        // already (raft-core persists the log before any reply), rebuilt here from the node to stay exact.
        let i = id.index();
        self.leading[i] = None;
        self.ledger.restarted(id);
        let d = n.durable();
        self.terms[i] = d.term;
        let mut log: Mirror = Vec::with_capacity(d.len().0 as usize);
        for slot in 0..d.len().0 {
            if let Some(e) = d.entry(Slot(slot)) {
                let prev = log.last().map_or(0, |x| x.2);
                log.push((e.term, e.value.clone(), chain(prev, e.term, &e.value)));
            }
        }
        self.logs[i] = log;
        self.configs[i] = (0..d.len().0)
            .filter_map(|s| match d.entry(Slot(s)).map(|e| &e.value) {
                Some(Value::Config(m)) => Some((Slot(s), *m)),
                _ => None,
            })
            .collect();
        None
    }

    fn explorer_key(&self) -> RaftJudge {
        RaftJudge { ledger: self.ledger.explorer_key(Term(0)), ..self.clone() }
    }

    fn broken_by(b: Bug) -> Rule {
        Rule::broken_by(b)
    }

    fn grow(&mut self) {
        self.ledger.grow();
        self.leading.push(None);
        self.terms.push(Term(0));
        self.logs.push(Vec::new());
        self.configs.push(Vec::new());
    }
}
