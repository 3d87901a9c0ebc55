//! The cluster drawn in SVG: nodes on a circle, one lane per direction of every link, messages gliding along their
//! lanes by simulated time, and the quorum overlay for the ballot in focus.

use std::rc::Rc;

use paxos_core::{Ballot, Mode, NodeId, NodeSet, Roles, Slot, Value};
use paxos_sim::snapshot::{NodeView, ProposerPhase, Snapshot, Standing};
use paxos_sim::{InFlight, MsgId};
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent};
use yew::prelude::*;

use super::draw::Draw;

use super::canvas::{self, nearest_message, Fit};
use super::legend::{render_marker, render_value_dot};
use super::node_menu::NodeMenu;
use super::{clicked_message, StateProps};
use crate::explain::{learned_unbacked, losers, quorums, slot_of, Loser, LEARNED_VS_CHOSEN};
use crate::geometry::KindStyle;
use crate::geometry::{
    abbreviate, dark_text_on, label_position, label_top, lane, message_position, node_position, node_radius, progress,
    value_colour, view_box, view_rect, Pt, CENTRE, COMPACT_BELOW, HIT_RADIUS,
};
use crate::history::BallotStory;
use crate::protocol::Look;
use crate::state::{Action, Selection};

/// The ballot in focus, and its story, for the overlay.
struct Focus<'a> {
    ballot: Ballot,
    story: Option<&'a BallotStory>,
}

/// What a node has learned, in words: the value (single-decree) or how many slots (Multi-Paxos).
pub fn learned_text(n: &NodeView, mode: Mode) -> String {
    match mode {
        Mode::Single => match n.learned.iter().find(|(s, _)| *s == Slot(0)) {
            Some((_, v)) => format!("learned {v}"),
            None => "learned nothing yet".into(),
        },
        Mode::Multi => match n.learned.len() {
            0 => "learned nothing yet".into(),
            1 => "learned 1 slot".into(),
            k => format!("learned {k} slots"),
        },
    }
}

/// The phase of a node's proposer in plain words.
pub fn phase_text(n: &NodeView, mode: Mode) -> &'static str {
    n.phase.text(mode)
}

/// The accessible name of a node: "Node 1, up, leader, …, learned hello". `unbacked`: what it learned is not chosen
/// (see `explain::learned_unbacked`).
pub fn node_label(n: &NodeView, mode: Mode, unbacked: bool) -> String {
    let mut s = format!("Node {}, {}", n.id, if n.up { "up" } else { "crashed" });
    if n.leader {
        s.push_str(", leader");
    }
    s.push_str(&format!(", {}", roles_text(n.roles)));
    if let Some(b) = n.ballot {
        s.push_str(&format!(", ballot {b}, {}", phase_text(n, mode)));
    }
    if n.roles.acceptor {
        s.push_str(&format!(", promised {}", ballot_text(n.promised)));
        if let Some(a) = n.accepted.last() {
            s.push_str(&format!(", accepted {} at {}", a.value, a.ballot));
        }
    }
    if n.roles.learner {
        s.push_str(&format!(", {}", learned_text(n, mode)));
        if unbacked {
            s.push_str(", not chosen: no quorum accepted it. ");
            s.push_str(LEARNED_VS_CHOSEN);
        }
    }
    s
}

fn roles_text(r: Roles) -> String {
    let mut v = vec![];
    if r.proposer {
        v.push("proposer");
    }
    if r.acceptor {
        v.push("acceptor");
    }
    if r.learner {
        v.push("learner");
    }
    v.join(" and ")
}

fn ballot_text(b: Ballot) -> String {
    if b.is_zero() {
        "nothing".into()
    } else {
        b.to_string()
    }
}

/// What every node of one drawing shares: the cluster's size and mode, whether it is drawn compact, and the values
/// proposed in the run, in order (for their colours).
#[derive(Clone, Copy)]
struct Drawing<'a> {
    count: usize,
    mode: Mode,
    compact: bool,
    proposed: &'a [Value],
    timing: &'a paxos_core::Timing,
    snap: &'a Snapshot,
    /// While the chip's explanation is open: the ballot and quorum that made each value chosen (`explain::quorums`).
    quorums: &'a [(Slot, Ballot, NodeSet)],
}

/// One node: disc, id, role badges, leader crown, crashed cross, quorum rings, its values in their colours and the
/// text beside it.
/// A click on it, or Enter or Space while it has the focus, calls `on_node` (which opens its actions, `node_menu`);
/// `open` says that they are open.
fn render_node(
    n: &NodeView,
    at: &Drawing,
    selected: bool,
    open: bool,
    focus: Option<&Focus>,
    on_node: Callback<NodeId>,
) -> Html {
    let Drawing { count, mode, compact, proposed, timing, snap, quorums } = *at;
    let id = n.id;
    let c = node_position(id.index(), count);
    let r = node_radius(count);
    let promised = focus.and_then(|f| f.story).is_some_and(|s| s.promised.contains(id));
    let accepted = focus.and_then(|f| f.story).is_some_and(|s| s.accepted.values().any(|q| q.contains(id)));
    let proposer_of_focus = focus.is_some_and(|f| f.ballot.node == id);
    let why = quorums.iter().any(|(_, _, q)| q.contains(id));
    let unbacked = learned_unbacked(snap, n, mode);
    let mut lines: Vec<String> = vec![];
    if !n.up {
        lines.push("crashed".into());
    }
    if let Some(b) = n.ballot {
        lines.push(match n.phase.short(mode) {
            None => format!("ballot {b}"),
            Some(p) => format!("{p}, ballot {b}"),
        });
    }
    if n.roles.acceptor {
        lines.push(format!("promised {}", ballot_text(n.promised)));
        match (mode, n.accepted.last()) {
            (_, None) => {}
            (Mode::Single, Some(a)) => lines.push(format!("accepted at {}", a.ballot)),
            (Mode::Multi, Some(a)) => {
                lines.push(format!("accepted {}", super::count(n.accepted.len().max(a.slot.0 as usize + 1), "slot")))
            }
        }
    }
    if n.roles.learner && mode == Mode::Multi {
        lines.push(learned_text(n, mode));
    }
    // The value this acceptor accepted last, as a pill in the value's colour on the disc's lower right, and what this
    // learner learned (single-decree), as a mark in its colour on the upper left: state drawn, not written.
    let accepted_pill = n.accepted.last().map(|a| {
        let colour = value_colour(proposed, &a.value);
        // Ten characters: the scenarios' values and most a person types ("majority", "leftover") whole; longer ones
        // end in "…" (the pill's tooltip and the node's name hold them whole).
        let text = abbreviate(&a.value.to_string(), 10);
        let w = 10.0 + 7.2 * text.chars().count() as f64;
        // Centred under the disc, over its lower edge: clear of the text beside the node.
        let (x, y) = (c.x - w / 2.0, c.y + r - 7.0);
        let slot = if mode == Mode::Multi { format!(" in slot {}", a.slot) } else { String::new() };
        html! {
            <g class="accepted-pill">
                <title>{ format!("accepted {}{slot} at ballot {}", a.value, a.ballot) }</title>
                <rect x={fmt(x)} y={fmt(y)} width={fmt(w)} height="18" rx="9" fill={colour} />
                <text x={fmt(x + w / 2.0)} y={fmt(y + 9.5)} text-anchor="middle" dominant-baseline="middle"
                    class={classes!(dark_text_on(colour).then_some("dark"))}>{ text }</text>
            </g>
        }
    });
    let learned_mark = (mode == Mode::Single).then(|| n.learned.iter().find(|(s, _)| *s == Slot(0))).flatten().map(|(_, v)| {
        let colour = value_colour(proposed, v);
        let (x, y) = (c.x - r * 0.78, c.y - r * 0.78);
        // A value no quorum backs wears a warning ring: learned is not chosen.
        let not = if unbacked { ", but not chosen: no quorum of acceptors accepted it" } else { "" };
        html! {
            <g class={classes!("learned-mark", unbacked.then_some("unbacked"))}>
                <title>{ format!("learned {v}{not}") }</title>
                <circle cx={fmt(x)} cy={fmt(y)} r="10" fill={colour} />
                <path d={format!("M{},{}l3.5,4l6,-8", fmt(x - 5.0), fmt(y))} class={classes!("tick", dark_text_on(colour).then_some("dark"))} />
            </g>
        }
    });
    let rings = html! {
        <>
            // The quorum that chose the value the chip explains, else the acceptors of the ballot in focus.
            if why || accepted {
                <circle class={if why { "ring why-ring" } else { "ring accepted-ring" }} cx={fmt(c.x)} cy={fmt(c.y)} r={fmt(r + 11.0)} />
            }
            if promised {
                <circle class="ring promised-ring" cx={fmt(c.x)} cy={fmt(c.y)} r={fmt(r + 5.5)} />
            }
        </>
    };
    // Every node of the page's clusters has all three roles, so identical P/A/L badges would say nothing: the disc
    // shows the acceptor's promise instead (RaftScope's term inside each server). A cluster with mixed roles keeps
    // the badges.
    let inside = if n.roles.proposer && n.roles.acceptor && n.roles.learner {
        html! {
            <text class="node-promise" x={fmt(c.x)} y={fmt(c.y + r * 0.45)} text-anchor="middle" dominant-baseline="middle">
                { if n.promised.is_zero() { "·".to_string() } else { n.promised.to_string() } }</text>
        }
    } else {
        render_badges(n.roles, c, r)
    };
    node_shell(NodeShell {
        id: n.id,
        up: n.up,
        leader: n.leader,
        count,
        compact,
        selected,
        open,
        label: node_label(n, mode, unbacked),
        on_node,
        rings,
        timer: render_timer(n, c, r, mode, timing),
        crown_focus: proposer_of_focus,
        inside,
        marks: html! { <>{ accepted_pill.unwrap_or_default() }{ learned_mark.unwrap_or_default() }</> },
        lines,
        class: None,
        standing: n.standing,
    })
}

/// What every protocol's node is drawn with: the disc, its id, its leader's crown and crashed cross, its selection
/// ring and the text beside it, around what only its protocol draws (`rings` under the disc, `timer` on its edge,
/// `inside` under the id, `marks` over its edge).
pub struct NodeShell {
    /// The node.
    pub id: NodeId,
    /// Up or crashed.
    pub up: bool,
    /// Whether it leads (drawn with a crown while up).
    pub leader: bool,
    /// The cluster's size.
    pub count: usize,
    /// Drawn narrow, without the text beside it.
    pub compact: bool,
    /// Selected.
    pub selected: bool,
    /// Its actions are open.
    pub open: bool,
    /// Its accessible name, with everything drawn on and beside it.
    pub label: String,
    /// A click on it, or Enter or Space while it has the focus.
    pub on_node: Callback<NodeId>,
    /// Rings around the disc.
    pub rings: Html,
    /// Its timer's arc.
    pub timer: Html,
    /// Whether its crown is highlighted (the proposer of the ballot in focus).
    pub crown_focus: bool,
    /// What is written in the disc under the id.
    pub inside: Html,
    /// What is drawn over the disc's edge.
    pub marks: Html,
    /// The text beside it, a line each.
    pub lines: Vec<String>,
    /// A class of its own (`candidate`).
    pub class: Option<&'static str>,
    /// Its standing in the membership: a member, joining, or retired (drawn faded and dashed, and said).
    pub standing: Standing,
}

/// A node's standing in words, after what its name says of it; empty for a member.
pub fn standing_words(s: Standing) -> &'static str {
    match s {
        Standing::Member => "",
        Standing::Joining => ", joining: it learns the log, and votes once a configuration with it is in force",
        Standing::Retired => ", retired: no configuration in force has it, so it counts in no quorum",
    }
}

/// A node, from what every protocol's node is drawn with ([`NodeShell`]).
pub fn node_shell(sh: NodeShell) -> Html {
    let NodeShell {
        id,
        up,
        leader,
        count,
        compact,
        selected,
        open,
        label,
        on_node,
        rings,
        timer,
        crown_focus,
        inside,
        marks,
        mut lines,
        class,
        standing,
    } = sh;
    let label = format!("{label}{}", standing_words(standing));
    let standing = match standing {
        Standing::Member => None,
        Standing::Joining => Some("joining"),
        Standing::Retired => Some("retired"),
    };
    lines.extend(standing.map(String::from));
    let i = id.index();
    let c = node_position(i, count);
    let r = node_radius(count);
    let (lp, anchor) = label_position(i, count);
    let onclick = {
        let on = on_node.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            on.emit(id);
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            on_node.emit(id);
        }
    });
    // The button holds only the disc and its id, so its visible text ("0") is part of its name ("Node 0, up, …");
    // the badges and the state written beside it are drawn after it, hidden from assistive technology (the name
    // says all of it), and select the node when clicked too.
    html! {
        <>
            <g class={classes!("node", if up { "up" } else { "crashed" }, selected.then_some("selected"), leader.then_some("leader"), class, standing)}
                tabindex="0" role="button" aria-pressed={selected.to_string()} aria-label={label}
                aria-haspopup="dialog" aria-expanded={open.to_string()}
                data-node={id.to_string()} onclick={onclick.clone()} {onkeydown}>
                { rings }
                if selected {
                    <circle class="ring selection-ring" cx={fmt(c.x)} cy={fmt(c.y)} r={fmt(r + 17.0)} />
                }
                <circle class="disc" cx={fmt(c.x)} cy={fmt(c.y)} r={fmt(r)} />
                { timer }
                <text class="node-id" x={fmt(c.x)} y={fmt(c.y - r * 0.12)} text-anchor="middle" dominant-baseline="middle">{ id.to_string() }</text>
                // A crashed node leads nothing: its crown goes with it (the view keeps `leader` until another leads).
                if leader && up {
                    { render_crown(Pt { x: c.x, y: c.y - r - 2.0 }, crown_focus) }
                }
            </g>
            <g class={classes!("node-text", if up { "up" } else { "crashed" })} aria-hidden="true" {onclick}>
                { inside }
                { marks }
                if !up {
                    // A badge on the disc's upper right, where a live node's timer starts: the number stays readable.
                    <g class="crash-cross">
                        <circle cx={fmt(c.x + r * 0.78)} cy={fmt(c.y - r * 0.78)} r="10" />
                        <path d={format!("M{},{}l9,9m0,-9l-9,9", fmt(c.x + r * 0.78 - 4.5), fmt(c.y - r * 0.78 - 4.5))} />
                    </g>
                }
                if !compact {
                    <text class="node-info" data-node={id.to_string()} x={fmt(lp.x)} y={fmt(label_top(i, count, lines.len(), LINE, leader && up))} text-anchor={anchor}>
                        { for lines.iter().enumerate().map(|(k, l)| html! {
                            <tspan x={fmt(lp.x)} dy={if k == 0 { "0".to_string() } else { fmt(LINE) }}
                                class={classes!((!up && k == 0).then_some("crashed-word"))}>{ l.clone() }</tspan>
                        }) }
                    </text>
                }
            </g>
        </>
    }
}

/// What a node's armed timer is, in words, and the longest it can be (ticks), from its phase and the run's timing:
/// a proposer waiting for a quorum retries when its timeout fires; an idle one backs off before retrying (a
/// Multi-Paxos follower waits for its election timeout instead); a Multi-Paxos leader sends its next heartbeat.
pub fn timer_kind(n: &NodeView, mode: Mode, t: &paxos_core::Timing) -> (&'static str, u32) {
    match (n.phase, mode) {
        (ProposerPhase::Leading, Mode::Multi) => ("next heartbeat", t.heartbeat),
        (ProposerPhase::Preparing | ProposerPhase::Leading, _) => ("retry timeout", t.timeout),
        (_, Mode::Multi) if n.ballot.is_none() => ("election timeout", t.election.1),
        _ => ("backoff before retrying", t.backoff.1.max(t.election.1)),
    }
}

/// The node's armed timer as an arc on its disc's edge (see [`render_arc`]).
fn render_timer(n: &NodeView, c: Pt, r: f64, mode: Mode, t: &paxos_core::Timing) -> Html {
    if n.timer == 0 || !n.up {
        return Html::default();
    }
    let (what, longest) = timer_kind(n, mode, t);
    render_arc(n.timer, what, longest, c, r)
}

/// A timer as an arc on a disc's edge, from the top, clockwise: the share of its longest wait still left, so it
/// shrinks tick by tick until the timer fires (RaftScope's election arcs). `what` names it in its tooltip.
pub fn render_arc(timer: u32, what: &str, longest: u32, c: Pt, r: f64) -> Html {
    let f = (timer as f64 / longest.max(1) as f64).clamp(0.02, 0.999);
    let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * f;
    let (x, y) = (c.x + r * crate::geometry::math::cos(a), c.y + r * crate::geometry::math::sin(a));
    let d = format!("M{},{}A{r},{r} 0 {} 1 {},{}", fmt(c.x), fmt(c.y - r), u8::from(f > 0.5), fmt(x), fmt(y));
    html! {
        <path class="timer-arc" d={d}><title>{ format!("{what}: {timer} tick{} left", if timer == 1 { "" } else { "s" }) }</title></path>
    }
}

fn render_badges(r: Roles, c: Pt, radius: f64) -> Html {
    let badges: Vec<(&str, bool)> = vec![("P", r.proposer), ("A", r.acceptor), ("L", r.learner)];
    let w = 11.0;
    let y = c.y + radius * 0.38;
    html! {
        <g class="badges">
            { for badges.into_iter().enumerate().map(|(k, (letter, on))| {
                let x = c.x + (k as f64 - 1.0) * (w + 1.5);
                html! {
                    <g class={classes!("badge", (!on).then_some("off"))}>
                        <rect x={fmt(x - w / 2.0)} y={fmt(y - 6.0)} width={fmt(w)} height="12" rx="2" />
                        <text x={fmt(x)} y={fmt(y + 0.5)} text-anchor="middle" dominant-baseline="middle">{ letter }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// The leader's crown over a node's disc, highlighted when `focus`.
pub fn render_crown(top: Pt, focus: bool) -> Html {
    let (x, y) = (top.x, top.y);
    let d = format!(
        "M{},{}L{},{}L{},{}L{},{}L{},{}L{},{}L{},{}Z",
        fmt(x - 12.0),
        fmt(y),
        fmt(x - 14.0),
        fmt(y - 14.0),
        fmt(x - 6.0),
        fmt(y - 7.0),
        fmt(x),
        fmt(y - 17.0),
        fmt(x + 6.0),
        fmt(y - 7.0),
        fmt(x + 14.0),
        fmt(y - 14.0),
        fmt(x + 12.0),
        fmt(y),
    );
    html! { <path class={classes!("crown", focus.then_some("focus"))} d={d}><title>{"leader"}</title></path> }
}

/// One direction of one link: its lane, solid when open and dashed red when cut.
fn render_lane(from: usize, to: usize, count: usize, cut: bool) -> Html {
    let (a, b) = lane(node_position(from, count), node_position(to, count), node_radius(count));
    html! {
        <line class={classes!("lane", cut.then_some("cut"))} x1={fmt(a.x)} y1={fmt(a.y)} x2={fmt(b.x)} y2={fmt(b.y)} />
    }
}

/// A whole link: two lanes and a wide invisible target to select it.
fn render_link<P: Look>(
    a: usize,
    b: usize,
    count: usize,
    cut_ab: bool,
    cut_ba: bool,
    selected: bool,
    on: Callback<Action<P>>,
) -> Html {
    let (pa, pb) = (node_position(a, count), node_position(b, count));
    let (ia, ib) = (NodeId(a as u8), NodeId(b as u8));
    let toggle = if selected { Selection::None } else { Selection::Link(ia, ib) };
    let onclick = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        on.emit(Action::Select(toggle));
    });
    let state = match (cut_ab, cut_ba) {
        (false, false) => "open both ways".to_string(),
        (true, true) => "cut both ways".to_string(),
        (true, false) => format!("cut from {a} to {b} only"),
        (false, true) => format!("cut from {b} to {a} only"),
    };
    html! {
        <g class={classes!("link", selected.then_some("selected"), (cut_ab || cut_ba).then_some("has-cut"))}
            role="button" aria-label={format!("Link {a}–{b}, {state}")} data-link={format!("{a}-{b}")} {onclick}>
            <line class="link-hit" x1={fmt(pa.x)} y1={fmt(pa.y)} x2={fmt(pb.x)} y2={fmt(pb.y)} />
            { render_lane(a, b, count, cut_ab) }
            { render_lane(b, a, count, cut_ba) }
        </g>
    }
}

/// One in-flight message at its place for simulated time `now`: its kind's marker and, when it carries a value, a
/// dot in that value's colour (see [`carried_value`]). It has no click handler of its own: the messages' group has one that reads `data-msg`, so a frame
/// with hundreds of messages in flight does not re-register hundreds of listeners.
fn render_message<P: Look>(
    m: &InFlight<P>,
    count: usize,
    now: f64,
    selected: bool,
    why: bool,
    proposed: &[Value],
) -> Html {
    let t = progress(now, m.sent_at, m.due);
    let (from, to, msg) = P::parts(&m.env);
    let p = message_position(from.index(), to.index(), count, t);
    let kind = P::kind_of(msg);
    let id = m.id;
    let label = format!("Message {id}: {msg} from {from} to {to}{}", if m.lost { " (lost)" } else { "" });
    // Only the group's transform changes from frame to frame; the shapes inside are drawn at the origin, so their
    // attributes stay equal and Yew writes nothing to them (the marker's path is the costly one).
    html! {
        <g key={id.0} class={classes!("msg", m.lost.then_some("lost"), selected.then_some("selected"), why.then_some("why"))}
            role="button" aria-label={label} data-msg={id.to_string()} data-kind={P::kind_name(kind)}
            transform={format!("translate({:.1} {:.1})", p.x, p.y)}>
            <circle class="msg-hit" r={fmt(HIT_RADIUS)} />
            if selected {
                <circle class="ring selection-ring" r="13" />
            }
            { render_marker(P::style(kind), 0.0, 0.0, 8.0, m.lost) }
            if let Some(v) = P::carried_value(msg) {
                { render_value_dot(value_colour(proposed, v), 0.0, 0.0, 8.0) }
            }
        </g>
    }
}

/// The links' properties.
#[derive(Properties, PartialEq)]
struct LinksProps<P: Look> {
    count: usize,
    /// The cut directions, as the snapshot lists them.
    cuts: Vec<(NodeId, NodeId)>,
    selected: Option<(NodeId, NodeId)>,
    on: Callback<Action<P>>,
}

/// Every link of the drawing. A component of its own so that a frame where no cut and no selection changed (nearly
/// every frame of a playing run) skips its hundreds of elements: 9 nodes have 36 links of four elements each.
#[component]
fn Links<P: Look>(props: &LinksProps<P>) -> Html {
    let count = props.count;
    let cut = |a: usize, b: usize| props.cuts.contains(&(NodeId(a as u8), NodeId(b as u8)));
    html! {
        <g class="links">
            { for (0..count).flat_map(|a| (a + 1..count).map(move |b| (a, b))).map(|(a, b)| {
                let selected = props.selected == Some((NodeId(a as u8), NodeId(b as u8)));
                render_link(a, b, count, cut(a, b), cut(b, a), selected, props.on.clone())
            }) }
        </g>
    }
}

/// Line height of the text beside a node, in SVG units.
const LINE: f64 = 16.0;

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// The values chosen in slot 0, in the middle of the ring in their colours: one when Paxos holds, two (or more) side
/// by side when a bug broke agreement. Multi-Paxos counts its chosen slots instead.
fn render_chosen(snap: &Snapshot, mode: Mode, proposed: &[Value], lost: &[Loser]) -> Html {
    let mut values: Vec<(&Value, Ballot)> = Vec::new();
    for v in &snap.violations {
        if v.rule == paxos_sim::Rule::Agreement && v.slot == Some(Slot(0)) && v.values.len() == v.ballots.len() {
            for (x, b) in v.values.iter().zip(&v.ballots) {
                if !values.iter().any(|(y, _)| *y == x) {
                    values.push((x, *b));
                }
            }
        }
    }
    if let Some((_, c)) = snap.chosen.iter().find(|(s, _)| *s == Slot(0)) {
        if !values.iter().any(|(y, _)| **y == c.value) {
            values.insert(0, (&c.value, c.ballot));
        }
    }
    if values.is_empty() && lost.is_empty() {
        return Html::default();
    }
    // A line under the chosen value for each value that lost, in its colour, with its fate (`explain::losers`); the
    // block moves up to make room for them.
    let up = if lost.is_empty() { 0.0 } else { 14.0 + 16.0 * lost.len() as f64 };
    let (x, y) = (CENTRE.x, CENTRE.y + if snap.nodes.len() == 3 { 30.0 } else { 0.0 } - up);
    let lost_lines = html! {
            { for lost.iter().enumerate().map(|(k, l)| html! {
                <text class={classes!("lost-value", l.learned.then_some("unbacked"))} x={fmt(x)} y={fmt(y + 36.0 + 16.0 * k as f64)}
                    text-anchor="middle" fill={value_colour(proposed, l.value)}>
    { abbreviate(&l.fate, 64) }</text>
            }) }
        };
    if values.is_empty() {
        return html! { <g class="chosen-centre">{ lost_lines }</g> };
    }
    if mode == Mode::Multi {
        return html! {
            <text class="chosen-centre" x={fmt(x)} y={fmt(y)} text-anchor="middle">{ format!("{} chosen", chosen_slots(snap)) }</text>
        };
    }
    let two = values.len() > 1;
    html! {
        <g class={classes!("chosen-centre", two.then_some("split"))}>
            <text class="chosen-caption" x={fmt(x)} y={fmt(y - 14.0)} text-anchor="middle">
                { if two { "chosen twice!" } else { "chosen" } }</text>
            { for values.iter().enumerate().map(|(k, (v, b))| {
                let colour = value_colour(proposed, v);
                let dx = (k as f64 - (values.len() - 1) as f64 / 2.0) * 110.0;
                html! {
                    <text class="chosen-value" x={fmt(x + dx)} y={fmt(y + 14.0)} text-anchor="middle" fill={colour}>
                        <title>{ format!("{v} was chosen at ballot {b}") }</title>
                        { abbreviate(&v.to_string(), 9) }</text>
                }
            }) }
            { lost_lines }
        </g>
    }
}

fn chosen_slots(snap: &paxos_sim::snapshot::Snapshot) -> String {
    match snap.chosen.len() {
        1 => "1 slot".into(),
        k => format!("{k} slots"),
    }
}

/// A message painted on the moving layer: id, kind, position (user units), lost, and the colour of the value it
/// carries.
type Moving = (MsgId, KindStyle, f64, f64, bool, Option<&'static str>);

/// What a protocol's node layer needs of the drawing it is part of ([`crate::components::draw::Draw::nodes`]).
pub struct Layer<'a> {
    /// Drawn narrow, with no text beside the nodes.
    pub compact: bool,
    /// The node whose actions are open.
    pub open: Option<NodeId>,
    /// A node clicked (or Enter or Space on it).
    pub on_node: Callback<NodeId>,
    /// The values proposed in the run, in order (their colours).
    pub proposed: &'a [Value],
}

/// Paxos's nodes and the values chosen in the middle, with the quorum overlay for the ballot in focus and, while the
/// chip's explanation is open, the quorum that chose the value.
pub fn paxos_nodes(s: &crate::state::AppState, at: &Layer) -> Html {
    let snap = &s.run.snap;
    let count = snap.nodes.len();
    let mode = s.run.settings.mode;
    let engine = s.run.engine();
    let focus = s.run.focus_ballot().map(|ballot| Focus { ballot, story: engine.history().ballots().get(&ballot) });
    let timing = engine.tape.config.cluster.timing;
    let quorums = if s.view.explain { quorums(snap, slot_of(snap, mode)) } else { Vec::new() };
    let drawing =
        Drawing { count, mode, compact: at.compact, proposed: at.proposed, timing: &timing, snap, quorums: &quorums };
    let lost = if mode == Mode::Single { losers(snap, engine.history()) } else { Vec::new() };
    html! {
        <>
            { render_chosen(snap, mode, at.proposed, &lost) }
            <g class="nodes">
                { for snap.nodes.iter().map(|n| render_node(n, &drawing, s.run.selection == Selection::Node(n.id), at.open == Some(n.id), focus.as_ref(), at.on_node.clone())) }
            </g>
        </>
    }
}

/// The view.
#[component]
pub fn ClusterView<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let snap = &s.run.snap;
    let count = snap.nodes.len();
    let proposed: Vec<Value> = crate::geometry::proposed_values(&s.run.engine().tape);
    let on = props.dispatch.clone();
    let svg_ref = use_node_ref();
    let canvas_ref = use_node_ref();
    let size = canvas::use_box_size(canvas_ref.clone());
    let wrap_ref = use_node_ref();
    let box_width = canvas::use_width(wrap_ref.clone());
    let compact = box_width > 0.0 && box_width < COMPACT_BELOW;
    // While playing, messages are painted on the canvas layer (see `canvas`); paused, they are SVG buttons.
    let painted = s.run.playing;
    let moving: Rc<Vec<Moving>> = Rc::new(if painted {
        snap.messages
            .iter()
            .map(|m| {
                let (from, to, msg) = P::parts(&m.env);
                let p = message_position(from.index(), to.index(), count, progress(s.run.clock, m.sent_at, m.due));
                let colour = P::carried_value(msg).map(|v| value_colour(&proposed, v));
                (m.id, P::style(P::kind_of(msg)), p.x, p.y, m.lost, colour)
            })
            .collect()
    } else {
        Vec::new()
    });
    // The node whose actions are open (see `node_menu`): a view of this drawing only, not part of the run.
    let menu = use_state_eq(|| None::<NodeId>);
    let open = (*menu).filter(|n| n.index() < count);
    let on_node = {
        let (on, menu) = (on.clone(), menu.clone());
        Callback::from(move |id: NodeId| {
            if open == Some(id) {
                menu.set(None);
            } else {
                on.emit(Action::Select(Selection::Node(id)));
                menu.set(Some(id));
            }
        })
    };
    let on_close = {
        let (menu, svg_ref) = (menu.clone(), svg_ref.clone());
        Callback::from(move |refocus: bool| {
            menu.set(None);
            if refocus {
                let node = svg_ref
                    .cast::<web_sys::Element>()
                    .and_then(|svg| svg.query_selector(&format!("g.node[data-node=\"{}\"]", open?.0)).ok().flatten());
                if let Some(g) = node.and_then(|g| g.dyn_into::<web_sys::SvgElement>().ok()) {
                    let _ = g.focus();
                }
            }
        })
    };
    let background = {
        let (on, moving, svg_ref, selection) = (on.clone(), moving.clone(), svg_ref.clone(), s.run.selection);
        let menu = menu.clone();
        Callback::from(move |e: MouseEvent| {
            menu.set(None);
            // A click on the painted layer: the nearest message within reach, else nothing.
            let hit = svg_ref.cast::<web_sys::Element>().and_then(|svg| {
                let r = svg.get_bounding_client_rect();
                let fit = Fit::meet(view_rect(count, compact), r.width(), r.height());
                let p = fit.to_user(e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
                nearest_message(p, moving.iter().map(|&(id, _, x, y, _, _)| (id, x, y)), HIT_RADIUS)
            });
            match hit {
                Some(id) if selection != Selection::Msg(id) => on.emit(Action::Select(Selection::Msg(id))),
                _ => on.emit(Action::Select(Selection::None)),
            }
        })
    };
    {
        let (canvas_ref, moving, selected, size) = (canvas_ref.clone(), moving.clone(), s.run.selection, size.clone());
        let kept = canvas::use_context();
        use_effect(move || {
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                if moving.is_empty() {
                    canvas::clear(&canvas);
                } else if let Some((ctx, w, h, dpr)) = canvas::prepare(&canvas, size.get(), &kept) {
                    let fit = Fit::meet(view_rect(count, compact), w, h);
                    for &(id, _, x, y, _, _) in moving.iter() {
                        if selected == Selection::Msg(id) {
                            canvas::paint_ring(&ctx, &fit, dpr, x, y, 13.0);
                        }
                    }
                    canvas::paint_messages(
                        &ctx,
                        &fit,
                        dpr,
                        moving.iter().map(|&(_, kind, x, y, lost, colour)| (kind, x, y, lost, colour)),
                    );
                }
            }
        });
    }
    let on_message = {
        let (on, selection) = (on.clone(), s.run.selection);
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = clicked_message(&e) {
                e.stop_propagation();
                let toggle = if selection == Selection::Msg(id) { Selection::None } else { Selection::Msg(id) };
                on.emit(Action::Select(toggle));
            }
        })
    };
    let selected_link = match s.run.selection {
        Selection::Link(a, b) => Some((a, b)),
        _ => None,
    };
    // The open node's place in CSS pixels of the drawing's box (the canvas layer covers it exactly).
    let room = size.get();
    let anchor = |i: usize| {
        let fit = Fit::meet(view_rect(count, compact), room.0, room.1);
        let c = node_position(i, count);
        (fit.dx + c.x * fit.scale, fit.dy + c.y * fit.scale, node_radius(count) * fit.scale)
    };
    let why = P::why(s);
    let layer = Layer { compact, open, on_node, proposed: &proposed };
    // The viewBox leaves room on the sides for the text beside the nodes, unless the box is too narrow for it.
    html! {
        <>
        <div class={classes!("cluster-wrap", compact.then_some("compact"))} ref={wrap_ref}>
            <svg class={classes!("cluster", s.view.explain.then_some("explaining"))} viewBox={view_box(count, compact)} role="group" ref={svg_ref}
                aria-label={format!("Cluster of {count} nodes; {} in flight{}", super::count(snap.messages.len(), "message"),
                    if painted { " (pause to select one from the keyboard)" } else { "" })}
                onclick={background}>
                <Links<P> {count} cuts={snap.cuts.clone()} selected={selected_link} on={on.clone()} />
                { P::nodes(s, &layer) }
                // Messages on top, so one just leaving or reaching a node can still be clicked.
                if !painted {
                    <g class="messages" onclick={on_message}>
                        { for snap.messages.iter().map(|m| render_message(m, count, s.run.clock, s.run.selection == Selection::Msg(m.id),
                            { let (from, to, msg) = P::parts(&m.env); why(msg, from, to) }, &proposed)) }
                    </g>
                }
            </svg>
            <canvas class="moving-layer" ref={canvas_ref} aria-hidden="true"></canvas>
            if let Some(id) = open {
                <NodeMenu<P> key={id.0 as u64} state={s.clone()} dispatch={on.clone()} node={id}
                    anchor={anchor(id.index())} room={room} on_close={on_close} />
            }
        </div>
        { P::beneath(s, &proposed) }
        </>
    }
}
