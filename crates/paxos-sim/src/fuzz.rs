//! Random fault schedules: a seed becomes a configuration and a list of commands (proposals, crashes, restarts,
//! partitions, cuts, loss and duplication), which the simulator runs with the checker on.

use paxos_core::{Bug, Mode, NodeId, Value};
use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::checker::Violation;
use crate::command::{Command, Faults};
use crate::protocol::{Paxos, Protocol, Raft};
use crate::sim::{SimConfig, SimError, Simulator};

/// What kind of schedules to generate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FuzzOptions {
    /// Cluster size.
    pub nodes: usize,
    /// Single-decree or Multi-Paxos.
    pub mode: Mode,
    /// A protocol bug to enable.
    pub bug: Option<Bug>,
    /// Events to run per schedule.
    pub steps: u64,
    /// Fixed loss rate in percent, instead of a random one per schedule.
    pub loss: Option<f64>,
    /// Fixed duplication rate in percent, instead of a random one per schedule.
    pub dup: Option<f64>,
    /// Phase-1 quorum size (majority when absent).
    pub q1: Option<usize>,
    /// Phase-2 quorum size (majority when absent).
    pub q2: Option<usize>,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        FuzzOptions { nodes: 3, mode: Mode::Single, bug: None, steps: 200, loss: None, dup: None, q1: None, q2: None }
    }
}

struct Gen(Pcg64Mcg);

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn node(&mut self, n: usize) -> NodeId {
        NodeId(self.below(n as u64) as u8)
    }
}

/// The schedule for one seed: the same seed always gives the same configuration and commands.
pub fn schedule(seed: u64, opts: &FuzzOptions) -> (SimConfig, Vec<Command>) {
    let mut cfg = SimConfig::new(opts.mode, opts.nodes);
    if let Some(bug) = opts.bug {
        cfg.cluster.bugs = cfg.cluster.bugs.with(bug);
    }
    cfg.cluster.q1 = opts.q1;
    cfg.cluster.q2 = opts.q2;
    let multi = opts.mode == Mode::Multi;
    schedule_with(seed, opts, cfg, multi, multi)
}

/// The schedule for one seed of a Raft cluster of `opts.nodes` (`opts.mode`, the quorums and the Paxos bug do not
/// apply; `bug` is Raft's): the same network, faults and commands as Paxos's schedule of that seed, with the
/// transaction-ID workload on the log and the same membership changes as Multi-Paxos's.
pub fn raft_schedule(seed: u64, opts: &FuzzOptions, bug: Option<raft_core::Bug>) -> (SimConfig<Raft>, Vec<Command>) {
    let mut cfg = SimConfig::raft(opts.nodes);
    if let Some(bug) = bug {
        cfg.cluster.bugs = cfg.cluster.bugs.with(bug);
    }
    schedule_with(seed, opts, cfg, true, true)
}

/// The protocol-free part of a schedule: the network and faults of `cfg`, and the commands, all drawn from the seed.
/// `log`: the values are the transaction-ID workload (a log), else one text value each. `membership`: nodes are
/// added and removed too (Multi-Paxos and Raft).
pub(crate) fn schedule_with<P: Protocol>(
    seed: u64,
    opts: &FuzzOptions,
    mut cfg: SimConfig<P>,
    log: bool,
    membership: bool,
) -> (SimConfig<P>, Vec<Command>) {
    // The schedule's randomness is separate from the simulator's, so a schedule does not depend on how many draws
    // the protocol makes.
    let mut g = Gen(Pcg64Mcg::seed_from_u64(seed ^ 0x5eed_5eed_5eed_5eed));
    let n = opts.nodes;
    let lo = 1 + g.below(8);
    cfg.latency = (lo, lo + g.below(30));
    if g.chance(50) {
        cfg.faults.loss = g.below(20) as f64;
    }
    if g.chance(40) {
        cfg.faults.dup = g.below(20) as f64;
    }
    cfg.faults.loss = opts.loss.unwrap_or(cfg.faults.loss);
    cfg.faults.dup = opts.dup.unwrap_or(cfg.faults.dup);

    let mut cmds = Vec::new();
    if n == 0 {
        return (cfg, cmds); // an invalid configuration: validation reports it
    }
    let mut up = vec![true; n];
    let mut nodes = n;
    let mut next_value = 0u32;
    let mut propose = |g: &mut Gen, cmds: &mut Vec<Command>| {
        let node = g.node(n);
        let value = match log {
            false => Value::text(&format!("v{next_value}")),
            true => Value::Txn { client: node.0 as u32, req: next_value },
        };
        next_value += 1;
        cmds.push(Command::Propose { node, value });
    };
    propose(&mut g, &mut cmds);
    let mut steps = 0;
    while steps < opts.steps {
        let k = 1 + g.below(12);
        steps += k;
        cmds.push(Command::Step { count: k });
        let roll = g.below(100);
        match roll {
            0..=24 => propose(&mut g, &mut cmds),
            25..=36 => {
                let node = g.node(n);
                if up[node.index()] {
                    up[node.index()] = false;
                    cmds.push(Command::Crash { node });
                }
            }
            37..=54 => {
                if let Some(i) = (0..n).map(|i| (i + g.below(n as u64) as usize) % n).find(|&i| !up[i]) {
                    up[i] = true;
                    cmds.push(Command::Restart { node: NodeId(i as u8) });
                }
            }
            55..=61 => {
                let cut = g.0.next_u64();
                let side: Vec<NodeId> = (0..n).filter(|i| cut >> i & 1 == 1).map(|i| NodeId(i as u8)).collect();
                cmds.push(Command::Partition { groups: vec![side] });
            }
            62..=71 => cmds.push(Command::Heal),
            72..=77 => {
                let (from, to) = (g.node(n), g.node(n));
                if from != to {
                    cmds.push(Command::Cut { from, to, one_way: g.chance(50) });
                }
            }
            78..=81 if opts.loss.is_none() && opts.dup.is_none() => {
                let faults = Faults { loss: g.below(30) as f64, dup: g.below(30) as f64 };
                let lo = 1 + g.below(8);
                cmds.push(Command::Network { latency: (lo, lo + g.below(30)), faults });
            }
            82..=85 if membership => {
                nodes = (nodes + 1).min(crate::limits::MAX_NODES);
                cmds.push(Command::AddNode);
            }
            86..=88 if membership => cmds.push(Command::RemoveNode { node: g.node(nodes) }),
            _ => {}
        }
    }
    (cfg, cmds)
}

/// Runs one schedule without recording. Refused commands (a proposal at a busy node, say) are skipped.
pub fn run_schedule<P: Protocol>(seed: u64, cfg: &SimConfig<P>, cmds: &[Command]) -> Result<Simulator<P>, SimError> {
    let mut sim = Simulator::new(seed, cfg.clone(), false)?;
    for c in cmds {
        if sim.stopped() {
            break;
        }
        let _ = sim.apply(c.clone());
    }
    Ok(sim)
}

/// The outcome of fuzzing a range of seeds.
#[derive(Clone, Debug)]
pub struct FuzzReport<P: Protocol = Paxos> {
    /// Schedules run.
    pub schedules: u64,
    /// Schedules with at least one violation.
    pub violations: u64,
    /// The lowest violating seed, with its first violation.
    pub first_violation: Option<(u64, Violation<P>)>,
    /// Messages delivered over all schedules.
    pub deliveries: u64,
    /// Schedules in which at least one value was chosen (so the runs do reach the interesting states).
    pub with_chosen: u64,
}

/// Runs the schedules of seeds `start..start + count` on `threads` threads; the seeds stop at `u64::MAX` rather
/// than wrap around (the CLI refuses such a range).
pub fn fuzz(start: u64, count: u64, opts: &FuzzOptions, threads: usize) -> Result<FuzzReport, SimError> {
    // Fail early, with one clear error, on a configuration every schedule would share.
    // The size first, before a configuration of that size is built.
    if !(crate::limits::MIN_NODES..=crate::limits::MAX_NODES).contains(&opts.nodes) {
        return Err(SimError::Nodes(opts.nodes));
    }
    schedule(start, opts).0.validate()?;
    Ok(fuzz_schedules(start, count, threads, |seed| schedule(seed, opts)))
}

/// [`fuzz`] for Raft: `count` of [`raft_schedule`]'s schedules from seed `start`, on `threads` threads.
pub fn fuzz_raft(
    start: u64,
    count: u64,
    opts: &FuzzOptions,
    bug: Option<raft_core::Bug>,
    threads: usize,
) -> Result<FuzzReport<Raft>, SimError> {
    if !(crate::limits::MIN_NODES..=crate::limits::MAX_NODES).contains(&opts.nodes) {
        return Err(SimError::Nodes(opts.nodes));
    }
    raft_schedule(start, opts, bug).0.validate()?;
    Ok(fuzz_schedules(start, count, threads, |seed| raft_schedule(seed, opts, bug)))
}

impl<P: Protocol> Default for FuzzReport<P> {
    fn default() -> Self {
        FuzzReport { schedules: 0, violations: 0, first_violation: None, deliveries: 0, with_chosen: 0 }
    }
}

/// Runs the schedules of seeds `start..start + count` that `schedule` makes, on `threads` threads, and sums them
/// up: the protocol-free half of [`fuzz`]. Every schedule's configuration must be valid.
pub fn fuzz_schedules<P: Protocol>(
    start: u64,
    count: u64,
    threads: usize,
    schedule: impl Fn(u64) -> (SimConfig<P>, Vec<Command>) + Sync,
) -> FuzzReport<P> {
    let threads = threads.max(1) as u64;
    let end = start.saturating_add(count);
    let run = |t: u64| -> FuzzReport<P> {
        let mut r = FuzzReport::default();
        let mut seed = start.saturating_add(t);
        while seed < end {
            let (cfg, cmds) = schedule(seed);
            let sim = run_schedule(seed, &cfg, &cmds).expect("validated above");
            r.schedules += 1;
            r.deliveries += sim.deliveries();
            r.with_chosen += u64::from(!sim.chosen().is_empty());
            if let Some(v) = sim.violations().first() {
                r.violations += 1;
                if r.first_violation.as_ref().is_none_or(|(s, _)| seed < *s) {
                    r.first_violation = Some((seed, v.clone()));
                }
            }
            let Some(next) = seed.checked_add(threads) else { break };
            seed = next;
        }
        r
    };
    let parts: Vec<FuzzReport<P>> = if threads == 1 {
        vec![run(0)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|t| s.spawn(move || run(t))).collect();
            handles.into_iter().map(|h| h.join().expect("fuzz thread panicked")).collect()
        })
    };
    let mut total = FuzzReport::default();
    for p in parts {
        total.schedules += p.schedules;
        total.violations += p.violations;
        total.deliveries += p.deliveries;
        total.with_chosen += p.with_chosen;
        if let Some((s, v)) = p.first_violation {
            if total.first_violation.as_ref().is_none_or(|(t, _)| s < *t) {
                total.first_violation = Some((s, v));
            }
        }
    }
    total
}

#[cfg(test)]
mod raft_tests {
    use super::*;
    use crate::protocol::RuleSet;

    #[test]
    fn raft_schedules_find_each_bug_at_its_rule_and_none_in_correct_raft() {
        let opts = FuzzOptions { steps: 400, ..FuzzOptions::default() };
        for nodes in [3, 5] {
            let r = fuzz_raft(0, 300, &FuzzOptions { nodes, ..opts }, None, 2).unwrap();
            assert_eq!(r.violations, 0, "{nodes} nodes: {:?}", r.first_violation);
            assert!(r.with_chosen > 200, "{nodes} nodes: values are committed ({})", r.with_chosen);
        }
        for bug in raft_core::Bug::ALL {
            let r = fuzz_raft(0, 2000, &opts, Some(bug), 2).unwrap();
            let (seed, v) = r.first_violation.unwrap_or_else(|| panic!("{} found in no schedule", bug.name()));
            let expected = crate::protocol::raft::judge::Rule::broken_by(bug);
            assert_eq!(v.rule, expected, "{} at seed {seed}: {}", bug.name(), v.message);
            eprintln!("{}: {} of 2000 schedules, first seed {seed}: {}", bug.name(), r.violations, v.rule.name());
        }
    }
}
