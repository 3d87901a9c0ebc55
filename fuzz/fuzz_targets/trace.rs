//! JSON traces: `Trace::parse` (the CLI's `paxos replay`) and `paxos_worker::trace_to_link` (the page's Import
//! trace: parse, replay, verify, encode as a link) on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paxos_sim::tape::moments;
use paxos_sim::trace::TraceRun;
use paxos_sim::{Command, Link, Trace};

/// The most moments replayed per input: a trace may run up to `MAX_RUN_EVENTS` (5 million) events by design,
/// seconds under AddressSanitizer, so longer runs are parsed but not replayed here (docs/fuzzing.md). An input is
/// replayed up to three times (`Trace::replay`, then twice in `trace_to_link`) and the sanitizer build simulates
/// some 20,000 events a second, so the bound is the script target's 2,000 rather than the link target's 20,000.
const MAX_REPLAY: u64 = 2_000;

fn short(commands: &[Command]) -> bool {
    commands.iter().map(moments).try_fold(0u64, |n, m| n.checked_add(m)).is_some_and(|n| n <= MAX_REPLAY)
}

fuzz_target!(|text: &str| {
    if let Ok(trace) = Trace::parse(text) {
        if short(&trace.commands) {
            let _ = trace.replay();
        }
        let _ = trace.to_json();
    }
    if let Ok(run) = TraceRun::parse(text) {
        if short(&run.commands) {
            if let Ok(link) = paxos_worker::trace_to_link(text) {
                let decoded =
                    Link::decode(&link).unwrap_or_else(|e| panic!("the worker's link {link} is refused: {e}"));
                assert_eq!(decoded.at, decoded.tape.len(), "an imported trace opens at its end");
            }
        }
    }
});
