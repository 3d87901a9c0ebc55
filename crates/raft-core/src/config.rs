//! Cluster configuration: size, timers, the entries per message and the teaching bug toggles, validated into a
//! [`Cluster`].

use paxos_core::{NodeId, NodeSet, Timing, MAX_NODES};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A deliberate protocol bug, for teaching why each rule exists. All are off by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bug {
    /// A leader commits an entry of an earlier term as soon as a majority holds it (Figure 8 of the Raft paper):
    /// a later leader that never had the entry can still be elected and overwrite it.
    CommitOldTerm,
    /// A restarted node forgets `votedFor` and can vote twice in one term: two leaders in one term.
    ForgetVote,
    /// A node grants its vote without the up-to-date check: a leader can miss a committed entry.
    NoLogCheck,
    /// A leader accepts a membership change while an earlier one is uncommitted: its configuration can then be two
    /// servers away from a configuration other servers still use, and a majority of each need not meet.
    ChangeTwoAtOnce,
}

impl Bug {
    /// Every bug.
    pub const ALL: [Bug; 4] = [Bug::CommitOldTerm, Bug::ForgetVote, Bug::NoLogCheck, Bug::ChangeTwoAtOnce];

    /// The bug's name as the CLI and the UI spell it.
    pub fn name(self) -> &'static str {
        match self {
            Bug::CommitOldTerm => "commit-old-term",
            Bug::ForgetVote => "forget-vote",
            Bug::NoLogCheck => "no-log-check",
            Bug::ChangeTwoAtOnce => "change-two-at-once",
        }
    }
}

/// A bug name that is not one of [`Bug::ALL`]'s (quoted up to [`paxos_core::QUOTE_CHARS`] characters).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("unknown bug `{0}` (expected one of: {names})", names = Bug::ALL.map(Bug::name).join(", "))]
pub struct ParseBugError(pub String);

impl std::str::FromStr for Bug {
    type Err = ParseBugError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bug::ALL.into_iter().find(|b| b.name() == s).ok_or_else(|| ParseBugError(paxos_core::quote(s)))
    }
}

/// The set of enabled bugs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bugs {
    /// See [`Bug::CommitOldTerm`].
    #[serde(default)]
    pub commit_old_term: bool,
    /// See [`Bug::ForgetVote`].
    #[serde(default)]
    pub forget_vote: bool,
    /// See [`Bug::NoLogCheck`].
    #[serde(default)]
    pub no_log_check: bool,
    /// See [`Bug::ChangeTwoAtOnce`].
    #[serde(default)]
    pub change_two_at_once: bool,
}

impl Bugs {
    /// Enables one bug.
    pub fn with(self, bug: Bug) -> Bugs {
        self.set(bug, true)
    }

    /// Enables or disables one bug.
    pub fn set(mut self, bug: Bug, on: bool) -> Bugs {
        *match bug {
            Bug::CommitOldTerm => &mut self.commit_old_term,
            Bug::ForgetVote => &mut self.forget_vote,
            Bug::NoLogCheck => &mut self.no_log_check,
            Bug::ChangeTwoAtOnce => &mut self.change_two_at_once,
        } = on;
        self
    }

    /// Whether the bug is enabled.
    pub fn has(self, bug: Bug) -> bool {
        match bug {
            Bug::CommitOldTerm => self.commit_old_term,
            Bug::ForgetVote => self.forget_vote,
            Bug::NoLogCheck => self.no_log_check,
            Bug::ChangeTwoAtOnce => self.change_two_at_once,
        }
    }
}

fn one() -> u32 {
    1
}

/// A cluster configuration as a user writes it. Every node plays every part: Raft has no roles to configure, and
/// its quorum is always a majority.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The number of nodes; node `i` is `NodeId(i)`.
    pub nodes: usize,
    /// Enabled protocol bugs.
    #[serde(default)]
    pub bugs: Bugs,
    /// Timers, paxos-core's so that Compare runs both protocols on the same clock: a leader sends AppendEntries
    /// every `heartbeat` ticks, and a follower or candidate that hears from no leader for a random number of ticks
    /// in `election` starts an election. Raft has no phase timeout or backoff: `timeout` and `backoff` are unused.
    #[serde(default)]
    pub timing: Timing,
    /// The most entries one AppendEntries carries. One, as RaftScope draws it, makes every entry its own message,
    /// as every slot is its own accept in Multi-Paxos; it also lets a lagging follower's old-term entries reach a
    /// majority before the leader's no-op does, which is the state Figure 8's commit rule is about.
    #[serde(default = "one")]
    pub max_entries: u32,
}

impl Config {
    /// `n` nodes with the default timers, one entry per message and no bug.
    pub fn new(n: usize) -> Config {
        Config { nodes: n, bugs: Bugs::default(), timing: Timing::default(), max_entries: 1 }
    }

    /// Checks the configuration and derives the majority.
    pub fn validate(&self) -> Result<Cluster, ConfigError> {
        let n = self.nodes;
        if n == 0 {
            return Err(ConfigError::NoNodes);
        }
        if n > MAX_NODES {
            return Err(ConfigError::TooManyNodes { n, max: MAX_NODES });
        }
        let (lo, hi) = self.timing.election;
        if self.timing.heartbeat == 0 || lo == 0 || lo > hi {
            return Err(ConfigError::Timing);
        }
        if self.max_entries == 0 {
            return Err(ConfigError::MaxEntries);
        }
        let members = (0..n).map(|i| NodeId(i as u8)).collect();
        Ok(Cluster { config: self.clone(), majority: n / 2 + 1, members, size: n })
    }
}

/// Why a configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The cluster has no node.
    #[error("the cluster needs at least one node (n = 0)")]
    NoNodes,
    /// More nodes than node sets hold.
    #[error("the cluster has {n} nodes; at most {max} are supported")]
    TooManyNodes {
        /// The requested size.
        n: usize,
        /// The limit.
        max: usize,
    },
    /// A zero heartbeat or an empty or zero election range.
    #[error("timing: the heartbeat must be at least one tick and the election range must have 1 <= min <= max")]
    Timing,
    /// AppendEntries that could carry nothing.
    #[error("max_entries must be at least 1")]
    MaxEntries,
}

/// A validated configuration with the derived facts every node needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The configuration as given.
    pub config: Config,
    /// How many nodes make a majority of the first configuration: votes to win an election, replicas to commit,
    /// until a membership change (then [`majority`] of the configuration in force).
    pub majority: usize,
    /// The first configuration: nodes `0..config.nodes`, in force at every node whose log holds no
    /// [`Value::Config`](paxos_core::Value::Config) entry.
    pub members: NodeSet,
    /// The number of nodes, those added since the start included ([`Cluster::grown`]).
    pub size: usize,
}

/// How many of the servers `m` make a majority of them.
pub fn majority(m: NodeSet) -> usize {
    m.len() / 2 + 1
}

impl Cluster {
    /// The number of nodes, those added by membership changes included.
    pub fn len(&self) -> usize {
        self.size
    }

    /// Whether the cluster is empty (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The cluster with one more node, which starts with an empty log and so in no configuration of its own: it
    /// joins when a leader appends the configuration entry that adds it.
    pub fn grown(&self) -> Cluster {
        Cluster { size: self.size + 1, ..self.clone() }
    }

    /// Every node id.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> {
        (0..self.len()).map(|i| NodeId(i as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_majority_and_the_refusals() {
        assert_eq!(Config::new(5).validate().map(|c| c.majority), Ok(3));
        assert_eq!(Config::new(4).validate().map(|c| c.majority), Ok(3));
        assert_eq!(Config::new(0).validate(), Err(ConfigError::NoNodes));
        let mut c = Config::new(3);
        c.timing.election = (9, 8);
        assert_eq!(c.validate(), Err(ConfigError::Timing));
        let c = Config { max_entries: 0, ..Config::new(3) };
        assert_eq!(c.validate(), Err(ConfigError::MaxEntries));
    }

    #[test]
    fn bugs_by_name() {
        for bug in Bug::ALL {
            assert_eq!(bug.name().parse::<Bug>(), Ok(bug));
            assert!(Bugs::default().with(bug).has(bug));
        }
        let err = "amnesia".parse::<Bug>().unwrap_err().to_string();
        assert!(err.contains("commit-old-term, forget-vote, no-log-check"), "{err}");
    }
}
