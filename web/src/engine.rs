//! The simulator and the UI's memory of it, advanced by simulated time. Plain Rust, tested natively.

use paxos_sim::{Command, Simulator, Snapshot};

use crate::history::History;
use crate::input::Settings;

/// A running simulation as the page drives it.
#[derive(Clone, Debug)]
pub struct Engine {
    /// The simulator, recording events.
    pub sim: Simulator,
    /// Log, ballots and transaction IDs read from the events.
    pub history: History,
}

/// What [`Engine::advance`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Advanced {
    /// Events run.
    pub steps: u64,
    /// Whether every event due by the target time ran (false when the step cap stopped it first, or the run
    /// stopped at a violation).
    pub caught_up: bool,
}

impl Engine {
    /// A new run from the Reset form's settings.
    pub fn new(settings: &Settings) -> Result<Engine, String> {
        let cfg = settings.sim_config()?;
        let sim = Simulator::new(settings.seed, cfg, true).map_err(|e| e.to_string())?;
        Ok(Engine { sim, history: History::default() })
    }

    /// Moves the simulator's new events into the history; the simulator keeps none, so a page left playing does not
    /// grow without bound.
    fn absorb(&mut self) {
        let new: Vec<_> = self.sim.drain_events().collect();
        self.history.absorb(&new);
    }

    /// Applies one command; a refused command changes nothing and says why.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        let r = self.sim.apply(command).map_err(|e| capitalise(&e.to_string()));
        self.absorb();
        r
    }

    /// When the next event is due: the earliest in-flight message or the next clock tick.
    pub fn next_due(&mut self) -> u64 {
        self.sim.next_due()
    }

    /// Runs every event due at or before simulated time `until`, at most `max_steps` of them.
    pub fn advance(&mut self, until: f64, max_steps: u64) -> Advanced {
        let mut steps = 0;
        let mut caught_up = true;
        while self.sim.next_due() as f64 <= until {
            if steps >= max_steps || self.sim.stopped() {
                caught_up = false;
                break;
            }
            self.sim.step();
            steps += 1;
        }
        // Once per frame, not per step: only the newest lines of a fast frame are put into words.
        self.absorb();
        Advanced { steps, caught_up }
    }

    /// Runs exactly one event (a Step), whatever its time.
    pub fn step(&mut self) -> Result<(), String> {
        self.apply(Command::Step { count: 1 })
    }

    /// The picture the view draws.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.sim)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

/// Simulator throughput as the CLI's `bench` measures it ([`paxos_sim::bench::steady_state`]). `now` reads a
/// millisecond clock. Returns (deliveries per second, deliveries, milliseconds).
pub fn bench_deliveries(target: u64, now: impl Fn() -> f64) -> (f64, u64, f64) {
    let r = paxos_sim::bench::steady_state(target, now);
    (r.rate(), r.deliveries, r.ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{NodeId, Value};

    #[test]
    fn advance_runs_exactly_the_events_due_by_then() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        let due = e.next_due();
        // The proposer's prepare to itself arrives one unit later.
        assert_eq!(due, 1);
        let a = e.advance(0.5, 100);
        assert_eq!(a, Advanced { steps: 0, caught_up: true });
        let a = e.advance(100.0, 10_000);
        assert!(a.steps > 0 && a.caught_up);
        assert!(e.sim.time() <= 100);
        assert!(e.next_due() > 100);
        assert!(e.sim.in_flight().all(|m| m.due > 100));
    }

    #[test]
    fn the_step_cap_leaves_the_rest_for_later() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(0), value: Value::text("v") }).unwrap();
        let a = e.advance(1000.0, 3);
        assert_eq!(a, Advanced { steps: 3, caught_up: false });
    }

    #[test]
    fn a_value_is_chosen_on_every_learner_in_simulated_time() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Propose { node: NodeId(1), value: Value::text("hello") }).unwrap();
        e.advance(1000.0, 100_000);
        let s = e.snapshot();
        assert_eq!(s.chosen.len(), 1);
        for n in &s.nodes {
            assert_eq!(n.learned, vec![(paxos_core::Slot(0), Value::text("hello"))]);
        }
    }

    #[test]
    fn refusals_are_sentences() {
        let mut e = Engine::new(&Settings::default()).unwrap();
        e.apply(Command::Crash { node: NodeId(1) }).unwrap();
        assert_eq!(e.apply(Command::Crash { node: NodeId(1) }), Err("Node 1 is crashed.".into()));
    }

    #[test]
    fn the_bench_counts_deliveries() {
        let t = std::cell::Cell::new(0.0);
        let (rate, n, _) = bench_deliveries(2000, || {
            t.set(t.get() + 1.0);
            t.get()
        });
        assert!(n >= 2000 && rate > 0.0);
    }
}
