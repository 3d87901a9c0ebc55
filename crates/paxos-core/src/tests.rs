//! Role-level tests over a tiny in-memory network that delivers in FIFO order.

use std::collections::VecDeque;
use std::sync::Arc;

use rand_pcg::Pcg32;

use crate::*;

struct Net {
    nodes: Vec<Node>,
    queue: VecDeque<Envelope>,
    events: Vec<(NodeId, NodeEvent)>,
    rng: Pcg32,
}

impl Net {
    fn new(config: Config) -> Net {
        let cluster = Arc::new(config.validate().unwrap());
        let nodes = cluster.nodes().map(|id| Node::new(id, cluster.clone())).collect();
        Net { nodes, queue: VecDeque::new(), events: Vec::new(), rng: Pcg32::new(7, 11) }
    }

    fn collect(&mut self, id: NodeId) {
        let n = &mut self.nodes[id.index()];
        self.queue.extend(n.drain_outbox());
        self.events.extend(n.drain_events().map(|e| (id, e)));
    }

    fn propose(&mut self, id: u8, value: Value) -> Result<(), ProposeError> {
        let r = self.nodes[id as usize].propose(value);
        self.collect(NodeId(id));
        r
    }

    /// Delivers queued messages until none is left, except those `keep` refuses (they are dropped).
    fn run(&mut self, keep: impl Fn(&Envelope) -> bool) {
        while let Some(e) = self.queue.pop_front() {
            if keep(&e) {
                self.nodes[e.to.index()].step(e.from, e.msg, &mut self.rng);
                self.collect(e.to);
            }
        }
    }

    fn learned(&self, id: u8, slot: u64) -> Option<Value> {
        self.nodes[id as usize].learner().and_then(|l| l.log.get(&Slot(slot)).cloned())
    }
}

fn b(round: u32, node: u8) -> Ballot {
    Ballot { round, node: NodeId(node) }
}

#[test]
fn acceptor_promises_and_rejects_lower_ballots() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    let a = &mut net.nodes[0];
    a.step(NodeId(1), Msg::Prepare { ballot: b(2, 1), from: Slot(0) }, &mut net.rng);
    assert_eq!(
        a.drain_outbox().map(|e| e.msg).collect::<Vec<_>>(),
        vec![Msg::Promise { ballot: b(2, 1), accepted: vec![] }]
    );
    a.step(NodeId(2), Msg::Prepare { ballot: b(1, 2), from: Slot(0) }, &mut net.rng);
    assert_eq!(
        a.drain_outbox().map(|e| e.msg).collect::<Vec<_>>(),
        vec![Msg::Reject { ballot: b(1, 2), promised: b(2, 1) }]
    );
    // An accept below the promise is refused and changes nothing.
    a.step(NodeId(2), Msg::Accept { ballot: b(1, 2), slot: Slot(0), value: Value::text("x") }, &mut net.rng);
    assert!(a.durable().accepted.is_empty());
    assert_eq!(a.durable().promised, b(2, 1));
}

#[test]
fn acceptor_reports_accepted_values_in_promises() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    let a = &mut net.nodes[0];
    a.step(NodeId(1), Msg::Accept { ballot: b(1, 1), slot: Slot(0), value: Value::text("x") }, &mut net.rng);
    let out: Vec<_> = a.drain_outbox().collect();
    // The proposer is a learner too, so accepted goes once to each learner.
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|e| matches!(e.msg, Msg::Accepted { .. })));
    a.step(NodeId(2), Msg::Prepare { ballot: b(2, 2), from: Slot(0) }, &mut net.rng);
    let promise = a.drain_outbox().next().unwrap().msg;
    assert_eq!(
        promise,
        Msg::Promise {
            ballot: b(2, 2),
            accepted: vec![PValue { slot: Slot(0), ballot: b(1, 1), value: Value::text("x") }]
        }
    );
}

#[test]
fn happy_path_chooses_the_value_everywhere() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    net.propose(0, Value::text("v")).unwrap();
    net.run(|_| true);
    for id in 0..3 {
        assert_eq!(net.learned(id, 0), Some(Value::text("v")), "node {id}");
    }
    assert!(net.events.iter().any(|(_, e)| matches!(e, NodeEvent::Committed { .. })));
}

#[test]
fn later_proposer_adopts_the_accepted_value() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    net.propose(0, Value::text("first")).unwrap();
    // Let phase 1 finish, then only acceptor 0 receives the accept: "first" is accepted but not chosen.
    net.run(|e| !matches!(e.msg, Msg::Accept { .. }) || e.to == NodeId(0));
    assert_eq!(net.learned(1, 0), None);
    net.propose(2, Value::text("second")).unwrap();
    net.run(|_| true);
    for id in 0..3 {
        assert_eq!(net.learned(id, 0), Some(Value::text("first")), "node {id}");
    }
    let adopted = net.events.iter().find_map(|(n, e)| match e {
        NodeEvent::Adopted { from: Some(from), value, .. } if *n == NodeId(2) => Some((*from, value.clone())),
        _ => None,
    });
    assert_eq!(adopted, Some((b(1, 0), Value::text("first"))));
}

#[test]
fn ignore_accepted_bug_proposes_its_own_value() {
    let mut cfg = Config::uniform(Mode::Single, 3);
    cfg.bugs.ignore_accepted = true;
    let mut net = Net::new(cfg);
    net.propose(0, Value::text("first")).unwrap();
    net.run(|e| !matches!(e.msg, Msg::Accept { .. }) || e.to == NodeId(0));
    net.propose(2, Value::text("second")).unwrap();
    net.run(|_| true);
    assert_eq!(net.learned(1, 0), Some(Value::text("second")));
}

/// Two different accepted values reach a proposer in phase 1: "old" at 1.0 from acceptor 0 and "new" at 1.1 from
/// acceptor 1, where "new" was chosen. The rule adopts the higher ballot's value; the adopt-lowest bug the lower.
fn adopt_after_two_ballots(bugs: Bugs) -> (Option<(Ballot, Value)>, Option<Value>) {
    let mut cfg = Config::uniform(Mode::Single, 3);
    cfg.bugs = bugs;
    let mut net = Net::new(cfg);
    // Ballot 1.0: only node 0's own acceptor accepts "old".
    net.propose(0, Value::text("old")).unwrap();
    net.run(|e| !matches!(e.msg, Msg::Accept { .. }) || e.to == NodeId(0));
    // Ballot 1.1 at node 1, without node 0: acceptors 1 and 2 accept "new", which is chosen.
    net.propose(1, Value::text("new")).unwrap();
    net.run(|e| e.to != NodeId(0) && e.from != NodeId(0));
    assert_eq!(net.learned(1, 0), Some(Value::text("new")));
    // Ballot 2.2 at node 2, hearing only from acceptor 0 (old at 1.0) and its own (new at 1.1).
    net.propose(2, Value::text("mine")).unwrap();
    net.run(|e| e.to != NodeId(1) && e.from != NodeId(1));
    let adopted = net.events.iter().rev().find_map(|(n, e)| match e {
        NodeEvent::Adopted { from: Some(from), value, .. } if *n == NodeId(2) => Some((*from, value.clone())),
        _ => None,
    });
    (adopted, net.learned(0, 0))
}

#[test]
fn a_proposer_adopts_the_highest_ballot_value_among_two() {
    let (adopted, learned) = adopt_after_two_ballots(Bugs::default());
    assert_eq!(adopted, Some((b(1, 1), Value::text("new"))));
    assert_eq!(learned, Some(Value::text("new")));
}

#[test]
fn adopt_lowest_bug_revives_the_older_value() {
    let (adopted, learned) = adopt_after_two_ballots(Bugs::default().with(Bug::AdoptLowest));
    assert_eq!(adopted, Some((b(1, 0), Value::text("old"))));
    // Node 0 learns "old", chosen at 2.2 by acceptors 0 and 2, after "new" was chosen at 1.1: two values.
    assert_eq!(learned, Some(Value::text("old")));
}

#[test]
fn single_decree_proposer_is_busy_until_chosen() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    net.propose(0, Value::text("a")).unwrap();
    assert_eq!(net.propose(0, Value::text("b")), Err(ProposeError::Busy(NodeId(0))));
    net.run(|_| true);
    assert!(net.propose(0, Value::text("b")).is_ok());
}

#[test]
fn proposer_backs_off_and_retries_higher_after_a_rejection() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    for a in 0..3 {
        net.nodes[a].step(NodeId(2), Msg::Prepare { ballot: b(5, 2), from: Slot(0) }, &mut net.rng);
        net.nodes[a].drain_outbox().for_each(drop);
    }
    net.propose(0, Value::text("v")).unwrap();
    net.run(|_| true);
    let p = net.nodes[0].proposer().unwrap();
    assert_eq!(p.phase, Phase::Idle);
    assert!(p.timer > 0, "a backoff is armed");
    for _ in 0..20 {
        net.nodes[0].tick(&mut net.rng);
        net.collect(NodeId(0));
        net.run(|_| true);
    }
    assert_eq!(net.learned(0, 0), Some(Value::text("v")));
    assert!(net.nodes[0].proposer().unwrap().ballot > b(5, 2));
}

#[test]
fn restart_keeps_exactly_the_durable_state() {
    let mut net = Net::new(Config::uniform(Mode::Single, 3));
    net.propose(0, Value::text("v")).unwrap();
    net.run(|_| true);
    let before = net.nodes[1].durable().clone();
    assert!(!net.nodes[1].restart());
    assert_eq!(net.nodes[1].durable(), &before);
    assert_eq!(net.learned(1, 0), None, "the learner's log is volatile");

    let mut cfg = Config::uniform(Mode::Single, 3);
    cfg.bugs.amnesia = true;
    let mut net = Net::new(cfg);
    net.propose(0, Value::text("v")).unwrap();
    net.run(|_| true);
    assert!(net.nodes[1].restart());
    assert_eq!(net.nodes[1].durable(), &Durable::default());
}

fn elect(net: &mut Net, leader: u8) {
    // Only the chosen node's election timer fires: tick it until it leads.
    for _ in 0..40 {
        net.nodes[leader as usize].tick(&mut net.rng);
        net.collect(NodeId(leader));
        net.run(|_| true);
        if net.nodes[leader as usize].is_leader() {
            return;
        }
    }
    panic!("node {leader} did not become leader");
}

#[test]
fn multi_paxos_leader_fills_log_and_allocates_transaction_ids() {
    let mut net = Net::new(Config::uniform(Mode::Multi, 3));
    elect(&mut net, 1);
    for req in 0..3 {
        net.propose(1, Value::Txn { client: 9, req }).unwrap();
    }
    // A follower forwards to the leader.
    net.propose(2, Value::Txn { client: 8, req: 0 }).unwrap();
    net.run(|_| true);
    for id in 0..3u8 {
        let l = net.nodes[id as usize].learner().unwrap();
        assert_eq!(l.prefix, Slot(4), "node {id}");
        assert_eq!(l.txn.ids.get(&(8, 0)), Some(&3));
        assert_eq!(l.txn.ids.get(&(9, 2)), Some(&2));
    }
}

#[test]
fn new_leader_recovers_accepted_slots_and_fills_gaps_with_noop() {
    let mut net = Net::new(Config::uniform(Mode::Multi, 3));
    elect(&mut net, 0);
    // Slots 0 and 2 reach only acceptor 1; slot 1 is lost everywhere. Node 1's phase-1 quorum includes itself.
    net.propose(0, Value::text("a")).unwrap();
    net.propose(0, Value::text("b")).unwrap();
    net.propose(0, Value::text("c")).unwrap();
    net.run(|e| match &e.msg {
        Msg::Accept { slot, .. } => slot.0 != 1 && e.to == NodeId(1),
        _ => true,
    });
    assert!(!net.nodes[0].restart());
    elect(&mut net, 1);
    net.run(|_| true);
    let log: Vec<_> = net.nodes[2].learner().unwrap().log.values().cloned().collect();
    assert_eq!(log, vec![Value::text("a"), Value::Noop, Value::text("c")]);
}

#[test]
fn learner_catches_up_from_the_leader_after_a_restart() {
    let mut net = Net::new(Config::uniform(Mode::Multi, 3));
    elect(&mut net, 0);
    net.propose(0, Value::text("a")).unwrap();
    net.run(|_| true);
    net.nodes[2].restart();
    assert_eq!(net.learned(2, 0), None);
    // The next heartbeat tells node 2 it is behind; it asks and receives the decided value.
    for _ in 0..3 {
        net.nodes[0].tick(&mut net.rng);
        net.collect(NodeId(0));
        net.run(|_| true);
    }
    assert_eq!(net.learned(2, 0), Some(Value::text("a")));
}
