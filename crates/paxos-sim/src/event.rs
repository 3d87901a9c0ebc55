//! What happens in a run, in order: the [`Event`]s a [`Simulator`](crate::Simulator) logs, which a trace's `events`
//! and the UI's event log list.

use paxos_core::{NodeId, Slot};
use serde::{Deserialize, Serialize};

use crate::checker::{Chosen, Violation};
use crate::command::{Command, MsgId};
use crate::protocol::{Paxos, Protocol};

/// Why a message was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Random loss.
    Loss,
    /// A partition or cut between sender and receiver.
    Partition,
    /// The receiver is crashed.
    Crashed,
    /// A person dropped it.
    Manual,
}

impl DropReason {
    /// The reason as one word, as traces and the event log spell it.
    pub fn name(self) -> &'static str {
        match self {
            DropReason::Loss => "loss",
            DropReason::Partition => "partition",
            DropReason::Crashed => "crashed",
            DropReason::Manual => "manual",
        }
    }
}

/// Something that happened, in order. The trace's `events` and the UI's event log are lists of these.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Event<P: Protocol = Paxos> {
    /// The step during which it happened (commands between steps carry the last step's number).
    pub step: u64,
    /// Logical time.
    pub time: u64,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind<P>,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", bound = "")]
pub enum EventKind<P: Protocol = Paxos> {
    /// A message entered the network.
    Send {
        /// Its id.
        id: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The message.
        msg: P::Msg,
        /// When it is due.
        due: u64,
    },
    /// A message reached its receiver.
    Deliver {
        /// Its id.
        id: MsgId,
    },
    /// A message was not delivered.
    Drop {
        /// Its id.
        id: MsgId,
        /// Why.
        reason: DropReason,
    },
    /// A copy of message `id` entered the network as `copy`.
    Duplicate {
        /// The original.
        id: MsgId,
        /// The copy.
        copy: MsgId,
        /// When the copy is due.
        due: u64,
    },
    /// A message's arrival moved to `due`.
    Delay {
        /// Its id.
        id: MsgId,
        /// The new arrival time.
        due: u64,
    },
    /// Every live node's clock ticked.
    Tick,
    /// A node crashed.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// A node restarted; `forgot` when it lost its durable state (the amnesia bug).
    Restart {
        /// The node.
        node: NodeId,
        /// Whether the durable state was lost.
        forgot: bool,
    },
    /// A command other than step, crash and restart was applied.
    Command {
        /// The command.
        command: Command,
    },
    /// A node decided something: a promise, an acceptance, a rejection, an election, a learned value…
    Node {
        /// The node.
        node: NodeId,
        /// The decision.
        #[serde(flatten)]
        event: P::Event,
    },
    /// The checker saw a phase-2 quorum accept `value` in `slot`: it is chosen.
    Chosen {
        /// The slot.
        slot: Slot,
        /// The value and its quorum.
        #[serde(flatten)]
        chosen: Chosen<P>,
    },
    /// A safety rule broke.
    Violation {
        /// The report.
        violation: Violation<P>,
    },
}
