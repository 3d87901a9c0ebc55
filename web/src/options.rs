//! How a page asks for a playground: the full page, an iframe with URL parameters, or `mount(element, options)`
//! from JavaScript. Both embeddings read the same [`Options`]; bad options are errors that name the option.
//! Plain Rust, tested natively.

use paxos_core::Mode;
use paxos_sim::goal::{Goal, MAX_GOAL_LEN};
use paxos_sim::settings::Setting;
use paxos_sim::{Paxos, Protocol};

use crate::input::{quote, Settings};
use crate::protocol::{bug_names, Look};
use crate::spacetime::Kinds;

/// The panels a playground can show. An embedding lists the ones it wants; the full page shows them all.
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

/// What an embedded scenario shows when it does not say: a figure, the drawing with the timeline (the narration with
/// Next and Back comes with the scenario).
pub const FIGURE_DEFAULT: [&str; 1] = ["timeline"];

/// What an embedded cluster without a scenario shows when it does not say: a figure that can be played and given a
/// value, since it has no narration to step through.
pub const EMBED_DEFAULT: [&str; 3] = ["time", "timeline", "propose"];

/// Light or dark colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the reader's system setting.
    #[default]
    Auto,
    /// Dark text on light.
    Light,
    /// Light text on dark.
    Dark,
    /// Follow the page around the figure: a mounted figure reads the colour behind it (and follows it when the page
    /// switches theme); an iframe takes what the page posts (`{ type: "paxos-playground:theme", theme: "dark" }`);
    /// until then, and on the full page, the reader's system setting.
    Inherit,
}

impl std::str::FromStr for Theme {
    type Err = String;

    fn from_str(v: &str) -> Result<Theme, String> {
        Ok(match v {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            "auto" => Theme::Auto,
            "inherit" => Theme::Inherit,
            _ => return Err("light, dark, auto or inherit".into()),
        })
    }
}

/// The run an address names (see [`Options::address`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Shown<P: Look = Paxos> {
    /// A built-in scenario, unchanged since it opened, at a moment.
    Scenario {
        /// The scenario's id.
        id: &'static str,
        /// In the guided tour.
        guided: bool,
        /// What if's bugs.
        what_if: P::Bugs,
        /// The moment shown.
        moment: u64,
    },
    /// Any other run: its link (the text after `#run=`), which holds its settings and moment.
    Link(String),
}

/// A playground's start-up options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options<P: Look = Paxos> {
    /// Minimal chrome: no page header, only the listed panels, fitted to the element or iframe.
    pub embed: bool,
    /// A built-in scenario to open (its id, e.g. `dueling`).
    pub scenario: Option<String>,
    /// The panels to show (see [`PANELS`]); all of them on the full page, [`EMBED_DEFAULT`] when embedded.
    pub controls: Option<Vec<String>>,
    /// The moment to show first.
    pub step: Option<u64>,
    /// Start playing at once.
    pub autoplay: bool,
    /// Colours.
    pub theme: Theme,
    /// A shared run (the text after `#run=` in a link).
    pub run: Option<String>,
    /// Keep the address bar in step with the run (the full page and iframes; not `mount`): see `AppState::address`.
    pub sync_url: bool,
    /// Start the guided tour.
    pub tour: bool,
    /// The first run's settings, in the `paxos` CLI's words (`--seed 7 --nodes 5 --mode multi --bug amnesia`); those
    /// left out keep the Run and Network forms' defaults. A shared run (`run`) holds its own settings and wins over
    /// them; a scenario or the tour cannot be combined with them.
    pub seed: Option<u64>,
    /// Cluster size, [`MIN_NODES`] to [`MAX_NODES`].
    pub nodes: Option<usize>,
    /// `single` or `multi`.
    pub mode: Option<Mode>,
    /// Protocol bugs to enable (`amnesia`, `ignore-accepted`, `minority-quorum`, `break-promise`,
    /// `adopt-lowest`).
    pub bug: Option<Vec<P::Bug>>,
    /// Phase-1 quorum size; a majority when left out.
    pub q1: Option<usize>,
    /// Phase-2 quorum size; a majority when left out.
    pub q2: Option<usize>,
    /// Message loss, percent.
    pub loss: Option<f64>,
    /// Message duplication, percent.
    pub dup: Option<f64>,
    /// Latency range, `[min, max]` in time units (`latency=20-60` in a URL, or `20..60` as a script writes it).
    pub latency: Option<(u64, u64)>,
    /// A built-in exercise to open (`exercise=no-quorum`); with a shared run, that run is checked against it.
    pub exercise: Option<String>,
    /// A goal of one's own, watched from the run's start (`goal=two-chosen,actions<=6`: see `paxos_sim::goal`).
    pub goal: Option<Goal>,
    /// The message kinds the space-time diagram draws (`arrows=prepare,promise,accept,accepted`); all when left out.
    /// A view setting, not the run's, so it combines with everything.
    pub arrows: Option<Kinds<P>>,
    /// Multi-Paxos and Raft side by side (`compare=1`; the second module draws it, with Raft's options).
    pub compare: bool,
}

impl<P: Look> Default for Options<P> {
    fn default() -> Self {
        Options {
            embed: false,
            scenario: None,
            controls: None,
            step: None,
            autoplay: false,
            theme: Theme::Auto,
            run: None,
            sync_url: true,
            tour: false,
            seed: None,
            nodes: None,
            mode: None,
            bug: None,
            q1: None,
            q2: None,
            loss: None,
            dup: None,
            latency: None,
            arrows: None,
            compare: false,
            exercise: None,
            goal: None,
        }
    }
}

/// The option names that set the first run (see [`Options::seed`]).
pub const SETUP: [&str; 9] = Setting::NAMES;

/// Every option a page can give, by the name the URL and `mount()` both use. `protocol` (`paxos`, `raft`) and
/// `compare` also pick the module that reads the rest (the page's loader, `web/figures.js`).
pub const KEYS: [&str; 23] = [
    "embed", "scenario", "controls", "moment", "step", "autoplay", "theme", "run", "tour", "seed", "nodes", "mode",
    "bug", "q1", "q2", "loss", "dup", "latency", "arrows", "exercise", "goal", "protocol", "compare",
];

/// The protocol an address or a figure's options ask for (`protocol=raft`), by name; Paxos when they do not say.
/// The way in that picks which [`Options`] to read: the second module's `start` reads it first.
pub fn protocol_asked(pairs: impl IntoIterator<Item = (String, String)>) -> &'static str {
    pairs
        .into_iter()
        .find(|(k, _)| k == "protocol")
        .and_then(|(_, v)| paxos_sim::protocol::PROTOCOLS.into_iter().find(|p| *p == v))
        .unwrap_or(Paxos::NAME)
}

impl<P: Look> Options<P> {
    /// Checks what each value alone cannot show: panel names, the scenario id, and that the run's settings make a cluster.
    pub fn validate(self) -> Result<Options<P>, String> {
        if let Some(c) = &self.controls {
            if let Some(bad) = c.iter().find(|p| !PANELS.contains(&p.as_str())) {
                let bad = quote(bad);
                return Err(format!("option `controls`: unknown panel “{bad}”; the panels are {}", PANELS.join(", ")));
            }
        }
        if let Some(id) = &self.scenario {
            if !paxos_sim::scenario::of::<P>().iter().any(|s| s.id == id) {
                let ids: Vec<_> = paxos_sim::scenario::of::<P>().iter().map(|s| s.id).collect();
                let id = quote(id);
                return Err(format!("option `scenario`: no scenario “{id}”; the scenarios are {}", ids.join(", ")));
            }
        }
        // A scenario brings its own cluster; `bug` with it asks "what if this rule were missing?".
        if let Some(setting) = self.setup_given(self.scenario.is_some()) {
            if self.run.is_none() && (self.scenario.is_some() || self.tour) {
                let with = if self.tour { "tour" } else { "scenario" };
                return Err(format!(
                    "option `{setting}` cannot be combined with `{with}`: a scenario brings its own cluster"
                ));
            }
        }
        self.settings(Settings::default())?;
        Ok(self)
    }

    /// The first setting given, if any (see [`SETUP`]), leaving `bug` out when `but_bug`.
    fn setup_given(&self, but_bug: bool) -> Option<&'static str> {
        let given = [
            self.seed.is_some(),
            self.nodes.is_some(),
            self.mode.is_some(),
            self.bug.is_some() && !but_bug,
            self.q1.is_some(),
            self.q2.is_some(),
            self.loss.is_some(),
            self.dup.is_some(),
            self.latency.is_some(),
        ];
        SETUP.into_iter().zip(given).find(|&(_, g)| g).map(|(name, _)| name)
    }

    /// `base` with the settings these options give, or what is wrong with them (naming the option).
    pub fn settings(&self, base: Settings<P>) -> Result<Settings<P>, String> {
        let mut s = base;
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        // Each value was checked when it was read ([`Options::set`]); only the cluster they make together is left.
        s.nodes = self.nodes.unwrap_or(s.nodes);
        s.mode = self.mode.unwrap_or(s.mode);
        if let Some(bugs) = &self.bug {
            s.bugs = bugs.iter().fold(P::Bugs::default(), |all, &b| P::set_bug(all, b, true));
        }
        s.q1 = self.q1.or(s.q1);
        s.q2 = self.q2.or(s.q2);
        s.faults.loss = self.loss.unwrap_or(s.faults.loss);
        s.faults.dup = self.dup.unwrap_or(s.faults.dup);
        s.latency = self.latency.unwrap_or(s.latency);
        s.sim_config().map_err(|e| format!("the options describe an impossible cluster: {e}"))?;
        Ok(s)
    }

    /// Whether a panel is shown.
    pub fn shows(&self, panel: &str) -> bool {
        match &self.controls {
            Some(c) => c.iter().any(|p| p == panel),
            None if self.embed && (self.scenario.is_some() || self.tour) => FIGURE_DEFAULT.contains(&panel),
            None if self.embed => EMBED_DEFAULT.contains(&panel),
            None => true,
        }
    }

    /// Whether this playground is a figure: embedded with the default panels, so it is drawn as a picture with its
    /// narration and timeline rather than as the page's panels.
    pub fn is_figure(&self) -> bool {
        self.embed && self.controls.is_none()
    }

    /// Reads a page address's query (`?embed=1&scenario=dueling&controls=time,propose&step=40&autoplay=1&theme=dark`)
    /// and fragment (`#run=1.…`). Unknown parameters are errors that name them.
    pub fn from_url(search: &str, hash: &str) -> Result<Options<P>, String> {
        let mut o = Options::default();
        for pair in search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "run" => return Err("unknown URL parameter `run` (a shared run goes after the #: `#run=…`)".into()),
                _ => o.set(Source::Url, k, &decode_component(v))?,
            }
        }
        if let Some(run) = hash.trim_start_matches('#').strip_prefix("run=") {
            o.run = Some(run.to_owned());
        }
        o.validate()
    }

    /// The other way: what the address bar holds after the path for the run `shown`, given the page's query
    /// `search`. A scenario is `?scenario=<id>` (with `tour=1`, its What if `bug` and the moment as `moment`), which
    /// reopens it with its narration; any other run is its `#run=` link, which holds its own settings and moment. The
    /// page's other parameters (`embed`, `controls`, `theme`, …) stay; the ones that choose the run are replaced. The
    /// diagram's kinds, when not all of them, are `arrows=…`, so a shared address shows the same arrows.
    pub fn address(search: &str, shown: Shown<P>, arrows: Kinds<P>, practice: Option<String>) -> String {
        // The run's settings (`SETUP`), what picks a scenario, an exercise and a moment, and the diagram's
        // kinds: this writes them.
        let chooses_the_run = |k: &str| {
            SETUP.contains(&k) || ["scenario", "tour", "moment", "step", "arrows", "exercise", "goal"].contains(&k)
        };
        let mut query: Vec<String> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty() && !chooses_the_run(p.split('=').next().unwrap_or_default()))
            .map(str::to_owned)
            .collect();
        if arrows != Kinds::ALL {
            query.push(format!("arrows={}", arrows.names()));
        }
        query.extend(practice);
        let fragment = match shown {
            Shown::Scenario { id, guided, what_if, moment } => {
                if guided {
                    query.push("tour=1".into());
                }
                query.push(format!("scenario={id}"));
                let bugs = bug_names::<P>(what_if);
                if !bugs.is_empty() {
                    query.push(format!("bug={}", bugs.join(",")));
                }
                if moment > 0 {
                    query.push(format!("moment={moment}"));
                }
                String::new()
            }
            Shown::Link(link) => format!("#run={link}"),
        };
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        format!("{query}{fragment}")
    }

    /// Sets option `k` from its text, as a URL writes it (`mount()` turns its values into the same text): one parser
    /// for both ways in, so they take the same values and name the same mistakes. Lists are comma-separated, a range
    /// is `min-max`.
    pub fn set(&mut self, from: Source, k: &str, v: &str) -> Result<(), String> {
        let named = match from {
            Source::Url => "URL parameter",
            Source::Mount => "option",
            Source::Attribute => "attribute",
        };
        let bad = |expected: &str| format!("{named} `{}` must be {expected}, not “{}”", quote(k), quote(v));
        fn number<T: std::str::FromStr>(v: &str) -> Option<T> {
            v.parse().ok()
        }
        let list = || v.split(',').filter(|s| !s.is_empty());
        // The cluster settings, in the words and with the checks of a script's `config` line and the CLI's flags.
        if let Some(setting) = Setting::parse(k, v).map_err(|e| format!("{named} {e}"))? {
            match setting {
                Setting::Seed(n) => self.seed = Some(n),
                Setting::Nodes(n) => self.nodes = Some(n),
                Setting::Mode(m) => self.mode = Some(m),
                // The bugs are the protocol's own.
                Setting::Bugs(b) => {
                    self.bug = Some(paxos_sim::settings::bugs_of::<P>(&b).map_err(|e| format!("{named} {e}"))?)
                }
                Setting::Q1(q) => self.q1 = Some(q),
                Setting::Q2(q) => self.q2 = Some(q),
                Setting::Loss(p) => self.loss = Some(p),
                Setting::Dup(p) => self.dup = Some(p),
                Setting::Latency(lo, hi) => self.latency = Some((lo, hi)),
            }
            return Ok(());
        }
        match k {
            "embed" | "autoplay" | "tour" | "compare" => {
                // A URL and an attribute write a flag as text (`?autoplay`, `<paxos-figure autoplay>`); `mount()`
                // has JavaScript's booleans, so its text is only ever `true` or `false`.
                let text = from != Source::Mount;
                let on = match v {
                    "true" => true,
                    "false" => false,
                    "" | "1" | "yes" if text => true,
                    "0" | "no" if text => false,
                    _ => return Err(bad(if from == Source::Url { "1 or 0" } else { "true or false" })),
                };
                *(match k {
                    "embed" => &mut self.embed,
                    "autoplay" => &mut self.autoplay,
                    "compare" => &mut self.compare,
                    _ => &mut self.tour,
                }) = on;
            }
            "scenario" => self.scenario = Some(v.to_owned()),
            "run" => self.run = Some(v.to_owned()),
            "controls" => self.controls = Some(list().map(str::to_owned).collect()),
            "theme" => self.theme = v.parse().map_err(|e: String| bad(&e))?,
            // `moment`, the timeline's word; `step`, its older name, still opens old links.
            "moment" | "step" => self.step = Some(number(v).ok_or_else(|| bad("a whole number"))?),
            "arrows" => self.arrows = Some(Kinds::parse(v).map_err(|e| format!("{named} `arrows`: {e}"))?),
            "exercise" if v.len() <= 40 && v.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !v.is_empty() => {
                self.exercise = Some(v.to_owned())
            }
            "exercise" => return Err(bad("an exercise id, like no-quorum")),
            "goal" => self.goal = Some(Goal::read::<P>(v).map_err(|e| format!("{named} `goal`: {e}"))?),
            // The module that reads these options runs `P` (the loader chose it by this option): another protocol
            // here is a page asking one module for the other's run.
            "protocol" if v == P::NAME => {}
            "protocol" => {
                let names = paxos_sim::protocol::PROTOCOLS.join(" or ");
                return Err(match paxos_sim::protocol::PROTOCOLS.contains(&v) {
                    true => format!("{named} `protocol={}` cannot open in this {} playground", quote(v), P::NAME),
                    false => bad(&names),
                });
            }
            _ => {
                let k = quote(k);
                return Err(match from {
                    Source::Url => format!("unknown URL parameter `{k}`"),
                    _ => format!("unknown {named} `{k}`; the {named}s are {}", KEYS.join(", ")),
                });
            }
        }
        Ok(())
    }
}

/// A value as a URL query writes it: the characters that would end or change it percent-encoded (a goal holds
/// only `[a-z0-9=<>,:-]` and a value's text; at most [`MAX_GOAL_LEN`] bytes).
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len().min(MAX_GOAL_LEN) + 8);
    for c in v.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' | '&' | '#' | '+' | '?' | '"' | '<' | '>' => {
                let mut b = [0; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Where an option comes from, for the words of its error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The page address (`?nodes=5`): flags are `1` or `0`.
    Url,
    /// `mount(element, { nodes: 5 })`: flags are `true` or `false`.
    Mount,
    /// An attribute of `<paxos-figure>` (web/figures.js): the URL parameter's text (`nodes="5"`,
    /// `controls="timeline,diagram"`), and a flag is on when present (`autoplay`, `autoplay="1"`).
    Attribute,
}

/// Percent-decoding of one query component (`+` is a space); bytes that do not form UTF-8 are replaced.
fn decode_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::Bug;
    type Settings = crate::input::PaxosSettings;
    type Options = super::Options<Paxos>;

    #[test]
    fn the_full_page_shows_everything_and_an_embed_its_defaults() {
        let full = Options::default();
        assert!(PANELS.iter().all(|p| full.shows(p)));
        let embed = Options { embed: true, ..Options::default() };
        assert!(embed.shows("propose") && !embed.shows("setup"));
        let chosen = Options { embed: true, controls: Some(vec!["log".into()]), ..Options::default() };
        assert!(chosen.shows("log") && !chosen.shows("propose"));
        assert!(embed.is_figure() && !chosen.is_figure() && !full.is_figure());
        // An embedded scenario is a figure: the drawing, the timeline and the narration (which comes with it).
        let scenario = Options { embed: true, scenario: Some("dueling".into()), ..Options::default() };
        assert!(scenario.shows("timeline") && !scenario.shows("time") && !scenario.shows("propose"));
        assert!(!scenario.shows("outcome") && !scenario.shows("diagram") && !scenario.shows("scenarios"));
    }

    #[test]
    fn url_parameters_are_read_and_bad_ones_named() {
        let o = Options::from_url("?embed=1&scenario=dueling&controls=time,propose&step=40&autoplay=1&theme=dark", "")
            .unwrap();
        assert!(o.embed && o.autoplay);
        assert_eq!(o.scenario.as_deref(), Some("dueling"));
        assert_eq!(o.controls, Some(vec!["time".to_string(), "propose".to_string()]));
        assert_eq!(o.step, Some(40));
        assert_eq!(o.theme, Theme::Dark);
        assert_eq!(Options::from_url("", "#run=1.abc").unwrap().run.as_deref(), Some("1.abc"));
        assert_eq!(Options::from_url("", "").unwrap(), Options::default());
        assert!(Options::from_url("?colour=red", "").unwrap_err().contains("`colour`"));
        assert!(Options::from_url("?step=soon", "").unwrap_err().contains("`step`"));
        assert!(Options::from_url("?theme=pink", "").unwrap_err().contains("`theme`"));
        assert!(Options::from_url("?controls=time,levers", "").unwrap_err().contains("“levers”"));
        assert!(Options::from_url("?scenario=nope", "").unwrap_err().contains("no scenario “nope”"));
        assert!(Options::from_url("?embed=maybe", "").unwrap_err().contains("`embed`"));
        // The diagram's arrows: a view setting, so it combines with a scenario.
        let o = Options::from_url("?scenario=multi-leader-change&arrows=accept,accepted,decided", "").unwrap();
        let kinds = o.arrows.unwrap();
        assert!(kinds.has(paxos_core::MsgKind::Accept) && !kinds.has(paxos_core::MsgKind::Heartbeat));
        let err = Options::from_url("?arrows=accept,heartbeats", "").unwrap_err();
        assert!(err.starts_with("URL parameter `arrows`: unknown message kind “heartbeats”"), "{err}");
    }

    #[test]
    fn url_parameters_set_the_first_run_in_the_clis_words() {
        let o = Options::from_url("?seed=7&nodes=5&mode=multi&bug=amnesia,ignore-accepted&loss=2.5&latency=10-30", "")
            .unwrap();
        let s = o.settings(Settings::default()).unwrap();
        assert_eq!((s.seed, s.nodes, s.mode), (7, 5, Mode::Multi));
        assert!(s.bugs.amnesia && s.bugs.ignore_accepted && !s.bugs.minority_quorum);
        assert_eq!((s.faults.loss, s.faults.dup, s.latency), (2.5, 0.0, (10, 30)));
        assert_eq!((s.q1, s.q2), (None, None));
        // Left out: the form's defaults.
        let s = Options::from_url("?nodes=4", "").unwrap().settings(Settings::default()).unwrap();
        assert_eq!(s, Settings { nodes: 4, ..Settings::default() });
        // Flexible quorums that intersect are fine; ones that do not are refused with the reason.
        let s = Options::from_url("?nodes=5&q1=4&q2=2", "").unwrap().settings(Settings::default()).unwrap();
        assert_eq!((s.q1, s.q2), (Some(4), Some(2)));
        let bad = |q: &str| Options::from_url(q, "").unwrap_err();
        assert!(bad("?nodes=5&q1=2&q2=2").contains("do not intersect"), "{}", bad("?nodes=5&q1=2&q2=2"));
        assert!(bad("?nodes=12").contains("URL parameter `nodes` must be from 3 to 9, not 12"));
        assert!(bad("?nodes=4294967299").contains("URL parameter `nodes`"));
        assert!(bad("?nodes=five").contains("URL parameter `nodes` must be a whole number, not “five”"));
        assert!(bad("?seed=-1").contains("`seed`"));
        assert!(bad("?mode=raft").contains("unknown mode `raft`"));
        assert!(bad("?bug=amnesia,typo").contains("unknown bug `typo`"));
        assert!(bad("?loss=lots").contains("`loss` must be a percentage"));
        assert!(bad("?dup=101").contains("URL parameter `dup` must be a percentage from 0 to 100, not 101"));
        assert!(bad("?latency=60-20").contains("`latency`"));
        assert!(bad("?latency=0-20").contains("`latency`"));
        assert!(bad("?latency=fast").contains("like 20-60"));
        // A scenario brings its own cluster; a shared run holds its own settings and wins (an address may hold both).
        assert!(bad("?scenario=dueling&nodes=5").contains("`nodes` cannot be combined with `scenario`"));
        assert!(bad("?tour=1&bug=amnesia").contains("`bug` cannot be combined with `tour`"));
        // What if a rule were missing: a scenario with a bug switched on.
        let o = Options::from_url("?scenario=proposer-crash&bug=ignore-accepted", "").unwrap();
        assert_eq!(o.bug, Some(vec![Bug::IgnoreAccepted]));
        assert!(bad("?scenario=dueling&bug=amnesia&seed=3").contains("`seed` cannot be combined with `scenario`"));
        assert!(Options::from_url("?scenario=dueling&nodes=5", "#run=1.abc").is_ok());
    }

    #[test]
    fn a_latency_range_reads_in_both_spellings() {
        for (url, mount) in [("?latency=20-60", "20-60"), ("?latency=20..60", "20..60")] {
            assert_eq!(Options::from_url(url, "").unwrap().latency, Some((20, 60)), "{url}");
            let mut o = Options::default();
            o.set(Source::Mount, "latency", mount).unwrap();
            assert_eq!(o.latency, Some((20, 60)), "{mount}");
        }
        let err = Options::from_url("?latency=fast", "").unwrap_err();
        assert_eq!(err, "URL parameter `latency` must be a range like 20-60 or 20..60, not “fast”");
        assert!(Options::from_url("?latency=60..20", "").unwrap_err().contains("`latency`"));
    }

    #[test]
    fn mount_values_go_through_the_same_parser_with_its_own_words() {
        let mut o = Options::default();
        o.set(Source::Mount, "embed", "true").unwrap();
        o.set(Source::Mount, "nodes", "5").unwrap();
        o.set(Source::Mount, "latency", "5-15").unwrap();
        o.set(Source::Mount, "bug", "amnesia,minority-quorum").unwrap();
        assert!(o.embed);
        assert_eq!((o.nodes, o.latency), (Some(5), Some((5, 15))));
        assert_eq!(o.bug, Some(vec![Bug::Amnesia, Bug::MinorityQuorum]));
        let err = |k: &str, v: &str| Options::default().set(Source::Mount, k, v).unwrap_err();
        assert_eq!(err("embed", "1"), "option `embed` must be true or false, not “1”");
        assert_eq!(err("nodes", "2.5"), "option `nodes` must be a whole number, not “2.5”");
        assert!(err("colour", "red").starts_with("unknown option `colour`; the options are embed, scenario, controls"));
        assert_eq!(
            Options::from_url("?run=1.abc", "").unwrap_err(),
            "unknown URL parameter `run` (a shared run goes after the #: `#run=…`)"
        );
    }

    #[test]
    fn attributes_are_the_urls_text_in_their_own_words() {
        let mut o = Options::default();
        for (k, v) in
            [("embed", "1"), ("autoplay", ""), ("tour", "false"), ("controls", "time,diagram"), ("nodes", "5")]
        {
            o.set(Source::Attribute, k, v).unwrap();
        }
        assert!(o.embed && o.autoplay && !o.tour);
        assert_eq!((o.nodes, o.controls.as_deref().map(<[String]>::len)), (Some(5), Some(2)));
        let err = |k: &str, v: &str| Options::default().set(Source::Attribute, k, v).unwrap_err();
        assert_eq!(err("autoplay", "maybe"), "attribute `autoplay` must be true or false, not “maybe”");
        assert_eq!(err("nodes", "many"), "attribute `nodes` must be a whole number, not “many”");
        assert!(
            err("senario", "dueling").starts_with("unknown attribute `senario`; the attributes are embed, scenario")
        );
    }

    /// `<paxos-figure>` (web/figures.js) passes every attribute that is not the page's to the parser, without a list
    /// of options: the page's are HTML's global attributes (its `PAGE` list) and names with other characters than
    /// lowercase letters and digits or beginning with `on`. An option named otherwise would never reach the parser.
    #[test]
    fn every_option_can_be_an_attribute_of_paxos_figure() {
        let js = include_str!("../figures.js");
        let page = js.lines().find_map(|l| l.trim().strip_prefix("const PAGE = '")).expect("figures.js lists PAGE");
        for key in super::KEYS {
            assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{key}");
            assert!(!key.starts_with("on") && !page.contains(&format!(" {key} ")), "{key} is the page's");
        }
    }

    #[test]
    fn panic_test_is_an_ordinary_unknown_parameter() {
        // A test hook reachable from any link: `?colour=panic-test` crashed the page. Tests call
        // `window.paxosPanicTest()` instead (see web.rs).
        assert_eq!(Options::from_url("?panic-test", "").unwrap_err(), "unknown URL parameter `panic-test`");
        assert_eq!(
            Options::from_url("?seed=1&panic-tester=0", "").unwrap_err(),
            "unknown URL parameter `panic-tester`"
        );
        assert!(Options::from_url("?colour=panic-test", "").unwrap_err().contains("`colour`"));
    }

    #[test]
    fn messages_quote_a_bounded_prefix_of_the_address() {
        let long = "a".repeat(100_000);
        for q in
            [format!("?{long}=1"), format!("?theme={long}"), format!("?scenario={long}"), format!("?controls={long}")]
        {
            let e = Options::from_url(&q, "").unwrap_err();
            assert!(e.len() < 300 && e.contains("(100000 characters)"), "{} chars", e.len());
        }
    }

    #[test]
    fn query_components_are_percent_decoded() {
        assert_eq!(decode_component("a%20b+c"), "a b c");
        assert_eq!(decode_component("%E2%9C%93"), "✓");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz"), "%zz");
    }
}
