//! Network knobs (loss, duplication, latency) and partition presets.

use paxos_core::NodeId;
use yew::prelude::*;

use super::draw::Draw;

use super::{knob, send, StateProps};
use crate::input::parse_network;
use crate::state::{Action, AppState};

/// Split the cluster into a minority and a majority; the minority holds the leader when there is one, so the split
/// forces an election.
pub fn minority_majority<P: crate::protocol::Look>(s: &AppState<P>) -> Vec<Vec<NodeId>> {
    let n = s.run.snap.nodes.len();
    let k = (n - 1) / 2;
    let leader = s.run.snap.leader.map_or(0, |l| l.index());
    let minority: Vec<NodeId> = (0..k).map(|i| NodeId(((leader + i) % n) as u8)).collect();
    let majority: Vec<NodeId> = (0..n).map(|i| NodeId(i as u8)).filter(|id| !minority.contains(id)).collect();
    vec![minority, majority]
}

/// Split the cluster into groups none of which holds a phase-1 or a phase-2 quorum (of the sizes the run was set
/// up with, majorities by default), so that nothing can be chosen until the links heal: the partition that really
/// blocks progress, where "Split minority/majority" leaves a majority that still decides.
pub fn no_quorum_split(n: usize, q1: usize, q2: usize) -> Vec<Vec<NodeId>> {
    let size = q1.min(q2).saturating_sub(1).max(1);
    let ids: Vec<NodeId> = (0..n).map(|i| NodeId(i as u8)).collect();
    ids.chunks(size).map(|c| c.to_vec()).collect()
}

/// The panel.
#[component]
pub fn NetworkPanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let cfg = s.run.engine().sim().config().clone();
    let loss = use_state(|| cfg.faults.loss.to_string());
    let dup = use_state(|| cfg.faults.dup.to_string());
    let min = use_state(|| cfg.latency.0.to_string());
    let max = use_state(|| cfg.latency.1.to_string());
    let error = use_state(|| None::<String>);
    // The boxes follow the run's network when it changes (a new run, Apply, or time travel across a change).
    {
        let (loss, dup, min, max, error) = (loss.clone(), dup.clone(), min.clone(), max.clone(), error.clone());
        use_effect_with((cfg.latency, cfg.faults), move |(latency, faults)| {
            error.set(None);
            loss.set(faults.loss.to_string());
            dup.set(faults.dup.to_string());
            min.set(latency.0.to_string());
            max.set(latency.1.to_string());
        });
    }
    let onsubmit = {
        let (loss, dup, min, max, error, d) =
            (loss.clone(), dup.clone(), min.clone(), max.clone(), error.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match parse_network(&loss, &dup, &min, &max) {
                Ok((latency, faults)) => {
                    error.set(None);
                    d.emit(Action::Network { latency, faults });
                }
                Err(m) => error.set(Some(m)),
            }
        })
    };
    let leader = s.run.snap.leader;
    let n = s.run.snap.nodes.len();
    let majority = n / 2 + 1;
    let no_quorum = no_quorum_split(n, s.run.settings.q1.unwrap_or(majority), s.run.settings.q2.unwrap_or(majority));
    let cut = !s.run.snap.cuts.is_empty();
    let isolate_leader = match leader {
        Some(l) => send(d, Action::Partition(vec![vec![l]])),
        None => send(d, Action::Select(crate::state::Selection::None)),
    };
    html! {
        <section class="panel" aria-labelledby={s.view.id("network-title")}>
            <h2 id={s.view.id("network-title")}>{"Network"}</h2>
            <form class="knobs" {onsubmit} novalidate=true>
                { knob(s, ("loss", "Loss %"), &loss, ("decimal", None, "network-error")) }
                { knob(s, ("dup", "Duplication %"), &dup, ("decimal", None, "network-error")) }
                { knob(s, ("lat-min", "Latency min"), &min, ("decimal", None, "network-error")) }
                { knob(s, ("lat-max", "Latency max"), &max, ("decimal", None, "network-error")) }
                <button type="submit" id={s.view.id("apply-network")}>{"Apply network settings"}</button>
                <p id={s.view.id("network-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            </form>
            <p class="hint">{ format!("Now: latency {}..{}, loss {} %, duplication {} %.", cfg.latency.0, cfg.latency.1, cfg.faults.loss, cfg.faults.dup) }</p>
            <div class="actions">
                <button type="button" onclick={isolate_leader} disabled={leader.is_none()}
                    title={if leader.is_none() { "There is no leader right now" } else { "" }}>{"Isolate the leader"}</button>
                <button type="button" onclick={send(d, Action::Partition(minority_majority(s)))}
                    title="A majority stays together and can still choose a value">{"Split minority/majority"}</button>
                <button type="button" id={s.view.id("split-no-quorum")} onclick={send(d, Action::Partition(no_quorum))}
                    title="Every side is smaller than a quorum: nothing can be chosen until the links heal">{"Split: no side has a quorum"}</button>
                // Prominent only when there is something to heal.
                <button type="button" class={classes!(cut.then_some("primary"))} onclick={send(d, Action::Heal)} disabled={!cut}
                    title={if cut { "Reconnect every link" } else { "No link is cut" }}>{"Heal all"}</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(groups: &[&[u8]]) -> Vec<Vec<NodeId>> {
        groups.iter().map(|g| g.iter().map(|&i| NodeId(i)).collect()).collect()
    }

    #[test]
    fn no_side_of_the_blocking_split_holds_a_quorum() {
        assert_eq!(no_quorum_split(3, 2, 2), ids(&[&[0], &[1], &[2]]));
        assert_eq!(no_quorum_split(5, 3, 3), ids(&[&[0, 1], &[2, 3], &[4]]));
        assert_eq!(no_quorum_split(4, 3, 2), ids(&[&[0], &[1], &[2], &[3]]));
        for n in 3..=9 {
            let q = n / 2 + 1;
            let split = no_quorum_split(n, q, q);
            assert!(split.iter().all(|g| g.len() < q), "{n} nodes: {split:?}");
            assert_eq!(split.iter().map(Vec::len).sum::<usize>(), n);
        }
    }
}
