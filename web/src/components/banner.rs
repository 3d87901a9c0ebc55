//! The safety banner: always visible, green while every safety rule holds, red with the broken rule otherwise.

use yew::prelude::*;

use super::node_list;
use paxos_core::{Bug, Bugs};
use paxos_sim::Violation;

/// Props: the violations found so far.
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// From `Snapshot::violations`.
    pub violations: Vec<Violation>,
    /// The element id (prefixed in a mounted playground).
    #[prop_or(AttrValue::from("safety"))]
    pub id: AttrValue,
    /// The run's protocol bugs, named in the banner: an embedding may hide the Run panel that lists them.
    #[prop_or_default]
    pub bugs: Bugs,
    /// Whether the run goes on after a violation (Play and Step continue) rather than stop there.
    #[prop_or_default]
    pub goes_on: bool,
    /// Whether no live node can reach a quorum of live acceptors: an extra line says nothing can be chosen.
    #[prop_or_default]
    pub no_quorum: bool,
    /// Shows the moment of the first violation (the button is left out without it).
    #[prop_or_default]
    pub on_show: Option<Callback<MouseEvent>>,
}

/// "⚠ Running with bugs: amnesia." when any is on.
fn bug_note(bugs: Bugs) -> Html {
    let on: Vec<&str> = Bug::ALL.iter().filter(|&&b| bugs.has(b)).map(|b| b.name()).collect();
    if on.is_empty() {
        return Html::default();
    }
    html! { <span class="banner-bugs">{ format!(" ⚠ Running with bugs: {}.", on.join(", ")) }</span> }
}

/// One sentence about a violation: rule, slot, nodes, ballots and the checker's explanation.
pub fn describe(v: &Violation) -> String {
    let slot = v.slot.map(|s| format!(" in slot {s}")).unwrap_or_default();
    let ballots: Vec<String> = v.ballots.iter().map(|b| b.to_string()).collect();
    let ballots = if ballots.is_empty() { String::new() } else { format!(", ballots {}", ballots.join(", ")) };
    let end = if v.message.ends_with('.') { "" } else { "." };
    format!(
        "{}{slot} (step {}): nodes {}{ballots}. {}{end}",
        v.rule.name().replace('_', " "),
        v.step,
        node_list(v.nodes.iter().copied()),
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
            let name = v.rule.name().replace('_', " ");
            if *n > 1 {
                format!("{name} ×{n}")
            } else {
                name
            }
        })
        .collect();
    format!(" ({} violations in all: {})", violations.len(), parts.join(", "))
}

/// The banner.
#[component]
pub fn SafetyBanner(props: &BannerProps) -> Html {
    let stuck = props.no_quorum.then(|| {
        html! {
            <span id={props.id.replace("safety", "no-quorum")} class="no-quorum">
                {"No quorum reachable: nothing can be chosen until nodes restart or links heal."}</span>
        }
    });
    match props.violations.first() {
        None => html! {
            <div id={props.id.clone()} class="banner ok" role="status" aria-live="polite">
                <span class="banner-icon" aria-hidden="true">{"✔"}</span>
                <strong>{"Safety holds"}</strong>
                <span>{" — the checker re-verifies agreement, validity and every promise after each event."}</span>
                { bug_note(props.bugs) }
                { stuck }
            </div>
        },
        Some(v) => {
            // The first violation of each rule: a run that goes on after one (the amnesia lesson) may break another
            // rule later, and agreement is the one a reader must not miss. The tally counts every one.
            let groups = by_rule(&props.violations);
            html! {
                <div id={props.id.clone()} class="banner violated" role="alert">
                    <span class="banner-icon" aria-hidden="true">{"✖"}</span>
                    <strong>{"Safety violated: "}</strong>
                    <span class="violation-text">{ describe(v) }</span>
                    { for groups.iter().skip(1).map(|(w, _)| html! {
                        <span class="violation-text also">{ format!(" Then {}", describe(w)) }</span>
                    }) }
                    if props.goes_on {
                        <span class="goes-on">{" A playing run pauses where safety breaks. Safety is broken; the run continues so you can watch the consequences (Play or Step goes on). Rewind with the timeline, or Reset to start over."}</span>
                    } else {
                        <span class="stopped">{" The run stopped where safety broke: Play and Step go no further. Rewind with the timeline, or Reset to start over."}</span>
                    }
                    if props.violations.len() > 1 {
                        <span class="tally">{ tally(&props.violations) }</span>
                    }
                    { bug_note(props.bugs) }
                    if let Some(on_show) = props.on_show.clone() {
                        <button type="button" class="small show-violation" onclick={on_show}>{"Show the moment it broke"}</button>
                    }
                    { stuck }
                </div>
            }
        }
    }
}
