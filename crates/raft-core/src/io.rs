//! What a node reports: [`NodeEvent`] and [`Refusal`].

use paxos_core::{NodeId, NodeSet, Slot, Value};
use serde::{Deserialize, Serialize};

use crate::types::{EntryId, Term};

/// Something a node decided, reported for the simulator, the safety checker and the event log. The events say
/// enough for a checker to follow every node's term, vote, role and log without reading node state, and so to
/// judge Raft's five properties (Figure 3) at the event that breaks each: Election Safety at [`NodeEvent::Elected`],
/// Leader Append-Only at [`NodeEvent::Truncated`], Log Matching at [`NodeEvent::Appended`], Leader Completeness at
/// `Elected` and [`NodeEvent::Committed`], State Machine Safety at `Committed`; and the commit rule of §5.4.2 at
/// [`NodeEvent::Counted`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeEvent {
    /// A message carried a later term than this node's: it adopted `term` (with no vote in it yet) and, if it led
    /// or campaigned, became a follower.
    NewTerm {
        /// The adopted term.
        term: Term,
        /// The term before.
        previous: Term,
    },
    /// The election timer fired (or the node was told to campaign): it became a candidate in `term`, voted for
    /// itself and asked every other node for its vote.
    Campaigned {
        /// The new term.
        term: Term,
        /// Its last entry, which voters compare with theirs.
        last: Option<EntryId>,
    },
    /// Granted its vote in `term` to `candidate` (and stored `votedFor` before replying).
    Voted {
        /// The term.
        term: Term,
        /// The candidate.
        candidate: NodeId,
    },
    /// Refused its vote in `term` to `candidate`.
    Refused {
        /// The candidate's term.
        term: Term,
        /// The candidate.
        candidate: NodeId,
        /// Why.
        reason: Refusal,
    },
    /// A majority (`votes`, itself included) granted its vote in `term`: it leads that term.
    Elected {
        /// The term.
        term: Term,
        /// The nodes whose votes it counted.
        votes: NodeSet,
    },
    /// Stored `value` at `slot` in `term`: a leader appending (a client value or its no-op), or a follower storing
    /// what its leader sent.
    Appended {
        /// The slot.
        slot: Slot,
        /// The entry's term.
        term: Term,
        /// The value.
        value: Value,
    },
    /// A follower deleted its entries from `from` on, because the entry there conflicted with its leader's (same
    /// slot, another term): the conflict repair of AppendEntries.
    Truncated {
        /// The first slot deleted.
        from: Slot,
        /// How many entries were deleted.
        removed: u64,
    },
    /// A follower refused AppendEntries of `term`: its log does not hold `prev` (the consistency check).
    Inconsistent {
        /// The leader's term.
        term: Term,
        /// The entry the leader expected before its entries.
        prev: EntryId,
    },
    /// A leader learned that `follower`'s log does not match up to its next index, and will send from `next`.
    BackedOff {
        /// The follower.
        follower: NodeId,
        /// The next slot to send it.
        next: Slot,
    },
    /// A leader in `leader_term` counted `replicas` (a majority, itself included) holding the entry of `term` at
    /// `slot`, and so moved its commit index past it. Correct Raft counts only entries of its own term
    /// (`term == leader_term`, §5.4.2); an earlier term's entry counted is the commit-old-term bug's doing.
    Counted {
        /// The slot.
        slot: Slot,
        /// The entry's term.
        term: Term,
        /// The leader's term.
        leader_term: Term,
        /// The nodes whose replies (or own log) hold the entry.
        replicas: NodeSet,
    },
    /// The node's commit index moved past `slot`: it takes the entry there as committed and applies it.
    Committed {
        /// The slot.
        slot: Slot,
        /// The entry's term.
        term: Term,
        /// The value.
        value: Value,
    },
    /// A leader outside its configuration saw that configuration committed and stepped down (it never campaigns
    /// again).
    SteppedDown {
        /// The term it led.
        term: Term,
    },
    /// Ignored a RequestVote of `term` from `candidate`, a server outside its configuration, while it heard from
    /// a leader (§4.2.3): it neither adopted the term nor answered.
    Ignored {
        /// The candidate's term.
        term: Term,
        /// The candidate.
        candidate: NodeId,
    },
    /// Applying `slot` handed out transaction ID `id` to request `req` of `client`.
    Allocated {
        /// The slot.
        slot: Slot,
        /// The client.
        client: u32,
        /// The client's request.
        req: u32,
        /// The transaction ID.
        id: u64,
    },
}

/// Why a node refused a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Refusal {
    /// The candidate's term is behind the voter's.
    StaleTerm {
        /// The voter's term.
        current: Term,
    },
    /// The voter already voted for another node in this term.
    AlreadyVoted {
        /// The node it voted for.
        voted_for: NodeId,
    },
    /// The candidate's log is less up-to-date than the voter's (§5.4.1): it may lack a committed entry.
    LogBehind {
        /// The voter's last entry.
        mine: EntryId,
        /// The candidate's last entry.
        theirs: Option<EntryId>,
    },
}
