//! The search worker: fuzzy matching off the input path.
//!
//! As in television, the worker takes the newest query only: requests that queued up while it
//! was busy are skipped, and each answer carries the generation of its query so the app drops
//! answers that are already stale. Typing never waits for matching.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::app::Action;
use crate::content::Library;
use crate::content::search::{Query, Searcher};

/// Handle to a worker thread; dropping it stops the thread.
#[derive(Debug)]
pub struct SearchWorker {
    requests: Sender<(u64, String)>,
}

impl SearchWorker {
    /// Starts a worker over `library` that answers through `reply` with
    /// [`Action::SearchDone`]. The thread ends when the handle is dropped or `reply` fails.
    pub fn spawn(
        library: Arc<Library>,
        reply: impl Fn(Action) -> bool + Send + 'static,
    ) -> SearchWorker {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("careerhub-search".into())
            .spawn(move || serve(&library, &rx, reply))
            .expect("spawn search thread");
        SearchWorker { requests: tx }
    }

    /// Asks for the results of `query`; answers for older generations may be skipped.
    pub fn request(&self, generation: u64, query: String) {
        // A closed worker only happens while shutting down; nothing to report then.
        let _ = self.requests.send((generation, query));
    }
}

fn serve(library: &Library, rx: &Receiver<(u64, String)>, reply: impl Fn(Action) -> bool) {
    let mut searcher = Searcher::default();
    while let Ok(mut request) = rx.recv() {
        // Skip to the newest query: the older ones would be dropped by the app anyway.
        while let Ok(newer) = rx.try_recv() {
            request = newer;
        }
        let (generation, text) = request;
        let hits = searcher.search(library, &Query::parse(&text), library.by_date());
        if !reply(Action::SearchDone { generation, hits }) {
            return;
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
        let worker = SearchWorker::spawn(lib.clone(), move |a| tx.send(a).is_ok());
        worker.request(1, "salary".into());
        let Action::SearchDone { generation, hits } =
            rx.recv_timeout(Duration::from_secs(5)).unwrap()
        else {
            panic!("expected results")
        };
        assert_eq!(generation, 1);
        assert_eq!(hits.len(), 1);
        assert_eq!(lib.get(hits[0].id).slug, "a");
        drop(worker);
    }
}
