//! What the UI remembers about the run beyond the current snapshot: the event log in the CLI's words, what happened
//! to each ballot (for the quorum overlay), the transaction IDs learners handed out, and when the clock last ticked.
//! It reads the simulator's recorded events incrementally. Plain Rust, tested natively.

use std::collections::VecDeque;

use litemap::LiteMap;

use paxos_core::{NodeId, NodeSet, Slot};
use paxos_sim::describe::Describer;
use paxos_sim::{Event, EventKind, Paxos};

use crate::protocol::Look;
use crate::spacetime::Diagram;

pub use crate::protocol::paxos::{Abandoned, BallotStory, PaxosNotes, PROPOSALS};

/// How many log lines are kept; older ones scroll away (the simulator still records everything).
pub const LOG_CAPACITY: usize = 1000;
/// How many chosen moments are kept (a single-decree run has one or two; a Multi-Paxos run explains its newest).
pub const CHOSEN_MOMENTS: usize = 8;

/// The log filter's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogKind {
    /// A message was sent, delivered, dropped, duplicated or delayed.
    Message,
    /// A node promised, accepted, rejected, adopted, learned…
    Decision,
    /// A person changed the world: a crash, a restart, a partition, a proposal…
    Command,
    /// The checker saw a value chosen.
    Chosen,
    /// A safety rule broke.
    Violation,
}

impl LogKind {
    /// Every category, in the order the filter lists them.
    pub const ALL: [LogKind; 5] =
        [LogKind::Message, LogKind::Decision, LogKind::Command, LogKind::Chosen, LogKind::Violation];

    /// The name the filter shows.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Message => "messages",
            LogKind::Decision => "node decisions",
            LogKind::Command => "commands & faults",
            LogKind::Chosen => "chosen",
            LogKind::Violation => "violations",
        }
    }
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry<P: Look = Paxos> {
    /// A running number, unique in the run (a stable key for the list).
    pub seq: u64,
    /// Simulator step.
    pub step: u64,
    /// The moment of the run it belongs to: the page's one time coordinate (the timeline's, the chip's, the link's).
    pub moment: u64,
    /// Logical time.
    pub time: u64,
    /// The line, as `paxos script` prints it.
    pub text: String,
    /// The category.
    pub kind: LogKind,
    /// The message kind, for message lines.
    pub msg_kind: Option<P::Kind>,
    /// The nodes involved.
    pub nodes: NodeSet,
}

/// The UI's memory of the run. See the module documentation.
#[derive(Clone, Debug)]
pub struct History<P: Look = Paxos> {
    describer: Describer<P>,
    seq: u64,
    /// The newest [`LOG_CAPACITY`] log lines, oldest first.
    pub log: VecDeque<LogEntry<P>>,
    /// What the protocol's own decisions left to remember (Paxos: every ballot's story, each proposal's fate).
    pub notes: P::Notes,
    /// The transaction ID each learner handed out for each slot, keyed slot first: slots are learned in order, so
    /// each one is appended (keyed node first, every insert would move the other nodes' entries).
    pub txn_ids: LiteMap<(Slot, NodeId), u64>,
    /// When the clock last ticked (0 before the first tick).
    pub last_tick: u64,
    /// The space-time diagram's arrows and marks.
    pub diagram: Diagram<P>,
    /// Nodes that restarted after a value was chosen (a single-decree learner among them never hears it again).
    pub late: NodeSet,
    chosen_seen: bool,
    /// The moment of each violation, in the simulator's order (`Simulator::violations`).
    pub violation_moments: Vec<u64>,
    /// The moment the checker saw each value chosen, by slot and ballot (a second value in a slot, under a bug, is
    /// reported by the agreement violation): the newest [`CHOSEN_MOMENTS`].
    pub chosen_at: Vec<(Slot, P::Round, u64)>,
    /// Where the events being read happened, set by [`History::absorb_at`].
    at: At,
}

impl<P: Look> Default for History<P> {
    fn default() -> Self {
        History {
            describer: Describer::default(),
            seq: 0,
            log: VecDeque::new(),
            notes: P::Notes::default(),
            txn_ids: LiteMap::new(),
            last_tick: 0,
            diagram: Diagram::default(),
            late: NodeSet::EMPTY,
            chosen_seen: false,
            violation_moments: Vec::new(),
            chosen_at: Vec::new(),
            at: At::default(),
        }
    }
}

impl History {
    /// Every ballot's story (Paxos's notes).
    pub fn ballots(&self) -> &LiteMap<paxos_core::Ballot, BallotStory> {
        &self.notes.ballots
    }

    /// The values people proposed, with their fate (Paxos's notes).
    pub fn proposals(&self) -> &[(paxos_core::Value, NodeId, Option<Abandoned>)] {
        &self.notes.proposals
    }
}

/// Where the events being read happened: during steps (an event's moment is its step plus the commands applied
/// before it, `commands`), or during one command (every event's moment is that command's).
#[derive(Clone, Copy, Debug, Default)]
pub enum At {
    /// Events of steps, after this many moments that were commands without a step.
    Steps {
        /// Moments so far minus steps so far.
        commands: u64,
    },
    /// Events of the command at this moment.
    Command(u64),
    /// Not known (a history read without an engine, as in tests): the step stands in.
    #[default]
    Unknown,
}

impl At {
    /// The moment of an event of step `step`.
    pub fn moment(self, step: u64) -> u64 {
        match self {
            At::Steps { commands } => step + commands,
            At::Command(m) => m,
            At::Unknown => step,
        }
    }
}

impl<P: Look> History<P> {
    /// Reads new events (the simulator's, drained since the last call) that happened `at`.
    pub fn absorb_at(&mut self, new: &[Event<P>], at: At) {
        self.at = at;
        self.absorb(new);
    }

    /// Reads new events (the simulator's, drained since the last call), where [`History::absorb_at`] said they
    /// happened.
    pub fn absorb(&mut self, new: &[Event<P>]) {
        // Only the newest lines can be shown; skipping the words for the rest keeps top speed fast. The describer
        // still sees every send, so later lines can name their message.
        let worded_from = new.len().saturating_sub(LOG_CAPACITY);
        for (i, e) in new.iter().enumerate() {
            self.absorb_one(e, i >= worded_from);
        }
    }

    fn absorb_one(&mut self, e: &Event<P>, word: bool) {
        self.diagram.absorb(e);
        let mut nodes = NodeSet::EMPTY;
        let mut msg_kind = None;
        let kind = match &e.kind {
            EventKind::Send { .. }
            | EventKind::Duplicate { .. }
            | EventKind::Deliver { .. }
            | EventKind::Drop { .. }
            | EventKind::Delay { .. } => LogKind::Message,
            EventKind::Tick => {
                self.last_tick = e.time;
                return;
            }
            EventKind::Crash { node } | EventKind::Restart { node, .. } => {
                if self.chosen_seen && matches!(e.kind, EventKind::Restart { .. }) {
                    self.late.insert(*node);
                }
                nodes.insert(*node);
                LogKind::Command
            }
            EventKind::Command { command } => {
                P::note_command(&mut self.notes, command);
                LogKind::Command
            }
            EventKind::Node { node, event } => {
                nodes.insert(*node);
                if let Some((slot, id)) = P::allocated(event) {
                    self.txn_ids.insert((slot, *node), id);
                }
                P::note(&mut self.notes, *node, event, e.time);
                LogKind::Decision
            }
            EventKind::Chosen { slot, chosen } => {
                self.chosen_seen = true;
                self.chosen_at(*slot, chosen.ballot, e.step);
                nodes = chosen.quorum;
                LogKind::Chosen
            }
            EventKind::Violation { violation } => {
                self.violation_moments.push(self.at.moment(e.step));
                if let Some((slot, round)) = P::note_violation(&mut self.notes, violation) {
                    self.chosen_at(slot, round, e.step);
                }
                nodes = violation.nodes.iter().copied().collect();
                LogKind::Violation
            }
        };
        // A message's ends: a send's are in the event; any other message event's, in the describer's record of the
        // messages in flight (read before it sees this event, which may take the message out of the network).
        let ends = match &e.kind {
            EventKind::Send { from, to, msg, .. } => Some((*from, *to, msg)),
            EventKind::Deliver { id }
            | EventKind::Drop { id, .. }
            | EventKind::Delay { id, .. }
            | EventKind::Duplicate { id, .. } => self.describer.message(*id),
            _ => None,
        };
        if let Some((from, to, msg)) = ends {
            nodes.insert(from);
            nodes.insert(to);
            msg_kind = Some(P::kind_of(msg));
        }
        if let EventKind::Command { command } = &e.kind {
            nodes = command_nodes(command);
        }
        // The describer must see every event (it remembers sends), even those not worded into the log.
        if !word {
            self.describer.observe(e);
            return;
        }
        let Some(text) = self.describer.describe(e) else { return };
        self.seq += 1;
        let moment = self.at.moment(e.step);
        self.log.push_back(LogEntry { seq: self.seq, step: e.step, moment, time: e.time, text, kind, msg_kind, nodes });
        if self.log.len() > LOG_CAPACITY {
            self.log.pop_front();
        }
    }

    fn chosen_at(&mut self, slot: Slot, ballot: P::Round, step: u64) {
        if self.chosen_at.len() == CHOSEN_MOMENTS {
            self.chosen_at.remove(0);
        }
        self.chosen_at.push((slot, ballot, self.at.moment(step)));
    }

    /// The log lines to show, newest first, filtered by node and category, at most `limit` of them.
    pub fn filtered(&self, node: Option<NodeId>, kind: Option<LogKind>, limit: usize) -> Vec<&LogEntry<P>> {
        self.log
            .iter()
            .rev()
            .filter(|e| node.is_none_or(|n| e.nodes.contains(n)))
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .take(limit)
            .collect()
    }
}

fn command_nodes(c: &paxos_sim::Command) -> NodeSet {
    use paxos_sim::Command as C;
    let mut s = NodeSet::EMPTY;
    match c {
        C::Propose { node, .. } | C::Crash { node } | C::Restart { node } | C::Tick { node } => {
            s.insert(*node);
        }
        C::Cut { from, to, .. } | C::HealLink { from, to, .. } | C::Link { from, to, .. } => {
            s.insert(*from);
            s.insert(*to);
        }
        C::Partition { groups } => s = groups.iter().flatten().copied().collect(),
        _ => {}
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use paxos_core::{Ballot, Mode, MsgKind, Value};
    use paxos_sim::{Command, SimConfig, Simulator};

    /// A 3-node single-decree run of `commands` from seed 1, and what the page remembers of it.
    pub(crate) fn run(commands: &[Command]) -> (Simulator, History) {
        let mut sim = Simulator::new(1, SimConfig::new(Mode::Single, 3), true).unwrap();
        let mut h = History::default();
        for c in commands {
            sim.apply(c.clone()).unwrap();
            let new: Vec<_> = sim.drain_events().collect();
            h.absorb(&new);
        }
        (sim, h)
    }

    #[test]
    fn the_log_uses_the_cli_words_and_filters_by_node_and_kind() {
        let (_, h) = run(&[Command::Propose { node: NodeId(0), value: Value::text("v") }, Command::Step { count: 60 }]);
        let newest_first = h.filtered(None, None, usize::MAX);
        assert!(newest_first.len() > 10);
        assert!(newest_first.windows(2).all(|w| w[0].seq > w[1].seq));
        assert!(h.log.iter().any(|e| e.text == "propose 0 v"));
        assert!(h.log.iter().any(|e| e.text.starts_with("chosen [0] v at 1.0")));
        let chosen = h.filtered(None, Some(LogKind::Chosen), 10);
        assert_eq!(chosen.len(), 1);
        let node2 = h.filtered(Some(NodeId(2)), None, usize::MAX);
        assert!(!node2.is_empty() && node2.iter().all(|e| e.nodes.contains(NodeId(2))));
        let sends = h.log.iter().filter(|e| e.text.starts_with("send m")).count();
        assert!(sends > 0 && h.log.iter().filter(|e| e.msg_kind == Some(MsgKind::Prepare)).count() > 0);
        assert!(h.last_tick > 0 && h.last_tick % 10 == 0);
    }

    #[test]
    fn ballots_remember_promises_acceptances_and_the_adopted_value() {
        let (_, h) = run(&[Command::Propose { node: NodeId(0), value: Value::text("v") }, Command::Step { count: 60 }]);
        let b = Ballot { round: 1, node: NodeId(0) };
        let story = &h.ballots()[&b];
        assert!(story.elected);
        assert!(story.promised.len() >= 2);
        assert!(story.accepted[&Slot(0)].len() >= 2);
        assert_eq!(story.explain(Slot(0)).unwrap(), "proposes [0] v (no accepted value reported)");
    }

    /// A scenario's run, with `bugs` on, through a history.
    fn lesson(id: &str, bugs: paxos_core::Bugs) -> History {
        let l = paxos_sim::scenario::find(id).unwrap().lesson().unwrap().with_bugs(bugs);
        let mut sim = Simulator::new(l.seed, l.config, true).unwrap();
        let mut h = History::default();
        for c in l.stages.into_iter().flat_map(|st| st.commands) {
            sim.apply(c).unwrap();
            let new: Vec<_> = sim.drain_events().collect();
            h.absorb(&new);
        }
        h
    }

    #[test]
    fn a_value_passed_over_by_the_ignore_accepted_bug_is_named() {
        let b = Ballot { round: 1, node: NodeId(2) };
        let correct = lesson("proposer-crash", paxos_core::Bugs::default());
        assert_eq!(
            correct.ballots()[&b].explain(Slot(0)).unwrap(),
            "proposes [0] hello, adopted from the highest accepted ballot 1.0"
        );
        let broken = lesson("proposer-crash", paxos_core::Bugs::default().with(paxos_core::Bug::IgnoreAccepted));
        assert_eq!(
            broken.ballots()[&b].explain(Slot(0)).unwrap(),
            "proposes [0] other, ignoring hello accepted at 1.0 that a promise reported (ignore-accepted bug)"
        );
        // Correct Paxos never passes one over, in any scenario.
        for sc in paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().filter(|sc| sc.id != "amnesia") {
            let h = lesson(sc.id, paxos_core::Bugs::default());
            assert!(!h.ballots().values().any(BallotStory::passed_over_the_highest), "{}", sc.id);
        }
    }

    #[test]
    fn a_higher_ballot_passed_over_by_the_adopt_lowest_bug_is_named() {
        let b = Ballot { round: 1, node: NodeId(2) };
        let correct = lesson("highest-ballot", paxos_core::Bugs::default());
        assert_eq!(
            correct.ballots()[&b].explain(Slot(0)).unwrap(),
            "proposes [0] blue, adopted from the highest accepted ballot 1.1, over red at 1.0"
        );
        let broken = lesson("highest-ballot", paxos_core::Bugs::default().with(paxos_core::Bug::AdoptLowest));
        assert_eq!(
            broken.ballots()[&b].explain(Slot(0)).unwrap(),
            "proposes [0] red, adopted from ballot 1.0, passing over blue accepted at the higher ballot 1.1 (adopt-lowest \
             bug)"
        );
    }

    #[test]
    fn acceptances_below_a_promise_are_kept_with_their_ballot() {
        // Dueling with break-promise: acceptors 0 and 2 had promised node 1's 1.1 and accepted node 0's 1.0 anyway.
        let broken = lesson("dueling", paxos_core::Bugs::default().with(paxos_core::Bug::BreakPromise));
        let b = Ballot { round: 1, node: NodeId(0) };
        let promise = Ballot { round: 1, node: NodeId(1) };
        let broke = &broken.ballots()[&b].broke_promise[&Slot(0)];
        assert!(broke.contains(&(NodeId(0), promise)) && broke.contains(&(NodeId(2), promise)), "{broke:?}");
        // Correct Paxos never accepts below a promise, in any scenario.
        for sc in paxos_sim::scenario::of::<paxos_sim::Paxos>().iter().filter(|sc| sc.id != "amnesia") {
            let h = lesson(sc.id, paxos_core::Bugs::default());
            assert!(h.ballots().values().all(|st| st.broke_promise.is_empty()), "{}", sc.id);
        }
    }

    #[test]
    fn a_raft_run_is_remembered_by_the_same_history() {
        use crate::spacetime::Kinds;
        use paxos_sim::Raft;
        let mut sim = Simulator::new(1, SimConfig::raft(3), true).unwrap();
        let mut h = History::<Raft>::default();
        for c in [
            Command::Step { count: 19 },
            Command::Propose { node: NodeId(1), value: Value::Txn { client: 1, req: 1 } },
            Command::Step { count: 16 },
        ] {
            sim.apply(c).unwrap();
            let new: Vec<_> = sim.drain_events().collect();
            h.absorb(&new);
        }
        assert!(h.log.iter().any(|e| e.text == "node 0: elected leader of t1 by {0, 1}"), "{:?}", h.log.back());
        assert_eq!(h.txn_ids.get(&(Slot(1), NodeId(0))), Some(&0), "the leader allocated ID 0 at slot 1");
        assert!(h.chosen_at.iter().any(|&(s, t, _)| (s, t) == (Slot(1), raft_core::Term(1))));
        let appends = Kinds::<Raft>::parse("append_entries").unwrap();
        assert!(h
            .diagram
            .window(u64::MAX / 2, u64::MAX / 2, appends)
            .all(|a| a.kind == raft_core::MsgKind::AppendEntries));
        assert!(h.diagram.arrows().any(|a| a.kind == raft_core::MsgKind::RequestVote));
        assert!(Kinds::<Raft>::parse("prepare")
            .unwrap_err()
            .starts_with("unknown message kind “prepare”; the kinds are all, request_vote"));
    }

    #[test]
    fn a_long_burst_keeps_only_the_newest_lines() {
        let (_, h) =
            run(&[Command::Propose { node: NodeId(0), value: Value::text("v") }, Command::Step { count: 5000 }]);
        assert!(h.log.len() <= LOG_CAPACITY);
    }
}
