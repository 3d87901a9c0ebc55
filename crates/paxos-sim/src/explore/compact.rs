//! The compact engine for the set network: the same breadth-first search over the same nodes and [`Checker`], with
//! each state packed into a few integers.
//!
//! * **Hash-consing.** Every distinct node state, checker state, message and network is stored once and named by
//!   a `u32`; a state is `[node ids…, checker id, network id, restarts used]`. The network is a bit set over the
//!   message ids (it only grows, and a set needs no order). The search keeps these rows in one flat vector, which
//!   is also its queue: breadth-first order is insertion order, so the frontier costs nothing extra.
//! * **Memoized steps.** A delivery is a pure function of the receiver's state and the message (the random
//!   generator is fresh and seeded for each one), so `Protocol::step` runs once per distinct (node state, message),
//!   a timeout once per distinct node state, and the checker once per distinct (checker state, step). The search
//!   itself only adds integers.
//! * **Exact deduplication by fingerprint.** The seen-table maps a 64-bit fingerprint to a row; a row with the same
//!   fingerprint but different contents (a collision) is probed to the next fingerprint, so no state is lost to
//!   a collision, unlike TLC's fingerprint-only table.
//! * **A crash is a restart** ([`Action::Crash`] then [`Action::Restart`], taken as one step). In the set network a
//!   crashed node receives nothing and every message to it stays deliverable, so a crash followed later by a restart
//!   reaches the same states as a restart at the later moment, and a node that stays down does nothing that a node
//!   left without deliveries does not. The separate down state doubled the space for no new behaviour.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use paxos_core::{NodeId, Slot, Value};
use rand_core::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::{Action, Counterexample, ExploreOptions, ExploreReport, Progress, Start};
use crate::checker::{Checker, Violation};
use crate::protocol::{Protocol, RuleOf};

/// A small multiply-rotate hasher (the Firefox/rustc "Fx" hash). The tables here hash their own ids and the core's
/// derived hashes, which need speed, not resistance to chosen inputs; it is deterministic on every platform.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Fx {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        // A final mix (MurmurHash3's): the multiply leaves the low bits, which pick the bucket, depending on the
        // low bits of the last word only, and networks that differ in high bits then crowd into one bucket group.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ h >> 33
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Distinct values, each named by its index.
struct Interner<T> {
    ids: FxMap<T, u32>,
    items: Vec<T>,
}

impl<T: Hash + Eq + Clone> Interner<T> {
    fn new() -> Self {
        Interner { ids: FxMap::default(), items: Vec::new() }
    }

    fn intern(&mut self, t: T) -> u32 {
        if let Some(&i) = self.ids.get(&t) {
            return i;
        }
        let i = u32::try_from(self.items.len()).expect("fewer than 2^32 distinct parts");
        self.items.push(t.clone());
        self.ids.insert(t, i);
        i
    }

    fn get(&self, i: u32) -> &T {
        &self.items[i as usize]
    }
}

/// Values that behave alike, each class named by its index and stored once, as the first value met of it: the
/// search runs the stored value, and its key decides which class a new value is in.
struct Classes<K, T> {
    ids: FxMap<K, u32>,
    items: Vec<T>,
}

impl<K: Hash + Eq, T> Classes<K, T> {
    fn new() -> Self {
        Classes { ids: FxMap::default(), items: Vec::new() }
    }

    /// The class of `t`, whose key is `key`; the second value is whether it is new.
    fn intern(&mut self, key: K, t: T) -> (u32, bool) {
        if let Some(&i) = self.ids.get(&key) {
            return (i, false);
        }
        let i = u32::try_from(self.items.len()).expect("fewer than 2^32 distinct parts");
        self.items.push(t);
        self.ids.insert(key, i);
        (i, true)
    }

    fn get(&self, i: u32) -> &T {
        &self.items[i as usize]
    }
}

/// One memoized delivery or timeout: the node's next state, the messages it sent and the decisions it reported.
struct Step<P: Protocol> {
    /// The message delivered ([`NO_MSG`] for a timeout); the checker sees it delivered, as the simulator's does:
    /// promises count toward phase 1.
    msg: u32,
    next: u32,
    sent: Box<[u32]>,
    events: Vec<P::Event>,
}

/// The message of a [`Step`] that was a timeout.
const NO_MSG: u32 = u32::MAX;

/// An action as the search stores it: a message id, or a node id with this bit set for a crash and restart…
const RESTART: u32 = 1 << 31;
/// …or with this bit set for the restart of a node that was down when the search started…
const COME_BACK: u32 = 1 << 30;
/// …or with this bit set for a timeout.
const TIMEOUT: u32 = 1 << 29;
/// The restarts used on a path are the low byte of its row's budget column, the timeouts the next.
const TIMEOUT_UNIT: u32 = 1 << 8;
/// The receiver recorded for a message on a cut link: it is never delivered.
const CUT: u8 = u8::MAX;

/// Per node class: which messages are dead because of it ([`Protocol::dead_to`], [`Protocol::done_with`]), as bit
/// sets over the message ids met so far (`covered`), extended as messages are met.
#[derive(Default)]
struct Dead {
    covered: usize,
    /// Messages to this node that it will never read, when it can no longer restart ([0]) and when it can ([1]).
    to: [Vec<u64>; 2],
    /// Messages from this node whose replies its proposer will never read (every message that has no reply).
    from: Vec<u64>,
}

/// The parts of states and the memoized steps between them.
struct Parts<P: Protocol> {
    cluster: Arc<P::Cluster>,
    /// Whether some message can be dead ([`Protocol::reduces`]).
    reduces: bool,
    nodes: Classes<P::Key, P::Node>,
    checkers: Classes<Checker<P>, Checker<P>>,
    msgs: Interner<P::Envelope>,
    /// Per message id: the index of its receiver ([`CUT`] when its link is cut).
    to: Vec<u8>,
    /// Networks as bit sets over message ids, without trailing zero words (so each set has one form).
    nets: Interner<Box<[u64]>>,
    steps: FxMap<(u32, u32), u32>,
    step_list: Vec<Step<P>>,
    checks: FxMap<(u32, u32), (u32, Option<u32>)>,
    restarts: FxMap<u32, u32>,
    restart_checks: FxMap<(u32, u32), (u32, Option<u32>)>,
    /// Per node class: the step of its timeout, or `None` when the protocol offers it none.
    timeouts: FxMap<u32, Option<u32>>,
    violations: Vec<Violation<P>>,
    /// Directed links that are cut: a message sent on one is dropped when it arrives, so it is never delivered.
    cut: Vec<(NodeId, NodeId)>,
    /// The messages on cut links, as a bit set: never delivered, so left out of every network.
    cut_bits: Vec<u64>,
    /// Per node class, the messages dead because of it.
    dead: Vec<Dead>,
    /// Scratch bit sets for [`Parts::net`].
    scratch: [Vec<u64>; 3],
}

fn set_bit(bits: &mut Vec<u64>, i: usize) {
    if bits.len() <= i / 64 {
        bits.resize(i / 64 + 1, 0);
    }
    bits[i / 64] |= 1 << (i % 64);
}

fn or_into(acc: &mut [u64], bits: &[u64]) {
    for (a, b) in acc.iter_mut().zip(bits) {
        *a |= b;
    }
}

impl<P: Protocol> Parts<P> {
    fn msg(&mut self, env: P::Envelope) -> u32 {
        let (from, to, _) = P::parts(&env);
        let cut = self.cut.contains(&(from, to));
        let id = self.msgs.intern(env);
        if id as usize == self.to.len() {
            self.to.push(if cut { CUT } else { to.0 });
            if cut {
                set_bit(&mut self.cut_bits, id as usize);
            }
        }
        id
    }

    /// The class of `node`.
    fn node(&mut self, node: P::Node) -> u32 {
        let key = P::key(&self.cluster, &node);
        let (id, new) = self.nodes.intern(key, node);
        if new {
            self.dead.push(Dead::default());
        }
        id
    }

    /// The class of `checker`.
    fn checker(&mut self, checker: Checker<P>) -> u32 {
        self.checkers.intern(checker.explorer_key(), checker).0
    }

    /// Brings node class `x`'s dead sets up to every message met so far.
    fn refresh(&mut self, x: u32) {
        let d = &mut self.dead[x as usize];
        if d.covered == self.msgs.items.len() {
            return;
        }
        let node = self.nodes.get(x);
        let me = P::id(node);
        for m in d.covered..self.msgs.items.len() {
            let (from, to, msg) = P::parts(&self.msgs.items[m]);
            if to == me && self.to[m] != CUT {
                for (k, can_restart) in [false, true].into_iter().enumerate() {
                    if P::dead_to(&self.cluster, node, from, msg, can_restart) {
                        set_bit(&mut d.to[k], m);
                    }
                }
            }
            if from == me && P::done_with(&self.cluster, node, to, msg) {
                set_bit(&mut d.from, m);
            }
        }
        d.covered = self.msgs.items.len();
    }

    /// The network `net` with the messages `sent` added and the messages dead in the state `row` (node classes
    /// first) left out; `can_restart` has bit `i` set when node `i` may still restart.
    fn net(&mut self, net: u32, sent: &[u32], row: &[u32], can_restart: u32) -> u32 {
        let [mut bits, mut to, mut from] = std::mem::take(&mut self.scratch);
        let words = self.msgs.items.len().div_ceil(64);
        bits.clear();
        bits.extend_from_slice(self.nets.get(net));
        bits.resize(words, 0);
        for &m in sent {
            bits[m as usize / 64] |= 1 << (m % 64);
        }
        if self.reduces {
            to.clear();
            to.resize(words, 0);
            from.clear();
            from.resize(words, 0);
            for (i, &x) in row.iter().enumerate() {
                self.refresh(x);
                let d = &self.dead[x as usize];
                or_into(&mut to, &d.to[usize::from(can_restart & 1 << i != 0)]);
                or_into(&mut from, &d.from);
            }
            for (w, b) in bits.iter_mut().enumerate() {
                *b &= !(to[w] & from[w]);
            }
        }
        for (b, c) in bits.iter_mut().zip(&self.cut_bits) {
            *b &= !c;
        }
        while bits.last() == Some(&0) {
            bits.pop();
        }
        let id = match self.nets.ids.get(bits.as_slice()) {
            Some(&id) => id,
            None => self.nets.intern(bits.clone().into_boxed_slice()),
        };
        self.scratch = [bits, to, from];
        id
    }

    /// Debug builds: every message of `before` and `sent` that `net` left out is one whose delivery in that state
    /// (`row`'s nodes, `checker`, `net`) changes no node and no checker, and sends only messages left out too, as
    /// [`Protocol::dead_to`] claims. (That it stays so in every future is what `tests/explore.rs` checks.)
    #[cfg(debug_assertions)]
    #[allow(clippy::too_many_arguments)]
    fn check_left_out(
        &mut self,
        before: u32,
        sent: &[u32],
        net: u32,
        row: &[u32],
        checker: u32,
        down: u32,
        can_restart: u32,
    ) {
        let has = |bits: &[u64], m: u32| bits.get(m as usize / 64).is_some_and(|w| w & 1 << (m % 64) != 0);
        let old = self.nets.get(before);
        let mut candidates: Vec<u32> = (0..old.len() as u32 * 64).filter(|&m| has(old, m)).collect();
        candidates.extend_from_slice(sent);
        for m in candidates {
            let to = self.to[m as usize];
            if has(self.nets.get(net), m) || to == CUT || down & 1 << to != 0 {
                continue;
            }
            let s = self.step(row[to as usize], m);
            let (c, _) = self.check(checker, s);
            let (next, replies) = (self.step_list[s as usize].next, self.step_list[s as usize].sent.clone());
            let after = self.net(net, &replies, row, can_restart);
            assert!(
                next == row[to as usize] && c == checker && after == net,
                "a message left out of the network is live: {:?}",
                self.msgs.get(m)
            );
        }
    }

    /// Delivers message `msg` to the node in state `node`, once per distinct pair.
    fn step(&mut self, node: u32, msg: u32) -> u32 {
        if let Some(&s) = self.steps.get(&(node, msg)) {
            return s;
        }
        let mut n = self.nodes.get(node).clone();
        let (from, _, m) = P::parts(self.msgs.get(msg));
        // A fresh generator per delivery: the same delivery in the same state must lead to the same state.
        let mut rng = Pcg64Mcg::seed_from_u64(0);
        P::step(&mut n, from, m.clone(), &mut rng);
        let s = self.record(n, msg);
        self.steps.insert((node, msg), s);
        s
    }

    /// Stores the step that left `n` (its outputs not yet taken) after delivering `msg` ([`NO_MSG`]: a timeout).
    fn record(&mut self, mut n: P::Node, msg: u32) -> u32 {
        let (mut out, mut events) = (Vec::new(), Vec::new());
        P::outputs(&mut n, &mut out, &mut events);
        let next = self.node(n);
        let sent = out.into_iter().map(|e| self.msg(e)).collect();
        let s = self.step_list.len() as u32;
        self.step_list.push(Step { msg, next, sent, events });
        s
    }

    /// The successor of the state `row` (`[node classes…, checker, network, budgets used, down]`, with
    /// `after.len()` nodes) in which node `node` took the memoized step `s`, a delivery or a timeout: the node's next
    /// class, the checker and the network after it, and the first violation the step reported; `None` when the
    /// step changes nothing. `can_restart` has bit `i` set when node `i` may still restart; `after` and `sent` are
    /// scratch space.
    fn stepped(
        &mut self,
        row: &[u32],
        node: usize,
        s: u32,
        can_restart: u32,
        after: &mut [u32],
        sent: &mut Vec<u32>,
    ) -> Option<([u32; 3], Option<u32>)> {
        let n = after.len();
        let (c_at, net_at) = (n, n + 1);
        let (checker, violation) = self.check(row[c_at], s);
        let next = self.step_list[s as usize].next;
        sent.clear();
        sent.extend_from_slice(&self.step_list[s as usize].sent);
        after.copy_from_slice(&row[..n]);
        after[node] = next;
        let net = self.net(row[net_at], sent, after, can_restart);
        #[cfg(debug_assertions)]
        self.check_left_out(row[net_at], sent, net, after, checker, row[n + 3], can_restart);
        if next == row[node] && checker == row[c_at] && net == row[net_at] {
            return None;
        }
        Some(([next, checker, net], violation))
    }

    /// The node in state `node` after its timer fires, once per distinct node state; `None` when the protocol
    /// offers it no timeout.
    fn timeout(&mut self, node: u32) -> Option<u32> {
        if let Some(&s) = self.timeouts.get(&node) {
            return s;
        }
        let mut n = self.nodes.get(node).clone();
        let mut rng = Pcg64Mcg::seed_from_u64(0);
        let s = P::timeout(&mut n, &mut rng).then(|| self.record(n, NO_MSG));
        self.timeouts.insert(node, s);
        s
    }

    /// The checker in state `checker` after step `step`, and the first violation it reported.
    fn check(&mut self, checker: u32, step: u32) -> (u32, Option<u32>) {
        if let Some(&c) = self.checks.get(&(checker, step)) {
            return c;
        }
        let mut c = self.checkers.get(checker).clone();
        let s = &self.step_list[step as usize];
        let next = self.nodes.get(s.next);
        let node = P::id(next);
        if s.msg != NO_MSG {
            let (from, to, m) = P::parts(self.msgs.get(s.msg));
            c.on_deliver(from, to, m);
        }
        let mut first = None;
        for e in &s.events {
            if let Some(v) = c.on_event(0, node, e).1.into_iter().next() {
                first.get_or_insert(v);
            }
        }
        P::settle(&self.cluster, &mut c, next);
        let r = (self.checker(c), first.map(|v| self.violation(v)));
        self.checks.insert((checker, step), r);
        r
    }

    fn violation(&mut self, v: Violation<P>) -> u32 {
        self.violations.push(v);
        (self.violations.len() - 1) as u32
    }

    /// The node in state `node` after a crash and restart.
    fn restart(&mut self, node: u32) -> u32 {
        if let Some(&r) = self.restarts.get(&node) {
            return r;
        }
        let mut n = self.nodes.get(node).clone();
        P::restart(&mut n);
        let r = self.node(n);
        self.restarts.insert(node, r);
        r
    }

    /// The checker after the node now in state `node` restarted.
    fn check_restart(&mut self, checker: u32, node: u32) -> (u32, Option<u32>) {
        if let Some(&c) = self.restart_checks.get(&(checker, node)) {
            return c;
        }
        let n = self.nodes.get(node);
        let mut c = self.checkers.get(checker).clone();
        let v = P::explorer_restart(&self.cluster, &mut c, n);
        let r = (self.checker(c), v.map(|v| self.violation(v)));
        self.restart_checks.insert((checker, node), r);
        r
    }

    fn action(&self, code: u32) -> Vec<Action<P>> {
        if code & RESTART != 0 {
            let node = NodeId((code & !RESTART) as u8);
            vec![Action::Crash { node }, Action::Restart { node }]
        } else if code & COME_BACK != 0 {
            vec![Action::Restart { node: NodeId((code & !COME_BACK) as u8) }]
        } else if code & TIMEOUT != 0 {
            vec![Action::Timeout { node: NodeId((code & !TIMEOUT) as u8) }]
        } else {
            vec![Action::Deliver { env: self.msgs.get(code).clone() }]
        }
    }
}

/// One successor: the action, the packed state, and the violation its step reported.
struct Succ {
    action: u32,
    /// The node whose state the action changed.
    node: usize,
    restart: bool,
    violation: Option<u32>,
}

/// The search's rows: `[node ids…, checker, network, restarts used]` each, in breadth-first order.
struct Rows {
    stride: usize,
    data: Vec<u32>,
    /// Per row: the row it was first reached from and the action taken.
    parents: Vec<(u32, u32)>,
    seen: FxMap<u64, u32>,
}

impl Rows {
    fn len(&self) -> usize {
        self.parents.len()
    }

    fn row(&self, i: usize) -> &[u32] {
        &self.data[i * self.stride..(i + 1) * self.stride]
    }

    /// Adds a row unless an equal one is there; returns whether it was new.
    fn insert(&mut self, row: &[u32], parent: u32, action: u32) -> bool {
        let mut h = Fx::default();
        row.hash(&mut h);
        // A final mix, so that the low bits the table uses depend on every word.
        let mut fp = h.finish();
        fp ^= fp >> 33;
        fp = fp.wrapping_mul(0xff51_afd7_ed55_8ccd);
        fp ^= fp >> 33;
        loop {
            match self.seen.entry(fp) {
                Entry::Vacant(e) => {
                    let i = u32::try_from(self.parents.len()).expect("fewer than 2^32 states");
                    e.insert(i);
                    self.data.extend_from_slice(row);
                    self.parents.push((parent, action));
                    return true;
                }
                Entry::Occupied(e) => {
                    let i = *e.get() as usize;
                    if self.data[i * self.stride..(i + 1) * self.stride] == *row {
                        return false;
                    }
                    // A different state with the same fingerprint: probe the next one.
                    fp = fp.wrapping_add(0x9e37_79b9_7f4a_7c15);
                }
            }
        }
    }

    fn path<P: Protocol>(&self, parts: &Parts<P>, mut i: usize) -> Vec<Action<P>> {
        let mut codes = Vec::new();
        while self.parents[i].0 != u32::MAX {
            codes.push(self.parents[i].1);
            i = self.parents[i].0 as usize;
        }
        codes.iter().rev().flat_map(|&c| parts.action(c)).collect()
    }
}

/// Explores the set network with the compact engine, from `start`. `progress` is called every few thousand new
/// states and at the end of each depth; when it returns `false` the search stops (the report says `cancelled`).
pub(super) fn explore<P: Protocol>(
    start: Start<P>,
    opts: &ExploreOptions<P>,
    progress: &mut dyn FnMut(&Progress) -> bool,
    mut visit: Option<super::RowVisit<'_, P>>,
) -> ExploreReport<P> {
    let Start { cluster, nodes, up, net: in_flight, cut, checker } = start;
    let n = nodes.len();
    let mut parts = Parts {
        reduces: P::reduces(&cluster),
        cluster: cluster.clone(),
        nodes: Classes::new(),
        checkers: Classes::new(),
        msgs: Interner::new(),
        to: Vec::new(),
        nets: Interner::new(),
        steps: FxMap::default(),
        step_list: Vec::new(),
        checks: FxMap::default(),
        restarts: FxMap::default(),
        restart_checks: FxMap::default(),
        timeouts: FxMap::default(),
        violations: Vec::new(),
        cut,
        cut_bits: Vec::new(),
        dead: Vec::new(),
        scratch: Default::default(),
    };
    let empty = parts.nets.intern(Box::new([]));
    let sent: Vec<u32> = in_flight.into_iter().map(|env| parts.msg(env)).collect();
    let down = up.iter().enumerate().filter(|(_, &u)| !u).fold(0u32, |mask, (i, _)| mask | 1 << i);
    let mut checker = checker;
    for node in &nodes {
        P::settle(&cluster, &mut checker, node);
    }
    let mut init: Vec<u32> = nodes.into_iter().map(|node| parts.node(node)).collect();
    let can_restart = |r: u32, down: u32| if (r as u8) < opts.crashes { u32::MAX } else { down };
    let net = parts.net(empty, &sent, &init, can_restart(0, down));
    init.extend([parts.checker(checker), net, 0, down]);

    let stride = n + 4;
    let (c_at, net_at, r_at, down_at) = (n, n + 1, n + 2, n + 3);
    let mut rows = Rows { stride, data: Vec::new(), parents: Vec::new(), seen: FxMap::default() };
    rows.insert(&init, u32::MAX, 0);
    let mut visited: Vec<P::Node> = Vec::new();
    let mut network: Vec<P::Envelope> = Vec::new();
    let mut visit_row = |parts: &Parts<P>, row: &[u32], depth: u32, visit: &mut Option<super::RowVisit<'_, P>>| {
        if let Some(visit) = visit.as_mut() {
            visited.clear();
            visited.extend(row[..n].iter().map(|&x| parts.nodes.get(x).clone()));
            network.clear();
            for (w, &word) in parts.nets.get(row[net_at]).iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    network.push(parts.msgs.get((w * 64) as u32 + word.trailing_zeros()).clone());
                    word &= word - 1;
                }
            }
            visit(&super::Visited {
                nodes: &visited,
                checker: parts.checkers.get(row[c_at]),
                network: &network,
                restarts: row[r_at] as u8,
                timeouts: (row[r_at] / TIMEOUT_UNIT) as u8,
                down: row[down_at],
                depth,
            });
        }
    };
    visit_row(&parts, &init, 0, &mut visit);

    let mut report = ExploreReport { unique_states: 1, ..ExploreReport::default() };
    let mut rules: Vec<RuleOf<P>> = Vec::new();
    let mut depth = 0u32;
    let mut level_end = 1usize;
    let mut succs: Vec<Succ> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    let mut row = vec![0u32; stride];
    let mut after = vec![0u32; n];
    let mut sent: Vec<u32> = Vec::new();
    let mut next = vec![0u32; stride];
    // Rows with a violation: reported, not expanded (as in the full search).
    let mut broken: std::collections::HashSet<u32, BuildHasherDefault<Fx>> = Default::default();
    let mut i = 0usize;
    'search: while i < rows.len() {
        let new_level = i == level_end;
        if new_level {
            depth += 1;
            level_end = rows.len();
        }
        // Progress at each new depth and every few thousand states between.
        if (new_level || i % PROGRESS_EVERY == 0)
            && !progress(&Progress {
                unique_states: report.unique_states,
                states: report.states,
                depth,
                bytes: bytes(&rows, &parts),
            })
        {
            report.cancelled = true;
            break 'search;
        }
        if broken.contains(&(i as u32)) {
            i += 1;
            continue;
        }
        report.max_depth = depth;
        if opts.max_depth.is_some_and(|d| depth >= d) {
            report.depth_bounded = true;
            i += 1;
            continue;
        }
        row.copy_from_slice(rows.row(i));

        // Every successor that changes the state: deliveries of each message in the network, and restarts.
        succs.clear();
        targets.clear();
        let bits = parts.nets.get(row[net_at]);
        for (w, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                targets.push((w * 64) as u32 + word.trailing_zeros());
                word &= word - 1;
            }
        }
        let mut states: Vec<u32> = Vec::new();
        for &m in &targets {
            let to = parts.to[m as usize];
            if to == CUT || row[down_at] & 1 << to != 0 {
                continue; // dropped on arrival; a message to a down node stays deliverable after its restart
            }
            let to = to as usize;
            let s = parts.step(row[to], m);
            let can = can_restart(row[r_at], row[down_at]);
            // A delivery that changes nothing is no successor.
            if let Some((state, violation)) = parts.stepped(&row, to, s, can, &mut after, &mut sent) {
                states.extend(state);
                succs.push(Succ { action: m, node: to, restart: false, violation });
            }
        }
        for node in (0..n).filter(|&i| row[down_at] & 1 << i != 0) {
            let r = parts.restart(row[node]);
            let (checker, violation) = parts.check_restart(row[c_at], r);
            after.copy_from_slice(&row[..n]);
            after[node] = r;
            let (down, used) = (row[down_at] & !(1 << node), row[r_at]);
            let net = parts.net(row[net_at], &[], &after, can_restart(used, down));
            #[cfg(debug_assertions)]
            parts.check_left_out(row[net_at], &[], net, &after, checker, down, can_restart(used, down));
            states.extend([r, checker, net]);
            succs.push(Succ { action: COME_BACK | node as u32, node, restart: false, violation });
        }
        if ((row[r_at] / TIMEOUT_UNIT) as u8) < opts.timeouts {
            for node in (0..n).filter(|&i| row[down_at] & 1 << i == 0) {
                let Some(s) = parts.timeout(row[node]) else { continue };
                let can = can_restart(row[r_at], row[down_at]);
                if let Some((state, violation)) = parts.stepped(&row, node, s, can, &mut after, &mut sent) {
                    states.extend(state);
                    succs.push(Succ { action: TIMEOUT | node as u32, node, restart: false, violation });
                }
            }
        }
        if (row[r_at] as u8) < opts.crashes {
            for node in (0..n).filter(|&i| row[down_at] & 1 << i == 0) {
                let r = parts.restart(row[node]);
                let (checker, violation) = parts.check_restart(row[c_at], r);
                if r == row[node] && checker == row[c_at] {
                    // Nothing volatile to lose: a restart now only spends the budget, and leads to a state whose
                    // futures are all futures of this one.
                    continue;
                }
                after.copy_from_slice(&row[..n]);
                after[node] = r;
                let (down, used) = (row[down_at], row[r_at] + 1);
                let net = parts.net(row[net_at], &[], &after, can_restart(used, down));
                #[cfg(debug_assertions)]
                parts.check_left_out(row[net_at], &[], net, &after, checker, down, can_restart(used, down));
                states.extend([r, checker, net]);
                succs.push(Succ { action: RESTART | node as u32, node, restart: true, violation });
            }
        }

        for (k, s) in succs.iter().enumerate() {
            next.copy_from_slice(&row);
            next[s.node] = states[3 * k];
            next[c_at] = states[3 * k + 1];
            next[net_at] = states[3 * k + 2];
            if s.restart {
                next[r_at] += 1;
            }
            if s.action & TIMEOUT != 0 {
                next[r_at] += TIMEOUT_UNIT;
            }
            if s.action & COME_BACK != 0 {
                next[down_at] &= !(1 << s.node);
            }
            report.states += 1;
            if !rows.insert(&next, i as u32, s.action) {
                continue;
            }
            report.unique_states += 1;
            visit_row(&parts, &next, depth + 1, &mut visit);
            let new = rows.len() - 1;
            report.chosen_reachable |= !parts.checkers.get(next[c_at]).chosen().is_empty();
            if let Some(v) = s.violation {
                broken.insert(new as u32);
                report.violations += 1;
                let v = &parts.violations[v as usize];
                if !rules.contains(&v.rule) {
                    rules.push(v.rule);
                }
                if report.counterexample.is_none() {
                    report.counterexample = Some(Counterexample { path: rows.path(&parts, new), violation: v.clone() });
                }
                if opts.stop_at_first {
                    break 'search;
                }
                continue;
            }
            if rows.len() >= opts.max_states {
                report.truncated = true;
                break 'search;
            }
        }
        i += 1;
    }
    report.bytes = bytes(&rows, &parts);
    progress(&Progress { unique_states: report.unique_states, states: report.states, depth, bytes: report.bytes });
    rules.sort();
    report.violated_rules = rules;
    report.decisions = decisions(parts.checkers.items.iter());
    report.complete =
        !(report.truncated || report.cancelled || report.depth_bounded || opts.stop_at_first && report.violations > 0);
    report
}

/// How often (in states expanded) the search reports its progress between depths.
const PROGRESS_EVERY: usize = 1 << 14;

/// The memory the search holds, estimated from its tables' capacities (what a browser tab's budget is checked
/// against): the rows and their parents, the seen-table, and the distinct parts with their memoized steps.
fn bytes<P: Protocol>(rows: &Rows, parts: &Parts<P>) -> u64 {
    use std::mem::size_of;
    // A hash table entry costs its key and value plus a control byte, at the table's capacity.
    fn table<K, V>(m: &FxMap<K, V>) -> usize {
        m.capacity() * (size_of::<(K, V)>() + 1)
    }
    // Nodes, checkers and messages own heap data (logs, vote sets) the size of the type does not show: counted
    // at twice their inline size, as each is stored twice (the interner's list and its table).
    let dead = parts.dead.len() * 3 * parts.msgs.items.len().div_ceil(64) * 8;
    let interned = dead
        + parts.nodes.items.len() * 3 * size_of::<P::Node>()
        + parts.checkers.items.len() * 3 * size_of::<Checker<P>>()
        + parts.msgs.items.len() * 3 * size_of::<P::Envelope>()
        + parts.nets.items.iter().map(|b| 2 * (b.len() * 8 + 16)).sum::<usize>();
    let steps = parts.step_list.len() * (size_of::<Step<P>>() + 64);
    let memo = table(&parts.steps) + table(&parts.checks) + table(&parts.restarts);
    (rows.data.capacity() * 4 + rows.parents.capacity() * 8 + table(&rows.seen) + interned + steps + memo) as u64
}

/// Every (slot, value) chosen in some state whose checker is listed, sorted.
pub(super) fn decisions<'a, P: Protocol>(checkers: impl Iterator<Item = &'a Checker<P>>) -> Vec<(Slot, Value)> {
    let mut d: Vec<(Slot, Value)> = Vec::new();
    for c in checkers {
        for (slot, ch) in c.chosen().iter() {
            d.push((slot, ch.value.clone()));
        }
        for (slot, ch) in c.also_chosen() {
            d.push((*slot, ch.value.clone()));
        }
        if d.len() > 64 {
            d.sort();
            d.dedup();
        }
    }
    d.sort();
    d.dedup();
    d
}
