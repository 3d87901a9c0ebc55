//! Scenarios and the guided tour: a picker, the scenario's caption, and its narrated stages with Next and Back.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use paxos_sim::{Judge, RuleSet};

use super::draw::Draw;
use super::{send, use_select_value};
use crate::protocol::Look;
use crate::state::{Action, SEVERAL};

/// The scenario picker and the tour's start button, in the page's top bar.
#[component]
pub fn ScenarioPicker<P: Draw>(props: &PickerProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let all = paxos_sim::scenario::of::<P>();
    let on_pick = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(index) = v.parse::<usize>() {
                d.emit(Action::OpenScenario { index, guided: false, what_if: P::Bugs::default() });
            }
        })
    };
    let current = s.run.tour.as_ref().map(|t| t.index);
    let scenario_select = use_select_value(Some(current.map(|i| i.to_string()).unwrap_or_default()));
    html! {
        <nav class="scenarios" aria-label={s.view.landmark("Scenarios")}>
            <label class="inline"><span class="words-label">{"Scenario "}</span>
                <select id={s.view.id("scenario")} ref={scenario_select.0} value={scenario_select.1.clone()} onchange={on_pick}
                    title={format!("{} short runs, each showing why one rule of {} exists", crate::engine::capitalise(number(all.len())), P::PROTOCOL)}>
                    <option value="" disabled=true>{"Choose a scenario…"}</option>
                    { for all.iter().enumerate().map(|(i, sc)| html! {
                        <option value={i.to_string()}>{ format!("{}. {}", i + 1, sc.title) }</option>
                    }) }
                </select>
            </label>
            if props.tour {
                <button type="button" id={s.view.id("start-tour")} onclick={send(d, Action::OpenScenario { index: 0, guided: true, what_if: P::Bugs::default() })}
                    title={format!("Plays the {} scenarios stage by stage with a narration", number(all.len()))} aria-label="Start the guided tour">
                    <span class="words-label">{"Start the "}</span>{"guided tour"}</button>
            }
        </nav>
    }
}

/// The scenario picker's properties.
#[derive(Properties, PartialEq)]
pub struct PickerProps<P: Look> {
    /// The reducer's state.
    pub state: crate::state::AppState<P>,
    /// Dispatches an action.
    pub dispatch: Callback<Action<P>>,
    /// Offer the guided tour: on the full page, not in an embedded figure, where the tour would carry the reader away
    /// from the figure's caption (`?tour=1` still starts one there).
    #[prop_or(true)]
    pub tour: bool,
}

/// The lesson's properties.
#[derive(Properties, PartialEq)]
pub struct LessonProps<P: Look> {
    /// The reducer's state (a scenario is open).
    pub state: crate::state::AppState<P>,
    /// Dispatches an action.
    pub dispatch: Callback<Action<P>>,
    /// An embedded figure: the narration and its buttons only (the caption and What if stay with the full page and
    /// `controls=scenarios`).
    #[prop_or_default]
    pub figure: bool,
    /// Offer "Exit the scenario": only where the reader can open one again (the full page, or the scenario picker
    /// shown); a figure without them would be left with no lesson and no way back.
    #[prop_or(true)]
    pub can_exit: bool,
}

/// The open scenario's lesson, beside the drawing: its narration first, with Next and Back, then its caption and
/// What if.
#[component]
pub fn Lesson<P: Draw>(props: &LessonProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let all = paxos_sim::scenario::of::<P>();
    // The menu shows the bugs the run really has, the scenario's own ones included (several: an option of their own).
    let shown = s.run.what_if_shown();
    let what_if_select = use_select_value(shown.as_ref().map(|(v, _)| v.clone()));
    let Some(t) = &s.run.tour else { return Html::default() };
    let own = t.own_bugs();
    // Reopens the scenario with one bug on (or none) besides its own: the same commands and narration, a broken protocol.
    let on_what_if = {
        let (d, index, guided) = (d.clone(), t.index, t.guided);
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let bug = P::bugs().iter().find(|(_, name)| *name == v).map(|(b, _)| *b);
            let what_if = bug.map(|b| P::set_bug(P::Bugs::default(), b, !P::has_bug(own, b))).unwrap_or_default();
            d.emit(Action::OpenScenario { index, guided, what_if });
        })
    };
    let at = s.run.engine().at;
    let (k, len) = (t.played.clamp(1, t.stages.len().max(1)), t.stages.len());
    // The last stage played to its end: the scenario's summary shows with its narration, and Next goes on.
    let over = k >= len && at >= t.end();
    let tour_over = over && t.guided && t.index + 1 >= all.len();
    let said = t.stages.get(k - 1).map(|st| st.0.as_str()).unwrap_or_default();
    html! {
        <section class="panel lesson" aria-labelledby={s.view.id("lesson-title")}>
            <h2 id={s.view.id("lesson-title")}>{ format!("{}{}", if t.guided { format!("Tour {}/{}: ", t.index + 1, all.len()) } else { String::new() }, t.scenario().title) }</h2>
            if t.guided && t.index == 0 && k == 1 {
                <p class="tour-intro">{ P::IS_FOR }{ format!(" {} short scenarios show how.", crate::engine::capitalise(number(all.len()))) }</p>
            }
            <p class="narration" id={s.view.id("narration")} aria-live="polite">
                { said }
                if over {
                    if let Some(summary) = &t.summary {
                        <strong class="summary">{" "}{ summary }</strong>
                    }
                    if tour_over {
                        { format!(" That was the last scenario of the tour: {}", P::RECAP) }
                    }
                }
            </p>
            <div class="row stage-buttons">
                <button type="button" id={s.view.id("tour-back")} onclick={send(d, Action::TourBack)}
                    disabled={k <= 1 && at == 0 && !(t.guided && t.index > 0)}>{"Back"}</button>
                <span class="hint stage-count">{ format!("Stage {k} of {len}") }</span>
                if tour_over {
                    <button type="button" class="primary" id={s.view.id("tour-next")} onclick={send(d, Action::TourExit)}>
                        {"Finish the tour"}</button>
                } else {
                    <button type="button" class="primary" id={s.view.id("tour-next")} onclick={send(d, Action::TourNext)}
                        disabled={over && !t.guided}>
                        { if over && t.guided { "Next scenario" } else { "Next" } }</button>
                }
                if !props.figure && props.can_exit {
                    <button type="button" class="small" onclick={send(d, Action::TourExit)}>{"Exit the scenario"}</button>
                }
            </div>
            if !props.figure {
                <p class="caption"><strong>{"Watch: "}</strong>{ t.scenario().caption }</p>
                <div class="row what-if">
                    <label class="inline" for={s.view.id("what-if")}>{"What if "}</label>
                    <select id={s.view.id("what-if")} ref={what_if_select.0} value={what_if_select.1.clone()} onchange={on_what_if}>
                        <option value="" disabled={own != P::Bugs::default()}>{ format!("the rules hold (correct {})", P::PROTOCOL) }</option>
                        { for P::bugs().iter().map(|&(b, name)| html! {
                            <option value={name}>{ P::what_if_words(b) }</option>
                        }) }
                        if let Some((_, names)) = shown.as_ref().filter(|(v, _)| v == SEVERAL) {
                            <option value={SEVERAL} disabled=true>{ format!("several bugs: {names}") }</option>
                        }
                    </select>
                </div>
            }
            if t.what_if != P::Bugs::default() {
                <p class="what-if-note">{ what_if_note::<P>(t.what_if) }</p>
            }
        </section>
    }
}

/// "⚠ What if: the ignore-accepted bug is on. …": the bugs, and the rule each removes, which the safety status
/// names at the moment it breaks.
pub fn what_if_note<P: Look>(bugs: P::Bugs) -> String {
    let on: Vec<(P::Bug, &str)> = P::bugs().iter().copied().filter(|&(b, _)| P::has_bug(bugs, b)).collect();
    let names: Vec<&str> = on.iter().map(|(_, name)| *name).collect();
    let mut rules = Vec::new();
    for r in on.iter().map(|&(b, _)| <P::Judge as Judge<P>>::broken_by(b)) {
        if !rules.contains(&r) {
            rules.push(r);
        }
    }
    let rules: Vec<String> = rules.iter().map(|r| format!("“{}” ({})", r.title(), r.description())).collect();
    format!(
        "⚠ What if: the {} bug is on. The narration describes correct {}; watch what happens instead, and the \
         safety status, which names the rule the moment it breaks: {}",
        names.join(" and "),
        P::PROTOCOL,
        rules.join("; "),
    )
}

/// "nine": a small count in words, for the tour's sentences ("Nine short scenarios show how").
fn number(n: usize) -> &'static str {
    ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        .get(n)
        .copied()
        .unwrap_or("many")
}

#[cfg(test)]
mod tests {
    use paxos_core::{Bug, Bugs};

    #[test]
    fn the_what_if_note_names_the_rule_each_bug_removes() {
        let note = super::what_if_note::<paxos_sim::Paxos>(Bugs::default().with(Bug::IgnoreAccepted));
        assert!(note.starts_with("⚠ What if: the ignore-accepted bug is on. The narration describes correct Paxos"));
        assert!(note.ends_with("“not the highest accepted value” (A proposer proposes the value of the highest-ballot proposal its phase-1 quorum reported, or its own value when none reported one.)"), "{note}");
        // Two bugs that remove the same rule name it once.
        let both =
            super::what_if_note::<paxos_sim::Paxos>(Bugs::default().with(Bug::IgnoreAccepted).with(Bug::AdoptLowest));
        assert!(both.contains("ignore-accepted and adopt-lowest bug is on"), "{both}");
        assert_eq!(both.matches("not the highest").count(), 1, "{both}");
    }
}
