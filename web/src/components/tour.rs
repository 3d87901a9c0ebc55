//! Scenarios and the guided tour: a picker, the scenario's caption, and its narrated stages with Next and Back.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use paxos_core::{Bug, Bugs};

use super::setup::bug_explanation;
use super::{send, use_select_value, StateProps};
use crate::state::{Action, SEVERAL};

/// The scenario picker (always) and the lesson of the open scenario.
#[component]
pub fn TourPanel(props: &StateProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let all = paxos_sim::scenario::all();
    let on_pick = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(index) = v.parse::<usize>() {
                d.emit(Action::OpenScenario { index, guided: false, what_if: Bugs::default() });
            }
        })
    };
    let current = s.tour.as_ref().map(|t| t.index);
    let scenario_select = use_select_value(Some(current.map(|i| i.to_string()).unwrap_or_default()));
    // The menu shows the bugs the run really has, the scenario's own ones included (several: an option of their own).
    let shown = s.what_if_shown();
    let what_if_select = use_select_value(shown.as_ref().map(|(v, _)| v.clone()));
    let own = s.tour.as_ref().map(|t| t.own_bugs()).unwrap_or_default();
    // Reopens the scenario with one bug on (or none) besides its own: the same commands and narration, a broken protocol.
    let on_what_if = s.tour.as_ref().map(|t| {
        let (d, index, guided) = (d.clone(), t.index, t.guided);
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let what_if = v.parse::<Bug>().map(|b| Bugs::default().set(b, !own.has(b))).unwrap_or_default();
            d.emit(Action::OpenScenario { index, guided, what_if });
        })
    });
    html! {
        <section class="panel tour" aria-label={s.landmark("Scenarios")}>
            <h2>{"Scenarios"}</h2>
            <div class="row">
                <label class="inline">{"Scenario "}
                    <select id={s.id("scenario")} ref={scenario_select} onchange={on_pick}>
                        <option value="" disabled=true>{"Choose one…"}</option>
                        { for all.iter().enumerate().map(|(i, sc)| html! {
                            <option value={i.to_string()}>{ format!("{}. {}", i + 1, sc.title) }</option>
                        }) }
                    </select>
                </label>
                <button type="button" id={s.id("start-tour")} onclick={send(d, Action::OpenScenario { index: 0, guided: true, what_if: Bugs::default() })}>
                    {"Start the guided tour"}</button>
            </div>
            if let Some(t) = &s.tour {
                <div class="lesson">
                    <h3 id={s.id("lesson-title")}>{ format!("{}{}", if t.guided { format!("Tour {}/{}: ", t.index + 1, all.len()) } else { String::new() }, t.scenario().title) }</h3>
                    <p class="caption"><strong>{"Watch: "}</strong>{ t.scenario().caption }</p>
                    <div class="row what-if">
                        <label class="inline" for={s.id("what-if")}>{"What if "}</label>
                        <select id={s.id("what-if")} ref={what_if_select} onchange={on_what_if.clone()}>
                            <option value="" disabled={own != Bugs::default()}>{"the rules hold (correct Paxos)"}</option>
                            { for Bug::ALL.iter().map(|&b| html! {
                                <option value={b.name()}>
                                    { format!("{} ({})", bug_explanation(b), b.name()) }</option>
                            }) }
                            if let Some((_, names)) = shown.as_ref().filter(|(v, _)| v == SEVERAL) {
                                <option value={SEVERAL} disabled=true>{ format!("several bugs: {names}") }</option>
                            }
                        </select>
                    </div>
                    if t.what_if != Bugs::default() {
                        <p class="what-if-note">{ format!(
                            "⚠ What if: the {} bug is on. The narration describes correct Paxos; watch what happens instead, and the safety banner.",
                            Bug::ALL.iter().filter(|&&b| t.what_if.has(b)).map(|b| b.name()).collect::<Vec<_>>().join(" and "),
                        ) }</p>
                    }
                    <p class="narration" id={s.id("narration")} aria-live="polite">
                        if t.played == 0 {
                            { "Press Next to play the first stage. Each stage plays its part of the run and pauses; Back returns to the stage before." }
                        } else {
                            { t.stages[t.played - 1].0.clone() }
                        }
                    </p>
                    <div class="row">
                        <button type="button" id={s.id("tour-back")} onclick={send(d, Action::TourBack)}
                            disabled={t.played == 0 && !(t.guided && t.index > 0)}>{"Back"}</button>
                        <span class="hint">{ format!("Stage {} of {}", t.played, t.stages.len()) }</span>
                        <button type="button" class="primary" id={s.id("tour-next")} onclick={send(d, Action::TourNext)}
                            disabled={t.played >= t.stages.len() && !(t.guided && t.index + 1 < all.len())}>
                            { if t.played >= t.stages.len() && t.guided { "Next scenario" } else { "Next" } }</button>
                        <button type="button" class="small" onclick={send(d, Action::TourExit)}>{"Exit the scenario"}</button>
                    </div>
                </div>
            } else {
                <p class="hint">{"Nine short runs, each showing why one rule of Paxos exists. The tour plays them stage by stage with a narration."}</p>
            }
        </section>
    }
}
