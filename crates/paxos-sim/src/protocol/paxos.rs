//! Paxos (single-decree and Multi-Paxos, `paxos-core`) behind the [`Protocol`] boundary: the only part of the
//! simulator that names `paxos_core`'s node, messages and events.

use std::sync::Arc;

use paxos_core::{
    AbandonReason, Ballot, Bug, Bugs, Cluster, Config, Envelope, Mode, Msg, Node, NodeEvent, NodeId, NodeSet, Roles,
    Slot, Timing, Value,
};
use rand_core::RngCore;

use crate::checker::{Checker, Violation};
use crate::explore::ExploreOptions;
use crate::limits::{MAX_NODES, MAX_TIMER};
use crate::link::{LinkError, Reader, Writer};
use crate::protocol::Protocol;
use crate::settings::{bugs_of, ClusterSettings, SettingError};
use crate::sim::{SimConfig, SimError, Simulator};
use crate::snapshot::Standing;

pub mod canon;
pub mod judge;
pub mod view;
pub mod words;

/// Paxos, as `paxos-core` runs it: the default protocol of every generic type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Paxos;

const BUGS: [(Bug, &str); 6] = [
    (Bug::Amnesia, "amnesia"),
    (Bug::IgnoreAccepted, "ignore-accepted"),
    (Bug::MinorityQuorum, "minority-quorum"),
    (Bug::BreakPromise, "break-promise"),
    (Bug::AdoptLowest, "adopt-lowest"),
    (Bug::ReconfigureEarly, "reconfigure-early"),
];

impl Protocol for Paxos {
    const NAME: &'static str = "paxos";
    const CODE: u8 = 0;
    type Config = Config;
    type Cluster = Cluster;
    type Node = Node;
    type Msg = Msg;
    type Envelope = Envelope;
    type Event = NodeEvent;
    type Bug = Bug;
    type Round = Ballot;
    type Judge = judge::PaxosJudge;
    type View = view::PaxosView;

    fn size(c: &Config) -> usize {
        c.nodes.len()
    }

    fn validate(c: &Config) -> Result<Arc<Cluster>, SimError> {
        let t = &c.timing;
        for (what, v) in
            [("heartbeat", t.heartbeat), ("election", t.election.1), ("timeout", t.timeout), ("backoff", t.backoff.1)]
        {
            if v > MAX_TIMER {
                return Err(SimError::Timer { what, value: v });
            }
        }
        Ok(Arc::new(c.validate()?))
    }

    fn node(id: NodeId, c: &Arc<Cluster>) -> Node {
        Node::new(id, c.clone())
    }

    #[inline]
    fn id(n: &Node) -> NodeId {
        n.id()
    }

    #[inline]
    fn step(n: &mut Node, from: NodeId, m: Msg, rng: &mut impl RngCore) {
        n.step(from, m, rng)
    }

    #[inline]
    fn tick(n: &mut Node, rng: &mut impl RngCore) {
        n.tick(rng)
    }

    fn propose(n: &mut Node, v: Value) -> Result<(), SimError> {
        Ok(n.propose(v)?)
    }

    fn restart(n: &mut Node) -> bool {
        n.restart()
    }

    #[inline]
    fn outputs(n: &mut Node, out: &mut Vec<Envelope>, ev: &mut Vec<NodeEvent>) {
        n.swap_outputs(out, ev)
    }

    #[inline]
    fn parts(e: &Envelope) -> (NodeId, NodeId, &Msg) {
        (e.from, e.to, &e.msg)
    }

    #[inline]
    fn open(e: Envelope) -> (NodeId, NodeId, Msg) {
        (e.from, e.to, e.msg)
    }

    #[inline]
    fn leads(n: &Node) -> bool {
        n.is_leader()
    }

    #[inline]
    fn round(n: &Node) -> Option<Ballot> {
        n.proposer().map(|p| p.ballot)
    }

    fn kind(m: &Msg) -> &'static str {
        m.kind().name()
    }

    fn words(e: &NodeEvent) -> String {
        words::describe_node_event(e)
    }

    fn view(n: &Node) -> view::PaxosView {
        view::view(n)
    }

    fn timer(n: &Node) -> u32 {
        n.proposer().map_or(0, |p| p.timer)
    }

    fn enable_bug(c: &mut Config, b: Bug) {
        c.bugs = c.bugs.with(b);
    }

    fn members_value(c: &Cluster, m: NodeSet) -> Result<Value, SimError> {
        if c.config.mode != Mode::Multi {
            return Err(SimError::Membership("membership changes are for Multi-Paxos only"));
        }
        Ok(Value::Config(m))
    }

    fn members(c: &Cluster) -> NodeSet {
        c.members
    }

    const CONFIG_LAG: Option<u64> = Some(paxos_core::ALPHA);

    fn grow(c: &Cluster, nodes: &mut [Node]) -> Arc<Cluster> {
        let c = Arc::new(c.grown());
        for n in nodes {
            n.set_cluster(c.clone());
        }
        c
    }

    fn standing(sim: &Simulator<Paxos>, id: NodeId) -> Standing {
        if !sim.cluster().roles(id).acceptor || sim.checker().judge.in_force().contains(id) {
            Standing::Member
        } else if sim.members().contains(id) {
            Standing::Joining
        } else {
            Standing::Retired
        }
    }

    fn bugs() -> &'static [(Bug, &'static str)] {
        &BUGS
    }

    const EXERCISES: &'static str = include_str!("../../exercises.txt");

    fn configure(s: &ClusterSettings) -> Result<Config, SettingError> {
        let mut c = Config::uniform(s.mode.unwrap_or(Mode::Single), s.node_count());
        (c.q1, c.q2) = (s.q1, s.q2);
        c.bugs = bugs_of::<Paxos>(&s.bugs)?.into_iter().fold(c.bugs, Bugs::with);
        Ok(c)
    }

    fn write_config(k: &Config, w: &mut Writer) {
        w.byte(match k.mode {
            Mode::Single => 0,
            Mode::Multi => 1,
        });
        w.uint(k.nodes.len() as u64);
        for r in &k.nodes {
            w.byte(u8::from(r.proposer) | u8::from(r.acceptor) << 1 | u8::from(r.learner) << 2);
        }
        w.opt(k.q1);
        w.opt(k.q2);
        let b = &k.bugs;
        // One bit per bug; break-promise (bit 3) and adopt-lowest (bit 4) came later, so a link without them reads
        // as it always did.
        w.byte(
            u8::from(b.amnesia)
                | u8::from(b.ignore_accepted) << 1
                | u8::from(b.minority_quorum) << 2
                | u8::from(b.break_promise) << 3
                | u8::from(b.adopt_lowest) << 4
                | u8::from(b.reconfigure_early) << 5,
        );
        let t = &k.timing;
        for v in [t.heartbeat, t.election.0, t.election.1, t.timeout, t.backoff.0, t.backoff.1] {
            w.uint(u64::from(v));
        }
    }

    fn read_config(r: &mut Reader) -> Result<Config, LinkError> {
        let mode = match r.byte("the mode")? {
            0 => Mode::Single,
            1 => Mode::Multi,
            b => return Err(LinkError::Malformed(format!("mode {b} is unknown"))),
        };
        let n = r.uint("the node count")?;
        // The full rule (MIN_NODES too) is the configuration's, checked with the rest of it; this bound only keeps
        // the roles' allocation small.
        if n > MAX_NODES as u64 {
            return Err(LinkError::Invalid(SimError::Nodes(n.try_into().unwrap_or(usize::MAX))));
        }
        let mut nodes = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let b = r.byte("the roles")?;
            if b > 7 {
                return Err(LinkError::Malformed(format!("roles byte {b} is unknown")));
            }
            nodes.push(Roles { proposer: b & 1 != 0, acceptor: b & 2 != 0, learner: b & 4 != 0 });
        }
        let q1 = r.opt("q1")?;
        let q2 = r.opt("q2")?;
        let b = r.byte("the bugs")?;
        if b > 63 {
            return Err(LinkError::Malformed(format!("bugs byte {b} is unknown")));
        }
        let bugs = Bugs {
            amnesia: b & 1 != 0,
            ignore_accepted: b & 2 != 0,
            minority_quorum: b & 4 != 0,
            break_promise: b & 8 != 0,
            adopt_lowest: b & 16 != 0,
            reconfigure_early: b & 32 != 0,
        };
        let timing = Timing {
            heartbeat: r.u32("the heartbeat")?,
            election: (r.u32("the election timeout")?, r.u32("the election timeout")?),
            timeout: r.u32("the phase timeout")?,
            backoff: (r.u32("the backoff")?, r.u32("the backoff")?),
        };
        Ok(Config { mode, nodes, q1, q2, bugs, timing })
    }

    type Key = canon::NodeKey;

    fn explorer_config(opts: &ExploreOptions) -> Config {
        opts.config()
    }

    fn key(c: &Cluster, n: &Node) -> canon::NodeKey {
        canon::NodeKey::key(n, c.config.mode == Mode::Single)
    }

    fn reduces(c: &Cluster) -> bool {
        c.config.mode == Mode::Single
    }

    fn dead_to(c: &Cluster, n: &Node, from: NodeId, m: &Msg, can_restart: bool) -> bool {
        canon::dead_at(canon::Rules::of(c), n, from, m, can_restart)
    }

    fn done_with(c: &Cluster, n: &Node, to: NodeId, m: &Msg) -> bool {
        canon::done_with(canon::Rules::of(c), n, m, c.roles(to).acceptor)
    }

    fn settle(c: &Cluster, checker: &mut Checker, n: &Node) {
        // A proposer no longer preparing never reads its phase 1 again (its single ballot is over or in phase 2).
        if c.config.mode == Mode::Single && !canon::preparing(n) {
            checker.forget_phase1(n.id());
        }
    }

    fn explorer_restart(c: &Cluster, checker: &mut Checker, n: &Node) -> Option<Violation> {
        let id = n.id();
        let v = if c.roles(id).acceptor { checker.restarted_with(0, id, n.durable().promised) } else { None };
        if c.config.mode == Mode::Single {
            checker.forget_phase1(id);
        }
        v
    }

    fn started_round(e: &NodeEvent) -> Option<u64> {
        match e {
            NodeEvent::Preparing { ballot } => Some(u64::from(ballot.round)),
            _ => None,
        }
    }

    fn learned(e: &NodeEvent) -> Option<(Slot, &Value)> {
        match e {
            NodeEvent::Learned { slot, value } => Some((*slot, value)),
            _ => None,
        }
    }

    fn adopted(e: &NodeEvent) -> Option<&Value> {
        match e {
            NodeEvent::Adopted { value, from: Some(_), .. } => Some(value),
            _ => None,
        }
    }

    /// No live proposer reaches, both ways, `q` live acceptors (itself among them if it is one), `q` being the larger
    /// of the two phases' quorums the nodes use. Crashes and cut links count; a lossy link does not (a message may
    /// still get through).
    fn no_quorum(sim: &Simulator<Paxos>) -> bool {
        let c = sim.cluster();
        !c.nodes().any(|p| c.roles(p).proposer && Paxos::reaches_quorum(sim, p))
    }

    /// Only the acceptors of the configuration in force count (see [`Standing`]).
    fn reaches_quorum(sim: &Simulator<Paxos>, p: NodeId) -> bool {
        let c = sim.cluster();
        let m = sim.checker().judge.in_force();
        let (q1, q2) = c.quorums(m, false);
        let linked = |a: NodeId, b: NodeId| a == b || !sim.link_cut(a, b) && !sim.link_cut(b, a);
        sim.is_up(p) && m.iter().filter(|&a| sim.is_up(a) && linked(p, a)).count() >= q1.max(q2)
    }

    fn dueling_words(rounds: u32) -> String {
        format!("{rounds} ballots started, each pre-empted (dueling proposers)")
    }

    fn as_of_trace_version(e: &mut NodeEvent, version: u32) {
        match e {
            NodeEvent::Adopted { passed_over, .. } if version < 2 => *passed_over = None,
            NodeEvent::Abandoned { reason: AbandonReason::Rejected { acceptor, .. }, .. } if version < 3 => {
                *acceptor = None
            }
            _ => {}
        }
    }
}

impl SimConfig<Paxos> {
    /// `n` nodes with every role, the default network.
    pub fn new(mode: Mode, n: usize) -> SimConfig {
        SimConfig::of(Config::uniform(mode, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bug_is_named_as_the_core_names_it() {
        assert_eq!(Paxos::bugs().iter().map(|b| b.0).collect::<Vec<_>>(), Bug::ALL);
        assert!(Paxos::bugs().iter().all(|(b, name)| b.name() == *name));
    }
}
