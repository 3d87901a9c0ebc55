//! The animation loop as a hook: `requestAnimationFrame`, called again each frame while the page plays, and
//! cancelled when it stops or the component goes away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `on_frame` with the real milliseconds since the frame before (16 for the first) on every animation frame
/// while `running` is true.
#[hook]
pub fn use_frames(running: bool, on_frame: Callback<f64>) {
    use_effect_with(running, move |&running| {
        let frames = running.then(|| Frames::start(on_frame));
        move || drop(frames)
    });
}

/// The closure requestAnimationFrame calls.
type FrameCallback = Closure<dyn FnMut(f64)>;

/// A requestAnimationFrame loop that lives while this guard does.
struct Frames {
    running: Rc<Cell<bool>>,
    id: Rc<Cell<i32>>,
}

impl Frames {
    fn start(on_frame: Callback<f64>) -> Frames {
        let running = Rc::new(Cell::new(true));
        let id = Rc::new(Cell::new(0));
        let last = Rc::new(Cell::new(None::<f64>));
        let cb: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
        let cb2 = cb.clone();
        let (running2, id2) = (running.clone(), id.clone());
        *cb.borrow_mut() = Some(Closure::new(move |ts: f64| {
            if !running2.get() {
                // Break the cycle so the closure is freed.
                cb2.borrow_mut().take();
                return;
            }
            let dt = last.get().map_or(16.0, |l| ts - l);
            last.set(Some(ts));
            on_frame.emit(dt);
            if let Some(f) = cb2.borrow().as_ref() {
                id2.set(
                    web_sys::window().expect("window").request_animation_frame(f.as_ref().unchecked_ref()).unwrap_or(0),
                );
            }
        }));
        if let Some(f) = cb.borrow().as_ref() {
            id.set(web_sys::window().expect("window").request_animation_frame(f.as_ref().unchecked_ref()).unwrap_or(0));
        }
        Frames { running, id }
    }
}

impl Drop for Frames {
    fn drop(&mut self) {
        self.running.set(false);
        if let Some(w) = web_sys::window() {
            let _ = w.cancel_animation_frame(self.id.get());
        }
    }
}
