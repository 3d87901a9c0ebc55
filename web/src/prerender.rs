//! The first screen in the HTML: the app rendered natively, by the same components, with Yew's server-side
//! renderer. The page's `index.html` carries its first screen (`scripts/prerender.mjs`) and each figure of
//! `mdbook-paxos` its picture at the block's moment, so a reader sees the cluster before the wasm has arrived, with
//! JavaScript off, and in print. The app replaces it when it starts (ARCHITECTURE.md, "The first screen").

use yew::LocalServerRenderer;

use crate::components::app::{App, AppProps};
use crate::components::draw::Draw;
use crate::options::Options;

/// The scenarios and exercises compiled (the page fetches them on first use; here they are at hand).
pub const LESSONS: &str = include_str!("../../crates/paxos-sim/lessons.txt");

/// The HTML the app renders for `options` at its first frame (not hydratable: the app renders anew over it): the
/// page's when `figure` is `None`, else a figure's as `mount()` renders it, its element ids starting with the
/// prefix given (`AppState::ids`).
///
/// The drawing is carried twice, as a wide box and as a narrow one (a phone, a narrow column) draw it
/// (`geometry::COMPACT_BELOW`): which one shows is the drawing box's width, by a container query (web/style.css,
/// `.first-wide`), since the width is not known when the HTML is made. The rest of the screen is the same for both.
pub fn render<P: Draw>(options: Options<P>, figure: Option<&str>) -> String {
    render_with(options, figure, figure.is_some())
}

/// [`render`], with the timeline's marks placed by `style` attributes or not (a page under a strict
/// Content-Security-Policy refuses them; its picture's marks are hidden until the app places them).
fn render_with<P: Draw>(options: Options<P>, figure: Option<&str>, inline_style: bool) -> String {
    let wide = render_at(options.clone(), figure, 1000.0);
    let narrow = render_at(options, figure, 400.0);
    let (Some(w), Some(n)) =
        (element(&wide, "<div class=\"cluster-wrap"), element(&narrow, "<div class=\"cluster-wrap"))
    else {
        return wide;
    };
    let both = format!(
        "{}{}",
        wide[w.clone()].replacen("class=\"cluster-wrap", "class=\"first-wide cluster-wrap", 1),
        narrow[n].replacen("class=\"cluster-wrap", "class=\"first-narrow cluster-wrap", 1)
    );
    let both = plain_paint(&both.replacen("class=\"first-narrow ", "hidden=\"\" class=\"first-narrow ", 1));
    // Marked as a picture (`.app.picture`): what reads the page (its tests, a script) can tell it from the app.
    let html =
        format!("{}{both}{}", &wide[..w.start], &wide[w.end..]).replacen(" class=\"app ", " class=\"app picture ", 1);
    if inline_style {
        place_marks(&html)
    } else {
        html
    }
}

/// Places the timeline's marks, which the app places through the CSS object model (`components::timeline`), with
/// a `style` attribute, where the page allows them (a book's figures; the playground's own page forbids inline style
/// by its Content-Security-Policy, and its first screen, at moment 0, has no marks).
fn place_marks(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = rest.find(" data-left=\"") {
        let (head, tail) = rest.split_at(i);
        let value_end = tail[12..].find('"').map_or(tail.len(), |e| 12 + e + 1);
        let value = &tail[12..value_end.saturating_sub(1).max(12)];
        out.push_str(head);
        out.push_str(&format!(" style=\"left:{value}\""));
        out.push_str(&tail[..value_end]);
        rest = &tail[value_end..];
    }
    out.push_str(rest);
    out
}

/// A figure's picture, for a page that mounts it (`mount()`, `<paxos-figure>`): [`render`] as a figure, in the
/// element the mounted figure shows it through until it has drawn (web/src/web.rs, `.paxos-static`). The page must
/// link the playground's `style.css` for it.
/// `inline_style`: whether the page allows `style` attributes (see [`render_with`]).
pub fn picture<P: Draw>(options: Options<P>, ids: &str, inline_style: bool) -> String {
    let screen = render_with(options, Some(ids), inline_style);
    format!("<div class=\"paxos-playground mounted paxos-static\">{screen}</div>")
}

/// Compare's picture, for a page that mounts it (`compare` in `mount()`, `<paxos-figure compare>`, a book block):
/// Multi-Paxos and Raft side by side at the moment asked, as the mounted Compare first draws them (wide only: two
/// drawings side by side need a wide column). `inline_style`: see [`render_with`].
#[cfg(any(feature = "raft", test))]
pub fn compare_picture(options: Options<paxos_sim::Raft>, ids: &str, inline_style: bool) -> String {
    use crate::components::compare::{Compare, CompareProps};
    WIDTH.with(|w| w.set(1000.0));
    let remote = Some(crate::components::app::Remote::default());
    let props = CompareProps { options, notice: None, ids: ids.to_owned(), remote };
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("a current-thread runtime");
    let local = tokio::task::LocalSet::new();
    let html = mark_selected(
        &local.block_on(&rt, LocalServerRenderer::<Compare>::with_props(props).hydratable(false).render()),
    );
    let html = plain_paint(&html).replacen(" class=\"app ", " class=\"app picture ", 1);
    let html = if inline_style { place_marks(&html) } else { html };
    format!("<div class=\"paxos-playground mounted paxos-static\">{html}</div>")
}

/// The drawing's shapes with paint of their own, as SVG presentation attributes, for a reader that shows the HTML
/// without the stylesheet (a feed reader, a text browser's export): white discs with dark edges, grey links, no fill
/// on what is only a target for the pointer. The stylesheet's rules take precedence over these attributes, so with it
/// the picture is the app's. Only properties the stylesheet sets for the same shapes (web/style.css), so nothing
/// differs where it applies; the narrow drawing is `hidden` for the same reader (the stylesheet shows it).
fn plain_paint(html: &str) -> String {
    const PAINT: [(&str, &str); 6] = [
        ("class=\"disc\"", "fill=\"#fff\" stroke=\"#1a1a1a\" stroke-width=\"2.5\" "),
        ("class=\"ring ", "fill=\"none\" "),
        ("class=\"lane\"", "stroke=\"#9a978f\" stroke-width=\"1.6\" "),
        ("class=\"link-hit\"", "stroke=\"transparent\" "),
        ("class=\"msg-hit\"", "fill=\"transparent\" "),
        ("class=\"timer-arc\"", "fill=\"none\" stroke=\"#CC79A7\" stroke-width=\"5\" "),
    ];
    PAINT.iter().fold(html.to_owned(), |html, (class, paint)| html.replace(class, &format!("{paint}{class}")))
}

thread_local! {
    static WIDTH: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The drawing box's width the screen is being rendered for (`components::canvas::use_width` starts from it).
pub fn width() -> f64 {
    WIDTH.with(|w| w.get())
}

fn render_at<P: Draw>(options: Options<P>, figure: Option<&str>, width: f64) -> String {
    WIDTH.with(|w| w.set(width));
    // A mounted figure has a remote (the handle `mount()` returns), which tells it from an iframe's page.
    let remote = figure.map(|_| crate::components::app::Remote::default());
    let props = AppProps { options, remote, ids: figure.unwrap_or_default().to_owned(), ..AppProps::default() };
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("a current-thread runtime");
    let local = tokio::task::LocalSet::new();
    mark_selected(&local.block_on(&rt, LocalServerRenderer::<App<P>>::with_props(props).hydratable(false).render()))
}

/// Where the `<div>` that starts with `start` begins and ends in `html` (its closing tag included).
fn element(html: &str, start: &str) -> Option<std::ops::Range<usize>> {
    let from = html.find(start)?;
    let mut depth = 0usize;
    let mut at = from;
    loop {
        let open = html[at..].find("<div").map(|i| at + i);
        let close = html[at..].find("</div>").map(|i| at + i)?;
        match open {
            Some(o) if o < close => {
                depth += 1;
                at = o + 4;
            }
            _ => {
                depth -= 1;
                at = close + 6;
                if depth == 0 {
                    return Some(from..at);
                }
            }
        }
    }
}

/// Marks each select's chosen option. The app sets a select's choice through its `value` property after rendering
/// (`components::use_select_value`), which markup cannot hold: the select carries the value as an attribute, read
/// here and moved to its option as `selected`, so the first screen shows what the app will.
fn mark_selected(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<select") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find("</select>").unwrap_or(rest.len());
        let (select, after) = rest.split_at(end);
        let tag_end = select.find('>').map_or(select.len(), |t| t + 1);
        let (tag, options) = select.split_at(tag_end);
        let value = tag.split_once(" value=\"").and_then(|(_, v)| v.split_once('"')).map(|(v, _)| v);
        match value {
            Some(v) => {
                out.push_str(&tag.replacen(&format!(" value=\"{v}\""), "", 1));
                let option = format!("<option value=\"{v}\"");
                out.push_str(&options.replacen(&option, &format!("<option selected value=\"{v}\""), 1));
            }
            None => out.push_str(select),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_screen_draws_every_node_and_shows_each_choice() {
        let html = render(Options::<paxos_sim::Paxos>::default(), None);
        assert_eq!(html.matches("class=\"node up\"").count(), 6, "three nodes, drawn wide and narrow: {html}");
        assert_eq!(html.matches("class=\"node-info\"").count(), 3, "the text beside the nodes, in the wide one only");
        assert!(html.contains("<option selected value=\"2\">1×</option>"), "the speed shown: {html}");
        assert!(!html.contains("<select id=\"speed\" value="), "a select keeps no value attribute");
        assert!(!html.contains("style="), "nothing inline: the page's Content-Security-Policy forbids it");
        assert!(html.contains(" class=\"app picture "), "marked as a picture: {html}");
    }

    #[test]
    fn a_raft_scenario_is_drawn_with_terms_roles_and_logs() {
        use paxos_sim::Raft;
        let html = render(Options::<Raft>::from_url("?protocol=raft", "").unwrap(), None);
        assert!(html.contains("<h1>Raft playground</h1>") && html.contains("Raft gets a cluster"), "{html}");
        assert!(
            !html.contains("Phase-1 quorum") && html.contains("Enable bug: commit-old-term"),
            "Raft's form: {html}"
        );
        // Figure 8 at its end: five servers, a leader crowned, each node's term inside it and its log beneath.
        let end = LESSONS.lines().skip_while(|l| *l != "scenario raft-figure-8").filter_map(|l| l.strip_prefix("end "));
        let end: u64 = end.last().unwrap().parse().unwrap();
        let url = format!("?protocol=raft&scenario=raft-figure-8&embed=1&moment={end}");
        let html = render(Options::<Raft>::from_url(&url, "").unwrap(), Some("f1-"));
        assert_eq!(
            html.matches("class=\"node up").count() + html.matches("class=\"node crashed").count(),
            10,
            "{html}"
        );
        assert!(html.contains("class=\"crown"), "a leader: {html}");
        assert!(html.contains(">t6</text>") || html.contains(">t5</text>"), "terms inside the nodes: {html}");
        assert_eq!(html.matches("class=\"rl-row").count(), 5, "a log strip per node: {html}");
        assert!(html.contains("class=\"rl-entry committed\"") && html.contains("class=\"rl-commit\""), "{html}");
        assert!(html.contains("aria-label=\"Node 0, "), "{html}");
    }

    #[test]
    fn compare_is_drawn_with_both_runs_and_their_differences() {
        let url = "?compare=1&scenario=raft-up-to-date&embed=1&moment=113";
        let html = compare_picture(Options::<paxos_sim::Raft>::from_url(url, "").unwrap(), "f2-", true);
        assert_eq!(html.matches("class=\"compare-side\"").count(), 2, "{html}");
        assert_eq!(html.matches(" class=\"node up").count(), 6, "three nodes a side: {html}");
        assert!(
            html.contains("leading, ballot 3.2") || html.contains("ballot 3.2"),
            "Multi-Paxos at Raft's time: {html}"
        );
        assert!(
            html.contains("Node 2 cannot become Raft&#x27;s leader in term 4")
                || html.contains("Node 2 cannot become Raft's leader in term 4"),
            "{html}"
        );
        assert!(html.contains(" id=\"f2-play\"") && html.contains(" id=\"f2-p-safety\""), "ids prefixed: {html}");
    }

    #[test]
    fn a_scenario_is_drawn_at_its_moment_with_its_narration() {
        let options = Options::<paxos_sim::Paxos>::from_url("?scenario=dueling&embed=1&moment=12", "").unwrap();
        let html = render(options, Some("f1-"));
        assert!(!html.contains(" id=\"timeline\"") && html.contains(" id=\"f1-timeline\""), "{html}");
        assert!(html.contains("moment 12 / "), "{html}");
        assert!(
            html.contains("<span style=\"left:86.07%\" data-left=\"86.07%\" class=\"tl-marks\">"),
            "a mark placed: {html}"
        );
        assert_eq!(html.matches("class=\"node up\"").count(), 6, "{html}");
    }
}
