//! Checking every future of a moment of a simulated run ([`explore_from`]), and turning a counterexample into the
//! commands of a fork of that run ([`fork_commands`]): the page's "Check every future" is this, in a Web Worker.

use paxos_core::{Mode, NodeId, Value};
use paxos_sim::explore::{explore_from, fork_commands, ExploreOptions, Start};
use paxos_sim::{Command, Rule, SimConfig, Simulator};

fn run(bug: bool, commands: &[Command]) -> Simulator {
    let mut cfg = SimConfig::new(Mode::Single, 3);
    cfg.cluster.bugs.minority_quorum = bug;
    let mut sim = Simulator::new(1, cfg, true).unwrap();
    for c in commands {
        sim.apply(c.clone()).unwrap();
    }
    sim
}

fn propose(node: u8, value: &str) -> Command {
    Command::Propose { node: NodeId(node), value: Value::text(value) }
}

fn opts() -> ExploreOptions {
    ExploreOptions { max_states: 3_000_000, ..ExploreOptions::default() }
}

#[test]
fn a_counterexample_from_a_moment_replays_as_a_fork_that_breaks_the_same_rule() {
    let sim = run(true, &[propose(0, "a"), propose(2, "b")]);
    assert!(sim.violations().is_empty());
    let start = Start::moment(&sim);
    assert_eq!(start.in_flight(), 6, "two prepares to three nodes each");
    let mut calls = 0;
    let report = explore_from(start, &opts(), &mut |_| {
        calls += 1;
        true
    });
    assert!(calls > 0, "progress is reported");
    let c = report.counterexample.expect("minority-quorum breaks a rule in some future");
    assert_eq!(c.violation.rule, Rule::ElectedWithoutQuorum);
    assert!(!report.complete, "stopped at the first violation");
    let commands = fork_commands(&sim, &c.path).unwrap();
    assert!(commands.iter().all(|c| matches!(
        c,
        Command::Deliver { .. } | Command::Duplicate { .. } | Command::Crash { .. } | Command::Restart { .. }
    )));
    let mut fork = sim.clone();
    for c in commands {
        fork.apply(c).unwrap();
    }
    assert_eq!(
        fork.violations().first().map(|v| v.rule),
        Some(Rule::ElectedWithoutQuorum),
        "the fork breaks the rule the search found"
    );
}

#[test]
fn every_future_of_a_decided_run_is_safe_and_the_search_completes() {
    let mut sim = run(false, &[propose(0, "a")]);
    while sim.chosen().is_empty() {
        sim.apply(Command::Step { count: 1 }).unwrap();
    }
    let report = explore_from(Start::moment(&sim), &opts(), &mut |_| true);
    assert!(report.complete, "{report:?}");
    assert!(report.counterexample.is_none() && report.violated_rules.is_empty());
    assert_eq!(report.decisions.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(), vec![Value::text("a")]);
}

#[test]
fn a_down_node_and_a_cut_link_are_honoured_and_a_cancel_stops_the_search() {
    // Node 1 is down and the link 0 → 2 is cut: no future delivers to node 1 before it restarts, and none on 0 → 2.
    let sim = run(
        false,
        &[
            Command::Crash { node: NodeId(1) },
            Command::Cut { from: NodeId(0), to: NodeId(2), one_way: true },
            propose(0, "a"),
        ],
    );
    let report = explore_from(Start::moment(&sim), &ExploreOptions { crashes: 0, ..opts() }, &mut |_| true);
    assert!(report.complete && report.violated_rules.is_empty(), "{report:?}");
    // Node 0 alone cannot get a value chosen until node 1 comes back: with it, "a" is chosen in some future.
    assert_eq!(report.decisions.len(), 1);
    // A progress callback that says stop stops the search, and the report says so.
    let sim = run(false, &[propose(0, "a"), propose(2, "b")]);
    let report = explore_from(Start::moment(&sim), &opts(), &mut |p| p.unique_states < 1000);
    assert!(report.cancelled && !report.complete);
}
