//! Finding the ```` ```paxos ```` blocks of a chapter and putting a figure in the place of each.
//!
//! The blocks are found by a CommonMark parser (the one mdBook uses), not by matching lines: a ```` ```paxos ````
//! shown inside a longer fence, as a chapter that teaches the syntax does, stays a code block.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::block::{self, BlockError};

/// A bad block in a chapter: the chapter's line (from 1) and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChapterError {
    /// The line of the chapter's source file the mistake is on.
    pub line: usize,
    /// The mistake.
    pub error: BlockError,
}

/// The chapter's text with every `paxos` block replaced by its figure, or every bad block it holds.
pub fn render(markdown: &str) -> Result<String, Vec<ChapterError>> {
    let mut out = String::with_capacity(markdown.len());
    let mut errors = Vec::new();
    let mut copied = 0;
    let mut open: Option<(std::ops::Range<usize>, String)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_paxos(&info) => {
                open = Some((range, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = &mut open {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((block, body)) = open.take() else { continue };
                let fence_line = markdown[..block.start].matches('\n').count() + 1;
                out.push_str(&markdown[copied..block.start]);
                match block::parse(&body) {
                    Ok(options) => out.push_str(&figure(&options)),
                    Err(error) => errors.push(ChapterError { line: fence_line + error.line, error }),
                }
                // The block's range ends after its closing fence's line break, when it has one.
                copied = block.end;
                if markdown[..copied].ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    out.push_str(&markdown[copied..]);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Whether a fence's info string asks for a figure: its first word is `paxos`.
fn is_paxos(info: &str) -> bool {
    info.split(|c: char| c.is_whitespace() || c == ',').next() == Some("paxos")
}

/// The figure's element: `figures.js` (loaded once per page, see [`crate::LOADER`]) mounts a playground in every
/// element with a `data-paxos` attribute. Readers without JavaScript see a line that says what is missing. One line
/// of HTML, so Markdown keeps it a single HTML block wherever the fence stood.
pub fn figure(options: &block::Options) -> String {
    let json = serde_json::Value::Object(options.clone()).to_string();
    let what = match options.get("scenario").and_then(|s| s.as_str()) {
        Some(id) => format!("the “{id}” scenario"),
        None => "a Paxos cluster".to_owned(),
    };
    format!(
        "<div class=\"paxos-figure\" data-paxos=\"{}\"><noscript>A live Paxos playground figure ({}) is here; it \
         needs JavaScript.</noscript></div>",
        escape(&json),
        escape(&what)
    )
}

/// Text made safe inside a double-quoted HTML attribute or an element.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_becomes_a_figure_and_the_rest_is_kept() {
        let md = "# Dueling\n\nText before.\n\n```paxos\nscenario = \"dueling\"\n```\n\nText after.\n";
        let out = render(md).unwrap();
        assert_eq!(
            out,
            "# Dueling\n\nText before.\n\n<div class=\"paxos-figure\" data-paxos=\"{&quot;scenario&quot;:&quot;\
             dueling&quot;}\"><noscript>A live Paxos playground figure (the “dueling” scenario) is here; it needs \
             JavaScript.</noscript></div>\n\nText after.\n"
        );
    }

    #[test]
    fn two_blocks_two_figures_and_other_code_untouched() {
        let md = "```paxos\n```\n\n```rust\nfn main() {}\n```\n\n~~~paxos\nnodes = 5\n~~~";
        let out = render(md).unwrap();
        assert_eq!(out.matches("class=\"paxos-figure\"").count(), 2);
        assert!(out.contains("```rust\nfn main() {}\n```"));
        assert!(out.ends_with("{&quot;nodes&quot;:5}\"><noscript>A live Paxos playground figure (a Paxos cluster) is here; it needs JavaScript.</noscript></div>"));
    }

    #[test]
    fn a_block_shown_inside_a_longer_fence_stays_code() {
        let md = "````markdown\n```paxos\nscenario = \"nope\"\n```\n````\n";
        assert_eq!(render(md).unwrap(), md);
    }

    #[test]
    fn errors_carry_the_chapter_line_of_the_key() {
        let md = "# T\n\n```paxos\nscenario = \"dueling\"\nthem = \"dark\"\n```\n\ntext\n\n```paxos\nnodes = 2\n```\n";
        let errors = render(md).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| (e.line, e.error.key.clone())).collect();
        assert_eq!(lines, [(5, Some("them".to_owned())), (11, Some("nodes".to_owned()))]);
    }

    #[test]
    fn values_cannot_break_out_of_the_attribute() {
        let md = "```paxos\nrun = \"1.A\\\"><script>alert(1)</script>&'\"\n```\n";
        let out = render(md).unwrap();
        assert!(!out.contains("<script>") && !out.contains("\\\">"), "{out}");
        assert!(out.contains("&lt;script&gt;") && out.contains("&amp;&#39;"));
    }

    #[test]
    fn info_strings() {
        assert!(is_paxos("paxos") && is_paxos("paxos title") && is_paxos("paxos,ignore"));
        assert!(!is_paxos("paxosx") && !is_paxos("rust") && !is_paxos(""));
    }
}
