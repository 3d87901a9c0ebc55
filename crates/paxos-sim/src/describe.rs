//! Events in words: what `paxos script`, `paxos replay -v`, the transcript tests and the page's event log print.
//! A [`Describer`] remembers each message in flight, so a delivery or a drop names the message it was.

use litemap::LiteMap;
use std::fmt::Write;

use paxos_core::{AbandonReason, Ballot, Msg, NodeEvent, NodeId, Slot, Value};

use crate::command::MsgId;
use crate::script::command_line;
use crate::{Event, EventKind};

/// Describes events in words, remembering each sent message so deliveries and drops can name it.
#[derive(Clone, Debug, Default)]
pub struct Describer {
    sent: LiteMap<MsgId, (NodeId, NodeId, Msg)>,
    /// Per proposer, the newest ballot its delivered promises were for, and the highest accepted proposal per slot
    /// they reported: a proposal of its own despite one is the ignore-accepted bug, and one adopted from a lower ballot
    /// is the adopt-lowest bug; their lines say so.
    reported: LiteMap<NodeId, (Ballot, Reports)>,
}

/// Per slot, the accepted proposals that a proposer's promises reported, one per ballot, highest ballot first.
type Reports = LiteMap<Slot, Vec<(Ballot, Value)>>;

impl Describer {
    /// The message `id` while it is in flight (sent and not yet delivered or dropped): sender, receiver and message.
    pub fn message(&self, id: MsgId) -> Option<(NodeId, NodeId, &Msg)> {
        self.sent.get(&id).map(|(from, to, msg)| (*from, *to, msg))
    }

    fn msg(&self, id: MsgId) -> String {
        match self.sent.get(&id) {
            Some((from, to, msg)) => format!("{id} {from}->{to} {msg}"),
            None => id.to_string(),
        }
    }

    /// Remembers a message when it is sent (so later lines can name it) and forgets it when it leaves the network.
    fn remember(&mut self, event: &Event) {
        match &event.kind {
            EventKind::Send { id, from, to, msg, .. } => {
                self.sent.insert(*id, (*from, *to, msg.clone()));
            }
            EventKind::Duplicate { id, copy, .. } => {
                if let Some(m) = self.sent.get(id).cloned() {
                    self.sent.insert(*copy, m);
                }
            }
            _ => {}
        }
    }

    fn forget(&mut self, event: &Event) {
        if let EventKind::Deliver { id } | EventKind::Drop { id, .. } = &event.kind {
            let gone = self.sent.remove(id);
            if let (EventKind::Deliver { .. }, Some((_, to, Msg::Promise { ballot, accepted }))) = (&event.kind, gone) {
                let entry = self.reported.entry(to).or_insert_with(|| (ballot, LiteMap::new()));
                if entry.0 < ballot {
                    *entry = (ballot, LiteMap::new());
                }
                if entry.0 == ballot {
                    for p in accepted {
                        let seen = entry.1.entry(p.slot).or_default();
                        if let Err(at) = seen.binary_search_by(|(b, _)| p.ballot.cmp(b)) {
                            seen.insert(at, (p.ballot, p.value));
                        }
                    }
                }
            }
        }
    }

    /// Keeps track of an event without putting it into words: cheaper than [`Describer::describe`] for events that
    /// will not be shown, and keeps memory bounded by the messages in flight.
    pub fn observe(&mut self, event: &Event) {
        self.remember(event);
        self.forget(event);
    }

    /// One line for one event, or `None` for events too frequent to be worth a line (clock ticks).
    pub fn describe(&mut self, event: &Event) -> Option<String> {
        self.remember(event);
        let line = self.words(event);
        self.forget(event);
        line
    }

    /// The accepted proposal a promise for `ballot` reported to `node` for `slot`, if any: what a proposal of
    /// `node`'s own in that slot passed over (the page's quorum overlay asks too).
    pub fn passed_over(&self, node: NodeId, ballot: Ballot, slot: Slot) -> Option<&(Ballot, Value)> {
        self.reported(node, ballot, slot).first()
    }

    /// Every accepted proposal the promises for `ballot` reported to `node` for `slot`, highest ballot first.
    pub fn reported(&self, node: NodeId, ballot: Ballot, slot: Slot) -> &[(Ballot, Value)] {
        self.reported
            .get(&node)
            .filter(|(b, _)| *b == ballot)
            .and_then(|(_, slots)| slots.get(&slot))
            .map_or(&[], Vec::as_slice)
    }

    /// The highest reported proposal below `from` with another value than `value`: what adopting the highest
    /// ballot's value outranked (only a phase 1 that hears of two earlier ballots has one).
    pub fn outranked(
        &self,
        node: NodeId,
        ballot: Ballot,
        slot: Slot,
        from: Ballot,
        value: &Value,
    ) -> Option<&(Ballot, Value)> {
        self.reported(node, ballot, slot).iter().find(|(b, v)| *b < from && v != value)
    }

    fn words(&self, event: &Event) -> Option<String> {
        let mut s = String::new();
        match &event.kind {
            EventKind::Send { id, due, .. } => write!(s, "send {} (due {due})", self.msg(*id)),
            EventKind::Deliver { id } => write!(s, "deliver {}", self.msg(*id)),
            EventKind::Drop { id, reason } => {
                write!(s, "drop {} ({})", self.msg(*id), reason.name())
            }
            EventKind::Duplicate { id, copy, due } => write!(s, "duplicate {} as {copy} (due {due})", self.msg(*id)),
            EventKind::Delay { id, due } => write!(s, "delay {} until {due}", self.msg(*id)),
            EventKind::Tick => return None,
            EventKind::Crash { node } => write!(s, "crash {node}"),
            EventKind::Restart { node, forgot } => {
                write!(s, "restart {node}{}", if *forgot { " (forgot its durable state: amnesia bug)" } else { "" })
            }
            EventKind::Command { command } => write!(s, "{}", command_line(command)),
            EventKind::Node { node, event: NodeEvent::Adopted { slot, ballot, value, from: None } }
                if self.passed_over(*node, *ballot, *slot).is_some() =>
            {
                let (b, v) = self.passed_over(*node, *ballot, *slot).expect("checked by the guard");
                write!(
                    s,
                    "node {node}: proposes [{slot}] {value}, ignoring {v} accepted at {b} that a promise reported \
                     (ignore-accepted bug)"
                )
            }
            EventKind::Node { node, event: NodeEvent::Adopted { slot, ballot, value, from: Some(from) } }
                if self.passed_over(*node, *ballot, *slot).is_some_and(|(b, _)| b > from) =>
            {
                let (b, v) = self.passed_over(*node, *ballot, *slot).expect("checked by the guard");
                write!(
                    s,
                    "node {node}: proposes [{slot}] {value}, adopted from ballot {from}, passing over {v} accepted at \
                     the higher ballot {b} (adopt-lowest bug)"
                )
            }
            EventKind::Node { node, event: NodeEvent::Adopted { slot, ballot, value, from: Some(from) } }
                if self.outranked(*node, *ballot, *slot, *from, value).is_some() =>
            {
                let (b, v) = self.outranked(*node, *ballot, *slot, *from, value).expect("checked by the guard");
                write!(s, "node {node}: proposes [{slot}] {value}, adopted from the highest accepted ballot {from}, over {v} at {b}")
            }
            EventKind::Node { node, event } => write!(s, "node {node}: {}", describe_node_event(event)),
            EventKind::Chosen { slot, chosen } => {
                let q: Vec<String> = chosen.quorum.iter().map(|n| n.to_string()).collect();
                write!(s, "chosen [{slot}] {} at {} by {{{}}}", chosen.value, chosen.ballot, q.join(","))
            }
            EventKind::Violation { violation } => {
                write!(s, "VIOLATION {}: {}", violation.rule.name(), violation.message)
            }
        }
        .expect("writing to a String cannot fail");
        Some(s)
    }
}

/// A node's decision in words.
pub fn describe_node_event(e: &NodeEvent) -> String {
    match e {
        NodeEvent::Promised { ballot, previous } => format!("promised {ballot} (was {previous})"),
        NodeEvent::Accepted { slot, ballot, value } => format!("accepted [{slot}] {value} at {ballot}"),
        NodeEvent::Rejected { ballot, promised } => format!("rejected {ballot} (promised {promised})"),
        NodeEvent::Preparing { ballot } => format!("preparing {ballot}"),
        NodeEvent::Elected { ballot } => format!("phase 1 complete for {ballot}"),
        NodeEvent::Adopted { slot, value, from: Some(b), .. } => {
            format!("proposes [{slot}] {value}, adopted from the highest accepted ballot {b}")
        }
        NodeEvent::Adopted { slot, value, from: None, .. } => {
            format!("proposes [{slot}] {value} (no accepted value reported)")
        }
        NodeEvent::Committed { slot, ballot, value } => format!("quorum accepted [{slot}] {value} at {ballot}"),
        NodeEvent::Abandoned { ballot, reason } => format!("abandoned {ballot}: {}", describe_reason(reason)),
        NodeEvent::Learned { slot, value } => format!("learned [{slot}] {value}"),
        NodeEvent::Allocated { slot, client, req, id } => format!("allocated [{slot}] txn {client}/{req} -> id {id}"),
    }
}

fn describe_reason(r: &AbandonReason) -> String {
    match r {
        AbandonReason::Rejected { promised } => format!("rejected, an acceptor promised {promised}"),
        AbandonReason::Timeout => "timed out".into(),
        AbandonReason::Superseded { by } => format!("superseded by leader {by}"),
    }
}
