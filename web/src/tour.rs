//! A scenario opened in the page and the guided tour: [`Tour`], opening a scenario as a [`Run`], and the reducer's
//! Next and Back. (The picker and the narration are `components/tour.rs`.)

use std::rc::Rc;

use paxos_core::Bugs;
use yew::Reducible;

use crate::engine::Engine;
use crate::state::{Action, AppState, Run, SEVERAL};

/// A scenario opened in the page, walked through one stage at a time (the guided tour walks through all of them).
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    /// Index into [`paxos_sim::scenario::all`].
    pub index: usize,
    /// Each stage's narration and the moment at its end.
    pub stages: Vec<(String, u64)>,
    /// Stages played so far: 0 shows the caption at moment 0; `k` shows stage `k`'s narration while it plays.
    pub played: usize,
    /// Whether Next goes on to the next scenario at the end (the guided tour).
    pub guided: bool,
    /// Protocol bugs switched on for "what if this rule were missing?" (see `Lesson::with_bugs`); none normally.
    pub what_if: Bugs,
    /// The length of the scenario's run: a longer tape, or a fork, is no longer just the scenario.
    pub recorded: u64,
    /// The scenario's own bugs (the amnesia lesson's), on whatever What if adds.
    pub own: Bugs,
}

impl Tour {
    /// The scenario.
    pub fn scenario(&self) -> &'static paxos_sim::scenario::Scenario {
        &paxos_sim::scenario::all()[self.index]
    }

    /// Keeps the narration with the moment shown when the run moves by other means than Next and Back (the
    /// timeline, Play, Step back): the stage whose part of the run holds `at` (0, the caption, at moment 0). A
    /// stage's first moment is also the previous stage's last, so the stage shown stays while `at` is in its part.
    pub fn follow(&mut self, at: u64) {
        if !self.holds(self.played, at) {
            let len = self.stages.len();
            let last = self.stages.last().map_or(0, |st| st.1);
            self.played = match at {
                0 => 0,
                // At the end: the last stage, which is the summary when there is one.
                _ if at >= last => len,
                _ => (1..=len).find(|&k| at <= self.stages[k - 1].1).unwrap_or(len),
            };
        }
    }

    /// Whether stage `k`'s part of the run (the caption's, for 0) holds moment `at`.
    pub fn holds(&self, k: usize, at: u64) -> bool {
        if k == 0 {
            at == 0
        } else {
            (self.start_of(k)..=self.stages[k - 1].1).contains(&at)
        }
    }

    /// The scenario's own bugs (the amnesia lesson's), on whatever What if adds.
    pub fn own_bugs(&self) -> Bugs {
        self.own
    }

    /// The moment stage `k` (1-based) starts at.
    pub fn start_of(&self, k: usize) -> u64 {
        if k <= 1 {
            0
        } else {
            self.stages[k - 2].1
        }
    }
}

impl Run {
    /// A built-in scenario at moment 0, ready for its first stage (or why it cannot run: a bug, caught by tests),
    /// from the compiled lessons (`paxos_sim::compiled`).
    pub fn scenario(lessons: &str, index: usize, guided: bool, what_if: Bugs) -> Result<Run, String> {
        let sc = paxos_sim::scenario::all().get(index).ok_or("There is no such scenario.")?;
        let lesson =
            paxos_sim::compiled::lesson(lessons, sc.id).ok_or_else(|| format!("Scenario {} is missing.", sc.id))?;
        let own = lesson.config.cluster.bugs;
        let lesson = lesson.with_bugs(what_if);
        let mut engine = Engine::start(lesson.seed, lesson.config).map_err(|e| e.to_string())?;
        let mut stages = Vec::new();
        for stage in lesson.stages {
            for c in stage.commands {
                let line = paxos_sim::script::command_line(&c);
                engine.apply(c).map_err(|e| format!("Scenario {}: `{line}` was refused: {e}", sc.id))?;
            }
            stages.push((stage.say, engine.at));
        }
        let recorded = engine.tape.len();
        engine.seek(0);
        let mut run = Run::with_engine(engine);
        run.tour = Some(Tour { index, stages, played: 0, guided, what_if, recorded, own });
        Ok(run)
    }

    /// The What if menu's choice for an open scenario: the bugs the run really has (the scenario's own and What
    /// if's), as the menu's value ("" for none, a bug's name, or [`SEVERAL`]) and their names.
    pub fn what_if_shown(&self) -> Option<(String, String)> {
        self.tour.as_ref()?;
        let bugs = self.engine().tape.config.cluster.bugs;
        let on: Vec<&str> = paxos_core::Bug::ALL.iter().filter(|&&b| bugs.has(b)).map(|b| b.name()).collect();
        let value = match on.as_slice() {
            [] => String::new(),
            [b] => b.to_string(),
            _ => SEVERAL.into(),
        };
        Some((value, on.join(" + ")))
    }
}

impl AppState {
    /// Next: play the tour's next stage, from its first moment to its end (or open the next scenario of the guided
    /// tour). `None` when there is nothing to do.
    pub(crate) fn tour_next(mut self) -> Option<Rc<AppState>> {
        let mut tour = self.run.tour.clone()?;
        if tour.played >= tour.stages.len() {
            let next = tour.index + 1;
            if tour.guided && next < paxos_sim::scenario::all().len() {
                let next = Action::OpenScenario { index: next, guided: true, what_if: Bugs::default() };
                return Some(Rc::new(self).reduce(next));
            }
            return None;
        }
        tour.played += 1;
        let (start, end) = (tour.start_of(tour.played), tour.stages[tour.played - 1].1);
        self.run.engine.0.borrow_mut().seek(start);
        self.run.tour = Some(tour);
        self.run.error = None;
        self.run = self.run.jumped();
        self.run.playing = true;
        self.run.pause_at = Some(end);
        Some(Rc::new(self))
    }

    /// Back: return to the start of the stage before (or to the previous scenario of the guided tour). `None` when
    /// there is nothing to do.
    pub(crate) fn tour_back(mut self) -> Option<Rc<AppState>> {
        let mut tour = self.run.tour.clone()?;
        if tour.played == 0 {
            if tour.guided && tour.index > 0 {
                let back = Action::OpenScenario { index: tour.index - 1, guided: true, what_if: Bugs::default() };
                return Some(Rc::new(self).reduce(back));
            }
            return None;
        }
        tour.played -= 1;
        let at = if tour.played == 0 { 0 } else { tour.stages[tour.played - 1].1 };
        self.run.engine.0.borrow_mut().seek(at);
        self.run.tour = Some(tour);
        self.run.stop();
        self.run = self.run.jumped();
        Some(Rc::new(self))
    }
}
