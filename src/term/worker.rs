//! The app's worker: fuzzy matching and document loading off the input path.
//!
//! As in television, searches take the newest query only: queries that queued up while the
//! worker was busy are skipped, and each answer carries the generation of its query so the
//! app drops answers that are already stale. Typing never waits for matching. Opening an
//! article reads and renders its body here too, and saving bookmarks and positions writes the
//! file here, so neither a local terminal's loop nor an SSH session's task ever waits on a file.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::app::{Action, Saved};
use crate::content::fulltext::{BodyIndex, READER_BODY_HITS, READER_SNIPPETS};
use crate::content::search::{Query, Searcher, with_body_hits};
use crate::content::{ArticleId, Library};
use crate::store::Store;

/// Work for the worker.
enum Request {
    Search { generation: u64, query: String },
    Document(ArticleId),
    Save(Box<Saved>),
}

/// Handle to a worker thread. Dropping it lets the worker finish what is queued (a last save
/// of reading positions, above all) and waits for it to stop.
#[derive(Debug)]
pub struct Worker {
    requests: Option<Sender<Request>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Starts a worker over `library` that answers through `reply` with
    /// [`Action::SearchDone`] and [`Action::DocumentReady`]. The thread ends when the handle
    /// is dropped or `reply` fails.
    pub fn spawn(
        library: Arc<Library>,
        store: Store,
        reply: impl Fn(Action) -> bool + Send + 'static,
    ) -> Worker {
        Self::spawn_with(library, None, store, reply)
    }

    /// Like [`Worker::spawn`], searching `body` beside the titles when there is one, and
    /// reporting its indexing progress with [`Action::IndexProgress`].
    pub fn spawn_with(
        library: Arc<Library>,
        body: Option<Arc<BodyIndex>>,
        store: Store,
        reply: impl Fn(Action) -> bool + Send + 'static,
    ) -> Worker {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("careerhub-worker".into())
            .spawn(move || serve(&library, body.as_deref(), &store, &rx, reply))
            .expect("spawn worker thread");
        Worker {
            requests: Some(tx),
            thread: Some(thread),
        }
    }

    fn send(&self, request: Request) {
        // A closed worker only happens while shutting down; nothing to report then.
        if let Some(requests) = &self.requests {
            let _ = requests.send(request);
        }
    }

    /// Asks for the results of `query`; answers for older generations may be skipped.
    pub fn search(&self, generation: u64, query: String) {
        self.send(Request::Search { generation, query });
    }

    /// Saves bookmarks, positions and history; only the newest of queued saves is written.
    pub fn save(&self, saved: Saved) {
        self.send(Request::Save(Box::new(saved)));
    }

    /// Asks for the rendered body of an article.
    pub fn load_document(&self, id: ArticleId) {
        self.send(Request::Document(id));
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop once the queue is empty.
        self.requests.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How often indexing progress is reported while the body index is being built.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

fn serve(
    library: &Library,
    body: Option<&BodyIndex>,
    store: &Store,
    rx: &Receiver<Request>,
    reply: impl Fn(Action) -> bool,
) {
    let mut searcher = Searcher::default();
    let mut reported: Option<(usize, usize, bool)> = None;
    loop {
        // While the body index is being built, wake up now and then to report progress.
        let indexing = body.filter(|_| reported.is_none_or(|(_, _, finished)| !finished));
        let first = match indexing {
            Some(_) => match rx.recv_timeout(PROGRESS_EVERY) {
                Ok(r) => Some(r),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            },
            None => match rx.recv() {
                Ok(r) => Some(r),
                Err(_) => return,
            },
        };
        if let Some(index) = indexing {
            let (done, total) = index.progress().counts();
            let now = (done, total, index.progress().finished());
            if reported != Some(now) {
                reported = Some(now);
                let (_, _, finished) = now;
                if !reply(Action::IndexProgress {
                    done,
                    total,
                    finished,
                }) {
                    return;
                }
            }
        }
        let Some(first) = first else {
            continue;
        };
        // Take everything queued: documents in order, only the newest search and save.
        let (mut search, mut save) = (None, None);
        let mut documents = Vec::new();
        for request in std::iter::once(first).chain(rx.try_iter()) {
            match request {
                Request::Search { generation, query } => search = Some((generation, query)),
                Request::Document(id) => documents.push(id),
                Request::Save(saved) => save = Some(saved),
            }
        }
        if let Some(saved) = save
            && let Err(e) = store.save(&saved)
            && !reply(Action::Notice(format!(
                "Cannot save bookmarks and positions: {e}"
            )))
        {
            return;
        }
        for id in documents {
            let result = library.document(id).map_err(|p| p.to_string());
            if !reply(Action::DocumentReady { id, result }) {
                return;
            }
        }
        if let Some((generation, text)) = search {
            let query = Query::parse(&text);
            let mut hits = searcher.search(library, &query, library.by_date());
            if let Some(index) = body {
                let found = index.search(library, &query, READER_BODY_HITS, READER_SNIPPETS);
                hits = with_body_hits(hits, found);
            }
            if !reply(Action::SearchDone { generation, hits }) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::LoadOptions;
    use crate::content::library::tests::article_file;
    use std::time::Duration;

    #[test]
    fn answers_the_newest_query_with_its_generation() {
        let files = vec![
            article_file(
                "a",
                "Salary talk",
                "salary-negotiation",
                &["general"],
                &["salary"],
                "2025-01-01",
                &[],
            ),
            article_file(
                "b",
                "Interview prep",
                "interviewing",
                &["general"],
                &["interview"],
                "2025-01-02",
                &[],
            ),
        ];
        let lib = Arc::new(Library::from_files(
            files,
            Vec::new(),
            LoadOptions::default(),
        ));
        let (tx, rx) = mpsc::channel();
        let worker = Worker::spawn(lib.clone(), Store::memory(), move |a| tx.send(a).is_ok());
        worker.search(1, "salary".into());
        let Action::SearchDone { generation, hits } =
            rx.recv_timeout(Duration::from_secs(5)).unwrap()
        else {
            panic!("expected results")
        };
        assert_eq!(generation, 1);
        assert_eq!(hits.len(), 1);
        assert_eq!(lib.get(hits[0].id).slug, "a");
        let id = hits[0].id;
        worker.load_document(id);
        let Action::DocumentReady { id: got, result } =
            rx.recv_timeout(Duration::from_secs(5)).unwrap()
        else {
            panic!("expected a document")
        };
        assert_eq!(got, id);
        assert!(!result.unwrap().blocks.is_empty());
        drop(worker);
    }

    #[test]
    fn a_save_queued_before_the_worker_is_dropped_is_written() {
        let lib = Arc::new(Library::from_files(
            Vec::new(),
            Vec::new(),
            LoadOptions::default(),
        ));
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("state.json"));
        let worker = Worker::spawn(lib, store.clone(), |_| true);
        let mut saved = Saved::default();
        saved.bookmarks.push("kept".into());
        worker.save(saved.clone());
        drop(worker);
        assert_eq!(store.load().0, saved);
    }
}
