//! Where to start: on a fresh page (no scenario, nothing proposed) a short prompt over the drawing says what Paxos is
//! for and offers one thing to do first, proposing a value, or the guided tour. It goes once something is proposed
//! or a scenario opens. (A function, not a component: it has no state of its own, and a component's machinery cost
//! the page's download a kilobyte.)

use paxos_core::{NodeId, Value};
use yew::prelude::*;

use super::send;
use crate::protocol::Look;
use crate::state::Action;

/// The value the prompt proposes: the Propose form's example, so the first value drawn is the one the form suggests.
pub const FIRST_VALUE: &str = "blue";

/// The prompt, for a playground whose element ids begin with `ids`: "Propose a value" asks `node` (the Propose
/// form's automatic choice; none when every node is down) to propose [`FIRST_VALUE`] and plays.
pub fn start_here<P: Look>(ids: &str, node: Option<NodeId>, d: &Callback<Action<P>>) -> Html {
    let propose = node.map(|node| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::Propose { node, value: Value::text(FIRST_VALUE) });
            d.emit(Action::Play);
        })
    });
    let words = format!("{ids}start-words");
    html! {
        <div class="start-here" role="group" aria-labelledby={words.clone()}>
            <p id={words}>{ P::IS_FOR }{" Propose a value, or take the tour."}</p>
            <div class="row">
                <button type="button" class="primary" id={format!("{ids}start-propose")} disabled={propose.is_none()}
                    onclick={propose.unwrap_or_default()}>{"Propose a value"}</button>
                <button type="button" id={format!("{ids}take-tour")}
                    onclick={send(d, Action::OpenScenario { index: 0, guided: true, what_if: P::Bugs::default() })}>{"Take the tour"}</button>
            </div>
        </div>
    }
}
