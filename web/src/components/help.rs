//! The keyboard help overlay.

use yew::prelude::*;

/// The shortcuts, as the overlay lists them.
pub const SHORTCUTS: [(&str, &str); 13] = [
    ("Space", "Play or pause simulated time"),
    ("→", "Step: run the next event (after a rewind: replay the next moment)"),
    ("←", "Step back: show the moment before"),
    ("1 – 9", "Select node 0 – 8"),
    ("c", "Crash the selected node, or restart it"),
    ("i", "Inspect the selection"),
    ("h", "Heal all partitions and cuts"),
    ("n / b", "Next / Back: a scenario's next stage, or the one before"),
    ("v", "Type a value to propose"),
    ("+ / −", "Faster / slower"),
    ("Tab, Enter", "Move between nodes and select one"),
    ("Esc", "Close this help, or clear the selection"),
    ("?", "Show or hide this help"),
];

/// Props.
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Closes the overlay.
    pub on_close: Callback<MouseEvent>,
}

/// The overlay.
#[component]
pub fn HelpOverlay(props: &HelpProps) -> Html {
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(k, what)| html! {
                        <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                    }) }
                </table>
                <p class="hint">{"Shortcuts are off while you type in a field."}</p>
                <button type="button" class="primary" onclick={props.on_close.clone()} autofocus=true>{"Close help"}</button>
            </div>
        </div>
    }
}
