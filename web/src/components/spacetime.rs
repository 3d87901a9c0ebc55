//! The space-time (Lamport) diagram: one lane per node, time flowing right over the newest [`SPAN`](crate::spacetime::SPAN) time units (fewer
//! while they hold too many arrows to read: [`Diagram::span_at`]) up to the view's clock, an arrow per message from its send to its delivery (a ✕ where it was dropped, dashed while in
//! flight, with a dot in its value's colour where it was sent when it carries one), crash and restart marks with the time a node was down shaded, and a ★ per chosen value. It shares the
//! selection with the cluster view: clicking an arrow selects its message, and the selected message is highlighted
//! in both.
//!
//! The SVG is as many user units wide as its box is CSS pixels (see [`WIDTH`]), so its text keeps its size. Arrows, marks and ticks sit in one
//! group that slides left as time flows (see `Frame`), so a frame changes one transform and the heads of messages in
//! flight rather than every arrow. The layout lives in [`crate::spacetime`], tested natively.

use std::rc::Rc;

use paxos_core::NodeId;
use paxos_sim::MsgId;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use super::draw::Draw;

use super::canvas::{self, ArrowPaint};
use super::legend::render_marker;
use super::{clicked_message, StateProps};
use crate::geometry::value_colour;
use crate::input::Settings;
use crate::protocol::Look;
use crate::spacetime::{
    axis_y, clip, height, lane_y, mark_row_y, ticks, window_start, Arrow, ArrowEnd, Diagram, Kinds, Mark, MarkKind,
    LANE_HEIGHT, MARK_ROW,
};
use crate::state::{Action, Selection};
use paxos_core::Value;

/// How far above its lane a message a node sends itself is drawn, so it does not hide in the lane's line.
const SELF_OFFSET: f64 = 6.0;

/// The most arrows painted per frame while playing: the newest ones. Rasterizing a canvas of 600 crossing lines
/// every frame took a third of a frame at top speed with 9 nodes (300 still made one frame in ten late; 150 keeps
/// them on time). A 3-node run rarely has more in its window; a busy 9-node one shows its newest 150 while playing.
/// Paused, every arrow of the window is drawn. (A governor that painted fewer only after late frames oscillated and
/// was dropped.)
pub const PAINTED_ARROWS: usize = 150;

/// The diagram's width in SVG user units until its box is measured. Then it is the box's width in CSS pixels (at
/// least [`MIN_WIDTH`]), so the lanes' labels and the axis keep their size on a phone as on a wide screen, and
/// the window of time is spread over whatever room there is.
pub const WIDTH: f64 = 1000.0;
/// The narrowest the diagram's coordinates get; a narrower box scales it down.
pub const MIN_WIDTH: f64 = 300.0;

/// Where the sliding part of the drawing is anchored: arrows, marks and ticks are drawn at `(t - base) × scale` inside
/// a group translated by `-(start - base) × scale`. As time flows only that translation changes (and the heads of
/// messages in flight), so a frame rewrites a few attributes instead of every arrow's. The base moves in big steps so
/// coordinates stay small enough for the renderer's single-precision floats.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    /// The first time shown.
    start: f64,
    /// The time at x = 0 of the sliding group.
    base: f64,
    /// User units per time unit.
    scale: f64,
    /// The diagram's width in user units.
    width: f64,
    /// The window's length in time units (see [`Diagram::span_at`]).
    span: u64,
}

impl Frame {
    fn at(now: f64, span: u64, width: f64) -> Frame {
        let start = window_start(now.ceil() as u64, span) as f64;
        Frame { start, base: (start / 4096.0).floor() * 4096.0, scale: width / span as f64, width, span }
    }

    /// The x of time `t` inside the sliding group.
    fn x(&self, t: f64) -> String {
        format!("{:.1}", (t - self.base) * self.scale)
    }

    fn shift(&self) -> String {
        format!("translate({:.1} 0)", -(self.start - self.base) * self.scale)
    }
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// The id of the arrowhead marker for one kind.
fn head_id<P: Look>(kind: P::Kind) -> String {
    format!("st-head-{}", P::kind_name(kind))
}

/// One arrowhead marker per kind, in the kind's colour (the cluster view's colours, from [`Look::style`]).
fn render_heads<P: Look>(nodes: usize, width: f64) -> Html {
    html! {
        <defs>
            { for P::KINDS.iter().map(|&k| html! {
                <marker id={head_id::<P>(k)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"
                    markerUnits="userSpaceOnUse" orient="auto">
                    <path d="M0,1L10,5L0,9Z" fill={P::style(k).colour} />
                </marker>
            }) }
            // Arrows sent before the window starts are cut at its left edge.
            <clipPath id={format!("st-clip-{nodes}")}>
                <rect x="0" y="0" width={px(width)} height={px(height(nodes))} />
            </clipPath>
        </defs>
    }
}

/// One lane's fixed part: its line and its label.
fn render_lane(node: NodeId, width: f64) -> Html {
    let y = lane_y(node.index());
    let top = y - LANE_HEIGHT / 2.0;
    html! {
        <g class="st-lane-row" data-node={node.to_string()}>
            <line class="st-lane" x1="0" x2={px(width)} y1={px(y)} y2={px(y)} />
            <text class="st-lane-label" x="2" y={px(top + 9.0)}>{ format!("Node {node}") }</text>
        </g>
    }
}

/// The time a node was down, shaded on its lane (in the sliding group).
fn render_down<P: Look>(lam: &Diagram<P>, node: NodeId, now: f64, f: &Frame) -> Html {
    let span = f.span;
    let top = lane_y(node.index()) - LANE_HEIGHT / 2.0;
    html! {
        { for lam.down_spans(node, now.ceil() as u64, span).into_iter().map(|(from, to)| {
            let to_shown = (to as f64).min(now);
            html! {
                <rect class="st-down" x={f.x(from as f64)} width={px(((to_shown - from as f64) * f.scale).max(0.0))}
                    y={px(top + 2.0)} height={px(LANE_HEIGHT - 4.0)}>
                    <title>{ format!("node {node} down from t={from} to t={to}") }</title>
                </rect>
            }
        }) }
    }
}

/// One mark: ✕ crash and ↻ restart on their node's lane, ★ chosen and ⚠ violation on the row above the lanes. Keyed
/// by its identity, so a mark leaving the window removes one element rather than rewriting every mark after it.
fn render_mark(m: &Mark, f: &Frame) -> Html {
    let y = px(m.node.map_or(mark_row_y(), |n| lane_y(n.index())));
    let (class, glyph) = match m.kind {
        MarkKind::Crash => ("st-mark crash-mark", "✕"),
        MarkKind::Restart { .. } => ("st-mark restart-mark", "↻"),
        MarkKind::Chosen { .. } => ("st-mark chosen-mark", "★"),
        MarkKind::Violation { .. } => ("st-mark violation-mark", "⚠"),
    };
    html! {
        <text key={m.seq} class={class} x={f.x(m.time as f64)} y={y} text-anchor="middle" dominant-baseline="central">
            <title>{ m.describe() }</title>
            { glyph }
        </text>
    }
}

/// One message's arrow. It has no click handler of its own: the arrows' group has one that reads `data-msg`, as in
/// the cluster view.
fn render_arrow<P: Look>(
    a: &Arrow<P>,
    now: f64,
    f: &Frame,
    selected: bool,
    lost: bool,
    why: bool,
    proposed: &[Value],
) -> Html {
    let off = if a.from == a.to { SELF_OFFSET } else { 0.0 };
    let (y0, y1) = (lane_y(a.from.index()) - off, lane_y(a.to.index()) - off);
    let (t_end, frac) = a.head(now);
    let (xa, ya) = (f.x(a.sent_time as f64), px(y0));
    let (xb, yb) = (f.x(t_end), px(y0 + (y1 - y0) * frac));
    let style = P::style(a.kind);
    let dropped = matches!(a.end, Some(e) if matches!(e.how, ArrowEnd::Dropped(_)));
    let in_flight = a.end.is_none();
    let head = (!dropped).then(|| format!("url(#{})", head_id::<P>(a.kind)));
    // The value it carries, as a dot in the value's colour where it was sent (as the cluster view's messages wear
    // it).
    let dot = P::carried_value(&a.msg).map(|v| {
        html! { <circle class="msg-value" cx={xa.clone()} cy={ya.clone()} r={px(canvas::ARROW_DOT)} fill={value_colour(proposed, v)} /> }
    });
    html! {
        <g key={a.id.0}
            class={classes!("arrow", format!("kind-{}", P::kind_name(a.kind)), selected.then_some("selected"),
                in_flight.then_some("in-flight"), dropped.then_some("dropped"), lost.then_some("lost"), why.then_some("why"))}
            data-msg={a.id.to_string()}>
            <title>{ a.describe() }</title>
            <line class="arrow-hit" x1={xa.clone()} y1={ya.clone()} x2={xb.clone()} y2={yb.clone()} />
            <line class="arrow-line" x1={xa} y1={ya} x2={xb.clone()} y2={yb.clone()} stroke={style.colour}
                marker-end={head} />
            if dropped {
                <text class="drop-mark" x={xb} y={yb} text-anchor="middle" dominant-baseline="central">{"✕"}</text>
            }
            { dot.unwrap_or_default() }
        </g>
    }
}

/// The time axis's ticks, in the sliding group: a labelled tick every [`TICK_EVERY`](crate::spacetime::TICK_EVERY)
/// time units. They are not clipped with the arrows; a label at either edge is anchored so it stays whole.
fn render_ticks(nodes: usize, now: f64, f: &Frame) -> Html {
    let span = f.span;
    let y = axis_y(nodes);
    html! {
        <g class="st-axis" aria-hidden="true">
            { for ticks(now, span).into_iter().map(|t| {
                let on_screen = (t as f64 - f.start) * f.scale;
                let anchor = if on_screen < 12.0 { "start" } else if on_screen > f.width - 12.0 { "end" } else { "middle" };
                html! {
                    <g class="st-tick" key={t}>
                        <line x1={f.x(t as f64)} x2={f.x(t as f64)} y1={px(y)} y2={px(y + 4.0)} />
                        <text x={f.x(t as f64)} y={px(y + 15.0)} text-anchor={anchor}>{ t.to_string() }</text>
                    </g>
                }
            }) }
        </g>
    }
}

/// When nothing happened in the window but something did before it (the run went quiet and the window slid past its
/// messages), a line saying so and where to look, rather than empty lanes.
fn quiet_note<P: Look>(lam: &Diagram<P>, now: u64, span: u64, kinds: Kinds<P>, nodes: usize, width: f64) -> Html {
    let shown = if kinds == Kinds::ALL { "" } else { " of the kinds shown" };
    match lam.last_activity(now, kinds) {
        Some(last) if last < window_start(now, span) => html! {
            <text class="st-quiet" x={px(width / 2.0)} y={px(lane_y(0) + (lane_y(nodes.max(1) - 1) - lane_y(0)) / 2.0 + 4.0)}
                text-anchor="middle">
                { format!("Quiet since t={last}: nothing{shown} was sent in the last {span} time units. Drag the timeline back to see the messages.") }
            </text>
        },
        _ => Html::default(),
    }
}

/// A checkbox per message kind under the diagram: which arrows it draws (`Action::FilterArrows`).
fn render_kinds<P: Draw>(shown: Kinds<P>, settings: &Settings<P>, dispatch: &Callback<Action<P>>) -> Html {
    html! {
        <fieldset class="st-kinds">
            <legend>{"Arrows:"}</legend>
            { for P::legend_kinds(settings).into_iter().map(|k| {
                let on = {
                    let d = dispatch.clone();
                    Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        d.emit(Action::FilterArrows(shown.with(k, on)));
                    })
                };
                html! {
                    <label class="st-kind">
                        <input type="checkbox" checked={shown.has(k)} onchange={on} data-kind={P::kind_name(k)}
                            aria-label={format!("Show {} arrows", P::kind_name(k))} />
                        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">{ render_marker(P::style(k), 7.0, 7.0, 5.0, false) }</svg>
                        { P::kind_name(k) }
                    </label>
                }
            }) }
        </fieldset>
    }
}

/// The diagram.
#[component]
pub fn SpaceTime<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let nodes = s.run.snap.nodes.len();
    let now = s.run.clock;
    let engine = s.run.engine();
    let lam = &engine.history().diagram;
    let proposed = crate::geometry::proposed_values(&engine.tape);
    let selected = match s.run.selection {
        Selection::Msg(id) => Some(id),
        _ => None,
    };
    // The network decided at send time that these will be lost: faded, as in the cluster view.
    let lost = super::sorted_set(s.run.snap.messages.iter().filter(|m| m.lost).map(|m| m.id.0));
    let lost = |id: &MsgId| lost.binary_search(&id.0).is_ok();
    // While the chip's explanation is open, the accepts and accepteds that made the value chosen stand out.
    let why = P::why(s);
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
    // Narrowed while busy (see `Diagram::span_at`); the length shown last keeps it from flickering.
    let shown_span = use_mut_ref(|| 0u64);
    let kinds = s.view.arrows;
    let span = lam.span_at(now, *shown_span.borrow(), kinds);
    *shown_span.borrow_mut() = span;
    let canvas_ref = use_node_ref();
    let box_width = canvas::use_width(canvas_ref.clone());
    let width = if box_width > 0.0 { box_width.max(MIN_WIDTH) } else { WIDTH };
    let f = Frame::at(now, span, width);
    let h = height(nodes);
    let now_x = px((now - f.start) * f.scale);
    // While playing, arrows are painted on the canvas layer (see `canvas`), in unshifted user units; paused, they
    // are SVG elements, each with its description.
    let painted = s.run.playing;
    let segments: Rc<Vec<(MsgId, ArrowPaint)>> = Rc::new(if painted {
        let x = |t: f64| (t - f.start) * f.scale;
        let shown: Vec<&Arrow<P>> = lam.window(window, span, kinds).collect();
        shown[shown.len().saturating_sub(PAINTED_ARROWS)..]
            .iter()
            .filter_map(|a| {
                let off = if a.from == a.to { SELF_OFFSET } else { 0.0 };
                let (y0, y1) = (lane_y(a.from.index()) - off, lane_y(a.to.index()) - off);
                let (t_end, frac) = a.head(now);
                let ((t0, ya), (t1, yb)) = clip((a.sent_time as f64, y0), (t_end, y0 + (y1 - y0) * frac), f.start)?;
                Some((
                    a.id,
                    ArrowPaint {
                        a: (x(t0), ya),
                        b: (x(t1), yb),
                        style: P::style(a.kind),
                        in_flight: a.end.is_none(),
                        dropped: matches!(a.end, Some(e) if matches!(e.how, ArrowEnd::Dropped(_))),
                        lost: lost(&a.id),
                        selected: selected == Some(a.id),
                        value: P::carried_value(&a.msg).map(|v| value_colour(&proposed, v)),
                    },
                ))
            })
            .collect()
    } else {
        Vec::new()
    });
    let size = canvas::use_box_size(canvas_ref.clone());
    {
        let (canvas_ref, segments, size) = (canvas_ref.clone(), segments.clone(), size.clone());
        let kept = canvas::use_context();
        use_effect(move || {
            if let Some(c) = canvas_ref.cast::<HtmlCanvasElement>() {
                if segments.is_empty() {
                    canvas::clear(&c);
                } else if let Some((ctx, w, _, dpr)) = canvas::prepare(&c, size.get(), &kept) {
                    let all: Vec<&ArrowPaint> = segments.iter().map(|(_, a)| a).collect();
                    canvas::paint_arrows(&ctx, w / width, dpr, &all);
                }
            }
        });
    }
    let on_background = {
        let (on, segments, size) = (props.dispatch.clone(), segments.clone(), size.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(svg) = e.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let r = svg.get_bounding_client_rect();
            let k = if size.get().0 > 0.0 { size.get().0 / width } else { r.width() / width };
            let p = ((e.client_x() as f64 - r.left()) / k, (e.client_y() as f64 - r.top()) / k);
            let hit = canvas::nearest_arrow(p, segments.iter().map(|(id, a)| (*id, a.a, a.b)), 6.0);
            if let Some(id) = hit {
                let toggle = if selected == Some(id) { Selection::None } else { Selection::Msg(id) };
                on.emit(Action::Select(toggle));
            }
        })
    };
    html! {
        <>
        <div class="spacetime spacetime-wrap">
            <svg class={classes!("spacetime-svg", s.view.explain.then_some("explaining"))} viewBox={format!("0 0 {} {}", px(width), px(h))} width="100%" role="img"
                aria-label="Space-time diagram: one lane per node, time flows right" onclick={on_background}>
                { render_heads::<P>(nodes, width) }
                <g class="st-lanes">
                    { for (0..nodes).map(|i| render_lane(NodeId(i as u8), width)) }
                    <line class="st-axis-line" x1="0" x2={px(width)} y1={px(axis_y(nodes))} y2={px(axis_y(nodes))} />
                </g>
                <g class="st-window" clip-path={format!("url(#st-clip-{nodes})")}>
                    <g class="st-slide" transform={f.shift()}>
                        <g class="st-down-spans">
                            { for (0..nodes).map(|i| render_down(lam, NodeId(i as u8), now, &f)) }
                        </g>
                        if !painted {
                            <g class="st-arrows" onclick={on_arrow}>
                                { for lam.window(window, span, kinds).map(|a| render_arrow(a, now, &f, selected == Some(a.id), lost(&a.id),
                                    why(&a.msg, a.from, a.to), &proposed)) }
                            </g>
                        }
                        <g class="st-marks">
                            { for lam.marks_in(window, span).map(|m| render_mark(m, &f)) }
                        </g>
                    </g>
                </g>
                <g class="st-slide" transform={f.shift()}>{ render_ticks(nodes, now, &f) }</g>
                <line class="st-now" x1={now_x.clone()} x2={now_x} y1={px(MARK_ROW)} y2={px(axis_y(nodes))} />
                { quiet_note(lam, window, span, kinds, nodes, width) }
            </svg>
            <canvas class="moving-layer" ref={canvas_ref} aria-hidden="true"></canvas>
        </div>
        { render_kinds(kinds, &s.run.settings, &props.dispatch) }
        </>
    }
}
