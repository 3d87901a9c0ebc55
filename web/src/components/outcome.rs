//! What was decided: per learner in single-decree Paxos, a slot grid (slots × nodes) in Multi-Paxos, and beside it
//! the checker's own verdict computed from the acceptors' votes.

use paxos_core::{Mode, Slot, Value};
use paxos_sim::{Chosen, Snapshot};
use yew::prelude::*;

use super::{named, StateProps};
use crate::geometry::abbreviate;

/// How many of the newest slots the grid shows.
pub const GRID_SLOTS: usize = 16;

/// A dot in the value's colour (`geometry::value_colour`), as the drawing shows it.
fn dot(proposed: &[Value], v: &Value) -> Html {
    html! {
        <svg class="value-dot" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <circle cx="5" cy="5" r="4.5" fill={crate::geometry::value_colour(proposed, v)} />
        </svg>
    }
}

/// A slot's value as the grid shows it: a transaction with the ID it was handed, a configuration with the slot it is
/// in force from.
fn cell(v: &Value, slot: Slot, id: Option<u64>, proposed: &[Value]) -> Html {
    let dot = dot(proposed, v);
    match v {
        Value::Noop => html! { <span class="noop">{ dot }{"no-op"}</span> },
        Value::Txn { client, req } => html! {
            <span class="txn">{ dot }{ format!("txn {client}/{req}") }
                if let Some(id) = id { <span class="txn-id">{ format!(" → #{id}") }</span> }
            </span>
        },
        Value::Text(t) => html! { <span class="text" title={t.to_string()}>{ dot }{ abbreviate(t, 14) }</span> },
        Value::Config(_) => html! {
            <span class="config">{ dot }{ v.to_string() }<span class="txn-id">{ format!(" from [{}]", slot.0 + paxos_core::ALPHA) }</span></span>
        },
    }
}

/// Why a single-decree learner that restarted after the value was chosen has learned nothing.
pub const LATE: &str = " Restarted after the value was chosen: a single-decree learner hears a value only from the \
    acceptors' accepted messages, which are not resent. It learns the value if a proposer runs another ballot (propose \
    again).";

/// Every value the checker saw chosen in `slot`, in the order they were chosen (more than one only under a bug).
pub fn chosen_in(snap: &Snapshot, slot: Slot) -> Vec<&Chosen> {
    snap.chosen.iter().chain(&snap.also_chosen).filter(|(s, _)| *s == slot).map(|(_, c)| c).collect()
}

/// The slots, in order, each once: marked in a table as long as the log, so thousands of slots cost no sort.
fn sorted_slots(slots: impl Iterator<Item = Slot>) -> Vec<Slot> {
    let mut seen: Vec<bool> = Vec::new();
    for s in slots {
        let i = s.0 as usize;
        if i >= seen.len() {
            seen.resize(i + 1, false);
        }
        seen[i] = true;
    }
    (0..seen.len()).filter(|&i| seen[i]).map(|i| Slot(i as u64)).collect()
}

/// Every slot where more than one value was chosen, each value with its ballot and acceptors, in words.
pub fn conflicts(snap: &Snapshot) -> String {
    let slots = sorted_slots(snap.also_chosen.iter().map(|(s, _)| *s));
    let each = |c: &&Chosen| format!("{} at ballot {} by {}", c.value, c.ballot, named("acceptor", c.quorum.iter()));
    let lines: Vec<String> = slots
        .iter()
        .map(|&s| format!("slot {s}: {}", chosen_in(snap, s).iter().map(each).collect::<Vec<_>>().join("; ")))
        .collect();
    format!("Checker: more than one value chosen (agreement is broken) in {}.", lines.join("; in "))
}

/// The panel.
#[component]
pub fn Outcome(props: &StateProps) -> Html {
    let s = &props.state;
    let snap = &s.run.snap;
    let proposed = crate::geometry::proposed_values(&s.run.engine().tape);
    match s.run.settings.mode {
        Mode::Single => {
            let chosen = chosen_in(snap, Slot(0));
            let late = s.run.engine().history().late;
            html! {
                <section class="panel outcome" aria-labelledby={s.view.id("outcome-title")}>
                    <h2 id={s.view.id("outcome-title")}>{ if chosen.len() > 1 { "Chosen values" } else { "Chosen value" } }</h2>
                    // A status: a screen reader hears the value once it is chosen (and again if a bug lets another be chosen).
                    <p id={s.view.id("checker-chosen")} class="checker" role="status">
                        if chosen.is_empty() {
                            {"Checker: nothing chosen yet (no quorum of acceptors accepted one value in one ballot)."}
                        } else {
                            {"Checker: "}
                            { for chosen.iter().enumerate().map(|(k, c)| html! { <>
                                { if k == 0 { "" } else { "; then " } }<strong>{ c.value.to_string() }</strong>
                                { format!(" was chosen at ballot {} by {}", c.ballot, named("acceptor", c.quorum.iter())) }
                            </> }) }
                            { if chosen.len() > 1 { format!(": {} values chosen, agreement is broken.", chosen.len()) } else { ".".into() } }
                        }
                    </p>
                    <table class="learners">
                        <thead><tr><th scope="col">{"Learner"}</th><th scope="col">{"Status"}</th><th scope="col">{"Learned"}</th></tr></thead>
                        <tbody>
                            { for snap.nodes.iter().filter(|n| n.roles.learner).map(|n| html! {
                                <tr data-learner={n.id.to_string()}>
                                    <th scope="row">{ format!("node {}", n.id) }</th>
                                    <td>{ if n.up { "up" } else { "crashed" } }</td>
                                    <td class="learned">{ match n.learned.iter().find(|(sl, _)| *sl == Slot(0)) {
                                        Some((_, v)) => html! { <>{ dot(&proposed, v) }{ v.to_string() }</> },
                                        None if n.up && late.contains(n.id) && !chosen.is_empty() => html! { <>{"—"}<span class="late-note">{ LATE }</span></> },
                                        None => html! { "—" },
                                    } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }
        }
        Mode::Multi => {
            let engine = s.run.engine();
            let ids = &engine.history().txn_ids;
            let slots = sorted_slots(
                snap.chosen
                    .iter()
                    .map(|(s, _)| *s)
                    .chain(snap.nodes.iter().flat_map(|n| n.learned.iter().map(|(s, _)| *s))),
            );
            let total = slots.len();
            let shown = &slots[total.saturating_sub(GRID_SLOTS)..];
            html! {
                <section class="panel outcome" aria-labelledby={s.view.id("outcome-title")}>
                    <h2 id={s.view.id("outcome-title")}>{"Log: slots × nodes"}</h2>
                    <p class="hint">{ if total > GRID_SLOTS { format!("The newest {GRID_SLOTS} of {total} slots. ") } else { String::new() } }{"“→ #k” is the transaction ID the learner handed out; no-ops fill gaps a new leader found; “config {…} from [s]” is a membership change, in force from slot s."}</p>
                    // Scrolls sideways when the slots overflow, so it takes the focus (arrow keys scroll it).
                    <div class="grid-scroll" tabindex="0" role="region" aria-label="The slot grid, scrolling sideways">
                        <table class="slot-grid">
                            <thead><tr><th scope="col">{"slot"}</th>{ for shown.iter().map(|s| html! { <th scope="col">{ s.to_string() }</th> }) }</tr></thead>
                            <tbody>
                                <tr class="checker-row"><th scope="row">{"chosen"}</th>
                                    { for shown.iter().map(|slot| html! {
                                        <td>{ for chosen_in(snap, *slot).iter().enumerate().map(|(k, c)| html! { <>{ if k > 0 { " ≠ " } else { "" } }{ cell(&c.value, *slot, None, &proposed) }</> }) }</td>
                                    }) }
                                </tr>
                                { for snap.nodes.iter().filter(|n| n.roles.learner).map(|n| html! {
                                    <tr class={classes!((!n.up).then_some("crashed"))}>
                                        <th scope="row">{ format!("node {}{}", n.id, if n.up { "" } else { " ✕" }) }</th>
                                        { for shown.iter().map(|slot| html! {
                                            <td>{ n.learned.iter().find(|(s, _)| s == slot).map(|(_, v)| cell(v, *slot, ids.get(&(*slot, n.id)).copied(), &proposed)).unwrap_or_default() }</td>
                                        }) }
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                    if !snap.also_chosen.is_empty() {
                        <p id={s.view.id("checker-conflicts")} class="checker conflicts">{ conflicts(snap) }</p>
                    }
                </section>
            }
        }
    }
}
