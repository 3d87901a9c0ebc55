//! The safety status: a compact chip at the top of the playground, green while every safety rule holds (naming the
//! chosen value once there is one), red with the outcome and the broken rule otherwise. Its key words come first and
//! wrap rather than being cut; its explanation (Why? or Details) opens under it on demand, with this run's facts
//! (`crate::explain`), instead of pushing the drawing down. Escape or a click outside closes it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::draw::Draw;

use super::named;
use super::outcome::chosen_in;
use super::{send, StateProps};
use crate::explain::{chosen_sentence, losers, outcome, slot_of, winner_sentence, LEARNED_VS_CHOSEN};
use crate::protocol::Look;
use crate::state::{Action, AppState};
use paxos_core::{Mode, Slot};
use paxos_sim::checker::Chosen;
use paxos_sim::{RuleSet, Violation};

/// "Chosen: blue at 1.0" (single-decree) or "12 slots chosen" (Multi-Paxos), once anything is chosen.
pub fn chosen_text(chosen: &[(Slot, Chosen)], mode: Mode) -> Option<String> {
    match (mode, chosen) {
        (_, []) => None,
        (Mode::Single, [(_, c), ..]) => Some(format!("Chosen: {} at {}", c.value, c.ballot)),
        (Mode::Multi, [_]) => Some("1 slot chosen".into()),
        (Mode::Multi, all) => Some(format!("{} slots chosen", all.len())),
    }
}

/// One sentence about a violation: rule, slot, the moment it broke (the timeline's coordinate; the simulator's step
/// when the moment is not known), nodes, ballots and the checker's explanation.
pub fn describe<P: Look>(v: &Violation<P>, moment: Option<u64>) -> String {
    let when = match moment {
        Some(m) => format!("moment {m}"),
        None => format!("step {}", v.step),
    };
    let slot = v.slot.map(|s| format!(" in slot {s}")).unwrap_or_default();
    let ballots: Vec<String> = v.ballots.iter().map(|b| b.to_string()).collect();
    let ballots = match ballots.len() {
        0 => String::new(),
        1 => format!(", {} {}", P::ROUND, ballots[0]),
        _ => format!(", {}s {}", P::ROUND, ballots.join(", ")),
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
pub fn by_rule<P: Look>(violations: &[Violation<P>]) -> Vec<(&Violation<P>, usize)> {
    let mut groups: Vec<(&Violation<P>, usize)> = Vec::new();
    for w in violations {
        match groups.iter_mut().find(|(f, _)| f.rule == w.rule) {
            Some((_, n)) => *n += 1,
            None => groups.push((w, 1)),
        }
    }
    groups
}

/// "(4 violations in all: promise decreased, agreement, learned unchosen ×2)": the counts add up to the total.
pub fn tally<P: Look>(violations: &[Violation<P>]) -> String {
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

/// A piece of the chip's text or of its explanation: its class (what tests and styles find it by) and its words.
pub type Line = (&'static str, String);

/// What the chip says, key words first, and its explanation, from this run's facts: in a run where safety holds, what
/// was chosen, by which acceptors, in which ballot and when, and why (or that nothing is yet), and what became of the
/// other values; after a violation the outcome first (two values chosen), then the rule that broke first, where and
/// when, then its consequences.
pub fn lines(s: &AppState, no_quorum: bool) -> (Vec<Line>, Vec<Line>) {
    let (snap, e) = (&s.run.snap, s.run.engine());
    let (h, c) = (e.history(), e.sim().cluster());
    let mode = s.run.settings.mode;
    let quorum = (c.real_q2, c.acceptors.len());
    let lost = if mode == Mode::Single { losers(snap, h) } else { Vec::new() };
    let (mut key, mut more): (Vec<Line>, Vec<Line>) = (Vec::new(), Vec::new());
    let chosen = |more: &mut Vec<Line>, slot: Option<Slot>, winner: bool| {
        let slot = slot.unwrap_or(Slot(0));
        for ch in chosen_in(snap, slot) {
            let won = winner_sentence(h, slot, ch, h.proposals().len() > 1).filter(|_| winner);
            let won = won.map(|w| format!(" {w}")).unwrap_or_default();
            more.push(("why-chosen", chosen_sentence(h, slot, ch, mode) + &won));
        }
    };
    match snap.violations.first() {
        None => {
            key.push(("lead", "Safety holds".into()));
            if let Some(t) = chosen_text(&snap.chosen, mode) {
                key.push(("chosen-note", t));
            }
            chosen(&mut more, slot_of(snap, mode), true);
            if snap.chosen.is_empty() {
                more.push(("", format!("Nothing is chosen yet: a value is chosen once a quorum of {} of {} acceptors accept it in one ballot.", quorum.0, quorum.1)));
            }
            more.extend(lost.iter().map(|l| ("why-lost", format!("{}.", l.fate))));
        }
        Some(lead) => {
            // A run that goes on after a violation (the amnesia lesson) may break other rules later, each listed by
            // its first violation; the tally counts every one.
            let moment = |w: &Violation<paxos_sim::Paxos>| {
                snap.violations
                    .iter()
                    .position(|x| std::ptr::eq(x, w))
                    .and_then(|i| h.violation_moments.get(i).copied())
            };
            if let Some(o) = outcome(snap, mode) {
                key.push(("lead banner-outcome", o));
            }
            key.push(("lead first-rule", format!("Safety violated: {}", lead.rule.title())));
            key.push(("when", where_and_when(lead, moment(lead))));
            chosen(&mut more, snap.also_chosen.iter().map(|(s, _)| *s).min(), false);
            more.extend(lost.iter().filter(|l| l.learned).map(|l| ("why-lost", format!("{}.", l.fate))));
            more.push((
                "violation-text",
                format!("Safety violated: {} Rule: {}", describe(lead, moment(lead)), lead.rule.description()),
            ));
            for (w, _) in by_rule(&snap.violations).into_iter().filter(|(w, _)| !std::ptr::eq(*w, lead)) {
                more.push(("violation-text also", format!("Then {}", describe(w, moment(w)))));
            }
            more.push(if s.run.goes_on() {
                ("goes-on", "A playing run pauses where safety breaks; the run continues so you can watch the consequences (Play or Step goes on). Rewind with the timeline, or Reset to start over.".into())
            } else {
                ("stopped", "The run stopped where safety broke: Play and Step go no further. Rewind with the timeline, or Reset to start over.".into())
            });
            if snap.violations.len() > 1 {
                more.push(("tally", tally(&snap.violations)));
            }
        }
    }
    if lost.iter().any(|l| l.learned) {
        more.push(("", LEARNED_VS_CHOSEN.into()));
    }
    if no_quorum {
        more.push(("", format!("No quorum reachable: a value needs {} of {} acceptors, and no live proposer reaches that many. Nothing can be chosen until nodes restart or links heal.", c.q1.max(c.q2), quorum.1)));
    }
    if snap.violations.is_empty() {
        more.push(("", "The checker re-verifies agreement, validity and every promise after each event.".into()));
    }
    more.extend(bugs_line::<paxos_sim::Paxos>(&c.config));
    (key, more)
}

/// "⚠ Running with bugs: …", for a run with any.
pub fn bugs_line<P: Look>(c: &P::Config) -> Option<Line> {
    let on = crate::protocol::bug_names::<P>(P::bugs_of(c));
    (!on.is_empty()).then(|| ("banner-bugs", format!("⚠ Running with bugs: {}.", on.join(", "))))
}

/// When each violation appeared (the timeline's moment), for the chip's words.
pub fn moment_of<P: Look>(s: &AppState<P>, w: &Violation<P>) -> Option<u64> {
    let e = s.run.engine();
    s.run
        .snap
        .violations
        .iter()
        .position(|x| std::ptr::eq(x, w))
        .and_then(|i| e.history().violation_moments.get(i).copied())
}

/// Where and when a rule broke, for the chip: "at moment 26, node 1".
pub fn where_and_when<P: Look>(v: &Violation<P>, moment: Option<u64>) -> String {
    let when = moment.map(|m| format!("at moment {m}")).unwrap_or_default();
    let nodes =
        if v.nodes.is_empty() { String::new() } else { format!(", {}", named("node", v.nodes.iter().copied())) };
    when + &nodes
}

/// The status chip.
#[component]
pub fn SafetyBanner<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let open = s.view.explain;
    let more_id = s.view.id("safety-details");
    let root = use_node_ref();
    let button = use_node_ref();
    // Open: a click outside the chip and its explanation closes it (a mounted figure's clicks come through its shadow
    // root: the event's composed path says whether the chip was in it). Closed: the focus goes back to the button
    // that opened it, unless the person went on to another control (rather than the page, a scrolling panel or a
    // mounted figure's own element, which take the focus on a click).
    {
        let (root, button, d) = (root.clone(), button.clone(), d.clone());
        use_effect_with(open, move |&open| {
            let listener = open.then(|| {
                gloo::events::EventListener::new(&gloo::utils::document(), "click", move |e| {
                    if !root.get().is_some_and(|r| e.composed_path().includes(r.as_ref(), 0)) {
                        d.emit(Action::Explain(false));
                    }
                })
            });
            move || {
                // Closing (or leaving the page): the listener goes, and the focus comes back.
                let Some(b) = listener.and(button.cast::<web_sys::HtmlElement>()) else { return };
                let active = js_sys::Reflect::get(&b.get_root_node(), &"activeElement".into()).ok();
                let active = active.and_then(|a| a.dyn_into::<web_sys::Element>().ok());
                if !active.is_some_and(|a| a.matches("button,input,select,textarea,a,[role=button]").unwrap_or(false)) {
                    let _ = b.focus();
                }
            }
        });
    }
    let ok = s.run.snap.violations.is_empty();
    let no_quorum = s.run.no_quorum();
    let (key, more) = P::status(s, no_quorum);
    html! {
        <div id={s.view.id("safety")} class={classes!("banner", if ok { "ok" } else { "violated" }, open.then_some("expanded"))} ref={root}>
            <span class="banner-icon" aria-hidden="true">{ if ok { "✔" } else { "✖" } }</span>
            // The key words, never cut: the chip wraps them onto a second line where it must.
            <span class="banner-text" role={if ok { "status" } else { "alert" }}>
                { for key.into_iter().map(|(class, text)| html! { <span class={class}>{ text }</span> }) }
                if no_quorum {
                    <span id={s.view.id("no-quorum")} class="no-quorum">{"No quorum reachable"}
                        <span class="sr-only">{": nothing can be chosen until nodes restart or links heal."}</span></span>
                }
            </span>
            <button type="button" class="small details" aria-expanded={open.to_string()} aria-controls={more_id.clone()}
                ref={button} onclick={send(d, Action::Explain(!open))}>{ if open { "Less" } else if ok { "Why?" } else { "Details" } }</button>
            if !ok {
                <button type="button" class="small show-violation" onclick={send(d, Action::ShowViolation)}>{"Show the moment it broke"}</button>
            }
            // The explanation stays in the page when it is closed, out of sight: the chip's text in full.
            <div id={more_id} class="banner-more">{ for more.into_iter().map(|(class, text)| html! { <p class={class}>{ text }</p> }) }</div>
        </div>
    }
}
