//! The reduced search against the full one.
//!
//! The reduced search (`ExploreOptions::reduce`, the default for the set network) packs states into integers and
//! takes a crash and its later restart as one step. The packing is exact (it only renames states), and the restart
//! step is sound because in the set network a crashed node receives nothing while every message to it stays
//! deliverable. These tests check both claims on clusters small enough for the full search to finish in a debug
//! build: the two searches break the same rules and reach the same decisions, for the correct protocol and for
//! every teaching bug, and without crashes they count exactly the same states.

use paxos_core::Bug;
use paxos_sim::explore::{explore, ExploreOptions, ExploreReport};

/// Explores `opts` with both searches; `None` when the configuration is invalid (for both).
fn both(opts: ExploreOptions) -> Option<(ExploreReport, ExploreReport)> {
    let full = explore(&ExploreOptions { reduce: false, ..opts });
    let reduced = explore(&ExploreOptions { reduce: true, ..opts });
    match (full, reduced) {
        (Ok(full), Ok(reduced)) => Some((full, reduced)),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string());
            None
        }
        (a, b) => panic!("only one search accepted {opts:?}: full {:?}, reduced {:?}", a.is_ok(), b.is_ok()),
    }
}

fn options(acceptors: usize, proposers: usize, crashes: u8, bug: Option<Bug>) -> ExploreOptions {
    ExploreOptions {
        acceptors,
        proposers,
        crashes,
        bug,
        // Every violating state is counted, so the rules compared are all the rules the search can break.
        stop_at_first: false,
        max_states: 2_000_000,
        ..ExploreOptions::default()
    }
}

#[test]
fn reduced_and_full_searches_break_the_same_rules_and_reach_the_same_decisions() {
    let mut compared = 0;
    for (acceptors, proposers, crashes) in [(1, 2, 1), (2, 1, 1), (3, 1, 1)] {
        for bug in [None].into_iter().chain(Bug::ALL.map(Some)) {
            let Some((full, reduced)) = both(options(acceptors, proposers, crashes, bug)) else { continue };
            let what = format!("{acceptors} acceptors, {proposers} proposers, {crashes} crashes, bug {bug:?}");
            println!(
                "{what}: full {} states, reduced {}; rules {:?}; decisions {:?}",
                full.unique_states, reduced.unique_states, reduced.violated_rules, reduced.decisions
            );
            assert!(full.complete && reduced.complete, "{what}: a search did not finish");
            assert_eq!(full.violated_rules, reduced.violated_rules, "{what}: different rules broken");
            assert_eq!(full.decisions, reduced.decisions, "{what}: different decisions reachable");
            assert_eq!(full.chosen_reachable, reduced.chosen_reachable, "{what}");
            assert!(reduced.unique_states <= full.unique_states, "{what}: the reduction grew the space");
            compared += 1;
        }
    }
    assert!(compared >= 15, "only {compared} configurations were valid");
}

#[test]
fn without_crashes_the_reduced_search_counts_the_same_states() {
    // No crash, no restart step: the packing only renames states, so the counts must be equal, not just the verdicts.
    for (acceptors, proposers) in [(1, 2), (2, 1), (3, 1), (1, 3)] {
        for bug in [None, Some(Bug::IgnoreAccepted), Some(Bug::BreakPromise)] {
            let Some((full, reduced)) = both(options(acceptors, proposers, 0, bug)) else { continue };
            assert!(full.complete && reduced.complete);
            assert_eq!(
                (full.unique_states, full.violations, full.max_depth),
                (reduced.unique_states, reduced.violations, reduced.max_depth),
                "{acceptors} acceptors, {proposers} proposers, bug {bug:?}"
            );
            assert_eq!(full.decisions, reduced.decisions);
        }
    }
}

#[test]
fn reduced_search_finds_every_teaching_bug_within_the_default_bound() {
    // The default cluster (3 acceptors, 2 proposers, one crash), bounded as `paxos check` is by default; both
    // searches stop at their first violation. Adopt-lowest needs a third ballot, so neither finds it here.
    for bug in Bug::ALL {
        let opts = ExploreOptions { bug: Some(bug), max_depth: Some(12), ..ExploreOptions::default() };
        let reduced = explore(&opts).unwrap();
        match bug {
            Bug::AdoptLowest => assert!(reduced.counterexample.is_none(), "{:?}", reduced.counterexample),
            _ => {
                let c = reduced.counterexample.unwrap_or_else(|| panic!("the reduced search missed {bug:?}"));
                println!("{bug:?}: {} actions: {}", c.path.len(), c.violation.message);
            }
        }
    }
}
