//! # The deterministic Paxos simulator
//!
//! [`Simulator`] runs a cluster of [`paxos_core::Node`]s over a simulated network with one seeded RNG, logical
//! time and an event queue, so a run is `(seed, config, commands)` and replays bit for bit. Faults are named
//! commands with an undo ([`Command`]): `partition`/`heal`, `cut`/`heal A B` (one way too), `crash`/`restart`, and
//! `drop`, `duplicate`, `delay`, `deliver` of one in-flight message. After every step the incremental
//! [`Checker`] checks the rules of Paxos at the event that breaks each (acceptors' promises, phase 1 only with a
//! quorum of promises, the highest reported value adopted, commits and learned values only once a quorum accepted),
//! agreement, validity and the transaction-ID workload, judged by the configuration's own quorums, and the run can
//! stop at the first [`Violation`].
//!
//! Around it: [`trace`] writes runs as versioned JSON and replays them, [`fuzz`] turns seeds into random fault
//! schedules, [`explore`] searches every interleaving of a small cluster exhaustively, [`tape`] counts a run in moments
//! so it can be rewound and forked, and [`link`] packs a run into a shareable URL fragment.
#![deny(missing_docs)]

pub mod bench;
pub mod checker;
pub mod command;
pub mod compiled;
pub mod describe;
pub mod event;
pub mod exercise;
pub mod explore;
pub mod fuzz;
pub mod goal;
pub mod limits;
pub mod link;
pub mod meter;
pub mod protocol;
pub mod scenario;
pub mod script;
pub mod settings;
pub mod sim;
pub mod snapshot;
pub mod tape;
pub mod trace;

pub use checker::{Checker, Chosen, Rule, Violation};
pub use command::{Command, Faults, MsgId};
pub use event::{DropReason, Event, EventKind};
pub use link::{Link, LinkError, LINK_VERSION};
pub use protocol::{Judge, Paxos, Protocol, Raft, RuleSet};
pub use sim::{InFlight, SimConfig, SimError, Simulator, MAX_VALUE_LEN};
pub use snapshot::Snapshot;
pub use tape::{ReplayError, Tape};
pub use trace::{Trace, TraceError, TRACE_FORMAT, TRACE_VERSION, TRACE_VERSION_OLDEST};
