//! careerhub binary: parse arguments, pick a command.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use careerhub::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    let Some(command) = &args.command else {
        // The interactive reader lands with its own issue; until then show the commands.
        let _ = <Cli as clap::CommandFactory>::command().print_help();
        return ExitCode::SUCCESS;
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    match cli::run(&args.global, command, &mut out, &mut err) {
        Ok(code) => {
            let _ = out.flush();
            ExitCode::from(code)
        }
        Err(e) => {
            let _ = out.flush();
            if !e.message.is_empty() && e.code != 0 {
                let _ = writeln!(err, "careerhub: {}", e.message);
            }
            ExitCode::from(e.code)
        }
    }
}
