//! The deterministic simulator: one seeded RNG, logical time and an event queue. A run is
//! `(seed, config, commands)` and replays bit for bit.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use litemap::LiteMap;
use std::sync::Arc;

use paxos_core::{ConfigError, Log, NodeId, NodeSet, ProposeError, Slot, Value};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::checker::{Checker, Chosen, Violation};
use crate::command::{Command, Faults, MsgId};
use crate::limits::{MAX_LATENCY, MAX_NODES, MAX_RUN_EVENTS, MAX_TICK_EVERY, MAX_TIMER, MIN_NODES};
use crate::protocol::{Paxos, Protocol};

pub use crate::event::{DropReason, Event, EventKind};
pub use crate::limits::MAX_VALUE_LEN;

/// A run's configuration: the cluster and the network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub struct SimConfig<P: Protocol = Paxos> {
    /// The cluster.
    pub cluster: P::Config,
    /// Message latency range in time units, min and max; messages overtake each other within it.
    pub latency: (u64, u64),
    /// Loss and duplication for every link without its own setting.
    #[serde(default)]
    pub faults: Faults,
    /// Time units between two clock ticks of every node.
    pub tick_every: u64,
    /// Stop running at the first violation.
    #[serde(default = "yes")]
    pub stop_on_violation: bool,
}

fn yes() -> bool {
    true
}

impl<P: Protocol> SimConfig<P> {
    /// `cluster` on the default network: latency 5 to 15 time units, no loss or duplication, a clock tick every 10,
    /// stopping at the first violation.
    pub fn of(cluster: P::Config) -> SimConfig<P> {
        SimConfig { cluster, latency: (5, 15), faults: Faults::default(), tick_every: 10, stop_on_violation: true }
    }

    /// Checks everything and derives the cluster.
    ///
    /// This is the one place a run's numbers are bounded (see [`crate::limits`]): a link, a trace, a script, the
    /// page and the CLI all start a run through it.
    pub fn validate(&self) -> Result<Arc<P::Cluster>, SimError> {
        let n = P::size(&self.cluster);
        if !(MIN_NODES..=MAX_NODES).contains(&n) {
            return Err(SimError::Nodes(n));
        }
        check_faults(&self.faults)?;
        check_latency(self.latency)?;
        if !(1..=MAX_TICK_EVERY).contains(&self.tick_every) {
            return Err(SimError::TickEvery(self.tick_every));
        }
        P::validate(&self.cluster)
    }
}

fn check_faults(f: &Faults) -> Result<(), SimError> {
    for (what, value) in [("loss", f.loss), ("duplication", f.dup)] {
        if !(0.0..=100.0).contains(&value) {
            return Err(SimError::Percent { what, value });
        }
    }
    Ok(())
}

fn check_latency((min, max): (u64, u64)) -> Result<(), SimError> {
    if min == 0 || min > max || max > MAX_LATENCY {
        return Err(SimError::Latency { min, max });
    }
    Ok(())
}

/// Why a configuration or a command was refused. A refused command changes nothing.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum SimError {
    /// The cluster configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A percentage outside 0–100.
    #[error("{what} must be between 0 and 100 %, got {value}")]
    Percent {
        /// Which rate.
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// An empty latency range, a zero latency or one over [`MAX_LATENCY`].
    #[error("latency must satisfy 1 <= min <= max <= {MAX_LATENCY}, got min {min} and max {max}")]
    Latency {
        /// Minimum.
        min: u64,
        /// Maximum.
        max: u64,
    },
    /// A tick period of zero or over [`MAX_TICK_EVERY`].
    #[error("tick_every must be from 1 to {MAX_TICK_EVERY}, got {0}")]
    TickEvery(u64),
    /// A cluster size outside [`MIN_NODES`]..=[`MAX_NODES`].
    #[error("the cluster must have {MIN_NODES} to {MAX_NODES} nodes, got {0}")]
    Nodes(usize),
    /// A protocol timer over [`MAX_TIMER`] ticks.
    #[error("timing: {what} must be at most {MAX_TIMER} ticks, got {value}")]
    Timer {
        /// Which timer.
        what: &'static str,
        /// The value given.
        value: u32,
    },
    /// A delay over [`MAX_LATENCY`].
    #[error("a delay must be at most {MAX_LATENCY} time units, got {0}")]
    Delay(u64),
    /// A step that would take the run past [`MAX_RUN_EVENTS`] events.
    #[error("a run may have at most {MAX_RUN_EVENTS} events; a step of {0} would take this one beyond")]
    TooLong(u64),
    /// No such node.
    #[error("there is no node {0}")]
    UnknownNode(NodeId),
    /// The node is crashed.
    #[error("node {0} is crashed")]
    NodeDown(NodeId),
    /// Restart of a node that is up.
    #[error("node {0} is up; only a crashed node can restart")]
    NodeUp(NodeId),
    /// The core refused the proposal.
    #[error(transparent)]
    Propose(#[from] ProposeError),
    /// A protocol other than Paxos refused its configuration or a request, in its own words.
    #[error("{0}")]
    Protocol(String),
    /// An empty or oversized value.
    #[error("{0}")]
    InvalidValue(String),
    /// No such message in flight.
    #[error("message {0} is not in flight")]
    UnknownMessage(MsgId),
    /// A membership change that cannot be made, and why.
    #[error("{0}")]
    Membership(&'static str),
    /// A partition that names a node twice.
    #[error("node {0} appears in two partition groups")]
    PartitionOverlap(NodeId),
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct InFlight<P: Protocol = Paxos> {
    /// Its id.
    pub id: MsgId,
    /// Sender, receiver and message.
    #[serde(flatten)]
    pub env: P::Envelope,
    /// When it was sent.
    pub sent_at: u64,
    /// When it arrives (or is found lost).
    pub due: u64,
    /// The network lost it: it vanishes when due.
    pub lost: bool,
}

/// The messages in flight, indexed by id. Ids are handed out in increasing order and messages mostly leave in about
/// that order, so a window over the id space beats a search tree on the hot path (one lookup per delivery).
#[derive(Clone, Debug)]
struct Wire<P: Protocol> {
    /// The id of `slots[0]`.
    base: u64,
    slots: std::collections::VecDeque<Option<InFlight<P>>>,
}

impl<P: Protocol> Default for Wire<P> {
    fn default() -> Self {
        Wire { base: 0, slots: Default::default() }
    }
}

impl<P: Protocol> Wire<P> {
    fn insert(&mut self, m: InFlight<P>) {
        debug_assert_eq!(m.id.0, self.base + self.slots.len() as u64, "ids are sequential");
        self.slots.push_back(Some(m));
    }

    fn index(&self, id: &MsgId) -> Option<usize> {
        id.0.checked_sub(self.base).map(|i| i as usize)
    }

    fn get(&self, id: &MsgId) -> Option<&InFlight<P>> {
        self.slots.get(self.index(id)?)?.as_ref()
    }

    fn get_mut(&mut self, id: &MsgId) -> Option<&mut InFlight<P>> {
        let i = self.index(id)?;
        self.slots.get_mut(i)?.as_mut()
    }

    fn remove(&mut self, id: &MsgId) -> Option<InFlight<P>> {
        let i = self.index(id)?;
        let m = self.slots.get_mut(i)?.take();
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.base += 1;
        }
        m
    }

    fn values(&self) -> impl Iterator<Item = &InFlight<P>> {
        self.slots.iter().flatten()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Tick,
    Deliver(MsgId),
}

/// The simulator. See the crate documentation.
#[derive(Clone, Debug)]
pub struct Simulator<P: Protocol = Paxos> {
    seed: u64,
    config: SimConfig<P>,
    cluster: Arc<P::Cluster>,
    rng: Pcg64Mcg,
    nodes: Vec<P::Node>,
    up: Vec<bool>,
    time: u64,
    step: u64,
    next_msg: u64,
    seq: u64,
    queue: BinaryHeap<Reverse<(u64, u64, Due)>>,
    in_flight: Wire<P>,
    cuts: LiteMap<(NodeId, NodeId), ()>,
    links: LiteMap<(NodeId, NodeId), Faults>,
    checker: Checker<P>,
    record: bool,
    events: Vec<Event<P>>,
    commands: Vec<Command>,
    violations: Vec<Violation<P>>,
    deliveries: u64,
    scratch_out: Vec<P::Envelope>,
    scratch_events: Vec<P::Event>,
    /// The acceptors the membership changes asked for so far (the first configuration's before any).
    members: NodeSet,
}

impl<P: Protocol> Simulator<P> {
    /// A new run. With `record`, every event is kept (for traces and the UI); without it only counters are.
    pub fn new(seed: u64, config: SimConfig<P>, record: bool) -> Result<Simulator<P>, SimError> {
        let cluster = config.validate()?;
        let n = P::size(&config.cluster);
        let nodes = (0..n).map(|i| P::node(NodeId(i as u8), &cluster)).collect();
        let mut sim = Simulator {
            seed,
            rng: Pcg64Mcg::seed_from_u64(seed),
            nodes,
            up: vec![true; n],
            time: 0,
            step: 0,
            next_msg: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            in_flight: Wire::default(),
            cuts: LiteMap::new(),
            links: LiteMap::new(),
            checker: Checker::new(&*cluster),
            record,
            events: Vec::new(),
            commands: Vec::new(),
            violations: Vec::new(),
            deliveries: 0,
            scratch_out: Vec::new(),
            scratch_events: Vec::new(),
            members: P::members(&cluster),
            cluster,
            config,
        };
        sim.schedule(sim.config.tick_every, Due::Tick);
        Ok(sim)
    }

    fn schedule(&mut self, time: u64, what: Due) {
        self.seq += 1;
        self.queue.push(Reverse((time, self.seq, what)));
    }

    fn log(&mut self, kind: EventKind<P>) {
        if self.record {
            self.events.push(Event { step: self.step, time: self.time, kind });
        }
    }

    fn chance(&mut self, percent: f64) -> bool {
        // No draw at all for a zero rate, so a fault-free network spends no randomness on faults.
        percent > 0.0 && (self.rng.next_u64() >> 11) as f64 * (100.0 / (1u64 << 53) as f64) < percent
    }

    fn latency(&mut self) -> u64 {
        let (lo, hi) = self.config.latency;
        if lo == hi {
            lo
        } else {
            lo + self.rng.next_u64() % (hi - lo + 1)
        }
    }

    fn faults(&self, from: NodeId, to: NodeId) -> Faults {
        self.links.get(&(from, to)).copied().unwrap_or(self.config.faults)
    }

    fn send(&mut self, env: P::Envelope) {
        let (from, to, _) = P::parts(&env);
        let local = from == to;
        let faults = if local { Faults::default() } else { self.faults(from, to) };
        let lost = self.chance(faults.loss);
        let due = self.time.saturating_add(if local { 1 } else { self.latency() });
        let id = self.put(env, due, lost);
        if !lost && self.chance(faults.dup) {
            let due = self.time.saturating_add(self.latency());
            let env = self.in_flight.get(&id).expect("just sent").env.clone();
            let copy = self.put_quiet(env, due, false);
            self.log(EventKind::Duplicate { id, copy, due });
        }
    }

    fn put(&mut self, env: P::Envelope, due: u64, lost: bool) -> MsgId {
        if self.record {
            let (from, to, msg) = P::parts(&env);
            let msg = msg.clone();
            let id = MsgId(self.next_msg);
            self.log(EventKind::Send { id, from, to, msg, due });
        }
        self.put_quiet(env, due, lost)
    }

    fn put_quiet(&mut self, env: P::Envelope, due: u64, lost: bool) -> MsgId {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        self.in_flight.insert(InFlight { id, env, sent_at: self.time, due, lost });
        self.schedule(due, Due::Deliver(id));
        id
    }

    /// Sends what `node` produced and checks what it decided.
    fn collect(&mut self, node: NodeId) {
        let mut out = std::mem::take(&mut self.scratch_out);
        let mut events = std::mem::take(&mut self.scratch_events);
        P::outputs(&mut self.nodes[node.index()], &mut out, &mut events);
        for event in events.drain(..) {
            let (chosen, violations) = self.checker.on_event(self.step, node, &event);
            if self.record {
                self.log(EventKind::Node { node, event });
                if let Some((slot, chosen)) = chosen {
                    self.log(EventKind::Chosen { slot, chosen });
                }
            }
            for v in violations {
                self.violate(v);
            }
        }
        for env in out.drain(..) {
            self.send(env);
        }
        self.scratch_out = out;
        self.scratch_events = events;
    }

    fn violate(&mut self, violation: Violation<P>) {
        self.log(EventKind::Violation { violation: violation.clone() });
        self.violations.push(violation);
    }

    fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        !self.cuts.is_empty() && self.cuts.contains_key(&(from, to))
    }

    /// Runs the next event: one message arrival (or loss) or one clock tick of every live node. Returns false when
    /// the run stopped at a violation.
    pub fn step(&mut self) -> bool {
        if self.stopped() {
            return false;
        }
        loop {
            let Reverse((time, _, what)) = self.queue.pop().expect("the clock tick is always scheduled");
            match what {
                Due::Tick => {
                    self.time = time;
                    self.step += 1;
                    self.log(EventKind::Tick);
                    for i in 0..self.nodes.len() {
                        if self.up[i] {
                            P::tick(&mut self.nodes[i], &mut self.rng);
                            self.collect(NodeId(i as u8));
                        }
                    }
                    self.schedule(time.saturating_add(self.config.tick_every), Due::Tick);
                    return true;
                }
                Due::Deliver(id) => {
                    // A dropped, delivered or delayed message leaves a stale queue entry behind: skip it.
                    match self.in_flight.get(&id) {
                        Some(m) if m.due == time => {}
                        _ => continue,
                    }
                    let m = self.in_flight.remove(&id).expect("checked above");
                    self.time = time;
                    self.step += 1;
                    self.arrive(m);
                    return true;
                }
            }
        }
    }

    fn arrive(&mut self, m: InFlight<P>) {
        let (from, to, msg) = P::open(m.env);
        let reason = if m.lost {
            Some(DropReason::Loss)
        } else if !self.up[to.index()] {
            Some(DropReason::Crashed)
        } else if self.is_cut(from, to) {
            Some(DropReason::Partition)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.log(EventKind::Drop { id: m.id, reason });
            return;
        }
        self.deliveries += 1;
        self.log(EventKind::Deliver { id: m.id });
        self.checker.on_deliver(from, to, &msg);
        P::step(&mut self.nodes[to.index()], from, msg, &mut self.rng);
        self.collect(to);
    }

    /// The time of the next event (a message arrival, or loss, or the clock tick), without running it. Stale queue
    /// entries (of messages dropped, delivered or delayed) are discarded on the way, which changes nothing else.
    pub fn next_due(&mut self) -> u64 {
        while let Some(Reverse((time, _, what))) = self.queue.peek() {
            match what {
                Due::Deliver(id) if !matches!(self.in_flight.get(id), Some(m) if m.due == *time) => {
                    self.queue.pop();
                }
                _ => return *time,
            }
        }
        unreachable!("the clock tick is always scheduled")
    }

    /// Whether the next event is the clock tick, not a message's arrival or loss (stale queue entries are discarded
    /// as by [`Simulator::next_due`]).
    pub fn next_is_tick(&mut self) -> bool {
        self.next_due();
        matches!(self.queue.peek(), Some(Reverse((_, _, Due::Tick))))
    }

    /// Runs up to `count` events; stops early at a violation when the configuration says so.
    pub fn run(&mut self, count: u64) {
        for _ in 0..count {
            if !self.step() {
                break;
            }
        }
    }

    /// Whether the run stopped at a violation.
    pub fn stopped(&self) -> bool {
        self.config.stop_on_violation && !self.violations.is_empty()
    }

    fn node_id(&self, node: NodeId) -> Result<NodeId, SimError> {
        if node.index() < self.nodes.len() {
            Ok(node)
        } else {
            Err(SimError::UnknownNode(node))
        }
    }

    fn live(&self, node: NodeId) -> Result<NodeId, SimError> {
        let node = self.node_id(node)?;
        if self.up[node.index()] {
            Ok(node)
        } else {
            Err(SimError::NodeDown(node))
        }
    }

    /// Applies one command. A refused command changes nothing and is not recorded.
    pub fn apply(&mut self, command: Command) -> Result<(), SimError> {
        match &command {
            Command::Step { count } => {
                // The one bound every way in shares (links, traces, scripts, the CLI): no command runs for hours.
                if !crate::limits::fits(self.step, *count) {
                    return Err(SimError::TooLong(*count));
                }
                self.run(*count);
                self.commands.push(command);
                return Ok(());
            }
            Command::Propose { node, value } => {
                let node = self.live(*node)?;
                check_value(value)?;
                P::propose(&mut self.nodes[node.index()], value.clone())?;
                self.checker.on_propose(value);
                self.log(EventKind::Command { command: command.clone() });
                self.collect(node);
            }
            Command::Crash { node } => {
                let node = self.live(*node)?;
                self.up[node.index()] = false;
                self.log(EventKind::Crash { node });
            }
            Command::Restart { node } => {
                let node = self.node_id(*node)?;
                if self.up[node.index()] {
                    return Err(SimError::NodeUp(node));
                }
                self.up[node.index()] = true;
                let forgot = P::restart(&mut self.nodes[node.index()]);
                self.log(EventKind::Restart { node, forgot });
                if let Some(v) = self.checker.on_restart(self.step, node, &self.nodes[node.index()]) {
                    self.violate(v);
                }
            }
            Command::Tick { node } => {
                let node = self.live(*node)?;
                self.log(EventKind::Command { command: command.clone() });
                P::tick(&mut self.nodes[node.index()], &mut self.rng);
                self.collect(node);
            }
            Command::Partition { groups } => {
                let mut group_of = vec![usize::MAX; self.nodes.len()];
                for (g, members) in groups.iter().enumerate() {
                    for &id in members {
                        let id = self.node_id(id)?;
                        if group_of[id.index()] != usize::MAX {
                            return Err(SimError::PartitionOverlap(id));
                        }
                        group_of[id.index()] = g;
                    }
                }
                let ids = || (0..self.nodes.len()).map(|i| NodeId(i as u8));
                for a in ids() {
                    for b in ids() {
                        if group_of[a.index()] != group_of[b.index()] {
                            self.cuts.insert((a, b), ());
                        }
                    }
                }
                self.log(EventKind::Command { command: command.clone() });
            }
            Command::Heal => {
                self.cuts.clear();
                self.log(EventKind::Command { command: command.clone() });
            }
            Command::Cut { from, to, one_way } | Command::HealLink { from, to, one_way } => {
                let (from, to) = (self.node_id(*from)?, self.node_id(*to)?);
                let cut = matches!(command, Command::Cut { .. });
                for pair in [(from, to), (to, from)].into_iter().take(if *one_way { 1 } else { 2 }) {
                    if cut {
                        self.cuts.insert(pair, ());
                    } else {
                        self.cuts.remove(&pair);
                    }
                }
                self.log(EventKind::Command { command: command.clone() });
            }
            Command::Drop { msg } => {
                let m = self.in_flight.remove(msg).ok_or(SimError::UnknownMessage(*msg))?;
                self.log(EventKind::Drop { id: m.id, reason: DropReason::Manual });
            }
            Command::Duplicate { msg } => {
                let env = self.in_flight.get(msg).ok_or(SimError::UnknownMessage(*msg))?.env.clone();
                let due = self.time.saturating_add(self.latency());
                let copy = self.put_quiet(env, due, false);
                self.log(EventKind::Duplicate { id: *msg, copy, due });
            }
            Command::Delay { msg, by } => {
                if *by > MAX_LATENCY {
                    return Err(SimError::Delay(*by));
                }
                let m = self.in_flight.get_mut(msg).ok_or(SimError::UnknownMessage(*msg))?;
                m.due = m.due.saturating_add(*by);
                let due = m.due;
                self.schedule(due, Due::Deliver(*msg));
                self.log(EventKind::Delay { id: *msg, due });
            }
            Command::Deliver { msg } => {
                let mut m = self.in_flight.remove(msg).ok_or(SimError::UnknownMessage(*msg))?;
                // Delivered now, and never found lost: a person chose to let it through.
                m.lost = false;
                self.step += 1;
                self.arrive(m);
            }
            Command::Network { latency, faults } => {
                check_latency(*latency)?;
                check_faults(faults)?;
                self.config.latency = *latency;
                self.config.faults = *faults;
                self.log(EventKind::Command { command: command.clone() });
            }
            Command::Link { from, to, faults } => {
                let (from, to) = (self.node_id(*from)?, self.node_id(*to)?);
                check_faults(faults)?;
                self.links.insert((from, to), *faults);
                self.log(EventKind::Command { command: command.clone() });
            }
            Command::AddNode | Command::RemoveNode { .. } => {
                let n = self.nodes.len();
                // Asked of the leader, or of the first live node, which forwards it or starts an election.
                let at = self.leader().or_else(|| (0..n).map(|i| NodeId(i as u8)).find(|i| self.up[i.index()]));
                let at = at.ok_or(SimError::Membership("every node is down"))?;
                let mut m = P::configuration(self, at).unwrap_or(self.members);
                if let Command::RemoveNode { node } = command {
                    let node = self.node_id(node)?;
                    if !m.contains(node) {
                        return Err(SimError::Membership("only a member can be removed"));
                    }
                    if m.len() == 1 {
                        return Err(SimError::Membership("the last member cannot be removed"));
                    }
                    m.0 &= !(1 << node.0);
                } else if n >= MAX_NODES {
                    return Err(SimError::Membership("the cluster has the most nodes it may have (9)"));
                } else {
                    m.insert(NodeId(n as u8));
                }
                let value = P::members_value(&self.cluster, m)?;
                P::propose(&mut self.nodes[at.index()], value.clone())?;
                if let Command::AddNode = command {
                    self.cluster = P::grow(&self.cluster, &mut self.nodes);
                    self.nodes.push(P::node(NodeId(n as u8), &self.cluster));
                    self.up.push(true);
                    self.checker.grow();
                }
                self.members = m;
                self.checker.on_propose(&value);
                self.log(EventKind::Command { command: command.clone() });
                self.collect(at);
            }
        }
        self.commands.push(command);
        Ok(())
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The acceptors the membership changes asked for so far.
    pub fn members(&self) -> NodeSet {
        self.members
    }

    /// The configuration, with network changes applied.
    pub fn config(&self) -> &SimConfig<P> {
        &self.config
    }

    /// The validated cluster.
    pub fn cluster(&self) -> &Arc<P::Cluster> {
        &self.cluster
    }

    /// The nodes, indexed by id.
    pub fn nodes(&self) -> &[P::Node] {
        &self.nodes
    }

    /// The checker, with what it has seen of the run.
    pub fn checker(&self) -> &Checker<P> {
        &self.checker
    }

    /// Whether a node is up.
    pub fn is_up(&self, node: NodeId) -> bool {
        self.up.get(node.index()).copied().unwrap_or(false)
    }

    /// Whether the directed link is cut.
    pub fn link_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.is_cut(from, to)
    }

    /// The messages in flight, by id.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight<P>> {
        self.in_flight.values()
    }

    /// Logical time.
    pub fn time(&self) -> u64 {
        self.time
    }

    /// Steps run so far.
    pub fn steps(&self) -> u64 {
        self.step
    }

    /// Messages delivered so far.
    pub fn deliveries(&self) -> u64 {
        self.deliveries
    }

    /// The recorded events (empty unless recording).
    pub fn events(&self) -> &[Event<P>] {
        &self.events
    }

    /// Takes the recorded events. A long-running view drains them as it reads them, so memory stays bounded; the
    /// run can still be written down, since `(seed, config, commands)` replays it (see [`crate::Trace::record`]).
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event<P>> {
        self.events.drain(..)
    }

    /// The commands applied, in order: with the seed and configuration, they replay this run.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// Every violation found.
    pub fn violations(&self) -> &[Violation<P>] {
        &self.violations
    }

    /// The values chosen so far, as the checker computed them from the acceptors' votes.
    pub fn chosen(&self) -> &Log<Chosen<P>> {
        self.checker.chosen()
    }

    /// The values chosen in a slot after a different one was (see [`Checker::also_chosen`]).
    pub fn also_chosen(&self) -> &[(Slot, Chosen<P>)] {
        self.checker.also_chosen()
    }

    /// Whether nothing can be decided while the cluster stays as it is (see [`Protocol::no_quorum`]).
    pub fn no_quorum(&self) -> bool {
        P::no_quorum(self)
    }

    /// The node that leads with the highest ballot, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.nodes
            .iter()
            .filter(|n| self.up[P::id(n).index()] && P::leads(n))
            .max_by_key(|n| P::round(n))
            .map(|n| P::id(n))
    }
}

/// Checks a client value: a text value must have 1 to [`MAX_VALUE_LEN`] characters.
pub fn check_value(value: &Value) -> Result<(), SimError> {
    if let Value::Config(_) = value {
        return Err(SimError::Membership("a configuration is proposed by add-node and remove-node"));
    }
    if let Value::Text(s) = value {
        let n = s.chars().count();
        if s.trim().is_empty() {
            return Err(SimError::InvalidValue("the value is empty".into()));
        }
        if n > MAX_VALUE_LEN {
            return Err(SimError::InvalidValue(format!(
                "the value has {n} characters; at most {MAX_VALUE_LEN} are allowed"
            )));
        }
    }
    Ok(())
}
