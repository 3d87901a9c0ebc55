//! The exhaustive explorer: breadth-first search over every interleaving of deliver, drop, duplicate, crash and
//! restart (the last four bounded), over the same core and checker as the simulator, with state deduplication.
//!
//! Time does not pass in the explorer (no ticks), so each proposer runs one ballot; what varies is every order in
//! which messages arrive or are lost. It is single-threaded and allocation-bounded so it also runs in a browser.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use paxos_core::{Bug, Cluster, Config, Envelope, Mode, Node, NodeId, Roles, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use crate::checker::{Checker, Violation};
use crate::sim::SimError;

/// What to explore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExploreOptions {
    /// Acceptors (which are also the learners).
    pub acceptors: usize,
    /// Proposers, each proposing its own value once.
    pub proposers: usize,
    /// A protocol bug to enable.
    pub bug: Option<Bug>,
    /// At most this many crashes on a path.
    pub crashes: u8,
    /// At most this many dropped messages on a path.
    pub drops: u8,
    /// At most this many duplicated messages on a path.
    pub duplicates: u8,
    /// Stop at this many unique states (the report says so when hit).
    pub max_states: usize,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            acceptors: 3,
            proposers: 2,
            bug: None,
            crashes: 1,
            drops: 1,
            duplicates: 1,
            max_states: 5_000_000,
        }
    }
}

impl ExploreOptions {
    /// The cluster explored: acceptor-learners `0..a`, then proposers.
    pub fn config(&self) -> Config {
        let acceptor = Roles { proposer: false, acceptor: true, learner: true };
        let proposer = Roles { proposer: true, acceptor: false, learner: false };
        let mut cfg = Config::uniform(Mode::Single, 0);
        cfg.nodes = [vec![acceptor; self.acceptors], vec![proposer; self.proposers]].concat();
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
    /// In-flight messages as a sorted multiset.
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
    /// The first (shortest) counterexample.
    pub counterexample: Option<Counterexample>,
}

fn fingerprint(s: &State) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Runs `node`'s outputs into the state; returns the first violation.
fn collect(s: &mut State, node: NodeId) -> Option<Violation> {
    let n = &mut s.nodes[node.index()];
    let out: Vec<Envelope> = n.drain_outbox().collect();
    let events: Vec<_> = n.drain_events().collect();
    for env in out {
        let at = s.net.partition_point(|e| *e <= env);
        s.net.insert(at, env);
    }
    let mut first = None;
    for e in &events {
        if let (_, Some(v)) = s.checker.on_event(0, node, e) {
            first.get_or_insert(v);
        }
    }
    first
}

fn successors(s: &State, opts: &ExploreOptions, cluster: &Cluster, out: &mut Vec<(Action, State, Option<Violation>)>) {
    let mut rng = Pcg64Mcg::seed_from_u64(0);
    for (i, env) in s.net.iter().enumerate() {
        if i > 0 && s.net[i - 1] == *env {
            continue; // identical copies lead to identical states
        }
        let mut t = s.clone();
        let env = t.net.remove(i);
        let mut violation = None;
        if t.up[env.to.index()] {
            t.nodes[env.to.index()].step(env.from, env.msg.clone(), &mut rng);
            violation = collect(&mut t, env.to);
        }
        out.push((Action::Deliver { env: env.clone() }, t, violation));
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
            out.push((Action::Duplicate { env }, t, None));
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
            let v = if cluster.roles(node).acceptor { t.checker.on_restart(0, node, promised) } else { None };
            out.push((Action::Restart { node }, t, v));
        }
    }
}

/// Explores every reachable state (within the bounds) and reports the first violation with its path.
pub fn explore(opts: &ExploreOptions) -> Result<ExploreReport, SimError> {
    let cluster = Arc::new(opts.config().validate()?);
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
        collect(&mut init, p);
    }

    let mut report = ExploreReport::default();
    // Per fingerprint: the parent's fingerprint and the action from it, to rebuild a counterexample's path.
    let mut seen: HashMap<u64, Option<(u64, Action)>> = HashMap::new();
    let root = fingerprint(&init);
    seen.insert(root, None);
    let mut frontier = VecDeque::from([(init, root, 0u32)]);
    report.unique_states = 1;
    let mut next = Vec::new();
    while let Some((state, fp, depth)) = frontier.pop_front() {
        report.max_depth = report.max_depth.max(depth);
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
            if let Some(v) = violation {
                report.violations += 1;
                if report.counterexample.is_none() {
                    report.counterexample = Some(Counterexample { path: path_to(&seen, tfp), violation: v });
                }
                // A violating state is reported, not explored further.
                continue;
            }
            if seen.len() >= opts.max_states {
                report.truncated = true;
                return Ok(report);
            }
            frontier.push_back((t, tfp, depth + 1));
        }
    }
    Ok(report)
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
