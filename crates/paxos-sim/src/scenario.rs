//! The playground's built-in teaching scenarios: the browser's scenario picker and guided tour play them, one stage
//! at a time.
//!
//! A scenario's source is a script (see [`crate::script`]) in `scenarios/<id>.txt`, cut into stages by `say` lines:
//!
//! ```text
//! config nodes=3 mode=single seed=1 latency=10..10
//! say Node 0 proposes hello: it picks ballot 1.0 and sends prepare(1.0) to every acceptor.
//! propose 0 hello
//! say The acceptors promise,
//! say and node 0 sends accept(1.0, hello).   # a second `say` line continues the same narration
//! step 6
//! ```
//!
//! The `config` line comes first. Each `say` line begins a stage whose narration is the rest of the line (consecutive
//! `say` lines join with a space), and the command lines after it are that stage's commands. Every stage has at
//! least one command, except a final summary stage. `#` starts a comment.
//!
//! The configuration uses only what the browser's settings can express (3 to 9 nodes with every role, mode, seed,
//! latency, loss, duplication, bugs and quorum sizes), with one exception: `amnesia` runs with `stop=false`, because
//! the restart that forgets is itself a violation (a promise decreased) and the lesson is what happens after it.

use paxos_core::{Bug, Bugs};

use crate::command::Command;
use crate::protocol::{Paxos, Protocol};
use crate::script::{self, Line, ParseError};
use crate::sim::SimConfig;

/// A built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// A short stable name, used in URLs and on the command line.
    pub id: &'static str,
    /// A short title for the picker.
    pub title: &'static str,
    /// What to watch, in one or two sentences.
    pub caption: &'static str,
    /// The protocol it runs, by name (its `config` line's `protocol=`, which a test checks).
    pub protocol: &'static str,
}

/// One step of a guided tour: a narration shown before and while its commands run.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// The narration.
    pub say: String,
    /// The commands, in order; empty only for a final summary.
    pub commands: Vec<Command>,
}

/// A parsed scenario: the run's seed and configuration, and its stages in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson<P: Protocol = Paxos> {
    /// The simulator's seed.
    pub seed: u64,
    /// The configuration.
    pub config: SimConfig<P>,
    /// The stages.
    pub stages: Vec<Stage>,
}

impl Scenario {
    /// The script text (see the module documentation). Not a field: the page lists the scenarios but reads their
    /// runs compiled (`crate::compiled`), and a field would keep every script in its download.
    pub fn source(&self) -> &'static str {
        macro_rules! sources {
            ($($id:literal),*) => {
                match self.id {
                    $($id => include_str!(concat!("../scenarios/", $id, ".txt")),)*
                    _ => "",
                }
            };
        }
        sources!(
            "happy-path",
            "adopt-accepted",
            "highest-ballot",
            "dueling",
            "minority-crashed",
            "proposer-crash",
            "partition",
            "multi-leader-change",
            "membership",
            "amnesia",
            "reconfigure-early",
            "raft-election",
            "raft-up-to-date",
            "raft-log-repair",
            "raft-figure-8",
            "raft-membership"
        )
    }

    /// Parses the source of a Paxos scenario into a lesson.
    pub fn lesson(&self) -> Result<Lesson, ParseError> {
        self.lesson_as::<Paxos>()
    }

    /// Parses the source into a lesson of protocol `P` (an error if the scenario runs another).
    pub fn lesson_as<P: Protocol>(&self) -> Result<Lesson<P>, ParseError> {
        read_lesson(self.source())
    }
}

impl<P: Protocol> Lesson<P> {
    /// The same lesson with protocol bugs switched on: "what if these rules were missing?". The commands and the
    /// narration stay as they are (the narration describes the correct protocol), so the run shows what the rules
    /// were preventing. The run goes on after a violation, so the damage shows in full.
    pub fn with_bug(mut self, bug: P::Bug) -> Lesson<P> {
        P::enable_bug(&mut self.config.cluster, bug);
        self.config.stop_on_violation = false;
        self
    }
}

impl Lesson {
    /// The same lesson with protocol bugs switched on: "what if these rules were missing?". The commands and the
    /// narration stay as they are (the narration describes correct Paxos), so the run shows what the rules were
    /// preventing. The run goes on after a violation, as the amnesia lesson does, so the damage shows in full.
    pub fn with_bugs(mut self, bugs: Bugs) -> Lesson {
        if bugs != Bugs::default() {
            for bug in Bug::ALL.into_iter().filter(|&b| bugs.has(b)) {
                self.config.cluster.bugs = self.config.cluster.bugs.with(bug);
            }
            self.config.stop_on_violation = false;
        }
        self
    }
}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError { line, message: message.into() }
}

/// Parses the text of a Paxos lesson (see [`read_lesson`]).
pub fn parse_lesson(text: &str) -> Result<Lesson, ParseError> {
    read_lesson(text)
}

/// Parses lesson text of protocol `P`: a `config` line, then stages begun by `say` lines.
pub fn read_lesson<P: Protocol>(text: &str) -> Result<Lesson<P>, ParseError> {
    let mut config: Option<(u64, SimConfig<P>)> = None;
    let mut stages: Vec<Stage> = Vec::new();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let code = raw.split('#').next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        last = n;
        let say = code.strip_prefix("say").filter(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
        if let Some(words) = say {
            let words = words.trim();
            if words.is_empty() {
                return Err(error(n, "`say` needs a narration"));
            }
            if config.is_none() {
                return Err(error(n, "the first line must be `config ...`"));
            }
            match stages.last_mut() {
                // A stage without commands yet only had `say` lines so far: this one continues its narration. So
                // every stage but the last has a command by construction.
                Some(stage) if stage.commands.is_empty() => {
                    stage.say.push(' ');
                    stage.say.push_str(words);
                }
                _ => stages.push(Stage { say: words.to_string(), commands: Vec::new() }),
            }
            continue;
        }
        match script::read_line::<P>(code).map_err(|m| error(n, m))? {
            None => {}
            Some(Line::Config(seed, cfg)) => {
                if config.is_some() {
                    return Err(error(n, "a second `config` line; a scenario has one, first"));
                }
                config = Some((seed, *cfg));
            }
            Some(Line::Command(c)) => match (&config, stages.last_mut()) {
                (None, _) => return Err(error(n, "the first line must be `config ...`")),
                (Some(_), None) => {
                    return Err(error(n, "a command before the first `say`; every command belongs to a stage"))
                }
                (Some(_), Some(stage)) => stage.commands.push(c),
            },
        }
    }
    let Some((seed, config)) = config else { return Err(error(last.max(1), "no `config` line")) };
    if stages.is_empty() {
        return Err(error(last, "no stages: begin one with `say ...`"));
    }
    Ok(Lesson { seed, config, stages })
}

macro_rules! scenario {
    ($id:literal, $title:literal, $caption:literal) => {
        Scenario { id: $id, title: $title, caption: $caption, protocol: "paxos" }
    };
    (raft $id:literal, $title:literal, $caption:literal) => {
        Scenario { id: $id, title: $title, caption: $caption, protocol: "raft" }
    };
}

/// Paxos's scenarios, in tour order. Each protocol's are a static of their own, so a page that instantiates only
/// Paxos (`of::<Paxos>()`) links no Raft scenario's words.
static PAXOS: [Scenario; 11] = [
    scenario!(
        "happy-path",
        "Happy path",
        "One proposer, no faults: watch the two phases, prepare/promise then accept/accepted, end with the same value \
         learned by every node."
    ),
    scenario!(
        "adopt-accepted",
        "Adopting an accepted value",
        "Node 0 gets its value accepted by one acceptor, then crashes. Watch node 2 propose its own value but learn of \
         the accepted one in phase 1 and propose that instead."
    ),
    scenario!(
        "highest-ballot",
        "Adopting the highest ballot",
        "Two acceptors report two different accepted values in phase 1. Watch the proposer take the one with the \
         higher ballot, the only one that can have been chosen, and leave the older leftover behind."
    ),
    scenario!(
        "dueling",
        "Dueling proposers",
        "Two proposers keep pre-empting each other: each new prepare makes the acceptors reject the other's accept. \
         Watch the rejected ballots pile up until a random backoff lets one proposer finish."
    ),
    scenario!(
        "minority-crashed",
        "A minority crashed",
        "One of three nodes is down. A majority of two still answers, so the value is chosen; the crashed node simply \
         misses it."
    ),
    scenario!(
        "proposer-crash",
        "Proposer crashes after phase 1",
        "Node 0 wins phase 1, gets its value chosen by two acceptors, and crashes before anyone learns it. Watch node 2's \
         phase 1 find that value and finish node 0's work instead of proposing its own."
    ),
    scenario!(
        "partition",
        "Network partition",
        "The network splits nodes 0 and 1 from node 2. Watch the lone node fail to choose anything while the majority \
         side chooses, and node 2 learn the majority's value after the partition heals."
    ),
    scenario!(
        "multi-leader-change",
        "Multi-Paxos leader change",
        "A stable leader chooses client requests slot by slot, then crashes leaving a gap in the log. Watch the new \
         leader recover the slots and fill the gap with a no-op."
    ),
    scenario!(
        "membership",
        "Multi-Paxos membership change",
        "A node joins and another retires, each by a configuration chosen in the log and in force 3 slots later. \
         Watch the new node catch up, then a new leader elected by a quorum of the new configuration."
    ),
    scenario!(
        "amnesia",
        "Bug: acceptor amnesia",
        "With the amnesia bug, an acceptor forgets its promise and accepted value when it restarts. Watch two different \
         values get chosen: agreement, the one property Paxos must never lose, is broken."
    ),
    scenario!(
        "reconfigure-early",
        "Bug: reconfigure early",
        "With the reconfigure-early bug, a leader counts votes in a configuration it has only proposed. Watch two \
         values be chosen in one slot by quorums that do not intersect."
    ),
];

/// Raft's scenarios, in tour order: after Paxos's.
static RAFT: [Scenario; 5] = [
    scenario!(
        raft "raft-election",
        "Raft: an election is phase 1",
        "A follower hears no leader, starts term 1 and asks for votes: prepare with the term as its ballot. A majority \
         of votes makes it leader for every slot at once; its AppendEntries are phase 2, and a majority's replies \
         commit, as a majority of accepteds chooses."
    ),
    scenario!(
        raft "raft-up-to-date",
        "Raft: the up-to-date check",
        "A node cut off from the others missed a committed entry. Back, it asks for votes in a later term and is \
         refused: Raft elects only a node that already holds every committed entry, where Paxos lets any node lead \
         and adopt the highest accepted value it is told of."
    ),
    scenario!(
        raft "raft-log-repair",
        "Raft: the leader repairs a log",
        "An old leader wrote an entry no one else has, and crashed. Back as a follower, its log conflicts with the new \
         leader's: watch the leader back off until the logs match and the follower delete its entry. Multi-Paxos \
         would instead fill the slot, with the old value or a no-op."
    ),
    scenario!(
        raft "raft-figure-8",
        "Raft: Figure 8, an old term's entry",
        "A leader finds an entry of an earlier term on a majority. Counting it as committed would be wrong: a node \
         with a later term's entry can still be elected and overwrite it. Watch Raft wait for its own term's entry; \
         What if commit-old-term shows the overwrite."
    ),
    scenario!(
        raft "raft-membership",
        "Raft: membership change, one server at a time",
        "A node joins and catches up, a node cut off is removed and its campaigns ignored, then the leader removes \
         itself and steps down. Each configuration is a log entry, in force at a node as soon as it stores it."
    ),
];

/// Every scenario, in tour order: Paxos's, then Raft's.
pub fn all() -> Vec<&'static Scenario> {
    PAXOS.iter().chain(&RAFT).collect()
}

/// Protocol `P`'s scenarios, in tour order. (`P::CODE` is a constant, so each instance links one list.)
pub fn of<P: Protocol>() -> &'static [Scenario] {
    match P::CODE {
        0 => &PAXOS,
        1 => &RAFT,
        _ => &[],
    }
}

/// The scenario with this id.
pub fn find(id: &str) -> Option<&'static Scenario> {
    PAXOS.iter().chain(&RAFT).find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_begin_at_say_and_narration_continues_over_consecutive_says() {
        let text =
            "# a comment\nconfig nodes=3 seed=7\n\nsay Node 0 proposes.\nsay Then it waits.\npropose 0 x\nstep 3 \
                    # run\nsay Done.\n";
        let l = parse_lesson(text).unwrap();
        assert_eq!(l.seed, 7);
        assert_eq!(l.stages.len(), 2);
        assert_eq!(l.stages[0].say, "Node 0 proposes. Then it waits.");
        assert_eq!(l.stages[0].commands.len(), 2);
        assert_eq!(l.stages[1], Stage { say: "Done.".into(), commands: vec![] });
    }

    #[test]
    fn errors_name_the_line() {
        let e = |t: &str| parse_lesson(t).unwrap_err();
        assert_eq!(e("say hi\n").line, 1);
        assert!(e("say hi\n").message.contains("first line must be `config"));
        assert_eq!(e("config nodes=3\npropose 0 x\n").line, 2);
        assert!(e("config nodes=3\npropose 0 x\n").message.contains("before the first `say`"));
        assert_eq!(e("config nodes=3\nsay a\ncrash x\n").to_string(), "line 3: `x` is not a node id");
        let e2 = e("config nodes=3\nsay a\nstep 1\nsay b\nstep 1\nsay c\nstep 1\nconfig nodes=3\n");
        assert_eq!(e2.line, 8);
        assert!(e2.message.contains("second `config`"));
        assert_eq!(e("config nodes=3\n").message, "no stages: begin one with `say ...`");
        assert_eq!(e("config nodes=3\nsay\nstep 1\n").line, 2);
    }
}
