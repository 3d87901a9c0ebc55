//! Browser-only start-up: the panic banner, mounting the app, and the benchmark hook.

use wasm_bindgen::prelude::*;

use crate::components::app::App;
use crate::engine::bench_deliveries;

/// Shows a Rust panic in the static `#panic` element of `index.html` (outside the Yew tree, so it works even when
/// the app is broken) instead of leaving a blank or frozen page.
pub fn install_panic_hook() {
    // Through Yew, which would otherwise install its own console-only hook when the app renders.
    yew::set_custom_panic_hook(Box::new(|info| {
        let text = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!("paxos playground panicked: {text}")));
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(m) = doc.get_element_by_id("panic-message") {
            // Text content, never HTML: the message may quote user input.
            m.set_text_content(Some(&text));
        }
        if let Some(el) = doc.get_element_by_id("panic") {
            let _ = el.remove_attribute("hidden");
        }
    }));
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// `window.paxosBench(deliveries)`: the CLI's throughput benchmark, run in wasm; returns
/// `{ deliveries_per_sec, deliveries, ms }`.
fn install_bench() {
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(|target: f64| {
        let (rate, n, ms) = bench_deliveries(target.max(1.0) as u64, now_ms);
        let o = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&o, &"deliveries_per_sec".into(), &rate.into());
        let _ = js_sys::Reflect::set(&o, &"deliveries".into(), &(n as f64).into());
        let _ = js_sys::Reflect::set(&o, &"ms".into(), &ms.into());
        o.into()
    });
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"paxosBench".into(), f.as_ref());
    }
    f.forget();
}

/// Starts the app in `#app`. With `?panic-test` in the URL it panics on purpose a moment later, so the end-to-end
/// tests can check the error banner.
pub fn start() {
    install_panic_hook();
    install_bench();
    let root = gloo::utils::document().get_element_by_id("app").expect("index.html has #app");
    // Remove the "Loading…" placeholder (static text, no user input).
    root.set_inner_html("");
    yew::Renderer::<App>::with_root(root).render();
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if search.contains("panic-test") {
        gloo::timers::callback::Timeout::new(50, || panic!("deliberate panic requested by ?panic-test")).forget();
    }
}
