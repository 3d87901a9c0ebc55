//! Raft (`raft-core`) behind the [`Protocol`] boundary: the only part of the simulator that names `raft_core`'s node,
//! messages and events. The network, faults, time, commands, the checker's machinery and everything above them are
//! the ones Paxos runs on.

use std::sync::Arc;

use paxos_core::{NodeId, NodeSet, Slot, Value};
use raft_core::{Bug, Bugs, Cluster, Config, Envelope, Msg, Node, NodeEvent, Term, Timing};
use rand_core::RngCore;

use crate::explore::ExploreOptions;
use crate::goal::Term as GoalTerm;
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

/// Raft, as `raft-core` runs it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Raft;

const BUGS: [(Bug, &str); 4] = [
    (Bug::CommitOldTerm, "commit-old-term"),
    (Bug::ForgetVote, "forget-vote"),
    (Bug::NoLogCheck, "no-log-check"),
    (Bug::ChangeTwoAtOnce, "change-two-at-once"),
];

impl Protocol for Raft {
    const NAME: &'static str = "raft";
    const DECIDED: &'static str = "committed";
    const CODE: u8 = 1;
    type Config = Config;
    type Cluster = Cluster;
    type Node = Node;
    type Msg = Msg;
    type Envelope = Envelope;
    type Event = NodeEvent;
    type Bug = Bug;
    type Round = Term;
    type Judge = judge::RaftJudge;
    type View = view::RaftView;

    fn size(c: &Config) -> usize {
        c.nodes
    }

    fn validate(c: &Config) -> Result<Arc<Cluster>, SimError> {
        let t = &c.timing;
        for (what, v) in [("heartbeat", t.heartbeat), ("election", t.election.1)] {
            if v > MAX_TIMER {
                return Err(SimError::Timer { what, value: v });
            }
        }
        Ok(Arc::new(c.validate().map_err(|e| SimError::Protocol(e.to_string()))?))
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
        n.propose(v).map_err(|e| SimError::Protocol(e.to_string()))
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
    fn round(n: &Node) -> Option<Term> {
        Some(n.durable().term)
    }

    fn kind(m: &Msg) -> &'static str {
        m.kind().name()
    }

    fn words(e: &NodeEvent) -> String {
        words::describe_node_event(e)
    }

    fn configure(s: &ClusterSettings) -> Result<Config, SettingError> {
        let not_for = |key, why| Err(SettingError::NotFor { key, protocol: Raft::NAME, why });
        match s {
            ClusterSettings { mode: Some(paxos_core::Mode::Single), .. } => {
                return not_for("mode", "Raft always runs a log, as Multi-Paxos does")
            }
            ClusterSettings { q1: Some(_), .. } | ClusterSettings { q2: Some(_), .. } => {
                let key = if s.q1.is_some() { "q1" } else { "q2" };
                return not_for(key, "Raft's elections and commits both count a majority");
            }
            _ => {}
        }
        let mut c = Config::new(s.node_count());
        c.bugs = bugs_of::<Raft>(&s.bugs)?.into_iter().fold(c.bugs, Bugs::with);
        Ok(c)
    }

    fn view(n: &Node) -> view::RaftView {
        view::view(n)
    }

    fn timer(n: &Node) -> u32 {
        n.timer()
    }

    fn enable_bug(c: &mut Config, b: Bug) {
        c.bugs = c.bugs.with(b);
    }

    /// A membership change is a `Value::Config` entry the leader appends (`raft_core`'s `membership.rs`).
    fn members_value(_c: &Cluster, m: NodeSet) -> Result<Value, SimError> {
        Ok(Value::Config(m))
    }

    fn members(c: &Cluster) -> NodeSet {
        c.members
    }

    /// The latest configuration in the leader's log: the change is one server from it, whatever was truncated.
    fn configuration(sim: &Simulator<Raft>, at: NodeId) -> Option<NodeSet> {
        Some(sim.nodes()[at.index()].configuration())
    }

    fn grow(c: &Cluster, nodes: &mut [Node]) -> Arc<Cluster> {
        let c = Arc::new(c.grown());
        for n in nodes {
            n.set_cluster(c.clone());
        }
        c
    }

    /// A member: in the last committed configuration and (while a node leads) in the leader's; joining: in the
    /// leader's configuration, not yet committed; retired: in neither (a removal counts at once at the leader).
    fn standing(sim: &Simulator<Raft>, id: NodeId) -> Standing {
        let committed = sim.checker().judge.committed_configuration();
        let latest = sim.leader().map_or(committed, |l| sim.nodes()[l.index()].configuration());
        match (latest.contains(id), committed.contains(id)) {
            (true, true) => Standing::Member,
            (true, false) => Standing::Joining,
            (false, _) => Standing::Retired,
        }
    }

    fn bugs() -> &'static [(Bug, &'static str)] {
        &BUGS
    }

    const EXERCISES: &'static str = include_str!("../../exercises-raft.txt");

    const NOT_GOALS: &'static [(&'static str, &'static str)] = &[
        ("adopted-other", "a Raft leader never adopts a value from an earlier term as its own; it sends its log"),
        ("no-op", "every Raft leader commits one when elected"),
    ];

    fn started_round(e: &NodeEvent) -> Option<u64> {
        match e {
            NodeEvent::Campaigned { term, .. } => Some(u64::from(term.0)),
            _ => None,
        }
    }

    fn learned(e: &NodeEvent) -> Option<(Slot, &Value)> {
        match e {
            NodeEvent::Committed { slot, value, .. } => Some((*slot, value)),
            _ => None,
        }
    }

    /// No live node reaches, both ways, a majority of live nodes (itself among them): no election or commit can
    /// finish. Crashes and cut links count; a lossy link does not.
    fn no_quorum(sim: &Simulator<Raft>) -> bool {
        !sim.cluster().nodes().any(|p| Raft::reaches_quorum(sim, p))
    }

    /// Counted in `p`'s configuration (the latest in its log), of which `p` must be a server.
    fn reaches_quorum(sim: &Simulator<Raft>, p: NodeId) -> bool {
        let m = sim.nodes()[p.index()].configuration();
        let linked = |a: NodeId, b: NodeId| a == b || !sim.link_cut(a, b) && !sim.link_cut(b, a);
        sim.is_up(p)
            && m.contains(p)
            && m.iter().filter(|&a| sim.is_up(a) && linked(p, a)).count() >= raft_core::majority(m)
    }

    fn dueling_words(rounds: u32) -> String {
        format!("{rounds} elections started, none won (split votes)")
    }

    fn goal_words(t: &GoalTerm) -> Option<String> {
        Some(match t {
            GoalTerm::Chosen(None) => "a value is committed".into(),
            GoalTerm::Chosen(Some(v)) => format!("{v} is committed"),
            GoalTerm::Learned(n, None) => format!("node {n} commits a value"),
            GoalTerm::Learned(n, Some(v)) => format!("node {n} commits {v}"),
            GoalTerm::TwoChosen => "two values are committed in one slot".into(),
            GoalTerm::Round(r) => format!("a node campaigns in term {r} or later"),
            GoalTerm::NoQuorum => "no majority is reachable".into(),
            GoalTerm::LearnersDisagree => "two nodes commit different values in one slot".into(),
            _ => return None,
        })
    }

    fn write_config(k: &Config, w: &mut Writer) {
        w.uint(k.nodes as u64);
        let b = &k.bugs;
        w.byte(
            u8::from(b.commit_old_term)
                | u8::from(b.forget_vote) << 1
                | u8::from(b.no_log_check) << 2
                | u8::from(b.change_two_at_once) << 3,
        );
        let t = &k.timing;
        for v in [t.heartbeat, t.election.0, t.election.1, t.timeout, t.backoff.0, t.backoff.1, k.max_entries] {
            w.uint(u64::from(v));
        }
    }

    fn read_config(r: &mut Reader) -> Result<Config, LinkError> {
        let n = r.uint("the node count")?;
        if n > MAX_NODES as u64 {
            return Err(LinkError::Invalid(SimError::Nodes(n.try_into().unwrap_or(usize::MAX))));
        }
        let b = r.byte("the bugs")?;
        if b > 15 {
            return Err(LinkError::Malformed(format!("bugs byte {b} is unknown")));
        }
        let bugs = Bugs {
            commit_old_term: b & 1 != 0,
            forget_vote: b & 2 != 0,
            no_log_check: b & 4 != 0,
            change_two_at_once: b & 8 != 0,
        };
        let timing = Timing {
            heartbeat: r.u32("the heartbeat")?,
            election: (r.u32("the election timeout")?, r.u32("the election timeout")?),
            timeout: r.u32("the phase timeout")?,
            backoff: (r.u32("the backoff")?, r.u32("the backoff")?),
        };
        let max_entries = r.u32("the entries per AppendEntries")?;
        Ok(Config { nodes: n as usize, bugs, timing, max_entries })
    }

    type Key = canon::NodeKey;

    /// Two elections: enough for two candidates in one term (forget-vote), a leader's entry and a rival with a
    /// shorter log (no-log-check), and, with a crash, a leader of a later term holding an earlier term's entry
    /// (commit-old-term, Figure 8).
    const TIMEOUTS: u8 = 2;

    /// `acceptors` nodes (every Raft node votes, as every acceptor promises), one entry per AppendEntries.
    fn explorer_config(opts: &ExploreOptions<Raft>) -> Config {
        let mut c = Config::new(opts.acceptors);
        if let Some(bug) = opts.bug {
            c.bugs = c.bugs.with(bug);
        }
        c
    }

    fn key(_c: &Cluster, n: &Node) -> canon::NodeKey {
        canon::NodeKey::of(n)
    }

    fn reduces(_c: &Cluster) -> bool {
        true
    }

    fn dead_to(_c: &Cluster, n: &Node, from: NodeId, m: &Msg, _can_restart: bool) -> bool {
        canon::dead_to(n, from, m)
    }

    /// A reply has no reply: its sender is done with it. (A request is never dead to its receiver.)
    fn done_with(_c: &Cluster, _n: &Node, _to: NodeId, m: &Msg) -> bool {
        matches!(m, Msg::Vote { .. } | Msg::AppendReply { .. })
    }

    fn timeout(n: &mut Node, rng: &mut impl RngCore) -> bool {
        // A leader's timer is its heartbeat, which the explorer does not fire: a leader already sends its entries
        // as it appends them and as replies come in.
        if n.is_leader() || !n.is_member() {
            return false;
        }
        n.campaign(rng);
        true
    }
}

impl SimConfig<Raft> {
    /// `n` Raft nodes, the default network (Paxos's), one entry per AppendEntries (so Figure 8's old-term entry can
    /// reach a majority without the new term's no-op).
    pub fn raft(n: usize) -> SimConfig<Raft> {
        SimConfig::of(Config::new(n))
    }
}

#[cfg(test)]
mod tests {
    use paxos_core::{NodeId, Value};
    use raft_core::Bug;
    use rand_core::{RngCore, SeedableRng};

    use super::*;
    use crate::command::Command;
    use crate::protocol::RuleSet;
    use crate::sim::Simulator;

    /// A run of `n` Raft nodes under random client requests, crashes, restarts and partitions: the first violation's
    /// rule, if any, and how many slots were committed.
    fn run(seed: u64, n: usize, bugs: Bugs, steps: u64) -> (Option<&'static str>, usize) {
        let mut config = SimConfig::raft(n);
        config.cluster.bugs = bugs;
        config.faults.loss = 0.05;
        config.faults.dup = 0.05;
        let mut sim = Simulator::new(seed, config, false).unwrap();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed ^ 0x5eed);
        let node = |rng: &mut rand_pcg::Pcg64| NodeId((rng.next_u32() % n as u32) as u8);
        let mut value = 0;
        for _ in 0..steps / 10 {
            let c = match rng.next_u32() % 20 {
                0..=5 => {
                    value += 1;
                    Command::Propose {
                        node: node(&mut rng),
                        value: if value % 2 == 0 {
                            Value::Txn { client: 0, req: value }
                        } else {
                            Value::text(&format!("v{value}"))
                        },
                    }
                }
                6 | 7 => Command::Crash { node: node(&mut rng) },
                // A crashed node, soon: a restart inside the term it voted in is what forget-vote needs.
                8 | 9 => match (0..n as u8).map(NodeId).find(|&x| !sim.is_up(x)) {
                    Some(down) => Command::Restart { node: down },
                    None => Command::Step { count: 5 },
                },
                10 => Command::Partition { groups: vec![vec![node(&mut rng)]] },
                11 => Command::Heal,
                _ => Command::Step { count: 10 },
            };
            let _ = sim.apply(c);
            if let Some(v) = sim.violations().first() {
                return (Some(v.rule.name()), sim.chosen().len());
            }
        }
        (None, sim.chosen().len())
    }

    #[test]
    fn correct_raft_commits_and_breaks_no_rule() {
        let mut committed = 0;
        for seed in 0..60 {
            for n in [3, 5] {
                let (broken, c) = run(seed, n, Bugs::default(), 3000);
                assert_eq!(broken, None, "seed {seed}, {n} nodes");
                committed += c;
            }
        }
        assert!(committed > 500, "values are committed ({committed})");
    }

    #[test]
    fn each_bug_is_caught_at_its_rule() {
        // These runs change no membership: fuzz.rs's schedules find change-two-at-once.
        for bug in Bug::ALL.into_iter().filter(|&b| b != Bug::ChangeTwoAtOnce) {
            let rule = judge::Rule::broken_by(bug).name();
            let found = (0..3000).find_map(|seed| run(seed, 3, Bugs::default().with(bug), 3000).0.map(|r| (seed, r)));
            let (seed, first) = found.unwrap_or_else(|| panic!("{} never broke a rule", bug.name()));
            assert_eq!(first, rule, "{}: seed {seed}", bug.name());
        }
    }
}

#[cfg(test)]
mod trace_tests {
    use crate::fuzz::{raft_schedule, FuzzOptions};
    use crate::protocol::Raft;
    use crate::trace::{protocol_of, Trace};

    #[test]
    fn a_raft_run_is_a_version_4_trace_that_replays_and_says_its_protocol() {
        let (cfg, cmds) = raft_schedule(0, &FuzzOptions::default(), Some(raft_core::Bug::NoLogCheck));
        let t = Trace::record(0, &cfg, cmds).unwrap();
        assert!(!t.violations.is_empty(), "seed 0 of no-log-check breaks a rule");
        let text = t.to_json();
        assert!(text.contains("\"version\": 4") && text.contains("\"protocol\": \"raft\""));
        assert_eq!(protocol_of(&text).unwrap(), "raft");
        let back = Trace::<Raft>::read(&text).unwrap();
        assert_eq!(back, t);
        back.replay().unwrap();
        let e = Trace::parse(&text).unwrap_err().to_string();
        assert!(e.contains("field `protocol` is \"raft\", not \"paxos\""), "{e}");
    }
}
