//! What the explorer's futures can still read, in single-decree Paxos: the node states that behave alike, and the
//! messages no future delivery of which changes anything.
//!
//! The explorer's nodes never tick and are never asked to propose again, so in single-decree Paxos:
//!
//! * a proposer runs the one ballot it has, and once it stops (it was rejected, or it or its learner saw a value
//!   chosen) it is idle for good: an idle proposer reads no message (`on_promise` needs `Preparing`, `on_accepted`
//!   and `on_catch_up` need `Leading`, `on_reject` a phase other than idle) and sends none;
//! * what only `tick` and `propose` read is never read: the timer, the highest round seen (and its durable copy),
//!   a proposal's age, and the values known to be chosen; the pending value is read once, when phase 1 completes;
//! * a learner's tallies are a set (kept in arrival order, searched by content).
//!
//! [`NodeKey`] keeps the rest, so two nodes with the same key send the same messages and report the same events on
//! every delivery, and their next states have the same key again. The explorer stores one node per key.
//!
//! A message is **dead** when delivering it changes nothing now and in every future ([`dead_at`], [`done_with`]):
//! a promise to a proposer that no longer prepares that ballot or already counted that acceptor, a reject of a
//! ballot its proposer no longer runs, an `accepted` that neither the proposer (leading that ballot, still counting
//! that acceptor) nor the learner (still counting that slot, not yet that acceptor) would read, and a prepare or
//! accept an acceptor refuses (below its promise, or a prepare of the ballot it promised) whose reply the proposer
//! would ignore. Each of these conditions only ever becomes true (ballots and promises grow, an idle proposer stays
//! idle, a learned slot stays learned), except that a restart gives a node a fresh learner, so an `accepted` to a
//! learner counts as dead only once its node can no longer restart; and with the `amnesia` bug a restart lowers
//! the promise, so messages to acceptors are never dead, and with `break-promise` an accept below the promise is
//! still taken. The explorer leaves dead messages out of its network, which is what splits most states otherwise:
//! the same node states were reached with different sets of spent messages.

use paxos_core::{Ballot, Bug, Cluster, Log, Mode, Msg, Node, NodeId, NodeSet, Phase, Slot, Value};

/// A node as the explorer's futures see it: in single-decree Paxos, the node without what no future reads (the
/// timer, the highest round seen, an idle proposer, the order of a learner's tallies; see the `canon` module); in
/// Multi-Paxos, the whole node. The reduced search stores one node per key: nodes with the same key send the same
/// messages and report the same events on every delivery, and their next states have the same key again.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeKey(Key);

// A Multi-Paxos node (with its configurations and the leader's held slots) is twice a single-decree key, and boxing
// either variant only moves the lint to the other: keys are stored once per distinct node, so the size is no matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    /// The whole node (Multi-Paxos, where the explorer does not reduce).
    Whole(Node),
    /// What a single-decree node's futures read.
    Single {
        id: NodeId,
        promised: Ballot,
        accepted: Log<(Ballot, Value)>,
        /// `None` for an idle proposer, or no proposer.
        proposer: Option<ProposerKey>,
        learner: Option<LearnerKey>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ProposerKey {
    ballot: Ballot,
    phase: Phase,
    /// Read when phase 1 completes, so kept while preparing only.
    pending: Vec<Value>,
    /// Per slot, the value in phase 2 and the acceptors that accepted it.
    proposals: Vec<(Slot, Value, NodeSet)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct LearnerKey {
    /// The tallies, sorted.
    votes: Vec<(Slot, Ballot, Value, NodeSet)>,
    log: Log<Value>,
}

impl NodeKey {
    /// The key of `node`, in a cluster of mode `mode`.
    pub fn of(node: &Node, mode: Mode) -> NodeKey {
        NodeKey::key(node, mode == Mode::Single)
    }

    pub(crate) fn key(node: &Node, single: bool) -> NodeKey {
        if !single {
            return NodeKey(Key::Whole(node.clone()));
        }
        let d = node.durable();
        let proposer = node.proposer().filter(|p| p.phase != Phase::Idle).map(|p| ProposerKey {
            ballot: p.ballot,
            phase: p.phase.clone(),
            pending: if p.is_leading() { Vec::new() } else { p.pending.iter().cloned().collect() },
            proposals: p.proposals.iter().map(|(s, q)| (*s, q.value.clone(), q.accepted)).collect(),
        });
        let learner = node.learner().map(|l| {
            let mut votes: Vec<_> = l.pending().map(|(s, b, v, a)| (s, b, v.clone(), a)).collect();
            votes.sort();
            LearnerKey { votes, log: l.log.clone() }
        });
        NodeKey(Key::Single { id: node.id(), promised: d.promised, accepted: d.accepted.clone(), proposer, learner })
    }
}

/// The bugs that make a message to an acceptor live after all.
#[derive(Clone, Copy)]
pub(crate) struct Rules {
    /// Single-decree Paxos: without it nothing is dead.
    pub single: bool,
    /// A restart may lower an acceptor's promise.
    pub amnesia: bool,
    /// An acceptor takes an accept below its promise.
    pub break_promise: bool,
}

impl Rules {
    /// The rules of cluster `c`.
    pub(crate) fn of(c: &Cluster) -> Rules {
        let bugs = c.config.bugs;
        Rules {
            single: c.config.mode == Mode::Single,
            amnesia: bugs.has(Bug::Amnesia),
            break_promise: bugs.has(Bug::BreakPromise),
        }
    }
}

/// Whether `node`'s proposer is in phase 1.
pub(crate) fn preparing(node: &Node) -> bool {
    node.proposer().is_some_and(|p| matches!(p.phase, Phase::Preparing { .. }))
}

/// Whether the receiver `node` (in the state given) will never be changed by `msg` from `from`, nor send anything
/// but a reply to the sender's proposer ([`done_with`] says whether that reply is dead). `can_restart`: whether the
/// node may still restart in some future (a restart gives it a fresh learner).
pub(crate) fn dead_at(rules: Rules, node: &Node, from: NodeId, msg: &Msg, can_restart: bool) -> bool {
    if !rules.single {
        return false;
    }
    let acceptor = node.roles().acceptor;
    match msg {
        // Not an acceptor: ignored, now and always.
        Msg::Prepare { .. } | Msg::Accept { .. } if !acceptor => true,
        // Promised (>=, so a prepare of the promised ballot only repeats the promise) or refused: only a reply.
        Msg::Prepare { ballot, .. } => !rules.amnesia && *ballot <= node.durable().promised,
        Msg::Accept { ballot, .. } => !rules.amnesia && !rules.break_promise && *ballot < node.durable().promised,
        Msg::Promise { ballot, .. } => match node.proposer().map(|p| (p.ballot, &p.phase)) {
            Some((b, Phase::Preparing { promised, .. })) => b != *ballot || promised.contains(from),
            _ => true,
        },
        Msg::Reject { ballot, .. } => !node.proposer().is_some_and(|p| p.phase != Phase::Idle && p.ballot == *ballot),
        Msg::Accepted { ballot, slot, value } => {
            let proposer_reads = node.proposer().is_some_and(|p| {
                p.is_leading()
                    && p.ballot == *ballot
                    && p.proposals.get(slot).is_some_and(|q| !q.accepted.contains(from))
            });
            let learner_reads = node.learner().is_some_and(|l| {
                can_restart
                    || !(*slot < l.prefix
                        || l.log.contains_key(slot)
                        || l.pending().any(|(s, b, v, a)| s == *slot && b == *ballot && v == value && a.contains(from)))
            });
            !proposer_reads && !learner_reads
        }
        Msg::Decided { .. } | Msg::Heartbeat { .. } | Msg::CatchUp { .. } | Msg::Propose { .. } => false,
    }
}

/// Whether the proposer of `node`, the sender of `msg`, ignores every reply an acceptor can send to it: true for
/// every message but a prepare or accept to an acceptor, whose reply (a promise or a reject of its ballot) only a
/// proposer still running that ballot reads.
pub(crate) fn done_with(rules: Rules, node: &Node, msg: &Msg, to_acceptor: bool) -> bool {
    if !rules.single {
        return false;
    }
    match msg {
        Msg::Prepare { ballot, .. } | Msg::Accept { ballot, .. } if to_acceptor => {
            !node.proposer().is_some_and(|p| p.phase != Phase::Idle && p.ballot == *ballot)
        }
        _ => true,
    }
}
