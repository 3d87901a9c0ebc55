//! The exhaustive explorer: breadth-first search over every interleaving of deliver, drop, duplicate, crash,
//! restart and timeout (the last five bounded), over the same core and checker as the simulator, with state
//! deduplication. It is generic over the [`Protocol`]; what it needs of one (a node's key, the messages no future
//! reads, the timer it lets fire) is the protocol's ([`Protocol::key`], [`Protocol::dead_to`],
//! [`Protocol::timeout`]).
//!
//! Time does not pass in the explorer (no ticks), so each Paxos proposer runs one ballot; what varies is every
//! order in which messages arrive or are lost. A protocol whose elections start from timers (Raft) is offered a
//! `Timeout` of any node its timer could fire for, within a budget per path ([`ExploreOptions::timeouts`]). It is
//! single-threaded so it also runs in a browser.
//!
//! Two network models:
//! * [`NetworkModel::Set`] (the default, stateright's "unordered duplicating" network): the network is the set of
//!   messages ever sent, and any of them can be delivered at any time, any number of times, or never. That is loss,
//!   duplication and reordering at once, unbounded, and it keeps the state space small because delivering a message
//!   that changes nothing leads back to a state already seen.
//! * [`NetworkModel::Multiset`]: messages in flight are consumed on delivery, and drops and duplications are explicit
//!   actions, each bounded per path. It is the literal model, and much larger.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use paxos_core::{Config, Mode, NodeId, Roles, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use crate::checker::{Checker, Violation};
use crate::link::Link;
use crate::protocol::{Paxos, Protocol, RuleOf};
use crate::sim::{SimError, Simulator};

mod compact;
pub mod coverage;

pub use crate::protocol::paxos::canon::NodeKey;

/// How the explorer models the network; see the module documentation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetworkModel {
    /// Every message ever sent stays deliverable, any number of times.
    #[default]
    Set,
    /// Messages are consumed on delivery; drops and duplicates are bounded actions.
    Multiset,
}

impl std::str::FromStr for NetworkModel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "set" => Ok(NetworkModel::Set),
            "multiset" => Ok(NetworkModel::Multiset),
            _ => Err(format!("unknown network model `{s}` (expected `set` or `multiset`)")),
        }
    }
}

/// What to explore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExploreOptions<P: Protocol = Paxos> {
    /// The network model.
    pub network: NetworkModel,
    /// Paxos: the acceptors. Raft: the nodes (each votes, as an acceptor promises).
    pub acceptors: usize,
    /// Paxos: the proposers, each proposing its own value once; they are also the learners. Raft: the first
    /// `proposers` nodes are each asked by a client for their own value at the start.
    pub proposers: usize,
    /// A protocol bug to enable.
    pub bug: Option<P::Bug>,
    /// At most this many crashes on a path.
    pub crashes: u8,
    /// At most this many timeouts on a path (a protocol that offers none ignores it; see [`Protocol::timeout`]).
    pub timeouts: u8,
    /// At most this many dropped messages on a path (multiset network only).
    pub drops: u8,
    /// At most this many duplicated messages on a path (multiset network only).
    pub duplicates: u8,
    /// Stop at this many unique states (the report says so when hit).
    pub max_states: usize,
    /// Do not expand states deeper than this many actions (bounded model checking); `None` explores everything.
    pub max_depth: Option<u32>,
    /// Stop at the first violation (its path is the shortest, since the search is breadth-first).
    pub stop_at_first: bool,
    /// Use the reduced search (set network only): the compact engine, where a crash and its restart are one step
    /// (see the `compact` module). `false` runs the full search, the reference the reduction is tested against.
    pub reduce: bool,
}

impl<P: Protocol> Default for ExploreOptions<P> {
    fn default() -> Self {
        ExploreOptions {
            network: NetworkModel::Set,
            acceptors: 3,
            proposers: 2,
            bug: None,
            crashes: 1,
            timeouts: P::TIMEOUTS,
            drops: 1,
            duplicates: 1,
            max_states: 5_000_000,
            max_depth: None,
            stop_at_first: true,
            reduce: true,
        }
    }
}

impl ExploreOptions<Paxos> {
    /// The cluster explored: `acceptors` nodes, the first `proposers` of which also propose and learn (when there
    /// are more proposers than acceptors, the extra ones are proposer-learners only). Combining roles, as deployments
    /// do, keeps the number of nodes and messages, and so the state space, small.
    pub fn config(&self) -> Config {
        let mut cfg = Config::uniform(Mode::Single, 0);
        let n = self.acceptors.max(self.proposers);
        cfg.nodes = (0..n)
            .map(|i| Roles { proposer: i < self.proposers, acceptor: i < self.acceptors, learner: i < self.proposers })
            .collect();
        if let Some(bug) = self.bug {
            cfg.bugs = cfg.bugs.with(bug);
        }
        cfg
    }
}

/// One transition.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "op", rename_all = "snake_case", bound = "")]
pub enum Action<P: Protocol = Paxos> {
    /// Deliver one message.
    Deliver {
        /// The message.
        #[serde(flatten)]
        env: P::Envelope,
    },
    /// Lose one message.
    Drop {
        /// The message.
        #[serde(flatten)]
        env: P::Envelope,
    },
    /// Copy one message.
    Duplicate {
        /// The message.
        #[serde(flatten)]
        env: P::Envelope,
    },
    /// Crash a node.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// Restart a crashed node.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// The node's timer fires ([`Protocol::timeout`]: a Raft follower or candidate campaigns).
    Timeout {
        /// The node.
        node: NodeId,
    },
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct State<P: Protocol> {
    nodes: Vec<P::Node>,
    up: Vec<bool>,
    /// In-flight messages, sorted: a set or a multiset, per the network model.
    net: Vec<P::Envelope>,
    checker: Checker<P>,
    crashes: u8,
    timeouts: u8,
    drops: u8,
    duplicates: u8,
}

/// A path from the initial state to a violation.
#[derive(Clone, Debug, Serialize)]
#[serde(bound = "")]
pub struct Counterexample<P: Protocol = Paxos> {
    /// The actions, in order.
    pub path: Vec<Action<P>>,
    /// What broke.
    pub violation: Violation<P>,
}

/// What the search found.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(bound = "")]
pub struct ExploreReport<P: Protocol = Paxos> {
    /// Transitions taken (states generated, counting repeats).
    pub states: u64,
    /// Distinct states.
    pub unique_states: u64,
    /// States with a violation.
    pub violations: u64,
    /// The longest path explored.
    pub max_depth: u32,
    /// Whether some reachable state has a chosen value (the search reached the interesting part).
    pub chosen_reachable: bool,
    /// Whether the search stopped at `max_states` before finishing.
    pub truncated: bool,
    /// Whether some states were left unexpanded at `max_depth`.
    pub depth_bounded: bool,
    /// Whether every reachable state was explored: neither truncated, nor depth-bounded, nor stopped at a
    /// violation.
    pub complete: bool,
    /// The rules broken in some explored state, sorted.
    pub violated_rules: Vec<RuleOf<P>>,
    /// Every (slot, value) chosen in some explored state, sorted: the reachable decisions.
    pub decisions: Vec<(paxos_core::Slot, Value)>,
    /// The first counterexample found (the shortest in the full search; in the reduced search, the shortest among
    /// the paths it explores).
    pub counterexample: Option<Counterexample<P>>,
    /// Whether the progress callback stopped the search (a memory budget, or a person's Cancel).
    pub cancelled: bool,
    /// The memory the search held at its end, estimated from its tables (reduced search only).
    pub bytes: u64,
}

/// How far a search has got, reported while it runs ([`explore_from`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Distinct states found.
    pub unique_states: u64,
    /// Transitions taken.
    pub states: u64,
    /// The depth being expanded: every state at most this many actions away has been found and checked.
    pub depth: u32,
    /// The memory the search holds, estimated from its tables.
    pub bytes: u64,
}

/// Where a search starts: every node's state, which nodes are up, the messages in flight, the links that are cut
/// and the checker, at one moment. [`Start::proposals`] is the explorer's usual start (each proposer has just
/// proposed); [`Start::moment`] is a moment of a simulated run, to check every future from there.
#[derive(Clone, Debug)]
pub struct Start<P: Protocol = Paxos> {
    cluster: Arc<P::Cluster>,
    nodes: Vec<P::Node>,
    up: Vec<bool>,
    net: Vec<P::Envelope>,
    cut: Vec<(NodeId, NodeId)>,
    checker: Checker<P>,
}

impl<P: Protocol> Start<P> {
    /// The cluster of `opts` ([`Protocol::explorer_config`]) where each of the first `opts.proposers` nodes has just
    /// been asked for its own value, `v<node>`: in Paxos, every proposer has proposed; in Raft, a client has asked
    /// those nodes, which keep the value until they know a leader.
    pub fn proposals(opts: &ExploreOptions<P>) -> Result<Start<P>, SimError> {
        let config = P::explorer_config(opts);
        let cluster = P::validate(&config)?;
        let n = P::size(&config);
        let mut nodes: Vec<P::Node> = (0..n).map(|i| P::node(NodeId(i as u8), &cluster)).collect();
        let mut checker = Checker::<P>::new(&cluster);
        let mut net = Vec::new();
        let (mut out, mut events) = (Vec::new(), Vec::new());
        for p in (0..opts.proposers.min(n)).map(|i| NodeId(i as u8)) {
            let value = Value::text(&format!("v{p}"));
            checker.on_propose(&value);
            let node = &mut nodes[p.index()];
            P::propose(node, value).expect("a fresh node takes a client's value");
            P::outputs(node, &mut out, &mut events);
            net.append(&mut out);
            for e in events.drain(..) {
                checker.on_event(0, p, &e);
            }
        }
        Ok(Start { up: vec![true; n], cluster, nodes, net, cut: Vec::new(), checker })
    }

    /// The run `sim` at its current moment: its nodes (those crashed stay down until the search restarts them, which
    /// spends no crash), every message in flight (those the network will lose too: a future may deliver them), the
    /// links cut now (they stay cut: the search does not heal) and the checker with what it has seen. No clock
    /// ticks in the explorer: the futures searched are those in which no timer fires but the `Timeout`s it offers
    /// ([`Protocol::timeout`], within [`ExploreOptions::timeouts`]: none for Paxos, Raft's elections).
    pub fn moment(sim: &Simulator<P>) -> Start<P> {
        let cluster = sim.cluster().clone();
        let mut net: Vec<P::Envelope> = sim.in_flight().map(|m| m.env.clone()).collect();
        net.sort();
        net.dedup();
        let ids = || (0..sim.nodes().len()).map(|i| NodeId(i as u8));
        let cut = ids().flat_map(|a| ids().map(move |b| (a, b))).filter(|&(a, b)| sim.link_cut(a, b)).collect();
        Start {
            nodes: sim.nodes().to_vec(),
            up: ids().map(|n| sim.is_up(n)).collect(),
            net,
            cut,
            checker: sim.checker().clone(),
            cluster,
        }
    }

    /// The messages in flight at the start (each once).
    pub fn in_flight(&self) -> usize {
        self.net.len()
    }
}

/// Explores every future of `start` (set network, reduced search), calling `progress` as it goes; the search stops
/// when `progress` returns `false`. `opts` gives the bounds (crashes, states, depth, stop at the first violation);
/// its cluster fields are not read (the start has its own cluster).
pub fn explore_from<P: Protocol>(
    start: Start<P>,
    opts: &ExploreOptions<P>,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> ExploreReport<P> {
    compact::explore(start, opts, progress, None)
}

/// A visitor of the distinct states a search finds ([`explore_visiting`]): each state's nodes and checker.
pub type Visit<'a, P = Paxos> = &'a mut dyn FnMut(&[<P as Protocol>::Node], &Checker<P>);

/// A distinct state of the reduced search, whole, as the coverage meter reads it: the row the search stores, with
/// its parts looked up.
pub(crate) struct Visited<'a, P: Protocol = Paxos> {
    /// Each node (one of its [`Protocol::key`] class; a crashed node as it was when it crashed).
    pub nodes: &'a [P::Node],
    /// The checker (one of its class).
    pub checker: &'a Checker<P>,
    /// The network: every message sent on the path that is not dead, each once, in the order first met.
    pub network: &'a [P::Envelope],
    /// Crashes used on the path (each with its restart).
    pub restarts: u8,
    /// Timeouts used on the path.
    pub timeouts: u8,
    /// The nodes down (bit `i` for node `i`): only those down at a [`Start::moment`], before their restart.
    pub down: u32,
    /// The length of the shortest path to it (a crash with its restart is one step).
    pub depth: u32,
}

/// A visitor of [`Visited`] states.
pub(crate) type RowVisit<'a, P = Paxos> = &'a mut dyn FnMut(&Visited<'_, P>);

/// What checking every future of a moment of a run found ([`check_moment`]).
#[derive(Clone, Debug)]
pub struct MomentCheck<P: Protocol = Paxos> {
    /// The moment checked.
    pub moment: u64,
    /// The messages in flight at that moment (each once).
    pub in_flight: usize,
    /// What the search found.
    pub report: ExploreReport<P>,
    /// When a future breaks a rule: the run forked at the moment along the shortest such future found, shown at its
    /// end (the link of the counterexample).
    pub fork: Option<Link<P>>,
}

/// Checks every future of the moment `link` shows: replays its run to that moment, searches from there
/// ([`explore_from`]) and, when a future breaks a rule, turns the counterexample into a fork of the run
/// ([`fork_commands`]). The page's "Check every future" runs this in a Web Worker; `paxos check --link` natively.
pub fn check_moment<P: Protocol>(
    link: &Link<P>,
    opts: &ExploreOptions<P>,
    progress: &mut dyn FnMut(&Progress) -> bool,
) -> Result<MomentCheck<P>, String> {
    let sim = link.tape.replay(link.at, false).map_err(|e| e.to_string())?;
    let start = Start::moment(&sim);
    let in_flight = start.in_flight();
    let report = explore_from(start, opts, progress);
    let fork = match &report.counterexample {
        None => None,
        Some(c) => {
            let mut tape = link.tape.clone();
            tape.truncate(link.at);
            for command in fork_commands(&sim, &c.path)? {
                tape.push(command);
            }
            Some(Link { at: tape.len(), tape })
        }
    };
    Ok(MomentCheck { moment: link.at, in_flight, report, fork })
}

/// The simulator commands that take `sim` along `path` (a counterexample found from [`Start::moment`] of `sim`):
/// each delivery becomes a `deliver` of a message in flight with the same sender, receiver and contents (with a
/// `duplicate` before it when the path delivers the same message again later: the set network lets it), each crash
/// and restart the same command, each timeout the node's `tick`s up to the one its timer fires at (its round
/// changes). The commands are checked on a copy of `sim`; an error names the first action with no matching message,
/// which would mean the explorer and the simulator disagree.
pub fn fork_commands<P: Protocol>(sim: &Simulator<P>, path: &[Action<P>]) -> Result<Vec<crate::Command>, String> {
    use crate::Command;
    let mut sim = sim.clone();
    let mut out = Vec::new();
    for (i, action) in path.iter().enumerate() {
        let commands = match action {
            Action::Deliver { env } => {
                let copies: Vec<_> = sim.in_flight().filter(|m| m.env == *env).map(|m| m.id).collect();
                let Some(&msg) = copies.first() else {
                    return Err(format!("action {} delivers a message that is not in flight: {env:?}", i + 1));
                };
                let again =
                    path[i + 1..].iter().filter(|a| matches!(a, Action::Deliver { env: e } if e == env)).count();
                let mut c: Vec<Command> = (copies.len()..=again).map(|_| Command::Duplicate { msg }).collect();
                c.push(Command::Deliver { msg });
                c
            }
            Action::Drop { env } | Action::Duplicate { env } => {
                let Some(msg) = sim.in_flight().find(|m| m.env == *env).map(|m| m.id) else {
                    return Err(format!("action {} names a message that is not in flight: {env:?}", i + 1));
                };
                vec![if matches!(action, Action::Drop { .. }) {
                    Command::Drop { msg }
                } else {
                    Command::Duplicate { msg }
                }]
            }
            Action::Crash { node } => vec![Command::Crash { node: *node }],
            Action::Restart { node } => vec![Command::Restart { node: *node }],
            Action::Timeout { node } => {
                let round = |sim: &Simulator<P>| sim.nodes().get(node.index()).and_then(P::round);
                let before = round(&sim);
                let mut ticks = Vec::new();
                while round(&sim) == before {
                    if ticks.len() > crate::limits::MAX_TIMER as usize {
                        return Err(format!("action {} (a timeout of node {node}) never fired", i + 1));
                    }
                    let c = Command::Tick { node: *node };
                    sim.apply(c.clone()).map_err(|e| format!("action {} ({c:?}) was refused: {e}", i + 1))?;
                    ticks.push(c);
                }
                out.extend(ticks);
                continue;
            }
        };
        for c in commands {
            sim.apply(c.clone()).map_err(|e| format!("action {} ({c:?}) was refused: {e}", i + 1))?;
            out.push(c);
        }
    }
    Ok(out)
}

fn fingerprint<P: Protocol>(s: &State<P>) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Runs `node`'s outputs into the state; returns the first violation.
fn collect<P: Protocol>(s: &mut State<P>, node: NodeId, model: NetworkModel) -> Option<Violation<P>> {
    let (mut out, mut events) = (Vec::new(), Vec::new());
    P::outputs(&mut s.nodes[node.index()], &mut out, &mut events);
    for env in out {
        match (s.net.binary_search(&env), model) {
            (Ok(_), NetworkModel::Set) => {}
            (Ok(at) | Err(at), _) => s.net.insert(at, env),
        }
    }
    let mut first = None;
    for e in &events {
        if let Some(v) = s.checker.on_event(0, node, e).1.into_iter().next() {
            first.get_or_insert(v);
        }
    }
    first
}

type Successor<P> = (Action<P>, State<P>, Option<Violation<P>>);

fn successors<P: Protocol>(s: &State<P>, opts: &ExploreOptions<P>, out: &mut Vec<Successor<P>>) {
    for (i, env) in s.net.iter().enumerate() {
        if i > 0 && s.net[i - 1] == *env {
            continue; // identical copies lead to identical states
        }
        let (from, to, msg) = P::parts(env);
        let up = s.up[to.index()];
        if opts.network == NetworkModel::Set && !up {
            continue; // nothing would change: the message stays deliverable for after the restart
        }
        let mut t = s.clone();
        if opts.network == NetworkModel::Multiset {
            t.net.remove(i); // consumed, and lost if the receiver is crashed
        }
        let mut violation = None;
        if up {
            // A fresh RNG per transition: the same delivery in the same state must lead to the same state.
            let mut rng = Pcg64Mcg::seed_from_u64(0);
            t.checker.on_deliver(from, to, msg);
            P::step(&mut t.nodes[to.index()], from, msg.clone(), &mut rng);
            violation = collect(&mut t, to, opts.network);
        }
        out.push((Action::Deliver { env: env.clone() }, t, violation));
        if opts.network == NetworkModel::Set {
            continue;
        }
        if s.drops < opts.drops {
            let mut t = s.clone();
            t.net.remove(i);
            t.drops += 1;
            out.push((Action::Drop { env: env.clone() }, t, None));
        }
        if s.duplicates < opts.duplicates {
            let mut t = s.clone();
            t.net.insert(i, env.clone());
            t.duplicates += 1;
            out.push((Action::Duplicate { env: env.clone() }, t, None));
        }
    }
    for node in (0..s.nodes.len()).map(|i| NodeId(i as u8)) {
        if s.up[node.index()] && s.timeouts < opts.timeouts {
            let mut t = s.clone();
            if P::timeout(&mut t.nodes[node.index()], &mut Pcg64Mcg::seed_from_u64(0)) {
                t.timeouts += 1;
                let violation = collect(&mut t, node, opts.network);
                out.push((Action::Timeout { node }, t, violation));
            }
        }
        if s.up[node.index()] && s.crashes < opts.crashes {
            let mut t = s.clone();
            t.up[node.index()] = false;
            t.crashes += 1;
            out.push((Action::Crash { node }, t, None));
        } else if !s.up[node.index()] {
            let mut t = s.clone();
            t.up[node.index()] = true;
            P::restart(&mut t.nodes[node.index()]);
            let v = t.checker.on_restart(0, node, &t.nodes[node.index()]);
            out.push((Action::Restart { node }, t, v));
        }
    }
}

/// Explores every reachable state of Paxos's cluster (within the bounds) and reports the first violation with its
/// path: [`search`] for Paxos, the name every caller had before the explorer was generic (a call cannot infer the
/// protocol from options whose bug is `None`).
pub fn explore(opts: &ExploreOptions) -> Result<ExploreReport, SimError> {
    search(opts)
}

/// Explores every reachable state of protocol `P`'s cluster (within the bounds), from
/// [`Start::proposals`], and reports the first violation with its path.
pub fn search<P: Protocol>(opts: &ExploreOptions<P>) -> Result<ExploreReport<P>, SimError> {
    explore_inner(opts, None)
}

/// [`explore`], calling `visit` with every distinct state it finds, the first included: its nodes (a crashed node
/// as it was when it crashed) and its checker. The reduced search visits one state of each class it identifies
/// (see [`Protocol::key`]), so what the two searches visit is comparable through keys, which is how
/// `tests/explore.rs` checks that they reach the same node states.
pub fn explore_visiting(opts: &ExploreOptions, visit: Visit<'_>) -> Result<ExploreReport, SimError> {
    explore_inner(opts, Some(visit))
}

fn explore_inner<P: Protocol>(
    opts: &ExploreOptions<P>,
    mut visit: Option<Visit<'_, P>>,
) -> Result<ExploreReport<P>, SimError> {
    if opts.reduce && opts.network == NetworkModel::Set {
        let start = Start::proposals(opts)?;
        return Ok(match visit {
            None => compact::explore(start, opts, &mut |_| true, None),
            Some(visit) => compact::explore(start, opts, &mut |_| true, Some(&mut |s| visit(s.nodes, s.checker))),
        });
    }
    let Start { nodes, up, net, checker, .. } = Start::proposals(opts)?;
    let mut init = State { nodes, up, net: Vec::new(), checker, crashes: 0, timeouts: 0, drops: 0, duplicates: 0 };
    for env in net {
        match (init.net.binary_search(&env), opts.network) {
            (Ok(_), NetworkModel::Set) => {}
            (Ok(at) | Err(at), _) => init.net.insert(at, env),
        }
    }

    if let Some(visit) = visit.as_mut() {
        visit(&init.nodes, &init.checker);
    }
    let mut report = ExploreReport::default();
    // Per fingerprint: the parent's fingerprint and the action from it, to rebuild a counterexample's path.
    let mut seen: HashMap<u64, Option<(u64, Action<P>)>> = HashMap::new();
    let root = fingerprint(&init);
    seen.insert(root, None);
    let mut frontier = VecDeque::from([(init, root, 0u32)]);
    report.unique_states = 1;
    let mut next = Vec::new();
    let mut decisions = Vec::new();
    let done = |mut report: ExploreReport<P>, decisions: Vec<(paxos_core::Slot, Value)>| {
        report.decisions = decisions;
        report.decisions.sort();
        report.violated_rules.sort();
        report.violated_rules.dedup();
        report.complete = !(report.truncated || report.depth_bounded || opts.stop_at_first && report.violations > 0);
        Ok(report)
    };
    while let Some((state, fp, depth)) = frontier.pop_front() {
        report.max_depth = report.max_depth.max(depth);
        if opts.max_depth.is_some_and(|d| depth >= d) {
            report.depth_bounded = true;
            continue;
        }
        successors(&state, opts, &mut next);
        for (action, t, violation) in next.drain(..) {
            report.states += 1;
            let tfp = fingerprint(&t);
            if seen.contains_key(&tfp) {
                continue;
            }
            seen.insert(tfp, Some((fp, action)));
            report.unique_states += 1;
            if let Some(visit) = visit.as_mut() {
                visit(&t.nodes, &t.checker);
            }
            report.chosen_reachable |= !t.checker.chosen().is_empty();
            for d in compact::decisions(std::iter::once(&t.checker)) {
                if !decisions.contains(&d) {
                    decisions.push(d);
                }
            }
            if let Some(v) = violation {
                report.violations += 1;
                report.violated_rules.push(v.rule);
                if report.counterexample.is_none() {
                    report.counterexample = Some(Counterexample { path: path_to(&seen, tfp), violation: v });
                }
                if opts.stop_at_first {
                    return done(report, decisions);
                }
                // A violating state is reported, not explored further.
                continue;
            }
            if seen.len() >= opts.max_states {
                report.truncated = true;
                return done(report, decisions);
            }
            frontier.push_back((t, tfp, depth + 1));
        }
    }
    done(report, decisions)
}

fn path_to<P: Protocol>(seen: &HashMap<u64, Option<(u64, Action<P>)>>, mut fp: u64) -> Vec<Action<P>> {
    let mut path = Vec::new();
    while let Some(Some((parent, action))) = seen.get(&fp) {
        path.push(action.clone());
        fp = *parent;
    }
    path.reverse();
    path
}
