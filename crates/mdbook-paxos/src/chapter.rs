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

/// The chapter's text with every `paxos` block replaced by its figure, or every bad block it holds. `picture` makes
/// the picture a figure carries in the HTML ([`crate::picture`]; an empty one leaves it out).
pub fn render(markdown: &str, picture: &mut dyn FnMut(&block::Options) -> String) -> Result<String, Vec<ChapterError>> {
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
                // The figure is an HTML block of several lines: each line after the first carries the container
                // marks the fence's line has (`> ` in a quote, spaces in a list item), and a blank line comes
                // before it where the fence followed a paragraph (a fence may interrupt one, such a block may not)
                // and after it where text follows (or the text would be part of the block).
                let line_start = markdown[..block.start].rfind('\n').map_or(0, |i| i + 1);
                let inside: String = markdown[line_start..block.start]
                    .chars()
                    .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
                    .collect();
                let blank = |line: Option<&str>| line.is_none_or(|l| l.chars().all(|c| c == '>' || c.is_whitespace()));
                match block::parse(&body) {
                    Ok(options) => {
                        if !blank(markdown[..line_start].lines().next_back()) {
                            out.push('\n');
                            out.push_str(&inside);
                        }
                        out.push_str(&figure(&options, &picture(&options)).replace('\n', &format!("\n{inside}")));
                    }
                    Err(error) => errors.push(ChapterError { line: fence_line + error.line, error }),
                }
                // The block's range ends after its closing fence's line break, or just before it.
                copied = block.end;
                if !markdown[..copied].ends_with('\n') && markdown[copied..].starts_with('\n') {
                    copied += 1;
                }
                if markdown[..copied].ends_with('\n') {
                    out.push('\n');
                    if !blank(markdown[copied..].lines().next()) {
                        out.push_str(inside.trim_end());
                        out.push('\n');
                    }
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

/// The figure's element, `<paxos-figure>`: `figures.js` (loaded once per page, see [`crate::LOADER`]) defines it,
/// and each option is an attribute holding its URL parameter's text ([`attribute`]). Inside it, the `picture` (one
/// line): what the reader sees before the playground starts, with JavaScript off and in `print.html`. Readers without
/// JavaScript also see a line that says what is missing. The open tag is alone on its line, so Markdown reads the
/// lines as one HTML block (an element name of our own starts one only so), up to the next blank line.
pub fn figure(options: &block::Options, picture: &str) -> String {
    let what = match options.get("scenario").and_then(|s| s.as_str()) {
        Some(id) => format!("the “{id}” scenario"),
        None => "a Paxos cluster".to_owned(),
    };
    let attributes: String = options
        .iter()
        .filter(|(k, _)| !block::PICTURE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| format!(" {k}=\"{}\"", escape(&attribute(k, v))))
        .collect();
    let picture = if picture.is_empty() { String::new() } else { format!("{picture}\n") };
    format!(
        "<paxos-figure{attributes}>\n{picture}<noscript>A live Paxos playground figure ({}) is here; it needs \
         JavaScript.</noscript>\n</paxos-figure>",
        escape(&what)
    )
}

/// A block's value as its attribute's text, the text its URL parameter holds: a list joined by commas, a latency
/// range `min-max`, a number or a flag as written.
pub fn attribute(key: &str, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| attribute(key, v)).collect();
            items.join(if key == "latency" { "-" } else { "," })
        }
        v => v.to_string(),
    }
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

    const NOSCRIPT: &str = "<noscript>A live Paxos playground figure (a Paxos cluster) is here; it needs \
                            JavaScript.</noscript>";

    #[test]
    fn a_block_becomes_a_figure_and_the_rest_is_kept() {
        let md = "# Dueling\n\nText before.\n\n```paxos\nscenario = \"dueling\"\n```\n\nText after.\n";
        let out = render(md, &mut |_| String::new()).unwrap();
        assert_eq!(
            out,
            "# Dueling\n\nText before.\n\n<paxos-figure scenario=\"dueling\">\n<noscript>A live Paxos playground \
             figure (the “dueling” scenario) is here; it needs JavaScript.</noscript>\n</paxos-figure>\n\nText after.\n"
        );
    }

    #[test]
    fn options_are_attributes_in_the_text_of_their_url_parameters() {
        let md = "```paxos\ncontrols = [\"timeline\", \"diagram\"]\nlatency = [5, 15]\nloss = 2.5\nnodes = 5\n\
                  autoplay = true\n```\n";
        let out = render(md, &mut |_| String::new()).unwrap();
        let tag = "<paxos-figure autoplay=\"true\" controls=\"timeline,diagram\" latency=\"5-15\" loss=\"2.5\" \
                   nodes=\"5\">";
        assert_eq!(out, format!("{tag}\n{NOSCRIPT}\n</paxos-figure>\n"));
    }

    #[test]
    fn two_blocks_two_figures_and_other_code_untouched() {
        let md = "```paxos\n```\n\n```rust\nfn main() {}\n```\n\n~~~paxos\nnodes = 5\n~~~";
        let out = render(md, &mut |_| String::new()).unwrap();
        assert_eq!(out.matches("<paxos-figure").count(), 2);
        assert!(out.contains("```rust\nfn main() {}\n```"));
        assert!(out.ends_with(&format!("<paxos-figure nodes=\"5\">\n{NOSCRIPT}\n</paxos-figure>")), "{out}");
    }

    /// What CommonMark makes of the output: the figure's lines are one HTML block, in place, with the text around
    /// it still Markdown, wherever the fence stood.
    fn html(md: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, Parser::new(&render(md, &mut |_| String::new()).unwrap()));
        out
    }

    #[test]
    fn the_figure_is_one_html_block_after_a_paragraph_in_a_quote_and_in_a_list() {
        let figure = format!("<paxos-figure>\n{NOSCRIPT}\n</paxos-figure>\n");
        // A fence may interrupt a paragraph, and text may follow its closing fence at once.
        let out = html("Text *before*.\n```paxos\n```\nText *after*.\n");
        assert_eq!(out, format!("<p>Text <em>before</em>.</p>\n{figure}<p>Text <em>after</em>.</p>\n"));
        let out = html("> Quoted.\n> ```paxos\n> ```\n> More.\n\nOut.\n");
        assert_eq!(out, format!("<blockquote>\n<p>Quoted.</p>\n{figure}<p>More.</p>\n</blockquote>\n<p>Out.</p>\n"));
        // (The blank lines around it make a list loose: its items' text becomes paragraphs.)
        let out = html("- one\n- ```paxos\n  ```\n- three\n");
        assert!(out.contains(&format!("<li>{figure}</li>")) && out.contains("<li>\n<p>three</p>\n</li>"), "{out}");
        let out = html("1. First:\n\n   ```paxos\n   ```\n\n   Then.\n");
        assert!(out.contains(&format!("<p>First:</p>\n{figure}<p>Then.</p>\n</li>")), "{out}");
    }

    #[test]
    fn a_block_shown_inside_a_longer_fence_stays_code() {
        let md = "````markdown\n```paxos\nscenario = \"nope\"\n```\n````\n";
        assert_eq!(render(md, &mut |_| String::new()).unwrap(), md);
    }

    #[test]
    fn errors_carry_the_chapter_line_of_the_key() {
        let md = "# T\n\n```paxos\nscenario = \"dueling\"\nthem = \"dark\"\n```\n\ntext\n\n```paxos\nnodes = 2\n```\n";
        let errors = render(md, &mut |_| String::new()).unwrap_err();
        let lines: Vec<_> = errors.iter().map(|e| (e.line, e.error.key.clone())).collect();
        assert_eq!(lines, [(5, Some("them".to_owned())), (11, Some("nodes".to_owned()))]);
    }

    #[test]
    fn values_cannot_break_out_of_the_attribute() {
        let md = "```paxos\nrun = \"1.A\\\"><script>alert(1)</script>&'\"\n```\n";
        let out = render(md, &mut |_| String::new()).unwrap();
        assert!(!out.contains("<script>") && !out.contains("\\\">"), "{out}");
        assert!(out.contains("&lt;script&gt;") && out.contains("&amp;&#39;"));
    }

    #[test]
    fn info_strings() {
        assert!(is_paxos("paxos") && is_paxos("paxos title") && is_paxos("paxos,ignore"));
        assert!(!is_paxos("paxosx") && !is_paxos("rust") && !is_paxos(""));
    }
}
