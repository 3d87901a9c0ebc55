//! The Propose form (a value and the node to ask) and, in Multi-Paxos, the transaction-ID client.

use paxos_core::NodeId;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::draw::Draw;

use super::{send, use_select_value, StateProps};
use crate::input::parse_value;
use crate::state::{Action, Selection, CLIENT, CLIENT_PERIODS};
use paxos_sim::snapshot::Standing;

/// The form.
#[component]
pub fn ProposePanel<P: Draw>(props: &StateProps<P>) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let every = use_select_value(Some(s.run.client_every.to_string()));
    // "" = the selected node, else the leader, else the first live node.
    let target = use_state(String::new);
    let target_select = use_select_value(Some((*target).clone()));
    let count = s.run.snap.nodes.len();
    let auto_target = s.run.client_target();
    let on_input = {
        let text = text.clone();
        let error = error.clone();
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlInputElement>().value());
            error.set(None);
        })
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| target.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let onsubmit = {
        let (text, error, target, d) = (text.clone(), error.clone(), target.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let node = match target.parse::<u8>() {
                Ok(n) => Some(NodeId(n)),
                Err(_) => auto_target,
            };
            let Some(node) = node else {
                error.set(Some("Every node is crashed: restart one first.".into()));
                return;
            };
            match parse_value(&text) {
                Ok(value) => {
                    error.set(None);
                    text.set(String::new());
                    d.emit(Action::Propose { node, value });
                }
                Err(msg) => error.set(Some(msg)),
            }
        })
    };
    // The automatic choice says which node it is and why, in plain words: it follows a node clicked in the drawing,
    // and a node picked here stays picked.
    let auto_name = match (s.run.selection, auto_target) {
        (Selection::Node(n), Some(t)) if n == t => format!("node {t}, the one selected"),
        (_, Some(t)) if s.run.snap.leader == Some(t) => format!("node {t}, the leader"),
        (_, Some(t)) => format!("node {t}"),
        (_, None) => "no node is up".into(),
    };
    html! {
        <section class="panel" aria-labelledby={s.view.id("propose-title")}>
            <h2 id={s.view.id("propose-title")}>{"Propose a value"}</h2>
            <form class="propose" {onsubmit} novalidate=true>
                <div class="field">
                    <label for={s.view.id("value")}>{"Value"}</label>
                    <input id={s.view.id("value")} type="text" autocomplete="off" placeholder="e.g. blue" value={(*text).clone()}
                        oninput={on_input} aria-invalid={error.is_some().to_string()}
                        aria-describedby={s.view.id("value-error")} />
                </div>
                <div class="field">
                    <label for={s.view.id("propose-node")}>{"At"}</label>
                    <select id={s.view.id("propose-node")} ref={target_select.0} value={target_select.1.clone()} onchange={on_target}
                        title="Unless you pick a node here: the node selected in the drawing, else the leader, else the first node up">
                        <option value="">{ auto_name }</option>
                        { for (0..count).map(|i| html! {
                            <option value={i.to_string()}>{ format!("node {i}") }</option>
                        }) }
                    </select>
                    <button type="submit" class="primary" id={s.view.id("propose")}>{"Propose"}</button>
                </div>
                <p id={s.view.id("value-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
            </form>
            <p class="hint">{ P::PROPOSE_HINT }</p>
            if P::keeps_a_log(&s.run.settings) {
                <div class="client">
                    <h3>{"Transaction-ID client"}</h3>
                    <p class="hint">{ format!("Client {CLIENT} asks for the next transaction ID; {}", P::TXN_WORDS) }</p>
                    <button type="button" id={s.view.id("request-txn")} onclick={send(d, Action::RequestTxn)}>
                        { format!("Request txn ID ({CLIENT}/{})", s.run.next_req) }
                    </button>
                    <label class="inline">
                        <input type="checkbox" id={s.view.id("client-auto")} checked={s.run.client_auto} onchange={send(d, Action::ToggleClient)} />
                        {" Send a request every"}
                    </label>
                    {" "}
                    <select id={s.view.id("client-every")} ref={every.0} value={every.1} aria-label="Time units between two requests" onchange={
                        let d = d.clone();
                        Callback::from(move |e: Event| {
                            if let Some(t) = e.target_dyn_into::<web_sys::HtmlSelectElement>().and_then(|x| x.value().parse().ok()) {
                                d.emit(Action::ClientEvery(t));
                            }
                        })
                    }>
                        { for CLIENT_PERIODS.iter().map(|&t| html! {
                            <option value={t.to_string()}>{ t }</option>
                        }) }
                    </select>
                    {" time units"}
                </div>
                if let Some(hint) = P::MEMBERSHIP {
                    <div class="members">
                        <h3>{"Membership"}</h3>
                        <p class="hint">{ hint }</p>
                        <button type="button" id={s.view.id("add-node")} disabled={count >= paxos_sim::limits::MAX_NODES}
                            onclick={send(d, Action::AddNode)}>{"Add node"}</button>
                        { for s.run.snap.nodes.iter().filter(|n| n.standing != Standing::Retired).map(|n| html! {
                            <button type="button" class="small" onclick={send(d, Action::RemoveNode(n.id))}>{ format!("Remove node {}", n.id) }</button>
                        }) }
                    </div>
                }
            }
        </section>
    }
}
