//! `watch`: the editors' loop. Builds the package into an unpacked folder
//! (the files the zip holds) and keeps it current while editors save.
//!
//! Each round re-validates (the same `load_and_check` as `validate`),
//! prints the diagnostics, plans every publication and typesets only those
//! whose markup changed — the edited contribution's own PDF first, the long
//! synthesis last. typst's sources are kept between rounds
//! ([`render::KeptSources`]), so an edit reparses only what changed and the
//! cache answers the rest; the cache is trimmed after each round so a day
//! of editing stays within bounds. Every file is replaced atomically; a
//! save that brings errors keeps the last good files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::build_package::{self, BuildError};
use crate::bundle::{self, BundleFile};
use crate::diagnostic::Report;
use crate::load::Package;
use crate::publications::{self, PlanOptions, Publication};
use crate::render::{self, KeptSources, RenderJob};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Where the unpacked bundle goes (default `DIR/dist/<id>/`).
    pub out_dir: Option<PathBuf>,
    pub quiet: bool,
    pub source_date_epoch: Option<i64>,
}

/// Saves closer together than this are one change (editors write a file
/// in several steps: truncate, write, rename).
const DEBOUNCE: Duration = Duration::from_millis(60);

/// Markup above this size (the synthesis of a large package) is typeset
/// from a freed cache rather than incrementally.
const LARGE_DOCUMENT_BYTES: usize = 1024 * 1024;

/// One file of the unpacked bundle as last written.
struct Written {
    /// The typst markup it was typeset from (for PDFs): unchanged markup
    /// is not typeset again.
    markup: Option<String>,
    file: BundleFile,
}

/// What the folder holds, between rounds.
#[derive(Default)]
struct State {
    kept: KeptSources,
    written: BTreeMap<String, Written>,
    out_dir: Option<PathBuf>,
}

/// Watches `root` until Ctrl-C. Returns when the watch ends cleanly.
pub fn watch(root: &Path, options: &WatchOptions) -> Result<()> {
    // File-system events name absolute paths: a relative DIR (the default
    // `.`) must be absolute too, or no event would be the package's.
    let root = &root.canonicalize().with_context(|| format!("cannot read {}", root.display()))?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).context("cannot handle Ctrl-C")?;
    let (sender, events) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = sender.send(event);
        }
    })
    .context("cannot watch the package folder")?;
    notify::Watcher::watch(&mut watcher, root, notify::RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;

    let mut state = State::default();
    let mut status = Status::new(options.quiet);
    round(root, options, &mut state, &BTreeSet::new(), &mut status);
    while !stop.load(Ordering::SeqCst) {
        let Ok(first) = events.recv_timeout(Duration::from_millis(100)) else { continue };
        let mut changed = BTreeSet::new();
        collect(root, &state, first, &mut changed);
        // Debounce: take events until no input changed for a while. Other
        // events (a viewer reading the PDFs) do not extend the wait.
        let mut quiet_from = Instant::now() + DEBOUNCE;
        while !changed.is_empty() {
            let Some(left) = quiet_from.checked_duration_since(Instant::now()) else { break };
            let Ok(event) = events.recv_timeout(left) else { break };
            if collect(root, &state, event, &mut changed) {
                quiet_from = Instant::now() + DEBOUNCE;
            }
        }
        if !changed.is_empty() && !stop.load(Ordering::SeqCst) {
            round(root, options, &mut state, &changed, &mut status);
        }
    }
    if let Some(out_dir) = &state.out_dir {
        remove_leftovers_below(out_dir);
    }
    status.done("watch ended");
    Ok(())
}

/// Adds the package-relative paths an event touched, minus what is not
/// the package's: the output folder, editors' lock and swap files. Returns
/// whether the event touched an input.
fn collect(root: &Path, state: &State, event: notify::Event, changed: &mut BTreeSet<String>) -> bool {
    if std::env::var_os("EMN_PUB_DEBUG_EVENTS").is_some() {
        eprintln!("event: {event:?}");
    }
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    let mut touched = false;
    for path in event.paths {
        if state.out_dir.as_ref().is_some_and(|out| path.starts_with(out)) || path.starts_with(root.join("dist")) {
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else { continue };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if is_editor_noise(&relative) || !is_input(&relative) {
            continue;
        }
        changed.insert(relative);
        touched = true;
    }
    touched
}

/// Whether a path can be an input of the package: its manifest and
/// templates, Markdown texts, statistics, fonts, images, the glossary.
/// Anything else (a log the editor keeps in the folder) is not a change:
/// a round must not trigger another.
fn is_input(relative: &str) -> bool {
    let lower = relative.to_ascii_lowercase();
    ["contributions/", "statistics/", "assets/", "fonts/"].iter().any(|folder| lower.starts_with(folder))
        || [
            ".toml",
            ".md",
            ".markdown",
            ".csv",
            ".tsv",
            ".xlsx",
            ".xls",
            ".ods",
            ".png",
            ".jpg",
            ".jpeg",
            ".gif",
            ".webp",
            ".svg",
        ]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// Office lock files (`~$x.docx`, `.~lock.x#`), editors' swap and backup
/// files, and emn-pub's own temporary files.
fn is_editor_noise(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name.is_empty()
        || name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".part")
        || name == "4913"
        || relative.split('/').any(|part| part == ".git")
}

/// One rebuild: validate, then rewrite what changed.
fn round(root: &Path, options: &WatchOptions, state: &mut State, changed: &BTreeSet<String>, status: &mut Status) {
    let started = Instant::now();
    if !changed.is_empty() {
        let names: Vec<&str> = changed.iter().map(String::as_str).collect();
        status.progress(&format!("changed: {}", names.join(", ")));
    }
    let checked = match build_package::load_and_check(root) {
        Ok(checked) => checked,
        Err(error) => {
            status.done(&format!("✗ {error}"));
            return;
        }
    };
    status.report(&checked.report, &checked.texts);
    let Some(mut package) = checked.package.filter(|_| checked.report.errors() == 0) else {
        let kept = if state.written.is_empty() {
            "nothing written yet".to_string()
        } else {
            "kept the last good files".to_string()
        };
        status.done(&format!(
            "✗ {} error{}: {kept} ({})",
            checked.report.errors(),
            if checked.report.errors() == 1 { "" } else { "s" },
            clock()
        ));
        return;
    };
    build_package::keep_publishable_contributions(&mut package);
    match rewrite(&package, options, state, changed, status) {
        Ok(rewritten) if rewritten.is_empty() => status.done(&format!(
            "✓ up to date, nothing to rewrite ({:.2} s, {})",
            started.elapsed().as_secs_f64(),
            clock()
        )),
        Ok(rewritten) => status.done(&format!(
            "✓ rewrote {} in {:.2} s ({})",
            summary(&rewritten),
            started.elapsed().as_secs_f64(),
            clock()
        )),
        Err(error) => status.done(&format!("✗ {error:#}: kept the last good files")),
    }
    render::release_memory();
}

/// Typesets and writes what changed; returns the paths rewritten.
fn rewrite(
    package: &Package,
    options: &WatchOptions,
    state: &mut State,
    changed: &BTreeSet<String>,
    status: &mut Status,
) -> Result<Vec<String>> {
    let out_dir = prepare_out_dir(package, options, state)?;
    let date = build_package::build_date(package, options.source_date_epoch);
    let plan_options = PlanOptions { date, allow_incomplete: false };
    let mut plans = publications::plan(package, &plan_options);
    let data_files = publications::data_files(package, &plan_options);
    let names: BTreeSet<String> = plans.iter().map(|p| p.name.clone()).collect();
    state.kept.retain(&names);
    // What the bundle holds now: anything else written before is stale.
    let current: BTreeSet<String> =
        plans.iter().map(|p| p.path.clone()).chain(data_files.iter().map(|f| f.path.clone())).collect();
    plans
        .retain(|plan| state.written.get(&plan.path).is_none_or(|w| w.markup.as_deref() != Some(plan.markup.as_str())));
    order_by_urgency(&mut plans, package, changed);

    let round = Round { package, plan_options: &plan_options, out_dir: &out_dir };
    let mut rewritten = Vec::new();
    if state.written.is_empty() {
        // The first round typesets everything as build-package does: on
        // every core, within memory.
        status.progress(&format!("typesetting {}", crate::diagnostic::count(plans.len(), "document", "documents")));
        for (plan, file) in build_package::typeset_all(package, plans, date, false, false) {
            state.kept.remember(&plan.name, &plan.markup, &package.fonts);
            rewritten.push(round.write_file(state, plan, file)?);
        }
    } else {
        rewritten.extend(round.typeset_edits(state, plans, changed, status)?);
    }
    for file in data_files {
        if state.written.get(&file.path).is_none_or(|w| w.file.bytes != file.bytes) {
            let path = out_dir.join(&file.path);
            bundle::no_link_below(&package.root, &path)?;
            bundle::write_file_atomically(&path, &file.bytes)?;
            rewritten.push(file.path.clone());
            state.written.insert(file.path.clone(), Written { markup: None, file: BundleFile::data(file) });
        }
    }
    remove_stale(&current, &out_dir, state, &mut rewritten)?;
    let files: Vec<BundleFile> = state.written.values().map(|w| w.file.clone()).collect();
    let manifest = bundle::manifest_json(package, &files, date);
    let manifest_path = out_dir.join("manifest.json");
    if std::fs::read(&manifest_path).ok().as_deref() != Some(manifest.as_bytes()) {
        bundle::no_link_below(&package.root, &manifest_path)?;
        bundle::write_file_atomically(&manifest_path, manifest.as_bytes())?;
    }
    Ok(rewritten)
}

/// The folder the files go to (`--out-dir`, else `dist/<id>/`); a new
/// folder starts with nothing written and no leftovers.
fn prepare_out_dir(package: &Package, options: &WatchOptions, state: &mut State) -> Result<PathBuf> {
    let out_dir = match &options.out_dir {
        Some(dir) => dir.clone(),
        None => build_package::default_out(&package.root, package.manifest.id.get_ref(), false)
            .map_err(|e| anyhow::anyhow!("{}", describe(e)))?
            .with_extension(""),
    };
    if state.out_dir.as_ref() != Some(&out_dir) {
        state.written.clear();
        bundle::remove_leftovers(&out_dir);
        state.out_dir = Some(out_dir.clone());
    }
    Ok(out_dir)
}

/// What one round of rewriting shares.
struct Round<'a> {
    package: &'a Package,
    plan_options: &'a PlanOptions,
    out_dir: &'a Path,
}

impl Round<'_> {
    fn job<'p>(&'p self, plan: &'p Publication) -> RenderJob<'p> {
        RenderJob {
            name: &plan.name,
            markup: plan.markup.clone(),
            root: &self.package.root,
            date: self.plan_options.date.tuple(),
            package_id: self.package.manifest.id.get_ref(),
            fonts: self.package.fonts.clone(),
        }
    }

    /// After an edit: each file is written as soon as it is typeset, the
    /// edited country's PDF first, with the kept typst sources.
    fn typeset_edits(
        &self,
        state: &mut State,
        plans: Vec<Publication>,
        changed: &BTreeSet<String>,
        status: &mut Status,
    ) -> Result<Vec<String>> {
        let countries = edited_countries(self.package, changed);
        let edited: Vec<Publication> =
            plans.iter().filter(|p| p.country.as_ref().is_some_and(|c| countries.contains(c))).cloned().collect();
        let mut cache_freed = false;
        let mut rewritten = Vec::new();
        for plan in plans {
            status.progress(&format!("typesetting {}", plan.path));
            if plan.markup.len() > LARGE_DOCUMENT_BYTES {
                // As build-package does for it: alone, after the cache is
                // freed. Kept, its cache and a new layout together took
                // 1.5 GB on the benchmark; freed, it stays under 1 GB, and
                // typst lays its chapters out in parallel.
                render::evict_cache(0);
                cache_freed = true;
            }
            let pdf = render::render_kept(self.job(&plan), &mut state.kept);
            let file = pdf.map(|pdf| BundleFile {
                path: plan.path.clone(),
                bytes: pdf.bytes,
                kind: plan.kind,
                country: plan.country.clone(),
                pages: Some(pdf.pages),
            });
            rewritten.push(self.write_file(state, plan, file)?);
        }
        if cache_freed {
            // The edited countries are likely edited again: typeset them
            // once more (same text, result unused) so the next save of
            // theirs finds typst's cache warm.
            status.progress("warming up for the next edit");
            for plan in &edited {
                let _ = render::render_kept(self.job(plan), &mut state.kept);
            }
        }
        Ok(rewritten)
    }

    /// Fits a typeset publication to its page limit, writes it atomically
    /// and records it; returns its path.
    fn write_file(
        &self,
        state: &mut State,
        plan: Publication,
        file: Result<BundleFile, render::RenderError>,
    ) -> Result<String> {
        let mut file = [file.map_err(|e| anyhow::anyhow!("{e}"))?];
        build_package::fit_page_limits(self.package, self.plan_options, &mut file)
            .map_err(|e| anyhow::anyhow!("{}", describe(e)))?;
        let [file] = file;
        let path = self.out_dir.join(&file.path);
        bundle::no_link_below(&self.package.root, &path)?;
        bundle::write_file_atomically(&path, &file.bytes)?;
        let path = file.path.clone();
        state.written.insert(path.clone(), Written { markup: Some(plan.markup), file });
        Ok(path)
    }
}

/// Removes files of the folder that the bundle no longer holds (a
/// contribution deleted, an annex no longer needed).
fn remove_stale(
    current: &BTreeSet<String>,
    out_dir: &Path,
    state: &mut State,
    rewritten: &mut Vec<String>,
) -> Result<()> {
    let stale: Vec<String> = state.written.keys().filter(|path| !current.contains(*path)).cloned().collect();
    for path in stale {
        let file = out_dir.join(&path);
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
        }
        state.written.remove(&path);
        rewritten.push(format!("{path} (removed)"));
    }
    Ok(())
}

/// The edited contributions' own PDFs first, then short documents before
/// long ones (the synthesis, which repeats every answer, last).
fn order_by_urgency(plans: &mut [Publication], package: &Package, changed: &BTreeSet<String>) {
    let edited = edited_countries(package, changed);
    plans.sort_by_key(|plan| (!plan.country.as_ref().is_some_and(|c| edited.contains(c)), plan.markup.len()));
}

/// The countries whose contribution files changed.
fn edited_countries(package: &Package, changed: &BTreeSet<String>) -> BTreeSet<String> {
    package.contributions.iter().filter(|c| changed.contains(c.file())).map(|c| c.country().to_string()).collect()
}

fn describe(error: BuildError) -> String {
    match error {
        BuildError::Usage(message) => message,
        BuildError::Render(error) => error.to_string(),
        BuildError::Io(error) => format!("{error:#}"),
        BuildError::Invalid { .. } => "the package has errors".to_string(),
    }
}

/// Temporary files a killed round left in the folder tree.
fn remove_leftovers_below(dir: &Path) {
    bundle::remove_leftovers(dir);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_leftovers_below(&entry.path());
            }
        }
    }
}

/// `national/CZ.pdf, synthesis-report-draft.pdf and 2 more`.
fn summary(paths: &[String]) -> String {
    match paths.len() {
        0..=3 => paths.join(", "),
        n => format!("{} and {} more", paths[..2].join(", "), n - 2),
    }
}

/// The local time of day, for the status line (UTC: no time-zone database).
fn clock() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("{:02}:{:02}:{:02} UTC", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
}

/// The status line: rewritten in place on a terminal, one line per result
/// otherwise; diagnostics are printed as `validate` prints them.
struct Status {
    quiet: bool,
    terminal: bool,
    /// The last report printed, so an unchanged one is not repeated.
    last_report: Option<String>,
}

impl Status {
    fn new(quiet: bool) -> Self {
        Self { quiet, terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()), last_report: None }
    }

    fn progress(&mut self, message: &str) {
        if self.terminal && !self.quiet {
            eprint!("\r\x1b[K{message}");
        }
    }

    fn done(&mut self, message: &str) {
        if self.terminal {
            eprint!("\r\x1b[K");
        }
        if !self.quiet || message.starts_with('✗') {
            eprintln!("{message}");
        }
    }

    fn report(&mut self, report: &Report, texts: &crate::diagnostic::Texts) {
        if report.diagnostics.is_empty() {
            self.last_report = None;
            return;
        }
        let mut buffer = termcolor::Buffer::no_color();
        report.print_human(texts, &mut buffer);
        let printed = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        if self.last_report.as_ref() == Some(&printed) {
            return;
        }
        if self.terminal {
            eprint!("\r\x1b[K");
        }
        if !self.quiet || report.errors() > 0 {
            eprint!("{printed}");
        }
        self.last_report = Some(printed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_is_ignored() {
        for noise in [
            "contributions/~$CZ.docx",
            "contributions/.~lock.CZ.md#",
            "contributions/.CZ.md.swp",
            "CZ.md~",
            "4913",
            ".git/index",
        ] {
            assert!(is_editor_noise(noise), "{noise}");
        }
        assert!(!is_editor_noise("contributions/CZ.md"));
        assert!(is_input("contributions/CZ.md") && is_input("emn.toml") && is_input("images/chart.PNG"));
        assert!(!is_input("watch.log") && !is_input("notes.txt"));
        assert!(!is_editor_noise("statistics/permits.csv"));
    }
}
