//! The event log, newest first, in the same words as `paxos script`, filtered by node and by kind.

use paxos_core::NodeId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::draw::Draw;

use super::{use_select_value, StateProps};
use crate::history::LogKind;
use crate::state::Action;

/// How many lines are shown at once when paused.
pub const SHOWN: usize = 150;
/// How many while playing. At top speed hundreds of events happen per frame, so every line is new every frame;
/// replacing 150 list items per frame cost more than all the rest of the page (a frame-time measurement), and no one
/// reads them at that pace. Pausing shows the full list again.
pub const SHOWN_PLAYING: usize = 30;

fn log_class(k: LogKind) -> &'static str {
    match k {
        LogKind::Message => "log-message",
        LogKind::Decision => "log-decision",
        LogKind::Command => "log-command",
        LogKind::Chosen => "log-chosen",
        LogKind::Violation => "log-violation",
    }
}

/// The log.
#[component]
pub fn EventLog<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let engine = s.run.engine();
    let lines =
        engine.history().filtered(s.view.log_node, s.view.log_kind, if s.run.playing { SHOWN_PLAYING } else { SHOWN });
    let node_select = use_select_value(Some(s.view.log_node.map(|n| n.index().to_string()).unwrap_or_default()));
    let kind_select = use_select_value(Some(
        s.view
            .log_kind
            .and_then(|k| LogKind::ALL.iter().position(|&x| x == k))
            .map(|i| i.to_string())
            .unwrap_or_default(),
    ));
    let on_node = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::FilterNode(v.parse().ok().map(NodeId)));
        })
    };
    let on_kind = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::FilterKind(v.parse::<usize>().ok().and_then(|i| LogKind::ALL.get(i).copied())));
        })
    };
    html! {
        <section class="panel log" aria-labelledby={s.view.id("log-title")}>
            <h2 id={s.view.id("log-title")}>{"Event log"}<span class="hint">{" (newest first; the same words as "}<code>{"paxos script"}</code>{")"}</span></h2>
            <div class="filters">
                <label>{"Node "}
                    <select id={s.view.id("log-node")} ref={node_select.0} value={node_select.1.clone()} onchange={on_node}>
                        <option value="">{"all nodes"}</option>
                        { for (0..s.run.snap.nodes.len()).map(|i| html! {
                            <option value={i.to_string()}>{ format!("node {i}") }</option>
                        }) }
                    </select>
                </label>
                <label>{"Kind "}
                    <select id={s.view.id("log-kind")} ref={kind_select.0} value={kind_select.1.clone()} onchange={on_kind}>
                        <option value="">{"all kinds"}</option>
                        { for LogKind::ALL.iter().enumerate().map(|(i, k)| html! {
                            <option value={i.to_string()}>{ k.name() }</option>
                        }) }
                    </select>
                </label>
            </div>
            // Unkeyed: each frame rewrites the text of the lines in place instead of moving list items around.
            // Focusable, so the keyboard can scroll it.
            <ol class="log-lines" aria-live="off" tabindex="0" aria-label="Events, newest first">
                { for lines.iter().map(|e| html! {
                    <li class={classes!("log-line", log_class(e.kind))}>
                        <span class="log-time" title={format!("moment {}, simulated time {}", e.moment, e.time)}>{ format!("#{}", e.moment) }</span>{ " " }
                        <span class="log-text">{ e.text.clone() }</span>
                    </li>
                }) }
            </ol>
            if lines.is_empty() {
                if engine.history().log.is_empty() {
                    <p class="hint">{"Nothing yet: propose a value and press Play."}</p>
                } else {
                    <p class="hint">{"No line matches these filters yet."}</p>
                }
            }
        </section>
    }
}
