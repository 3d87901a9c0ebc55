//! Transcript tests: each `testdata/*.txt` file is blocks of script lines, a `----` line, and the events those
//! lines produced. Run with `UPDATE_TRANSCRIPTS=1` to rewrite the expected output after an intended change, then
//! read the diff: the transcript is the review. A file runs the protocol its `config` line names (`protocol=raft`).

use std::fmt::Write;
use std::path::Path;

use paxos_sim::describe::Describer;
use paxos_sim::script::{self, Line};
use paxos_sim::{Paxos, Protocol, Raft, SimConfig, Simulator};

/// A protocol whose nodes a `show` line can summarize.
trait Show: Protocol {
    fn show(sim: &Simulator<Self>) -> String;
}

impl Show for Paxos {
    fn show(sim: &Simulator) -> String {
        show(sim)
    }
}

impl Show for Raft {
    /// Each node's role, term, vote, log and commit index, and what the checker saw decided.
    fn show(sim: &Simulator<Raft>) -> String {
        let mut s = String::new();
        for n in sim.nodes() {
            let d = n.durable();
            let log: Vec<String> =
                d.log.iter().enumerate().map(|(i, e)| format!("[{i}] {} {}", e.term, e.value)).collect();
            let role = match n.role() {
                raft_core::Role::Follower => "follower",
                raft_core::Role::Candidate { .. } => "candidate",
                raft_core::Role::Leader { .. } => "leader",
            };
            let vote = d.voted_for.map_or("nobody".to_string(), |v| format!("node {v}"));
            writeln!(
                s,
                "node {}: {} {role} of {}, voted for {vote}, log {{{}}}, commit ..{}",
                n.id(),
                if sim.is_up(n.id()) { "up" } else { "crashed" },
                d.term,
                log.join(", "),
                n.commit()
            )
            .unwrap();
        }
        let chosen: Vec<String> = sim.chosen().iter().map(|(s, c)| format!("[{s}] {}", c.value)).collect();
        writeln!(s, "committed {{{}}}; violations {}", chosen.join(", "), sim.violations().len()).unwrap();
        s
    }
}

/// A summary of every node, for the `show` line.
fn show(sim: &Simulator) -> String {
    let mut s = String::new();
    for n in sim.nodes() {
        let learned: Vec<String> =
            n.learner().map(|l| l.log.iter().map(|(s, v)| format!("[{s}] {v}")).collect()).unwrap_or_default();
        let accepted: Vec<String> =
            n.durable().accepted.iter().map(|(s, (b, v))| format!("[{s}] {v} at {b}")).collect();
        writeln!(
            s,
            "node {}: {}{} promised {} accepted {{{}}} learned {{{}}}",
            n.id(),
            if sim.is_up(n.id()) { "up" } else { "crashed" },
            if n.is_leader() && sim.is_up(n.id()) { " leader" } else { "" },
            n.durable().promised,
            accepted.join(", "),
            learned.join(", ")
        )
        .unwrap();
    }
    let chosen: Vec<String> = sim.chosen().iter().map(|(s, c)| format!("[{s}] {}", c.value)).collect();
    writeln!(s, "chosen {{{}}}; violations {}", chosen.join(", "), sim.violations().len()).unwrap();
    s
}

fn run_file(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    match script::protocol_of(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        "raft" => run::<Raft>(path, text),
        _ => run::<Paxos>(path, text),
    }
}

fn run<P: Show>(path: &Path, text: String) -> (String, String) {
    let mut out = String::new();
    let mut sim: Option<Simulator<P>> = None;
    let mut describer = Describer::<P>::default();
    let mut lines = text.lines().peekable();
    while lines.peek().is_some() {
        // Copy the block's input, run it, then skip the old output and write the new one.
        let mut block = Vec::new();
        for line in lines.by_ref() {
            if line == "----" {
                break;
            }
            writeln!(out, "{line}").unwrap();
            block.push(line);
        }
        if block.iter().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            break;
        }
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
        }
        writeln!(out, "----").unwrap();
        let seen = sim.as_ref().map_or(0, |s| s.events().len());
        let mut shows = Vec::new();
        for line in &block {
            let code = line.split('#').next().unwrap().trim();
            if code == "show" {
                shows.push(P::show(sim.as_ref().expect("`show` after `config`")));
                continue;
            }
            match script::read_line::<P>(code).unwrap_or_else(|e| panic!("{}: {line}: {e}", path.display())) {
                None => {}
                Some(Line::Config(seed, cfg)) => {
                    sim = Some(Simulator::new(seed, SimConfig::<P>::clone(&cfg), true).expect("valid config"));
                }
                Some(Line::Command(c)) => {
                    let sim = sim.as_mut().expect("`config` comes first");
                    if let Err(e) = sim.apply(c) {
                        writeln!(out, "error: {e}").unwrap();
                    }
                }
            }
        }
        let sim = sim.as_ref().expect("`config` comes first");
        for e in &sim.events()[seen..] {
            if let Some(d) = describer.describe(e) {
                writeln!(out, "t={} {d}", e.time).unwrap();
            }
        }
        for s in shows {
            out.push_str(&s);
        }
        writeln!(out).unwrap();
    }
    (text, out)
}

#[test]
fn transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut failed = Vec::new();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let (old, new) = run_file(path);
        if old != new {
            if update {
                std::fs::write(path, &new).unwrap();
            } else {
                let first = old
                    .lines()
                    .zip(new.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(old.lines().count().min(new.lines().count()));
                failed.push(format!(
                    "{}: differs at line {}:\n  expected: {:?}\n  actual:   {:?}",
                    path.display(),
                    first + 1,
                    old.lines().nth(first),
                    new.lines().nth(first)
                ));
            }
        }
    }
    assert!(files.len() >= 8, "expected at least 8 transcript scenarios in {}", dir.display());
    assert!(failed.is_empty(), "{}\nrerun with UPDATE_TRANSCRIPTS=1 and review the diff", failed.join("\n"));
}
