//! What a person types, checked before anything is applied. Each parser returns the message shown beside the field;
//! a refused input changes nothing. Plain Rust, tested natively.

use paxos_core::{Config, Mode, Value};
use paxos_sim::{sim::check_value, Faults, Paxos, SimConfig, MAX_VALUE_LEN};

use crate::protocol::Look;

/// The smallest and largest clusters, the largest latency: the simulator's limits, one rule for the page, links,
/// traces, scripts and the CLI.
pub use paxos_sim::limits::{quote, MAX_LATENCY, MAX_NODES, MIN_NODES};

/// A value to propose: free text of 1 to [`MAX_VALUE_LEN`] characters, checked by the simulator's own rule.
pub fn parse_value(text: &str) -> Result<Value, String> {
    let value = Value::text(text.trim());
    check_value(&value).map_err(|e| match text.trim().is_empty() {
        true => "Type a value to propose (it is empty).".to_string(),
        false => {
            format!("Too long: {} characters; at most {MAX_VALUE_LEN} are allowed ({e}).", text.trim().chars().count())
        }
    })?;
    Ok(value)
}

/// A whole number in `lo..=hi`, named `what` in the message.
pub fn parse_int(what: &str, text: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("{what} is empty: enter a whole number from {lo} to {hi}."));
    }
    let n: u64 =
        t.parse().map_err(|_| format!("{what} must be a whole number from {lo} to {hi}, not “{}”.", quote(t)))?;
    if !(lo..=hi).contains(&n) {
        return Err(format!("{what} must be from {lo} to {hi}; {n} is out of range."));
    }
    Ok(n)
}

/// A percentage, 0 to 100, decimals allowed.
pub fn parse_percent(what: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    let p = paxos_sim::command::parse_rate(t)
        .ok_or_else(|| format!("{what} must be a number from 0 to 100, not “{}”.", quote(t)))?;
    if !p.is_finite() || !(0.0..=100.0).contains(&p) {
        return Err(format!("{what} must be from 0 to 100 %; {} is out of range.", quote(t)));
    }
    Ok(p)
}

/// The network knobs: loss and duplication percentages and a latency range.
pub fn parse_network(loss: &str, dup: &str, min: &str, max: &str) -> Result<((u64, u64), Faults), String> {
    let loss = parse_percent("Loss", loss)?;
    let dup = parse_percent("Duplication", dup)?;
    let lo = parse_int("Minimum latency", min, 1, MAX_LATENCY)?;
    let hi = parse_int("Maximum latency", max, 1, MAX_LATENCY)?;
    if lo > hi {
        return Err(format!("Minimum latency ({lo}) must not exceed maximum latency ({hi})."));
    }
    Ok(((lo, hi), Faults { loss, dup }))
}

/// An optional quorum size: empty means "a majority".
pub fn parse_quorum(what: &str, text: &str) -> Result<Option<usize>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_int(what, text, 1, MAX_NODES as u64).map(|q| Some(q as usize))
}

/// Everything the Reset form sets. Mode and quorums are Paxos's: the other protocols' forms do not show them.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings<P: Look = Paxos> {
    /// The RNG seed: the same seed and the same actions replay the same run.
    pub seed: u64,
    /// Cluster size.
    pub nodes: usize,
    /// Single-decree or Multi-Paxos.
    pub mode: Mode,
    /// Phase-1 and phase-2 quorum sizes; majorities when `None`.
    pub q1: Option<usize>,
    /// See `q1`.
    pub q2: Option<usize>,
    /// Deliberate protocol bugs.
    pub bugs: P::Bugs,
    /// Latency range.
    pub latency: (u64, u64),
    /// Loss and duplication.
    pub faults: Faults,
}

/// Paxos's settings: the Paxos page's, and its tests'.
pub type PaxosSettings = Settings<Paxos>;

impl<P: Look> Default for Settings<P> {
    fn default() -> Self {
        Settings {
            seed: 1,
            nodes: 3,
            mode: Mode::Single,
            q1: None,
            q2: None,
            bugs: P::Bugs::default(),
            latency: (20, 60),
            faults: Faults::default(),
        }
    }
}

impl<P: Look> Settings<P> {
    /// The form's view of a configuration (a shared link or an imported trace may hold more than the form shows,
    /// such as custom roles or timers; the run keeps them, the form shows the nearest settings).
    pub fn from_config(seed: u64, cfg: &SimConfig<P>) -> Settings<P> {
        P::settings_of(seed, cfg)
    }

    /// The simulator configuration, or the reason it is impossible (for example quorums that do not intersect).
    pub fn sim_config(&self) -> Result<SimConfig<P>, String> {
        P::sim_config(self)
    }

    /// The same settings for another protocol: those it has (seed, size, network), not the bugs.
    pub fn to<Q: Look>(&self) -> Settings<Q> {
        Settings {
            seed: self.seed,
            nodes: self.nodes,
            mode: self.mode,
            q1: self.q1,
            q2: self.q2,
            bugs: Q::Bugs::default(),
            latency: self.latency,
            faults: self.faults,
        }
    }
}

impl Settings {
    /// Paxos's [`Settings::from_config`].
    pub(crate) fn paxos_of(seed: u64, cfg: &SimConfig) -> Settings {
        let c = &cfg.cluster;
        Settings {
            seed,
            nodes: c.nodes.len().clamp(MIN_NODES, MAX_NODES),
            mode: c.mode,
            q1: c.q1,
            q2: c.q2,
            bugs: c.bugs,
            latency: cfg.latency,
            faults: cfg.faults,
        }
    }

    /// Paxos's [`Settings::sim_config`].
    pub(crate) fn paxos_config(&self) -> Result<SimConfig, String> {
        if !(MIN_NODES..=MAX_NODES).contains(&self.nodes) {
            return Err(format!("The cluster must have {MIN_NODES} to {MAX_NODES} nodes."));
        }
        let mut cluster = Config::uniform(self.mode, self.nodes);
        cluster.q1 = self.q1;
        cluster.q2 = self.q2;
        cluster.bugs = self.bugs;
        // The proposer's timeout covers a round of both phases at the slowest latency (four messages, and a tick
        // of slack each side), so a run without faults never abandons a ballot that is about to succeed.
        let tick = SimConfig::new(self.mode, 1).tick_every;
        cluster.timing.timeout = cluster.timing.timeout.max((4 * self.latency.1).div_ceil(tick) as u32 + 2);
        // The page's runs go on after a violation (a playing run pauses there), so its consequences can be watched.
        let cfg = SimConfig {
            cluster,
            latency: self.latency,
            faults: self.faults,
            stop_on_violation: false,
            ..SimConfig::new(self.mode, 1)
        };
        cfg.validate().map_err(|e| format!("Impossible configuration: {e}."))?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    type Settings = PaxosSettings;

    #[test]
    fn values_must_be_non_empty_and_short() {
        assert_eq!(parse_value("  hello "), Ok(Value::text("hello")));
        assert!(parse_value("").unwrap_err().contains("empty"));
        assert!(parse_value("   ").unwrap_err().contains("empty"));
        let long = "x".repeat(MAX_VALUE_LEN + 1);
        assert!(parse_value(&long).unwrap_err().starts_with("Too long: 257 characters"));
        assert!(parse_value(&"x".repeat(MAX_VALUE_LEN)).is_ok());
        // Markup is just text: it is kept verbatim and Yew escapes it when shown.
        assert_eq!(parse_value("<b>hi</b>"), Ok(Value::text("<b>hi</b>")));
    }

    #[test]
    fn numbers_are_checked_for_form_and_range() {
        assert_eq!(parse_int("Seed", " 42 ", 0, 100), Ok(42));
        assert!(parse_int("Seed", "abc", 0, 100).unwrap_err().contains("whole number"));
        assert!(parse_int("Seed", "-1", 0, 100).unwrap_err().contains("whole number"));
        assert!(parse_int("Nodes", "12", 3, 9).unwrap_err().contains("out of range"));
        assert!(parse_int("Nodes", "", 3, 9).unwrap_err().contains("empty"));
        assert_eq!(parse_percent("Loss", "12.5"), Ok(12.5));
        assert!(parse_percent("Loss", "101").unwrap_err().contains("out of range"));
        assert!(parse_percent("Loss", "NaN").is_err());
        assert!(parse_percent("Loss", "lots").unwrap_err().contains("number"));
        // A pasted megabyte is quoted by a prefix and its length, not whole (it made a 100 KB alert).
        let long = "9x".repeat(50_000);
        for e in [parse_int("Seed", &long, 0, 100).unwrap_err(), parse_percent("Loss", &long).unwrap_err()] {
            assert!(e.len() < 200 && e.contains("(100000 characters)"), "{e}");
        }
    }

    #[test]
    fn network_knobs_need_an_ordered_latency_range() {
        assert_eq!(parse_network("5", "0", "10", "20"), Ok(((10, 20), Faults { loss: 5.0, dup: 0.0 })));
        assert!(parse_network("5", "0", "30", "20").unwrap_err().contains("must not exceed"));
        assert!(parse_network("5", "0", "0", "20").unwrap_err().contains("out of range"));
    }

    #[test]
    fn impossible_quorums_are_refused_with_the_reason() {
        let ok = Settings::default().sim_config().unwrap();
        assert_eq!(ok.latency, (20, 60));
        let s = Settings { nodes: 5, q1: Some(2), q2: Some(2), ..Settings::default() };
        assert!(s.sim_config().unwrap_err().contains("do not intersect"), "{:?}", s.sim_config());
        let s = Settings { q1: Some(4), ..Settings::default() };
        assert!(s.sim_config().unwrap_err().contains("out of range"));
        let s = Settings { nodes: 10, ..Settings::default() };
        assert!(s.sim_config().is_err());
        assert_eq!(parse_quorum("q1", ""), Ok(None));
        assert_eq!(parse_quorum("q1", "2"), Ok(Some(2)));
    }
}
