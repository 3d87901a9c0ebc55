//! Shareable links: a whole run (`seed`, configuration, commands) and the moment shown, in a few URL-safe
//! characters.
//!
//! The text is `<version>.<payload>`: the version in decimal, a dot, then base64url (no padding) of a compact binary
//! encoding. The payload is unsigned LEB128 varints for numbers, one byte for small enums and flags, length-prefixed
//! UTF-8 for text and 8 little-endian bytes for a non-zero rate. Version [`LINK_VERSION`] is written; a link with a
//! higher version was made by a newer playground and is refused with a message saying so, never guessed at.
//!
//! Layout of version 1 (every number a varint unless marked):
//!
//! ```text
//! seed  mode:u8  n  roles:u8×n  q1+1|0  q2+1|0  bugs:u8  heartbeat  election.min  election.max  timeout
//! backoff.min  backoff.max  latency.min  latency.max  loss:rate  dup:rate  tick_every  stop:u8
//! command-count  command×count  at
//! ```
//!
//! A rate is a byte 0 (zero) or 1 followed by the f64's 8 bytes. A command is an op byte and its fields, in the
//! order of [`Command`]'s variants.
//!
//! Version 2 is version 1 with the protocol's byte first (`Protocol::CODE`: 0 Paxos, 1 Raft) and the protocol's
//! own configuration in place of `mode` to `backoff.max` (`Protocol::write_config`; Raft's: `n bugs:u8 heartbeat
//! election.min election.max timeout backoff.min backoff.max max_entries`). Paxos links are still written as
//! version 1, so every link made before Raft and every page made before it still agree; [`protocol_of`] says
//! which protocol a link is a run of.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use paxos_core::{NodeId, Value};
use thiserror::Error;

use crate::command::{Command, Faults, MsgId};
use crate::limits::{MAX_NODES, MAX_RUN_EVENTS, MAX_VALUE_BYTES};
use crate::protocol::{Paxos, Protocol};
use crate::sim::{SimConfig, SimError};
use crate::tape::Tape;

/// The link version this program writes and the newest it reads.
pub const LINK_VERSION: u64 = 2;

/// What a link holds: a run and the moment to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Link<P: Protocol = Paxos> {
    /// The run.
    pub tape: Tape<P>,
    /// The moment shown (at most the tape's length).
    pub at: u64,
}

/// Why a link could not be read.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum LinkError {
    /// Nothing to read.
    #[error("the link is empty")]
    Empty,
    /// No `<version>.` prefix.
    #[error("the link does not start with a version number and a dot (like `1.`)")]
    NoVersion,
    /// Made by a newer playground.
    #[error("the link has version {0}, but this playground reads version {LINK_VERSION} and older; open it in a newer playground")]
    Version(u64),
    /// Not base64url.
    #[error("the link is damaged: it has characters that are not base64url (A–Z, a–z, 0–9, - and _)")]
    Base64,
    /// The bytes end early.
    #[error("the link is truncated: it ends inside {0}")]
    Truncated(&'static str),
    /// A byte that means nothing there.
    #[error("the link is damaged: {0}")]
    Malformed(String),
    /// A link of another protocol than the reader's (see [`protocol_of`]).
    #[error("the link is a {found} run, not a {expected} one")]
    Protocol {
        /// The link's protocol.
        found: &'static str,
        /// The reader's.
        expected: &'static str,
    },
    /// Well formed, but the configuration is impossible.
    #[error("the link's configuration is impossible: {0}")]
    Invalid(SimError),
    /// A run longer than [`MAX_RUN_EVENTS`] moments: refused before anything runs, so a short link cannot freeze
    /// the page.
    #[error("the link's run is longer than {MAX_RUN_EVENTS} moments, the limit")]
    TooLong,
}

/// A protocol's name by its link byte ("unknown protocol" for a byte no protocol has).
fn protocol_name(code: u8) -> &'static str {
    match code {
        0 => Paxos::NAME,
        1 => crate::protocol::Raft::NAME,
        _ => "unknown protocol",
    }
}

/// The protocol a link text is a run of, by name ("paxos", "raft"), read from its version and first byte alone: the
/// way in that picks which [`Link::read`] to call.
pub fn protocol_of(text: &str) -> Result<&'static str, LinkError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    let (version, payload) = text.split_once('.').ok_or(LinkError::NoVersion)?;
    match version.parse::<u64>().map_err(|_| LinkError::NoVersion)? {
        0 => Err(LinkError::Malformed("version 0 does not exist".into())),
        1 => Ok(Paxos::NAME),
        v if v > LINK_VERSION => Err(LinkError::Version(v)),
        _ => {
            let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| LinkError::Base64)?;
            match bytes.first() {
                None => Err(LinkError::Truncated("the protocol")),
                Some(&b) if b <= 1 => Ok(protocol_name(b)),
                Some(b) => Err(LinkError::Malformed(format!("protocol {b} is unknown"))),
            }
        }
    }
}

impl Link<Paxos> {
    /// Reads a Paxos link text (see [`Link::read`]).
    pub fn decode(text: &str) -> Result<Link, LinkError> {
        Link::read(text)
    }
}

impl<P: Protocol> Link<P> {
    /// The link text.
    pub fn encode(&self) -> String {
        let mut w = Writer(Vec::with_capacity(64 + 4 * self.tape.commands().len()));
        let t = &self.tape;
        w.uint(t.seed);
        write_config(&mut w, &t.config);
        w.uint(t.commands().len() as u64);
        for c in t.commands() {
            write_command(&mut w, c);
        }
        w.uint(self.at.min(t.len()));
        // A Paxos link is written as version 1 wrote it, so links made before Raft existed and links made now are
        // one format (and a page from before still opens a new Paxos link); another protocol's link is version 2,
        // its protocol's byte first.
        match P::CODE {
            0 => format!("1.{}", URL_SAFE_NO_PAD.encode(&w.0)),
            code => {
                let mut bytes = Vec::with_capacity(w.0.len() + 1);
                bytes.push(code);
                bytes.extend_from_slice(&w.0);
                format!("{LINK_VERSION}.{}", URL_SAFE_NO_PAD.encode(&bytes))
            }
        }
    }

    /// Reads a link text of protocol `P`. Whitespace around it is ignored. The configuration is validated; the
    /// commands are not replayed here (see [`Tape::replay`]).
    pub fn read(text: &str) -> Result<Link<P>, LinkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LinkError::Empty);
        }
        let (version, payload) = text.split_once('.').ok_or(LinkError::NoVersion)?;
        let version: u64 = version.parse().map_err(|_| LinkError::NoVersion)?;
        if version > LINK_VERSION {
            return Err(LinkError::Version(version));
        }
        if version == 0 {
            return Err(LinkError::Malformed("version 0 does not exist".into()));
        }
        let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| LinkError::Base64)?;
        let mut r = Reader { bytes: &bytes, pos: 0 };
        let code = if version >= 2 { r.byte("the protocol")? } else { 0 };
        if code != P::CODE {
            return Err(LinkError::Protocol { found: protocol_name(code), expected: P::NAME });
        }
        let seed = r.uint("the seed")?;
        let config = read_config::<P>(&mut r)?;
        config.validate().map_err(LinkError::Invalid)?;
        let count = r.uint("the command count")?;
        // Every command takes at least one byte, so a larger count is damage, not a reason to allocate.
        if count > bytes.len() as u64 {
            return Err(LinkError::Malformed(format!("it claims {count} commands in {} bytes", bytes.len())));
        }
        let mut tape = Tape::new(seed, config);
        for _ in 0..count {
            let c = read_command(&mut r)?;
            if !crate::limits::fits(tape.len(), crate::tape::moments(&c)) {
                return Err(LinkError::TooLong);
            }
            tape.push(c);
        }
        let at = r.uint("the moment shown")?;
        if r.pos != bytes.len() {
            return Err(LinkError::Malformed(format!("{} unexpected bytes at the end", bytes.len() - r.pos)));
        }
        if at > tape.len() {
            return Err(LinkError::Malformed(format!("it shows moment {at} of a run of {} moments", tape.len())));
        }
        Ok(Link { tape, at })
    }
}

/// A link's bytes as they are written.
pub struct Writer(Vec<u8>);

impl Writer {
    pub(crate) fn uint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }

    pub(crate) fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    pub(crate) fn rate(&mut self, r: f64) {
        if r == 0.0 && r.is_sign_positive() {
            self.byte(0);
        } else {
            self.byte(1);
            self.0.extend_from_slice(&r.to_le_bytes());
        }
    }

    pub(crate) fn opt(&mut self, q: Option<usize>) {
        self.uint(q.map_or(0, |q| q as u64 + 1));
    }

    pub(crate) fn node(&mut self, n: NodeId) {
        self.byte(n.0);
    }

    pub(crate) fn faults(&mut self, f: &Faults) {
        self.rate(f.loss);
        self.rate(f.dup);
    }
}

/// A link's bytes as they are read.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    pub(crate) fn byte(&mut self, what: &'static str) -> Result<u8, LinkError> {
        let b = *self.bytes.get(self.pos).ok_or(LinkError::Truncated(what))?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn uint(&mut self, what: &'static str) -> Result<u64, LinkError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(LinkError::Malformed(format!("{what} is too large")));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(LinkError::Malformed(format!("{what} is too large")))
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, LinkError> {
        u32::try_from(self.uint(what)?).map_err(|_| LinkError::Malformed(format!("{what} is too large")))
    }

    pub(crate) fn flag(&mut self, what: &'static str) -> Result<bool, LinkError> {
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(LinkError::Malformed(format!("{what} is {b}, expected 0 or 1"))),
        }
    }

    pub(crate) fn rate(&mut self, what: &'static str) -> Result<f64, LinkError> {
        if !self.flag(what)? {
            return Ok(0.0);
        }
        let end = self.pos + 8;
        let b = self.bytes.get(self.pos..end).ok_or(LinkError::Truncated(what))?;
        self.pos = end;
        Ok(f64::from_le_bytes(b.try_into().expect("eight bytes")))
    }

    pub(crate) fn opt(&mut self, what: &'static str) -> Result<Option<usize>, LinkError> {
        Ok(match self.uint(what)? {
            0 => None,
            q => Some(usize::try_from(q - 1).map_err(|_| LinkError::Malformed(format!("{what} is too large")))?),
        })
    }

    pub(crate) fn node(&mut self) -> Result<NodeId, LinkError> {
        self.byte("a node id").map(NodeId)
    }

    pub(crate) fn faults(&mut self) -> Result<Faults, LinkError> {
        Ok(Faults { loss: self.rate("a loss rate")?, dup: self.rate("a duplication rate")? })
    }
}

fn write_config<P: Protocol>(w: &mut Writer, c: &SimConfig<P>) {
    P::write_config(&c.cluster, w);
    w.uint(c.latency.0);
    w.uint(c.latency.1);
    w.faults(&c.faults);
    w.uint(c.tick_every);
    w.byte(u8::from(c.stop_on_violation));
}

fn read_config<P: Protocol>(r: &mut Reader) -> Result<SimConfig<P>, LinkError> {
    let cluster = P::read_config(r)?;
    let latency = (r.uint("the latency")?, r.uint("the latency")?);
    let faults = r.faults()?;
    let tick_every = r.uint("the tick period")?;
    let stop_on_violation = r.flag("stop on violation")?;
    Ok(SimConfig { cluster, latency, faults, tick_every, stop_on_violation })
}

fn write_value(w: &mut Writer, v: &Value) {
    match v {
        // No client proposes a configuration (`check_value` refuses one), so no link carries it.
        Value::Noop | Value::Config(_) => w.byte(0),
        Value::Txn { client, req } => {
            w.byte(1);
            w.uint(u64::from(*client));
            w.uint(u64::from(*req));
        }
        Value::Text(s) => {
            w.byte(2);
            w.uint(s.len() as u64);
            w.0.extend_from_slice(s.as_bytes());
        }
    }
}

fn read_value(r: &mut Reader) -> Result<Value, LinkError> {
    Ok(match r.byte("a value")? {
        0 => Value::Noop,
        1 => Value::Txn { client: r.u32("a client id")?, req: r.u32("a request number")? },
        2 => {
            let len = r.uint("a value's length")?;
            if len > MAX_VALUE_BYTES as u64 {
                return Err(LinkError::Malformed(format!(
                    "a value of {len} bytes; at most {MAX_VALUE_BYTES} are allowed"
                )));
            }
            let end = r
                .pos
                .checked_add(len as usize)
                .filter(|&e| e <= r.bytes.len())
                .ok_or(LinkError::Truncated("a value"))?;
            let s = std::str::from_utf8(&r.bytes[r.pos..end])
                .map_err(|_| LinkError::Malformed("a value is not UTF-8".into()))?;
            r.pos = end;
            Value::text(s)
        }
        b => return Err(LinkError::Malformed(format!("value kind {b} is unknown"))),
    })
}

fn write_command(w: &mut Writer, c: &Command) {
    match c {
        Command::Step { count } => {
            w.byte(0);
            w.uint(*count);
        }
        Command::Propose { node, value } => {
            w.byte(1);
            w.node(*node);
            write_value(w, value);
        }
        Command::Crash { node } => {
            w.byte(2);
            w.node(*node);
        }
        Command::Restart { node } => {
            w.byte(3);
            w.node(*node);
        }
        Command::Tick { node } => {
            w.byte(4);
            w.node(*node);
        }
        Command::Partition { groups } => {
            w.byte(5);
            w.uint(groups.len() as u64);
            for g in groups {
                w.uint(g.len() as u64);
                for n in g {
                    w.node(*n);
                }
            }
        }
        Command::Heal => w.byte(6),
        Command::Cut { from, to, one_way } | Command::HealLink { from, to, one_way } => {
            w.byte(if matches!(c, Command::Cut { .. }) { 7 } else { 8 });
            w.node(*from);
            w.node(*to);
            w.byte(u8::from(*one_way));
        }
        Command::Drop { msg } | Command::Duplicate { msg } | Command::Deliver { msg } => {
            w.byte(match c {
                Command::Drop { .. } => 9,
                Command::Duplicate { .. } => 10,
                _ => 12,
            });
            w.uint(msg.0);
        }
        Command::Delay { msg, by } => {
            w.byte(11);
            w.uint(msg.0);
            w.uint(*by);
        }
        Command::Network { latency, faults } => {
            w.byte(13);
            w.uint(latency.0);
            w.uint(latency.1);
            w.faults(faults);
        }
        Command::AddNode => w.byte(15),
        Command::RemoveNode { node } => {
            w.byte(16);
            w.node(*node);
        }
        Command::Link { from, to, faults } => {
            w.byte(14);
            w.node(*from);
            w.node(*to);
            w.faults(faults);
        }
    }
}

fn read_command(r: &mut Reader) -> Result<Command, LinkError> {
    Ok(match r.byte("a command")? {
        0 => Command::Step { count: r.uint("a step count")? },
        1 => Command::Propose { node: r.node()?, value: read_value(r)? },
        2 => Command::Crash { node: r.node()? },
        3 => Command::Restart { node: r.node()? },
        4 => Command::Tick { node: r.node()? },
        5 => {
            let n = r.uint("a partition")?;
            if n > MAX_NODES as u64 {
                return Err(LinkError::Malformed(format!("a partition of {n} groups")));
            }
            let mut groups = Vec::new();
            for _ in 0..n {
                let k = r.uint("a partition group")?;
                if k > MAX_NODES as u64 {
                    return Err(LinkError::Malformed(format!("a partition group of {k} nodes")));
                }
                groups.push((0..k).map(|_| r.node()).collect::<Result<Vec<_>, _>>()?);
            }
            Command::Partition { groups }
        }
        6 => Command::Heal,
        op @ (7 | 8) => {
            let (from, to, one_way) = (r.node()?, r.node()?, r.flag("a cut's direction")?);
            if op == 7 {
                Command::Cut { from, to, one_way }
            } else {
                Command::HealLink { from, to, one_way }
            }
        }
        9 => Command::Drop { msg: MsgId(r.uint("a message id")?) },
        10 => Command::Duplicate { msg: MsgId(r.uint("a message id")?) },
        11 => Command::Delay { msg: MsgId(r.uint("a message id")?), by: r.uint("a delay")? },
        12 => Command::Deliver { msg: MsgId(r.uint("a message id")?) },
        13 => Command::Network { latency: (r.uint("the latency")?, r.uint("the latency")?), faults: r.faults()? },
        14 => Command::Link { from: r.node()?, to: r.node()?, faults: r.faults()? },
        15 => Command::AddNode,
        16 => Command::RemoveNode { node: r.node()? },
        b => return Err(LinkError::Malformed(format!("command kind {b} is unknown"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::Mode;

    fn sample() -> Link {
        let mut config = SimConfig::new(Mode::Multi, 5);
        config.cluster.q1 = Some(4);
        config.cluster.q2 = Some(2);
        config.cluster.bugs.amnesia = true;
        config.faults.loss = 12.5;
        let tape = Tape::from_commands(
            42,
            config,
            [
                Command::Propose { node: NodeId(0), value: Value::text("héllo") },
                Command::Step { count: 300 },
                Command::Propose { node: NodeId(1), value: Value::Txn { client: 1, req: 7 } },
                Command::Partition { groups: vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2)]] },
                Command::Cut { from: NodeId(0), to: NodeId(3), one_way: true },
                Command::HealLink { from: NodeId(0), to: NodeId(3), one_way: false },
                Command::Drop { msg: MsgId(77) },
                Command::Delay { msg: MsgId(1000), by: 50 },
                Command::Network { latency: (3, 9), faults: Faults { loss: 0.0, dup: 2.0 } },
                Command::Link { from: NodeId(4), to: NodeId(2), faults: Faults { loss: 50.0, dup: 0.0 } },
                Command::Heal,
                Command::Crash { node: NodeId(2) },
                Command::Restart { node: NodeId(2) },
                Command::Step { count: 5 },
            ],
        );
        Link { at: 200, tape }
    }

    #[test]
    fn a_link_round_trips() {
        let link = sample();
        let text = link.encode();
        assert!(text.starts_with("1."));
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)), "{text}");
        assert_eq!(Link::decode(&text).unwrap(), link);
        assert_eq!(Link::decode(&format!("  {text}\n")).unwrap(), link);
    }

    #[test]
    fn the_default_run_is_short() {
        let tape = Tape::new(1, SimConfig::new(Mode::Single, 3));
        let text = Link { tape, at: 0 }.encode();
        assert!(text.len() < 40, "{} chars: {text}", text.len());
    }

    #[test]
    fn damage_is_named() {
        let text = sample().encode();
        assert_eq!(Link::decode(""), Err(LinkError::Empty));
        assert_eq!(Link::decode("hello"), Err(LinkError::NoVersion));
        assert_eq!(Link::decode(&text.replacen("1.", "3.", 1)), Err(LinkError::Version(3)));
        assert_eq!(Link::decode("1.ab$c"), Err(LinkError::Base64));
        let cut = &text[..text.len() - 10];
        assert!(matches!(Link::decode(cut), Err(LinkError::Truncated(_))), "{:?}", Link::decode(cut));
        let e = Link::decode(&text.replacen("1.", "3.", 1)).unwrap_err().to_string();
        assert!(e.contains("version 3") && e.contains("newer"), "{e}");
    }

    #[test]
    fn an_impossible_configuration_is_refused() {
        let mut link = sample();
        link.tape.config.cluster.q1 = Some(1);
        link.tape.config.cluster.q2 = Some(1);
        assert!(matches!(Link::decode(&link.encode()), Err(LinkError::Invalid(_))));
    }
}

#[cfg(test)]
mod protocol_tests {
    use super::*;
    use crate::command::Command;
    use crate::protocol::Raft;

    #[test]
    fn a_raft_link_is_version_2_with_its_protocol_and_a_paxos_link_stays_version_1() {
        let mut tape = Tape::new(7, SimConfig::raft(5));
        tape.push(Command::Propose { node: NodeId(1), value: Value::text("blue") });
        tape.push(Command::Step { count: 40 });
        let link = Link { tape, at: 41 };
        let text = link.encode();
        assert!(text.starts_with("2."), "{text}");
        assert_eq!(protocol_of(&text), Ok("raft"));
        assert_eq!(Link::<Raft>::read(&text), Ok(link));
        assert_eq!(Link::decode(&text), Err(LinkError::Protocol { found: "raft", expected: "paxos" }));
        let paxos = Link { tape: Tape::new(7, SimConfig::new(paxos_core::Mode::Single, 3)), at: 0 }.encode();
        assert!(paxos.starts_with("1."), "{paxos}");
        assert_eq!(protocol_of(&paxos), Ok("paxos"));
        assert_eq!(Link::<Raft>::read(&paxos), Err(LinkError::Protocol { found: "paxos", expected: "raft" }));
        assert_eq!(protocol_of("3.AA"), Err(LinkError::Version(3)));
        assert_eq!(protocol_of("2.Bw"), Err(LinkError::Malformed("protocol 7 is unknown".into())));
    }
}
