//! The coverage meter: which of the explorer's states random fault schedules reach (`paxos fuzz --coverage`).
//!
//! The explorer lists every state of a small single-decree cluster; the fuzzer samples runs of the same protocol
//! with clocks and faults. The meter maps each state of a simulated run onto the explorer's state space and counts
//! the explorer's states the runs reached, so it says whether the fuzzer's schedules look where the explorer looks.
//!
//! **The runs.** A metered run ([`Probe`]) is a [`Simulator`] on the explorer's cluster ([`ExploreOptions::config`])
//! that starts as the explorer does: each proposer proposes `v<node>` before anything else happens. The fuzzer's
//! schedules ([`Space::schedule`]) keep their network, latency, loss, duplication, partitions, cuts, crashes,
//! restarts and steps, and drop their proposals.
//!
//! **The map.** After every event of a run (each command, and each message arrival, loss or clock tick of a
//! `step`) the meter reads the simulator's state as the explorer's reduced search would store it:
//!
//! * every node by its [`NodeKey`] (no timer, round seen, idle proposer or tally order), and a crashed node as the
//!   node it restarts as: in the set network a crash and its later restart are one step, because a node that is
//!   down receives nothing (its state does not change until it restarts);
//! * the checker by its explorer key, the phase 1 of every proposer no longer preparing forgotten, and a crashed
//!   node's restart applied, as the explorer's checker after the same step;
//! * the network as **every message the run has sent**, whether it is still in flight, delivered, lost or dropped,
//!   less the dead ones (whose delivery changes nothing now or later, [`canon`](super::canon)): in the explorer's
//!   set network a sent message stays deliverable, so a run's state offers every future the explorer considers;
//! * the crashes used: the crashes that changed something (a crash of a node with nothing volatile to lose leads
//!   to a state the explorer reaches without it, and it does not spend the explorer's budget either).
//!
//! A state of a run is **inside** when the explorer found a state with the same key, and **outside** otherwise:
//! most often because a proposer timed out and ran a second ballot (the explorer's proposers run one each, having
//! no clocks), or because the run crashed more nodes than the explorer's budget. [`Outside`] says which; `Other`
//! would mean the map or the explorer's canonicalisation is wrong, and the tests check that driving the simulator
//! along every transition of the explorer finds exactly its states and nothing outside.
//!
//! States are compared by a 128-bit fingerprint of the key (two SipHash passes): with the explorer's 180,033
//! states and a few million run states, the chance that two different keys collide is below 10^-24.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use paxos_core::{Ballot, Bug, Cluster, Envelope, Mode, Msg, Node, NodeId, Phase, Slot, Value};
use serde::Serialize;

use super::{compact, ExploreOptions, ExploreReport, NetworkModel, Start, Visited};
use crate::checker::Checker;
use crate::command::Command;
use crate::fuzz::{self, FuzzOptions};
use crate::protocol::paxos::canon::{dead_at, done_with, NodeKey, Rules};
use crate::sim::{SimConfig, SimError, Simulator};

/// The explorer's state space of one cluster, as fingerprints, with each state's depth and decisions.
pub struct Space {
    opts: ExploreOptions,
    cluster: Arc<Cluster>,
    rules: Rules,
    index: HashMap<u128, u32>,
    depth: Vec<u32>,
    /// Per state: bit `d` set when `decisions[d]` is chosen in it.
    decided: Vec<u64>,
    decisions: Vec<(Slot, Value)>,
    /// The ballots of the initial proposals, the only ones the explorer's proposers run.
    ballots: Vec<Ballot>,
    report: ExploreReport,
    /// Visited states whose fingerprint an earlier one had (0 unless the map is not one-to-one on the search's
    /// states).
    repeats: u64,
}

impl Space {
    /// Explores the cluster of `opts` (the set network, reduced, every state: a violating state is kept but not
    /// expanded) and records its states.
    pub fn new(opts: &ExploreOptions) -> Result<Space, SimError> {
        let opts = ExploreOptions { network: NetworkModel::Set, reduce: true, stop_at_first: false, ..*opts };
        let cluster = Arc::new(opts.config().validate()?);
        let rules = Rules::of(&cluster);
        let mut space = Space {
            opts,
            cluster,
            rules,
            index: HashMap::new(),
            depth: Vec::new(),
            decided: Vec::new(),
            decisions: Vec::new(),
            ballots: Vec::new(),
            report: ExploreReport::default(),
            repeats: 0,
        };
        let start = Start::proposals(&opts)?;
        space.ballots = start.nodes.iter().filter_map(|n| n.proposer()).map(|p| p.ballot).collect();
        let mut visit = |v: &Visited<'_>| {
            assert_eq!(v.down, 0, "a search from the proposals has no node down");
            let fp = space.fingerprint(v.nodes, v.checker, v.network.iter(), v.restarts);
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
                assert!(k < 64, "more than 64 decisions in a single-decree cluster");
                mask |= 1 << k;
            }
            space.decided.push(mask);
        };
        let report = compact::explore(start, &opts, &mut |_| true, Some(&mut visit));
        space.report = report;
        Ok(space)
    }

    /// What the explorer's search found.
    pub fn report(&self) -> &ExploreReport {
        &self.report
    }

    /// The options explored.
    pub fn options(&self) -> &ExploreOptions {
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
    pub fn config(&self) -> SimConfig {
        let mut cfg = SimConfig::new(Mode::Single, self.cluster.len());
        cfg.cluster = self.opts.config();
        cfg
    }

    /// The fuzzer's schedule for `seed` on the explorer's cluster: its network settings and commands, without its
    /// proposals (a [`Probe`] makes the explorer's). `fuzz`'s cluster fields (nodes, mode, bug, quorums) are not
    /// read.
    pub fn schedule(&self, seed: u64, fuzz: &FuzzOptions) -> (SimConfig, Vec<Command>) {
        let opts = FuzzOptions {
            nodes: self.cluster.len(),
            mode: Mode::Single,
            bug: self.opts.bug,
            q1: None,
            q2: None,
            ..*fuzz
        };
        let (generated, commands) = fuzz::schedule(seed, &opts);
        let mut cfg = generated;
        cfg.cluster = self.opts.config();
        (cfg, commands.into_iter().filter(|c| !matches!(c, Command::Propose { .. })).collect())
    }

    /// The checker as the explorer stores it beside `nodes`: the phase 1 of each proposer no longer preparing
    /// forgotten (the explorer forgets it when the proposer stops preparing), and its explorer key.
    fn checker_key(&self, checker: &Checker, nodes: &[Node]) -> Checker {
        let mut checker = checker.clone();
        if self.rules.single {
            for n in nodes.iter().filter(|n| !preparing(n)) {
                checker.forget_phase1(n.id());
            }
        }
        checker.explorer_key()
    }

    /// The key of a state, as a fingerprint: node keys, checker key, live network, crashes used.
    fn fingerprint<'a>(
        &self,
        nodes: &[Node],
        checker: &Checker,
        network: impl Iterator<Item = &'a Envelope>,
        restarts: u8,
    ) -> u128 {
        #[derive(Hash)]
        struct Key<'a> {
            nodes: Vec<NodeKey>,
            checker: Checker,
            network: Vec<&'a Envelope>,
            restarts: u8,
        }
        let can_restart = restarts < self.opts.crashes;
        let mut live: Vec<&Envelope> = network
            .filter(|env| {
                let (from, to) = (&nodes[env.from.index()], &nodes[env.to.index()]);
                let to_acceptor = to.roles().acceptor;
                !(dead_at(self.rules, to, env.from, &env.msg, can_restart)
                    && done_with(self.rules, from, &env.msg, to_acceptor))
            })
            .collect();
        live.sort();
        live.dedup();
        let key = Key {
            nodes: nodes.iter().map(|n| NodeKey::key(n, self.rules.single)).collect(),
            checker: self.checker_key(checker, nodes),
            network: live,
            restarts,
        };
        let mut a = DefaultHasher::new();
        key.hash(&mut a);
        let mut b = DefaultHasher::new();
        0x9e37_79b9_7f4a_7c15u64.hash(&mut b);
        key.hash(&mut b);
        u128::from(a.finish()) << 64 | u128::from(b.finish())
    }
}

/// Whether `node`'s proposer is in phase 1.
fn preparing(node: &Node) -> bool {
    node.proposer().is_some_and(|p| matches!(p.phase, Phase::Preparing { .. }))
}

/// Why a run's state is outside the explorer's space (the first that applies, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outside {
    /// A proposer ran a ballot other than its first (it timed out, or was rejected, and retried after its backoff):
    /// the explorer has no clocks, and each of its proposers runs one ballot.
    SecondBallot,
    /// A proposer's timer fired and it abandoned its ballot (and has not started another yet): the explorer's
    /// proposers stop only when rejected or when they learn a value.
    Timeout,
    /// More crashes than the explorer's budget.
    Crashes,
    /// Neither: a state the explorer should have reached. It would mean the map or the explorer is wrong.
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
/// that the simulator does not keep (every message sent, the crashes that changed something).
#[derive(Clone)]
pub struct Probe<'s> {
    space: &'s Space,
    sim: Simulator,
    /// Every message sent so far, sorted, each once.
    sent: Vec<Envelope>,
    /// The first message id not yet added to `sent`.
    next_id: u64,
    crashes: u8,
    /// Whether a proposer's timer changed its phase.
    timed_out: bool,
}

impl<'s> Probe<'s> {
    /// A run of `cfg` (whose cluster must be the explorer's: see [`Space::config`] and [`Space::schedule`]) where
    /// each proposer has proposed `v<node>`, in node order, as in the explorer's first state.
    pub fn new(space: &'s Space, seed: u64, cfg: &SimConfig) -> Result<Probe<'s>, SimError> {
        let mut sim = Simulator::new(seed, cfg.clone(), false)?;
        for &p in &space.cluster.proposers {
            sim.apply(Command::Propose { node: p, value: Value::text(&format!("v{p}")) })?;
        }
        let mut probe = Probe { space, sim, sent: Vec::new(), next_id: 0, crashes: 0, timed_out: false };
        probe.note_sent();
        Ok(probe)
    }

    /// The simulator.
    pub fn sim(&self) -> &Simulator {
        &self.sim
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
        let phases = self.phases();
        let tick = matches!(command, Command::Tick { .. });
        self.sim.apply(command)?;
        self.timed_out |= tick && self.phases() != phases;
        self.crashes = self.crashes.saturating_add(u8::from(changes));
        self.note_sent();
        Ok(())
    }

    /// Runs the next event; false when the run stopped at a violation.
    pub fn step(&mut self) -> bool {
        let (phases, deliveries) = (self.phases(), self.sim.deliveries());
        let ran = self.sim.step();
        // An event that delivered nothing and changed a proposer's phase was a clock tick.
        self.timed_out |= self.sim.deliveries() == deliveries && self.phases() != phases;
        self.note_sent();
        ran
    }

    /// Each proposer's ballot and phase.
    fn phases(&self) -> Vec<Option<(Ballot, Phase)>> {
        self.sim.nodes().iter().map(|n| n.proposer().map(|p| (p.ballot, p.phase.clone()))).collect()
    }

    /// Whether crashing `node` now leads anywhere a run without the crash does not: its restart changes its key or
    /// the checker's.
    fn crash_changes(&self, node: NodeId) -> bool {
        let space = self.space;
        let now = self.sim.nodes();
        let mut after = now.to_vec();
        after[node.index()].restart();
        let mut checker = self.sim.checker().clone();
        restart_checker(&mut checker, space, &after[node.index()]);
        NodeKey::key(&now[node.index()], space.rules.single) != NodeKey::key(&after[node.index()], space.rules.single)
            || space.checker_key(self.sim.checker(), now) != space.checker_key(&checker, &after)
    }

    fn note_sent(&mut self) {
        let before = self.sent.len();
        let mut next = self.next_id;
        for m in self.sim.in_flight().filter(|m| m.id.0 >= self.next_id) {
            next = next.max(m.id.0 + 1);
            self.sent.push(m.env.clone());
        }
        self.next_id = next;
        if self.sent.len() > before {
            self.sent.sort();
            self.sent.dedup();
        }
    }

    /// Where the run's current state falls in the explorer's space.
    pub fn place(&self) -> Place {
        let space = self.space;
        let mut nodes = self.sim.nodes().to_vec();
        let mut checker = self.sim.checker().clone();
        for node in &mut nodes {
            if !self.sim.is_up(node.id()) {
                node.restart();
                restart_checker(&mut checker, space, node);
            }
        }
        let fp = space.fingerprint(&nodes, &checker, self.sent.iter(), self.crashes);
        if let Some(&i) = space.index.get(&fp) {
            return Place::Inside(i);
        }
        let own = |b: &Ballot| space.ballots.contains(b);
        let ballot = |m: &Msg| match m {
            Msg::Prepare { ballot, .. }
            | Msg::Promise { ballot, .. }
            | Msg::Accept { ballot, .. }
            | Msg::Accepted { ballot, .. }
            | Msg::Reject { ballot, .. }
            | Msg::Heartbeat { ballot, .. } => Some(*ballot),
            _ => None,
        };
        let second = self.sent.iter().filter_map(|e| ballot(&e.msg)).any(|b| !own(&b))
            || nodes.iter().filter_map(|n| n.proposer()).any(|p| p.phase != Phase::Idle && !own(&p.ballot));
        let why = if second {
            Outside::SecondBallot
        } else if self.timed_out {
            Outside::Timeout
        } else if self.crashes > space.opts.crashes {
            Outside::Crashes
        } else {
            Outside::Other
        };
        Place::Outside(fp, why)
    }
}

/// The checker after `node` (already restarted) restarted, as the explorer's checker sees it.
fn restart_checker(checker: &mut Checker, space: &Space, node: &Node) {
    let id = node.id();
    if space.cluster.roles(id).acceptor {
        checker.restarted_with(0, id, node.durable().promised);
    }
    if space.rules.single {
        checker.forget_phase1(id);
    }
}

/// The explorer's states reached by metered runs, and the run states outside its space.
pub struct Meter<'s> {
    space: &'s Space,
    /// Bit set over the explorer's states.
    covered: Vec<u64>,
    outside: HashMap<u128, Outside>,
    /// Decisions reached in some run state, inside or outside.
    reached: HashSet<(Slot, Value)>,
    schedules: u64,
    observed: u64,
    observed_inside: u64,
}

impl<'s> Meter<'s> {
    /// A meter with nothing observed.
    pub fn new(space: &'s Space) -> Meter<'s> {
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
    pub fn observe(&mut self, probe: &Probe<'_>) -> Place {
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
    pub fn run(&mut self, seed: u64, cfg: &SimConfig, commands: &[Command]) -> Result<(), SimError> {
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

    fn merge(&mut self, other: Meter<'_>) {
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
        }
        decisions.sort_by(|a, b| (a.slot, &a.value).cmp(&(b.slot, &b.value)));
        let count = |why: Outside| self.outside.values().filter(|w| **w == why).count() as u64;
        let opts = &space.opts;
        CoverageReport {
            acceptors: opts.acceptors,
            proposers: opts.proposers,
            crashes: opts.crashes,
            bug: opts.bug.map(Bug::name),
            states: space.states() as u64,
            complete: space.report.complete,
            covered: self.covered.iter().map(|w| u64::from(w.count_ones())).sum(),
            by_depth,
            decisions,
            schedules: self.schedules,
            observed: self.observed,
            observed_inside: self.observed_inside,
            outside_states: self.outside.len() as u64,
            outside_second_ballot: count(Outside::SecondBallot),
            outside_timeout: count(Outside::Timeout),
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

/// What `paxos fuzz --coverage` reports for one cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverageReport {
    /// Acceptors of the cluster explored.
    pub acceptors: usize,
    /// Proposers (each proposing `v<node>` once).
    pub proposers: usize,
    /// The explorer's crash budget.
    pub crashes: u8,
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
    /// Runs.
    pub schedules: u64,
    /// Run states observed (after every event of every run, repeats included).
    pub observed: u64,
    /// Of those, inside the explorer's space.
    pub observed_inside: u64,
    /// Distinct run states outside the explorer's space.
    pub outside_states: u64,
    /// Of those, after a second ballot.
    pub outside_second_ballot: u64,
    /// Of those, after a proposer timed out (and no second ballot).
    pub outside_timeout: u64,
    /// Of those, with more crashes than the budget (and no timeout).
    pub outside_crashes: u64,
    /// Of those, neither: a state the explorer should have reached (0 unless something is wrong).
    pub outside_other: u64,
}

/// Runs the fuzzer's schedules of seeds `start..start + count` ([`Space::schedule`]) as metered runs on `threads`
/// threads, and reports which of the explorer's states they reached.
pub fn measure(
    space: &Space,
    start: u64,
    count: u64,
    fuzz: &FuzzOptions,
    threads: usize,
) -> Result<CoverageReport, SimError> {
    space.schedule(start, fuzz).0.validate()?;
    let threads = threads.max(1) as u64;
    let end = start.saturating_add(count);
    let run = |t: u64| -> Meter<'_> {
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
    let mut meters: Vec<Meter<'_>> = if threads == 1 {
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
