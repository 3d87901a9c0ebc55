//! The page's side of the worker (`crates/paxos-worker`): reading and writing the CLI's JSON traces, and "Check
//! every future", happen in a second WebAssembly module, started in a Web Worker when a person imports or exports a
//! trace or starts a check, so the page's own download carries neither and a long replay or search never freezes
//! it. One worker per request, ended when it answers (or when a check is cancelled). The worker's files sit beside `paxos-web.js` (`paxos-worker_loader.js`, `paxos-worker.js`,
//! `paxos-worker_bg.wasm`), found from this module's own address, so a documentation page that loads the
//! playground from another folder finds them too.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

#[wasm_bindgen(
    inline_js = "const at = (f) => new URL('../../' + f, import.meta.url).href; export function worker_url() { return at('paxos-worker_loader.js'); } export function charts(el, link) { (el.charts ??= import(at('charts.js')).then((m) => m.mount(el, el.id))).then((c) => c.update(link), () => { el.textContent = 'charts.js could not be loaded.'; }); }"
)]
extern "C" {
    /// The loader's address: wasm-bindgen places this snippet two folders below `paxos-web.js`.
    fn worker_url() -> String;
    /// Shows the run of `link` in the charts panel's element: loads `charts.js` beside `paxos-web.js` the first time
    /// (web/charts.js: it draws, and asks its own worker for the numbers).
    pub fn charts(el: &web_sys::Node, link: &str);
}

/// What the worker does: `Import` a trace's text into a link, `Export` a link's run as a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// A trace file's text in, the run as a link out.
    Import,
    /// A link in, the trace of its run out.
    Export,
    /// A message's number, a space and a link in; that message's payload out, as traces write it (the inspector).
    Payload,
}

/// Starts the worker, sends it `op` and `text` once it says it is ready, and hands each later message to
/// `on_reply`, which returns `true` at the last one (the worker is then ended). `failed` hears why it could not
/// start or load. Returns the worker, which the caller may end sooner (a cancel).
fn start(
    op: &'static str,
    text: String,
    mut on_reply: Box<dyn FnMut(&JsValue) -> bool>,
    failed: Callback<String>,
) -> Option<web_sys::Worker> {
    let Ok(worker) = web_sys::Worker::new(&worker_url()) else {
        failed.emit("The worker could not start in this browser.".into());
        return None;
    };
    let w = worker.clone();
    let mut job = Some(text);
    // Called for each message, so kept for the page's life: a few bytes per job a person starts.
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        if field(&data, "ready").as_bool() == Some(true) {
            if let Some(text) = job.take() {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"op".into(), &op.into());
                let _ = js_sys::Reflect::set(&msg, &"text".into(), &text.into());
                let _ = w.post_message(&msg);
            }
        } else if on_reply(&data) {
            w.terminate();
        }
    });
    let w = worker.clone();
    let on_error = Closure::once_into_js(move |_: web_sys::Event| {
        w.terminate();
        failed.emit("The worker could not be loaded (its files must sit beside paxos-web.js).".into());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    worker.set_onerror(Some(on_error.unchecked_ref()));
    Some(worker)
}

/// A field of a worker's message.
fn field(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn string(data: &JsValue, key: &str) -> Option<String> {
    field(data, key).as_string()
}

/// Starts a worker for `job` on `text` and calls `done` with its answer: the text, or a sentence saying why not.
pub fn ask(job: Job, text: String, done: Callback<Result<String, String>>) {
    let op = match job {
        Job::Import => "import",
        Job::Export => "export",
        Job::Payload => "payload",
    };
    let d = done.clone();
    let on_reply = move |data: &JsValue| {
        d.emit(match (field(data, "ok").as_bool(), string(data, "text"), string(data, "error")) {
            (Some(true), Some(text), _) => Ok(text),
            (_, _, Some(error)) => Err(error),
            _ => Err("The trace worker gave no answer.".into()),
        });
        true
    };
    start(op, text, Box::new(on_reply), done.reform(Err));
}

/// What a check found (the worker writes the words: `crates/paxos-worker`'s `CheckAnswer::verdict`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    /// The verdict, a paragraph.
    pub verdict: String,
    /// Every future was checked and none broke a rule.
    pub safe: bool,
    /// When a future breaks a rule: the checker's sentence, and the link of the run forked along that future.
    pub broken: Option<(String, String)>,
}

/// Checks every future of the moment `link` shows in a worker: `on_progress` hears how far it got (a sentence)
/// about ten times a second, `done` the answer or why there is none. End the returned worker to cancel.
pub fn check(
    link: String,
    on_progress: Callback<String>,
    done: Callback<Result<Checked, String>>,
) -> Option<web_sys::Worker> {
    let d = done.clone();
    let on_reply = move |data: &JsValue| {
        if let Some(line) = string(data, "progress") {
            on_progress.emit(line);
            return false;
        }
        d.emit(match (field(data, "ok").as_bool(), string(data, "text"), string(data, "error")) {
            (Some(true), Some(verdict), _) => Ok(Checked {
                verdict,
                safe: field(data, "safe").as_bool() == Some(true),
                broken: string(data, "fork").map(|fork| (string(data, "message").unwrap_or_default(), fork)),
            }),
            (_, _, Some(error)) => Err(error),
            _ => Err("The worker gave no answer.".into()),
        });
        true
    };
    start("check", link, Box::new(on_reply), done.reform(Err))
}
