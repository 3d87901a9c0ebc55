//! The page: one reducer, the animation loop, the keyboard shortcuts and the layout.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use paxos_core::NodeId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::banner::SafetyBanner;
use super::check::CheckPanel;
use super::cluster::ClusterView;
use super::draw::Draw;
use super::exercise::ExercisePanel;
use super::help::HelpOverlay;
use super::legend::Legend;
use super::log::EventLog;
use super::network::NetworkPanel;
use super::propose::ProposePanel;
use super::selection::SelectionPanel;
use super::send;
use super::setup::SetupPanel;
use super::share::SharePanel;
use super::spacetime::SpaceTime;
use super::start::start_here;
use super::timeline::Timeline;
use super::toolbar::Toolbar;
use super::tour::{Lesson, ScenarioPicker};
use crate::frames::use_frames;
use crate::host::{use_page_is_dark, use_theme_messages};
use crate::input::Settings;
use crate::options::{Options, Theme};
use crate::protocol::Look;
use crate::state::{Action, AppState, Selection, SPEEDS};

/// While playing, the side panels are redrawn at most this often (milliseconds).
pub const SLOW_PANELS_MS: f64 = 250.0;

/// Events run per animation frame at most, so even "top" speed leaves the page responsive.
pub const MAX_STEPS_PER_FRAME: u64 = 400;

/// A way to drive a mounted playground from outside (the JavaScript `mount` handle): the app puts its dispatcher
/// here when it renders; actions sent before that wait in a queue.
pub struct Remote<P: Look = paxos_sim::Paxos>(Rc<RefCell<RemoteInner<P>>>);

/// The app's dispatcher once it has rendered, the actions sent before, and what to do once it has drawn its cluster.
type RemoteInner<P> = (Option<Callback<Action<P>>>, Vec<Action<P>>, Option<Box<dyn FnOnce()>>);

impl<P: Look> Default for Remote<P> {
    fn default() -> Self {
        Remote(Rc::default())
    }
}

impl<P: Look> Clone for Remote<P> {
    fn clone(&self) -> Self {
        Remote(self.0.clone())
    }
}

impl<P: Look> Remote<P> {
    /// Sends an action to the app (now, or when it has rendered).
    pub fn send(&self, a: Action<P>) {
        let mut r = self.0.borrow_mut();
        match &r.0 {
            Some(d) => d.emit(a),
            None => r.1.push(a),
        }
    }

    /// Calls `f` once the app has drawn its cluster (a scenario's once its run has arrived): the figure's picture
    /// from the HTML gives way then (web/src/web.rs).
    pub fn when_drawn(&self, f: impl FnOnce() + 'static) {
        self.0.borrow_mut().2 = Some(Box::new(f));
    }

    pub(crate) fn drawn(&self) {
        let f = self.0.borrow_mut().2.take();
        if let Some(f) = f {
            f();
        }
    }

    pub(crate) fn connect(&self, d: Callback<Action<P>>) {
        let pending = {
            let mut r = self.0.borrow_mut();
            r.0 = Some(d.clone());
            std::mem::take(&mut r.1)
        };
        for a in pending {
            d.emit(a);
        }
    }
}

impl<P: Look> PartialEq for Remote<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props: the settings of the first run (tests pass their own) and how the page asked for the playground.
#[derive(Properties, PartialEq, Clone, Default)]
pub struct AppProps<P: Look = paxos_sim::Paxos> {
    /// The first run's settings.
    #[prop_or_default]
    pub settings: Settings<P>,
    /// Embedding, scenario, shared run, theme…
    #[prop_or_default]
    pub options: Options<P>,
    /// A message to show at start (a bad URL parameter).
    #[prop_or_default]
    pub notice: Option<String>,
    /// Filled with the dispatcher, for the `mount` handle.
    #[prop_or_default]
    pub remote: Option<Remote<P>>,
    /// Prefix of element ids (see `AppState::ids`): empty on the full page.
    #[prop_or_default]
    pub ids: String,
}

/// Whether keys typed into this element belong to it rather than to the shortcuts.
fn typing_target(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = el.tag_name().to_ascii_lowercase();
    matches!(tag.as_str(), "input" | "select" | "textarea") || el.get_attribute("contenteditable").is_some()
}

fn activating_target(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    el.tag_name().eq_ignore_ascii_case("button") || el.get_attribute("role").as_deref() == Some("button")
}

/// The action a key stands for, if any.
pub fn shortcut<P: Look>(key: &str, speed: usize) -> Option<Action<P>> {
    Some(match key {
        " " | "Spacebar" => Action::TogglePlay,
        "ArrowRight" => Action::Step,
        "ArrowLeft" => Action::StepBack,
        "?" => Action::ToggleHelp,
        "Escape" => Action::Escape,
        "c" => Action::CrashOrRestartSelected,
        "i" => Action::ToggleInspect,
        "h" => Action::Heal,
        "n" => Action::TourNext,
        "b" => Action::TourBack,
        "+" | "=" => Action::SetSpeed((speed + 1).min(SPEEDS.len() - 1)),
        "-" => Action::SetSpeed(speed.saturating_sub(1)),
        // A node's number is its key: the digit drawn on its disc.
        k if k.len() == 1 && ('0'..='8').contains(&k.chars().next()?) => {
            Action::Select(Selection::Node(NodeId(k.parse::<u8>().ok()?)))
        }
        _ => return None,
    })
}

/// Keeps the address bar in step with the run (see `Options::address`): at once when paused, at most once a second
/// while playing (browsers throttle address changes).
fn sync_url<P: Look>(s: &AppState<P>) {
    let w = gloo::utils::window();
    let Ok(history) = w.history() else { return };
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        Options::address(&loc.search().unwrap_or_default(), s.run.shown(), s.view.arrows, s.practice_param())
    );
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

fn now_ms() -> f64 {
    super::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// The message an embedded playground posts to the page around its iframe whenever the height it needs changes:
/// `{ type: "paxos-playground:resize", height }` (CSS pixels). See docs/embedding.md for the listener.
pub const RESIZE_MESSAGE: &str = "paxos-playground:resize";

/// The height a playground needs to show its drawing at its full width: its current height, less what the drawing
/// gave up to fit a short frame. Read from the page: `svg.cluster`'s box and its viewBox.
fn natural_height(root: &web_sys::Element) -> f64 {
    let now = root.get_bounding_client_rect().height();
    let Ok(Some(svg)) = root.query_selector("svg.cluster") else { return now };
    let b = svg.get_bounding_client_rect();
    // The viewBox is whole numbers (`geometry::view_box`): parsing them as integers keeps the float parser's tables
    // out of the download (8 KB).
    let view: Vec<i32> =
        svg.get_attribute("viewBox").unwrap_or_default().split(' ').filter_map(|v| v.parse().ok()).collect();
    match view.as_slice() {
        &[_, _, w, h] if w > 0 => now - b.height() + b.width() * h as f64 / w as f64,
        _ => now,
    }
    .ceil()
}

/// What a page may post to an embedded playground to have its height posted again (see [`RESIZE_MESSAGE`]): a page
/// whose listener starts after the playground has loaded asks once, so neither may wait for the other.
pub const MEASURE_MESSAGE: &str = "paxos-playground:measure";

/// In an iframe, tells the parent page the height the playground needs (see [`RESIZE_MESSAGE`]) whenever it changes
/// and whenever the page asks ([`MEASURE_MESSAGE`]), as iframe auto-resizers expect, so an author need not guess a
/// height. Nothing is posted outside an iframe.
#[hook]
fn use_report_height(root: NodeRef, enabled: bool) {
    use_effect_with(enabled, move |&enabled| {
        let w = gloo::utils::window();
        let parent = w.parent().ok().flatten().filter(|p| !js_sys::Object::is(p, &w));
        let watch = match (enabled, parent, root.cast::<web_sys::Element>()) {
            (true, Some(parent), Some(el)) => {
                let last = Rc::new(Cell::new(0.0));
                let target = el.clone();
                let post = Rc::new(move |again: bool| {
                    let h = natural_height(&target);
                    if again || (h - last.get()).abs() >= 1.0 {
                        last.set(h);
                        let msg = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&msg, &"type".into(), &RESIZE_MESSAGE.into());
                        let _ = js_sys::Reflect::set(&msg, &"height".into(), &h.into());
                        // Only a height: nothing private, so any parent may read it.
                        let _ = parent.post_message(&msg, "*");
                    }
                });
                let on_resize = {
                    let post = post.clone();
                    Closure::<dyn FnMut()>::new(move || post(false))
                };
                let obs = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
                if let Some(o) = &obs {
                    o.observe(&el);
                }
                let asked = gloo::events::EventListener::new(&w, "message", move |e| {
                    let data = e.dyn_ref::<web_sys::MessageEvent>().map(|m| m.data()).unwrap_or_default();
                    let kind = js_sys::Reflect::get(&data, &"type".into()).ok().and_then(|t| t.as_string());
                    if kind.as_deref() == Some(MEASURE_MESSAGE) {
                        post(true);
                    }
                });
                obs.map(|o| (o, on_resize, asked))
            }
            _ => None,
        };
        move || {
            if let Some((o, _on_resize, _asked)) = watch {
                o.disconnect();
            }
        }
    });
}

/// The page.
#[component]
pub fn App<P: Draw>(props: &AppProps<P>) -> Html {
    let init = props.clone();
    let state = use_reducer(move || {
        let mut s = AppState::from_options(&init.options, init.settings.clone(), init.notice.clone(), &init.ids);
        s.view.solved = std::rc::Rc::from(super::exercise::stored());
        // Rendered natively for the HTML, a scenario or an exercise opens at once: the lessons are at hand.
        #[cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
        if s.view.pending.is_some() {
            use yew::Reducible;
            let text = crate::prerender::LESSONS.to_owned();
            s = (*std::rc::Rc::new(s).reduce(crate::state::Action::LessonsLoaded(Ok(text)))).clone();
        }
        s
    });
    let panels = use_mut_ref(|| (f64::NEG_INFINITY, None::<AppState<P>>));
    let log_state = use_mut_ref(|| (f64::NEG_INFINITY, None::<AppState<P>>));
    // One callback for the whole life of the page: a new one each render made every child's props differ, so each
    // panel rendered again every frame even while it showed the same (4 Hz) state.
    let dispatch = {
        let d = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action<P>| d.dispatch(a)))).clone()
    };
    if let Some(remote) = &props.remote {
        remote.connect(dispatch.clone());
    }
    {
        let remote = props.remote.clone();
        let drawn = !matches!(state.view.pending, Some(crate::state::Pending::Scenario(..)));
        use_effect_with(drawn, move |&drawn| {
            if let (true, Some(remote)) = (drawn, remote) {
                remote.drawn();
            }
        });
    }
    let on_frame = {
        let d = dispatch.clone();
        (*use_memo((), move |_| {
            Callback::from(move |dt_ms| d.emit(Action::Frame { dt_ms, max_steps: MAX_STEPS_PER_FRAME }))
        }))
        .clone()
    };
    use_frames(state.run.playing, on_frame);
    // The exercises are fetched once, when first asked for (the menu, an `exercise` option); what was solved is kept
    // in this browser.
    {
        let (d, fetching) = (dispatch.clone(), use_mut_ref(|| false));
        let wanted = state.view.pending.is_some() && state.view.lessons.is_none();
        use_effect_with(wanted, move |&wanted| {
            if wanted && !*fetching.borrow() {
                *fetching.borrow_mut() = true;
                super::exercise::load(d);
            }
        });
        use_effect_with(state.view.solved.clone(), |solved| super::exercise::store(solved));
    }
    // The address bar holds the run, and the charts panel, once opened, follows it: its link goes to charts.js
    // (loaded then, with the worker that measures it: `crate::worker::charts`). Both at most every 500 ms while
    // playing, at once otherwise.
    let charts = use_node_ref();
    let charts_open = use_state(|| props.options.controls.is_some());
    {
        let last = use_mut_ref(|| f64::NEG_INFINITY);
        let (s, charts) = ((*state).clone(), charts.clone());
        let enabled = props.options.sync_url;
        use_effect_with((state.run.version, state.run.playing, state.view.arrows, enabled, *charts_open), move |_| {
            let now = now_ms();
            if !s.run.playing || now - *last.borrow() > 500.0 {
                *last.borrow_mut() = now;
                if enabled {
                    sync_url(&s);
                }
                if let Some(el) = charts.get() {
                    crate::worker::charts(&el, &s.run.link());
                }
            }
        });
    }
    // A link pasted into the address bar of an open playground changes only the hash, which does not reload the
    // page: open its run. (Our own address updates use `replaceState`, which fires no `hashchange`.)
    {
        let dispatch = dispatch.clone();
        let enabled = props.options.sync_url;
        use_effect_with((), move |_| {
            let listener = enabled.then(|| {
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    let hash = gloo::utils::window().location().hash().unwrap_or_default();
                    if let Some(run) = hash.strip_prefix("#run=") {
                        dispatch.emit(Action::OpenLink(run.to_owned()));
                    }
                })
            });
            move || drop(listener)
        });
    }
    // The keyboard listener reads the speed through a cell, so it is installed once. The full page (or an iframe,
    // a document of its own) listens on its document; a mounted figure on its own element, so it only takes keys
    // typed while the focus is inside it, and the keys it uses stop there: the page around it (a documentation
    // tool's → for the next chapter, `?`, `s`) does not see them.
    let speed = use_mut_ref(|| 0usize);
    *speed.borrow_mut() = state.view.speed;
    let root = use_node_ref();
    use_report_height(root.clone(), props.options.embed && props.remote.is_none());
    use_theme_messages(dispatch.clone(), props.options.embed && props.remote.is_none());
    let page_dark = use_page_is_dark(root.clone(), props.remote.is_some() && state.view.theme == Theme::Inherit);
    {
        let dispatch = dispatch.clone();
        let (root, scoped, value_id) = (root.clone(), props.remote.is_some(), state.view.id("value"));
        use_effect_with((), move |_| {
            let target: Option<web_sys::EventTarget> = if scoped {
                root.cast::<web_sys::Element>().map(Into::into)
            } else {
                Some(gloo::utils::document().into())
            };
            // Not passive: Space and the arrow keys must not scroll the page.
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            let listener = target.map(|target| {
                gloo::events::EventListener::new_with_options(&target, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    let key = e.key();
                    if key != "Escape" && typing_target(e) {
                        if scoped {
                            // Typing in the figure's fields is the figure's too.
                            e.stop_propagation();
                        }
                        return;
                    }
                    if (key == " " || key == "Enter") && activating_target(e) {
                        return;
                    }
                    let handled = if key == "v" {
                        // Inside the figure, not the document: a mounted figure's elements are in its shadow root.
                        let field = root
                            .cast::<web_sys::Element>()
                            .and_then(|r| r.query_selector(&format!("#{value_id}")).ok().flatten());
                        field.and_then(|el| el.dyn_into::<HtmlElement>().ok()).map(|el| el.focus()).is_some()
                    } else if let Some(a) = shortcut(&key, *speed.borrow()) {
                        dispatch.emit(a);
                        true
                    } else {
                        false
                    };
                    if handled {
                        e.prevent_default();
                        if scoped {
                            e.stop_propagation();
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }
    let s: AppState<P> = (*state).clone();
    // The side panels follow a playing run four times a second rather than every frame: they hold numbers a person
    // reads, not motion, and together they cost a fifth of a frame at top speed. Anything a person does (select,
    // inspect, a refusal, the tour, the settings) reaches them at once.
    let p: AppState<P> = {
        let mut slow = panels.borrow_mut();
        let at = now_ms();
        let same_choices = |a: &AppState<P>, b: &AppState<P>| {
            a.run.selection == b.run.selection
                && a.run.inspect == b.run.inspect
                && a.run.error == b.run.error
                && a.run.tour == b.run.tour
                && a.run.settings == b.run.settings
                && a.run.client_auto == b.run.client_auto
                && a.run.playing == b.run.playing
        };
        if !s.run.playing || at - slow.0 >= SLOW_PANELS_MS || !slow.1.as_ref().is_some_and(|old| same_choices(old, &s))
        {
            *slow = (at, Some(s.clone()));
        }
        slow.1.clone().unwrap_or_else(|| s.clone())
    };
    // The event log too (at top speed every one of its lines was rewritten every frame, unread), half a period after
    // the panels, so the two never land in the same frame: a frame that redrew both was one of the late ones.
    let l: AppState<P> = {
        let mut slow = log_state.borrow_mut();
        let at = now_ms();
        let since_panels = at - panels.borrow().0;
        let due = at - slow.0 >= SLOW_PANELS_MS && since_panels >= SLOW_PANELS_MS / 2.0;
        let same = slow.1.as_ref().is_some_and(|old| {
            old.view.log_node == s.view.log_node
                && old.view.log_kind == s.view.log_kind
                && old.run.playing == s.run.playing
                && old.run.settings == s.run.settings
        });
        if !s.run.playing || due || !same {
            *slow = (at, Some(s.clone()));
        }
        slow.1.clone().unwrap_or_else(|| s.clone())
    };
    let d = dispatch;
    let o = &props.options;
    let hide_how_to_read = use_state(|| false);
    let theme = match (s.view.theme, page_dark) {
        (Theme::Light, _) | (Theme::Inherit, Some(false)) => "theme-light",
        (Theme::Dark, _) | (Theme::Inherit, Some(true)) => "theme-dark",
        (Theme::Auto | Theme::Inherit, _) => "theme-auto",
    };
    // An embed is a figure unless its author asked for panels: the drawing, the narration with Next and Back, and
    // the timeline (see `Options::is_figure`). An iframe's document is the figure, so the drawing fills the frame.
    let figure = o.is_figure();
    let iframe = o.embed && props.remote.is_none();
    let class = classes!(
        "app",
        theme,
        o.embed.then_some("embedded"),
        figure.then_some("figure"),
        iframe.then_some("framed"),
        s.run.tour.is_some().then_some("in-scenario"),
    );
    let how_to_read = !o.embed && !*hide_how_to_read;
    // A fresh page says where to start (see `start`): the full page, no scenario, nothing proposed yet.
    let fresh = !o.embed
        && s.run.tour.is_none()
        && s.run.practice.is_none()
        && s.view.pending.is_none()
        && !s.run.engine().tape.commands().iter().any(|c| matches!(c, paxos_sim::Command::Propose { .. }));
    html! {
        // A mounted figure takes the focus when clicked anywhere (tabindex -1: not a Tab stop), so its keys work after
        // a click on its drawing or its narration, not only after a click on a button.
        <div class={class} ref={root} data-playing={s.run.playing.to_string()} tabindex={props.remote.is_some().then_some("-1")}>
            <header class="topbar">
                if !o.embed { <h1>{ P::TITLE }</h1> }
                if iframe {
                    // An iframe is a document of its own: it gets a top heading, for the eye only on the page around it.
                    <h1 class="sr-only">{ P::TITLE }</h1>
                }
                <div class="status">
                    <SafetyBanner<P> state={s.clone()} dispatch={d.clone()} />
                </div>
                if o.shows("scenarios") { <ScenarioPicker<P> state={p.clone()} dispatch={d.clone()} tour={!o.embed || o.tour} /> }
                if !o.embed {
                    <button type="button" class="exercises-button" aria-expanded={s.view.exercise_list.to_string()}
                        onclick={send(&d, Action::Exercises(None))}>{"Exercises"}</button>
                    // The same playground running the other protocol (the address picks the module that runs it).
                    <a class="protocol-switch" href={P::OTHER.1} title={P::OTHER.2}>{ P::OTHER.0 }</a>
                }
            </header>
            if let Some(err) = s.run.error.clone() {
                <div class="refusal" role="alert">
                    <span>{ err }</span>
                    <button type="button" class="small" onclick={send(&d, Action::DismissError)}>{"Dismiss"}</button>
                </div>
            }
            // A page has one main landmark: a playground mounted into a page (perhaps one of several) is a region.
            <@{if props.remote.is_some() { "div" } else { "main" }} class="main">
                <div class="stage">
                    if o.shows("time") { <Toolbar<P> state={s.clone()} dispatch={d.clone()} /> }
                    if o.shows("timeline") { <Timeline<P> state={s.clone()} dispatch={d.clone()} /> }
                    // A scenario asked for in the address is drawn once its run has arrived (`lessons.txt`), not the
                    // default cluster first.
                    if matches!(s.view.pending, Some(crate::state::Pending::Scenario(..))) {
                        <p class="loading" role="status">{"Opening the scenario…"}</p>
                    } else {
                        <div class="drawing">
                            <ClusterView<P> state={s.clone()} dispatch={d.clone()} />
                            if fresh { { start_here(&s.view.ids, s.run.client_target(), &d) } }
                        </div>
                    }
                </div>
                <div class="side">
                    <ExercisePanel<P> state={p.clone()} dispatch={d.clone()} />
                    if s.run.tour.is_some() { <Lesson<P> state={p.clone()} dispatch={d.clone()} figure={figure} can_exit={!o.embed || o.shows("scenarios")} /> }
                    if o.shows("propose") { <ProposePanel<P> state={p.clone()} dispatch={d.clone()} /> }
                    if how_to_read {
                        <aside class="how-to-read" aria-label="How to read the drawing">
                            <p>
                                <strong>{"How to read this: "}</strong>
                                { P::HOW_TO_READ }
                                {"Shapes gliding along the links are messages, with a dot in the colour of the value one carries; a dashed red lane is cut. Click anything to act on it; press ? for keys."}
                            </p>
                            <button type="button" class="small" aria-label="Hide how to read this" onclick={
                                let h = hide_how_to_read.clone();
                                Callback::from(move |_| h.set(true))
                            }>{"×"}</button>
                        </aside>
                    }
                    if o.shows("selection") { <SelectionPanel<P> state={p.clone()} dispatch={d.clone()} /> }
                    if o.shows("network") { <NetworkPanel<P> state={p.clone()} dispatch={d.clone()} /> }
                    if o.shows("setup") { <SetupPanel<P> state={p.clone()} dispatch={d.clone()} /> }
                    { P::panels(&p, &d, &|panel| o.shows(panel)) }
                    if o.shows("check") { <CheckPanel<P> state={p.clone()} dispatch={d.clone()} /> }
                    if o.shows("charts") && P::keeps_a_log(&s.run.settings) {
                        <section class="panel charts-panel" aria-labelledby={s.view.id("charts-title")}>
                            <h2 id={s.view.id("charts-title")}>{"Throughput and latency"}</h2>
                            if *charts_open {
                                <div ref={charts.clone()} id={s.view.id("charts")} class="charts"></div>
                            } else {
                                <button type="button" id={s.view.id("charts-open")} onclick={
                                    let o = charts_open.clone();
                                    Callback::from(move |_| o.set(true))
                                }>{"Show charts"}</button>
                            }
                        </section>
                    }
                    if o.shows("share") { <SharePanel<P> state={p.clone()} dispatch={d.clone()} /> }
                </div>
                <div class="bottom">
                    // The legend and the words it explains sit under the fold, so the narration and Propose come
                    // first on a phone; every shape is also named in its tooltip and the inspector.
                    if !o.embed { <Legend<P> settings={s.run.settings.clone()} /> }
                    if o.shows("diagram") { <SpaceTime<P> state={s.clone()} dispatch={d.clone()} /> }
                    if o.shows("log") { <EventLog<P> state={l} dispatch={d.clone()} /> }
                </div>
            </@>
            if s.view.help {
                <HelpOverlay on_close={send(&d, Action::ToggleHelp)} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    type Action = crate::state::Action<paxos_sim::Paxos>;

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(shortcut(" ", 2), Some(Action::TogglePlay));
        assert_eq!(shortcut("ArrowRight", 2), Some(Action::Step));
        assert_eq!(shortcut("ArrowLeft", 2), Some(Action::StepBack));
        assert_eq!(shortcut("?", 2), Some(Action::ToggleHelp));
        assert_eq!(shortcut("2", 2), Some(Action::Select(Selection::Node(NodeId(2)))));
        assert_eq!(shortcut("0", 2), Some(Action::Select(Selection::Node(NodeId(0)))));
        assert_eq!(shortcut("+", 6), Some(Action::SetSpeed(6)));
        assert_eq!(shortcut("-", 0), Some(Action::SetSpeed(0)));
        assert_eq!(shortcut("n", 2), Some(Action::TourNext));
        assert_eq!(shortcut("b", 2), Some(Action::TourBack));
        assert_eq!(shortcut::<paxos_sim::Paxos>("9", 2), None, "nine nodes at most: 0 to 8");
        assert_eq!(shortcut::<paxos_sim::Paxos>("x", 2), None);
    }
}
