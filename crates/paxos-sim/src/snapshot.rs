//! A read-only picture of the simulation for the UI: plain data, serializable, rebuilt on demand. What every
//! protocol shares (a node is up, leads, has a timer; messages in flight, decisions, violations, cuts) is here; what
//! only one protocol draws is its [`Protocol::View`], a node's `detail` (Paxos: `protocol/paxos/view.rs`, Raft:
//! `protocol/raft/view.rs`). A node's view dereferences to its detail, so `n.promised` reads a Paxos node's promise.

use std::ops::Deref;

use paxos_core::{NodeId, Slot};
use serde::Serialize;

use crate::checker::{Chosen, Violation};
use crate::protocol::{Paxos, Protocol};
use crate::sim::{InFlight, Simulator};

pub use crate::protocol::paxos::view::{PaxosView, ProposerPhase};
pub use crate::protocol::raft::view::{RaftRole, RaftView};

/// A node's standing in the membership.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// An acceptor of the configuration in force (and every node that is no acceptor).
    #[default]
    Member,
    /// Added: the configuration with it is asked for and not in force yet. It learns the log meanwhile.
    Joining,
    /// Not in the configuration in force, nor in the one asked for: it counts in no quorum.
    Retired,
}

/// One node as the UI draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(bound = "")]
pub struct NodeView<P: Protocol = Paxos> {
    /// Its id.
    pub id: NodeId,
    /// Up or crashed.
    pub up: bool,
    /// Whether it is up and believes it leads (Multi-Paxos and Raft) or runs phase 2 (single-decree).
    pub leader: bool,
    /// Its standing in the membership (Multi-Paxos and Raft change it; a single-decree node is always a member).
    pub standing: Standing,
    /// Ticks until its armed timer fires (a retry or election timeout, a backoff, a leader's heartbeat); 0 when
    /// none is armed.
    pub timer: u32,
    /// What only its protocol draws.
    #[serde(flatten)]
    pub detail: P::View,
}

impl<P: Protocol> Deref for NodeView<P> {
    type Target = P::View;
    fn deref(&self) -> &P::View {
        &self.detail
    }
}

/// The whole simulation at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(bound = "")]
pub struct Snapshot<P: Protocol = Paxos> {
    /// Logical time.
    pub time: u64,
    /// Steps run.
    pub step: u64,
    /// The nodes.
    pub nodes: Vec<NodeView<P>>,
    /// Messages in flight, by id.
    pub messages: Vec<InFlight<P>>,
    /// Decided values per slot, as the checker judges them (Paxos: a phase-2 quorum's accepts; Raft: a commit).
    pub chosen: Vec<(Slot, Chosen<P>)>,
    /// Values decided in a slot after a different one was (each broke agreement), in the order they were decided.
    pub also_chosen: Vec<(Slot, Chosen<P>)>,
    /// Violations found.
    pub violations: Vec<Violation<P>>,
    /// The current leader, if any.
    pub leader: Option<NodeId>,
    /// Directed links that are cut (by a partition or a cut): messages from `.0` to `.1` are dropped.
    pub cuts: Vec<(NodeId, NodeId)>,
}

impl<P: Protocol> Snapshot<P> {
    /// Takes a snapshot.
    pub fn of(sim: &Simulator<P>) -> Snapshot<P> {
        let nodes = sim
            .nodes()
            .iter()
            .map(|n| {
                let id = P::id(n);
                NodeView {
                    id,
                    up: sim.is_up(id),
                    // A crashed node leads nothing, whatever its frozen state says.
                    leader: sim.is_up(id) && P::leads(n),
                    timer: P::timer(n),
                    standing: P::standing(sim, id),
                    detail: P::view(n),
                }
            })
            .collect();
        Snapshot {
            time: sim.time(),
            step: sim.steps(),
            nodes,
            messages: sim.in_flight().cloned().collect(),
            chosen: sim.chosen().iter().map(|(s, c)| (s, c.clone())).collect(),
            also_chosen: sim.also_chosen().to_vec(),
            violations: sim.violations().to_vec(),
            leader: sim.leader(),
            cuts: Snapshot::cuts_of(sim),
        }
    }

    /// The directed links that are cut, in order.
    pub fn cuts_of(sim: &Simulator<P>) -> Vec<(NodeId, NodeId)> {
        let ids: Vec<NodeId> = sim.nodes().iter().map(P::id).collect();
        let mut cuts = Vec::new();
        for &a in &ids {
            for &b in &ids {
                if a != b && sim.link_cut(a, b) {
                    cuts.push((a, b));
                }
            }
        }
        cuts
    }

    /// Whether messages from `from` to `to` are dropped by a cut.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cuts.contains(&(from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::Value;

    #[test]
    fn a_raft_snapshot_shows_roles_terms_and_logs() {
        use crate::protocol::raft::view::RaftRole;
        let mut sim = Simulator::new(1, crate::SimConfig::raft(3), false).unwrap();
        sim.apply(crate::Command::Step { count: 19 }).unwrap();
        let snap = Snapshot::of(&sim);
        assert_eq!(snap.nodes[0].role, RaftRole::Leader);
        assert!(snap.nodes[0].leader && snap.nodes.iter().all(|n| n.term == raft_core::Term(1)));
        assert_eq!(snap.nodes[1].log, vec![(raft_core::Term(1), Value::Noop)]);
        assert_eq!((snap.nodes[0].commit, snap.nodes[1].commit), (Slot(1), Slot(0)));
    }

    #[test]
    fn a_snapshot_shows_the_proposers_phase() {
        let mut sim = Simulator::new(1, crate::SimConfig::new(paxos_core::Mode::Single, 3), false).unwrap();
        assert!(Snapshot::of(&sim).nodes.iter().all(|n| n.phase == ProposerPhase::Idle));
        sim.apply(crate::Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        assert_eq!(Snapshot::of(&sim).nodes[0].phase, ProposerPhase::Preparing);
    }
}
