//! Hostile input (issue 13, part 2): links, traces and scripts written by a stranger. Each test pins one defect that
//! froze, crashed or misled before: every count from outside is bounded, the cluster size has one rule, numbers are
//! compared as numbers, misspelled fields are named, and messages quote a bounded prefix of what they were given.

use paxos_core::{Mode, NodeId, Value};
use paxos_sim::limits::{MAX_NODES, MAX_RUN_EVENTS, MAX_TICK_EVERY, MIN_NODES};
use paxos_sim::trace::TraceRun;
use paxos_sim::{Command, Faults, Link, LinkError, SimConfig, SimError, Simulator, Tape, Trace, TraceError};

#[test]
fn a_short_link_to_a_huge_run_is_refused_before_it_runs() {
    // One step of 2^40 − 1 events in 42 characters: it froze the tab.
    assert_eq!(Link::decode("1.AQADBwcHAAAAAggQCAIKFDwAAAoBAQD______x8A"), Err(LinkError::TooLong));
    // 10^8 events: over ten seconds of replay.
    let mut tape = Tape::new(1, SimConfig::new(Mode::Single, 3));
    tape.push(Command::Step { count: MAX_RUN_EVENTS });
    let ok = Link { tape: tape.clone(), at: 0 }.encode();
    assert_eq!(Link::decode(&ok).unwrap().tape.len(), MAX_RUN_EVENTS);
    let e = Link::decode("1.AQADBwcHAAAAAggQCAIKFDwAAAoBAQCAwtcvAA").unwrap_err();
    assert_eq!(e, LinkError::TooLong);
    assert_eq!(e.to_string(), format!("the link's run is longer than {MAX_RUN_EVENTS} moments, the limit"));
}

#[test]
fn a_tick_period_near_u64_max_is_refused_by_the_configuration() {
    // Panicked the page ("capacity overflow").
    let e = Link::decode("1.AQADBwcHAAAAAggQCAIKFDwAAP___________wEBAgEAAgFhAMgByQE").unwrap_err();
    assert_eq!(e, LinkError::Invalid(SimError::TickEvery(u64::MAX)));
    assert!(e.to_string().contains(&format!("tick_every must be from 1 to {MAX_TICK_EVERY}")), "{e}");
    let mut cfg = SimConfig::new(Mode::Single, 3);
    cfg.tick_every = MAX_TICK_EVERY;
    assert!(cfg.validate().is_ok());
    cfg.tick_every += 1;
    assert!(Simulator::new(1, cfg.clone(), false).is_err());
    cfg.tick_every = 10;
    cfg.latency = (1, u64::MAX);
    assert!(matches!(cfg.validate(), Err(SimError::Latency { .. })));
    cfg.latency = (5, 15);
    cfg.cluster.timing.election = (8, u32::MAX);
    assert!(cfg.validate().unwrap_err().to_string().contains("election must be at most"));
}

#[test]
fn a_script_tick_cannot_make_time_run_backwards() {
    // `config tick=18446744073709551615` wrapped simulated time while `paxos replay` reported "reproduced exactly".
    let lines = paxos_sim::script::parse("config nodes=3 tick=18446744073709551615\nstep 3\n").unwrap();
    let paxos_sim::script::Line::Config(seed, cfg) = &lines[0] else { panic!() };
    let e = Simulator::new(*seed, (**cfg).clone(), true).unwrap_err();
    assert_eq!(e, SimError::TickEvery(u64::MAX));
}

#[test]
fn a_delay_is_bounded_and_time_never_wraps() {
    let mut sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), true).unwrap();
    sim.apply(Command::Propose { node: NodeId(0), value: Value::text("a") }).unwrap();
    let msg = sim.in_flight().next().unwrap().id;
    assert_eq!(sim.apply(Command::Delay { msg, by: u64::MAX }), Err(SimError::Delay(u64::MAX)));
    sim.apply(Command::Delay { msg, by: paxos_sim::limits::MAX_LATENCY }).unwrap();
    let mut last = 0;
    for _ in 0..200 {
        sim.step();
        assert!(sim.time() >= last, "time ran backwards");
        last = sim.time();
    }
}

#[test]
fn one_cluster_size_rule_everywhere() {
    for n in [0, 1, 2, MAX_NODES + 1, 64] {
        let cfg = SimConfig::new(Mode::Single, n);
        assert_eq!(cfg.validate().unwrap_err(), SimError::Nodes(n), "{n} nodes");
        // Links (which opened 1 and 10–64 nodes silently) and traces.
        let link = Link { tape: Tape::new(1, cfg.clone()), at: 0 }.encode();
        assert!(matches!(Link::decode(&link), Err(LinkError::Invalid(SimError::Nodes(_)))), "{n}: {link}");
        let mut trace = Trace::record(1, &SimConfig::new(Mode::Single, 3), []).unwrap();
        trace.config = cfg;
        let e = TraceRun::parse(&trace.to_json()).unwrap().replay().unwrap_err();
        assert!(e.to_string().contains(&format!("must have {MIN_NODES} to {MAX_NODES} nodes, got {n}")), "{e}");
    }
    for n in MIN_NODES..=MAX_NODES {
        assert!(SimConfig::new(Mode::Multi, n).validate().is_ok());
    }
}

fn trace_json(commands: &[Command]) -> String {
    Trace::record(1, &SimConfig::new(Mode::Single, 3), commands.iter().cloned()).unwrap().to_json()
}

#[test]
fn a_trace_with_a_huge_step_is_refused_before_it_runs() {
    // `{"op":"step","count":1000000000000}` hung `paxos replay` and the page's Import.
    let text = trace_json(&[Command::Step { count: 5 }]).replace("\"count\": 5", "\"count\": 1000000000000");
    for e in [TraceRun::parse(&text).unwrap_err(), Trace::parse(&text).unwrap_err()] {
        assert!(matches!(e, TraceError::TooLong { index: 0 }), "{e}");
        assert!(e.to_string().contains(&format!("field `commands`: the run would have more than {MAX_RUN_EVENTS}")));
    }
    // The simulator itself refuses such a step too, whoever asks.
    let mut sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), false).unwrap();
    assert_eq!(sim.apply(Command::Step { count: u64::MAX }), Err(SimError::TooLong(u64::MAX)));
}

#[test]
fn numbers_rewritten_by_json_stringify_still_reproduce() {
    // JavaScript writes 29.0 as 29: the page refused such a trace ("replay diverged at event 9").
    let network = Command::Network { latency: (5, 15), faults: Faults { loss: 0.0, dup: 29.0 } };
    let text = trace_json(&[network, Command::Propose { node: NodeId(0), value: Value::text("a") }]);
    assert!(text.contains("29.0"));
    let rewritten = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap())
        .unwrap()
        .replace(".0,", ",")
        .replace(".0}", "}");
    assert!(!rewritten.contains("29.0") && rewritten.contains("\"dup\":29"), "{rewritten}");
    TraceRun::parse(&rewritten).unwrap().replay().unwrap();
    Trace::parse(&rewritten).unwrap().replay().unwrap();
    // A different number still diverges.
    let changed = rewritten.replacen("\"dup\":29,", "\"dup\":28,", 1);
    assert_ne!(changed, rewritten);
    assert!(matches!(TraceRun::parse(&changed).unwrap().replay(), Err(TraceError::Mismatch { .. })));
}

#[test]
fn a_misspelled_field_anywhere_in_a_trace_is_named() {
    let text = trace_json(&[Command::Step { count: 3 }]);
    let cases = [
        ("\"amnesia\": false", "\"amnesai\": true", "amnesai"),
        ("\"heartbeat\": 2", "\"heartbaet\": 2", "heartbaet"),
        ("\"stop_on_violation\": true", "\"stop_on_violaton\": true", "stop_on_violaton"),
        ("\"proposer\": true", "\"propser\": true", "propser"),
        ("\"count\": 3", "\"count\": 3, \"cuont\": 4", "cuont"),
        ("\"loss\": 0.0", "\"los\": 0.0, \"loss\": 0.0", "los"),
    ];
    for (from, to, name) in cases {
        assert!(text.contains(from), "{from}");
        let bad = text.replacen(from, to, 1);
        for e in [TraceRun::parse(&bad).unwrap_err(), Trace::parse(&bad).unwrap_err()] {
            assert!(e.to_string().contains(&format!("unknown field `{name}`")), "{e}");
        }
    }
}

#[test]
fn trace_messages_quote_a_bounded_prefix() {
    let long = "y".repeat(100_000);
    let text = trace_json(&[]);
    let bad_field = text.replacen("\"amnesia\"", &format!("\"{long}\""), 1);
    let bad_format = text.replacen("paxos-playground-trace", &long, 1);
    let bad_op = trace_json(&[Command::Heal]).replacen("\"heal\"", &format!("\"{long}\""), 1);
    for bad in [bad_field, bad_format, bad_op] {
        let e = TraceRun::parse(&bad).unwrap_err().to_string();
        assert!(e.chars().count() < 400 && e.contains("(100000 characters)"), "{} chars: {}", e.len(), &e[..200]);
    }
    // A refused command quotes its line bounded too.
    let t = Tape::from_commands(
        1,
        SimConfig::new(Mode::Single, 3),
        [Command::Propose { node: NodeId(0), value: Value::text(&long) }],
    );
    let e = t.replay(1, false).unwrap_err().to_string();
    assert!(e.chars().count() < 300, "{e}");
}
