//! The page's side of the trace worker (`crates/paxos-worker`): reading and writing the CLI's JSON traces happens
//! in a second WebAssembly module, started in a Web Worker when a person imports or exports a trace, so the page's
//! own download carries no JSON code and a long replay never freezes it. One worker per request, ended when it
//! answers. The worker's files sit beside `paxos-web.js` (`paxos-worker_loader.js`, `paxos-worker.js`,
//! `paxos-worker_bg.wasm`), found from this module's own address, so a documentation page that loads the
//! playground from another folder finds them too.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

#[wasm_bindgen(
    inline_js = "export function worker_url() { return new URL('../../paxos-worker_loader.js', import.meta.url).href; }"
)]
extern "C" {
    /// The loader's address: wasm-bindgen places this snippet two folders below `paxos-web.js`.
    fn worker_url() -> String;
}

/// What the worker does: `Import` a trace's text into a link, `Export` a link's run as a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// A trace file's text in, the run as a link out.
    Import,
    /// A link in, the trace of its run out.
    Export,
}

/// Starts a worker for `job` on `text` and calls `done` with its answer: the text, or a sentence saying why not.
/// The job is sent when the worker says it is ready: a message sent while its module is still compiling is lost.
pub fn ask(job: Job, text: String, done: Callback<Result<String, String>>) {
    let worker = match web_sys::Worker::new(&worker_url()) {
        Ok(w) => w,
        Err(_) => return done.emit(Err("The trace worker could not start in this browser.".into())),
    };
    let op = match job {
        Job::Import => "import",
        Job::Export => "export",
    };
    let (w, d) = (worker.clone(), done.clone());
    let mut job = Some((op, text));
    // Called twice (ready, then the answer), so kept for the page's life: a few bytes per trace a person opens.
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
        if get("ready").and_then(|v| v.as_bool()) == Some(true) {
            if let Some((op, text)) = job.take() {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"op".into(), &op.into());
                let _ = js_sys::Reflect::set(&msg, &"text".into(), &text.into());
                let _ = w.post_message(&msg);
            }
            return;
        }
        w.terminate();
        let text = |k: &str| get(k).and_then(|v| v.as_string());
        d.emit(match (get("ok").and_then(|v| v.as_bool()), text("text"), text("error")) {
            (Some(true), Some(text), _) => Ok(text),
            (_, _, Some(error)) => Err(error),
            _ => Err("The trace worker gave no answer.".into()),
        });
    });
    let w = worker.clone();
    let on_error = Closure::once_into_js(move |_: web_sys::Event| {
        w.terminate();
        done.emit(Err("The trace worker could not be loaded (its files must sit beside paxos-web.js).".into()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    worker.set_onerror(Some(on_error.unchecked_ref()));
}
