//! The messages nodes exchange, and the envelope the network carries them in.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::types::{Ballot, NodeId, Slot, Value};

/// An accepted proposal as an acceptor reports it in a promise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PValue {
    /// The log slot.
    pub slot: Slot,
    /// The ballot in which the value was accepted.
    pub ballot: Ballot,
    /// The accepted value.
    pub value: Value,
}

/// A protocol message.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Msg {
    /// Phase 1a: "promise not to accept anything below `ballot`, and tell me what you accepted in slots `from..`".
    Prepare {
        /// The proposer's new ballot.
        ballot: Ballot,
        /// The first slot the proposer does not know to be chosen (0 in single-decree Paxos).
        from: Slot,
    },
    /// Phase 1b: the acceptor promised `ballot` and reports what it accepted in the requested slots.
    Promise {
        /// The ballot promised.
        ballot: Ballot,
        /// The acceptor's accepted proposals in slots `from..` of the prepare.
        accepted: Vec<PValue>,
    },
    /// Phase 2a: "accept `value` in `slot` at `ballot`".
    Accept {
        /// The proposer's ballot.
        ballot: Ballot,
        /// The slot.
        slot: Slot,
        /// The value: adopted from the promises, or the proposer's own.
        value: Value,
    },
    /// Phase 2b: the acceptor accepted `value` in `slot` at `ballot`. Sent to the proposer and to every learner.
    Accepted {
        /// The ballot.
        ballot: Ballot,
        /// The slot.
        slot: Slot,
        /// The value.
        value: Value,
    },
    /// The acceptor refused `ballot` because it promised the higher `promised`. A rejection is a message, not an
    /// error: it is how a proposer learns that it must retry higher.
    Reject {
        /// The refused ballot.
        ballot: Ballot,
        /// The acceptor's promise, which is higher.
        promised: Ballot,
    },
    /// A value known to be chosen, sent by the leader to a learner that asked to catch up.
    Decided {
        /// The slot.
        slot: Slot,
        /// The chosen value.
        value: Value,
    },
    /// Multi-Paxos: the leader of `ballot` is alive and knows slots `..chosen` to be chosen.
    Heartbeat {
        /// The leader's ballot.
        ballot: Ballot,
        /// The first slot the leader does not know to be chosen.
        chosen: Slot,
    },
    /// Multi-Paxos: a learner behind the leader asks for the chosen values from `from` on.
    CatchUp {
        /// The learner's first unlearned slot.
        from: Slot,
    },
    /// Multi-Paxos: a client value forwarded to the leader.
    Propose {
        /// The value.
        value: Value,
    },
}

/// The kind of a message, without its payload; the UI gives each kind a colour and a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgKind {
    /// [`Msg::Prepare`].
    Prepare,
    /// [`Msg::Promise`].
    Promise,
    /// [`Msg::Accept`].
    Accept,
    /// [`Msg::Accepted`].
    Accepted,
    /// [`Msg::Reject`].
    Reject,
    /// [`Msg::Decided`].
    Decided,
    /// [`Msg::Heartbeat`].
    Heartbeat,
    /// [`Msg::CatchUp`].
    CatchUp,
    /// [`Msg::Propose`].
    Propose,
}

impl MsgKind {
    /// Every kind, in protocol order.
    pub const ALL: [MsgKind; 9] = [
        MsgKind::Prepare,
        MsgKind::Promise,
        MsgKind::Accept,
        MsgKind::Accepted,
        MsgKind::Reject,
        MsgKind::Decided,
        MsgKind::Heartbeat,
        MsgKind::CatchUp,
        MsgKind::Propose,
    ];

    /// The kind's name as the CLI, the traces and the UI spell it.
    pub fn name(self) -> &'static str {
        match self {
            MsgKind::Prepare => "prepare",
            MsgKind::Promise => "promise",
            MsgKind::Accept => "accept",
            MsgKind::Accepted => "accepted",
            MsgKind::Reject => "reject",
            MsgKind::Decided => "decided",
            MsgKind::Heartbeat => "heartbeat",
            MsgKind::CatchUp => "catch_up",
            MsgKind::Propose => "propose",
        }
    }
}

impl Msg {
    /// The message's kind.
    pub fn kind(&self) -> MsgKind {
        match self {
            Msg::Prepare { .. } => MsgKind::Prepare,
            Msg::Promise { .. } => MsgKind::Promise,
            Msg::Accept { .. } => MsgKind::Accept,
            Msg::Accepted { .. } => MsgKind::Accepted,
            Msg::Reject { .. } => MsgKind::Reject,
            Msg::Decided { .. } => MsgKind::Decided,
            Msg::Heartbeat { .. } => MsgKind::Heartbeat,
            Msg::CatchUp { .. } => MsgKind::CatchUp,
            Msg::Propose { .. } => MsgKind::Propose,
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Prepare { ballot, from } => {
                if from.0 == 0 {
                    write!(f, "prepare({ballot})")
                } else {
                    write!(f, "prepare({ballot}, from {from})")
                }
            }
            Msg::Promise { ballot, accepted } => {
                write!(f, "promise({ballot}")?;
                for p in accepted {
                    write!(f, ", [{}] {}={}", p.slot, p.ballot, p.value)?;
                }
                write!(f, ")")
            }
            Msg::Accept { ballot, slot, value } => write!(f, "accept({ballot}, [{slot}] {value})"),
            Msg::Accepted { ballot, slot, value } => write!(f, "accepted({ballot}, [{slot}] {value})"),
            Msg::Reject { ballot, promised } => write!(f, "reject({ballot}, promised {promised})"),
            Msg::Decided { slot, value } => write!(f, "decided([{slot}] {value})"),
            Msg::Heartbeat { ballot, chosen } => write!(f, "heartbeat({ballot}, chosen ..{chosen})"),
            Msg::CatchUp { from } => write!(f, "catch_up(from {from})"),
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
