//! The safety status: a compact chip at the top of the playground, green while every safety rule holds (naming the
//! chosen value once there is one), red with the broken rule otherwise. It is one line; its full text opens on
//! demand over the page instead of pushing the drawing down.

use yew::prelude::*;

use super::node_list;
use paxos_core::{Bug, Bugs, Mode, Slot};
use paxos_sim::checker::Chosen;
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
    /// The moment of each violation (`History::violation_moments`), in the same order.
    #[prop_or_default]
    pub moments: Vec<u64>,
    /// The values chosen so far, per slot (from `Snapshot::chosen`).
    #[prop_or_default]
    pub chosen: Vec<(Slot, Chosen)>,
    /// The run's mode: a single-decree run names its value, a Multi-Paxos run counts its slots.
    #[prop_or_default]
    pub mode: Mode,
}

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
    let ballots = if ballots.is_empty() { String::new() } else { format!(", ballots {}", ballots.join(", ")) };
    let end = if v.message.ends_with('.') { "" } else { "." };
    format!(
        "{}{slot} ({when}): nodes {}{ballots}. {}{end}",
        v.rule.title(),
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

/// The status chip.
#[component]
pub fn SafetyBanner(props: &BannerProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let expanded = (*open).then_some("expanded");
    let details_id = format!("{}-details", props.id);
    let details = |label: &str| {
        html! {
            <button type="button" class="small details" aria-expanded={open.to_string()} aria-controls={details_id.clone()}
                onclick={toggle.clone()}>{ if *open { "Less".to_string() } else { label.to_string() } }</button>
        }
    };
    let stuck = props.no_quorum.then(|| {
        html! {
            <span id={props.id.replace("safety", "no-quorum")} class="no-quorum">
                {" · No quorum reachable: nothing can be chosen until nodes restart or links heal."}</span>
        }
    });
    match props.violations.first() {
        None => html! {
            <div id={props.id.clone()} class={classes!("banner", "ok", expanded)} role="status" aria-live="polite">
                <span class="banner-icon" aria-hidden="true">{"✔"}</span>
                <span class="banner-text" id={details_id.clone()}>
                    <strong>{"Safety holds"}</strong>
                    { stuck.clone() }
                    if let Some(c) = chosen_text(&props.chosen, props.mode) {
                        <span class="chosen-note">{ format!(" · {c}") }</span>
                    }
                    { bug_note(props.bugs) }
                    <span class="more">{" — the checker re-verifies agreement, validity and every promise after each event."}</span>
                </span>
                { details("Why?") }
            </div>
        },
        Some(v) => {
            // The first violation of each rule: a run that goes on after one (the amnesia lesson) may break another
            // rule later. The first is the rule the run broke, at the moment **Show the moment it broke** goes to;
            // its consequences (agreement, what learners learned) follow. The tally counts every one.
            let groups = by_rule(&props.violations);
            let moment_of = |w: &Violation| {
                props.violations.iter().position(|x| std::ptr::eq(x, w)).and_then(|i| props.moments.get(i).copied())
            };
            let lead = v;
            html! {
                <div id={props.id.clone()} class={classes!("banner", "violated", expanded)} role="alert">
                    <span class="banner-icon" aria-hidden="true">{"✖"}</span>
                    <span class="banner-text" id={details_id.clone()}>
                        <strong>{"Safety violated: "}</strong>
                        // The rule that broke first leads, with the rule itself in words; then the others.
                        <span class="violation-text">{ describe(lead, moment_of(lead)) }</span>
                        <span class="rule-text more">{ format!(" Rule: {}", lead.rule.description()) }</span>
                        { for groups.iter().filter(|(w, _)| !std::ptr::eq(*w, lead)).map(|(w, _)| html! {
                            <span class="violation-text also">{ format!(" Also {}", describe(w, moment_of(w))) }</span>
                        }) }
                        if props.goes_on {
                            <span class="goes-on more">{" A playing run pauses where safety breaks. Safety is broken; the run continues so you can watch the consequences (Play or Step goes on). Rewind with the timeline, or Reset to start over."}</span>
                        } else {
                            <span class="stopped more">{" The run stopped where safety broke: Play and Step go no further. Rewind with the timeline, or Reset to start over."}</span>
                        }
                        if props.violations.len() > 1 {
                            <span class="tally">{ tally(&props.violations) }</span>
                        }
                        { bug_note(props.bugs) }
                        { stuck.clone() }
                    </span>
                    { details("Details") }
                    if let Some(on_show) = props.on_show.clone() {
                        <button type="button" class="small show-violation" onclick={on_show}>{"Show the moment it broke"}</button>
                    }
                    { stuck.clone() }
                </div>
            }
        }
    }
}
