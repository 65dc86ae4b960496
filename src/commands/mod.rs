//! The commands that run the pipeline and tell the user what happened:
//! each decides what to run (`validate`, `build`, `watch`) over
//! [`crate::pipeline`], and how to say it. Output helpers shared by all
//! commands live here. Commands take plain options: [`crate::cli`] turns
//! clap's arguments into them, and nothing here knows clap.

pub mod build;
pub mod validate;
pub mod watch;

use std::io::Write;

use crate::diagnostic::Report;

/// Exit codes of the SPEC.
pub mod exit {
    pub const OK: i32 = 0;
    /// The inputs have errors.
    pub const INVALID: i32 = 1;
    /// Usage errors, unreadable paths, internal failures.
    pub const FAILURE: i32 = 2;
}

/// Writes a command's result to stdout and returns `code`. A reader that
/// stops early (`emn-pub man | head`, `grep -q`) is not an error: the output
/// was wanted only that far. Any other write error is.
pub fn print_output(output: &[u8], code: i32) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(output).and_then(|()| stdout.flush()) {
        Ok(()) => code,
        Err(error) if reader_gone(&error) => code,
        Err(error) => fail(&anyhow::Error::new(error).context("cannot write to standard output")),
    }
}

/// True when the other end of stdout has gone away: a closed pipe on Unix,
/// and on Windows also "the pipe is being closed" (232) and "no process is on
/// the other end of the pipe" (233), which std does not map to `BrokenPipe`.
fn reader_gone(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::BrokenPipe || (cfg!(windows) && matches!(error.raw_os_error(), Some(232 | 233)))
}

pub fn fail(error: &anyhow::Error) -> i32 {
    let mut message = format!("{error}");
    for cause in error.chain().skip(1) {
        message.push_str(&format!(" ({cause})"));
    }
    print_error(&message);
    exit::FAILURE
}

/// `error: …` on stderr, its control characters shown, not sent.
pub fn print_error(message: &dyn std::fmt::Display) {
    eprintln!("error: {}", crate::diagnostic::shown_text(&message.to_string()));
}

/// Diagnostics as `validate` prints them (only errors with `--quiet`).
pub fn print_report(report: &Report, texts: &crate::diagnostic::Texts, quiet: bool) {
    if quiet && report.errors() == 0 {
        return;
    }
    let report = if quiet {
        Report::new(report.diagnostics.iter().filter(|d| d.is_error()).cloned().collect())
    } else {
        report.clone()
    };
    let choice = if std::env::var_os("NO_COLOR").is_some() || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        termcolor::ColorChoice::Never
    } else {
        termcolor::ColorChoice::Auto
    };
    let mut stderr = termcolor::StandardStream::stderr(choice);
    report.print_human(texts, &mut stderr);
}
