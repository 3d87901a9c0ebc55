//! Sharing a run: the link (also kept in the address bar), and traces in the CLI's JSON format.

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::draw::Draw;

use super::{send, StateProps};
use crate::state::Action;

/// The page address of this run, as the address bar holds it (see `Options::address`): an unchanged scenario by
/// name, anything else by its `#run=` link.
pub fn page_url<P: crate::protocol::Look>(s: &crate::state::AppState<P>) -> String {
    // Relative where there is no window (the first screen rendered natively).
    let loc = super::window().map(|w| w.location());
    let read = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        loc.as_ref().and_then(|l| f(l).ok()).unwrap_or_default()
    };
    format!(
        "{}{}{}",
        read(web_sys::Location::origin),
        read(web_sys::Location::pathname),
        crate::options::Options::address(
            &read(web_sys::Location::search),
            s.run.shown(),
            s.view.arrows,
            s.practice_param()
        )
    )
}

pub(crate) fn copy_to_clipboard(text: &str) -> bool {
    let nav = gloo::utils::window().navigator();
    let Ok(clip) = js_sys::Reflect::get(&nav, &"clipboard".into()) else { return false };
    let Ok(write) = js_sys::Reflect::get(&clip, &"writeText".into()) else { return false };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else { return false };
    match write.call1(&clip, &text.into()) {
        Ok(p) => {
            // A refused permission rejects the promise; the link is still shown in the field to copy by hand.
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
                let _ = p.catch(&ignore);
                ignore.forget();
            }
            true
        }
        Err(_) => false,
    }
}

fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The Share panel.
#[component]
pub fn SharePanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let copied = use_state(|| false);
    // While playing the run grows every frame; the link is worked out when it is paused (the address bar is kept in
    // step about once a second meanwhile).
    let url = if s.run.playing { String::new() } else { page_url(s) };
    let on_copy = {
        let (url, copied) = (url.clone(), copied.clone());
        Callback::from(move |_| copied.set(copy_to_clipboard(&url)))
    };
    // Traces are read and written by the trace worker (`crate::worker`), started on first use: the page sends the
    // run as its link and gets the trace back, or sends a file's text and gets the run as a link.
    let busy = use_state(|| false);
    let on_export = {
        let (s, d, busy) = (s.clone(), d.clone(), busy.clone());
        Callback::from(move |_| {
            let name = format!("paxos-run-seed{}.json", s.run.engine().tape.seed);
            let (d, busy2) = (d.clone(), busy.clone());
            busy.set(true);
            let done = Callback::from(move |answer: Result<String, String>| {
                busy2.set(false);
                match answer {
                    Ok(trace) => download(&name, &trace),
                    Err(e) => d.emit(Action::Notice(format!("The trace could not be written: {e}"))),
                }
            });
            crate::worker::ask(crate::worker::Job::Export, s.run.link(), done);
        })
    };
    let on_import = {
        let (d, busy) = (d.clone(), busy.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            if file.size() > paxos_sim::limits::MAX_FILE_BYTES as f64 {
                let mib = paxos_sim::limits::MAX_FILE_BYTES >> 20;
                return d.emit(Action::OpenTrace(Err(format!("The file is larger than {mib} MiB, the limit."))));
            }
            let (d, busy) = (d.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                let done = Callback::from(move |answer| {
                    busy.set(false);
                    d.emit(Action::OpenTrace(answer));
                });
                match text.ok().and_then(|t| t.as_string()) {
                    Some(text) => crate::worker::ask(crate::worker::Job::Import, text, done),
                    None => done.emit(Err("The file could not be read.".into())),
                }
            });
        })
    };
    html! {
        <section class="panel share" aria-label="Share">
            <h2>{"Share this run"}</h2>
            <p class="hint">{"The address bar always holds this run (settings, seed, every action and the moment shown): copy it to share. "}
                if s.run.playing { {"Pause to copy a link to the moment shown."} } else { { format!("This link is {} characters.", url.len()) } }</p>
            <div class="row">
                <input type="text" readonly=true id={s.view.id("share-link")} aria-label="Link to this run" value={url} />
                <button type="button" id={s.view.id("copy-link")} onclick={on_copy} disabled={s.run.playing}>{"Copy link"}</button>
                if *copied { <span class="hint" role="status">{"Copied."}</span> }
            </div>
            <div class="row">
                <button type="button" id={s.view.id("export-trace")} onclick={on_export} disabled={*busy}>{"Export trace"}</button>
                <label class="file-button">{"Import trace "}
                    <input type="file" id={s.view.id("import-trace")} accept=".json,application/json" onchange={on_import} />
                </label>
                <button type="button" class="small" onclick={send(d, Action::Seek(0))}>{"Rewind to start"}</button>
                if *busy { <span class="hint" role="status">{"Working on the trace…"}</span> }
            </div>
            <p class="hint">{"Traces use the CLI's JSON format: "}<code>{"paxos replay run.json"}</code>{" checks an exported one; a trace from "}
                <code>{"paxos run"}</code>{" or a fuzz counterexample opens here at its end."}</p>
        </section>
    }
}
