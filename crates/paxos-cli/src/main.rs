//! `paxos`: the playground's command line. Exit codes: 0 clean, 1 a safety violation or a replay mismatch,
//! 2 bad input (arguments, configuration or a malformed file), with a message naming what was wrong.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand};
use paxos_core::{Bug, Mode};
use paxos_sim::describe::Describer;
use paxos_sim::exercise::{self, Attempt, Verdict};
use paxos_sim::explore::coverage::{measure, CoverageReport, Space};
use paxos_sim::explore::{check_moment, search, ExploreOptions, NetworkModel};
use paxos_sim::fuzz::{fuzz, fuzz_raft, raft_schedule, schedule, FuzzOptions};
use paxos_sim::goal::Goal;
use paxos_sim::limits::{MAX_BENCH_DELIVERIES, MAX_FILE_BYTES, MAX_FUZZ_SEEDS, MAX_NODES, MAX_RUN_EVENTS};
use paxos_sim::script::{self, Line};
use paxos_sim::settings::{Setting, SettingError};
use paxos_sim::tape::Tape;
use paxos_sim::RuleSet as _;
use paxos_sim::{Judge, Link, Paxos, Protocol, Raft, SimConfig, SimError, Simulator, Trace, TraceError, Violation};
use serde_json::json;

#[derive(Parser)]
#[command(name = "paxos", version, about = "A deterministic Paxos simulator, fuzzer and model checker")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run random fault schedules with the safety checker on; exit 1 if any schedule breaks safety.
    Fuzz {
        /// How many schedules (seeds START..START+N), at most 1,000,000,000.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(..=MAX_FUZZ_SEEDS))]
        seeds: u64,
        /// The first seed.
        #[arg(long, default_value_t = 0)]
        start: u64,
        #[command(flatten)]
        schedule: ScheduleArgs,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Measure coverage instead: run the schedules on the clusters `paxos check` finishes (3 acceptors with
        /// 2 proposers, and with 1; one crash), each proposer proposing `v<node>` first as in the explorer, and
        /// report the share of the explorer's states they reached, by depth and by decision (see
        /// docs/fuzzing.md). --steps, --loss, --dup and --bug apply; the cluster flags do not.
        #[arg(long)]
        coverage: bool,
    },
    /// Run the schedule `fuzz` runs for one seed and write it as a trace.
    Run {
        /// The seed.
        #[arg(long)]
        seed: u64,
        #[command(flatten)]
        schedule: ScheduleArgs,
        /// Where to write the trace (JSON).
        #[arg(long)]
        trace: PathBuf,
    },
    /// Re-execute a trace and verify that it reproduces; exit 1 on a violation or a mismatch.
    Replay {
        /// The trace file.
        file: PathBuf,
        /// Print every event.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Explore every interleaving of a small cluster exhaustively (single-decree Paxos, or Raft with
    /// `--protocol raft`).
    Check {
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Measure deliveries per second (5-node Multi-Paxos steady state, checker on) and schedules per second.
    Bench {
        /// Message deliveries to measure, at most 1,000,000,000.
        #[arg(long, default_value_t = 5_000_000,
              value_parser = clap::value_parser!(u64).range(1..=MAX_BENCH_DELIVERIES))]
        deliveries: u64,
        /// Schedules to measure, at most 1,000,000,000.
        #[arg(long, default_value_t = 40_000, value_parser = clap::value_parser!(u64).range(1..=MAX_FUZZ_SEEDS))]
        schedules: u64,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Instead: the transaction-ID client's workload on a Multi-Paxos (or Raft) cluster, measured in simulated
        /// time: commits and request latency (median, 99th percentile) per 100 time units, the spans of crashes,
        /// partitions, cuts and no leader, leader changes, and each stall named as it happened.
        #[arg(long)]
        workload: bool,
        /// With --workload: `paxos` (Multi-Paxos) or `raft`.
        #[arg(long, value_enum, default_value_t = ProtocolArg::Paxos, requires = "workload")]
        protocol: ProtocolArg,
        /// With --workload: the cluster's size, 3 to 9.
        #[arg(long, default_value_t = 5, value_parser = nodes_flag, requires = "workload")]
        nodes: usize,
        /// With --workload: the random seed of the network.
        #[arg(long, default_value_t = 1, requires = "workload")]
        seed: u64,
        /// With --workload: time units between two requests (the page's request-rate knob; 60 there by default).
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=100_000), requires = "workload")]
        every: u64,
        /// With --workload: the simulated time to run, at most 1,000,000.
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=1_000_000), requires = "workload")]
        until: u64,
        /// With --workload: a fault at a time, as a script line: `--at '1000:crash 0'`, `--at '2000:heal'`
        /// (repeatable).
        #[arg(long, value_name = "TIME:COMMAND", requires = "workload")]
        at: Vec<String>,
        /// With --workload: print the series as CSV (the page's export) instead of text.
        #[arg(long, requires = "workload")]
        csv: bool,
    },
    /// Play a built-in teaching scenario (the browser's scenarios and tour): each stage's narration, then its events.
    Scenario {
        /// The scenario id (see --list).
        id: Option<String>,
        /// List the scenarios.
        #[arg(long)]
        list: bool,
        /// `paxos` or `raft`: list only that protocol's scenarios (a scenario runs the protocol its script names).
        #[arg(long, value_enum)]
        protocol: Option<ProtocolArg>,
        /// Play it with a protocol bug switched on (what if that rule were missing?); the narration still
        /// describes the correct protocol.
        #[arg(long)]
        bug: Option<String>,
        /// Also write the run as a trace (it opens in the browser with Import trace).
        #[arg(long)]
        trace: Option<PathBuf>,
    },
    /// List the protocol bugs, each with the rule it removes (the rule the checker reports first): one
    /// `name rule` line per bug.
    Bugs {
        /// `paxos` or `raft`: whose bugs.
        #[arg(long, value_enum, default_value_t = ProtocolArg::Paxos)]
        protocol: ProtocolArg,
        /// Print one JSON array of `{ "bug", "rule" }` objects instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a built-in exercise (its task, start, hints), or check a run against it: exit 0 solved, 1 not solved,
    /// 2 bad input. For grading scripts: `paxos exercise no-quorum --check '<link>'`.
    Exercise {
        /// The exercise id (see --list); leave it out with --goal to check a goal of your own.
        id: Option<String>,
        /// List the exercises.
        #[arg(long)]
        list: bool,
        /// `paxos` or `raft`: list only that protocol's exercises (an exercise runs the protocol its start names).
        #[arg(long, value_enum)]
        protocol: Option<ProtocolArg>,
        /// A goal of your own (the page's `goal=` words, e.g. `two-chosen,actions<=6`), checked from the run's own
        /// start instead of an exercise's.
        #[arg(long)]
        goal: Option<String>,
        /// The run to check: a playground link (or the text after `#run=`) or a trace file (JSON).
        #[arg(long)]
        check: Option<String>,
        /// Also print the exercise's reference solution.
        #[arg(long)]
        solution: bool,
    },
    /// Run a script (the transcript language: `config ...`, `propose 0 v`, `step 20`, ...) and print the events.
    Script {
        /// The script file.
        file: PathBuf,
        /// `paxos` or `raft`, for a script without `config protocol=...` (one with it must agree).
        #[arg(long, value_enum)]
        protocol: Option<ProtocolArg>,
        /// Also write the run as a trace.
        #[arg(long)]
        trace: Option<PathBuf>,
    },
}

/// The protocol a schedule runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ProtocolArg {
    /// Paxos (single-decree or Multi-Paxos, `--mode`).
    Paxos,
    /// Raft, on the same simulator, network and faults.
    Raft,
}

impl ProtocolArg {
    /// The protocol's name, as scripts, links and traces write it.
    fn name(self) -> &'static str {
        match self {
            ProtocolArg::Paxos => <paxos_sim::Paxos as paxos_sim::Protocol>::NAME,
            ProtocolArg::Raft => <paxos_sim::Raft as paxos_sim::Protocol>::NAME,
        }
    }
}

#[derive(Args, Clone)]
struct ScheduleArgs {
    /// `paxos` or `raft`.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Paxos)]
    protocol: ProtocolArg,
    /// Cluster size, 3 to 9.
    #[arg(long, default_value_t = 3, value_parser = nodes_flag)]
    nodes: usize,
    /// `single` (single-decree) or `multi` (Multi-Paxos); Raft runs a log.
    #[arg(long, default_value = "single")]
    mode: Mode,
    /// A protocol bug to enable. Paxos: amnesia, ignore-accepted, minority-quorum, break-promise, adopt-lowest,
    /// reconfigure-early.
    /// Raft: commit-old-term, forget-vote, no-log-check, change-two-at-once.
    #[arg(long)]
    bug: Option<String>,
    /// Events per schedule, at most 5,000,000.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(..=MAX_RUN_EVENTS))]
    steps: u64,
    /// Fixed loss rate in percent (default: random per schedule).
    #[arg(long, value_parser = |s: &str| percent_flag("loss", s))]
    loss: Option<f64>,
    /// Fixed duplication rate in percent (default: random per schedule).
    #[arg(long, value_parser = |s: &str| percent_flag("dup", s))]
    dup: Option<f64>,
    /// Phase-1 quorum size (default: majority).
    #[arg(long)]
    q1: Option<usize>,
    /// Phase-2 quorum size (default: majority).
    #[arg(long)]
    q2: Option<usize>,
}

/// `--nodes`, read as a script's `config nodes=` and the page's `nodes` option read it (`paxos_sim::settings`).
fn nodes_flag(s: &str) -> Result<usize, SettingError> {
    match Setting::parse("nodes", s)? {
        Some(Setting::Nodes(n)) => Ok(n),
        _ => unreachable!("`nodes` is a setting"),
    }
}

/// `--loss` and `--dup`, read as a script's `config` line and the page's options read them.
fn percent_flag(key: &str, s: &str) -> Result<f64, SettingError> {
    match Setting::parse(key, s)? {
        Some(Setting::Loss(p) | Setting::Dup(p)) => Ok(p),
        _ => unreachable!("`loss` and `dup` are settings"),
    }
}

impl ScheduleArgs {
    /// The Paxos bug asked for (none for Raft): an unknown name is an error naming it.
    fn paxos_bug(&self) -> Result<Option<Bug>, Fail> {
        match (&self.bug, self.protocol) {
            (Some(b), ProtocolArg::Paxos) => b.parse().map(Some).map_err(|e| Fail(2, format!("--bug: {e}"))),
            _ => Ok(None),
        }
    }

    /// The Raft bug asked for (none for Paxos).
    fn raft_bug(&self) -> Result<Option<raft_core::Bug>, Fail> {
        match (&self.bug, self.protocol) {
            (Some(b), ProtocolArg::Raft) => b.parse().map(Some).map_err(|e| Fail(2, format!("--bug: {e}"))),
            _ => Ok(None),
        }
    }

    fn options(&self) -> Result<FuzzOptions, Fail> {
        Ok(FuzzOptions {
            nodes: self.nodes,
            mode: self.mode,
            bug: self.paxos_bug()?,
            steps: self.steps,
            loss: self.loss,
            dup: self.dup,
            q1: self.q1,
            q2: self.q2,
        })
    }

    /// The flags that reproduce these options, for the replay command printed after a violation.
    fn flags(&self) -> String {
        let mut s = match self.protocol {
            ProtocolArg::Paxos => format!("--nodes {} --mode {}", self.nodes, self.mode.name()),
            ProtocolArg::Raft => format!("--protocol raft --nodes {}", self.nodes),
        };
        if let Some(b) = &self.bug {
            s += &format!(" --bug {b}");
        }
        if self.steps != 200 {
            s += &format!(" --steps {}", self.steps);
        }
        for (k, v) in [("loss", self.loss), ("dup", self.dup)] {
            if let Some(v) = v {
                s += &format!(" --{k} {v}");
            }
        }
        for (k, v) in [("q1", self.q1), ("q2", self.q2)] {
            if let Some(v) = v {
                s += &format!(" --{k} {v}");
            }
        }
        s
    }
}

// The `check` subcommand's flags: the explorer's options, and how to print what it found.
#[derive(Args, Clone)]
struct CheckArgs {
    /// `paxos` (single-decree) or `raft`.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Paxos)]
    protocol: ProtocolArg,
    /// `set`: every sent message stays deliverable any number of times (loss, duplication and reordering at
    /// once, unbounded); `multiset`: delivery consumes, drops and duplicates are bounded actions.
    #[arg(long, default_value = "set")]
    network: NetworkModel,
    /// Paxos: acceptors (also the learners), at most 9.
    #[arg(long, default_value_t = 3, value_parser = nodes_at_most())]
    acceptors: usize,
    /// Paxos: proposers, each proposing one value, at most 9. Raft (default 0: the values are the leaders'
    /// no-ops): the first N nodes are each asked by a client for their own value at the start; a node that
    /// forwards its value to a leader makes the search endless (the network may deliver the request any number of
    /// times, and each is a new entry), so give --max-depth with it.
    #[arg(long, value_parser = nodes_at_most())]
    proposers: Option<usize>,
    /// Raft: the nodes, at most 9.
    #[arg(long, default_value_t = 3, value_parser = nodes_at_most())]
    nodes: usize,
    /// A protocol bug to enable. Paxos: amnesia, ignore-accepted, minority-quorum, break-promise, adopt-lowest,
    /// reconfigure-early.
    /// Raft: commit-old-term, forget-vote, no-log-check, change-two-at-once.
    #[arg(long)]
    bug: Option<String>,
    /// Crashes allowed on a path.
    #[arg(long, default_value_t = 1)]
    crashes: u8,
    /// Raft: election timeouts allowed on a path, each a follower or candidate campaigning (default 2);
    /// Paxos's search has none.
    #[arg(long)]
    timeouts: Option<u8>,
    /// Dropped messages allowed on a path (multiset network).
    #[arg(long, default_value_t = 1)]
    drops: u8,
    /// Duplicated messages allowed on a path (multiset network).
    #[arg(long, default_value_t = 1)]
    duplicates: u8,
    /// Stop after this many unique states.
    #[arg(long, default_value_t = 5_000_000)]
    max_states: usize,
    /// Expand paths up to this many actions only (bounded model checking); 0, the default, for no bound: the
    /// reduced search of the default cluster completes. `--full` and `--network multiset` need a bound (or stop
    /// at --max-states).
    #[arg(long, default_value_t = 0)]
    max_depth: u32,
    /// Keep searching after the first violation, to count every violating state.
    #[arg(long)]
    all: bool,
    /// Run the full search (whole states, crash and restart as two steps, every interleaving): the reference
    /// the reduced search is tested against. The multiset network always runs it.
    #[arg(long)]
    full: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Check every future of the moment a playground link shows instead (its `#run=…` part, or the whole
    /// address), as the page's "Check every future" does: that run's cluster and bugs, its messages in flight
    /// and crashed nodes, clocks stopped. --network, --acceptors, --proposers and --bug are then not used.
    #[arg(long)]
    link: Option<String>,
}

impl CheckArgs {
    /// The explorer's options for protocol `P`: Paxos's cluster is `--acceptors` and `--proposers`, Raft's
    /// `--nodes` (every node votes, as an acceptor promises) and `--proposers` client requests.
    fn options<P: Protocol>(&self) -> Result<ExploreOptions<P>, Fail> {
        let bug = match &self.bug {
            None => None,
            Some(name) => Some(P::bugs().iter().find(|(_, n)| n == name).map(|b| b.0).ok_or_else(|| {
                let names: Vec<&str> = P::bugs().iter().map(|b| b.1).collect();
                Fail(2, format!("--bug: unknown {} bug `{name}` (expected one of: {})", P::NAME, names.join(", ")))
            })?),
        };
        Ok(ExploreOptions { bug, ..self.bounds() })
    }

    /// The options without a bug: a link's run has its own.
    fn bounds<P: Protocol>(&self) -> ExploreOptions<P> {
        let raft = P::NAME == Raft::NAME;
        ExploreOptions {
            network: self.network,
            acceptors: if raft { self.nodes } else { self.acceptors },
            proposers: self.proposers.unwrap_or(if raft { 0 } else { 2 }),
            bug: None,
            crashes: self.crashes,
            timeouts: self.timeouts.unwrap_or(P::TIMEOUTS),
            drops: self.drops,
            duplicates: self.duplicates,
            max_states: self.max_states,
            max_depth: (self.max_depth > 0).then_some(self.max_depth),
            stop_at_first: !self.all,
            reduce: !self.full,
        }
    }
}

/// A node count for the explorer: at most [`MAX_NODES`] (zero is the explorer's to refuse, with its reason).
fn nodes_at_most() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::<usize>::new().range(..=MAX_NODES as u64)
}

/// A failure with its exit code.
struct Fail(u8, String);

impl From<SimError> for Fail {
    fn from(e: SimError) -> Self {
        Fail(2, format!("invalid configuration: {e}"))
    }
}

/// Prints events as `paxos script` does: `t=<time> <line>`.
fn print_events<P: paxos_sim::Protocol>(d: &mut Describer<P>, events: &[paxos_sim::Event<P>]) {
    for e in events {
        if let Some(line) = d.describe(e) {
            println!("t={} {line}", e.time);
        }
    }
}

/// Writes a simulator's run as a trace file.
fn write_trace<P: paxos_sim::Protocol>(
    path: &std::path::Path,
    sim: &Simulator<P>,
    initial: &SimConfig<P>,
) -> Result<(), Fail> {
    std::fs::write(path, Trace::from_sim(sim, initial).to_json())
        .map_err(|e| Fail(2, format!("cannot write {}: {e}", path.display())))
}

fn main() -> ExitCode {
    // `paxos scenario dueling | head` should stop quietly when the reader goes away, as other Unix tools do, instead
    // of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(Fail(code, msg)) => {
            eprintln!("paxos: {msg}");
            ExitCode::from(code)
        }
    }
}

/// Reads a text file of at most [`MAX_FILE_BYTES`]; a larger one (or an endless one, like `/dev/urandom`) is refused
/// after reading one byte more than the limit, never read whole.
fn read(file: &std::path::Path) -> Result<String, Fail> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| Fail(2, format!("cannot read {}: {e}", file.display()));
    let mut bytes = Vec::new();
    std::fs::File::open(file).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Fail(2, format!("{} is larger than {} MiB, the limit", file.display(), MAX_FILE_BYTES >> 20)));
    }
    String::from_utf8(bytes).map_err(|_| Fail(2, format!("{} is not UTF-8 text", file.display())))
}

fn describe_violation<P: paxos_sim::Protocol>(v: &Violation<P>) -> String {
    format!("{} at step {}: {}", v.rule.name(), v.step, v.message)
}

/// Runs a subcommand: its exit code, or a failure with its own.
fn run(cmd: Cmd) -> Result<u8, Fail> {
    match cmd {
        Cmd::Fuzz { seeds, start, schedule, threads, json, coverage: false } => {
            fuzz_command(seeds, start, &schedule, threads, json)
        }
        Cmd::Fuzz { seeds, start, schedule, threads, json, coverage: true } => {
            coverage_command(seeds, start, &schedule, threads, json)
        }
        Cmd::Run { seed, schedule, trace } => run_command(seed, &schedule, &trace),
        Cmd::Replay { file, verbose } => replay_command(&file, verbose),
        Cmd::Exercise { id, list, protocol, goal, check, solution } => {
            exercise_command(id.as_deref(), list, protocol, goal.as_deref(), check.as_deref(), solution)
        }
        Cmd::Check { check } => check_command(&check),
        Cmd::Bench { workload: true, protocol, nodes, seed, every, until, at, csv, json, .. } => {
            let w = Workload { nodes, seed, every, until, at: &at, csv, json };
            match protocol {
                ProtocolArg::Paxos => workload_command(SimConfig::new(paxos_core::Mode::Multi, nodes), &w),
                ProtocolArg::Raft => workload_command(SimConfig::raft(nodes), &w),
            }
        }
        Cmd::Bench { deliveries, schedules, json, .. } => bench_command(deliveries, schedules, json),
        Cmd::Scenario { id, list, protocol, bug, trace } => scenario_command(id, list, protocol, bug, trace.as_deref()),
        Cmd::Script { file, protocol, trace } => script_command(&file, protocol, trace.as_deref()),
        Cmd::Bugs { protocol, json } => match protocol {
            ProtocolArg::Paxos => bugs_command::<Paxos>(json),
            ProtocolArg::Raft => bugs_command::<Raft>(json),
        },
    }
}

/// `paxos fuzz`: random fault schedules with the checker on.
fn fuzz_command(seeds: u64, start: u64, args: &ScheduleArgs, threads: Option<usize>, json: bool) -> Result<u8, Fail> {
    if start.checked_add(seeds).is_none() {
        return Err(Fail(2, format!("--start {start} plus --seeds {seeds} passes the largest seed, {}", u64::MAX)));
    }
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 64);
    let t0 = Instant::now();
    let replay = |seed: u64| {
        format!("paxos run --seed {seed} {} --trace seed-{seed}.json && paxos replay seed-{seed}.json", args.flags())
    };
    match args.protocol {
        ProtocolArg::Paxos => {
            let r = fuzz(start, seeds, &args.options()?, threads)?;
            Ok(fuzz_report(&r, t0, threads, json, replay))
        }
        ProtocolArg::Raft => {
            let r = fuzz_raft(start, seeds, &args.options()?, args.raft_bug()?, threads)?;
            Ok(fuzz_report(&r, t0, threads, json, replay))
        }
    }
}

/// Prints a fuzzing campaign's report; its exit code.
fn fuzz_report<P: paxos_sim::Protocol>(
    r: &paxos_sim::fuzz::FuzzReport<P>,
    t0: Instant,
    threads: usize,
    json: bool,
    replay: impl Fn(u64) -> String,
) -> u8 {
    let secs = t0.elapsed().as_secs_f64();
    let rate = r.schedules as f64 / secs.max(1e-9);
    let replay = r.first_violation.as_ref().map(|(seed, _)| replay(*seed));
    if json {
        let first = r
            .first_violation
            .as_ref()
            .map(|(seed, v)| json!({ "seed": seed, "rule": v.rule.name(), "message": v.message, "replay": replay }));
        let out = json!({
            "schedules": r.schedules,
            "violations": r.violations,
            "first_violation": first,
            "schedules_with_chosen_value": r.with_chosen,
            "deliveries": r.deliveries,
            "seconds": secs,
            "schedules_per_sec": rate,
            "threads": threads,
        });
        println!("{out}");
    } else {
        println!(
            "{} schedules in {secs:.2} s ({rate:.0}/s on {threads} threads), {} with a chosen value, {} deliveries",
            r.schedules, r.with_chosen, r.deliveries
        );
        match &r.first_violation {
            None => println!("no violation"),
            Some((seed, v)) => {
                println!("{} schedules violated safety; first seed {seed}: {}", r.violations, describe_violation(v));
                println!("replay it with:\n  {}", replay.as_deref().unwrap_or_default());
            }
        }
    }
    u8::from(r.violations > 0)
}

/// `paxos fuzz --coverage`: the share of the explorer's states that the fuzzer's schedules reach, on the clusters
/// `paxos check` finishes for the protocol: Paxos's 3 acceptors with 2 proposers and with 1, Raft's 3 nodes with
/// one crash and with none (two election timeouts each).
fn coverage_command(
    seeds: u64,
    start: u64,
    args: &ScheduleArgs,
    threads: Option<usize>,
    json: bool,
) -> Result<u8, Fail> {
    if start.checked_add(seeds).is_none() {
        return Err(Fail(2, format!("--start {start} plus --seeds {seeds} passes the largest seed, {}", u64::MAX)));
    }
    match args.protocol {
        ProtocolArg::Paxos => {
            if args.mode != Mode::Single || args.nodes != 3 || args.q1.is_some() || args.q2.is_some() {
                return Err(Fail(
                    2,
                    "--coverage measures the explorer's clusters (3 nodes, single-decree, majorities): \
                     --nodes, --mode, --q1 and --q2 do not apply"
                        .into(),
                ));
            }
            let bug = args.paxos_bug()?;
            let clusters = [2, 1].map(|proposers| ExploreOptions { proposers, bug, ..ExploreOptions::default() });
            let words = CoverageWords {
                start: "each proposer proposing v<node> first",
                cluster: |r| {
                    format!(
                        "{} acceptors, {} proposer{}, {} crash{}",
                        r.acceptors,
                        r.proposers,
                        if r.proposers == 1 { "" } else { "s" },
                        r.crashes,
                        if r.crashes == 1 { "" } else { "es" },
                    )
                },
                chosen: "chosen",
                round: "round",
                outside: |r| {
                    format!(
                        "{} after a second ballot, {} after a timeout, {} over the crash budget, {} other",
                        r.outside_round, r.outside_timer, r.outside_crashes, r.outside_other
                    )
                },
            };
            coverage_of::<Paxos>(&clusters, seeds, start, args, threads, json, &words)
        }
        ProtocolArg::Raft => {
            if args.nodes != 3 || args.q1.is_some() || args.q2.is_some() {
                return Err(Fail(
                    2,
                    "--coverage measures the explorer's Raft clusters (3 nodes): --nodes, --q1 and --q2 do not apply"
                        .into(),
                ));
            }
            let bug = args.raft_bug()?;
            let clusters = [1, 0].map(|crashes| ExploreOptions::<Raft> {
                acceptors: 3,
                proposers: 0,
                crashes,
                bug,
                ..ExploreOptions::default()
            });
            let words = CoverageWords {
                start: "the leaders' no-ops as the values, as in the explorer",
                cluster: |r| {
                    format!(
                        "{} Raft nodes, {} crash{}, {} election timeout{}",
                        r.acceptors,
                        r.crashes,
                        if r.crashes == 1 { "" } else { "es" },
                        r.timeouts,
                        if r.timeouts == 1 { "" } else { "s" },
                    )
                },
                chosen: "committed",
                round: "term",
                outside: |r| {
                    let started = if r.outside_round > 0 {
                        format!("{} after a round a timer started, ", r.outside_round)
                    } else {
                        String::new()
                    };
                    format!(
                        "{started}{} after a leader's heartbeat told something new, {} over the timeout budget (a \
                         third election), {} over the crash budget, {} other",
                        r.outside_timer, r.outside_timeouts, r.outside_crashes, r.outside_other
                    )
                },
            };
            coverage_of::<Raft>(&clusters, seeds, start, args, threads, json, &words)
        }
    }
}

/// How `paxos fuzz --coverage` words one protocol's report.
struct CoverageWords {
    /// How the runs start.
    start: &'static str,
    /// The cluster explored.
    cluster: fn(&CoverageReport) -> String,
    /// What a decided value is.
    chosen: &'static str,
    /// What a round is.
    round: &'static str,
    /// The run states outside, by why.
    outside: fn(&CoverageReport) -> String,
}

/// Measures coverage on each of `clusters` and prints the reports.
fn coverage_of<P: Protocol>(
    clusters: &[ExploreOptions<P>],
    seeds: u64,
    start: u64,
    args: &ScheduleArgs,
    threads: Option<usize>,
    json: bool,
    words: &CoverageWords,
) -> Result<u8, Fail>
where
    Space<P>: Sync,
{
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 64);
    let mut reports = Vec::new();
    let mut text = Vec::new();
    for opts in clusters {
        let t0 = Instant::now();
        let space = Space::new(opts)?;
        let explore_secs = t0.elapsed().as_secs_f64();
        let r = space.report();
        if !r.complete {
            return Err(Fail(1, format!("the explorer did not finish its cluster ({} states)", r.unique_states)));
        }
        let t0 = Instant::now();
        let r = measure(&space, start, seeds, &args.options()?, threads)?;
        let secs = t0.elapsed().as_secs_f64();
        let pct = |a: u64, b: u64| 100.0 * a as f64 / (b.max(1)) as f64;
        text.push(format!(
            "{}{}: explorer {} states (complete, {explore_secs:.1} s); the runs reached {} ({:.1} %) in {secs:.1} s",
            (words.cluster)(&r),
            r.bug.map(|b| format!(", bug {b}")).unwrap_or_default(),
            r.states,
            r.covered,
            pct(r.covered, r.states),
        ));
        for chunk in r.by_depth.chunks(8) {
            let cells: Vec<String> = chunk.iter().map(|d| format!("{} {}/{}", d.depth, d.covered, d.states)).collect();
            let head = if chunk[0].depth == 0 { "by depth (reached/states):" } else { "" };
            text.push(format!("  {head:26} {}", cells.join(", ")));
        }
        for (k, chunk) in r.by_round.chunks(6).enumerate() {
            let cells: Vec<String> = chunk
                .iter()
                .map(|b| {
                    let round = b.round.as_deref().unwrap_or("none");
                    format!("{round}{} {}/{}", if b.leader { " led" } else { "" }, b.covered, b.states)
                })
                .collect();
            let head = if k == 0 { format!("by {} (reached/states):", words.round) } else { String::new() };
            text.push(format!("  {head:26} {}", cells.join(", ")));
        }
        for d in &r.decisions {
            text.push(format!(
                "  slot {} = {}: {}",
                d.slot.0,
                d.value,
                if d.covered > 0 {
                    format!("reached, in {} of the {} states where it is {}", d.covered, d.states, words.chosen)
                } else if d.reached_anywhere {
                    format!("NEVER reached inside the explorer's space (only after leaving it); {} states", d.states)
                } else {
                    format!("NEVER reached; {} states", d.states)
                }
            ));
        }
        text.push(format!(
            "  run states: {} observed, {} inside ({:.1} %); {} distinct outside: {}",
            r.observed,
            r.observed_inside,
            pct(r.observed_inside, r.observed),
            r.outside_states,
            (words.outside)(&r),
        ));
        reports.push((r, explore_secs, secs));
    }
    let other: u64 = reports.iter().map(|(r, ..)| r.outside_other).sum();
    if json {
        let clusters: Vec<_> =
            reports.iter().map(|(r, e, s)| json!({ "coverage": r, "explore_seconds": e, "seconds": s })).collect();
        println!(
            "{}",
            json!({ "schedules": seeds, "start": start, "steps": args.steps, "threads": threads, "clusters": clusters })
        );
    } else {
        println!(
            "coverage of the explorer's states by {seeds} fuzz schedules (seeds {start}..{}, {} events each), {}:",
            start + seeds,
            args.steps,
            words.start,
        );
        for line in text {
            println!("{line}");
        }
    }
    if other > 0 {
        return Err(Fail(1, format!("{other} run states fell outside the explorer's space for no known reason")));
    }
    Ok(0)
}

/// `paxos run`: the schedule `fuzz` runs for one seed, written as a trace.
fn run_command(seed: u64, args: &ScheduleArgs, trace: &std::path::Path) -> Result<u8, Fail> {
    match args.protocol {
        ProtocolArg::Paxos => {
            let (cfg, cmds) = schedule(seed, &args.options()?);
            write_run(Trace::record(seed, &cfg, cmds)?, trace)
        }
        ProtocolArg::Raft => {
            let (cfg, cmds) = raft_schedule(seed, &args.options()?, args.raft_bug()?);
            write_run(Trace::record(seed, &cfg, cmds)?, trace)
        }
    }
}

/// Writes a recorded run and says whether it broke a rule.
fn write_run<P: paxos_sim::Protocol>(t: Trace<P>, trace: &std::path::Path) -> Result<u8, Fail> {
    std::fs::write(trace, t.to_json()).map_err(|e| Fail(2, format!("cannot write {}: {e}", trace.display())))?;
    println!("wrote {} ({} commands, {} events)", trace.display(), t.commands.len(), t.events.len());
    match t.violations.first() {
        Some(v) => {
            println!("violation: {}", describe_violation(v));
            Ok(1)
        }
        None => {
            println!("no violation");
            Ok(0)
        }
    }
}

/// `paxos replay`: re-executes a trace and checks that it reproduces.
fn replay_command(file: &std::path::Path, verbose: bool) -> Result<u8, Fail> {
    let text = read(file)?;
    let fail = |e: TraceError| Fail(2, format!("{}: {e}", file.display()));
    match paxos_sim::trace::protocol_of(&text).map_err(fail)?.as_str() {
        "raft" => replay::<paxos_sim::Raft>(file, &text, verbose),
        _ => replay::<paxos_sim::Paxos>(file, &text, verbose),
    }
}

/// Replays a trace of protocol `P`.
fn replay<P: paxos_sim::Protocol>(file: &std::path::Path, text: &str, verbose: bool) -> Result<u8, Fail> {
    let trace = Trace::<P>::read(text).map_err(|e| Fail(2, format!("{}: {e}", file.display())))?;
    match trace.replay() {
        Ok(sim) => {
            if verbose {
                let mut d = Describer::<P>::default();
                print_events(&mut d, sim.events());
            }
            println!(
                "replayed {} commands: {} events reproduced exactly ({} steps, {} deliveries)",
                trace.commands.len(),
                sim.events().len(),
                sim.steps(),
                sim.deliveries()
            );
            match sim.violations().first() {
                Some(v) => {
                    println!("violation reproduced: {}", describe_violation(v));
                    Ok(1)
                }
                None => {
                    println!("no violation");
                    Ok(0)
                }
            }
        }
        Err(e @ TraceError::Mismatch { .. }) => Err(Fail(1, format!("{}: {e}", file.display()))),
        Err(e) => Err(Fail(2, format!("{}: {e}", file.display()))),
    }
}

/// `paxos exercise`: an exercise in words, or a run checked against one (or against a goal of one's own). The way in
/// for exercises: an exercise's own protocol (its start's) picks the generic code that shows or checks it.
fn exercise_command(
    id: Option<&str>,
    list: bool,
    protocol: Option<ProtocolArg>,
    goal: Option<&str>,
    check: Option<&str>,
    solution: bool,
) -> Result<u8, Fail> {
    let listed = |p: ProtocolArg| protocol.is_none_or(|q| q == p);
    if list {
        let mut lines: Vec<(String, String)> = Vec::new();
        if listed(ProtocolArg::Paxos) {
            lines.extend(exercise::all_of::<Paxos>().into_iter().map(|e| (e.id, e.task)));
        }
        if listed(ProtocolArg::Raft) {
            lines.extend(exercise::all_of::<Raft>().into_iter().map(|e| (e.id, e.task)));
        }
        for (id, task) in lines {
            println!("{id:<26} {task}");
        }
        return Ok(0);
    }
    let goal = goal.map(|g| g.parse::<Goal>().map_err(|e| Fail(2, format!("--goal: {e}")))).transpose()?;
    let Some(id) = id else {
        return match (goal, check) {
            (None, _) => Err(Fail(2, "give an exercise id (see --list), or --goal with --check".into())),
            (Some(_), None) => Err(Fail(2, "--goal needs --check: the run to check".into())),
            // A goal of one's own, checked from the run's own start, of the run's protocol.
            (Some(goal), Some(check)) => {
                let run = Run::of(check)?;
                match run.protocol {
                    "raft" => verify_goal::<Raft>(goal, &run),
                    _ => verify_goal::<Paxos>(goal, &run),
                }
            }
        };
    };
    if goal.is_some() {
        return Err(Fail(2, "give an exercise id or --goal, not both".into()));
    }
    let (paxos, raft) = (exercise::find_of::<Paxos>(id), exercise::find_of::<Raft>(id));
    let of = if paxos.is_some() { ProtocolArg::Paxos } else { ProtocolArg::Raft };
    if let Some(p) = protocol.filter(|&p| (paxos.is_some() || raft.is_some()) && p != of) {
        return Err(Fail(2, format!("exercise {id} is a {} exercise, not {} (--protocol)", of.name(), p.name())));
    }
    match (paxos, raft) {
        (Some(e), _) => show_or_check(e, check, solution, paxos_cluster_words),
        (None, Some(e)) => show_or_check(e, check, solution, raft_cluster_words),
        (None, None) => {
            Err(Fail(2, format!("no exercise `{}`; `paxos exercise --list` lists them", paxos_sim::limits::quote(id))))
        }
    }
}

/// A built-in exercise of protocol `P` in words (with its reference solution if asked), or a run checked against
/// it. `cluster` words the start's cluster settings in the script's language.
fn show_or_check<P: Protocol>(
    e: exercise::Exercise<P>,
    check: Option<&str>,
    solution: bool,
    cluster: fn(&P::Config) -> String,
) -> Result<u8, Fail> {
    let Some(check) = check else {
        println!(
            "{}

{}
goal: {}",
            e.title, e.task, e.attempt.goal
        );
        if let Some(only) = &e.attempt.only {
            println!("actions offered: {} (and running time)", only.join(", "));
        }
        println!("start: {}", start_words(e.attempt.seed, &e.attempt.config, cluster));
        for c in &e.attempt.start {
            println!("  {}", paxos_sim::script::command_line(c));
        }
        for (i, h) in e.hints.iter().enumerate() {
            println!("hint {}: {h}", i + 1);
        }
        if solution {
            println!("solution:");
            for c in &e.solution {
                println!("  {}", paxos_sim::script::command_line(c));
            }
            println!("what it teaches: {}", e.teaches);
            let tape = e.solution_tape();
            let at = tape.len();
            println!("link: {}exercise={}#run={}", query_of::<P>(), e.id, Link { tape, at }.encode());
        }
        return Ok(0);
    };
    // A link (a whole address, or the text after `#run=`) or a trace file, of either protocol: the way in.
    let run = Run::of(check)?;
    if run.protocol != P::NAME {
        return Err(Fail(2, format!("exercise {} is a {} exercise; this run is {}", e.id, P::NAME, run.protocol)));
    }
    let (tape, at) = run.read::<P>()?;
    verify(&e.attempt, &tape, at, &format!("exercise {}", e.id))
}

/// The start of a page address for protocol `P` (`?` for Paxos, the page's default; `?protocol=raft&` otherwise).
fn query_of<P: Protocol>() -> String {
    if P::NAME == Paxos::NAME {
        "?".into()
    } else {
        format!("?protocol={}&", P::NAME)
    }
}

/// The run `paxos exercise --check` names: a trace file's text, or a link, and its protocol.
struct Run<'a> {
    /// The trace's text, when `--check` names a file.
    trace: Option<String>,
    /// The link's text, or the trace file's name.
    link: &'a str,
    protocol: &'static str,
}

impl<'a> Run<'a> {
    fn of(check: &'a str) -> Result<Run<'a>, Fail> {
        let link = check.rsplit_once("run=").map_or(check, |(_, f)| f);
        let not_a_link = |e: paxos_sim::link::LinkError| Fail(2, format!("--check: not a trace file, nor a link: {e}"));
        if !std::path::Path::new(check).is_file() {
            let protocol = paxos_sim::link::protocol_of(link).map_err(not_a_link)?;
            return Ok(Run { trace: None, link, protocol });
        }
        let text = read(std::path::Path::new(check))?;
        // The header names a known protocol (it refuses any other).
        let protocol = match paxos_sim::trace::protocol_of(&text).map_err(|e| Fail(2, format!("{check}: {e}")))? {
            p if p == paxos_sim::Raft::NAME => paxos_sim::Raft::NAME,
            _ => paxos_sim::Paxos::NAME,
        };
        Ok(Run { trace: Some(text), link: check, protocol })
    }

    /// The run's tape and the moment to check it up to (a trace's end, a link's moment).
    fn read<P: paxos_sim::Protocol>(&self) -> Result<(Tape<P>, u64), Fail> {
        if let Some(text) = &self.trace {
            let trace = Trace::<P>::read(text).map_err(|e| Fail(2, format!("{}: {e}", self.link)))?;
            let tape = Tape::from_commands(trace.seed, trace.config.clone(), trace.commands.iter().cloned());
            let len = tape.len();
            return Ok((tape, len));
        }
        let link =
            Link::<P>::read(self.link).map_err(|e| Fail(2, format!("--check: not a trace file, nor a link: {e}")))?;
        Ok((link.tape, link.at))
    }
}

/// A run of protocol `P` checked against a goal of one's own, from the run's own start.
fn verify_goal<P: paxos_sim::Protocol>(goal: Goal, run: &Run) -> Result<u8, Fail> {
    let (tape, at) = run.read::<P>()?;
    goal.fits_for::<P>(P::size(&tape.config.cluster)).map_err(|e| Fail(2, format!("--goal: {e}")))?;
    let name = format!("goal {goal}");
    let attempt = Attempt { seed: tape.seed, config: tape.config.clone(), start: Vec::new(), goal, only: None };
    verify(&attempt, &tape, at, &name)
}

/// The verdict on a run, in words and as the exit code: 0 solved, 1 not.
fn verify<P: paxos_sim::Protocol>(attempt: &Attempt<P>, tape: &Tape<P>, at: u64, name: &str) -> Result<u8, Fail> {
    match attempt.verify(tape, at).map_err(|e| Fail(2, format!("the run does not replay: {e}")))? {
        Verdict::Solved { moment, actions } => {
            println!("solved: {name}, at moment {moment}, in {actions} action{}", if actions == 1 { "" } else { "s" });
            Ok(0)
        }
        Verdict::NotSolved(why) => {
            println!("not solved: {name}: {why}");
            Ok(1)
        }
    }
}

/// An exercise's start in the script's words (`nodes=5 mode=single seed=1 latency=5..15 q1=4 q2=2 bug=amnesia`):
/// the protocol's cluster words (`cluster`), then the seed, the network and the bugs switched on.
fn start_words<P: Protocol>(seed: u64, c: &SimConfig<P>, cluster: fn(&P::Config) -> String) -> String {
    let mut s = format!("{} seed={seed} latency={}..{}", cluster(&c.cluster), c.latency.0, c.latency.1);
    // A bug is on when switching it on changes nothing.
    let on = |b: P::Bug| {
        let mut k = c.cluster.clone();
        P::enable_bug(&mut k, b);
        k == c.cluster
    };
    let bugs: Vec<&str> = P::bugs().iter().filter(|(b, _)| on(*b)).map(|(_, name)| *name).collect();
    if !bugs.is_empty() {
        s += &format!(" bug={}", bugs.join(","));
    }
    if c.faults.loss > 0.0 {
        s += &format!(" loss={}", c.faults.loss);
    }
    s
}

/// A Paxos cluster in the script's words: `nodes=5 mode=single`, and quorum sizes if set.
fn paxos_cluster_words(k: &paxos_core::Config) -> String {
    let mut s = format!("nodes={} mode={}", k.nodes.len(), k.mode.name());
    for (key, q) in [("q1", k.q1), ("q2", k.q2)] {
        if let Some(q) = q {
            s += &format!(" {key}={q}");
        }
    }
    s
}

/// A Raft cluster in the script's words: `protocol=raft nodes=3`.
fn raft_cluster_words(k: &raft_core::Config) -> String {
    format!("protocol={} nodes={}", Raft::NAME, k.nodes)
}

/// `paxos check`: the exhaustive explorer, for the protocol `--protocol` (or the link's) names.
fn check_command(args: &CheckArgs) -> Result<u8, Fail> {
    if let Some(text) = &args.link {
        let fragment = text.rsplit_once("run=").map_or(text.as_str(), |(_, f)| f);
        let protocol = paxos_sim::link::protocol_of(fragment).map_err(|e| Fail(2, format!("invalid link: {e}")))?;
        return match protocol {
            "raft" => check_link_command::<Raft>(args, fragment),
            _ => check_link_command::<Paxos>(args, fragment),
        };
    }
    match args.protocol {
        ProtocolArg::Paxos => explore_command::<Paxos>(args),
        ProtocolArg::Raft => explore_command::<Raft>(args),
    }
}

/// `paxos check` of the explorer's own start for protocol `P`.
fn explore_command<P: Protocol>(args: &CheckArgs) -> Result<u8, Fail> {
    let CheckArgs { network, acceptors, crashes, drops, duplicates, json, .. } = *args;
    let opts = args.options::<P>()?;
    let (proposers, bug) = (opts.proposers, args.bug.as_deref());
    let stop_at_first = opts.stop_at_first;
    let t0 = Instant::now();
    let r = search(&opts)?;
    let secs = t0.elapsed().as_secs_f64();
    let rate = r.states as f64 / secs.max(1e-9);
    if json {
        let mut out = json!({
            "network": format!("{network:?}").to_lowercase(), "acceptors": acceptors, "proposers": proposers, "bug": bug,
            "crashes": crashes, "drops": drops, "duplicates": duplicates,
            "states": r.states, "unique_states": r.unique_states, "violations": r.violations,
            "max_depth": r.max_depth, "depth_bounded": r.depth_bounded, "chosen_reachable": r.chosen_reachable, "truncated": r.truncated,
            "complete": r.complete, "reduced": opts.reduce && network == NetworkModel::Set,
            "decisions": r.decisions, "violated_rules": r.violated_rules,
            "seconds": secs, "states_per_sec": rate, "unique_states_per_sec": r.unique_states as f64 / secs.max(1e-9),
            "counterexample": r.counterexample,
        });
        // Paxos's object stays as it always was; Raft's says its protocol and cluster in its own words.
        if P::NAME != Paxos::NAME {
            let o = out.as_object_mut().expect("an object");
            o.remove("acceptors");
            o.insert("protocol".into(), json!(P::NAME));
            o.insert("nodes".into(), json!(opts.acceptors));
            o.insert("timeouts".into(), json!(opts.timeouts));
        }
        println!("{out}");
    } else {
        println!(
            "{} states, {} unique, depth {}, in {secs:.2} s ({rate:.0} states/s){}",
            r.states,
            r.unique_states,
            r.max_depth,
            if r.truncated {
                " (truncated at --max-states)"
            } else if r.violations > 0 && stop_at_first {
                " (stopped at the first violation)"
            } else if r.depth_bounded {
                " (bounded by --max-depth)"
            } else {
                " (complete)"
            }
        );
        println!("a value is chosen in some state: {}", r.chosen_reachable);
        match &r.counterexample {
            // Each proposer runs one ballot here, and adopt-lowest needs a phase 1 that hears of two earlier
            // ballots: say why nothing was found, and where the bug is found.
            None if P::NAME == Paxos::NAME && bug == Some(Bug::AdoptLowest.name()) => println!(
                "no violation: adopt-lowest needs three ballots, and each of the {proposers} proposers runs \
                 one (with two, lowest and highest are the same ballot; with three the search is far larger); \
                 `paxos fuzz --bug adopt-lowest` finds it"
            ),
            None => println!("no violation"),
            Some(c) => {
                println!("{} violating states; shortest counterexample ({} actions):", r.violations, c.path.len());
                for a in &c.path {
                    println!("  {}", serde_json::to_string(a).unwrap_or_default());
                }
                println!("violation: {}", c.violation.message);
            }
        }
    }
    if r.truncated {
        return Err(Fail(1, "the search was truncated; raise --max-states".into()));
    }
    Ok(u8::from(r.violations > 0))
}

/// `paxos check --link`: every future of a moment of a playground run of protocol `P`.
fn check_link_command<P: Protocol>(args: &CheckArgs, fragment: &str) -> Result<u8, Fail> {
    let link = Link::<P>::read(fragment).map_err(|e| Fail(2, format!("invalid link: {e}")))?;
    // The link's run has its own cluster and bugs: only the search's bounds are read from the flags.
    let opts = args.bounds::<P>();
    let t0 = Instant::now();
    let check = check_moment(&link, &opts, &mut |_| true).map_err(|e| Fail(2, format!("the link's run: {e}")))?;
    let secs = t0.elapsed().as_secs_f64();
    let r = &check.report;
    if args.json {
        let out = json!({
            "moment": check.moment, "in_flight": check.in_flight, "states": r.states, "unique_states": r.unique_states,
            "max_depth": r.max_depth, "complete": r.complete, "truncated": r.truncated, "depth_bounded": r.depth_bounded,
            "decisions": r.decisions, "violated_rules": r.violated_rules, "seconds": secs, "bytes": r.bytes,
            "unique_states_per_sec": r.unique_states as f64 / secs.max(1e-9),
            "counterexample": r.counterexample, "fork": check.fork.as_ref().map(|l| format!("#run={}", l.encode())),
        });
        println!("{out}");
    } else {
        println!("moment {}: {} messages in flight", check.moment, check.in_flight);
        let timers = if P::TIMEOUTS == 0 {
            "clocks stopped".to_string()
        } else {
            format!("clocks stopped but for {} timeouts", opts.timeouts)
        };
        println!(
            "{} unique states, depth {}, in {secs:.2} s ({:.0} states/s, ~{} MB){}",
            r.unique_states,
            r.max_depth,
            r.unique_states as f64 / secs.max(1e-9),
            r.bytes >> 20,
            if r.truncated {
                " (truncated at --max-states)".to_string()
            } else if r.counterexample.is_some() {
                " (stopped at the first violation)".to_string()
            } else if r.depth_bounded {
                " (bounded by --max-depth)".to_string()
            } else {
                format!(" (complete: every future with {timers})")
            }
        );
        match (&r.counterexample, &check.fork) {
            (Some(c), Some(fork)) => {
                println!("a future breaks a rule after {} actions: {}", c.path.len(), c.violation.message);
                println!("the fork that shows it: #run={}", fork.encode());
            }
            _ => println!("no future breaks a rule"),
        }
    }
    if r.truncated {
        return Err(Fail(1, "the search was truncated; raise --max-states".into()));
    }
    Ok(u8::from(r.counterexample.is_some()))
}

/// `paxos bench`: deliveries and schedules per second.
fn bench_command(deliveries: u64, schedules: u64, json: bool) -> Result<u8, Fail> {
    let t0 = Instant::now();
    let steady = paxos_sim::bench::steady_state(deliveries, || t0.elapsed().as_secs_f64() * 1000.0);
    if steady.violations > 0 {
        return Err(Fail(1, "the steady-state benchmark broke safety".into()));
    }
    let (rate, elapsed) = (steady.rate(), steady.ms / 1000.0);
    let t0 = Instant::now();
    let raft = paxos_sim::bench::raft_steady_state(deliveries, || t0.elapsed().as_secs_f64() * 1000.0);
    if raft.violations > 0 {
        return Err(Fail(1, "the Raft steady-state benchmark broke safety".into()));
    }
    let (raft_rate, raft_elapsed) = (raft.rate(), raft.ms / 1000.0);
    let t0 = Instant::now();
    let one = fuzz(0, schedules, &FuzzOptions::default(), 1)?;
    let single = one.schedules as f64 / t0.elapsed().as_secs_f64();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t0 = Instant::now();
    let all = fuzz(0, schedules, &FuzzOptions::default(), threads)?;
    let multi = all.schedules as f64 / t0.elapsed().as_secs_f64();
    if json {
        println!(
            "{}",
            json!({
                "deliveries": deliveries, "deliveries_seconds": elapsed, "deliveries_per_sec": rate,
                "raft_deliveries_seconds": raft_elapsed, "raft_deliveries_per_sec": raft_rate,
                "schedules": schedules, "schedules_per_sec_1_thread": single,
                "schedules_per_sec": multi, "threads": threads,
            })
        );
    } else {
        println!("5-node Multi-Paxos steady state, checker on: {rate:.0} deliveries/s ({deliveries} in {elapsed:.2} s, one core)");
        println!("5-node Raft steady state, checker on: {raft_rate:.0} deliveries/s ({deliveries} in {raft_elapsed:.2} s, one core)");
        println!("random fault schedules (3 nodes, single-decree, 200 events): {single:.0}/s on 1 thread, {multi:.0}/s on {threads}");
    }
    Ok(0)
}

/// `paxos bench --workload`'s settings.
struct Workload<'a> {
    nodes: usize,
    seed: u64,
    every: u64,
    until: u64,
    at: &'a [String],
    csv: bool,
    json: bool,
}

/// `paxos bench --workload`: the client's series ([`paxos_sim::meter`]), as text, CSV or JSON.
fn workload_command<P: Protocol>(config: SimConfig<P>, w: &Workload) -> Result<u8, Fail> {
    let mut faults = Vec::new();
    for a in w.at {
        let bad = |why: String| Fail(2, format!("--at `{}`: {why}", paxos_core::quote(a)));
        let (t, line) = a.split_once(':').ok_or_else(|| bad("expected TIME:COMMAND, as in `1000:crash 0`".into()))?;
        let t: u64 = t.trim().parse().map_err(|_| bad(format!("`{}` is not a time", paxos_core::quote(t))))?;
        match paxos_sim::script::read_line::<P>(line).map_err(bad)? {
            Some(paxos_sim::script::Line::Command(c)) if !matches!(c, paxos_sim::Command::Step { .. }) => {
                faults.push((t, c))
            }
            _ => return Err(bad("expected a command such as `crash 0`, `partition 0,1 | 2,3,4` or `heal`".into())),
        }
    }
    faults.sort_by_key(|f| f.0);
    let sim = Simulator::new(w.seed, config, true).map_err(|e| Fail(2, e.to_string()))?;
    let (meter, said) = paxos_sim::meter::workload(sim, w.every, w.until, &faults)
        .map_err(|(t, e)| Fail(2, format!("the fault at time {t} was refused: {e}")))?;
    if w.csv {
        print!("{}", meter.csv());
    } else if w.json {
        let windows: Vec<_> = meter
            .windows()
            .map(
                |x| json!({"start": x.start, "commits": x.commits, "requests": x.requests, "p50": x.p50, "p99": x.p99}),
            )
            .collect();
        let bands: Vec<_> =
            meter.bands().iter().map(|b| json!({"kind": b.kind.name(), "from": b.from, "to": b.to})).collect();
        let stalls: Vec<_> = said.iter().map(|(t, s)| json!({"time": t, "stall": s})).collect();
        println!(
            "{}",
            json!({"protocol": P::NAME, "nodes": w.nodes, "every": w.every, "windows": windows, "bands": bands, "stalls": stalls})
        );
    } else {
        println!(
            "{}: {} nodes, a request every {} time units, {} time units (windows of {})",
            P::NAME,
            w.nodes,
            w.every,
            w.until,
            paxos_sim::meter::WINDOW
        );
        println!("{:>7} {:>8} {:>8} {:>12} {:>12}", "from", "commits", "requests", "latency p50", "latency p99");
        for x in meter.windows() {
            let lat = |v: u32| if x.requests > 0 { v.to_string() } else { "-".into() };
            println!("{:>7} {:>8} {:>8} {:>12} {:>12}", x.start, x.commits, x.requests, lat(x.p50), lat(x.p99));
        }
        for b in meter.bands() {
            println!("{} from {} to {}", b.kind.name(), b.from, b.to.map_or("the end".into(), |t| t.to_string()));
        }
        for m in meter.marks() {
            match *m {
                paxos_sim::meter::Mark::Leader { time, node } => println!("leader {node} from {time}"),
                paxos_sim::meter::Mark::Config { time, members } => {
                    println!("configuration {members} chosen at {time}")
                }
            }
        }
        for (t, s) in &said {
            println!("at {t}: {s}");
        }
    }
    Ok(0)
}

/// `paxos scenario`: a built-in teaching scenario, stage by stage. A scenario runs the protocol its script names;
/// `--protocol` lists only that protocol's and must agree with the one asked for.
fn scenario_command(
    id: Option<String>,
    list: bool,
    protocol: Option<ProtocolArg>,
    bug: Option<String>,
    trace: Option<&std::path::Path>,
) -> Result<u8, Fail> {
    let all: Vec<_> =
        paxos_sim::scenario::all().into_iter().filter(|s| protocol.is_none_or(|p| p.name() == s.protocol)).collect();
    let ids = || all.iter().map(|s| s.id).collect::<Vec<_>>().join(", ");
    if list || id.is_none() {
        for sc in &all {
            println!("{:<20} {} — {}", sc.id, sc.title, sc.caption);
        }
        return Ok(if list { 0 } else { 2 });
    }
    let id = id.expect("checked above");
    let sc = paxos_sim::scenario::find(&id).ok_or_else(|| {
        Fail(2, format!("no scenario `{}`; the scenarios are {}", paxos_sim::limits::quote(&id), ids()))
    })?;
    if let Some(p) = protocol.filter(|p| p.name() != sc.protocol) {
        return Err(Fail(2, format!("scenario {id} runs {}, not {} (--protocol)", sc.protocol, p.name())));
    }
    match sc.protocol {
        "raft" => play_scenario::<paxos_sim::Raft>(sc, bug.as_deref(), trace),
        _ => play_scenario::<paxos_sim::Paxos>(sc, bug.as_deref(), trace),
    }
}

/// Plays scenario `sc` of protocol `P`, with a bug of `P`'s if asked.
fn play_scenario<P: paxos_sim::Protocol>(
    sc: &paxos_sim::scenario::Scenario,
    bug: Option<&str>,
    trace: Option<&std::path::Path>,
) -> Result<u8, Fail> {
    let id = sc.id;
    let mut lesson = sc.lesson_as::<P>().map_err(|e| Fail(2, format!("scenario {id}: {e}")))?;
    if let Some(name) = bug {
        let bugs = paxos_sim::settings::bugs_of::<P>(&[name.to_string()])
            .map_err(|e| Fail(2, e.to_string().replacen("`bug`", "--bug", 1)))?;
        lesson = bugs.into_iter().fold(lesson, |l, b| l.with_bug(b));
    }
    let mut sim = Simulator::new(lesson.seed, lesson.config.clone(), true)?;
    let mut d = Describer::<P>::default();
    let mut shown = 0;
    println!("# {} — {}", sc.title, sc.caption);
    if let Some(bug) = bug {
        println!(
            "# What if: the {bug} bug is on. The narration describes correct {}; the events show what happens instead.",
            P::NAME[..1].to_uppercase() + &P::NAME[1..]
        );
    }
    for (i, stage) in lesson.stages.iter().enumerate() {
        println!("\n## stage {}: {}", i + 1, stage.say);
        for c in &stage.commands {
            sim.apply(c.clone())
                .map_err(|e| Fail(2, format!("scenario {id}: `{}` refused: {e}", script::command_line(c))))?;
        }
        print_events(&mut d, &sim.events()[shown..]);
        shown = sim.events().len();
    }
    if let Some(path) = trace {
        write_trace(path, &sim, &lesson.config)?;
    }
    Ok(u8::from(!sim.violations().is_empty()))
}

/// `paxos script`: runs a script and prints its events. Its protocol is its first `config` line's `protocol=`
/// (`--protocol` says it for a script without one, and must agree with one that has it).
fn script_command(
    file: &std::path::Path,
    protocol: Option<ProtocolArg>,
    trace: Option<&std::path::Path>,
) -> Result<u8, Fail> {
    let text = read(file)?;
    let named = script::protocol_of(&text).map_err(|e| Fail(2, format!("{}: {e}", file.display())))?;
    let says = text.lines().any(|l| l.split('#').next().unwrap_or("").contains("protocol="));
    let protocol = match (protocol, says) {
        (Some(p), true) if p.name() != named => {
            return Err(Fail(2, format!("{}: the script runs {named}, not {} (--protocol)", file.display(), p.name())))
        }
        (Some(p), _) => p.name(),
        (None, _) => named,
    };
    match protocol {
        "raft" => run_script::<paxos_sim::Raft>(file, &text, trace),
        _ => run_script::<paxos_sim::Paxos>(file, &text, trace),
    }
}

/// Runs a script of protocol `P`.
fn run_script<P: paxos_sim::Protocol>(
    file: &std::path::Path,
    text: &str,
    trace: Option<&std::path::Path>,
) -> Result<u8, Fail> {
    let lines = script::read::<P>(text).map_err(|e| Fail(2, format!("{}: {e}", file.display())))?;
    let mut sim: Option<(Simulator<P>, SimConfig<P>)> = None;
    for line in lines {
        match line {
            Line::Config(seed, cfg) => sim = Some((Simulator::new(seed, (*cfg).clone(), true)?, *cfg)),
            Line::Command(c) => {
                if sim.is_none() {
                    // No `config` line: the defaults a bare `config` line gives.
                    let cfg = script::default_config::<P>();
                    sim = Some((Simulator::new(0, cfg.clone(), true)?, cfg));
                }
                let (s, _) = sim.as_mut().expect("made above");
                let verb = c.verb();
                if let Err(e) = s.apply(c) {
                    eprintln!("paxos: `{verb}` refused: {e}");
                }
            }
        }
    }
    let Some((sim, cfg)) = sim else { return Err(Fail(2, format!("{}: the script is empty", file.display()))) };
    let mut d = Describer::<P>::default();
    print_events(&mut d, sim.events());
    if let Some(path) = trace {
        write_trace(path, &sim, &cfg)?;
    }
    Ok(u8::from(!sim.violations().is_empty()))
}

/// `paxos bugs`: each teaching bug of protocol `P` and the rule it removes, as its judge's `broken_by` knows it
/// (scripts/test.sh checks that the fuzzer and the explorer report each bug at that rule).
fn bugs_command<P: Protocol>(json: bool) -> Result<u8, Fail> {
    let bugs: Vec<(&str, &str)> =
        P::bugs().iter().map(|&(bug, name)| (name, <P::Judge as Judge<P>>::broken_by(bug).name())).collect();
    if json {
        let out: Vec<_> = bugs.iter().map(|(bug, rule)| json!({ "bug": bug, "rule": rule })).collect();
        println!("{}", serde_json::Value::from(out));
    } else {
        for (bug, rule) in bugs {
            println!("{bug} {rule}");
        }
    }
    Ok(0)
}
