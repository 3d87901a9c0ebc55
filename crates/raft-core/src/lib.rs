//! # Raft as a pure state machine
//!
//! This crate is Raft (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm", 2014) and
//! nothing else: no I/O, no clock, no randomness of its own and no dependence on hash-map iteration order, in the
//! shape of `paxos-core`. A [`Node`] is driven by [`Node::step`] (a message arrived), [`Node::tick`] (a unit of
//! logical time passed), [`Node::campaign`] (its election timer fired now) and [`Node::propose`] (a client wants a
//! value committed); its outputs are data: messages in [`Node::drain_outbox`] and decisions in
//! [`Node::drain_events`]. Randomness (the election timeouts) comes from the caller. Node ids, slots, values and
//! the transaction-ID table are paxos-core's, so the two protocols describe the same cluster and the same log.
//!
//! ## The algorithm (Figure 2)
//!
//! * **Terms.** Time is divided into terms, each with at most one leader. Every message carries its sender's term;
//!   a node that sees a later term adopts it and becomes a follower; a message of an earlier term is refused.
//! * **Election.** A follower that hears from no leader for a random timeout becomes a candidate: a new term, a
//!   vote for itself, RequestVote to all. A node grants one vote per term, and only to a candidate whose log is at
//!   least as up-to-date as its own (a later last term, or the same last term and at least as long). A majority of
//!   votes makes the leader, which appends a no-op of its term.
//! * **Replication.** The leader appends client values and sends each follower AppendEntries from its next index,
//!   after the entry before them; a follower that does not hold that entry refuses and the leader backs off; one
//!   that does deletes any conflicting entries and stores the rest.
//! * **Commitment.** The leader commits the highest entry of its own term that a majority holds, and everything
//!   before it; it never commits an earlier term's entry by counting (§5.4.2, Figure 8). Followers commit what the
//!   leader's commit index says, and every node applies committed entries in order to a [`TxnTable`], the seed's
//!   transaction-ID workload.
//!
//! * **Membership change** (Ongaro's dissertation, ch. 4, in `membership.rs`). A configuration is a log entry,
//!   [`Value::Config`], in force at a node as soon as it is in its log; the leader accepts one ([`Node::propose`])
//!   only if it adds or removes one server, no earlier one is uncommitted, and it has committed an entry of its own
//!   term ([`ProposeError`] says which rule refused it). Votes and replicas count in the configuration in force
//!   ([`Node::configuration`]); a node outside it never campaigns, a leader outside it steps down once it commits,
//!   and a candidate outside it is ignored by a node that hears from a leader.
//!
//! `currentTerm`, `votedFor` and the log are [`Durable`], stored before any reply; a restart keeps exactly them.
//! Each safety argument is written at the line that relies on it (`election.rs`, `replication.rs`, `membership.rs`),
//! and four of the rules can be switched off with a [`Bug`] to watch safety fail.
//!
//! ## Beside Paxos
//!
//! An election is Paxos's phase 1 for every slot at once, with the term as the ballot and a vote as the promise;
//! the up-to-date check replaces "adopt the highest accepted value" by electing only a candidate that already
//! holds it; AppendEntries is phase 2 for a run of slots. They differ where a node with a shorter log cannot win a
//! Raft election but can lead in Multi-Paxos and adopt what it lacks, where Raft repairs a follower's log and
//! Multi-Paxos fills a gap with a no-op, and where Raft must not count an old term's entry as committed.
#![deny(missing_docs)]

// Private modules: every item has one path, at the crate's root (below).
mod config;
mod election;
mod io;
mod membership;
mod msg;
mod node;
mod replication;
mod types;

pub use config::{majority, Bug, Bugs, Cluster, Config, ConfigError, ParseBugError};
pub use io::{NodeEvent, Refusal};
pub use msg::{Envelope, Msg, MsgKind};
pub use node::{Durable, Node, Progress, ProposeError, Role};
pub use types::{Entry, EntryId, Term};

/// The vocabulary shared with paxos-core, re-exported so a caller of this crate names one path.
pub use paxos_core::{NodeId, NodeSet, Slot, Timing, TxnTable, Value};

#[cfg(test)]
mod tests;
