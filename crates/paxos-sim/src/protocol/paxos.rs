//! Paxos (single-decree and Multi-Paxos, `paxos-core`) behind the [`Protocol`] boundary: the only part of the
//! simulator that names `paxos_core`'s node, messages and events.

use std::sync::Arc;

use paxos_core::{Ballot, Bug, Cluster, Config, Envelope, Msg, Node, NodeEvent, NodeId, Value};
use rand_core::RngCore;

use crate::limits::MAX_TIMER;
use crate::protocol::Protocol;
use crate::sim::SimError;

pub mod canon;
pub mod judge;
pub mod view;
pub mod words;

/// Paxos, as `paxos-core` runs it: the default protocol of every generic type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Paxos;

const BUGS: [(Bug, &str); 5] = [
    (Bug::Amnesia, "amnesia"),
    (Bug::IgnoreAccepted, "ignore-accepted"),
    (Bug::MinorityQuorum, "minority-quorum"),
    (Bug::BreakPromise, "break-promise"),
    (Bug::AdoptLowest, "adopt-lowest"),
];

impl Protocol for Paxos {
    const NAME: &'static str = "paxos";
    type Config = Config;
    type Cluster = Cluster;
    type Node = Node;
    type Msg = Msg;
    type Envelope = Envelope;
    type Event = NodeEvent;
    type Bug = Bug;
    type Round = Ballot;
    type Judge = judge::PaxosJudge;

    fn size(c: &Config) -> usize {
        c.nodes.len()
    }

    fn validate(c: &Config) -> Result<Arc<Cluster>, SimError> {
        let t = &c.timing;
        for (what, v) in
            [("heartbeat", t.heartbeat), ("election", t.election.1), ("timeout", t.timeout), ("backoff", t.backoff.1)]
        {
            if v > MAX_TIMER {
                return Err(SimError::Timer { what, value: v });
            }
        }
        Ok(Arc::new(c.validate()?))
    }

    fn node(id: NodeId, c: &Arc<Cluster>) -> Node {
        Node::new(id, c.clone())
    }

    #[inline]
    fn id(n: &Node) -> NodeId {
        n.id()
    }

    #[inline]
    fn step(n: &mut Node, from: NodeId, m: Msg, rng: &mut impl RngCore) {
        n.step(from, m, rng)
    }

    #[inline]
    fn tick(n: &mut Node, rng: &mut impl RngCore) {
        n.tick(rng)
    }

    fn propose(n: &mut Node, v: Value) -> Result<(), SimError> {
        Ok(n.propose(v)?)
    }

    fn restart(n: &mut Node) -> bool {
        n.restart()
    }

    #[inline]
    fn outputs(n: &mut Node, out: &mut Vec<Envelope>, ev: &mut Vec<NodeEvent>) {
        n.swap_outputs(out, ev)
    }

    #[inline]
    fn parts(e: &Envelope) -> (NodeId, NodeId, &Msg) {
        (e.from, e.to, &e.msg)
    }

    #[inline]
    fn open(e: Envelope) -> (NodeId, NodeId, Msg) {
        (e.from, e.to, e.msg)
    }

    fn leader(n: &Node) -> Option<Ballot> {
        n.is_leader().then(|| n.proposer().map(|p| p.ballot)).flatten()
    }

    fn kind(m: &Msg) -> &'static str {
        m.kind().name()
    }

    fn words(e: &NodeEvent) -> String {
        words::describe_node_event(e)
    }

    fn bugs() -> &'static [(Bug, &'static str)] {
        &BUGS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bug_is_named_as_the_core_names_it() {
        assert_eq!(Paxos::bugs().iter().map(|b| b.0).collect::<Vec<_>>(), Bug::ALL);
        assert!(Paxos::bugs().iter().all(|(b, name)| b.name() == *name));
    }
}
