//! The quorum overlay in words, for the ballot in focus: who promised, who accepted, and which value the proposer
//! sent to phase 2 and why.

use paxos_core::{Ballot, NodeId, Slot};
use yew::prelude::*;

use super::{node_list, StateProps};

/// The panel.
#[component]
pub fn QuorumPanel(props: &StateProps) -> Html {
    let s = &props.state;
    let engine = s.run.engine();
    let cluster = engine.sim().cluster();
    let (q1, q2) = (cluster.q1, cluster.q2);
    let Some(b) = s.run.focus_ballot() else {
        return html! {
            <section class="panel quorum" aria-labelledby={s.view.id("quorum-title")}>
                <h2 id={s.view.id("quorum-title")}>{"Quorums"}</h2>
                <p class="hint">{ format!("No ballot yet. Propose a value: its proposer picks a ballot and asks the acceptors for promises (phase 1, needs {q1}), then to accept a value (phase 2, needs {q2}).") }</p>
            </section>
        };
    };
    let story = engine.history().ballots().get(&b).cloned().unwrap_or_default();
    let tick = |ok: bool| if ok { " ✓ quorum" } else { "" };
    let latest_slot: Option<Slot> = story.adopted.keys().next_back().copied();
    html! {
        <section class="panel quorum" aria-labelledby={s.view.id("quorum-title")}>
            <h2 id={s.view.id("quorum-title")}>{ format!("Quorums for ballot {b} (node {}'s)", b.node) }</h2>
            <ul class="quorum-lines">
                <li><span class="swatch promised" aria-hidden="true"></span>
                    { format!("Phase 1 — promised by {} ({} promise{}; a quorum is {q1}){}", node_list(story.promised.iter()), story.promised.len(), if story.promised.len() == 1 { "" } else { "s" }, tick(story.promised.len() >= q1)) }
                    if !story.rejected.is_empty() { { format!("; refused by {}", node_list(story.rejected.iter())) } }
                </li>
                { for story.accepted.iter().rev().take(3).map(|(slot, q)| html! {
                    <li><span class="swatch accepted" aria-hidden="true"></span>
                        { format!("Phase 2 — slot {slot}: accepted by {} ({}; a quorum is {q2}){}", node_list(q.iter()), q.len(), tick(q.len() >= q2)) }
                        if let Some(broke) = story.broke_promise.get(slot) {
                            <span class="broke-promise">{ broke_promise(broke) }</span>
                        }
                    </li>
                }) }
                if cluster.config.bugs.minority_quorum {
                    <li class="minority-note">{ format!(
                        "⚠ The minority-quorum bug: a quorum is {q1} of {n} acceptors, so two quorums need not share an acceptor (a majority is {majority}).",
                        n = cluster.acceptors.len(), majority = cluster.acceptors.len() / 2 + 1,
                    ) }</li>
                }
                if let Some(slot) = latest_slot {
                    <li id={s.view.id("adopted-why")}><span class="swatch value" aria-hidden="true"></span>
                        { format!("Node {} {}.", b.node, story.explain(slot).unwrap_or_default()) }
                    </li>
                }
            </ul>
            <p class="hint">{"The focus is the selected node's ballot, else the leader's. Rings on the drawing: inner dashed = promised this ballot, outer solid = accepted in it."}</p>
        </section>
    }
}

/// The acceptances below a promise in one slot, in words: only the break-promise bug makes them.
fn broke_promise(broke: &[(NodeId, Ballot)]) -> String {
    // In order as plain numbers: round, then node.
    let promises = super::sorted_set(broke.iter().map(|(_, p)| (u64::from(p.round) << 8) | u64::from(p.node.0)));
    let promises: Vec<String> =
        promises.iter().map(|&k| Ballot { round: (k >> 8) as u32, node: NodeId(k as u8) }.to_string()).collect();
    format!(
        " ⚠ {} {} had promised {} and accepted anyway: an acceptor must refuse any ballot below its promise (the \
         break-promise bug).",
        if broke.len() == 1 { "acceptor" } else { "acceptors" },
        node_list(broke.iter().map(|(n, _)| *n)),
        promises.join(", "),
    )
}
