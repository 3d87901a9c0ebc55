//! Membership change in Multi-Paxos: `add-node` and `remove-node` as simulator commands, the configuration in force
//! `ALPHA` slots after the slot that chose it, and the `reconfigure-early` bug caught at its rule.

use paxos_core::{Bug, Mode, NodeId, NodeSet, Slot, Value};
use paxos_sim::snapshot::Standing;
use paxos_sim::{Command, Rule, SimConfig, SimError, Simulator, Snapshot};

fn propose(sim: &mut Simulator, node: u8, v: &str) {
    sim.apply(Command::Propose { node: NodeId(node), value: Value::text(v) }).unwrap();
}

fn step(sim: &mut Simulator, n: u64) {
    sim.apply(Command::Step { count: n }).unwrap();
}

fn standings(sim: &Simulator) -> Vec<Standing> {
    Snapshot::of(sim).nodes.iter().map(|n| n.standing).collect()
}

fn chosen_values(sim: &Simulator) -> Vec<Value> {
    sim.chosen().values().map(|c| c.value.clone()).collect()
}

#[test]
fn a_node_joins_another_retires_and_the_log_goes_on() {
    let mut sim = Simulator::new(3, SimConfig::new(Mode::Multi, 3), true).unwrap();
    step(&mut sim, 60);
    propose(&mut sim, 0, "a");
    step(&mut sim, 60);
    sim.apply(Command::AddNode).unwrap();
    assert_eq!(sim.nodes().len(), 4);
    assert_eq!(standings(&sim)[3], Standing::Joining);
    step(&mut sim, 60);
    for v in ["b", "c", "d"] {
        propose(&mut sim, 0, v);
    }
    step(&mut sim, 200);
    assert_eq!(standings(&sim), vec![Standing::Member; 4], "{:?}", chosen_values(&sim));
    // The new node learned the whole log by catching up.
    let learned = |sim: &Simulator, id: usize| sim.nodes()[id].learner().unwrap().log.len();
    assert_eq!(learned(&sim, 3), sim.chosen().len());

    sim.apply(Command::RemoveNode { node: NodeId(1) }).unwrap();
    step(&mut sim, 60);
    for v in ["e", "f", "g", "h"] {
        propose(&mut sim, 0, v);
    }
    step(&mut sim, 300);
    assert_eq!(standings(&sim), vec![Standing::Member, Standing::Retired, Standing::Member, Standing::Member]);
    // With node 1 retired and crashed, the three members still choose.
    sim.apply(Command::Crash { node: NodeId(1) }).unwrap();
    propose(&mut sim, 0, "i");
    step(&mut sim, 200);
    let values = chosen_values(&sim);
    for v in ["a", "b", "c", "d", "e", "f", "g", "h", "i"] {
        assert!(values.contains(&Value::text(v)), "{v} not chosen: {values:?}");
    }
    let configs: Vec<NodeSet> =
        values.iter().filter_map(|v| if let Value::Config(m) = v { Some(*m) } else { None }).collect();
    assert_eq!(configs, vec![NodeSet(0b1111), NodeSet(0b1101)]);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn the_leader_pipeline_stops_alpha_slots_past_what_it_knows_chosen() {
    let mut sim = Simulator::new(1, SimConfig::new(Mode::Multi, 3), true).unwrap();
    step(&mut sim, 60);
    let leader = sim.leader().unwrap();
    // Cut the leader off so nothing is chosen: it may send accepts for ALPHA slots only.
    for id in 0..3u8 {
        if NodeId(id) != leader {
            sim.apply(Command::Cut { from: leader, to: NodeId(id), one_way: false }).unwrap();
        }
    }
    let first = sim.nodes()[leader.index()].proposer().unwrap().first_unchosen;
    for i in 0..6 {
        propose(&mut sim, leader.0, &format!("v{i}"));
    }
    let p = sim.nodes()[leader.index()].proposer().unwrap();
    assert_eq!(p.proposals.len() as u64, paxos_core::ALPHA);
    assert!(p.proposals.iter().all(|(s, _)| s.0 < first.0 + paxos_core::ALPHA));
    assert_eq!(p.pending.len(), 3);
}

#[test]
fn refused_membership_changes_say_why_and_change_nothing() {
    let err = |sim: &mut Simulator, c: Command| sim.apply(c).unwrap_err();
    let mut single = Simulator::new(1, SimConfig::new(Mode::Single, 3), false).unwrap();
    assert!(err(&mut single, Command::AddNode).to_string().contains("Multi-Paxos only"));
    assert_eq!(single.nodes().len(), 3);
    let mut sim = Simulator::new(1, SimConfig::new(Mode::Multi, 3), false).unwrap();
    assert_eq!(err(&mut sim, Command::RemoveNode { node: NodeId(7) }), SimError::UnknownNode(NodeId(7)));
    sim.apply(Command::RemoveNode { node: NodeId(2) }).unwrap();
    assert!(err(&mut sim, Command::RemoveNode { node: NodeId(2) }).to_string().contains("only a member"));
    sim.apply(Command::RemoveNode { node: NodeId(1) }).unwrap();
    assert!(err(&mut sim, Command::RemoveNode { node: NodeId(0) }).to_string().contains("last member"));
    for _ in 3..9 {
        sim.apply(Command::AddNode).unwrap();
    }
    assert!(err(&mut sim, Command::AddNode).to_string().contains("most nodes"));
    assert_eq!(sim.nodes().len(), 9);
    let e = err(&mut sim, Command::Propose { node: NodeId(0), value: Value::Config(NodeSet(1)) });
    assert!(e.to_string().contains("add-node"), "{e}");
}

#[test]
fn reconfigure_early_is_caught_at_its_rule() {
    // Two nodes added back to back: the buggy leader counts slot 2 in a five-node configuration whose quorums
    // need not meet the three-node configuration still in force there.
    let mut found = None;
    for seed in 0..200 {
        let mut config = SimConfig::new(Mode::Multi, 3);
        config.cluster.bugs = config.cluster.bugs.with(Bug::ReconfigureEarly);
        config.latency = (1, 60);
        let mut sim = Simulator::new(seed, config, true).unwrap();
        step(&mut sim, 40);
        sim.apply(Command::AddNode).unwrap();
        sim.apply(Command::AddNode).unwrap();
        for v in ["x", "y"] {
            if let Some(l) = sim.leader() {
                propose(&mut sim, l.0, v);
            }
        }
        step(&mut sim, 300);
        if let Some(v) = sim.violations().first() {
            found = Some((seed, v.clone()));
            break;
        }
    }
    let (seed, v) = found.expect("no seed below 200 shows the bug");
    assert_eq!(v.rule, Rule::QuorumOfConfiguration, "seed {seed}: {v:?}");
    assert!(v.slot.is_some_and(|s| s >= Slot(2)), "seed {seed}: {v:?}");
}

#[test]
fn with_no_client_traffic_the_leader_pads_with_noops_and_the_change_takes_effect() {
    let mut sim = Simulator::new(3, SimConfig::new(Mode::Multi, 3), true).unwrap();
    step(&mut sim, 60);
    sim.apply(Command::AddNode).unwrap();
    step(&mut sim, 60);
    assert_eq!(standings(&sim), vec![Standing::Member; 4]);
    // The configuration in slot 0, then ALPHA - 1 no-ops: slot ALPHA is the first in the new configuration.
    let mut want = vec![Value::Config(NodeSet(0b1111))];
    want.resize(paxos_core::ALPHA as usize, Value::Noop);
    assert_eq!(chosen_values(&sim), want);
    // Removing the leader: once the configuration without it is in force, it stands down and another leads.
    step(&mut sim, 60); // its promises were no quorum of four: it ran phase 1 again
    let leader = sim.leader().unwrap();
    sim.apply(Command::RemoveNode { node: leader }).unwrap();
    step(&mut sim, 200);
    assert_eq!(standings(&sim)[leader.index()], Standing::Retired);
    let next = sim.leader().expect("a leader in the new configuration");
    assert_ne!(next, leader);
    propose(&mut sim, next.0, "after");
    step(&mut sim, 60);
    assert!(chosen_values(&sim).contains(&Value::text("after")));
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

/// A three-node Multi-Paxos cluster with leader 0 (nodes 1 and 2 only accept, so fewer learners' tallies keep the
/// space small), once quiet, then `commands`.
fn leader_then(q: Option<(usize, usize)>, bug: bool, commands: &[Command]) -> Simulator {
    let mut config = SimConfig::new(Mode::Multi, 3);
    for r in &mut config.cluster.nodes[1..] {
        r.proposer = false;
        r.learner = false;
    }
    if let Some((q1, q2)) = q {
        (config.cluster.q1, config.cluster.q2) = (Some(q1), Some(q2));
    }
    if bug {
        config.cluster.bugs = config.cluster.bugs.with(Bug::ReconfigureEarly);
    }
    let mut sim = Simulator::new(3, config, true).unwrap();
    while sim.leader().is_none() || sim.in_flight().count() > 0 {
        step(&mut sim, 1);
    }
    for c in commands {
        sim.apply(c.clone()).unwrap();
    }
    sim
}

/// Every future of the moment just after an add-node request, searched whole (no crash: each multiplies the
/// space). The first configuration's quorums are q1 = 3, q2 = 1, so the leader's promises (all three) are a quorum
/// of the four acceptors and it needs no second phase 1; with majorities the space passes a million states.
#[test]
fn explorer_every_future_of_an_add_node_is_safe() {
    use paxos_sim::explore::{explore_from, ExploreOptions, Start};
    let sim = leader_then(Some((3, 1)), false, &[Command::AddNode]);
    let opts = ExploreOptions { crashes: 0, ..ExploreOptions::default() };
    let report = explore_from(Start::moment(&sim), &opts, &mut |_| true);
    assert!(report.complete, "{report:?}");
    assert!(report.counterexample.is_none() && report.violated_rules.is_empty());
    assert_eq!((report.unique_states, report.max_depth), (144_747, 17));
    // The configuration, then the leader's two no-ops: the change is in force from slot 3 in every future.
    let decided: Vec<Value> = report.decisions.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(decided, [Value::Config(NodeSet(0b1111)), Value::Noop, Value::Noop]);
}

/// The same search from two add-node requests and a client value under reconfigure-early (majorities): the
/// shortest future that breaks a rule commits the value on the votes of a majority of five that is none of the
/// three in force.
#[test]
fn explorer_finds_reconfigure_early_at_its_rule() {
    use paxos_sim::explore::{explore_from, ExploreOptions, Start};
    let value = Command::Propose { node: NodeId(0), value: Value::text("x") };
    let sim = leader_then(None, true, &[Command::AddNode, Command::AddNode, value]);
    let opts = ExploreOptions { crashes: 0, ..ExploreOptions::default() };
    let report = explore_from(Start::moment(&sim), &opts, &mut |_| true);
    let c = report.counterexample.expect("reconfigure-early breaks a rule in some future");
    assert_eq!(c.violation.rule, Rule::QuorumOfConfiguration, "{}", c.violation.message);
    assert_eq!((c.path.len(), report.unique_states), (6, 80_166));
}

/// A short pinned campaign of the fuzzer's schedules, whose fault mix adds and removes nodes in Multi-Paxos: no
/// violation in 2,000 schedules at 3 and at 5 nodes (the million-schedule runs are a benchmark, docs/fuzzing.md),
/// and reconfigure-early found at its rule.
#[test]
fn fuzz_campaign_with_membership_changes_is_clean_and_finds_reconfigure_early() {
    use paxos_sim::fuzz::{fuzz, schedule, FuzzOptions};
    for (nodes, changing, with_chosen) in [(3, 1_795, 1_979), (5, 1_805, 1_883)] {
        let opts = FuzzOptions { mode: Mode::Multi, nodes, ..FuzzOptions::default() };
        let changes = (0..2_000)
            .filter(|&s| {
                schedule(s, &opts).1.iter().any(|c| matches!(c, Command::AddNode | Command::RemoveNode { .. }))
            })
            .count();
        let r = fuzz(0, 2_000, &opts, 2).unwrap();
        assert_eq!(r.violations, 0, "{nodes} nodes: {:?}", r.first_violation);
        assert_eq!((changes, r.with_chosen), (changing, with_chosen), "{nodes} nodes");
    }
    for (nodes, first, step) in [(3, 4, 179), (5, 112, 153)] {
        let opts = FuzzOptions { mode: Mode::Multi, nodes, bug: Some(Bug::ReconfigureEarly), ..FuzzOptions::default() };
        let r = fuzz(0, 2_000, &opts, 2).unwrap();
        let (seed, v) = r.first_violation.expect("the fuzzer finds reconfigure-early");
        assert_eq!((seed, v.step, v.rule), (first, step, Rule::QuorumOfConfiguration), "{}", v.message);
    }
}
