//! The page around a playground: which colours it uses (for `theme: "inherit"`) and what it posts to an iframe.
//! Browser-only; the reducer never reads the page.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::options::Theme;
use crate::state::Action;

/// What the page around an iframe posts to set its theme: `{ type: "paxos-playground:theme", theme: "dark" }` (any
/// value of the `theme` option). See docs/embedding.md.
pub const THEME_MESSAGE: &str = "paxos-playground:theme";

/// Whether a computed `background-color` (`rgb(r, g, b)` or `rgba(r, g, b, a)`) is dark, or `None` when it is
/// transparent, translucent or in a notation this does not read (the caller then looks further out). Integers only:
/// the float parser would cost the download 8 KB.
pub fn dark_background(css: &str) -> Option<bool> {
    let inner = css.trim().strip_prefix("rgba(").or_else(|| css.trim().strip_prefix("rgb("))?.strip_suffix(')')?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let (rgb, alpha) = match parts.as_slice() {
        [r, g, b] => ([*r, *g, *b], None),
        [r, g, b, a] => ([*r, *g, *b], Some(*a)),
        _ => return None,
    };
    // Opaque enough to be what the reader sees: an alpha of 1, or written without a leading `0`/`.` (e.g. `1`).
    if alpha.is_some_and(|a| a.starts_with('0') || a.starts_with('.')) {
        return None;
    }
    let [r, g, b] = rgb.map(|c| c.split('.').next().and_then(|c| c.parse::<u32>().ok()));
    let (r, g, b) = (r?, g?, b?);
    // Perceived brightness (ITU-R BT.601 weights), 0–255.
    Some((299 * r + 587 * g + 114 * b) / 1000 < 128)
}

/// Whether the page around `root` is dark: the background of the nearest element around the figure that paints
/// one (the shadow root's host and its ancestors, out through any shadow root the figure sits in, as inside another
/// framework's component), else the reader's system setting.
fn page_is_dark(root: &web_sys::Element) -> bool {
    let w = gloo::utils::window();
    let around = |el: &web_sys::Element| {
        el.parent_element().or_else(|| el.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok().map(|s| s.host()))
    };
    let mut at = around(root);
    while let Some(el) = at {
        let bg = w.get_computed_style(&el).ok().flatten().and_then(|s| s.get_property_value("background-color").ok());
        if let Some(dark) = bg.as_deref().and_then(dark_background) {
            return dark;
        }
        at = around(&el);
    }
    system_is_dark()
}

fn system_is_dark() -> bool {
    gloo::utils::window().match_media("(prefers-color-scheme: dark)").ok().flatten().is_some_and(|m| m.matches())
}

/// For a mounted figure with `theme: "inherit"`: whether the page around it is dark, read now and again whenever
/// the page may have switched theme (a class, style or data attribute of `<html>` or `<body>` changed, as mdBook's
/// and MkDocs' theme pickers do, or the system setting changed). `None` while it is not asked for.
#[hook]
pub fn use_page_is_dark(root: NodeRef, enabled: bool) -> Option<bool> {
    let dark = use_state_eq(|| None::<bool>);
    {
        let dark = dark.clone();
        use_effect_with(enabled, move |&enabled| {
            let watch = enabled.then(|| root.cast::<web_sys::Element>()).flatten().map(|el| {
                let read: Rc<dyn Fn()> = Rc::new(move || dark.set(Some(page_is_dark(&el))));
                read();
                let on_change = {
                    let read = read.clone();
                    Closure::<dyn FnMut()>::new(move || {
                        read();
                        // A theme switch may fade the background in: read it again once it has settled.
                        let read = read.clone();
                        gloo::timers::callback::Timeout::new(400, move || read()).forget();
                    })
                };
                let observer = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()).ok();
                let doc = gloo::utils::document();
                if let Some(o) = &observer {
                    let init = web_sys::MutationObserverInit::new();
                    init.set_attributes(true);
                    for el in [doc.document_element(), doc.body().map(Into::into)].into_iter().flatten() {
                        let _ = o.observe_with_options(&el, &init);
                    }
                }
                let media = gloo::utils::window().match_media("(prefers-color-scheme: dark)").ok().flatten();
                let system = media.map(|m| gloo::events::EventListener::new(&m, "change", move |_| read()));
                (observer, on_change, system)
            });
            move || {
                if let Some((Some(o), _, _)) = &watch {
                    o.disconnect();
                }
                drop(watch);
            }
        });
    }
    *dark
}

/// In an iframe: takes the theme the page around it posts ([`THEME_MESSAGE`]). Only from the parent window, and
/// only a theme, so nothing else on the web can drive the playground.
#[hook]
pub fn use_theme_messages<P: crate::protocol::Look>(dispatch: Callback<Action<P>>, enabled: bool) {
    use_effect_with(enabled, move |&enabled| {
        let w = gloo::utils::window();
        let parent = w.parent().ok().flatten().filter(|p| !js_sys::Object::is(p, &w));
        let listener = enabled.then_some(parent).flatten().map(|parent| {
            gloo::events::EventListener::new(&w, "message", move |e| {
                let Some(m) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                if !m.source().is_some_and(|s| js_sys::Object::is(&s, &parent)) {
                    return;
                }
                let field = |k: &str| js_sys::Reflect::get(&m.data(), &k.into()).ok().and_then(|v| v.as_string());
                if field("type").as_deref() == Some(THEME_MESSAGE) {
                    if let Some(theme) = field("theme").and_then(|t| t.parse::<Theme>().ok()) {
                        dispatch.emit(Action::SetTheme(theme));
                    }
                }
            })
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::dark_background;

    #[test]
    fn reads_the_darkness_of_computed_colours() {
        assert_eq!(dark_background("rgb(21, 23, 26)"), Some(true), "mdBook coal");
        assert_eq!(dark_background("rgb(255, 255, 255)"), Some(false));
        assert_eq!(dark_background("rgba(0, 0, 0, 0)"), None, "transparent: look further out");
        assert_eq!(dark_background("rgba(0, 0, 0, 0.5)"), None, "translucent");
        assert_eq!(dark_background("rgba(30, 30, 30, 1)"), Some(true));
        assert_eq!(dark_background("rgb(250.5, 250, 250)"), Some(false));
        assert_eq!(dark_background("oklch(0.2 0 0)"), None);
        assert_eq!(dark_background("rgb(1, 2)"), None);
    }
}
