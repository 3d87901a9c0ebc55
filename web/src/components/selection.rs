//! What can be done to the selection: a node (inspect; its actions are on the node), a message (drop, duplicate,
//! delay, deliver, inspect) or a link (cut both ways, cut one way, heal). With nothing selected it offers lists to
//! select from, for keyboard users.

use paxos_core::{Mode, NodeId, Slot};
use paxos_sim::MsgId;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::draw::Draw;

use super::cluster::phase_text;
use super::{node_list, send, StateProps};
use crate::protocol::Look;
use crate::state::{Action, AppState, Selection, DELAY_BY};

fn pick<P: Look>(d: &Callback<Action<P>>, parse: fn(&str) -> Option<Selection>) -> Callback<Event> {
    let d = d.clone();
    Callback::from(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        if let Some(sel) = parse(&v) {
            d.emit(Action::Select(sel));
        }
    })
}

fn pickers<P: Look>(s: &AppState<P>, d: &Callback<Action<P>>) -> Html {
    let n = s.run.snap.nodes.len();
    let mut links = vec![];
    for a in 0..n {
        for b in a + 1..n {
            links.push((a, b));
        }
    }
    html! {
        <div class="pickers">
            <label>{"Node "}
                <select id={s.view.id("pick-node")} onchange={pick(d, |v| v.parse().ok().map(|i| Selection::Node(NodeId(i))))}>
                    <option value="" selected=true>{"choose…"}</option>
                    { for (0..n).map(|i| html! { <option value={i.to_string()}>{ format!("node {i}") }</option> }) }
                </select>
            </label>
            <label>{"Message "}
                <select id={s.view.id("pick-msg")} onchange={pick(d, |v| v.parse().ok().map(|i| Selection::Msg(MsgId(i))))}>
                    // While a run plays, no list: at top speed nearly every message of it was gone by the panel's
                    // next update (four times a second), and replacing hundreds of options made that frame late.
                    // Paused, the messages in flight, keyed by message.
                    <option value="" selected=true>{ if s.run.playing {
                        // No count: this panel follows a playing run four times a second, the toolbar every frame.
                        "choose… (pause to pick one)".to_string()
                    } else {
                        format!("choose… ({} in flight)", s.run.snap.messages.len())
                    } }</option>
                    { for s.run.snap.messages.iter().filter(|_| !s.run.playing).map(|m| {
                        let (from, to, msg) = P::parts(&m.env);
                        html! { <option key={m.id.0} value={m.id.0.to_string()}>{ format!("{} {from}→{to} {}", m.id, P::kind_name(P::kind_of(msg))) }</option> }
                    }) }
                </select>
            </label>
            <label>{"Link "}
                <select id={s.view.id("pick-link")} onchange={pick(d, |v| {
                    let (a, b) = v.split_once('-')?;
                    Some(Selection::Link(NodeId(a.parse().ok()?), NodeId(b.parse().ok()?)))
                })}>
                    <option value="" selected=true>{"choose…"}</option>
                    { for links.iter().map(|(a, b)| html! { <option value={format!("{a}-{b}")}>{ format!("{a}–{b}") }</option> }) }
                </select>
            </label>
        </div>
    }
}

/// Slot-numbered values, one per line: the inspector's lists.
pub fn value_list(items: impl Iterator<Item = (Slot, String)>) -> Html {
    html! { <ul class="kv">{ for items.map(|(s, v)| html! { <li><span class="slot">{ format!("[{s}]") }</span>{ " " }{ v }</li> }) }</ul> }
}

/// A node's whole state, role by role: what the selection panel's inspector and the node's popover show.
pub fn node_details(s: &AppState, id: NodeId) -> Html {
    let Some(n) = s.run.snap.nodes.get(id.index()) else { return html! {} };
    let mode = s.run.settings.mode;
    let engine = s.run.engine();
    let ids = &engine.history().txn_ids;
    html! {
        <dl class="inspect" aria-label={format!("State of node {id}")}>
            <dt>{"Proposer"}</dt>
            <dd>{ match n.ballot { Some(b) => format!("ballot {b}, {}; promises so far from {}", phase_text(n, mode), node_list(n.promises.iter().copied())), None => "no ballot yet".into() } }</dd>
            <dt>{"Acceptor (durable: survives a crash)"}</dt>
            <dd>
                { format!("promised {}", if n.promised.is_zero() { "nothing".to_string() } else { n.promised.to_string() }) }
                { value_list(n.accepted.iter().map(|p| (p.slot, format!("{} at ballot {}", p.value, p.ballot)))) }
            </dd>
            <dt>{"Learner"}</dt>
            <dd>
                if n.learned.is_empty() { {"nothing learned"} }
                { value_list(n.learned.iter().map(|(slot, v)| {
                    let id = ids.get(&(*slot, n.id)).map(|i| format!(" → txn ID {i}")).unwrap_or_default();
                    (*slot, format!("{v}{id}"))
                })) }
            </dd>
            if mode == Mode::Multi {
                <dt>{"Leader"}</dt><dd>{ if n.leader { "believes it leads" } else { "follows" } }</dd>
            }
        </dl>
    }
}

/// A selected node: what it is. Its actions (crash, restart, isolate, tick, propose) are on the node itself, in the
/// popover a click or Enter on it opens (`node_menu`), so each has one control on the page.
fn node_panel<P: Draw>(s: &AppState<P>, d: &Callback<Action<P>>, id: NodeId) -> Html {
    let Some(n) = s.run.snap.nodes.get(id.index()) else { return html! {} };
    html! {
        <>
            <h3>{ format!("Node {id} — {}{}", if n.up { "up" } else { "crashed" }, super::cluster::standing_words(n.standing)) }</h3>
            <p class="hint">{ P::node_label(s, n) }</p>
            <p class="hint">{ format!("Click node {id} in the drawing (or press Enter on it) to crash, restart, isolate or tick it, or to propose a value there.") }</p>
            <div class="actions">
                <button type="button" aria-expanded={s.run.inspect.to_string()} onclick={send(d, Action::ToggleInspect)}>{ format!("Inspect node {id}") }</button>
            </div>
            if s.run.inspect {
                { P::node_details(s, id) }
            }
        </>
    }
}

/// Opens (or closes) the inspector of message `id`: its payload as traces write it (docs/trace-format.md), so what
/// is inspected here reads the same in an exported trace. The worker writes it from the run's link
/// (`paxos_worker::payload`): the JSON writer and the messages' serializers are not in the page's first download.
fn inspect_payload<P: Look>(s: &AppState<P>, d: &Callback<Action<P>>, id: MsgId) -> Callback<MouseEvent> {
    let (opening, d, engine) = (!s.run.inspect, d.clone(), s.run.engine.clone());
    Callback::from(move |_| {
        d.emit(Action::ToggleInspect);
        if opening {
            let link = {
                let e = engine.0.borrow();
                paxos_sim::Link { tape: e.tape.clone(), at: e.at }.encode()
            };
            crate::worker::ask(
                crate::worker::Job::Payload,
                format!("{} {link}", id.0),
                d.reform(move |r| Action::Payload(id, r)),
            );
        }
    })
}

fn msg_panel<P: Look>(s: &AppState<P>, d: &Callback<Action<P>>, id: MsgId) -> Html {
    let Some(m) = s.run.snap.messages.iter().find(|m| m.id == id) else {
        return html! { <p class="hint">{ format!("Message {id} is no longer in flight (delivered or dropped).") }</p> };
    };
    let (from, to, msg) = P::parts(&m.env);
    let kind = P::kind_of(msg);
    html! {
        <>
            <h3>{ format!("Message {id}: {} from {from} to {to}", P::kind_name(kind)) }</h3>
            <p class="hint">{ format!("{msg} ({}) — sent at t={}, due at t={}{}", P::style(kind).meaning, m.sent_at, m.due, if m.lost { "; the network lost it: it will vanish when due" } else { "" }) }</p>
            <div class="actions">
                <button type="button" class="danger" onclick={send(d, Action::Drop(id))}>{ format!("Drop {id}") }</button>
                <button type="button" onclick={send(d, Action::Duplicate(id))}>{ format!("Duplicate {id}") }</button>
                <button type="button" onclick={send(d, Action::Delay(id))}>{ format!("Delay {id} by {DELAY_BY}") }</button>
                <button type="button" class="primary" onclick={send(d, Action::Deliver(id))}>{ format!("Deliver {id} now") }</button>
                <button type="button" aria-expanded={s.run.inspect.to_string()} onclick={inspect_payload(s, d, id)}>{ format!("Inspect payload of {id}") }</button>
            </div>
            if s.run.inspect {
                if let Some(Err(e)) = &s.run.payload {
                    <p class="error" role="alert">{ e }</p>
                } else {
                    <pre class="inspect payload" aria-label={format!("Payload of {id}")} aria-busy={s.run.payload.is_none().to_string()}>
                        { s.run.payload.clone().and_then(Result::ok).unwrap_or_else(|| "Reading…".into()) }
                    </pre>
                }
            }
        </>
    }
}

fn link_panel<P: Look>(s: &AppState<P>, d: &Callback<Action<P>>, a: NodeId, b: NodeId) -> Html {
    let (ab, ba) = (s.run.snap.is_cut(a, b), s.run.snap.is_cut(b, a));
    let word = |cut: bool| if cut { "cut" } else { "open" };
    html! {
        <>
            <h3>{ format!("Link {a}–{b}: {a}→{b} {}, {b}→{a} {}", word(ab), word(ba)) }</h3>
            <div class="actions">
                <button type="button" class="danger" onclick={send(d, Action::Cut { from: a, to: b, one_way: false })}>{ format!("Cut {a}–{b} both ways") }</button>
                <button type="button" onclick={send(d, Action::Cut { from: a, to: b, one_way: true })}>{ format!("Cut {a}→{b} one way") }</button>
                <button type="button" onclick={send(d, Action::Cut { from: b, to: a, one_way: true })}>{ format!("Cut {b}→{a} one way") }</button>
                <button type="button" class="primary" onclick={send(d, Action::HealLink { from: a, to: b, one_way: false })}>{ format!("Heal link {a}–{b}") }</button>
            </div>
        </>
    }
}

/// The panel.
#[component]
pub fn SelectionPanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let body = match s.run.selection {
        Selection::None => html! {
            <>
                <p class="hint">{"Click a node, a message or a link in the drawing (or choose one here) to act on it."}</p>
                { pickers(s, d) }
            </>
        },
        Selection::Node(id) => node_panel(s, d, id),
        Selection::Msg(id) => msg_panel(s, d, id),
        Selection::Link(a, b) => link_panel(s, d, a, b),
    };
    html! {
        <section class="panel selection" aria-labelledby={s.view.id("selection-title")}>
            <h2 id={s.view.id("selection-title")}>{"Selection"}
                if s.run.selection != Selection::None {
                    <button type="button" class="small" onclick={send(d, Action::Select(Selection::None))}>{"Clear selection"}</button>
                }
            </h2>
            { body }
        </section>
    }
}
