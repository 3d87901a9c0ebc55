//! Traces: a run written down as JSON (`docs/trace-format.md`), and replay that checks it reproduces.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::checker::Violation;
use crate::command::Command;
use crate::limits::MAX_RUN_EVENTS;
use crate::protocol::{Paxos, Protocol};
use crate::sim::{Event, SimConfig, SimError, Simulator};

/// The value of a trace's `format` field.
pub const TRACE_FORMAT: &str = "paxos-playground-trace";
/// The trace schema version this program writes and the newest it reads. Version 2 added `passed_over` to the
/// `adopted` node event, version 3 the `acceptor` of a `rejected` reason for abandoning a ballot; older traces still
/// replay (their events are compared without what came later).
/// Version 4 added `protocol` ("paxos", "raft"); a trace without it is a Paxos run.
pub const TRACE_VERSION: u32 = 4;

/// The oldest trace version this program reads.
pub const TRACE_VERSION_OLDEST: u32 = 1;

/// A replayed event as a trace of `version` records it: what a later version added left out.
fn as_of_version<P: Protocol>(event: &Event<P>, version: u32) -> Event<P> {
    let mut e = event.clone();
    if let crate::EventKind::Node { event, .. } = &mut e.kind {
        P::as_of_trace_version(event, version);
    }
    e
}

/// A recorded run: `(seed, config, commands)` replays it; `events` and `violations` are what it produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub struct Trace<P: Protocol = Paxos> {
    /// Always [`TRACE_FORMAT`].
    pub format: String,
    /// The schema version, [`TRACE_VERSION`].
    pub version: u32,
    /// The protocol the run is of (`Protocol::NAME`); absent before version 4, where every run was Paxos's.
    #[serde(default = "paxos")]
    pub protocol: String,
    /// The simulator's seed.
    pub seed: u64,
    /// The configuration at the start of the run.
    pub config: SimConfig<P>,
    /// The commands applied, in order.
    pub commands: Vec<Command>,
    /// Everything that happened, in order.
    pub events: Vec<Event<P>>,
    /// The safety violations found.
    pub violations: Vec<Violation<P>>,
}

/// A trace read for re-running only: the run's `(seed, config, commands)` typed, and what it produced kept as JSON
/// to compare with. Reading it needs no code to parse every event and message type, which keeps the browser's
/// download small; [`TraceRun::replay`] checks reproduction as strictly as [`Trace::replay`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
pub struct TraceRun<P: Protocol = Paxos> {
    /// Always [`TRACE_FORMAT`].
    pub format: String,
    /// The schema version, [`TRACE_VERSION`].
    pub version: u32,
    /// The protocol the run is of (`Protocol::NAME`); absent before version 4, where every run was Paxos's.
    #[serde(default = "paxos")]
    pub protocol: String,
    /// The simulator's seed.
    pub seed: u64,
    /// The configuration at the start of the run.
    pub config: SimConfig<P>,
    /// The commands applied, in order.
    pub commands: Vec<Command>,
    /// Everything that happened, as JSON.
    pub events: Vec<serde_json::Value>,
    /// The safety violations found, as JSON.
    pub violations: Vec<serde_json::Value>,
}

impl TraceRun<Paxos> {
    /// Reads a Paxos trace's run (see [`TraceRun::read`]).
    pub fn parse(text: &str) -> Result<TraceRun, TraceError> {
        TraceRun::read(text)
    }
}

impl<P: Protocol> TraceRun<P> {
    /// Reads a trace, checking the format and version first.
    pub fn read(text: &str) -> Result<TraceRun<P>, TraceError> {
        check_header_of::<P>(text)?;
        let run: TraceRun<P> = serde_json::from_str(text).map_err(malformed)?;
        check_length(&run.commands)?;
        Ok(run)
    }

    /// Re-executes the run and checks that it produces the recorded events and violations exactly.
    pub fn replay(&self) -> Result<Simulator<P>, TraceError> {
        let mut sim = Simulator::new(self.seed, self.config.clone(), true)?;
        for c in &self.commands {
            sim.apply(c.clone())?;
        }
        let as_json = |e: &Event<P>| match self.version < TRACE_VERSION {
            true => serde_json::to_value(as_of_version(e, self.version)),
            false => serde_json::to_value(e),
        };
        let as_json = |e: &Event<P>| as_json(e).unwrap_or_default();
        let replayed = sim.events();
        let n = self.events.len().max(replayed.len());
        let same = |i: usize| match (self.events.get(i), replayed.get(i)) {
            (Some(recorded), Some(replayed)) => same_json(recorded, &as_json(replayed)),
            (a, b) => a.is_none() && b.is_none(),
        };
        if let Some(index) = (0..n).find(|&i| !same(i)) {
            let show = |v: Option<serde_json::Value>| v.map_or("nothing".into(), |v| v.to_string());
            return Err(TraceError::Mismatch {
                index,
                recorded: show(self.events.get(index).cloned()),
                replayed: show(replayed.get(index).map(as_json)),
            });
        }
        let violations: Vec<_> = sim.violations().iter().map(|v| serde_json::to_value(v).unwrap_or_default()).collect();
        let n = self.violations.len();
        if n != violations.len() || (0..n).any(|i| !same_json(&self.violations[i], &violations[i])) {
            return Err(TraceError::Mismatch {
                index: replayed.len(),
                recorded: format!("{} violations", self.violations.len()),
                replayed: format!("{} violations", violations.len()),
            });
        }
        Ok(sim)
    }
}

/// Whether two JSON values are the same, numbers compared by value: a trace rewritten by another program (such as
/// JavaScript's `JSON.stringify`, which writes `29.0` as `29`) still reproduces. Every number the simulator writes
/// is an integer below 2^53 or a rate, so comparing as `f64` is exact.
pub fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A serde error as a [`TraceError::Malformed`], its quotes of the input bounded.
fn malformed(e: serde_json::Error) -> TraceError {
    TraceError::Malformed(crate::limits::bound_message(&e.to_string()))
}

/// Refuses a trace whose commands would run more than [`MAX_RUN_EVENTS`] events, before anything runs: a short
/// file must not keep `paxos replay` or the page busy for hours.
fn check_length(commands: &[Command]) -> Result<(), TraceError> {
    let mut len = 0u64;
    for (index, c) in commands.iter().enumerate() {
        let n = crate::tape::moments(c);
        if !crate::limits::fits(len, n) {
            return Err(TraceError::TooLong { index });
        }
        len += n;
    }
    Ok(())
}

fn paxos() -> String {
    Paxos::NAME.into()
}

/// The protocol a trace is a run of ("paxos" for a trace from before version 4), read from its header alone: the way
/// in that picks which [`Trace::read`] to call.
pub fn protocol_of(text: &str) -> Result<String, TraceError> {
    check_header(text)
}

/// Checks the header of a trace read as protocol `P`: its format, its version and that it is a run of `P`, before
/// the rest is read, so a trace of the other protocol says so rather than failing on its first unknown field.
fn check_header_of<P: Protocol>(text: &str) -> Result<(), TraceError> {
    match check_header(text)? {
        p if p == P::NAME => Ok(()),
        p => Err(TraceError::Malformed(format!(
            "field `protocol` is \"{}\", not \"{}\"",
            crate::limits::quote(&p),
            P::NAME
        ))),
    }
}

/// Checks a trace's format and version; its protocol.
fn check_header(text: &str) -> Result<String, TraceError> {
    let raw: serde_json::Value = serde_json::from_str(text).map_err(malformed)?;
    let obj = raw.as_object().ok_or_else(|| TraceError::Malformed("the trace must be a JSON object".into()))?;
    match obj.get("format") {
        Some(serde_json::Value::String(s)) if s == TRACE_FORMAT => {}
        Some(serde_json::Value::String(s)) => return Err(TraceError::Format(crate::limits::quote(s))),
        _ => return Err(TraceError::Malformed("missing string field `format`".into())),
    }
    match obj.get("version").and_then(|v| v.as_u64()) {
        Some(v) if (TRACE_VERSION_OLDEST as u64..=TRACE_VERSION as u64).contains(&v) => {}
        Some(v) => return Err(TraceError::Version(v)),
        None => return Err(TraceError::Malformed("missing integer field `version`".into())),
    }
    match obj.get("protocol") {
        None => Ok(paxos()),
        Some(serde_json::Value::String(p)) if [Paxos::NAME, crate::protocol::Raft::NAME].contains(&p.as_str()) => {
            Ok(p.clone())
        }
        Some(p) => Err(TraceError::Malformed(format!("field `protocol` is {p}, expected \"paxos\" or \"raft\""))),
    }
}

/// Why a trace could not be read or did not reproduce.
#[derive(Debug, Error)]
pub enum TraceError {
    /// Not JSON, or JSON of the wrong shape; serde's message names the field, line and column.
    #[error("malformed trace: {0}")]
    Malformed(String),
    /// A `format` other than [`TRACE_FORMAT`].
    #[error("malformed trace: field `format` is {0:?}, expected \"{TRACE_FORMAT}\"")]
    Format(String),
    /// A version this program does not know.
    #[error(
        "unsupported trace: field `version` is {0}; this program reads versions {TRACE_VERSION_OLDEST} to {TRACE_VERSION}"
    )]
    Version(u64),
    /// The configuration or a command was refused.
    #[error("invalid trace: {0}")]
    Invalid(#[from] SimError),
    /// The commands would run more than [`MAX_RUN_EVENTS`] events.
    #[error("invalid trace: field `commands`: the run would have more than {MAX_RUN_EVENTS} events (the limit) by command {index}")]
    TooLong {
        /// The command (counted from 0) that passes the limit.
        index: usize,
    },
    /// The run did not reproduce the recorded events.
    #[error("the replay diverged at event {index}: recorded {recorded}, replayed {replayed}")]
    Mismatch {
        /// The first differing event.
        index: usize,
        /// The recorded event, as JSON (or "nothing").
        recorded: String,
        /// The replayed event, as JSON (or "nothing").
        replayed: String,
    },
}

impl Trace<Paxos> {
    /// Reads a Paxos trace (see [`Trace::read`]).
    pub fn parse(text: &str) -> Result<Trace, TraceError> {
        Trace::read(text)
    }
}

impl<P: Protocol> Trace<P> {
    /// Writes down a simulator's run so far. The simulator must have been recording.
    pub fn from_sim(sim: &Simulator<P>, initial: &SimConfig<P>) -> Trace<P> {
        Trace {
            format: TRACE_FORMAT.into(),
            version: TRACE_VERSION,
            protocol: P::NAME.into(),
            seed: sim.seed(),
            config: initial.clone(),
            commands: sim.commands().to_vec(),
            events: sim.events().to_vec(),
            violations: sim.violations().to_vec(),
        }
    }

    /// Runs `(seed, config, commands)` with recording on. Commands the simulator refuses are skipped, exactly as
    /// a person's refused click changes nothing; the trace lists only the applied ones.
    pub fn record(
        seed: u64,
        config: &SimConfig<P>,
        commands: impl IntoIterator<Item = Command>,
    ) -> Result<Trace<P>, SimError> {
        let mut sim = Simulator::new(seed, config.clone(), true)?;
        for c in commands {
            if sim.stopped() {
                break;
            }
            let _ = sim.apply(c);
        }
        Ok(Trace::from_sim(&sim, config))
    }

    /// Reads a trace, checking the format and version before the rest so an old or foreign file says so.
    pub fn read(text: &str) -> Result<Trace<P>, TraceError> {
        check_header_of::<P>(text)?;
        // Parse the text again (not the Value) so serde's errors carry line and column.
        let trace: Trace<P> = serde_json::from_str(text).map_err(malformed)?;
        check_length(&trace.commands)?;
        Ok(trace)
    }

    /// The trace as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a trace always serializes")
    }

    /// Re-executes the run and checks that it produces the recorded events and violations exactly.
    pub fn replay(&self) -> Result<Simulator<P>, TraceError> {
        let mut sim = Simulator::new(self.seed, self.config.clone(), true)?;
        for c in &self.commands {
            sim.apply(c.clone())?;
        }
        let (recorded, replayed) = (&self.events, sim.events());
        let replayed_as = |i: usize| replayed.get(i).map(|e| as_of_version(e, self.version));
        let same = |i: usize| match (recorded.get(i), replayed.get(i)) {
            (Some(r), Some(p)) if self.version < TRACE_VERSION => *r == as_of_version(p, self.version),
            (r, p) => r == p,
        };
        if let Some(index) = (0..recorded.len().max(replayed.len())).find(|&i| !same(i)) {
            let show =
                |e: Option<&Event<P>>| e.map_or("nothing".into(), |e| serde_json::to_string(e).unwrap_or_default());
            return Err(TraceError::Mismatch {
                index,
                recorded: show(recorded.get(index)),
                replayed: show(replayed_as(index).as_ref()),
            });
        }
        if self.violations != sim.violations() {
            return Err(TraceError::Mismatch {
                index: recorded.len(),
                recorded: format!("{} violations", self.violations.len()),
                replayed: format!("{} violations", sim.violations().len()),
            });
        }
        Ok(sim)
    }
}
