//! A run as a list of *moments*, so it can be rewound, replayed and forked.
//!
//! A run is `(seed, config, commands)`; the [`Tape`] keeps its commands with consecutive `step`s merged and counts
//! **moments**: every event a `step` runs is one moment, and every other command is one moment. Moment `k` is the
//! state after the first `k` of them, so every state a person saw is reachable by its number, including the one just
//! before a crash. Replaying the first `k` moments of a tape from `(seed, config)` gives exactly the state the run
//! had then, because the simulator is deterministic.

use crate::command::Command;
use crate::protocol::{Paxos, Protocol};
use crate::sim::{SimConfig, SimError, Simulator};

/// A run's commands, merged and counted in moments. See the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct Tape<P: Protocol = Paxos> {
    /// The simulator's seed.
    pub seed: u64,
    /// The configuration at moment 0.
    pub config: SimConfig<P>,
    commands: Vec<Command>,
    len: u64,
}

/// The longest run a tape holds, in moments: [`crate::limits::MAX_RUN_EVENTS`], so every run a tape holds can be
/// shared as a link and opened again (a link's decoder refuses longer runs).
pub const MAX_MOMENTS: u64 = crate::limits::MAX_RUN_EVENTS;

/// How many moments one command is.
pub fn moments(c: &Command) -> u64 {
    match c {
        Command::Step { count } => *count,
        _ => 1,
    }
}

impl<P: Protocol> Tape<P> {
    /// An empty run.
    pub fn new(seed: u64, config: SimConfig<P>) -> Tape<P> {
        Tape { seed, config, commands: Vec::new(), len: 0 }
    }

    /// A tape of these commands, merged. The commands are not checked; [`Tape::replay`] does that.
    pub fn from_commands(seed: u64, config: SimConfig<P>, commands: impl IntoIterator<Item = Command>) -> Tape<P> {
        let mut t = Tape::new(seed, config);
        for c in commands {
            t.push(c);
        }
        t
    }

    /// The commands, consecutive steps merged, no empty steps.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The number of moments.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the tape has no moments.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one applied command; a `step` joins a `step` before it. Moments beyond [`MAX_MOMENTS`] are not
    /// kept.
    pub fn push(&mut self, mut c: Command) {
        if let Command::Step { count } = &mut c {
            *count = (*count).min(MAX_MOMENTS - self.len);
        }
        let n = moments(&c);
        if !crate::limits::fits(self.len, n) {
            return;
        }
        if n == 0 {
            return;
        }
        self.len += n;
        if let (Command::Step { count }, Some(Command::Step { count: last })) = (&c, self.commands.last_mut()) {
            *last += count;
            return;
        }
        self.commands.push(c);
    }

    /// Keeps the first `at` moments and forgets the rest (splitting a `step` if `at` falls inside it).
    pub fn truncate(&mut self, at: u64) {
        if at >= self.len {
            return;
        }
        let mut seen = 0;
        for (i, c) in self.commands.iter_mut().enumerate() {
            let n = moments(c);
            if seen + n > at {
                let keep = at - seen;
                if let Command::Step { count } = c {
                    if keep > 0 {
                        *count = keep;
                        self.commands.truncate(i + 1);
                        self.len = at;
                        return;
                    }
                }
                self.commands.truncate(i);
                self.len = at;
                return;
            }
            seen += n;
        }
    }

    /// The commands that take a run from moment `from` to moment `to` (`from <= to`), a `step` split where needed.
    pub fn between(&self, from: u64, to: u64) -> Vec<Command> {
        let mut out = Vec::new();
        let mut seen = 0;
        for c in &self.commands {
            if seen >= to {
                break;
            }
            let n = moments(c);
            let (lo, hi) = (seen.max(from), (seen + n).min(to));
            if lo < hi {
                out.push(match c {
                    Command::Step { .. } => Command::Step { count: hi - lo },
                    other => other.clone(),
                });
            }
            seen += n;
        }
        out
    }

    /// Applies the moments `from..to` to `sim`, which must be at moment `from` of this tape.
    ///
    /// A refused command is an error naming it: a tape recorded by a run replays without refusals, so a refusal
    /// means the tape was edited or came from another program version.
    pub fn play(&self, sim: &mut Simulator<P>, from: u64, to: u64) -> Result<(), ReplayError> {
        let mut at = from;
        for c in self.between(from, to) {
            let n = moments(&c);
            sim.apply(c.clone()).map_err(|error| ReplayError { moment: at, command: c, error })?;
            at += n;
        }
        Ok(())
    }

    /// A new simulator at moment `at` of this tape.
    pub fn replay(&self, at: u64, record: bool) -> Result<Simulator<P>, ReplayError> {
        let mut sim = Simulator::new(self.seed, self.config.clone(), record).map_err(|error| ReplayError {
            moment: 0,
            command: Command::Heal,
            error,
        })?;
        self.play(&mut sim, 0, at.min(self.len))?;
        Ok(sim)
    }
}

/// A command of a tape that the simulator refused on replay.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("moment {moment}: `{}` was refused: {error}", crate::limits::quote(&crate::script::command_line(command)))]
pub struct ReplayError {
    /// The moment the command was at.
    pub moment: u64,
    /// The command.
    pub command: Command,
    /// Why.
    pub error: SimError,
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Mode, NodeId, Value};

    fn tape() -> Tape {
        Tape::from_commands(
            1,
            SimConfig::new(Mode::Single, 3),
            [
                Command::Propose { node: NodeId(0), value: Value::text("a") },
                Command::Step { count: 5 },
                Command::Step { count: 0 },
                Command::Step { count: 7 },
                Command::Crash { node: NodeId(1) },
                Command::Step { count: 10 },
            ],
        )
    }

    #[test]
    fn steps_merge_and_count_one_moment_per_event() {
        let t = tape();
        assert_eq!(t.len(), 1 + 12 + 1 + 10);
        assert_eq!(t.commands().len(), 4);
        assert_eq!(t.commands()[1], Command::Step { count: 12 });
    }

    #[test]
    fn truncate_splits_a_step_and_drops_what_follows() {
        let mut t = tape();
        t.truncate(14);
        assert_eq!(t.len(), 14);
        assert_eq!(t.commands().last(), Some(&Command::Crash { node: NodeId(1) }));
        t.truncate(13);
        assert_eq!(t.commands().last(), Some(&Command::Step { count: 12 }));
        t.truncate(5);
        assert_eq!(t.commands().last(), Some(&Command::Step { count: 4 }));
        t.truncate(1);
        assert_eq!(t.commands().len(), 1);
        t.truncate(0);
        assert!(t.is_empty() && t.commands().is_empty());
    }

    #[test]
    fn between_covers_exactly_the_moments_asked() {
        let t = tape();
        assert_eq!(
            t.between(3, 16),
            vec![Command::Step { count: 10 }, Command::Crash { node: NodeId(1) }, Command::Step { count: 2 }]
        );
        let total: u64 = t.between(0, t.len()).iter().map(moments).sum();
        assert_eq!(total, t.len());
        assert!(t.between(7, 7).is_empty());
    }

    #[test]
    fn replaying_in_pieces_is_replaying_at_once() {
        let t = tape();
        let whole = t.replay(t.len(), true).unwrap();
        let mut pieces = t.replay(9, true).unwrap();
        t.play(&mut pieces, 9, 14).unwrap();
        t.play(&mut pieces, 14, t.len()).unwrap();
        assert_eq!(whole.events(), pieces.events());
        assert_eq!(whole.steps(), 22);
    }

    #[test]
    fn a_refused_command_names_its_moment() {
        let t = Tape::from_commands(1, SimConfig::new(Mode::Single, 3), [Command::Crash { node: NodeId(7) }]);
        let e = t.replay(1, false).unwrap_err();
        assert_eq!(e.moment, 0);
        assert!(e.to_string().starts_with("moment 0: `crash 7` was refused"), "{e}");
    }
}
