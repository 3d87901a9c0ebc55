//! The `paxos` binary as a user runs it: exit codes 0 (clean), 1 (violation or mismatch), 2 (bad input).

use std::process::{Command, Output};

fn paxos(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paxos")).args(args).output().expect("the binary runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("paxos-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn fuzz_is_clean_and_reports_json() {
    let o = paxos(&["fuzz", "--seeds", "300", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schedules"], 300);
    assert_eq!(v["violations"], 0);
    assert!(v["first_violation"].is_null());
    assert!(v["schedules_per_sec"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_bug_is_found_and_the_printed_command_reproduces_it() {
    let o = paxos(&["fuzz", "--seeds", "500", "--bug", "ignore-accepted", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let seed = v["first_violation"]["seed"].as_u64().unwrap().to_string();
    assert!(v["first_violation"]["replay"].as_str().unwrap().contains(&format!("paxos run --seed {seed}")));
    let trace = tmp("bug.json");
    let o = paxos(&["run", "--seed", &seed, "--bug", "ignore-accepted", "--trace", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("violation reproduced: adopted_not_highest"), "{}", text(&o));
}

#[test]
fn a_clean_run_replays_with_exit_0_and_a_tampered_one_with_1() {
    let trace = tmp("clean.json");
    let o = paxos(&["run", "--seed", "7", "--mode", "multi", "--trace", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(paxos(&["replay", &trace]).status.code(), Some(0));
    let json = std::fs::read_to_string(&trace).unwrap().replacen("\"seed\": 7", "\"seed\": 8", 1);
    std::fs::write(&trace, json).unwrap();
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("diverged at event"), "{}", text(&o));
}

#[test]
fn a_malformed_trace_exits_2_naming_the_problem() {
    let trace = tmp("bad.json");
    std::fs::write(&trace, "{\"format\": \"paxos-playground-trace\", \"version\": 1,\n \"seed\": \"x\"}").unwrap();
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("line 2"), "{}", text(&o));
    std::fs::write(&trace, "not json").unwrap();
    assert_eq!(paxos(&["replay", &trace]).status.code(), Some(2));
    assert_eq!(paxos(&["replay", &tmp("missing.json")]).status.code(), Some(2));
}

#[test]
fn invalid_arguments_exit_2_with_a_clear_message() {
    for (args, needle) in [
        (&["fuzz", "--nodes", "0"][..], "`nodes` must be from 3 to 9, not 0"),
        (&["fuzz", "--nodes", "3", "--q1", "1", "--q2", "2"][..], "q1 + q2 must exceed"),
        (&["fuzz", "--loss", "150"][..], "`loss` must be a percentage from 0 to 100, not 150"),
        (
            &["run", "--seed", "1", "--dup", "lots", "--trace", "x.json"][..],
            "`dup` must be a percentage like 12.5, not “lots”",
        ),
        (&["fuzz", "--bug", "typo"][..], "unknown bug `typo`"),
        (&["fuzz", "--mode", "triple"][..], "unknown mode"),
        (&["fuzz", "--coverage", "--mode", "multi"][..], "--coverage measures the explorer's clusters"),
        (&["check", "--acceptors", "0"][..], "no node has the acceptor role"),
    ] {
        let o = paxos(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(needle), "{args:?}: {}", text(&o));
        assert!(!text(&o).contains("panicked"), "{args:?}");
    }
}

#[test]
fn membership_verbs_run_in_scripts_and_refusals_say_why() {
    let dir = std::env::temp_dir().join(format!("paxos-membership-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.to_string_lossy().into_owned()
    };
    let ok = script(
        "ok.txt",
        "config nodes=3 mode=multi seed=3\nstep 60\nadd-node\nstep 60\npropose 0 a\npropose 0 b\npropose 0 c\n\
         step 200\nremove-node 1\nstep 300\n",
    );
    let o = paxos(&["script", &ok]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("add-node") && out.contains("chosen [0] config {0, 1, 2, 3}"), "{out}");
    assert!(out.contains("in force from slot 3") && out.contains("remove-node 1"), "{out}");
    let single = script("single.txt", "config nodes=3 seed=1\nadd-node\n");
    // A script reports a refused command and goes on, as it does for `crash 7`.
    let o = paxos(&["script", &single]);
    assert!(text(&o).contains("`add-node` refused: membership changes are for Multi-Paxos only"), "{}", text(&o));
    let o = paxos(&["script", &script("gone.txt", "config nodes=3 mode=multi seed=1\nremove-node 5\n")]);
    assert!(text(&o).contains("there is no node 5"), "{}", text(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bugs_lists_each_bug_with_the_rule_it_removes() {
    let o = paxos(&["bugs"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "amnesia promise_decreased\n\
         ignore-accepted adopted_not_highest\n\
         minority-quorum elected_without_quorum\n\
         break-promise accepted_below_promise\n\
         adopt-lowest adopted_not_highest\n\
         reconfigure-early quorum_of_configuration\n"
    );
    let o = paxos(&["bugs", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 6);
    assert_eq!(v[0], serde_json::json!({ "bug": "amnesia", "rule": "promise_decreased" }));
    assert_eq!(v[4], serde_json::json!({ "bug": "adopt-lowest", "rule": "adopted_not_highest" }));
}

#[test]
fn bugs_lists_raft_s_bugs_and_the_explorer_finds_each_at_its_rule() {
    let o = paxos(&["bugs", "--protocol", "raft"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "commit-old-term current_term_commit\nforget-vote vote_once\nno-log-check up_to_date_vote\n\
         change-two-at-once quorum_of_configuration\n"
    );
    // The listing is what the checker reports: the explorer's shortest counterexample of each bug breaks that
    // rule first (the actions pinned: Figure 8 with a crash; a vote, a crash and restart, a second vote; a vote for
    // a shorter log).
    let o = paxos(&["bugs", "--protocol", "raft", "--json"]);
    let bugs: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut found = Vec::new();
    for b in bugs.as_array().unwrap() {
        let (bug, rule) = (b["bug"].as_str().unwrap(), b["rule"].as_str().unwrap());
        if bug == "change-two-at-once" {
            continue; // the explorer changes no membership: the fuzzer finds it (below)
        }
        let o = paxos(&["check", "--protocol", "raft", "--bug", bug, "--json"]);
        assert_eq!(o.status.code(), Some(1), "{bug}: {}", text(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let c = &v["counterexample"];
        assert_eq!(c["violation"]["rule"], rule, "{bug}");
        found.push((bug.to_string(), c["path"].as_array().unwrap().len()));
    }
    let found: Vec<(&str, usize)> = found.iter().map(|(b, n)| (b.as_str(), *n)).collect();
    assert_eq!(found, [("commit-old-term", 11), ("forget-vote", 6), ("no-log-check", 5)]);
}

#[test]
fn coverage_measures_raft_on_the_explorer_s_raft_clusters() {
    let o = paxos(&["fuzz", "--coverage", "--protocol", "raft", "--nodes", "5"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--coverage measures the explorer's Raft clusters (3 nodes)"), "{}", text(&o));
    let o = paxos(&["fuzz", "--coverage", "--protocol", "raft", "--bug", "amnesia"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn check_reports_states_and_finds_bugs() {
    let o = paxos(&["check", "--max-depth", "8", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["unique_states"].as_u64().unwrap() > 100);
    assert_eq!(v["violations"], 0);
    assert!(v["states_per_sec"].as_f64().unwrap() > 0.0);
    let o = paxos(&["check", "--bug", "minority-quorum"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("shortest counterexample"));
    // Adopt-lowest is out of the explorer's reach (one ballot per proposer), and the output says so.
    let o = paxos(&["check", "--bug", "adopt-lowest", "--max-depth", "6"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("adopt-lowest needs three ballots"), "{}", text(&o));
    assert!(text(&o).contains("paxos fuzz --bug adopt-lowest"), "{}", text(&o));
}

#[test]
fn script_runs_the_transcript_language() {
    let script = tmp("s.txt");
    std::fs::write(&script, "config nodes=3 seed=1 latency=10..10\npropose 0 hello\nstep 30\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("chosen [0] hello"), "{}", text(&o));
    std::fs::write(&script, "crash banana\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("line 1: `banana` is not a node id"), "{}", text(&o));
}

#[test]
fn scenarios_play_with_their_narration_and_write_traces() {
    let o = paxos(&["scenario", "--list"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o).lines().count(), paxos_sim::scenario::all().len());
    let trace = tmp("adopt.json");
    let o = paxos(&["scenario", "adopt-accepted", "--trace", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("## stage 1: Node 0 proposes hello"), "{}", text(&o));
    assert!(text(&o).contains("adopted from the highest accepted ballot 1.0"), "{}", text(&o));
    assert_eq!(paxos(&["replay", &trace]).status.code(), Some(0));
    // The amnesia lesson ends in a violation: exit 1, like any run that breaks safety.
    assert_eq!(paxos(&["scenario", "amnesia"]).status.code(), Some(1));
    let o = paxos(&["scenario", "duel"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no scenario `duel`; the scenarios are happy-path"), "{}", text(&o));
    // What if a rule were missing: the same lesson with a bug on, checked by replaying its trace.
    let trace = tmp("what-if.json");
    let o = paxos(&["scenario", "proposer-crash", "--bug", "ignore-accepted", "--trace", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("# What if: the ignore-accepted bug is on."), "{}", text(&o));
    assert!(
        text(&o).contains("VIOLATION agreement: two values chosen in slot 0: hello at 1.0 and other"),
        "{}",
        text(&o)
    );
    assert_eq!(paxos(&["replay", &trace]).status.code(), Some(1), "the trace carries the bug");
    assert_eq!(paxos(&["scenario", "proposer-crash", "--bug", "typo"]).status.code(), Some(2));
}

/// Hostile input (issue 13, part 2): counts from flags, scripts and files are bounded and refused with exit 2 and a
/// message naming the flag (or line) and the limit, instead of aborting on memory or running for hours.
#[test]
fn unbounded_counts_are_refused_with_exit_2_naming_the_flag_and_the_limit() {
    for (args, needles) in [
        (&["run", "--seed", "1", "--steps", "1000000000", "--trace", "x.json"][..], ["--steps", "5000000"]),
        (&["run", "--seed", "1", "--steps", "18446744073709551615", "--trace", "x.json"][..], ["--steps", "5000000"]),
        (&["fuzz", "--steps", "18446744073709551615"][..], ["--steps", "5000000"]),
        (&["fuzz", "--nodes", "64"][..], ["--nodes", "from 3 to 9"]),
        (&["fuzz", "--nodes", "18446744073709551615"][..], ["--nodes", "from 3 to 9"]),
        (&["fuzz", "--seeds", "18446744073709551615"][..], ["--seeds", "1000000000"]),
        (&["check", "--acceptors", "18446744073709551615"][..], ["--acceptors", "9"]),
        (&["bench", "--deliveries", "18446744073709551615"][..], ["--deliveries", "1000000000"]),
        (&["fuzz", "--start", "18446744073709551614", "--seeds", "2"][..], ["--start", "--seeds"]),
    ] {
        let o = paxos(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        for needle in needles {
            assert!(text(&o).contains(needle), "{args:?}: {}", text(&o));
        }
        assert!(!text(&o).contains("memory allocation") && !text(&o).contains("panicked"), "{args:?}");
    }
    // The last seed itself is fine.
    assert_eq!(paxos(&["fuzz", "--start", "18446744073709551614", "--seeds", "1"]).status.code(), Some(0));
}

#[test]
fn a_hostile_script_or_trace_is_refused_with_exit_2() {
    let script = tmp("huge-step.txt");
    std::fs::write(&script, "config nodes=3\nstep 18446744073709551615\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("line 2: `step` may run at most 5000000 events"), "{}", text(&o));
    std::fs::write(&script, "config nodes=3 tick=18446744073709551615\nstep 3\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("tick_every must be from 1 to 10000"), "{}", text(&o));

    let trace = tmp("huge.json");
    let o = paxos(&["run", "--seed", "3", "--trace", &trace]);
    assert!(o.status.success(), "{}", text(&o));
    let good = std::fs::read_to_string(&trace).unwrap();
    let bad =
        good.replacen("\"op\": \"step\",\n      \"count\": ", "\"op\": \"step\",\n      \"count\": 1000000000000", 1);
    assert_ne!(bad, good);
    std::fs::write(&trace, bad).unwrap();
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("more than 5000000 events"), "{}", text(&o));
    std::fs::write(&trace, good.replacen("\"amnesia\": false", "\"amnesai\": true", 1)).unwrap();
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("unknown field `amnesai`"), "{}", text(&o));
}

#[test]
fn a_file_is_read_up_to_a_limit_only() {
    let o = paxos(&["replay", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("/dev/zero is larger than 64 MiB, the limit"), "{}", text(&o));
    let bin = tmp("binary.json");
    std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
    let o = paxos(&["replay", &bin]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("is not UTF-8 text"), "{}", text(&o));
}

#[test]
fn an_exercise_checks_a_link_or_a_trace_for_grading_scripts() {
    // Every built-in exercise's reference solution, as the link `--solution` prints, is solved; another
    // exercise's solution is not.
    let list = paxos(&["exercise", "--list"]);
    assert_eq!(list.status.code(), Some(0), "{}", text(&list));
    let ids: Vec<String> =
        String::from_utf8_lossy(&list.stdout).lines().map(|l| l.split_whitespace().next().unwrap().into()).collect();
    assert!(ids.len() >= 12, "{ids:?}");
    let link_of = |id: &str| {
        let o = paxos(&["exercise", id, "--solution"]);
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        out.lines().find_map(|l| l.strip_prefix("link: ")).expect("a link line").to_string()
    };
    for id in &ids {
        let link = format!("http://127.0.0.1:8080/{}", link_of(id));
        let o = paxos(&["exercise", id, "--check", &link]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", text(&o));
        assert!(text(&o).starts_with(&format!("solved: exercise {id}, at moment ")), "{}", text(&o));
    }
    let other = link_of("first-value");
    let o = paxos(&["exercise", "no-quorum", "--check", &other]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("not solved: exercise no-quorum: the run does not start from"), "{}", text(&o));
    // A trace of the same run is checked the same way.
    let trace = tmp("exercise.json");
    let script = tmp("exercise.txt");
    std::fs::write(&script, "config nodes=5 mode=single seed=1\ncrash 0\ncrash 1\n").unwrap();
    let o = paxos(&["script", &script, "--trace", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = paxos(&["exercise", "no-quorum", "--check", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("not yet: no quorum is reachable"), "{}", text(&o));
    // A goal of one's own, from the run's own start.
    let o = paxos(&["exercise", "--goal", "down>=2,actions<=2", "--check", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Bad input: exit 2, naming it.
    for (args, says) in [
        (vec!["exercise", "nope"], "no exercise `nope`"),
        (vec!["exercise", "--goal", "chosen,fly", "--check", &trace], "`fly` is not a goal term"),
        (vec!["exercise", "--goal", "learned=7", "--check", &trace], "there is no node 7"),
        (vec!["exercise", "no-quorum", "--check", "1.AAAA"], "not a trace file, nor a link"),
        (vec!["exercise", "--goal", "chosen"], "--goal needs --check"),
    ] {
        let o = paxos(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
    }
}

#[test]
fn raft_exercises_are_listed_by_protocol_and_checked_as_raft_runs() {
    // `--list` lists both protocols' (the grading test above checks every solution); `--protocol` one's.
    let list = paxos(&["exercise", "--list", "--protocol", "raft"]);
    let ids: Vec<String> =
        String::from_utf8_lossy(&list.stdout).lines().map(|l| l.split_whitespace().next().unwrap().into()).collect();
    assert_eq!(
        ids,
        ["raft-leader-down", "raft-forget-vote", "raft-no-log-check", "raft-figure-eight", "raft-change-two-at-once"]
    );
    let o = paxos(&["exercise", "raft-forget-vote", "--solution"]);
    assert!(text(&o).contains("start: protocol=raft nodes=3 seed=6 latency=10..10 bug=forget-vote"), "{}", text(&o));
    let link = text(&o).lines().find_map(|l| l.strip_prefix("link: ")).expect("a link line").to_string();
    assert!(link.starts_with("?protocol=raft&exercise=raft-forget-vote#run=2."), "{link}");
    // Another Raft exercise's run does not start as this one does; a Paxos run is refused by name.
    let o = paxos(&["exercise", "raft-leader-down", "--check", &link]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let paxos_run = "?exercise=first-value#run=1.AQADBwcHAAACAggQCAIKCgoAAAoAAAA";
    let o = paxos(&["exercise", "raft-leader-down", "--check", paxos_run]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("exercise raft-leader-down is a raft exercise; this run is paxos"), "{}", text(&o));
}

#[test]
fn a_goal_is_checked_on_a_raft_run_by_the_run_s_protocol() {
    // Node 0 leads term 1 and commits; it crashes and another node leads term 2; then a second crash.
    let commands = "step 49\ncrash 0\nstep 30\ncrash 1\n";
    let (script, trace) = (tmp("goal-raft.txt"), tmp("goal-raft.json"));
    std::fs::write(&script, format!("config protocol=raft nodes=3 seed=1 latency=10..10\n{commands}")).unwrap();
    let o = paxos(&["script", &script, "--trace", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut config = paxos_sim::SimConfig::raft(3);
    config.latency = (10, 10);
    let lines = paxos_sim::script::read::<paxos_sim::Raft>(commands).unwrap();
    let tape = paxos_sim::Tape::from_commands(
        1,
        config,
        lines.into_iter().filter_map(|l| if let paxos_sim::script::Line::Command(c) = l { Some(c) } else { None }),
    );
    let link = format!("http://127.0.0.1:8080/#run={}", paxos_sim::Link { at: tape.len(), tape }.encode());
    for run in [&trace, &link] {
        let o = paxos(&["exercise", "--goal", "chosen,round>=2,learned=1,no-quorum,down>=2", "--check", run]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert!(text(&o).starts_with("solved: goal chosen,round>=2,learned=1,no-quorum,down>=2, at moment "));
        let o = paxos(&["exercise", "--goal", "round>=3,broken=vote-once", "--check", run]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let says = "not yet: a node campaigns in term 3 or later; the rule “one vote per term” breaks";
        assert!(text(&o).contains(says), "{}", text(&o));
    }
    for (args, says) in [
        (
            vec!["exercise", "--goal", "adopted-other", "--check", &trace],
            "`adopted-other` is a paxos term; this run is raft",
        ),
        (
            vec!["exercise", "--goal", "broken=agreement", "--check", &link],
            "`broken=agreement` is a paxos term; this run is raft",
        ),
        (vec!["exercise", "no-quorum", "--check", &trace], "exercise no-quorum is a paxos exercise; this run is raft"),
        (vec!["exercise", "raft-leader-down", "--protocol", "paxos"], "is a raft exercise, not paxos (--protocol)"),
    ] {
        let o = paxos(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
    }
}

#[test]
fn fuzz_runs_raft_on_the_same_simulator_and_finds_its_bugs() {
    let o = paxos(&["fuzz", "--protocol", "raft", "--nodes", "5", "--seeds", "200", "--steps", "300", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["violations"], 0);
    assert!(v["schedules_with_chosen_value"].as_u64().unwrap() > 150, "{v}");
    // no-log-check within a few schedules, at the vote that breaks the up-to-date rule; the printed commands write
    // that seed's run as a trace (version 4, protocol raft) and replay it to the same rule.
    let o = paxos(&["fuzz", "--protocol", "raft", "--bug", "no-log-check", "--seeds", "50", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["first_violation"]["rule"], "up_to_date_vote", "{v}");
    let replay = v["first_violation"]["replay"].as_str().unwrap().to_owned();
    let (run, _) = replay.split_once(" && ").unwrap();
    let trace = tmp("raft.json");
    let mut args: Vec<&str> = run.split(' ').skip(1).collect();
    *args.last_mut().unwrap() = &trace;
    let again = paxos(&args);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    let o = paxos(&["replay", &trace]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("violation reproduced: up_to_date_vote"), "{}", text(&o));
    // The fault mix adds and removes nodes: change-two-at-once is found at its rule.
    let o = paxos(&["fuzz", "--protocol", "raft", "--bug", "change-two-at-once", "--seeds", "500", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["first_violation"]["rule"], "quorum_of_configuration", "{v}");
    // A bug of the other protocol is refused by name.
    let o = paxos(&["fuzz", "--protocol", "raft", "--bug", "amnesia"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains(
        "unknown bug `amnesia` (expected one of: commit-old-term, forget-vote, no-log-check, change-two-at-once)"
    ));
}

#[test]
fn scripts_and_scenarios_run_raft_by_their_protocol() {
    // A script's `config protocol=raft` picks Raft; `--protocol raft` runs one without a config line.
    let script = tmp("raft.txt");
    std::fs::write(&script, "config protocol=raft seed=1 latency=10..10\nstep 13\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("node 0: elected leader of t1 by {0, 1}"), "{}", text(&o));
    let o = paxos(&["script", "--protocol", "paxos", &script]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("the script runs raft, not paxos (--protocol)"), "{}", text(&o));
    std::fs::write(&script, "step 40\npropose 1 txn=1/1\nstep 40\n").unwrap();
    let trace = tmp("raft-script.json");
    let o = paxos(&["script", "--protocol", "raft", &script, "--trace", &trace]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("allocated [1] txn 1/1 -> id 0"), "{}", text(&o));
    assert_eq!(paxos(&["replay", &trace]).status.code(), Some(0), "the trace replays as Raft");
    // Membership verbs: a node joins, the leader leaves; a second change before the first commits is refused.
    std::fs::write(
        &script,
        "config protocol=raft seed=1 latency=10..10\nstep 19\nadd-node\nadd-node\nstep 60\nremove-node 0\nstep 40\n",
    )
    .unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("`add-node` refused: the configuration entry at [1] is not committed yet"), "{out}");
    assert!(out.contains("committed [1] config {0, 1, 2, 3}") && out.contains("stepped down as leader of t1"), "{out}");
    std::fs::write(&script, "config protocol=raft q1=2\n").unwrap();
    let o = paxos(&["script", &script]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("`q1` is not a raft setting"), "{}", text(&o));

    // Scenarios: the list by protocol, Raft's narration, and What if with a Raft bug.
    let o = paxos(&["scenario", "--list", "--protocol", "raft"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o).lines().count(), paxos_sim::scenario::of::<paxos_sim::Raft>().len());
    let o = paxos(&["scenario", "raft-up-to-date"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("refused node 2 its vote in t4"), "{}", text(&o));
    let o = paxos(&["scenario", "raft-figure-8", "--bug", "commit-old-term"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("VIOLATION current_term_commit: leader 0 of t4 committed [1]"), "{}", text(&o));
    let o = paxos(&["scenario", "raft-figure-8", "--bug", "amnesia"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("--bug: unknown bug `amnesia` (expected one of: commit-old-term"), "{}", text(&o));
    let o = paxos(&["scenario", "happy-path", "--protocol", "raft"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("scenario happy-path runs paxos, not raft"), "{}", text(&o));
}

/// `paxos bench --workload` prints the page's series: a partition that leaves no majority stalls the client, named
/// as it happens, and the waiting requests are chosen, late, after the heal; a bad `--at` is refused naming it.
#[test]
fn the_workload_measures_a_stall_and_the_recovery() {
    let args = ["bench", "--workload", "--every", "20", "--until", "2500", "--json"];
    let o = paxos(&[&args[..], &["--at", "1000:partition 0,1 | 2,3", "--at", "2000:heal"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = v["windows"].as_array().unwrap();
    assert_eq!(w.len(), 25);
    assert!(w[12..20].iter().all(|x| x["commits"] == 0), "{w:?}");
    // The backlog drains ALPHA slots at a time (the pipeline bound membership change needs), so latency falls
    // back within five windows of the heal rather than two.
    assert!(w[20]["p99"].as_u64().unwrap() > 500 && w[24]["p99"].as_u64().unwrap() < 300, "{w:?}");
    assert!(v["bands"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["kind"] == "partition" && b["from"] == 1000 && b["to"] == 2000));
    assert_eq!(v["stalls"][0]["stall"], "no value chosen for 200 time units: no quorum reachable");
    let o = paxos(&["bench", "--workload", "--protocol", "raft", "--csv", "--until", "300"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).starts_with("window_start,commits,requests,latency_p50,latency_p99\n0,"), "{}", text(&o));
    for (at, needle) in
        [("soon:heal", "`soon` is not a time"), ("10:crash 12", "no node 12"), ("10:fly", "unknown command")]
    {
        let o = paxos(&["bench", "--workload", "--at", at]);
        assert_eq!(o.status.code(), Some(2), "{at}: {}", text(&o));
        assert!(text(&o).contains(needle), "{at}: {}", text(&o));
    }
}
