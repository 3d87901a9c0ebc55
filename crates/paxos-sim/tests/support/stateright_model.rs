//! The stateright adapter over our [`Node`], shared by `tests/stateright.rs` (the cross-check) and
//! `examples/explorer_vs_stateright.rs` (the benchmark), each of which includes it with `#[path]`: stateright's
//! `Id(i)` is our `NodeId(i)`, a delivery is [`Node::step`], the outbox becomes sends, and a crash is
//! [`Node::restart`], so the adapter cannot keep or lose more than the simulator and the explorer do.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use paxos_core::{Cluster, Msg, Node, NodeId, Slot, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use stateright::actor::{model_timeout, Actor, ActorModel, ActorModelState, Id, LossyNetwork, Network, Out};
use stateright::Expectation;

/// One of our nodes, seen by stateright as an actor. Every actor of a model shares the same cluster.
#[derive(Clone)]
pub struct PaxosActor {
    pub cluster: Arc<Cluster>,
    /// Whether each acceptor may crash and restart once.
    pub restarts: bool,
}

/// The actor's only timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Timer {
    /// "Crash now and restart": armed once for each acceptor when restarts are modelled, and fired at most once.
    ///
    /// A timer rather than stateright's own `Crash`/`Recover` actions: in stateright, messages to a crashed actor
    /// wait in the network until it recovers, so a crash followed later by a recovery behaves exactly like one
    /// restart at the moment of recovery. The single step keeps the state space small, and arming it once per
    /// acceptor bounds restarts per path the way the explorer's `crashes` option does. Only acceptors are given
    /// the timer, because theirs is the state that must survive; in the explorer's cluster every node is one, and
    /// a restart loses whatever else the node holds (a learner's log, a proposer's phase), as [`Node::restart`]
    /// decides.
    Restart,
}

/// The actor's state: the node, and a ghost record of what it learned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NodeState {
    pub node: Node,
    /// Every value this node's learner has learned in slot 0, kept across restarts. A learner forgets its log when
    /// it restarts, but a value it learned was still learned: agreement is about every value ever learned.
    pub learned: BTreeSet<Value>,
}

impl NodeState {
    /// Records what the learner now knows of slot 0.
    fn note_learned(&mut self) {
        if let Some(value) = self.node.learner().and_then(|l| l.log.get(&Slot(0))) {
            if !self.learned.contains(value) {
                self.learned.insert(value.clone());
            }
        }
    }
}

/// Our id for a stateright id. Both are the node's index in the configuration.
fn node_id(id: Id) -> NodeId {
    let index = usize::from(id);
    NodeId(u8::try_from(index).unwrap_or_else(|_| panic!("actor index {index} does not fit a NodeId")))
}

/// Hands the node's outputs to stateright: its messages become sends, and its events are dropped, because the
/// properties read the learners' logs (stateright judges the protocol by its own observation, not by our checker).
fn flush(node: &mut Node, o: &mut Out<PaxosActor>) {
    for env in node.drain_outbox() {
        o.send(Id::from(env.to.index()), env.msg);
    }
    node.drain_events().for_each(drop);
}

impl Actor for PaxosActor {
    type Msg = Msg;
    type State = NodeState;
    type Timer = Timer;
    // The core's only randomness, the backoff drawn after a rejection, comes from a fixed seed (and time never
    // passes here, so the backoff never expires): there is no random choice for stateright to branch on.
    type Random = ();
    // Restarts are the `Restart` timer, which keeps the node's durable state inside the node itself.
    type Storage = ();

    fn on_start(&self, id: Id, _storage: &Option<Self::Storage>, o: &mut Out<Self>) -> Self::State {
        let id = node_id(id);
        let roles = self.cluster.roles(id);
        let mut node = Node::new(id, self.cluster.clone());
        if roles.proposer {
            let value = Value::text(&format!("v{id}"));
            node.propose(value).unwrap_or_else(|e| panic!("a fresh proposer must accept a value: {e}"));
        }
        if self.restarts && roles.acceptor {
            o.set_timer(Timer::Restart, model_timeout());
        }
        flush(&mut node, o);
        NodeState { node, learned: BTreeSet::new() }
    }

    fn on_msg(&self, id: Id, state: &mut Cow<Self::State>, src: Id, msg: Self::Msg, o: &mut Out<Self>) {
        // A fresh generator per delivery, as in the explorer, so that a step depends on the state alone.
        let mut rng = Pcg64Mcg::seed_from_u64(0);
        let mut next = (**state).clone();
        next.node.step(node_id(src), msg, &mut rng);
        next.note_learned();
        let mut out = Out::new();
        flush(&mut next.node, &mut out);
        // A delivery that changes nothing is left as a no-op (the state stays borrowed and nothing is sent), so
        // that stateright skips it instead of counting a new state that differs only by the consumed message.
        if out.is_empty() && next == **state {
            return;
        }
        debug_assert_eq!(next.node.id(), node_id(id), "a node must keep its id");
        o.append(&mut out);
        *state = Cow::Owned(next);
    }

    fn on_timeout(&self, _id: Id, state: &mut Cow<Self::State>, timer: &Self::Timer, o: &mut Out<Self>) {
        match timer {
            Timer::Restart => {
                let mut next = (**state).clone();
                // The core decides what survives: the acceptor's durable state, or nothing under `amnesia`.
                next.node.restart();
                if next == **state {
                    // Nothing would be lost yet. Re-arming the same timer makes this a no-op that stateright
                    // skips, so the one restart stays available for a moment when it matters.
                    o.set_timer(Timer::Restart, model_timeout());
                    return;
                }
                *state = Cow::Owned(next);
            }
        }
    }
}

/// Every value learned in slot 0 by any learner so far, with repeats.
pub fn learned(state: &ActorModelState<PaxosActor>) -> impl Iterator<Item = &Value> {
    state.actor_states.iter().flat_map(|s| s.learned.iter())
}

/// `cluster` as a stateright model over `network` (lossless), with the properties "agreement" (always) and "value
/// chosen" (sometimes); with `restarts`, each acceptor may crash and restart once.
pub fn actor_model(cluster: &Arc<Cluster>, restarts: bool, network: Network<Msg>) -> ActorModel<PaxosActor> {
    ActorModel::new((), ())
        .actors(cluster.nodes().map(|_| PaxosActor { cluster: cluster.clone(), restarts }))
        .init_network(network)
        .lossy_network(LossyNetwork::No)
        .property(Expectation::Always, "agreement", |_, state| {
            let mut values = learned(state);
            match values.next() {
                Some(first) => values.all(|v| v == first),
                None => true,
            }
        })
        .property(Expectation::Sometimes, "value chosen", |_, state| learned(state).next().is_some())
}
