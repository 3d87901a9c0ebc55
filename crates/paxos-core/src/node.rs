//! A node: any subset of the three roles, driven by `step`, `tick` and `propose`, with outputs taken as data.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rand_core::RngCore;

use crate::acceptor::{self, Durable};
use crate::config::{Cluster, Roles};
use crate::io::{Io, NodeEvent};
use crate::learner::Learner;
use crate::msg::{Envelope, Msg};
use crate::proposer::{ProposeError, Proposer};
use crate::types::{NodeId, Value};

/// The shared, validated configuration. It takes no part in comparing or hashing node states: every node of a
/// run shares the same one, and the explorer deduplicates states by their protocol state alone.
#[derive(Clone, Debug)]
struct Shared(Arc<Cluster>);

impl PartialEq for Shared {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Shared {}
impl Hash for Shared {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// One Paxos node. It does no I/O and reads no clock: the caller delivers messages with [`Node::step`], advances
/// time with [`Node::tick`], passes in randomness, and takes the outputs with [`Node::drain_outbox`] and
/// [`Node::drain_events`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    id: NodeId,
    cluster: Shared,
    durable: Durable,
    proposer: Option<Proposer>,
    learner: Option<Learner>,
    outbox: Vec<Envelope>,
    events: Vec<NodeEvent>,
}

impl Node {
    /// A fresh node with the roles the cluster gives it.
    pub fn new(id: NodeId, cluster: Arc<Cluster>) -> Node {
        Node::recover(id, cluster, Durable::default())
    }

    fn recover(id: NodeId, cluster: Arc<Cluster>, durable: Durable) -> Node {
        let roles = cluster.roles(id);
        let proposer = roles.proposer.then(|| Proposer { max_round: durable.round, ..Proposer::default() });
        Node {
            id,
            durable,
            proposer,
            learner: roles.learner.then(Learner::default),
            outbox: Vec::new(),
            events: Vec::new(),
            cluster: Shared(cluster),
        }
    }

    /// Restarts after a crash: keeps [`Durable`] and nothing else. With the `amnesia` bug the durable state is lost
    /// too; the return value says whether it was.
    pub fn restart(&mut self) -> bool {
        let forget = self.cluster.0.config.bugs.amnesia && self.roles().acceptor;
        let mut durable = std::mem::take(&mut self.durable);
        if forget {
            durable = Durable { round: durable.round, ..Durable::default() };
        }
        *self = Node::recover(self.id, self.cluster.0.clone(), durable);
        forget
    }

    /// Hands the node the cluster grown by a node that joined (the simulator's `add-node`); nothing else changes.
    pub fn set_cluster(&mut self, cluster: Arc<Cluster>) {
        self.cluster = Shared(cluster);
    }

    fn io(&mut self) -> (Io<'_>, &mut Durable, Option<&mut Proposer>, Option<&mut Learner>) {
        let io = Io { id: self.id, cluster: &self.cluster.0, out: &mut self.outbox, events: &mut self.events };
        (io, &mut self.durable, self.proposer.as_mut(), self.learner.as_mut())
    }

    /// Asks this node to get `value` chosen. In Multi-Paxos a follower forwards it to the leader it knows, or
    /// starts an election when it knows none.
    pub fn propose(&mut self, value: Value) -> Result<(), ProposeError> {
        let id = self.id;
        let (mut io, _, proposer, _) = self.io();
        let result = proposer.ok_or(ProposeError::NotProposer(id))?.propose(&mut io, value);
        self.persist_round();
        result
    }

    /// Copies the proposer's highest round into the durable state, before the caller sends this call's messages.
    fn persist_round(&mut self) {
        if let Some(p) = &self.proposer {
            self.durable.round = self.durable.round.max(p.max_round);
        }
    }

    /// Delivers one message.
    pub fn step(&mut self, from: NodeId, msg: Msg, rng: &mut impl RngCore) {
        let (mut io, durable, mut proposer, learner) = self.io();
        let acceptor = io.cluster.roles(io.id).acceptor;
        match msg {
            Msg::Prepare { ballot, from: first } if acceptor => {
                acceptor::on_prepare(durable, &mut io, from, ballot, first)
            }
            Msg::Accept { ballot, slot, value } if acceptor => {
                acceptor::on_accept(durable, &mut io, from, ballot, slot, value)
            }
            Msg::Promise { ballot, accepted } => {
                if let Some(p) = proposer {
                    p.on_promise(&mut io, from, ballot, accepted);
                }
            }
            Msg::Accepted { ballot, slot, value } => {
                if let Some(p) = proposer.as_deref_mut() {
                    p.on_accepted(&mut io, from, ballot, slot);
                }
                if let Some(l) = learner {
                    if let Some(v) = l.on_accepted(&mut io, from, ballot, slot, value) {
                        if let Some(p) = proposer {
                            p.note_chosen(&mut io, slot, v);
                        }
                    }
                }
            }
            Msg::Reject { ballot, promised } => {
                if let Some(p) = proposer {
                    p.on_reject(&mut io, from, ballot, promised, rng);
                }
            }
            Msg::Decided { slot, value } => {
                if let Some(l) = learner {
                    if l.learn(&mut io, slot, value.clone()) {
                        if let Some(p) = proposer {
                            p.note_chosen(&mut io, slot, value);
                        }
                    }
                }
            }
            Msg::Heartbeat { ballot, chosen } => {
                if let Some(p) = proposer {
                    p.on_heartbeat(&mut io, ballot, rng);
                }
                if let Some(l) = learner {
                    if l.prefix < chosen {
                        io.send(ballot.node, Msg::CatchUp { from: l.prefix });
                    }
                }
            }
            Msg::CatchUp { from: first } => {
                if let Some(p) = proposer {
                    p.on_catch_up(&mut io, from, first);
                }
            }
            Msg::Propose { value } => {
                if let Some(p) = proposer {
                    p.on_forwarded(&mut io, value);
                }
            }
            // A prepare or accept sent to a node that is not an acceptor: nothing to do.
            Msg::Prepare { .. } | Msg::Accept { .. } => {}
        }
        self.persist_round();
    }

    /// Advances this node's clock by one tick: timeouts, backoff, elections and heartbeats.
    pub fn tick(&mut self, rng: &mut impl RngCore) {
        let (mut io, _, proposer, _) = self.io();
        if let Some(p) = proposer {
            p.tick(&mut io, rng);
        }
        self.persist_round();
    }

    /// Takes the messages to send, in the order they were produced.
    pub fn drain_outbox(&mut self) -> std::vec::Drain<'_, Envelope> {
        self.outbox.drain(..)
    }

    /// Takes the messages and decisions produced since the last call by swapping buffers: `out` and `events` must
    /// be empty and receive them; the node keeps the empty buffers (and their capacity). No copying on the hot path.
    pub fn swap_outputs(&mut self, out: &mut Vec<Envelope>, events: &mut Vec<NodeEvent>) {
        debug_assert!(out.is_empty() && events.is_empty(), "the buffers to swap in must be empty");
        std::mem::swap(&mut self.outbox, out);
        std::mem::swap(&mut self.events, events);
    }

    /// Takes the decisions made since the last call, in order.
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, NodeEvent> {
        self.events.drain(..)
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// This node's roles.
    pub fn roles(&self) -> Roles {
        self.cluster.0.roles(self.id)
    }

    /// The acceptor's durable state (default for a node that is not an acceptor).
    pub fn durable(&self) -> &Durable {
        &self.durable
    }

    /// The proposer's state, if the node is a proposer.
    pub fn proposer(&self) -> Option<&Proposer> {
        self.proposer.as_ref()
    }

    /// The learner's state, if the node is a learner.
    pub fn learner(&self) -> Option<&Learner> {
        self.learner.as_ref()
    }

    /// Whether this node believes it is the Multi-Paxos leader (or runs phase 2, in single-decree Paxos).
    pub fn is_leader(&self) -> bool {
        self.proposer.as_ref().is_some_and(Proposer::is_leading)
    }
}
