//! Raft in the exhaustive explorer: three nodes, two election timeouts, no client request (the values are the
//! leaders' no-ops). Correct Raft's search completes with no violation; each teaching bug is found at the rule it
//! removes, and its counterexample, turned into simulator commands, breaks the same rule first in the simulator.
//! The reduced search (dead replies left out) reaches the same rules and decisions as the full one.

use paxos_core::{Slot, Value};
use paxos_sim::explore::{fork_commands, search, ExploreOptions, NetworkModel};
use paxos_sim::{Raft, RuleSet, SimConfig, Simulator};
use raft_core::Bug;

fn options(bug: Option<Bug>, crashes: u8) -> ExploreOptions<Raft> {
    ExploreOptions { acceptors: 3, proposers: 0, bug, crashes, ..ExploreOptions::default() }
}

#[test]
fn correct_raft_without_crashes_completes_with_no_violation() {
    let r = search(&options(None, 0)).unwrap();
    assert!(r.complete && r.violations == 0, "{:?}", r.violated_rules);
    // Pinned: a change to raft-core, its judge or the explorer that changes the state space shows here.
    assert_eq!(r.unique_states, 49_036);
    assert_eq!(r.decisions, vec![(Slot(0), Value::Noop), (Slot(1), Value::Noop)], "two leaders' no-ops commit");
}

#[test]
fn each_bug_is_found_at_its_rule_and_replays_in_the_simulator() {
    // (bug, unique states when found, actions on the counterexample)
    for (bug, states, actions) in
        [(Bug::CommitOldTerm, 24_964, 11), (Bug::ForgetVote, 336, 6), (Bug::NoLogCheck, 234, 5)]
    {
        let r = search(&options(Some(bug), 1)).unwrap();
        let rule = paxos_sim::protocol::raft::judge::Rule::broken_by(bug);
        let c = r.counterexample.unwrap_or_else(|| panic!("{} is not found", bug.name()));
        assert_eq!(c.violation.rule, rule, "{}", bug.name());
        assert_eq!((r.unique_states, c.path.len()), (states, actions), "{}", bug.name());
        // The simulator on the explorer's cluster (no client request), driven along the path.
        let mut cfg = SimConfig::raft(3);
        cfg.cluster.bugs = cfg.cluster.bugs.with(bug);
        let mut sim = Simulator::new(0, cfg, false).unwrap();
        for command in fork_commands(&sim, &c.path).unwrap() {
            sim.apply(command).unwrap();
        }
        assert_eq!(sim.violations().first().map(|v| v.rule.name()), Some(rule.name()), "{}", bug.name());
    }
}

#[test]
fn the_reduced_search_breaks_the_rules_and_reaches_the_decisions_of_the_full_one() {
    // No crash, so that a depth is the same number of actions in both searches (the reduced one takes a crash and
    // its restart as one step); every violating state is counted.
    for (bug, depth) in [(None, 10), (Some(Bug::NoLogCheck), 10), (Some(Bug::CommitOldTerm), 10)] {
        let opts = ExploreOptions { max_depth: Some(depth), stop_at_first: false, ..options(bug, 0) };
        let reduced = search(&opts).unwrap();
        let full = search(&ExploreOptions { reduce: false, network: NetworkModel::Set, ..opts }).unwrap();
        assert_eq!(reduced.violated_rules, full.violated_rules, "{bug:?}");
        assert_eq!(reduced.decisions, full.decisions, "{bug:?}");
        assert!(!full.decisions.is_empty() && reduced.unique_states < full.unique_states, "{bug:?}");
        if bug == Some(Bug::NoLogCheck) {
            assert!(!full.violated_rules.is_empty(), "the bug is reached within the depth");
        }
    }
}
