//! Command-line interface: argument definitions and the non-interactive commands.
//!
//! Output contract (other tools depend on it): text goes to stdout, one record a line;
//! `--json` prints one JSON document; notes and errors go to stderr. Exit codes: 0 success,
//! 1 `check` found errors, 2 bad usage, unknown slug or unreadable content folder.

use std::io::{self, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::app::{AppOptions, Theme};
use crate::content::index::facets::FACETS;
use crate::content::load::Deferred;
use crate::content::load::source::Source;
use crate::content::render::document::{Block, Document, Inline};
use crate::content::render::layout::{self, Layout};
use crate::content::render::sanitize;
use crate::content::search::fulltext::{self, BodyIndex, Snippet, source::Corpus};
use crate::content::search::{self, Hit, Matched, Query, Searcher, title_positions};
use crate::content::{Article, index::Related};
use crate::content::{Bodies, Index, LoadOptions, Loader, Problem};
use crate::term::ssh::config::{
    OptionalDuration, PenaltySetting, ServeConfig, at_least_one, defaults, parse_optional_duration,
    parse_penalty_setting, parse_positive_duration,
};
use crate::term::ssh::{self, proxy::ProxyFrom};
use crate::ui::text::thousands;
use crate::ui::theme::{Styles, sgr};

/// Default width of `read` when stdout is not a terminal.
const DEFAULT_WIDTH: u16 = 80;

/// careerhub: read a library of career-guidance articles in the terminal.
#[derive(Debug, Parser)]
#[command(name = "careerhub", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Colour theme of the reader (NO_COLOR turns colours off).
    #[arg(long, value_parser = theme_parser(), default_value = "dark")]
    pub theme: Theme,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The command line of this process; on a usage error, prints it and exits with code 2.
pub fn parse_args() -> Cli {
    Cli::parse()
}

/// Parses `--theme`: the app's [`Theme`] knows nothing of clap, so the accepted names live
/// here (the help and the error list them: `[possible values: dark, light]`).
fn theme_parser() -> impl clap::builder::TypedValueParser<Value = Theme> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["dark", "light"]).map(|name| match name.as_str() {
        "light" => Theme::Light,
        _ => Theme::Dark,
    })
}

/// Parses `--limit`: a count of results, at least 1 (0 would print nothing, which is never
/// what a person asking for results means).
fn limit_parser(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err(
            "must be at least 1 (0 would show nothing; leave --limit out for the default)".into(),
        ),
        Ok(n) => Ok(n),
        // More than can be counted is a whole number too: everything there is.
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => Ok(usize::MAX),
        Err(_) => Err("not a whole number: give a count of at least 1".into()),
    }
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Folder of Markdown articles to read (default: the built-in library).
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Include drafts.
    #[arg(long, global = true)]
    pub drafts: bool,
    /// Include archived articles.
    #[arg(long, global = true)]
    pub archived: bool,
}

impl GlobalArgs {
    /// Where to load articles from.
    pub fn source(&self) -> Source {
        self.content.clone().map_or(Source::Embedded, Source::Dir)
    }

    /// Which hidden articles to include.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.drafts,
            archived: self.archived,
        }
    }

    /// The loader for these flags with `options`, keeping its caches in the XDG cache folder.
    pub fn loader(&self, options: LoadOptions) -> Loader {
        Loader::new(self.source(), options).with_cache_dir(crate::xdg::cache_dir())
    }
}

/// The non-interactive commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List articles, newest first, optionally filtered by facets.
    List {
        /// Only articles with this role (repeat for any of several).
        #[arg(long, value_name = "R")]
        role: Vec<String>,
        /// Only articles with this intent.
        #[arg(long, value_name = "I")]
        intent: Vec<String>,
        /// Only articles in this category.
        #[arg(long, value_name = "C")]
        category: Vec<String>,
        /// Only articles with this value of any facet.
        #[arg(long, value_name = "NAME=VALUE")]
        facet: Vec<String>,
        /// At most this many articles, the newest (at least 1; default: all).
        #[arg(long, value_name = "N", value_parser = limit_parser)]
        limit: Option<usize>,
        /// Print JSON instead of text (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Search titles, facets, descriptions and bodies; `role:x intent:y` terms filter.
    Search {
        /// Words and `facet:value` filters.
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
        /// At most this many results (at least 1; default: every title match and the best 50
        /// body matches).
        #[arg(long, value_name = "N", value_parser = limit_parser)]
        limit: Option<usize>,
        /// Where to look: titles, facets and descriptions (fuzzy), article bodies (full
        /// text), or both (title matches first).
        #[arg(long = "in", value_enum, default_value_t = SearchIn::All, value_name = "WHERE")]
        within: SearchIn,
        /// Print JSON instead of text (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Print an article as text.
    Read {
        /// The article's slug (see `careerhub list`).
        slug: String,
        /// Wrap width (default: the terminal's, or 80).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
        width: Option<u16>,
        /// Colours of the article on a terminal, as in the reader (default: the `--theme`
        /// given before `read`, else dark; NO_COLOR or a pipe print no colours).
        #[arg(long, value_parser = theme_parser(), value_name = "THEME")]
        theme: Option<Theme>,
    },
    /// Articles related to one: listed, similar, and linking to it.
    Related {
        /// The article's slug (see `careerhub list`).
        slug: String,
        /// Print JSON instead of text (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Every facet with its values and article counts.
    Facets {
        /// Print JSON instead of text (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Check every file (drafts and archived included) and list every problem.
    Check {
        /// Print JSON instead of text (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Serve the reader over SSH: `ssh -p 2222 host` opens it, nothing to install.
    Serve(Box<ServeArgs>),
    /// Print a shell completion script for bash, zsh, fish, elvish or PowerShell.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `careerhub man > ~/.local/share/man/man1/careerhub.1`.
    Man,
}

/// Where `careerhub search` looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchIn {
    /// Titles, facets and descriptions.
    Title,
    /// Article bodies.
    Body,
    /// Both.
    All,
}

/// Flags of `careerhub serve`, turned into the server's [`ServeConfig`]. Every hardening
/// control of the SSH server is one of them; their checks (a zero timer, a cap of 0) are the
/// value parsers of [`crate::term::ssh::config`], so the messages are the same wherever a
/// config is built.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (`0.0.0.0:2222` to accept connections from other machines).
    #[arg(long, default_value = defaults::LISTEN, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Host key file (OpenSSH format); an ed25519 key is generated there on first start.
    /// Default: `ssh_host_ed25519_key` in the data dir.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// Only admit the keys in this OpenSSH `authorized_keys` file. Without it the server is
    /// open: any key gets in (and keeps its state), clients without keys too (state for the
    /// session). Key options (`from=`, `command=`, …) are refused: careerhub cannot honour them.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: Option<PathBuf>,
    /// Where each key's bookmarks, places and history are kept. Default: `users/` in the data
    /// dir.
    #[arg(long, value_name = "DIR")]
    pub users_dir: Option<PathBuf>,
    /// Keep each key's state in PostgreSQL instead of files (`postgres://USER@HOST:PORT/DB`),
    /// so that several servers behind one balancer share it. Plain connection, no TLS: use
    /// loopback, a Unix socket (`postgres://USER@%2Frun%2Fpostgresql/DB`) or a private network.
    #[arg(long, env = "CAREERHUB_STATE", value_name = "URL", value_parser = crate::store::postgres::StateUrl::parse)]
    pub state: Option<crate::store::postgres::StateUrl>,
    /// Time from TCP accept to a running reader; slower clients are disconnected.
    #[arg(long, default_value = defaults::LOGIN_GRACE, value_parser = parse_positive_duration, value_name = "DURATION")]
    pub login_grace: Duration,
    /// Disconnect after this long without a keystroke (`off` never does).
    #[arg(long, default_value = defaults::IDLE_TIMEOUT, value_parser = parse_optional_duration, value_name = "DURATION")]
    pub idle_timeout: OptionalDuration,
    /// Longest a session may last (`off` for no limit).
    #[arg(long, default_value = defaults::MAX_SESSION, value_parser = parse_optional_duration, value_name = "DURATION")]
    pub max_session: OptionalDuration,
    /// Send an SSH keepalive after this long without hearing from the client.
    #[arg(long, default_value = defaults::KEEPALIVE, value_parser = parse_positive_duration, value_name = "DURATION")]
    pub keepalive: Duration,
    /// Disconnect after this many unanswered keepalives.
    #[arg(long, default_value_t = defaults::KEEPALIVE_MAX, value_name = "N")]
    pub keepalive_max: usize,
    /// Connections open at once, in total.
    #[arg(long, default_value_t = defaults::MAX_CONNECTIONS, value_name = "N", value_parser = at_least_one)]
    pub max_connections: usize,
    /// Connections open at once from one IP address.
    #[arg(long, default_value_t = defaults::MAX_PER_IP, value_name = "N", value_parser = at_least_one)]
    pub max_per_ip: usize,
    /// Connections open at once that have not authenticated yet.
    #[arg(long, default_value_t = defaults::MAX_UNAUTHENTICATED, value_name = "N", value_parser = at_least_one)]
    pub max_unauthenticated: usize,
    /// Per-source penalties, as OpenSSH's `PerSourcePenalties`: time added to an address for
    /// each connection that ends before logging in (`noauth`), with failed logins
    /// (`authfail`) or in an internal error (`crash`); while an address's penalty exceeds
    /// `min`, its new connections are refused; it never exceeds `max`. `off` disables.
    #[arg(
        long,
        default_value = defaults::PENALTIES,
        value_parser = parse_penalty_setting,
        value_name = "LIST"
    )]
    pub penalties: PenaltySetting,
    /// Load balancers that send a PROXY protocol header (v1 or v2), as `CIDR[,CIDR…]`:
    /// connections from them must start with one, and limits, logs and per-key state use the
    /// client address it names. Connections from elsewhere are plain SSH.
    #[arg(long, value_name = "CIDRS")]
    pub proxy_from: Option<ProxyFrom>,
    /// Input bytes per second a session may send (bursts of 4 s worth are allowed); more is
    /// dropped.
    #[arg(long, default_value_t = defaults::INPUT_RATE, value_name = "BYTES")]
    pub input_rate: u32,
    /// Colour theme of the readers.
    #[arg(long, value_parser = theme_parser(), default_value = "dark")]
    pub theme: Theme,
    /// Send no colours.
    #[arg(long)]
    pub no_color: bool,
}

impl ServeArgs {
    /// Parses `serve` flags from words, as on the command line (for tests and benches).
    pub fn from_flags<I, S>(flags: I) -> Result<ServeArgs, clap::Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString> + Clone,
    {
        use clap::FromArgMatches;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let words = std::iter::once(std::ffi::OsString::from("serve"))
            .chain(flags.into_iter().map(Into::into));
        let matches = <Wrapper as clap::CommandFactory>::command().try_get_matches_from(words)?;
        Ok(Wrapper::from_arg_matches(&matches)?.serve)
    }

    /// The server's settings: every flag was checked while parsing.
    pub fn config(&self) -> ServeConfig {
        ServeConfig::from(self.clone())
    }
}

impl From<ServeArgs> for ServeConfig {
    fn from(a: ServeArgs) -> ServeConfig {
        ServeConfig {
            listen: a.listen,
            host_key: a.host_key,
            authorized_keys: a.authorized_keys,
            users_dir: a.users_dir,
            state: a.state,
            login_grace: a.login_grace,
            idle_timeout: a.idle_timeout,
            max_session: a.max_session,
            keepalive: a.keepalive,
            keepalive_max: a.keepalive_max,
            max_connections: a.max_connections,
            max_per_ip: a.max_per_ip,
            max_unauthenticated: a.max_unauthenticated,
            penalties: a.penalties,
            proxy_from: a.proxy_from,
            input_rate: a.input_rate,
            theme: a.theme,
            no_color: a.no_color,
        }
    }
}

/// Body hits `search` lists when no `--limit` is given (`search --help` says the number).
const BODY_LIMIT: usize = 50;

/// A failure that ends a command with a message and an exit code.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: 2,
            message: message.into(),
        }
    }
}

type CliResult = Result<u8, CliError>;

/// Loads the library named by the global flags.
pub fn load(global: &GlobalArgs, options: LoadOptions) -> Result<Index, CliError> {
    global
        .loader(options)
        .load()
        .map_err(|e| CliError::usage(e.to_string()))
}

/// Like [`load`], for the reader: what its first frame does not need is left to do beside
/// it (see [`Loader::load_for_reader`]).
pub fn load_for_reader(
    global: &GlobalArgs,
    options: LoadOptions,
) -> Result<(Index, Deferred), CliError> {
    global
        .loader(options)
        .load_for_reader()
        .map_err(|e| CliError::usage(e.to_string()))
}

/// Runs one non-interactive command, writing to `out` and notes to `err`; returns the exit code.
/// `theme` is the `--theme` given before the command (`read` prints in its colours).
pub fn run(
    global: &GlobalArgs,
    theme: Theme,
    command: &Command,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CliResult {
    match command {
        Command::Check { json } => check(global, *json, out, err),
        Command::Serve(args) => serve(global, &args.config()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "careerhub", out);
            Ok(0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out).map_err(io_error)?;
            Ok(0)
        }
        Command::Read {
            slug,
            width,
            theme: read_theme,
        } => with_library(global, err, |lib, _| {
            let theme = read_theme.unwrap_or(theme);
            read(
                lib,
                &mut Bodies::new(global.source()),
                slug,
                *width,
                theme,
                out,
            )
        }),
        Command::List {
            role,
            intent,
            category,
            facet,
            limit,
            json,
        } => with_library(global, err, |lib, err| {
            let query = list_query(role, intent, category, facet)?;
            let filter = query.facet_filter(lib);
            let articles: Vec<&Article> = lib
                .by_date()
                .iter()
                .filter(|&&id| filter.passes(lib, id))
                .take(limit.unwrap_or(usize::MAX))
                .map(|&id| lib.get(id))
                .collect();
            if articles.is_empty() {
                nothing_matches(lib, global, &describe_filters(&query), err);
            }
            list(&articles, *json, out).map_err(io_error)
        }),
        Command::Search {
            query,
            limit,
            within,
            json,
        } => with_library(global, err, |lib, err| {
            let mut text = query_text(lib, query);
            // The reader's cap: matching time grows with the query, and no question needs more.
            let cap = crate::app::update::MAX_INPUT_CHARS;
            if let Some((cut, _)) = text.char_indices().nth(cap) {
                text.truncate(cut);
                let _ = writeln!(
                    err,
                    "careerhub: the query is cut to its first {cap} characters"
                );
            }
            if let Some(cut) = search::cap_words(&text) {
                text = cut;
                let _ = writeln!(
                    err,
                    "careerhub: the query is cut to its first {} words",
                    search::MAX_QUERY_WORDS
                );
            }
            let query = Query::parse(&text);
            let mut hits = match within {
                SearchIn::Body => Vec::new(),
                _ => Searcher::default().search(lib, &query, lib.by_date()),
            };
            if *within != SearchIn::Title && !query.words.is_empty() {
                match body_index_now(global, lib) {
                    Ok(index) => {
                        let n = limit.unwrap_or(BODY_LIMIT);
                        hits = search::with_body_hits(hits, index.search(lib, &query, n, n));
                    }
                    Err(e) => {
                        let _ = writeln!(
                            err,
                            "careerhub: {e}; showing title matches only (delete the folder to rebuild it)"
                        );
                    }
                }
            }
            hits.truncate(limit.unwrap_or(usize::MAX));
            for hit in &mut hits {
                hit.positions = title_positions(&lib.get(hit.id).title, &query.words);
            }
            if hits.is_empty() {
                let what = format!("the search `{}`", sanitize::line(&shown_query(&query)));
                nothing_matches(lib, global, &what, err);
            }
            search(lib, &hits, *json, out).map_err(io_error)
        }),
        Command::Related { slug, json } => with_library(global, err, |lib, err| {
            let id = find(lib, slug)?.id;
            // Similar by content (the body index), else by shared facets.
            let items = match body_index_now(global, lib) {
                Ok(index) => index.related(lib, id),
                Err(e) => {
                    let _ = writeln!(err, "careerhub: {e}; similar articles by facets only");
                    lib.related(id)
                }
            };
            if items.is_empty() {
                let _ = writeln!(
                    err,
                    "careerhub: `{}` has no related articles in this library",
                    sanitize::line(slug)
                );
            }
            related(lib, &items, *json, out).map_err(io_error)
        }),
        Command::Facets { json } => with_library(global, err, |lib, err| {
            if lib.facet_counts(lib.by_date()).is_empty() {
                no_facets(lib, global, err);
            }
            facets(lib, *json, out).map_err(io_error)
        }),
    }
}

/// Loads the library, runs `command` on it, then notes skipped files on stderr.
fn with_library(
    global: &GlobalArgs,
    err: &mut dyn Write,
    command: impl FnOnce(&Index, &mut dyn Write) -> CliResult,
) -> CliResult {
    let lib = load(global, global.load_options())?;
    let result = command(&lib, err);
    if result.is_ok() {
        skipped_note(&lib, err);
    }
    // The process ends right after a command: freeing a big library string by string would
    // only delay the exit (about 20 ms at 10,000 articles), so the OS reclaims it instead.
    std::mem::forget(lib);
    result
}

/// Says on stderr that nothing matched (stdout stays empty and the exit code 0, so scripts
/// are unaffected), and what there is to match.
fn nothing_matches(lib: &Index, global: &GlobalArgs, what: &str, err: &mut dyn Write) {
    if lib.is_empty() {
        let _ = writeln!(err, "careerhub: no articles in {}", place(global));
        return;
    }
    let names: Vec<String> = lib
        .facet_counts(lib.by_date())
        .into_iter()
        .map(|(name, _)| sanitize::line(&name).into_owned())
        .collect();
    if names.is_empty() {
        let _ = writeln!(
            err,
            "careerhub: no articles match {what}: the articles here have no facets; {}",
            facet_keys_hint()
        );
        return;
    }
    let _ = writeln!(
        err,
        "careerhub: no articles match {what}; facets here: {}",
        names.join(", ")
    );
}

/// How articles get facets, for messages about a library without any: `tags` (read by the
/// loader as a list or a map of facets) and the facets' own keys in [`FACETS`].
fn facet_keys_hint() -> String {
    let keys: Vec<String> = FACETS
        .iter()
        .flat_map(|f| f.keys)
        .map(|k| format!("`{}`", k.key))
        .collect();
    format!(
        "facets come from frontmatter keys: `tags` (a list, or a map of facet name to values \
         such as `tags: {{role: [data-analyst]}}`), {}",
        keys.join(", ")
    )
}

/// `facets` found none: says so on stderr, and how facets are set.
fn no_facets(lib: &Index, global: &GlobalArgs, err: &mut dyn Write) {
    if lib.is_empty() {
        let _ = writeln!(err, "careerhub: no articles in {}", place(global));
        return;
    }
    let articles = match lib.len() {
        1 => "its one article has none".to_owned(),
        n => format!("none of its {} articles has any", thousands(n)),
    };
    let _ = writeln!(
        err,
        "careerhub: no facets in {}: {articles}; {}",
        place(global),
        facet_keys_hint()
    );
}

/// The library the global flags name, for a message.
fn place(global: &GlobalArgs) -> String {
    global.content.as_ref().map_or_else(
        || "the built-in library".to_owned(),
        |dir| sanitize::line(&dir.display().to_string()).into_owned(),
    )
}

/// `role=data-analyst, seniority=senior` for a message.
fn describe_filters(query: &Query) -> String {
    if query.filters.is_empty() {
        return "(no filter)".into();
    }
    let parts: Vec<String> = query
        .filters
        .iter()
        .map(|(k, v)| format!("{}={}", sanitize::line(k), sanitize::line(v)))
        .collect();
    parts.join(", ")
}

/// The query as the user could type it again.
fn shown_query(query: &Query) -> String {
    let mut parts: Vec<String> = query
        .filters
        .iter()
        .map(|(k, v)| {
            if v.contains(' ') {
                format!("{k}:\"{v}\"")
            } else {
                format!("{k}:{v}")
            }
        })
        .collect();
    parts.extend(query.words.iter().cloned());
    parts.join(" ")
}

/// The filters of `list` as a query.
fn list_query(
    role: &[String],
    intent: &[String],
    category: &[String],
    facet: &[String],
) -> Result<Query, CliError> {
    let mut filters: Vec<(String, String)> = Vec::new();
    // The flags, named after the facets they filter (see `facets::FACETS`).
    for (flag, values) in [("role", role), ("intent", intent), ("category", category)] {
        let spec = FACETS.iter().find(|f| f.cli_flag == Some(flag));
        let name = spec.map_or(flag, |f| f.name);
        filters.extend(values.iter().map(|v| (name.to_owned(), v.clone())));
    }
    for f in facet {
        let (name, value) = f
            .split_once('=')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
            .ok_or_else(|| {
                CliError::usage(format!(
                    "--facet `{f}`: expected NAME=VALUE, e.g. --facet role=data-analyst"
                ))
            })?;
        filters.push((name.to_lowercase(), value.to_owned()));
    }
    Ok(Query {
        filters,
        words: Vec::new(),
    })
}

/// The query words as one query. An argument the shell kept whole is read as typed, words
/// and filters alike (`"role:data-analyst follow up"`), except one that names a facet value
/// holding spaces, such as `tag:how we work` from `'tag:how we work'`: that stays one filter,
/// its value quoted.
fn query_text(lib: &Index, args: &[String]) -> String {
    let is_value = |name: &str, value: &str| {
        (0..lib.facet_pair_count()).any(|v| {
            let (n, known) = lib.facet_pair(v as u32);
            n.eq_ignore_ascii_case(name) && known.eq_ignore_ascii_case(value.trim())
        })
    };
    let quoted = |a: &String| match a.split_once(':') {
        Some((name, value))
            if value.contains(char::is_whitespace)
                && !name.is_empty()
                && !name.contains(char::is_whitespace)
                && !value.starts_with('"')
                && is_value(name, value) =>
        {
            format!("{name}:\"{}\"", value.trim())
        }
        _ => a.clone(),
    };
    args.iter().map(quoted).collect::<Vec<_>>().join(" ")
}

fn io_error(e: io::Error) -> CliError {
    CliError {
        code: if e.kind() == io::ErrorKind::BrokenPipe {
            0
        } else {
            2
        },
        message: format!("cannot write output: {e}"),
    }
}

/// Tells on stderr how many files were skipped and how many loaded with warnings, so scripts
/// see partial results are partial.
fn skipped_note(lib: &Index, err: &mut dyn Write) {
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let mut parts = Vec::new();
    let n = lib.skipped();
    if n > 0 {
        parts.push(format!("{n} {} skipped because of errors", files(n)));
    }
    let mut warned: Vec<&str> = lib
        .problems()
        .iter()
        .filter(|p| !p.is_error())
        .map(|p| p.path.as_str())
        .collect();
    warned.dedup();
    let n = warned.len();
    if n > 0 {
        parts.push(format!("{n} {} loaded with warnings", files(n)));
    }
    if !parts.is_empty() {
        let _ = writeln!(
            err,
            "careerhub: {}; run `careerhub check` for details",
            parts.join(", ")
        );
    }
}

fn find<'a>(lib: &'a Index, slug: &str) -> Result<&'a Article, CliError> {
    lib.by_slug(slug).ok_or_else(|| {
        let shown = sanitize::line(slug);
        CliError::usage(format!("no article with slug `{shown}`: run `careerhub list` or `careerhub search {shown}` to find one"))
    })
}

/// JSON shape of an article, shared by `list`, `search` and `related`.
#[derive(Serialize)]
struct ArticleJson<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    category: Option<&'a str>,
    date: Option<String>,
    facets: &'a std::collections::BTreeMap<String, Vec<String>>,
    draft: bool,
    archived: bool,
    path: std::borrow::Cow<'a, str>,
    reading_minutes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    positions: Option<&'a [usize]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<crate::content::index::RelatedKind>,
    /// `search` only: where the words matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<Matched>,
    /// `search` only: the body text around the match (null for title matches).
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Option<&'a Snippet>>,
}

impl<'a> ArticleJson<'a> {
    fn new(a: &'a Article) -> Self {
        ArticleJson {
            slug: &a.slug,
            title: &a.title,
            description: &a.description,
            category: a.category(),
            date: a.date.map(|d| d.to_string()),
            facets: &a.facets,
            draft: a.draft,
            archived: a.archived,
            // The path is kept raw to read the file again; shown, it is sanitized like the rest.
            path: sanitize::line(&a.path),
            reading_minutes: a.reading_minutes(),
            score: None,
            positions: None,
            kind: None,
            matched: None,
            snippet: None,
        }
    }
}

fn write_json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<u8> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(0)
}

/// One aligned text row: date, slug, title.
fn row(out: &mut dyn Write, prefix: &str, a: &Article) -> io::Result<()> {
    let date = a.date.map_or_else(|| "-".repeat(10), |d| d.to_string());
    writeln!(out, "{prefix}{date}  {}  {}", pad_to(&a.slug, 48), a.title)
}

/// `text` followed by spaces up to `columns` terminal columns, measured by display width:
/// CJK characters take two columns, combining marks none (`{:<n}` counts characters).
fn pad_to(text: &str, columns: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let fill = columns.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn list(articles: &[&Article], json: bool, out: &mut dyn Write) -> io::Result<u8> {
    if json {
        return write_json(
            out,
            &articles
                .iter()
                .map(|a| ArticleJson::new(a))
                .collect::<Vec<_>>(),
        );
    }
    for a in articles {
        row(out, "", a)?;
    }
    Ok(0)
}

fn search(lib: &Index, hits: &[Hit], json: bool, out: &mut dyn Write) -> io::Result<u8> {
    if json {
        let rows: Vec<ArticleJson> = hits
            .iter()
            .map(|h| ArticleJson {
                score: Some(h.score),
                positions: Some(&h.positions),
                matched: Some(h.matched),
                snippet: Some(h.snippet.as_ref()),
                ..ArticleJson::new(lib.get(h.id))
            })
            .collect();
        return write_json(out, &rows);
    }
    for h in hits {
        row(out, &format!("{:>6}  ", h.score), lib.get(h.id))?;
    }
    Ok(0)
}

fn related(lib: &Index, related: &[Related], json: bool, out: &mut dyn Write) -> io::Result<u8> {
    if json {
        let rows: Vec<ArticleJson> = related
            .iter()
            .map(|r| ArticleJson {
                kind: Some(r.kind),
                ..ArticleJson::new(lib.get(r.id))
            })
            .collect();
        return write_json(out, &rows);
    }
    for r in related {
        row(out, &format!("{:<10}  ", r.kind.label()), lib.get(r.id))?;
    }
    Ok(0)
}

fn facets(lib: &Index, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let counts = lib.facet_counts(lib.by_date());
    if json {
        let map: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(name, values)| {
                let values = values
                    .iter()
                    .map(|v| serde_json::json!({"value": v.value, "count": v.count}))
                    .collect();
                (name.clone(), serde_json::Value::Array(values))
            })
            .collect();
        return write_json(out, &map);
    }
    for (name, values) in &counts {
        writeln!(out, "{name}")?;
        for v in values {
            writeln!(out, "  {} {:>5}", pad_to(&v.value, 32), v.count)?;
        }
    }
    Ok(0)
}

fn read(
    lib: &Index,
    bodies: &mut Bodies,
    slug: &str,
    width: Option<u16>,
    theme: Theme,
    out: &mut dyn Write,
) -> CliResult {
    let article = find(lib, slug)?;
    let doc = bodies
        .document(lib, article.id)
        .map_err(|problem| CliError {
            code: 1,
            message: format!("cannot show the article: {problem}; run `careerhub check`"),
        })?;
    let tty = io::stdout().is_terminal();
    let width = width.unwrap_or_else(|| {
        if tty {
            ratatui::crossterm::terminal::size().map_or(DEFAULT_WIDTH, |(w, _)| w.min(100))
        } else {
            DEFAULT_WIDTH
        }
    });
    let styled = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // The reader's own styles for the theme, so a printed article looks as the reader shows it.
    let styles = styled.then(|| {
        Styles::new(&AppOptions {
            theme,
            color: true,
            ..AppOptions::default()
        })
    });
    let layout = layout::layout(&doc, width);
    write_article(article, &layout, styles.as_ref(), out).map_err(io_error)
}

/// Title, a metadata line, then the wrapped body, in `styles` when given (else plain); the
/// header goes through the same layout so that a long title wraps like the body.
fn write_article(
    article: &Article,
    body: &Layout,
    styles: Option<&Styles>,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let header = layout::layout(&article_header(article), body.width);
    for line in header
        .lines
        .iter()
        .chain([&Default::default()])
        .chain(&body.lines)
    {
        let mut text = String::new();
        for span in &line.spans {
            let t = sanitize::line(&span.text);
            if let Some(styles) = styles {
                text.push_str(&sgr(&t, styles.span(span.style)));
            } else {
                text.push_str(&t);
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(0)
}

/// The title as a heading and a line of date, category and reading time.
pub fn article_header(article: &Article) -> Document {
    let mut meta = Vec::new();
    if let Some(d) = article.date {
        meta.push(d.to_string());
    }
    if let Some(c) = article.category() {
        meta.push(c.to_owned());
    }
    meta.push(format!("{} min read", article.reading_minutes()));
    let text = |t: String| {
        vec![Inline {
            text: t,
            ..Inline::default()
        }]
    };
    Document {
        blocks: vec![
            Block::Heading {
                level: 1,
                text: text(article.title.clone()),
            },
            Block::Paragraph(text(meta.join(" · "))),
        ],
        links: Vec::new(),
    }
}

/// The body index of the library named by the global flags, opened (cheap) and brought up
/// to date on a low-priority thread of its own; `None` (with a log line) when it cannot be
/// opened: search then covers titles, facets and descriptions only.
pub fn body_index(global: &GlobalArgs, library: &Arc<Index>) -> Option<Arc<BodyIndex>> {
    let source = global.source();
    let corpus = Corpus {
        index: library,
        source: &source,
    };
    let body = BodyIndex::open(&corpus, global.load_options(), crate::xdg::cache_dir())
        .map_err(|e| tracing::warn!(error = %e, "body search off"))
        .ok()
        .map(Arc::new)?;
    fulltext::spawn_update(body.clone(), library.clone(), source);
    Some(body)
}

/// The body index of `lib`, brought up to date before the command goes on (the CLI waits;
/// the reader does not, see [`body_index`]).
fn body_index_now(global: &GlobalArgs, lib: &Index) -> Result<BodyIndex, fulltext::FulltextError> {
    let source = global.source();
    let corpus = Corpus {
        index: lib,
        source: &source,
    };
    BodyIndex::ensure(&corpus, global.load_options(), crate::xdg::cache_dir())
}

/// `serve`: loads the library once, then serves it over SSH until SIGTERM.
fn serve(global: &GlobalArgs, config: &ServeConfig) -> CliResult {
    let _logging = ssh::Logging::start();
    let library = Arc::new(load(global, global.load_options())?);
    // The server runs for days: give back what loading freed.
    crate::os::release_freed_memory();
    // One body index for every session, brought up to date in the background.
    let body = body_index(global, &library);
    ssh::run(library, global.source(), body, config).map_err(|e| CliError {
        code: e.exit_code(),
        message: e.to_string(),
    })?;
    Ok(0)
}

/// `check`: every problem of every file, drafts and archived included.
fn check(global: &GlobalArgs, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> CliResult {
    let lib = load(
        global,
        LoadOptions {
            drafts: true,
            archived: true,
        },
    )?;
    let mut problems: Vec<Problem> = lib.problems().to_vec();
    problems.extend(Bodies::new(global.source()).check(&lib));
    problems.extend(lib.unresolved_related());
    problems.extend(lib.canonical_outliers());
    problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let errors = problems.iter().filter(|p| p.is_error()).count();
    if json {
        write_json(out, &problems).map_err(io_error)?;
    } else {
        for p in &problems {
            writeln!(out, "{p}").map_err(io_error)?;
        }
    }
    let warnings = problems.len() - errors;
    let checked = lib.len() + lib.skipped() + lib.sections();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut parts = vec![format!(
        "{} article{}",
        thousands(lib.len()),
        plural(lib.len())
    )];
    if lib.sections() > 0 {
        let n = lib.sections();
        parts.push(format!(
            "{} section page{} skipped",
            thousands(n),
            plural(n)
        ));
    }
    if lib.skipped() > 0 {
        let n = lib.skipped();
        parts.push(format!("{} file{} unreadable", thousands(n), plural(n)));
    }
    let _ = writeln!(
        err,
        "careerhub: checked {} file{} in {}: {}; {} error{}, {} warning{}",
        thousands(checked),
        plural(checked),
        global.source().describe(),
        parts.join(", "),
        thousands(errors),
        plural(errors),
        thousands(warnings),
        plural(warnings),
    );
    // The state of the library at a glance: how many problems of each kind.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for p in &problems {
        let kind = format!("{}: {}", p.severity, p.kind());
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (kind, n) in kinds {
        let _ = writeln!(err, "  {:>7}  {kind}", thousands(n));
    }
    Ok(if errors > 0 { 1 } else { 0 })
}

#[cfg(test)]
mod tests;
