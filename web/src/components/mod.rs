//! The page's components, one per file. Each takes the reducer's state (cheap to clone: the engine and the snapshot
//! are shared) and a callback that dispatches an [`Action`](crate::state::Action).

pub mod app;
pub mod banner;
pub mod canvas;
pub mod cluster;
pub mod help;
pub mod legend;
pub mod log;
pub mod network;
pub mod outcome;
pub mod propose;
pub mod quorum;
pub mod selection;
pub mod setup;
pub mod share;
pub mod spacetime;
pub mod timeline;
pub mod toolbar;
pub mod tour;

use yew::prelude::*;

use crate::state::{Action, AppState};

/// The props most components take.
#[derive(Properties, PartialEq, Clone)]
pub struct StateProps {
    /// The reducer's state.
    pub state: AppState,
    /// Dispatches an action.
    pub dispatch: Callback<Action>,
}

/// A callback that dispatches one fixed action when called.
pub fn send<E>(dispatch: &Callback<Action>, action: Action) -> Callback<E> {
    let d = dispatch.clone();
    Callback::from(move |_| d.emit(action.clone()))
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
