//! A ```` ```paxos ```` block: TOML whose keys are the options of `mount()` (docs/embedding.md), checked here so a
//! mistake is a build error that names its line and key, not a message a reader finds inside a figure.
//!
//! The vocabularies come from the crates that define them (scenario ids from [`paxos_sim::scenario`], bug names
//! from [`Bug`], message kinds from [`MsgKind`], modes from [`Mode`], the cluster bounds and the quorum rules from
//! [`SimConfig::validate`]); the panel names and the option keys belong to the web app, and a test pins them to
//! its `Options` (`tests/agrees_with_the_playground.rs`).

use std::fmt;

use paxos_core::{quote, Bugs, Mode, MsgKind};
use paxos_sim::limits::{MAX_LATENCY, MAX_NODES, MIN_NODES};
use paxos_sim::Protocol as _;
use paxos_sim::SimConfig;
use serde_json::{Map, Value as Json};
use toml::Value;

/// Every key a block may hold: the options of `mount()`, by the names the URL and `mount()` both use (`step`, the
/// old name of `moment`, is left out: a new book has no reason to write it).
pub const KEYS: [&str; 22] = [
    "scenario", "controls", "moment", "autoplay", "theme", "run", "tour", "arrows", "seed", "nodes", "mode", "bug",
    "q1", "q2", "loss", "dup", "latency", "embed", "exercise", "goal", "protocol", "compare",
];

/// Keys of the book's own, not options of the figure: `print` says which moment the picture in the page's HTML shows
/// (the one seen before the playground starts, with JavaScript off and in `print.html`): `"moment"`, the block's
/// moment (the default), or `"end"`, the end of its run.
pub const PICTURE_KEYS: [&str; 1] = ["print"];

/// The panels a figure can show (`controls`), as the web app names them (`PANELS` in `web/src/options.rs`).
pub const PANELS: [&str; 14] = [
    "time",
    "timeline",
    "propose",
    "selection",
    "quorum",
    "outcome",
    "diagram",
    "log",
    "network",
    "setup",
    "share",
    "scenarios",
    "check",
    "charts",
];

/// The colour themes: `inherit` takes the page's own colours (a book's theme, light or dark).
pub const THEMES: [&str; 4] = ["auto", "light", "dark", "inherit"];

/// The keys that set the first run, in the CLI's words; a scenario or the tour brings its own cluster, so they do
/// not combine with one (but `bug` with a scenario asks "what if this rule were missing?").
const SETUP: [&str; 9] = ["seed", "nodes", "mode", "bug", "q1", "q2", "loss", "dup", "latency"];

/// What is wrong with a block, and where: `line` counts from 1 at the block's first line inside the fences (0 is
/// the opening fence itself), `key` is the option at fault when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockError {
    /// The line inside the block, from 1; 0 for the block as a whole (its opening fence).
    pub line: usize,
    /// The key at fault, if the mistake is in one.
    pub key: Option<String>,
    /// What is wrong, in a sentence without a capital or a full stop (it follows `key `x`: `).
    pub message: String,
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "key `{key}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A block's options, checked, as the JSON object `mount()` and `figures.js` read (keys in alphabetical order).
pub type Options = Map<String, Json>;

/// Reads and checks one block's text (what lies between its fences).
pub fn parse(text: &str) -> Result<Options, BlockError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| BlockError {
        line: e.span().map_or(0, |s| line_of(s.start)),
        key: None,
        message: format!("not TOML: {}", e.message().trim_end_matches('.')),
    })?;
    // The lines of the top-level keys, read from the same text by the span-keeping parser.
    let spans = toml::de::DeTable::parse(text).map(|t| t.into_inner()).unwrap_or_default();
    let line_of_key =
        |key: &str| spans.iter().find(|(k, _)| k.get_ref().as_ref() == key).map_or(0, |(k, _)| line_of(k.span().start));
    let err = |key: &str, message: String| BlockError { line: line_of_key(key), key: Some(key.into()), message };

    let mut out = Options::new();
    // The protocol first: the other keys' words (scenarios, bugs, message kinds) are its own.
    // Compare's options are Raft's (its run leads; Multi-Paxos follows).
    let compare = matches!(table.get("compare"), Some(Value::Boolean(true)));
    let protocol = match table.get("protocol") {
        None if compare => Protocol::Raft,
        None => Protocol::Paxos,
        Some(Value::String(p)) if p == "paxos" => Protocol::Paxos,
        Some(Value::String(p)) if p == "raft" => Protocol::Raft,
        Some(v) => return Err(err("protocol", format!("must be \"paxos\" or \"raft\", not {}", shown(v)))),
    };
    // Keys in the order they appear in the block, so the first mistake reported is the first one written.
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort_by_key(|k| line_of_key(k));
    for key in keys {
        let value = &table[key.as_str()];
        let json = match protocol {
            Protocol::Paxos => check::<paxos_sim::Paxos>(key, value),
            Protocol::Raft => check::<paxos_sim::Raft>(key, value),
        };
        out.insert(key.clone(), json.map_err(|m| err(key, m))?);
    }
    match protocol {
        Protocol::Paxos => combinations(&out),
        Protocol::Raft => raft_combinations(&out),
    }
    .map_err(|(key, m)| err(key, m))?;
    Ok(out)
}

/// The name of a TOML value's type, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number with a fraction",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// `v` as the text a reader recognises: a string quoted (and shortened), anything else as TOML writes it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", quote(s)),
        v => quote(&v.to_string()),
    }
}

/// One of `names`, or a message listing them.
fn one_of(what: &str, v: &str, names: &[&str]) -> Result<(), String> {
    if names.contains(&v) {
        Ok(())
    } else {
        Err(format!("no {what} \"{}\"; the {what}s are {}", quote(v), names.join(", ")))
    }
}

/// A list of strings each of which `each` accepts.
fn list(v: &Value, example: &str, each: impl Fn(&str) -> Result<(), String>) -> Result<Json, String> {
    let Value::Array(items) = v else {
        return Err(format!("must be a list like {example}, not {}", kind(v)));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(s) = item else {
            return Err(format!("must be a list of strings like {example}, but holds {}", shown(item)));
        };
        each(s)?;
        out.push(Json::String(s.clone()));
    }
    Ok(Json::Array(out))
}

fn whole(v: &Value, lo: i64, hi: i64) -> Result<Json, String> {
    match v {
        Value::Integer(n) if (lo..=hi).contains(n) => Ok(Json::from(*n)),
        Value::Integer(n) => Err(format!("must be from {lo} to {hi}, not {n}")),
        v => Err(format!("must be a whole number, not {}", kind(v))),
    }
}

/// The protocols a block may draw: the way in that picks which words [`check`] reads.
#[derive(Clone, Copy)]
enum Protocol {
    Paxos,
    Raft,
}

/// Checks one key's value alone, in protocol `P`'s words, and turns it into its JSON.
fn check<P: paxos_sim::Protocol>(key: &str, v: &Value) -> Result<Json, String> {
    let string = || match v {
        Value::String(s) => Ok(s.as_str()),
        v => Err(format!("must be a string, not {}", kind(v))),
    };
    match key {
        "embed" | "autoplay" | "tour" | "compare" => match v {
            Value::Boolean(b) => Ok(Json::Bool(*b)),
            v => Err(format!("must be true or false, not {}", shown(v))),
        },
        "scenario" => {
            let id = string()?;
            let ids: Vec<&str> = paxos_sim::scenario::of::<P>().iter().map(|s| s.id).collect();
            one_of("scenario", id, &ids)?;
            Ok(Json::from(id))
        }
        "exercise" => {
            let id = string()?;
            let all = paxos_sim::exercise::all_of::<P>();
            let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
            one_of("exercise", id, &ids)?;
            Ok(Json::from(id))
        }
        // The goal's own words (`paxos_sim::goal`): a mistake names the term.
        "goal" => {
            let goal = string()?;
            paxos_sim::goal::Goal::read::<P>(goal).map_err(|e| e.to_string())?;
            Ok(Json::from(goal))
        }
        "run" => {
            let run = string()?;
            if run.is_empty() || run.starts_with('#') || run.contains("run=") {
                return Err("must be the text after `#run=` in a link copied from the playground".into());
            }
            Ok(Json::from(run))
        }
        "theme" => {
            let theme = string()?;
            one_of("theme", theme, &THEMES)?;
            Ok(Json::from(theme))
        }
        "mode" | "q1" | "q2" if P::NAME != paxos_sim::Paxos::NAME => {
            Err(format!("is Paxos's: {} elects and commits by majorities, and always keeps a log", P::NAME))
        }
        "protocol" => Ok(Json::from(string()?)),
        "mode" => {
            let mode = string()?;
            mode.parse::<Mode>().map_err(|e| e.to_string())?;
            Ok(Json::from(mode))
        }
        "controls" => list(v, r#"["timeline", "diagram"]"#, |p| one_of("panel", p, &PANELS)),
        "bug" => list(v, &format!("[\"{}\"]", P::bugs()[0].1), |b| {
            // The setting's message less its own "`bug`: " (the block's message names the key already).
            let e = paxos_sim::settings::bugs_of::<P>(&[b.to_owned()]).err().map(|e| e.to_string());
            e.map_or(Ok(()), |e| Err(e.trim_start_matches("`bug`: ").to_owned()))
        }),
        "arrows" => match v {
            Value::String(s) if s == "all" => Ok(Json::from("all")),
            v => {
                let kinds = kind_names::<P>();
                let example = format!(r#"["{}", "{}"] or "all""#, kinds[0], kinds[1]);
                list(v, &example, |k| one_of("message kind", k, &kinds))
            }
        },
        "moment" | "seed" => whole(v, 0, i64::MAX),
        "nodes" => whole(v, MIN_NODES as i64, MAX_NODES as i64),
        "q1" | "q2" => whole(v, 1, MAX_NODES as i64),
        "loss" | "dup" => {
            let p = match v {
                Value::Integer(n) => *n as f64,
                Value::Float(x) => *x,
                v => return Err(format!("must be a percentage (a number), not {}", kind(v))),
            };
            if !(0.0..=100.0).contains(&p) {
                return Err(format!("must be a percentage from 0 to 100, not {p}"));
            }
            Ok(v.as_integer().map_or_else(|| Json::from(p), Json::from))
        }
        "latency" => {
            let range = match v {
                Value::Array(a) if a.len() == 2 => a[0].as_integer().zip(a[1].as_integer()),
                _ => None,
            };
            match range {
                Some((lo, hi)) if 1 <= lo && lo <= hi && hi <= MAX_LATENCY as i64 => Ok(Json::from(vec![lo, hi])),
                Some((lo, hi)) => {
                    Err(format!("must be a range [min, max] from 1 to {MAX_LATENCY} with min <= max, not [{lo}, {hi}]"))
                }
                None => Err(format!("must be a range [min, max] of whole numbers like [20, 60], not {}", shown(v))),
            }
        }
        "print" => match string()? {
            when @ ("moment" | "end") => Ok(Json::from(when)),
            when => Err(format!("must be \"moment\" or \"end\", not \"{}\"", quote(when))),
        },
        "step" => Err("is the old name of `moment`; write `moment`".into()),
        _ => {
            let near = KEYS.iter().chain(&PICTURE_KEYS).find(|k| k.eq_ignore_ascii_case(key) || close(k, key));
            let hint = near.map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            Err(format!("unknown key{hint}; the keys are {}, {}", KEYS.join(", "), PICTURE_KEYS.join(", ")))
        }
    }
}

/// The names of `P`'s message kinds, as `arrows` takes them.
fn kind_names<P: paxos_sim::Protocol>() -> Vec<&'static str> {
    match P::NAME {
        "raft" => raft_core::MsgKind::ALL.iter().map(|k| k.name()).collect(),
        _ => MsgKind::ALL.iter().map(|k| k.name()).collect(),
    }
}

/// Raft's [`combinations`]: a scenario or the tour brings its own cluster, and a goal must fit the cluster.
fn raft_combinations(o: &Options) -> Result<(), (&'static str, String)> {
    let has = |k: &str| o.contains_key(k);
    if !has("run") && (has("scenario") || has("tour")) {
        let with = if has("tour") { "tour" } else { "scenario" };
        let allowed = |k: &&str| with == "scenario" && *k == "bug";
        if let Some(&setting) = SETUP.iter().filter(|k| !allowed(k)).find(|k| has(k)) {
            return Err((setting, format!("cannot be combined with `{with}`: a scenario brings its own cluster")));
        }
    }
    let nodes = o.get("nodes").and_then(Json::as_u64).map_or(3, |n| n as usize);
    if let Some(goal) = o.get("goal").and_then(Json::as_str) {
        let goal = paxos_sim::goal::Goal::read::<paxos_sim::Raft>(goal).map_err(|e| ("goal", e.to_string()))?;
        goal.fits_for::<paxos_sim::Raft>(nodes).map_err(|e| ("goal", e.to_string()))?;
    }
    Ok(())
}

/// Whether `a` and `b` differ by one letter changed, added or removed (a typo).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    match long.len() - short.len() {
        0 => a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1,
        1 => (0..long.len()).any(|i| long[..i] == short[..i] && long[i + 1..] == short[i..]),
        _ => false,
    }
}

/// Checks what no key shows alone: a scenario or the tour with a cluster of the author's, and a cluster that cannot
/// exist (quorums that need not intersect). Returns the key to blame and the message.
fn combinations(o: &Options) -> Result<(), (&'static str, String)> {
    let has = |k: &str| o.contains_key(k);
    if has("exercise") {
        if let Some(&other) = ["scenario", "tour", "goal"].iter().chain(&SETUP).find(|k| has(k)) {
            return Err((
                other,
                "cannot be combined with `exercise`: an exercise brings its own start and goal".into(),
            ));
        }
    }
    if !has("run") && (has("scenario") || has("tour")) {
        let with = if has("tour") { "tour" } else { "scenario" };
        let allowed = |k: &&str| with == "scenario" && *k == "bug";
        if let Some(&setting) = SETUP.iter().filter(|k| !allowed(k)).find(|k| has(k)) {
            return Err((setting, format!("cannot be combined with `{with}`: a scenario brings its own cluster")));
        }
    }
    let number = |k: &str| o.get(k).and_then(Json::as_u64).map(|n| n as usize);
    let mode = match o.get("mode").and_then(Json::as_str) {
        Some("multi") => Mode::Multi,
        _ => Mode::Single,
    };
    let mut cfg = SimConfig::new(mode, number("nodes").unwrap_or(3));
    cfg.cluster.q1 = number("q1");
    cfg.cluster.q2 = number("q2");
    let bugs = o.get("bug").and_then(Json::as_array).into_iter().flatten();
    cfg.cluster.bugs = bugs.filter_map(|b| b.as_str()?.parse().ok()).fold(Bugs::default(), Bugs::with);
    if let Err(e) = cfg.cluster.validate() {
        let blame = ["q1", "q2", "nodes"].into_iter().find(|k| has(k)).unwrap_or("nodes");
        return Err((blame, format!("the cluster is impossible: {e}")));
    }
    if let Some(goal) = o.get("goal").and_then(Json::as_str).and_then(|g| g.parse::<paxos_sim::goal::Goal>().ok()) {
        goal.fits(cfg.cluster.nodes.len()).map_err(|e| ("goal", e.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        let e = parse(text).expect_err(text);
        format!("{}: {e}", e.line)
    }

    #[test]
    fn a_raft_block_is_checked_in_rafts_words() {
        let o = parse("protocol = \"raft\"\nscenario = \"raft-figure-8\"\nbug = [\"commit-old-term\"]\n").unwrap();
        assert_eq!(
            Json::Object(o).to_string(),
            r#"{"bug":["commit-old-term"],"protocol":"raft","scenario":"raft-figure-8"}"#
        );
        assert!(parse("protocol = \"raft\"\narrows = [\"append_entries\", \"vote\"]\n").is_ok());
        assert!(parse("protocol = \"raft\"\nexercise = \"raft-leader-down\"\n").is_ok());
        assert!(error("exercise = \"raft-leader-down\"").starts_with("1: key `exercise`: no exercise"));
        assert!(error("protocol = \"raft\"\nscenario = \"dueling\"")
            .starts_with("2: key `scenario`: no scenario \"dueling\"; the scenarios are raft-election"));
        assert!(error("protocol = \"raft\"\nbug = [\"amnesia\"]")
            .contains("unknown bug `amnesia` (expected one of: commit-old-term"));
        assert!(error("protocol = \"raft\"\nq1 = 2").starts_with("2: key `q1`: is Paxos's"));
        assert!(error("protocol = \"raft\"\narrows = [\"prepare\"]").contains("no message kind \"prepare\""));
        assert!(error("protocol = \"zab\"").starts_with("1: key `protocol`: must be \"paxos\" or \"raft\""));
        // Compare reads Raft's words.
        assert!(parse("compare = true\nscenario = \"raft-figure-8\"\n").is_ok());
        assert!(
            error("compare = true\nscenario = \"dueling\"").starts_with("2: key `scenario`: no scenario \"dueling\"")
        );
        // Paxos's words stay Paxos's.
        assert!(error("scenario = \"raft-election\"").starts_with("1: key `scenario`: no scenario \"raft-election\""));
    }

    #[test]
    fn an_exercise_or_a_goal_is_checked_at_build_time() {
        let o = parse("exercise = \"no-quorum\"\n").unwrap();
        assert_eq!(Json::Object(o).to_string(), r#"{"exercise":"no-quorum"}"#);
        let o = parse("nodes = 5\nbug = [\"amnesia\"]\ngoal = \"two-chosen, actions<=6\"\n").unwrap();
        assert_eq!(o["goal"], "two-chosen, actions<=6");
        assert!(error("exercise = \"nope\"").starts_with("1: key `exercise`: no exercise \"nope\"; the exercises are"));
        assert_eq!(
            error("nodes = 3\ngoal = \"chosen, fly\"\n"),
            "2: key `goal`: `fly` is not a goal term (chosen, learned=N, two-chosen, broken=RULE, round>=N, no-quorum, \
             no-op, down>=N, adopted-other, learners-disagree, actions<=K)"
        );
        assert!(error("goal = \"learned=7\"").starts_with("1: key `goal`: goal term `learned=7`: there is no node 7"));
        assert!(
            error("exercise = \"no-quorum\"\nnodes = 5").contains("key `nodes`: cannot be combined with `exercise`")
        );
    }

    #[test]
    fn the_issues_example_becomes_the_options_of_mount() {
        let o = parse("scenario = \"dueling\"\ncontrols = [\"timeline\", \"diagram\"]\ntheme = \"inherit\"\n").unwrap();
        assert_eq!(
            Json::Object(o).to_string(),
            r#"{"controls":["timeline","diagram"],"scenario":"dueling","theme":"inherit"}"#
        );
    }

    #[test]
    fn every_key_of_mount_is_read_with_its_type() {
        let o = parse(
            "seed = 7\nnodes = 5\nmode = \"multi\"\nbug = [\"amnesia\"]\nq1 = 3\nq2 = 3\nloss = 2.5\ndup = 1\n\
             latency = [20, 60]\narrows = [\"accept\", \"accepted\"]\ncontrols = [\"time\", \"timeline\", \"log\"]\n\
             moment = 40\nautoplay = true\ntheme = \"dark\"\nembed = true\n",
        )
        .unwrap();
        assert_eq!(
            Json::Object(o).to_string(),
            r#"{"arrows":["accept","accepted"],"autoplay":true,"bug":["amnesia"],"controls":["time","timeline","log"],"dup":1,"embed":true,"latency":[20,60],"loss":2.5,"mode":"multi","moment":40,"nodes":5,"q1":3,"q2":3,"seed":7,"theme":"dark"}"#
        );
        assert_eq!(Json::Object(parse("arrows = \"all\"").unwrap()).to_string(), r#"{"arrows":"all"}"#);
        assert_eq!(parse("").unwrap(), Options::new(), "an empty block is the default cluster");
        let with_bug = parse("scenario = \"proposer-crash\"\nbug = [\"ignore-accepted\"]").unwrap();
        assert_eq!(with_bug.len(), 2, "a scenario takes a bug: what if this rule were missing?");
    }

    #[test]
    fn a_mistake_names_its_line_and_key() {
        assert_eq!(
            error("controls = [\"timeline\"]\nscenario = \"duel\"\n"),
            "2: key `scenario`: no scenario \"duel\"; the scenarios are happy-path, adopt-accepted, highest-ballot, \
             dueling, minority-crashed, proposer-crash, partition, multi-leader-change, membership, amnesia, \
             reconfigure-early"
        );
        assert_eq!(
            error("\n\ncontrols = [\"timeline\", \"diagrams\"]"),
            "3: key `controls`: no panel \"diagrams\"; the panels are time, timeline, propose, selection, quorum, \
             outcome, diagram, log, network, setup, share, scenarios, check, charts"
        );
        assert_eq!(
            error("theme = \"coal\""),
            "1: key `theme`: no theme \"coal\"; the themes are auto, light, dark, inherit"
        );
        assert_eq!(error("mode = \"raft\""), "1: key `mode`: unknown mode `raft` (expected `single` or `multi`)");
        assert_eq!(
            error("bug = [\"amnesia\", \"forgetful\"]"),
            "1: key `bug`: unknown bug `forgetful` (expected one of: amnesia, ignore-accepted, minority-quorum, \
             break-promise, adopt-lowest, reconfigure-early)"
        );
        assert_eq!(
            error("arrows = [\"heartbeats\"]"),
            "1: key `arrows`: no message kind \"heartbeats\"; the message kinds are prepare, promise, accept, \
             accepted, reject, decided, heartbeat, catch_up, propose"
        );
    }

    #[test]
    fn types_are_checked() {
        assert_eq!(error("nodes = \"5\""), "1: key `nodes`: must be a whole number, not a string");
        assert_eq!(error("nodes = 12"), "1: key `nodes`: must be from 3 to 9, not 12");
        assert_eq!(error("autoplay = 1"), "1: key `autoplay`: must be true or false, not 1");
        assert_eq!(
            error("controls = \"timeline\""),
            "1: key `controls`: must be a list like [\"timeline\", \"diagram\"], not a string"
        );
        assert_eq!(error("bug = [1]"), "1: key `bug`: must be a list of strings like [\"amnesia\"], but holds 1");
        assert_eq!(error("scenario = 3"), "1: key `scenario`: must be a string, not a whole number");
        assert_eq!(error("loss = 120"), "1: key `loss`: must be a percentage from 0 to 100, not 120");
        assert_eq!(
            error("latency = \"20-60\""),
            "1: key `latency`: must be a range [min, max] of whole numbers like [20, 60], not \"20-60\""
        );
        assert_eq!(
            error("latency = [60, 20]"),
            "1: key `latency`: must be a range [min, max] from 1 to 10000 with min <= max, not [60, 20]"
        );
        assert_eq!(error("moment = -1"), "1: key `moment`: must be from 0 to 9223372036854775807, not -1");
        assert_eq!(
            error("run = \"#run=1.AQ\""),
            "1: key `run`: must be the text after `#run=` in a link copied from the playground"
        );
    }

    #[test]
    fn unknown_keys_are_named_with_a_guess() {
        assert_eq!(
            error("scenario = \"dueling\"\ncontrol = [\"timeline\"]"),
            "2: key `control`: unknown key (did you mean `controls`?); the keys are scenario, controls, moment, \
             autoplay, theme, run, tour, arrows, seed, nodes, mode, bug, q1, q2, loss, dup, latency, embed, exercise, goal, protocol, compare, print"
        );
        assert!(error("colour = \"red\"").starts_with("1: key `colour`: unknown key; the keys are"));
        assert_eq!(error("step = 4"), "1: key `step`: is the old name of `moment`; write `moment`");
        assert!(error("[figure]\nscenario = \"dueling\"").starts_with("1: key `figure`: unknown key"));
    }

    #[test]
    fn combinations_that_cannot_be_are_named_by_the_key_that_breaks_them() {
        assert_eq!(
            error("scenario = \"dueling\"\nnodes = 5"),
            "2: key `nodes`: cannot be combined with `scenario`: a scenario brings its own cluster"
        );
        assert_eq!(
            error("tour = true\nbug = [\"amnesia\"]"),
            "2: key `bug`: cannot be combined with `tour`: a scenario brings its own cluster"
        );
        assert_eq!(
            error("nodes = 5\nq1 = 2\nq2 = 3"),
            "2: key `q1`: the cluster is impossible: quorums q1 = 2 and q2 = 3 do not intersect: q1 + q2 must exceed \
             the number of acceptors (5)"
        );
        assert!(parse("nodes = 5\nq1 = 2\nq2 = 4").is_ok(), "flexible quorums that intersect");
        assert!(parse("run = \"1.AQAD\"\nscenario = \"dueling\"\nnodes = 5").is_ok(), "a run holds its own settings");
    }

    #[test]
    fn a_block_that_is_not_toml_names_its_line() {
        assert_eq!(
            error("scenario = \"dueling\"\ncontrols = [\"timeline\""),
            "2: not TOML: unclosed array, expected `]`"
        );
        assert!(error("scenario = dueling").starts_with("1: not TOML: "), "{}", error("scenario = dueling"));
        assert!(error("a = 1\na = 2").starts_with("2: not TOML: duplicate key"), "{}", error("a = 1\na = 2"));
    }

    #[test]
    fn typos_are_one_letter_apart() {
        assert!(close("controls", "control") && close("theme", "thme") && close("nodes", "nodez"));
        assert!(!close("seed", "speed!") && !close("q1", "q1q1"));
    }
}
