//! Protocol tests over a tiny in-memory network that delivers in FIFO order, with crashes and a filter on which
//! messages get through, so each test builds exactly the state the paper draws.

use std::collections::VecDeque;
use std::sync::Arc;

use rand_pcg::Pcg32;

use crate::*;

struct Net {
    nodes: Vec<Node>,
    up: Vec<bool>,
    queue: VecDeque<Envelope>,
    events: Vec<(NodeId, NodeEvent)>,
    rng: Pcg32,
}

impl Net {
    fn new(config: Config) -> Net {
        let cluster = Arc::new(config.validate().unwrap());
        let nodes: Vec<Node> = cluster.nodes().map(|id| Node::new(id, cluster.clone())).collect();
        let up = vec![true; nodes.len()];
        Net { nodes, up, queue: VecDeque::new(), events: Vec::new(), rng: Pcg32::new(7, 11) }
    }

    fn with(n: usize, bugs: Bugs) -> Net {
        Net::new(Config { bugs, ..Config::new(n) })
    }

    fn collect(&mut self, id: u8) {
        let n = &mut self.nodes[id as usize];
        self.queue.extend(n.drain_outbox());
        self.events.extend(n.drain_events().map(|e| (NodeId(id), e)));
    }

    fn campaign(&mut self, id: u8) {
        self.nodes[id as usize].campaign(&mut self.rng);
        self.collect(id);
    }

    fn propose(&mut self, id: u8, value: Value) {
        self.nodes[id as usize].propose(value).unwrap();
        self.collect(id);
    }

    fn tick(&mut self, id: u8) {
        if self.up[id as usize] {
            self.nodes[id as usize].tick(&mut self.rng);
            self.collect(id);
        }
    }

    /// Ticks a leader until it sends its heartbeat.
    fn heartbeat(&mut self, id: u8) {
        for _ in 0..Timing::default().heartbeat {
            self.tick(id);
        }
    }

    /// A node joins the network with an empty log (no configuration has it yet); every node sees the grown cluster.
    fn add(&mut self) -> u8 {
        let cluster = Arc::new(self.nodes[0].cluster().grown());
        for n in &mut self.nodes {
            n.set_cluster(cluster.clone());
        }
        let id = self.nodes.len() as u8;
        self.nodes.push(Node::new(NodeId(id), cluster));
        self.up.push(true);
        id
    }

    fn change(&mut self, id: u8, members: &[u8]) -> Result<(), ProposeError> {
        let m = members.iter().map(|&i| NodeId(i)).collect();
        let r = self.nodes[id as usize].propose(Value::Config(m));
        self.collect(id);
        r
    }

    fn crash(&mut self, id: u8) {
        self.up[id as usize] = false;
    }

    fn restart(&mut self, id: u8) -> bool {
        self.up[id as usize] = true;
        let forgot = self.nodes[id as usize].restart();
        self.collect(id);
        forgot
    }

    /// Delivers queued messages until none is left; a message to a crashed node, or one `keep` refuses, is lost.
    fn run(&mut self, keep: impl Fn(&Envelope) -> bool) {
        while let Some(e) = self.queue.pop_front() {
            if self.up[e.to.index()] && keep(&e) {
                let to = e.to.0;
                self.nodes[to as usize].step(e.from, e.msg, &mut self.rng);
                self.collect(to);
            }
        }
    }

    fn all(&mut self) {
        self.run(|_| true);
    }

    /// A node's log as (term, value) pairs.
    fn log(&self, id: u8) -> Vec<(u32, Value)> {
        self.nodes[id as usize].durable().log.iter().map(|e| (e.term.0, e.value.clone())).collect()
    }

    /// The values a node has committed, in slot order.
    fn committed(&self, id: u8) -> Vec<Value> {
        let n = &self.nodes[id as usize];
        n.durable().log[..n.commit().0 as usize].iter().map(|e| e.value.clone()).collect()
    }

    fn events_of(&self, id: u8) -> impl Iterator<Item = &NodeEvent> {
        self.events.iter().filter(move |(n, _)| n.0 == id).map(|(_, e)| e)
    }

    /// Every (node, term) that was elected.
    fn elected(&self) -> Vec<(u8, u32)> {
        let terms = self.events.iter().filter_map(|(n, e)| match e {
            NodeEvent::Elected { term, .. } => Some((n.0, term.0)),
            _ => None,
        });
        terms.collect()
    }

    /// Every (node, slot, value) committed, in the order the nodes committed them.
    fn commits(&self) -> Vec<(u8, u64, Value)> {
        let c = self.events.iter().filter_map(|(n, e)| match e {
            NodeEvent::Committed { slot, value, .. } => Some((n.0, slot.0, value.clone())),
            _ => None,
        });
        c.collect()
    }
}

fn v(s: &str) -> Value {
    Value::text(s)
}

fn is_append(e: &Envelope) -> bool {
    matches!(e.msg, Msg::AppendEntries { .. })
}

#[test]
fn ticks_elect_one_leader_whose_no_op_every_node_commits() {
    let mut net = Net::with(3, Bugs::default());
    for _ in 0..200 {
        for id in 0..3 {
            net.tick(id);
        }
        net.all();
        if (0..3).all(|id| net.nodes[id as usize].commit() == Slot(1)) {
            break;
        }
    }
    let elected = net.elected();
    assert_eq!(elected.len(), 1, "one election, won at once: {elected:?}");
    let (leader, term) = elected[0];
    assert!(net.nodes[leader as usize].is_leader());
    for id in 0..3 {
        assert_eq!(net.log(id), vec![(term, Value::Noop)], "node {id}");
        assert_eq!(net.committed(id), vec![Value::Noop], "node {id}");
        assert_eq!(net.nodes[id as usize].leader(), Some(NodeId(leader)));
    }
}

#[test]
fn a_follower_forwards_a_client_value_and_every_node_commits_it_in_order() {
    let mut net = Net::with(3, Bugs::default());
    net.campaign(0);
    net.all();
    assert_eq!(net.elected(), vec![(0, 1)]);
    let txn = Value::Txn { client: 7, req: 1 };
    net.propose(2, txn.clone());
    net.all();
    net.propose(1, v("a"));
    net.all();
    // Followers learn the commit index from the next AppendEntries.
    net.heartbeat(0);
    net.all();
    for id in 0..3 {
        assert_eq!(net.committed(id), vec![Value::Noop, txn.clone(), v("a")], "node {id}");
        assert_eq!(net.nodes[id as usize].txn().ids.get(&(7, 1)), Some(&0), "node {id}");
    }
    // The leader counted each entry of its own term as a majority stored it; nothing else was counted.
    let counted = net.events_of(0).filter(|e| matches!(e, NodeEvent::Counted { .. })).count();
    assert_eq!(counted, 3);
    assert_eq!(net.nodes[0].propose(Value::Noop), Err(ProposeError::Noop(NodeId(0))));
}

#[test]
fn a_leader_repairs_a_deposed_leaders_log_backing_off_entry_by_entry() {
    let mut net = Net::with(3, Bugs::default());
    net.campaign(0);
    net.all();
    // Node 0 is cut off: what it appends in term 1 reaches nobody.
    let apart = |e: &Envelope| (e.from.0 == 0) == (e.to.0 == 0);
    net.propose(0, v("x"));
    net.propose(0, v("y"));
    net.run(apart);
    // Nodes 1 and 2 elect 1 in term 2 and commit a and b; then 2 takes over in term 3, its log as long as 1's.
    net.campaign(1);
    net.run(apart);
    net.propose(1, v("a"));
    net.run(apart);
    net.propose(1, v("b"));
    net.run(apart);
    net.campaign(2);
    net.run(apart);
    assert_eq!(net.elected(), vec![(0, 1), (1, 2), (2, 3)]);
    assert_eq!(net.log(0), vec![(1, Value::Noop), (1, v("x")), (1, v("y"))]);
    // Healed. Node 2's first guess is that node 0 holds its whole log; each refusal takes it one entry back,
    // until they share slot 0; then node 0 deletes x and y, which were never committed, and takes node 2's log.
    net.heartbeat(2);
    net.all();
    let backoffs: Vec<u64> = net
        .events_of(2)
        .filter_map(|e| match e {
            NodeEvent::BackedOff { follower: NodeId(0), next } => Some(next.0),
            _ => None,
        })
        .collect();
    assert_eq!(backoffs, vec![3, 2, 1]);
    assert!(net.events_of(0).any(|e| *e == NodeEvent::Truncated { from: Slot(1), removed: 2 }));
    let expected = vec![(1, Value::Noop), (2, Value::Noop), (2, v("a")), (2, v("b")), (3, Value::Noop)];
    net.heartbeat(2);
    net.all();
    for id in 0..3 {
        assert_eq!(net.log(id), expected, "node {id}");
        assert_eq!(net.committed(id).len(), 5, "node {id}");
    }
    assert!(!net.nodes[0].is_leader());
}

/// Figure 8 of the Raft paper, with five nodes (the paper's S1..S5 are 0..4) and one entry per AppendEntries:
/// (a) 0 leads term 2 and gets A to 1 only; (b) 4 leads term 3 with 2 and 3's votes, and appends B alone;
/// (c) 0 leads term 4 and gets A onto 2 (a majority then holds A) but not its term-4 no-op; (d) 4 leads term 5
/// with 1 and 3's votes (2, which holds the no-op of term 4, refuses) and overwrites A with B everywhere.
fn figure_8(bugs: Bugs) -> Net {
    let mut net = Net::with(5, bugs);
    net.campaign(0);
    net.all();
    // (a)
    let only_to_1 = |e: &Envelope| !is_append(e) || e.to.0 == 1;
    net.campaign(0);
    net.run(only_to_1);
    net.propose(0, v("A"));
    net.run(only_to_1);
    // (b)
    net.crash(0);
    net.campaign(4);
    net.run(|e| !is_append(e));
    net.propose(4, v("B"));
    net.run(|e| !is_append(e));
    assert_eq!(net.log(4), vec![(1, Value::Noop), (3, Value::Noop), (3, v("B"))]);
    // (c) In term 3, 2 and 3 voted for 4, so 0 needs a second campaign.
    net.crash(4);
    net.restart(0);
    net.campaign(0);
    net.all();
    let carries_term_4 = |e: &Envelope| matches!(&e.msg, Msg::AppendEntries { entries, .. } if entries.iter().any(|x| x.term == Term(4)));
    // Node 2 refuses the first AppendEntries with the no-op (it lacks slot 2); the second, which it would store,
    // is lost, as if 0 crashed just after counting.
    let to_2 = std::cell::Cell::new(0);
    let lose_the_no_op_to_2 = |e: &Envelope| {
        if e.to.0 == 2 && carries_term_4(e) {
            to_2.set(to_2.get() + 1);
            return to_2.get() == 1;
        }
        !is_append(e) || e.to.0 <= 2
    };
    net.campaign(0);
    net.run(lose_the_no_op_to_2);
    assert_eq!(net.elected().last(), Some(&(0, 4)));
    assert_eq!(net.log(2), vec![(1, Value::Noop), (2, Value::Noop), (2, v("A"))]);
    // (d) In term 4, 1, 2 and 3 voted for 0, so 4 needs a second campaign too.
    net.crash(0);
    net.restart(4);
    net.campaign(4);
    net.all();
    net.campaign(4);
    net.all();
    assert_eq!(net.elected().last(), Some(&(4, 5)));
    net.heartbeat(4);
    net.all();
    net
}

#[test]
fn figure_8_a_leader_never_counts_an_earlier_terms_entry_as_committed() {
    let net = figure_8(Bugs::default());
    // In term 4, A was on a majority (0, 1, 2), but node 0 did not count it: its own no-op was on two nodes.
    let counted_old = net
        .events
        .iter()
        .any(|(_, e)| matches!(e, NodeEvent::Counted { term, leader_term, .. } if term != leader_term));
    assert!(!counted_old);
    assert!(!net.commits().iter().any(|(_, _, value)| *value == v("A")), "A was never committed");
    // Node 4 overwrote A with B, which is safe, since A was never committed.
    for id in 1..4 {
        assert_eq!(net.log(id)[2], (3, v("B")), "node {id}");
        assert_eq!(net.committed(id).get(2), Some(&v("B")), "node {id}");
    }
}

#[test]
fn figure_8_with_commit_old_term_a_committed_entry_is_overwritten() {
    let net = figure_8(Bugs::default().with(Bug::CommitOldTerm));
    // The bug: node 0, leading term 4, counted term 2's A on nodes 0, 1 and 2 and committed it...
    let replicas: NodeSet = [0, 1, 2].map(NodeId).into_iter().collect();
    let counted = NodeEvent::Counted { slot: Slot(2), term: Term(2), leader_term: Term(4), replicas };
    assert!(net.events_of(0).any(|e| *e == counted));
    assert!(net.commits().contains(&(0, 2, v("A"))));
    // ...yet node 4 was elected without it and overwrote it: slot 2 committed two different values (the State
    // Machine Safety a checker reports).
    assert!(net.events_of(2).any(|e| matches!(e, NodeEvent::Truncated { from: Slot(1), .. })));
    assert!(net.commits().contains(&(4, 2, v("B"))));
}

/// Node 0 wins term 1 with node 2's vote while node 1 hears nothing; node 2 restarts; then node 1 campaigns in term
/// 1 too (node 2's log is as empty as node 1's: no AppendEntries reached it).
fn vote_twice(bugs: Bugs) -> (Net, bool) {
    let mut net = Net::with(3, bugs);
    net.campaign(0);
    net.run(|e| e.to.0 != 1 && !is_append(e));
    assert_eq!(net.elected(), vec![(0, 1)]);
    net.crash(2);
    let forgot = net.restart(2);
    assert_eq!(net.nodes[2].durable().term, Term(1), "the term survives a restart");
    net.campaign(1);
    net.all();
    (net, forgot)
}

#[test]
fn a_restarted_node_keeps_its_vote_and_refuses_a_second_candidate() {
    let (net, forgot) = vote_twice(Bugs::default());
    assert!(!forgot);
    let refused = NodeEvent::Refused {
        term: Term(1),
        candidate: NodeId(1),
        reason: Refusal::AlreadyVoted { voted_for: NodeId(0) },
    };
    assert!(net.events_of(2).any(|e| *e == refused));
    assert_eq!(net.elected(), vec![(0, 1)]);
}

#[test]
fn with_forget_vote_a_restarted_node_votes_twice_and_one_term_has_two_leaders() {
    let (net, forgot) = vote_twice(Bugs::default().with(Bug::ForgetVote));
    assert!(forgot);
    assert_eq!(net.elected(), vec![(0, 1), (1, 1)]);
}

/// Node 0 leads term 1 with node 1 and commits A while node 2 hears nothing; node 0 crashes; node 2, whose log is
/// empty, campaigns twice (node 1 voted for 0 in term 1, so only term 2 can be won).
fn stale_candidate(bugs: Bugs) -> Net {
    let mut net = Net::with(3, bugs);
    let without_2 = |e: &Envelope| e.to.0 != 2;
    net.campaign(0);
    net.run(without_2);
    net.propose(0, v("A"));
    net.run(without_2);
    assert_eq!(net.committed(0), vec![Value::Noop, v("A")]);
    net.crash(0);
    net.campaign(2);
    net.all();
    net.campaign(2);
    net.all();
    net
}

#[test]
fn a_candidate_missing_a_committed_entry_is_refused_by_the_up_to_date_check() {
    let net = stale_candidate(Bugs::default());
    let behind =
        |e: &NodeEvent| matches!(e, NodeEvent::Refused { candidate: NodeId(2), reason: Refusal::LogBehind { .. }, .. });
    assert!(net.events_of(1).any(behind));
    assert_eq!(net.elected(), vec![(0, 1)]);
    assert_eq!(net.log(1), vec![(1, Value::Noop), (1, v("A"))]);
}

#[test]
fn with_no_log_check_a_stale_leader_is_elected_and_erases_committed_entries() {
    let net = stale_candidate(Bugs::default().with(Bug::NoLogCheck));
    assert_eq!(net.elected(), vec![(0, 1), (2, 2)]);
    // Leader Completeness broke at that election; its no-op then replaces both committed entries on node 1.
    assert!(net.events_of(1).any(|e| *e == NodeEvent::Truncated { from: Slot(0), removed: 2 }));
    assert_eq!(net.log(1), vec![(2, Value::Noop)]);
}

#[test]
fn a_restart_keeps_the_durable_state_and_nothing_else() {
    let mut net = Net::with(3, Bugs::default());
    net.campaign(0);
    net.all();
    net.propose(0, Value::Txn { client: 1, req: 1 });
    net.all();
    net.heartbeat(0);
    net.all();
    let before = net.nodes[1].durable().clone();
    assert_eq!(net.nodes[1].commit(), Slot(2));
    net.crash(1);
    assert!(!net.restart(1));
    let n = &net.nodes[1];
    assert_eq!(n.durable(), &before);
    assert_eq!((n.role(), n.commit(), n.leader(), n.txn().next_id), (&Role::Follower, Slot(0), None, 0));
    // The leader's next heartbeat tells it the commit index again, and it re-applies the same IDs.
    net.heartbeat(0);
    net.all();
    assert_eq!(net.nodes[1].txn().ids.get(&(1, 1)), Some(&0));
}

fn set(ids: &[u8]) -> NodeSet {
    ids.iter().map(|&i| NodeId(i)).collect()
}

/// Node 0 leads three nodes in term 1 and has committed its no-op.
fn led_three(bugs: Bugs) -> Net {
    let mut net = Net::with(3, bugs);
    net.campaign(0);
    net.all();
    assert_eq!(net.nodes[0].commit(), Slot(1));
    net
}

#[test]
fn a_configuration_is_in_force_once_appended_and_a_truncation_reverts_it() {
    let mut net = led_three(Bugs::default());
    net.change(0, &[0, 1]).unwrap();
    net.run(|_| false);
    // Uncommitted, and already in force at the leader: it replicates to node 1 alone, and counts {0, 1}.
    assert_eq!((net.nodes[0].configuration(), net.nodes[0].commit()), (set(&[0, 1]), Slot(1)));
    assert_eq!(net.nodes[1].configuration(), set(&[0, 1, 2]));
    // Node 1 leads term 2 with node 2's vote and overwrites the entry on node 0: the change is undone there.
    net.campaign(1);
    net.all();
    assert_eq!(net.elected(), vec![(0, 1), (1, 2)]);
    assert!(net.events_of(0).any(|e| *e == NodeEvent::Truncated { from: Slot(1), removed: 1 }));
    assert_eq!(net.nodes[0].configuration(), set(&[0, 1, 2]));
    assert_eq!(net.log(0), vec![(1, Value::Noop), (2, Value::Noop)]);
}

#[test]
fn a_leader_refuses_a_second_change_and_one_before_a_commit_of_its_term() {
    let mut net = Net::with(3, Bugs::default());
    net.campaign(0);
    net.run(|e| !is_append(e));
    assert_eq!(net.change(0, &[0, 1]), Err(ProposeError::NoCommitInTerm(Term(1))));
    assert_eq!(net.change(1, &[0, 1]), Err(ProposeError::NotLeader(NodeId(1))));
    net.heartbeat(0);
    net.all();
    let new = net.add();
    net.change(0, &[0, 1, 2, new]).unwrap();
    let before = net.nodes[0].clone();
    assert_eq!(net.change(0, &[0, 1, 2]), Err(ProposeError::ChangePending(Slot(1))));
    let err = net.change(0, &[0, 1]).unwrap_err();
    assert_eq!(err, ProposeError::NotOneServer { from: set(&[0, 1, 2, 3]), to: set(&[0, 1]) });
    assert_eq!(net.nodes[0], before, "a refused change changes nothing");
    // Once the first change commits, the next one is accepted.
    net.all();
    assert_eq!(net.nodes[0].commit(), Slot(2));
    net.change(0, &[0, 1, 2]).unwrap();
    // With change-two-at-once the second change is taken before the first commits.
    let mut net = led_three(Bugs::default().with(Bug::ChangeTwoAtOnce));
    net.change(0, &[0, 1]).unwrap();
    net.change(0, &[0]).unwrap();
    assert_eq!(net.nodes[0].configuration(), set(&[0]));
}

#[test]
fn a_new_server_catches_up_through_append_entries_and_counts_once_it_holds_the_change() {
    let mut net = led_three(Bugs::default());
    for x in ["a", "b"] {
        net.propose(0, v(x));
    }
    net.all();
    let new = net.add();
    assert!(!net.nodes[new as usize].is_member(), "an empty log: in no configuration of its own");
    net.tick(new); // never campaigns: its timer only runs
    for _ in 0..Timing::default().election.1 {
        net.tick(new);
    }
    assert!(!net.events_of(new).any(|e| matches!(e, NodeEvent::Campaigned { .. })));
    net.change(0, &[0, 1, 2, new]).unwrap();
    net.all();
    assert_eq!(net.log(new), net.log(0), "backed off to its empty log and caught up");
    assert_eq!(net.committed(new).len(), 4, "the change included");
    assert!(net.nodes[new as usize].is_member());
    let counted = net.events_of(0).filter_map(|e| match e {
        NodeEvent::Counted { slot, replicas, .. } => Some((slot.0, *replicas)),
        _ => None,
    });
    assert_eq!(counted.last(), Some((3, set(&[0, 1, 2]))), "three of the four, before the new one caught up");
}

#[test]
fn a_leader_that_removes_itself_leads_without_counting_itself_then_steps_down() {
    let mut net = led_three(Bugs::default());
    net.change(0, &[1, 2]).unwrap();
    // Node 1 alone stores it: {0, 1} would be a majority of {0, 1, 2}, but the leader no longer counts itself.
    net.run(|e| e.to == NodeId(1) || e.from == NodeId(1));
    assert_eq!((net.nodes[0].commit(), net.nodes[0].is_leader()), (Slot(1), true));
    net.heartbeat(0);
    net.all();
    assert!(net
        .events_of(0)
        .any(|e| matches!(e, NodeEvent::Counted { slot: Slot(1), replicas, .. } if *replicas == set(&[1, 2]))));
    assert!(net.events_of(0).any(|e| *e == NodeEvent::SteppedDown { term: Term(1) }));
    assert!(!net.nodes[0].is_leader());
    assert_eq!((net.nodes[1].commit(), net.nodes[2].commit()), (Slot(2), Slot(2)), "told before it stepped down");
    let campaigns = |net: &Net| net.events_of(0).filter(|e| matches!(e, NodeEvent::Campaigned { .. })).count();
    let before = campaigns(&net);
    for _ in 0..3 * Timing::default().election.1 {
        net.tick(0);
    }
    assert_eq!(campaigns(&net), before, "out of the configuration: it never campaigns");
}

#[test]
fn a_removed_server_that_missed_its_removal_is_ignored_while_a_leader_is_heard() {
    let mut net = led_three(Bugs::default());
    net.change(0, &[0, 1]).unwrap();
    net.run(|e| e.to != NodeId(2));
    assert_eq!(net.nodes[1].commit(), Slot(1));
    net.heartbeat(0);
    net.run(|e| e.to != NodeId(2));
    assert_eq!(net.nodes[1].commit(), Slot(2));
    // Node 2 still uses {0, 1, 2}, hears no heartbeat and campaigns in term 2, 3, …: nobody adopts its term.
    for _ in 0..2 {
        net.campaign(2);
        net.all();
    }
    for id in [0, 1] {
        assert!(net.events_of(id).any(|e| matches!(e, NodeEvent::Ignored { candidate: NodeId(2), .. })));
        assert_eq!(net.nodes[id as usize].durable().term, Term(1), "node {id}");
    }
    assert!(net.nodes[0].is_leader());
}
