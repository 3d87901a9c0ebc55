//! `mdbook-paxos install`: sets a book up for figures, and the copying the preprocessor repeats on each build.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context, Result};
use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::{LOADER, LOADER_JS, PLAYGROUND, STYLE};

/// Writes `bytes` to `path` unless it already holds them: an unchanged file keeps its time stamp, so a watcher
/// (`mdbook serve`) sees no change. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// Copies every file of `from` (the playground's `dist/`) into `to`, writing only the files that differ. Returns how
/// many it wrote.
pub fn sync_dir(from: &Path, to: &Path) -> Result<usize> {
    if !from.join("figures.js").is_file() || !from.join("paxos-web.js").is_file() {
        bail!(
            "{} is not a built playground (no figures.js and paxos-web.js in it): build it with \
             `trunk build --release --offline` in the playground's repository",
            from.display()
        );
    }
    let mut written = 0;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        let entries = fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(rel);
            } else {
                let bytes =
                    fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
                written += usize::from(write_if_changed(&to.join(&rel), &bytes)?);
            }
        }
    }
    Ok(written)
}

/// Writes the playground's stylesheets (`dist/style.css`, then `dist/raft.css`, the Raft and Compare figures' rules)
/// to the book's root as [`STYLE`], for the figures' pictures.
pub fn write_style(dist: &Path, book: &Path) -> Result<bool> {
    let mut css = Vec::new();
    for name in ["style.css", "raft.css"] {
        let from = dist.join(name);
        css.extend(fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?);
        css.push(b'\n');
    }
    write_if_changed(&book.join(STYLE), &css)
}

/// What [`install`] did, for its report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Installed {
    /// Files of the playground written (those that differed).
    pub files: usize,
    /// Whether `book.toml` changed.
    pub config_changed: bool,
}

/// Sets up the book at `book` (the folder of its `book.toml`): copies `dist` into `src/playground/`, writes the
/// loader and the stylesheet, and adds `[preprocessor.paxos]`, the loader to `output.html.additional-js` and the
/// stylesheet to `output.html.additional-css` in `book.toml`, keeping its
/// comments and order. With `sync`, `book.toml` records where `dist` is (relative to the book), and each build
/// refreshes the copy. Running it again changes nothing that is already right.
pub fn install(book: &Path, dist: &Path, sync: bool) -> Result<Installed> {
    let toml_path = book.join("book.toml");
    let text = fs::read_to_string(&toml_path)
        .with_context(|| format!("cannot read {} (is {} an mdBook?)", toml_path.display(), book.display()))?;
    let mut doc: DocumentMut = text.parse().with_context(|| format!("{} is not TOML", toml_path.display()))?;
    let src = doc.get("book").and_then(|b| b.get("src")).and_then(Item::as_str).unwrap_or("src").to_owned();

    let files = sync_dir(dist, &book.join(&src).join(PLAYGROUND))?;
    write_if_changed(&book.join(LOADER), LOADER_JS.as_bytes())?;
    write_style(dist, book)?;

    let dist_setting = sync.then(|| relative_to(dist, book)).transpose()?;
    edit_config(&mut doc, dist_setting.as_deref())?;
    let new = doc.to_string();
    let config_changed = new != text;
    if config_changed {
        fs::write(&toml_path, new).with_context(|| format!("cannot write {}", toml_path.display()))?;
    }
    Ok(Installed { files, config_changed })
}

/// Adds what the figures need to a `book.toml`.
pub fn edit_config(doc: &mut DocumentMut, dist: Option<&str>) -> Result<()> {
    fn table<'a>(parent: &'a mut Table, name: &str) -> Result<&'a mut Table> {
        let item = parent.entry(name).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        item.as_table_mut().with_context(|| format!("book.toml: `{name}` must be a table"))
    }
    let pre = table(table(doc.as_table_mut(), "preprocessor")?, "paxos")?;
    pre.set_implicit(false);
    if let Some(dist) = dist {
        pre["dist"] = toml_edit::value(dist);
    }
    let html = table(table(doc.as_table_mut(), "output")?, "html")?;
    html.set_implicit(false);
    let js = html.entry("additional-js").or_insert_with(|| toml_edit::value(Array::new()));
    let js = js.as_array_mut().context("book.toml: `output.html.additional-js` must be a list")?;
    if !js.iter().any(|v| v.as_str() == Some(LOADER)) {
        js.push(Value::from(LOADER));
    }
    let css = html.entry("additional-css").or_insert_with(|| toml_edit::value(Array::new()));
    let css = css.as_array_mut().context("book.toml: `output.html.additional-css` must be a list")?;
    if !css.iter().any(|v| v.as_str() == Some(STYLE)) {
        css.push(Value::from(STYLE));
    }
    Ok(())
}

/// `path` relative to `base`, in forward slashes, as `book.toml` keeps paths.
fn relative_to(path: &Path, base: &Path) -> Result<String> {
    let abs = |p: &Path| p.canonicalize().with_context(|| format!("{} does not exist", p.display()));
    let (path, base) = (abs(path)?, abs(base)?);
    let (p, b): (Vec<Component>, Vec<Component>) = (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(p[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    Ok(if parts.is_empty() { ".".into() } else { parts.join("/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str, dist: Option<&str>) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        edit_config(&mut doc, dist).unwrap();
        doc.to_string()
    }

    #[test]
    fn install_adds_the_preprocessor_and_the_loader_keeping_the_rest() {
        let book = "[book]\ntitle = \"A book\" # ours\n\n[output.html]\ndefault-theme = \"coal\"\n";
        assert_eq!(
            edited(book, None),
            "[book]\ntitle = \"A book\" # ours\n\n[output.html]\ndefault-theme = \"coal\"\nadditional-js = \
             [\"paxos-figures.js\"]\nadditional-css = [\"paxos-figures.css\"]\n\n[preprocessor.paxos]\n"
        );
        let once = edited(book, Some("../dist"));
        assert!(once.contains("[preprocessor.paxos]\ndist = \"../dist\"\n"), "{once}");
        assert_eq!(edited(&once, Some("../dist")), once, "a second install changes nothing");
    }

    #[test]
    fn install_keeps_other_scripts() {
        let book = "[output.html]\nadditional-js = [\"mermaid.min.js\"]\n";
        assert!(edited(book, None).contains("additional-js = [\"mermaid.min.js\", \"paxos-figures.js\"]"));
    }

    #[test]
    fn a_book_without_an_html_table_gets_one() {
        let out = edited("[book]\ntitle = \"x\"\n", None);
        assert!(out.contains("[output.html]\nadditional-js = [\"paxos-figures.js\"]"), "{out}");
    }

    #[test]
    fn files_are_written_only_when_they_differ() {
        let dir = std::env::temp_dir().join(format!("mdbook-paxos-test-{}", std::process::id()));
        let (dist, to) = (dir.join("dist"), dir.join("book/src/playground"));
        fs::create_dir_all(dist.join("sub")).unwrap();
        for (f, t) in [("figures.js", "a"), ("paxos-web.js", "b"), ("sub/c.txt", "c")] {
            fs::write(dist.join(f), t).unwrap();
        }
        assert_eq!(sync_dir(&dist, &to).unwrap(), 3);
        assert_eq!(sync_dir(&dist, &to).unwrap(), 0, "nothing changed, nothing written");
        fs::write(dist.join("figures.js"), "a2").unwrap();
        assert_eq!(sync_dir(&dist, &to).unwrap(), 1);
        assert_eq!(fs::read_to_string(to.join("sub/c.txt")).unwrap(), "c");
        assert_eq!(relative_to(&dist, &dir.join("book")).unwrap(), "../dist");
        let err = sync_dir(&dir.join("book"), &to).unwrap_err().to_string();
        assert!(err.contains("is not a built playground"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
