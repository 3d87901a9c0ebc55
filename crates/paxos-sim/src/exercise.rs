//! Exercises: a goal to reach in a run, from a given start, checked as the run goes (see [`crate::goal`]).
//!
//! The built-in exercises are in `exercises.txt` (Paxos's) and `exercises-raft.txt` (Raft's) beside this crate, one
//! file per protocol ([`Protocol::EXERCISES`]), one record each:
//!
//! ```text
//! exercise choose-with-one-down          # the id, used in `?exercise=…` and `paxos exercise`
//! title Chosen with a node down
//! task Get a value chosen while node 2 is down.
//! goal chosen, down>=1                   # the predicate (crate::goal)
//! start config nodes=3 seed=1            # the start: a script (a config line, then commands); in a Raft file
//!                                        # `start config protocol=raft …`: each file's runs are its protocol's
//! start crash 2
//! only propose step tick                 # optional: the only actions offered (`step` always is)
//! hint One sentence revealed on request. # one to three
//! teaches What it shows, once solved.    # several lines join
//! solution propose 0 blue                # a reference solution (script lines), checked by the tests
//! miss propose 0 blue                    # a near miss: it must not meet the goal
//! ```
//!
//! A run meets an exercise when it starts as the exercise does (its seed, configuration and start commands) and
//! its [`Watch`] meets the goal; [`Attempt::verify`] checks a run (a link's tape, a trace's commands) that way, in
//! `paxos exercise --check` and wherever a run must be re-verified rather than believed.
//!
//! Why a file per protocol rather than one file with both: a file is read as one protocol's ([`read::<P>`](read)),
//! so every record comes out as an `Exercise<P>` of its file's protocol and no reader returns a mix of types; the
//! Paxos page's end-to-end test plays every record of `exercises.txt`, all of them Paxos's; and it is the shape
//! of the scenarios (each script names its protocol). Ids stay unique across the files (tested): the page's
//! `?exercise=` and `paxos exercise ID` find an exercise by id alone.

use crate::command::Command;
use crate::event::Event;
use crate::goal::{Goal, Progress, Watch, VERBS};
use crate::limits::quote;
use crate::protocol::{Paxos, Protocol};
use crate::script::{self, Line, ParseError};
use crate::sim::{SimConfig, Simulator};
use crate::tape::{moments, ReplayError, Tape};

/// The built-in Paxos exercises' source (Raft's is `Raft::EXERCISES`).
pub const SOURCE: &str = Paxos::EXERCISES;

/// An exercise of protocol `P` (built in, from `P`'s file; the page reads its own protocol's from the compiled
/// lessons).
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise<P: Protocol = Paxos> {
    /// A short stable name.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The goal in one sentence, for people.
    pub task: String,
    /// The start, the goal and what is offered.
    pub attempt: Attempt<P>,
    /// Hints, revealed one at a time on request.
    pub hints: Vec<String>,
    /// What it teaches, shown once solved.
    pub teaches: String,
    /// A reference solution: the commands after the start.
    pub solution: Vec<Command>,
    /// Near misses: runs that look like solutions but must not meet the goal.
    pub misses: Vec<Vec<Command>>,
}

/// Where a run must start and what it must reach: an exercise without its words. A built-in exercise's run is its
/// file's protocol's; a goal of one's own (`paxos exercise --goal`) is checked on a run of any protocol.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt<P: Protocol = Paxos> {
    /// The seed.
    pub seed: u64,
    /// The configuration.
    pub config: SimConfig<P>,
    /// Commands run before the person takes over (a node already down, a value already accepted).
    pub start: Vec<Command>,
    /// The goal.
    pub goal: Goal,
    /// The only actions offered, if not all.
    pub only: Option<Vec<&'static str>>,
}

/// What checking a run against an attempt found.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The goal was met, at this moment of the run, after this many of the person's actions.
    Solved {
        /// The moment (as the page's timeline counts them: each event and each other command is one).
        moment: u64,
        /// The actions.
        actions: u64,
    },
    /// The run does not meet the goal; the sentence says why, or what is still missing.
    NotSolved(String),
}

impl<P: Protocol> Attempt<P> {
    /// How many actions of a run are the start's: its commands the watch counts as actions. A watch reads events,
    /// and running time and the commands on one message in flight (drop, duplicate, delay, deliver) log no command
    /// event, so they are not counted here either: a start that drops a message (Figure 8's) would otherwise count
    /// the person's first actions as its own.
    pub fn start_actions(&self) -> u64 {
        let counted = |c: &&Command| {
            !matches!(
                c,
                Command::Step { .. }
                    | Command::Drop { .. }
                    | Command::Duplicate { .. }
                    | Command::Delay { .. }
                    | Command::Deliver { .. }
            )
        };
        self.start.iter().filter(counted).count() as u64
    }

    /// A watch of this attempt's goal for a run from its start.
    pub fn watch(&self) -> Watch<P> {
        Watch::new(self.goal.clone(), self.only.clone(), self.start_actions())
    }

    /// The start as a tape.
    pub fn start_tape(&self) -> Tape<P> {
        Tape::from_commands(self.seed, self.config.clone(), self.start.iter().cloned())
    }

    /// Whether a run begins as this attempt does (its seed, configuration and start commands), or why not.
    pub fn starts(&self, tape: &Tape<P>) -> Result<(), String> {
        let start = self.start_tape();
        if tape.seed != self.seed || tape.config != self.config {
            return Err("the run does not start from the exercise's cluster and seed".into());
        }
        if tape.len() < start.len() || tape.between(0, start.len()) != start.between(0, start.len()) {
            return Err("the run does not begin with the exercise's start".into());
        }
        Ok(())
    }

    /// Checks a run, up to moment `at` of its tape: it must begin with this start, and its watch meet the goal.
    pub fn verify(&self, tape: &Tape<P>, at: u64) -> Result<Verdict, ReplayError> {
        if let Err(why) = self.starts(tape) {
            return Ok(Verdict::NotSolved(why));
        }
        let mut sim = Simulator::new(self.seed, self.config.clone(), true).map_err(|error| ReplayError {
            moment: 0,
            command: Command::Heal,
            error,
        })?;
        let mut watch = self.watch();
        let (mut moment, mut met_at) = (0, 0);
        for c in tape.between(0, at.min(tape.len())) {
            let (n, steps) = (moments(&c), sim.steps());
            let stepped = matches!(c, Command::Step { .. });
            sim.apply(c.clone()).map_err(|error| ReplayError { moment, command: c, error })?;
            let events: Vec<Event<P>> = sim.drain_events().collect();
            if watch.observe(&events, &sim) {
                // Within a `step`, the moment of the step that met it; otherwise the command's own moment.
                met_at = match watch.progress(&sim) {
                    Progress::Met { step, .. } if stepped => moment + step.saturating_sub(steps).max(1),
                    _ => moment + n,
                };
                break;
            }
            moment += n;
        }
        Ok(match watch.progress(&sim) {
            Progress::Met { actions, .. } => Verdict::Solved { moment: met_at, actions },
            Progress::Lost(why) => Verdict::NotSolved(why),
            Progress::Open(terms) => {
                let missing: Vec<String> =
                    terms.iter().filter(|(_, ok)| !ok).map(|(t, _)| t.describe_for::<P>()).collect();
                Verdict::NotSolved(format!("not yet: {}", missing.join("; ")))
            }
        })
    }
}

impl<P: Protocol> Exercise<P> {
    /// The tape of the reference solution (the start, then the solution).
    pub fn solution_tape(&self) -> Tape<P> {
        let commands = self.attempt.start.iter().chain(&self.solution).cloned();
        Tape::from_commands(self.attempt.seed, self.attempt.config.clone(), commands)
    }
}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError { line, message: message.into() }
}

/// A record being read.
struct Draft<P: Protocol> {
    line: usize,
    id: String,
    title: Option<String>,
    task: Option<String>,
    goal: Option<Goal>,
    config: Option<(u64, SimConfig<P>)>,
    start: Vec<Command>,
    only: Option<Vec<&'static str>>,
    hints: Vec<String>,
    teaches: String,
    solution: Vec<Command>,
    misses: Vec<Vec<Command>>,
}

impl<P: Protocol> Draft<P> {
    fn new(line: usize, id: String) -> Draft<P> {
        Draft {
            line,
            id,
            title: None,
            task: None,
            goal: None,
            config: None,
            start: Vec::new(),
            only: None,
            hints: Vec::new(),
            teaches: String::new(),
            solution: Vec::new(),
            misses: Vec::new(),
        }
    }

    fn finish(self, last: usize) -> Result<Exercise<P>, ParseError> {
        let need = |what: &str| error(self.line, format!("exercise `{}` has no `{what}` line", self.id));
        let (seed, config) = self.config.ok_or_else(|| need("start config"))?;
        let goal = self.goal.ok_or_else(|| need("goal"))?;
        goal.fits_for::<P>(P::size(&config.cluster)).map_err(|e| error(last, e.to_string()))?;
        if self.hints.is_empty() || self.hints.len() > 3 {
            return Err(error(self.line, format!("exercise `{}` needs one to three hints", self.id)));
        }
        if self.teaches.is_empty() {
            return Err(need("teaches"));
        }
        Ok(Exercise {
            title: self.title.ok_or_else(|| need("title"))?,
            task: self.task.ok_or_else(|| need("task"))?,
            id: self.id,
            attempt: Attempt { seed, config, start: self.start, goal, only: self.only },
            hints: self.hints,
            teaches: self.teaches,
            solution: self.solution,
            misses: self.misses,
        })
    }
}

/// Reads the verbs of an `only` line.
pub fn parse_only(text: &str) -> Result<Vec<&'static str>, String> {
    text.split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(|w| {
            VERBS
                .iter()
                .copied()
                .find(|v| *v == w)
                .ok_or_else(|| format!("`{}` is not an action an exercise can offer ({})", quote(w), VERBS.join(", ")))
        })
        .collect()
}

fn command<P: Protocol>(n: usize, text: &str) -> Result<Command, ParseError> {
    match script::read_line::<P>(text).map_err(|m| error(n, m))? {
        Some(Line::Command(c)) => Ok(c),
        Some(Line::Config(..)) => Err(error(n, "a `config` line belongs on the first `start` line only")),
        None => Err(error(n, "an empty command")),
    }
}

/// Reads Paxos exercises in the format of `exercises.txt` (see [`read`]).
pub fn parse(text: &str) -> Result<Vec<Exercise>, ParseError> {
    read::<Paxos>(text)
}

/// Reads exercises of protocol `P` in the format of `exercises.txt` (see the module documentation): each start's
/// `config` line must name `P` (`protocol=raft`; Paxos's may leave it out, as a script does).
pub fn read<P: Protocol>(text: &str) -> Result<Vec<Exercise<P>>, ParseError> {
    let mut out = Vec::new();
    let mut draft: Option<Draft<P>> = None;
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let code = raw.split('#').next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        last = n;
        let (key, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
        let rest = rest.trim();
        if key == "exercise" {
            if let Some(d) = draft.take() {
                out.push(d.finish(n)?);
            }
            // What the page's `?exercise=` reads (web/src/options.rs): no digits, at most 40 letters.
            if rest.is_empty() || rest.len() > 40 || !rest.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                return Err(error(n, "an exercise id is at most 40 lowercase letters and dashes"));
            }
            if out.iter().any(|e: &Exercise<P>| e.id == rest) {
                return Err(error(n, format!("a second exercise `{rest}`")));
            }
            draft = Some(Draft::new(n, rest.to_string()));
            continue;
        }
        let d = draft.as_mut().ok_or_else(|| error(n, "the first line must be `exercise ID`"))?;
        if rest.is_empty() {
            return Err(error(n, format!("`{key}` needs a value")));
        }
        match key {
            "title" => d.title = Some(rest.into()),
            "task" => d.task = Some(rest.into()),
            "goal" => d.goal = Some(rest.parse().map_err(|e: crate::goal::GoalError| error(n, e.to_string()))?),
            "only" => d.only = Some(parse_only(rest).map_err(|m| error(n, m))?),
            "hint" => d.hints.push(rest.into()),
            "teaches" => {
                if !d.teaches.is_empty() {
                    d.teaches.push(' ');
                }
                d.teaches.push_str(rest);
            }
            "start" if d.config.is_none() => match script::read_line::<P>(rest).map_err(|m| error(n, m))? {
                // A config line without `protocol=` reads as any protocol's: it must say so unless it is Paxos's
                // (as `script::protocol_of` reads a script), so the file says what it runs.
                Some(Line::Config(..)) if script::protocol_of(rest).ok() != Some(P::NAME) => {
                    let (id, name) = (&d.id, P::NAME);
                    return Err(error(
                        n,
                        format!("exercise `{id}` must start a {name} run: `start config protocol={name} …`"),
                    ));
                }
                Some(Line::Config(seed, cfg)) => d.config = Some((seed, *cfg)),
                _ => return Err(error(n, "the first `start` line is the configuration: `start config nodes=3 …`")),
            },
            "start" => d.start.push(command::<P>(n, rest)?),
            "solution" => d.solution.push(command::<P>(n, rest)?),
            "miss" => {
                // Consecutive `miss` lines are one near miss; a `miss -` line begins the next.
                if rest == "-" {
                    d.misses.push(Vec::new());
                } else {
                    if d.misses.is_empty() {
                        d.misses.push(Vec::new());
                    }
                    let c = command::<P>(n, rest)?;
                    d.misses.last_mut().expect("pushed above").push(c);
                }
            }
            _ => return Err(error(n, format!("unknown key `{}`", quote(key)))),
        }
    }
    if let Some(d) = draft.take() {
        out.push(d.finish(last)?);
    }
    Ok(out)
}

/// The built-in Paxos exercises.
pub fn all() -> Vec<Exercise> {
    all_of::<Paxos>()
}

/// The built-in exercises of protocol `P`, from its file ([`Protocol::EXERCISES`]).
pub fn all_of<P: Protocol>() -> Vec<Exercise<P>> {
    read::<P>(P::EXERCISES).expect("the built-in exercises parse (tested)")
}

/// A built-in Paxos exercise by id.
pub fn find(id: &str) -> Option<Exercise> {
    find_of::<Paxos>(id)
}

/// A built-in exercise of protocol `P` by id (`None` for another protocol's).
pub fn find_of<P: Protocol>(id: &str) -> Option<Exercise<P>> {
    all_of::<P>().into_iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_exercises_parse_and_there_are_at_least_twelve() {
        let all = parse(SOURCE).unwrap_or_else(|e| panic!("exercises.txt: {e}"));
        assert!(all.len() >= 12, "{} exercises", all.len());
        for id in [
            "choose-with-one-down",
            "duel-three-ballots",
            "adopt-another-value",
            "no-quorum",
            "learners-disagree",
            "two-values-amnesia",
            "break-promise-two-values",
            "reconfigure-early-commit",
            "gap-no-op",
            "flexible-three-down",
        ] {
            assert!(all.iter().any(|e| e.id == id), "no exercise {id}");
        }
    }

    /// Every reference solution of protocol `P` meets its goal, and every near miss does not.
    fn solutions_solve_and_misses_do_not<P: Protocol>() {
        for e in all_of::<P>() {
            let tape = e.solution_tape();
            let v = e.attempt.verify(&tape, tape.len()).unwrap();
            assert!(matches!(v, Verdict::Solved { .. }), "{}: the solution gives {v:?}", e.id);
            assert!(!e.misses.is_empty(), "{}: no near miss", e.id);
            for m in &e.misses {
                let commands = e.attempt.start.iter().chain(m).cloned();
                let tape = Tape::<P>::from_commands(e.attempt.seed, e.attempt.config.clone(), commands);
                let v = e.attempt.verify(&tape, tape.len()).unwrap();
                assert!(matches!(v, Verdict::NotSolved(_)), "{}: a near miss {m:?} solves it", e.id);
            }
        }
    }

    #[test]
    fn every_reference_solution_solves_its_exercise_and_every_near_miss_does_not() {
        solutions_solve_and_misses_do_not::<Paxos>();
    }

    #[test]
    fn every_raft_solution_solves_its_exercise_and_every_near_miss_does_not() {
        solutions_solve_and_misses_do_not::<crate::Raft>();
    }

    #[test]
    fn raft_exercises_are_raft_runs_with_ids_of_their_own() {
        let raft = all_of::<crate::Raft>();
        let ids: Vec<&str> = raft.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "raft-leader-down",
                "raft-forget-vote",
                "raft-no-log-check",
                "raft-figure-eight",
                "raft-change-two-at-once"
            ]
        );
        assert!(raft.iter().all(|e| all().iter().all(|p| p.id != e.id)), "an id in both files");
        assert!(find("raft-leader-down").is_none() && find_of::<crate::Raft>("first-value").is_none());
        // A Raft file's start must say so; a Paxos start in it is refused by name.
        let text = "exercise a\ntitle t\ntask t\ngoal chosen\nstart config nodes=3\nhint h\nteaches t\n";
        let e = read::<crate::Raft>(text).unwrap_err().to_string();
        assert_eq!(e, "line 5: exercise `a` must start a raft run: `start config protocol=raft …`");
        assert!(parse(&text.replace("nodes=3", "protocol=raft nodes=3")).unwrap_err().to_string().contains("raft"));
    }

    #[test]
    fn a_start_that_drops_messages_counts_only_the_persons_actions() {
        // Figure 8's start drops four messages, which log no command event: the solution's actions are the
        // person's two crashes and a restart (its one drop is not counted either), not the start's.
        let e = find_of::<crate::Raft>("raft-figure-eight").unwrap();
        assert_eq!(e.attempt.start_actions(), 4);
        let tape = e.solution_tape();
        assert!(matches!(e.attempt.verify(&tape, tape.len()).unwrap(), Verdict::Solved { actions: 3, .. }));
    }

    #[test]
    fn a_run_from_elsewhere_is_not_a_solution() {
        let e = find("choose-with-one-down").unwrap();
        let tape = Tape::from_commands(e.attempt.seed + 1, e.attempt.config.clone(), e.solution.clone());
        assert!(matches!(e.attempt.verify(&tape, tape.len()).unwrap(), Verdict::NotSolved(s) if s.contains("seed")));
        let tape = Tape::from_commands(e.attempt.seed, e.attempt.config.clone(), e.solution.clone());
        assert!(matches!(e.attempt.verify(&tape, tape.len()).unwrap(), Verdict::NotSolved(s) if s.contains("start")));
    }

    #[test]
    fn a_bad_exercise_file_names_its_line() {
        let err = |s: &str| parse(s).unwrap_err().to_string();
        assert_eq!(err("title x"), "line 1: the first line must be `exercise ID`");
        assert!(err("exercise a\ngoal nope").starts_with("line 2: `nope` is not a goal term"));
        assert!(err("exercise a\nonly fly").contains("`fly` is not an action"));
        assert_eq!(err("exercise figure-8"), "line 1: an exercise id is at most 40 lowercase letters and dashes");
        assert!(err("exercise a\nstart crash 1").contains("the first `start` line is the configuration"));
        assert!(err("exercise a\ntitle t\ntask t\ngoal chosen\nstart config nodes=3\nteaches t").contains("hints"));
    }
}
