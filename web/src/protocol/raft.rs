//! How the page draws and remembers Raft.

use paxos_core::Mode;
use paxos_core::{NodeId, Slot, Value};
use paxos_sim::snapshot::NodeView;
use paxos_sim::{Raft, SimConfig, Violation};
use raft_core::{EntryId, Msg, MsgKind, NodeEvent, Refusal, Term};

use super::Look;

/// How many of each kind of note Raft keeps (the newest).
pub const NOTES: usize = 32;

/// A vote refused because the candidate's log was behind the voter's (Raft's up-to-date check, §5.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Behind {
    /// When.
    pub time: u64,
    /// The node that refused.
    pub voter: NodeId,
    /// The candidate refused.
    pub candidate: NodeId,
    /// The candidate's term.
    pub term: Term,
    /// The voter's last entry.
    pub mine: EntryId,
    /// The candidate's last entry (none: an empty log).
    pub theirs: Option<EntryId>,
}

/// A follower deleting its entries from `from` on, which conflicted with its leader's (AppendEntries' repair).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Truncation {
    /// When.
    pub time: u64,
    /// The follower.
    pub node: NodeId,
    /// The first slot deleted.
    pub from: Slot,
    /// How many entries.
    pub removed: u64,
}

/// What a Raft run's history remembers of its nodes' decisions (see [`Look::Notes`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RaftNotes {
    /// The newest [`NOTES`] votes refused for a log behind, oldest first.
    pub behind: Vec<Behind>,
    /// The newest [`NOTES`] repairs, oldest first.
    pub truncated: Vec<Truncation>,
}

fn keep<T>(v: &mut Vec<T>, x: T) {
    if v.len() >= NOTES {
        v.remove(0);
    }
    v.push(x);
}
use crate::geometry::KindStyle;
use crate::input::{Settings, MAX_NODES, MIN_NODES};

impl Look for Raft {
    type Bugs = raft_core::Bugs;

    fn has_bug(bugs: raft_core::Bugs, bug: raft_core::Bug) -> bool {
        bugs.has(bug)
    }

    fn set_bug(bugs: raft_core::Bugs, bug: raft_core::Bug, on: bool) -> raft_core::Bugs {
        bugs.set(bug, on)
    }

    fn bugs_of(c: &raft_core::Config) -> raft_core::Bugs {
        c.bugs
    }

    /// Raft on the page's clock: Multi-Paxos's tick and timers (`raft_core::Config::timing` is paxos-core's), so
    /// both protocols run at the same pace under the same latency.
    fn sim_config(s: &Settings<Raft>) -> Result<SimConfig<Raft>, String> {
        if !(MIN_NODES..=MAX_NODES).contains(&s.nodes) {
            return Err(format!("The cluster must have {MIN_NODES} to {MAX_NODES} nodes."));
        }
        let mut cluster = raft_core::Config::new(s.nodes);
        cluster.bugs = s.bugs;
        let cfg = SimConfig {
            cluster,
            latency: s.latency,
            faults: s.faults,
            tick_every: SimConfig::<paxos_sim::Paxos>::new(Mode::Multi, 1).tick_every,
            stop_on_violation: false,
        };
        cfg.validate().map_err(|e| format!("Impossible configuration: {e}."))?;
        Ok(cfg)
    }

    fn settings_of(seed: u64, c: &SimConfig<Raft>) -> Settings<Raft> {
        Settings {
            seed,
            nodes: c.cluster.nodes.clamp(MIN_NODES, MAX_NODES),
            mode: Mode::Multi,
            bugs: c.cluster.bugs,
            latency: c.latency,
            faults: c.faults,
            ..Settings::default()
        }
    }

    fn keeps_a_log(_: &Settings<Raft>) -> bool {
        true
    }

    /// A live Raft node always has a timer that acts: an election timeout (drawn at its first tick), or a leader's
    /// heartbeat.
    fn quiet(_: &NodeView<Raft>, _: &Settings<Raft>) -> bool {
        false
    }

    fn fresh(n: &NodeView<Raft>) -> bool {
        n.term.0 == 0 && n.log.is_empty()
    }

    const ROUND: &'static str = "term";
    const PROTOCOL: &'static str = "Raft";
    const IS_FOR: &'static str =
        "Raft gets a cluster to agree on one log despite crashes and lost messages: Multi-Paxos, with elections by term.";
    const RECAP: &'static str = "an election is Paxos's phase 1, and a vote a promise; a node votes only for a \
        candidate whose log is at least as up to date as its own, where Paxos would adopt the highest accepted value; \
        AppendEntries is phase 2 for a run of slots, and a leader repairs a follower's log where Multi-Paxos fills a \
        gap; and a leader counts replicas only for an entry of its own term.";

    const PAXOS_KNOBS: bool = false;
    const PROPOSE_HINT: &'static str =
        "Any node takes a value: a follower forwards it to the leader it knows, which appends it to its log.";
    const TXN_WORDS: &'static str = "each node hands out IDs in log order as entries commit.";
    const MEMBERSHIP: Option<&'static str> = Some(
        "One server at a time: a configuration entry takes effect on each server as soon as it is in its log, and the \
         leader starts no other change until it commits, so the old and new majorities always share a server.",
    );

    fn bug_explanation(b: raft_core::Bug) -> &'static str {
        use raft_core::Bug;
        match b {
            Bug::CommitOldTerm => "a leader counts replicas of an older term's entry and commits it (Figure 8)",
            Bug::ForgetVote => "a restarted node forgets whom it voted for, and may vote twice in one term",
            Bug::NoLogCheck => "a node votes for a candidate whatever its log: a leader may lack a committed entry",
            Bug::ChangeTwoAtOnce => {
                "a leader takes a second membership change before the first commits: two majorities need not meet"
            }
        }
    }

    fn what_if_words(b: raft_core::Bug) -> &'static str {
        use raft_core::Bug;
        match b {
            Bug::CommitOldTerm => "leaders commit old terms' entries by counting",
            Bug::ForgetVote => "nodes forget their vote on restart",
            Bug::NoLogCheck => "voters skip the up-to-date check",
            Bug::ChangeTwoAtOnce => "leaders take a second membership change before the first commits",
        }
    }
    type Kind = MsgKind;
    const KINDS: &'static [MsgKind] = &MsgKind::ALL;
    /// What Compare names where Raft differs from Multi-Paxos: votes refused to a candidate whose log was behind,
    /// and a follower's conflicting entries deleted (its node views hold the rest of its state).
    type Notes = RaftNotes;

    fn kind_of(m: &Msg) -> MsgKind {
        m.kind()
    }

    /// Each in the colour and shape of the Paxos message that does its work.
    fn style(k: MsgKind) -> KindStyle {
        let paxos = |p| crate::geometry::kind_style(p);
        let (like, meaning) = match k {
            MsgKind::RequestVote => (
                paxos_core::MsgKind::Prepare,
                "vote for me in this term (phase 1a), if my log is as up to date as yours",
            ),
            MsgKind::Vote => (paxos_core::MsgKind::Promise, "granted or refused (phase 1b): one vote per term"),
            MsgKind::AppendEntries => {
                (paxos_core::MsgKind::Accept, "store these entries after this one (phase 2a); empty, a heartbeat")
            }
            MsgKind::AppendReply => {
                (paxos_core::MsgKind::Accepted, "stored up to here (phase 2b), or refused: back off")
            }
            MsgKind::Propose => (paxos_core::MsgKind::Propose, "client value forwarded to leader"),
        };
        KindStyle { meaning, ..paxos(like) }
    }

    fn kind_name(k: MsgKind) -> &'static str {
        k.name()
    }

    /// A forwarded client value, and the value of an AppendEntries that carries exactly one entry.
    fn carried_value(m: &Msg) -> Option<&Value> {
        match m {
            Msg::Propose { value } => Some(value),
            Msg::AppendEntries { entries, .. } if entries.len() == 1 => Some(&entries[0].value),
            _ => None,
        }
    }

    fn allocated(e: &NodeEvent) -> Option<(Slot, u64)> {
        match e {
            NodeEvent::Allocated { slot, id, .. } => Some((*slot, *id)),
            _ => None,
        }
    }

    fn note(n: &mut RaftNotes, node: NodeId, e: &NodeEvent, time: u64) {
        match e {
            NodeEvent::Refused { term, candidate, reason: Refusal::LogBehind { mine, theirs } } => {
                keep(
                    &mut n.behind,
                    Behind { time, voter: node, candidate: *candidate, term: *term, mine: *mine, theirs: *theirs },
                );
            }
            NodeEvent::Truncated { from, removed } => {
                keep(&mut n.truncated, Truncation { time, node, from: *from, removed: *removed });
            }
            _ => {}
        }
    }

    fn note_command(_: &mut RaftNotes, _: &paxos_sim::Command) {}

    fn note_violation(_: &mut RaftNotes, _: &Violation<Raft>) -> Option<(Slot, Term)> {
        None
    }
}
