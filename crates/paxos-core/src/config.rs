//! Cluster configuration: roles, quorums, timing and the teaching bug toggles, validated into a [`Cluster`].

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::types::{NodeId, NodeSet, MAX_NODES};

/// Which protocol the cluster runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Single-decree Paxos: every proposer runs both phases for slot 0, retrying with backoff.
    #[default]
    Single,
    /// Multi-Paxos: a stable leader runs phase 1 once for all open slots, then phase 2 per slot.
    Multi,
}

impl Mode {
    /// Both modes.
    pub const ALL: [Mode; 2] = [Mode::Single, Mode::Multi];

    /// The mode's name as the CLI, scripts, links and the UI spell it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Single => "single",
            Mode::Multi => "multi",
        }
    }
}

/// A mode name that is neither `single` nor `multi` (quoted up to [`crate::QUOTE_CHARS`] characters).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown mode `{0}` (expected `single` or `multi`)")]
pub struct ParseModeError(pub String);

impl std::str::FromStr for Mode {
    type Err = ParseModeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| ParseModeError(crate::quote(s)))
    }
}

/// The roles one node plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// Proposes values (and leads, in Multi-Paxos).
    pub proposer: bool,
    /// Votes: promises and accepts.
    pub acceptor: bool,
    /// Learns chosen values.
    pub learner: bool,
}

impl Roles {
    /// All three roles, the usual deployment.
    pub const ALL: Roles = Roles { proposer: true, acceptor: true, learner: true };
}

impl Default for Roles {
    fn default() -> Self {
        Roles::ALL
    }
}

/// A deliberate protocol bug, for teaching why each rule exists. All are off by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bug {
    /// A restarted acceptor forgets its durable state (promise and accepted values).
    Amnesia,
    /// A proposer ignores the accepted values reported in promises and proposes its own value.
    IgnoreAccepted,
    /// Quorums of ⌊n/2⌋ acceptors, bypassing the q1 + q2 > n check.
    MinorityQuorum,
    /// An acceptor accepts a proposal whose ballot is below the one it promised: the promise of phase 1 is not kept.
    BreakPromise,
    /// A proposer adopts the accepted value with the *lowest* ballot reported in phase 1, not the highest: an older
    /// leftover can then replace a value that was chosen since.
    AdoptLowest,
    /// A Multi-Paxos leader counts quorums in the newest configuration it proposed, before it is chosen and
    /// [`crate::ALPHA`] slots have passed: two changes later, its quorums need not meet the old configuration's.
    ReconfigureEarly,
}

impl Bug {
    /// Every bug.
    pub const ALL: [Bug; 6] = [
        Bug::Amnesia,
        Bug::IgnoreAccepted,
        Bug::MinorityQuorum,
        Bug::BreakPromise,
        Bug::AdoptLowest,
        Bug::ReconfigureEarly,
    ];

    /// The bug's name as the CLI and the UI spell it.
    pub fn name(self) -> &'static str {
        match self {
            Bug::Amnesia => "amnesia",
            Bug::IgnoreAccepted => "ignore-accepted",
            Bug::MinorityQuorum => "minority-quorum",
            Bug::BreakPromise => "break-promise",
            Bug::AdoptLowest => "adopt-lowest",
            Bug::ReconfigureEarly => "reconfigure-early",
        }
    }
}

/// A bug name that is not one of [`Bug::ALL`]'s (quoted up to [`crate::QUOTE_CHARS`] characters).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown bug `{0}` (expected one of: {names})", names = Bug::ALL.map(Bug::name).join(", "))]
pub struct ParseBugError(pub String);

impl std::str::FromStr for Bug {
    type Err = ParseBugError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bug::ALL.into_iter().find(|b| b.name() == s).ok_or_else(|| ParseBugError(crate::quote(s)))
    }
}

/// The set of enabled bugs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bugs {
    /// See [`Bug::Amnesia`].
    #[serde(default)]
    pub amnesia: bool,
    /// See [`Bug::IgnoreAccepted`].
    #[serde(default)]
    pub ignore_accepted: bool,
    /// See [`Bug::MinorityQuorum`].
    #[serde(default)]
    pub minority_quorum: bool,
    /// See [`Bug::BreakPromise`].
    #[serde(default)]
    pub break_promise: bool,
    /// See [`Bug::AdoptLowest`].
    #[serde(default)]
    pub adopt_lowest: bool,
    /// See [`Bug::ReconfigureEarly`].
    #[serde(default)]
    pub reconfigure_early: bool,
}

impl Bugs {
    /// Enables one bug.
    pub fn with(self, bug: Bug) -> Bugs {
        self.set(bug, true)
    }

    /// Enables or disables one bug.
    pub fn set(mut self, bug: Bug, on: bool) -> Bugs {
        *match bug {
            Bug::Amnesia => &mut self.amnesia,
            Bug::IgnoreAccepted => &mut self.ignore_accepted,
            Bug::MinorityQuorum => &mut self.minority_quorum,
            Bug::BreakPromise => &mut self.break_promise,
            Bug::AdoptLowest => &mut self.adopt_lowest,
            Bug::ReconfigureEarly => &mut self.reconfigure_early,
        } = on;
        self
    }

    /// Whether the bug is enabled.
    pub fn has(self, bug: Bug) -> bool {
        match bug {
            Bug::Amnesia => self.amnesia,
            Bug::IgnoreAccepted => self.ignore_accepted,
            Bug::MinorityQuorum => self.minority_quorum,
            Bug::BreakPromise => self.break_promise,
            Bug::AdoptLowest => self.adopt_lowest,
            Bug::ReconfigureEarly => self.reconfigure_early,
        }
    }
}

/// Timers, in ticks. Randomized ranges are drawn from the randomness the caller passes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// A leader sends heartbeats (and re-sends unanswered accepts) this often.
    pub heartbeat: u32,
    /// A follower that hears no leader for a random number of ticks in this range starts phase 1.
    pub election: (u32, u32),
    /// A proposer whose phase has not completed after this many ticks gives up and backs off.
    pub timeout: u32,
    /// A rejected or timed-out proposer waits a random number of ticks in this range before retrying.
    pub backoff: (u32, u32),
}

impl Default for Timing {
    fn default() -> Self {
        Timing { heartbeat: 2, election: (8, 16), timeout: 8, backoff: (2, 10) }
    }
}

/// A cluster configuration as a user writes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Single-decree or Multi-Paxos.
    pub mode: Mode,
    /// The roles of each node; node `i` is `NodeId(i)`.
    pub nodes: Vec<Roles>,
    /// Phase-1 quorum size; a majority of acceptors when absent.
    #[serde(default)]
    pub q1: Option<usize>,
    /// Phase-2 quorum size; a majority of acceptors when absent.
    #[serde(default)]
    pub q2: Option<usize>,
    /// Enabled protocol bugs.
    #[serde(default)]
    pub bugs: Bugs,
    /// Timers.
    #[serde(default)]
    pub timing: Timing,
}

impl Config {
    /// `n` nodes that each play every role, with majority quorums.
    pub fn uniform(mode: Mode, n: usize) -> Config {
        Config {
            mode,
            nodes: vec![Roles::ALL; n],
            q1: None,
            q2: None,
            bugs: Bugs::default(),
            timing: Timing::default(),
        }
    }

    /// Checks the configuration and derives the role lists and quorum sizes.
    pub fn validate(&self) -> Result<Cluster, ConfigError> {
        let n = self.nodes.len();
        if n == 0 {
            return Err(ConfigError::NoNodes);
        }
        if n > MAX_NODES {
            return Err(ConfigError::TooManyNodes { n, max: MAX_NODES });
        }
        let with = |f: fn(&Roles) -> bool| -> Vec<NodeId> {
            (0..n).filter(|&i| f(&self.nodes[i])).map(|i| NodeId(i as u8)).collect()
        };
        let (proposers, acceptors, learners) = (with(|r| r.proposer), with(|r| r.acceptor), with(|r| r.learner));
        if proposers.is_empty() {
            return Err(ConfigError::MissingRole("proposer"));
        }
        if acceptors.is_empty() {
            return Err(ConfigError::MissingRole("acceptor"));
        }
        if learners.is_empty() {
            return Err(ConfigError::MissingRole("learner"));
        }
        let a = acceptors.len();
        let majority = a / 2 + 1;
        let (real_q1, real_q2) = (self.q1.unwrap_or(majority), self.q2.unwrap_or(majority));
        for q in [real_q1, real_q2] {
            if q == 0 || q > a {
                return Err(ConfigError::QuorumOutOfRange { q, acceptors: a });
            }
        }
        // Every phase-1 quorum must intersect every phase-2 quorum, or a new proposer can miss a chosen value.
        if real_q1 + real_q2 <= a {
            return Err(ConfigError::QuorumsDoNotIntersect { q1: real_q1, q2: real_q2, acceptors: a });
        }
        let (q1, q2) = if self.bugs.minority_quorum {
            // The bug: ⌊a/2⌋ acceptors (at least one) for both phases, so two quorums need not intersect. The
            // configuration's own quorums stay what safety is judged by (`real_q1`, `real_q2`).
            ((a / 2).max(1), (a / 2).max(1))
        } else {
            (real_q1, real_q2)
        };
        let (lo, hi) = self.timing.election;
        let (blo, bhi) = self.timing.backoff;
        if self.timing.heartbeat == 0 || self.timing.timeout == 0 || lo == 0 || lo > hi || blo == 0 || blo > bhi {
            return Err(ConfigError::Timing);
        }
        let members = acceptors.iter().copied().collect();
        Ok(Cluster { config: self.clone(), proposers, acceptors, learners, q1, q2, real_q1, real_q2, members })
    }
}

/// Why a configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The cluster has no node.
    #[error("the cluster needs at least one node (n = 0)")]
    NoNodes,
    /// More nodes than the core supports.
    #[error("the cluster has {n} nodes; at most {max} are supported")]
    TooManyNodes {
        /// The requested size.
        n: usize,
        /// The limit.
        max: usize,
    },
    /// No node plays a role the protocol needs.
    #[error("no node has the {0} role")]
    MissingRole(&'static str),
    /// A quorum size of zero or larger than the number of acceptors.
    #[error("quorum size {q} is out of range: it must be between 1 and the number of acceptors ({acceptors})")]
    QuorumOutOfRange {
        /// The requested size.
        q: usize,
        /// The number of acceptors.
        acceptors: usize,
    },
    /// Phase-1 and phase-2 quorums that need not intersect.
    #[error(
        "quorums q1 = {q1} and q2 = {q2} do not intersect: q1 + q2 must exceed the number of acceptors ({acceptors})"
    )]
    QuorumsDoNotIntersect {
        /// Phase-1 quorum size.
        q1: usize,
        /// Phase-2 quorum size.
        q2: usize,
        /// The number of acceptors.
        acceptors: usize,
    },
    /// A zero timer or an empty range.
    #[error("timing: every timer must be at least one tick and every range must have min <= max")]
    Timing,
}

/// A validated configuration with the derived facts every node needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The configuration as given.
    pub config: Config,
    /// Nodes with the proposer role, in order.
    pub proposers: Vec<NodeId>,
    /// Nodes with the acceptor role, in order.
    pub acceptors: Vec<NodeId>,
    /// Nodes with the learner role, in order.
    pub learners: Vec<NodeId>,
    /// Phase-1 quorum size the nodes use.
    pub q1: usize,
    /// Phase-2 quorum size the nodes use.
    pub q2: usize,
    /// Phase-1 quorum size of the configuration's quorum system (`Config::q1`, or a majority of acceptors): what
    /// the safety argument needs. It differs from `q1` only under the minority-quorum bug, which makes the nodes use
    /// a smaller one; a checker judges by this one, so "chosen" stays a fact whatever the nodes believe.
    pub real_q1: usize,
    /// Phase-2 quorum size of the configuration's quorum system; see `real_q1`.
    pub real_q2: usize,
    /// The acceptors of the first configuration, in force until a [`Value::Config`](crate::Value::Config) is.
    pub members: NodeSet,
}

impl Cluster {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.config.nodes.len()
    }

    /// Whether the cluster is empty (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.config.nodes.is_empty()
    }

    /// Every node id.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> {
        (0..self.len()).map(|i| NodeId(i as u8))
    }

    /// The roles of one node.
    pub fn roles(&self, id: NodeId) -> Roles {
        self.config.nodes[id.index()]
    }

    /// The (phase-1, phase-2) quorum sizes of configuration `m`, as the nodes use them (`real`: as safety judges
    /// them): the cluster's own for the first configuration, a majority of `m` for any later one.
    pub fn quorums(&self, m: NodeSet, real: bool) -> (usize, usize) {
        match () {
            _ if m != self.members => (m.len() / 2 + 1, m.len() / 2 + 1),
            _ if real => (self.real_q1, self.real_q2),
            _ => (self.q1, self.q2),
        }
    }

    /// Whether `votes` hold a phase-2 (`phase2`) or phase-1 quorum of configuration `m`, as the nodes count.
    pub fn quorum_of(&self, m: NodeSet, votes: NodeSet, phase2: bool) -> bool {
        let (q1, q2) = self.quorums(m, false);
        NodeSet(votes.0 & m.0).len() >= if phase2 { q2 } else { q1 }
    }

    /// The cluster with one more node, playing every role, that joins no configuration yet.
    pub fn grown(&self) -> Cluster {
        let mut c = self.clone();
        let id = NodeId(c.len() as u8);
        c.config.nodes.push(Roles::ALL);
        for v in [&mut c.proposers, &mut c.acceptors, &mut c.learners] {
            v.push(id);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_by_default() {
        let c = Config::uniform(Mode::Single, 5).validate().unwrap();
        assert_eq!((c.q1, c.q2), (3, 3));
    }

    #[test]
    fn flexible_quorums_must_intersect() {
        let mut cfg = Config::uniform(Mode::Multi, 4);
        cfg.q1 = Some(3);
        cfg.q2 = Some(2);
        assert_eq!(cfg.validate().map(|c| (c.q1, c.q2)), Ok((3, 2)));
        cfg.q1 = Some(2);
        assert_eq!(cfg.validate(), Err(ConfigError::QuorumsDoNotIntersect { q1: 2, q2: 2, acceptors: 4 }));
        cfg.q1 = Some(5);
        assert_eq!(cfg.validate(), Err(ConfigError::QuorumOutOfRange { q: 5, acceptors: 4 }));
    }

    #[test]
    fn minority_quorum_bug_bypasses_the_check() {
        let mut cfg = Config::uniform(Mode::Single, 3);
        cfg.bugs.minority_quorum = true;
        let c = cfg.validate().unwrap();
        assert_eq!((c.q1, c.q2), (1, 1));
        // The configuration's own quorum system is unchanged: a majority, or the quorums the user set.
        assert_eq!((c.real_q1, c.real_q2), (2, 2));
        let mut cfg = Config::uniform(Mode::Single, 5);
        cfg.bugs.minority_quorum = true;
        (cfg.q1, cfg.q2) = (Some(4), Some(2));
        let c = cfg.validate().unwrap();
        assert_eq!((c.q1, c.q2, c.real_q1, c.real_q2), (2, 2, 4, 2));
        // Quorums that do not intersect are refused with the bug on too: they are no quorum system to judge by.
        cfg.q1 = Some(3);
        assert_eq!(cfg.validate(), Err(ConfigError::QuorumsDoNotIntersect { q1: 3, q2: 2, acceptors: 5 }));
    }

    #[test]
    fn empty_cluster_is_refused() {
        assert_eq!(Config::uniform(Mode::Single, 0).validate(), Err(ConfigError::NoNodes));
        let msg = ConfigError::QuorumsDoNotIntersect { q1: 1, q2: 2, acceptors: 3 }.to_string();
        assert!(msg.contains("q1 + q2 must exceed"), "{msg}");
    }
}
