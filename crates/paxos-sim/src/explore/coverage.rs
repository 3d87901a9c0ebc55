//! The coverage meter: which of the explorer's states random fault schedules reach (`paxos fuzz --coverage`).
//!
//! The explorer lists every state of a small cluster; the fuzzer samples runs of the same protocol with clocks and
//! faults. The meter maps each state of a simulated run onto the explorer's state space and counts the explorer's
//! states the runs reached, so it says whether the fuzzer's schedules look where the explorer looks. It is generic
//! over the [`Protocol`]: what it reads of one is what the explorer reads ([`Protocol::key`],
//! [`Protocol::dead_to`], [`Protocol::done_with`], [`Protocol::settle`], [`Protocol::explorer_restart`],
//! [`Protocol::timeout`]).
//!
//! **The runs.** A metered run ([`Probe`]) is a [`Simulator`] on the explorer's cluster
//! ([`Protocol::explorer_config`]) that starts as the explorer does ([`Start::proposals`]: each of the first
//! `proposers` nodes is asked for `v<node>` before anything else happens; Raft's default asks none). The fuzzer's
//! schedules ([`Space::schedule`]) keep their network, latency, loss, duplication, partitions, cuts, crashes,
//! restarts and steps, and drop their proposals.
//!
//! **The map.** After every event of a run (each command, and each message arrival, loss or clock tick of a
//! `step`) the meter reads the simulator's state as the explorer's reduced search would store it:
//!
//! * every node by its [`Protocol::key`] (no timer, for instance), and a crashed node as the node it restarts as:
//!   in the set network a crash and its later restart are one step, because a node that is down receives nothing
//!   (its state does not change until it restarts);
//! * the checker by its explorer key, settled ([`Protocol::settle`]) and with a crashed node's restart applied, as
//!   the explorer's checker after the same step;
//! * the network as **every message the run has sent**, whether it is still in flight, delivered, lost or dropped,
//!   less the dead ones (whose delivery changes nothing now or later): in the explorer's set network a sent message
//!   stays deliverable, so a run's state offers every future the explorer considers;
//! * the crashes used: the crashes that changed something (a crash of a node with nothing volatile to lose leads
//!   to a state the explorer reaches without it, and it does not spend the explorer's budget either);
//! * the timeouts used: the clock ticks that made a node do what the explorer's `Timeout` action does (a Raft
//!   follower or candidate campaigns), each a step of the explorer's, spending its budget.
//!
//! A state of a run is **inside** when the explorer found a state with the same key, and **outside** otherwise.
//! [`Outside`] says why: a timer the explorer never fires started a round (Paxos: a proposer's second ballot; the
//! explorer's proposers run one each, having no clocks) or did something else (Paxos: a proposer timed out; Raft: a
//! leader's heartbeat told a follower something new), more timeouts than the explorer's budget (Raft: a third
//! election), or more crashes than its budget. `Other` would mean the map or the explorer's canonicalisation is
//! wrong, and the tests check that driving the simulator along every transition of the explorer finds exactly its
//! states and nothing outside.
//!
//! States are compared by a 128-bit fingerprint of the key (two SipHash passes): with the explorer's few hundred
//! thousand states and a few million run states, the chance that two different keys collide is below 10^-24.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use paxos_core::{NodeId, Slot, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use super::{compact, ExploreOptions, ExploreReport, NetworkModel, Start, Visited};
use crate::checker::Checker;
use crate::command::Command;
use crate::fuzz::{self, FuzzOptions};
use crate::protocol::{Paxos, Protocol};
use crate::sim::{SimConfig, SimError, Simulator};

/// The explorer's state space of one cluster, as fingerprints, with each state's depth, decisions and round.
pub struct Space<P: Protocol = Paxos> {
    opts: ExploreOptions<P>,
    cluster: Arc<P::Cluster>,
    index: HashMap<u128, u32>,
    depth: Vec<u32>,
    /// Per state: bit `d` set when `decisions[d]` is chosen in it.
    decided: Vec<u64>,
    decisions: Vec<(Slot, Value)>,
    /// Per state: its index in `rounds` (only when the explorer fires timeouts; see [`Space::new`]).
    round: Vec<u16>,
    /// The highest round a node is in, and whether a node leads in it.
    rounds: Vec<(Option<P::Round>, bool)>,
    report: ExploreReport<P>,
    /// Visited states whose fingerprint an earlier one had (0 unless the map is not one-to-one on the search's
    /// states).
    repeats: u64,
}

impl<P: Protocol> Space<P> {
    /// Explores the cluster of `opts` (the set network, reduced, every state: a violating state is kept but not
    /// expanded) and records its states. When the explorer fires timeouts (`opts.timeouts > 0`), each state's
    /// highest round and whether a node leads in it are recorded too: with timeouts the rounds are what varies
    /// (Raft's terms); without, each node runs the round it starts with.
    pub fn new(opts: &ExploreOptions<P>) -> Result<Space<P>, SimError> {
        let opts = ExploreOptions { network: NetworkModel::Set, reduce: true, stop_at_first: false, ..*opts };
        let cluster = P::validate(&P::explorer_config(&opts))?;
        let mut space = Space {
            opts,
            cluster,
            index: HashMap::new(),
            depth: Vec::new(),
            decided: Vec::new(),
            decisions: Vec::new(),
            round: Vec::new(),
            rounds: Vec::new(),
            report: ExploreReport::default(),
            repeats: 0,
        };
        let start = Start::proposals(&opts)?;
        let mut visit = |v: &Visited<'_, P>| {
            assert_eq!(v.down, 0, "a search from the proposals has no node down");
            let fp = space.fingerprint(v.nodes, v.checker, v.network.iter(), v.restarts, v.timeouts);
            let i = space.depth.len() as u32;
            if space.index.insert(fp, i).is_some() {
                space.repeats += 1;
            }
            space.depth.push(v.depth);
            let mut mask = 0u64;
            for d in compact::decisions(std::iter::once(v.checker)) {
                let k = match space.decisions.iter().position(|x| *x == d) {
                    Some(k) => k,
                    None => {
                        space.decisions.push(d);
                        space.decisions.len() - 1
                    }
                };
                assert!(k < 64, "more than 64 decisions in an explorer's cluster");
                mask |= 1 << k;
            }
            space.decided.push(mask);
            if opts.timeouts > 0 {
                let top = v.nodes.iter().filter_map(P::round).max();
                let led = top.is_some() && v.nodes.iter().any(|n| P::leads(n) && P::round(n) == top);
                let k = match space.rounds.iter().position(|r| *r == (top, led)) {
                    Some(k) => k,
                    None => {
                        space.rounds.push((top, led));
                        space.rounds.len() - 1
                    }
                };
                space.round.push(u16::try_from(k).expect("fewer than 65,536 rounds"));
            }
        };
        let report = compact::explore(start, &opts, &mut |_| true, Some(&mut visit));
        space.report = report;
        Ok(space)
    }

    /// What the explorer's search found.
    pub fn report(&self) -> &ExploreReport<P> {
        &self.report
    }

    /// The options explored.
    pub fn options(&self) -> &ExploreOptions<P> {
        &self.opts
    }

    /// The explorer's distinct states.
    pub fn states(&self) -> usize {
        self.depth.len()
    }

    /// Distinct fingerprints among the explorer's states: [`Space::states`] when the map tells every state of the
    /// search apart, as it must (the tests check it).
    pub fn distinct(&self) -> usize {
        self.index.len()
    }

    /// The explorer's depth of state `i` (the length of its shortest path; a crash with its restart is one step).
    pub fn depth(&self, i: u32) -> u32 {
        self.depth[i as usize]
    }

    /// The simulator configuration of a metered run: the explorer's cluster on the default network.
    pub fn config(&self) -> SimConfig<P> {
        SimConfig::of(P::explorer_config(&self.opts))
    }

    /// The fuzzer's schedule for `seed` on the explorer's cluster: its network settings and commands
    /// (`fuzz::schedule_with`, the part every protocol's schedule shares), without its proposals (a [`Probe`] makes
    /// the explorer's). `fuzz`'s cluster fields (nodes, mode, bug, quorums) are not read.
    pub fn schedule(&self, seed: u64, fuzz: &FuzzOptions) -> (SimConfig<P>, Vec<Command>) {
        let cfg = self.config();
        let opts = FuzzOptions { nodes: P::size(&cfg.cluster), ..*fuzz };
        let (cfg, commands) = fuzz::schedule_with(seed, &opts, cfg, false, false);
        (cfg, commands.into_iter().filter(|c| !matches!(c, Command::Propose { .. })).collect())
    }

    /// The checker as the explorer stores it beside `nodes`: settled for each node ([`Protocol::settle`]), and its
    /// explorer key.
    fn checker_key(&self, checker: &Checker<P>, nodes: &[P::Node]) -> Checker<P> {
        let mut checker = checker.clone();
        for n in nodes {
            P::settle(&self.cluster, &mut checker, n);
        }
        checker.explorer_key()
    }

    /// The key of a state, as a fingerprint: node keys, checker key, live network, crashes and timeouts used.
    fn fingerprint<'a>(
        &self,
        nodes: &[P::Node],
        checker: &Checker<P>,
        network: impl Iterator<Item = &'a P::Envelope>,
        restarts: u8,
        timeouts: u8,
    ) -> u128 {
        let c = &*self.cluster;
        let can_restart = restarts < self.opts.crashes;
        let reduces = P::reduces(c);
        let mut live: Vec<&P::Envelope> = network
            .filter(|env| {
                let (from, to, msg) = P::parts(env);
                !(reduces
                    && P::dead_to(c, &nodes[to.index()], from, msg, can_restart)
                    && P::done_with(c, &nodes[from.index()], to, msg))
            })
            .collect();
        live.sort();
        live.dedup();
        let keys: Vec<P::Key> = nodes.iter().map(|n| P::key(c, n)).collect();
        let key = (keys, self.checker_key(checker, nodes), live, restarts, timeouts);
        let mut a = DefaultHasher::new();
        key.hash(&mut a);
        let mut b = DefaultHasher::new();
        0x9e37_79b9_7f4a_7c15u64.hash(&mut b);
        key.hash(&mut b);
        u128::from(a.finish()) << 64 | u128::from(b.finish())
    }
}

/// Why a run's state is outside the explorer's space (the first that applies, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outside {
    /// A timer the explorer never fires started a round (Paxos: a proposer's second ballot, after a timeout or a
    /// rejection and its backoff; the explorer has no clocks, and each of its proposers runs one ballot).
    Round,
    /// A timer the explorer never fires did something else (Paxos: a proposer timed out and abandoned its ballot;
    /// Raft: a leader's heartbeat sent a follower something no message before had, such as the commit index).
    Timer,
    /// More of the timeouts the explorer does fire ([`Protocol::timeout`]) than its budget (Raft: a third
    /// election with the default budget of two).
    Timeouts,
    /// More crashes than the explorer's budget.
    Crashes,
    /// None of these: a state the explorer should have reached. It would mean the map or the explorer is wrong.
    Other,
}

/// Where a run's state falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// The explorer's state with this index (in breadth-first order).
    Inside(u32),
    /// No state of the explorer's: the key's fingerprint and why.
    Outside(u128, Outside),
}

/// A metered run: a simulator on the explorer's cluster, started as the explorer starts, with what the map needs
/// that the simulator does not keep (every message sent, the crashes and timeouts that changed something, and
/// whether a timer the explorer never fires did something).
#[derive(Clone)]
pub struct Probe<'s, P: Protocol = Paxos> {
    space: &'s Space<P>,
    sim: Simulator<P>,
    /// Every message sent so far, sorted, each once.
    sent: Vec<P::Envelope>,
    /// The first message id not yet added to `sent`.
    next_id: u64,
    crashes: u8,
    timeouts: u8,
    /// Whether a timer the explorer never fires changed a node's round ([`Outside::Round`]).
    round: bool,
    /// Whether a timer the explorer never fires changed a node or sent something new ([`Outside::Timer`]).
    timer: bool,
}

impl<'s, P: Protocol> Probe<'s, P> {
    /// A run of `cfg` (whose cluster must be the explorer's: see [`Space::config`] and [`Space::schedule`]) where
    /// each of the first `proposers` nodes has been asked for `v<node>`, in node order, as in the explorer's first
    /// state.
    pub fn new(space: &'s Space<P>, seed: u64, cfg: &SimConfig<P>) -> Result<Probe<'s, P>, SimError> {
        let mut sim = Simulator::new(seed, cfg.clone(), false)?;
        for p in (0..space.opts.proposers.min(sim.nodes().len())).map(|i| NodeId(i as u8)) {
            sim.apply(Command::Propose { node: p, value: Value::text(&format!("v{p}")) })?;
        }
        let mut probe =
            Probe { space, sim, sent: Vec::new(), next_id: 0, crashes: 0, timeouts: 0, round: false, timer: false };
        probe.note_sent();
        Ok(probe)
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator<P> {
        &self.sim
    }

    /// The timeouts used: clock ticks that did what the explorer's `Timeout` action does.
    pub fn timeouts(&self) -> u8 {
        self.timeouts
    }

    /// Applies one command (a `step` runs all its events, as [`Probe::step`] runs one, so that every message sent
    /// is seen).
    pub fn apply(&mut self, command: Command) -> Result<(), SimError> {
        if let Command::Step { count } = command {
            for _ in 0..count {
                if !self.step() {
                    break;
                }
            }
            return Ok(());
        }
        let crash = match command {
            Command::Crash { node } if node.index() < self.sim.nodes().len() && self.sim.is_up(node) => Some(node),
            _ => None,
        };
        let changes = crash.is_some_and(|node| self.crash_changes(node));
        let before = matches!(command, Command::Tick { .. }).then(|| self.sim.nodes().to_vec());
        self.sim.apply(command)?;
        self.crashes = self.crashes.saturating_add(u8::from(changes));
        let senders = self.note_sent();
        if let Some(before) = before {
            self.ticked(&before, senders);
        }
        Ok(())
    }

    /// Runs the next event; false when the run stopped at a violation.
    pub fn step(&mut self) -> bool {
        // Only a clock tick needs the nodes as they were (a delivery is a step the explorer takes too).
        let before = self.sim.next_is_tick().then(|| self.sim.nodes().to_vec());
        let ran = self.sim.step();
        let senders = self.note_sent();
        if let Some(before) = before {
            self.ticked(&before, senders);
        }
        ran
    }

    /// Accounts for a clock tick that took the nodes from `before` to now, `senders` (bit `i` for node `i`) having
    /// sent something new: each node it changed, or that sent something new, either did what the explorer's
    /// `Timeout` action does (a timeout used) or something the explorer's nodes never do.
    fn ticked(&mut self, before: &[P::Node], senders: u32) {
        let c = &*self.space.cluster;
        for (i, (was, now)) in before.iter().zip(self.sim.nodes()).enumerate() {
            let changed = P::key(c, was) != P::key(c, now);
            if !changed && senders & 1 << i == 0 {
                continue;
            }
            let mut timed_out = was.clone();
            if P::timeout(&mut timed_out, &mut Pcg64Mcg::seed_from_u64(0)) && P::key(c, &timed_out) == P::key(c, now) {
                self.timeouts = self.timeouts.saturating_add(1);
            } else {
                self.timer = true;
                self.round |= P::round(was) != P::round(now);
            }
        }
    }

    /// Whether crashing `node` now leads anywhere a run without the crash does not: its restart changes its key or
    /// the checker's.
    fn crash_changes(&self, node: NodeId) -> bool {
        let space = self.space;
        let c = &*space.cluster;
        let now = self.sim.nodes();
        let mut after = now.to_vec();
        P::restart(&mut after[node.index()]);
        let mut checker = self.sim.checker().clone();
        P::explorer_restart(c, &mut checker, &after[node.index()]);
        P::key(c, &now[node.index()]) != P::key(c, &after[node.index()])
            || space.checker_key(self.sim.checker(), now) != space.checker_key(&checker, &after)
    }

    /// Adds the messages sent since the last call to `sent`; the senders of those `sent` did not have yet (bit `i`
    /// for node `i`).
    fn note_sent(&mut self) -> u32 {
        let mut senders = 0u32;
        let mut new = Vec::new();
        let mut next = self.next_id;
        for m in self.sim.in_flight().filter(|m| m.id.0 >= self.next_id) {
            next = next.max(m.id.0 + 1);
            if self.sent.binary_search(&m.env).is_err() {
                senders |= 1 << P::parts(&m.env).0.index();
                new.push(m.env.clone());
            }
        }
        self.next_id = next;
        if !new.is_empty() {
            self.sent.append(&mut new);
            self.sent.sort();
            self.sent.dedup();
        }
        senders
    }

    /// Where the run's current state falls in the explorer's space.
    pub fn place(&self) -> Place {
        let space = self.space;
        let mut nodes = self.sim.nodes().to_vec();
        let mut checker = self.sim.checker().clone();
        for node in &mut nodes {
            if !self.sim.is_up(P::id(node)) {
                P::restart(node);
                P::explorer_restart(&space.cluster, &mut checker, node);
            }
        }
        let fp = space.fingerprint(&nodes, &checker, self.sent.iter(), self.crashes, self.timeouts);
        if let Some(&i) = space.index.get(&fp) {
            return Place::Inside(i);
        }
        let why = if self.round {
            Outside::Round
        } else if self.timer {
            Outside::Timer
        } else if self.timeouts > space.opts.timeouts {
            Outside::Timeouts
        } else if self.crashes > space.opts.crashes {
            Outside::Crashes
        } else {
            Outside::Other
        };
        Place::Outside(fp, why)
    }
}

/// The explorer's states reached by metered runs, and the run states outside its space.
pub struct Meter<'s, P: Protocol = Paxos> {
    space: &'s Space<P>,
    /// Bit set over the explorer's states.
    covered: Vec<u64>,
    outside: HashMap<u128, Outside>,
    /// Decisions reached in some run state, inside or outside.
    reached: HashSet<(Slot, Value)>,
    schedules: u64,
    observed: u64,
    observed_inside: u64,
}

impl<'s, P: Protocol> Meter<'s, P> {
    /// A meter with nothing observed.
    pub fn new(space: &'s Space<P>) -> Meter<'s, P> {
        Meter {
            space,
            covered: vec![0; space.states().div_ceil(64)],
            outside: HashMap::new(),
            reached: HashSet::new(),
            schedules: 0,
            observed: 0,
            observed_inside: 0,
        }
    }

    /// Records where `probe`'s current state falls.
    pub fn observe(&mut self, probe: &Probe<'_, P>) -> Place {
        let place = probe.place();
        self.observed += 1;
        match place {
            Place::Inside(i) => {
                self.observed_inside += 1;
                self.covered[i as usize / 64] |= 1 << (i % 64);
            }
            Place::Outside(fp, why) => {
                self.outside.insert(fp, why);
            }
        }
        place
    }

    /// Runs `commands` from the explorer's start ([`Probe::new`]), observing the start and the state after every
    /// event: each command, and each event of a `step` (refused commands change nothing and are not observed).
    pub fn run(&mut self, seed: u64, cfg: &SimConfig<P>, commands: &[Command]) -> Result<(), SimError> {
        let mut probe = Probe::new(self.space, seed, cfg)?;
        self.schedules += 1;
        self.observe(&probe);
        for c in commands {
            if probe.sim().stopped() {
                break;
            }
            if let Command::Step { count } = *c {
                for _ in 0..count {
                    if !probe.step() {
                        break;
                    }
                    self.observe(&probe);
                }
            } else if probe.apply(c.clone()).is_ok() {
                self.observe(&probe);
            }
        }
        for (slot, chosen) in probe.sim().chosen().iter() {
            self.reached.insert((slot, chosen.value.clone()));
        }
        for (slot, chosen) in probe.sim().also_chosen() {
            self.reached.insert((*slot, chosen.value.clone()));
        }
        Ok(())
    }

    fn merge(&mut self, other: Meter<'_, P>) {
        for (a, b) in self.covered.iter_mut().zip(&other.covered) {
            *a |= b;
        }
        self.outside.extend(other.outside);
        self.reached.extend(other.reached);
        self.schedules += other.schedules;
        self.observed += other.observed;
        self.observed_inside += other.observed_inside;
    }

    /// What was covered.
    pub fn report(&self) -> CoverageReport {
        let space = self.space;
        let is_covered = |i: usize| self.covered[i / 64] & 1 << (i % 64) != 0;
        let mut by_depth: Vec<DepthCoverage> = Vec::new();
        let mut decisions: Vec<DecisionCoverage> = space
            .decisions
            .iter()
            .map(|(slot, value)| DecisionCoverage {
                slot: *slot,
                value: value.clone(),
                states: 0,
                covered: 0,
                reached_anywhere: self.reached.contains(&(*slot, value.clone())),
            })
            .collect();
        let mut by_round: Vec<(u64, u64)> = vec![(0, 0); space.rounds.len()];
        for i in 0..space.states() {
            let d = space.depth[i] as usize;
            while by_depth.len() <= d {
                by_depth.push(DepthCoverage { depth: by_depth.len() as u32, states: 0, covered: 0 });
            }
            let c = u64::from(is_covered(i));
            by_depth[d].states += 1;
            by_depth[d].covered += c;
            for (k, dc) in decisions.iter_mut().enumerate() {
                if space.decided[i] & 1 << k != 0 {
                    dc.states += 1;
                    dc.covered += c;
                }
            }
            if let Some(&k) = space.round.get(i) {
                by_round[k as usize].0 += 1;
                by_round[k as usize].1 += c;
            }
        }
        decisions.sort_by(|a, b| (a.slot, &a.value).cmp(&(b.slot, &b.value)));
        let mut rounds: Vec<_> = space.rounds.iter().zip(by_round).collect();
        rounds.sort_by(|a, b| a.0.cmp(b.0));
        let by_round = rounds
            .into_iter()
            .map(|(&(round, leader), (states, covered))| RoundCoverage {
                round: round.map(|r| r.to_string()),
                leader,
                states,
                covered,
            })
            .collect();
        let count = |why: Outside| self.outside.values().filter(|w| **w == why).count() as u64;
        let opts = &space.opts;
        let bug = opts.bug.map(|b| P::bugs().iter().find(|(x, _)| *x == b).map_or("?", |(_, name)| *name));
        CoverageReport {
            protocol: P::NAME,
            acceptors: opts.acceptors,
            proposers: opts.proposers,
            crashes: opts.crashes,
            timeouts: opts.timeouts,
            bug,
            states: space.states() as u64,
            complete: space.report.complete,
            covered: self.covered.iter().map(|w| u64::from(w.count_ones())).sum(),
            by_depth,
            decisions,
            by_round,
            schedules: self.schedules,
            observed: self.observed,
            observed_inside: self.observed_inside,
            outside_states: self.outside.len() as u64,
            outside_round: count(Outside::Round),
            outside_timer: count(Outside::Timer),
            outside_timeouts: count(Outside::Timeouts),
            outside_crashes: count(Outside::Crashes),
            outside_other: count(Outside::Other),
        }
    }
}

/// The explorer's states at one depth, and how many of them runs reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DepthCoverage {
    /// The depth (shortest path length).
    pub depth: u32,
    /// The explorer's states at that depth.
    pub states: u64,
    /// Those some run reached.
    pub covered: u64,
}

/// A decision (a value chosen in a slot) the explorer reaches, and whether runs did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionCoverage {
    /// The slot.
    pub slot: Slot,
    /// The value.
    pub value: Value,
    /// The explorer's states in which it is chosen.
    pub states: u64,
    /// Those some run reached.
    pub covered: u64,
    /// Whether some run chose it at all, inside the explorer's space or outside (after a second ballot, say).
    pub reached_anywhere: bool,
}

/// The explorer's states whose highest round is one round, with or without a leader in it, and how many of them
/// runs reached (recorded when the explorer fires timeouts: Raft's terms, each with a leader elected or not yet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoundCoverage {
    /// The highest round any node is in (Raft: its term, `t2`), if any.
    pub round: Option<String>,
    /// Whether a node leads in that round.
    pub leader: bool,
    /// The explorer's states.
    pub states: u64,
    /// Those some run reached.
    pub covered: u64,
}

/// What `paxos fuzz --coverage` reports for one cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverageReport {
    /// The protocol.
    pub protocol: &'static str,
    /// Acceptors of the cluster explored (Raft: its nodes).
    pub acceptors: usize,
    /// Proposers (each proposing `v<node>` once; Raft: the nodes asked for a value at the start).
    pub proposers: usize,
    /// The explorer's crash budget.
    pub crashes: u8,
    /// The explorer's timeout budget (0 for a protocol whose search fires no timer).
    pub timeouts: u8,
    /// The bug switched on, if any.
    pub bug: Option<&'static str>,
    /// The explorer's distinct states.
    pub states: u64,
    /// Whether the explorer's search was complete (the share is of every reachable state only then).
    pub complete: bool,
    /// The explorer's states some run reached.
    pub covered: u64,
    /// Per depth.
    pub by_depth: Vec<DepthCoverage>,
    /// Per reachable decision; one with `covered == 0` was never reached inside the explorer's space.
    pub decisions: Vec<DecisionCoverage>,
    /// Per highest round and leader (only when the explorer fires timeouts), sorted by round.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_round: Vec<RoundCoverage>,
    /// Runs.
    pub schedules: u64,
    /// Run states observed (after every event of every run, repeats included).
    pub observed: u64,
    /// Of those, inside the explorer's space.
    pub observed_inside: u64,
    /// Distinct run states outside the explorer's space.
    pub outside_states: u64,
    /// Of those, after a timer the explorer never fires started a round ([`Outside::Round`]).
    pub outside_round: u64,
    /// Of those, after a timer the explorer never fires did something else ([`Outside::Timer`]).
    pub outside_timer: u64,
    /// Of those, with more timeouts than the explorer's budget ([`Outside::Timeouts`]).
    pub outside_timeouts: u64,
    /// Of those, with more crashes than the budget (and none of the above).
    pub outside_crashes: u64,
    /// Of those, none of the above: a state the explorer should have reached (0 unless something is wrong).
    pub outside_other: u64,
}

/// Runs the fuzzer's schedules of seeds `start..start + count` ([`Space::schedule`]) as metered runs on `threads`
/// threads, and reports which of the explorer's states they reached.
pub fn measure<P: Protocol>(
    space: &Space<P>,
    start: u64,
    count: u64,
    fuzz: &FuzzOptions,
    threads: usize,
) -> Result<CoverageReport, SimError>
where
    Space<P>: Sync,
{
    space.schedule(start, fuzz).0.validate()?;
    let threads = threads.max(1) as u64;
    let end = start.saturating_add(count);
    let run = |t: u64| -> Meter<'_, P> {
        let mut meter = Meter::new(space);
        let mut seed = start.saturating_add(t);
        while seed < end {
            let (cfg, commands) = space.schedule(seed, fuzz);
            meter.run(seed, &cfg, &commands).expect("validated above");
            let Some(next) = seed.checked_add(threads) else { break };
            seed = next;
        }
        meter
    };
    let mut meters: Vec<Meter<'_, P>> = if threads == 1 {
        vec![run(0)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || run(t))).collect();
            handles.into_iter().map(|h| h.join().expect("coverage thread panicked")).collect()
        })
    };
    let mut total = meters.pop().expect("at least one thread");
    for m in meters {
        total.merge(m);
    }
    Ok(total.report())
}
