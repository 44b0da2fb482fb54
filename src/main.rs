//! The `sentinella` command line: parse, load, execute, report.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            // Messages quote file names and file content: escaped.
            eprintln!(
                "error: {}",
                sentinella::validate::printable(&format!("{err:#}"))
            );
            ExitCode::from(cli::EXIT_BAD_INPUT)
        }
    }
}
