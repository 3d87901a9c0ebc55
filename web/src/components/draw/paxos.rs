//! How the components draw Paxos: the hooks call the Paxos functions of the components themselves.

use paxos_core::MsgKind;
use paxos_core::NodeId;
use paxos_sim::snapshot::NodeView;
use paxos_sim::Paxos;
use yew::prelude::*;

use super::{Draw, Why};
use crate::components::banner::{self, Line};
use crate::components::cluster::{self, Layer};
use crate::components::legend;
use crate::components::outcome::Outcome;
use crate::components::quorum::QuorumPanel;
use crate::components::selection;
use crate::explain::{learned_unbacked, made_chosen, quorums, slot_of};
use crate::input::Settings;
use crate::state::{Action, AppState};

impl Draw for Paxos {
    const TITLE: &'static str = "Paxos playground";
    const HOW_TO_READ: &'static str = "circles are nodes, each a proposer, an acceptor and a learner (♛ the leader); inside each, the ballot it promised (round.node: higher wins); a pill in a value's colour is what it accepted, a ✓ what it learned, a pink arc on its edge its timer running down; the middle of the ring shows what was chosen. ";
    const CARRIER: MsgKind = MsgKind::Accept;
    const OTHER: (&'static str, &'static str, &'static str) =
        ("Raft", "?protocol=raft", "The same playground running Raft: Multi-Paxos with elections by term");

    fn legend_kinds(s: &Settings) -> Vec<MsgKind> {
        legend::kinds_of(s.mode).to_vec()
    }

    fn legend_words(s: &Settings) -> Html {
        legend::paxos_words(s.mode)
    }

    fn panels(s: &AppState, d: &Callback<Action>, shows: &dyn Fn(&str) -> bool) -> Html {
        html! {
            <>
                if shows("quorum") { <QuorumPanel state={s.clone()} dispatch={d.clone()} /> }
                if shows("outcome") { <Outcome state={s.clone()} dispatch={d.clone()} /> }
            </>
        }
    }

    fn status(s: &AppState, no_quorum: bool) -> (Vec<Line>, Vec<Line>) {
        banner::lines(s, no_quorum)
    }

    fn nodes(s: &AppState, layer: &Layer) -> Html {
        cluster::paxos_nodes(s, layer)
    }

    fn node_label(s: &AppState, n: &NodeView) -> String {
        let mode = s.run.settings.mode;
        cluster::node_label(n, mode, learned_unbacked(&s.run.snap, n, mode))
    }

    fn node_details(s: &AppState, id: NodeId) -> Html {
        selection::node_details(s, id)
    }

    fn takes_proposals(n: &NodeView) -> bool {
        n.roles.proposer
    }

    fn why(s: &AppState) -> Why<Paxos> {
        let snap = &s.run.snap;
        if !s.view.explain {
            return Box::new(|_, _, _| false);
        }
        let quorums = quorums(snap, slot_of(snap, s.run.settings.mode));
        Box::new(move |m, from, to| made_chosen(m, from, to, &quorums))
    }
}
