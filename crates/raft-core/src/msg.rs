//! The messages nodes exchange (Figure 2's two RPCs, their replies, and a forwarded client request), and the
//! envelope the network carries them in.

use std::fmt;

use paxos_core::{NodeId, Slot, Value};
use serde::{Deserialize, Serialize};

use crate::types::{Entry, EntryId, Term};

/// A protocol message. Every message but [`Msg::Propose`] carries its sender's term, and a node that sees a later
/// term adopts it first (a leader or candidate steps down).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Msg {
    /// RequestVote: a candidate asks for a vote in `term` (Paxos's prepare, with the candidate's last entry in
    /// place of the promise's report of accepted values).
    RequestVote {
        /// The candidate's term.
        term: Term,
        /// The candidate's last entry (`lastLogIndex`, `lastLogTerm`), `None` for an empty log.
        last: Option<EntryId>,
    },
    /// The reply to RequestVote.
    Vote {
        /// The voter's term, for the candidate to update itself.
        term: Term,
        /// Whether the vote was granted.
        granted: bool,
    },
    /// AppendEntries: the leader's entries after `prev` (Paxos's phase 2 for a run of slots), or none as a
    /// heartbeat.
    AppendEntries {
        /// The leader's term.
        term: Term,
        /// The entry just before `entries` (`prevLogIndex`, `prevLogTerm`); `None` when they start the log.
        prev: Option<EntryId>,
        /// The entries to store, from the slot after `prev`.
        entries: Vec<Entry>,
        /// The leader's commit index: slots `..commit` are committed (`leaderCommit`).
        commit: Slot,
    },
    /// The reply to AppendEntries.
    AppendReply {
        /// The follower's term, for the leader to update itself.
        term: Term,
        /// Whether the follower held `prev` and stored the entries.
        success: bool,
        /// On success, slots `..index` now match the leader's log (`matchIndex`); on refusal, where the follower's
        /// log could match at best (its length, or `prev`'s slot), so the leader backs off past a short log at once.
        index: Slot,
    },
    /// A client value forwarded to the leader.
    Propose {
        /// The value.
        value: Value,
    },
}

/// The kind of a message, without its payload; the UI gives each kind a colour and a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgKind {
    /// [`Msg::RequestVote`].
    RequestVote,
    /// [`Msg::Vote`].
    Vote,
    /// [`Msg::AppendEntries`].
    AppendEntries,
    /// [`Msg::AppendReply`].
    AppendReply,
    /// [`Msg::Propose`].
    Propose,
}

impl MsgKind {
    /// Every kind, in protocol order.
    pub const ALL: [MsgKind; 5] =
        [MsgKind::RequestVote, MsgKind::Vote, MsgKind::AppendEntries, MsgKind::AppendReply, MsgKind::Propose];

    /// The kind's name as the CLI, the traces and the UI spell it.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::RequestVote => "request_vote",
            MsgKind::Vote => "vote",
            MsgKind::AppendEntries => "append_entries",
            MsgKind::AppendReply => "append_reply",
            MsgKind::Propose => "propose",
        }
    }
}

impl Msg {
    /// The message's kind.
    pub fn kind(&self) -> MsgKind {
        match self {
            Msg::RequestVote { .. } => MsgKind::RequestVote,
            Msg::Vote { .. } => MsgKind::Vote,
            Msg::AppendEntries { .. } => MsgKind::AppendEntries,
            Msg::AppendReply { .. } => MsgKind::AppendReply,
            Msg::Propose { .. } => MsgKind::Propose,
        }
    }

    /// The sender's term; `None` for a forwarded client value.
    pub fn term(&self) -> Option<Term> {
        match self {
            Msg::RequestVote { term, .. }
            | Msg::Vote { term, .. }
            | Msg::AppendEntries { term, .. }
            | Msg::AppendReply { term, .. } => Some(*term),
            Msg::Propose { .. } => None,
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::RequestVote { term, last: Some(last) } => write!(f, "request_vote({term}, last {last})"),
            Msg::RequestVote { term, last: None } => write!(f, "request_vote({term}, empty log)"),
            Msg::Vote { term, granted } => write!(f, "vote({term}, {})", if *granted { "granted" } else { "refused" }),
            Msg::AppendEntries { term, prev, entries, commit } => {
                write!(f, "append_entries({term}")?;
                if let Some(prev) = prev {
                    write!(f, ", after {prev}")?;
                }
                let first = prev.map_or(0, |p| p.slot.0 + 1);
                for (i, e) in entries.iter().enumerate() {
                    write!(f, ", [{}] {} {}", first + i as u64, e.term, e.value)?;
                }
                write!(f, ", commit ..{commit})")
            }
            Msg::AppendReply { term, success: true, index } => write!(f, "append_reply({term}, ok ..{index})"),
            Msg::AppendReply { term, success: false, index } => {
                write!(f, "append_reply({term}, refused, try {index})")
            }
            Msg::Propose { value } => write!(f, "propose({value})"),
        }
    }
}

/// A message with its sender and receiver: what the network carries.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Envelope {
    /// The sender.
    pub from: NodeId,
    /// The receiver.
    pub to: NodeId,
    /// The message.
    pub msg: Msg,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_the_event_log_prints_them() {
        let t = Term;
        let prev = Some(EntryId { term: t(1), slot: Slot(0) });
        let entries = vec![Entry { term: t(2), value: Value::Noop }];
        let ae = Msg::AppendEntries { term: t(2), prev, entries, commit: Slot(1) };
        assert_eq!(ae.to_string(), "append_entries(t2, after [0] t1, [1] t2 no-op, commit ..1)");
        assert_eq!(Msg::RequestVote { term: t(3), last: None }.to_string(), "request_vote(t3, empty log)");
        let reply = Msg::AppendReply { term: t(2), success: false, index: Slot(1) };
        assert_eq!(reply.to_string(), "append_reply(t2, refused, try 1)");
        assert_eq!(MsgKind::ALL.map(|k| k.name())[2], "append_entries");
        assert_eq!(ae.kind(), MsgKind::AppendEntries);
    }
}
