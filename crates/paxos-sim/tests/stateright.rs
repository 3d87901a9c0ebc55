//! # Cross-checking the core with stateright
//!
//! Our explorer ([`paxos_sim::explore`]) and our safety checker ([`paxos_sim::Checker`]) were written together with
//! the core, so a misunderstanding shared by all three would go unnoticed. This file runs the very same [`Node`]
//! under an independent model checker, [stateright](https://docs.rs/stateright/0.31), and asks it two questions:
//!
//! * **always "agreement"**: no two learners ever learn different values in slot 0;
//! * **sometimes "value chosen"**: some learner learns a value, so a passing run did reach the interesting part of
//!   the state space instead of passing vacuously.
//!
//! The cluster is the explorer's ([`ExploreOptions::config`]): three acceptors and two proposers (today the first
//! two acceptors also propose and learn), each proposer proposing its own value once, with no ticks, so each
//! proposer runs one ballot. Stateright delivers messages in every order over an unordered, lossless,
//! non-duplicating network; the explorer's equivalent is its multiset network without drops or duplicates.
//!
//! The adapter is deliberately thin: stateright's `Id(i)` is our `NodeId(i)`, a delivery is [`Node::step`], the
//! outbox becomes sends, and a crash is [`Node::restart`], so the adapter cannot keep or lose more than the
//! simulator and the explorer do.
//!
//! ## What is checked
//!
//! 1. The correct protocol keeps agreement and chooses a value, without and with acceptor restarts, and our explorer
//!    agrees that it finds no violation either.
//! 2. Every teaching bug ([`Bug::ALL`]) breaks agreement, stateright finds the disagreement, and our explorer finds
//!    a violation in the same configuration: `ignore-accepted`, `minority-quorum` and `break-promise` on the
//!    fault-free network, `amnesia` once an acceptor may crash and restart. `adopt-lowest` needs a third ballot, so
//!    stateright runs three proposers for it, and our explorer, with two, must find nothing.
//!
//! ## Why the searches are bounded
//!
//! The full state space is far too large for a debug-mode test: every `accepted` message of both ballots reaches
//! the learners in any order, so the states multiply by about three for every two steps of depth. Stateright's
//! breadth-first search holds 136k states when bounded at 12 deliveries, and after 3 million generated states
//! (about 70 s) it has not finished the paths of 15, while a complete run of the protocol takes about 23; our
//! explorer, whose states also carry its checker, does not finish either. So each question gets the search that
//! answers it cheaply:
//!
//! * "is the correct protocol safe?": an exhaustive breadth-first search of every path up to a depth bound, plus
//!   random complete runs (stateright's simulation checker) that reach the end of the protocol;
//! * "does this bug break agreement?": random complete runs, which meet a disagreement within a few thousand
//!   states, where a breadth-first search would first have to exhaust every shorter path (the shortest
//!   `ignore-accepted` counterexample is longer than 14 deliveries).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use paxos_core::{Bug, Value};
use paxos_sim::explore::{explore, ExploreOptions, ExploreReport, NetworkModel};
use paxos_sim::Rule;
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use stateright::actor::{ActorModel, ActorModelState, Network};
use stateright::{Checker, Chooser, Model};

// The adapter itself (`PaxosActor` and the model's properties), shared with the benchmark
// `examples/explorer_vs_stateright.rs`.
#[path = "support/stateright_model.rs"]
mod stateright_model;
use stateright_model::{learned, PaxosActor};

/// The breadth-first search of the correct protocol stops at this depth. Stateright counts the initial state as
/// depth 1 and does not check states at the bound itself, so every path of up to `BFS_DEPTH - 2` = 12 deliveries is
/// checked: that includes the shortest `minority-quorum` counterexample (8 deliveries), and takes about 6 s.
const BFS_DEPTH: usize = 14;

/// The same bound with restarts, which add branches: every path of up to 10 steps, in about 5 s.
const RESTART_BFS_DEPTH: usize = 12;

/// Random complete runs of the correct protocol visit this many states (about 2 s).
const SIMULATED_STATES: usize = 50_000;

/// A bug must show a disagreement within this many states of random runs; each needs a few thousand at most.
const BUG_SEARCH_LIMIT: usize = 200_000;

/// Adopt-lowest shows only in a rarer interleaving of three proposers: one acceptor accepts the first ballot's value,
/// two others the second's, and the third proposer hears from one of each. Seed 0 meets it after about 1.2 million
/// states (6 s in a release build).
const ADOPT_LOWEST_SEARCH_LIMIT: usize = 3_000_000;

/// Our explorer's search of the correct fault-free protocol checks every path of up to this many deliveries (30k
/// states, about 2 s), for the same reason as [`BFS_DEPTH`]. The explorer counts a delivery that changes nothing
/// as a step, where stateright skips it, so the two bounds are not comparable step for step.
const EXPLORER_DEPTH: u32 = 10;

/// The explorer's cluster (three acceptors, two proposers) with `bug`, as a stateright model.
fn model(bug: Option<Bug>, restarts: bool) -> ActorModel<PaxosActor> {
    let opts = ExploreOptions { acceptors: 3, proposers: proposers(bug), bug, ..ExploreOptions::default() };
    let cluster = match opts.config().validate() {
        Ok(cluster) => Arc::new(cluster),
        Err(e) => panic!("the explorer's configuration with bug {bug:?} must be valid: {e}"),
    };
    assert_eq!(
        (cluster.acceptors.len(), cluster.proposers.len()),
        (3, opts.proposers),
        "the explorer's cluster changed"
    );
    stateright_model::actor_model(&cluster, restarts, Network::new_unordered_nonduplicating([]))
}

/// Proposers in the model: two, as in the explorer, except for adopt-lowest. Each proposer runs one ballot, and the
/// bug only matters when phase 1 reports accepted values of two earlier ballots, so it needs a third proposer.
fn proposers(bug: Option<Bug>) -> usize {
    if bug == Some(Bug::AdoptLowest) {
        3
    } else {
        2
    }
}

/// Chooses uniformly among the actions that change the state, for stateright's simulation checker.
///
/// Stateright's own `UniformChooser` may pick an action that is a no-op (a delivery our adapter skips); the
/// checker then retries, but records the index of the retry in a shortened action list, and rebuilding the path of
/// a discovery later panics ("Unable to reconstruct a `Path`"). Choosing only effective actions gives the same
/// distribution without the retry. It also uses our seeded PCG, which, unlike stateright's `StdRng`, does not
/// change between versions of `rand`.
#[derive(Clone)]
struct EffectiveChooser {
    model: Arc<ActorModel<PaxosActor>>,
}

impl Chooser<ActorModel<PaxosActor>> for EffectiveChooser {
    type State = Pcg64Mcg;

    fn new_state(&self, seed: u64) -> Self::State {
        Pcg64Mcg::seed_from_u64(seed)
    }

    fn choose_initial_state(&self, _rng: &mut Self::State, _initial: &[ActorModelState<PaxosActor>]) -> usize {
        // An actor model has exactly one initial state.
        0
    }

    fn choose_action(
        &self,
        rng: &mut Self::State,
        current: &ActorModelState<PaxosActor>,
        actions: &[<ActorModel<PaxosActor> as Model>::Action],
    ) -> usize {
        let effective: Vec<usize> =
            (0..actions.len()).filter(|&i| self.model.next_state(current, actions[i].clone()).is_some()).collect();
        match effective.len() {
            // A terminal state: whatever is picked is a no-op, and the run ends.
            0 => 0,
            n => effective[(rng.next_u64() % n as u64) as usize],
        }
    }
}

/// How stateright searches.
#[derive(Clone, Copy, Debug)]
enum Search {
    /// Every path up to a depth (see [`BFS_DEPTH`] for how stateright counts it).
    Bfs { depth: usize },
    /// Random complete runs from a seed, until every property has a discovery or this many states were visited.
    Simulation { seed: u64, states: usize },
}

/// What one stateright search found.
struct Verdict {
    /// Every value learned at the end of the agreement counterexample, if stateright found one.
    disagreement: Option<BTreeSet<Value>>,
    chosen: bool,
}

/// Runs one stateright search and prints what it saw, with the counterexample if there is one.
fn check(label: &str, bug: Option<Bug>, restarts: bool, search: Search) -> Verdict {
    let model = model(bug, restarts);
    let start = Instant::now();
    match search {
        Search::Bfs { depth } => {
            let checker = model.checker().target_max_depth(depth).spawn_bfs().join();
            report(label, &checker, search, start.elapsed(), checker.unique_state_count())
        }
        Search::Simulation { seed, states } => {
            let chooser = EffectiveChooser { model: Arc::new(model.clone()) };
            let checker = model.checker().target_state_count(states).spawn_simulation(seed, chooser).join();
            // The simulation checker counts visited states, with repeats across runs.
            report(label, &checker, search, start.elapsed(), checker.state_count())
        }
    }
}

/// Prints one search's result and turns it into a verdict.
fn report(
    label: &str,
    checker: &impl Checker<ActorModel<PaxosActor>>,
    search: Search,
    elapsed: Duration,
    states: usize,
) -> Verdict {
    let counterexample = checker.discovery("agreement");
    let verdict = Verdict {
        disagreement: counterexample.as_ref().map(|path| learned(path.last_state()).cloned().collect()),
        chosen: checker.discovery("value chosen").is_some(),
    };
    let what = match search {
        Search::Bfs { .. } => "unique states",
        Search::Simulation { .. } => "states visited",
    };
    println!(
        "stateright {label}, {search:?}: {states} {what} (max depth {}) in {elapsed:.2?}; value chosen: {}; \
         agreement counterexample: {}",
        checker.max_depth(),
        verdict.chosen,
        match &verdict.disagreement {
            Some(values) => format!("learned {values:?}"),
            None => "none".to_string(),
        },
    );
    if let Some(path) = counterexample {
        let actions = path.into_actions();
        println!("  counterexample, {} steps:", actions.len());
        for action in &actions {
            println!("    {}", checker.model().format_action(action));
        }
    }
    verdict
}

/// Runs our explorer and prints what it saw.
fn run_explorer(label: &str, opts: &ExploreOptions) -> ExploreReport {
    let start = Instant::now();
    let report = explore(opts).unwrap_or_else(|e| panic!("the explorer failed for {label}: {e}"));
    println!(
        "explorer {label}: {} unique states (max depth {}{}{}) in {:.2?}; counterexample: {}",
        report.unique_states,
        report.max_depth,
        if report.depth_bounded { ", depth-bounded" } else { "" },
        if report.truncated { ", truncated" } else { "" },
        start.elapsed(),
        match &report.counterexample {
            Some(c) => format!("{} after {} actions: {}", c.violation.rule.name(), c.path.len(), c.violation.message),
            None => "none".to_string(),
        },
    );
    report
}

/// The explorer's options for the stateright configuration: the multiset network (a delivered message is
/// consumed), without crashes, drops or duplicates, because the stateright network is lossless and
/// non-duplicating. The search stops at the first violation, which is the shortest.
fn faultless(bug: Option<Bug>) -> ExploreOptions {
    ExploreOptions {
        network: NetworkModel::Multiset,
        acceptors: 3,
        proposers: 2,
        bug,
        crashes: 0,
        drops: 0,
        duplicates: 0,
        stop_at_first: true,
        ..ExploreOptions::default()
    }
}

#[test]
fn correct_protocol_keeps_agreement_and_chooses_a_value() {
    for search in [Search::Bfs { depth: BFS_DEPTH }, Search::Simulation { seed: 0, states: SIMULATED_STATES }] {
        let verdict = check("correct", None, false, search);
        assert_eq!(verdict.disagreement, None, "stateright ({search:?}): learners disagree in the correct protocol");
        assert!(verdict.chosen, "stateright ({search:?}) never saw a value learned: the check passed vacuously");
    }

    // Our explorer on the same fault-free configuration must agree: no violation of any of its rules.
    let report = run_explorer("correct", &ExploreOptions { max_depth: Some(EXPLORER_DEPTH), ..faultless(None) });
    assert!(!report.truncated, "the explorer stopped at its state limit, before its depth bound");
    assert!(
        report.counterexample.is_none(),
        "explorer: the correct protocol broke a rule: {:?}",
        report.counterexample
    );
    assert!(report.chosen_reachable, "the explorer never reached a chosen value");
}

#[test]
fn correct_protocol_keeps_agreement_across_restarts() {
    // A restarted acceptor keeps its promise and accepted values, so agreement holds even though a restarted
    // learner forgets what it learned and every acceptor may restart once.
    for search in [Search::Bfs { depth: RESTART_BFS_DEPTH }, Search::Simulation { seed: 0, states: SIMULATED_STATES }] {
        let verdict = check("correct with restarts", None, true, search);
        assert_eq!(verdict.disagreement, None, "stateright ({search:?}): learners disagree across restarts");
        assert!(verdict.chosen, "stateright ({search:?}) never saw a value learned across restarts");
    }
}

#[test]
fn every_teaching_bug_breaks_agreement_in_both_checkers() {
    for bug in Bug::ALL {
        let name = bug.name();
        // How the bug shows, for each checker. The match has no wildcard, so a new bug must be placed here.
        let (restarts, explorer_opts, explorer_rule) = match bug {
            // Both break agreement on a network that merely reorders messages. Our checker flags the broken rule
            // before any learner could disagree: a proposer that proposes its own value over a reported one, and a
            // proposer that completes phase 1 on fewer promises than the configuration's (majority) quorum.
            Bug::IgnoreAccepted => (false, faultless(Some(bug)), Some(Rule::AdoptedNotHighest)),
            Bug::MinorityQuorum => (false, faultless(Some(bug)), Some(Rule::ElectedWithoutQuorum)),
            // Amnesia needs a restart. Our checker flags the restart itself (the acceptor's promise went back
            // down), before any learner could disagree, so its rule differs while the verdict, unsafe, is the same.
            Bug::Amnesia => (true, ExploreOptions { crashes: 1, ..faultless(Some(bug)) }, Some(Rule::PromiseDecreased)),
            // An accept that arrives after a higher promise is taken: our checker flags that acceptance itself,
            // before the second value is chosen.
            Bug::BreakPromise => (false, faultless(Some(bug)), Some(Rule::AcceptedBelowPromise)),
            // Stateright runs three proposers for this one ([`proposers`]). Our explorer's two ballots cannot show it
            // (a promise reports at most one earlier ballot, so lowest and highest are the same), and with three
            // proposers its breadth-first search would have to exhaust every path of about 20 deliveries first:
            // it must find nothing with two, and the fuzzer (tests/properties.rs) finds the bug in random runs.
            Bug::AdoptLowest => {
                (false, ExploreOptions { max_depth: Some(EXPLORER_DEPTH), ..faultless(Some(bug)) }, None)
            }
            // Membership change is Multi-Paxos only, which neither model has: tests/membership.rs catches it.
            Bug::ReconfigureEarly => continue,
        };

        let label = if restarts { format!("{name} with restarts") } else { name.to_string() };
        let limit = if bug == Bug::AdoptLowest { ADOPT_LOWEST_SEARCH_LIMIT } else { BUG_SEARCH_LIMIT };
        let verdict = check(&label, Some(bug), restarts, Search::Simulation { seed: 0, states: limit });
        let values = verdict
            .disagreement
            .unwrap_or_else(|| panic!("stateright found no agreement counterexample for {name} in {limit} states"));
        assert!(values.len() >= 2, "the {name} counterexample must end with two values learned: {values:?}");

        let report = run_explorer(&label, &explorer_opts);
        assert!(!report.truncated, "the explorer stopped at its state limit for {name}");
        let Some(explorer_rule) = explorer_rule else {
            assert!(report.counterexample.is_none(), "explorer, {name} with two ballots: {:?}", report.counterexample);
            assert!(report.chosen_reachable);
            continue;
        };
        let counterexample =
            report.counterexample.unwrap_or_else(|| panic!("the explorer found no counterexample for {name}"));
        assert_eq!(
            counterexample.violation.rule, explorer_rule,
            "explorer, {name}: {}",
            counterexample.violation.message
        );
    }
}
