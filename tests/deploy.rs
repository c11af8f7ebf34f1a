//! The reader's side of `.ci/deploy-test`: real HAProxy, two real `careerhub serve`
//! instances and a real PostgreSQL, started by the script. Without the script's environment
//! this test says so and passes (plain `cargo test` runs anywhere).
//!
//! `CAREERHUB_DEPLOY_STEP=write`: from 127.0.0.2, a key bookmarks the newest article and
//! moves its reading place; the step records what it saw. The script then SIGKILLs the
//! instance that served it. `CAREERHUB_DEPLOY_STEP=read`: from 127.0.0.3, the same key finds
//! the bookmark and the place on the surviving instance. `outage`: with the database
//! stopped, a reader (from 127.0.0.4) is told its saved state is unavailable and bookmarks the
//! second-newest article anyway; the script starts the database again. `after-outage`: both
//! bookmarks are there (the one made during the outage was queued, and did not overwrite the
//! first). `history`: two servers' stores of one key each save a full reading history of
//! their own; the database keeps only the newest (the reader shows no more), so a key's rows
//! do not grow with every article it ever opened.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use careerhub::term::ssh::hostkey;
use russh::client;
use russh::keys::PrivateKeyWithHashAlg;
use tokio::net::TcpSocket;
use tokio::time::timeout;

mod ssh_support;
use ssh_support::{Client, LIBRARY, Term, WAIT};

/// The first words of a title, short enough to be on screen whatever the layout.
fn head(title: &str) -> String {
    title
        .chars()
        .take(18)
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Connects to HAProxy from `from` (a loopback address of our choosing, so the server's log
/// can only have it from the PROXY header) and logs in with `key`.
async fn login(haproxy: SocketAddr, from: [u8; 4], key: &russh::keys::PrivateKey) -> Term {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((from, 0))).unwrap();
    let stream = timeout(WAIT, socket.connect(haproxy))
        .await
        .expect("connect in time")
        .expect("connect to HAProxy");
    let config = Arc::new(client::Config::default());
    let mut handle = timeout(WAIT, client::connect_stream(config, stream, Client))
        .await
        .expect("SSH handshake in time")
        .expect("SSH handshake through HAProxy");
    let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
    let auth = handle.authenticate_publickey("reader", key).await.unwrap();
    assert!(auth.success(), "the key is admitted");
    let term = Term::open(&handle, 100, 30).await;
    // The handle owns the connection; the test ends with the process.
    std::mem::forget(handle);
    term
}

/// The reader's title bar: the title, a star if bookmarked, the percentage.
fn title_bar(term: &Term) -> String {
    term.text().lines().next().unwrap_or("").to_string()
}

/// The percentage at the end of the title bar.
fn percent(bar: &str) -> Option<u16> {
    bar.trim_end()
        .strip_suffix('%')?
        .rsplit(' ')
        .next()?
        .parse()
        .ok()
}

#[tokio::test]
async fn deployment_keeps_bookmark_and_place_across_a_killed_instance() {
    let (Ok(step), Ok(addr), Ok(dir)) = (
        std::env::var("CAREERHUB_DEPLOY_STEP"),
        std::env::var("CAREERHUB_DEPLOY_ADDR"),
        std::env::var("CAREERHUB_DEPLOY_DIR"),
    ) else {
        eprintln!("skipped: run by .ci/deploy-test (needs CAREERHUB_DEPLOY_STEP, _ADDR and _DIR)");
        return;
    };
    let haproxy: SocketAddr = addr.parse().expect("CAREERHUB_DEPLOY_ADDR is HOST:PORT");
    let dir = PathBuf::from(dir);
    // The reader's key, made by the first step and read by the second.
    let (key, _) = hostkey::load_or_create(&dir.join("reader_key")).unwrap();
    let newest = LIBRARY.get(LIBRARY.by_date()[0]).title.clone();
    let title = head(&newest);
    let record = dir.join("place.txt");
    match step.as_str() {
        "write" => {
            let mut term = login(haproxy, [127, 0, 0, 2], &key).await;
            term.shows("remembered for this SSH key").await;
            term.shows(&title).await;
            // Open the newest article, bookmark it, read two pages on.
            term.send(b"\r").await;
            term.until("the article open", |t| {
                title_bar(t).contains(&title) && percent(&title_bar(t)).is_some()
            })
            .await;
            term.send(b"m").await;
            term.until("the bookmark star", |t| title_bar(t).contains('★'))
                .await;
            term.send(b"  ").await;
            term.until("a reading place past the start", |t| {
                percent(&title_bar(t)).is_some_and(|p| p > 0)
            })
            .await;
            let place = percent(&title_bar(&term)).unwrap();
            // Back to the library (the place is saved), then quit.
            term.send(b"h").await;
            term.until("the library with the progress", |t| {
                t.text().contains(&format!("{place}%")) && !title_bar(t).contains('★')
            })
            .await;
            term.send(b"q").await;
            term.ends_with_status(0).await;
            std::fs::write(&record, place.to_string()).unwrap();
            eprintln!("bookmarked `{title}` and left it at {place}%");
        }
        "read" => {
            let place: u16 = std::fs::read_to_string(&record)
                .expect("the write step ran first")
                .trim()
                .parse()
                .unwrap();
            let mut term = login(haproxy, [127, 0, 0, 3], &key).await;
            term.shows(&title).await;
            // The bookmark: the bookmarks list holds the article.
            term.send(b"B").await;
            term.shows("m remove").await;
            assert!(!term.text().contains("No bookmarks"), "{}", term.text());
            term.shows(&title).await;
            // The place: opening it from there lands where the first step left it.
            term.send(b"\r").await;
            term.until("the article at its saved place", |t| {
                let bar = title_bar(t);
                bar.contains(&title) && bar.contains('★') && percent(&bar) == Some(place)
            })
            .await;
            // q leaves the reader, a second q quits.
            term.send(b"q").await;
            term.until("back in the library", |t| !title_bar(t).contains('★'))
                .await;
            term.send(b"q").await;
            term.ends_with_status(0).await;
            eprintln!("found `{title}` bookmarked and at {place}% on the surviving instance");
        }
        "outage" => {
            let second = head(&LIBRARY.get(LIBRARY.by_date()[1]).title);
            let mut term = login(haproxy, [127, 0, 0, 4], &key).await;
            term.shows("unavailable right now").await;
            term.shows(&second).await;
            term.send(b"jm").await;
            term.until("the second article bookmarked", |t| {
                t.text().contains(&format!("★ {second}"))
            })
            .await;
            term.send(b"q").await;
            term.ends_with_status(0).await;
            eprintln!("bookmarked `{second}` while the database was away");
        }
        "after-outage" => {
            let second = head(&LIBRARY.get(LIBRARY.by_date()[1]).title);
            let mut term = login(haproxy, [127, 0, 0, 5], &key).await;
            term.shows(&title).await;
            term.send(b"B").await;
            term.shows("m remove").await;
            term.shows(&second).await;
            term.until("both bookmarks", |t| {
                let text = t.text();
                let in_box = text.split("Bookmarks").nth(1).unwrap_or("");
                in_box.contains(&title) && in_box.contains(&second)
            })
            .await;
            term.send(b"\x03").await;
            term.ends_with_status(0).await;
            eprintln!("both bookmarks there after the outage");
        }
        "history" => {
            use careerhub::app::Saved;
            use careerhub::app::state::RECENT_LIMIT;
            use careerhub::store::postgres::{PgState, StateUrl};
            let url = std::env::var("CAREERHUB_DEPLOY_DB").expect("CAREERHUB_DEPLOY_DB");
            let url = StateUrl::parse(&url).unwrap();
            let (a, b) = (
                PgState::start(&url).await.unwrap(),
                PgState::start(&url).await.unwrap(),
            );
            let key = "0123456789abcdef".repeat(4);
            let histories: Vec<Vec<String>> = ["a", "b"]
                .iter()
                .map(|s| {
                    (0..RECENT_LIMIT)
                        .map(|i| format!("read-on-{s}-{i}"))
                        .collect()
                })
                .collect();
            for (server, recent) in [&a, &b].into_iter().zip(&histories) {
                let (store, notice) = server.open(&key).await;
                assert_eq!(notice, None);
                let saved = Saved {
                    recent: recent.clone(),
                    ..Saved::default()
                };
                store.save(&saved).unwrap();
                server.flush(WAIT).await;
            }
            let (store, _) = a.open(&key).await;
            assert_eq!(store.load().0.recent, histories[1], "the newest history");
            let (client, connection) = url.0.connect(tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            let rows: i64 = client
                .query_one(
                    "SELECT count(*) FROM careerhub_item WHERE key_sha256 = $1 AND kind = 'recent'",
                    &[&key],
                )
                .await
                .unwrap()
                .get(0);
            assert_eq!(rows, RECENT_LIMIT as i64);
            eprintln!("{rows} history rows kept of {}", 2 * RECENT_LIMIT);
        }
        other => panic!(
            "CAREERHUB_DEPLOY_STEP is `{other}`: write, read, outage, after-outage or history"
        ),
    }
}

#[test]
fn percent_is_read_from_the_title_bar() {
    assert_eq!(percent("Some title   ★  42%"), Some(42));
    assert_eq!(percent("Some title    0%"), Some(0));
    assert_eq!(percent("Some title"), None);
}
