//! The keyboard help overlay.

use yew::prelude::*;

/// The shortcuts, as the overlay lists them.
pub const SHORTCUTS: [(&str, &str); 13] = [
    ("Space", "Play or pause simulated time"),
    ("→", "Step: run the next event (after a rewind: replay the next moment)"),
    ("←", "Step back: show the moment before"),
    ("0 – 8", "Select the node of that number"),
    ("c", "Crash the selected node, or restart it"),
    ("i", "Inspect the selection"),
    ("h", "Heal all partitions and cuts"),
    ("n / b", "Next / Back: a scenario's next stage, or the one before"),
    ("v", "Type a value to propose"),
    ("+ / −", "Faster / slower"),
    ("Tab, Enter", "Move between nodes and select one"),
    ("Esc", "Close this help (so does a click outside it), or clear the selection"),
    ("?", "Show or hide this help"),
];

/// Props.
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Closes the overlay.
    pub on_close: Callback<MouseEvent>,
}

/// The overlay: a modal dialog. It takes the focus when it opens (its Close button) and gives it back to what had it
/// (the ? button, or the page where ? was pressed) when it closes: by Close, Escape (the page's shortcut) or a click
/// outside the dialog.
#[component]
pub fn HelpOverlay(props: &HelpProps) -> Html {
    let close = use_node_ref();
    {
        let close = close.clone();
        use_effect_with((), move |_| {
            let opener = gloo::utils::document().active_element();
            if let Some(b) = close.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
            // (`focus` is the same method on an SVG element, a node of the drawing, and does nothing once the
            // element has left the page.)
            move || {
                if let Some(el) = opener {
                    let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                }
            }
        });
    }
    // A click on the shade around the dialog closes it; one in the dialog stops there.
    html! {
        <div class="overlay" onclick={props.on_close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="help-title">{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(k, what)| html! {
                        <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                    }) }
                </table>
                <p class="hint">{"Shortcuts are off while you type in a field."}</p>
                <button type="button" class="primary" ref={close} onclick={props.on_close.clone()}>{"Close help"}</button>
            </div>
        </div>
    }
}
