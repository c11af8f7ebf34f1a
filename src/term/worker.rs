//! The app's worker: fuzzy matching and document loading off the input path.
//!
//! As in television, searches take the newest query only: queries that queued up while the
//! worker was busy are skipped, and each answer carries the generation of its query so the
//! app drops answers that are already stale. Typing never waits for matching. Opening an
//! article reads and renders its body here too, and saving bookmarks and positions writes the
//! file here, so neither a local terminal's loop nor an SSH session's task ever waits on a file.
//!
//! Every session's worker runs on one shared, bounded pool of threads rather than a thread of
//! its own: a server with 1,000 readers has a handful of worker threads, not 1,000 (each
//! with its stack and, under glibc, a share of malloc arenas; and systemd's `TasksMax`
//! counts them). A session's requests still run one batch at a time, in order.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard};

use crate::app::{Action, Saved};
use crate::content::search::fulltext::{BodyIndex, READER_BODY_HITS, READER_SNIPPETS};
use crate::content::search::{Query, Searcher, with_body_hits};
use crate::content::{ArticleId, Bodies, Index};
use crate::store::Store;

/// Work for the worker.
enum Request {
    Search { generation: u64, query: String },
    Document(ArticleId),
    Related(ArticleId),
    Save(Box<Saved>),
}

/// The threads every worker's jobs run on: twice the cores (at least 4), so that a save
/// waiting on the disk or a long search leaves threads for the other sessions. `None` when
/// the system would not give the threads: jobs then run on rayon's global pool.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        rayon::ThreadPoolBuilder::new()
            .num_threads((cores * 2).max(4))
            .thread_name(|i| format!("careerhub-wk{i}"))
            .build()
            .ok()
    });
    POOL.as_ref()
}

/// What one session's jobs share.
struct Inner {
    library: Arc<Index>,
    /// The body index searched beside the titles, when there is one.
    body: Option<Arc<BodyIndex>>,
    /// The indexing progress last reported to the session.
    reported: Mutex<Option<(usize, usize, bool)>>,
    /// Whether the session knows the library's link graph is there (see
    /// [`Index::links_ready`]).
    links_told: AtomicBool,
    /// The session's own bodies and their small cache; only one job runs at a time.
    bodies: Mutex<Bodies>,
    store: Store,
    /// Behind a mutex because only one job of a session runs at a time, on any pool thread.
    reply: Mutex<Box<dyn Fn(Action) -> bool + Send>>,
    /// Kept between searches: it narrows from the previous query's survivors.
    searcher: Mutex<Searcher>,
    queue: Mutex<Queue>,
    /// Signalled when a job ends and nothing is queued.
    idle: Condvar,
}

#[derive(Default)]
struct Queue {
    requests: Vec<Request>,
    /// A job for this session is on the pool.
    running: bool,
    /// `reply` failed: the session is gone, nothing more is done.
    gone: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Handle to a session's worker. Dropping it lets the worker finish what is queued (a last
/// save of reading positions, above all) and waits for that.
pub struct Worker {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").finish_non_exhaustive()
    }
}

impl Worker {
    /// Starts a worker over `library`, reading bodies through `bodies`, that answers through
    /// `reply` with
    /// [`Action::SearchDone`] and [`Action::DocumentReady`]. It stops working when `reply`
    /// fails.
    pub fn spawn(
        library: Arc<Index>,
        bodies: Bodies,
        store: Store,
        reply: impl Fn(Action) -> bool + Send + 'static,
    ) -> Worker {
        Self::spawn_with(library, bodies, None, store, reply)
    }

    /// Like [`Worker::spawn`], searching `body` beside the titles when there is one, and
    /// reporting its indexing progress with [`Action::IndexProgress`] until it is done.
    pub fn spawn_with(
        library: Arc<Index>,
        bodies: Bodies,
        body: Option<Arc<BodyIndex>>,
        store: Store,
        reply: impl Fn(Action) -> bool + Send + 'static,
    ) -> Worker {
        let worker = Worker {
            inner: Arc::new(Inner {
                library: library.clone(),
                body,
                reported: Mutex::new(None),
                links_told: AtomicBool::new(library.links_ready()),
                bodies: Mutex::new(bodies),
                store,
                reply: Mutex::new(Box::new(reply)),
                searcher: Mutex::new(Searcher::default()),
                queue: Mutex::new(Queue::default()),
                idle: Condvar::new(),
            }),
        };
        if worker.inner.body.is_some() || !library.links_ready() {
            progress::watch(&worker.inner);
        }
        worker
    }

    fn send(&self, request: Request) {
        let mut queue = lock(&self.inner.queue);
        if queue.gone {
            return;
        }
        queue.requests.push(request);
        if !queue.running {
            queue.running = true;
            let inner = self.inner.clone();
            match pool() {
                Some(pool) => pool.spawn(move || run(&inner)),
                None => rayon::spawn(move || run(&inner)),
            }
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

    /// Asks for the ranked related list of an article ([`crate::app::rank_related`]).
    pub fn find_related(&self, id: ArticleId) {
        self.send(Request::Related(id));
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let mut queue = lock(&self.inner.queue);
        while queue.running {
            queue = self
                .inner
                .idle
                .wait(queue)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// One job: handles the session's queue batch by batch until it is empty.
fn run(inner: &Inner) {
    loop {
        let batch = {
            let mut queue = lock(&inner.queue);
            if queue.requests.is_empty() || queue.gone {
                queue.requests.clear();
                queue.running = false;
                inner.idle.notify_all();
                return;
            }
            std::mem::take(&mut queue.requests)
        };
        // A panic in one request must not leave the session's queue marked running forever.
        let answered =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(inner, batch)))
                .unwrap_or(false);
        if !answered {
            lock(&inner.queue).gone = true;
        }
    }
}

/// Handles one batch: documents in order, only the newest search and save. False when the
/// session is gone.
fn handle(inner: &Inner, batch: Vec<Request>) -> bool {
    let (library, store) = (&*inner.library, &inner.store);
    let reply = lock(&inner.reply);
    let (mut search, mut save) = (None, None);
    let (mut documents, mut related) = (Vec::new(), None);
    for request in batch {
        match request {
            Request::Search { generation, query } => search = Some((generation, query)),
            Request::Document(id) => documents.push(id),
            // Only the newest panel is on screen.
            Request::Related(id) => related = Some(id),
            Request::Save(saved) => save = Some(saved),
        }
    }
    if let Some(saved) = save
        && let Err(e) = store.save(&saved)
        && !reply(Action::Notice(format!(
            "Cannot save bookmarks and positions: {e}"
        )))
    {
        return false;
    }
    for id in documents {
        let result = lock(&inner.bodies)
            .document(library, id)
            .map_err(|p| p.to_string());
        if !reply(Action::DocumentReady { id, result }) {
            return false;
        }
    }
    if let Some(id) = related {
        let related = crate::app::rank_related(library, inner.body.as_deref(), id);
        if !reply(Action::RelatedReady { id, related }) {
            return false;
        }
    }
    if let Some((generation, text)) = search {
        let query = Query::parse(&text);
        let mut hits = lock(&inner.searcher).search(library, &query, library.by_date());
        if let Some(index) = &inner.body {
            let found = index.search(library, &query, READER_BODY_HITS, READER_SNIPPETS);
            hits = with_body_hits(hits, found);
        }
        if !reply(Action::SearchDone { generation, hits }) {
            return false;
        }
    }
    true
}

/// Indexing progress for the sessions whose body index is still being built, and the news
/// that the library's link graph arrived: one thread for them all (not one per session, and
/// no job on the pool), waking every [`progress::EVERY`] while any is left, telling each
/// session when its count changed and once when the backlinks are there.
mod progress {
    use std::sync::{Arc, Mutex, Weak};
    use std::time::Duration;

    use std::sync::atomic::Ordering;

    use super::{Inner, lock};
    use crate::app::Action;

    /// How often indexing progress is reported while the body index is being built.
    pub(super) const EVERY: Duration = Duration::from_millis(250);

    /// Sessions still to be told, and whether the thread that tells them runs.
    static WATCHED: Mutex<(Vec<Weak<Inner>>, bool)> = Mutex::new((Vec::new(), false));

    /// Reports `inner`'s indexing progress until indexing has finished (and said so).
    pub(super) fn watch(inner: &Arc<Inner>) {
        let mut watched = lock(&WATCHED);
        watched.0.push(Arc::downgrade(inner));
        if !watched.1 {
            let started = std::thread::Builder::new()
                .name("careerhub-progress".into())
                .spawn(run)
                .is_ok();
            watched.1 = started;
        }
    }

    fn run() {
        loop {
            std::thread::sleep(EVERY);
            let sessions: Vec<Weak<Inner>> = {
                let mut watched = lock(&WATCHED);
                if watched.0.is_empty() {
                    watched.1 = false;
                    return;
                }
                std::mem::take(&mut watched.0)
            };
            let keep: Vec<Weak<Inner>> = sessions
                .into_iter()
                .filter(|weak| weak.upgrade().is_some_and(|inner| tell(&inner)))
                .collect();
            lock(&WATCHED).0.extend(keep);
        }
    }

    /// Tells a session its progress if it changed, and once that the library's link graph
    /// is there; false once there is no more to tell.
    fn tell(inner: &Inner) -> bool {
        if !inner.links_told.load(Ordering::Relaxed) && inner.library.links_ready() {
            inner.links_told.store(true, Ordering::Relaxed);
            if !(lock(&inner.reply))(Action::LinksReady) {
                return false;
            }
        }
        let links_left = !inner.links_told.load(Ordering::Relaxed);
        let Some(body) = &inner.body else {
            return links_left;
        };
        let (done, total) = body.progress().counts();
        let now = (done, total, body.progress().finished());
        let mut reported = lock(&inner.reported);
        if *reported != Some(now) {
            *reported = Some(now);
            let finished = now.2;
            if !(lock(&inner.reply))(Action::IndexProgress {
                done,
                total,
                finished,
            }) {
                return false;
            }
        }
        !now.2 || links_left
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::index::tests::article_file;
    use crate::content::{LoadOptions, load_memory};
    use std::collections::HashSet;
    use std::sync::mpsc;
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
        let (lib, source) = load_memory(files, Vec::new(), LoadOptions::default());
        let lib = Arc::new(lib);
        let (tx, rx) = mpsc::channel();
        let worker = Worker::spawn(
            lib.clone(),
            Bodies::new(source.clone()),
            Store::memory(),
            move |a| tx.send(a).is_ok(),
        );
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
        // The related list is ranked here, off the session's input thread.
        worker.find_related(id);
        let Action::RelatedReady { id: got, related } =
            rx.recv_timeout(Duration::from_secs(5)).unwrap()
        else {
            panic!("expected a related list")
        };
        assert_eq!(got, id);
        assert_eq!(related, lib.related(id));
        drop(worker);
    }

    #[test]
    fn tells_the_session_once_when_the_link_graph_arrives() {
        use crate::content::index::tests::{graph_of, index_without_links};
        use crate::content::load::source::Source;
        let files = vec![
            article_file("a", "A", "interviewing", &[], &[], "2025-01-01", &["b"]),
            article_file("b", "B", "interviewing", &[], &[], "2025-01-02", &[]),
        ];
        let lib = Arc::new(index_without_links(&files));
        let (tx, rx) = mpsc::channel();
        let worker = Worker::spawn(
            lib.clone(),
            Bodies::new(Source::memory(files.clone())),
            Store::memory(),
            move |a| tx.send(a).is_ok(),
        );
        // Nothing to tell while the graph is missing.
        assert!(rx.recv_timeout(progress::EVERY * 2).is_err());
        assert!(lib.set_link_graph(graph_of(&lib, &files)));
        let told = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(matches!(told, Action::LinksReady), "{told:?}");
        assert!(rx.recv_timeout(progress::EVERY * 3).is_err(), "told once");
        drop(worker);
    }

    #[test]
    fn a_save_queued_before_the_worker_is_dropped_is_written() {
        let (lib, source) = load_memory(Vec::new(), Vec::new(), LoadOptions::default());
        let lib = Arc::new(lib);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("state.json"));
        let worker = Worker::spawn(lib, Bodies::new(source.clone()), store.clone(), |_| true);
        let mut saved = Saved::default();
        saved.bookmarks.push("kept".into());
        worker.save(saved.clone());
        drop(worker);
        assert_eq!(store.load().0, saved);
    }

    #[test]
    fn many_sessions_share_a_few_threads() {
        let (lib, source) = load_memory(Vec::new(), Vec::new(), LoadOptions::default());
        let lib = Arc::new(lib);
        let (tx, rx) = mpsc::channel();
        let workers: Vec<Worker> = (0..200)
            .map(|i| {
                let tx = tx.clone();
                let worker = Worker::spawn(
                    lib.clone(),
                    Bodies::new(source.clone()),
                    Store::memory(),
                    move |a| {
                        let thread = std::thread::current().name().map(str::to_string);
                        tx.send((i, thread, a)).is_ok()
                    },
                );
                worker.search(1, format!("query {i}"));
                worker
            })
            .collect();
        let mut sessions = HashSet::new();
        let mut threads = HashSet::new();
        for _ in 0..200 {
            let (i, thread, action) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
            assert!(matches!(action, Action::SearchDone { generation: 1, .. }));
            sessions.insert(i);
            threads.insert(thread.expect("pool threads are named"));
        }
        assert_eq!(sessions.len(), 200, "every session answered");
        let pool = pool().expect("the test machine gives the pool its threads");
        assert!(threads.len() <= pool.current_num_threads(), "{threads:?}");
        assert!(threads.iter().all(|t| t.starts_with("careerhub-wk")));
        drop(workers);
    }
}
