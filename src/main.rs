//! careerhub binary: parse arguments, then run the reader or one command.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use careerhub::app::{App, AppOptions};
use careerhub::cli::{self, Cli};
use careerhub::store::Store;
use careerhub::term;

fn main() -> ExitCode {
    let args = cli::parse_args();
    let stdout = std::io::stdout();
    // Not locked for the whole run: the SSH server logs to stderr from other threads.
    let mut err = std::io::stderr();
    let result = match &args.command {
        Some(command) => {
            let mut out = stdout.lock();
            let r = cli::run(&args.global, args.theme, command, &mut out, &mut err);
            let _ = out.flush();
            r
        }
        None => reader(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if e.code != 0 {
                let _ = writeln!(err, "careerhub: {}", e.message);
            }
            ExitCode::from(e.code)
        }
    }
}

/// The interactive reader on this terminal.
fn reader(args: &Cli) -> Result<u8, cli::CliError> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(cli::CliError {
            code: 2,
            message:
                "the reader needs a terminal; for scripts use `careerhub list`, `search` or `read`"
                    .into(),
        });
    }
    // A first start on a big folder takes seconds: say so if it does.
    let notice = slow_notice(args, term::slow_notice::loading_message);
    let loaded = cli::load_for_reader(&args.global, args.global.load_options());
    drop(notice);
    let (library, deferred) = loaded?;
    let library = Arc::new(library);
    // Parsing a big folder freed tens of megabytes that glibc would keep for the session.
    careerhub::os::release_freed_memory();
    // Backlinks and the caches, beside the reader; waited for once the reader is closed.
    let deferred = deferred.spawn(library.clone());
    let store = Store::default_location();
    let (saved, warning) = store.load();
    let options = AppOptions {
        theme: args.theme,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        can_open_browser: true,
    };
    // The body index is opened (cheap) and brought up to date on a low-priority thread:
    // the first frame and typing never wait for it; the status line shows its progress.
    let body = cli::body_index(&args.global, &library);
    let mut app = App::new(library, args.global.source(), saved, options);
    app.body = body;
    app.message = warning;
    let ran = term::local::run(app, store).map_err(|e| cli::CliError {
        code: 1,
        message: format!("terminal error: {e}"),
    });
    // Quitting during a first start on a big folder: finish the caches, so the next start
    // is fast, and say so if that takes a moment.
    if let Some(pending) = deferred.filter(|p| !p.is_finished()) {
        let notice = slow_notice(args, term::slow_notice::saving_message);
        pending.finish();
        drop(notice);
    }
    ran?;
    Ok(0)
}

/// A line about the `--content` folder on the terminal if what follows takes a moment (see
/// [`term::slow_notice`]); none for the built-in library, or when stderr is not a terminal.
fn slow_notice(
    args: &Cli,
    message: fn(&std::path::Path, u16) -> String,
) -> Option<term::slow_notice::SlowNotice<std::io::Stderr>> {
    use std::io::IsTerminal;
    let dir = args.global.content.as_ref()?;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let columns = ratatui::crossterm::terminal::size().map_or(80, |(c, _)| c);
    Some(term::slow_notice::SlowNotice::start(
        message(dir, columns),
        term::slow_notice::DELAY,
        std::io::stderr(),
    ))
}
