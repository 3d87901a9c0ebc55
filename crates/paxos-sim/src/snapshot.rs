//! A read-only picture of the simulation for the UI: plain data, serializable, rebuilt on demand.

use paxos_core::{Ballot, NodeId, PValue, Phase, Roles, Slot, Value};
use serde::Serialize;

use crate::checker::{Chosen, Violation};
use crate::sim::{InFlight, Simulator};

pub use crate::protocol::paxos::view::ProposerPhase;

/// One node as the UI draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeView {
    /// Its id.
    pub id: NodeId,
    /// Its roles.
    pub roles: Roles,
    /// Up or crashed.
    pub up: bool,
    /// Whether it is up and believes it leads (Multi-Paxos) or runs phase 2 (single-decree).
    pub leader: bool,
    /// The proposer's current ballot, if it has one.
    pub ballot: Option<Ballot>,
    /// The proposer's phase.
    pub phase: ProposerPhase,
    /// Acceptors that promised the proposer's ballot (phase 1 in progress).
    pub promises: Vec<NodeId>,
    /// The acceptor's promise.
    pub promised: Ballot,
    /// The acceptor's accepted proposals.
    pub accepted: Vec<PValue>,
    /// The learner's log.
    pub learned: Vec<(Slot, Value)>,
    /// Ticks until the proposer's armed timer fires (its retry timeout, its backoff, a follower's election timeout
    /// or a leader's heartbeat, by its phase); 0 when none is armed.
    pub timer: u32,
}

/// The whole simulation at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Logical time.
    pub time: u64,
    /// Steps run.
    pub step: u64,
    /// The nodes.
    pub nodes: Vec<NodeView>,
    /// Messages in flight, by id.
    pub messages: Vec<InFlight>,
    /// Chosen values per slot, computed from the acceptors' votes.
    pub chosen: Vec<(Slot, Chosen)>,
    /// Values chosen in a slot after a different one was (each broke agreement), in the order they were chosen.
    pub also_chosen: Vec<(Slot, Chosen)>,
    /// Violations found.
    pub violations: Vec<Violation>,
    /// The current leader, if any.
    pub leader: Option<NodeId>,
    /// Directed links that are cut (by a partition or a cut): messages from `.0` to `.1` are dropped.
    pub cuts: Vec<(NodeId, NodeId)>,
}

impl Snapshot {
    /// Takes a snapshot.
    pub fn of(sim: &Simulator) -> Snapshot {
        let nodes = sim
            .nodes()
            .iter()
            .map(|n| {
                let p = n.proposer();
                let (phase, promises) = match p.map(|p| &p.phase) {
                    Some(Phase::Preparing { promised, .. }) => (ProposerPhase::Preparing, promised.iter().collect()),
                    Some(Phase::Leading { .. }) => (ProposerPhase::Leading, vec![]),
                    Some(Phase::Idle) | None => (ProposerPhase::Idle, vec![]),
                };
                NodeView {
                    id: n.id(),
                    roles: n.roles(),
                    up: sim.is_up(n.id()),
                    // A crashed node leads nothing, whatever its frozen state says.
                    leader: sim.is_up(n.id()) && n.is_leader(),
                    ballot: p.map(|p| p.ballot).filter(|b| !b.is_zero()),
                    phase,
                    promises,
                    promised: n.durable().promised,
                    accepted: n
                        .durable()
                        .accepted
                        .iter()
                        .map(|(s, (b, v))| PValue { slot: s, ballot: *b, value: v.clone() })
                        .collect(),
                    learned: n
                        .learner()
                        .map(|l| l.log.iter().map(|(s, v)| (s, v.clone())).collect())
                        .unwrap_or_default(),
                    timer: p.map_or(0, |p| p.timer),
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
    pub fn cuts_of(sim: &Simulator) -> Vec<(NodeId, NodeId)> {
        let ids: Vec<NodeId> = sim.cluster().nodes().collect();
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

    #[test]
    fn a_snapshot_shows_the_proposers_phase() {
        let mut sim = Simulator::new(1, crate::SimConfig::new(paxos_core::Mode::Single, 3), false).unwrap();
        assert!(Snapshot::of(&sim).nodes.iter().all(|n| n.phase == ProposerPhase::Idle));
        sim.apply(crate::Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        assert_eq!(Snapshot::of(&sim).nodes[0].phase, ProposerPhase::Preparing);
    }
}
