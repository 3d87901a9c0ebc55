//! The page's side of the protocol boundary (ARCHITECTURE.md, "The protocol boundary"): what the page needs of a
//! protocol beyond `paxos_sim::Protocol`, to draw and remember it. Everything else in the page is written once,
//! generic over `P: Look` (with Paxos as the default, so each name keeps meaning what it meant), and the Paxos page
//! instantiates it for Paxos only: no Raft code lands in its download.

use std::fmt::Debug;

use paxos_core::{NodeId, Slot, Value};
use paxos_sim::snapshot::NodeView;
use paxos_sim::{Protocol, SimConfig, Violation};

use crate::input::Settings;

pub mod paxos;
pub mod raft;

/// What the page needs of a protocol to draw and remember a run of it.
pub trait Look: Protocol + Clone + Copy + PartialEq + Debug + Default + 'static {
    /// The protocol's name for people: "Paxos", "Raft".
    const PROTOCOL: &'static str;
    /// What the protocol is for, in one sentence: the fresh page's prompt and the guided tour's first words.
    const IS_FOR: &'static str;
    /// What its tour taught, said when the tour's last stage has played.
    const RECAP: &'static str;
    /// What the What if menu says for a bug ("What if … acceptors forget on restart"): short enough for the menu.
    fn what_if_words(b: Self::Bug) -> &'static str;
    /// The Propose form's hint.
    const PROPOSE_HINT: &'static str;
    /// How a membership change takes effect, in one sentence (the Membership controls' hint), or `None` where the
    /// page offers no membership change for the protocol.
    const MEMBERSHIP: Option<&'static str>;
    /// Who hands out the transaction-client's IDs, and when (after "Client 1 asks for the next transaction ID; ").
    const TXN_WORDS: &'static str;
    /// What a bug breaks, for its switch's label.
    fn bug_explanation(b: Self::Bug) -> &'static str;
    /// Whether the Run form shows Paxos's mode and quorum sizes.
    const PAXOS_KNOBS: bool;
    /// What the protocol calls a round, in words: "ballot", "term".
    const ROUND: &'static str;
    /// A message's kind: its colour and shape, its legend line, the diagram's filter (`arrows=`).
    type Kind: Copy + Eq + Debug + 'static;
    /// Every kind, in the legend's order (at most 16: [`crate::spacetime::Kinds`] is a bit set).
    const KINDS: &'static [Self::Kind];
    /// What the run's history remembers of the protocol's own decisions, beyond the log every protocol shares
    /// (Paxos: each ballot's story and each proposal's fate, for the quorum overlay and the chip's Why?).
    type Notes: Clone + Debug + Default + PartialEq;

    /// A message's kind.
    fn kind_of(m: &Self::Msg) -> Self::Kind;
    /// How a kind is drawn: colour, marker shape and the legend's words. A kind doing what one of Paxos's does has
    /// its colour and shape (Raft's RequestVote is a prepare's blue circle), so the two protocols read alike.
    fn style(k: Self::Kind) -> crate::geometry::KindStyle;
    /// A kind's name, as the CLI spells it (`prepare`, `append_entries`).
    fn kind_name(k: Self::Kind) -> &'static str;
    /// The value a message carries, which it is drawn with in that value's colour; `None` for one that carries
    /// none (or several).
    fn carried_value(m: &Self::Msg) -> Option<&Value>;
    /// A transaction ID a node handed out: the slot and the ID.
    fn allocated(e: &Self::Event) -> Option<(Slot, u64)>;
    /// Remembers a node's decision, made at simulated time `time`.
    fn note(notes: &mut Self::Notes, node: NodeId, e: &Self::Event, time: u64);
    /// Remembers a person's command (Paxos: the values proposed, whose fate a duel's chip tells).
    fn note_command(notes: &mut Self::Notes, c: &paxos_sim::Command);
    /// Remembers a violation; the slot and round of a second value it reports decided, if it reports one.
    fn note_violation(notes: &mut Self::Notes, v: &Violation<Self>) -> Option<(Slot, Self::Round)>;

    /// The protocol's set of teaching bugs (the Run form's and What if's).
    type Bugs: Copy + Default + Eq + Debug + 'static;
    /// Whether `bug` is in the set.
    fn has_bug(bugs: Self::Bugs, bug: Self::Bug) -> bool;
    /// The set with `bug` switched on or off.
    fn set_bug(bugs: Self::Bugs, bug: Self::Bug, on: bool) -> Self::Bugs;
    /// The bugs a configuration runs with.
    fn bugs_of(c: &Self::Config) -> Self::Bugs;
    /// The simulator configuration the Run form's settings describe, or why it is impossible.
    fn sim_config(s: &Settings<Self>) -> Result<SimConfig<Self>, String>;
    /// The form's view of a configuration (the nearest settings the form can show).
    fn settings_of(seed: u64, c: &SimConfig<Self>) -> Settings<Self>;
    /// Whether the run keeps a log the steady client can fill (Multi-Paxos, Raft).
    fn keeps_a_log(s: &Settings<Self>) -> bool;
    /// Whether a live node would do nothing when time runs (no timer that does anything armed): a run of such nodes
    /// with nothing in flight is idle.
    fn quiet(n: &NodeView<Self>, s: &Settings<Self>) -> bool;
    /// Whether a node has done nothing yet (no round, nothing stored): "propose a value first".
    fn fresh(n: &NodeView<Self>) -> bool;
}

/// The names of the bugs in `bugs`, in the protocol's order.
pub fn bug_names<P: Look>(bugs: P::Bugs) -> Vec<&'static str> {
    P::bugs().iter().filter(|(b, _)| P::has_bug(bugs, *b)).map(|(_, name)| *name).collect()
}
