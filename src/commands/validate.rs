//! `validate`: the pipeline's first stages (load, image probes, check) and
//! the report, for people (with excerpts) or tools (JSON).

use super::exit;
use super::{print_output, print_report};

/// How `validate` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// Messages with excerpts of the files, for people.
    #[default]
    Human,
    /// One JSON document, for tools.
    Json,
}

/// What `validate` is asked to do.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    pub dir: std::path::PathBuf,
    pub format: ReportFormat,
    pub deny_warnings: bool,
    pub quiet: bool,
}

/// `emn-pub validate`: every problem at once, as text or JSON.
pub fn run(args: &ValidateOptions) -> i32 {
    let quiet = args.quiet;
    let started = std::time::Instant::now();
    let checked = match crate::pipeline::load_and_check(&args.dir) {
        Ok(checked) => checked,
        Err(error) => {
            super::print_error(&error);
            return exit::FAILURE;
        }
    };
    let (report, texts) = (checked.report, checked.texts);
    let code = if report.ok(args.deny_warnings) { exit::OK } else { exit::INVALID };
    match args.format {
        ReportFormat::Json => {
            let json = with_figures(&report.to_json(args.deny_warnings), checked.package.as_ref());
            return print_output(format!("{json}\n").as_bytes(), code);
        }
        ReportFormat::Human => {
            print_report(&report, &texts, quiet);
            // Even with -q: the exit status needs its reason.
            if report.errors() == 0 && !report.ok(args.deny_warnings) {
                eprintln!(
                    "error: {} denied by --deny-warnings (fix them, or validate without --deny-warnings)",
                    crate::diagnostic::count(report.warnings(), "warning", "warnings")
                );
            }
            if !quiet && report.ok(args.deny_warnings) {
                eprintln!("validated {} in {:.2} s", args.dir.display(), started.elapsed().as_secs_f64());
            }
        }
    }
    code
}

/// The report's JSON with every figure the texts write and its verdict
/// (`figures`), so an editor sees what was and was not checked.
fn with_figures(report: &str, package: Option<&crate::load::Package>) -> String {
    let Ok(mut json) = serde_json::from_str::<serde_json::Value>(report) else { return report.to_string() };
    let figures = package.map(crate::check::figures::figures).unwrap_or_default();
    let listed: Vec<serde_json::Value> = figures
        .iter()
        .map(|figure| {
            let link = figure.link.as_ref().map(|link| {
                serde_json::json!({
                    "source": link.source, "cell": link.cell, "place": link.place, "value": link.value, "shown": link.shown
                })
            });
            serde_json::json!({
                "file": figure.file,
                "line": figure.line,
                "column": figure.column,
                "written": figure.written,
                "verdict": figure.verdict.name(),
                "link": link,
            })
        })
        .collect();
    json["figures"] = serde_json::Value::Array(listed);
    json.to_string()
}
