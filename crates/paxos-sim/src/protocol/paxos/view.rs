//! What the page draws of a Paxos node beyond what every protocol shares.

use paxos_core::{Ballot, Mode, Node, NodeId, PValue, Phase, Roles, Slot, Value};
use serde::Serialize;

/// A Paxos node as the UI draws it, beyond what every protocol shares ([`crate::snapshot::NodeView`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaxosView {
    /// Its roles.
    pub roles: Roles,
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
}

/// A Paxos node's view.
pub fn view(n: &Node) -> PaxosView {
    let p = n.proposer();
    let (phase, promises) = match p.map(|p| &p.phase) {
        Some(Phase::Preparing { promised, .. }) => (ProposerPhase::Preparing, promised.iter().collect()),
        Some(Phase::Leading { .. }) => (ProposerPhase::Leading, vec![]),
        Some(Phase::Idle) | None => (ProposerPhase::Idle, vec![]),
    };
    PaxosView {
        roles: n.roles(),
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
        learned: n.learner().map(|l| l.log.iter().map(|(s, v)| (s, v.clone())).collect()).unwrap_or_default(),
    }
}

/// A proposer's phase as the UI draws it: [`Phase`] without its phase-1 bookkeeping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposerPhase {
    /// Not running a ballot (or not a proposer). In Multi-Paxos: a follower.
    #[default]
    Idle,
    /// Phase 1: asking the acceptors for promises.
    Preparing,
    /// Phase 2: a phase-1 quorum promised the ballot. In Multi-Paxos: the leader.
    Leading,
}

impl ProposerPhase {
    /// The phase in the page's words (a node's accessible name, the selection panel).
    pub fn text(self, mode: Mode) -> &'static str {
        match (self, mode) {
            (ProposerPhase::Preparing, _) => "phase 1: asking for promises",
            (ProposerPhase::Leading, Mode::Multi) => "leader: phase 2 per value",
            (ProposerPhase::Leading, Mode::Single) => "phase 2: asking to accept",
            (ProposerPhase::Idle, _) => "idle",
        }
    }

    /// The phase in the page's words beside a node's ballot in the drawing; `None` when idle (the ballot alone).
    pub fn short(self, mode: Mode) -> Option<&'static str> {
        match (self, mode) {
            (ProposerPhase::Idle, _) => None,
            (ProposerPhase::Preparing, _) => Some("phase 1"),
            (ProposerPhase::Leading, Mode::Multi) => Some("leading"),
            (ProposerPhase::Leading, Mode::Single) => Some("phase 2"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposers_phase_reads_in_the_pages_words() {
        use ProposerPhase::{Idle, Leading, Preparing};
        assert_eq!(Preparing.text(Mode::Single), "phase 1: asking for promises");
        assert_eq!(Leading.text(Mode::Single), "phase 2: asking to accept");
        assert_eq!(Leading.text(Mode::Multi), "leader: phase 2 per value");
        assert_eq!(Idle.text(Mode::Multi), "idle");
        assert_eq!(Idle.short(Mode::Single), None);
        assert_eq!(Preparing.short(Mode::Multi), Some("phase 1"));
        assert_eq!(Leading.short(Mode::Single), Some("phase 2"));
        assert_eq!(Leading.short(Mode::Multi), Some("leading"));
    }
}
