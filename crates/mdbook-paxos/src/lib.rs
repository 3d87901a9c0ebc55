//! # mdbook-paxos: live Paxos figures in an mdBook
//!
//! An [mdBook preprocessor](https://rust-lang.github.io/mdBook/for_developers/preprocessors.html), built on the
//! `mdbook-preprocessor` crate as mdbook-mermaid and mdbook-katex are. An author writes
//!
//! ````markdown
//! ```paxos
//! scenario = "dueling"
//! controls = ["timeline", "diagram"]
//! theme = "inherit"
//! ```
//! ````
//!
//! and the page gets a live playground figure in its place. The pieces:
//!
//! * [`block`] reads a block's TOML (the keys are the options of `mount()`, docs/embedding.md) and checks every key,
//!   type and vocabulary, so a mistake fails `mdbook build` with `src/chapter.md:12: key `scenario`: …`.
//! * [`chapter`] finds the blocks with a CommonMark parser and replaces each with a
//!   `<paxos-figure scenario="dueling" …>` element, which `figures.js` (web/figures.js) defines: each option an
//!   attribute in its URL parameter's text. Figures need no ids, so a chapter repeated in `print.html` works
//!   unchanged.
//! * How a page loads the playground: `book.toml` lists [`LOADER`] in `output.html.additional-js`, so mdBook puts
//!   one `<script>` on every page, `print.html` included, with the right path to the book's root however deep the
//!   chapter and whatever sub-path the book is served from. The loader fetches `playground/figures.js` (the
//!   playground's `dist/`, copied into the book's `src/playground/`) only on a page that holds a figure; that script
//!   downloads and compiles the playground once per page for all its figures. Why a loader and not
//!   `figures.js` itself: mdBook copies an `additional-js` file alone (from the book's root, renamed with a hash),
//!   while the playground's files must sit beside `figures.js`; `src/` is what mdBook copies whole.
//! * Each figure carries a picture of itself in the HTML ([`picture`]): the web app's own components rendered
//!   natively at the block's moment (or its run's end, `print = "end"`), styled by the playground's stylesheet, which
//!   `book.toml` lists as [`STYLE`] in `output.html.additional-css`. A reader sees the cluster before the playground
//!   has loaded, with JavaScript off, and in `print.html`; the playground takes its place once it has drawn.
//! * [`install`] sets a book up: it copies `dist/`, writes the loader and edits `book.toml`. With
//!   `[preprocessor.paxos] dist = "…"` the preprocessor refreshes the copy on every build, writing only files that
//!   changed, so `mdbook serve` does not rebuild in a loop.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

pub mod block;
pub mod chapter;
pub mod install;

/// The file `book.toml` lists in `output.html.additional-js`, at the book's root.
pub const LOADER: &str = "paxos-figures.js";

/// The loader's text (see the crate documentation).
pub const LOADER_JS: &str = include_str!("paxos-figures.js");

/// The playground's stylesheet (its `dist/style.css`, every rule inside `.paxos-playground`, so it styles the
/// figures' pictures and nothing else of the book), which `book.toml` lists in `output.html.additional-css`.
pub const STYLE: &str = "paxos-figures.css";

/// The folder under the book's `src/` that holds the playground's `dist/`.
pub const PLAYGROUND: &str = "playground";

/// The preprocessor, named `paxos` in `book.toml` (`[preprocessor.paxos]`).
pub struct PaxosPreprocessor;

impl Preprocessor for PaxosPreprocessor {
    fn name(&self) -> &str {
        "paxos"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> mdbook_preprocessor::errors::Result<Book> {
        check_setup(ctx)?;
        let src = ctx.config.book.src.clone();
        let mut errors = Vec::new();
        // Figures are numbered through the book, so their element ids stay unique in `print.html` too.
        let mut figures = 0;
        book.for_each_chapter_mut(|ch| {
            // A draft chapter has no file, and so no text.
            let Some(path) = &ch.source_path else { return };
            let mut picture = |options: &block::Options| {
                figures += 1;
                picture(options, figures)
            };
            match chapter::render(&ch.content, &mut picture) {
                Ok(content) => ch.content = content,
                Err(bad) => {
                    let file = src.join(path);
                    errors.extend(bad.into_iter().map(|e| format!("{}:{}: {}", file.display(), e.line, e.error)));
                }
            }
        });
        if !errors.is_empty() {
            let n = errors.len();
            let blocks = if n == 1 { "a bad paxos block" } else { "bad paxos blocks" };
            bail!("{blocks} ({n}):\n  {}", errors.join("\n  "));
        }
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> mdbook_preprocessor::errors::Result<bool> {
        Ok(renderer == "html")
    }
}

/// The picture figure `n` of the book (from 1) carries in the HTML: the playground as it first draws the block's
/// options, rendered natively by the web app's components (`paxos_web::prerender`), at the block's moment or, with
/// `print = "end"`, at the end of its run. Empty for options the playground would refuse (the block's checks make
/// that rare; the figure then says why when it starts).
pub fn picture(options: &block::Options, n: usize) -> String {
    // The block's protocol draws it, as it picks the module that draws the figure (web/figures.js).
    if options.get("compare").and_then(|c| c.as_bool()) == Some(true) {
        return compare_picture(options, n);
    }
    match options.get("protocol").and_then(|p| p.as_str()) {
        Some("raft") => picture_of::<paxos_sim::Raft>(options, n),
        _ => picture_of::<paxos_sim::Paxos>(options, n),
    }
}

/// [`picture`] of a Compare figure: Multi-Paxos and Raft side by side at the block's moment.
fn compare_picture(options: &block::Options, n: usize) -> String {
    figure_options::<paxos_sim::Raft>(options)
        .map_or_else(String::new, |o| paxos_web::prerender::compare_picture(o, &format!("f{n}-"), true))
}

fn picture_of<P: paxos_web::components::draw::Draw>(options: &block::Options, n: usize) -> String {
    figure_options::<P>(options).map_or_else(String::new, |o| paxos_web::prerender::picture(o, &format!("f{n}-"), true))
}

/// The options of protocol `P` a block's figure starts with, as `<paxos-figure>` reads its attributes, at the block's
/// moment or, with `print = "end"`, the end of its run; `None` for options the playground would refuse.
fn figure_options<P: paxos_web::protocol::Look>(options: &block::Options) -> Option<paxos_web::options::Options<P>> {
    use paxos_web::options::{Options, Source};
    let read = || -> Result<Options<P>, String> {
        let mut o = Options::default();
        o.set(Source::Attribute, "embed", "1")?;
        for (key, value) in options.iter().filter(|(k, _)| !block::PICTURE_KEYS.contains(&k.as_str())) {
            o.set(Source::Attribute, key, &chapter::attribute(key, value))?;
        }
        o.validate()
    };
    let mut o = read().ok()?;
    if options.get("print").and_then(|p| p.as_str()) == Some("end") {
        // A moment past the end is the end (the timeline stops at its last moment).
        o.step = Some(u64::MAX);
    }
    Some(o)
}

/// The preprocessor's own settings, `[preprocessor.paxos]` in `book.toml`.
fn dist_setting(ctx: &PreprocessorContext) -> Result<Option<PathBuf>> {
    ctx.config.get::<PathBuf>("preprocessor.paxos.dist").context("book.toml: `preprocessor.paxos.dist` must be a path")
}

/// Checks that the pages will load the figures, refreshing the playground's copy when `book.toml` says where
/// `dist/` is. Every failure says how to mend it.
fn check_setup(ctx: &PreprocessorContext) -> Result<()> {
    let js: Vec<PathBuf> = ctx.config.get("output.html.additional-js")?.unwrap_or_default();
    if !js.iter().any(|p| p == Path::new(LOADER)) {
        bail!(
            "book.toml: `output.html.additional-js` does not list \"{LOADER}\", so no page would load the figures: \
             run `mdbook-paxos install --dist PATH/TO/dist` in the book's folder, or add \
             `additional-js = [\"{LOADER}\"]` under `[output.html]`"
        );
    }
    let css: Vec<PathBuf> = ctx.config.get("output.html.additional-css")?.unwrap_or_default();
    if !css.iter().any(|p| p == Path::new(STYLE)) {
        bail!(
            "book.toml: `output.html.additional-css` does not list \"{STYLE}\", so the figures' pictures would be \
             unstyled: run `mdbook-paxos install --dist PATH/TO/dist` in the book's folder, or add \
             `additional-css = [\"{STYLE}\"]` under `[output.html]`"
        );
    }
    let root = &ctx.root;
    let playground = root.join(&ctx.config.book.src).join(PLAYGROUND);
    match dist_setting(ctx)? {
        Some(dist) => {
            install::sync_dir(&root.join(&dist), &playground)?;
            install::write_if_changed(&root.join(LOADER), LOADER_JS.as_bytes())?;
            install::write_style(&root.join(&dist), root)?;
        }
        None => {
            for needed in [playground.join("figures.js"), root.join(LOADER), root.join(STYLE)] {
                if !needed.is_file() {
                    bail!(
                        "{} is missing: run `mdbook-paxos install --dist PATH/TO/dist` in the book's folder, or set \
                         `dist = \"PATH/TO/dist\"` under `[preprocessor.paxos]` to copy it on every build",
                        needed.display()
                    );
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mdbook_preprocessor::book::Chapter;
    use mdbook_preprocessor::config::Config;

    /// A book folder with the loader and a playground in place, and its context.
    fn book_dir(name: &str, listed: bool) -> (PathBuf, PreprocessorContext) {
        let root = std::env::temp_dir().join(format!("mdbook-paxos-{name}-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src/playground")).unwrap();
        std::fs::write(root.join("src/playground/figures.js"), "").unwrap();
        std::fs::write(root.join(LOADER), LOADER_JS).unwrap();
        let mut config = Config::default();
        std::fs::write(root.join(STYLE), "").unwrap();
        if listed {
            config.set("output.html.additional-js", [LOADER]).unwrap();
            config.set("output.html.additional-css", [STYLE]).unwrap();
        }
        (root.clone(), PreprocessorContext::new(root, config, "html".into()))
    }

    fn book(chapters: &[(&str, &str)]) -> Book {
        let mut book = Book::new();
        for (path, text) in chapters {
            book.push_item(Chapter::new(path, text.to_string(), path, vec![]));
        }
        book
    }

    #[test]
    fn every_bad_block_of_the_book_is_named_by_file_line_and_key() {
        let (root, ctx) = book_dir("errors", true);
        let chapters = [
            ("intro.md", "# Intro\n\n```paxos\nscenario = \"dueling\"\n```\n"),
            ("safety/dueling.md", "# Dueling\n\ntext\n\n```paxos\ntheme = \"inherit\"\nscenario = \"duel\"\n```\n"),
            ("failures.md", "```paxos\nnodes = 5\ncontrol = [\"time\"]\n```\n"),
        ];
        let e = PaxosPreprocessor.run(&ctx, book(&chapters)).unwrap_err().to_string();
        assert!(e.starts_with("bad paxos blocks (2):\n"), "{e}");
        assert!(
            e.contains("\n  src/safety/dueling.md:7: key `scenario`: no scenario \"duel\"; the scenarios are"),
            "{e}"
        );
        assert!(e.contains("\n  src/failures.md:3: key `control`: unknown key (did you mean `controls`?)"), "{e}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn good_blocks_become_figures_in_every_chapter() {
        let (root, ctx) = book_dir("good", true);
        let chapters = [("a.md", "```paxos\n```\n"), ("b/c.md", "```paxos\nscenario = \"partition\"\n```\n")];
        let out = PaxosPreprocessor.run(&ctx, book(&chapters)).unwrap();
        let figures: Vec<usize> = out.chapters().map(|c| c.content.matches("<paxos-figure").count()).collect();
        assert_eq!(figures, [1, 1]);
        // Each carries its picture, numbered through the book; the HTML block it sits in has no blank line.
        for (c, n) in out.chapters().zip(1..) {
            assert!(c.content.contains("class=\"paxos-playground mounted paxos-static\""), "{}", c.content);
            assert!(c.content.contains(&format!(" id=\"f{n}-timeline\"")), "{}", c.content);
            let figure =
                &c.content[c.content.find("<paxos-figure").unwrap()..c.content.find("</paxos-figure>").unwrap()];
            assert!(!figure.contains("\n\n") && figure.contains("class=\"node up\""), "{figure}");
        }
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_picture_shows_the_blocks_moment_or_with_print_end_the_runs_end() {
        let block = |text: &str| block::parse(text).unwrap();
        let at = picture(&block("scenario = \"dueling\"\nmoment = 12"), 1);
        assert!(at.contains("moment 12 / 55"), "{at}");
        let end = picture(&block("scenario = \"dueling\"\nmoment = 12\nprint = \"end\""), 1);
        assert!(end.contains("moment 55 / 55"), "{end}");
        let e = block::parse("print = \"start\"").unwrap_err().to_string();
        assert!(e.contains("key `print`: must be \"moment\" or \"end\""), "{e}");
    }

    #[test]
    fn a_book_that_does_not_load_the_figures_fails_with_the_mend() {
        let (root, ctx) = book_dir("unlisted", false);
        let e = PaxosPreprocessor.run(&ctx, book(&[])).unwrap_err().to_string();
        assert!(e.contains("does not list \"paxos-figures.js\"") && e.contains("mdbook-paxos install"), "{e}");
        let (_, ctx) = book_dir("unlisted", true);
        std::fs::remove_file(root.join("src/playground/figures.js")).unwrap();
        let e = PaxosPreprocessor.run(&ctx, book(&[])).unwrap_err().to_string();
        assert!(e.contains("figures.js is missing: run `mdbook-paxos install"), "{e}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn only_the_html_renderer_gets_figures() {
        assert!(PaxosPreprocessor.supports_renderer("html").unwrap());
        assert!(!PaxosPreprocessor.supports_renderer("markdown").unwrap());
    }
}
