//! The exhaustive explorer: breadth-first search over every interleaving of deliver, drop, duplicate, crash and
//! restart (the last four bounded), over the same core and checker as the simulator, with state deduplication.
//!
//! Time does not pass in the explorer (no ticks), so each proposer runs one ballot; what varies is every order in
//! which messages arrive or are lost. It is single-threaded so it also runs in a browser.
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

use paxos_core::{Bug, Cluster, Config, Envelope, Mode, Node, NodeId, Roles, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use crate::checker::{Checker, Rule, Violation};
use crate::sim::SimError;

mod compact;

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
pub struct ExploreOptions {
    /// The network model.
    pub network: NetworkModel,
    /// Acceptors.
    pub acceptors: usize,
    /// Proposers, each proposing its own value once; they are also the learners.
    pub proposers: usize,
    /// A protocol bug to enable.
    pub bug: Option<Bug>,
    /// At most this many crashes on a path.
    pub crashes: u8,
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

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            network: NetworkModel::Set,
            acceptors: 3,
            proposers: 2,
            bug: None,
            crashes: 1,
            drops: 1,
            duplicates: 1,
            max_states: 5_000_000,
            max_depth: None,
            stop_at_first: true,
            reduce: true,
        }
    }
}

impl ExploreOptions {
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
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Action {
    /// Deliver one message.
    Deliver {
        /// The message.
        #[serde(flatten)]
        env: Envelope,
    },
    /// Lose one message.
    Drop {
        /// The message.
        #[serde(flatten)]
        env: Envelope,
    },
    /// Copy one message.
    Duplicate {
        /// The message.
        #[serde(flatten)]
        env: Envelope,
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
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    nodes: Vec<Node>,
    up: Vec<bool>,
    /// In-flight messages, sorted: a set or a multiset, per the network model.
    net: Vec<Envelope>,
    checker: Checker,
    crashes: u8,
    drops: u8,
    duplicates: u8,
}

/// A path from the initial state to a violation.
#[derive(Clone, Debug, Serialize)]
pub struct Counterexample {
    /// The actions, in order.
    pub path: Vec<Action>,
    /// What broke.
    pub violation: Violation,
}

/// What the search found.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ExploreReport {
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
    pub violated_rules: Vec<Rule>,
    /// Every (slot, value) chosen in some explored state, sorted: the reachable decisions.
    pub decisions: Vec<(paxos_core::Slot, Value)>,
    /// The first counterexample found (the shortest in the full search; in the reduced search, the shortest among
    /// the paths it explores).
    pub counterexample: Option<Counterexample>,
}

fn fingerprint(s: &State) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Runs `node`'s outputs into the state; returns the first violation.
fn collect(s: &mut State, node: NodeId, model: NetworkModel) -> Option<Violation> {
    let n = &mut s.nodes[node.index()];
    let out: Vec<Envelope> = n.drain_outbox().collect();
    let events: Vec<_> = n.drain_events().collect();
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

fn successors(s: &State, opts: &ExploreOptions, cluster: &Cluster, out: &mut Vec<(Action, State, Option<Violation>)>) {
    for (i, env) in s.net.iter().enumerate() {
        if i > 0 && s.net[i - 1] == *env {
            continue; // identical copies lead to identical states
        }
        let up = s.up[env.to.index()];
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
            t.checker.on_deliver(env.from, env.to, &env.msg);
            t.nodes[env.to.index()].step(env.from, env.msg.clone(), &mut rng);
            violation = collect(&mut t, env.to, opts.network);
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
    for node in cluster.nodes() {
        if s.up[node.index()] && s.crashes < opts.crashes {
            let mut t = s.clone();
            t.up[node.index()] = false;
            t.crashes += 1;
            out.push((Action::Crash { node }, t, None));
        } else if !s.up[node.index()] {
            let mut t = s.clone();
            t.up[node.index()] = true;
            t.nodes[node.index()].restart();
            let promised = t.nodes[node.index()].durable().promised;
            let v = t.checker.on_restart(0, node, promised);
            out.push((Action::Restart { node }, t, v));
        }
    }
}

/// Explores every reachable state (within the bounds) and reports the first violation with its path.
pub fn explore(opts: &ExploreOptions) -> Result<ExploreReport, SimError> {
    let cluster = Arc::new(opts.config().validate()?);
    if opts.reduce && opts.network == NetworkModel::Set {
        return Ok(compact::explore(opts, cluster));
    }
    let mut init = State {
        nodes: cluster.nodes().map(|id| Node::new(id, cluster.clone())).collect(),
        up: vec![true; cluster.len()],
        net: Vec::new(),
        checker: Checker::new(&cluster),
        crashes: 0,
        drops: 0,
        duplicates: 0,
    };
    for &p in &cluster.proposers {
        let value = Value::text(&format!("v{p}"));
        init.checker.on_propose(&value);
        init.nodes[p.index()].propose(value).expect("a fresh proposer is idle");
        collect(&mut init, p, opts.network);
    }

    let mut report = ExploreReport::default();
    // Per fingerprint: the parent's fingerprint and the action from it, to rebuild a counterexample's path.
    let mut seen: HashMap<u64, Option<(u64, Action)>> = HashMap::new();
    let root = fingerprint(&init);
    seen.insert(root, None);
    let mut frontier = VecDeque::from([(init, root, 0u32)]);
    report.unique_states = 1;
    let mut next = Vec::new();
    let mut decisions = Vec::new();
    let done = |mut report: ExploreReport, decisions: Vec<(paxos_core::Slot, Value)>| {
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
        successors(&state, opts, &cluster, &mut next);
        for (action, t, violation) in next.drain(..) {
            report.states += 1;
            let tfp = fingerprint(&t);
            if seen.contains_key(&tfp) {
                continue;
            }
            seen.insert(tfp, Some((fp, action)));
            report.unique_states += 1;
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

fn path_to(seen: &HashMap<u64, Option<(u64, Action)>>, mut fp: u64) -> Vec<Action> {
    let mut path = Vec::new();
    while let Some(Some((parent, action))) = seen.get(&fp) {
        path.push(action.clone());
        fp = *parent;
    }
    path.reverse();
    path
}
