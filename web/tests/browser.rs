//! The reducer and the components in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
//! cargo test --target wasm32-unknown-unknown -p web`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use paxos_core::{Mode, NodeId, Slot, Value};
use paxos_sim::Paxos;
use paxos_web::components::app::{App, AppProps};
use paxos_web::components::banner::SafetyBanner;
use paxos_web::components::legend::{Legend, LegendProps};
use paxos_web::components::spacetime::SpaceTime;
use paxos_web::components::StateProps;
use paxos_web::input::PaxosSettings as Settings;
use paxos_web::state::{Action, AppState, Selection};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::{Callback, Reducible};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
fn the_reducer_chooses_a_value_in_wasm() {
    let mut s = Rc::new(AppState::new(Settings::default()));
    s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("wasm") }).reduce(Action::Play);
    for _ in 0..2000 {
        s = s.reduce(Action::Frame { dt_ms: 16.0, max_steps: 1000 });
    }
    assert!(s.run.snap.nodes.iter().all(|n| n.learned == vec![(Slot(0), Value::text("wasm"))]));
    assert!(s.run.snap.violations.is_empty());
}

#[wasm_bindgen_test]
async fn the_app_draws_every_node_as_a_focusable_button() {
    let root = mount();
    yew::Renderer::<App<Paxos>>::with_root_and_props(
        root.clone(),
        AppProps { settings: Settings { nodes: 5, ..Settings::default() }, ..AppProps::default() },
    )
    .render();
    settle().await;
    let nodes = root.query_selector_all("g.node[role=button]").unwrap();
    assert_eq!(nodes.length(), 5);
    for i in 0..5 {
        let n = nodes.item(i).unwrap().unchecked_into::<Element>();
        assert_eq!(n.get_attribute("tabindex").as_deref(), Some("0"));
        let label = n.get_attribute("aria-label").unwrap();
        assert!(label.starts_with(&format!("Node {i}, up")), "{label}");
        assert!(label.contains("learned nothing yet"), "{label}");
    }
    assert!(root.text_content().unwrap().contains("Safety holds"));
}

#[wasm_bindgen_test]
async fn propose_refuses_an_empty_value_and_sends_a_real_one() {
    let root = mount();
    yew::Renderer::<App<Paxos>>::with_root_and_props(root.clone(), AppProps::default()).render();
    settle().await;
    click(&root, "#propose");
    settle().await;
    let err = root.query_selector("#value-error").unwrap().unwrap().text_content().unwrap();
    assert!(err.contains("empty"), "{err}");
    assert_eq!(root.query_selector_all("g.msg").unwrap().length(), 0, "nothing was sent");

    let input: HtmlInputElement = root.query_selector("#value").unwrap().unwrap().unchecked_into();
    input.set_value("<b>x</b>");
    input.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
    settle().await;
    click(&root, "#propose");
    settle().await;
    // Three prepares are in flight, drawn as markers, and the log says what happened in the CLI's words.
    assert_eq!(root.query_selector_all("g.msg[data-kind=prepare]").unwrap().length(), 3);
    let log = root.query_selector(".log-lines").unwrap().unwrap().text_content().unwrap();
    assert!(log.contains("propose 0 <b>x</b>"), "{log}");
    // User text is text, never markup.
    assert!(root.query_selector(".log-lines b").unwrap().is_none());
    click(&root, "#step");
    settle().await;
    assert_eq!(root.query_selector(".clock").unwrap().unwrap().get_attribute("data-step").as_deref(), Some("1"));
}

#[wasm_bindgen_test]
async fn the_banner_says_the_outcome_first_then_the_broken_rule() {
    // The amnesia lesson at its end: two values chosen, after a promise decreased.
    let root = mount();
    let index = paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().position(|s| s.id == "amnesia").unwrap();
    let state = loaded()
        .reduce(Action::OpenScenario { index, what_if: paxos_core::Bugs::default(), guided: false })
        .reduce(Action::Seek(u64::MAX));
    yew::Renderer::<SafetyBanner<Paxos>>::with_root_and_props(
        root.clone(),
        StateProps { state: (*state).clone(), dispatch: Callback::noop() },
    )
    .render();
    settle().await;
    let chip = root.query_selector(".banner-text").unwrap().unwrap().text_content().unwrap();
    assert!(chip.starts_with("Two values chosen: first, secondSafety violated: promise decreasedat moment "), "{chip}");
    let text = root.text_content().unwrap();
    // Named by its moment, the timeline's coordinate; the rule in words; its consequences; the bug behind it.
    assert!(text.contains("Safety violated: promise decreased (moment "), "{text}");
    assert!(text.contains("Rule: An acceptor's promise never goes down"), "{text}");
    assert!(text.contains("Then agreement in slot 0 (moment "), "{text}");
    assert!(text.contains("⚠ Running with bugs: amnesia."), "{text}");
    // Its details on demand, and the moment it broke a click away.
    assert!(root.query_selector("button.details").unwrap().is_some());
    assert!(root.query_selector("button.show-violation").unwrap().is_some());
    assert!(root.query_selector("[role=alert]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn the_legend_shows_every_message_kind_of_the_runs_mode() {
    let root = mount();
    yew::Renderer::<Legend<Paxos>>::with_root_and_props(
        root.clone(),
        LegendProps { settings: Settings { mode: Mode::Multi, ..Settings::default() } },
    )
    .render();
    settle().await;
    let text = root.text_content().unwrap();
    for k in paxos_core::MsgKind::ALL {
        assert!(text.contains(k.name()), "{}", k.name());
    }
    // Nine kinds, a message wearing its value's dot, and a lost one.
    assert_eq!(root.query_selector_all("path.marker").unwrap().length(), 11);
    assert_eq!(root.query_selector_all("circle.msg-value").unwrap().length(), 1);
    // Single-decree Paxos sends no heartbeats, catch-up requests or forwarded values.
    let root = mount();
    yew::Renderer::<Legend<Paxos>>::with_root_and_props(root.clone(), LegendProps { settings: Settings::default() })
        .render();
    settle().await;
    // The kinds listed (the words under them may mention a leader's heartbeat in passing).
    let text = root.query_selector("ul").unwrap().unwrap().text_content().unwrap();
    assert!(text.contains("prepare") && text.contains("decided"), "{text}");
    assert!(!text.contains("heartbeat") && !text.contains("catch_up"), "{text}");
    assert_eq!(root.query_selector_all("path.marker").unwrap().length(), 8);
}

#[wasm_bindgen_test]
async fn the_space_time_diagram_draws_arrows_and_shares_the_selection() {
    let mut s = Rc::new(AppState::new(Settings::default()));
    s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("st") });
    for _ in 0..8 {
        s = s.reduce(Action::Step);
    }
    let (id, other) = {
        let e = s.run.engine();
        let mut between = e.history().diagram.arrows().filter(|a| a.from != a.to).map(|a| a.id);
        (between.next().unwrap(), between.next().unwrap())
    };
    // Selected elsewhere (the cluster view, the selection panel): highlighted here.
    let state = (*s.reduce(Action::Select(Selection::Msg(id)))).clone();
    let dispatched = Rc::new(RefCell::new(vec![]));
    let dispatch = {
        let d = dispatched.clone();
        Callback::from(move |a: Action| d.borrow_mut().push(a))
    };
    let root = mount();
    yew::Renderer::<SpaceTime<Paxos>>::with_root_and_props(root.clone(), StateProps { state, dispatch }).render();
    settle().await;
    let svg = root.query_selector("svg[role=img]").unwrap().expect("the diagram");
    assert!(svg.get_attribute("aria-label").unwrap().starts_with("Space-time diagram"));
    let text = root.text_content().unwrap();
    for i in 0..3 {
        assert!(text.contains(&format!("Node {i}")), "{text}");
    }
    assert!(root.query_selector_all("g.arrow").unwrap().length() >= 4);
    assert!(root.query_selector_all("g.arrow.kind-prepare").unwrap().length() >= 2);
    let selected = root.query_selector_all("g.arrow.selected").unwrap();
    assert_eq!(selected.length(), 1);
    let g = selected.item(0).unwrap().unchecked_into::<Element>();
    assert_eq!(g.get_attribute("data-msg"), Some(id.to_string()));
    let title = g.query_selector("title").unwrap().unwrap().text_content().unwrap();
    assert!(title.starts_with(&format!("{id} prepare(1.0) 0→")), "{title}");

    // Selected here: the click selects the other message, and clicking the selected one clears the selection.
    let bubbling_click = |el: &Element| {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        el.dispatch_event(&web_sys::Event::new_with_event_init_dict("click", &init).unwrap()).unwrap();
    };
    let line = |m: paxos_sim::MsgId| {
        root.query_selector(&format!("g.arrow[data-msg=\"{m}\"] .arrow-line")).unwrap().expect("the arrow's line")
    };
    bubbling_click(&line(other));
    bubbling_click(&line(id));
    assert_eq!(*dispatched.borrow(), vec![Action::Select(Selection::Msg(other)), Action::Select(Selection::None)]);
}

#[wasm_bindgen_test]
async fn the_timeline_rewinds_and_marks_a_fork() {
    let root = mount();
    yew::Renderer::<App<Paxos>>::with_root_and_props(root.clone(), AppProps::default()).render();
    settle().await;
    let input: HtmlInputElement = root.query_selector("#value").unwrap().unwrap().unchecked_into();
    input.set_value("t");
    input.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
    settle().await;
    click(&root, "#propose");
    for _ in 0..4 {
        click(&root, "#step");
    }
    settle().await;
    let moment = || root.query_selector(".timeline .moment").unwrap().unwrap().text_content().unwrap();
    assert_eq!(moment(), "moment 5 / 5");
    let slider: HtmlInputElement = root.query_selector("#timeline").unwrap().unwrap().unchecked_into();
    assert_eq!((slider.value(), slider.max()), ("5".to_string(), "5".to_string()));
    // Step back twice, then act: the run forks at moment 3.
    click(&root, "#step-back");
    settle().await;
    click(&root, "#step-back");
    settle().await;
    assert_eq!(moment(), "moment 3 / 5");
    assert!(root.query_selector(".fork-mark").unwrap().is_none());
    click(&root, "#step-back");
    settle().await;
    slider.set_value("3");
    slider.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
    settle().await;
    assert_eq!(moment(), "moment 3 / 5");
    // An SVG element has no click(): dispatch the event a mouse would.
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let node = root.query_selector("g.node[data-node=\"2\"]").unwrap().unwrap();
    node.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    settle().await;
    click(&root, "#crash-node");
    settle().await;
    assert_eq!(moment(), "moment 4 / 4");
    let fork = root.query_selector(".fork-mark").unwrap().expect("a fork mark");
    assert!(fork.get_attribute("title").unwrap().starts_with("Forked at moment 3"));
}

/// A state with the compiled lessons, as the page has them once it fetched `lessons.txt` (the test runner serves no
/// file of ours).
fn loaded() -> Rc<AppState> {
    Rc::new(AppState::new(Settings::default()))
        .reduce(Action::LessonsLoaded(Ok(include_str!("../../crates/paxos-sim/lessons.txt").into())))
}

#[wasm_bindgen_test]
async fn a_scenario_narrates_its_stages() {
    use paxos_web::components::tour::{Lesson, LessonProps};
    let root = mount();
    let state = loaded().reduce(Action::OpenScenario { index: 0, what_if: paxos_core::Bugs::default(), guided: false });
    let render = |state: &Rc<AppState>| {
        yew::Renderer::<Lesson<Paxos>>::with_root_and_props(
            root.clone(),
            LessonProps { state: (**state).clone(), dispatch: Callback::noop(), figure: false, can_exit: true },
        )
        .render();
    };
    render(&state);
    settle().await;
    let title = root.query_selector("#lesson-title").unwrap().unwrap().text_content().unwrap();
    assert_eq!(title, "Happy path");
    let state = state.reduce(Action::TourNext);
    root.set_inner_html("");
    render(&state);
    settle().await;
    let narration = root.query_selector("#narration").unwrap().unwrap().text_content().unwrap();
    assert!(narration.contains("Node 0 proposes"), "{narration}");
    assert!(root.text_content().unwrap().contains("Stage 1 of"));
}

/// The message of a JavaScript error.
fn message(e: wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(&e, &"message".into()).unwrap().as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn mount_refuses_what_is_not_an_element_and_leaves_other_playgrounds_alone() {
    use wasm_bindgen::JsValue;
    let root = mount();
    let _first = paxos_web::web::mount(root.clone().into(), JsValue::UNDEFINED).expect("an element mounts");
    settle().await;
    let options = js_sys::JSON::parse("{\"embed\": true}").unwrap();
    let text = gloo::utils::document().create_text_node("t");
    // A text node returned a handle and then panicked, taking the page's other playgrounds with it; null threw a bare
    // TypeError.
    for (what, value) in [("a Text node", JsValue::from(text)), ("null", JsValue::NULL), ("a string", "#app".into())] {
        match paxos_web::web::mount(value, options.clone()) {
            Ok(_) => panic!("{what} was mounted"),
            Err(e) => {
                assert_eq!(message(e.into()), format!("mount: the first argument must be an element, not {what}"))
            }
        }
    }
    settle().await;
    // A mounted playground lives in a shadow root of its element.
    let inside = root.shadow_root().expect("a mounted playground has a shadow root");
    assert!(inside.query_selector("svg.cluster g.node").unwrap().is_some(), "the first playground still works");
}

#[wasm_bindgen_test]
async fn a_message_carrying_a_value_wears_its_colour_in_the_drawing_and_the_diagram() {
    use paxos_core::MsgKind;
    use paxos_web::components::cluster::ClusterView;
    let mut s = Rc::new(AppState::new(Settings::default()));
    s = s.reduce(Action::Propose { node: NodeId(0), value: Value::text("first") });
    for _ in 0..60 {
        if s.run.snap.messages.iter().any(|m| m.env.msg.kind() == MsgKind::Accept) {
            break;
        }
        s = s.reduce(Action::Step);
    }
    let state = (*s).clone();
    // The first value proposed has the first colour, as its pill and its ✓ have.
    let colour = paxos_web::geometry::VALUE_COLOURS[0];
    let root = mount();
    yew::Renderer::<ClusterView<Paxos>>::with_root_and_props(
        root.clone(),
        StateProps { state: state.clone(), dispatch: Callback::noop() },
    )
    .render();
    settle().await;
    let accepts = root.query_selector_all("g.msg[data-kind=accept]").unwrap();
    assert!(accepts.length() >= 1, "an accept is in flight");
    for i in 0..accepts.length() {
        let g = accepts.item(i).unwrap().unchecked_into::<Element>();
        let dot = g.query_selector("circle.msg-value").unwrap().expect("the accept's value dot");
        assert_eq!(dot.get_attribute("fill").as_deref(), Some(colour));
        // Its kind still reads from its marker.
        assert!(g.query_selector("path.marker").unwrap().is_some());
    }
    // A prepare carries no value.
    assert!(root.query_selector("g.msg[data-kind=prepare] circle.msg-value").unwrap().is_none());
    let root = mount();
    yew::Renderer::<SpaceTime<Paxos>>::with_root_and_props(
        root.clone(),
        StateProps { state, dispatch: Callback::noop() },
    )
    .render();
    settle().await;
    let dot = root.query_selector("g.arrow.kind-accept circle.msg-value").unwrap().expect("the accept arrow's dot");
    assert_eq!(dot.get_attribute("fill").as_deref(), Some(colour));
    assert!(root.query_selector("g.arrow.kind-prepare circle.msg-value").unwrap().is_none());
}
