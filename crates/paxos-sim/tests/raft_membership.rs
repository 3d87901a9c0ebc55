//! Membership change in Raft by single-server changes: `add-node` and `remove-node` as simulator commands, each a
//! configuration entry in force in a node's log as soon as it is there, and the `change-two-at-once` bug caught at
//! `quorum_of_configuration`.

use paxos_core::{NodeId, NodeSet, Value};
use paxos_sim::meter::{Mark, Meter};
use paxos_sim::snapshot::Standing;
use paxos_sim::{Command, Link, Raft, RuleSet, SimConfig, Simulator, Snapshot, Tape};
use raft_core::{Bug, Term};

type Sim = Simulator<Raft>;

fn step(sim: &mut Sim, n: u64) {
    sim.apply(Command::Step { count: n }).unwrap();
}

fn propose(sim: &mut Sim, v: &str) {
    let node = sim.leader().unwrap_or(NodeId(0));
    sim.apply(Command::Propose { node, value: Value::text(v) }).unwrap();
}

fn standings(sim: &Sim) -> Vec<Standing> {
    Snapshot::of(sim).nodes.iter().map(|n| n.standing).collect()
}

fn committed(sim: &Sim) -> Vec<Value> {
    sim.chosen().values().map(|c| c.value.clone()).collect()
}

fn set(ids: &[u8]) -> NodeSet {
    ids.iter().map(|&i| NodeId(i)).collect()
}

#[test]
fn a_node_joins_the_leader_leaves_and_the_log_goes_on() {
    let mut sim = Sim::new(5, SimConfig::raft(3), true).unwrap();
    step(&mut sim, 80);
    propose(&mut sim, "a");
    step(&mut sim, 60);
    sim.apply(Command::AddNode).unwrap();
    assert_eq!(sim.nodes().len(), 4);
    assert_eq!(standings(&sim)[3], Standing::Joining);
    step(&mut sim, 100);
    assert_eq!(standings(&sim), vec![Standing::Member; 4]);
    assert_eq!(sim.nodes()[3].durable().log, sim.nodes()[0].durable().log, "caught up by AppendEntries");
    propose(&mut sim, "b");
    step(&mut sim, 60);

    // The leader removes itself: it leads on without counting itself until the change commits, then steps down,
    // and one of the three others is elected.
    let old = sim.leader().unwrap();
    sim.apply(Command::RemoveNode { node: old }).unwrap();
    assert_eq!(standings(&sim)[old.index()], Standing::Retired, "out of the leader's configuration at once");
    step(&mut sim, 400);
    let new = sim.leader().expect("a new leader");
    assert_ne!(new, old);
    assert!(!sim.nodes()[old.index()].is_member());
    propose(&mut sim, "c");
    step(&mut sim, 100);
    // With the old leader crashed, the three members still commit.
    sim.apply(Command::Crash { node: old }).unwrap();
    propose(&mut sim, "d");
    step(&mut sim, 100);
    let values = committed(&sim);
    for v in ["a", "b", "c", "d"] {
        assert!(values.contains(&Value::text(v)), "{v} not committed: {values:?}");
    }
    let configs: Vec<NodeSet> =
        values.iter().filter_map(|v| if let Value::Config(m) = v { Some(*m) } else { None }).collect();
    let rest: NodeSet = set(&[0, 1, 2, 3]).iter().filter(|&n| n != old).collect();
    assert_eq!(configs, vec![set(&[0, 1, 2, 3]), rest]);
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());

    // The run is a link (its membership commands included) that replays to the same log and standings.
    let tape = Tape::from_commands(5, SimConfig::raft(3), sim.commands().iter().cloned());
    let text = Link { at: tape.len(), tape }.encode();
    let back = Link::<Raft>::read(&text).unwrap();
    let again = back.tape.replay(back.at, true).unwrap();
    assert_eq!(committed(&again), values);
    assert_eq!(standings(&again), standings(&sim));
    // The meter marks each configuration committed, as it does Multi-Paxos's.
    let mut meter = Meter::<Raft>::new();
    meter.observe(again.events(), &again);
    let marked: Vec<NodeSet> = meter
        .marks()
        .iter()
        .filter_map(|m| if let Mark::Config { members, .. } = m { Some(*members) } else { None })
        .collect();
    assert_eq!(marked, configs);
}

#[test]
fn a_change_is_refused_while_another_is_uncommitted_and_changes_nothing() {
    let mut sim = Sim::new(1, SimConfig::raft(3), true).unwrap();
    let e = sim.apply(Command::AddNode).unwrap_err().to_string();
    assert!(e.contains("not the leader"), "{e}");
    step(&mut sim, 80);
    let leader = sim.leader().unwrap();
    // Cut the leader off: its change cannot commit, and a second one is refused.
    for id in (0..3).map(NodeId).filter(|&n| n != leader) {
        sim.apply(Command::Cut { from: leader, to: id, one_way: false }).unwrap();
    }
    sim.apply(Command::AddNode).unwrap();
    let e = sim.apply(Command::AddNode).unwrap_err().to_string();
    assert!(e.contains("one membership change at a time"), "{e}");
    let e = sim.apply(Command::RemoveNode { node: NodeId(3) }).unwrap_err().to_string();
    assert!(e.contains("one membership change at a time"), "{e}");
    assert_eq!(sim.nodes().len(), 4);
}

#[test]
fn a_removed_node_that_missed_its_removal_never_disrupts_the_cluster() {
    let mut sim = Sim::new(2, SimConfig::raft(5), true).unwrap();
    step(&mut sim, 80);
    let leader = sim.leader().unwrap();
    let gone = NodeId(if leader == NodeId(4) { 3 } else { 4 });
    sim.apply(Command::Partition { groups: vec![vec![gone]] }).unwrap();
    sim.apply(Command::RemoveNode { node: gone }).unwrap();
    step(&mut sim, 60);
    let term = sim.nodes()[leader.index()].durable().term;
    // Healed, the removed node campaigns in ever later terms; the members ignore it while the leader is heard.
    sim.apply(Command::Heal).unwrap();
    for v in ["x", "y", "z"] {
        propose(&mut sim, v);
        step(&mut sim, 300);
    }
    assert!(sim.nodes()[gone.index()].durable().term > Term(term.0 + 2), "it campaigned");
    assert_eq!(sim.leader(), Some(leader));
    assert_eq!(sim.nodes()[leader.index()].durable().term, term, "nobody adopted its terms");
    assert!(committed(&sim).contains(&Value::text("z")));
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

#[test]
fn change_two_at_once_is_caught_at_quorum_of_configuration() {
    // Five nodes; the leader keeps one follower, F. Two removals back to back: the first, to four nodes, cannot
    // commit on {leader, F}; the buggy leader takes the second anyway, to three nodes, of which {leader, F} is a
    // majority, and commits on them: two of the five that the committed configuration still needs three of.
    let mut config = SimConfig::raft(5);
    config.cluster.bugs = config.cluster.bugs.with(Bug::ChangeTwoAtOnce);
    let mut sim = Sim::new(3, config, true).unwrap();
    step(&mut sim, 80);
    let leader = sim.leader().unwrap();
    let others: Vec<NodeId> = (0..5).map(NodeId).filter(|&n| n != leader).collect();
    for &id in &others[1..] {
        sim.apply(Command::Cut { from: leader, to: id, one_way: false }).unwrap();
    }
    sim.apply(Command::RemoveNode { node: others[1] }).unwrap();
    sim.apply(Command::RemoveNode { node: others[2] }).unwrap();
    step(&mut sim, 60);
    let v = sim.violations().first().expect("caught");
    assert_eq!(v.rule.name(), "quorum_of_configuration", "{}", v.message);
    assert!(v.message.contains("not of the committed configuration {0, 1, 2, 3, 4}"), "{}", v.message);
}

#[test]
fn the_raft_fuzz_mix_changes_membership_safely_and_finds_change_two_at_once_at_its_rule() {
    use paxos_sim::fuzz::{fuzz_raft, raft_schedule, run_schedule, FuzzOptions};
    let opts = FuzzOptions { steps: 400, ..FuzzOptions::default() };
    for nodes in [3, 5] {
        let opts = FuzzOptions { nodes, ..opts };
        let r = fuzz_raft(0, 500, &opts, None, 2).unwrap();
        assert_eq!(r.violations, 0, "{nodes} nodes: {:?}", r.first_violation);
        // Sometimes: the schedules do commit changes, adding and removing (not a vacuous pass).
        let (mut grew, mut shrank) = (0, 0);
        for seed in 0..500 {
            let (cfg, cmds) = raft_schedule(seed, &opts, None);
            let sim = run_schedule(seed, &cfg, &cmds).unwrap();
            let mut last = (0..nodes as u8).map(NodeId).collect::<NodeSet>();
            for c in sim.chosen().values() {
                if let Value::Config(m) = c.value {
                    (grew, shrank) = if m.len() > last.len() { (grew + 1, shrank) } else { (grew, shrank + 1) };
                    last = m;
                }
            }
        }
        eprintln!("{nodes} nodes: 500 schedules, {grew} additions and {shrank} removals committed");
        assert!(grew > 100 && shrank > 50, "{nodes} nodes: {grew} additions and {shrank} removals committed");
    }
    let r = fuzz_raft(0, 500, &opts, Some(Bug::ChangeTwoAtOnce), 2).unwrap();
    let (seed, v) = r.first_violation.expect("change-two-at-once found in 500 schedules");
    assert_eq!(v.rule.name(), "quorum_of_configuration", "seed {seed}: {}", v.message);
}

/// Three nodes whose leader has committed its no-op, then `commands` (membership changes).
fn led_then(bug: bool, commands: &[Command]) -> Sim {
    let mut config = SimConfig::raft(3);
    if bug {
        config.cluster.bugs = config.cluster.bugs.with(Bug::ChangeTwoAtOnce);
    }
    let mut sim = Sim::new(1, config, true).unwrap();
    step(&mut sim, 80);
    for c in commands {
        sim.apply(c.clone()).unwrap();
    }
    sim
}

/// The explorer from the moment a node is added: every interleaving of the messages in flight and those they cause
/// (the set network), and, bounded by depth, those with an election timeout too. Every future is safe and commits
/// the change; under change-two-at-once, two added nodes give a future that breaks quorum_of_configuration.
#[test]
fn explorer_every_future_of_an_add_node_is_safe_and_two_at_once_is_found() {
    use paxos_sim::explore::{explore_from, ExploreOptions, Start};
    let sim = led_then(false, &[Command::AddNode]);
    let opts = ExploreOptions::<Raft> { crashes: 0, timeouts: 0, ..ExploreOptions::default() };
    let r = explore_from(Start::moment(&sim), &opts, &mut |_| true);
    assert!(r.complete && r.violated_rules.is_empty(), "{r:?}");
    assert_eq!(r.unique_states, 372);
    assert!(r.decisions.iter().any(|(_, v)| *v == Value::Config(set(&[0, 1, 2, 3]))), "{:?}", r.decisions);
    // With one election timeout (a new leader while the change is in flight), bounded at 14 actions.
    let opts = ExploreOptions::<Raft> { crashes: 0, timeouts: 1, max_depth: Some(14), ..opts };
    let r = explore_from(Start::moment(&sim), &opts, &mut |_| true);
    assert!(r.violated_rules.is_empty(), "{:?}", r.counterexample);
    assert_eq!(r.unique_states, 75_739);

    let sim = led_then(true, &[Command::AddNode, Command::AddNode]);
    let opts = ExploreOptions::<Raft> { crashes: 0, timeouts: 0, ..ExploreOptions::default() };
    let r = explore_from(Start::moment(&sim), &opts, &mut |_| true);
    let c = r.counterexample.expect("change-two-at-once breaks a rule in some future");
    assert_eq!(c.violation.rule.name(), "quorum_of_configuration", "{}", c.violation.message);
    assert!(c.violation.message.contains("committed [1] on {0, 3, 4}"), "{}", c.violation.message);
    assert_eq!((c.path.len(), r.unique_states), (11, 11_558));
}
