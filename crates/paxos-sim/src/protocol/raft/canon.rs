//! What the explorer's futures can still read of a Raft node: everything but its timer.
//!
//! The explorer lets a node's timer fire only as a `Timeout` action (a follower or candidate campaigns at once,
//! `Node::campaign`), and a delivery draws the node's next timeout from a fresh generator, so the ticks left on a
//! node's timer change nothing the search reads. What the node applied is its commit index (it applies every
//! committed entry at once), and its transaction-ID table is a function of its log up to there, so neither is kept
//! twice.
//!
//! A reply is **dead** ([`dead_to`]) when its receiver will never read it: a vote or an AppendEntries reply of an
//! earlier term than the receiver's (no later term is adopted from it, and `on_vote` and `on_append_reply` read
//! only their own term), a refused vote of a term the receiver has reached, a granted vote to a node of that term
//! that is no longer a candidate missing it, and an AppendEntries reply to a follower of its term. Each condition
//! only ever becomes true: terms never go back (a restart keeps them), and a node of term `t` that is a follower, or
//! a candidate that counted the vote, or a leader, is never again a candidate, or a leader, of `t` missing it. A
//! request is never dead: its reply carries the receiver's term when delivered, which a future may raise above
//! the sender's.

use paxos_core::{NodeId, Slot, Value};
use raft_core::{Durable, Msg, Node, Role};

/// A Raft node as the explorer compares states.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeKey {
    id: NodeId,
    durable: Durable,
    role: Role,
    leader: Option<NodeId>,
    commit: Slot,
    pending: Vec<Value>,
}

impl NodeKey {
    /// The key of `node`.
    pub fn of(node: &Node) -> NodeKey {
        NodeKey {
            id: node.id(),
            durable: node.durable().clone(),
            role: node.role().clone(),
            leader: node.leader(),
            commit: node.commit(),
            pending: node.pending().to_vec(),
        }
    }
}

/// Whether `node` will never read `msg` from `from`, now or in any future (see the module documentation); replies
/// only, so a dead message's sender reads no reply to it either.
pub(crate) fn dead_to(node: &Node, from: NodeId, msg: &Msg) -> bool {
    let term = node.durable().term;
    match msg {
        Msg::Vote { term: t, granted: false } => term >= *t,
        Msg::Vote { term: t, granted: true } => {
            term > *t || term == *t && !matches!(node.role(), Role::Candidate { votes } if !votes.contains(from))
        }
        Msg::AppendReply { term: t, .. } => term > *t || term == *t && *node.role() == Role::Follower,
        Msg::RequestVote { .. } | Msg::AppendEntries { .. } | Msg::Propose { .. } => false,
    }
}
