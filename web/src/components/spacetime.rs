//! The space-time (Lamport) diagram: one lane per node, time flowing right over the newest [`SPAN`](crate::lamport::SPAN) time units up to
//! the view's clock, an arrow per message from its send to its delivery (a ✕ where it was dropped, dashed while in
//! flight), crash and restart marks with the time a node was down shaded, and a ★ per chosen value. It shares the
//! selection with the cluster view: clicking an arrow selects its message, and the selected message is highlighted
//! in both.
//!
//! Horizontal positions are percentages, so the SVG fills its container's width without stretching its text;
//! vertical ones are pixels. The layout lives in [`crate::lamport`], tested natively.

use std::collections::BTreeSet;

use paxos_core::{MsgKind, NodeId};
use paxos_sim::MsgId;
use yew::prelude::*;

use super::StateProps;
use crate::geometry::kind_style;
use crate::lamport::{
    axis_y, clip, height, lane_y, mark_row_y, span_for, ticks, time_x, Arrow, ArrowEnd, Lamport, Mark, MarkKind,
    LANE_HEIGHT, MARK_ROW,
};
use crate::state::{Action, Selection};

/// How far above its lane a message a node sends itself is drawn, so it does not hide in the lane's line.
const SELF_OFFSET: f64 = 6.0;

fn pct(v: f64) -> String {
    format!("{v:.2}%")
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The id of the arrowhead marker for one kind.
fn head_id(kind: MsgKind) -> String {
    format!("st-head-{}", kind.name())
}

/// One arrowhead marker per kind, in the kind's colour (the cluster view's colours, from [`kind_style`]).
fn render_heads() -> Html {
    html! {
        <defs>
            { for MsgKind::ALL.iter().map(|&k| html! {
                <marker id={head_id(k)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
                    markerUnits="userSpaceOnUse" orient="auto">
                    <path d="M0,1L10,5L0,9Z" fill={kind_style(k).colour} />
                </marker>
            }) }
        </defs>
    }
}

/// One lane: its line, its label and the time its node was down.
fn render_lane(lam: &Lamport, node: NodeId, now: f64) -> Html {
    let span = span_for(now);
    let y = lane_y(node.index());
    let top = y - LANE_HEIGHT / 2.0;
    let down = lam.down_spans(node, now.ceil() as u64, span);
    html! {
        <g class="st-lane-row" data-node={node.to_string()}>
            { for down.iter().map(|&(from, to)| {
                let (x0, x1) = (time_x(from as f64, now, span), time_x((to as f64).min(now), now, span));
                html! {
                    <rect class="st-down" x={pct(x0)} width={pct((x1 - x0).max(0.0))} y={px(top + 2.0)}
                        height={px(LANE_HEIGHT - 4.0)}>
                        <title>{ format!("node {node} down from t={from} to t={to}") }</title>
                    </rect>
                }
            }) }
            <line class="st-lane" x1="0%" x2="100%" y1={px(y)} y2={px(y)} />
            <text class="st-lane-label" x="2" y={px(top + 9.0)}>{ format!("Node {node}") }</text>
        </g>
    }
}

/// One mark: ✕ crash and ↻ restart on their node's lane, ★ chosen and ⚠ violation on the row above the lanes.
fn render_mark(m: &Mark, now: f64) -> Html {
    let span = span_for(now);
    let x = pct(time_x(m.time as f64, now, span));
    let y = px(m.node.map_or(mark_row_y(), |n| lane_y(n.index())));
    let (class, glyph) = match m.kind {
        MarkKind::Crash => ("st-mark crash-mark", "✕"),
        MarkKind::Restart { .. } => ("st-mark restart-mark", "↻"),
        MarkKind::Chosen { .. } => ("st-mark chosen-mark", "★"),
        MarkKind::Violation { .. } => ("st-mark violation-mark", "⚠"),
    };
    html! {
        <text class={class} x={x} y={y} text-anchor="middle" dominant-baseline="central">
            <title>{ m.describe() }</title>
            { glyph }
        </text>
    }
}

/// One message's arrow, or `None` if it is outside the window. It has no click handler of its own: the arrows'
/// group has one that reads `data-msg`, as in the cluster view.
fn render_arrow(a: &Arrow, now: f64, selected: bool, lost: bool) -> Option<Html> {
    let span = span_for(now);
    let lo = (now - span as f64).max(0.0);
    let off = if a.from == a.to { SELF_OFFSET } else { 0.0 };
    let (y0, y1) = (lane_y(a.from.index()) - off, lane_y(a.to.index()) - off);
    let (t_end, f) = a.head(now);
    let start = (a.sent_time as f64, y0);
    let stop = (t_end, y0 + (y1 - y0) * f);
    let ((t0, ya), (t1, yb)) = clip(start, stop, lo)?;
    let (xa, xb) = (pct(time_x(t0, now, span)), pct(time_x(t1, now, span)));
    let style = kind_style(a.kind);
    let dropped = matches!(a.end, Some(e) if matches!(e.how, ArrowEnd::Dropped(_)));
    let in_flight = a.end.is_none();
    let head = (!dropped).then(|| format!("url(#{})", head_id(a.kind)));
    Some(html! {
        <g key={a.id.0}
            class={classes!("arrow", format!("kind-{}", a.kind.name()), selected.then_some("selected"),
                in_flight.then_some("in-flight"), dropped.then_some("dropped"), lost.then_some("lost"))}
            data-msg={a.id.to_string()}>
            <title>{ a.describe() }</title>
            <line class="arrow-hit" x1={xa.clone()} y1={px(ya)} x2={xb.clone()} y2={px(yb)} />
            <line class="arrow-line" x1={xa} y1={px(ya)} x2={xb.clone()} y2={px(yb)} stroke={style.colour}
                marker-end={head} />
            if dropped {
                <text class="drop-mark" x={xb} y={px(yb)} text-anchor="middle" dominant-baseline="central">{"✕"}</text>
            }
        </g>
    })
}

/// The time axis: a line, a labelled tick every [`TICK_EVERY`](crate::lamport::TICK_EVERY) time units, and "now".
fn render_axis(nodes: usize, now: f64) -> Html {
    let span = span_for(now);
    let y = axis_y(nodes);
    html! {
        <g class="st-axis" aria-hidden="true">
            <line class="st-axis-line" x1="0%" x2="100%" y1={px(y)} y2={px(y)} />
            { for ticks(now, span).into_iter().map(|t| {
                let x = time_x(t as f64, now, span);
                let anchor = if x < 3.0 { "start" } else if x > 97.0 { "end" } else { "middle" };
                html! {
                    <g class="st-tick">
                        <line x1={pct(x)} x2={pct(x)} y1={px(y)} y2={px(y + 4.0)} />
                        <text x={pct(x)} y={px(y + 15.0)} text-anchor={anchor}>{ t.to_string() }</text>
                    </g>
                }
            }) }
            <line class="st-now" x1={pct(time_x(now, now, span))} x2={pct(time_x(now, now, span))} y1={px(MARK_ROW)}
                y2={px(y)} />
        </g>
    }
}

/// The message a click landed on, from the nearest element with a `data-msg` attribute.
fn clicked_message(e: &MouseEvent) -> Option<MsgId> {
    let el: web_sys::Element = e.target_dyn_into()?;
    let g = el.closest("[data-msg]").ok()??;
    g.get_attribute("data-msg")?.strip_prefix('m')?.parse().ok().map(MsgId)
}

/// The diagram.
#[component]
pub fn SpaceTime(props: &StateProps) -> Html {
    let s = &props.state;
    let nodes = s.snap.nodes.len();
    let now = s.clock;
    let engine = s.engine();
    let lam = &engine.history().lamport;
    let selected = match s.selection {
        Selection::Msg(id) => Some(id),
        _ => None,
    };
    // The network decided at send time that these will be lost: faded, as in the cluster view.
    let lost: BTreeSet<MsgId> = s.snap.messages.iter().filter(|m| m.lost).map(|m| m.id).collect();
    let on_arrow = {
        let on = props.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = clicked_message(&e) {
                e.stop_propagation();
                let toggle = if selected == Some(id) { Selection::None } else { Selection::Msg(id) };
                on.emit(Action::Select(toggle));
            }
        })
    };
    let window = now.ceil() as u64;
    let span = span_for(now);
    html! {
        <div class="spacetime">
            <svg class="spacetime-svg" width="100%" height={px(height(nodes))} role="img"
                aria-label="Space-time diagram: one lane per node, time flows right">
                { render_heads() }
                <g class="st-lanes">
                    { for (0..nodes).map(|i| render_lane(lam, NodeId(i as u8), now)) }
                </g>
                { render_axis(nodes, now) }
                <g class="st-arrows" onclick={on_arrow}>
                    { for lam.window(window, span).filter_map(|a| render_arrow(a, now, selected == Some(a.id), lost.contains(&a.id))) }
                </g>
                <g class="st-marks">
                    { for lam.marks_in(window, span).map(|m| render_mark(m, now)) }
                </g>
            </svg>
        </div>
    }
}
