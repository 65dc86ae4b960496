//! What `watch` tells the editor: a spinner line (indicatif) saying what is
//! being typeset, and above it one line per result with the local time, and
//! the diagnostics as `validate` and `build-package` print them.

use std::time::Duration;

use crate::diagnostic::{Diagnostic, Report, Texts};
use crate::output::BundleFile;

pub struct Status {
    quiet: bool,
    /// The spinner, on a terminal only: elsewhere (a log) each result is a line.
    bar: Option<indicatif::ProgressBar>,
    /// The last report printed, so an unchanged one is not repeated.
    last_report: Option<String>,
    /// The texts of the last load, for the excerpts of typesetting warnings.
    texts: Texts,
}

impl Status {
    pub fn new(quiet: bool) -> Self {
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let bar = (terminal && !quiet).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {wide_msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar.set_message("watching");
            bar
        });
        Self { quiet, bar, last_report: None, texts: Texts::default() }
    }

    /// What is being done now (the spinner's message).
    pub fn progress(&mut self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// A result: printed above the spinner (failures even when quiet).
    pub fn done(&mut self, message: &str) {
        if !self.quiet || message.starts_with('✗') {
            self.print(&format!("{message}\n"));
        }
        self.progress("watching");
    }

    /// What typst warned about while setting `file`, as build-package
    /// reports it (`typeset-warning`, placed at the Markdown line).
    pub fn warnings(&mut self, file: &BundleFile) {
        if self.quiet || file.warnings.is_empty() {
            return;
        }
        let diagnostics: Vec<Diagnostic> = crate::pipeline::typeset_warnings(file).collect();
        let printed = render(&Report::new(diagnostics), &self.texts);
        self.print(&printed);
    }

    /// The diagnostics of a load, unless the same were printed last.
    pub fn report(&mut self, report: &Report, texts: &Texts) {
        self.texts = texts.clone();
        if report.diagnostics.is_empty() {
            self.last_report = None;
            return;
        }
        let printed = render(report, texts);
        if self.last_report.as_ref() == Some(&printed) {
            return;
        }
        if !self.quiet || report.errors() > 0 {
            self.print(&printed);
        }
        self.last_report = Some(printed);
    }

    fn print(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprint!("{text}")),
            None => eprint!("{text}"),
        }
    }
}

impl Drop for Status {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn render(report: &Report, texts: &Texts) -> String {
    let mut buffer = termcolor::Buffer::no_color();
    report.print_human(texts, &mut buffer);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// The local time of day, for the status line: the system's time zone
/// (`TZ`, else /etc/localtime) through the C library, which needs no
/// time-zone database of our own.
pub fn clock() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    match local_time(now) {
        Some((hour, minute, second)) => format!("{hour:02}:{minute:02}:{second:02}"),
        None => format!("{:02}:{:02}:{:02} UTC", now / 3600 % 24, now / 60 % 60, now % 60),
    }
}

#[cfg(unix)]
fn local_time(seconds: u64) -> Option<(i32, i32, i32)> {
    let time = libc::time_t::try_from(seconds).ok()?;
    // SAFETY: localtime_r only writes the `tm` it is given (thread-safe,
    // unlike localtime).
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::localtime_r(&time, &mut tm) };
    (!result.is_null()).then_some((tm.tm_hour, tm.tm_min, tm.tm_sec))
}

#[cfg(not(unix))]
fn local_time(_seconds: u64) -> Option<(i32, i32, i32)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn the_clock_is_local_time() {
        // SAFETY: set before any other thread of this test reads TZ.
        unsafe { std::env::set_var("TZ", "Europe/Prague") };
        // 2026-07-01 10:00:00 UTC is noon in Prague (summer time).
        assert_eq!(local_time(1_782_900_000), Some((12, 0, 0)));
        let printed = clock();
        assert_eq!(printed.len(), 8, "{printed}");
        assert!(!printed.ends_with("UTC"), "{printed}");
    }
}
