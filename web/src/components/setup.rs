//! The run's settings: seed, cluster size, mode, quorum sizes and the deliberate protocol bugs; Reset applies them.

use std::rc::Rc;

use paxos_core::Mode;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::draw::Draw;

use super::{knob, use_select_value, StateProps};
use crate::input::{parse_int, parse_quorum, Settings, MAX_NODES, MIN_NODES};
use crate::protocol::bug_names;
use crate::state::Action;

/// The panel.
#[component]
pub fn SetupPanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let cur = s.run.settings.clone();
    let seed = use_state(|| cur.seed.to_string());
    let nodes = use_state(|| cur.nodes.to_string());
    let quorum = |q: Option<usize>| q.map(|q| q.to_string()).unwrap_or_default();
    let q1 = use_state(|| quorum(cur.q1));
    let q2 = use_state(|| quorum(cur.q2));
    let mode = use_state(|| cur.mode);
    let mode_select = use_select_value(Some(mode.name().to_string()));
    let bugs = use_state(|| cur.bugs);
    let error = use_state(|| None::<String>);
    // A new run (a scenario, a link, a trace, a reset) brings its own settings: the form shows them, so the boxes
    // never contradict the run (say, a bug unchecked while the run has it).
    {
        let (seed, nodes, q1, q2, mode, bugs, error) =
            (seed.clone(), nodes.clone(), q1.clone(), q2.clone(), mode.clone(), bugs.clone(), error.clone());
        use_effect_with(cur.clone(), move |c| {
            seed.set(c.seed.to_string());
            nodes.set(c.nodes.to_string());
            q1.set(quorum(c.q1));
            q2.set(quorum(c.q2));
            mode.set(c.mode);
            bugs.set(c.bugs);
            error.set(None);
        });
    }
    // The form's settings, with `bugs` and `mode`: what Reset starts, and what a change of bugs, mode or cluster size
    // starts at once.
    let read = {
        let (seed, nodes, q1, q2) = (seed.clone(), nodes.clone(), q1.clone(), q2.clone());
        let network = s.run.engine().sim().config().clone();
        Rc::new(move |bugs: P::Bugs, mode: Mode| -> Result<Settings<P>, String> {
            let settings = Settings {
                seed: parse_int("Seed", &seed, 0, u64::MAX)?,
                nodes: parse_int("Nodes", &nodes, MIN_NODES as u64, MAX_NODES as u64)? as usize,
                mode,
                q1: parse_quorum("Phase-1 quorum", &q1)?,
                q2: parse_quorum("Phase-2 quorum", &q2)?,
                bugs,
                latency: network.latency,
                faults: network.faults,
            };
            settings.sim_config()?;
            Ok(settings)
        })
    };
    let start = {
        let (error, d) = (error.clone(), props.dispatch.clone());
        Rc::new(move |parsed: Result<Settings<P>, String>| match parsed {
            Ok(settings) => {
                error.set(None);
                d.emit(Action::Reset(settings));
            }
            Err(m) => error.set(Some(m)),
        })
    };
    let onsubmit = {
        let (read, start, bugs, mode) = (read.clone(), start.clone(), bugs.clone(), mode.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            start(read(*bugs, *mode));
        })
    };
    // A new mode or cluster size starts a new run at once, as a bug switch does: no separate Reset to forget.
    let on_mode = {
        let (mode, read, start, bugs) = (mode.clone(), read.clone(), start.clone(), bugs.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let m = v.parse().unwrap_or_default();
            mode.set(m);
            start(read(*bugs, m));
        })
    };
    let on_nodes = {
        let (read, start, bugs, mode) = (read.clone(), start.clone(), bugs.clone(), mode.clone());
        Callback::from(move |_: Event| start(read(*bugs, *mode)))
    };
    html! {
        <section class="panel" aria-labelledby={s.view.id("setup-title")}>
            <h2 id={s.view.id("setup-title")}>{"Run"}</h2>
            <form class="knobs" {onsubmit} novalidate=true>
                // The mode, then the cluster, then its two quorums, which share a row (neither is left alone on one).
                if P::PAXOS_KNOBS {
                <div class="knob">
                    <label for={s.view.id("mode")}>{"Mode"}</label>
                    <select id={s.view.id("mode")} ref={mode_select.0} value={mode_select.1.clone()} onchange={on_mode}>
                        <option value="single">{"Single-decree Paxos"}</option>
                        <option value="multi">{"Multi-Paxos (log of slots)"}</option>
                    </select>
                </div>
                }
                { knob(s, ("seed", "Seed"), &seed, ("numeric", Some("1"), "setup-error")) }
                <div class="knob" title="A new size starts a new run">
                    <label for={s.view.id("nodes")}>{"Nodes (3–9)"}</label>
                    <input id={s.view.id("nodes")} type="text" inputmode="numeric" size="5" placeholder="3" value={(*nodes).clone()}
                        oninput={let v = nodes.clone(); Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                        onchange={on_nodes} aria-describedby={s.view.id("setup-error")} />
                </div>
                if P::PAXOS_KNOBS {
                <div class="quorums">
                    { knob(s, ("q1", "Phase-1 quorum"), &q1, ("numeric", Some("majority"), "setup-error")) }
                    { knob(s, ("q2", "Phase-2 quorum"), &q2, ("numeric", Some("majority"), "setup-error")) }
                </div>
                }
                <fieldset class="bugs">
                    <legend>{ format!("Protocol bugs (deliberately break {})", P::PROTOCOL) }</legend>
                    <p class="hint">{"A switch starts a new run at once, with the settings above (so does a new mode or size)."}</p>
                    { for P::bugs().iter().map(|&(b, name)| {
                        // A bug needs no Reset: switching it starts a new run at once, with the form's settings.
                        let (bugs2, read, start, mode) = (bugs.clone(), read.clone(), start.clone(), mode.clone());
                        let onchange = Callback::from(move |_: Event| {
                            let next = P::set_bug(*bugs2, b, !P::has_bug(*bugs2, b));
                            bugs2.set(next);
                            start(read(next, *mode));
                        });
                        let id = s.view.id(&format!("bug-{name}"));
                        html! {
                            <div class="bug">
                                <input type="checkbox" id={id.clone()} checked={P::has_bug(*bugs, b)} {onchange} />
                                <label for={id}>{ format!("Enable bug: {name}") }<span class="hint">{ format!(" — {}", P::bug_explanation(b)) }</span></label>
                            </div>
                        }
                    }) }
                </fieldset>
                <button type="submit" class="primary" id={s.view.id("reset")}>{"Reset with these settings"}</button>
                <p id={s.view.id("setup-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            </form>
            if s.run.settings.bugs != P::Bugs::default() {
                <p class="bug-warning">{ format!("⚠ Running with bugs: {}", bug_names::<P>(s.run.settings.bugs).join(", ")) }</p>
            }
        </section>
    }
}
