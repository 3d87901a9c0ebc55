//! The simulator's commands. The same words name the UI's buttons, the reducer's actions, the CLI's verbs and the
//! transcript tests' verbs.

use std::fmt;

use paxos_core::{NodeId, Value};
use serde::{Deserialize, Serialize};

/// An in-flight message's id, unique within a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub u64);

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// Loss and duplication rates, in percent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// Chance that a message is lost, 0–100.
    pub loss: f64,
    /// Chance that a message is delivered twice, 0–100.
    pub dup: f64,
}

/// Splits a range as people write one into its two ends: `5..15`, as scripts write it, or `5-15`, as URLs write it.
/// Both spellings are read everywhere a range is (a script's `latency=`, a URL's `latency=`), so neither place
/// refuses the other's. `None` when there is no separator.
pub fn split_range(s: &str) -> Option<(&str, &str)> {
    s.split_once("..").or_else(|| s.split_once('-'))
}

/// Reads a percentage as people write one: decimal digits with an optional point (`12.5`, `0`, `100.`, `.5`), at most
/// 15 significant digits, no sign or exponent. `None` for anything else. The result is the nearest `f64`, exactly what
/// `str::parse` gives: the digits form an integer below 2^53 and the divisor is a power of ten below 10^23, both exact,
/// so their quotient is rounded once. (`str::parse::<f64>` handles every form with tables that are 15 KB of wasm,
/// which is why the scripts and the page read rates with this.)
pub fn parse_rate(s: &str) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    let digits = int.trim_start_matches('0').bytes().chain(frac.bytes());
    let mut m: u64 = 0;
    let mut significant = 0;
    for b in digits {
        m = m * 10 + u64::from(b - b'0');
        significant += usize::from(m != 0);
        if significant > 15 {
            return None;
        }
    }
    Some(m as f64 / *POW10.get(frac.len())?)
}

/// One thing a person (or a schedule) does to the simulation.
///
/// In JSON (traces) a command is one object tagged by `op`, with its fields beside the tag:
/// `{"op": "crash", "node": 2}`, `{"op": "network", "latency": [5, 15], "loss": 10.0, "dup": 0.0}`.
/// Serialization is derived; deserialization reads a flat [`CommandRecord`] and checks it, which keeps the same
/// format at a tenth of the code serde's internally tagged derive generates (this matters in the browser bundle).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", try_from = "CommandRecord")]
pub enum Command {
    /// Run `count` events (message deliveries and clock ticks).
    Step {
        /// How many.
        count: u64,
    },
    /// A client asks `node` to get `value` chosen.
    Propose {
        /// The node.
        node: NodeId,
        /// The value.
        value: Value,
    },
    /// The node stops: it loses all but its durable state, and messages to it are dropped.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// A crashed node comes back with its durable state.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// Advance one node's clock by one tick now (timeouts, heartbeats).
    Tick {
        /// The node.
        node: NodeId,
    },
    /// Split the cluster: messages between different groups are dropped. Nodes in no group form one more group.
    Partition {
        /// The groups.
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove every partition and cut.
    Heal,
    /// Cut the link between two nodes (only `from` → `to` when `one_way`).
    Cut {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Cut one direction only.
        #[serde(default)]
        one_way: bool,
    },
    /// Heal one link: undo a cut (only `from` → `to` when `one_way`). A script and the log say `heal A B`; its JSON
    /// op is `uncut`, the name it first had (scripts may still say `uncut A B`).
    #[serde(rename = "uncut")]
    HealLink {
        /// One end.
        from: NodeId,
        /// The other end.
        to: NodeId,
        /// Restore one direction only.
        #[serde(default)]
        one_way: bool,
    },
    /// Lose one in-flight message.
    Drop {
        /// The message.
        msg: MsgId,
    },
    /// Send a second copy of one in-flight message.
    Duplicate {
        /// The message.
        msg: MsgId,
    },
    /// Hold one in-flight message back for `by` more time units.
    Delay {
        /// The message.
        msg: MsgId,
        /// Time units.
        by: u64,
    },
    /// Deliver one in-flight message now, before anything else.
    Deliver {
        /// The message.
        msg: MsgId,
    },
    /// Change the network for every link without its own setting.
    Network {
        /// Latency range in time units, min and max.
        latency: (u64, u64),
        /// Loss and duplication.
        #[serde(flatten)]
        faults: Faults,
    },
    /// Ask the leader to add a node (Multi-Paxos, Raft): node `n` (the node count) joins, learns the log, and counts
    /// as an acceptor once the configuration with it is in force.
    AddNode,
    /// Ask the leader to retire an acceptor (Multi-Paxos, Raft): once the configuration without it is in force it
    /// counts in no quorum.
    RemoveNode {
        /// The node.
        node: NodeId,
    },
    /// Give one directed link its own loss and duplication rates.
    Link {
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Loss and duplication.
        #[serde(flatten)]
        faults: Faults,
    },
}

/// Every field any command has, each optional: what a JSON command is read into before [`Command::try_from`] checks
/// that its `op` is known and that the fields the op needs are there. Fields another op uses are ignored, as
/// serde's derive ignores them; a field no command has (a misspelling) is an error that names it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRecord {
    op: String,
    count: Option<u64>,
    node: Option<NodeId>,
    value: Option<Value>,
    groups: Option<Vec<Vec<NodeId>>>,
    from: Option<NodeId>,
    to: Option<NodeId>,
    one_way: Option<bool>,
    msg: Option<MsgId>,
    by: Option<u64>,
    latency: Option<(u64, u64)>,
    loss: Option<f64>,
    dup: Option<f64>,
}

/// A JSON command's `op`s, in the order of [`Command`]'s variants ([`Command::op`]).
pub const VERBS: [&str; 17] = [
    "step",
    "propose",
    "crash",
    "restart",
    "tick",
    "partition",
    "heal",
    "cut",
    "uncut",
    "drop",
    "duplicate",
    "delay",
    "deliver",
    "network",
    "link",
    "add_node",
    "remove_node",
];

impl TryFrom<CommandRecord> for Command {
    type Error = String;

    fn try_from(r: CommandRecord) -> Result<Command, String> {
        fn need<T>(field: Option<T>, name: &str) -> Result<T, String> {
            field.ok_or_else(|| format!("missing field `{name}`"))
        }
        let faults = |r: &CommandRecord| -> Result<Faults, String> {
            Ok(Faults { loss: need(r.loss, "loss")?, dup: need(r.dup, "dup")? })
        };
        Ok(match r.op.as_str() {
            "step" => Command::Step { count: need(r.count, "count")? },
            "propose" => Command::Propose { node: need(r.node, "node")?, value: need(r.value, "value")? },
            "crash" => Command::Crash { node: need(r.node, "node")? },
            "restart" => Command::Restart { node: need(r.node, "node")? },
            "tick" => Command::Tick { node: need(r.node, "node")? },
            "partition" => Command::Partition { groups: need(r.groups, "groups")? },
            "heal" => Command::Heal,
            "cut" => Command::Cut {
                from: need(r.from, "from")?,
                to: need(r.to, "to")?,
                one_way: r.one_way.unwrap_or_default(),
            },
            "uncut" => Command::HealLink {
                from: need(r.from, "from")?,
                to: need(r.to, "to")?,
                one_way: r.one_way.unwrap_or_default(),
            },
            "drop" => Command::Drop { msg: need(r.msg, "msg")? },
            "duplicate" => Command::Duplicate { msg: need(r.msg, "msg")? },
            "delay" => Command::Delay { msg: need(r.msg, "msg")?, by: need(r.by, "by")? },
            "deliver" => Command::Deliver { msg: need(r.msg, "msg")? },
            "network" => Command::Network { latency: need(r.latency, "latency")?, faults: faults(&r)? },
            "link" => Command::Link { from: need(r.from, "from")?, to: need(r.to, "to")?, faults: faults(&r)? },
            "add_node" => Command::AddNode,
            "remove_node" => Command::RemoveNode { node: need(r.node, "node")? },
            other => {
                // Serde's callers bound the quote (see `limits::bound_message`).
                return Err(format!("unknown op `{other}`, expected one of {}", VERBS.join(", ")));
            }
        })
    }
}

impl Command {
    /// The command's `op` in JSON: its verb, except `uncut` for [`Command::HealLink`].
    pub fn op(&self) -> &'static str {
        match self {
            Command::HealLink { .. } => "uncut",
            Command::AddNode => "add_node",
            Command::RemoveNode { .. } => "remove_node",
            c => c.verb(),
        }
    }

    /// The command's verb: the first word of its script line and log line.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Step { .. } => "step",
            Command::Propose { .. } => "propose",
            Command::Crash { .. } => "crash",
            Command::Restart { .. } => "restart",
            Command::Tick { .. } => "tick",
            Command::Partition { .. } => "partition",
            Command::Heal => "heal",
            Command::Cut { .. } => "cut",
            Command::HealLink { .. } => "heal",
            Command::Drop { .. } => "drop",
            Command::Duplicate { .. } => "duplicate",
            Command::Delay { .. } => "delay",
            Command::Deliver { .. } => "deliver",
            Command::Network { .. } => "network",
            Command::Link { .. } => "link",
            Command::AddNode => "add-node",
            Command::RemoveNode { .. } => "remove-node",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_splits_in_either_spelling() {
        assert_eq!(split_range("5..15"), Some(("5", "15")));
        assert_eq!(split_range("20-60"), Some(("20", "60")));
        assert_eq!(split_range("fast"), None);
    }

    fn every_command() -> Vec<Command> {
        let (a, b) = (NodeId(1), NodeId(2));
        let faults = Faults { loss: 12.5, dup: 0.1 };
        vec![
            Command::Step { count: 7 },
            Command::Propose { node: a, value: Value::Text("x\"y".into()) },
            Command::Propose { node: a, value: Value::Noop },
            Command::Crash { node: a },
            Command::Restart { node: a },
            Command::Tick { node: b },
            Command::Partition { groups: vec![vec![a], vec![b, NodeId(3)]] },
            Command::Heal,
            Command::Cut { from: a, to: b, one_way: true },
            Command::HealLink { from: a, to: b, one_way: false },
            Command::Drop { msg: MsgId(4) },
            Command::Duplicate { msg: MsgId(5) },
            Command::Delay { msg: MsgId(6), by: 30 },
            Command::Deliver { msg: MsgId(7) },
            Command::Network { latency: (1, 9), faults },
            Command::Link { from: b, to: a, faults },
            Command::AddNode,
            Command::RemoveNode { node: b },
        ]
    }

    #[test]
    fn rates_read_as_str_parse_reads_them() {
        for t in ["0", "100", "12.5", "0.1", "00.30", ".5", "5.", "99.99999999999", "0.000000000000000000001", "0.0"] {
            assert_eq!(parse_rate(t), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        for t in [
            "",
            ".",
            "-1",
            "+1",
            "1e2",
            "1.2.3",
            "inf",
            "NaN",
            " 1",
            "1,5",
            "1234567890123456",
            "0.00000000000000000000001",
        ] {
            assert_eq!(parse_rate(t), None, "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn random_decimals_read_as_str_parse_reads_them(int in 0u64..10_000_000, frac in "[0-9]{0,8}") {
            let t = format!("{int}.{frac}");
            proptest::prop_assert_eq!(parse_rate(&t), Some(t.parse::<f64>().unwrap()));
        }
    }

    #[test]
    fn every_command_round_trips_through_json_with_its_op() {
        let all = every_command();
        let ops: std::collections::BTreeSet<_> = all.iter().map(Command::op).collect();
        assert_eq!(ops, VERBS.into_iter().collect(), "the test covers every op");
        for c in all {
            let json = serde_json::to_string(&c).unwrap();
            assert!(json.starts_with(&format!("{{\"op\":\"{}\"", c.op())), "{json}");
            assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), c, "{json}");
        }
    }

    #[test]
    fn a_command_json_names_what_is_wrong() {
        let err = |json: &str| serde_json::from_str::<Command>(json).unwrap_err().to_string();
        assert!(err(r#"{"op":"crash"}"#).starts_with("missing field `node`"));
        assert!(err(r#"{"op":"network","latency":[1,2],"loss":1.0}"#).starts_with("missing field `dup`"));
        assert!(err(r#"{"op":"explode","node":1}"#).starts_with("unknown op `explode`, expected one of step, propose"));
        assert!(err(r#"{"node":1}"#).starts_with("missing field `op`"));
        assert!(err(r#"{"op":"crash","node":"one"}"#).contains("invalid type"));
        // `one_way` is optional, as it always was; fields another op uses are ignored.
        assert_eq!(
            serde_json::from_str::<Command>(r#"{"op":"cut","from":1,"to":2,"count":3}"#).unwrap(),
            Command::Cut { from: NodeId(1), to: NodeId(2), one_way: false }
        );
        // A field no command has is a misspelling, named (it was silently ignored).
        assert!(err(r#"{"op":"cut","from":1,"to":2,"one_wya":true}"#).starts_with("unknown field `one_wya`"));
        assert!(err(r#"{"op":"network","latency":[1,2],"loss":1.0,"dup":0,"los":3}"#).contains("`los`"));
    }
}
