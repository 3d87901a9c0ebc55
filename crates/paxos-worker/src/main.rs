//! The worker's entry: it says `{ ready: true }` once its handler is in place (messages that arrive while the
//! module is still being compiled would be lost), then each message `{ op, text }` gets its answer:
//! * `import` (a trace's text) and `export` (a link): one reply `{ ok: true, text }` or `{ ok: false, error }`;
//! * `check` (a link): replies `{ progress }` (a sentence: states, depth, states per second, memory) about ten
//!   times a second while the search runs, then `{ ok: true, done: true, text, safe, states, rate }` (`text` the
//!   verdict in words, `safe` when every future was checked and none broke a rule) with, when a future breaks a
//!   rule, `message` (the checker's sentence) and `fork` (the link of the counterexample); or `{ ok: false,
//!   error }`. The page cancels a check by ending the worker.
//! * `series` (a link; `all: "1"` for the whole run's CSV, else its last 6,000 time units'): one reply `{ ok: true,
//!   text, meter, stalled, time }`: the meter's CSV, its sentence (a stall named, or the throughput), whether requests
//!   are stalled, and the moment's simulated time (web/charts.js);
//! * `payload` (a message's number, a space and a link): `{ ok: true, text }`, the JSON of that message in flight at the
//!   link's moment, as traces write it (the page's message inspector);
//! * `moment` (a simulated time): `{ ok: true, moment }`, the last moment of the last series' run at that time or
//!   before (a click on a chart).
//!
//! See `lib.rs`. Trunk builds it with wasm-bindgen's no-modules glue; `web/paxos-worker_loader.js` loads the two,
//! and the page starts that file as a classic worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
        let text = get("text");
        let reply = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&reply, &k.into(), &v);
        };
        let result = match get("op").as_str() {
            "import" => paxos_worker::trace_to_link(&text).map(|t| set("text", t.into())),
            "export" => paxos_worker::link_to_trace(&text).map(|t| set("text", t.into())),
            "series" => paxos_worker::series(&text, get("all") == "1").map(|r| {
                set("text", r.csv.into());
                set("meter", r.meter.into());
                set("stalled", r.stalled.into());
                set("time", (r.time as f64).into());
            }),
            "payload" => text
                .split_once(' ')
                .and_then(|(id, link)| Some((id.parse().ok()?, link)))
                .ok_or_else(|| "No message to inspect.".to_string())
                .and_then(|(id, link)| paxos_worker::payload(link, id))
                .map(|t| set("text", t.into())),
            "moment" => text
                .parse()
                .ok()
                .and_then(paxos_worker::moment_at)
                .map(|m| set("moment", (m as f64).into()))
                .ok_or_else(|| "No run measured yet.".to_string()),
            "check" => {
                let t0 = js_sys::Date::now();
                let mut last = t0;
                let rate = |states: u64, now: f64| states as f64 * 1000.0 / (now - t0).max(1.0);
                let mut progress = |p: &paxos_sim::explore::Progress| {
                    let now = js_sys::Date::now();
                    if now - last >= 100.0 {
                        last = now;
                        let msg = js_sys::Object::new();
                        let line = paxos_worker::progress_line(p, rate(p.unique_states, now));
                        let _ = js_sys::Reflect::set(&msg, &"progress".into(), &line.into());
                        let _ = reply_to.post_message(&msg);
                    }
                    true
                };
                paxos_worker::check(&text, &mut progress).map(|a| {
                    set("done", JsValue::TRUE);
                    set("text", a.verdict().into());
                    set("safe", (a.complete && a.broken.is_none()).into());
                    set("states", (a.states as f64).into());
                    set("rate", rate(a.states, js_sys::Date::now()).into());
                    if let Some(b) = a.broken {
                        set("message", b.message.into());
                        set("fork", b.fork.into());
                    }
                })
            }
            other => Err(format!("The worker does not know the operation “{}”.", paxos_sim::limits::quote(other))),
        };
        match result {
            Ok(()) => set("ok", JsValue::TRUE),
            Err(m) => {
                set("ok", JsValue::FALSE);
                set("error", m.into());
            }
        }
        let _ = reply_to.post_message(&reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
}

/// Natively there is no worker: the conversions are the library's (and `paxos replay` is the CLI's).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("paxos-worker runs in a browser's Web Worker; natively, use `paxos replay` and `paxos check --link`.");
}
