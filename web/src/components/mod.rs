//! The page's components, one per file. Each takes the reducer's state (cheap to clone: the engine and the snapshot
//! are shared) and a callback that dispatches an [`Action`](crate::state::Action).

pub mod app;
pub mod banner;
pub mod canvas;
pub mod check;
pub mod cluster;
#[cfg(any(feature = "raft", test))]
pub mod compare;
pub mod draw;
pub mod exercise;
pub mod help;
pub mod legend;
pub mod log;
pub mod network;
pub mod node_menu;
pub mod outcome;
pub mod propose;
pub mod quorum;
pub mod selection;
pub mod setup;
pub mod share;
pub mod spacetime;
pub mod start;
pub mod timeline;
pub mod toolbar;
pub mod tour;

use yew::prelude::*;

use crate::protocol::Look;
use crate::state::{Action, AppState};

/// The props most components take.
#[derive(Properties, PartialEq, Clone)]
pub struct StateProps<P: Look = paxos_sim::Paxos> {
    /// The reducer's state.
    pub state: AppState<P>,
    /// Dispatches an action.
    pub dispatch: Callback<Action<P>>,
}

/// Makes a `<select>` show the option whose value is `value` (when there is one): on the first render and whenever
/// `value` changes. Selects whose choice follows the state use this instead of `selected` on their options.
///
/// Yew writes an option's `selected` as an attribute, and once a person has picked an option by hand the browser no
/// longer lets that attribute change the choice shown (the option's "dirtiness", in the HTML standard). A change that
/// comes from elsewhere (a speed shortcut, the tour moving to another scenario, a new run's settings) would leave the
/// select showing the old choice while the page acts on the new one. The `value` property always takes effect.
///
/// Returns the select's reference and the value again, for its `value` attribute: browsers ignore that attribute on a
/// select, but the first screen rendered into the HTML (`crate::prerender`) marks the option it names as selected.
#[hook]
pub fn use_select_value(value: Option<String>) -> (NodeRef, Option<AttrValue>) {
    let node = use_node_ref();
    let attribute = value.clone().map(AttrValue::from);
    {
        let node = node.clone();
        use_effect_with(value, move |value| {
            if let (Some(select), Some(value)) = (node.cast::<web_sys::HtmlSelectElement>(), value) {
                select.set_value(value);
            }
        });
    }
    (node, attribute)
}

/// A callback that dispatches one fixed action when called.
pub fn send<E, P: Look>(dispatch: &Callback<Action<P>>, action: Action<P>) -> Callback<E> {
    let d = dispatch.clone();
    Callback::from(move |_| d.emit(action.clone()))
}

/// The numbers in increasing order, each once. Built by binary search and insertion, not by sorting: the page's
/// lists are short, and a sort would cost the download 1.3 KB (the standard library's quicksort, monomorphized).
pub fn sorted_set(items: impl IntoIterator<Item = u64>) -> Vec<u64> {
    let mut v = Vec::new();
    for k in items {
        if let Err(i) = v.binary_search(&k) {
            v.insert(i, k);
        }
    }
    v
}

/// Node ids as "0, 1, 2", or "none".
pub fn node_list(nodes: impl IntoIterator<Item = paxos_core::NodeId>) -> String {
    let v: Vec<String> = nodes.into_iter().map(|n| n.to_string()).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// "acceptor 2" or "acceptors 0, 1": `word` for the nodes listed, singular for one (plural for none: "acceptors
/// none").
pub fn named(word: &str, nodes: impl IntoIterator<Item = paxos_core::NodeId>) -> String {
    let v: Vec<paxos_core::NodeId> = nodes.into_iter().collect();
    format!("{word}{} {}", if v.len() == 1 { "" } else { "s" }, node_list(v))
}

/// "1 slot", "2 slots", "0 messages": a count and its noun (made plural with an s).
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The message a click landed on, from the nearest element with a `data-msg` attribute (the drawing's messages and
/// the diagram's arrows both carry one).
pub fn clicked_message(e: &MouseEvent) -> Option<paxos_sim::MsgId> {
    let el: web_sys::Element = e.target_dyn_into()?;
    let g = el.closest("[data-msg]").ok()??;
    g.get_attribute("data-msg")?.strip_prefix('m')?.parse().ok().map(paxos_sim::MsgId)
}

/// A panel's short labelled text field (the Network and Run forms), bound to `value` and described by the panel's
/// error line (`error`, an element id before the playground's prefix); `mode` is the keyboard a phone shows and
/// `hint` the placeholder.
pub fn knob<P: Look>(
    s: &AppState<P>,
    (id, label): (&'static str, &'static str),
    value: &UseStateHandle<String>,
    (mode, hint, error): (&'static str, Option<&'static str>, &'static str),
) -> Html {
    let v = value.clone();
    let oninput =
        Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
    html! {
        <div class="knob">
            <label for={s.view.id(id)}>{ label }</label>
            <input id={s.view.id(id)} type="text" inputmode={mode} size="5" placeholder={hint} value={(**value).clone()} {oninput}
                aria-describedby={s.view.id(error)} />
        </div>
    }
}

/// The browser's window, or none where there is no browser: the native server-side render of the first screen
/// (`crate::prerender`), where every call into JavaScript would panic.
pub fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use paxos_core::NodeId;

    #[test]
    fn counts_and_lists_are_singular_for_one() {
        assert_eq!(super::count(1, "slot"), "1 slot");
        assert_eq!(super::count(0, "message"), "0 messages");
        assert_eq!(super::count(3, "message"), "3 messages");
        assert_eq!(super::named("acceptor", [NodeId(2)]), "acceptor 2");
        assert_eq!(super::named("acceptor", [NodeId(0), NodeId(1)]), "acceptors 0, 1");
    }
}
