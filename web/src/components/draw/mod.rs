//! The components' side of the protocol boundary (ARCHITECTURE.md, "The protocol boundary"): what only a protocol
//! knows how to draw (a node's inside and its words, the inspector's rows, the legend, the panels only it has).
//! Every component is written once, generic over `P: Draw`; these hooks are the only places a protocol's own state is
//! drawn. (`crate::protocol::Look` holds what the plain-Rust modules need; this holds what needs Yew.)

use paxos_core::NodeId;
use paxos_sim::snapshot::NodeView;
use yew::{Callback, Html};

use crate::components::banner::Line;
use crate::components::cluster::Layer;
use crate::input::Settings;
use crate::protocol::Look;
use crate::state::{Action, AppState};

pub mod paxos;
pub mod raft;

/// Whether a message stands out while the chip's explanation is open.
pub type Why<P> = Box<dyn Fn(&<P as paxos_sim::Protocol>::Msg, NodeId, NodeId) -> bool>;

/// What the components need of a protocol to draw it.
pub trait Draw: Look {
    /// The page's title.
    const TITLE: &'static str;
    /// How to read the drawing, in one paragraph (the full page's first screen).
    const HOW_TO_READ: &'static str;
    /// The link to the other protocol's playground: its words, its address (relative) and its tooltip.
    const OTHER: (&'static str, &'static str, &'static str);
    /// A kind that carries a value: the legend's example of the value dot and of a lost message.
    const CARRIER: Self::Kind;
    /// The kinds a run with these settings sends, in the legend's order.
    fn legend_kinds(s: &Settings<Self>) -> Vec<Self::Kind>;
    /// The legend's words of the protocol (`ballot`, `term`…), before those every protocol shares.
    fn legend_words(s: &Settings<Self>) -> Html;
    /// The side panels only this protocol has (Paxos: the quorum panel and the outcome), each shown if `shows` it.
    fn panels(s: &AppState<Self>, d: &Callback<Action<Self>>, shows: &dyn Fn(&str) -> bool) -> Html;
    /// The status chip's key words and its explanation (see `banner::lines`, Paxos's).
    fn status(s: &AppState<Self>, no_quorum: bool) -> (Vec<Line>, Vec<Line>);
    /// The drawing's nodes (their discs, what is drawn on and beside them) and what is drawn in the ring's middle.
    fn nodes(s: &AppState<Self>, layer: &Layer) -> Html;
    /// What is drawn under the ring, if anything (Raft: the log strips). `proposed`: the run's values, in order.
    fn beneath(_s: &AppState<Self>, _proposed: &[paxos_core::Value]) -> Html {
        Html::default()
    }
    /// A node's accessible name, with all that is drawn on and beside it: "Node 1, up, leader, …".
    fn node_label(s: &AppState<Self>, n: &NodeView<Self>) -> String;
    /// A node's whole state: what the inspector and the node's popover show.
    fn node_details(s: &AppState<Self>, id: NodeId) -> Html;
    /// Whether a person can propose a value at this node (Paxos: a proposer; Raft: any node, which forwards it).
    fn takes_proposals(n: &NodeView<Self>) -> bool;
    /// Which messages (by message, sender and receiver) the chip's explanation highlights, in the drawing and the
    /// diagram (Paxos: those that made the value chosen, while it is open).
    fn why(s: &AppState<Self>) -> Why<Self>;
}
