//! The text form of commands: what transcript tests and `paxos script` are written in. (Events in words, what
//! event logs print, are [`crate::describe`].)
//!
//! A script line is a command's verb and its arguments, the same words as [`Command`]:
//!
//! ```text
//! config nodes=3 mode=single seed=1 latency=5..15 loss=0 dup=0 bug=amnesia q1=2 q2=2 tick=10 stop=false
//! config protocol=raft nodes=5 bug=forget-vote       (a Raft script: no `mode`, `q1` or `q2`)
//! propose 0 hello            propose 1 txn=7/1
//! crash 1    restart 1    tick 2
//! partition 0,1 | 2          heal                    (every partition and cut)
//! cut 0 1    cut 0 -> 1      heal 0 1    heal 0 -> 1  (one link; `uncut 0 1`, its older name, is read too)
//! drop m4    duplicate m4    delay m4 30    deliver m4
//! network latency=5..15 loss=10 dup=5        link 0 1 loss=50 dup=0
//! step 20
//! ```
//!
//! A range is written `5..15`; `5-15`, as a URL writes it, is read too. The `config` line's cluster settings (and
//! `network`'s `latency`, `loss` and `dup`) are read by [`crate::settings`], as the CLI's flags and the page's
//! options are; `bug=` takes a comma-separated list there too.

use paxos_core::{NodeId, Value};
use thiserror::Error;

use crate::command::{Command, Faults, MsgId};
use crate::limits::{quote, MAX_RUN_EVENTS};
use crate::protocol::{Paxos, Protocol, PROTOCOLS};
use crate::settings::{ClusterSettings, Setting};
use crate::sim::SimConfig;

/// A line that could not be parsed, with its 1-based number.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The line number.
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

/// A parsed line.
#[derive(Clone, Debug, PartialEq)]
pub enum Line<P: Protocol = Paxos> {
    /// `config ...`: the seed and configuration.
    Config(u64, Box<SimConfig<P>>),
    /// A command.
    Command(Command),
}

fn node(s: &str) -> Result<NodeId, String> {
    s.parse::<u8>().map(NodeId).map_err(|_| format!("`{}` is not a node id", quote(s)))
}

fn msg_id(s: &str) -> Result<MsgId, String> {
    let id = s.strip_prefix('m').unwrap_or(s).parse().map(MsgId);
    id.map_err(|_| format!("`{}` is not a message id like m4", quote(s)))
}

fn num<T: std::str::FromStr>(key: &str, s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("`{key}` needs a number, got `{}`", quote(s)))
}

/// A step's count, at most [`MAX_RUN_EVENTS`].
fn step_count(s: &str) -> Result<u64, String> {
    let n: u64 = num("step", s)?;
    if n > MAX_RUN_EVENTS {
        return Err(format!("`step` may run at most {MAX_RUN_EVENTS} events, got {n}"));
    }
    Ok(n)
}

fn pairs<'a>(args: &[&'a str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    args.iter().map(|a| a.split_once('=').ok_or_else(|| format!("expected key=value, got `{}`", quote(a)))).collect()
}

/// A `network` or `link` line's settings: `loss`, `dup` and (for `network`) `latency`, read as in `config`.
fn faults(args: &[&str], mut f: Faults) -> Result<(Faults, Option<(u64, u64)>), String> {
    let mut latency = None;
    for (k, v) in pairs(args)? {
        match Setting::parse(k, v).map_err(|e| e.to_string())? {
            Some(Setting::Loss(p)) => f.loss = p,
            Some(Setting::Dup(p)) => f.dup = p,
            Some(Setting::Latency(lo, hi)) => latency = Some((lo, hi)),
            _ => return Err(format!("unknown setting `{}`", quote(k))),
        }
    }
    Ok((f, latency))
}

fn link(args: &[&str]) -> Result<(NodeId, NodeId, bool), String> {
    match args {
        [a, "->", b] => Ok((node(a)?, node(b)?, true)),
        [a, b] => Ok((node(a)?, node(b)?, false)),
        _ => Err("expected `A B` (both ways) or `A -> B` (one way)".into()),
    }
}

fn value(s: &str) -> Result<Value, String> {
    if let Some(t) = s.strip_prefix("txn=") {
        let (c, r) = t.split_once('/').ok_or("a transaction is txn=CLIENT/REQUEST")?;
        return Ok(Value::Txn { client: num("txn", c)?, req: num("txn", r)? });
    }
    if s == "noop" {
        return Ok(Value::Noop);
    }
    Ok(Value::text(s))
}

/// A `config` line's settings (after the verb) as protocol `P`'s seed and configuration. `protocol=` must name `P`
/// (the reader was picked by [`protocol_of`]); a setting `P` has no use for is refused by name.
fn config_line<P: Protocol>(args: &[&str]) -> Result<(u64, SimConfig<P>), String> {
    let (mut seed, mut cluster) = (0, ClusterSettings::default());
    let (mut latency, mut f, mut tick, mut stop) = (None, Faults::default(), None, true);
    for (k, v) in pairs(args)? {
        if k == "protocol" {
            match protocol_named(v)? {
                p if p == P::NAME => continue,
                p => return Err(format!("`protocol={p}` cannot follow a {} run: a script runs one protocol", P::NAME)),
            }
        }
        match Setting::parse(k, v).map_err(|e| e.to_string())?.and_then(|s| cluster.take(s)) {
            Some(Setting::Seed(s)) => seed = s,
            Some(Setting::Latency(lo, hi)) => latency = Some((lo, hi)),
            Some(Setting::Loss(p)) => f.loss = p,
            Some(Setting::Dup(p)) => f.dup = p,
            Some(s) => unreachable!("a cluster setting is taken by `ClusterSettings::take`: {s:?}"),
            None if Setting::NAMES.contains(&k) => {}
            None if k == "tick" => tick = Some(num(k, v)?),
            None if k == "stop" => stop = num(k, v)?,
            None => return Err(format!("unknown setting `{}`", quote(k))),
        }
    }
    let mut cfg = SimConfig::<P> {
        cluster: P::configure(&cluster).map_err(|e| e.to_string())?,
        latency: (5, 15),
        faults: f,
        tick_every: 10,
        stop_on_violation: stop,
    };
    cfg.latency = latency.unwrap_or(cfg.latency);
    cfg.tick_every = tick.unwrap_or(cfg.tick_every);
    Ok((seed, cfg))
}

/// Protocol `P`'s configuration as a bare `config` line gives it: 3 nodes, the default network.
pub fn default_config<P: Protocol>() -> SimConfig<P> {
    config_line::<P>(&[]).expect("the default settings make a valid configuration").1
}

/// A protocol's name as `protocol=` writes it, checked.
fn protocol_named(v: &str) -> Result<&'static str, String> {
    PROTOCOLS
        .into_iter()
        .find(|p| *p == v)
        .ok_or_else(|| format!("`protocol` must be {}, not “{}”", PROTOCOLS.join(" or "), quote(v)))
}

/// The protocol a script runs, by name: its first `config` line's `protocol=`, or Paxos without one. The way in
/// that picks which [`read`] to call, as [`crate::link::protocol_of`] is for links.
pub fn protocol_of(text: &str) -> Result<&'static str, ParseError> {
    for (i, raw) in text.lines().enumerate() {
        let words: Vec<&str> = raw.split('#').next().unwrap_or("").split_whitespace().collect();
        if words.first() == Some(&"config") {
            for w in &words[1..] {
                if let Some(v) = w.strip_prefix("protocol=") {
                    return protocol_named(v).map_err(|message| ParseError { line: i + 1, message });
                }
            }
            break;
        }
    }
    Ok(Paxos::NAME)
}

/// Parses one line of a Paxos script (without comments). `None` for a blank line.
pub fn parse_line(text: &str) -> Result<Option<Line>, String> {
    read_line::<Paxos>(text)
}

/// Parses one line of a script of protocol `P` (without comments). `None` for a blank line.
pub fn read_line<P: Protocol>(text: &str) -> Result<Option<Line<P>>, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((&verb, args)) = words.split_first() else { return Ok(None) };
    let one_node = |args: &[&str]| match args {
        [n] => node(n),
        _ => Err(format!("`{verb}` takes one node id")),
    };
    let one_msg = |args: &[&str]| match args {
        [m] => msg_id(m),
        _ => Err(format!("`{verb}` takes one message id")),
    };
    let cmd = match verb {
        "config" => {
            let (seed, cfg) = config_line::<P>(args)?;
            return Ok(Some(Line::Config(seed, Box::new(cfg))));
        }
        "step" => Command::Step {
            count: match args {
                [] => 1,
                [k] => step_count(k)?,
                _ => return Err("`step` takes one count".into()),
            },
        },
        "propose" => match args {
            [n, rest @ ..] if !rest.is_empty() => Command::Propose { node: node(n)?, value: value(&rest.join(" "))? },
            _ => return Err("`propose` takes a node id and a value".into()),
        },
        "crash" => Command::Crash { node: one_node(args)? },
        "add-node" if args.is_empty() => Command::AddNode,
        "remove-node" => Command::RemoveNode { node: one_node(args)? },
        "restart" => Command::Restart { node: one_node(args)? },
        "tick" => Command::Tick { node: one_node(args)? },
        "heal" if args.is_empty() => Command::Heal,
        "partition" => {
            let groups = args
                .join(" ")
                .split('|')
                .map(|g| g.split([',', ' ']).filter(|s| !s.is_empty()).map(node).collect::<Result<Vec<_>, _>>())
                .collect::<Result<Vec<_>, _>>()?;
            Command::Partition { groups }
        }
        "cut" => {
            let (from, to, one_way) = link(args)?;
            Command::Cut { from, to, one_way }
        }
        // `uncut`, the older name of `heal A B`, still reads.
        "heal" | "uncut" => {
            let (from, to, one_way) = link(args)?;
            Command::HealLink { from, to, one_way }
        }
        "drop" => Command::Drop { msg: one_msg(args)? },
        "duplicate" => Command::Duplicate { msg: one_msg(args)? },
        "deliver" => Command::Deliver { msg: one_msg(args)? },
        "delay" => match args {
            [m, by] => Command::Delay { msg: msg_id(m)?, by: num("delay", by)? },
            _ => return Err("`delay` takes a message id and a duration".into()),
        },
        "network" => {
            let (faults, latency) = faults(args, Faults::default())?;
            Command::Network { latency: latency.unwrap_or((5, 15)), faults }
        }
        "link" => match args {
            [a, b, rest @ ..] => {
                Command::Link { from: node(a)?, to: node(b)?, faults: faults(rest, Faults::default())?.0 }
            }
            _ => return Err("`link` takes two node ids and loss=/dup=".into()),
        },
        _ => return Err(format!("unknown command `{}`", quote(verb))),
    };
    Ok(Some(Line::Command(cmd)))
}

/// Parses a whole script; `#` starts a comment. The script's commands may run at most [`MAX_RUN_EVENTS`] events
/// in all. A `config` line starts a new run but not a new count: were the count per run, a file of a few hundred
/// bytes per `config` line and `step 5000000` could ask for hours of simulation.
pub fn parse(text: &str) -> Result<Vec<Line>, ParseError> {
    read::<Paxos>(text)
}

/// Parses a whole script of protocol `P` (see [`parse`]).
pub fn read<P: Protocol>(text: &str) -> Result<Vec<Line<P>>, ParseError> {
    let mut out = Vec::new();
    let mut len = 0u64;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        match read_line::<P>(line) {
            Ok(Some(Line::Command(c))) => {
                let n = crate::tape::moments(&c);
                if !crate::limits::fits(len, n) {
                    let message = format!("the script runs more than {MAX_RUN_EVENTS} events, the limit");
                    return Err(ParseError { line: i + 1, message });
                }
                len += n;
                out.push(Line::Command(c));
            }
            Ok(Some(l)) => out.push(l),
            Ok(None) => {}
            Err(message) => return Err(ParseError { line: i + 1, message }),
        }
    }
    Ok(out)
}

/// A command as a script line; [`parse_line`] reads it back.
pub fn command_line(c: &Command) -> String {
    let faults = |f: &Faults| format!("loss={} dup={}", f.loss, f.dup);
    let arrow = |one_way: bool| if one_way { " ->" } else { "" };
    match c {
        Command::Step { count } => format!("step {count}"),
        Command::Propose { node, value } => match value {
            Value::Txn { client, req } => format!("propose {node} txn={client}/{req}"),
            Value::Noop => format!("propose {node} noop"),
            Value::Text(t) => format!("propose {node} {t}"),
            Value::Config(m) => format!("propose {node} {}", Value::Config(*m)),
        },
        Command::Crash { node } => format!("crash {node}"),
        Command::Restart { node } => format!("restart {node}"),
        Command::Tick { node } => format!("tick {node}"),
        Command::Partition { groups } => {
            let g: Vec<String> =
                groups.iter().map(|g| g.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",")).collect();
            format!("partition {}", g.join(" | "))
        }
        Command::Heal => "heal".into(),
        Command::Cut { from, to, one_way } => format!("cut {from}{} {to}", arrow(*one_way)),
        Command::HealLink { from, to, one_way } => format!("heal {from}{} {to}", arrow(*one_way)),
        Command::Drop { msg } => format!("drop {msg}"),
        Command::Duplicate { msg } => format!("duplicate {msg}"),
        Command::Delay { msg, by } => format!("delay {msg} {by}"),
        Command::Deliver { msg } => format!("deliver {msg}"),
        Command::Network { latency: (lo, hi), faults: f } => format!("network latency={lo}..{hi} {}", faults(f)),
        Command::Link { from, to, faults: f } => format!("link {from} {to} {}", faults(f)),
        Command::AddNode => "add-node".into(),
        Command::RemoveNode { node } => format!("remove-node {node}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_line_does_not_reset_the_event_limit() {
        // Found by reading the fuzz target's bound: each `config` line used to start a fresh count, so a short
        // script of many runs could ask for unbounded work.
        let run = "config nodes=3 seed=1\nstep 5000000\n";
        assert!(parse(run).is_ok());
        let e = parse(&run.repeat(2)).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("more than 5000000 events"), "{e}");
        let e = parse(&format!("{}config nodes=3\ncrash 1\n", run)).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }

    #[test]
    fn every_command_round_trips_through_its_line() {
        let cmds = [
            "step 3",
            "propose 0 hello world",
            "propose 1 txn=7/2",
            "crash 1",
            "restart 1",
            "tick 2",
            "partition 0,1 | 2",
            "heal",
            "cut 0 1",
            "cut 0 -> 1",
            "heal 2 -> 0",
            "heal 1 2",
            "drop m4",
            "duplicate m5",
            "delay m6 30",
            "deliver m7",
            "network latency=5..15 loss=10 dup=2.5",
            "link 0 1 loss=50 dup=0",
        ];
        for text in cmds {
            let Some(Line::Command(c)) = parse_line(text).unwrap() else { panic!("{text}") };
            assert_eq!(command_line(&c), text);
        }
        // `uncut`, the older name of healing one link, still reads (old scripts), and is written as `heal`.
        let Some(Line::Command(c)) = parse_line("uncut 2 -> 0").unwrap() else { panic!() };
        assert_eq!(c, Command::HealLink { from: NodeId(2), to: NodeId(0), one_way: true });
        assert_eq!(command_line(&c), "heal 2 -> 0");
        assert_eq!(parse_line("heal").unwrap(), Some(Line::Command(Command::Heal)));
        assert!(parse_line("heal 1").is_err());
    }

    #[test]
    fn a_latency_range_reads_in_both_spellings_and_is_written_as_scripts_write_it() {
        for text in ["network latency=5..15", "network latency=5-15"] {
            let Some(Line::Command(c)) = parse_line(text).unwrap() else { panic!("{text}") };
            assert_eq!(c, Command::Network { latency: (5, 15), faults: Faults::default() }, "{text}");
            assert_eq!(command_line(&c), "network latency=5..15 loss=0 dup=0");
        }
        for text in ["config latency=5..15", "config latency=5-15"] {
            let Some(Line::Config(_, cfg)) = parse_line(text).unwrap() else { panic!("{text}") };
            assert_eq!(cfg.latency, (5, 15), "{text}");
        }
        let e = parse("network latency=fast").unwrap_err();
        assert_eq!(e.to_string(), "line 1: `latency` must be a range like 20-60 or 20..60, not “fast”");
    }

    #[test]
    fn a_script_names_its_protocol_on_its_config_line() {
        use crate::Raft;
        assert_eq!(protocol_of("# comment\nconfig nodes=5\nstep 1"), Ok("paxos"));
        assert_eq!(protocol_of("propose 0 x\n"), Ok("paxos"));
        assert_eq!(protocol_of("config nodes=3 protocol=raft bug=forget-vote\n"), Ok("raft"));
        let e = protocol_of("\nconfig protocol=zab\n").unwrap_err();
        assert_eq!(e.to_string(), "line 2: `protocol` must be paxos or raft, not “zab”");

        let lines = read::<Raft>("config protocol=raft nodes=5 bug=forget-vote seed=4\nstep 3\n").unwrap();
        let Line::Config(seed, cfg) = &lines[0] else { panic!() };
        assert_eq!((*seed, cfg.cluster.nodes, cfg.cluster.bugs.forget_vote), (4, 5, true));
        // One reader, one protocol; each protocol's settings and bugs by name.
        let e = |t: &str| read::<Raft>(t).unwrap_err().to_string();
        assert_eq!(
            parse("config protocol=raft").unwrap_err().to_string(),
            "line 1: `protocol=raft` cannot follow a paxos run: a script runs one protocol"
        );
        assert_eq!(
            e("config mode=single"),
            "line 1: `mode` is not a raft setting: Raft always runs a log, as Multi-Paxos does"
        );
        assert!(read::<Raft>("config mode=multi").is_ok());
        assert_eq!(
            e("config q2=2"),
            "line 1: `q2` is not a raft setting: Raft's elections and commits both count a majority"
        );
        assert!(e("config bug=amnesia")
            .starts_with("line 1: `bug`: unknown bug `amnesia` (expected one of: commit-old-term,"));
        assert!(parse("config bug=forget-vote").unwrap_err().message.contains("expected one of: amnesia,"));
        assert_eq!(default_config::<Raft>().cluster.nodes, 3);
    }

    #[test]
    fn errors_name_the_line_and_the_problem() {
        let e = parse("step 1\n\ncrash x\n").unwrap_err();
        assert_eq!(e.to_string(), "line 3: `x` is not a node id");
        assert!(parse("fly 1").unwrap_err().message.contains("unknown command `fly`"));
        assert!(parse("config bug=typo").unwrap_err().message.contains("unknown bug `typo`"));
    }

    #[test]
    fn counts_from_a_script_are_bounded() {
        // These allocated until memory ran out, or ran for hours.
        let e = parse("config nodes=3\nstep 18446744073709551615\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("line 2: `step` may run at most {MAX_RUN_EVENTS} events, got 18446744073709551615")
        );
        let e = parse(&format!("step {MAX_RUN_EVENTS}\npropose 0 a\n")).unwrap_err();
        assert_eq!(e.to_string(), format!("line 2: the script runs more than {MAX_RUN_EVENTS} events, the limit"));
        // A `config` line starts a new run but does not reset the count (a_config_line_does_not_reset_the_event_limit).
        assert_eq!(parse(&format!("step {MAX_RUN_EVENTS}\nconfig nodes=5\nstep 1\n")).unwrap_err().line, 3);
        let e = parse("config nodes=18446744073709551615").unwrap_err();
        assert_eq!(e.message, "`nodes` must be from 3 to 9, not 18446744073709551615");
        assert!(parse("config nodes=2").unwrap_err().message.contains("from 3 to 9"));
    }

    #[test]
    fn a_message_quotes_a_bounded_prefix_of_the_input() {
        let long = "z".repeat(100_000);
        let e = parse(&format!("crash {long}")).unwrap_err().message;
        assert!(e.len() < 200 && e.contains("(100000 characters)"), "{e}");
        let e = parse(&long).unwrap_err().message;
        assert!(e.len() < 200, "{e}");
    }
}
