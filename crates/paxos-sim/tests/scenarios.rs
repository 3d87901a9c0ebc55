//! The built-in teaching scenarios (`scenarios/*.txt`): each parses, uses only settings the browser can express,
//! replays without a refused command, and ends the way its caption says.

use std::collections::BTreeSet;

use paxos_core::{AbandonReason, Ballot, Bug, Bugs, Mode, Msg, NodeEvent, NodeId, Roles, Slot, Timing, Value};
use paxos_sim::scenario::{self, Lesson, Scenario};
use paxos_sim::script::command_line;
use paxos_sim::{Event, EventKind, Rule, SimConfig, Simulator, Snapshot};

/// The run after every stage: the simulator and how many events each stage had produced by its end.
struct Run {
    sim: Simulator,
    /// `ends[i]` is the number of events recorded when stage `i` finished.
    ends: Vec<usize>,
}

fn lesson(s: &Scenario) -> Lesson {
    s.lesson().unwrap_or_else(|e| panic!("scenario {}: {e}", s.id))
}

fn run(s: &Scenario) -> Run {
    run_lesson(s, lesson(s))
}

fn run_lesson(s: &Scenario, l: Lesson) -> Run {
    let mut sim = Simulator::new(l.seed, l.config.clone(), true)
        .unwrap_or_else(|e| panic!("scenario {}: invalid config: {e}", s.id));
    let mut ends = Vec::new();
    for (i, stage) in l.stages.iter().enumerate() {
        for c in &stage.commands {
            if let Err(e) = sim.apply(c.clone()) {
                panic!("scenario {} stage {i} ({:?}): command `{}` refused: {e}", s.id, stage.say, command_line(c));
            }
        }
        ends.push(sim.events().len());
    }
    Run { sim, ends }
}

fn get(id: &str) -> &'static Scenario {
    scenario::find(id).unwrap_or_else(|| panic!("no scenario {id}"))
}

fn node_events(events: &[Event]) -> impl Iterator<Item = (NodeId, &NodeEvent)> {
    events.iter().filter_map(|e| match &e.kind {
        EventKind::Node { node, event } => Some((*node, event)),
        _ => None,
    })
}

/// What `node`'s learner learned in `slot`.
fn learned(sim: &Simulator, node: u8, slot: u64) -> Option<Value> {
    sim.nodes()[node as usize].learner().and_then(|l| l.log.get(&Slot(slot)).cloned())
}

fn chosen(sim: &Simulator, slot: u64) -> Option<Value> {
    sim.chosen().get(&Slot(slot)).map(|c| c.value.clone())
}

/// The index of the first event that chose something, if any.
fn first_chosen(events: &[Event]) -> Option<usize> {
    events.iter().position(|e| matches!(e.kind, EventKind::Chosen { .. }))
}

#[test]
fn the_tour_has_the_promised_scenarios_in_order_with_unique_ids() {
    let ids: Vec<&str> = scenario::all().iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "happy-path",
            "adopt-accepted",
            "highest-ballot",
            "dueling",
            "minority-crashed",
            "proposer-crash",
            "partition",
            "multi-leader-change",
            "membership",
            "amnesia",
            "reconfigure-early",
            "raft-election",
            "raft-up-to-date",
            "raft-log-repair",
            "raft-figure-8",
            "raft-membership"
        ]
    );
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "ids are unique");
    for s in scenario::all() {
        assert_eq!(scenario::find(s.id), Some(s));
        assert!(!s.title.is_empty() && !s.caption.is_empty(), "{}: title and caption", s.id);
    }
    assert_eq!(scenario::find("nope"), None);
}

/// Only what the browser's settings form can set: 3 to 9 nodes with every role, majority or given quorums, the
/// default timing and clock. The exceptions are `amnesia` and `reconfigure-early`, which must run past the first
/// violation.
#[test]
fn every_scenario_uses_only_settings_the_browser_can_express() {
    for s in scenario::of::<paxos_sim::Paxos>() {
        let l = lesson(s);
        let c = &l.config;
        c.validate().unwrap_or_else(|e| panic!("{}: {e}", s.id));
        let n = c.cluster.nodes.len();
        assert!((3..=9).contains(&n), "{}: {n} nodes", s.id);
        assert!(c.cluster.nodes.iter().all(|r| *r == Roles::ALL), "{}: custom roles", s.id);
        assert_eq!(c.cluster.timing, Timing::default(), "{}: custom timing", s.id);
        assert_eq!(c.tick_every, SimConfig::new(Mode::Single, 3).tick_every, "{}: tick=", s.id);
        assert_eq!(c.stop_on_violation, !["amnesia", "reconfigure-early"].contains(&s.id), "{}: stop=", s.id);
        assert!(l.stages.len() >= 3, "{}: only {} stages", s.id, l.stages.len());
        for (i, stage) in l.stages.iter().enumerate() {
            assert!(!stage.say.trim().is_empty(), "{} stage {i}: no narration", s.id);
            assert!(
                !stage.commands.is_empty() || i + 1 == l.stages.len(),
                "{} stage {i}: no commands, and it is not the last stage",
                s.id
            );
        }
    }
}

#[test]
fn every_scenario_replays_and_is_safe_at_every_stage_until_the_amnesia_bug_strikes() {
    for s in scenario::of::<paxos_sim::Paxos>() {
        let r = run(s);
        let l = lesson(s);
        for (i, &end) in r.ends.iter().enumerate() {
            let broken: Vec<&Event> =
                r.sim.events()[..end].iter().filter(|e| matches!(e.kind, EventKind::Violation { .. })).collect();
            // The amnesia scenario breaks safety from its second stage on (the restart that forgets), and so does
            // reconfigure-early (the commit counted in a configuration not in force).
            let allowed = ["amnesia", "reconfigure-early"].contains(&s.id) && i >= 1;
            assert!(
                allowed || broken.is_empty(),
                "scenario {} stage {i} ({:?}) ends with violations: {broken:?}",
                s.id,
                l.stages[i].say
            );
        }
        // Determinism: the same lesson replays to the same events.
        assert_eq!(run(s).sim.events(), r.sim.events(), "{} is not deterministic", s.id);
    }
}

#[test]
fn happy_path_chooses_hello_and_every_node_learns_it() {
    let r = run(get("happy-path"));
    assert_eq!(chosen(&r.sim, 0), Some(Value::text("hello")));
    for n in 0..3 {
        assert_eq!(learned(&r.sim, n, 0), Some(Value::text("hello")), "node {n}");
    }
    // One ballot was enough: nobody was rejected or gave up.
    assert!(!node_events(r.sim.events())
        .any(|(_, e)| matches!(e, NodeEvent::Rejected { .. } | NodeEvent::Abandoned { .. })));
}

#[test]
fn adopt_accepted_the_later_proposer_adopts_the_value_accepted_by_one_acceptor() {
    let r = run(get("adopt-accepted"));
    let hello = Value::text("hello");
    assert_eq!(chosen(&r.sim, 0), Some(hello.clone()));
    // Before node 2 proposed, only acceptor 1 had accepted hello: nothing was chosen yet.
    let after_crash = &r.sim.events()[..r.ends[1]];
    assert_eq!(first_chosen(after_crash), None);
    let acceptors: Vec<NodeId> =
        node_events(after_crash).filter_map(|(n, e)| matches!(e, NodeEvent::Accepted { .. }).then_some(n)).collect();
    assert_eq!(acceptors, [NodeId(1)]);
    assert!(node_events(r.sim.events()).any(|(n, e)| n == NodeId(2)
        && matches!(e, NodeEvent::Adopted { value, from: Some(b), .. } if *value == hello && *b == Ballot { round: 1, node: NodeId(0) })));
    assert!(!r
        .sim
        .events()
        .iter()
        .any(|e| matches!(&e.kind, EventKind::Chosen { chosen, .. } if chosen.value == Value::text("other"))));
    for n in [1, 2] {
        assert_eq!(learned(&r.sim, n, 0), Some(hello.clone()), "node {n}");
    }
}

#[test]
fn highest_ballot_the_proposer_takes_the_newer_of_two_reported_values() {
    let r = run(get("highest-ballot"));
    let (red, blue) = (Value::text("red"), Value::text("blue"));
    let b = |round, node| Ballot { round, node: NodeId(node) };
    // Red was accepted at 1.0 by acceptor 0 alone, blue chosen at 1.1 by acceptors 1 and 2.
    let before = &r.sim.events()[..r.ends[2]];
    let accepted: Vec<(NodeId, Value, Ballot)> = node_events(before)
        .filter_map(|(n, e)| match e {
            NodeEvent::Accepted { value, ballot, .. } => Some((n, value.clone(), *ballot)),
            _ => None,
        })
        .collect();
    assert_eq!(
        accepted,
        [(NodeId(0), red.clone(), b(1, 0)), (NodeId(1), blue.clone(), b(1, 1)), (NodeId(2), blue.clone(), b(1, 1))]
    );
    // Node 2's phase 1 heard of both, and it adopted blue, the higher ballot's value.
    let promises: Vec<Msg> = r
        .sim
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Send { to: NodeId(2), msg: m @ Msg::Promise { ballot, .. }, .. } if *ballot == b(1, 2) => {
                Some(m.clone())
            }
            _ => None,
        })
        .collect();
    let reported: Vec<Value> = promises
        .iter()
        .flat_map(|m| match m {
            Msg::Promise { accepted, .. } => accepted.iter().map(|p| p.value.clone()).collect(),
            _ => vec![],
        })
        .collect();
    assert_eq!(reported, [blue.clone(), red.clone()]);
    assert!(node_events(r.sim.events()).any(|(n, e)| n == NodeId(2)
        && matches!(e, NodeEvent::Adopted { value, from: Some(f), .. } if *value == blue && *f == b(1, 1))));
    // The event log says what blue was adopted over.
    let mut words = paxos_sim::describe::Describer::default();
    let lines: Vec<String> = r.sim.events().iter().filter_map(|e| words.describe(e)).collect();
    assert!(
        lines
            .iter()
            .any(|l| l
                .ends_with("node 2: proposes [0] blue, adopted from the highest accepted ballot 1.1, over red at 1.0")),
        "{lines:#?}"
    );
    assert_eq!(chosen(&r.sim, 0), Some(blue.clone()));
    for n in [0, 2] {
        assert_eq!(learned(&r.sim, n, 0), Some(blue.clone()), "node {n}");
    }
    // With the adopt-lowest bug, the same run revives red: two values chosen.
    let broken = run_lesson(
        get("highest-ballot"),
        lesson(get("highest-ballot")).with_bugs(Bugs::default().with(Bug::AdoptLowest)),
    );
    let agreement = broken.sim.violations().iter().find(|v| v.rule == Rule::Agreement).expect("two values chosen");
    assert_eq!(agreement.values, [blue, red]);
}

#[test]
fn dueling_proposers_lose_ballots_to_each_other_before_one_wins() {
    let r = run(get("dueling"));
    let events = r.sim.events();
    let first = first_chosen(events).expect("a value is chosen by the end");
    let lost: Vec<(NodeId, Ballot)> = node_events(&events[..first])
        .filter_map(|(n, e)| match e {
            NodeEvent::Abandoned { ballot, reason: AbandonReason::Rejected { .. } } => Some((n, *ballot)),
            _ => None,
        })
        .collect();
    assert!(lost.len() >= 2, "only {lost:?} abandoned before a value was chosen");
    // A duel: both proposers lost a ballot to the other.
    assert!(lost.iter().any(|(n, _)| *n == NodeId(0)) && lost.iter().any(|(n, _)| *n == NodeId(1)), "{lost:?}");
    let rejections = node_events(&events[..first]).filter(|(_, e)| matches!(e, NodeEvent::Rejected { .. })).count();
    assert!(rejections >= 4, "only {rejections} rejections");
    let value = chosen(&r.sim, 0).expect("chosen");
    for n in 0..3 {
        assert_eq!(learned(&r.sim, n, 0), Some(value.clone()), "node {n}");
    }
}

#[test]
fn minority_crashed_still_chooses() {
    let r = run(get("minority-crashed"));
    assert!(!r.sim.is_up(NodeId(2)));
    assert_eq!(chosen(&r.sim, 0), Some(Value::text("hello")));
    assert_eq!(learned(&r.sim, 0, 0), Some(Value::text("hello")));
    assert_eq!(learned(&r.sim, 1, 0), Some(Value::text("hello")));
    assert_eq!(learned(&r.sim, 2, 0), None);
}

#[test]
fn proposer_crash_the_next_proposer_finishes_with_the_first_proposers_value() {
    let r = run(get("proposer-crash"));
    let hello = Value::text("hello");
    // hello was chosen before node 0 crashed.
    let crash = r
        .sim
        .events()
        .iter()
        .position(|e| matches!(e.kind, EventKind::Crash { node: NodeId(0) }))
        .expect("node 0 crashes");
    assert!(first_chosen(r.sim.events()).is_some_and(|c| c < crash));
    assert!(!r.sim.is_up(NodeId(0)));
    assert_eq!(chosen(&r.sim, 0), Some(hello.clone()));
    assert!(node_events(r.sim.events()).any(
        |(n, e)| n == NodeId(2) && matches!(e, NodeEvent::Adopted { value, from: Some(_), .. } if *value == hello)
    ));
    assert!(node_events(r.sim.events())
        .any(|(n, e)| n == NodeId(2) && matches!(e, NodeEvent::Accepted { value, .. } if *value == hello)));
    for n in [1, 2] {
        assert_eq!(learned(&r.sim, n, 0), Some(hello.clone()), "node {n}");
    }
}

#[test]
fn partition_only_the_majority_side_chooses_and_the_minority_learns_after_heal() {
    let s = get("partition");
    let r = run(s);
    let l = lesson(s);
    let heal = l
        .stages
        .iter()
        .position(|st| st.commands.iter().any(|c| matches!(c, paxos_sim::Command::Heal)))
        .expect("a stage heals");
    let majority = Value::text("majority");
    let before_heal = &r.sim.events()[..r.ends[heal - 1]];
    // While partitioned, node 2 learned and accepted nothing; nodes 0 and 1 chose and learned majority.
    assert!(!node_events(before_heal)
        .any(|(n, e)| n == NodeId(2) && matches!(e, NodeEvent::Learned { .. } | NodeEvent::Accepted { .. })));
    assert!(node_events(before_heal).any(|(n, e)| n == NodeId(2) && matches!(e, NodeEvent::Abandoned { .. })));
    for n in [0, 1] {
        assert!(node_events(before_heal)
            .any(|(m, e)| m == NodeId(n) && matches!(e, NodeEvent::Learned { value, .. } if *value == majority)));
    }
    assert!(before_heal.iter().any(
        |e| matches!(&e.kind, EventKind::Chosen { chosen, .. } if chosen.value == majority && !chosen.quorum.contains(NodeId(2)))
    ));
    assert!(!r
        .sim
        .events()
        .iter()
        .any(|e| matches!(&e.kind, EventKind::Chosen { chosen, .. } if chosen.value == Value::text("lonely"))));
    for n in 0..3 {
        assert_eq!(learned(&r.sim, n, 0), Some(majority.clone()), "node {n}");
    }
}

#[test]
fn multi_leader_change_fills_the_gap_with_a_noop() {
    let r = run(get("multi-leader-change"));
    let events = r.sim.events();
    let leaders: Vec<NodeId> =
        node_events(events).filter_map(|(n, e)| matches!(e, NodeEvent::Elected { .. }).then_some(n)).collect();
    assert!(leaders.contains(&NodeId(2)), "node 2 led first: {leaders:?}");
    assert!(!r.sim.is_up(NodeId(2)));
    let new = r.sim.leader().expect("a new leader");
    assert_ne!(new, NodeId(2));
    // The no-op is chosen in the gap, by the new leader's ballot, and the slots after it keep their values.
    let noop_slots: Vec<Slot> = r.sim.chosen().iter().filter(|(_, c)| c.value == Value::Noop).map(|(s, _)| s).collect();
    assert_eq!(noop_slots, [Slot(2)]);
    assert_eq!(r.sim.chosen().get(&Slot(2)).map(|c| c.ballot.node), Some(new));
    assert_eq!(chosen(&r.sim, 3), Some(Value::Txn { client: 8, req: 2 }));
    // Every live learner applied the whole log: txn 8/2 got ID 2 because the no-op allocates nothing.
    for n in [0u8, 1] {
        let l = r.sim.nodes()[n as usize].learner().expect("learner");
        assert_eq!(l.prefix, Slot(4), "node {n}");
        assert!(node_events(events)
            .any(|(m, e)| m == NodeId(n) && matches!(e, NodeEvent::Allocated { client: 8, req: 2, id: 2, .. })));
    }
}

#[test]
fn amnesia_chooses_two_different_values() {
    let r = run(get("amnesia"));
    let v = r.sim.violations();
    let agreement =
        v.iter().find(|v| v.rule == Rule::Agreement).unwrap_or_else(|| panic!("no agreement violation: {v:?}"));
    assert_eq!(agreement.slot, Some(Slot(0)));
    assert_eq!(agreement.values, [Value::text("first"), Value::text("second")]);
    assert_ne!(agreement.values[0], agreement.values[1]);
    // The first symptom is the forgetful restart.
    assert_eq!(v[0].rule, Rule::PromiseDecreased);
    assert!(r.sim.events().iter().any(|e| matches!(e.kind, EventKind::Restart { node: NodeId(1), forgot: true })));
}

#[test]
fn membership_adds_a_node_retires_another_and_elects_in_the_new_configuration() {
    use paxos_core::NodeSet;
    use paxos_sim::snapshot::Standing;
    let r = run(get("membership"));
    assert!(r.sim.violations().is_empty(), "{:?}", r.sim.violations());
    let at = |s: u64| r.sim.chosen().get(&Slot(s)).cloned().unwrap_or_else(|| panic!("slot {s} not chosen"));
    // Each configuration is followed by ALPHA - 1 no-ops, so it is in force without client traffic.
    assert_eq!(at(2).value, Value::Config(NodeSet(0b1111)));
    assert_eq!(at(5).value, Value::Config(NodeSet(0b1110)));
    assert!([3, 4, 6, 7].iter().all(|&s| at(s).value == Value::Noop));
    // Slot 8 is the first of {1, 2, 3}: the retired node 0's vote is not counted.
    assert_eq!((at(8).value, at(8).quorum), (Value::Txn { client: 7, req: 3 }, NodeSet(0b0110)));
    // The new leader's slot, chosen by 1 and 3 with node 2 down.
    assert_eq!((at(9).value, at(9).quorum), (Value::Txn { client: 7, req: 4 }, NodeSet(0b1010)));
    assert_eq!(r.sim.leader(), Some(NodeId(1)));
    let standing: Vec<Standing> = Snapshot::of(&r.sim).nodes.iter().map(|n| n.standing).collect();
    assert_eq!(standing, [Standing::Retired, Standing::Member, Standing::Member, Standing::Member]);
    // The joining node learned the whole log by catching up.
    assert_eq!(r.sim.nodes()[3].learner().unwrap().prefix, Slot(10));
}

#[test]
fn reconfigure_early_chooses_two_values_in_a_slot_by_quorums_that_do_not_meet() {
    let r = run(get("reconfigure-early"));
    let v = r.sim.violations();
    // Caught at the commit counted in a configuration only proposed: slot 3, votes of 2, 3 and 4.
    assert_eq!((v[0].rule, v[0].slot), (Rule::QuorumOfConfiguration, Some(Slot(3))), "{v:?}");
    assert_eq!(v[0].values, [Value::Txn { client: 8, req: 1 }]);
    assert!(v[0].message.contains("{2, 3, 4}"), "{}", v[0].message);
    // The other side chose another value there, by {0, 1}, and the learners disagree.
    let c = r.sim.chosen().get(&Slot(3)).unwrap();
    assert_eq!((c.value.clone(), c.quorum), (Value::Txn { client: 9, req: 3 }, paxos_core::NodeSet(0b11)));
    for (n, want) in [(0, (9, 3)), (1, (9, 3)), (3, (8, 1)), (4, (8, 1))] {
        assert_eq!(learned(&r.sim, n, 3), Some(Value::Txn { client: want.0, req: want.1 }), "learner {n}");
    }
}

/// "What if this rule were missing?": every scenario with every bug switched on (the browser's What if picker and
/// `paxos scenario <id> --bug <bug>`). The commands still apply, and exactly these combinations break a rule;
/// docs/lessons.md lists them.
#[test]
fn what_if_a_bug_breaks_a_rule_in_exactly_the_documented_scenarios() {
    use Rule::{
        AcceptedBelowPromise as Below, AdoptedNotHighest as NotHighest, Agreement, CommittedUnchosen as Committed,
        ElectedWithoutQuorum as Elected, LearnedUnchosen as Learned, PromiseDecreased as Promise,
        QuorumOfConfiguration as Config,
    };
    // Each pair that breaks a rule, with the rules it breaks in the order each first broke: the rule the bug
    // removes comes first, at the event that breaks it, and its consequences (if the run reaches them) after.
    let table: [(&str, Bug, &[Rule]); 28] = [
        ("happy-path", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("adopt-accepted", Bug::IgnoreAccepted, &[NotHighest]),
        ("adopt-accepted", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("highest-ballot", Bug::Amnesia, &[Promise]),
        ("highest-ballot", Bug::IgnoreAccepted, &[NotHighest, Agreement, Learned]),
        ("highest-ballot", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("highest-ballot", Bug::AdoptLowest, &[NotHighest, Agreement, Learned]),
        ("dueling", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("dueling", Bug::BreakPromise, &[Below, Agreement]),
        ("minority-crashed", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("proposer-crash", Bug::IgnoreAccepted, &[NotHighest, Agreement, Learned]),
        ("proposer-crash", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("partition", Bug::IgnoreAccepted, &[NotHighest, Agreement, Learned]),
        ("partition", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("multi-leader-change", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("membership", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("amnesia", Bug::Amnesia, &[Promise, Agreement, Learned]),
        ("amnesia", Bug::IgnoreAccepted, &[Promise, Agreement, Learned]),
        ("amnesia", Bug::MinorityQuorum, &[Elected, Committed, Learned, Promise, Agreement]),
        ("amnesia", Bug::BreakPromise, &[Promise, Agreement, Learned]),
        ("amnesia", Bug::AdoptLowest, &[Promise, Agreement, Learned]),
        ("amnesia", Bug::ReconfigureEarly, &[Promise, Agreement, Learned]),
        // The scenario runs with reconfigure-early on already: every bug added keeps its violation.
        ("reconfigure-early", Bug::Amnesia, &[Config, Learned]),
        ("reconfigure-early", Bug::IgnoreAccepted, &[Config, Learned]),
        ("reconfigure-early", Bug::MinorityQuorum, &[Elected, Committed, Learned]),
        ("reconfigure-early", Bug::BreakPromise, &[Config, Learned]),
        ("reconfigure-early", Bug::AdoptLowest, &[Config, Learned]),
        ("reconfigure-early", Bug::ReconfigureEarly, &[Config, Learned]),
    ];
    let table: Vec<(&str, Bug, Vec<Rule>)> = table.into_iter().map(|(s, b, r)| (s, b, r.to_vec())).collect();
    let mut found = Vec::new();
    for s in scenario::of::<paxos_sim::Paxos>() {
        for bug in Bug::ALL {
            let l = lesson(s).with_bugs(Bugs::default().with(bug));
            assert!(l.config.cluster.bugs.has(bug));
            assert!(!l.config.stop_on_violation, "the run goes on after the violation, so the damage shows");
            let r = run_lesson(s, l);
            let v = r.sim.violations();
            if !v.is_empty() {
                let mut rules: Vec<Rule> = Vec::new();
                for v in v {
                    if !rules.contains(&v.rule) {
                        rules.push(v.rule);
                    }
                }
                found.push((s.id, bug, rules));
            }
            // The checker keeps every value chosen, not just the first: each value an agreement violation names.
            for v in v.iter().filter(|v| v.rule == Rule::Agreement) {
                let slot = v.slot.unwrap();
                let also = r.sim.also_chosen().iter().filter(|(s, _)| *s == slot).map(|(_, c)| c);
                let all: Vec<_> = r.sim.chosen().get(&slot).into_iter().chain(also).map(|c| &c.value).collect();
                assert!(v.values.iter().all(|x| all.contains(&x)), "{} {bug:?}: {v:?}", s.id);
            }
        }
    }
    assert_eq!(found, table, "the scenario and bug pairs that break a rule, and the rules they break");
    // No bugs: the lesson as written.
    assert_eq!(lesson(get("happy-path")).with_bugs(Bugs::default()), lesson(get("happy-path")));
}

#[test]
fn lessons_report_parse_errors_with_line_numbers() {
    let e = paxos_sim::scenario::parse_lesson("config nodes=3\nsay hi\nstep x\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.to_string().starts_with("line 3:"), "{e}");
}
