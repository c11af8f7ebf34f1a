//! One reader session: the app and its worker (search, documents, saving), fed with inputs.
//!
//! Local terminals and SSH channels both drive a `Session`; they differ only in where input
//! comes from and where output goes.

use crate::app::keymap::{self, Input};
use crate::app::{Action, App, Effect, update};
use crate::content::Bodies;
use crate::store::Store;

use super::worker::Worker;

/// An app with what it needs to carry out its effects.
#[derive(Debug)]
pub struct Session {
    pub app: App,
    worker: Worker,
}

impl Session {
    /// A session whose worker answers come back through `reply` (which should feed them to
    /// [`Session::apply`] on the session's own thread); `store` is written by the worker.
    pub fn new(app: App, store: Store, reply: impl Fn(Action) -> bool + Send + 'static) -> Session {
        let bodies = Bodies::new(app.source.clone());
        let worker =
            Worker::spawn_with(app.library.clone(), bodies, app.body.clone(), store, reply);
        Session { app, worker }
    }

    /// Handles one input event. Returns escape sequences to write to the terminal (clipboard
    /// requests), if any.
    pub fn input(&mut self, input: &Input) -> Vec<String> {
        let actions = match input {
            Input::Paste(text) => keymap::paste_actions(&self.app, text),
            other => keymap::action_for(&self.app, other).into_iter().collect(),
        };
        let mut out = Vec::new();
        for action in actions {
            out.extend(self.apply(action));
        }
        out
    }

    /// Finishes what a burst of inputs left pending (see [`crate::app::settle`]); call it after
    /// each burst, before drawing.
    pub fn settle(&mut self) {
        crate::app::settle(&mut self.app);
    }

    /// Applies one action and carries out its effects.
    pub fn apply(&mut self, action: Action) -> Vec<String> {
        let mut out = Vec::new();
        for effect in update(&mut self.app, action) {
            match effect {
                Effect::Search { generation, query } => self.worker.search(generation, query),
                Effect::LoadDocument(id) => self.worker.load_document(id),
                Effect::FindRelated(id) => self.worker.find_related(id),
                Effect::Persist => self.worker.save(self.app.saved.clone()),
                Effect::Copy(text) => out.push(super::osc52(&text)),
                Effect::OpenUrl(url) => {
                    // No browser: the link is not lost, it goes to the clipboard instead.
                    if let Err(e) = open_in_browser(&url) {
                        out.push(super::osc52(&url));
                        self.app.message = Some(format!(
                            "Cannot start a browser ({e}); copied {url} instead"
                        ));
                    }
                }
            }
        }
        out
    }
}

/// Starts the system's URL opener without waiting for it.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let mut child = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap it in the background so no zombie is left behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}
