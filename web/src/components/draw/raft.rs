//! How the components draw Raft: RaftScope's picture in the playground's style. The term is written inside each
//! node, the leader wears the crown, a candidate's disc is dashed and the nodes that voted for it are ringed as
//! Paxos's promises are; the election timer is the arc on the node's edge; and under the ring, one log strip per
//! node, each entry in its term's colour with the term written in it, the committed ones solid and the commit index
//! marked.

use paxos_core::{NodeId, Slot};
use paxos_sim::snapshot::{NodeView, RaftRole};
use paxos_sim::{Raft, RuleSet};
use raft_core::MsgKind;
use yew::prelude::*;

use super::{Draw, Why};
use crate::components::banner::{bugs_line, by_rule, describe, moment_of, tally, where_and_when, Line};
use crate::components::cluster::{node_shell, render_arc, Layer, NodeShell};
use crate::components::node_list;
use crate::components::selection::value_list;
use crate::geometry::{abbreviate, node_position, node_radius, value_colour, CENTRE};
use crate::input::Settings;
use crate::state::{Action, AppState, Selection};

/// The colours of terms 1, 2, 3…, in turn (Paul Tol's light scheme): apart from the values' colours, so an entry's
/// term and a value never read as one another.
pub const TERM_COLOURS: [&str; 8] =
    ["#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#DDDDDD"];

/// The colour of term `t`.
pub fn term_colour(t: u32) -> &'static str {
    TERM_COLOURS[(t.max(1) as usize - 1) % TERM_COLOURS.len()]
}

/// How many slots the log strips show: the last ones (a steady client's log grows by thousands).
pub const STRIP_SLOTS: usize = 12;

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// "1 entry", "3 entries".
pub fn entries(n: usize) -> String {
    format!("{n} {}", if n == 1 { "entry" } else { "entries" })
}

/// A node's role in words, with what it is doing: "leader", "candidate with 2 votes", "follower".
fn role_text(n: &NodeView<Raft>) -> String {
    match n.role {
        RaftRole::Leader => "leader".into(),
        RaftRole::Candidate => {
            format!("candidate with {} vote{}", n.votes.len(), if n.votes.len() == 1 { "" } else { "s" })
        }
        RaftRole::Follower => "follower".into(),
    }
}

/// The candidate whose votes are ringed: the selected node if it is one, else the candidate of the highest term.
fn focus_candidate(s: &AppState<Raft>) -> Option<&NodeView<Raft>> {
    let candidates = || s.run.snap.nodes.iter().filter(|n| n.up && n.role == RaftRole::Candidate);
    match s.run.selection {
        Selection::Node(id) => candidates().find(|n| n.id == id).or_else(|| candidates().max_by_key(|n| n.term)),
        _ => candidates().max_by_key(|n| n.term),
    }
}

fn render_node(s: &AppState<Raft>, n: &NodeView<Raft>, at: &Layer, voted: bool) -> Html {
    let count = s.run.snap.nodes.len();
    let (c, r) = (node_position(n.id.index(), count), node_radius(count));
    let timing = s.run.engine().tape.config.cluster.timing;
    let timer = match (n.up && n.timer > 0, n.role) {
        (false, _) => Html::default(),
        (true, RaftRole::Leader) => render_arc(n.timer, "next heartbeat", timing.heartbeat, c, r),
        (true, _) => render_arc(n.timer, "election timeout", timing.election.1, c, r),
    };
    let mut lines = Vec::new();
    if !n.up {
        lines.push("crashed".into());
    }
    lines.push(format!("term {}, {}", n.term.0, role_text(n)));
    if let (Some(v), RaftRole::Follower) = (n.voted_for, n.role) {
        lines.push(format!("voted for {v}"));
    }
    lines.push(format!("log {}, committed {}", n.log.len(), n.commit.0));
    let rings = html! {
        if voted {
            <circle class="ring promised-ring" cx={fmt(c.x)} cy={fmt(c.y)} r={fmt(r + 5.5)} />
        }
    };
    let inside = html! {
        <text class="node-promise node-term" x={fmt(c.x)} y={fmt(c.y + r * 0.45)} text-anchor="middle" dominant-baseline="middle">
            { if n.term.0 == 0 { "·".to_string() } else { format!("t{}", n.term.0) } }</text>
    };
    node_shell(NodeShell {
        id: n.id,
        up: n.up,
        leader: n.leader,
        count,
        compact: at.compact,
        selected: s.run.selection == Selection::Node(n.id),
        open: at.open == Some(n.id),
        label: Raft::node_label(s, n),
        on_node: at.on_node.clone(),
        rings,
        timer,
        crown_focus: false,
        inside,
        marks: Html::default(),
        lines,
        class: (n.up && n.role == RaftRole::Candidate).then_some("candidate"),
        standing: n.standing,
    })
}

/// The log strips: a row per node, a column per slot (the last [`STRIP_SLOTS`]), each entry in its term's colour
/// with the term in it; solid once committed on that node, pale before; a bar after the node's commit index.
fn log_strips(s: &AppState<Raft>, proposed: &[paxos_core::Value]) -> Html {
    let nodes = &s.run.snap.nodes;
    let longest = nodes.iter().map(|n| n.log.len()).max().unwrap_or(0);
    let first = longest.saturating_sub(STRIP_SLOTS);
    let (cell, gap, left, top) = (30.0, 3.0, 44.0, 22.0);
    let width = left + STRIP_SLOTS as f64 * (cell + gap) + 8.0;
    let height = top + nodes.len() as f64 * (cell + gap) + 4.0;
    let x = |slot: usize| left + (slot - first) as f64 * (cell + gap);
    html! {
        <svg class="raft-logs" viewBox={format!("0 0 {} {}", fmt(width), fmt(height))} role="img"
            aria-label={format!("The nodes' logs{}", if first > 0 { format!(", from slot {first}") } else { String::new() })}>
            if first > 0 {
                <text class="rl-more" x={fmt(left - 6.0)} y="14" text-anchor="end">{"…"}</text>
            }
            { for (first..first.max(longest)).map(|slot| html! {
                <text class="rl-slot" x={fmt(x(slot) + cell / 2.0)} y="14" text-anchor="middle">{ slot.to_string() }</text>
            }) }
            { for nodes.iter().enumerate().map(|(row, n)| {
                let y = top + row as f64 * (cell + gap);
                let commit = (n.commit.0 as usize).min(n.log.len());
                html! {
                    <g class={classes!("rl-row", (!n.up).then_some("crashed"))} data-node={n.id.to_string()}>
                        <text class="rl-node" x="8" y={fmt(y + cell / 2.0)} dominant-baseline="middle">{ n.id.to_string() }</text>
                        { for n.log.iter().enumerate().skip(first).map(|(slot, (t, v))| {
                            let committed = slot < commit;
                            html! {
                                <g class={classes!("rl-entry", committed.then_some("committed"))}>
                                    <title>{ format!("node {}, slot {slot}: {v}, term {}{}", n.id, t.0, if committed { ", committed" } else { ", not committed here" }) }</title>
                                    <rect x={fmt(x(slot))} y={fmt(y)} width={fmt(cell)} height={fmt(cell)} rx="4" fill={term_colour(t.0)} />
                                    <text x={fmt(x(slot) + cell / 2.0)} y={fmt(y + cell / 2.0 + 0.5)} text-anchor="middle" dominant-baseline="middle">{ t.0.to_string() }</text>
                                    <circle class="msg-value" cx={fmt(x(slot) + cell - 6.0)} cy={fmt(y + 6.0)} r="4" fill={value_colour(proposed, v)} />
                                </g>
                            }
                        }) }
                        if commit > first {
                            <line class="rl-commit" x1={fmt(x(commit) - gap / 2.0)} x2={fmt(x(commit) - gap / 2.0)} y1={fmt(y - 2.0)} y2={fmt(y + cell + 2.0)}>
                                <title>{ format!("node {} knows slots before {commit} committed", n.id) }</title>
                            </line>
                        }
                    </g>
                }
            }) }
        </svg>
    }
}

impl Draw for Raft {
    const TITLE: &'static str = "Raft playground";
    const HOW_TO_READ: &'static str = "circles are servers (♛ the leader, a dashed edge a candidate); inside each, its term; a pink arc on its edge is its election timer running down, or a leader's next heartbeat. Under the ring, each server's log: an entry per slot in its term's colour, with a dot in its value's colour; solid entries are committed, and the bar marks the commit index. ";
    const CARRIER: MsgKind = MsgKind::AppendEntries;
    const OTHER: (&'static str, &'static str, &'static str) = ("Paxos", "?", "The same playground running Paxos");

    fn legend_kinds(_: &Settings<Raft>) -> Vec<MsgKind> {
        MsgKind::ALL.to_vec()
    }

    fn legend_words(_: &Settings<Raft>) -> Html {
        html! {
            <>
                <dt>{"term 3"}</dt><dd>{"Raft's round, as a ballot is Paxos's: a node votes once per term, and a higher term wins"}</dd>
                <dt>{"up to date"}</dt><dd>{"a log whose last entry has a later term, or the same term and is as long: a node votes only for a candidate whose log is at least as up to date as its own"}</dd>
                <dt>{"commit index"}</dt><dd>{"the slots a node knows are committed: stored by a majority, counted by a leader of that entry's term"}</dd>
            </>
        }
    }

    fn panels(_: &AppState<Raft>, _: &Callback<Action<Raft>>, _: &dyn Fn(&str) -> bool) -> Html {
        Html::default()
    }

    /// Safety and who leads which term; the committed entries; after a violation, the rule that broke first, where
    /// and when, then the others.
    fn status(s: &AppState<Raft>, no_quorum: bool) -> (Vec<Line>, Vec<Line>) {
        let snap = &s.run.snap;
        let (mut key, mut more): (Vec<Line>, Vec<Line>) = (Vec::new(), Vec::new());
        let leader = snap.nodes.iter().filter(|n| n.up && n.role == RaftRole::Leader).max_by_key(|n| n.term);
        let committed = snap.chosen.len();
        match snap.violations.first() {
            None => {
                key.push(("lead", "Safety holds".into()));
                if committed > 0 {
                    key.push(("chosen-note", format!("{} committed", entries(committed))));
                }
                more.push(match leader {
                    Some(l) => ("", format!("Node {} leads term {}: a majority voted for it, and none of them had a log more up to date than its own.", l.id, l.term.0)),
                    None => ("", "No node leads now: a follower whose election timer runs out becomes a candidate for the next term and asks the others for their votes.".into()),
                });
                more.push(match committed {
                    0 => ("", format!("Nothing is committed yet: a leader commits an entry of its own term once a majority of the {} nodes store it.", snap.nodes.len())),
                    k => ("why-chosen", format!("{} committed: a majority stored each, and the leader that counted them had an entry of its own term there.", entries(k))),
                });
            }
            Some(lead) => {
                let moment = |w| moment_of(s, w);
                key.push(("lead first-rule", format!("Safety violated: {}", lead.rule.title())));
                key.push(("when", where_and_when(lead, moment(lead))));
                more.push((
                    "violation-text",
                    format!("Safety violated: {} Rule: {}", describe(lead, moment(lead)), lead.rule.description()),
                ));
                for (w, _) in by_rule(&snap.violations).into_iter().filter(|(w, _)| !std::ptr::eq(*w, lead)) {
                    more.push(("violation-text also", format!("Then {}", describe(w, moment(w)))));
                }
                more.push(("goes-on", "A playing run pauses where safety breaks; the run continues so you can watch the consequences (Play or Step goes on). Rewind with the timeline, or Reset to start over.".into()));
                if snap.violations.len() > 1 {
                    more.push(("tally", tally(&snap.violations)));
                }
            }
        }
        if no_quorum {
            more.push(("", format!("No quorum reachable: an election and a commit each need {} of {} nodes, and no live node reaches that many. Nothing can be elected or committed until nodes restart or links heal.", snap.nodes.len() / 2 + 1, snap.nodes.len())));
        }
        if snap.violations.is_empty() {
            more.push(("", "The checker re-verifies Election Safety, Leader Append-Only, Log Matching, Leader Completeness and State Machine Safety after each event.".into()));
        }
        more.extend(bugs_line::<Raft>(&s.run.engine().tape.config.cluster));
        (key, more)
    }

    fn nodes(s: &AppState<Raft>, at: &Layer) -> Html {
        let snap = &s.run.snap;
        let votes = focus_candidate(s).map(|c| c.votes.clone()).unwrap_or_default();
        let committed = snap.chosen.len();
        let y = CENTRE.y + if snap.nodes.len() == 3 { 30.0 } else { 0.0 };
        html! {
            <>
                if committed > 0 {
                    <text class="chosen-centre" x={fmt(CENTRE.x)} y={fmt(y)} text-anchor="middle">{ format!("{} committed", entries(committed)) }</text>
                }
                <g class="nodes">
                    { for snap.nodes.iter().map(|n| render_node(s, n, at, votes.contains(&n.id))) }
                </g>
            </>
        }
    }

    fn beneath(s: &AppState<Raft>, proposed: &[paxos_core::Value]) -> Html {
        log_strips(s, proposed)
    }

    fn node_label(_: &AppState<Raft>, n: &NodeView<Raft>) -> String {
        let mut s = format!("Node {}, {}", n.id, if n.up { "up" } else { "crashed" });
        s.push_str(&format!(", term {}, {}", n.term.0, role_text(n)));
        if let Some(v) = n.voted_for {
            s.push_str(&format!(", voted for {v}"));
        }
        s.push_str(&format!(", {} in its log, {} committed", entries(n.log.len()), n.commit.0));
        if let Some((t, v)) = n.log.last() {
            s.push_str(&format!(", last {} of term {}", abbreviate(&v.to_string(), 24), t.0));
        }
        s
    }

    fn node_details(s: &AppState<Raft>, id: NodeId) -> Html {
        let Some(n) = s.run.snap.nodes.get(id.index()) else { return html! {} };
        let matched: Vec<String> = n
            .matched
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != id.index())
            .map(|(i, m)| format!("{i}: {}", m.0))
            .collect();
        html! {
            <dl class="inspect" aria-label={format!("State of node {id}")}>
                <dt>{"Durable (survives a crash)"}</dt>
                <dd>{ format!("currentTerm {}, votedFor {}", n.term.0, n.voted_for.map_or("nobody".to_string(), |v| v.to_string())) }</dd>
                <dt>{"Role"}</dt>
                <dd>{ match n.role {
                    RaftRole::Candidate => format!("candidate; votes from {}", node_list(n.votes.iter().copied())),
                    RaftRole::Leader => format!("leader; matchIndex {}", matched.join(", ")),
                    RaftRole::Follower => format!("follower; leader of its term: {}", n.leader_of_term.map_or("not heard from".to_string(), |l| l.to_string())),
                } }</dd>
                <dt>{ format!("Log (durable), commit index {}", n.commit.0) }</dt>
                <dd>
                    if n.log.is_empty() { {"empty"} }
                    { value_list(n.log.iter().enumerate().map(|(i, (t, v))| {
                        (Slot(i as u64), format!("{v}, term {}{}", t.0, if (i as u64) < n.commit.0 { ", committed" } else { "" }))
                    })) }
                </dd>
            </dl>
        }
    }

    /// Any node takes a client's value: a follower forwards it to the leader it knows.
    fn takes_proposals(_: &NodeView<Raft>) -> bool {
        true
    }

    fn why(_: &AppState<Raft>) -> Why<Raft> {
        Box::new(|_, _, _| false)
    }
}
