//! # Cross-checking Raft with stateright
//!
//! `tests/stateright.rs` runs paxos-core's `Node` under [stateright](https://docs.rs/stateright/0.31); this file
//! does the same for raft-core's [`Node`](raft_core::Node), unchanged, so that a misunderstanding shared by
//! raft-core, our checker (`protocol/raft/judge.rs`) and our fuzzer cannot pass unnoticed. Stateright judges three
//! properties from a ghost record the adapter keeps of each node's own `Elected` and `Committed` events, not from
//! our checker:
//!
//! * **always "state machine safety"**: no two nodes ever commit different values at one slot (as our checker's
//!   rule of that name; see "Values, not entries" below);
//! * **always "election safety"**: no two nodes are ever elected in one term;
//! * **sometimes "value committed"**: some node commits a client's value, so that a passing search reached the
//!   interesting part of the space instead of passing vacuously.
//!
//! The cluster has three nodes, one entry per AppendEntries (raft-core's default), and each node's client asks
//! for one value at the start. The adapter (`support/stateright_raft_model.rs`) is thin: a delivery is
//! `Node::step`, the outbox becomes sends, an election timeout is `Node::campaign` (each node has a budget of
//! campaigns, which bounds the terms and keeps the space finite), and a crash is `Node::restart` (a timer armed
//! once per node, as in the Paxos adapter). Stateright delivers messages in every order over an unordered,
//! lossless, non-duplicating network; time never passes, so there are no heartbeats.
//!
//! ## What is checked
//!
//! 1. Correct Raft keeps both safety properties and commits a value: an exhaustive breadth-first search of every
//!    short path, without and with restarts (the models of no-log-check and forget-vote below), and random complete
//!    runs (stateright's simulation checker) of a general model and of commit-old-term's; our fuzzer (`fuzz_raft`)
//!    finds no violation on three nodes.
//! 2. Each teaching bug ([`Bug::ALL`]) makes stateright find a violation; its counterexample, replayed step by step
//!    in our simulator (each delivery a `deliver` command, each campaign ticks, each restart a crash and a
//!    restart), makes our checker report the bug's own rule ([`Rule::broken_by`]) first and the property
//!    stateright saw broken after it; and our fuzzer finds a violation of the bug's rule within a bounded number of
//!    schedules. Per bug:
//!    * `forget-vote` breaks **election safety**, and only with a restart between two candidates' requests: a node
//!      votes for one candidate, restarts without `votedFor`, and votes for a second candidate of the same term,
//!      so two candidates each count a majority. A breadth-first search with restarts finds the shortest path
//!      (7 steps). Without restarts the bug changes nothing, since a vote is forgotten only at a restart.
//!    * `no-log-check` breaks **state machine safety**: a candidate whose log lacks a committed entry wins the
//!      votes of nodes that hold it, and its own entries replace it on their logs; it commits a different entry at
//!      that slot. It never breaks election safety (one vote per term still holds). Random runs meet it within a
//!      few hundred states.
//!    * `commit-old-term` breaks **state machine safety**, by Figure 8 on three nodes: node 0 leads term 1 and
//!      keeps its entries; node 2 leads term 2 and keeps its own; node 0 leads term 3 and, counting its term-1
//!      entries on node 1 before its term-3 no-op reaches it, commits them; node 2, whose last entry (term 2) is
//!      later than node 1's (term 1), wins term 4 with node 1's vote and overwrites them. That needs four
//!      elections alternating between two nodes whose messages never reach each other, so its model cuts the
//!      link between nodes 0 and 2 and gives node 1 no campaign (node 2 needs three: its second lands in term 3,
//!      which node 1 has already given to node 0). Two different values need the client values after the no-ops
//!      counted too, so a counterexample is long: seed 0's takes 37 steps.
//!
//! ## Why the searches are bounded, and which search each question gets
//!
//! As for Paxos, the full space is far too large for a debug-mode test: a breadth-first search holds about 170k
//! states at 10 steps and more than doubles with each further step, while a complete run takes 30 to 50. So:
//!
//! * "is correct Raft safe?": every path up to a depth (10 steps, 8 with restarts), plus random complete runs;
//! * "does this bug break a property?": the breadth-first search when the counterexample is short (forget-vote),
//!   random complete runs when it is not. `commit-old-term` is the expensive one: over seeds 0 to 15, random runs
//!   of its model meet it after 80k states on average (1.5 s in a debug build; 1k to 260k); with every link up
//!   and budgets of two campaigns for nodes 0 and 2, after 200k (5 s; up to 670k).
//!
//! ## Values, not entries
//!
//! Figure 3 states State Machine Safety for log entries (term and value). The adapter records entries, but the
//! property compares values, as our checker's `state_machine_safety` does, so that the two can be held to agree.
//! Compared by entries, stateright finds commit-old-term sooner (slot 0 committed as term 1's no-op by node 0
//! and as term 2's no-op by node 2), and on that run our checker reports `current_term_commit` only: both values
//! are no-ops, and it judges Leader Completeness when a leader is elected, which here came before the entry was
//! committed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use paxos_core::{NodeId, Slot};
use paxos_sim::fuzz::{fuzz_raft, FuzzOptions, FuzzReport};
use paxos_sim::protocol::raft::judge::Rule;
use paxos_sim::{Command, Raft, RuleSet, SimConfig, Simulator, Violation};
use raft_core::{Bug, Bugs, Config, Entry, Role, Term};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use stateright::actor::{ActorModel, ActorModelAction, ActorModelState};
use stateright::{Checker, Chooser, HasDiscoveries, Model};

#[path = "support/stateright_raft_model.rs"]
mod stateright_raft_model;
use stateright_raft_model::{client_value, conflicting_commit, two_leaders, RaftActor, Timer};

/// The breadth-first search of correct Raft without restarts: stateright counts the initial state as depth 1 and
/// does not expand states at the bound, so every path of up to 10 steps (about 170k states, 5 s). The shortest
/// path to a committed client value takes 7 (an election, then the no-op and the leader's own value to one
/// follower).
const BFS_DEPTH: usize = 12;

/// The same with restarts, which add branches: every path of up to 8 steps (about 130k states, 3.5 s); that covers
/// the shortest forget-vote counterexample (7 steps), which the correct protocol must not have.
const RESTART_BFS_DEPTH: usize = 10;

/// The forget-vote search: every path of up to 7 steps with restarts, where the shortest counterexample lies.
const FORGET_VOTE_BFS_DEPTH: usize = 9;

/// Random complete runs of correct Raft visit this many states per model (about 2 s each): more than
/// commit-old-term needs on the same model with seed 0.
const SIMULATED_STATES: usize = 100_000;

/// A bug must show within this many states of random runs. No-log-check needs a few hundred; commit-old-term 80k
/// on average (seed 0: 67k, 1.3 s), so this leaves a wide margin for changes in the core; it is spent in full only
/// when the test fails.
const BUG_SEARCH_LIMIT: usize = 1_000_000;

/// Our fuzzer's schedules: three nodes, as in the stateright model, and longer runs than the default 200 steps,
/// because forget-vote needs a restart between two candidates' requests of one term, which is rare.
const FUZZ_STEPS: u64 = 500;

/// Our fuzzer must find each bug's rule within this many schedules (forget-vote first breaks it at seed 632; the
/// others within ten), and finds nothing in as many of correct Raft's (about 1 s each).
const FUZZ_SCHEDULES: u64 = 2_000;

/// One stateright model: the bug, each node's campaign budget, restarts, and a cut link.
#[derive(Clone, Copy, Debug)]
struct Shape {
    campaigns: [u8; 3],
    restarts: bool,
    /// Two nodes whose messages never reach each other.
    cut: Option<(u8, u8)>,
}

/// Every node may campaign once, no restarts, every link up: the model of the breadth-first search and of
/// no-log-check.
const PLAIN: Shape = Shape { campaigns: [1, 1, 1], restarts: false, cut: None };

/// Every node may campaign twice and restart once: the general model of random runs of correct Raft.
const GENERAL: Shape = Shape { campaigns: [2, 2, 2], restarts: true, cut: None };

/// Figure 8 on three nodes (see the module doc): nodes 0 and 2 alternate as leaders, never hearing each other.
const FIGURE_8: Shape = Shape { campaigns: [2, 0, 3], restarts: false, cut: Some((0, 2)) };

fn model(bug: Option<Bug>, shape: Shape) -> ActorModel<RaftActor> {
    let cluster = Arc::new(config(bug).validate().unwrap_or_else(|e| panic!("three nodes must be valid: {e}")));
    let cut = shape.cut.map(|(a, b)| (NodeId(a), NodeId(b)));
    stateright_raft_model::actor_model(&cluster, &shape.campaigns, shape.restarts, cut)
}

fn config(bug: Option<Bug>) -> Config {
    let mut config = Config::new(3);
    if let Some(bug) = bug {
        config.bugs = Bugs::default().with(bug);
    }
    config
}

/// Chooses uniformly among the actions that change the state, for stateright's simulation checker (see
/// `tests/stateright.rs` for why stateright's own chooser will not do: a no-op it picks breaks the rebuilding of a
/// counterexample's path). It tries the actions in a random order and takes the first effective one, which is
/// uniform among the effective ones and computes few next states.
#[derive(Clone)]
struct EffectiveChooser {
    model: Arc<ActorModel<RaftActor>>,
}

impl Chooser<ActorModel<RaftActor>> for EffectiveChooser {
    type State = Pcg64Mcg;

    fn new_state(&self, seed: u64) -> Self::State {
        Pcg64Mcg::seed_from_u64(seed)
    }

    fn choose_initial_state(&self, _rng: &mut Self::State, _initial: &[ActorModelState<RaftActor>]) -> usize {
        // An actor model has exactly one initial state.
        0
    }

    fn choose_action(
        &self,
        rng: &mut Self::State,
        current: &ActorModelState<RaftActor>,
        actions: &[<ActorModel<RaftActor> as Model>::Action],
    ) -> usize {
        let mut untried: Vec<usize> = (0..actions.len()).collect();
        while !untried.is_empty() {
            let i = untried.swap_remove((rng.next_u64() % untried.len() as u64) as usize);
            if self.model.next_state(current, actions[i].clone()).is_some() {
                return i;
            }
        }
        // A terminal state: whatever is picked is a no-op, and the run ends.
        0
    }
}

/// How stateright searches.
#[derive(Clone, Copy, Debug)]
enum Search {
    /// Every path up to a depth (see [`BFS_DEPTH`] for how stateright counts it).
    Bfs { depth: usize },
    /// Random complete runs from a seed, until a safety property fails or this many states were visited.
    Simulation { seed: u64, states: usize },
}

type Action = <ActorModel<RaftActor> as Model>::Action;

/// What one stateright search found.
struct Verdict {
    /// The counterexample to state machine safety, and the slot with two entries committed at its end.
    state_machine: Option<(Vec<Action>, (Slot, Entry, Entry))>,
    /// The counterexample to election safety, and the term with two leaders at its end.
    election: Option<(Vec<Action>, (Term, NodeId, NodeId))>,
    committed: bool,
}

/// Runs one stateright search and prints what it saw. A search stops at its first safety violation, or when it has
/// covered its bound.
fn check(label: &str, bug: Option<Bug>, shape: Shape, search: Search) -> Verdict {
    let model = model(bug, shape);
    let start = Instant::now();
    let builder = model.clone().checker().finish_when(HasDiscoveries::AnyFailures);
    let (checker, states, what): (Box<dyn Checker<_>>, _, _) = match search {
        Search::Bfs { depth } => {
            let checker = builder.target_max_depth(depth).spawn_bfs().join();
            let states = checker.unique_state_count();
            (Box::new(checker), states, "unique states")
        }
        Search::Simulation { seed, states } => {
            let chooser = EffectiveChooser { model: Arc::new(model.clone()) };
            let checker = builder.target_state_count(states).spawn_simulation(seed, chooser).join();
            // The simulation checker counts visited states, with repeats across runs.
            let states = checker.state_count();
            (Box::new(checker), states, "states visited")
        }
    };
    let elapsed: Duration = start.elapsed();
    let state_machine = checker.discovery("state machine safety").map(|path| {
        let found = conflicting_commit(path.last_state()).expect("the counterexample ends in a conflicting commit");
        (path.into_actions(), found)
    });
    let election = checker.discovery("election safety").map(|path| {
        let found = two_leaders(path.last_state()).expect("the counterexample ends with two leaders of one term");
        (path.into_actions(), found)
    });
    let verdict = Verdict { state_machine, election, committed: checker.discovery("value committed").is_some() };
    println!(
        "stateright {label}, {shape:?}, {search:?}: {states} {what} (max depth {}) in {elapsed:.2?}; value committed: \
         {}; state machine safety: {}; election safety: {}",
        checker.max_depth(),
        verdict.committed,
        match &verdict.state_machine {
            Some((path, (slot, a, b))) => format!(
                "broken after {} steps, slot {slot} committed as {} {} and {} {}",
                path.len(),
                a.term,
                a.value,
                b.term,
                b.value
            ),
            None => "kept".to_string(),
        },
        match &verdict.election {
            Some((path, (term, a, b))) => format!("broken after {} steps, {a} and {b} lead {term}", path.len()),
            None => "kept".to_string(),
        },
    );
    for actions in verdict.state_machine.iter().map(|(p, _)| p).chain(verdict.election.iter().map(|(p, _)| p)) {
        println!("  counterexample, {} steps:", actions.len());
        for action in actions {
            println!("    {}", model.format_action(action));
        }
    }
    verdict
}

/// Replays a stateright counterexample in our simulator, with our checker on, and returns every violation it
/// reported. The simulator runs nothing by itself here: each delivery is a `deliver` command of the matching
/// message in flight, each campaign ticks the node until it campaigns (its election timer runs out), each restart
/// is a crash and a restart, and each node's client value is proposed first, as in the model.
fn replay(bug: Option<Bug>, actions: &[Action]) -> Vec<Violation<Raft>> {
    let mut cfg = SimConfig::raft(3);
    cfg.cluster = config(bug);
    // Every violation, not only the first: the bug's rule comes first, the property stateright saw after it.
    cfg.stop_on_violation = false;
    let mut sim = Simulator::new(0, cfg, false).expect("three nodes are a valid simulation");
    let apply = |sim: &mut Simulator<Raft>, command: Command| {
        let what = format!("{command:?}");
        sim.apply(command).unwrap_or_else(|e| panic!("replaying stateright's counterexample, {what}: {e}"));
    };
    for node in (0..3).map(NodeId) {
        apply(&mut sim, Command::Propose { node, value: client_value(node) });
    }
    for action in actions {
        match action {
            ActorModelAction::Deliver { src, dst, msg } => {
                let (from, to) = (NodeId(usize::from(*src) as u8), NodeId(usize::from(*dst) as u8));
                let id = sim
                    .in_flight()
                    .find(|m| m.env.from == from && m.env.to == to && m.env.msg == *msg)
                    .map(|m| m.id)
                    .unwrap_or_else(|| panic!("our simulator has no {msg} from {from} to {to} in flight"));
                apply(&mut sim, Command::Deliver { msg: id });
            }
            ActorModelAction::Timeout(id, Timer::Campaign) => {
                let node = NodeId(usize::from(*id) as u8);
                let term = sim.nodes()[node.index()].durable().term;
                // The election timer runs out within the longest timeout; a leader never reaches here (the model's
                // campaign is a no-op there).
                for _ in 0..=config(bug).timing.election.1 {
                    if sim.nodes()[node.index()].durable().term > term {
                        break;
                    }
                    apply(&mut sim, Command::Tick { node });
                }
                let now = &sim.nodes()[node.index()];
                assert!(
                    now.durable().term == term.next()
                        && matches!(now.role(), Role::Candidate { .. } | Role::Leader { .. }),
                    "ticking {node} did not make it campaign"
                );
            }
            ActorModelAction::Timeout(id, Timer::Restart) => {
                let node = NodeId(usize::from(*id) as u8);
                apply(&mut sim, Command::Crash { node });
                apply(&mut sim, Command::Restart { node });
            }
            other => panic!("the model has no {other:?}"),
        }
    }
    sim.violations().to_vec()
}

/// Runs our fuzzer on `bug` (or correct Raft) and prints what it saw.
fn fuzz(bug: Option<Bug>) -> FuzzReport<Raft> {
    let opts = FuzzOptions { nodes: 3, steps: FUZZ_STEPS, ..FuzzOptions::default() };
    let start = Instant::now();
    let report = fuzz_raft(0, FUZZ_SCHEDULES, &opts, bug, 1).expect("three nodes are a valid fuzz configuration");
    println!(
        "fuzzer {}: {} schedules of {FUZZ_STEPS} steps in {:.2?}, {} violating, {} committing; first: {}",
        bug.map_or("correct", Bug::name),
        report.schedules,
        start.elapsed(),
        report.violations,
        report.with_chosen,
        match &report.first_violation {
            Some((seed, v)) => format!("seed {seed}, {}: {}", v.rule.name(), v.message),
            None => "none".to_string(),
        },
    );
    report
}

#[test]
fn correct_raft_keeps_both_safety_properties_and_commits_a_value() {
    let searches = [
        ("correct", PLAIN, Search::Bfs { depth: BFS_DEPTH }),
        ("correct with restarts", Shape { restarts: true, ..PLAIN }, Search::Bfs { depth: RESTART_BFS_DEPTH }),
        ("correct", GENERAL, Search::Simulation { seed: 0, states: SIMULATED_STATES }),
        // The bugs' models, so that what breaks there is the bug's doing.
        ("correct", FIGURE_8, Search::Simulation { seed: 0, states: SIMULATED_STATES }),
    ];
    for (label, shape, search) in searches {
        let verdict = check(label, None, shape, search);
        assert!(verdict.state_machine.is_none(), "stateright ({shape:?}, {search:?}): two entries committed at a slot");
        assert!(verdict.election.is_none(), "stateright ({shape:?}, {search:?}): two leaders of one term");
        assert!(verdict.committed, "stateright ({shape:?}, {search:?}) never saw a value committed: a vacuous pass");
    }

    // Our fuzzer on the same cluster size must agree: no violation of any of its rules.
    let report = fuzz(None);
    assert_eq!(report.first_violation, None, "our fuzzer: correct Raft broke a rule");
    assert!(report.with_chosen > report.schedules / 2, "our fuzzer's runs rarely committed anything");
}

#[test]
fn every_teaching_bug_breaks_a_property_in_stateright_and_its_rule_in_our_checkers() {
    for bug in Bug::ALL {
        let name = bug.name();
        // How the bug shows in stateright: the model, the search, and the property it breaks. The match has no
        // wildcard, so a new bug must be placed here.
        let (shape, search, property) = match bug {
            Bug::ForgetVote => {
                (Shape { restarts: true, ..PLAIN }, Search::Bfs { depth: FORGET_VOTE_BFS_DEPTH }, Rule::ElectionSafety)
            }
            Bug::NoLogCheck => {
                (PLAIN, Search::Simulation { seed: 0, states: BUG_SEARCH_LIMIT }, Rule::StateMachineSafety)
            }
            Bug::CommitOldTerm => {
                (FIGURE_8, Search::Simulation { seed: 0, states: BUG_SEARCH_LIMIT }, Rule::StateMachineSafety)
            }
            // The model changes no membership: the fuzzer (fuzz.rs) and tests/raft_membership.rs find this one.
            Bug::ChangeTwoAtOnce => continue,
        };
        let verdict = check(name, Some(bug), shape, search);
        let counterexample = match property {
            Rule::ElectionSafety => verdict.election.map(|(path, _)| path),
            _ => verdict.state_machine.map(|(path, _)| path),
        };
        let counterexample = counterexample
            .unwrap_or_else(|| panic!("stateright: {name} kept {} ({shape:?}, {search:?})", property.name()));

        // Our checker, on the very same steps, must report the bug's rule first, and the property stateright saw.
        let violations = replay(Some(bug), &counterexample);
        let rules: Vec<&str> = violations.iter().map(|v| v.rule.name()).collect();
        println!("  our checker on that counterexample: {rules:?}");
        for v in &violations {
            println!("    {}: {}", v.rule.name(), v.message);
        }
        assert_eq!(violations.first().map(|v| v.rule), Some(Rule::broken_by(bug)), "{name}: {rules:?}");
        assert!(violations.iter().any(|v| v.rule == property), "{name}: no {} in {rules:?}", property.name());

        // Our fuzzer must find the bug's rule broken on its own.
        let report = fuzz(Some(bug));
        let (seed, first) = report.first_violation.unwrap_or_else(|| panic!("our fuzzer found no violation of {name}"));
        assert_eq!(first.rule, Rule::broken_by(bug), "our fuzzer, {name}, seed {seed}: {}", first.message);
    }
}
