//! The playground's trace worker. Reading and writing the CLI's JSON traces needs a JSON parser and a serializer
//! for every event and message type, about 44 KB of the page's compressed download; a person imports or exports a
//! trace rarely. So that code lives here, in a second WebAssembly module that runs in a Web Worker the page starts
//! on first use (`web/src/worker.rs`), and the page and the worker speak in the page's own currency, the compact
//! `#run=` link: the worker turns a trace into a link the page opens, and a link into a trace the page downloads.
//! A long replay runs in the worker, so it never freezes the page.
//!
//! The two conversions are plain Rust, tested natively; `main.rs` only wires them to the worker's messages.
#![deny(missing_docs)]

use paxos_sim::limits::{quote, MAX_FILE_BYTES};
use paxos_sim::link::Link;
use paxos_sim::script::command_line;
use paxos_sim::trace::TraceRun;
use paxos_sim::{Command, Simulator, Tape, Trace};

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
    let run = TraceRun::parse(text).map_err(|e| sentence(&e.to_string()))?;
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
    let link = Link::decode(link).map_err(|e| sentence(&e.to_string()))?;
    let commands = link.tape.between(0, link.at);
    let trace = Trace::record(link.tape.seed, &link.tape.config, commands).map_err(|e| sentence(&e.to_string()))?;
    Ok(trace.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{NodeId, Value};
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
        assert!(link_to_trace("2.AAAA").unwrap_err().starts_with("The link has version 2"));
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
}
