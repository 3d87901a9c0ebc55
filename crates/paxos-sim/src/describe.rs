//! Events in words: what `paxos script`, `paxos replay -v`, the transcript tests and the page's event log print.
//! A [`Describer`] remembers each message in flight, so a delivery or a drop names the message it was.

use litemap::LiteMap;
use std::fmt::Write;

use paxos_core::{NodeId, Value};

use crate::command::MsgId;
use crate::protocol::{Paxos, Protocol, RuleSet};
use crate::script::command_line;
use crate::{Event, EventKind};

pub use crate::protocol::paxos::words::{describe_node_event, passed_over_the_highest, why_proposed};

/// Describes events in words, remembering each sent message so deliveries and drops can name it.
#[derive(Clone, Debug)]
pub struct Describer<P: Protocol = Paxos> {
    sent: LiteMap<MsgId, (NodeId, NodeId, P::Msg)>,
}

impl<P: Protocol> Default for Describer<P> {
    fn default() -> Self {
        Describer { sent: LiteMap::new() }
    }
}

impl<P: Protocol> Describer<P> {
    /// The message `id` while it is in flight (sent and not yet delivered or dropped): sender, receiver and message.
    pub fn message(&self, id: MsgId) -> Option<(NodeId, NodeId, &P::Msg)> {
        self.sent.get(&id).map(|(from, to, msg)| (*from, *to, msg))
    }

    fn msg(&self, id: MsgId) -> String {
        match self.sent.get(&id) {
            Some((from, to, msg)) => format!("{id} {from}->{to} {msg}"),
            None => id.to_string(),
        }
    }

    /// Remembers a message when it is sent (so later lines can name it) and forgets it when it leaves the network.
    fn remember(&mut self, event: &Event<P>) {
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

    fn forget(&mut self, event: &Event<P>) {
        if let EventKind::Deliver { id } | EventKind::Drop { id, .. } = &event.kind {
            self.sent.remove(id);
        }
    }

    /// Keeps track of an event without putting it into words: cheaper than [`Describer::describe`] for events that
    /// will not be shown, and keeps memory bounded by the messages in flight.
    pub fn observe(&mut self, event: &Event<P>) {
        self.remember(event);
        self.forget(event);
    }

    /// One line for one event, or `None` for events too frequent to be worth a line (clock ticks).
    pub fn describe(&mut self, event: &Event<P>) -> Option<String> {
        self.remember(event);
        let line = self.words(event);
        self.forget(event);
        line
    }

    fn words(&self, event: &Event<P>) -> Option<String> {
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
            EventKind::Node { node, event } => write!(s, "node {node}: {}", P::words(event)),
            EventKind::Chosen { slot, chosen } => {
                let q: Vec<String> = chosen.quorum.iter().map(|n| n.to_string()).collect();
                let from = match chosen.value {
                    Value::Config(_) => match P::CONFIG_LAG {
                        Some(a) => format!(", in force from slot {}", slot.0 + a),
                        None => ", in force at each node since it stored it".into(),
                    },
                    _ => String::new(),
                };
                write!(s, "chosen [{slot}] {} at {} by {{{}}}{from}", chosen.value, chosen.ballot, q.join(","))
            }
            EventKind::Violation { violation } => {
                write!(s, "VIOLATION {}: {}", violation.rule.name(), violation.message)
            }
        }
        .expect("writing to a String cannot fail");
        Some(s)
    }
}
