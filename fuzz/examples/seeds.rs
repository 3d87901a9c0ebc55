//! Writes the seed corpora (`fuzz/corpus/<target>/`) from the project's own valid inputs: every built-in
//! scenario's run as a link and a trace, a few recorded runs, the page addresses of docs/embedding.md and the
//! scripts of crates/paxos-sim/testdata. Run from `fuzz/`: `cargo run --example seeds`.

use std::path::Path;

use paxos_core::{Mode, NodeId, Value};
use paxos_sim::{Command, Faults, SimConfig, Trace};

/// Seeds stay within the `-max_len` scripts/fuzz.sh gives each target (a trace's JSON is the largest): libFuzzer
/// runs small inputs faster, and one it truncated to `-max_len` would no longer be valid.
const MAX_SEED_BYTES: usize = 16_384;

fn write(target: &str, name: &str, text: &str) {
    if text.len() > MAX_SEED_BYTES {
        eprintln!("skip {target}/{name}: {} bytes", text.len());
        return;
    }
    let dir = Path::new("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

fn main() {
    let mut links = Vec::new();
    for s in paxos_sim::scenario::of::<paxos_sim::Paxos>() {
        let lesson = s.lesson().unwrap();
        let commands: Vec<Command> = lesson.stages.iter().flat_map(|st| st.commands.clone()).collect();
        let trace = Trace::record(lesson.seed, &lesson.config, commands).unwrap();
        let json = trace.to_json();
        let link = paxos_worker::trace_to_link(&json).unwrap();
        write("link", &format!("scenario-{}", s.id), &link);
        write("trace", &format!("scenario-{}.json", s.id), &json);
        // The lesson's script without its narration.
        let script: String =
            s.source().lines().filter(|l| !l.trim_start().starts_with("say")).map(|l| format!("{l}\n")).collect();
        write("script", &format!("scenario-{}.txt", s.id), &script);
        links.push(link);
    }
    for (seed, mode, nodes, bug) in
        [(1, Mode::Single, 3, false), (7, Mode::Multi, 5, false), (5, Mode::Single, 3, true)]
    {
        let mut cfg = SimConfig::new(mode, nodes);
        cfg.cluster.bugs.minority_quorum = bug;
        let commands = [
            Command::Network { latency: (5, 15), faults: Faults { loss: 10.0, dup: 5.0 } },
            Command::Propose { node: NodeId(0), value: Value::text("a") },
            Command::Propose { node: NodeId(1), value: Value::text("b") },
            Command::Crash { node: NodeId(2) },
            Command::Step { count: 20 },
            Command::Restart { node: NodeId(2) },
            Command::Partition { groups: vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]] },
            Command::Step { count: 10 },
            Command::Heal,
            Command::Step { count: 10 },
        ];
        let trace = Trace::record(seed, &cfg, commands).unwrap();
        let json = trace.to_json();
        write("link", &format!("run-{seed}"), &paxos_worker::trace_to_link(&json).unwrap());
        write("trace", &format!("run-{seed}.json"), &json);
    }
    // Short runs that use every kind of command, so even the trace corpus has small inputs.
    let m = |id| paxos_sim::MsgId(id);
    let short: [(u64, Mode, Vec<Command>); 2] = [
        (
            2,
            Mode::Single,
            vec![
                Command::Propose { node: NodeId(0), value: Value::Txn { client: 7, req: 1 } },
                Command::Duplicate { msg: m(1) },
                Command::Delay { msg: m(2), by: 30 },
                Command::Drop { msg: m(0) },
                Command::Tick { node: NodeId(1) },
                Command::Step { count: 6 },
            ],
        ),
        (
            3,
            Mode::Multi,
            vec![
                Command::Cut { from: NodeId(0), to: NodeId(1), one_way: true },
                Command::Link { from: NodeId(0), to: NodeId(2), faults: Faults { loss: 50.0, dup: 0.0 } },
                Command::Propose { node: NodeId(0), value: Value::Noop },
                Command::Deliver { msg: m(1) },
                Command::HealLink { from: NodeId(0), to: NodeId(1), one_way: true },
                Command::Step { count: 5 },
            ],
        ),
    ];
    for (seed, mode, commands) in short {
        let trace = Trace::record(seed, &SimConfig::new(mode, 3), commands).unwrap();
        let json = trace.to_json();
        write("link", &format!("short-{seed}"), &paxos_worker::trace_to_link(&json).unwrap());
        write("trace", &format!("short-{seed}.json"), &json);
        let script: String = trace.commands.iter().map(|c| paxos_sim::script::command_line(c) + "\n").collect();
        write(
            "script",
            &format!("short-{seed}.txt"),
            &format!(
                "config nodes=3 mode={} seed={seed}\n{script}",
                if mode == Mode::Multi { "multi" } else { "single" }
            ),
        );
    }
    // docs/embedding.md's addresses (the part after `index.html`), and a shared run.
    let urls = [
        "?embed=1&scenario=partition",
        "?embed=1&nodes=5&mode=multi&bug=amnesia&controls=time,timeline,log,diagram",
        "?embed=1&scenario=proposer-crash&bug=ignore-accepted",
        "?embed=1&scenario=dueling&controls=time,propose&step=40&autoplay=1&theme=dark",
        "?seed=7&nodes=5&q1=4&q2=2&loss=12.5&dup=0&latency=20-60&arrows=prepare,promise,accept,accepted",
        "?tour=1&theme=light",
    ];
    for (i, u) in urls.iter().enumerate() {
        write("options", &format!("url-{i}"), u);
    }
    write("options", "run", &format!("?embed=1&controls=time,timeline,outcome#run={}", links[0]));
    // The transcripts' script lines (the events after each `----` and the `show` lines are output).
    let dir = Path::new("../crates/paxos-sim/testdata");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (mut script, mut output) = (String::new(), false);
        for line in text.lines() {
            if line == "----" {
                output = true;
            } else if output {
                output = !line.is_empty();
            } else if line.trim() != "show" {
                script.push_str(line);
                script.push('\n');
            }
        }
        paxos_sim::script::parse(&script).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        write("script", path.file_name().unwrap().to_str().unwrap(), &script);
    }
}
