//! Liveness and throughput, measured: what a run chose per unit of simulated time, how long client requests waited,
//! what was going wrong meanwhile (crashes, partitions, cuts, no leader), and a stall named as it happens.
//!
//! A [`Meter`] reads the same events a trace lists and the page's event log shows ([`Event`]), batch by batch, with
//! the simulator as it is after the batch (the simulator must record: `Simulator::new(…, true)`). It names no
//! protocol: a value chosen is the checker's `Chosen` event, a round started is [`Protocol::started_round`], and
//! whether a quorum is reachable is the protocol's own answer ([`Protocol::no_quorum`],
//! [`Protocol::reaches_quorum`]). The page keeps one in each checkpoint, so the moment shown has its own reading;
//! `paxos bench --workload` prints its series.
//!
//! Time is cut into windows of [`WINDOW`] time units. Each closed window keeps its commits and the median and 99th
//! percentile latency of the requests chosen in it (from the client's Propose to the checker's Chosen), so the page
//! can draw a chart of any part of the run without keeping every request.

use std::sync::Arc;

use paxos_core::{NodeId, NodeSet, Value};

use crate::command::Command;
use crate::event::{Event, EventKind};
use crate::protocol::{Paxos, Protocol};
use crate::sim::Simulator;

/// The width of one window of the series, in simulated time units.
pub const WINDOW: u64 = 100;
/// A stall is named once requests have waited this long with no value chosen, in simulated time units.
pub const STALL_AFTER: u64 = 200;
/// Closed windows are kept in shared chunks of this many, so a checkpoint's copy of a long series is cheap.
const CHUNK: usize = 256;

/// One window of the series: `[start, start + WINDOW)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    /// Its first time unit.
    pub start: u64,
    /// Values chosen in it (configurations and no-ops included: every slot the log filled).
    pub commits: u32,
    /// Client requests chosen in it (those whose latency is measured).
    pub requests: u32,
    /// The median latency of those requests, in time units (0 when there were none).
    pub p50: u32,
    /// Their 99th percentile latency.
    pub p99: u32,
}

/// What went wrong over a span of time: drawn as a band behind the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BandKind {
    /// The node was crashed.
    Crash(NodeId),
    /// The cluster was partitioned.
    Partition,
    /// A link was cut (and no partition was in force).
    Cut,
    /// No node led.
    NoLeader,
}

impl BandKind {
    /// The band's name in the CSV and the chart's table.
    pub fn name(self) -> String {
        match self {
            BandKind::Crash(n) => format!("crash {n}"),
            BandKind::Partition => "partition".into(),
            BandKind::Cut => "cut".into(),
            BandKind::NoLeader => "no leader".into(),
        }
    }
}

/// A span of time something was wrong; `to` is `None` while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// What.
    pub kind: BandKind,
    /// From when.
    pub from: u64,
    /// Until when.
    pub to: Option<u64>,
}

/// A moment marked on the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A node became the leader (the first one, or a change).
    Leader {
        /// When.
        time: u64,
        /// Who.
        node: NodeId,
    },
    /// A configuration was chosen (membership change: Multi-Paxos chose it, Raft committed it): its acceptors.
    Config {
        /// When.
        time: u64,
        /// The acceptors after the change.
        members: NodeSet,
    },
}

impl Mark {
    /// When.
    pub fn time(self) -> u64 {
        match self {
            Mark::Leader { time, .. } | Mark::Config { time, .. } => time,
        }
    }
}

/// Why no value has been chosen while requests wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// No live node reaches a quorum.
    NoQuorum,
    /// The leader cannot reach a quorum (cut off, or a minority side of a partition); requests wait at it.
    LeaderIsolated(NodeId),
    /// Rounds keep starting and none wins: dueling proposers in Paxos, split votes in Raft.
    Dueling {
        /// Rounds started since the last value was chosen.
        rounds: u32,
    },
    /// No node leads yet.
    NoLeader,
    /// Requests wait, for none of the reasons above (lost messages, a slow network).
    Waiting,
}

/// A stall: requests have waited at least [`STALL_AFTER`] with nothing chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stall {
    /// Time units since a value was last chosen (or since the oldest waiting request was made, if later).
    pub for_time: u64,
    /// Requests waiting.
    pub waiting: usize,
    /// Why, as far as the run shows.
    pub cause: Cause,
}

impl Stall {
    /// The stall in words, as the page's meter and the CLI say it: "no value chosen for 400 time units: 6 ballots
    /// started, each pre-empted (dueling proposers)".
    pub fn words<P: Protocol>(&self) -> String {
        let why = match self.cause {
            Cause::NoQuorum => "no quorum reachable".to_string(),
            Cause::LeaderIsolated(n) => format!("leader {n} isolated: requests wait"),
            Cause::Dueling { rounds } => P::dueling_words(rounds),
            Cause::NoLeader => "no leader: requests wait".to_string(),
            Cause::Waiting => {
                format!(
                    "{} waiting",
                    if self.waiting == 1 { "1 request".into() } else { format!("{} requests", self.waiting) }
                )
            }
        };
        format!("no value {} for {} time units: {why}", P::DECIDED, self.for_time)
    }
}

/// The series and the stall detector of one run. See the module's documentation.
#[derive(Clone, Debug)]
pub struct Meter<P: Protocol = Paxos> {
    /// Closed windows, in shared chunks of [`CHUNK`].
    chunks: Vec<Arc<[Window]>>,
    /// Closed windows not yet in a chunk.
    closed: Vec<Window>,
    /// The open window, and the latencies of its requests.
    open: Window,
    latencies: Vec<u32>,
    /// Requests proposed and not yet chosen, with when they were made.
    pending: Vec<(Value, u64)>,
    bands: Vec<Band>,
    marks: Vec<Mark>,
    /// When a value was last chosen.
    last_chosen: u64,
    /// Rounds started since then.
    rounds: u32,
    leader: Option<NodeId>,
    /// The stall at the simulator's time, as of the last batch.
    stall: Option<Stall>,
    _protocol: std::marker::PhantomData<P>,
}

impl<P: Protocol> Default for Meter<P> {
    fn default() -> Self {
        Meter {
            chunks: Vec::new(),
            closed: Vec::new(),
            open: Window::default(),
            latencies: Vec::new(),
            pending: Vec::new(),
            bands: Vec::new(),
            marks: Vec::new(),
            last_chosen: 0,
            rounds: 0,
            leader: None,
            stall: None,
            _protocol: std::marker::PhantomData,
        }
    }
}

impl<P: Protocol> Meter<P> {
    /// A meter of a run at time 0.
    pub fn new() -> Meter<P> {
        Meter::default()
    }

    /// Reads a batch of events (in order), then the simulator as it is after them.
    pub fn observe(&mut self, events: &[Event<P>], sim: &Simulator<P>) {
        for e in events {
            self.roll(e.time);
            match &e.kind {
                EventKind::Command { command: Command::Propose { value, .. } } => {
                    self.pending.push((value.clone(), e.time))
                }
                EventKind::Chosen { chosen, .. } => {
                    if let Value::Config(members) = chosen.value {
                        self.marks.push(Mark::Config { time: e.time, members });
                    }
                    self.open.commits += 1;
                    self.last_chosen = e.time;
                    self.rounds = 0;
                    if let Some(i) = self.pending.iter().position(|(v, _)| *v == chosen.value) {
                        let (_, sent) = self.pending.swap_remove(i);
                        self.open.requests += 1;
                        self.latencies.push(u32::try_from(e.time - sent).unwrap_or(u32::MAX));
                    }
                }
                EventKind::Node { event, .. } if P::started_round(event).is_some() => {
                    self.rounds = self.rounds.saturating_add(1)
                }
                EventKind::Crash { node } => self.begin(BandKind::Crash(*node), e.time),
                EventKind::Restart { node, .. } => self.end(BandKind::Crash(*node), e.time),
                EventKind::Command { command: Command::Partition { .. } } => {
                    self.end(BandKind::Cut, e.time);
                    self.begin(BandKind::Partition, e.time);
                }
                EventKind::Command { command: Command::Cut { .. } } if !self.lasts(BandKind::Partition) => {
                    self.begin(BandKind::Cut, e.time)
                }
                _ => {}
            }
        }
        let time = sim.time();
        self.roll(time);
        // A heal (of every link, or of the last cut one) ends the network's band.
        // Every node, the joined ones too (`add-node` grows the cluster past its configured size).
        let n = sim.nodes().len();
        let cut = (0..n).any(|a| (0..n).any(|b| a != b && sim.link_cut(NodeId(a as u8), NodeId(b as u8))));
        if !cut {
            self.end(BandKind::Partition, time);
            self.end(BandKind::Cut, time);
        }
        let leader = sim.leader();
        match (self.leader, leader) {
            (Some(_), None) => self.begin(BandKind::NoLeader, time),
            (old, Some(new)) if old != Some(new) => {
                self.end(BandKind::NoLeader, time);
                self.marks.push(Mark::Leader { time, node: new });
            }
            _ => {}
        }
        if self.leader.is_none() && leader.is_none() && !self.lasts(BandKind::NoLeader) && time > 0 {
            self.begin(BandKind::NoLeader, time);
        }
        self.leader = leader;
        self.stall = self.stall_now(sim);
    }

    fn stall_now(&self, sim: &Simulator<P>) -> Option<Stall> {
        let oldest = self.pending.iter().map(|&(_, t)| t).min()?;
        let since = self.last_chosen.max(oldest);
        let for_time = sim.time().saturating_sub(since);
        if for_time < STALL_AFTER {
            return None;
        }
        let cause = if P::no_quorum(sim) {
            Cause::NoQuorum
        } else if let Some(l) = sim.leader().filter(|&l| !P::reaches_quorum(sim, l)) {
            Cause::LeaderIsolated(l)
        } else if self.rounds >= 2 {
            Cause::Dueling { rounds: self.rounds }
        } else if sim.leader().is_none() {
            Cause::NoLeader
        } else {
            Cause::Waiting
        };
        Some(Stall { for_time, waiting: self.pending.len(), cause })
    }

    /// Closes the windows that end by `time`.
    fn roll(&mut self, time: u64) {
        while time >= self.open.start + WINDOW {
            let mut w = std::mem::take(&mut self.latencies);
            if !w.is_empty() {
                w.sort_unstable();
                self.open.p50 = w[(w.len() - 1) / 2];
                self.open.p99 = w[((w.len() * 99).div_ceil(100)).max(1) - 1];
            }
            w.clear();
            self.latencies = w;
            let next = Window { start: self.open.start + WINDOW, ..Window::default() };
            self.closed.push(std::mem::replace(&mut self.open, next));
            if self.closed.len() == CHUNK {
                self.chunks.push(std::mem::take(&mut self.closed).into());
            }
        }
    }

    fn lasts(&self, kind: BandKind) -> bool {
        self.bands.iter().rev().any(|b| b.kind == kind && b.to.is_none())
    }

    fn begin(&mut self, kind: BandKind, time: u64) {
        if !self.lasts(kind) {
            self.bands.push(Band { kind, from: time, to: None });
        }
    }

    fn end(&mut self, kind: BandKind, time: u64) {
        if let Some(b) = self.bands.iter_mut().rev().find(|b| b.kind == kind && b.to.is_none()) {
            b.to = Some(time);
        }
    }

    /// The closed windows, oldest first.
    pub fn windows(&self) -> impl Iterator<Item = &Window> + '_ {
        self.chunks.iter().flat_map(|c| c.iter()).chain(&self.closed)
    }

    /// How many windows are closed.
    pub fn closed(&self) -> usize {
        self.chunks.len() * CHUNK + self.closed.len()
    }

    /// The spans something was wrong, in the order they began.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The leader changes, in order.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// The stall at the time of the last batch, if requests wait and nothing has been chosen for [`STALL_AFTER`].
    pub fn stall(&self) -> Option<Stall> {
        self.stall
    }

    /// Requests waiting to be chosen.
    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// The series as CSV: a header, then a line per closed window (`start,commits,requests,p50,p99`, latencies
    /// empty for a window that chose no request), then a line per band and mark (`band,KIND,FROM,TO` and
    /// `leader,node N,TIME,` / `config,slot S,TIME,`): the page's export and `paxos bench --workload --csv`.
    pub fn csv(&self) -> String {
        self.csv_since(0)
    }

    /// [`Meter::csv`] of what happened from time `from` on (the windows that start then or later, the bands that
    /// end then or later, the marks then or later): what the charts draw of a long run.
    pub fn csv_since(&self, from: u64) -> String {
        let mut s = String::from("window_start,commits,requests,latency_p50,latency_p99\n");
        for w in self.windows().filter(|w| w.start >= from) {
            let lat = |x: u32| if w.requests > 0 { x.to_string() } else { String::new() };
            s += &format!("{},{},{},{},{}\n", w.start, w.commits, w.requests, lat(w.p50), lat(w.p99));
        }
        s += "\nwhat,kind,from,to\n";
        for b in self.bands.iter().filter(|b| b.to.is_none_or(|t| t >= from)) {
            s += &format!("band,{},{},{}\n", b.kind.name(), b.from, b.to.map_or(String::new(), |t| t.to_string()));
        }
        for m in self.marks.iter().filter(|m| m.time() >= from) {
            s += &match *m {
                Mark::Leader { time, node } => format!("leader,node {node},{time},\n"),
                Mark::Config { time, members } => {
                    let ids: Vec<String> = members.iter().map(|n| n.to_string()).collect();
                    format!("config,nodes {},{time},\n", ids.join(" "))
                }
            };
        }
        s
    }
}

/// The stalls a run named, each with the time it was named.
pub type Said = Vec<(u64, String)>;

/// A client's workload on a run: `sim` runs to time `until` while a client asks the leader (else node 0) for the
/// next transaction ID every `every` time units, and each of `faults` is applied once its time has come. Returns the
/// meter, and each stall as it was named, with when (a stall is said again when its cause changes). The page's
/// client does the same; `paxos bench --workload` prints it.
pub fn workload<P: Protocol>(
    mut sim: Simulator<P>,
    every: u64,
    until: u64,
    faults: &[(u64, Command)],
) -> Result<(Meter<P>, Said), (u64, crate::sim::SimError)> {
    let mut meter = Meter::<P>::new();
    let (mut next, mut req, mut said) = (every, 0, Said::new());
    let mut faults = faults.iter().peekable();
    while sim.time() < until && !sim.stopped() {
        sim.step();
        if sim.time() >= next {
            next += every;
            let node = sim.leader().unwrap_or(NodeId(0));
            if sim.is_up(node) {
                let _ = sim.apply(Command::Propose { node, value: Value::Txn { client: 1, req } });
                req += 1;
            }
        }
        while let Some((t, c)) = faults.next_if(|(t, _)| sim.time() >= *t) {
            sim.apply(c.clone()).map_err(|e| (*t, e))?;
        }
        let events: Vec<_> = sim.drain_events().collect();
        meter.observe(&events, &sim);
        if let Some(s) = meter.stall() {
            let w = s.words::<P>();
            let cause = |l: &str| l.split_once(": ").map(|(_, c)| c.split(' ').skip(1).collect::<String>());
            if said.last().is_none_or(|(_, l)| cause(l) != cause(&w)) {
                said.push((sim.time(), w));
            }
        }
    }
    Ok((meter, said))
}

#[cfg(test)]
mod tests {
    use paxos_core::{Mode, NodeId};

    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_steady_client_is_measured_and_never_stalls() {
        let sim = Simulator::new(1, SimConfig::new(Mode::Multi, 5), true).unwrap();
        let (m, said) = workload(sim, 20, 3000, &[]).unwrap();
        assert_eq!(m.closed(), 30);
        let after_election: Vec<_> = m.windows().skip(5).collect();
        assert!(after_election.iter().all(|w| w.requests == 5 && w.commits == 5), "{after_election:?}");
        assert!(after_election.iter().all(|w| w.p50 > 0 && w.p50 <= w.p99 && w.p99 < 40), "{after_election:?}");
        assert!(said.is_empty(), "{said:?}");
        assert!(matches!(m.marks(), [Mark::Leader { .. }]), "{:?}", m.marks());
        assert!(m.csv().starts_with("window_start,commits,requests,latency_p50,latency_p99\n0,"));
    }

    #[test]
    fn a_partition_that_leaves_no_quorum_is_named_and_banded() {
        let sim = Simulator::new(1, SimConfig::new(Mode::Multi, 5), true).unwrap();
        let split = Command::Partition { groups: vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2), NodeId(3)]] };
        let (m, said) = workload(sim, 20, 3000, &[(1000, split), (2000, Command::Heal)]).unwrap();
        assert!(said.iter().any(|(t, w)| (1200..1400).contains(t) && w.ends_with("no quorum reachable")), "{said:?}");
        // Each side's proposers kept starting ballots that the other side's never heard of.
        assert!(said.iter().any(|(t, w)| *t >= 2000 && w.contains("ballots started, each pre-empted")), "{said:?}");
        let band = m.bands().iter().find(|b| b.kind == BandKind::Partition).expect("a partition band");
        assert_eq!((band.from, band.to), (1000, Some(2000)));
        let during: Vec<_> = m.windows().filter(|w| (1100..2000).contains(&w.start)).collect();
        assert!(during.iter().all(|w| w.commits == 0), "{during:?}");
        let after: Vec<_> = m.windows().filter(|w| w.start >= 2200).collect();
        assert!(after.iter().all(|w| w.commits > 0), "the cluster recovers after the heal: {after:?}");
        // The requests that waited out the partition are chosen after the heal, late.
        assert!(m.windows().any(|w| w.start >= 2000 && w.p99 > 500), "{:?}", m.csv());
    }

    #[test]
    fn a_joined_node_cut_off_is_a_partition_until_the_heal_and_each_configuration_is_marked() {
        let sim = Simulator::new(1, SimConfig::new(Mode::Multi, 3), true).unwrap();
        let faults = [
            (300, Command::AddNode),
            (1000, Command::Partition { groups: vec![vec![NodeId(3)]] }),
            (1500, Command::Heal),
        ];
        let (m, _) = workload(sim, 20, 2000, &faults).unwrap();
        let band = m.bands().iter().find(|b| b.kind == BandKind::Partition).expect("a partition band");
        assert_eq!((band.from, band.to), (1000, Some(1500)), "node 3 is past the configured size");
        assert!(
            matches!(m.marks().iter().find(|k| matches!(k, Mark::Config { .. })), Some(Mark::Config { members, .. }) if members.len() == 4)
        );
    }

    #[test]
    fn a_crashed_leader_leaves_no_leader_until_another_is_elected() {
        let sim = Simulator::new(1, SimConfig::raft(5), true).unwrap();
        let mut probe = Simulator::new(1, SimConfig::raft(5), false).unwrap();
        while probe.time() < 1000 {
            probe.step();
        }
        let leader = probe.leader().expect("Raft elects a leader by time 1000");
        let (m, _) = workload(sim, 20, 3000, &[(1000, Command::Crash { node: leader })]).unwrap();
        let crash = m.bands().iter().find(|b| b.kind == BandKind::Crash(leader)).expect("a crash band");
        assert_eq!((crash.from, crash.to), (1000, None));
        let gap = m.bands().iter().find(|b| b.kind == BandKind::NoLeader && b.from >= 1000).expect("no leader");
        assert!(gap.to.is_some_and(|t| t > 1000 && t < 2000), "{gap:?}");
        assert_eq!(m.marks().iter().filter(|k| matches!(k, Mark::Leader { .. })).count(), 2, "{:?}", m.marks());
    }
}
