//! A scenario opened in the page and the guided tour: [`Tour`], opening a scenario as a [`Run`], and the reducer's
//! Next and Back. (The picker and the narration are `components/tour.rs`.)

use std::rc::Rc;

use paxos_sim::Paxos;
use yew::Reducible;

use crate::engine::Engine;
use crate::protocol::{bug_names, Look};
use crate::state::{Action, AppState, Run, SEVERAL};

/// A scenario opened in the page, walked through one stage at a time (the guided tour walks through all of them).
#[derive(Clone, Debug, PartialEq)]
pub struct Tour<P: Look = Paxos> {
    /// Index into [`paxos_sim::scenario::all`].
    pub index: usize,
    /// Each stage's narration and the moment at its end. Every stage has moments of its own, so the ends increase
    /// and a moment names one stage (see [`Tour::stage_at`]): a copied address reopens the stage it was copied at.
    pub stages: Vec<(String, u64)>,
    /// The scenario's closing words (its script's last `say`, which has no commands), shown with the last stage's
    /// narration once the run reaches its end.
    pub summary: Option<String>,
    /// The stage whose narration is shown, from 1: the one playing, or the one whose part of the run holds the moment
    /// shown (see [`Tour::follow`]).
    pub played: usize,
    /// Whether Next goes on to the next scenario at the end (the guided tour).
    pub guided: bool,
    /// Protocol bugs switched on for "what if this rule were missing?" (see `Lesson::with_bugs`); none normally.
    pub what_if: P::Bugs,
    /// The length of the scenario's run: a longer tape, or a fork, is no longer just the scenario.
    pub recorded: u64,
    /// The scenario's own bugs (the amnesia lesson's), on whatever What if adds.
    pub own: P::Bugs,
}

impl<P: Look> Tour<P> {
    /// The scenario.
    pub fn scenario(&self) -> &'static paxos_sim::scenario::Scenario {
        &paxos_sim::scenario::of::<P>()[self.index]
    }

    /// The stage a moment alone opens at: the first whose part of the run holds it (a stage's last moment is also the
    /// next one's first, and belongs to the stage that ends there); past the end, the last.
    pub fn stage_at(&self, at: u64) -> usize {
        (1..=self.stages.len()).find(|&k| at <= self.stages[k - 1].1).unwrap_or(self.stages.len()).max(1)
    }

    /// Keeps the narration with the moment shown when the run moves by other means than Next and Back (the
    /// timeline, Play, Step back). While the run plays, the stage shown stays while its part of the run holds `at`
    /// (Next starts a stage at the previous one's last moment); paused, it is the stage `at` alone names, so the
    /// address of a paused scenario (`?scenario=…&moment=…`) reopens the same stage.
    pub fn follow(&mut self, at: u64, playing: bool) {
        if !playing || !self.holds(self.played, at) {
            self.played = self.stage_at(at);
        }
    }

    /// Whether stage `k`'s part of the run holds moment `at`.
    pub fn holds(&self, k: usize, at: u64) -> bool {
        k >= 1 && k <= self.stages.len() && (self.start_of(k)..=self.stages[k - 1].1).contains(&at)
    }

    /// The moment the scenario's run ends at: its summary shows from there on.
    pub fn end(&self) -> u64 {
        self.stages.last().map_or(0, |st| st.1)
    }

    /// The scenario's own bugs (the amnesia lesson's), on whatever What if adds.
    pub fn own_bugs(&self) -> P::Bugs {
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

impl<P: Look> Run<P> {
    /// A built-in scenario at moment 0, its first stage shown (or why it cannot run: a bug, caught by tests), from
    /// the compiled lessons (`paxos_sim::compiled`).
    pub fn scenario(lessons: &str, index: usize, guided: bool, what_if: P::Bugs) -> Result<Run<P>, String> {
        let sc = paxos_sim::scenario::of::<P>().get(index).ok_or("There is no such scenario.")?;
        let lesson = paxos_sim::compiled::lesson_of::<P>(lessons, sc.id)
            .ok_or_else(|| format!("Scenario {} is missing.", sc.id))?;
        let own = P::bugs_of(&lesson.config.cluster);
        let lesson = P::bugs().iter().filter(|(b, _)| P::has_bug(what_if, *b)).fold(lesson, |l, (b, _)| l.with_bug(*b));
        let mut engine = Engine::start(lesson.seed, lesson.config).map_err(|e| e.to_string())?;
        let mut stages = Vec::new();
        let mut summary = None;
        for stage in lesson.stages {
            if stage.commands.is_empty() {
                // Only the last stage has no commands (the parser says so): the summary, read at the end.
                summary = Some(stage.say);
                continue;
            }
            for c in stage.commands {
                let line = paxos_sim::script::command_line(&c);
                engine.apply(c).map_err(|e| format!("Scenario {}: `{line}` was refused: {e}", sc.id))?;
            }
            stages.push((stage.say, engine.at));
        }
        let recorded = engine.tape.len();
        engine.seek(0);
        let mut run = Run::with_engine(engine);
        run.tour = Some(Tour { index, stages, summary, played: 1, guided, what_if, recorded, own });
        Ok(run)
    }

    /// The What if menu's choice for an open scenario: the bugs the run really has (the scenario's own and What
    /// if's), as the menu's value ("" for none, a bug's name, or [`SEVERAL`]) and their names.
    pub fn what_if_shown(&self) -> Option<(String, String)> {
        self.tour.as_ref()?;
        let on = bug_names::<P>(P::bugs_of(&self.engine().tape.config.cluster));
        let value = match on.as_slice() {
            [] => String::new(),
            [b] => b.to_string(),
            _ => SEVERAL.into(),
        };
        Some((value, on.join(" + ")))
    }
}

impl<P: Look> AppState<P> {
    /// Next: play the shown stage to its end, or when it is over the next stage (or, at the end of a scenario of the
    /// guided tour, open the next scenario, which plays its first stage). `None` when there is nothing to do.
    pub(crate) fn tour_next(mut self) -> Option<Rc<AppState<P>>> {
        let mut tour = self.run.tour.clone()?;
        let at = self.run.engine().at;
        let mut end = tour.stages.get(tour.played.checked_sub(1)?)?.1;
        if at >= end {
            if tour.played >= tour.stages.len() {
                let next = tour.index + 1;
                if tour.guided && next < paxos_sim::scenario::of::<P>().len() {
                    let next = Action::OpenScenario { index: next, guided: true, what_if: P::Bugs::default() };
                    return Some(Rc::new(self).reduce(next));
                }
                return None;
            }
            tour.played += 1;
            end = tour.stages[tour.played - 1].1;
            self.run.engine.0.borrow_mut().seek(tour.start_of(tour.played));
        }
        self.run.tour = Some(tour);
        self.run.error = None;
        self.run.playing = true;
        self.run.pause_at = Some(end);
        self.run = self.run.jumped();
        Some(Rc::new(self))
    }

    /// Back: return to the end of the stage before (from the first stage, to its start; from there, in the guided
    /// tour, to the end of the scenario before). `None` when there is nothing to do.
    pub(crate) fn tour_back(mut self) -> Option<Rc<AppState<P>>> {
        let mut tour = self.run.tour.clone()?;
        let at = self.run.engine().at;
        if tour.played <= 1 && at == 0 {
            if tour.guided && tour.index > 0 {
                let lessons = self.view.lessons.as_ref()?.0.clone();
                let mut back = Run::scenario(&lessons, tour.index - 1, true, P::Bugs::default()).ok()?;
                let end = back.tour.as_ref().map_or(0, Tour::end);
                back.engine.0.borrow_mut().seek(end);
                back = back.jumped();
                return Some(Rc::new(self.start(back)));
            }
            return None;
        }
        let to = if tour.played >= 2 {
            tour.played -= 1;
            tour.stages[tour.played - 1].1
        } else {
            0
        };
        self.run.engine.0.borrow_mut().seek(to);
        self.run.tour = Some(tour);
        self.run.stop();
        self.run = self.run.jumped();
        Some(Rc::new(self))
    }
}
