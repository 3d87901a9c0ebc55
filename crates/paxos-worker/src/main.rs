//! The worker's entry: it says `{ ready: true }` once its handler is in place (messages that arrive while the
//! module is still being compiled would be lost), then each message `{ op: "import" | "export", text }` gets one
//! reply `{ ok: true, text }` or `{ ok: false, error }` (see `lib.rs`). Trunk builds it with a loader shim, `paxos-worker_loader.js`, which the
//! page starts as a classic worker.

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
        let result = match get("op").as_str() {
            "import" => paxos_worker::trace_to_link(&text),
            "export" => paxos_worker::link_to_trace(&text),
            other => {
                Err(format!("The trace worker does not know the operation “{}”.", paxos_sim::limits::quote(other)))
            }
        };
        let reply = js_sys::Object::new();
        let (ok, key, value) = match result {
            Ok(t) => (true, "text", t),
            Err(m) => (false, "error", m),
        };
        let _ = js_sys::Reflect::set(&reply, &"ok".into(), &ok.into());
        let _ = js_sys::Reflect::set(&reply, &key.into(), &value.into());
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
    eprintln!("paxos-worker runs in a browser's Web Worker; natively, use `paxos replay`.");
}
