//! Browser-only start-up: the panic banner, mounting the app, and the benchmark hook.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use paxos_core::NodeId;

use crate::components::app::{App, AppProps, Remote};
use crate::input::parse_value;
use crate::options::{Options, Source};
use crate::state::Action;

/// Shows a failure in the static `#panic` element of `index.html` (outside the Yew tree, so it works even when the
/// app is broken) instead of leaving a blank or frozen page.
fn show_failure(text: &str) {
    web_sys::console::error_1(&JsValue::from_str(&format!("paxos playground stopped: {text}")));
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(m) = doc.get_element_by_id("panic-message") {
        // Text content, never HTML: the message may quote user input.
        m.set_text_content(Some(text));
    }
    if let Some(el) = doc.get_element_by_id("panic") {
        let _ = el.remove_attribute("hidden");
    }
    // The Reload button's handler is attached here, not inline: a strict Content-Security-Policy forbids inline
    // handlers (docs/hosting.md).
    if let Some(b) = doc.get_element_by_id("panic-reload") {
        gloo::events::EventListener::new(&b, "click", |_| {
            let _ = gloo::utils::window().location().reload();
        })
        .forget();
    }
}

/// Shows a Rust panic, or the trap it becomes, in the page's error banner. The page's release build aborts on a
/// panic without formatting it (`panic = "immediate-abort"`, `scripts/build.sh`: 27 KB gzip of the download), so
/// the wasm traps with `unreachable` and the browser reports a `RuntimeError`: a listener on the window shows that.
/// Builds that keep panics (tests, `trunk serve` without the script) show the panic's own message.
pub fn install_panic_hook() {
    // Through Yew, which would otherwise install its own console-only hook when the app renders.
    yew::set_custom_panic_hook(Box::new(|info| show_failure(&info.to_string())));
    gloo::events::EventListener::new(&gloo::utils::window(), "error", |e| {
        let text = js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
        if text.contains("RuntimeError") || text.contains("unreachable") {
            show_failure(&text);
        }
    })
    .forget();
}

#[cfg(feature = "raft")]
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// `window.paxosBench(deliveries)`: the CLI's throughput benchmark, run in wasm; returns
/// `{ deliveries_per_sec, deliveries, ms }`.
#[cfg(feature = "raft")]
fn install_bench() {
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(|target: f64| {
        let (rate, n, ms) = crate::bench::bench_deliveries(target.max(1.0) as u64, now_ms);
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
    // `window.paxosTravelBench()`: the time-travel benchmark (seeks and link length), in wasm.
    let f = Closure::<dyn Fn() -> JsValue>::new(|| {
        let r = crate::bench::bench_time_travel(now_ms);
        let o = js_sys::Object::new();
        let seeks = js_sys::Array::new();
        for ms in &r.seeks_ms {
            seeks.push(&(*ms).into());
        }
        let _ = js_sys::Reflect::set(&o, &"moments".into(), &(r.moments as f64).into());
        let _ = js_sys::Reflect::set(&o, &"play_ms".into(), &r.play_ms.into());
        let _ = js_sys::Reflect::set(&o, &"seeks_ms".into(), &seeks);
        let _ = js_sys::Reflect::set(&o, &"checkpoints".into(), &(r.checkpoints.0 as f64).into());
        let _ = js_sys::Reflect::set(&o, &"link_chars_1000_actions".into(), &(r.link_chars_1000_actions as f64).into());
        o.into()
    });
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"paxosTravelBench".into(), f.as_ref());
    }
    f.forget();
}

/// `window.paxosPanicTest()`: panics on purpose a moment later, in either module.
fn install_panic_test() {
    // `window.paxosPanicTest()`: panics on purpose a moment later, so the end-to-end tests can check the error
    // banner. Only a script on the page can call it; no address can (a `?panic-test` anywhere in a link crashed the
    // page for whoever opened it). The panic comes from a timer, not from the call, so the caller is not broken.
    let f = Closure::<dyn Fn()>::new(|| {
        gloo::timers::callback::Timeout::new(50, || panic!("deliberate panic requested by window.paxosPanicTest()"))
            .forget();
    });
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"paxosPanicTest".into(), f.as_ref());
    }
    f.forget();
}

/// Starts the app in `#app`, with the options of the page's URL (`?embed=1&scenario=…`, `#run=…`). A page without
/// `#app` (such as `embed-example.html`) starts nothing: it calls [`mount`].
pub fn start() {
    install_panic_hook();
    install_panic_test();
    // The benchmarks (e2e/bench.mjs) ride in the second module: they cost the Paxos page's first download 2 KB, and
    // its Paxos code is the same source built the same way.
    #[cfg(feature = "raft")]
    install_bench();
    // The page's protocol, by the address's `protocol`: the loader started the module that runs it (start.js), and
    // only the second module has Raft (`feature = "raft"`); Paxos's own module reads a Raft address as Paxos's
    // options, which refuse it by name.
    #[cfg(feature = "raft")]
    {
        let loc = gloo::utils::window().location();
        let search = loc.search().unwrap_or_default();
        let pairs = search.trim_start_matches('?').split('&').filter_map(|p| p.split_once('='));
        let pairs = pairs.map(|(k, v)| (k.to_owned(), v.to_owned()));
        // A shared run's link names its protocol too (`#run=2.…`, a Raft link, opened without `protocol=raft`).
        let hash = loc.hash().unwrap_or_default();
        let link = hash.strip_prefix("#run=").and_then(|l| paxos_sim::link::protocol_of(l).ok());
        let raft = <paxos_sim::Raft as paxos_sim::Protocol>::NAME;
        let pairs: Vec<(String, String)> = pairs.collect();
        let compare = pairs.iter().any(|(k, v)| k == "compare" && ["", "1", "yes", "true"].contains(&v.as_str()))
            || search.trim_start_matches('?').split('&').any(|p| p == "compare");
        if compare {
            return start_compare();
        }
        if crate::options::protocol_asked(pairs) == raft || link == Some(raft) {
            return start_as::<paxos_sim::Raft>();
        }
    }
    start_as::<paxos_sim::Paxos>();
}

/// [`start`] for Compare (`?compare=1`): Multi-Paxos and Raft side by side, with Raft's options.
#[cfg(feature = "raft")]
fn start_compare() {
    let Some(root) = gloo::utils::document().get_element_by_id("app") else { return };
    root.set_inner_html("");
    root.set_class_name("paxos-playground");
    let loc = gloo::utils::window().location();
    let (search, hash) = (loc.search().unwrap_or_default(), loc.hash().unwrap_or_default());
    let (options, notice) = match Options::<paxos_sim::Raft>::from_url(&search, &hash) {
        Ok(o) => (o, None),
        Err(e) => (Options::default(), Some(format!("The page address has a problem: {e}. It was ignored."))),
    };
    let options = Options { sync_url: false, ..options };
    let props = crate::components::compare::CompareProps { options, notice, ..Default::default() };
    yew::Renderer::<crate::components::compare::Compare>::with_root_and_props(root, props).render();
}

/// [`start`] for protocol `P`.
fn start_as<P: crate::components::draw::Draw>() {
    let Some(root) = gloo::utils::document().get_element_by_id("app") else { return };
    // The first screen rendered into the HTML (scripts/prerender.mjs) goes, and the app renders the same in its
    // place: its render runs in a microtask of this task, so no frame is painted between (static markup, no user
    // input). A screen faded for another address (`stale`) shows at full strength again.
    root.set_inner_html("");
    root.set_class_name("paxos-playground");
    let loc = gloo::utils::window().location();
    let (search, hash) = (loc.search().unwrap_or_default(), loc.hash().unwrap_or_default());
    let (options, notice) = match Options::<P>::from_url(&search, &hash) {
        Ok(o) => (o, None),
        Err(e) => {
            let o = Options::<P>::from_url("", &hash).unwrap_or_default();
            // Ignored, so gone from the address bar too: a link copied from it does not carry the problem on.
            if let Ok(history) = gloo::utils::window().history() {
                let url = format!("{}{hash}", loc.pathname().unwrap_or_default());
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            (o, Some(format!("The page address has a problem: {e}. It was ignored.")))
        }
    };
    let embedded = options.embed;
    yew::Renderer::<App<P>>::with_root_and_props(root, AppProps { options, notice, ..AppProps::default() }).render();
    if embedded {
        let _ = gloo::utils::document().document_element().map(|e| e.set_class_name("embedded"));
    }
}

/// A playground mounted in a page by JavaScript: `const p = mount(element, options)`. Its methods drive it as the
/// buttons do; `destroy()` removes it.
#[wasm_bindgen]
pub struct Playground {
    figure: Rc<Figure>,
    remote: AnyRemote,
}

/// A mounted figure's way in, for the protocol it runs (its `protocol` option): the way in that names them.
enum AnyRemote {
    Paxos(Remote<paxos_sim::Paxos>),
    #[cfg(feature = "raft")]
    Raft(Remote<paxos_sim::Raft>),
}

/// Sends `$action` (an `Action` of any protocol: its words name no protocol's type) to the figure's app.
macro_rules! send_any {
    ($remote:expr, $action:expr) => {
        match $remote {
            AnyRemote::Paxos(r) => r.send($action),
            #[cfg(feature = "raft")]
            AnyRemote::Raft(r) => r.send($action),
        }
    };
}

/// One mounted figure: its element (the shadow root's host) and what removes the app in it, until it is destroyed
/// or replaced.
struct Figure {
    host: web_sys::Element,
    app: RefCell<Option<Box<dyn FnOnce()>>>,
}

impl Figure {
    /// Removes the app and what it drew; the shadow root stays, empty, for a later `mount` on the same element.
    fn destroy(&self) {
        let app = self.app.borrow_mut().take();
        if let Some(destroy) = app {
            destroy();
        }
        if let Some(shadow) = self.host.shadow_root() {
            shadow.set_inner_html("");
        }
        FIGURES.with(|f| f.borrow_mut().retain(|g| !js_sys::Object::is(&g.host, &self.host)));
    }
}

thread_local! {
    /// The figures mounted on this page, so a second `mount` on one element replaces its figure.
    static FIGURES: RefCell<Vec<Rc<Figure>>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen(
    inline_js = "export function stylesheet_url() { return new URL('../../style.css', import.meta.url).href; }"
)]
extern "C" {
    /// `style.css` beside `paxos-web.js`: wasm-bindgen places this snippet two folders below it.
    fn stylesheet_url() -> String;
}

/// Mounts a playground in `element` and returns its handle. `options` is a plain object (all optional): `scenario`,
/// `controls` (a list of panels), `moment`, `autoplay`, `theme` (`"light"`, `"dark"`, `"auto"`, `"inherit"`),
/// `embed`, `run` (a link's `#run=` text), `tour`, and the run's settings. An unknown or ill-typed option is an error
/// that names it. A mounted playground never changes the address bar.
///
/// The figure lives in a shadow root of `element`, with its own copy of `style.css` (found beside this module): its
/// styles do not reach the page and the page's do not reach it. Mounting again on the same element replaces the
/// figure (the old handle then does nothing).
#[wasm_bindgen]
pub fn mount(element: JsValue, options: JsValue) -> Result<Playground, JsError> {
    mount_from(element, options, Source::Mount)
}

/// `<paxos-figure>`'s `mount` (web/figures.js).
#[wasm_bindgen(js_name = mountAttributes)]
pub fn mount_attributes(element: JsValue, attributes: JsValue) -> Result<Playground, JsError> {
    // `attributes`: the element's option attributes, each value the text its URL parameter would hold
    // (`{ nodes: "5", autoplay: "" }`), read as attributes and named so in messages. (A doc comment here would be
    // copied into paxos-web.js, which every page downloads.)
    mount_from(element, attributes, Source::Attribute)
}

fn mount_from(element: JsValue, options: JsValue, from: Source) -> Result<Playground, JsError> {
    // Checked here, not by the binding: a text node or `null` reached the renderer, which panicked (taking every
    // playground of the page with it) or threw a bare TypeError.
    let element = element
        .dyn_into::<web_sys::Element>()
        .map_err(|v| JsError::new(&format!("mount: the first argument must be an element, not {}", js_kind(&v))))?;
    let pairs = mount_options(options).map_err(|e| JsError::new(&format!("paxos playground: {e}")))?;
    let protocol = crate::options::protocol_asked(pairs.iter().cloned());
    #[cfg(feature = "raft")]
    {
        let compare = pairs.iter().any(|(k, v)| k == "compare" && ["", "1", "yes", "true"].contains(&v.as_str()));
        if compare {
            let render = |root: web_sys::Element, options, remote, ids| -> Box<dyn FnOnce()> {
                let props =
                    crate::components::compare::CompareProps { options, notice: None, ids, remote: Some(remote) };
                let app =
                    yew::Renderer::<crate::components::compare::Compare>::with_root_and_props(root, props).render();
                Box::new(move || app.destroy())
            };
            return mount_as::<paxos_sim::Raft>(element, pairs, from, AnyRemote::Raft, render);
        }
        if protocol == <paxos_sim::Raft as paxos_sim::Protocol>::NAME {
            return mount_as::<paxos_sim::Raft>(element, pairs, from, AnyRemote::Raft, render_app);
        }
    }
    if protocol != <paxos_sim::Paxos as paxos_sim::Protocol>::NAME {
        return Err(JsError::new(&format!(
            "paxos playground: protocol `{protocol}` is drawn by paxos-web-all.js, the second module (figures.js \
             loads it for such a figure); this is paxos-web.js"
        )));
    }
    mount_as::<paxos_sim::Paxos>(element, pairs, from, AnyRemote::Paxos, render_app)
}

/// Renders the playground of `P` in `root`; returns what removes it.
fn render_app<P: crate::components::draw::Draw>(
    root: web_sys::Element,
    options: Options<P>,
    remote: Remote<P>,
    ids: String,
) -> Box<dyn FnOnce()> {
    let props = AppProps { options, remote: Some(remote), ids, ..AppProps::default() };
    let app = yew::Renderer::<App<P>>::with_root_and_props(root, props).render();
    Box::new(move || app.destroy())
}

/// [`mount_from`] for protocol `P`, whose remote `wrap` makes the handle's.
fn mount_as<P: crate::components::draw::Draw>(
    element: web_sys::Element,
    pairs: Vec<(String, String)>,
    from: Source,
    wrap: fn(Remote<P>) -> AnyRemote,
    render: impl FnOnce(web_sys::Element, Options<P>, Remote<P>, String) -> Box<dyn FnOnce()>,
) -> Result<Playground, JsError> {
    let options = options_of::<P>(pairs, from).map_err(|e| JsError::new(&format!("paxos playground: {e}")))?;
    let options = Options { sync_url: false, ..options };
    let earlier = FIGURES.with(|f| f.borrow().iter().find(|g| js_sys::Object::is(&g.host, &element)).cloned());
    if let Some(figure) = earlier {
        figure.destroy();
    }
    let shadow = match element.shadow_root() {
        // Ours, emptied by `destroy`: a shadow root another script attached is closed to us or holds its content.
        Some(shadow) if shadow.child_element_count() == 0 => shadow,
        Some(_) => return Err(JsError::new("mount: this element already holds a shadow root of another script")),
        None => element.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)).map_err(|_| {
            let tag = element.tag_name().to_ascii_lowercase();
            let a = if tag.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            JsError::new(&format!("mount: {a} <{tag}> element cannot hold a playground; use a <div> or a <section>"))
        })?,
    };
    let doc = gloo::utils::document();
    // A picture of the figure in the page's HTML (mdbook-paxos: web/src/prerender.rs) shows through a slot until the
    // app has drawn its own, so the reader never sees the figure blank; then it goes.
    let picture = element.query_selector(":scope > .paxos-static").ok().flatten();
    let slot = picture.as_ref().and_then(|_| doc.create_element("slot").ok());
    let inside = || doc.create_element("div").map_err(|_| JsError::new("mount: could not create an element"));
    let (link, root) =
        (doc.create_element("link").map_err(|_| JsError::new("mount: could not create a link"))?, inside()?);
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &stylesheet_url());
    root.set_class_name("paxos-playground mounted");
    // Hidden until its stylesheet has loaded (usually at once: the page's module fetched it already, or the cache has
    // it), so a reader never sees it unstyled. Set through the CSSOM: a strict CSP forbids style attributes.
    // Over a picture, it is also out of the flow until then, so the figure keeps the picture's height.
    let style = root.unchecked_ref::<HtmlElement>().style();
    let _ = style.set_property("visibility", "hidden");
    if picture.is_some() {
        let _ = style.set_property("position", "fixed");
        let _ = style.set_property("width", &format!("{}px", element.client_width()));
    }
    // The second module's figures (Raft, Compare) take its own rules too (web/raft.css, beside style.css).
    #[cfg(feature = "raft")]
    let raft = {
        let l = doc.create_element("link").map_err(|_| JsError::new("mount: could not create a link"))?;
        let _ = l.set_attribute("rel", "stylesheet");
        let _ = l.set_attribute("href", &stylesheet_url().replace("/style.css", "/raft.css"));
        l
    };
    #[cfg(not(feature = "raft"))]
    let raft: Option<web_sys::Element> = None;
    #[cfg(feature = "raft")]
    let raft = Some(raft);
    for node in [slot.as_ref(), Some(&link), raft.as_ref(), Some(&root)].into_iter().flatten() {
        let _ = shadow.append_child(node);
    }
    let remote = Remote::<P>::default();
    // Shown once both have happened: the stylesheet loaded and, over a picture, the cluster drawn.
    let waiting = std::cell::Cell::new(1 + u8::from(raft.is_some()) + u8::from(picture.is_some()));
    let over_picture = picture.is_some();
    let reveal = Rc::new(move || {
        waiting.set(waiting.get().saturating_sub(1));
        if waiting.get() == 0 {
            for gone in [&picture, &slot].into_iter().flatten() {
                gone.remove();
            }
            for p in ["visibility", "position", "width"] {
                let _ = style.remove_property(p);
            }
        }
    });
    for sheet in [Some(&link), raft.as_ref()].into_iter().flatten() {
        for event in ["load", "error"] {
            let reveal = reveal.clone();
            gloo::events::EventListener::once(sheet, event, move |_| reveal()).forget();
        }
    }
    if over_picture {
        remote.when_drawn(move || reveal());
    }
    // Element ids unique on the page: p1-…, p2-… for each mounted playground.
    let n = MOUNTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let app = render(root, options, remote.clone(), format!("p{n}-"));
    let figure = Rc::new(Figure { host: element, app: RefCell::new(Some(app)) });
    FIGURES.with(|f| f.borrow_mut().push(figure.clone()));
    Ok(Playground { figure, remote: wrap(remote) })
}

/// What a JavaScript value is, for a message: `null`, `undefined`, `a Text node`, `a Date object`, `a string`…
fn js_kind(v: &JsValue) -> String {
    if v.is_null() {
        return "null".into();
    }
    if v.is_undefined() {
        return "undefined".into();
    }
    let name = v.dyn_ref::<js_sys::Object>().map(|o| String::from(o.constructor().name())).unwrap_or_default();
    let what = if v.has_type::<web_sys::Node>() { "node" } else { "object" };
    match v.js_typeof().as_string().unwrap_or_default().as_str() {
        "object" if !name.is_empty() => format!("a {} {what}", crate::input::quote(&name)),
        t => format!("a {t}"),
    }
}

/// Playgrounds mounted on this page so far.
static MOUNTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Reads `mount`'s options object: each value becomes the text its URL parameter would hold (`true`, `5`, a list
/// joined by commas, a `[min, max]` range as `min-max`) and goes through the same parser as the URL's, so both take
/// the same names and values and an unknown or ill-typed option is an error that names it (in the words of `from`:
/// an option of `mount()`, or an attribute of `<paxos-figure>`).
fn mount_options(options: JsValue) -> Result<Vec<(String, String)>, String> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() || js_sys::Array::is_array(&options) {
        return Err("the options must be an object, like { scenario: 'dueling' }".into());
    }
    let scalar = |v: &JsValue| match (v.as_bool(), v.as_f64(), v.as_string()) {
        (Some(b), _, _) => Some(b.to_string()),
        (_, Some(n), _) => Some(n.to_string()),
        (_, _, Some(s)) => Some(s),
        _ => None,
    };
    let mut pairs = Vec::new();
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        let value = js_sys::Reflect::get(&options, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() {
            continue;
        }
        let text = if js_sys::Array::is_array(&value) {
            let items: Option<Vec<String>> = js_sys::Array::from(&value).iter().map(|v| scalar(&v)).collect();
            items.map(|items| items.join(if key == "latency" { "-" } else { "," }))
        } else {
            scalar(&value)
        };
        let text = text.ok_or_else(|| {
            let key = crate::input::quote(&key);
            format!("option `{key}` must be a string, a number, a boolean or a list of them")
        })?;
        pairs.push((key, text));
    }
    Ok(pairs)
}

/// The options of protocol `P` that `pairs` (from [`mount_options`]) give, read as `from` names them.
fn options_of<P: crate::protocol::Look>(pairs: Vec<(String, String)>, from: Source) -> Result<Options<P>, String> {
    let mut o = Options::default();
    for (key, text) in pairs {
        o.set(from, &key, &text)?;
    }
    o.validate()
}

fn node_id(node: u32) -> Result<NodeId, JsError> {
    u8::try_from(node).map(NodeId).map_err(|_| JsError::new(&format!("paxos playground: node {node} does not exist")))
}

impl Playground {
    /// Whether the figure is still there (not destroyed or replaced): actions go to it only then.
    fn live(&self) -> bool {
        self.figure.app.borrow().is_some()
    }
}

#[wasm_bindgen]
impl Playground {
    /// Lets simulated time flow.
    pub fn play(&self) {
        if self.live() {
            send_any!(&self.remote, Action::Play);
        }
    }

    /// Stops simulated time.
    pub fn pause(&self) {
        if self.live() {
            send_any!(&self.remote, Action::Pause);
        }
    }

    /// Runs one event.
    pub fn step(&self) {
        if self.live() {
            send_any!(&self.remote, Action::Step);
        }
    }

    /// Asks `node` to get `value` chosen. A bad value is an error saying why.
    pub fn propose(&self, node: u32, value: &str) -> Result<(), JsError> {
        let value = parse_value(value).map_err(|e| JsError::new(&format!("paxos playground: {e}")))?;
        let node = node_id(node)?;
        if self.live() {
            send_any!(&self.remote, Action::Propose { node, value });
        }
        Ok(())
    }

    /// Crashes `node`.
    pub fn crash(&self, node: u32) -> Result<(), JsError> {
        let node = node_id(node)?;
        if self.live() {
            send_any!(&self.remote, Action::Crash(node));
        }
        Ok(())
    }

    /// Restarts `node`.
    pub fn restart(&self, node: u32) -> Result<(), JsError> {
        let node = node_id(node)?;
        if self.live() {
            send_any!(&self.remote, Action::Restart(node));
        }
        Ok(())
    }

    /// Changes the colours: `"light"`, `"dark"`, `"auto"` (the reader's system setting) or `"inherit"` (the page
    /// around the figure, followed when it switches theme).
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&self, theme: &str) -> Result<(), JsError> {
        let theme = theme.parse().map_err(|e| {
            JsError::new(&format!(
                "paxos playground: setTheme: the theme must be {e}, not “{}”",
                crate::input::quote(theme)
            ))
        })?;
        if self.live() {
            send_any!(&self.remote, Action::SetTheme(theme));
        }
        Ok(())
    }

    /// Removes the playground from the page.
    pub fn destroy(&self) {
        self.figure.destroy();
    }
}
