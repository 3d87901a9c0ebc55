//! Every bound on what comes from outside: a shared link, a trace file, a script, the page's address and the
//! CLI's flags. A run is only as safe to open as its largest number, so each number that a stranger can write has a
//! limit here, generous for every real use and small enough that opening it cannot freeze a tab or exhaust memory.
//! A value over a limit is refused with a message naming the field and the limit (see `docs/limits.md`).

pub use paxos_core::{quote, QUOTE_CHARS};

/// The smallest cluster a run may have: fewer than three acceptors cannot survive a crash, and the page draws no
/// smaller cluster. One rule for the page's form and address, links, traces, scripts and the CLI.
pub const MIN_NODES: usize = 3;
/// The largest cluster a run may have: what the page can draw legibly (the core supports up to
/// [`paxos_core::MAX_NODES`]).
pub const MAX_NODES: usize = 9;

/// The most events (moments) one run may run: the sum of its `step` counts plus one per other command. A link, a
/// trace, a script and `--steps` are held to it. The page's longest runs stay well inside (the time-travel benchmark
/// plays 120,000 moments; a steady client's 50,000 requests are about two million), and the page stops recording at
/// it, so every run it shows can be shared and reopened. Replaying it takes a few seconds in the browser at most.
pub const MAX_RUN_EVENTS: u64 = 5_000_000;

/// The longest free-form value a client may propose, in characters: a value is a label in the page's log and
/// diagram, and [`crate::sim::check_value`] refuses a longer one wherever it comes from.
pub const MAX_VALUE_LEN: usize = 256;
/// The longest proposed value in bytes of UTF-8 ([`MAX_VALUE_LEN`] characters of up to four bytes each): a link
/// claiming a longer one is damaged.
pub const MAX_VALUE_BYTES: usize = 4 * MAX_VALUE_LEN;

/// The longest latency (and the largest delay of one message), in time units: the page's form allows the same, far
/// beyond its 20–60 default.
pub const MAX_LATENCY: u64 = 10_000;

/// The longest tick period, in time units. With [`MAX_RUN_EVENTS`] and [`MAX_LATENCY`] it keeps simulated time far
/// below `u64::MAX`, so time never wraps.
pub const MAX_TICK_EVERY: u64 = 10_000;

/// The longest protocol timer (heartbeat, election, phase timeout, backoff), in ticks.
pub const MAX_TIMER: u32 = 10_000;

/// The largest file the CLI reads and the page imports (a trace or a script): 64 MiB, some 400,000 events of pretty
/// JSON, ample for any run worth reading; a larger file is refused before it fills memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most schedules one `paxos fuzz` runs: about three hours at 100,000 schedules a second.
pub const MAX_FUZZ_SEEDS: u64 = 1_000_000_000;

/// The most deliveries `paxos bench` measures: minutes at the simulator's speed.
pub const MAX_BENCH_DELIVERIES: u64 = 1_000_000_000;

/// Whether a run of `len` moments may grow by `more`: the sum stays within [`MAX_RUN_EVENTS`] (and never overflows).
pub fn fits(len: u64, more: u64) -> bool {
    len.checked_add(more).is_some_and(|n| n <= MAX_RUN_EVENTS)
}

/// The message for a run longer than [`MAX_RUN_EVENTS`]; `what` names where the count came from.
pub fn too_long(what: &str) -> String {
    format!("{what} asks for more than {MAX_RUN_EVENTS} events in one run, the limit")
}

/// A parser's message (serde's) bounded for showing: every span it quotes between backticks (an unknown field or
/// variant, quoted whole by serde) goes through [`quote`], and a message still longer than a few lines keeps its
/// beginning and its end (where serde says the line and column).
pub fn bound_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len().min(400));
    for (i, part) in msg.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        out.push_str(&if i % 2 == 1 { quote(part) } else { part.to_owned() });
    }
    let n = out.chars().count();
    if n <= 4 * QUOTE_CHARS {
        return out;
    }
    let head: String = out.chars().take(3 * QUOTE_CHARS).collect();
    let tail: String = out.chars().skip(n - QUOTE_CHARS).collect();
    format!("{head} … {tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parser_message_quotes_a_bounded_prefix() {
        let field = "x".repeat(100_000);
        let m = bound_message(&format!("unknown field `{field}`, expected `seed` at line 1 column 100010"));
        assert!(m.starts_with(&format!("unknown field `{}… (100000 characters)`", "x".repeat(QUOTE_CHARS))), "{m}");
        assert!(m.ends_with("at line 1 column 100010"), "{m}");
        let m = bound_message(&format!("invalid type: string \"{field}\", expected u32 at line 1 column 9"));
        assert!(m.chars().count() < 5 * QUOTE_CHARS && m.ends_with("line 1 column 9"), "{m}");
        assert_eq!(bound_message("missing field `op`"), "missing field `op`");
    }

    #[test]
    fn a_run_fits_only_within_the_limit_and_never_overflows() {
        assert!(fits(0, MAX_RUN_EVENTS) && fits(MAX_RUN_EVENTS, 0));
        assert!(!fits(1, MAX_RUN_EVENTS) && !fits(5, u64::MAX));
    }
}
