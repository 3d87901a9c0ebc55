//! The simulator's commands. The same words name the UI's buttons, the reducer's actions, the CLI's verbs and the
//! transcript tests' verbs.

use std::fmt;

use paxos_core::{NodeId, Value};
use serde::{Deserialize, Serialize};

/// An in-flight message's id, unique within a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub u64);

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// Loss and duplication rates, in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Faults {
    /// Chance that a message is lost, 0–100.
    pub loss: f64,
    /// Chance that a message is delivered twice, 0–100.
    pub dup: f64,
}

/// One thing a person (or a schedule) does to the simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// Run `count` events (message deliveries and clock ticks).
    Step {
        /// How many.
        count: u64,
    },
    /// A client asks `node` to get `value` chosen.
    Propose {
        /// The node.
        node: NodeId,
        /// The value.
        value: Value,
    },
    /// The node stops: it loses all but its durable state, and messages to it are dropped.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// A crashed node comes back with its durable state.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// Advance one node's clock by one tick now (timeouts, heartbeats).
    Tick {
        /// The node.
        node: NodeId,
    },
    /// Split the cluster: messages between different groups are dropped. Nodes in no group form one more group.
    Partition {
        /// The groups.
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove every partition and cut.
    Heal,
    /// Cut the link between two nodes (only `from` → `to` when `one_way`).
    Cut {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Cut one direction only.
        #[serde(default)]
        one_way: bool,
    },
    /// Undo a cut (only `from` → `to` when `one_way`).
    Uncut {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Restore one direction only.
        #[serde(default)]
        one_way: bool,
    },
    /// Lose one in-flight message.
    Drop {
        /// The message.
        msg: MsgId,
    },
    /// Send a second copy of one in-flight message.
    Duplicate {
        /// The message.
        msg: MsgId,
    },
    /// Hold one in-flight message back for `by` more time units.
    Delay {
        /// The message.
        msg: MsgId,
        /// Time units.
        by: u64,
    },
    /// Deliver one in-flight message now, before anything else.
    Deliver {
        /// The message.
        msg: MsgId,
    },
    /// Change the network for every link without its own setting.
    Network {
        /// Latency range in time units, min and max.
        latency: (u64, u64),
        /// Loss and duplication.
        #[serde(flatten)]
        faults: Faults,
    },
    /// Give one directed link its own loss and duplication rates.
    Link {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Loss and duplication.
        #[serde(flatten)]
        faults: Faults,
    },
}

impl Command {
    /// The command's verb.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Step { .. } => "step",
            Command::Propose { .. } => "propose",
            Command::Crash { .. } => "crash",
            Command::Restart { .. } => "restart",
            Command::Tick { .. } => "tick",
            Command::Partition { .. } => "partition",
            Command::Heal => "heal",
            Command::Cut { .. } => "cut",
            Command::Uncut { .. } => "uncut",
            Command::Drop { .. } => "drop",
            Command::Duplicate { .. } => "duplicate",
            Command::Delay { .. } => "delay",
            Command::Deliver { .. } => "deliver",
            Command::Network { .. } => "network",
            Command::Link { .. } => "link",
        }
    }
}
