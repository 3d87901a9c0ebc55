//! The cluster settings as people write them: `seed nodes mode bug q1 q2 loss dup latency`, in a script's `config`
//! line (`config nodes=5 latency=5..15`), the CLI's flags (`--nodes 5 --loss 10`) and the page's URL and `mount()`
//! options (`?nodes=5&latency=20-60`). One parser, so every way in takes the same values, checks the same ranges and
//! names the setting in the same words when a value is wrong.

use paxos_core::{Mode, ParseModeError};
use thiserror::Error;

use crate::command::{parse_rate, split_range};
use crate::limits::{quote, MAX_LATENCY, MAX_NODES, MIN_NODES};
use crate::protocol::Protocol;

/// One cluster setting with its value.
#[derive(Clone, Debug, PartialEq)]
pub enum Setting {
    /// `seed`: the simulator's RNG seed.
    Seed(u64),
    /// `nodes`: the cluster size, [`MIN_NODES`] to [`MAX_NODES`].
    Nodes(usize),
    /// `mode`: `single` or `multi`.
    Mode(Mode),
    /// `bug`: protocol bugs to switch on, comma-separated (`amnesia,minority-quorum`), by name: which protocol's
    /// names they must be is known only once the protocol is ([`bugs_of`]).
    Bugs(Vec<String>),
    /// `q1`: the phase-1 quorum size (the cluster's validation checks it against the others).
    Q1(usize),
    /// `q2`: the phase-2 quorum size.
    Q2(usize),
    /// `loss`: the percentage of messages lost, 0 to 100.
    Loss(f64),
    /// `dup`: the percentage of messages duplicated, 0 to 100.
    Dup(f64),
    /// `latency`: the range of message delays, `min..max` or `min-max`, 1 to [`MAX_LATENCY`].
    Latency(u64, u64),
}

/// A setting's value that could not be read, naming the setting.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SettingError {
    /// The text is not of the setting's form.
    #[error("`{key}` must be {expected}, not “{got}”")]
    Form {
        /// The setting.
        key: &'static str,
        /// What it takes, e.g. "a whole number".
        expected: &'static str,
        /// The text given (a bounded prefix of it).
        got: String,
    },
    /// A number outside the setting's range.
    #[error("`{key}` must be {range}, not {got}")]
    Range {
        /// The setting.
        key: &'static str,
        /// Its range in words, e.g. "from 3 to 9".
        range: String,
        /// The value given.
        got: String,
    },
    /// An unknown mode.
    #[error("`mode`: {0}")]
    Mode(#[from] ParseModeError),
    /// A bug the protocol does not have.
    #[error("`bug`: unknown bug `{got}` (expected one of: {expected})")]
    Bug {
        /// The name given (a bounded prefix of it).
        got: String,
        /// The protocol's bug names, comma-separated.
        expected: String,
    },
    /// A setting the protocol has no use for (Raft has no `mode`, and no quorum sizes but majorities).
    #[error("`{key}` is not a {protocol} setting: {why}")]
    NotFor {
        /// The setting.
        key: &'static str,
        /// The protocol's name.
        protocol: &'static str,
        /// Why, in a few words.
        why: &'static str,
    },
}

/// Protocol `P`'s bugs by name, as a `bug` setting lists them; an unknown name is an error listing `P`'s.
pub fn bugs_of<P: Protocol>(names: &[String]) -> Result<Vec<P::Bug>, SettingError> {
    names
        .iter()
        .map(|n| {
            P::bugs().iter().find(|(_, name)| name == n).map(|(b, _)| *b).ok_or_else(|| SettingError::Bug {
                got: quote(n),
                expected: P::bugs().iter().map(|(_, name)| *name).collect::<Vec<_>>().join(", "),
            })
        })
        .collect()
}

/// The settings that make a protocol's cluster, read but not yet built ([`Protocol::configure`] builds them, and
/// refuses by name a setting the protocol has no use for).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterSettings {
    /// `nodes`; `None` for the default, 3.
    pub nodes: Option<usize>,
    /// `mode` (Paxos's), if given.
    pub mode: Option<Mode>,
    /// `bug`, by name.
    pub bugs: Vec<String>,
    /// `q1` (Paxos's), if given.
    pub q1: Option<usize>,
    /// `q2` (Paxos's), if given.
    pub q2: Option<usize>,
}

impl ClusterSettings {
    /// Takes in one setting if it is a cluster one; gives it back otherwise.
    pub fn take(&mut self, s: Setting) -> Option<Setting> {
        match s {
            Setting::Nodes(n) => self.nodes = Some(n),
            Setting::Mode(m) => self.mode = Some(m),
            Setting::Bugs(b) => self.bugs.extend(b),
            Setting::Q1(q) => self.q1 = Some(q),
            Setting::Q2(q) => self.q2 = Some(q),
            s => return Some(s),
        }
        None
    }

    /// The node count asked for, or the default 3.
    pub fn node_count(&self) -> usize {
        self.nodes.unwrap_or(MIN_NODES)
    }
}

impl Setting {
    /// The settings' names, in the order people list them.
    pub const NAMES: [&'static str; 9] = ["seed", "nodes", "mode", "bug", "q1", "q2", "loss", "dup", "latency"];

    /// Reads setting `key` from its text; `Ok(None)` when `key` is no cluster setting (a caller may have more, as a
    /// script's `tick` and `stop`).
    pub fn parse(key: &str, text: &str) -> Result<Option<Setting>, SettingError> {
        let Some(key) = Setting::NAMES.into_iter().find(|k| *k == key) else { return Ok(None) };
        let form = |expected| SettingError::Form { key, expected, got: quote(text) };
        let whole = || text.parse::<u64>().map_err(|_| form("a whole number"));
        let percent = || {
            let p = parse_rate(text).ok_or_else(|| form("a percentage like 12.5"))?;
            match p <= 100.0 {
                true => Ok(p),
                false => Err(SettingError::Range { key, range: "a percentage from 0 to 100".into(), got: quote(text) }),
            }
        };
        Ok(Some(match key {
            "seed" => Setting::Seed(whole()?),
            "nodes" => {
                let n = whole()?;
                if !(MIN_NODES as u64..=MAX_NODES as u64).contains(&n) {
                    let range = format!("from {MIN_NODES} to {MAX_NODES}");
                    return Err(SettingError::Range { key, range, got: n.to_string() });
                }
                Setting::Nodes(n as usize)
            }
            "mode" => Setting::Mode(text.parse()?),
            "bug" => Setting::Bugs(text.split(',').filter(|s| !s.is_empty()).map(String::from).collect()),
            "q1" | "q2" => {
                let q = usize::try_from(whole()?).map_err(|_| form("a whole number"))?;
                if key == "q1" {
                    Setting::Q1(q)
                } else {
                    Setting::Q2(q)
                }
            }
            "loss" => Setting::Loss(percent()?),
            "dup" => Setting::Dup(percent()?),
            _ => {
                let range = split_range(text).and_then(|(lo, hi)| Some((lo.parse().ok()?, hi.parse().ok()?)));
                let (lo, hi) = range.ok_or_else(|| form("a range like 20-60 or 20..60"))?;
                if lo < 1 || hi > MAX_LATENCY || lo > hi {
                    let range = format!("a range from 1 to {MAX_LATENCY} with min <= max");
                    return Err(SettingError::Range { key, range, got: format!("{lo}-{hi}") });
                }
                Setting::Latency(lo, hi)
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(key: &str, text: &str) -> String {
        Setting::parse(key, text).unwrap_err().to_string()
    }

    #[test]
    fn each_setting_reads_its_form_and_range() {
        assert_eq!(Setting::parse("seed", "7"), Ok(Some(Setting::Seed(7))));
        assert_eq!(Setting::parse("nodes", "5"), Ok(Some(Setting::Nodes(5))));
        assert_eq!(Setting::parse("mode", "multi"), Ok(Some(Setting::Mode(Mode::Multi))));
        let bugs = Setting::Bugs(vec!["amnesia".into(), "minority-quorum".into()]);
        assert_eq!(Setting::parse("bug", "amnesia,minority-quorum"), Ok(Some(bugs)));
        let names = ["amnesia".to_string(), "minority-quorum".to_string()];
        assert_eq!(
            bugs_of::<crate::Paxos>(&names),
            Ok(vec![paxos_core::Bug::Amnesia, paxos_core::Bug::MinorityQuorum])
        );
        assert_eq!(bugs_of::<crate::Raft>(&["forget-vote".into()]), Ok(vec![raft_core::Bug::ForgetVote]));
        assert_eq!(Setting::parse("q2", "2"), Ok(Some(Setting::Q2(2))));
        assert_eq!(Setting::parse("loss", "12.5"), Ok(Some(Setting::Loss(12.5))));
        assert_eq!(Setting::parse("latency", "5..15"), Ok(Some(Setting::Latency(5, 15))));
        assert_eq!(Setting::parse("latency", "5-15"), Ok(Some(Setting::Latency(5, 15))));
        assert_eq!(Setting::parse("tick", "10"), Ok(None));

        assert_eq!(err("nodes", "five"), "`nodes` must be a whole number, not “five”");
        assert_eq!(err("nodes", "12"), "`nodes` must be from 3 to 9, not 12");
        assert_eq!(err("loss", "lots"), "`loss` must be a percentage like 12.5, not “lots”");
        assert_eq!(err("dup", "101"), "`dup` must be a percentage from 0 to 100, not 101");
        assert_eq!(err("latency", "fast"), "`latency` must be a range like 20-60 or 20..60, not “fast”");
        assert_eq!(err("latency", "60-20"), "`latency` must be a range from 1 to 10000 with min <= max, not 60-20");
        assert!(err("mode", "raft").starts_with("`mode`: unknown mode `raft`"));
        let bug = |p: &str| match Setting::parse("bug", p) {
            Ok(Some(Setting::Bugs(names))) => bugs_of::<crate::Paxos>(&names).map(|_| ()).unwrap_err().to_string(),
            other => panic!("{other:?}"),
        };
        assert!(
            bug("amnesia,typo").starts_with("`bug`: unknown bug `typo` (expected one of: amnesia, "),
            "{}",
            bug("typo")
        );
        let raft = bugs_of::<crate::Raft>(&["amnesia".into()]).unwrap_err().to_string();
        let names = "commit-old-term, forget-vote, no-log-check, change-two-at-once";
        assert_eq!(raft, format!("`bug`: unknown bug `amnesia` (expected one of: {names})"));
        // A pasted megabyte is quoted by a prefix and its length.
        let e = err("seed", &"9x".repeat(50_000));
        assert!(e.len() < 200 && e.contains("(100000 characters)"), "{e}");
    }
}
