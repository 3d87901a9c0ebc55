//! The node's actions, on the node: a small popover anchored at a node of the drawing when it is clicked (or Enter or
//! Space is pressed on it). It crashes or restarts the node, isolates it, ticks its clock, proposes a value there, and
//! shows the node's details. Escape, a click elsewhere or the focus leaving it closes it; an action or Escape puts
//! the focus back on the node.
//!
//! It is a non-modal dialog laid over the drawing, not a panel beside it, so it works where no side panel is shown (a
//! figure, a narrow column, a phone) and the hand or the eye does not leave the node acted on.

use paxos_core::NodeId;
use wasm_bindgen::JsCast;
use web_sys::{FocusEvent, HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::draw::Draw;
use crate::geometry::popover_place;
use crate::input::parse_value;
use crate::state::{Action, AppState};
use paxos_sim::snapshot::Standing;

/// The popover's properties.
#[derive(Properties, PartialEq)]
pub struct NodeMenuProps<P: Draw> {
    /// The reducer's state.
    pub state: AppState<P>,
    /// Dispatches an action.
    pub dispatch: Callback<Action<P>>,
    /// The node acted on.
    pub node: NodeId,
    /// The node's centre and radius, in CSS pixels from the drawing's top left.
    pub anchor: (f64, f64, f64),
    /// The drawing's width and height in CSS pixels: the popover stays inside its width.
    pub room: (f64, f64),
    /// Closes the popover; `true` puts the focus back on the node (after an action or Escape, not when the person
    /// went elsewhere).
    pub on_close: Callback<bool>,
}

/// The popover.
#[component]
pub fn NodeMenu<P: Draw>(props: &NodeMenuProps<P>) -> Html {
    let s = &props.state;
    let id = props.node;
    let root = use_node_ref();
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let details = use_state(|| false);
    // Opened: the focus moves to its first button, so the keyboard carries on from the node into its actions.
    {
        let root = root.clone();
        use_effect_with(id, move |_| {
            if let Some(b) = root.cast::<web_sys::Element>().and_then(|r| r.query_selector("button").ok().flatten()) {
                if let Ok(b) = b.dyn_into::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        });
    }
    // Placed beside the node (or under or over it where there is no room beside), through the CSS object model: the
    // page's Content-Security-Policy allows no style attributes.
    {
        let root = root.clone();
        use_effect_with((props.anchor, props.room, *details), move |(anchor, room, _)| {
            if let Some(el) = root.cast::<HtmlElement>() {
                let size = (el.offset_width() as f64, el.offset_height() as f64);
                let (left, top) = popover_place(*anchor, size, *room);
                let _ = el.style().set_property("left", &format!("{left:.0}px"));
                let _ = el.style().set_property("top", &format!("{top:.0}px"));
            }
        });
    }
    let Some(n) = s.run.snap.nodes.get(id.index()) else { return Html::default() };
    let act = |action: Action<P>| {
        let (d, close) = (props.dispatch.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| {
            d.emit(action.clone());
            close.emit(true);
        })
    };
    let onkeydown = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                // Escape closes this, not the selection as well (the page's shortcut would clear it).
                e.stop_propagation();
                close.emit(true);
            }
        })
    };
    // The focus left for somewhere outside (a click elsewhere, Tab past the last control, a shortcut that focuses
    // another field): closed. Back on its own node, the node's click decides.
    let onfocusout = {
        let (close, root) = (props.on_close.clone(), root.clone());
        Callback::from(move |e: FocusEvent| {
            let to = e.related_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let inside = match (&to, root.cast::<web_sys::Element>()) {
                (Some(t), Some(r)) => r.contains(Some(t)),
                _ => false,
            };
            let own_node = to
                .as_ref()
                .and_then(|t| t.closest("g.node").ok().flatten())
                .and_then(|g| g.get_attribute("data-node"))
                .is_some_and(|d| d == id.to_string());
            if !inside && !own_node {
                close.emit(false);
            }
        })
    };
    let on_input = {
        let (text, error) = (text.clone(), error.clone());
        Callback::from(move |e: InputEvent| {
            text.set(e.target_unchecked_into::<HtmlInputElement>().value());
            error.set(None);
        })
    };
    let onsubmit = {
        let (text, error, d, close) = (text.clone(), error.clone(), props.dispatch.clone(), props.on_close.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match parse_value(&text) {
                Ok(value) => {
                    text.set(String::new());
                    d.emit(Action::Propose { node: id, value });
                    close.emit(true);
                }
                Err(msg) => error.set(Some(msg)),
            }
        })
    };
    let toggle_details = {
        let details = details.clone();
        Callback::from(move |_: MouseEvent| details.set(!*details))
    };
    let state = if n.up { "up" } else { "crashed" };
    html! {
        <div class="node-menu" role="dialog" aria-label={format!("Node {id}")} ref={root} {onkeydown} {onfocusout}
            id={s.view.id("node-menu")}>
            <p class="node-menu-title" aria-hidden="true">{ format!("Node {id} · {state}{}{}", if n.leader && n.up { " · leader" } else { "" }, match n.standing {
                Standing::Member => "",
                Standing::Joining => " · joining",
                Standing::Retired => " · retired",
            }) }</p>
            <div class="actions">
                if n.up {
                    <button type="button" class="danger" id={s.view.id("crash-node")} aria-label={format!("Crash node {id}")}
                        onclick={act(Action::Crash(id))}>{"Crash"}</button>
                } else {
                    <button type="button" class="primary" id={s.view.id("restart-node")} aria-label={format!("Restart node {id}")}
                        onclick={act(Action::Restart(id))}>{"Restart"}</button>
                }
                <button type="button" aria-label={format!("Isolate node {id}")} onclick={act(Action::Partition(vec![vec![id]]))}>{"Isolate"}</button>
                <button type="button" aria-label={format!("Tick node {id}")} onclick={act(Action::Tick(id))}>{"Tick"}</button>
                if P::MEMBERSHIP.is_some() && P::keeps_a_log(&s.run.settings) && n.standing != Standing::Retired {
                    <button type="button" class="danger" aria-label={format!("Remove node {id}")} onclick={act(Action::RemoveNode(id))}>{"Remove"}</button>
                }
            </div>
            if n.up && P::takes_proposals(n) {
                <form class="node-propose" {onsubmit} novalidate=true>
                    <input type="text" autocomplete="off" placeholder="value" aria-label={format!("Proposal at node {id}")}
                        id={s.view.id("node-value")} value={(*text).clone()} oninput={on_input}
                        aria-invalid={error.is_some().to_string()} aria-describedby={s.view.id("node-value-error")} />
                    <button type="submit" class="primary" aria-label={format!("Propose at node {id}")}>{"Propose"}</button>
                    <p id={s.view.id("node-value-error")} class="field-error" role="alert">{ (*error).clone().unwrap_or_default() }</p>
                </form>
            }
            <button type="button" class="small" aria-expanded={details.to_string()} aria-label={format!("Details of node {id}")}
                onclick={toggle_details}>{"Details"}</button>
            if *details {
                <div class="node-menu-details">{ P::node_details(s, id) }</div>
            }
        </div>
    }
}
