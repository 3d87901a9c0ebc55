//! How the page draws and remembers Paxos.

use litemap::LiteMap;
use paxos_core::{AbandonReason, Ballot, Msg, MsgKind, NodeEvent, NodeId, NodeSet, Slot, Value};
use paxos_sim::checker::Rule;
use paxos_sim::describe::{describe_node_event, passed_over_the_highest};
use paxos_sim::{Paxos, Violation};

use super::Look;
use crate::input::Settings;

/// How many proposals keep their fate.
pub const PROPOSALS: usize = 16;

/// What happened to one ballot, from the nodes' decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BallotStory {
    /// Acceptors that promised it.
    pub promised: NodeSet,
    /// Acceptors that refused it.
    pub rejected: NodeSet,
    /// Whether a phase-1 quorum promised it.
    pub elected: bool,
    /// Acceptors that accepted a value in it, per slot.
    pub accepted: LiteMap<Slot, NodeSet>,
    /// What its proposer sent to phase 2, per slot: its `Adopted` event (the value, the ballot it adopted it from
    /// and what it passed over).
    pub adopted: LiteMap<Slot, NodeEvent>,
    /// Slots a phase-2 quorum accepted in it, as its proposer counted.
    pub committed: Vec<Slot>,
    /// Acceptances in it by acceptors that had promised a higher ballot, per slot: the acceptor and its promise.
    /// Only the break-promise bug accepts below a promise (the checker reports each one).
    pub broke_promise: LiteMap<Slot, Vec<(NodeId, Ballot)>>,
}

impl BallotStory {
    /// The proposer's choice of value for `slot` in the log's words, e.g. "proposes [0] v, adopted from the highest
    /// accepted ballot 1.0".
    pub fn explain(&self, slot: Slot) -> Option<String> {
        self.adopted.get(&slot).map(describe_node_event)
    }

    /// Whether its proposer passed over the highest-ballot value its promises reported in some slot: a bug's doing.
    pub fn passed_over_the_highest(&self) -> bool {
        self.adopted.values().any(passed_over_the_highest)
    }
}

/// The ballot and reason of a proposer's `Abandoned` event.
pub type Abandoned = (Ballot, AbandonReason);

/// What the page remembers of a Paxos run's decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaxosNotes {
    /// Every ballot's story.
    pub ballots: LiteMap<Ballot, BallotStory>,
    /// The first [`PROPOSALS`] values proposed by a person (not a client's transactions), each with its node and
    /// the ballot and reason of that node's latest `Abandoned` event since: a duel's loser keeps its fate.
    pub proposals: Vec<(Value, NodeId, Option<Abandoned>)>,
}

impl Look for Paxos {
    type Bugs = paxos_core::Bugs;

    fn has_bug(bugs: paxos_core::Bugs, bug: paxos_core::Bug) -> bool {
        bugs.has(bug)
    }

    fn set_bug(bugs: paxos_core::Bugs, bug: paxos_core::Bug, on: bool) -> paxos_core::Bugs {
        bugs.set(bug, on)
    }

    fn bugs_of(c: &paxos_core::Config) -> paxos_core::Bugs {
        c.bugs
    }

    fn sim_config(s: &Settings) -> Result<paxos_sim::SimConfig, String> {
        s.paxos_config()
    }

    fn settings_of(seed: u64, c: &paxos_sim::SimConfig) -> Settings {
        Settings::paxos_of(seed, c)
    }

    fn keeps_a_log(s: &Settings) -> bool {
        s.mode == paxos_core::Mode::Multi
    }

    /// A single-decree proposer's timer is armed only while it has a ballot to retry or abandon; a Multi-Paxos
    /// proposer always has work (a follower's election timeout, a leader's heartbeats).
    fn quiet(n: &paxos_sim::snapshot::NodeView, s: &Settings) -> bool {
        n.timer == 0 && !(Self::keeps_a_log(s) && n.roles.proposer)
    }

    fn fresh(n: &paxos_sim::snapshot::NodeView) -> bool {
        n.ballot.is_none() && n.accepted.is_empty()
    }

    const ROUND: &'static str = "ballot";
    const PROTOCOL: &'static str = "Paxos";
    const IS_FOR: &'static str = "Paxos gets a cluster to agree on one value despite crashes and lost messages.";
    const RECAP: &'static str = "a value is chosen once a majority of acceptors accept it; promises stop older \
        ballots; a proposer adopts the highest accepted value its promises report; any two majorities overlap, so a \
        crashed minority or a cut minority cannot stop or split the decision; and acceptors must remember their \
        promises across restarts.";

    const PAXOS_KNOBS: bool = true;
    const PROPOSE_HINT: &'static str =
        "Several proposals may be in flight at once: propose at two nodes to watch them duel.";
    const TXN_WORDS: &'static str = "learners hand out IDs in log order.";
    const MEMBERSHIP: Option<&'static str> = Some(
        "A configuration (its acceptors) is a value chosen in the log, in force 3 slots after its own: the leader \
         proposes no further ahead, so every slot's quorums are known before it is proposed.",
    );

    fn bug_explanation(b: paxos_core::Bug) -> &'static str {
        use paxos_core::Bug;
        match b {
            Bug::Amnesia => "a restarted acceptor forgets its promise and accepted values",
            Bug::IgnoreAccepted => "a proposer ignores accepted values reported in promises",
            Bug::MinorityQuorum => "quorums of ⌊n/2⌋ acceptors, so two quorums may not overlap",
            Bug::BreakPromise => "an acceptor accepts a ballot below the one it promised",
            Bug::AdoptLowest => "a proposer adopts the lowest-ballot accepted value reported, not the highest",
            Bug::ReconfigureEarly => "a leader counts quorums of a configuration before it is in force",
        }
    }

    fn what_if_words(b: paxos_core::Bug) -> &'static str {
        use paxos_core::Bug;
        match b {
            Bug::Amnesia => "acceptors forget on restart",
            Bug::IgnoreAccepted => "proposers ignore accepted values",
            Bug::MinorityQuorum => "quorums are a minority",
            Bug::BreakPromise => "acceptors break promises",
            Bug::AdoptLowest => "proposers adopt the lowest ballot",
            Bug::ReconfigureEarly => "leaders reconfigure early",
        }
    }
    type Kind = MsgKind;
    const KINDS: &'static [MsgKind] = &MsgKind::ALL;
    type Notes = PaxosNotes;

    fn kind_of(m: &Msg) -> MsgKind {
        m.kind()
    }

    fn style(k: MsgKind) -> crate::geometry::KindStyle {
        crate::geometry::kind_style(k)
    }

    fn kind_name(k: MsgKind) -> &'static str {
        k.name()
    }

    /// An accept's, an accepted's, a decided's and a forwarded proposal's value, and the value a promise reports as
    /// accepted (when it reports one value: a Multi-Paxos promise reporting different values in several slots has
    /// no one colour). Prepares, rejections, heartbeats and catch-up requests carry none.
    fn carried_value(msg: &Msg) -> Option<&Value> {
        match msg {
            Msg::Accept { value, .. }
            | Msg::Accepted { value, .. }
            | Msg::Decided { value, .. }
            | Msg::Propose { value } => Some(value),
            Msg::Promise { accepted, .. } => {
                let first = &accepted.first()?.value;
                accepted.iter().all(|p| p.value == *first).then_some(first)
            }
            Msg::Prepare { .. } | Msg::Reject { .. } | Msg::Heartbeat { .. } | Msg::CatchUp { .. } => None,
        }
    }

    fn allocated(e: &NodeEvent) -> Option<(Slot, u64)> {
        match e {
            NodeEvent::Allocated { slot, id, .. } => Some((*slot, *id)),
            _ => None,
        }
    }

    fn note(n: &mut PaxosNotes, node: NodeId, event: &NodeEvent, _: u64) {
        match event {
            NodeEvent::Promised { ballot, .. } => {
                n.ballots.entry(*ballot).or_default().promised.insert(node);
            }
            NodeEvent::Rejected { ballot, .. } => {
                n.ballots.entry(*ballot).or_default().rejected.insert(node);
            }
            NodeEvent::Accepted { slot, ballot, .. } => {
                n.ballots.entry(*ballot).or_default().accepted.entry(*slot).or_default().insert(node);
            }
            NodeEvent::Elected { ballot } => n.ballots.entry(*ballot).or_default().elected = true,
            NodeEvent::Adopted { slot, ballot, .. } => {
                n.ballots.entry(*ballot).or_default().adopted.insert(*slot, event.clone());
            }
            NodeEvent::Committed { slot, ballot, .. } => n.ballots.entry(*ballot).or_default().committed.push(*slot),
            NodeEvent::Preparing { ballot } => {
                n.ballots.entry(*ballot).or_default();
            }
            NodeEvent::Abandoned { ballot, reason } => {
                for p in n.proposals.iter_mut().filter(|p| p.1 == node) {
                    p.2 = Some((*ballot, *reason));
                }
            }
            NodeEvent::Allocated { .. } | NodeEvent::Learned { .. } => {}
        }
    }

    fn note_command(n: &mut PaxosNotes, c: &paxos_sim::Command) {
        if let (paxos_sim::Command::Propose { node, value: v @ Value::Text(_) }, true) =
            (c, n.proposals.len() < PROPOSALS)
        {
            n.proposals.push((v.clone(), *node, None));
        }
    }

    fn note_violation(n: &mut PaxosNotes, v: &Violation) -> Option<(Slot, Ballot)> {
        if let (Rule::AcceptedBelowPromise, Some(slot), [node], [promised, ballot]) =
            (v.rule, v.slot, v.nodes.as_slice(), v.ballots.as_slice())
        {
            let story = n.ballots.entry(*ballot).or_default();
            story.broke_promise.entry(slot).or_default().push((*node, *promised));
        }
        match (v.rule, v.slot, v.ballots.last()) {
            (Rule::Agreement, Some(slot), Some(b)) => Some((slot, *b)),
            _ => None,
        }
    }
}
