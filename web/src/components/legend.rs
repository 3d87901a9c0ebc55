//! The legend: every message kind's shape, colour and meaning, and how links and lost messages look.

use paxos_core::{Mode, MsgKind};
use yew::prelude::*;

use super::draw::Draw;
use crate::geometry::{shape_path, KindStyle, Shape, VALUE_COLOURS};
use crate::input::Settings;
use crate::protocol::Look;

/// A small marker for one kind (its style), as the cluster view draws it.
pub fn render_marker(style: KindStyle, cx: f64, cy: f64, r: f64, faded: bool) -> Html {
    let hollow = style.shape == Shape::Ring;
    html! {
        <path class={classes!("marker", faded.then_some("lost"))} d={shape_path(style.shape, cx, cy, r)}
            fill={if hollow { "none" } else { style.colour }}
            stroke={if hollow { style.colour } else { "#1a1a1a" }}
            stroke-width={if hollow { "3" } else { "1.2" }} />
    }
}

/// The dot in a value's colour that a message carrying the value wears, on the upper right of its marker at
/// `(cx, cy)`, scaled to a marker of radius `r` (the drawing's markers have radius 8).
pub fn render_value_dot(colour: &'static str, cx: f64, cy: f64, r: f64) -> Html {
    let (dx, dy, dr) = crate::geometry::VALUE_DOT;
    let k = r / 8.0;
    html! {
        <circle class="msg-value" cx={format!("{:.1}", cx + dx * k)} cy={format!("{:.1}", cy + dy * k)}
            r={format!("{:.1}", dr * k)} fill={colour} />
    }
}

/// The kinds a run of `mode` sends: heartbeats, catch-up requests and forwarded values belong to Multi-Paxos.
pub fn kinds_of(mode: Mode) -> &'static [MsgKind] {
    use MsgKind::*;
    const SINGLE_DECREE: [MsgKind; 6] = [Prepare, Promise, Accept, Accepted, Reject, Decided];
    match mode {
        Mode::Multi => &MsgKind::ALL,
        Mode::Single => &SINGLE_DECREE,
    }
}

/// The legend's properties.
#[derive(Properties, PartialEq)]
pub struct LegendProps<P: Look> {
    /// The run's settings: the legend lists the kinds it sends.
    pub settings: Settings<P>,
}

/// The words every protocol's legend ends with.
pub fn common_words() -> Html {
    html! {
        <>
            <dt>{"moment"}</dt><dd>{"one step of the timeline: a message delivered or dropped, a timer, or one of your actions"}</dd>
            <dt>{"tick"}</dt><dd>{"the clock's beat, when timers (a proposer's retry, a leader's heartbeat) are checked"}</dd>
            <dt>{"timer arc"}</dt><dd>{"the pink arc on a node's edge: its armed timer, shrinking each tick until it fires"}</dd>
        </>
    }
}

/// Paxos's words: ballots, promises and slots.
pub fn paxos_words(mode: Mode) -> Html {
    html! {
        <>
            <dt>{"ballot 1.2"}</dt><dd>{"round 1 of node 2: higher rounds win, and the node number breaks ties, so no two proposers share a ballot"}</dd>
            <dt>{"promised"}</dt><dd>{"the highest ballot an acceptor promised to honour: it refuses anything lower"}</dd>
            if mode == Mode::Multi {
                <dt>{"slot"}</dt><dd>{"one position in the log: Multi-Paxos chooses one value per slot"}</dd>
            }
        </>
    }
}

/// The legend, for the kinds of message the run sends.
#[component]
pub fn Legend<P: Draw>(props: &LegendProps<P>) -> Html {
    let sample = P::style(P::CARRIER);
    html! {
        <section class="legend" aria-label="Legend">
            <h2 class="sr-only">{"Legend"}</h2>
            <ul>
                { for P::legend_kinds(&props.settings).iter().map(|&k| html! {
                    <li>
                        <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">{ render_marker(P::style(k), 11.0, 11.0, 6.5, false) }</svg>
                        <span class="kind-name">{ P::kind_name(k) }</span>
                        <span class="kind-meaning">{ P::style(k).meaning }</span>
                    </li>
                }) }
                <li>
                    <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">
                        { render_marker(sample, 10.0, 12.0, 6.5, false) }
                        { render_value_dot(VALUE_COLOURS[0], 10.0, 12.0, 6.5) }
                    </svg>
                    <span class="kind-name">{"value dot"}</span>
                    <span class="kind-meaning">{"the value a message carries, in that value's colour everywhere: on the nodes, in the middle, on the messages and the diagram's arrows"}</span>
                </li>
                <li>
                    <svg width="22" height="22" viewBox="0 0 22 22" aria-hidden="true">{ render_marker(sample, 11.0, 11.0, 6.5, true) }</svg>
                    <span class="kind-name">{"faded"}</span><span class="kind-meaning">{"lost: the network will drop it"}</span>
                </li>
                <li>
                    <svg width="30" height="22" viewBox="0 0 30 22" aria-hidden="true"><line x1="2" y1="8" x2="28" y2="8" class="lane" /><line x1="2" y1="16" x2="28" y2="16" class="lane cut" /></svg>
                    <span class="kind-name">{"links"}</span><span class="kind-meaning">{"one lane per direction; dashed red = cut"}</span>
                </li>
            </ul>
            <dl class="words">
                { P::legend_words(&props.settings) }
                { common_words() }
            </dl>
        </section>
    }
}
