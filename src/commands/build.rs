//! `build-package`: the pipeline (load → check → plan → typeset), then the
//! bundle: data files made beside the typesetting, a manifest with
//! checksums, the zip written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exit;
use super::{fail, print_report};
use std::time::{Duration, Instant};

use crate::bundle;
use crate::diagnostic::Report;
use crate::load;
use crate::pipeline::{self, Afterwards, RunError, Selection, build_date, default_out, load_and_check};
use crate::publications::{self, PlanOptions};
use crate::render::RenderError;

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
    /// Publication kinds, country codes or bundle paths to build.
    pub only: Option<Vec<String>>,
    pub allow_incomplete: bool,
    /// `SOURCE_DATE_EPOCH`, when set.
    pub source_date_epoch: Option<i64>,
    pub progress: bool,
    /// Typeset the longest document beside the others (faster, more memory).
    pub fast: bool,
    /// Also write the generated typst sources and assets here.
    pub keep_sources: Option<PathBuf>,
    /// An earlier bundle: add `changes.pdf`, what changed since it.
    pub since: Option<PathBuf>,
    /// `since` is a bundle built `--since`: compare with the bundle it
    /// carries (a rebuild of it).
    pub since_carried: bool,
    /// The network's edition (the default) or the public one.
    pub edition: crate::load::Edition,
}

/// What a successful build wrote.
#[derive(Debug)]
pub struct BuildSummary {
    pub out: PathBuf,
    pub documents: usize,
    pub pages: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Diagnostics that did not stop the build (warnings, or errors with --allow-incomplete).
    pub report: Report,
    pub texts: crate::diagnostic::Texts,
}

#[derive(Debug)]
pub enum BuildError {
    /// The package has errors; nothing was written.
    Invalid { report: Report, texts: crate::diagnostic::Texts },
    /// Bad arguments or an unreadable folder.
    Usage(String),
    /// Typesetting failed.
    Render(RenderError),
    /// Writing the bundle failed.
    Io(anyhow::Error),
}

/// What `--only` takes, for the error that it selected nothing.
fn only_names(package: &crate::load::Package, paths: &[String]) -> String {
    let mut names: Vec<String> = publications::FileKind::every_name().into_iter().map(str::to_string).collect();
    names.extend(package.contributions.iter().take(3).map(|c| c.country().to_string()));
    names.extend(paths.iter().take(3).cloned());
    names.join(", ")
}

/// The package loaded, checked with the problems of the edition asked for,
/// and cut to that edition; an error when it has errors and
/// `--allow-incomplete` was not given.
fn buildable_package(
    root: &Path,
    options: &BuildOptions,
) -> Result<(crate::load::Package, Report, crate::diagnostic::Texts), BuildError> {
    let checked = load_and_check(root).map_err(|e| BuildError::Usage(e.to_string()))?;
    let (mut report, texts) = (checked.report, checked.texts);
    let Some(package) = checked.package else {
        return Err(BuildError::Invalid { report, texts });
    };
    let refused = pipeline::edition_problems(&package, options.edition);
    if !refused.is_empty() {
        report = Report::new(report.diagnostics.into_iter().chain(refused).collect());
    }
    if report.errors() > 0 && !options.allow_incomplete {
        return Err(BuildError::Invalid { report, texts });
    }
    let mut package = package;
    pipeline::for_edition(&mut package, options.edition);
    Ok((package, report, texts))
}

/// What `--only` was told when it selects no file of the bundle.
fn selects_nothing(only: &[String], package: &crate::load::Package, planned: &[publications::Publication]) -> String {
    let planned_paths: Vec<String> = planned
        .iter()
        .flat_map(|p| {
            std::iter::once(p.path.clone())
                .chain(p.word.map(|_| p.word_path()))
                .chain(std::iter::once(crate::write::html::page_path(&p.path)))
        })
        .collect();
    format!(
        "--only {} selects no file of this package's bundle (hint: give kinds, country codes or bundle paths, comma-separated: {} …)",
        only.join(","),
        only_names(package, &planned_paths)
    )
}

/// Builds the bundle of the package in `root`, or rebuilds a bundle zip
/// from the sources it carries.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    // Anything that exists and is not a folder is taken for a bundle, so
    // that a FIFO or a device is refused as one (not read, not waited on).
    if root.exists() && !root.is_dir() {
        return rebuild(root, options);
    }
    let started = Instant::now();
    let (package, report, texts) = buildable_package(root, options)?;
    let out = match &options.out {
        Some(out) => pipeline::checked_out(root, out),
        None => default_out(root, package.manifest.id.get_ref(), options.only.is_some()),
    }
    .map_err(BuildError::Usage)?;
    let date = build_date(&package, options.source_date_epoch);
    let earlier = (options.since.as_ref())
        .map(|since| pipeline::load_earlier(since, root, options.edition, options.since_carried))
        .transpose()
        .map_err(BuildError::Usage)?;
    let request = pipeline::Request {
        package: &package,
        options: PlanOptions::new(date, options.allow_incomplete),
        earlier: earlier.as_ref(),
        selection: Selection::Everything,
        only: options.only.as_deref(),
        banner: None,
        keep_sources: options.keep_sources.as_deref(),
    };
    let bar = progress_bar(options.progress);
    let zip = bundle::ZipSink::new(date);
    let schedule = pipeline::Schedule::AllCores { fast: options.fast, afterwards: Afterwards::Done, bar: bar.as_ref() };
    let made = pipeline::run(&request, schedule, &zip);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let made = match made {
        Ok(made) => made.ok_or_else(|| BuildError::Io(anyhow::anyhow!("the build was given up")))?,
        Err(RunError::Render(error)) => return Err(BuildError::Render(error)),
        Err(RunError::Io(error)) => return Err(BuildError::Io(error)),
    };
    let mut files = made.files;
    let wanted = |kind, path: &str| {
        options.only.as_ref().is_none_or(|only| only.iter().any(|item| publications::selects(item, kind, path, None)))
    };
    // What it compared with, for a rebuild with the same report.
    let carried = earlier.iter().flat_map(|e| &e.carried).filter(|f| wanted(f.kind, &f.path));
    files.extend(carried.cloned().map(crate::output::BundleFile::data));
    if let Some(only) = &options.only
        && files.is_empty()
    {
        return Err(BuildError::Usage(selects_nothing(only, &package, &made.planned)));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let bundling = Instant::now();
    let manifest = bundle::manifest_json(&package, &files, date);
    let bytes = zip.write(&out, &manifest, &files).map_err(BuildError::Io)?;
    if crate::render::timings_wanted() {
        eprintln!("manifest and zip {:.3} s", bundling.elapsed().as_secs_f64());
    }
    let mut diagnostics = report.diagnostics;
    diagnostics.extend(files.iter().flat_map(pipeline::typeset_warnings));
    Ok(BuildSummary {
        out,
        documents: files.len(),
        pages: files.iter().filter_map(|f| f.pages).sum(),
        bytes,
        elapsed: started.elapsed(),
        report: Report::new(diagnostics),
        texts,
    })
}

/// `build-package BUNDLE.zip`: the bundle's `sources/` unpacked (inside a
/// temporary folder only, with a package folder's bounds) and built as a
/// package; by default into `BUNDLE-rebuilt.zip` beside it. With the same
/// `SOURCE_DATE_EPOCH` the rebuild has the same bytes.
fn rebuild(zip: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let unpacked = load::archive::unpacked(zip).map_err(BuildError::Usage)?;
    let mut options = options.clone();
    // Built --since another bundle: it carries that bundle, and compares
    // with it again.
    if load::archive::carries_compared(zip).map_err(BuildError::Usage)? {
        options.since = Some(zip.to_path_buf());
        options.since_carried = true;
    }
    if options.out.is_none() {
        let stem = zip.file_stem().map_or_else(|| "bundle".into(), |s| s.to_string_lossy().into_owned());
        options.out = Some(zip.with_file_name(format!("{stem}-rebuilt.zip")));
    }
    build(unpacked.path(), &options)
}

/// A progress bar on a terminal; its length is set once the documents are known.
fn progress_bar(enabled: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} typesetting [{bar:30}] {pos}/{len} {wide_msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// `emn-pub build-package`: builds `dir` and says what it wrote or why not
/// (only errors when `quiet`).
pub fn run(dir: &Path, options: &BuildOptions, quiet: bool) -> i32 {
    match build(dir, options) {
        Ok(summary) => {
            if !summary.report.diagnostics.is_empty() {
                print_report(&summary.report, &summary.texts, quiet);
            }
            if !quiet {
                let mut stderr = std::io::stderr();
                let _ = writeln!(
                    stderr,
                    "built {}: {}, {}, {} KiB in {:.2} s",
                    summary.out.display(),
                    crate::diagnostic::count(summary.documents, "document", "documents"),
                    crate::diagnostic::count(summary.pages, "page", "pages"),
                    summary.bytes / 1024,
                    summary.elapsed.as_secs_f64()
                );
            }
            exit::OK
        }
        Err(BuildError::Invalid { report, texts }) => {
            print_report(&report, &texts, quiet);
            eprintln!(
                "error: the package has errors; nothing was written (fix them, or build drafts with --allow-incomplete)"
            );
            exit::INVALID
        }
        Err(BuildError::Usage(message)) => {
            super::print_error(&message);
            exit::FAILURE
        }
        Err(BuildError::Render(error)) => {
            super::print_error(&error);
            exit::FAILURE
        }
        Err(BuildError::Io(error)) => fail(&error),
    }
}
