//! # Paxos as a pure state machine
//!
//! This crate is the protocol and nothing else: no I/O, no clock, no global randomness and no dependence on
//! hash-map iteration order. A [`Node`] is driven by three inputs, [`Node::step`] (a message arrived),
//! [`Node::tick`] (a unit of logical time passed) and [`Node::propose`] (a client wants a value chosen), and its
//! outputs are data: messages in [`Node::drain_outbox`] and decisions in [`Node::drain_events`]. The simulator moves
//! the messages, the browser draws them, and the explorer enumerates every order in which they can arrive.
//!
//! ## The algorithm
//!
//! Proposers, acceptors and learners agree on one value per log slot despite crashes and an asynchronous network.
//!
//! * **Phase 1.** A proposer picks a ballot `b = (round, node)` higher than any it has seen and sends
//!   `prepare(b)`. An acceptor that has not promised a higher ballot promises `b` (it will refuse anything lower
//!   from now on) and replies with what it has already accepted; otherwise it replies `reject(b, promised)`.
//! * **Phase 2.** With promises from a phase-1 quorum, the proposer sends `accept(b, v)`, where `v` is the value of
//!   the highest-ballot accepted proposal among the promises, or its own value if there is none. An acceptor
//!   accepts unless it promised higher, and tells the proposer and every learner with `accepted(b, v)`.
//! * **Learning.** A value is chosen once a phase-2 quorum accepted it in one ballot; a learner learns it when it
//!   has counted that many `accepted(b, v)`.
//!
//! Safety needs every phase-1 quorum to intersect every phase-2 quorum (`q1 + q2 > n`, checked by
//! [`Config::validate`]), an acceptor to keep its promise and its accepted values across crashes ([`Durable`]),
//! and a proposer to adopt the highest-ballot accepted value; the argument is written out at the line that relies
//! on it, in `Proposer::lead`. Each of those rules can be switched off with a [`Bug`] to watch safety fail.
//!
//! **Multi-Paxos** ([`Mode::Multi`]) runs the same two phases over a log: a leader runs phase 1 once for every slot
//! it does not know to be chosen, recovers each slot that reports an accepted value, fills gaps with
//! [`Value::Noop`], and then runs only phase 2 per new value, sending heartbeats so that followers do not start an
//! election. Learners apply the log in order to a transaction-ID table ([`TxnTable`]): the seed's example
//! of servers agreeing on the next transaction ID.
#![deny(missing_docs)]

// Private modules: every item has one path, at the crate's root (below).
mod acceptor;
mod config;
mod io;
mod learner;
mod log;
mod msg;
mod node;
mod proposer;
mod quote;
mod types;

pub use acceptor::Durable;
pub use config::{Bug, Bugs, Cluster, Config, ConfigError, Mode, ParseBugError, ParseModeError, Roles, Timing};
pub use io::{AbandonReason, NodeEvent};
pub use learner::{Learner, TxnTable};
pub use log::Log;
pub use msg::{Envelope, Msg, MsgKind, PValue};
pub use node::Node;
pub use proposer::{Phase, Proposal, ProposeError, Proposer};
pub use quote::{quote, QUOTE_CHARS};
pub use types::{Ballot, Configs, NodeId, NodeSet, Slot, Value, ALPHA, MAX_NODES};

#[cfg(test)]
mod tests;
