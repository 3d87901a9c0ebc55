//! The lessons as the page reads them: every scenario and exercise compiled from its script into its run (a link,
//! the page's own currency) and its words, in `lessons.txt` beside this crate. The page fetches that file the first
//! time a person opens a scenario or an exercise, so its first download carries neither their text nor a script
//! parser; the scripts (`scenarios/*.txt`, `exercises.txt`, `exercises-raft.txt`) stay the source people read and
//! edit, and a test keeps
//! the compiled file equal to what [`write`] makes of them (`UPDATE_LESSONS=1 cargo test -p paxos-sim` rewrites it).
//!
//! One record per line group, each line `key text`:
//!
//! ```text
//! scenario dueling             exercise no-quorum
//! say <stage narration>        title / task / goal / only / hint / teaches <words>
//! end <moment>                 run <link of the start>
//! …                            (the reference solution and the near misses are not compiled: the page needs none)
//! run <link of every stage>
//! ```
//!
//! A scenario's `say` lines are its stages in order, each followed by the moment at which it ends (`end`).

use crate::exercise::{Attempt, Exercise};
use crate::goal::Goal;
use crate::link::Link;
use crate::scenario::{Lesson, Stage};
use crate::tape::{moments, Tape};
use crate::{Protocol, Raft};

/// The compiled lessons, as `lessons.txt` holds them.
pub fn write() -> String {
    let mut out = String::from(
        "# Generated from scenarios/*.txt and exercises*.txt by paxos_sim::compiled::write: do not edit \
         (UPDATE_LESSONS=1 cargo test -p paxos-sim rewrites it).\n",
    );
    for s in crate::scenario::of::<crate::Paxos>() {
        out += &write_scenario(s.id, s.lesson().expect("the built-in scenarios parse (tested)"));
    }
    for s in crate::scenario::of::<Raft>() {
        out += &write_scenario(s.id, s.lesson_as::<Raft>().expect("the built-in scenarios parse (tested)"));
    }
    for e in crate::exercise::all() {
        out += &write_exercise(e);
    }
    for e in crate::exercise::all_of::<Raft>() {
        out += &write_exercise(e);
    }
    out
}

/// One exercise's record: its words and its start's link (whose first byte names its protocol).
fn write_exercise<P: Protocol>(e: Exercise<P>) -> String {
    let mut out = format!("exercise {}\ntitle {}\ntask {}\ngoal {}\n", e.id, e.title, e.task, e.attempt.goal);
    if let Some(only) = &e.attempt.only {
        out += &format!("only {}\n", only.join(" "));
    }
    for h in &e.hints {
        out += &format!("hint {h}\n");
    }
    out += &format!("teaches {}\n", e.teaches);
    let tape = e.attempt.start_tape();
    let at = tape.len();
    out += &format!("run {}\n", Link { tape, at }.encode());
    out
}

/// One scenario's record.
fn write_scenario<P: Protocol>(id: &str, lesson: Lesson<P>) -> String {
    let mut out = format!("scenario {id}\n");
    let mut tape = Tape::new(lesson.seed, lesson.config.clone());
    for stage in &lesson.stages {
        out += &format!("say {}\n", stage.say);
        for c in &stage.commands {
            tape.push(c.clone());
        }
        out += &format!("end {}\n", tape.len());
    }
    let at = tape.len();
    out += &format!("run {}\n", Link { tape, at }.encode());
    out
}

/// The lines of record `kind id` (after its first line, up to the next record).
fn record<'a>(text: &'a str, kind: &str, id: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let head = format!("{kind} {id}");
    let mut lines = text.lines().skip_while(|l| *l != head).skip(1);
    let mut out = Vec::new();
    for l in lines.by_ref() {
        let (k, v) = l.split_once(' ').unwrap_or((l, ""));
        if k == "scenario" || k == "exercise" {
            break;
        }
        out.push((k, v));
    }
    (!out.is_empty()).then_some(out)
}

fn run<P: Protocol>(lines: &[(&str, &str)]) -> Option<Tape<P>> {
    let link = lines.iter().find(|(k, _)| *k == "run")?.1;
    Link::<P>::read(link).ok().map(|l| l.tape)
}

/// Scenario `id`'s lesson, from the compiled text.
pub fn lesson(text: &str, id: &str) -> Option<Lesson> {
    lesson_of(text, id)
}

/// Scenario `id`'s lesson, of protocol `P`, from the compiled text (`None` for another protocol's scenario).
pub fn lesson_of<P: Protocol>(text: &str, id: &str) -> Option<Lesson<P>> {
    let lines = record(text, "scenario", id)?;
    let tape = run(&lines)?;
    let mut stages = Vec::new();
    let mut from = 0;
    for (i, (k, say)) in lines.iter().enumerate() {
        if *k != "say" {
            continue;
        }
        let end = lines.get(i + 1).and_then(|(k, v)| (*k == "end").then(|| v.parse::<u64>().ok()).flatten())?;
        // Each stage's commands as the script gave them, a `step` split where a stage ends inside one.
        let commands = tape.between(from, end.min(tape.len()));
        debug_assert_eq!(commands.iter().map(moments).sum::<u64>(), end - from);
        stages.push(Stage { say: (*say).to_owned(), commands });
        from = end;
    }
    Some(Lesson { seed: tape.seed, config: tape.config.clone(), stages })
}

/// The exercises, from the compiled text (without their solutions and near misses, which the page does not need).
pub fn exercises(text: &str) -> Vec<Exercise> {
    exercises_of(text)
}

/// The exercises of protocol `P` (those whose run is one of `P`'s), from the compiled text.
pub fn exercises_of<P: Protocol>(text: &str) -> Vec<Exercise<P>> {
    let ids = text.lines().filter_map(|l| l.strip_prefix("exercise "));
    ids.filter_map(|id| {
        let lines = record(text, "exercise", id)?;
        let get = |key: &str| lines.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned());
        let tape = run(&lines)?;
        let goal = Goal::read::<P>(&get("goal")?).ok()?;
        let only = get("only").map(|o| crate::exercise::parse_only(&o).ok()).unwrap_or(None);
        Some(Exercise {
            id: id.to_owned(),
            title: get("title")?,
            task: get("task")?,
            attempt: Attempt {
                seed: tape.seed,
                config: tape.config.clone(),
                start: tape.between(0, tape.len()),
                goal,
                only,
            },
            hints: lines.iter().filter(|(k, _)| *k == "hint").map(|(_, v)| (*v).to_owned()).collect(),
            teaches: get("teaches").unwrap_or_default(),
            solution: Vec::new(),
            misses: Vec::new(),
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_lessons_are_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons.txt");
        let made = write();
        if std::env::var_os("UPDATE_LESSONS").is_some() {
            std::fs::write(path, &made).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(committed == made, "lessons.txt is out of date: run UPDATE_LESSONS=1 cargo test -p paxos-sim");
    }

    #[test]
    fn a_compiled_lesson_is_the_scripts_lesson() {
        let text = write();
        for s in crate::scenario::of::<crate::Paxos>() {
            let from_script = s.lesson().unwrap();
            let compiled = lesson(&text, s.id).unwrap_or_else(|| panic!("{} is not compiled", s.id));
            assert_eq!(compiled.seed, from_script.seed);
            assert_eq!(compiled.config, from_script.config);
            assert_eq!(compiled.stages.len(), from_script.stages.len(), "{}", s.id);
            for (a, b) in compiled.stages.iter().zip(&from_script.stages) {
                assert_eq!(a.say, b.say);
                let m = |cs: &[crate::Command]| cs.iter().map(moments).sum::<u64>();
                assert_eq!(m(&a.commands), m(&b.commands), "{}: {}", s.id, a.say);
                // The same run: each stage's commands, with consecutive steps joined, are the same.
                let joined =
                    |cs: &[crate::Command]| Tape::from_commands(0, a_config(), cs.iter().cloned()).commands().to_vec();
                assert_eq!(joined(&a.commands), joined(&b.commands), "{}", s.id);
            }
        }
        // Raft's scenarios are compiled too, and read back only as Raft's (a Paxos page finds none of them).
        for s in crate::scenario::of::<Raft>() {
            let from_script = s.lesson_as::<Raft>().unwrap();
            let compiled = lesson_of::<Raft>(&text, s.id).unwrap_or_else(|| panic!("{} is not compiled", s.id));
            assert_eq!((compiled.seed, &compiled.config), (from_script.seed, &from_script.config));
            let says = |l: &Lesson<Raft>| l.stages.iter().map(|st| st.say.clone()).collect::<Vec<_>>();
            assert_eq!(says(&compiled), says(&from_script), "{}", s.id);
            let m = |l: &Lesson<Raft>| l.stages.iter().flat_map(|st| &st.commands).map(moments).sum::<u64>();
            assert_eq!(m(&compiled), m(&from_script), "{}", s.id);
            assert!(lesson(&text, s.id).is_none(), "{} read as a Paxos lesson", s.id);
        }
        // Each protocol's exercises read back as its own, and only as its own (a Paxos page finds no Raft one).
        same_exercises(exercises(&text), crate::exercise::all());
        same_exercises(exercises_of::<Raft>(&text), crate::exercise::all_of::<Raft>());
        assert!(lesson(&text, "nope").is_none());
    }

    fn same_exercises<P: Protocol>(compiled: Vec<Exercise<P>>, from_script: Vec<Exercise<P>>) {
        assert_eq!(compiled.len(), from_script.len());
        for (a, b) in compiled.iter().zip(&from_script) {
            assert_eq!(
                (&a.id, &a.title, &a.task, &a.hints, &a.teaches),
                (&b.id, &b.title, &b.task, &b.hints, &b.teaches)
            );
            assert_eq!(a.attempt.goal, b.attempt.goal);
            assert_eq!(a.attempt.only, b.attempt.only);
            assert_eq!(a.attempt.start_tape().commands(), b.attempt.start_tape().commands(), "{}", a.id);
            assert_eq!((a.attempt.seed, &a.attempt.config), (b.attempt.seed, &b.attempt.config));
        }
    }

    fn a_config() -> crate::SimConfig {
        crate::SimConfig::new(paxos_core::Mode::Single, 3)
    }
}
