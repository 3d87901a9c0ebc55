//! Time controls: Play/Pause, Step, speed, and the clock.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::draw::Draw;

use super::{send, use_select_value, StateProps};
use crate::state::{Action, SPEEDS};

/// The toolbar above the drawing.
#[component]
pub fn Toolbar<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let speed = use_select_value(Some(s.view.speed.to_string()));
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(i) = v.parse() {
                d.emit(Action::SetSpeed(i));
            }
        })
    };
    let in_flight = s.run.snap.messages.len();
    // A first proposal in a paused run leaves its messages waiting at the proposer: say how to let them go (a
    // scenario's own panel says how to play its stages).
    let waiting = !s.run.playing && s.run.snap.step == 0 && in_flight > 0 && s.run.tour.is_none();
    html! {
        <>
        <div class="toolbar" role="toolbar" aria-label="Time">
            if s.run.playing {
                <button type="button" class="primary" id={s.view.id("play")} onclick={send(d, Action::Pause)} title="Space">{"Pause"}</button>
            } else {
                // Not the page's primary action while there is nothing to run (a fresh page's is to propose).
                <button type="button" class={classes!((!s.run.idle()).then_some("primary"))} id={s.view.id("play")} onclick={send(d, Action::Play)} title="Space">{"Play"}</button>
            }
            <button type="button" id={s.view.id("step")} onclick={send(d, Action::Step)} title="→">{"Step"}</button>
            <label class="inline">{"Speed "}
                <select id={s.view.id("speed")} ref={speed.0} value={speed.1.clone()} onchange={on_speed}>
                    { for SPEEDS.iter().enumerate().map(|(i, (name, _))| html! {
                        <option value={i.to_string()}>{ *name }</option>
                    }) }
                </select>
            </label>
            // One clock on the page, the moment (the timeline's); the simulated time and the step are for the inspector.
            <span class="clock" aria-live="off" data-time={format!("{:.0}", s.run.clock)} data-step={s.run.snap.step.to_string()}
                title={format!("simulated time {:.0}, event {}", s.run.clock, s.run.snap.step)}>
                { format!("{} message{} in flight", in_flight, if in_flight == 1 { "" } else { "s" }) }
            </span>
            <button type="button" class="help-button" onclick={send(d, Action::ToggleHelp)} title="Keyboard shortcuts (?)"
                aria-label="Show keyboard shortcuts">{"?"}</button>
        </div>
        if let Some(note) = s.run.idle_note {
            // Play found nothing to run (or the run ran out): what to do instead, under the button pressed.
            <p class="hint paused-hint idle-note" role="status">{ note }</p>
        } else if waiting {
            <p class="hint paused-hint" role="status">
                { format!("Paused: the message{} wait{} at the sender. Press Play (Space) to let time flow, or Step (→) for one event at a time.",
                    if in_flight == 1 { "" } else { "s" }, if in_flight == 1 { "s" } else { "" }) }
            </p>
        }
        </>
    }
}
