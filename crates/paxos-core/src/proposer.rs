//! The proposer: phase 1 to establish a ballot, phase 2 to get values accepted; in Multi-Paxos, the leader.

use std::collections::VecDeque;

use litemap::LiteMap;

use rand_core::RngCore;

use crate::config::Mode;
use crate::io::{AbandonReason, Io, NodeEvent};
use crate::log::Log;
use crate::msg::{Msg, PValue};
use crate::types::{Ballot, Configs, NodeId, NodeSet, Slot, Value, ALPHA};

/// Where the proposer is in the protocol.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Not running a ballot. In Multi-Paxos: a follower.
    #[default]
    Idle,
    /// Phase 1: collecting promises for the current ballot.
    Preparing {
        /// The acceptors that promised.
        promised: NodeSet,
        /// Per slot, the accepted proposal phase 2 will propose: the highest-ballot one reported so far (the
        /// adopt-lowest bug keeps the lowest, ignore-accepted none).
        adopted: LiteMap<Slot, (Ballot, Value)>,
        /// Per slot, what phase 2 may pass over, for its [`NodeEvent::Adopted`]: the highest-ballot accepted
        /// proposal reported so far and the highest with another value, highest first (at most two). Without a
        /// bug, the first is `adopted`'s; the second exists only when phase 1 heard of two earlier ballots.
        reported: LiteMap<Slot, Vec<(Ballot, Value)>>,
    },
    /// Phase 2: a phase-1 quorum promised the ballot. In Multi-Paxos: the leader.
    Leading {
        /// What phase 1 reported (as in `Preparing`), kept only where a later client value may still land on a
        /// reported slot: in Multi-Paxos with the ignore-accepted bug, whose leader proposes no reported slot and
        /// so hands them out later. Correct Paxos proposes every reported slot when phase 1 completes, so this is
        /// empty.
        reported: LiteMap<Slot, Vec<(Ballot, Value)>>,
        /// Multi-Paxos: the acceptors that promised before phase 1 completed. The leader proposes only in slots
        /// whose configuration they hold a phase-1 quorum of.
        promised: NodeSet,
        /// Multi-Paxos: slots phase 1 recovered that wait for their configuration to be known, with the value, the
        /// ballot it was adopted from and what was passed over.
        held: LiteMap<Slot, Held>,
    },
}

/// A recovered slot's value, the ballot it was adopted from and what it passed over.
type Held = (Value, Option<Ballot>, Option<(Ballot, Value)>);

/// A value in phase 2.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Proposal {
    /// The value sent in `accept`.
    pub value: Value,
    /// The acceptors that accepted it in the current ballot.
    pub accepted: NodeSet,
    /// Heartbeats since it was sent; Multi-Paxos re-sends an unanswered accept after two.
    pub age: u32,
}

/// A proposer's volatile state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Proposer {
    /// The current (or last) ballot.
    pub ballot: Ballot,
    /// The protocol phase of `ballot`.
    pub phase: Phase,
    /// The highest round seen in any ballot; the next ballot goes above it.
    pub max_round: u32,
    /// Ticks until the armed timer fires; 0 when disarmed.
    pub timer: u32,
    /// Client values waiting for a slot. In single-decree Paxos, the front is this proposer's own value.
    pub pending: VecDeque<Value>,
    /// Values in phase 2, by slot.
    pub proposals: LiteMap<Slot, Proposal>,
    /// The next free slot (Multi-Paxos leader).
    pub next_slot: Slot,
    /// Values this node knows to be chosen.
    pub chosen: Log<Value>,
    /// The first slot not known to be chosen.
    pub first_unchosen: Slot,
    /// Multi-Paxos: the ballot of the leader last heard from.
    pub leader: Option<Ballot>,
    /// The configurations known chosen.
    pub configs: Configs,
}

/// Why a proposal was refused. The state is unchanged when `propose` returns an error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProposeError {
    /// The node does not have the proposer role.
    #[error("node {0} is not a proposer")]
    NotProposer(NodeId),
    /// Single-decree Paxos: this proposer is still running a proposal.
    #[error("node {0} is already proposing a value; wait until it is chosen")]
    Busy(NodeId),
}

/// Per slot, what a phase 1 reported that phase 2 may pass over (see [`Phase::Preparing`]).
type Reported = LiteMap<Slot, Vec<(Ballot, Value)>>;

/// Adds an accepted proposal a promise reported to a slot's `seen`: the highest-ballot proposal and the highest
/// with another value, highest first. A value keeps its highest ballot; a third value is below both and is
/// dropped (should it come again at a higher ballot, it is added again).
fn note_reported(seen: &mut Vec<(Ballot, Value)>, ballot: Ballot, value: &Value) {
    match seen.iter().position(|(_, v)| v == value) {
        Some(i) if seen[i].0 >= ballot => return,
        Some(i) => {
            seen.remove(i);
        }
        None => {}
    }
    let at = seen.iter().position(|(b, _)| *b < ballot).unwrap_or(seen.len());
    seen.insert(at, (ballot, value.clone()));
    seen.truncate(2);
}

/// What proposing `value` in `slot`, adopted from ballot `from`, passes over: the highest-ballot accepted proposal
/// reported there if it was not adopted (only a bug does that), else the highest with another value (an older
/// ballot's value that the highest outranked).
fn passed_over(reported: &Reported, slot: Slot, from: Option<Ballot>, value: &Value) -> Option<(Ballot, Value)> {
    let seen = reported.get(&slot)?;
    let highest = seen.first()?;
    if from != Some(highest.0) {
        return Some(highest.clone());
    }
    seen.iter().find(|(b, v)| *b < highest.0 && v != value).cloned()
}

fn random_in(rng: &mut impl RngCore, (lo, hi): (u32, u32)) -> u32 {
    lo + rng.next_u32() % (hi - lo + 1)
}

impl Proposer {
    fn mode(io: &Io<'_>) -> Mode {
        io.cluster.config.mode
    }

    /// Whether this proposer is the Multi-Paxos leader (or, in single-decree Paxos, in phase 2).
    pub fn is_leading(&self) -> bool {
        matches!(self.phase, Phase::Leading { .. })
    }

    pub(crate) fn propose(&mut self, io: &mut Io<'_>, value: Value) -> Result<(), ProposeError> {
        match Self::mode(io) {
            Mode::Single => {
                if self.phase != Phase::Idle || !self.pending.is_empty() {
                    return Err(ProposeError::Busy(io.id));
                }
                self.pending.push_back(value);
                self.start_phase1(io);
            }
            Mode::Multi => match self.leader {
                _ if self.is_leading() => {
                    self.pending.push_back(value);
                    self.pump(io);
                }
                Some(leader) if leader.node != io.id => io.send(leader.node, Msg::Propose { value }),
                _ => {
                    self.pending.push_back(value);
                    if self.phase == Phase::Idle {
                        self.start_phase1(io);
                    }
                }
            },
        }
        Ok(())
    }

    /// A client value forwarded by another node. It is never forwarded again, so it cannot loop.
    pub(crate) fn on_forwarded(&mut self, io: &mut Io<'_>, value: Value) {
        self.pending.push_back(value);
        if Self::mode(io) == Mode::Multi {
            self.pump(io);
        }
    }

    /// The acceptors in force in `slot`, if this proposer knows them: it knows every slot up to `slot - ALPHA`
    /// chosen. The reconfigure-early bug takes at once the newest configuration proposed or chosen below `slot`.
    fn members_at(&self, io: &Io<'_>, slot: Slot) -> Option<NodeSet> {
        let initial = io.cluster.members;
        if io.cluster.config.bugs.reconfigure_early {
            let proposed = self.proposals.iter().filter_map(|(s, p)| match p.value {
                Value::Config(m) if *s < slot => Some((*s, m)),
                _ => None,
            });
            let chosen = self.configs.0.iter().copied().filter(|(s, _)| *s < slot);
            return Some(proposed.chain(chosen).max_by_key(|(s, _)| *s).map_or(initial, |(_, m)| m));
        }
        (slot.0 < self.first_unchosen.0 + ALPHA).then(|| self.configs.at(initial, slot))
    }

    /// Whether this node is an acceptor outside the configuration it knows in force: retired, or not yet joined.
    /// It starts no election.
    fn outside(&self, io: &Io<'_>) -> bool {
        io.cluster.roles(io.id).acceptor && self.members_at(io, self.first_unchosen).is_some_and(|m| !m.contains(io.id))
    }

    fn start_phase1(&mut self, io: &mut Io<'_>) {
        self.max_round += 1;
        self.ballot = Ballot { round: self.max_round, node: io.id };
        self.phase = Phase::Preparing { promised: NodeSet::EMPTY, adopted: LiteMap::new(), reported: LiteMap::new() };
        self.proposals.clear();
        self.timer = io.cluster.config.timing.timeout;
        io.emit(NodeEvent::Preparing { ballot: self.ballot });
        for &a in &io.cluster.acceptors {
            io.send(a, Msg::Prepare { ballot: self.ballot, from: self.recover_from(io) });
        }
    }

    /// The first slot whose accepted values phase 1 must collect. Single-decree Paxos always recovers slot 0, even
    /// when this node already knows it is chosen: a later proposer must still adopt the chosen value.
    fn recover_from(&self, io: &Io<'_>) -> Slot {
        match Self::mode(io) {
            Mode::Single => Slot(0),
            Mode::Multi => self.first_unchosen,
        }
    }

    pub(crate) fn on_promise(&mut self, io: &mut Io<'_>, from: NodeId, ballot: Ballot, accepted: Vec<PValue>) {
        let first = self.recover_from(io);
        let Phase::Preparing { promised, adopted, reported } = &mut self.phase else { return };
        if ballot != self.ballot || !promised.insert(from) {
            return;
        }
        let bugs = io.cluster.config.bugs;
        for p in accepted {
            if p.slot < first {
                continue;
            }
            note_reported(reported.entry(p.slot).or_default(), p.ballot, &p.value);
            if bugs.ignore_accepted {
                continue;
            }
            match adopted.get(&p.slot) {
                // Keep the higher ballot's value (the adopt-lowest bug keeps the lower one's).
                Some((b, _)) if if bugs.adopt_lowest { *b <= p.ballot } else { *b >= p.ballot } => {}
                _ => {
                    adopted.insert(p.slot, (p.ballot, p.value));
                }
            }
        }
        let promised = *promised;
        // A phase-1 quorum of the configuration of every slot phase 2 may use before it learns more: the slots up
        // to `first + ALPHA - 1`, whose configurations the chosen slots below `first` fix. Its last is the leader's.
        let multi = Self::mode(io) == Mode::Multi;
        for k in 0..if multi { ALPHA } else { 1 } {
            if !self.members_at(io, Slot(first.0 + k)).is_some_and(|m| io.cluster.quorum_of(m, promised, false)) {
                return;
            }
        }
        let Phase::Preparing { adopted, reported, .. } = std::mem::take(&mut self.phase) else { unreachable!() };
        let kept = if multi && bugs.ignore_accepted { reported.clone() } else { LiteMap::new() };
        let promised = if multi { promised } else { NodeSet::EMPTY };
        self.phase = Phase::Leading { reported: kept, promised, held: LiteMap::new() };
        self.lead(io, adopted, &reported);
    }

    /// Phase 1 is complete. Safety rests here: a phase-1 quorum intersects every phase-2 quorum (q1 + q2 > n), so
    /// if some value v was chosen in a lower ballot, at least one promise in this quorum reported v, and
    /// 1. no acceptor in this quorum will accept below our ballot any more, so no other value can be chosen between
    ///    the highest reported ballot and ours;
    /// 2. by induction, every ballot between v's and ours that got anything accepted proposed v;
    /// 3. hence the highest-ballot accepted proposal among the promises carries v, and we propose exactly it.
    fn lead(&mut self, io: &mut Io<'_>, adopted: LiteMap<Slot, (Ballot, Value)>, reported: &Reported) {
        io.emit(NodeEvent::Elected { ballot: self.ballot });
        match Self::mode(io) {
            Mode::Single => {
                let slot = Slot(0);
                let (value, from) = match adopted.get(&slot) {
                    Some((b, v)) => (v.clone(), Some(*b)),
                    None => match self.pending.front() {
                        Some(v) => (v.clone(), None),
                        None => return self.stand_down(),
                    },
                };
                let passed_over = passed_over(reported, slot, from, &value);
                self.send_accept(io, slot, value, from, passed_over);
            }
            Mode::Multi => {
                self.leader = Some(self.ballot);
                let end =
                    adopted.last().map(|(s, _)| s).map_or(self.first_unchosen, |s| s.next()).max(self.first_unchosen);
                let mut slot = self.first_unchosen;
                let mut recovered = LiteMap::new();
                while slot < end {
                    if !self.chosen.contains_key(&slot) {
                        // Recover every slot with an accepted value; fill the gaps with no-ops so the log has no holes.
                        let (value, from) = match adopted.get(&slot) {
                            Some((b, v)) => (v.clone(), Some(*b)),
                            None => (Value::Noop, None),
                        };
                        self.pending.retain(|p| *p != value);
                        let passed_over = passed_over(reported, slot, from, &value);
                        recovered.insert(slot, (value, from, passed_over));
                    }
                    slot = slot.next();
                }
                self.next_slot = end;
                if let Phase::Leading { held, .. } = &mut self.phase {
                    *held = recovered;
                }
                self.pump(io);
                if self.is_leading() {
                    self.heartbeat(io);
                }
            }
        }
    }

    /// Multi-Paxos leader: sends to phase 2 what waits (the recovered slots, then client values in the next free
    /// slots) while it knows each slot's configuration: it knows every slot up to `slot - ALPHA` chosen, which bounds
    /// its pipeline to `ALPHA` slots past the first it does not know chosen. Where a configuration its phase-1 quorum
    /// is not one of comes in force, it waits for the slots before to be chosen and runs phase 1 again (or, no
    /// longer an acceptor in force, stands down): a phase-1 quorum must meet every phase-2 quorum of the slot's own
    /// configuration.
    fn pump(&mut self, io: &mut Io<'_>) {
        while let Phase::Leading { promised, held, .. } = &self.phase {
            let promised = *promised;
            // The slot to fill, and whether anything waits for it.
            let (slot, waits) = match held.first() {
                Some((s, _)) => (*s, true),
                None => {
                    let mut s = self.next_slot;
                    while self.chosen.contains_key(&s) || self.proposals.contains_key(&s) {
                        s = s.next();
                    }
                    // With no client value waiting, once a configuration is chosen the leader pads with no-ops
                    // up to the slot where it comes in force ("the leader can propose α no-op commands to hasten
                    // the change"), so a change needs no client traffic to take effect.
                    let newest = self.configs.0.last().map(|(c, _)| *c);
                    (s, !self.pending.is_empty() || newest.is_some_and(|c| s.0 < c.0 + ALPHA))
                }
            };
            match self.members_at(io, slot) {
                None => return,
                Some(m)
                    if !io.cluster.config.bugs.reconfigure_early
                        && (!io.cluster.quorum_of(m, promised, false)
                            || io.cluster.roles(io.id).acceptor && !m.contains(io.id)) =>
                {
                    if !self.proposals.is_empty() {
                        return;
                    }
                    if io.cluster.roles(io.id).acceptor && !m.contains(io.id) {
                        self.leader = None;
                        return self.stand_down();
                    }
                    return self.start_phase1(io);
                }
                Some(_) if !waits => return,
                Some(_) => {}
            }
            let Phase::Leading { held, reported, .. } = &mut self.phase else { unreachable!() };
            let (value, from, passed) = match held.remove(&slot) {
                Some(h) => h,
                None => {
                    let value = self.pending.pop_front().unwrap_or(Value::Noop);
                    self.next_slot = slot.next();
                    let passed = passed_over(reported, slot, None, &value);
                    (value, None, passed)
                }
            };
            self.send_accept(io, slot, value, from, passed);
        }
    }

    fn send_accept(
        &mut self,
        io: &mut Io<'_>,
        slot: Slot,
        value: Value,
        from: Option<Ballot>,
        passed_over: Option<(Ballot, Value)>,
    ) {
        io.emit(NodeEvent::Adopted { slot, ballot: self.ballot, value: value.clone(), from, passed_over });
        for &a in &io.cluster.acceptors {
            io.send(a, Msg::Accept { ballot: self.ballot, slot, value: value.clone() });
        }
        self.proposals.insert(slot, Proposal { value, accepted: NodeSet::EMPTY, age: 0 });
    }

    pub(crate) fn on_accepted(&mut self, io: &mut Io<'_>, from: NodeId, ballot: Ballot, slot: Slot) {
        if ballot != self.ballot || !self.is_leading() {
            return;
        }
        let Some(members) = self.members_at(io, slot) else { return };
        let Some(p) = self.proposals.get_mut(&slot) else { return };
        if p.accepted.insert(from) && io.cluster.quorum_of(members, p.accepted, true) {
            let value = p.value.clone();
            io.emit(NodeEvent::Committed { slot, ballot, value: value.clone() });
            self.note_chosen(io, slot, value);
        }
    }

    /// Records a value known to be chosen (by a phase-2 quorum, or learned by this node's learner).
    pub(crate) fn note_chosen(&mut self, io: &mut Io<'_>, slot: Slot, value: Value) {
        self.proposals.remove(&slot);
        self.configs.note(slot, &value);
        self.chosen.insert(slot, value);
        while self.chosen.contains_key(&self.first_unchosen) {
            self.first_unchosen = self.first_unchosen.next();
        }
        if Self::mode(io) == Mode::Single && slot == Slot(0) {
            // Our proposal is over: the slot is decided, whatever value won.
            self.pending.clear();
            self.phase = Phase::Idle;
            self.timer = 0;
        } else if Self::mode(io) == Mode::Multi {
            // The pipeline may move on.
            self.pump(io);
        }
    }

    /// Multi-Paxos: puts the client values in phase 2 back in the queue; a value that did reach an acceptor may be
    /// recovered by the next leader as well, and the transaction table keeps a request that appears twice at its
    /// first ID.
    fn requeue(&mut self) {
        let values: Vec<Value> = std::mem::take(&mut self.proposals)
            .into_iter()
            .map(|(_, p)| p.value)
            .filter(|v| *v != Value::Noop)
            .collect();
        for v in values.into_iter().rev() {
            self.pending.push_front(v);
        }
    }

    pub(crate) fn on_reject(
        &mut self,
        io: &mut Io<'_>,
        from: NodeId,
        ballot: Ballot,
        promised: Ballot,
        rng: &mut impl RngCore,
    ) {
        self.max_round = self.max_round.max(promised.round);
        if ballot == self.ballot && self.phase != Phase::Idle {
            self.abandon(io, AbandonReason::Rejected { promised, acceptor: Some(from) }, rng);
        }
    }

    /// Gives up the current ballot and backs off for a random number of ticks before retrying higher.
    fn abandon(&mut self, io: &mut Io<'_>, reason: AbandonReason, rng: &mut impl RngCore) {
        io.emit(NodeEvent::Abandoned { ballot: self.ballot, reason });
        if Self::mode(io) == Mode::Multi {
            self.requeue();
            if self.leader == Some(self.ballot) {
                self.leader = None;
            }
        }
        self.proposals.clear();
        self.phase = Phase::Idle;
        self.timer = random_in(rng, io.cluster.config.timing.backoff);
    }

    fn stand_down(&mut self) {
        self.phase = Phase::Idle;
        self.proposals.clear();
        self.timer = 0;
    }

    pub(crate) fn on_heartbeat(&mut self, io: &mut Io<'_>, ballot: Ballot, rng: &mut impl RngCore) {
        if Self::mode(io) != Mode::Multi || ballot.node == io.id {
            return;
        }
        self.max_round = self.max_round.max(ballot.round);
        if self.leader.is_some_and(|l| l > ballot) || ballot < self.ballot && self.phase != Phase::Idle {
            return;
        }
        self.leader = Some(ballot);
        if self.phase != Phase::Idle {
            self.abandon(io, AbandonReason::Superseded { by: ballot }, rng);
        }
        self.timer = random_in(rng, io.cluster.config.timing.election);
        // Values queued while no leader was known go to the leader now.
        while let Some(value) = self.pending.pop_front() {
            io.send(ballot.node, Msg::Propose { value });
        }
    }

    pub(crate) fn on_catch_up(&mut self, io: &mut Io<'_>, from_node: NodeId, from: Slot) {
        if !self.is_leading() {
            return;
        }
        for (slot, value) in self.chosen.range_from(from).take(64) {
            io.send(from_node, Msg::Decided { slot, value: value.clone() });
        }
    }

    fn heartbeat(&mut self, io: &mut Io<'_>) {
        let msg = Msg::Heartbeat { ballot: self.ballot, chosen: self.first_unchosen };
        for id in io.cluster.nodes() {
            if id != io.id {
                io.send(id, msg.clone());
            }
        }
        self.timer = io.cluster.config.timing.heartbeat;
    }

    pub(crate) fn tick(&mut self, io: &mut Io<'_>, rng: &mut impl RngCore) {
        let mode = Self::mode(io);
        if self.timer == 0 {
            // Disarmed. A Multi-Paxos follower arms its election timer on its first tick.
            if mode == Mode::Multi && self.phase == Phase::Idle {
                self.timer = random_in(rng, io.cluster.config.timing.election);
            }
            return;
        }
        self.timer -= 1;
        if self.timer > 0 {
            return;
        }
        match (&self.phase, mode) {
            (Phase::Idle, Mode::Single) => {
                if !self.pending.is_empty() && !self.chosen.contains_key(&Slot(0)) {
                    self.start_phase1(io);
                }
            }
            (Phase::Idle, Mode::Multi) => {
                self.leader = None;
                if !self.outside(io) {
                    self.start_phase1(io);
                }
            }
            (Phase::Preparing { .. }, _) | (Phase::Leading { .. }, Mode::Single) => {
                self.abandon(io, AbandonReason::Timeout, rng);
            }
            (Phase::Leading { .. }, Mode::Multi) => {
                let ballot = self.ballot;
                for (&slot, p) in self.proposals.iter_mut() {
                    p.age += 1;
                    if p.age >= 2 {
                        // The accept or its answers may have been lost: ask the acceptors again.
                        p.age = 0;
                        for &a in &io.cluster.acceptors {
                            if !p.accepted.contains(a) {
                                io.send(a, Msg::Accept { ballot, slot, value: p.value.clone() });
                            }
                        }
                    }
                }
                self.heartbeat(io);
            }
        }
    }
}
