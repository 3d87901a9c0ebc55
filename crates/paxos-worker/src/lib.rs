//! The playground's trace worker. Reading and writing the CLI's JSON traces needs a JSON parser and a serializer
//! for every event and message type, about 44 KB of the page's compressed download; a person imports or exports a
//! trace rarely. So that code lives here, in a second WebAssembly module that runs in a Web Worker the page starts
//! on first use (`web/src/worker.rs`), and the page and the worker speak in the page's own currency, the compact
//! `#run=` link: the worker turns a trace into a link the page opens, and a link into a trace the page downloads.
//! A long replay runs in the worker, so it never freezes the page.
//!
//! It also runs "Check every future" ([`check`]): the exhaustive search from the moment a link shows, the page's
//! largest computation, which must never freeze the page and reports its progress as it goes.
//!
//! The conversions and the check are plain Rust, tested natively; `main.rs` only wires them to the worker's messages.
//! Each reads a run of either protocol: it learns which from the trace's header or the link's first byte
//! (`trace::protocol_of`, `link::protocol_of`), its one way in, and runs the same generic code for it.
#![deny(missing_docs)]

use paxos_sim::explore::{check_moment, ExploreOptions, Progress};
use paxos_sim::limits::{quote, MAX_FILE_BYTES};
use paxos_sim::link::{self, Link};
use paxos_sim::script::command_line;
use paxos_sim::trace::{self, TraceRun};
use paxos_sim::{Command, Paxos, Protocol, Raft, RuleSet, Simulator, Tape, Trace};

/// "the file is empty" → "The file is empty.": the page shows these as sentences.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}{}", f.to_uppercase(), c.as_str(), if s.ends_with('.') { "" } else { "." }),
        None => String::new(),
    }
}

/// Reads a trace (from `paxos run --trace`, `paxos scenario --trace`, a fuzz counterexample or the page's Export),
/// checks that it replays exactly as `paxos replay` does, and returns the run as a link shown at its end.
pub fn trace_to_link(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("The file is empty.".into());
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("The file is larger than {} MiB, the limit.", MAX_FILE_BYTES >> 20));
    }
    match trace::protocol_of(text).map_err(|e| sentence(&e.to_string()))?.as_str() {
        "raft" => trace_to_link_of::<Raft>(text),
        _ => trace_to_link_of::<Paxos>(text),
    }
}

fn trace_to_link_of<P: Protocol>(text: &str) -> Result<String, String> {
    let run = TraceRun::<P>::read(text).map_err(|e| sentence(&e.to_string()))?;
    run.replay().map_err(|e| sentence(&e.to_string()))?;
    // The tape records what really ran, as the page records a person's actions: a step that stopped early at a
    // violation counts the events it ran.
    let mut sim = Simulator::new(run.seed, run.config.clone(), false).map_err(|e| sentence(&e.to_string()))?;
    let mut tape = Tape::new(run.seed, run.config.clone());
    for (i, c) in run.commands.into_iter().enumerate() {
        let before = sim.steps();
        let line = quote(&command_line(&c));
        sim.apply(c.clone())
            .map_err(|e| format!("Command {} (`{line}`) was refused: {}", i + 1, sentence(&e.to_string())))?;
        tape.push(match c {
            Command::Step { .. } => Command::Step { count: sim.steps() - before },
            c => c,
        });
    }
    Ok(Link { at: tape.len(), tape }.encode())
}

/// Writes the run of a link, up to the moment it shows, as a trace in the CLI's format (`paxos replay` checks it).
pub fn link_to_trace(link: &str) -> Result<String, String> {
    match link::protocol_of(link).map_err(|e| sentence(&e.to_string()))? {
        "raft" => link_to_trace_of::<Raft>(link),
        _ => link_to_trace_of::<Paxos>(link),
    }
}

fn link_to_trace_of<P: Protocol>(link: &str) -> Result<String, String> {
    let link = Link::<P>::read(link).map_err(|e| sentence(&e.to_string()))?;
    let commands = link.tape.between(0, link.at);
    let trace = Trace::record(link.tape.seed, &link.tape.config, commands).map_err(|e| sentence(&e.to_string()))?;
    Ok(trace.to_json())
}

/// The payload of message `id`, in flight at the moment a link shows, as traces write it (docs/trace-format.md):
/// the page's message inspector. The JSON writer and the messages' serializers live here, not in the page's first
/// download; the run is replayed to its moment, where message ids are those the page shows.
pub fn payload(link: &str, id: u64) -> Result<String, String> {
    match link::protocol_of(link).map_err(|e| sentence(&e.to_string()))? {
        "raft" => payload_of::<Raft>(link, id),
        _ => payload_of::<Paxos>(link, id),
    }
}

fn payload_of<P: Protocol>(link: &str, id: u64) -> Result<String, String> {
    let link = Link::<P>::read(link).map_err(|e| sentence(&e.to_string()))?;
    let sim = link.tape.replay(link.at, false).map_err(|e| sentence(&e.to_string()))?;
    let m = sim
        .in_flight()
        .find(|m| m.id.0 == id)
        .ok_or_else(|| format!("Message m{id} is not in flight at this moment."))?;
    serde_json::to_string_pretty(P::parts(&m.env).2).map_err(|e| sentence(&e.to_string()))
}

/// The time the charts panel shows: the [`SHOWN`] time units up to the moment shown.
pub const SHOWN: u64 = 6000;

/// What the charts panel shows of a run at the moment its link shows ([`series`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// The meter's series as CSV (`Meter::csv_since`): of the last [`SHOWN`] time units, or all of it (the export).
    pub csv: String,
    /// The meter in words: the stall as it is named, else the last window's throughput and latency.
    pub meter: String,
    /// Whether requests are stalled.
    pub stalled: bool,
    /// The simulated time of the moment.
    pub time: u64,
}

/// A replay kept between two calls of [`series`]: the page asks again as its run grows, and a link that extends
/// the last one is replayed from where that one ended.
struct Replay<P: Protocol> {
    tape: Tape<P>,
    at: u64,
    sim: Simulator<P>,
    meter: paxos_sim::meter::Meter<P>,
    /// The last moment at each time, in steps of [`TIME_STEP`]: where a click on a chart goes ([`moment_at`]).
    moments: Vec<u64>,
}

/// The resolution of [`moment_at`], in time units.
const TIME_STEP: u64 = 10;

/// The last replay, of either protocol.
enum AnyReplay {
    Paxos(Replay<Paxos>),
    Raft(Replay<Raft>),
}

thread_local! {
    static LAST: std::cell::RefCell<Option<AnyReplay>> = const { std::cell::RefCell::new(None) };
}

/// The meter of the run a link shows, up to the moment it shows (`paxos_sim::meter`): its series, its stall or its
/// throughput in words. A link that continues the last one asked for costs only its new moments. `all`: the CSV of
/// the whole run (the export), else of its last [`SHOWN`] time units (what the charts draw).
pub fn series(link: &str, all: bool) -> Result<Series, String> {
    match link::protocol_of(link).map_err(|e| sentence(&e.to_string()))? {
        "raft" => series_of::<Raft>(
            link,
            all,
            |r| match r {
                Some(AnyReplay::Raft(r)) => Some(r),
                _ => None,
            },
            AnyReplay::Raft,
        ),
        _ => series_of::<Paxos>(
            link,
            all,
            |r| match r {
                Some(AnyReplay::Paxos(r)) => Some(r),
                _ => None,
            },
            AnyReplay::Paxos,
        ),
    }
}

/// The last moment of the last run [`series`] measured in the 10 time units from `time` (rounded down to ten): where a
/// click on a chart at that time goes; `None` before any series.
pub fn moment_at(time: u64) -> Option<u64> {
    LAST.with(|l| {
        let moments = match l.borrow().as_ref()? {
            AnyReplay::Paxos(r) => r.moments.clone(),
            AnyReplay::Raft(r) => r.moments.clone(),
        };
        let i = usize::try_from(time / TIME_STEP).unwrap_or(usize::MAX).min(moments.len().checked_sub(1)?);
        Some(moments[i])
    })
}

fn series_of<P: Protocol>(
    link: &str,
    all: bool,
    mine: fn(Option<AnyReplay>) -> Option<Replay<P>>,
    wrap: fn(Replay<P>) -> AnyReplay,
) -> Result<Series, String> {
    let Link { tape, at } = Link::<P>::read(link).map_err(|e| sentence(&e.to_string()))?;
    let last = mine(LAST.with(|l| l.borrow_mut().take()));
    // The last replay goes on if this link's run begins with it, up to a moment at or after it.
    let mut r = match last {
        Some(r)
            if r.tape.seed == tape.seed
                && r.tape.config == tape.config
                && r.at <= at
                && r.tape.between(0, r.at) == tape.between(0, r.at) =>
        {
            r
        }
        _ => Replay {
            sim: Simulator::new(tape.seed, tape.config.clone(), true).map_err(|e| sentence(&e.to_string()))?,
            tape: Tape::new(tape.seed, tape.config.clone()),
            at: 0,
            meter: paxos_sim::meter::Meter::new(),
            moments: vec![0],
        },
    };
    let mut moment = r.at;
    for c in tape.between(r.at, at) {
        // A step is replayed event by event, so the meter reads each event's time as it comes.
        let (command, times) = match c {
            Command::Step { count } => (Command::Step { count: 1 }, count),
            c => (c, 1),
        };
        for _ in 0..times {
            r.sim.apply(command.clone()).map_err(|e| sentence(&e.to_string()))?;
            let events: Vec<_> = r.sim.drain_events().collect();
            r.meter.observe(&events, &r.sim);
            moment += 1;
            let step = usize::try_from(r.sim.time() / TIME_STEP).unwrap_or(usize::MAX);
            while r.moments.len() <= step {
                let last = *r.moments.last().expect("moment 0 is there");
                r.moments.push(last);
            }
            r.moments[step] = moment;
        }
    }
    r.tape = tape;
    r.at = at;
    let time = r.sim.time();
    let stall = r.meter.stall();
    let meter = match (stall, r.meter.windows().last()) {
        (Some(s), _) => s.words::<P>(),
        (None, Some(w)) if w.requests > 0 => format!(
            "{} {} {} in the last {} time units; latency median {}, 99th percentile {}",
            w.commits,
            if w.commits == 1 { "value" } else { "values" },
            P::DECIDED,
            paxos_sim::meter::WINDOW,
            w.p50,
            w.p99
        ),
        _ if r.meter.waiting() > 0 => format!("{} waiting", plural(r.meter.waiting(), "request")),
        _ => "No client requests yet: turn the client on to measure throughput and latency".into(),
    };
    let csv = if all { r.meter.csv() } else { r.meter.csv_since(time.saturating_sub(SHOWN) / 100 * 100) };
    let out = Series { csv, meter, stalled: stall.is_some(), time };
    LAST.with(|l| *l.borrow_mut() = Some(wrap(r)));
    Ok(out)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The most a check holds in memory, estimated from its tables: a browser tab's budget (the worker's WebAssembly
/// memory grows in steps, so the estimate stops well below 256 MB).
pub const CHECK_BYTES: u64 = 192 << 20;

/// The most distinct states a check visits, whatever its memory (about 60 bytes each).
pub const CHECK_STATES: usize = 3_000_000;

/// What "Check every future" found, in the page's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckAnswer {
    /// The moment checked.
    pub moment: u64,
    /// Messages in flight at that moment.
    pub in_flight: usize,
    /// Distinct states visited.
    pub states: u64,
    /// Every future of at most this many actions was checked (all of them when `complete`).
    pub depth: u32,
    /// Every future was checked.
    pub complete: bool,
    /// The memory budget stopped the search (otherwise, when neither complete nor broken, a cancel).
    pub budget: bool,
    /// The (slot, value) pairs chosen in some future, sorted, values as the page writes them.
    pub decisions: Vec<(u64, String)>,
    /// When a future breaks a rule: the rule's title, the checker's sentence, the number of actions, and the link
    /// of the run forked at the moment along that future.
    pub broken: Option<Broken>,
}

/// A future that breaks a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The rule's title, as the banner names it.
    pub rule: &'static str,
    /// The checker's sentence.
    pub message: String,
    /// Actions from the moment to the violation.
    pub actions: usize,
    /// The fork's link.
    pub fork: String,
}

/// Checks every future of the moment `link` shows (every order of delivery of the messages in flight and of those
/// they cause, each lost or delivered any number of times, up to one crash and restart, clocks stopped but for
/// the protocol's election timeouts: two in Raft, none in Paxos), within [`CHECK_BYTES`] and [`CHECK_STATES`].
/// `progress` is called as the search goes; it returns `false` to stop.
pub fn check(link: &str, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<CheckAnswer, String> {
    match link::protocol_of(link).map_err(|e| sentence(&e.to_string()))? {
        "raft" => check_of::<Raft>(link, progress),
        _ => check_of::<Paxos>(link, progress),
    }
}

fn check_of<P: Protocol>(link: &str, progress: &mut dyn FnMut(&Progress) -> bool) -> Result<CheckAnswer, String> {
    let link = Link::<P>::read(link).map_err(|e| sentence(&e.to_string()))?;
    let opts = ExploreOptions::<P> {
        max_states: CHECK_STATES,
        max_depth: None,
        stop_at_first: true,
        ..ExploreOptions::default()
    };
    let mut budget = false;
    let mut watch = |p: &Progress| {
        budget |= p.bytes > CHECK_BYTES;
        !budget && progress(p)
    };
    let found = check_moment(&link, &opts, &mut watch).map_err(|e| sentence(&e))?;
    let r = found.report;
    let broken = match (r.counterexample, found.fork) {
        (Some(c), Some(fork)) => Some(Broken {
            rule: c.violation.rule.title(),
            message: c.violation.message,
            actions: c.path.len(),
            fork: fork.encode(),
        }),
        _ => None,
    };
    Ok(CheckAnswer {
        moment: found.moment,
        in_flight: found.in_flight,
        states: r.unique_states,
        depth: r.max_depth,
        complete: r.complete,
        budget: budget || r.truncated,
        decisions: r.decisions.iter().map(|(slot, v)| (slot.0, v.to_string())).collect(),
        broken,
    })
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn steps(n: u32) -> String {
    format!("{n} step{}", if n == 1 { "" } else { "s" })
}

/// How far a check has got, in the page's words (the page shows the worker's sentences as they are, so its own
/// download carries none of this).
pub fn progress_line(p: &Progress, per_second: f64) -> String {
    format!(
        "Explored {} states so far: every future of up to {} is checked ({} states a second, {} MB).",
        thousands(p.unique_states),
        steps(p.depth),
        thousands(per_second as u64),
        (p.bytes + (1 << 19)) >> 20
    )
}

impl CheckAnswer {
    /// What the check found, in one paragraph for the page (its first sentence is the verdict).
    pub fn verdict(&self) -> String {
        let (k, states) = (self.moment, thousands(self.states));
        match &self.broken {
            Some(b) => format!(
                "A future of moment {k} breaks a rule: {}, {} on. It is open now as a fork of the run at moment {k}, \
                 shown where it broke: step back along the timeline to see how it got there.",
                b.rule,
                steps(b.actions as u32)
            ),
            None if self.complete => {
                let quoted = |slot: u64| {
                    let values: Vec<String> =
                        self.decisions.iter().filter(|d| d.0 == slot).map(|d| format!("“{}”", quote(&d.1))).collect();
                    values.join(" or ")
                };
                let mut slots: Vec<u64> = self.decisions.iter().map(|d| d.0).collect();
                slots.dedup();
                let chosen = match (slots.as_slice(), self.decisions.len()) {
                    ([], _) => " No value is chosen in any of them.".to_string(),
                    ([_], 1) => format!(" In every future that chooses a value, it is {}.", quoted(slots[0])),
                    ([_], n) => format!(
                        " Depending on the order of the messages, {} can still be chosen, never {}.",
                        quoted(slots[0]),
                        if n > 2 { "two of them" } else { "both" }
                    ),
                    _ => format!(
                        " Values that can still be chosen: {}; never two in one slot.",
                        slots.iter().map(|&s| format!("slot {s}, {}", quoted(s))).collect::<Vec<_>>().join("; ")
                    ),
                };
                format!("Every future of moment {k} is safe: {states} states, complete, no violation.{chosen}")
            }
            None if self.budget => format!(
                "No future of up to {} from moment {k} breaks a rule ({states} states). Longer ones were not checked: \
                 the search stopped at its memory budget of {} MB. Check again from a later moment, where fewer \
                 futures remain.",
                steps(self.depth),
                CHECK_BYTES >> 20
            ),
            None => format!("The search stopped after {states} states without finding a violation."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{NodeId, Value};
    use paxos_sim::Raft;
    use paxos_sim::{Faults, SimConfig};

    fn config() -> SimConfig {
        SimConfig::new(paxos_core::Mode::Single, 3)
    }

    #[test]
    fn a_cli_trace_opens_at_its_end_and_its_export_replays() {
        let mut cfg = config();
        cfg.cluster.bugs.minority_quorum = true;
        let commands = [
            Command::Propose { node: NodeId(0), value: Value::text("a") },
            Command::Propose { node: NodeId(2), value: Value::text("b") },
            Command::Step { count: 400 },
        ];
        let trace = Trace::record(5, &cfg, commands).unwrap();
        assert!(!trace.violations.is_empty(), "the bug must show with this seed");
        let link = Link::decode(&trace_to_link(&trace.to_json()).unwrap()).unwrap();
        assert_eq!(link.tape.config, trace.config, "a link holds the whole configuration");
        assert_eq!(link.at, link.tape.len(), "shown at its end");
        // The export of the opened run is the same run, and it replays exactly (as `paxos replay` checks).
        let exported = Trace::parse(&link_to_trace(&link.encode()).unwrap()).unwrap();
        assert_eq!(exported.events, trace.events);
        exported.replay().unwrap();
        // A tampered trace is refused, naming the first differing event.
        let tampered = trace.to_json().replacen("\"time\": 0", "\"time\": 1", 1);
        let err = trace_to_link(&tampered).unwrap_err();
        assert!(err.starts_with("The replay diverged at event 0"), "{err}");
        assert_eq!(trace_to_link("  ").unwrap_err(), "The file is empty.");
        assert!(trace_to_link("{\"format\": \"x\"}").unwrap_err().contains("format"));
        assert!(link_to_trace("3.AAAA").unwrap_err().starts_with("The link has version 3"));
    }

    #[test]
    fn typed_rates_survive_an_export_and_an_import() {
        // The rates the page accepts (at most 15 significant digits) read back exactly, so the replay matches.
        for (loss, dup) in [(33.3, 0.1), (12.3456789012345, 99.9999999999999), (1.0, 0.5)] {
            let commands = [
                Command::Network { latency: (5, 15), faults: Faults { loss, dup } },
                Command::Propose { node: NodeId(0), value: Value::text("a") },
                Command::Step { count: 300 },
            ];
            let trace = Trace::record(3, &config(), commands).unwrap();
            let link = trace_to_link(&trace.to_json()).unwrap();
            let back = Trace::parse(&link_to_trace(&link).unwrap()).unwrap();
            assert_eq!(back.commands[0], trace.commands[0], "{loss} {dup}");
            assert_eq!(back.events, trace.events);
        }
    }

    #[test]
    fn hostile_traces_are_refused_quickly_and_rewritten_ones_open() {
        let commands = [
            Command::Network { latency: (5, 15), faults: Faults { loss: 0.0, dup: 29.0 } },
            Command::Propose { node: NodeId(0), value: Value::text("a") },
            Command::Step { count: 30 },
        ];
        let trace = Trace::record(3, &config(), commands).unwrap();
        // Rewritten by JavaScript's JSON.stringify: 29.0 becomes 29.
        let js = trace.to_json().replace("29.0", "29");
        assert!(trace_to_link(&js).is_ok(), "{:?}", trace_to_link(&js).err());
        // A step of 10^12 events, a misspelled bug and a tick period of 2^64 − 1 are refused, each by name.
        let huge = trace.to_json().replacen("\"count\": 30", "\"count\": 1000000000000", 1);
        assert!(trace_to_link(&huge).unwrap_err().contains("more than 5000000 events"));
        let typo = trace.to_json().replacen("\"amnesia\": false", "\"amnesai\": true", 1);
        assert!(trace_to_link(&typo).unwrap_err().contains("unknown field `amnesai`"));
        let tick = trace.to_json().replacen("\"tick_every\": 10", "\"tick_every\": 18446744073709551615", 1);
        assert!(trace_to_link(&tick).unwrap_err().contains("tick_every must be from 1 to"));
    }

    #[test]
    fn check_finds_the_future_that_breaks_a_rule_and_its_fork_replays_to_it() {
        let mut cfg = config();
        cfg.cluster.bugs.minority_quorum = true;
        let commands = [
            Command::Propose { node: NodeId(0), value: Value::text("a") },
            Command::Propose { node: NodeId(2), value: Value::text("b") },
        ];
        let tape = Tape::from_commands(1, cfg, commands.clone());
        let link = Link { at: tape.len(), tape }.encode();
        let mut reports = 0;
        let answer = check(&link, &mut |_| {
            reports += 1;
            true
        })
        .unwrap();
        assert!(reports > 0);
        assert_eq!((answer.moment, answer.in_flight, answer.complete), (2, 6, false));
        let broken = answer.broken.clone().expect("minority-quorum breaks a rule");
        assert_eq!(broken.rule, paxos_sim::Rule::ElectedWithoutQuorum.title());
        assert!(answer
            .verdict()
            .starts_with("A future of moment 2 breaks a rule: phase 1 without a quorum, 2 steps on."));
        // Two proposals under correct Paxos: either value, never both.
        let two = CheckAnswer {
            decisions: vec![(0, "a".into()), (0, "b".into())],
            complete: true,
            broken: None,
            ..answer.clone()
        };
        assert!(two
            .verdict()
            .ends_with("Depending on the order of the messages, “a” or “b” can still be chosen, never both."));
        // The fork opens at its end with the violation, and starts with the run up to the moment checked.
        let fork = Link::decode(&broken.fork).unwrap();
        let sim = fork.tape.replay(fork.at, false).unwrap();
        assert_eq!(sim.violations()[0].rule, paxos_sim::Rule::ElectedWithoutQuorum);
        assert_eq!(fork.tape.between(0, 2), Link::decode(&link).unwrap().tape.between(0, 2));
        // Stopped by its caller: neither complete nor broken nor over budget.
        let cfg = config();
        let tape = Tape::from_commands(1, cfg, [commands[0].clone(), commands[1].clone()]);
        let link = Link { at: tape.len(), tape }.encode();
        let stopped = check(&link, &mut |p| p.unique_states < 500).unwrap();
        assert!(!stopped.complete && !stopped.budget && stopped.broken.is_none());
        assert!(check("1.AAAA", &mut |_| true).is_err());
    }

    #[test]
    fn payload_is_the_message_in_flight_as_traces_write_it() {
        // Node 0 proposes: its prepares (m0, m1, m2) are in flight at the link's moment.
        let commands = [Command::Propose { node: NodeId(0), value: Value::text("a") }];
        let tape = Tape::from_commands(1, config(), commands);
        let link = Link { at: tape.len(), tape }.encode();
        let json = payload(&link, 1).unwrap();
        assert!(json.contains("\"type\": \"prepare\"") && json.contains("\"round\": 1"), "{json}");
        assert_eq!(payload(&link, 99).unwrap_err(), "Message m99 is not in flight at this moment.");
        assert!(payload("nonsense", 1).is_err());
    }

    #[test]
    fn check_of_a_decided_run_completes_with_its_one_value() {
        let commands = [Command::Propose { node: NodeId(0), value: Value::text("a") }, Command::Step { count: 40 }];
        let tape = Tape::from_commands(1, config(), commands);
        let link = Link { at: tape.len(), tape }.encode();
        let answer = check(&link, &mut |_| true).unwrap();
        assert!(answer.complete && answer.broken.is_none() && !answer.budget, "{answer:?}");
        assert_eq!(answer.decisions, vec![(0, "a".to_string())]);
        assert!(answer.verdict().starts_with("Every future of moment 41 is safe: "), "{}", answer.verdict());
        assert!(answer.verdict().ends_with("no violation. In every future that chooses a value, it is “a”."));
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    fn raft(bug: Option<raft_core::Bug>) -> SimConfig<Raft> {
        let mut cfg = SimConfig::raft(3);
        if let Some(bug) = bug {
            cfg.cluster.bugs = cfg.cluster.bugs.with(bug);
        }
        cfg
    }

    #[test]
    fn a_raft_trace_opens_as_a_raft_link_whose_export_is_the_same_trace() {
        let commands = [
            Command::Propose { node: NodeId(1), value: Value::text("a") },
            Command::Step { count: 300 },
            Command::Crash { node: NodeId(0) },
            Command::Step { count: 100 },
        ];
        let trace = Trace::record(7, &raft(None), commands).unwrap();
        assert!(trace.events.len() > 100);
        let text = link_to_trace(&trace_to_link(&trace.to_json()).unwrap()).unwrap();
        assert_eq!(trace::protocol_of(&text).unwrap(), "raft");
        let back = Trace::<Raft>::read(&text).unwrap();
        assert_eq!((&back.config, &back.events), (&trace.config, &trace.events));
        back.replay().unwrap();
    }

    #[test]
    fn check_of_a_raft_link_finds_the_bugs_future_and_its_fork_breaks_the_rule() {
        // A fresh cluster with no-log-check, at moment 0: two elections find the vote for a shorter log.
        let tape = Tape::from_commands(1, raft(Some(raft_core::Bug::NoLogCheck)), []);
        let link = Link { at: 0, tape }.encode();
        let answer = check(&link, &mut |_| true).unwrap();
        let broken = answer.broken.clone().expect("no-log-check breaks a rule");
        assert_eq!(broken.rule, "up-to-date vote");
        assert_eq!((answer.states, broken.actions), (234, 5));
        let fork = Link::<Raft>::read(&broken.fork).unwrap();
        let sim = fork.tape.replay(fork.at, false).unwrap();
        assert_eq!(sim.violations()[0].rule.name(), "up_to_date_vote");
        // Correct Raft with node 2 cut off: nodes 0 and 1 elect a leader and commit its no-op in every future that
        // does, and none breaks a rule.
        let commands = [Command::Partition { groups: vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2)]] }];
        let tape = Tape::from_commands(1, raft(None), commands);
        let answer = check(&Link { at: 1, tape }.encode(), &mut |_| true).unwrap();
        assert!(answer.complete && answer.broken.is_none(), "{answer:?}");
        assert_eq!(answer.states, 533);
        assert_eq!(answer.decisions, vec![(0, "no-op".to_string()), (1, "no-op".to_string())]);
        assert!(answer.verdict().starts_with("Every future of moment 1 is safe: 533 states"), "{}", answer.verdict());
    }

    /// A 5-node Multi-Paxos run whose client asks for a transaction every 20 time units, partitioned with no
    /// majority from time 1000 to 2000, as the page's link of it at moment `at`.
    fn series_all(link: &str) -> Result<Series, String> {
        series(link, true)
    }

    fn client_run(at: Option<u64>) -> String {
        let config = SimConfig::new(paxos_core::Mode::Multi, 5);
        let mut sim = Simulator::new(1, config.clone(), false).unwrap();
        let mut tape = Tape::new(1, config);
        let mut req = 0;
        while sim.time() < 2500 {
            let c = if sim.time() >= 20 * (u64::from(req) + 1) {
                req += 1;
                Command::Propose { node: sim.leader().unwrap_or(NodeId(0)), value: Value::Txn { client: 1, req } }
            } else if sim.time() >= 1000
                && tape.between(0, tape.len()).iter().all(|c| !matches!(c, Command::Partition { .. }))
            {
                Command::Partition { groups: vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2), NodeId(3)]] }
            } else if sim.time() >= 2000 && tape.between(0, tape.len()).iter().all(|c| !matches!(c, Command::Heal)) {
                Command::Heal
            } else {
                Command::Step { count: 1 }
            };
            if sim.apply(c.clone()).is_ok() {
                tape.push(c);
            }
        }
        Link { at: at.unwrap_or(tape.len()), tape }.encode()
    }

    #[test]
    fn the_series_names_the_stall_and_a_longer_link_goes_on_from_the_last() {
        let end = Link::<Paxos>::read(&client_run(None)).unwrap().at;
        // Early in the partition: the stall, named.
        let (mut lo, mut hi) = (0, end);
        while lo < hi {
            let m = (lo + hi) / 2;
            if series_all(&client_run(Some(m))).unwrap().time >= 1300 {
                hi = m;
            } else {
                lo = m + 1;
            }
        }
        let mid = lo;
        let s = series_all(&client_run(Some(mid))).unwrap();
        assert!(s.stalled, "{s:?}");
        assert_eq!(s.meter, "no value chosen for 300 time units: no quorum reachable");
        // After the heal: measured again; the same whether replayed from the last call or from the start.
        let later = series_all(&client_run(None)).unwrap();
        assert!(series(&client_run(None), false)
            .unwrap()
            .csv
            .starts_with("window_start,commits,requests,latency_p50,latency_p99\n0,"));
        LAST.with(|l| *l.borrow_mut() = None);
        let fresh = series_all(&client_run(None)).unwrap();
        assert_eq!(later, fresh);
        assert!(
            !later.stalled && later.meter.contains("chosen in the last 100 time units; latency median "),
            "{later:?}"
        );
        assert!(later.csv.contains("\nband,partition,1000,2000\n"), "{}", later.csv);
        // A click at time 1500 goes to the last moment before 1510 (a resolution of 10 time units).
        let m = moment_at(1500).unwrap();
        let at = Link::<Paxos>::read(&client_run(Some(m))).unwrap().at;
        let t = series_all(&client_run(Some(at))).unwrap().time;
        assert!((1500..1510).contains(&t), "{t}");
        // A link that is not this run's continuation starts over: an earlier moment.
        assert_eq!(series_all(&client_run(Some(mid))).unwrap(), s);
    }
}
