//! The stateright adapter over raft-core's [`Node`], for `tests/stateright_raft.rs` (the cross-check), which
//! includes it with `#[path]`, as `tests/support/stateright_model.rs` is Paxos's: stateright's `Id(i)` is our
//! `NodeId(i)`, a delivery is [`Node::step`], the outbox becomes sends, an election timeout is [`Node::campaign`]
//! and a crash is [`Node::restart`], so the adapter cannot keep or lose more than the simulator does.
//!
//! The properties are stateright's, judged from a ghost record the adapter keeps of each node's own outputs (its
//! `Elected` and `Committed` events), not by our checker.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use paxos_core::{NodeId, Slot, Value};
use raft_core::{Cluster, Entry, Msg, Node, NodeEvent, Term};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use stateright::actor::{model_timeout, Actor, ActorModel, ActorModelState, Id, LossyNetwork, Network, Out};
use stateright::Expectation;

/// One Raft node, seen by stateright as an actor. Every actor of a model shares the same cluster.
#[derive(Clone)]
pub struct RaftActor {
    pub cluster: Arc<Cluster>,
    /// How many times this node's election timer may fire: each firing is a new term, so this bounds the terms and
    /// keeps the state space finite.
    pub campaigns: u8,
    /// Whether each node may crash and restart once.
    pub restarts: bool,
    /// Nodes this node's messages never reach (a cut link): stateright's network is lossless, so a link that
    /// loses everything is modelled here, by not sending.
    pub cut: Vec<NodeId>,
}

/// The actor's timers. Time never passes in the model (no `tick`, so no heartbeat and no random timeout): each
/// timer is a moment stateright may pick, in any order with every delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// "The election timer fired": [`Node::campaign`]. Armed at the start and again after each firing while the
    /// node has campaigns left. A leader's election timer does not run, so at a leader it is a no-op that stays
    /// armed (stateright skips it) until the node steps down.
    Campaign,
    /// "Crash now and restart": armed once per node when restarts are modelled, as in the Paxos adapter. A timer
    /// rather than stateright's `Crash`/`Recover`, because messages to a crashed actor wait in stateright's
    /// network until it recovers, so a crash then a recovery is one restart at the moment of recovery; one step
    /// keeps the space smaller. [`Node::restart`] decides what survives: `Durable` (term, vote, log), or, under
    /// `forget-vote`, all of it but the vote.
    Restart,
}

/// The actor's state: the node, its campaign budget, and the ghost record of what it did.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeState {
    pub node: Node,
    /// Election timeouts left (see [`RaftActor::campaigns`]).
    pub campaigns_left: u8,
    /// Every term this node was elected to lead (its `Elected` events), kept across restarts.
    pub led: BTreeSet<Term>,
    /// Every entry this node committed, with its slot (its `Committed` events), kept across restarts: a restarted
    /// node forgets its commit index and commits again, but what it committed was committed. Entries, so that a
    /// counterexample shows their terms; the property compares their values (see `tests/stateright_raft.rs`).
    pub committed: BTreeSet<(Slot, Entry)>,
}

/// The value `node`'s client proposes at the start.
pub fn client_value(node: NodeId) -> Value {
    Value::text(&format!("v{node}"))
}

/// Our id for a stateright id. Both are the node's index in the configuration.
fn node_id(id: Id) -> NodeId {
    let index = usize::from(id);
    NodeId(u8::try_from(index).unwrap_or_else(|_| panic!("actor index {index} does not fit a NodeId")))
}

impl NodeState {
    /// Hands the node's outputs to stateright: its messages become sends, and its events feed the ghost record
    /// (the properties read nothing else of them).
    fn flush(&mut self, o: &mut Out<RaftActor>, cut: &[NodeId]) {
        for env in self.node.drain_outbox() {
            if !cut.contains(&env.to) {
                o.send(Id::from(env.to.index()), env.msg);
            }
        }
        for event in self.node.drain_events() {
            match event {
                NodeEvent::Elected { term, .. } => {
                    self.led.insert(term);
                }
                NodeEvent::Committed { slot, term, value } => {
                    self.committed.insert((slot, Entry { term, value }));
                }
                _ => {}
            }
        }
    }
}

impl Actor for RaftActor {
    type Msg = Msg;
    type State = NodeState;
    type Timer = Timer;
    // The core's only randomness is the election timeout it draws when it resets its timer, which the model never
    // runs down (no `tick`): a fixed seed per call, so a step depends on the state alone.
    type Random = ();
    // Restarts are the `Restart` timer, which keeps the node's durable state inside the node itself.
    type Storage = ();

    fn on_start(&self, id: Id, _storage: &Option<Self::Storage>, o: &mut Out<Self>) -> Self::State {
        let id = node_id(id);
        let mut node = Node::new(id, self.cluster.clone());
        // Every node's client asks for one value, `v<node>`. No leader is known yet, so the node keeps it; the core
        // forwards it to the first leader the node hears from, or appends it if the node is elected itself.
        node.propose(client_value(id)).unwrap_or_else(|e| panic!("a fresh node must take a client value: {e}"));
        if self.campaigns > 0 {
            o.set_timer(Timer::Campaign, model_timeout());
        }
        if self.restarts {
            o.set_timer(Timer::Restart, model_timeout());
        }
        let mut state =
            NodeState { node, campaigns_left: self.campaigns, led: BTreeSet::new(), committed: BTreeSet::new() };
        state.flush(o, &self.cut);
        state
    }

    fn on_msg(&self, id: Id, state: &mut Cow<Self::State>, src: Id, msg: Self::Msg, o: &mut Out<Self>) {
        let mut rng = Pcg64Mcg::seed_from_u64(0);
        let mut next = (**state).clone();
        next.node.step(node_id(src), msg, &mut rng);
        let mut out = Out::new();
        next.flush(&mut out, &self.cut);
        // A delivery that changes nothing (a stale reply, a vote to a leader) is left as a no-op, so that stateright
        // skips it instead of counting a new state that differs only by the consumed message.
        if out.is_empty() && next == **state {
            return;
        }
        debug_assert_eq!(next.node.id(), node_id(id), "a node must keep its id");
        o.append(&mut out);
        *state = Cow::Owned(next);
    }

    fn on_timeout(&self, _id: Id, state: &mut Cow<Self::State>, timer: &Self::Timer, o: &mut Out<Self>) {
        let mut next = (**state).clone();
        match timer {
            Timer::Campaign => {
                if next.node.is_leader() {
                    // Re-arming the same timer, with the state unchanged, is a no-op that stateright skips.
                    o.set_timer(Timer::Campaign, model_timeout());
                    return;
                }
                next.node.campaign(&mut Pcg64Mcg::seed_from_u64(0));
                next.campaigns_left -= 1;
                if next.campaigns_left > 0 {
                    o.set_timer(Timer::Campaign, model_timeout());
                }
            }
            Timer::Restart => {
                next.node.restart();
                if next == **state {
                    // Nothing would be lost yet (a fresh follower): keep the one restart for a moment that matters.
                    o.set_timer(Timer::Restart, model_timeout());
                    return;
                }
            }
        }
        next.flush(o, &self.cut);
        *state = Cow::Owned(next);
    }
}

/// Every (slot, entry) committed by any node so far, with repeats.
pub fn committed(state: &ActorModelState<RaftActor>) -> impl Iterator<Item = &(Slot, Entry)> {
    state.actor_states.iter().flat_map(|s| s.committed.iter())
}

/// The first slot at which two different values were committed, with the two entries.
pub fn conflicting_commit(state: &ActorModelState<RaftActor>) -> Option<(Slot, Entry, Entry)> {
    let all: BTreeSet<&(Slot, Entry)> = committed(state).collect();
    // Sorted by slot, so two entries of one slot are neighbours.
    let all: Vec<_> = all.into_iter().collect();
    all.windows(2)
        .find(|w| w[0].0 == w[1].0 && w[0].1.value != w[1].1.value)
        .map(|w| (w[0].0, w[0].1.clone(), w[1].1.clone()))
}

/// A term that two nodes were elected to lead, with the two nodes.
pub fn two_leaders(state: &ActorModelState<RaftActor>) -> Option<(Term, NodeId, NodeId)> {
    let states = &state.actor_states;
    for (i, a) in states.iter().enumerate() {
        for (j, b) in states.iter().enumerate().skip(i + 1) {
            if let Some(term) = a.led.intersection(&b.led).next() {
                return Some((*term, NodeId(i as u8), NodeId(j as u8)));
            }
        }
    }
    None
}

/// `cluster` as a stateright model over an unordered, lossless, non-duplicating network: node `i` may campaign
/// `campaigns[i]` times, each node may restart once with `restarts`, and the two nodes of `cut` never hear each
/// other. Its properties are "state machine safety" and "election safety" (always) and "value committed"
/// (sometimes: a client's value, not only a no-op).
pub fn actor_model(
    cluster: &Arc<Cluster>,
    campaigns: &[u8],
    restarts: bool,
    cut: Option<(NodeId, NodeId)>,
) -> ActorModel<RaftActor> {
    assert_eq!(campaigns.len(), cluster.len(), "one campaign budget per node");
    ActorModel::new((), ())
        .actors(cluster.nodes().zip(campaigns).map(|(id, &campaigns)| {
            let cut = match cut {
                Some((a, b)) if a == id => vec![b],
                Some((a, b)) if b == id => vec![a],
                _ => vec![],
            };
            RaftActor { cluster: cluster.clone(), campaigns, restarts, cut }
        }))
        .init_network(Network::new_unordered_nonduplicating([]))
        .lossy_network(LossyNetwork::No)
        .property(Expectation::Always, "state machine safety", |_, state| conflicting_commit(state).is_none())
        .property(Expectation::Always, "election safety", |_, state| two_leaders(state).is_none())
        .property(Expectation::Sometimes, "value committed", |_, state| {
            committed(state).any(|(_, e)| e.value != Value::Noop)
        })
}
