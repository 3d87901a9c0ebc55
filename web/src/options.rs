//! How a page asks for a playground: the full page, an iframe with URL parameters, or `mount(element, options)`
//! from JavaScript. Both embeddings read the same [`Options`]; bad options are errors that name the option.
//! Plain Rust, tested natively.

use serde::Deserialize;

/// The panels a playground can show. An embedding lists the ones it wants; the full page shows them all.
pub const PANELS: [&str; 12] = [
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
];

/// What an embedding shows when it does not say.
pub const EMBED_DEFAULT: [&str; 5] = ["time", "timeline", "propose", "outcome", "diagram"];

/// Light or dark colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow the reader's system setting.
    #[default]
    Auto,
    /// Dark text on light.
    Light,
    /// Light text on dark.
    Dark,
}

/// A playground's start-up options.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Options {
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
    /// Keep the address bar's `#run=` in step with the run (the full page and iframes; not `mount`).
    pub sync_url: bool,
    /// Start the guided tour.
    pub tour: bool,
}

impl Default for Options {
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
        }
    }
}

impl Options {
    /// Checks what serde cannot: panel names, the scenario id.
    pub fn validate(self) -> Result<Options, String> {
        if let Some(c) = &self.controls {
            if let Some(bad) = c.iter().find(|p| !PANELS.contains(&p.as_str())) {
                return Err(format!("option `controls`: unknown panel “{bad}”; the panels are {}", PANELS.join(", ")));
            }
        }
        if let Some(id) = &self.scenario {
            if paxos_sim::scenario::find(id).is_none() {
                let ids: Vec<_> = paxos_sim::scenario::all().iter().map(|s| s.id).collect();
                return Err(format!("option `scenario`: no scenario “{id}”; the scenarios are {}", ids.join(", ")));
            }
        }
        Ok(self)
    }

    /// Whether a panel is shown.
    pub fn shows(&self, panel: &str) -> bool {
        match &self.controls {
            Some(c) => c.iter().any(|p| p == panel),
            None if self.embed => EMBED_DEFAULT.contains(&panel),
            None => true,
        }
    }

    /// Reads a page address's query (`?embed=1&scenario=dueling&controls=time,propose&step=40&autoplay=1&theme=dark`)
    /// and fragment (`#run=1.…`). Unknown parameters are errors that name them.
    pub fn from_url(search: &str, hash: &str) -> Result<Options, String> {
        let mut o = Options::default();
        for pair in search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = decode_component(v);
            let flag = |v: &str| match v {
                "" | "1" | "true" | "yes" => Ok(true),
                "0" | "false" | "no" => Ok(false),
                _ => Err(format!("URL parameter `{k}` must be 1 or 0, not “{v}”")),
            };
            match k {
                "embed" => o.embed = flag(&v)?,
                "autoplay" => o.autoplay = flag(&v)?,
                "tour" => o.tour = flag(&v)?,
                "scenario" => o.scenario = Some(v),
                "controls" => o.controls = Some(v.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()),
                "step" => {
                    o.step =
                        Some(v.parse().map_err(|_| format!("URL parameter `step` must be a whole number, not “{v}”"))?)
                }
                "theme" => {
                    o.theme = match v.as_str() {
                        "light" => Theme::Light,
                        "dark" => Theme::Dark,
                        "auto" => Theme::Auto,
                        _ => return Err(format!("URL parameter `theme` must be light, dark or auto, not “{v}”")),
                    }
                }
                // Harmless parameters the page itself or its tests use.
                "panic-test" => {}
                _ => return Err(format!("unknown URL parameter `{k}`")),
            }
        }
        if let Some(run) = hash.trim_start_matches('#').strip_prefix("run=") {
            o.run = Some(run.to_owned());
        }
        o.validate()
    }
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

    #[test]
    fn the_full_page_shows_everything_and_an_embed_its_defaults() {
        let full = Options::default();
        assert!(PANELS.iter().all(|p| full.shows(p)));
        let embed = Options { embed: true, ..Options::default() };
        assert!(embed.shows("propose") && !embed.shows("setup"));
        let chosen = Options { embed: true, controls: Some(vec!["log".into()]), ..Options::default() };
        assert!(chosen.shows("log") && !chosen.shows("propose"));
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
    }

    #[test]
    fn query_components_are_percent_decoded() {
        assert_eq!(decode_component("a%20b+c"), "a b c");
        assert_eq!(decode_component("%E2%9C%93"), "✓");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz"), "%zz");
    }
}
