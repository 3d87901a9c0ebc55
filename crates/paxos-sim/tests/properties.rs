//! Properties over random fault schedules (proptest), determinism, trace round trips, the fuzzer and the explorer.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use paxos_core::{Bug, Mode, NodeId, Value};
use paxos_sim::explore::{explore, ExploreOptions, NetworkModel};
use paxos_sim::fuzz::{fuzz, run_schedule, schedule, FuzzOptions};
use paxos_sim::{Command, Faults, MsgId, SimConfig, Simulator, Trace, TraceError};
use proptest::prelude::*;

fn command(n: u8, mode: Mode) -> impl Strategy<Value = Command> {
    let node = (0..n).prop_map(NodeId);
    let value = (0u32..6).prop_map(move |i| match mode {
        Mode::Single => Value::text(&format!("v{i}")),
        Mode::Multi => Value::Txn { client: i % 2, req: i },
    });
    prop_oneof![
        4 => (1u64..15).prop_map(|count| Command::Step { count }),
        2 => (node.clone(), value).prop_map(|(node, value)| Command::Propose { node, value }),
        1 => node.clone().prop_map(|node| Command::Crash { node }),
        1 => node.clone().prop_map(|node| Command::Restart { node }),
        1 => proptest::collection::vec(node.clone(), 0..3).prop_map(|g| Command::Partition { groups: vec![g] }),
        1 => Just(Command::Heal),
        1 => (node.clone(), node.clone(), any::<bool>()).prop_map(|(from, to, one_way)| Command::Cut { from, to, one_way }),
        1 => (0u64..40).prop_map(|m| Command::Drop { msg: MsgId(m) }),
        1 => (0u64..40).prop_map(|m| Command::Duplicate { msg: MsgId(m) }),
        1 => (0u64..40, 1u64..50).prop_map(|(m, by)| Command::Delay { msg: MsgId(m), by }),
        1 => (0u64..40).prop_map(|m| Command::Deliver { msg: MsgId(m) }),
        1 => (0.0f64..30.0, 0.0f64..30.0).prop_map(|(loss, dup)| Command::Network { latency: (1, 20), faults: Faults { loss, dup } }),
    ]
}

fn run(seed: u64, mode: Mode, n: u8, cmds: &[Command]) -> Simulator {
    let mut sim = Simulator::new(seed, SimConfig::new(mode, n as usize), false).unwrap();
    for c in cmds {
        let _ = sim.apply(c.clone());
    }
    sim.run(300);
    sim
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn safety_holds_under_random_faults_single(seed in any::<u64>(), n in 3u8..6,
                                               cmds in proptest::collection::vec(command(5, Mode::Single), 1..60)) {
        let sim = run(seed, Mode::Single, n, &cmds);
        prop_assert!(sim.violations().is_empty(), "seed {seed}: {:?}", sim.violations());
    }

    #[test]
    fn safety_holds_under_random_faults_multi(seed in any::<u64>(), n in 3u8..6,
                                              cmds in proptest::collection::vec(command(5, Mode::Multi), 1..60)) {
        let sim = run(seed, Mode::Multi, n, &cmds);
        prop_assert!(sim.violations().is_empty(), "seed {seed}: {:?}", sim.violations());
    }

    #[test]
    fn traces_round_trip_and_replay(seed in any::<u64>(), cmds in proptest::collection::vec(command(3, Mode::Single), 1..30)) {
        let t = Trace::record(seed, &SimConfig::new(Mode::Single, 3), cmds).unwrap();
        let parsed = Trace::parse(&t.to_json()).unwrap();
        prop_assert_eq!(&parsed, &t);
        prop_assert!(parsed.replay().is_ok());
    }
}

/// The "sometimes" side of the properties: random schedules do reach a chosen value, so the safety properties
/// above are not vacuous.
#[test]
fn random_schedules_do_choose_values() {
    let opts = FuzzOptions::default();
    let chosen = (0..200).filter(|&s| {
        let (cfg, cmds) = schedule(s, &opts);
        !run_schedule(s, &cfg, &cmds).unwrap().chosen().is_empty()
    });
    assert!(chosen.count() > 150);
}

fn trace_hash(seed: u64, mode: Mode) -> u64 {
    let opts = FuzzOptions { mode, nodes: 5, ..FuzzOptions::default() };
    let (cfg, cmds) = schedule(seed, &opts);
    let t = Trace::record(seed, &cfg, cmds).unwrap();
    let mut h = DefaultHasher::new();
    serde_json::to_string(&t.events).unwrap().hash(&mut h);
    h.finish()
}

#[test]
fn same_seed_same_trace() {
    for mode in [Mode::Single, Mode::Multi] {
        for seed in [0, 1, 42, 9_999] {
            let (a, b) = (trace_hash(seed, mode), trace_hash(seed, mode));
            assert_eq!(
                a, b,
                "seed {seed} is not deterministic; replay with: paxos run --seed {seed} --nodes 5 --trace t.json"
            );
        }
        assert_ne!(trace_hash(1, mode), trace_hash(2, mode), "different seeds should differ");
    }
}

#[test]
fn fuzz_finds_nothing_in_the_correct_protocol() {
    for mode in [Mode::Single, Mode::Multi] {
        for nodes in [3, 5] {
            let r = fuzz(0, 1_000, &FuzzOptions { mode, nodes, ..FuzzOptions::default() }, 2).unwrap();
            assert_eq!(r.violations, 0, "{mode:?} {nodes}: {:?}", r.first_violation);
            assert!(r.with_chosen > 900);
        }
    }
}

#[test]
fn fuzz_finds_every_bug_and_the_trace_reproduces_it() {
    for bug in Bug::ALL {
        // Membership change is Multi-Paxos only.
        let modes: &[Mode] = if bug == Bug::ReconfigureEarly { &[Mode::Multi] } else { &[Mode::Single, Mode::Multi] };
        for &mode in modes {
            let opts = FuzzOptions { mode, bug: Some(bug), ..FuzzOptions::default() };
            let r = fuzz(0, 2_000, &opts, 2).unwrap();
            let (seed, v) = r.first_violation.unwrap_or_else(|| panic!("{bug:?} {mode:?} not found"));
            let (cfg, cmds) = schedule(seed, &opts);
            let t = Trace::record(seed, &cfg, cmds).unwrap();
            assert_eq!(t.violations.first(), Some(&v));
            let replayed = Trace::parse(&t.to_json()).unwrap().replay().unwrap();
            assert_eq!(replayed.violations().first(), Some(&v));
        }
    }
}

#[test]
fn tampered_malformed_and_future_traces_are_refused() {
    let (cfg, cmds) = schedule(3, &FuzzOptions::default());
    let t = Trace::record(3, &cfg, cmds).unwrap();
    let mut tampered = t.clone();
    tampered.seed += 1;
    assert!(matches!(tampered.replay(), Err(TraceError::Mismatch { .. })));

    let json = t.to_json();
    let e = Trace::parse(&json.replacen("\"seed\"", "\"sead\"", 1)).unwrap_err().to_string();
    assert!(e.contains("sead") && e.contains("line"), "{e}");
    let e = Trace::parse(&json[..json.len() / 2]).unwrap_err().to_string();
    assert!(e.contains("line"), "{e}");
    let version = format!("\"version\": {}", paxos_sim::TRACE_VERSION);
    let e = Trace::parse(&json.replacen(&version, "\"version\": 9", 1)).unwrap_err();
    assert!(matches!(e, TraceError::Version(9)), "{e}");
    assert!(Trace::parse("[]").is_err());
}

/// Version 1 traces (`testdata/traces/v1-*.json`, written by the program before version 2) have no `passed_over` in
/// their `adopted` events: they still replay, through both readers, and the replayed events carry it. A version 2
/// trace without it does not: the field is compared from version 2 on.
#[test]
fn a_version_1_trace_without_passed_over_still_replays() {
    use paxos_core::NodeEvent;
    use paxos_sim::trace::TraceRun;
    use paxos_sim::EventKind;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/traces");
    for name in ["v1-proposer-crash-ignore-accepted.json", "v1-highest-ballot.json"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(text.contains("\"version\": 1,") && !text.contains("passed_over"), "{name}");
        let t = Trace::parse(&text).unwrap();
        let sim = t.replay().unwrap_or_else(|e| panic!("{name}: {e}"));
        TraceRun::parse(&text).unwrap().replay().unwrap_or_else(|e| panic!("{name}: {e}"));
        let passed = sim
            .events()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Node { event: NodeEvent::Adopted { passed_over: Some(_), .. }, .. }));
        assert!(passed, "{name}: the replay reports what a proposer passed over");
        // The same run written today has the field, and removing it is a mismatch.
        let now = Trace::record(t.seed, &t.config, t.commands.clone()).unwrap().to_json();
        assert!(now.contains("\"passed_over\": ["), "{name}");
        let stripped = without_passed_over(&now);
        assert!(Trace::parse(&stripped).unwrap().replay().is_err(), "{name}");
        assert!(TraceRun::parse(&stripped).unwrap().replay().is_err(), "{name}");
    }
}

/// Version 2 traces have no `acceptor` in the `rejected` reason of an `abandoned` event (where the proposer was
/// pre-empted): they still replay, through both readers; a version 3 trace without it does not.
#[test]
fn a_version_2_trace_without_the_rejecting_acceptor_still_replays() {
    use paxos_sim::trace::TraceRun;
    // Two proposers duel (testdata/02_dueling_proposers.txt): node 0 is pre-empted at node 1.
    let commands = vec![
        Command::Propose { node: NodeId(0), value: Value::text("left") },
        Command::Propose { node: NodeId(1), value: Value::text("right") },
        Command::Step { count: 100 },
    ];
    let now = Trace::record(1, &SimConfig::new(Mode::Single, 3), commands).unwrap().to_json();
    assert!(now.contains("\"acceptor\": 1\n"), "node 0 was pre-empted at node 1");
    let mut json: serde_json::Value = serde_json::from_str(&now).unwrap();
    for e in json["events"].as_array_mut().unwrap() {
        if let Some(reason) = e.get_mut("reason").and_then(|r| r.as_object_mut()) {
            reason.remove("acceptor");
        }
    }
    let stripped = serde_json::to_string_pretty(&json).unwrap();
    assert!(Trace::parse(&stripped).unwrap().replay().is_err(), "version 3 compares the acceptor");
    assert!(TraceRun::parse(&stripped).unwrap().replay().is_err());
    json["version"] = 2.into();
    let old = serde_json::to_string_pretty(&json).unwrap();
    Trace::parse(&old).unwrap().replay().unwrap();
    TraceRun::parse(&old).unwrap().replay().unwrap();
}

/// Removes every `"passed_over": [...]` member (the last of its object) from pretty JSON.
fn without_passed_over(json: &str) -> String {
    let mut out = String::new();
    let mut rest = json;
    while let Some(at) = rest.find(",\n      \"passed_over\": [") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("\n    }").expect("the event's closing brace");
        rest = &rest[at + end..];
    }
    out.push_str(rest);
    out
}

/// A trace written before a bug existed has no field for it: it reads as off, and the trace replays as recorded.
#[test]
fn a_trace_from_before_the_newer_bugs_reads_them_as_off() {
    let (cfg, cmds) = schedule(5, &FuzzOptions::default());
    let json = Trace::record(5, &cfg, cmds).unwrap().to_json();
    let old = json.replace(",\n        \"break_promise\": false", "").replace(",\n        \"adopt_lowest\": false", "");
    assert!(!old.contains("break_promise") && !old.contains("adopt_lowest"), "{old}");
    let t = Trace::parse(&old).unwrap();
    assert_eq!(t.config.cluster.bugs, paxos_core::Bugs::default());
    t.replay().unwrap();
}

#[test]
fn refused_commands_change_nothing() {
    let mut sim = Simulator::new(0, SimConfig::new(Mode::Single, 3), true).unwrap();
    let before = (sim.events().len(), sim.commands().len());
    assert!(sim.apply(Command::Crash { node: NodeId(9) }).is_err());
    assert!(sim.apply(Command::Restart { node: NodeId(1) }).is_err());
    assert!(sim.apply(Command::Propose { node: NodeId(0), value: Value::text("  ") }).is_err());
    assert!(sim.apply(Command::Propose { node: NodeId(0), value: Value::text(&"x".repeat(257)) }).is_err());
    assert!(sim.apply(Command::Drop { msg: MsgId(5) }).is_err());
    let bad = Command::Network { latency: (1, 5), faults: Faults { loss: 150.0, dup: 0.0 } };
    assert_eq!(sim.apply(bad).unwrap_err().to_string(), "loss must be between 0 and 100 %, got 150");
    assert_eq!((sim.events().len(), sim.commands().len()), before);
}

fn small(bug: Option<Bug>, depth: u32) -> ExploreOptions {
    ExploreOptions { bug, max_depth: Some(depth), ..ExploreOptions::default() }
}

#[test]
fn explorer_finds_no_violation_in_the_correct_protocol() {
    let r = explore(&small(None, 9)).unwrap();
    assert_eq!(r.violations, 0, "{:?}", r.counterexample);
    assert!(r.chosen_reachable, "the search must reach a chosen value");
    assert!(r.unique_states > 1_000);
    let r = explore(&ExploreOptions {
        network: NetworkModel::Multiset,
        crashes: 1,
        drops: 1,
        duplicates: 1,
        max_depth: Some(7),
        ..ExploreOptions::default()
    })
    .unwrap();
    assert_eq!(r.violations, 0);
    assert!(r.chosen_reachable);
}

#[test]
fn explorer_finds_a_counterexample_for_every_bug() {
    // Adopt-lowest needs three ballots (two earlier ones reported in phase 1), and the explorer's proposers run one
    // each: with two, lowest and highest are the same ballot, so it must find nothing (the fuzzer finds the bug).
    let r = explore(&small(Some(Bug::AdoptLowest), 9)).unwrap();
    assert_eq!(r.violations, 0, "{:?}", r.counterexample);
    for bug in Bug::ALL.into_iter().filter(|&b| b != Bug::AdoptLowest && b != Bug::ReconfigureEarly) {
        let r = explore(&small(Some(bug), 14)).unwrap();
        let c = r.counterexample.unwrap_or_else(|| panic!("no counterexample for {bug:?}"));
        assert!(!c.path.is_empty());
        eprintln!("{bug:?}: {} actions, {} unique states: {}", c.path.len(), r.unique_states, c.violation.message);
    }
}

/// The runs the stricter checker was written for (the fuzzer's schedules, as `paxos run --seed S --bug B` replays
/// them): each is reported by the rule the bug removes, at the step and right after the node event that broke it,
/// not later at a consequence.
#[test]
fn each_broken_rule_is_reported_at_the_event_that_breaks_it() {
    use paxos_core::NodeEvent;
    use paxos_sim::{EventKind, Rule};
    let elected = |e: &NodeEvent| matches!(e, NodeEvent::Elected { .. });
    let adopted = |e: &NodeEvent| matches!(e, NodeEvent::Adopted { .. });
    type Case = (u64, Mode, usize, Bug, Rule, u64, fn(&NodeEvent) -> bool);
    let cases: [Case; 5] = [
        (0, Mode::Single, 3, Bug::MinorityQuorum, Rule::ElectedWithoutQuorum, 2, elected),
        (144, Mode::Single, 3, Bug::AdoptLowest, Rule::AdoptedNotHighest, 194, adopted),
        (1, Mode::Single, 3, Bug::IgnoreAccepted, Rule::AdoptedNotHighest, 152, adopted),
        (6, Mode::Multi, 5, Bug::IgnoreAccepted, Rule::AdoptedNotHighest, 111, adopted),
        (283, Mode::Multi, 5, Bug::AdoptLowest, Rule::AdoptedNotHighest, 131, adopted),
    ];
    for (seed, mode, nodes, bug, rule, step, kind) in cases {
        let opts = FuzzOptions { bug: Some(bug), mode, nodes, ..FuzzOptions::default() };
        let (cfg, cmds) = schedule(seed, &opts);
        let trace = Trace::record(seed, &cfg, cmds).unwrap();
        let at = trace.events.iter().position(|e| matches!(e.kind, EventKind::Violation { .. })).unwrap();
        let EventKind::Violation { violation } = &trace.events[at].kind else { unreachable!() };
        assert_eq!((violation.rule, violation.step), (rule, step), "seed {seed} {bug:?}: {}", violation.message);
        let before = &trace.events[at - 1];
        assert!(
            matches!(&before.kind, EventKind::Node { event, .. } if kind(event)) && before.step == step,
            "seed {seed} {bug:?}: the violation follows {before:?}"
        );
    }
}

/// Under the minority-quorum bug "chosen" is still a fact about a real majority of acceptors: in every fuzzed run
/// (of 300) a proposer completes phase 1 below one, and nothing is ever reported chosen by fewer acceptors.
#[test]
fn the_minority_quorum_bug_never_counts_a_minority_as_chosen() {
    use paxos_sim::{EventKind, Rule};
    for mode in [Mode::Single, Mode::Multi] {
        let opts = FuzzOptions { bug: Some(Bug::MinorityQuorum), mode, ..FuzzOptions::default() };
        let mut elected = 0;
        for seed in 0..300 {
            let (mut cfg, cmds) = schedule(seed, &opts);
            cfg.stop_on_violation = false;
            // Membership changes may leave a configuration of one acceptor, whose quorum is itself.
            let shrinks = cmds.iter().any(|c| matches!(c, paxos_sim::Command::RemoveNode { .. }));
            let trace = Trace::record(seed, &cfg, cmds).unwrap();
            for e in &trace.events {
                if let EventKind::Chosen { chosen, .. } = &e.kind {
                    assert!(shrinks || chosen.quorum.len() >= 2, "seed {seed}: {chosen:?}");
                }
            }
            elected += trace.violations.iter().any(|v| v.rule == Rule::ElectedWithoutQuorum) as u32;
        }
        assert!(elected >= 295, "{mode:?}: {elected} of 300");
    }
}

/// The proposer's report of what it passed over (`Adopted { passed_over }`, which the log and the quorum overlay
/// word) agrees with the checker, which judges phase 1 from the promises delivered: each `adopted_not_highest`
/// names the value the event says was passed over, and correct Paxos never passes over the highest.
#[test]
fn what_a_proposer_passed_over_is_what_the_checker_saw_reported() {
    use paxos_core::NodeEvent;
    use paxos_sim::checker::Rule;
    use paxos_sim::describe::passed_over_the_highest;
    use paxos_sim::EventKind;
    for mode in [Mode::Single, Mode::Multi] {
        for bug in [None, Some(Bug::IgnoreAccepted), Some(Bug::AdoptLowest)] {
            let opts = FuzzOptions { nodes: 5, mode, bug, ..FuzzOptions::default() };
            let mut judged = 0;
            for seed in 0..300 {
                let (cfg, cmds) = schedule(seed, &opts);
                let t = Trace::record(seed, &cfg, cmds).unwrap();
                let adopted = |v: &paxos_sim::Violation| {
                    t.events.iter().find_map(|e| match &e.kind {
                        EventKind::Node { node, event: a @ NodeEvent::Adopted { slot, .. } }
                            if e.step == v.step && *node == v.nodes[0] && Some(*slot) == v.slot =>
                        {
                            Some(a.clone())
                        }
                        _ => None,
                    })
                };
                for e in &t.events {
                    if let (None, EventKind::Node { event, .. }) = (bug, &e.kind) {
                        assert!(!passed_over_the_highest(event), "seed {seed} {mode:?}: {event:?}");
                    }
                }
                for v in t.violations.iter().filter(|v| v.rule == Rule::AdoptedNotHighest) {
                    if !v.message.contains("its phase-1 quorum") {
                        continue; // Below the slots its phase 1 asked about: nothing was reported there.
                    }
                    let Some(NodeEvent::Adopted { passed_over, .. }) = adopted(v) else {
                        panic!("seed {seed} {mode:?} {bug:?}: no adopted event for {v:?}")
                    };
                    assert_eq!(passed_over, Some((v.ballots[1], v.values[1].clone())), "seed {seed} {mode:?} {bug:?}");
                    judged += 1;
                }
            }
            assert_eq!(judged > 0, bug.is_some(), "{mode:?} {bug:?}: {judged} violations judged");
        }
    }
}
