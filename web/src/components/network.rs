//! Network knobs (loss, duplication, latency) and partition presets.

use paxos_core::NodeId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{send, StateProps};
use crate::input::parse_network;
use crate::state::{Action, AppState};

fn text_field(s: &AppState, id: &'static str, label: &'static str, value: &UseStateHandle<String>) -> Html {
    let v = value.clone();
    let oninput = Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value()));
    html! {
        <div class="knob">
            <label for={s.id(id)}>{ label }</label>
            <input id={s.id(id)} type="text" inputmode="decimal" size="5" value={(**value).clone()} {oninput}
                aria-describedby={s.id("network-error")} />
        </div>
    }
}

/// Split the cluster into a minority and a majority; the minority holds the leader when there is one, so the split
/// forces an election.
pub fn minority_majority(s: &AppState) -> Vec<Vec<NodeId>> {
    let n = s.snap.nodes.len();
    let k = (n - 1) / 2;
    let leader = s.snap.leader.map_or(0, |l| l.index());
    let minority: Vec<NodeId> = (0..k).map(|i| NodeId(((leader + i) % n) as u8)).collect();
    let majority: Vec<NodeId> = (0..n).map(|i| NodeId(i as u8)).filter(|id| !minority.contains(id)).collect();
    vec![minority, majority]
}

/// The panel.
#[component]
pub fn NetworkPanel(props: &StateProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let cfg = s.engine().sim().config().clone();
    let loss = use_state(|| cfg.faults.loss.to_string());
    let dup = use_state(|| cfg.faults.dup.to_string());
    let min = use_state(|| cfg.latency.0.to_string());
    let max = use_state(|| cfg.latency.1.to_string());
    let error = use_state(|| None::<String>);
    // The boxes follow the run's network when it changes (a new run, Apply, or time travel across a change).
    {
        let (loss, dup, min, max, error) = (loss.clone(), dup.clone(), min.clone(), max.clone(), error.clone());
        use_effect_with((cfg.latency, cfg.faults), move |(latency, faults)| {
            error.set(None);
            loss.set(faults.loss.to_string());
            dup.set(faults.dup.to_string());
            min.set(latency.0.to_string());
            max.set(latency.1.to_string());
        });
    }
    let onsubmit = {
        let (loss, dup, min, max, error, d) =
            (loss.clone(), dup.clone(), min.clone(), max.clone(), error.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match parse_network(&loss, &dup, &min, &max) {
                Ok((latency, faults)) => {
                    error.set(None);
                    d.emit(Action::Network { latency, faults });
                }
                Err(m) => error.set(Some(m)),
            }
        })
    };
    let leader = s.snap.leader;
    let isolate_leader = match leader {
        Some(l) => send(d, Action::Partition(vec![vec![l]])),
        None => send(d, Action::Select(crate::state::Selection::None)),
    };
    html! {
        <section class="panel" aria-labelledby={s.id("network-title")}>
            <h2 id={s.id("network-title")}>{"Network"}</h2>
            <form class="knobs" {onsubmit} novalidate=true>
                { text_field(s, "loss", "Loss %", &loss) }
                { text_field(s, "dup", "Duplication %", &dup) }
                { text_field(s, "lat-min", "Latency min", &min) }
                { text_field(s, "lat-max", "Latency max", &max) }
                <button type="submit" id={s.id("apply-network")}>{"Apply network settings"}</button>
                <p id={s.id("network-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            </form>
            <p class="hint">{ format!("Now: latency {}..{}, loss {} %, duplication {} %.", cfg.latency.0, cfg.latency.1, cfg.faults.loss, cfg.faults.dup) }</p>
            <div class="actions">
                <button type="button" onclick={isolate_leader} disabled={leader.is_none()}
                    title={if leader.is_none() { "There is no leader right now" } else { "" }}>{"Isolate the leader"}</button>
                <button type="button" onclick={send(d, Action::Partition(minority_majority(s)))}>{"Split minority/majority"}</button>
                <button type="button" class="primary" onclick={send(d, Action::Heal)}>{"Heal all"}</button>
            </div>
        </section>
    }
}
