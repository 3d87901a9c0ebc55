//! The safety checker: watches every decision as it happens and reports each broken rule at the event that breaks it.
//!
//! It is incremental: each node event (and each delivered message) updates a few maps and is checked against them,
//! so a run of a million steps costs a million small checks and never rescans history. The machinery here is shared
//! by every protocol; what a protocol's rules are, and what "chosen" means for it, is its [`Judge`]'s (for Paxos,
//! [`PaxosJudge`](crate::protocol::paxos::judge::PaxosJudge): a phase-2 quorum of acceptors accepted a value in one
//! ballot, judged by the configuration's own quorums).

use std::fmt::Debug;
use std::hash::Hash;

use paxos_core::{Log, NodeId, NodeSet, Slot, Value};
use serde::{Deserialize, Serialize};

pub use crate::protocol::paxos::judge::Rule;
use crate::protocol::{Judge, Paxos, Protocol, RuleOf};

/// A broken rule, with what is needed to see why.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Violation<P: Protocol = Paxos> {
    /// The simulator step at which it happened.
    pub step: u64,
    /// The rule.
    pub rule: RuleOf<P>,
    /// The slot concerned, if any.
    pub slot: Option<Slot>,
    /// The nodes concerned.
    pub nodes: Vec<NodeId>,
    /// The ballots (Raft: terms) concerned.
    pub ballots: Vec<P::Round>,
    /// The values concerned.
    pub values: Vec<Value>,
    /// One sentence for people.
    pub message: String,
}

/// A value chosen in a slot, as the checker computed it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Chosen<P: Protocol = Paxos> {
    /// The value.
    pub value: Value,
    /// The ballot (Raft: the term) in which a quorum accepted it first.
    pub ballot: P::Round,
    /// That quorum.
    pub quorum: NodeSet,
}

/// What one node event did: the value it made chosen in a slot, if any, and the rules it broke, in the order they
/// broke.
pub type Verdict<P = Paxos> = (Option<(Slot, Chosen<P>)>, Vec<Violation<P>>);

/// The checker's state: the protocol's judge. It is `Clone + Hash` so the explorer can carry it inside each explored
/// state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Checker<P: Protocol = Paxos> {
    pub(crate) judge: P::Judge,
}

impl<P: Protocol> Checker<P> {
    /// A checker for one cluster.
    pub fn new(cluster: &P::Cluster) -> Checker<P> {
        Checker { judge: P::Judge::new(cluster) }
    }

    /// The values chosen so far, per slot.
    pub fn chosen(&self) -> &Log<Chosen<P>> {
        self.judge.chosen()
    }

    /// The values chosen in a slot after a different one was: each broke agreement. With [`Checker::chosen`], every
    /// value chosen in every slot, each at the first ballot a quorum accepted it in.
    pub fn also_chosen(&self) -> &[(Slot, Chosen<P>)] {
        self.judge.also_chosen()
    }

    /// The checker as the explorer compares states: what no later check reads is left out (see
    /// [`Judge::explorer_key`]).
    pub(crate) fn explorer_key(&self) -> Checker<P> {
        Checker { judge: self.judge.explorer_key() }
    }

    /// Records a client proposal, for the validity rule.
    pub fn on_propose(&mut self, value: &Value) {
        self.judge.on_propose(value);
    }

    /// A message is about to be delivered to `to`. Call it before the receiver steps.
    pub fn on_deliver(&mut self, from: NodeId, to: NodeId, msg: &P::Msg) {
        self.judge.on_deliver(from, to, msg);
    }

    /// A node restarted, as `node` now is.
    pub fn on_restart(&mut self, step: u64, id: NodeId, node: &P::Node) -> Option<Violation<P>> {
        self.judge.on_restart(step, id, node)
    }

    /// A node joined the cluster.
    pub(crate) fn grow(&mut self) {
        self.judge.grow();
    }

    /// Checks one decision of `node`. Returns the value newly chosen by it, if any, and the violations, in the order
    /// they arose.
    pub fn on_event(&mut self, step: u64, node: NodeId, event: &P::Event) -> Verdict<P> {
        self.judge.on_event(step, node, event)
    }
}
