//! The safety status: a compact chip at the top of the playground, green while every safety rule holds (naming the
//! chosen value once there is one), red with the outcome and the broken rule otherwise. Its key words come first and
//! wrap rather than being cut; its explanation (Why? or Details) opens under it on demand, with this run's facts
//! (`crate::explain`), instead of pushing the drawing down. Escape or a click outside closes it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::outcome::chosen_in;
use super::{send, StateProps};
use crate::explain::{
    chosen_sentence, losers, named, outcome, slot_of, winner_sentence, LEARNED_VS_CHOSEN,
};
use crate::state::Action;
use paxos_core::{Bug, Bugs, Mode, Slot};
use paxos_sim::checker::Chosen;
use paxos_sim::Violation;

/// "Chosen: blue at 1.0" (single-decree) or "12 slots chosen" (Multi-Paxos), once anything is chosen.
pub fn chosen_text(chosen: &[(Slot, Chosen)], mode: Mode) -> Option<String> {
    match (mode, chosen) {
        (_, []) => None,
        (Mode::Single, [(_, c), ..]) => Some(format!("Chosen: {} at {}", c.value, c.ballot)),
        (Mode::Multi, [_]) => Some("1 slot chosen".into()),
        (Mode::Multi, all) => Some(format!("{} slots chosen", all.len())),
    }
}

/// "⚠ Running with bugs: amnesia." when any is on.
fn bug_note(bugs: Bugs) -> Html {
    let on: Vec<&str> = Bug::ALL.iter().filter(|&&b| bugs.has(b)).map(|b| b.name()).collect();
    if on.is_empty() {
        return Html::default();
    }
    html! { <span class="banner-bugs">{ format!(" ⚠ Running with bugs: {}.", on.join(", ")) }</span> }
}

/// One sentence about a violation: rule, slot, the moment it broke (the timeline's coordinate; the simulator's step
/// when the moment is not known), nodes, ballots and the checker's explanation.
pub fn describe(v: &Violation, moment: Option<u64>) -> String {
    let when = match moment {
        Some(m) => format!("moment {m}"),
        None => format!("step {}", v.step),
    };
    let slot = v.slot.map(|s| format!(" in slot {s}")).unwrap_or_default();
    let ballots: Vec<String> = v.ballots.iter().map(|b| b.to_string()).collect();
    let ballots = match ballots.len() {
        0 => String::new(),
        1 => format!(", ballot {}", ballots[0]),
        _ => format!(", ballots {}", ballots.join(", ")),
    };
    let end = if v.message.ends_with('.') { "" } else { "." };
    format!(
        "{}{slot} ({when}): {}{ballots}. {}{end}",
        v.rule.title(),
        named("node", v.nodes.iter().copied()),
        v.message.get(..1).map(str::to_ascii_uppercase).unwrap_or_default() + v.message.get(1..).unwrap_or_default(),
    )
}

/// The violations grouped by rule, in the order each rule first broke: its first violation and how many in all.
pub fn by_rule(violations: &[Violation]) -> Vec<(&Violation, usize)> {
    let mut groups: Vec<(&Violation, usize)> = Vec::new();
    for w in violations {
        match groups.iter_mut().find(|(f, _)| f.rule == w.rule) {
            Some((_, n)) => *n += 1,
            None => groups.push((w, 1)),
        }
    }
    groups
}

/// "(4 violations in all: promise decreased, agreement, learned unchosen ×2)": the counts add up to the total.
pub fn tally(violations: &[Violation]) -> String {
    let parts: Vec<String> = by_rule(violations)
        .iter()
        .map(|(v, n)| {
            let name = v.rule.title();
            if *n > 1 {
                format!("{name} ×{n}")
            } else {
                name.to_string()
            }
        })
        .collect();
    format!(" ({} violations in all: {})", violations.len(), parts.join(", "))
}

/// The rule that broke first, where and when, for the chip: "promise decreased at moment 26, node 1".
fn first_rule(v: &Violation, moment: Option<u64>) -> String {
    let when = moment.map(|m| format!(" at moment {m}")).unwrap_or_default();
    let nodes = if v.nodes.is_empty() { String::new() } else { format!(", {}", named("node", v.nodes.iter().copied())) };
    format!("{}{when}{nodes}", v.rule.title())
}

/// The explanation of a run where safety holds: what was chosen, by which acceptors, in which ballot and when, and
/// why (or that nothing is yet), what became of the other values, and whether a quorum can still be reached.
fn explain_ok(s: &crate::state::AppState, no_quorum: bool) -> Html {
    let (snap, e) = (&s.run.snap, s.run.engine());
    let (h, c) = (e.history(), e.sim().cluster());
    let mode = s.run.settings.mode;
    let quorum = (c.real_q2, c.acceptors.len());
    let slot = slot_of(snap, mode);
    let chosen = slot.map(|sl| chosen_in(snap, sl)).unwrap_or_default();
    let lost = if mode == Mode::Single { losers(snap, h) } else { Vec::new() };
    let duel = h.proposals.len() > 1;
    html! { <>
        { for chosen.iter().map(|ch| {
            let sl = slot.unwrap_or(Slot(0));
            html! { <p class="why-chosen">{ chosen_sentence(h, sl, ch, mode, quorum) }
                { winner_sentence(h, sl, ch, duel).map(|w| format!(" {w}")).unwrap_or_default() }</p> }
        }) }
        if chosen.is_empty() {
            <p>{ format!("Nothing is chosen yet: a value is chosen once a quorum of {} of {} acceptors accept it in one ballot.", quorum.0, quorum.1) }</p>
        }
        { for lost.iter().map(|l| html! { <p class="why-lost">{ format!("{}.", l.fate) }</p> }) }
        if lost.iter().any(|l| l.learned) {
            <p>{ LEARNED_VS_CHOSEN }</p>
        }
        if no_quorum {
            <p>{ format!("No quorum reachable: a value needs {} of {} acceptors, and no live proposer reaches that many. Nothing can be chosen until nodes restart or links heal.", c.q1.max(c.q2), quorum.1) }</p>
        }
        <p>{"The checker re-verifies agreement, validity and every promise after each event."}</p>
    </> }
}

/// The status chip.
#[component]
pub fn SafetyBanner(props: &StateProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let snap = &s.run.snap;
    let open = s.view.explain;
    let id = s.view.id("safety");
    let more_id = s.view.id("safety-details");
    let root = use_node_ref();
    let button = use_node_ref();
    // A click outside the chip and its explanation closes it (a mounted figure's clicks come through its shadow root:
    // the event's composed path says whether the chip was in it).
    {
        let (root, d) = (root.clone(), d.clone());
        use_effect_with(open, move |&open| {
            let listener = open.then(|| {
                gloo::events::EventListener::new(&gloo::utils::document(), "pointerdown", move |e| {
                    let inside = root.get().is_some_and(|r| e.composed_path().includes(r.as_ref(), 0));
                    if !inside {
                        d.emit(Action::Explain(false));
                    }
                })
            });
            move || drop(listener)
        });
    }
    // Closed: the focus goes back to the button that opened it, unless the person went on to something else.
    {
        let (button, was) = (button.clone(), use_mut_ref(|| false));
        use_effect_with(open, move |&open| {
            let closed = std::mem::replace(&mut *was.borrow_mut(), open) && !open;
            let Some(b) = button.cast::<web_sys::HtmlElement>().filter(|_| closed) else { return };
            let active = match b.get_root_node().dyn_into::<web_sys::ShadowRoot>() {
                Ok(r) => r.active_element(),
                Err(_) => gloo::utils::document().active_element(),
            };
            if active.is_none_or(|a| a.tag_name() == "BODY" || a.get_attribute("tabindex").as_deref() == Some("-1")) {
                let _ = b.focus();
            }
        });
    }
    let e = s.run.engine();
    let h = e.history();
    let mode = s.run.settings.mode;
    let bugs: Bugs = e.tape.config.cluster.bugs;
    let no_quorum = s.run.no_quorum();
    let expanded = open.then_some("expanded");
    let details = |label: &str| {
        html! {
            <button type="button" class="small details" aria-expanded={open.to_string()} aria-controls={more_id.clone()}
                ref={button.clone()} onclick={send(d, Action::Explain(!open))}>{ if open { "Less" } else { label } }</button>
        }
    };
    // The key words, never cut: the chip wraps them onto a second line where it must.
    let stuck = no_quorum.then(|| {
        html! { <>{" · "}<span id={s.view.id("no-quorum")} class="no-quorum">{"No quorum reachable"}
            <span class="sr-only">{": nothing can be chosen until nodes restart or links heal."}</span></span></> }
    });
    // What the explanation holds stays in the page when it is closed, out of sight: the chip's text in full.
    let more = |body: Html| html! { <div id={more_id.clone()} class="banner-more">{ body }{ bug_note(bugs) }</div> };
    match snap.violations.first() {
        None => html! {
            <div id={id} class={classes!("banner", "ok", expanded)} ref={root}>
                <span class="banner-icon" aria-hidden="true">{"✔"}</span>
                <span class="banner-text" role="status" aria-live="polite">
                    <strong>{"Safety holds"}</strong>
                    { stuck }
                    if let Some(c) = chosen_text(&snap.chosen, mode) {
                        {" · "}<span class="chosen-note">{ c }</span>
                    }
                </span>
                { details("Why?") }
                { more(explain_ok(s, no_quorum)) }
            </div>
        },
        Some(lead) => {
            // The outcome first (two values chosen), then the rule that broke first, where and when, then its
            // consequences: a run that goes on after one (the amnesia lesson) may break other rules later, each
            // listed by its first violation. The tally counts every one.
            let groups = by_rule(&snap.violations);
            let moment_of = |w: &Violation| {
                snap.violations.iter().position(|x| std::ptr::eq(x, w)).and_then(|i| h.violation_moments.get(i).copied())
            };
            let quorum = (e.sim().cluster().real_q2, e.sim().cluster().acceptors.len());
            let head = outcome(snap, mode);
            let split = snap.also_chosen.iter().map(|(s, _)| *s).min();
            let lost = if mode == Mode::Single { losers(snap, h) } else { Vec::new() };
            let learned: Vec<_> = lost.iter().filter(|l| l.learned).collect();
            html! {
                <div id={id} class={classes!("banner", "violated", expanded)} ref={root}>
                    <span class="banner-icon" aria-hidden="true">{"✖"}</span>
                    <span class="banner-text" role="alert">
                        if let Some(o) = head { <strong class="banner-outcome">{ o }</strong>{" · "} }
                        <strong>{"Safety violated: "}</strong><span class="first-rule">{ first_rule(lead, moment_of(lead)) }</span>
                        { stuck }
                    </span>
                    { details("Details") }
                    <button type="button" class="small show-violation" onclick={send(d, Action::ShowViolation)}>{"Show the moment it broke"}</button>
                    { more(html! { <>
                        { for split.map(|sl| chosen_in(snap, sl)).unwrap_or_default().into_iter().map(|c| html! {
                            <p class="why-chosen">{ chosen_sentence(h, split.unwrap_or(Slot(0)), c, mode, quorum) }</p>
                        }) }
                        { for learned.iter().map(|l| html! { <p class="why-lost">{ format!("{}.", l.fate) }</p> }) }
                        if !learned.is_empty() { <p>{ LEARNED_VS_CHOSEN }</p> }
                        <p>
                            {"First broken: "}<span class="violation-text">{ describe(lead, moment_of(lead)) }</span>
                            <span class="rule-text">{ format!(" Rule: {}", lead.rule.description()) }</span>
                        </p>
                        { for groups.iter().filter(|(w, _)| !std::ptr::eq(*w, lead)).map(|(w, _)| html! {
                            <p class="violation-text also">{ format!("Then {}", describe(w, moment_of(w))) }</p>
                        }) }
                        <p>
                            if s.run.goes_on() {
                                <span class="goes-on">{"A playing run pauses where safety breaks; the run continues so you can watch the consequences (Play or Step goes on). Rewind with the timeline, or Reset to start over."}</span>
                            } else {
                                <span class="stopped">{"The run stopped where safety broke: Play and Step go no further. Rewind with the timeline, or Reset to start over."}</span>
                            }
                            if snap.violations.len() > 1 {
                                <span class="tally">{ tally(&snap.violations) }</span>
                            }
                        </p>
                    </> }) }
                </div>
            }
        }
    }
}
