//! The page's side of the protocol boundary (ARCHITECTURE.md, "The protocol boundary"): what the page needs of a
//! protocol beyond `paxos_sim::Protocol`, to draw and remember it. Everything else in the page is written once,
//! generic over `P: Look` (with Paxos as the default, so each name keeps meaning what it meant), and the Paxos page
//! instantiates it for Paxos only: no Raft code lands in its download.

use std::fmt::Debug;

use paxos_core::{NodeId, Slot, Value};
use paxos_sim::{Protocol, Violation};

pub mod paxos;
pub mod raft;

/// What the page needs of a protocol to draw and remember a run of it.
pub trait Look: Protocol {
    /// A message's kind: its colour and shape, its legend line, the diagram's filter (`arrows=`).
    type Kind: Copy + Eq + Debug + 'static;
    /// Every kind, in the legend's order (at most 16: [`crate::spacetime::Kinds`] is a bit set).
    const KINDS: &'static [Self::Kind];
    /// What the run's history remembers of the protocol's own decisions, beyond the log every protocol shares
    /// (Paxos: each ballot's story and each proposal's fate, for the quorum overlay and the chip's Why?).
    type Notes: Clone + Debug + Default + PartialEq;

    /// A message's kind.
    fn kind_of(m: &Self::Msg) -> Self::Kind;
    /// A kind's name, as the CLI spells it (`prepare`, `append_entries`).
    fn kind_name(k: Self::Kind) -> &'static str;
    /// The value a message carries, which it is drawn with in that value's colour; `None` for one that carries
    /// none (or several).
    fn carried_value(m: &Self::Msg) -> Option<&Value>;
    /// A transaction ID a node handed out: the slot and the ID.
    fn allocated(e: &Self::Event) -> Option<(Slot, u64)>;
    /// Remembers a node's decision.
    fn note(notes: &mut Self::Notes, node: NodeId, e: &Self::Event);
    /// Remembers a person's command (Paxos: the values proposed, whose fate a duel's chip tells).
    fn note_command(notes: &mut Self::Notes, c: &paxos_sim::Command);
    /// Remembers a violation; the slot and round of a second value it reports decided, if it reports one.
    fn note_violation(notes: &mut Self::Notes, v: &Violation<Self>) -> Option<(Slot, Self::Round)>;
}
