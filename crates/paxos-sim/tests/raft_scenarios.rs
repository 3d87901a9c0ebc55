//! Raft's narrated scenarios (`scenarios/raft-*.txt`): each parses as Raft, runs safely at every stage, and shows
//! what its narration says it shows (stateright's "sometimes" properties: a scenario that stopped reaching its
//! moment fails here). Figure 8's What if breaks the rule the narration explains, first.

use paxos_sim::event::{Event, EventKind};
use paxos_sim::protocol::RuleSet;
use paxos_sim::scenario::{self, Lesson};
use paxos_sim::{Raft, Simulator};
use raft_core::{Bug, NodeEvent, NodeId, Term};

fn lesson(id: &str) -> Lesson<Raft> {
    let s = scenario::find(id).unwrap_or_else(|| panic!("no scenario {id}"));
    assert_eq!(s.protocol, "raft", "{id}");
    s.lesson_as::<Raft>().unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Runs a lesson; the moment each stage ends at.
fn run(l: &Lesson<Raft>) -> (Simulator<Raft>, Vec<usize>) {
    let mut sim = Simulator::new(l.seed, l.config.clone(), true).unwrap();
    let mut ends = Vec::new();
    for stage in &l.stages {
        for c in &stage.commands {
            sim.apply(c.clone()).unwrap();
        }
        ends.push(sim.events().len());
    }
    (sim, ends)
}

/// Node events of `node`, in order.
fn of(events: &[Event<Raft>], node: u8) -> Vec<&NodeEvent> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Node { node: n, event } if *n == NodeId(node) => Some(event),
            _ => None,
        })
        .collect()
}

#[test]
fn raft_scenarios_follow_paxos_in_the_tour_and_each_is_raft_and_safe_at_every_stage() {
    let raft: Vec<&str> = scenario::of::<Raft>().iter().map(|s| s.id).collect();
    assert_eq!(raft, ["raft-election", "raft-up-to-date", "raft-log-repair", "raft-figure-8", "raft-membership"]);
    let all = scenario::all();
    let last: Vec<&str> = all[all.len() - raft.len()..].iter().map(|s| s.id).collect();
    assert_eq!(last, raft, "Raft's come after Paxos's");
    assert!(scenario::of::<paxos_sim::Paxos>().iter().all(|s| s.protocol == "paxos"));
    for id in raft {
        let l = lesson(id);
        assert!(l.stages.len() >= 4, "{id}: {} stages", l.stages.len());
        assert!(l.stages.last().unwrap().commands.is_empty(), "{id}: ends with a summary");
        let (sim, _) = run(&l);
        assert!(sim.violations().is_empty(), "{id}: {:?}", sim.violations());
        // A Paxos reader refuses a Raft scenario by name.
        let e = scenario::find(id).unwrap().lesson().unwrap_err().to_string();
        assert!(e.contains("`protocol=raft` cannot follow a paxos run"), "{e}");
    }
}

#[test]
fn the_election_scenario_elects_node_0_in_term_1_then_node_2_in_term_2() {
    let (sim, ends) = run(&lesson("raft-election"));
    let elected = |node, upto: usize| {
        of(&sim.events()[..upto], node).into_iter().find_map(|e| match e {
            NodeEvent::Elected { term, .. } => Some(*term),
            _ => None,
        })
    };
    assert_eq!(elected(0, ends[0]), None, "stage 1 only campaigns");
    assert_eq!(elected(0, ends[1]), Some(Term(1)));
    assert_eq!(elected(2, ends[4]), Some(Term(2)));
}

#[test]
fn the_up_to_date_scenario_refuses_node_2_and_elects_node_1() {
    let (sim, ends) = run(&lesson("raft-up-to-date"));
    let stage4 = &sim.events()[ends[2]..ends[3]];
    for voter in [0, 1] {
        assert!(
            of(stage4, voter).iter().any(|e| matches!(e, NodeEvent::Refused { candidate: NodeId(2), .. })),
            "node {voter} refuses node 2"
        );
    }
    let stage5 = &sim.events()[ends[3]..ends[4]];
    assert!(of(stage5, 1).iter().any(|e| matches!(e, NodeEvent::Elected { .. })));
    assert!(!of(&sim.events()[ends[1]..], 2).iter().any(|e| matches!(e, NodeEvent::Elected { .. })));
}

#[test]
fn the_log_repair_scenario_backs_off_and_truncates_node_0s_conflicting_entries() {
    let (sim, ends) = run(&lesson("raft-log-repair"));
    let stage6 = &sim.events()[ends[4]..ends[5]];
    let backed_off = of(stage6, 1).iter().filter(|e| matches!(e, NodeEvent::BackedOff { .. })).count();
    assert!(backed_off >= 2, "the leader backs off entry by entry ({backed_off})");
    assert!(of(stage6, 0).iter().any(|e| matches!(e, NodeEvent::Truncated { .. })));
    // Node 0 ends with the leader's log.
    let logs: Vec<_> = sim.nodes().iter().map(|n| n.durable().log.clone()).collect();
    assert_eq!(logs[0], logs[1]);
}

#[test]
fn figure_8_overwrites_an_uncommitted_entry_and_what_if_commit_old_term_loses_a_committed_one() {
    let l = lesson("raft-figure-8");
    let (sim, ends) = run(&l);
    let overwrite = &sim.events()[ends[6]..ends[7]];
    for n in [3, 4] {
        assert!(of(overwrite, n).iter().any(|e| matches!(e, NodeEvent::Truncated { .. })), "node {n} truncates");
    }
    let (bugged, _) = run(&l.with_bug(Bug::CommitOldTerm));
    let rules: Vec<&str> = bugged.violations().iter().map(|v| v.rule.name()).collect();
    assert_eq!(rules.first(), Some(&"current_term_commit"), "{rules:?}");
    assert!(rules.contains(&"state_machine_safety"), "the committed entry is lost: {rules:?}");
}

#[test]
fn the_membership_scenario_adds_a_node_ignores_a_removed_one_and_its_leader_steps_down() {
    let (sim, ends) = run(&lesson("raft-membership"));
    let stage = |i: usize| &sim.events()[ends[i - 1]..ends[i]];
    // Stage 3: node 3 catches up from an empty log by the leader's back-off.
    assert!(of(stage(2), 0).iter().any(|e| matches!(e, NodeEvent::BackedOff { follower: NodeId(3), .. })));
    // Stage 5: node 2, removed while cut off, campaigns; every member ignores it and stays in term 1.
    assert!(of(stage(4), 2).iter().filter(|e| matches!(e, NodeEvent::Campaigned { .. })).count() >= 2);
    for n in [0, 1, 3] {
        let ignored = of(stage(4), n).iter().any(|e| matches!(e, NodeEvent::Ignored { candidate: NodeId(2), .. }));
        assert!(ignored, "node {n} ignores node 2");
        assert!(!of(stage(4), n).iter().any(|e| matches!(e, NodeEvent::NewTerm { .. })), "node {n} keeps term 1");
    }
    // Stage 6: the leader removes itself and steps down; stage 7: node 1 leads term 2.
    assert!(of(stage(5), 0).iter().any(|e| matches!(e, NodeEvent::SteppedDown { term: Term(1) })));
    assert!(of(stage(6), 1).iter().any(|e| matches!(e, NodeEvent::Elected { term: Term(2), .. })));
    let configs: Vec<String> = sim
        .chosen()
        .values()
        .filter(|c| matches!(c.value, paxos_core::Value::Config(_)))
        .map(|c| c.value.to_string())
        .collect();
    assert_eq!(configs, ["config {0, 1, 2, 3}", "config {0, 1, 3}", "config {1, 3}"]);
    assert!(sim.chosen().values().any(|c| c.value.to_string() == "txn 7/2"));
    assert_eq!(sim.leader(), Some(NodeId(1)));
}
