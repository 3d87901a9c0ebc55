//! Our explorer against Stateright's breadth-first checker on the same model, measured side by side in one run:
//!
//! ```sh
//! cargo run --release -p paxos-sim --example explorer_vs_stateright [-- DEPTH,DEPTH,… [MEMORY_MB]]
//! ```
//!
//! The model is the explorer's default cluster without crashes: 3 acceptors, 2 proposers that each propose
//! `v<node>` once and run one ballot (no clocks), our [`Node`](paxos_core::Node) stepped on every delivery, over a
//! network where every message sent stays deliverable any number of times and in any order (our set network;
//! Stateright's "unordered duplicating" network). Stateright runs it through the adapter the cross-check uses
//! (`tests/support/stateright_model.rs`), checking agreement in every state; our explorer runs its checker in
//! every state. Three searches, each in a child process of its own (so each has its own peak memory), one thread:
//!
//! * `explorer`: ours as `paxos check` runs it (the reduced search: nodes and checker keyed by what their futures
//!   read, dead messages left out);
//! * `explorer --full`: ours without the reductions (whole nodes, checker and set of messages ever sent);
//! * `stateright`: Stateright 0.31's `spawn_bfs`, whose state is every actor's state (with the adapter's record of
//!   what each learner learned), the set of messages ever sent and the last message delivered.
//!
//! The same depth bound means the same path length: every state at most DEPTH deliveries from the start (a
//! delivery that changes nothing is not a step for either: Stateright skips a no-op, our explorer leads back to a
//! known state). `0` is no bound. A search stops at a memory limit (default 3,000 MB of resident memory, polled by
//! this process), and then is reported as not complete. Distinct states per second is each search's own count of
//! distinct states over its wall-clock time; the counts differ because the searches tell states apart
//! differently, which is the point of the reductions. Numbers are for reading, never asserted.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use paxos_sim::explore::{explore, ExploreOptions};
use stateright::actor::Network;
use stateright::{Checker, Model};

#[path = "../tests/support/stateright_model.rs"]
#[allow(dead_code)]
mod stateright_model;

/// The cluster: the explorer's default, without crashes (the adapter's restarts are per acceptor, the explorer's a
/// budget per path, so the fault-free model is the one both define the same way).
fn options(depth: u32, full: bool) -> ExploreOptions {
    ExploreOptions {
        crashes: 0,
        max_depth: (depth > 0).then_some(depth),
        max_states: usize::MAX,
        stop_at_first: true,
        reduce: !full,
        ..ExploreOptions::default()
    }
}

/// Runs one search in this process and prints `distinct complete seconds peak-MB`.
fn child(engine: &str, depth: u32) {
    let t0 = Instant::now();
    let (unique, complete) = match engine {
        "explorer" | "full" => {
            let r = explore(&options(depth, engine == "full")).expect("the default cluster is valid");
            assert!(r.counterexample.is_none(), "the correct protocol broke a rule: {:?}", r.counterexample);
            (r.unique_states, if depth == 0 { r.complete } else { !r.truncated })
        }
        "stateright" => {
            let cluster = Arc::new(options(depth, false).config().validate().expect("valid"));
            let model = stateright_model::actor_model(&cluster, false, Network::new_unordered_duplicating([]));
            let mut builder = model.checker().threads(1);
            if depth > 0 {
                // Stateright counts the start as depth 1 and does not expand a state at the bound.
                builder = builder.target_max_depth(depth as usize + 1);
            }
            let checker = builder.spawn_bfs().join();
            assert!(checker.discovery("agreement").is_none(), "stateright: learners disagree");
            (checker.unique_state_count() as u64, checker.is_done())
        }
        _ => panic!("unknown engine {engine}"),
    };
    let secs = t0.elapsed().as_secs_f64();
    let peak = memory(std::process::id()).map_or(0, |(_, hwm)| hwm);
    println!("{unique} {complete} {secs} {peak}");
}

/// A process's resident and peak memory in MB, from /proc.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| {
        status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
    };
    Some((kb("VmRSS:")? / 1024, kb("VmHWM:")? / 1024))
}

struct Row {
    unique: u64,
    seconds: f64,
    peak_mb: u64,
    /// Searched every state within the bound.
    complete: bool,
    /// Stopped at the memory limit.
    killed: bool,
}

fn measure(engine: &str, depth: u32, limit_mb: u64) -> Row {
    let exe = std::env::current_exe().expect("this example's path");
    let t0 = Instant::now();
    let mut c = Command::new(exe)
        .args(["--one", engine, &depth.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example runs itself");
    let pid = c.id();
    let (mut peak, mut killed) = (0, false);
    while c.try_wait().expect("waitable").is_none() {
        if let Some((rss, hwm)) = memory(pid) {
            peak = peak.max(hwm);
            if rss > limit_mb {
                let _ = c.kill();
                killed = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = c.wait();
    let secs = t0.elapsed().as_secs_f64();
    let line = BufReader::new(c.stdout.take().expect("piped")).lines().next().and_then(Result::ok);
    match line.as_deref().map(|l| l.split_whitespace().collect::<Vec<_>>()) {
        Some(ref w) if w.len() == 4 && !killed => Row {
            unique: w[0].parse().unwrap_or(0),
            complete: w[1] == "true",
            seconds: w[2].parse().unwrap_or(secs),
            peak_mb: peak.max(w[3].parse().unwrap_or(0)),
            killed,
        },
        _ => Row { unique: 0, seconds: secs, peak_mb: peak, complete: false, killed },
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--one") {
        child(&args[1], args[2].parse().expect("a depth"));
        return;
    }
    let depths: Vec<u32> = args
        .first()
        .map_or("8,10,12,0", String::as_str)
        .split(',')
        .map(|d| d.parse().expect("depths are numbers, 0 for no bound"))
        .collect();
    let limit_mb: u64 = args.get(1).map_or(3000, |m| m.parse().expect("a memory limit in MB"));
    println!(
        "3 acceptors, 2 proposers (one ballot each), no crash, set network (Stateright: unordered duplicating); \
         one thread each; memory limit {limit_mb} MB"
    );
    println!(
        "{:>6}  {:<16} {:>12} {:>9} {:>15} {:>9}  result",
        "depth", "search", "distinct", "seconds", "distinct/s", "peak MB"
    );
    for depth in depths {
        for (engine, name) in [("explorer", "explorer"), ("full", "explorer --full"), ("stateright", "stateright")] {
            let r = measure(engine, depth, limit_mb);
            let rate = r.unique as f64 / r.seconds.max(1e-9);
            let result = if r.killed {
                format!("stopped at the memory limit after {:.0} s", r.seconds)
            } else if r.complete {
                if depth == 0 {
                    "complete".to_string()
                } else {
                    "every state within the bound".to_string()
                }
            } else {
                "not complete".to_string()
            };
            let bound = if depth == 0 { "none".to_string() } else { depth.to_string() };
            if r.killed {
                println!(
                    "{bound:>6}  {name:<16} {:>12} {:>9.2} {:>15} {:>9}  {result}",
                    "-", r.seconds, "-", r.peak_mb
                );
            } else {
                println!(
                    "{bound:>6}  {name:<16} {:>12} {:>9.2} {:>15.0} {:>9}  {result}",
                    r.unique, r.seconds, rate, r.peak_mb
                );
            }
        }
    }
}
