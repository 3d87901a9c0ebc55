//! The Exercises panel: the list of built-in exercises (a ✓ on those solved in this browser), and the exercise being
//! worked on: its task, each condition of its goal as it holds or not, hints on request, and once solved what it
//! teaches and a link to the solution, which re-verifies itself when opened. The exercises, with the scenarios, are
//! fetched on first use (`lessons.txt`, beside `paxos-web.js`), so the page's first download carries none of them.

use paxos_sim::goal::Progress;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::draw::Draw;

use super::{send, StateProps};
use crate::state::Action;

#[wasm_bindgen(
    inline_js = "export function lessons_url() { return new URL('../../lessons.txt', import.meta.url).href; }"
)]
extern "C" {
    /// `lessons.txt` beside `paxos-web.js`: wasm-bindgen places this snippet two folders below it.
    fn lessons_url() -> String;
}

/// Fetches the exercises and hands their text (or why not) to `done`.
pub fn load<P: crate::protocol::Look>(done: Callback<Action<P>>) {
    wasm_bindgen_futures::spawn_local(async move {
        let failed = |_| String::from("the file lessons.txt must sit beside paxos-web.js");
        let text = async {
            let resp = wasm_bindgen_futures::JsFuture::from(gloo::utils::window().fetch_with_str(&lessons_url()))
                .await
                .map_err(failed)?;
            let resp: web_sys::Response = resp.dyn_into().map_err(failed)?;
            if !resp.ok() {
                return Err(failed(JsValue::NULL));
            }
            let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(failed)?).await.map_err(failed)?;
            text.as_string().ok_or_else(|| failed(JsValue::NULL))
        };
        done.emit(Action::LessonsLoaded(text.await));
    });
}

/// The key under which this browser keeps the exercises solved.
const KEY: &str = "paxos-playground:solved";

/// The exercises solved in this browser (empty where storage is off).
pub fn stored() -> String {
    let storage = super::window().and_then(|w| w.local_storage().ok().flatten());
    storage.and_then(|s| s.get_item(KEY).ok().flatten()).unwrap_or_default()
}

/// Keeps the exercises solved in this browser.
pub fn store(solved: &str) {
    if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = s.set_item(KEY, solved);
    }
}

/// The Exercises panel.
#[component]
pub fn ExercisePanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let link = use_state(String::new);
    let solved = |id: &str| s.view.solved.split(',').any(|x| x == id);
    let list = match s.view.lessons.as_ref().filter(|_| s.view.exercise_list) {
        None => html! {},
        Some((_, all)) => {
            let done = all.0.iter().filter(|e| solved(&e.id)).count();
            html! {
                <section class="panel exercises" aria-labelledby={s.view.id("exs-h")}>
                    <h2 id={s.view.id("exs-h")}>{"Exercises"}</h2>
                    <p class="hint">{format!("A goal to reach; the page checks it as you play. {done} of {} solved.", all.0.len())}</p>
                    <ol class="ex-list">
                        { for all.0.iter().map(|e| html! {
                            <li>
                                <button type="button" class="link" onclick={send(d, Action::Exercises(Some(e.id.clone())))}>
                                    { if solved(&e.id) { "✓ " } else { "" } }{ &e.title }
                                </button>
                                <span class="hint">{ &e.task }</span>
                            </li>
                        }) }
                    </ol>
                    <button type="button" class="small" onclick={send(d, Action::ForgetSolved)} disabled={done == 0}>{"Forget what I solved"}</button>
                </section>
            }
        }
    };
    let Some(p) = &s.run.practice else { return list };
    let e = &p.exercise;
    let custom = e.id.is_empty();
    let progress = s.run.progress();
    let copy = {
        let (link, state) = (link.clone(), s.clone());
        Callback::from(move |_: MouseEvent| {
            let url = super::share::page_url(&state);
            super::share::copy_to_clipboard(&url);
            link.set(url);
        })
    };
    let body = match &progress {
        Some(Progress::Met { actions, .. }) => html! {
            <>
                <p class="solved" role="status"><strong>{"✓ Solved"}</strong>{format!(" in {actions} action{}.", if *actions == 1 { "" } else { "s" })}</p>
                if !e.teaches.is_empty() { <p>{ &e.teaches }</p> }
                <p><button type="button" class="small" onclick={copy}>{"Copy solution link"}</button></p>
                if !link.is_empty() { <input class="link-text" readonly=true value={(*link).clone()} aria-label="Solution link" /> }
            </>
        },
        Some(Progress::Lost(why)) => html! {
            <p class="lost" role="status"><strong>{"Not solved: "}</strong>{ why }{". Step back on the timeline, or start again."}</p>
        },
        Some(Progress::Open(terms)) => html! {
            <ul class="goal" aria-label="Goal">
                { for terms.iter().map(|(t, ok)| html! {
                    <li class={classes!(ok.then_some("ok"))}>{ if *ok { "✓ " } else { "○ " } }{ t.describe_for::<P>() }</li>
                }) }
            </ul>
        },
        None => html! {},
    };
    let actions = s.run.engine().now.goal.as_ref().map_or(0, |w| w.actions());
    let only = s.run.engine().now.goal.as_ref().and_then(|w| w.only().map(|o| o.join(", ")));
    html! {
        <>
        <section class="panel exercise" aria-labelledby={s.view.id("ex-h")}>
            <h2 id={s.view.id("ex-h")}>{ if custom { "Goal" } else { "Exercise: " } }{ if custom { "" } else { e.title.as_str() } }</h2>
            <p class="task">{ &e.task }</p>
            { body }
            <p class="hint">
                { format!("Actions so far: {actions}. ") }
                if let Some(only) = only { { format!("Offered: {only}, and Play or Step.") } }
            </p>
            { for e.hints.iter().take(p.hints).enumerate().map(|(i, h)| html! { <p class="ex-hint">{format!("Hint {}: {h}", i + 1)}</p> }) }
            <div class="row">
                if p.hints < e.hints.len() { <button type="button" class="small" onclick={send(d, Action::Hint)}>{"Hint"}</button> }
                if !custom { <button type="button" class="small" onclick={send(d, Action::PractiseAgain)}>{"Start again"}</button> }
                <button type="button" class="small" onclick={send(d, Action::Exercises(None))}>{"All exercises"}</button>
                <button type="button" class="small" onclick={send(d, Action::PractiseEnd)}>{"Leave"}</button>
            </div>
        </section>
        { list }
        </>
    }
}
