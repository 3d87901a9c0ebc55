//! The protocol boundary: what the simulator, the checker's machinery, the explorer and the page need of a consensus
//! protocol, and nothing more. Shared code is generic over [`Protocol`] (with `Paxos` as the default, so every name
//! keeps meaning what it meant); what differs between protocols lives in `protocol/<name>/`, which will be the only
//! modules that name a core once every shared module is generic. See ARCHITECTURE.md, "The protocol boundary".

use std::fmt::{Debug, Display};
use std::hash::Hash;
use std::sync::Arc;

use paxos_core::{Log, NodeId, NodeSet, Slot, Value};
use rand_core::RngCore;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::checker::{Checker, Chosen, Verdict, Violation};
use crate::explore::ExploreOptions;
use crate::goal::Term;
use crate::link::{LinkError, Reader, Writer};
use crate::settings::{ClusterSettings, SettingError};
use crate::sim::{SimError, Simulator};
use crate::snapshot::Standing;

pub mod ledger;
pub mod paxos;
pub mod raft;

pub use paxos::Paxos;
pub use raft::Raft;

/// Every protocol's name, as `protocol=` (scripts, the page's options) and `--protocol` spell it.
pub const PROTOCOLS: [&str; 2] = [Paxos::NAME, Raft::NAME];

/// A consensus protocol the simulator runs: a marker type whose associated types are its core's, and whose functions
/// delegate to it. Every function is static (no `self`), so a generic caller is monomorphized and pays nothing for
/// the boundary.
pub trait Protocol: Copy + Debug + Default + PartialEq + Eq + PartialOrd + Ord + Hash + Send + Sync + 'static {
    /// The protocol's name as links, traces, scripts and addresses spell it: "paxos", "raft".
    const NAME: &'static str;
    /// The word for a value decided in a slot, as the meter says it ("chosen" in Paxos, "committed" in Raft).
    const DECIDED: &'static str = "chosen";
    /// The protocol's byte in a link of version 2 and later (`link::LINK_VERSION`): 0 Paxos, 1 Raft.
    const CODE: u8;
    /// The cluster's configuration, as a run's `SimConfig` carries it.
    type Config: Clone + PartialEq + Debug + Serialize + DeserializeOwned;
    /// The validated configuration, shared by the nodes through an `Arc`.
    type Cluster: Clone + Debug;
    /// One node's state machine.
    type Node: Clone + Eq + Hash + Debug;
    /// A message.
    type Msg: Clone + Eq + Ord + Hash + Debug + Display + Serialize + DeserializeOwned;
    /// A message with its sender and receiver, as the node hands it out (serialized as `from`, `to`, `msg`).
    type Envelope: Clone + Eq + Ord + Hash + Debug + Serialize + DeserializeOwned;
    /// A node's decision, as the checker judges it and the event log shows it.
    type Event: Clone + Eq + Hash + Debug + Serialize + DeserializeOwned;
    /// A teaching bug.
    type Bug: Copy + Eq + Ord + Debug + 'static;
    /// What a value is chosen in and a leader leads in: Paxos's ballot, Raft's term.
    type Round: Copy + Ord + Hash + Debug + Display + Serialize + DeserializeOwned + Send + Sync;
    /// The protocol's half of the checker.
    type Judge: Judge<Self>;
    /// What the page draws of a node beyond what every protocol shares.
    type View: Clone + Debug + PartialEq + Eq + Serialize;

    /// The number of nodes the configuration asks for (checked against the limits before anything else).
    fn size(c: &Self::Config) -> usize;
    /// Checks the protocol's part of a configuration (its timers, its own rules) and derives the cluster.
    fn validate(c: &Self::Config) -> Result<Arc<Self::Cluster>, SimError>;
    /// A fresh node.
    fn node(id: NodeId, c: &Arc<Self::Cluster>) -> Self::Node;
    /// The node's id.
    fn id(n: &Self::Node) -> NodeId;
    /// Delivers one message.
    fn step(n: &mut Self::Node, from: NodeId, m: Self::Msg, rng: &mut impl RngCore);
    /// One clock tick.
    fn tick(n: &mut Self::Node, rng: &mut impl RngCore);
    /// A client request at this node.
    fn propose(n: &mut Self::Node, v: Value) -> Result<(), SimError>;
    /// Restarts a crashed node from its durable state; whether a bug made it forget that state.
    fn restart(n: &mut Self::Node) -> bool;
    /// Hands out the messages and events the node produced since the last call (swapping buffers: no allocation).
    fn outputs(n: &mut Self::Node, out: &mut Vec<Self::Envelope>, ev: &mut Vec<Self::Event>);
    /// An envelope's sender, receiver and message.
    fn parts(e: &Self::Envelope) -> (NodeId, NodeId, &Self::Msg);
    /// An envelope taken apart.
    fn open(e: Self::Envelope) -> (NodeId, NodeId, Self::Msg);
    /// Whether the node believes it leads (Paxos: runs phase 2; Raft: is the leader).
    fn leads(n: &Self::Node) -> bool;
    /// The round the node runs or last ran (Paxos: its proposer's ballot; Raft: its term), if any.
    fn round(n: &Self::Node) -> Option<Self::Round>;
    /// The message's kind in one word ("prepare", "append_entries"): the page's colours, `arrows=`.
    fn kind(m: &Self::Msg) -> &'static str;
    /// A node's decision in words: the event log, transcripts, the page.
    fn words(e: &Self::Event) -> String;
    /// The value a membership change asks the leader to choose, for the acceptors `m` (the simulator's `add-node`
    /// and `remove-node`), or why the cluster changes no membership.
    fn members_value(_c: &Self::Cluster, _m: NodeSet) -> Result<Value, SimError> {
        Err(SimError::Membership("membership changes are for Multi-Paxos only"))
    }
    /// The acceptors of the first configuration.
    fn members(_c: &Self::Cluster) -> NodeSet {
        NodeSet::EMPTY
    }
    /// The configuration a membership change asked of node `at` starts from, where the protocol's nodes keep it
    /// (Raft: the latest in the leader's log, which a truncation may have reverted); `None`: the changes the
    /// simulator asked for so far (Multi-Paxos, whose configuration is chosen, never reverted).
    fn configuration(_sim: &Simulator<Self>, _at: NodeId) -> Option<NodeSet> {
        None
    }
    /// How many slots after its own a chosen configuration takes effect (Multi-Paxos's α), for the event log's
    /// words; `None`: in force at each node as soon as it is in its log (Raft).
    const CONFIG_LAG: Option<u64> = None;
    /// The cluster with one more node, which joins no configuration yet, handed to every node.
    fn grow(c: &Self::Cluster, nodes: &mut [Self::Node]) -> Arc<Self::Cluster> {
        let _ = nodes;
        Arc::new(c.clone())
    }
    /// A node's standing in the membership: a member, joining (a configuration with it is asked for, not in force),
    /// or retired.
    fn standing(_sim: &Simulator<Self>, _id: NodeId) -> Standing {
        Standing::Member
    }
    /// Every teaching bug with its name, as `bug=`, What if and `paxos bugs` spell it.
    fn bugs() -> &'static [(Self::Bug, &'static str)];
    /// The protocol's cluster from the settings people write (a script's `config` line, the CLI's flags, the page's
    /// options): nodes and bugs, and the settings only some protocols have, refused by name where they do not apply.
    fn configure(s: &ClusterSettings) -> Result<Self::Config, SettingError>;
    /// A node as the page draws it, beyond what every protocol shares (`Snapshot`'s `NodeView::detail`).
    fn view(n: &Self::Node) -> Self::View;
    /// Ticks until the node's armed timer fires (the arc on its edge); 0 when none is armed.
    fn timer(n: &Self::Node) -> u32;
    /// Switches one teaching bug on (What if: the run a scenario or a link describes, with a rule removed).
    fn enable_bug(c: &mut Self::Config, b: Self::Bug);
    /// Writes the cluster's configuration into a link (the shared network settings follow it).
    fn write_config(c: &Self::Config, w: &mut Writer);
    /// Reads what [`Protocol::write_config`] wrote.
    fn read_config(r: &mut Reader) -> Result<Self::Config, LinkError>;
    /// Makes a node event read as a trace of an older `version` wrote it (the fields that version did not have are
    /// left out), so an old trace replays to its own events.
    fn as_of_trace_version(_e: &mut Self::Event, _version: u32) {}

    // The explorer (`explore`): the cluster it searches, what of a node its futures can still read, the messages
    // none of them reads, and the one timer it lets fire.

    /// A node as the explorer compares states: two nodes with the same key send the same messages and report the
    /// same events on every delivery (and timeout), and their next states have the same key again.
    type Key: Clone + Eq + Hash + Debug;
    /// The explorer's default budget of timeouts on a path (`ExploreOptions::timeouts`): 0 for a protocol whose
    /// search lets no timer fire.
    const TIMEOUTS: u8 = 0;
    /// The cluster the explorer searches for `opts` (its `acceptors`, `proposers` and `bug`).
    fn explorer_config(opts: &ExploreOptions<Self>) -> Self::Config;
    /// The key of `n`, a node of cluster `c`.
    fn key(c: &Self::Cluster, n: &Self::Node) -> Self::Key;
    /// Whether some message can be dead in cluster `c` (whether [`Protocol::dead_to`] and
    /// [`Protocol::done_with`] can both say yes): the explorer skips the work otherwise.
    fn reduces(_c: &Self::Cluster) -> bool {
        false
    }
    /// Whether the receiver `n` will never be changed by `m` from `from`, now or in any future, nor send anything
    /// but a reply the sender may ignore ([`Protocol::done_with`]). `can_restart`: whether `n` may still restart.
    /// A message is dead, and left out of the explorer's network, when both say yes.
    fn dead_to(_c: &Self::Cluster, _n: &Self::Node, _from: NodeId, _m: &Self::Msg, _can_restart: bool) -> bool {
        false
    }
    /// Whether the sender `n` of `m` (to `to`) ignores every reply to it, now and in every future.
    fn done_with(_c: &Self::Cluster, _n: &Self::Node, _to: NodeId, _m: &Self::Msg) -> bool {
        false
    }
    /// Forgets in `checker` what no future check reads once node `n` is in the state it is (Paxos: the phase 1 of a
    /// proposer no longer preparing).
    fn settle(_c: &Self::Cluster, _checker: &mut Checker<Self>, _n: &Self::Node) {}
    /// The checker after node `n` (restarted already) restarted, as the explorer keeps it.
    fn explorer_restart(_c: &Self::Cluster, checker: &mut Checker<Self>, n: &Self::Node) -> Option<Violation<Self>> {
        checker.on_restart(0, Self::id(n), n)
    }
    /// The node's timer fires now, as ticking it until it does would (Raft: a follower or candidate campaigns);
    /// false, changing nothing, when the explorer offers no timeout to it.
    fn timeout(_n: &mut Self::Node, _rng: &mut impl RngCore) -> bool {
        false
    }

    // What a goal's `Watch` reads (`goal.rs`): the protocol's facts behind the goal words every protocol shares.

    /// The goal words that mean nothing in this protocol, each with why (`Goal::fits_for` refuses them by name).
    const NOT_GOALS: &'static [(&'static str, &'static str)] = &[];
    /// The round a node started, if `e` starts one (Paxos: a proposer's ballot; Raft: a campaign's term): `round>=N`.
    fn started_round(e: &Self::Event) -> Option<u64>;
    /// The slot and value a node took as decided, if `e` says so (Paxos: its learner learned; Raft: it committed):
    /// `learned=N`, `learners-disagree`.
    fn learned(e: &Self::Event) -> Option<(Slot, &Value)>;
    /// The value a node sends on as its own that it adopted from an earlier round, if `e` says so (Paxos: phase 1
    /// reported it): `adopted-other`. None in a protocol without such a step.
    fn adopted(_e: &Self::Event) -> Option<&Value> {
        None
    }
    /// Whether nothing can be decided while the cluster stays as it is (no live node reaches a quorum both ways):
    /// `no-quorum`, and the page's banner.
    fn no_quorum(sim: &Simulator<Self>) -> bool;
    /// Whether live node `node` reaches a quorum both ways (the meter's "leader isolated" when it leads and does not).
    fn reaches_quorum(sim: &Simulator<Self>, node: NodeId) -> bool;
    /// A stall's cause when `rounds` rounds started since a value was last chosen, in the protocol's words
    /// (`meter::Stall::words`): Paxos's dueling proposers, Raft's split votes.
    fn dueling_words(rounds: u32) -> String;
    /// A goal term in this protocol's words, where they differ from Paxos's ([`Term::describe`]): Raft commits.
    fn goal_words(_t: &Term) -> Option<String> {
        None
    }
    /// The source of this protocol's built-in exercises (`exercise.rs`'s format), each starting a run of it:
    /// `exercise::all_of` reads it. Its own file per protocol, beside this crate.
    const EXERCISES: &'static str = "";
}

/// A protocol's safety rules, each named for reports and described for people.
pub trait RuleSet: Copy + Eq + Ord + Hash + Debug + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The rule's name as reports and traces spell it.
    fn name(self) -> &'static str;
    /// The rule's name for people.
    fn title(self) -> &'static str;
    /// The rule itself, in one sentence for people.
    fn description(self) -> &'static str;
    /// Every rule (a goal's `broken=R` reads any protocol's by name).
    const ALL: &'static [Self];
    /// The rule that at most one value is decided in a slot (Paxos's agreement, Raft's State Machine Safety): a goal's
    /// `two-chosen`.
    const AGREEMENT: Self;
}

/// The rule named `name` in any protocol (the first protocol's, where two share a name): its name and title. A
/// goal's `broken=R` is read before its run's protocol is known.
pub fn any_rule(name: &str) -> Option<(&'static str, &'static str)> {
    fn find<R: RuleSet>(name: &str) -> Option<(&'static str, &'static str)> {
        R::ALL.iter().find(|r| r.name() == name).map(|r| (r.name(), r.title()))
    }
    find::<RuleOf<Paxos>>(name).or_else(|| find::<RuleOf<Raft>>(name))
}

/// Every protocol's rules by name, each once, in the protocols' order.
pub fn every_rule_name() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = RuleOf::<Paxos>::ALL.iter().map(|r| r.name()).collect();
    for r in RuleOf::<Raft>::ALL {
        if !names.contains(&r.name()) {
            names.push(r.name());
        }
    }
    names
}

/// The names of the protocols whose rules include `name`.
pub fn protocols_with_rule(name: &str) -> Vec<&'static str> {
    fn has<P: Protocol>(name: &str) -> bool {
        RuleOf::<P>::ALL.iter().any(|r| r.name() == name)
    }
    [(Paxos::NAME, has::<Paxos>(name)), (Raft::NAME, has::<Raft>(name))]
        .into_iter()
        .filter_map(|(p, yes)| yes.then_some(p))
        .collect()
}

/// The names of the protocols in which goal word `word` means something.
pub fn protocols_with_goal(word: &str) -> Vec<&'static str> {
    [(Paxos::NAME, Paxos::NOT_GOALS), (Raft::NAME, Raft::NOT_GOALS)]
        .into_iter()
        .filter_map(|(p, not)| (!not.iter().any(|(w, _)| *w == word)).then_some(p))
        .collect()
}

/// The rules of protocol `P`.
pub type RuleOf<P> = <<P as Protocol>::Judge as Judge<P>>::Rule;

/// The protocol's half of the checker: it judges each node event, and each delivered message, against what it has
/// seen, and says what is chosen. It is `Clone + Eq + Hash` because the explorer carries it in each state.
pub trait Judge<P: Protocol>: Clone + Debug + Eq + Hash {
    /// The protocol's rules.
    type Rule: RuleSet;
    /// A judge for one cluster, with nothing seen yet.
    fn new(c: &P::Cluster) -> Self;
    /// The values chosen so far, per slot.
    fn chosen(&self) -> &Log<Chosen<P>>;
    /// The values chosen in a slot after a different one was (each broke agreement), in the order they were chosen.
    fn also_chosen(&self) -> &[(Slot, Chosen<P>)];
    /// A client proposed `v` (for validity).
    fn on_propose(&mut self, v: &Value);
    /// A message is about to be delivered (before the receiver steps).
    fn on_deliver(&mut self, from: NodeId, to: NodeId, m: &P::Msg);
    /// One decision of `node`: the value it made chosen, if any, and the rules it broke, in the order they broke.
    fn on_event(&mut self, step: u64, node: NodeId, e: &P::Event) -> Verdict<P>;
    /// A node restarted and is now `n`.
    fn on_restart(&mut self, step: u64, id: NodeId, n: &P::Node) -> Option<Violation<P>>;
    /// The judge as the explorer compares states: without what no later check reads.
    fn explorer_key(&self) -> Self;
    /// The rule a teaching bug removes.
    fn broken_by(b: P::Bug) -> Self::Rule;
    /// A node joined the cluster.
    fn grow(&mut self) {}
}
