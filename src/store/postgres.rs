//! Per-key state in PostgreSQL (`careerhub serve --state postgres://…`), for several servers
//! behind one balancer.
//!
//! One row per item (bookmark, reading place, history entry) of a key, written by an upsert
//! that keeps the newest write per item ([`super::items::wins`]), so two servers serving
//! the same key never undo each other's changes. The schema is created and migrated on start
//! under an advisory lock (a version table says how far it is).
//!
//! Sessions never wait on the database while reading: a session loads its key's rows when it
//! starts (briefly, with a timeout) and from then on only queues its changes. One task per
//! server writes the queue, coalesced per item. When the database goes away, sessions carry
//! on with what they have in memory, the queue is retried with backoff, and the log says so
//! once when it goes and once when it is back.
//!
//! The connection is plain (no TLS): run PostgreSQL on loopback, a Unix socket or a private
//! network, or put a TLS tunnel in between.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until, timeout};
use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::items::{self, Item, Kind};
use super::{StateBackend, Store};
use crate::app::Saved;
use crate::app::state::RECENT_LIMIT;

/// Longest wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Longest a starting session waits for its key's rows before starting without them.
const LOAD_TIMEOUT: Duration = Duration::from_secs(3);
/// Longest one batch of writes may take before the connection is given up.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// First and longest wait between retries while the database is away.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(10);
/// Rows per upsert statement.
const BATCH: usize = 1000;
/// An arbitrary number: the advisory lock two starting servers take to migrate one at a time.
const MIGRATION_LOCK: i64 = 0x6361_7265_6572;

/// Told to a reader whose saved state could not be fetched.
pub const UNAVAILABLE: &str =
    "Saved bookmarks are unavailable right now; what you do now is kept and saved later";

/// Schema steps, in order; the version table records how many have run. Never edit a step
/// that has shipped: add one.
const MIGRATIONS: &[&str] = &[
    // 1: one row per item of a key's state.
    "CREATE TABLE careerhub_item (
        key_sha256 text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('bookmark', 'position', 'recent')),
        slug text NOT NULL,
        present boolean NOT NULL,
        value text,
        at bigint NOT NULL,
        PRIMARY KEY (key_sha256, kind, slug)
    )",
];

/// Writes per item, newest write wins; `at` is the writer's clock in microseconds.
const UPSERT: &str = "INSERT INTO careerhub_item AS t (key_sha256, kind, slug, present, value, at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::int8[])
    ON CONFLICT (key_sha256, kind, slug) DO UPDATE
    SET present = excluded.present, value = excluded.value, at = excluded.at
    WHERE t.at <= excluded.at";

/// Keeps the newest [`RECENT_LIMIT`] history rows of the given keys: the reader shows no
/// more, and a key's rows are all read when its session starts, so they must not grow with
/// every article a reader ever opened (on several instances, each writes its own newest).
const PRUNE_HISTORY: &str = "DELETE FROM careerhub_item t USING (
        SELECT key_sha256, slug FROM (
            SELECT key_sha256, slug,
                row_number() OVER (PARTITION BY key_sha256 ORDER BY at DESC, slug) AS n
            FROM careerhub_item WHERE kind = 'recent' AND key_sha256 = ANY($1::text[])
        ) ranked WHERE n > $2
    ) old
    WHERE t.kind = 'recent' AND t.key_sha256 = old.key_sha256 AND t.slug = old.slug";

const LOAD: &str =
    "SELECT kind, slug, present, value, at FROM careerhub_item WHERE key_sha256 = $1 AND present";

/// A `--state` database address (`postgres://user@host:port/db`, or any libpq connection
/// string tokio-postgres reads). Its `Debug` hides the password.
#[derive(Debug, Clone)]
pub struct StateUrl(pub Config);

impl StateUrl {
    /// Parses `--state`.
    pub fn parse(text: &str) -> Result<StateUrl, String> {
        if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
            return Err(format!(
                "`{}` is not a PostgreSQL address: write postgres://USER@HOST:PORT/DATABASE",
                crate::content::render::sanitize::line(text)
            ));
        }
        text.parse::<Config>()
            .map(StateUrl)
            .map_err(|e| format!("not a usable PostgreSQL address: {e}"))
    }

    /// Host, port and database, for logs: never the password.
    pub fn describe(&self) -> String {
        let host = match self.0.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let port = self.0.get_ports().first().copied().unwrap_or(5432);
        let db = self
            .0
            .get_dbname()
            .or(self.0.get_user())
            .unwrap_or("postgres");
        format!("postgres://{host}:{port}/{db}")
    }
}

/// Work for the writer task.
enum Msg {
    Write(String, Item),
    /// Answered once nothing is queued.
    Flush(oneshot::Sender<()>),
    /// The database failed a load: the writer starts probing for its return.
    Probe,
}

/// The connection and its health, shared by the writer and the loads.
struct Conn {
    config: Config,
    target: String,
    client: Mutex<Option<Arc<Client>>>,
    down: AtomicBool,
    queued: AtomicUsize,
}

impl Conn {
    /// The open connection, or a new one.
    async fn client(&self) -> Result<Arc<Client>, String> {
        if let Some(c) = self.lock().as_ref().filter(|c| !c.is_closed()) {
            return Ok(c.clone());
        }
        let client = Arc::new(connect(&self.config).await?);
        *self.lock() = Some(client.clone());
        Ok(client)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<Client>>> {
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets a connection that failed, so the next try opens a new one.
    fn forget(&self) {
        self.lock().take();
    }

    fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    /// Notes a failure; only the first of an outage is logged.
    fn went_down(&self, error: &str) {
        self.forget();
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                database = %self.target,
                error = %crate::content::render::sanitize::line(error),
                queued = self.queued.load(Ordering::Relaxed),
                "state database unreachable: readers keep their state in memory; \
                 changes are queued and retried"
            );
        }
    }

    fn came_back(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!(database = %self.target, "state database back: queued changes saved");
        }
    }

    async fn load(&self, key: &str) -> Result<Vec<Item>, String> {
        let client = self.client().await?;
        let rows = client.query(LOAD, &[&key]).await.map_err(error_text)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let kind: String = row.try_get(0).map_err(error_text)?;
            // A kind this version does not know (written by a newer one) is left alone.
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            out.push(Item {
                kind,
                slug: row.try_get(1).map_err(error_text)?,
                present: row.try_get(2).map_err(error_text)?,
                value: row.try_get(3).map_err(error_text)?,
                at: row.try_get(4).map_err(error_text)?,
            });
        }
        Ok(out)
    }

    async fn write(&self, pending: &HashMap<(String, Kind, String), Item>) -> Result<(), String> {
        let client = self.client().await?;
        let all: Vec<(&String, &Item)> = pending.iter().map(|((k, _, _), i)| (k, i)).collect();
        for chunk in all.chunks(BATCH) {
            let keys: Vec<&str> = chunk.iter().map(|(k, _)| k.as_str()).collect();
            let kinds: Vec<&str> = chunk.iter().map(|(_, i)| i.kind.as_str()).collect();
            let slugs: Vec<&str> = chunk.iter().map(|(_, i)| i.slug.as_str()).collect();
            let present: Vec<bool> = chunk.iter().map(|(_, i)| i.present).collect();
            let values: Vec<Option<&str>> = chunk.iter().map(|(_, i)| i.value.as_deref()).collect();
            let at: Vec<i64> = chunk.iter().map(|(_, i)| i.at).collect();
            client
                .execute(UPSERT, &[&keys, &kinds, &slugs, &present, &values, &at])
                .await
                .map_err(error_text)?;
        }
        let mut read: Vec<&str> = pending
            .iter()
            .filter(|((_, kind, _), _)| *kind == Kind::Recent)
            .map(|((key, _, _), _)| key.as_str())
            .collect();
        read.sort_unstable();
        read.dedup();
        for chunk in read.chunks(BATCH) {
            client
                .execute(PRUNE_HISTORY, &[&chunk, &(RECENT_LIMIT as i64)])
                .await
                .map_err(error_text)?;
        }
        Ok(())
    }

    /// Whether the database answers.
    async fn probe(&self) -> Result<(), String> {
        let client = self.client().await?;
        client.simple_query("").await.map_err(error_text)?;
        Ok(())
    }
}

/// An error with its causes: tokio-postgres says "error connecting to server" and keeps the
/// why ("Connection refused") in its source.
fn error_text(e: tokio_postgres::Error) -> String {
    use std::error::Error as _;
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

async fn connect(config: &Config) -> Result<Client, String> {
    let (client, connection) = timeout(CONNECT_TIMEOUT, config.connect(NoTls))
        .await
        .map_err(|_| format!("no answer within {CONNECT_TIMEOUT:?}"))?
        .map_err(error_text)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "state database connection ended");
        }
    });
    Ok(client)
}

/// Creates or brings up to date the schema, one server at a time.
async fn migrate(client: &Client) -> Result<usize, String> {
    let sql = |e: tokio_postgres::Error| error_text(e);
    client
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({MIGRATION_LOCK});
             CREATE TABLE IF NOT EXISTS careerhub_schema (
                 version integer NOT NULL,
                 applied timestamptz NOT NULL DEFAULT now()
             );"
        ))
        .await
        .map_err(sql)?;
    let steps = async {
        let row = client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM careerhub_schema",
                &[],
            )
            .await
            .map_err(sql)?;
        let version = usize::try_from(row.try_get::<_, i32>(0).map_err(sql)?).unwrap_or(0);
        if version > MIGRATIONS.len() {
            return Err(format!(
                "the database's schema is version {version}, newer than this careerhub knows \
                 ({}): upgrade careerhub",
                MIGRATIONS.len()
            ));
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version) {
            client.batch_execute(step).await.map_err(sql)?;
            let v = i32::try_from(i + 1).unwrap_or(i32::MAX);
            client
                .execute("INSERT INTO careerhub_schema (version) VALUES ($1)", &[&v])
                .await
                .map_err(sql)?;
        }
        Ok(MIGRATIONS.len() - version)
    }
    .await;
    let end = if steps.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = client.batch_execute(end).await.map_err(sql);
    let applied = steps?;
    ended?;
    Ok(applied)
}

/// The server's side of the database: connection, schema, writer task.
#[derive(Debug)]
pub struct PgState {
    conn: Arc<Conn>,
    writes: mpsc::UnboundedSender<Msg>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn")
            .field("target", &self.target)
            .finish()
    }
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Msg::Write(..) => "Write",
            Msg::Flush(_) => "Flush",
            Msg::Probe => "Probe",
        })
    }
}

impl PgState {
    /// Connects, creates or migrates the schema, and starts the writer. Must run inside a
    /// tokio runtime. A database that cannot be reached at start is an error: the operator
    /// sees it at once instead of readers losing state.
    pub async fn start(url: &StateUrl) -> Result<Arc<PgState>, String> {
        let target = url.describe();
        let fail = |e: String| format!("state database {target}: {e}");
        let client = connect(&url.0).await.map_err(fail)?;
        let applied = migrate(&client).await.map_err(fail)?;
        tracing::info!(database = %target, migrations = applied, "state database ready");
        let conn = Arc::new(Conn {
            config: url.0.clone(),
            target,
            client: Mutex::new(Some(Arc::new(client))),
            down: AtomicBool::new(false),
            queued: AtomicUsize::new(0),
        });
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(writer(conn.clone(), rx));
        Ok(Arc::new(PgState { conn, writes: tx }))
    }

    /// Host, port and database, for logs.
    pub fn describe(&self) -> &str {
        &self.conn.target
    }

    /// The store of one key (its hex SHA-256 fingerprint), loaded now. When the database
    /// does not answer, the session starts empty and the message for the reader says so;
    /// its changes are still saved, item by item, once the database is back.
    pub async fn open(&self, key: &str) -> (Store, Option<&'static str>) {
        let loaded = if self.conn.is_down() {
            Err(None)
        } else {
            match timeout(LOAD_TIMEOUT, self.conn.load(key)).await {
                Ok(Ok(items)) => Ok(items::assemble(items)),
                Ok(Err(e)) => Err(Some(e)),
                Err(_) => Err(Some(format!("no answer within {LOAD_TIMEOUT:?}"))),
            }
        };
        let (loaded, notice) = match loaded {
            Ok(state) => (state, None),
            Err(error) => {
                if let Some(e) = error {
                    self.conn.went_down(&e);
                    let _ = self.writes.send(Msg::Probe);
                }
                ((Saved::default(), None), Some(UNAVAILABLE))
            }
        };
        let session = PgSession {
            key: key.to_string(),
            writes: self.writes.clone(),
            last: Mutex::new(loaded.0.clone()),
            loaded,
        };
        (Store::backend(Arc::new(session)), notice)
    }

    /// Waits until every queued change is written, at most `limit`; logs what is left.
    pub async fn flush(&self, limit: Duration) {
        let (tx, rx) = oneshot::channel();
        if self.writes.send(Msg::Flush(tx)).is_err() {
            return;
        }
        if timeout(limit, rx).await.is_err() {
            tracing::warn!(
                database = %self.conn.target,
                unsaved = self.conn.queued.load(Ordering::Relaxed),
                "stopping with changes the state database did not take"
            );
        }
    }
}

/// One session's view: the state it started with and the last snapshot it saved.
#[derive(Debug)]
struct PgSession {
    key: String,
    writes: mpsc::UnboundedSender<Msg>,
    last: Mutex<Saved>,
    loaded: (Saved, Option<String>),
}

impl StateBackend for PgSession {
    fn load(&self) -> (Saved, Option<String>) {
        self.loaded.clone()
    }

    fn save(&self, saved: &Saved) -> std::io::Result<()> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let mut changed = items::changes(&last, saved, 0);
        if changed.is_empty() {
            return Ok(());
        }
        let base = items::reserve_stamps(changed.len());
        for item in &mut changed {
            item.at += base;
            // The writer lives as long as the server; a closed queue means it is stopping.
            let _ = self.writes.send(Msg::Write(self.key.clone(), item.clone()));
        }
        *last = saved.clone();
        Ok(())
    }
}

/// Writes queued changes, coalesced per item; while the database is away, retries with
/// backoff and keeps taking (and coalescing) new changes.
async fn writer(conn: Arc<Conn>, mut rx: mpsc::UnboundedReceiver<Msg>) {
    let mut pending: HashMap<(String, Kind, String), Item> = HashMap::new();
    let mut waiters: Vec<oneshot::Sender<()>> = Vec::new();
    let mut retry_at: Option<Instant> = None;
    let mut backoff = FIRST_RETRY;
    let take = |msg: Msg,
                pending: &mut HashMap<(String, Kind, String), Item>,
                waiters: &mut Vec<oneshot::Sender<()>>| match msg {
        Msg::Write(key, item) => {
            let id = (key, item.kind, item.slug.clone());
            if pending.get(&id).is_none_or(|old| items::wins(old, &item)) {
                pending.insert(id, item);
            }
        }
        Msg::Flush(tx) => waiters.push(tx),
        Msg::Probe => {}
    };
    loop {
        conn.queued.store(pending.len(), Ordering::Relaxed);
        if pending.is_empty() {
            for w in waiters.drain(..) {
                let _ = w.send(());
            }
        }
        let owed = !pending.is_empty() || conn.is_down();
        match (owed, retry_at) {
            (true, Some(at)) => {
                tokio::select! {
                    _ = sleep_until(at) => {}
                    Some(msg) = rx.recv() => {
                        take(msg, &mut pending, &mut waiters);
                        continue;
                    }
                }
            }
            (true, None) => {}
            (false, _) => match rx.recv().await {
                Some(msg) => take(msg, &mut pending, &mut waiters),
                None => return,
            },
        }
        while let Ok(msg) = rx.try_recv() {
            take(msg, &mut pending, &mut waiters);
        }
        let attempt = async {
            if pending.is_empty() {
                conn.probe().await
            } else {
                conn.write(&pending).await
            }
        };
        let result = timeout(WRITE_TIMEOUT, attempt)
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {WRITE_TIMEOUT:?}")));
        match result {
            Ok(()) => {
                pending.clear();
                conn.came_back();
                retry_at = None;
                backoff = FIRST_RETRY;
            }
            Err(e) => {
                conn.queued.store(pending.len(), Ordering::Relaxed);
                conn.went_down(&e);
                retry_at = Some(Instant::now() + backoff);
                backoff = (backoff * 2).min(LAST_RETRY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_urls_are_checked_and_logged_without_password() {
        let url = StateUrl::parse("postgres://reader:secret@127.0.0.1:5433/careerhub").unwrap();
        assert_eq!(url.describe(), "postgres://127.0.0.1:5433/careerhub");
        assert!(!format!("{url:?}").contains("secret"));
        let e = StateUrl::parse("mysql://x").unwrap_err();
        assert!(e.contains("postgres://USER@HOST:PORT/DATABASE"), "{e}");
        assert!(StateUrl::parse("postgres://h:notaport/db").is_err());
        // A Unix socket, as the flag's help shows it.
        let socket = StateUrl::parse("postgres://careerhub@%2Frun%2Fpostgresql/careerhub").unwrap();
        assert_eq!(
            socket.describe(),
            "postgres:///run/postgresql:5432/careerhub"
        );
    }
}
