//! What the page draws of a Raft node beyond what every protocol shares: its role, term, vote, log and commit
//! index, and a leader's view of each follower's log.

use paxos_core::{NodeId, Slot, Value};
use raft_core::{Node, Role, Term};
use serde::Serialize;

/// A Raft node's role in its term, without the bookkeeping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RaftRole {
    /// Answers candidates and the leader.
    #[default]
    Follower,
    /// Asks for votes.
    Candidate,
    /// Leads its term.
    Leader,
}

impl RaftRole {
    /// The role in the page's words.
    pub fn text(self) -> &'static str {
        match self {
            RaftRole::Follower => "follower",
            RaftRole::Candidate => "candidate",
            RaftRole::Leader => "leader",
        }
    }
}

/// A Raft node as the UI draws it, beyond what every protocol shares ([`crate::snapshot::NodeView`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RaftView {
    /// Its role.
    pub role: RaftRole,
    /// `currentTerm`.
    pub term: Term,
    /// `votedFor` in `term`.
    pub voted_for: Option<NodeId>,
    /// A candidate's votes so far (itself first); empty otherwise.
    pub votes: Vec<NodeId>,
    /// The log: each entry's term and value, slot `i` at index `i`.
    pub log: Vec<(Term, Value)>,
    /// The commit index as a length: slots `..commit` are known committed.
    pub commit: Slot,
    /// The leader of its term, once heard from.
    pub leader_of_term: Option<NodeId>,
    /// A leader's `matchIndex` per node (its own unused); empty otherwise.
    pub matched: Vec<Slot>,
}

/// A Raft node's view.
pub fn view(n: &Node) -> RaftView {
    let d = n.durable();
    let (role, votes, matched) = match n.role() {
        Role::Follower => (RaftRole::Follower, vec![], vec![]),
        Role::Candidate { votes } => (RaftRole::Candidate, votes.iter().collect(), vec![]),
        Role::Leader { progress } => (RaftRole::Leader, vec![], progress.iter().map(|p| p.matched).collect()),
    };
    RaftView {
        role,
        term: d.term,
        voted_for: d.voted_for,
        votes,
        log: d.log.iter().map(|e| (e.term, e.value.clone())).collect(),
        commit: n.commit(),
        leader_of_term: n.leader(),
        matched,
    }
}
