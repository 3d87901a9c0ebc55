//! The memory behind the space-time (Lamport) diagram: one arrow per message from its send to its delivery or drop,
//! and marks for crashes, restarts, chosen values and violations. It reads the simulator's events one at a time (the
//! [`History`](crate::history::History) feeds it) and keeps only the newest [`MESSAGE_CAPACITY`] arrows and
//! [`MARK_CAPACITY`] marks, so a page left playing for hours holds as much as one that just started.
//!
//! The diagram's layout (time to x, node to y) is here too, as plain functions tested natively; the component
//! ([`crate::components::spacetime`]) only turns them into SVG.

use std::collections::VecDeque;
use std::marker::PhantomData;

use litemap::LiteMap;

use paxos_core::{NodeId, NodeSet, Slot};
use paxos_sim::{DropReason, Event, EventKind, MsgId, Paxos};

use crate::protocol::Look;

/// How many arrows are kept, newest first by send; it also bounds how many the diagram draws. In [`SPAN`] time units
/// at the default latency, 3 nodes in Multi-Paxos with a request every 60 send about 120 messages and 5 nodes about
/// 300; 9 nodes can send more, and then the oldest part of the window is simply empty.
pub const MESSAGE_CAPACITY: usize = 600;
/// How many marks (crash, restart, chosen, violation) are kept, newest last.
pub const MARK_CAPACITY: usize = 200;
/// How much simulated time the diagram shows: the newest `SPAN` time units, ending at the view's clock. At "1×"
/// (40 time units a second) that is the last ten seconds, and 25 to 80 message latencies at the default latency.
pub const SPAN: u64 = 400;
/// Height of one node's lane, in pixels.
pub const LANE_HEIGHT: f64 = 28.0;
/// Height of the row above the lanes that holds the cluster-wide marks (chosen values, violations).
pub const MARK_ROW: f64 = 20.0;
/// Height of the time axis below the lanes.
pub const AXIS_HEIGHT: f64 = 22.0;
/// Simulated time between two labelled ticks of the axis.
pub const TICK_EVERY: u64 = 50;

/// A set of message kinds: those whose arrows the diagram draws. All of them by default; the checkboxes under the
/// diagram and `arrows=` in a URL (`arrows=prepare,promise,accept,accepted`) choose fewer, for instance to hide a
/// Multi-Paxos leader's heartbeats, which otherwise outnumber everything else.
pub struct Kinds<P: Look = Paxos>(u16, PhantomData<P>);

// By hand: derived, each would require `P` itself to be `Clone`, `Eq`… (it is a marker type; the set is a `u16`).
impl<P: Look> Clone for Kinds<P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: Look> Copy for Kinds<P> {}
impl<P: Look> PartialEq for Kinds<P> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<P: Look> Eq for Kinds<P> {}
impl<P: Look> std::hash::Hash for Kinds<P> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.hash(h)
    }
}
impl<P: Look> std::fmt::Debug for Kinds<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kinds({})", self.names())
    }
}

impl<P: Look> Kinds<P> {
    /// Every kind.
    pub const ALL: Kinds<P> = Kinds((1 << P::KINDS.len()) - 1, PhantomData);

    fn bit(k: P::Kind) -> u16 {
        1 << P::KINDS.iter().position(|&a| a == k).unwrap_or(0)
    }

    /// Whether arrows of kind `k` are drawn.
    pub fn has(self, k: P::Kind) -> bool {
        self.0 & Kinds::<P>::bit(k) != 0
    }

    /// This set with `k` drawn or not.
    pub fn with(self, k: P::Kind, shown: bool) -> Kinds<P> {
        Kinds(if shown { self.0 | Kinds::<P>::bit(k) } else { self.0 & !Kinds::<P>::bit(k) }, PhantomData)
    }

    /// The kinds in this set, as [`Kinds::parse`] reads them: a comma-separated list of names (empty for none).
    pub fn names(self) -> String {
        let names: Vec<&str> = P::KINDS.iter().filter(|&&k| self.has(k)).map(|&k| P::kind_name(k)).collect();
        names.join(",")
    }

    /// The kinds in a comma-separated list of their names (`prepare,promise`), or `all`.
    pub fn parse(list: &str) -> Result<Kinds<P>, String> {
        if list == "all" {
            return Ok(Kinds::ALL);
        }
        list.split(',').filter(|n| !n.is_empty()).try_fold(Kinds(0, PhantomData), |set, name| {
            match P::KINDS.iter().find(|&&k| P::kind_name(k) == name) {
                Some(&k) => Ok(set.with(k, true)),
                None => {
                    let names: Vec<&str> = P::KINDS.iter().map(|&k| P::kind_name(k)).collect();
                    Err(format!("unknown message kind “{name}”; the kinds are all, {}", names.join(", ")))
                }
            }
        })
    }
}

impl<P: Look> Default for Kinds<P> {
    fn default() -> Kinds<P> {
        Kinds::ALL
    }
}

/// How a message left the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrowEnd {
    /// It reached its receiver.
    Delivered,
    /// It was lost, cut off, sent to a crashed node, or dropped by hand.
    Dropped(DropReason),
}

/// When and how a message left the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    /// Logical time.
    pub time: u64,
    /// Simulator step.
    pub step: u64,
    /// Delivered or dropped.
    pub how: ArrowEnd,
}

/// One message: an arrow from its sender's lane at `sent_time` towards its receiver's lane at `due`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow<P: Look = Paxos> {
    /// The message.
    pub id: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Its kind, which gives its colour.
    pub kind: P::Kind,
    /// The message itself, for its description.
    pub msg: P::Msg,
    /// The original, when this arrow is a duplicate.
    pub copy_of: Option<MsgId>,
    /// When it was sent.
    pub sent_time: u64,
    /// The step it was sent in.
    pub sent_step: u64,
    /// When it is (or was) due; a delay moves it.
    pub due: u64,
    /// How it left the network; `None` while in flight.
    pub end: Option<End>,
}

impl<P: Look> Arrow<P> {
    /// The message in words, as the diagram's tooltip shows it: "m12 prepare(1.0) 0→2, sent t=30, delivered t=40".
    pub fn describe(&self) -> String {
        let copy = self.copy_of.map(|o| format!(" (copy of {o})")).unwrap_or_default();
        let end = match self.end {
            None => format!("in flight, due t={}", self.due),
            Some(End { time, how: ArrowEnd::Delivered, .. }) => format!("delivered t={time}"),
            Some(End { time, how: ArrowEnd::Dropped(r), .. }) => format!("dropped t={time} ({})", r.name()),
        };
        format!("{} {} {}→{}{copy}, sent t={}, {end}", self.id, self.msg, self.from, self.to, self.sent_time)
    }

    /// Where the drawn arrow stops, as a time and how far (0 to 1) it got towards the receiver's lane: at the
    /// receiver when delivered; where it was when dropped; where it is at `now` while in flight. A message dropped
    /// by hand half-way stops half-way, as it does in the cluster view.
    pub fn head(&self, now: f64) -> (f64, f64) {
        match self.end {
            Some(End { time, how: ArrowEnd::Delivered, .. }) => (time as f64, 1.0),
            Some(End { time, .. }) => (time as f64, crate::geometry::progress(time as f64, self.sent_time, self.due)),
            None => {
                let t = crate::geometry::progress(now, self.sent_time, self.due);
                (self.sent_time as f64 + t * self.due.saturating_sub(self.sent_time) as f64, t)
            }
        }
    }
}

/// What a mark stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum MarkKind {
    /// The node crashed.
    Crash,
    /// The node restarted (`forgot`: it lost its durable state, the amnesia bug).
    Restart {
        /// Whether the durable state was lost.
        forgot: bool,
    },
    /// The checker saw a value chosen.
    Chosen {
        /// The slot.
        slot: Slot,
        /// The value, in words.
        value: String,
        /// The acceptors whose acceptance made it chosen.
        quorum: NodeSet,
    },
    /// A safety rule broke.
    Violation {
        /// The checker's sentence.
        text: String,
    },
}

/// A mark on a node's lane (crash, restart) or on the cluster-wide row above the lanes (chosen, violation).
///
/// Chosen marks go on that row rather than on the quorum's lanes: a value is chosen by the cluster at the moment the
/// last acceptance of a quorum lands, while the other acceptors of that quorum accepted earlier, so a mark on each of
/// their lanes at that time would say something that did not happen there. The quorum is named in the mark's tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// The node's lane, or `None` for the cluster-wide row.
    pub node: Option<NodeId>,
    /// Logical time.
    pub time: u64,
    /// Simulator step.
    pub step: u64,
    /// What happened.
    pub kind: MarkKind,
    /// How many marks were made before this one: its identity, which the diagram keys its element by (time and step
    /// are not unique: a crash, a restart and a crash again, with no event between, share both).
    pub seq: u64,
}

impl Mark {
    /// The mark in words, for its tooltip.
    pub fn describe(&self) -> String {
        let t = self.time;
        let node = self.node.map(|n| n.to_string()).unwrap_or_default();
        match &self.kind {
            MarkKind::Crash => format!("node {node} crashed at t={t}"),
            MarkKind::Restart { forgot: false } => format!("node {node} restarted at t={t}"),
            MarkKind::Restart { forgot: true } => {
                format!("node {node} restarted at t={t} and forgot its durable state (amnesia bug)")
            }
            MarkKind::Chosen { slot, value, quorum } => {
                let q: Vec<String> = quorum.iter().map(|n| n.to_string()).collect();
                format!("chosen [{slot}] {value} at t={t}, accepted by {{{}}}", q.join(","))
            }
            MarkKind::Violation { text } => format!("safety violated at t={t}: {text}"),
        }
    }
}

/// The diagram's memory. See the module documentation.
#[derive(Clone, Debug)]
pub struct Diagram<P: Look = Paxos> {
    /// Ordered by id, which is also the order of sending (the simulator hands ids out in increasing order).
    arrows: VecDeque<Arrow<P>>,
    marks: VecDeque<Mark>,
    /// The nodes that are down now, and since when: their crash mark may have scrolled away.
    down: LiteMap<NodeId, u64>,
}

impl<P: Look> Default for Diagram<P> {
    fn default() -> Self {
        Diagram { arrows: VecDeque::new(), marks: VecDeque::new(), down: LiteMap::new() }
    }
}

impl<P: Look> Diagram<P> {
    /// Reads one event.
    pub fn absorb(&mut self, e: &Event<P>) {
        let end = |how| End { time: e.time, step: e.step, how };
        match &e.kind {
            EventKind::Send { id, from, to, msg, due } => self.push(Arrow {
                id: *id,
                from: *from,
                to: *to,
                kind: P::kind_of(msg),
                msg: msg.clone(),
                copy_of: None,
                sent_time: e.time,
                sent_step: e.step,
                due: *due,
                end: None,
            }),
            EventKind::Duplicate { id, copy, due } => {
                if let Some(a) = self.arrow(*id) {
                    let copy = Arrow {
                        id: *copy,
                        copy_of: Some(*id),
                        sent_time: e.time,
                        sent_step: e.step,
                        due: *due,
                        end: None,
                        ..a.clone()
                    };
                    self.push(copy);
                }
            }
            EventKind::Delay { id, due } => {
                if let Some(a) = self.arrow_mut(*id) {
                    a.due = *due;
                }
            }
            EventKind::Deliver { id } => {
                if let Some(a) = self.arrow_mut(*id) {
                    a.end = Some(end(ArrowEnd::Delivered));
                }
            }
            EventKind::Drop { id, reason } => {
                if let Some(a) = self.arrow_mut(*id) {
                    a.end = Some(end(ArrowEnd::Dropped(*reason)));
                }
            }
            EventKind::Crash { node } => {
                self.down.insert(*node, e.time);
                self.mark(e, Some(*node), MarkKind::Crash);
            }
            EventKind::Restart { node, forgot } => {
                self.down.remove(node);
                self.mark(e, Some(*node), MarkKind::Restart { forgot: *forgot });
            }
            EventKind::Chosen { slot, chosen } => self.mark(
                e,
                None,
                MarkKind::Chosen { slot: *slot, value: chosen.value.to_string(), quorum: chosen.quorum },
            ),
            EventKind::Violation { violation } => {
                self.mark(e, None, MarkKind::Violation { text: violation.message.clone() })
            }
            EventKind::Tick | EventKind::Command { .. } | EventKind::Node { .. } => {}
        }
    }

    fn push(&mut self, a: Arrow<P>) {
        // Ids only grow, so this is a push at the back; the search keeps the order should that ever change.
        let at = self.arrows.partition_point(|b| b.id < a.id);
        self.arrows.insert(at, a);
        if self.arrows.len() > MESSAGE_CAPACITY {
            self.arrows.pop_front();
        }
    }

    fn mark(&mut self, e: &Event<P>, node: Option<NodeId>, kind: MarkKind) {
        let seq = self.marks.back().map_or(0, |m| m.seq + 1);
        self.marks.push_back(Mark { node, time: e.time, step: e.step, kind, seq });
        if self.marks.len() > MARK_CAPACITY {
            self.marks.pop_front();
        }
    }

    fn index(&self, id: MsgId) -> Option<usize> {
        let i = self.arrows.partition_point(|a| a.id < id);
        (self.arrows.get(i)?.id == id).then_some(i)
    }

    /// The arrow of message `id`, if it is still remembered.
    pub fn arrow(&self, id: MsgId) -> Option<&Arrow<P>> {
        self.index(id).map(|i| &self.arrows[i])
    }

    fn arrow_mut(&mut self, id: MsgId) -> Option<&mut Arrow<P>> {
        self.index(id).map(|i| &mut self.arrows[i])
    }

    /// Every remembered arrow, oldest first.
    pub fn arrows(&self) -> impl Iterator<Item = &Arrow<P>> {
        self.arrows.iter()
    }

    /// Every remembered mark, oldest first.
    pub fn marks(&self) -> impl Iterator<Item = &Mark> {
        self.marks.iter()
    }

    /// The arrows of the `kinds` shown that are visible in the newest `span` time units up to `now`: sent by `now`
    /// and not gone before the window starts. Oldest first.
    pub fn window(&self, now: u64, span: u64, kinds: Kinds<P>) -> impl Iterator<Item = &Arrow<P>> {
        let lo = window_start(now, span);
        self.arrows
            .iter()
            .filter(move |a| a.sent_time <= now && a.end.is_none_or(|e| e.time >= lo) && kinds.has(a.kind))
    }

    /// The last time anything the diagram draws happened by `now`: a message of the `kinds` shown sent, delivered or
    /// dropped, or a mark. When it is before the window, the window is empty (the run went quiet, or sent only
    /// hidden kinds) and the diagram says where to look.
    pub fn last_activity(&self, now: u64, kinds: Kinds<P>) -> Option<u64> {
        let arrows = self.arrows.iter().filter(|a| kinds.has(a.kind)).map(|a| match a.end {
            Some(e) if e.time <= now => e.time,
            _ => a.sent_time,
        });
        let marks = self.marks.iter().map(|m| m.time);
        arrows.chain(marks).filter(|&t| t <= now).max()
    }

    /// The marks in the newest `span` time units up to `now`, oldest first.
    pub fn marks_in(&self, now: u64, span: u64) -> impl Iterator<Item = &Mark> {
        let lo = window_start(now, span);
        self.marks.iter().filter(move |m| (lo..=now).contains(&m.time))
    }

    /// When `node` was down within the window of `span` up to `now`, as (from, to) times clipped to the window: from
    /// each crash to the next restart, or to `now` if it is still down.
    pub fn down_spans(&self, node: NodeId, now: u64, span: u64) -> Vec<(u64, u64)> {
        let lo = window_start(now, span);
        let mut out = vec![];
        let mut since: Option<u64> = None;
        for m in self.marks.iter().filter(|m| m.node == Some(node)) {
            match m.kind {
                MarkKind::Crash => since = Some(m.time),
                // A restart with no crash before it in memory: the crash scrolled away, so the node was down from
                // before anything the diagram can show.
                MarkKind::Restart { .. } => out.push((since.take().unwrap_or(0), m.time)),
                _ => {}
            }
        }
        // The crash time is kept apart from the marks, so a node down for longer than the marks reach is shaded.
        if let Some(&t) = self.down.get(&node) {
            out.push((t, now));
        }
        out.into_iter().filter(|&(_, to)| to >= lo).map(|(from, to)| (from.max(lo), to.min(now))).collect()
    }
}

/// Where the window of `span` time units ending at `now` starts. Before `span` time has passed the window starts at
/// 0 and fills from the left.
/// The span the diagram shows at time `now`: early in a run only a little more than what has happened (so the first
/// messages are not squeezed into the left edge), growing to [`SPAN`].
pub fn span_for(now: f64) -> u64 {
    let grown = ((now.max(0.0) / TICK_EVERY as f64).ceil() as u64 + 1) * TICK_EVERY;
    grown.clamp(2 * TICK_EVERY, SPAN)
}

/// The most arrows a window holds before it narrows: beyond about this many crossing lines the diagram stops being
/// readable (a 5-node Multi-Paxos run with a steady client sends over 1,000 messages in [`SPAN`] time units).
pub const DENSE: usize = 150;

impl<P: Look> Diagram<P> {
    /// The window's length at `now`: [`span_for`]'s, halved while it holds more than [`DENSE`] arrows of the `kinds` shown (down to
    /// `2 × TICK_EVERY`), so a busy run shows its newest arrows across the whole width instead of a solid block.
    /// `prev` is the length shown before: the window widens again only once the wider one holds at most three
    /// quarters of [`DENSE`], so traffic near the limit does not make it flicker between two lengths.
    pub fn span_at(&self, now: f64, prev: u64, kinds: Kinds<P>) -> u64 {
        let t = now.ceil().max(0.0) as u64;
        let count = |span| self.window(t, span, kinds).count();
        let mut span = span_for(now);
        while span > 2 * TICK_EVERY && count(span) > DENSE {
            span = (span / 2).max(2 * TICK_EVERY);
        }
        if span > prev && prev >= 2 * TICK_EVERY && count(span) > DENSE * 3 / 4 {
            span = prev.min(span_for(now));
        }
        span
    }
}

/// The first time unit of the window of `span` ending at `now`.
pub fn window_start(now: u64, span: u64) -> u64 {
    now.saturating_sub(span)
}

/// The vertical centre of node `i`'s lane, in pixels.
pub fn lane_y(i: usize) -> f64 {
    MARK_ROW + LANE_HEIGHT * (i as f64 + 0.5)
}

/// The y of the cluster-wide mark row.
pub fn mark_row_y() -> f64 {
    MARK_ROW / 2.0
}

/// The y of the time axis line.
pub fn axis_y(nodes: usize) -> f64 {
    MARK_ROW + LANE_HEIGHT * nodes as f64
}

/// The diagram's height for `nodes` lanes.
pub fn height(nodes: usize) -> f64 {
    axis_y(nodes) + AXIS_HEIGHT
}

/// The segment from `(t0, y0)` to `(t1, y1)` (times and pixels) cut to start no earlier than `lo`; `None` if it
/// ends before `lo`. Arrows sent before the window starts enter it from the left edge at the right height.
pub fn clip(a: (f64, f64), b: (f64, f64), lo: f64) -> Option<((f64, f64), (f64, f64))> {
    if b.0 < lo {
        return None;
    }
    if a.0 >= lo {
        return Some((a, b));
    }
    let f = (lo - a.0) / (b.0 - a.0);
    Some(((lo, a.1 + (b.1 - a.1) * f), b))
}

/// The times of the labelled axis ticks within the window: multiples of [`TICK_EVERY`].
pub fn ticks(now: f64, span: u64) -> Vec<u64> {
    let lo = (now - span as f64).max(0.0);
    let hi = lo + span as f64;
    let first = (lo / TICK_EVERY as f64).ceil() as u64 * TICK_EVERY;
    (first..=hi as u64).step_by(TICK_EVERY as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Mode, Msg, MsgKind, Value};
    use paxos_sim::{Command, SimConfig, Simulator};

    /// The diagram's record of a run: the page's history keeps it (see `crate::history`).
    fn run(commands: &[Command]) -> (Simulator, Diagram) {
        let (sim, history) = crate::history::tests::run(commands);
        (sim, history.diagram)
    }

    #[test]
    fn the_span_grows_with_the_run_up_to_its_limit() {
        assert_eq!(span_for(0.0), 2 * TICK_EVERY);
        assert_eq!(span_for(10.0), 2 * TICK_EVERY);
        assert_eq!(span_for(120.0), 200);
        assert_eq!(span_for(10_000.0), SPAN);
    }

    fn propose() -> Command {
        Command::Propose { node: NodeId(0), value: Value::text("v") }
    }

    #[test]
    fn a_busy_window_narrows_to_its_newest_arrows_and_widens_again_without_flicker() {
        let mut lam = Diagram::<Paxos>::default();
        // A message every 2 time units from t=0 to t=1000, each taking 10: 200 in any 400-unit window.
        for i in 0..500u64 {
            let id = MsgId(i);
            lam.arrows.push_back(Arrow {
                id,
                from: NodeId(0),
                to: NodeId(1),
                kind: MsgKind::Prepare,
                msg: Msg::Prepare { ballot: paxos_core::Ballot { round: 1, node: NodeId(0) }, from: Slot(0) },
                copy_of: None,
                sent_time: 2 * i,
                sent_step: i,
                due: 2 * i + 10,
                end: Some(End { time: 2 * i + 10, step: i + 1, how: ArrowEnd::Delivered }),
            });
        }
        let quiet = span_for(1000.0);
        assert_eq!(quiet, SPAN);
        assert!(lam.window(1000, SPAN, Kinds::ALL).count() > DENSE);
        let busy = lam.span_at(1000.0, SPAN, Kinds::ALL);
        assert_eq!(busy, SPAN / 2, "halved once: 100 arrows in 200 units");
        assert!(lam.window(1000, busy, Kinds::ALL).count() <= DENSE);
        // Sparse early in a run: the usual growing span.
        assert_eq!(lam.span_at(100.0, 0, Kinds::ALL), span_for(100.0));
        // Widening needs room to spare: 130 arrows in 260 units is under DENSE but over 3/4 of it, so a window of
        // 200 stays 200 rather than widening to 400 and narrowing back on the next frame.
        let mut thinner = lam.clone();
        thinner.arrows.retain(|a| a.sent_time < 740 || a.sent_time % 4 == 0);
        let wide = thinner.window(1000, SPAN, Kinds::ALL).count();
        assert!(wide <= DENSE && wide > DENSE * 3 / 4, "{wide}");
        assert_eq!(thinner.span_at(1000.0, 200, Kinds::ALL), 200);
        assert_eq!(thinner.span_at(1000.0, SPAN, Kinds::ALL), SPAN);
    }

    #[test]
    fn kinds_read_their_names_and_filter_the_window_its_density_and_its_quiet_time() {
        assert_eq!(Kinds::<Paxos>::parse("all"), Ok(Kinds::ALL));
        assert_eq!(Kinds::<Paxos>::default(), Kinds::ALL);
        let phase1 = Kinds::<Paxos>::parse("prepare,promise").unwrap();
        assert!(phase1.has(MsgKind::Prepare) && phase1.has(MsgKind::Promise));
        assert!(MsgKind::ALL.iter().filter(|&&k| phase1.has(k)).count() == 2);
        assert_eq!(Kinds::<Paxos>::parse("catch_up"), Ok(Kinds(0, PhantomData).with(MsgKind::CatchUp, true)));
        assert_eq!(Kinds::<Paxos>::ALL.with(MsgKind::Heartbeat, false).with(MsgKind::Heartbeat, true), Kinds::ALL);
        let err = Kinds::<Paxos>::parse("prepare,heartbeats").unwrap_err();
        assert!(err.starts_with("unknown message kind “heartbeats”; the kinds are all, prepare, promise"), "{err}");

        // A proposal's messages: with promises hidden, the window holds everything else and no promise.
        let (_, l) = run(&[propose(), Command::Step { count: 60 }]);
        let now = l.last_activity(u64::MAX, Kinds::ALL).unwrap();
        let no_promise = Kinds::<Paxos>::ALL.with(MsgKind::Promise, false);
        let all = l.window(now, SPAN, Kinds::ALL).count();
        let promises = l.window(now, SPAN, Kinds::ALL).filter(|a| a.kind == MsgKind::Promise).count();
        assert!(promises > 0);
        assert_eq!(l.window(now, SPAN, no_promise).count(), all - promises);
        assert!(l.window(now, SPAN, no_promise).all(|a| a.kind != MsgKind::Promise));
        // Only prepares shown: the last activity is the last prepare's delivery (or a later mark), not the end.
        let prepare = Kinds::<Paxos>::parse("prepare").unwrap();
        let last_prepare = l.arrows().filter(|a| a.kind == MsgKind::Prepare).filter_map(|a| a.end).map(|e| e.time);
        let marks = l.marks().map(|m| m.time);
        assert_eq!(l.last_activity(u64::MAX, prepare), last_prepare.chain(marks).max());
    }

    #[test]
    fn hidden_kinds_do_not_narrow_the_window() {
        let mut lam = Diagram::<Paxos>::default();
        // 200 heartbeats and 20 accepts in the last 400 time units: busy only while heartbeats are shown.
        for i in 0..220u64 {
            let kind = if i % 11 == 0 { MsgKind::Accept } else { MsgKind::Heartbeat };
            lam.arrows.push_back(Arrow {
                id: MsgId(i),
                from: NodeId(0),
                to: NodeId(1),
                kind,
                msg: Msg::Prepare { ballot: paxos_core::Ballot { round: 1, node: NodeId(0) }, from: Slot(0) },
                copy_of: None,
                sent_time: 600 + i,
                sent_step: i,
                due: 610 + i,
                end: Some(End { time: 610 + i, step: i + 1, how: ArrowEnd::Delivered }),
            });
        }
        assert!(lam.span_at(1000.0, SPAN, Kinds::ALL) < SPAN);
        assert_eq!(lam.span_at(1000.0, SPAN, Kinds::ALL.with(MsgKind::Heartbeat, false)), SPAN);
    }

    #[test]
    fn a_proposal_draws_an_arrow_per_message_from_send_to_delivery_and_a_chosen_mark() {
        let (sim, l) = run(&[propose(), Command::Step { count: 60 }]);
        let prepares: Vec<&Arrow> = l.arrows().filter(|a| a.kind == MsgKind::Prepare).collect();
        assert_eq!(prepares.len(), 3);
        assert!(prepares.iter().all(|a| a.from == NodeId(0) && a.sent_time == 0));
        let delivered: Vec<&Arrow> =
            l.arrows().filter(|a| matches!(a.end, Some(End { how: ArrowEnd::Delivered, .. }))).collect();
        assert!(delivered.len() > 6);
        for a in &delivered {
            let end = a.end.unwrap();
            assert!(end.time >= a.sent_time && end.step >= a.sent_step, "{a:?}");
            assert_eq!(end.time, a.due, "{a:?}");
        }
        assert!(l.arrows().any(|a| a.kind == MsgKind::Accepted));
        let chosen: Vec<&Mark> = l.marks().filter(|m| matches!(m.kind, MarkKind::Chosen { .. })).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].node, None);
        assert!(chosen[0].describe().starts_with("chosen [0] v at t="), "{}", chosen[0].describe());
        // The run's last activity is its last delivery (or a later mark); at time 0 it is the first sends.
        let last = l.arrows().filter_map(|a| a.end).map(|e| e.time).max().unwrap();
        assert_eq!(l.last_activity(u64::MAX, Kinds::ALL), Some(last.max(chosen[0].time)));
        assert_eq!(l.last_activity(0, Kinds::ALL), Some(0));
        // Every arrow not delivered yet is exactly a message the simulator still has in flight.
        let in_flight: Vec<MsgId> = l.arrows().filter(|a| a.end.is_none()).map(|a| a.id).collect();
        let sim_in_flight: Vec<MsgId> = sim.in_flight().map(|m| m.id).collect();
        assert_eq!(in_flight, sim_in_flight);
        let a = prepares.iter().find(|a| a.to == NodeId(2)).unwrap();
        assert_eq!(a.describe(), format!("m{} prepare(1.0) 0→2, sent t=0, delivered t={}", a.id.0, a.due));
    }

    #[test]
    fn drops_duplicates_delays_crashes_and_restarts_are_recorded() {
        let (_, l) = run(&[
            propose(),
            Command::Drop { msg: MsgId(1) },
            Command::Duplicate { msg: MsgId(2) },
            Command::Delay { msg: MsgId(2), by: 50 },
            Command::Step { count: 3 },
            Command::Crash { node: NodeId(2) },
            Command::Step { count: 40 },
            Command::Restart { node: NodeId(2) },
        ]);
        let dropped = l.arrow(MsgId(1)).unwrap();
        assert_eq!(dropped.end.map(|e| e.how), Some(ArrowEnd::Dropped(DropReason::Manual)));
        assert_eq!(dropped.end.unwrap().time, 0);
        assert!(dropped.describe().ends_with("dropped t=0 (manual)"), "{}", dropped.describe());
        // Dropped by hand before it moved: the arrow stops where it started.
        assert_eq!(dropped.head(100.0), (0.0, 0.0));
        let original = l.arrow(MsgId(2)).unwrap();
        assert!(original.due >= 50);
        let copy = l.arrows().find(|a| a.copy_of == Some(MsgId(2))).unwrap();
        assert_eq!((copy.from, copy.to, copy.kind), (original.from, original.to, original.kind));
        assert!(copy.describe().contains("(copy of m2)"), "{}", copy.describe());
        let node2: Vec<&MarkKind> = l.marks().filter(|m| m.node == Some(NodeId(2))).map(|m| &m.kind).collect();
        assert_eq!(node2, vec![&MarkKind::Crash, &MarkKind::Restart { forgot: false }]);
        let crash = l.marks().find(|m| m.kind == MarkKind::Crash).unwrap().time;
        let restart = l.marks().find(|m| matches!(m.kind, MarkKind::Restart { .. })).unwrap().time;
        assert!(restart > crash);
        assert_eq!(l.down_spans(NodeId(2), restart + 10, SPAN), vec![(crash, restart)]);
        assert_eq!(l.down_spans(NodeId(1), restart + 10, SPAN), vec![]);
        // Messages to a crashed node are dropped when they arrive.
        assert!(l
            .arrows()
            .any(|a| a.to == NodeId(2) && a.end.map(|e| e.how) == Some(ArrowEnd::Dropped(DropReason::Crashed))));
    }

    #[test]
    fn a_node_still_down_is_shaded_up_to_now_even_after_its_crash_mark_scrolled_away() {
        let (sim, mut l) = run(&[Command::Crash { node: NodeId(1) }]);
        let crash_time = sim.time();
        assert_eq!(l.down_spans(NodeId(1), 30, SPAN), vec![(crash_time, 30)]);
        l.marks.clear();
        assert_eq!(l.down_spans(NodeId(1), 500, SPAN), vec![(100, 500)]);
    }

    #[test]
    fn memory_is_bounded_and_keeps_the_newest() {
        let mut sim = Simulator::new(3, SimConfig::new(Mode::Multi, 5), true).unwrap();
        let mut l = Diagram::default();
        sim.apply(propose()).unwrap();
        for round in 0..200u64 {
            if round % 20 == 0 {
                // Followers only: a restarted leader recovers every slot again, and with membership change's
                // pipeline bound the new values wait for it.
                let node = NodeId((round / 20 % 4 + 1) as u8);
                let _ = sim.apply(Command::Crash { node });
                let _ = sim.apply(Command::Restart { node });
            }
            sim.apply(Command::Propose { node: NodeId(0), value: Value::text(&format!("x{round}")) }).ok();
            sim.apply(Command::Step { count: 50 }).unwrap();
            for e in sim.drain_events() {
                l.absorb(&e);
            }
        }
        assert_eq!(l.arrows().count(), MESSAGE_CAPACITY);
        assert_eq!(l.marks().count(), MARK_CAPACITY);
        assert!(l.arrows().map(|a| a.id).collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]));
        // The newest message sent is remembered.
        let newest = l.arrows().last().unwrap();
        assert!(newest.sent_time + 50 >= sim.time(), "{} vs {}", newest.sent_time, sim.time());
        // The window only holds arrows that overlap it.
        let now = sim.time();
        let lo = window_start(now, SPAN);
        assert!(l.window(now, SPAN, Kinds::ALL).count() > 0);
        for a in l.window(now, SPAN, Kinds::ALL) {
            assert!(a.sent_time <= now && a.end.is_none_or(|e| e.time >= lo));
        }
    }

    #[test]
    fn in_flight_arrows_stop_where_the_message_is_now() {
        let (_, l) = run(&[propose()]);
        let a = l.arrows().find(|a| a.from != a.to).unwrap();
        assert_eq!(a.end, None);
        let mid = (a.sent_time + a.due) as f64 / 2.0;
        let (t, f) = a.head(mid);
        assert!((t - mid).abs() < 1e-9 && (f - 0.5).abs() < 1e-9);
        assert_eq!(a.head(1e9), (a.due as f64, 1.0));
        assert!(a.describe().ends_with(&format!("in flight, due t={}", a.due)));
    }

    #[test]
    fn layout_maps_time_to_percent_and_nodes_to_lanes() {
        // Early in a run the window starts at 0 and fills from the left; later the newest time is at the right edge.
        assert_eq!(window_start(100, span_for(100.0)), 0);
        assert_eq!(window_start(1000, span_for(1000.0)), 600);
        assert_eq!(lane_y(0), MARK_ROW + 14.0);
        assert_eq!(lane_y(2) - lane_y(1), LANE_HEIGHT);
        assert!(mark_row_y() < lane_y(0) - LANE_HEIGHT / 2.0 + 1e-9);
        assert_eq!(height(3), MARK_ROW + 3.0 * LANE_HEIGHT + AXIS_HEIGHT);
        assert!(axis_y(3) > lane_y(2));
    }

    #[test]
    fn arrows_entering_from_before_the_window_are_clipped_at_its_edge() {
        assert_eq!(clip((0.0, 10.0), (100.0, 110.0), 50.0), Some(((50.0, 60.0), (100.0, 110.0))));
        assert_eq!(clip((60.0, 10.0), (100.0, 110.0), 50.0), Some(((60.0, 10.0), (100.0, 110.0))));
        assert_eq!(clip((0.0, 10.0), (40.0, 110.0), 50.0), None);
        // A message that left the instant it was sent does not divide by zero.
        assert_eq!(clip((50.0, 10.0), (50.0, 110.0), 50.0), Some(((50.0, 10.0), (50.0, 110.0))));
    }

    #[test]
    fn axis_ticks_are_multiples_within_the_window() {
        assert_eq!(ticks(120.0, 400), vec![0, 50, 100, 150, 200, 250, 300, 350, 400]);
        assert_eq!(ticks(1010.0, 400), vec![650, 700, 750, 800, 850, 900, 950, 1000]);
    }
}
