//! Where to start: on a fresh page (no scenario, nothing proposed) a short prompt over the drawing says what Paxos is
//! for and offers one thing to do first, proposing a value, or the guided tour. It goes once something is proposed
//! or a scenario opens.

use paxos_core::{Bugs, NodeId, Value};
use yew::prelude::*;

use crate::state::Action;
use crate::tour::PAXOS_IS_FOR;

/// The value the prompt proposes: the Propose form's example, so the first value drawn is the one the form suggests.
pub const FIRST_VALUE: &str = "blue";

/// The prompt's properties.
#[derive(Properties, PartialEq)]
pub struct StartProps {
    /// The node a proposal goes to (the Propose form's automatic choice), if any is up.
    pub node: Option<NodeId>,
    /// Prefix of element ids.
    pub ids: String,
    /// Dispatches an action.
    pub dispatch: Callback<Action>,
}

/// The prompt.
#[component]
pub fn StartHere(props: &StartProps) -> Html {
    let d = &props.dispatch;
    let propose = props.node.map(|node| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::Propose { node, value: Value::text(FIRST_VALUE) });
            d.emit(Action::Play);
        })
    });
    let tour = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::OpenScenario { index: 0, guided: true, what_if: Bugs::default() })
        })
    };
    let title = props
        .node
        .map(|n| format!("Node {n} proposes {FIRST_VALUE} and the run plays; the Propose form takes any value"));
    html! {
        <div class="start-here" role="group" aria-labelledby={format!("{}start-words", props.ids)}>
            <p id={format!("{}start-words", props.ids)}>{ PAXOS_IS_FOR }{" Propose a value, or take the tour."}</p>
            <div class="row">
                <button type="button" class="primary" id={format!("{}start-propose", props.ids)} {title}
                    disabled={propose.is_none()} onclick={propose.unwrap_or_default()}>{"Propose a value"}</button>
                <button type="button" id={format!("{}start-tour", props.ids)} onclick={tour}>{"Take the tour"}</button>
            </div>
        </div>
    }
}
