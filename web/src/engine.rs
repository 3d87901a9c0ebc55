//! The simulator and the UI's memory of it, advanced by simulated time. Plain Rust, tested natively.

use paxos_sim::goal::Watch;
use paxos_sim::limits::MAX_RUN_EVENTS;
use paxos_sim::{Command, EventKind, Paxos, ReplayError, SimConfig, SimError, Simulator, Snapshot, Tape};
use thiserror::Error;

use crate::history::{At, History};
use crate::input::Settings;
use crate::protocol::Look;

/// Why the engine refused to start a run or to apply a command, in the page's words (capitalised sentences). A refused
/// command changes nothing.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum EngineError {
    /// The Reset form's settings make no configuration (the form's own message).
    #[error("{0}")]
    Settings(String),
    /// The simulator refused the configuration or the command.
    #[error("{}", capitalise(&.0.to_string()))]
    Sim(#[from] SimError),
    /// A tape (a shared link's, a trace's) does not replay.
    #[error("{}", capitalise(&.0.to_string()))]
    Replay(#[from] ReplayError),
    /// The run has reached [`MAX_RUN_EVENTS`] moments, the longest a link can hold.
    #[error("This run has reached {} moments, the longest a link can hold: rewind or reset to go on.", MAX_RUN_EVENTS)]
    TooLong,
    /// Command `index` (from 1) of a recorded run, `line` in the script's words, was refused.
    #[error("Command {index} (`{line}`) was refused: {reason}")]
    Refused {
        /// Its place in the run, from 1.
        index: usize,
        /// The command as a script writes it, quoted for display.
        line: String,
        /// Why it was refused.
        reason: Box<EngineError>,
    },
}

/// A checkpoint is taken every this many moments at first; the interval doubles whenever there are more than
/// [`MAX_CHECKPOINTS`], so a long run keeps a bounded number of them and a seek replays at most one interval.
pub const CHECKPOINT_EVERY: u64 = 1024;
/// See [`CHECKPOINT_EVERY`].
pub const MAX_CHECKPOINTS: usize = 32;
/// The checkpoints together hold at most about this many node-slots ([`World::weight`]). A Multi-Paxos world grows
/// with its log (about 220 bytes per node and slot, measured natively with 9 nodes), so a count alone let a long run
/// at top speed with the steady client take a gigabyte in three minutes; this keeps them near 64 MB. Beyond it, the
/// interval doubles as it does beyond [`MAX_CHECKPOINTS`]: seeks replay more, memory stays bounded.
pub const CHECKPOINT_BUDGET: u64 = 300_000;

/// The simulator and what the page remembers of it at one moment: what a checkpoint saves.
#[derive(Clone, Debug)]
pub struct World<P: Look = Paxos> {
    /// The simulator, recording events (drained into `history` after every change).
    pub sim: Simulator<P>,
    /// Log, ballots, transaction IDs and the space-time record, read from the events.
    pub history: History<P>,
    /// The goal of the exercise shown, checked as the events come (the same `Watch` as `paxos exercise`).
    pub goal: Option<Watch<P>>,
}

impl<P: Look> World<P> {
    /// Its size in node-slots: what grows in a long run is every node's log (and what the page keeps per slot).
    pub fn weight(&self) -> u64 {
        let nodes = self.sim.nodes().len() as u64;
        nodes * (self.sim.chosen().len() as u64 + 1)
    }
}

/// A running simulation as the page drives it, with its whole [`Tape`] so it can be rewound, replayed and forked.
///
/// `at` is the moment shown. After a rewind the tape still holds the old future: playing or stepping replays it
/// moment by moment, and any other action forks the run there (the old future is discarded, a fork mark kept).
#[derive(Clone, Debug)]
pub struct Engine<P: Look = Paxos> {
    /// The world at moment `at`.
    pub now: World<P>,
    /// The run so far, and its future after a rewind.
    pub tape: Tape<P>,
    /// The moment shown, `0..=tape.len()`.
    pub at: u64,
    /// Moments where the run was forked, ascending.
    pub forks: Vec<u64>,
    /// The moments that matter that this run has reached so far, ahead of the moment shown too (a scenario is
    /// recorded whole, then rewound): the timeline marks them. Ascending; at most [`MAX_MARKS`].
    pub marks: Vec<(u64, Mark)>,
    checkpoints: Vec<(u64, World<P>)>,
    every: u64,
    /// [`CHECKPOINT_BUDGET`] (smaller in tests).
    budget: u64,
}

/// A moment that matters, marked on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// A value was chosen.
    Chosen,
    /// A safety rule broke.
    Violation,
    /// A node crashed.
    Crash,
    /// A node restarted.
    Restart,
}

impl Mark {
    /// The mark's word, as the timeline and its tooltip say it.
    pub fn name(self) -> &'static str {
        match self {
            Mark::Chosen => "chosen",
            Mark::Violation => "violation",
            Mark::Crash => "crash",
            Mark::Restart => "restart",
        }
    }
}

/// The timeline marks at most this many moments (a Multi-Paxos run chooses a value in every slot).
pub const MAX_MARKS: usize = 60;

/// What [`Engine::advance`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advanced {
    /// Events run.
    pub steps: u64,
    /// Whether every event due by the target time ran (false when the step cap stopped it first, or the run
    /// stopped at a violation).
    pub caught_up: bool,
}

impl<P: Look> Engine<P> {
    /// A new run from the Reset form's settings.
    pub fn new(settings: &Settings<P>) -> Result<Engine<P>, EngineError> {
        Engine::start(settings.seed, settings.sim_config().map_err(EngineError::Settings)?)
    }

    /// A new run of `config` from `seed`.
    pub fn start(seed: u64, config: SimConfig<P>) -> Result<Engine<P>, EngineError> {
        let sim = Simulator::new(seed, config.clone(), true)?;
        let now = World { sim, history: History::default(), goal: None };
        Ok(Engine {
            checkpoints: vec![(0, now.clone())],
            now,
            tape: Tape::new(seed, config),
            at: 0,
            forks: Vec::new(),
            marks: Vec::new(),
            every: CHECKPOINT_EVERY,
            budget: CHECKPOINT_BUDGET,
        })
    }

    /// A run replayed from a tape (a shared link, an imported trace, a scenario), shown at moment `at`. A command
    /// the simulator refuses is an error naming it.
    pub fn from_tape(tape: Tape<P>, at: u64) -> Result<Engine<P>, EngineError> {
        let mut e = Engine::start(tape.seed, tape.config.clone())?;
        e.tape = tape;
        // Check the whole tape once, so a bad one is refused before anything is shown.
        e.tape.replay(e.tape.len(), false)?;
        e.seek(at);
        Ok(e)
    }

    /// A run of `commands` from `seed` and `config`, shown at its end: a trace's or a scenario's commands, applied
    /// one by one so the tape counts the events that really ran. A refused command is an error naming it.
    pub fn record(
        seed: u64,
        config: SimConfig<P>,
        commands: impl IntoIterator<Item = Command>,
    ) -> Result<Engine<P>, EngineError> {
        let mut e = Engine::start(seed, config)?;
        for (i, c) in commands.into_iter().enumerate() {
            let line = paxos_sim::script::command_line(&c);
            let line = paxos_sim::limits::quote(&line);
            e.apply(c).map_err(|err| EngineError::Refused { index: i + 1, line, reason: Box::new(err) })?;
        }
        Ok(e)
    }

    /// Watches `goal` from moment 0 (an exercise opened on this run): every checkpoint is read again with it.
    pub fn watch(&mut self, goal: Option<Watch<P>>) {
        let at = self.at;
        self.checkpoints.truncate(1);
        self.checkpoints[0].1.goal = goal;
        self.now = self.checkpoints[0].1.clone();
        self.at = 0;
        self.seek(at);
    }

    /// The simulator at the moment shown.
    pub fn sim(&self) -> &Simulator<P> {
        &self.now.sim
    }

    /// What the page remembers at the moment shown.
    pub fn history(&self) -> &History<P> {
        &self.now.history
    }

    /// Whether the moment shown is before the end of the tape (a rewound run).
    pub fn rewound(&self) -> bool {
        self.at < self.tape.len()
    }

    /// Moves the simulator's new events into the history; the simulator keeps none, so a page left playing does not
    /// grow without bound.
    /// Reads the events of steps: each one's moment is its step plus the commands without a step before it (the
    /// moments so far minus the steps so far, which no step changes).
    fn absorb(&mut self) {
        let commands = self.at - self.now.sim.steps();
        self.absorb_at(At::Steps { commands });
    }

    /// Reads the events of the command just applied, at moment `self.at`.
    fn absorb_command(&mut self) {
        self.absorb_at(At::Command(self.at));
    }

    fn absorb_at(&mut self, at: At) {
        let World { sim, history, goal } = &mut self.now;
        let new: Vec<_> = sim.drain_events().collect();
        history.absorb_at(&new, at);
        if let Some(w) = goal {
            w.observe(&new, sim);
        }
        for e in &new {
            let mark = match e.kind {
                EventKind::Chosen { .. } => Mark::Chosen,
                EventKind::Violation { .. } => Mark::Violation,
                EventKind::Crash { .. } => Mark::Crash,
                EventKind::Restart { .. } => Mark::Restart,
                _ => continue,
            };
            let m = (at.moment(e.step), mark);
            if let Err(i) = self.marks.binary_search(&m) {
                if self.marks.len() < MAX_MARKS {
                    self.marks.insert(i, m);
                }
            }
        }
    }

    fn checkpoint(&mut self) {
        let last = self.checkpoints.last().map_or(0, |c| c.0);
        if self.at < last + self.every {
            return;
        }
        self.checkpoints.push((self.at, self.now.clone()));
        let budget = self.budget;
        let over = |c: &[(u64, World<P>)]| {
            c.len() > MAX_CHECKPOINTS || c.iter().map(|(_, w)| w.weight()).sum::<u64>() > budget
        };
        while self.checkpoints.len() > 2 && over(&self.checkpoints) {
            // Keep moment 0 and every other one after it: the interval doubles.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every *= 2;
        }
    }

    /// Applies one command at the moment shown; a refused command changes nothing and says why. After a rewind
    /// it forks the run: the old future is discarded and the fork is marked.
    pub fn apply(&mut self, command: Command) -> Result<(), EngineError> {
        if !paxos_sim::limits::fits(self.at, paxos_sim::tape::moments(&command)) {
            return Err(EngineError::TooLong);
        }
        let before = self.now.sim.steps();
        let r = self.now.sim.apply(command.clone()).map_err(EngineError::Sim);
        if r.is_ok() {
            self.fork_here();
            // A step may stop early at a violation: the tape records the events that ran.
            let recorded = match command {
                Command::Step { .. } => Command::Step { count: self.now.sim.steps() - before },
                c => c,
            };
            self.at += paxos_sim::tape::moments(&recorded);
            let stepped = matches!(recorded, Command::Step { .. });
            self.tape.push(recorded);
            if !stepped {
                self.absorb_command();
            }
        }
        self.absorb();
        self.checkpoint();
        r
    }

    fn fork_here(&mut self) {
        if self.rewound() {
            self.tape.truncate(self.at);
            self.checkpoints.retain(|c| c.0 <= self.at);
            self.forks.retain(|&f| f < self.at);
            self.forks.push(self.at);
            // The old future is gone, and what it reached with it.
            self.marks.retain(|m| m.0 <= self.at);
        }
    }

    /// When the next event is due: the earliest in-flight message or the next clock tick.
    pub fn next_due(&mut self) -> u64 {
        self.now.sim.next_due()
    }

    /// Runs every event due at or before simulated time `until`, at most `max_steps` of them, and never past moment
    /// `stop_at`. After a rewind it replays the tape's commands as they come; at the tape's end it records.
    pub fn advance(&mut self, until: f64, max_steps: u64, stop_at: Option<u64>) -> Advanced {
        let mut steps = 0;
        let mut caught_up = true;
        // Never past the longest run a link can hold: what the page records can always be shared and reopened.
        let stop_at = stop_at.unwrap_or(u64::MAX).min(MAX_RUN_EVENTS);
        if self.rewound() {
            // Replay: the tape's next moments, events paced by time and commands as they come.
            let end = self.tape.len().min(stop_at).min(self.at + 2 * max_steps + 64);
            'replay: for c in self.tape.between(self.at, end) {
                match c {
                    Command::Step { count } => {
                        for _ in 0..count {
                            if self.now.sim.next_due() as f64 > until {
                                break 'replay;
                            }
                            if steps >= max_steps || self.now.sim.stopped() {
                                caught_up = false;
                                break 'replay;
                            }
                            self.now.sim.step();
                            steps += 1;
                            self.at += 1;
                        }
                    }
                    other => {
                        // The steps' events before the command's, each at its own moment.
                        self.absorb();
                        // Recorded by this run, so accepted again: the simulator is deterministic.
                        let _ = self.now.sim.apply(other);
                        self.at += 1;
                        self.absorb_command();
                    }
                }
            }
            if self.at >= stop_at || (self.rewound() && caught_up && self.now.sim.next_due() as f64 <= until) {
                caught_up = false;
            }
        }
        if !self.rewound() && self.at < stop_at {
            let mut recorded = 0;
            while self.now.sim.next_due() as f64 <= until {
                if steps >= max_steps || self.now.sim.stopped() || self.at >= stop_at {
                    caught_up = false;
                    break;
                }
                self.now.sim.step();
                steps += 1;
                recorded += 1;
                self.at += 1;
            }
            self.tape.push(Command::Step { count: recorded });
        }
        // Stopped at `stop_at` (even before this call ran anything, as when a tour stage has no moments of its own)
        // is not caught up with `until`: the view's clock must stay at the run's time, not run on to `until`, which
        // at top speed is infinite.
        if self.at >= stop_at {
            caught_up = false;
        }
        // Once per frame, not per step: only the newest lines of a fast frame are put into words.
        self.absorb();
        self.checkpoint();
        Advanced { steps, caught_up }
    }

    /// Runs exactly one event (a Step), whatever its time; after a rewind, replays the next moment instead.
    pub fn step(&mut self) -> Result<(), EngineError> {
        if self.rewound() {
            self.seek(self.at + 1);
            return Ok(());
        }
        self.apply(Command::Step { count: 1 })
    }

    /// Shows moment `to` (clamped to the tape): from the nearest checkpoint at or before it, or from the moment
    /// shown when that is nearer, replaying the tape and leaving checkpoints on the way.
    pub fn seek(&mut self, to: u64) {
        let to = to.min(self.tape.len());
        if to == self.at {
            return;
        }
        let base = self.checkpoints.iter().rev().find(|c| c.0 <= to).expect("moment 0 is a checkpoint");
        if !(base.0 <= self.at && self.at < to) {
            self.at = base.0;
            self.now = base.1.clone();
        }
        while self.at < to {
            // Up to the next checkpoint boundary at a time, so a long seek leaves checkpoints for the next one.
            let last = self.checkpoints.last().map_or(0, |c| c.0);
            let boundary = if self.at >= last { last + self.every } else { to };
            let next = to.min(boundary.max(self.at + 1));
            // One command at a time, so each event is read at its moment.
            for c in self.tape.between(self.at, next) {
                let moments = paxos_sim::tape::moments(&c);
                let stepped = matches!(c, Command::Step { .. });
                // Recorded by this run, so accepted again: the simulator is deterministic.
                let _ = self.now.sim.apply(c);
                self.at += moments;
                if stepped {
                    self.absorb();
                } else {
                    self.absorb_command();
                }
            }
            debug_assert_eq!(self.at, next);
            self.checkpoint();
        }
    }

    /// Shows the last moment at simulated time `time` or before (Compare's one timeline is time, each run's moments
    /// its own): a binary search of seeks, since time never goes back from one moment to the next.
    #[cfg(any(feature = "raft", test))]
    pub fn seek_time(&mut self, time: u64) {
        let after = |e: &mut Engine<P>, m: u64| {
            e.seek(m);
            e.now.sim.time() > time
        };
        let (mut lo, mut hi) = (0, self.tape.len());
        // The last moment not after `time`: every moment before it is not after it either.
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if after(self, mid) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        self.seek(lo);
    }

    /// The first moment up to the one shown at which the checker has found a violation, if it has by now.
    /// Violations only accumulate, so this is a binary search of seeks (each from a checkpoint); it leaves the
    /// engine at some moment of the search, so the caller seeks where it wants to be.
    pub fn first_violation(&mut self) -> Option<u64> {
        let broken = |e: &mut Engine<P>, m: u64| {
            e.seek(m);
            !e.now.sim.violations().is_empty()
        };
        let at = self.at;
        if !broken(self, at) {
            return None;
        }
        let (mut lo, mut hi) = (0, at);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if broken(self, mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(lo)
    }

    /// The picture the view draws.
    pub fn snapshot(&self) -> Snapshot<P> {
        Snapshot::of(&self.now.sim)
    }

    /// How many checkpoints are kept, and their interval (for the benchmark and the tests).
    pub fn checkpoint_stats(&self) -> (usize, u64) {
        (self.checkpoints.len(), self.every)
    }
}

/// Whether the run has reached [`MAX_RUN_EVENTS`] moments, the longest a link can hold: it cannot go on.
pub fn at_limit<P: Look>(e: &Engine<P>) -> bool {
    !e.rewound() && e.at >= MAX_RUN_EVENTS
}

/// Why a run at [`MAX_RUN_EVENTS`] moments stops.
pub fn too_long() -> String {
    EngineError::TooLong.to_string()
}

/// A message as a sentence: capital first letter, full stop. The messages are English and start with an ASCII letter
/// (ASCII upper-casing keeps Unicode's case tables, 10 KB, out of the bundle).
pub(crate) fn capitalise(s: &str) -> String {
    let mut sentence = String::with_capacity(s.len() + 1);
    let mut c = s.chars();
    if let Some(f) = c.next() {
        sentence.push(f.to_ascii_uppercase());
        sentence.push_str(c.as_str());
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use super::*;
    type Settings = crate::input::PaxosSettings;
    use paxos_core::{NodeId, Value};

    #[test]
    fn advance_runs_exactly_the_events_due_by_then() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        let due = e.next_due();
        // The proposer's prepare to itself arrives one unit later.
        assert_eq!(due, 1);
        let a = e.advance(0.5, 100, None);
        assert_eq!(a, Advanced { steps: 0, caught_up: true });
        let a = e.advance(100.0, 10_000, None);
        assert!(a.steps > 0 && a.caught_up);
        assert!(e.sim().time() <= 100);
        assert!(e.next_due() > 100);
        assert!(e.sim().in_flight().all(|m| m.due > 100));
    }

    #[test]
    fn the_step_cap_leaves_the_rest_for_later() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        let a = e.advance(1000.0, 3, None);
        assert_eq!(a, Advanced { steps: 3, caught_up: false });
    }

    #[test]
    fn a_value_is_chosen_on_every_learner_in_simulated_time() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(1), value: Value::text("hello") }).unwrap();
        e.advance(1000.0, 100_000, None);
        let s = e.snapshot();
        assert_eq!(s.chosen.len(), 1);
        for n in &s.nodes {
            assert_eq!(n.learned, vec![(paxos_core::Slot(0), Value::text("hello"))]);
        }
    }

    #[test]
    fn refusals_are_sentences() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Crash { node: NodeId(1) }).unwrap();
        assert_eq!(e.apply(Command::Crash { node: NodeId(1) }).unwrap_err().to_string(), "Node 1 is crashed.");
    }

    /// A busy run: two proposers, a crash and a restart, played by frames as the page does.
    fn busy() -> Engine {
        let mut e = Engine::new(&Settings { nodes: 5, ..Settings::default() }).unwrap();
        e.apply(Command::Propose { node: NodeId(0), value: Value::text("a") }).unwrap();
        e.apply(Command::Propose { node: NodeId(3), value: Value::text("b") }).unwrap();
        e.advance(300.0, 100_000, None);
        e.apply(Command::Crash { node: NodeId(1) }).unwrap();
        e.advance(900.0, 100_000, None);
        e.apply(Command::Restart { node: NodeId(1) }).unwrap();
        e.advance(3000.0, 100_000, None);
        e
    }

    #[test]
    fn seeking_anywhere_shows_what_a_fresh_replay_shows() {
        let mut e = busy();
        let len = e.tape.len();
        assert_eq!(e.at, len);
        assert!(len > 300, "{len}");
        let end = e.snapshot();
        for to in [0, 1, 7, len / 3, len / 2 + 1, len - 1, 5, len] {
            e.seek(to);
            assert_eq!(e.at, to);
            let fresh = e.tape.replay(to, false).unwrap();
            assert_eq!(e.snapshot(), Snapshot::of(&fresh), "moment {to}");
        }
        assert_eq!(e.snapshot(), end);
    }

    #[test]
    fn a_raft_run_travels_in_time_on_the_same_engine() {
        use paxos_sim::Raft;
        let mut e = Engine::<Raft>::start(1, SimConfig::raft(3)).unwrap();
        e.apply(Command::Step { count: 19 }).unwrap();
        e.apply(Command::Crash { node: NodeId(0) }).unwrap();
        e.apply(Command::Propose { node: NodeId(1), value: Value::Txn { client: 1, req: 1 } }).unwrap();
        e.advance(2_000.0, 1_000, None);
        let len = e.tape.len();
        assert!(
            e.snapshot().nodes.iter().any(|n| n.leader && n.term > raft_core::Term(1)),
            "a new leader after the crash"
        );
        for to in [0, 5, 20, len / 2, len] {
            e.seek(to);
            assert_eq!(e.snapshot(), Snapshot::of(&e.tape.replay(to, false).unwrap()), "moment {to}");
        }
        // Acting in the past forks the Raft run as it does a Paxos one.
        e.seek(20);
        e.apply(Command::Restart { node: NodeId(0) }).unwrap();
        assert_eq!((e.forks.as_slice(), e.tape.len()), (&[20][..], 21));
    }

    #[test]
    fn the_history_after_a_seek_is_the_history_of_the_run() {
        let mut e = busy();
        let mid = e.tape.len() / 2;
        let mut fresh = Engine::from_tape(e.tape.clone(), 0).unwrap();
        fresh.seek(mid);
        e.seek(mid);
        let text = |e: &Engine| e.history().log.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        assert_eq!(text(&e), text(&fresh));
        assert_eq!(e.history().ballots(), fresh.history().ballots());
    }

    #[test]
    fn acting_in_the_past_forks_the_run() {
        let mut e = busy();
        let len = e.tape.len();
        e.seek(len / 2);
        // A refused action does not fork.
        assert!(e.apply(Command::Restart { node: NodeId(2) }).is_err());
        assert_eq!(e.tape.len(), len);
        assert!(e.forks.is_empty());
        e.apply(Command::Crash { node: NodeId(2) }).unwrap();
        assert_eq!(e.forks, vec![len / 2]);
        assert_eq!(e.tape.len(), len / 2 + 1);
        assert_eq!(e.at, e.tape.len());
        // The new branch replays like any other run.
        let fresh = e.tape.replay(e.tape.len(), false).unwrap();
        assert_eq!(e.snapshot(), Snapshot::of(&fresh));
        assert!(!e.snapshot().nodes[2].up);
    }

    #[test]
    fn playing_after_a_rewind_replays_the_recorded_future() {
        let mut e = busy();
        let end = e.snapshot();
        let len = e.tape.len();
        e.seek(10);
        let mut t = e.sim().time() as f64;
        while e.rewound() {
            t += 25.0;
            e.advance(t, 1000, None);
        }
        assert_eq!(e.at, len);
        assert_eq!(e.tape.len(), len);
        assert!(e.forks.is_empty());
        // Times differ only by the frames' pacing; the state is the same.
        assert_eq!(e.snapshot().nodes, end.nodes);
        assert_eq!(e.snapshot().chosen, end.chosen);
    }

    #[test]
    fn playing_stops_at_the_moment_asked() {
        let mut e = busy();
        e.seek(20);
        let a = e.advance(1e9, 100_000, Some(50));
        assert_eq!(e.at, 50);
        assert!(!a.caught_up);
        // At the live end too.
        let mut live = Engine::new(&Settings::default()).unwrap();
        live.apply(Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        live.advance(1e9, 100_000, Some(30));
        assert_eq!(live.at, 30);
    }

    #[test]
    fn step_after_a_rewind_replays_one_moment() {
        let mut e = busy();
        e.seek(3);
        e.step().unwrap();
        assert_eq!(e.at, 4);
        assert!(e.forks.is_empty());
    }

    #[test]
    fn checkpoints_stay_bounded_on_a_long_run_and_seeks_stay_exact() {
        let mut e = Engine::new(&Settings { mode: paxos_core::Mode::Multi, ..Settings::default() }).unwrap();
        let mut t = 0.0;
        let mut req = 0;
        while e.at < 150_000 {
            t += 200.0;
            e.apply(Command::Propose { node: NodeId(0), value: Value::Txn { client: 1, req } }).ok();
            req += 1;
            e.advance(t, 1_000_000, None);
        }
        let (n, every) = e.checkpoint_stats();
        assert!(n <= MAX_CHECKPOINTS, "{n}");
        assert!(every > CHECKPOINT_EVERY);
        e.seek(100_000);
        let fresh = e.tape.replay(100_000, false).unwrap();
        assert_eq!(e.snapshot(), Snapshot::of(&fresh));
    }

    #[test]
    fn checkpoints_of_a_growing_log_stay_within_the_memory_budget_and_seeks_stay_exact() {
        let mut e = Engine::new(&Settings { mode: paxos_core::Mode::Multi, ..Settings::default() }).unwrap();
        // 3 nodes: a budget of 600 node-slots holds a few worlds of a 100-slot log, not 32 of them.
        e.budget = 600;
        let mut t = 0.0;
        for req in 0..300 {
            t += 60.0;
            e.apply(Command::Propose { node: NodeId(0), value: Value::Txn { client: 1, req } }).ok();
            e.advance(t, 1_000_000, None);
            let total: u64 = e.checkpoints.iter().map(|(_, w)| w.weight()).sum();
            assert!(
                total <= 600 || e.checkpoints.len() <= 2,
                "{total} node-slots in {} checkpoints",
                e.checkpoints.len()
            );
        }
        assert!(e.sim().chosen().len() >= 250, "the log grew: {}", e.sim().chosen().len());
        let end = e.at;
        for to in [end / 3, end / 2, end - 1] {
            e.seek(to);
            assert_eq!(e.snapshot(), Snapshot::of(&e.tape.replay(to, false).unwrap()), "seek to {to}");
        }
    }

    #[test]
    fn a_recorded_run_names_a_refused_command() {
        let cfg = Settings::default().sim_config().unwrap();
        let err = Engine::record(1, cfg, [Command::Crash { node: NodeId(0) }, Command::Crash { node: NodeId(0) }])
            .unwrap_err();
        assert!(
            matches!(&err, EngineError::Refused { index: 2, reason, .. } if matches!(**reason, EngineError::Sim(_)))
        );
        assert_eq!(err.to_string(), "Command 2 (`crash 0`) was refused: Node 0 is crashed.");
    }

    #[test]
    fn the_page_never_records_a_run_longer_than_a_link_holds() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        let err = e.apply(Command::Step { count: MAX_RUN_EVENTS + 1 }).unwrap_err();
        assert_eq!(err, EngineError::TooLong);
        assert!(err.to_string().contains("the longest a link can hold"), "{err}");
        assert_eq!(too_long(), err.to_string());
        assert_eq!(e.at, 0);
        assert!(!at_limit(&e));
    }
}
