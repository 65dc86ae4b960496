//! `watch`: the editors' loop. Builds the package into an unpacked folder
//! (the files the zip holds) and keeps it current while editors save.
//!
//! The editor is reading the PDF of the contribution they just saved, so
//! that one never waits behind anything else. Each save is re-validated
//! (the same `load_and_check` as `validate`) and the edited country's PDF
//! is typeset at once in a [`Lane`] of its own. Everything else the save
//! changed (the synthesis, which repeats every answer and takes seconds;
//! the Inform, the Flash, the annex, the data files) is handed to a
//! catch-up worker with its own lane, which starts when the saves pause
//! ([`PAUSE`]) and drops work a newer save has made stale. Every file is
//! replaced atomically and stamped with the save it came from, so an older
//! result never overwrites a newer one; a save that brings errors keeps
//! the last good files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bundle;
use crate::dates::Date;
use crate::diagnostic::Report;
use crate::load::Package;
use crate::output::{self, BundleFile};
use crate::pipeline;
use crate::publications::{self, PlanOptions};
use crate::render::{self, KeptSources, Lane, Session};
use crate::write::typst::Markup;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Where the unpacked bundle goes (default `DIR/dist/<id>/`).
    pub out_dir: Option<PathBuf>,
    pub quiet: bool,
    pub source_date_epoch: Option<i64>,
    /// An earlier bundle: keep `changes.pdf` against it current too.
    pub since: Option<PathBuf>,
}

/// Saves closer together than this are one change (editors write a file
/// in several steps: truncate, write, rename).
const DEBOUNCE: Duration = Duration::from_millis(60);

/// The catch-up worker starts when no file has been saved for this long:
/// an editor saving every second or so keeps both cores for their own PDF,
/// and the synthesis follows within seconds of the last save.
const PAUSE: Duration = Duration::from_secs(2);

/// Markup above this size (the synthesis of a large package) is typeset
/// from a freed cache: kept, its cache and a new layout together took
/// 1.5 GB on the benchmark; freed, under 1 GB.
const LARGE_DOCUMENT_BYTES: usize = 1024 * 1024;

/// `emn-pub watch`: refuses a folder without emn.toml before watching it.
pub fn run(dir: &Path, options: &WatchOptions) -> i32 {
    if !dir.join(crate::load::manifest::FILE).is_file() {
        eprintln!("error: {} has no emn.toml (hint: create a package with `emn-pub init`)", dir.display());
        return super::exit::FAILURE;
    }
    match watch(dir, options) {
        Ok(()) => super::exit::OK,
        Err(error) => super::fail(&error),
    }
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

    let earlier = match &options.since {
        Some(since) => Some(pipeline::load_earlier(since).map_err(|e| anyhow::anyhow!(e))?),
        None => None,
    };
    let shared = Arc::new(Shared { earlier, ..Shared::new(options.quiet) });
    let worker = shared.clone();
    std::thread::Builder::new()
        .name("emn-pub-catch-up".into())
        .spawn(move || catch_up_loop(&worker))
        .context("cannot start the catch-up worker")?;
    let mut editor =
        Editor { root, options, shared: &shared, lane: Lane::new("edited", 2), kept: KeptSources::default() };
    editor.round(&BTreeSet::new());
    let mut gone = false;
    while !stop.load(Ordering::SeqCst) {
        // A package folder removed (a sync client, `git checkout` of a
        // parent) is waited for; when it is back, it is watched again and
        // everything in it counts as changed.
        let present = root.join(crate::load::manifest::FILE).is_file();
        if gone == present {
            gone = !present;
            if gone {
                shared.status().done(&format!("… {} is gone; waiting for it to return", root.display()));
            } else {
                let _ = notify::Watcher::unwatch(&mut watcher, root);
                if notify::Watcher::watch(&mut watcher, root, notify::RecursiveMode::Recursive).is_err() {
                    gone = true;
                    continue;
                }
                // What was written went with the folder: build it anew.
                {
                    let mut folder = shared.folder();
                    folder.written.clear();
                    folder.out_dir = None;
                    folder.manifest = None;
                }
                editor.round(&package_files(root));
            }
        }
        let Ok(first) = events.recv_timeout(Duration::from_millis(100)) else { continue };
        if gone {
            continue;
        }
        let out_dir = shared.folder().out_dir.clone();
        let mut changed = BTreeSet::new();
        collect(root, out_dir.as_deref(), first, &mut changed);
        // Debounce: take events until no input changed for a while. Other
        // events (a viewer reading the PDFs) do not extend the wait.
        let mut quiet_from = Instant::now() + DEBOUNCE;
        while !changed.is_empty() {
            let Some(left) = quiet_from.checked_duration_since(Instant::now()) else { break };
            let Ok(event) = events.recv_timeout(left) else { break };
            if collect(root, out_dir.as_deref(), event, &mut changed) {
                quiet_from = Instant::now() + DEBOUNCE;
            }
        }
        if !changed.is_empty() && !stop.load(Ordering::SeqCst) {
            editor.round(&changed);
        }
    }
    shared.close();
    shared.status().done("watch ended");
    Ok(())
}

/// One file of the unpacked bundle as last written.
struct Written {
    /// The typst markup it was typeset from (for PDFs): unchanged markup
    /// is not typeset again.
    markup: Option<String>,
    file: BundleFile,
    /// The save it came from: an older save's result never replaces it.
    save: u64,
}

/// The unpacked bundle, as written so far.
#[derive(Default)]
struct Folder {
    written: BTreeMap<String, Written>,
    out_dir: Option<PathBuf>,
    /// Set when the watch ends: nothing is written after.
    closed: bool,
    /// The manifest last written: compared in memory, never read back from
    /// the folder (a FIFO or a link to /dev/zero put there would block or
    /// fill memory).
    manifest: Option<String>,
}

/// Work the catch-up worker is asked to do: bring every file up to date
/// with the package of this save.
struct CatchUp {
    save: u64,
    package: Arc<Package>,
    date: Date,
    /// The countries just edited, whose typst cache is warmed again after
    /// a large document freed it.
    edited: BTreeSet<String>,
    /// When the job was posted; the status line reports from here.
    saved_at: Instant,
}

/// What the editor's loop and the catch-up worker share.
struct Shared {
    folder: Mutex<Folder>,
    status: Mutex<Status>,
    pending: Mutex<Option<CatchUp>>,
    wake: Condvar,
    last_save: Mutex<Instant>,
    /// The edition `--since` names, loaded once.
    earlier: Option<crate::publications::changes::Earlier>,
}

impl Shared {
    fn new(quiet: bool) -> Self {
        Self {
            earlier: None,
            folder: Mutex::new(Folder::default()),
            status: Mutex::new(Status::new(quiet)),
            pending: Mutex::new(None),
            wake: Condvar::new(),
            last_save: Mutex::new(Instant::now()),
        }
    }

    fn folder(&self) -> MutexGuard<'_, Folder> {
        self.folder.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pending(&self) -> MutexGuard<'_, Option<CatchUp>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn saved(&self) {
        *self.last_save.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// Hands the rest of a save to the worker; a job not yet started is
    /// replaced (it would be stale).
    fn post(&self, job: CatchUp) {
        *self.pending() = Some(job);
        self.wake.notify_all();
    }

    /// Whether a newer save has been posted since the worker took its job.
    fn superseded(&self) -> bool {
        self.pending().is_some() || self.folder().closed
    }

    /// Ends the watch: waits for a file being written, then lets no more be
    /// written and removes what killed runs left behind.
    fn close(&self) {
        let mut folder = self.folder();
        folder.closed = true;
        if let Some(out_dir) = &folder.out_dir {
            remove_leftovers_below(out_dir);
        }
        drop(folder);
        self.wake.notify_all();
    }

    /// Writes a typeset or data file atomically, unless a newer save's
    /// version is there already; returns whether it wrote.
    fn write(&self, package: &Package, save: u64, file: BundleFile, markup: Option<String>) -> Result<bool> {
        let mut folder = self.folder();
        let newer = folder.written.get(&file.path).is_some_and(|w| w.save > save);
        let Some(out_dir) = folder.out_dir.clone().filter(|_| !folder.closed && !newer) else { return Ok(false) };
        let path = out_dir.join(&file.path);
        output::atomic::no_link_below(&package.root, &path)?;
        output::atomic::write_file_atomically(&path, &file.bytes)?;
        folder.written.insert(file.path.clone(), Written { markup, file, save });
        Ok(true)
    }

    /// Rewrites `manifest.json` for the files now in the folder.
    fn write_manifest(&self, package: &Package, date: Date) -> Result<()> {
        let mut folder = self.folder();
        let Some(out_dir) = folder.out_dir.clone().filter(|_| !folder.closed) else { return Ok(()) };
        let files: Vec<BundleFile> = folder.written.values().map(|w| w.file.clone()).collect();
        let manifest = bundle::manifest_json(package, &files, date);
        if folder.manifest.as_deref() != Some(manifest.as_str()) {
            let path = out_dir.join("manifest.json");
            output::atomic::no_link_below(&package.root, &path)?;
            output::atomic::write_file_atomically(&path, manifest.as_bytes())?;
            folder.manifest = Some(manifest);
        }
        Ok(())
    }

    /// Whether `plan` differs from what the folder holds.
    fn changed(&self, plan: &Markup) -> bool {
        self.folder().written.get(&plan.path).is_none_or(|w| w.markup.as_deref() != Some(plan.markup.as_str()))
    }
}

/// The editor's side: validates each save and rewrites the edited
/// contribution's own PDF at once.
struct Editor<'a> {
    root: &'a Path,
    options: &'a WatchOptions,
    shared: &'a Shared,
    lane: Lane,
    kept: KeptSources,
}

impl Editor<'_> {
    /// One save: validate, rewrite the edited documents, post the rest.
    fn round(&mut self, changed: &BTreeSet<String>) {
        let started = Instant::now();
        self.shared.saved();
        let save = next_save();
        if !changed.is_empty() {
            let names: Vec<&str> = changed.iter().map(String::as_str).collect();
            self.shared.status().progress(&format!("changed: {}", names.join(", ")));
        }
        let Some(package) = self.checked() else { return };
        let date = pipeline::build_date(&package, self.options.source_date_epoch);
        let first = match self.prepare_out_dir(&package) {
            Ok(first) => first,
            Err(error) => return self.shared.status().done(&format!("✗ {error:#}")),
        };
        let edited = edited_countries(&package, changed);
        let result = if first {
            self.first_build(&package, date, save)
        } else {
            self.rewrite_edited(&package, date, save, &edited, changed)
        };
        let elapsed = started.elapsed().as_secs_f64();
        let message = match result {
            Ok(rewritten) if rewritten.is_empty() => {
                format!("✓ valid; the other documents follow when saves pause ({elapsed:.2} s, {})", clock())
            }
            Ok(rewritten) => format!("✓ rewrote {} in {elapsed:.2} s ({})", summary(&rewritten), clock()),
            Err(error) => format!("✗ {error:#}: kept the last good files"),
        };
        self.shared.status().done(&message);
        // Frees what the last rounds (and a catch-up the save made stale)
        // left in typst's cache, so memory stays bounded over a day.
        render::release_memory();
        if !first {
            let package = Arc::new(package);
            self.shared.post(CatchUp { save, package, date, edited, saved_at: started });
        }
    }

    /// The package of this save, when it has no errors (the diagnostics
    /// are printed either way).
    fn checked(&self) -> Option<Package> {
        let checked = match pipeline::load_and_check(self.root) {
            Ok(checked) => checked,
            Err(error) => {
                self.shared.status().done(&format!("✗ {error}"));
                return None;
            }
        };
        let mut status = self.shared.status();
        status.report(&checked.report, &checked.texts);
        let errors = checked.report.errors();
        let Some(mut package) = checked.package.filter(|_| errors == 0) else {
            let kept = if self.shared.folder().written.is_empty() {
                "nothing written yet"
            } else {
                "kept the last good files"
            };
            status.done(&format!("✗ {}: {kept} ({})", crate::diagnostic::count(errors, "error", "errors"), clock()));
            return None;
        };
        pipeline::keep_publishable_contributions(&mut package);
        Some(package)
    }

    /// The folder the files go to (`--out-dir`, else `dist/<id>/`); returns
    /// whether nothing is written there yet (a first build).
    fn prepare_out_dir(&self, package: &Package) -> Result<bool> {
        let out_dir = match &self.options.out_dir {
            Some(dir) => dir.clone(),
            None => pipeline::default_out(&package.root, package.manifest.id.get_ref(), false)
                .map_err(|message| anyhow::anyhow!("{message}"))?
                .with_extension(""),
        };
        let mut folder = self.shared.folder();
        if folder.out_dir.as_ref() != Some(&out_dir) {
            folder.written.clear();
            output::atomic::remove_leftovers(&out_dir);
            folder.out_dir = Some(out_dir);
        }
        Ok(folder.written.is_empty())
    }

    /// The first build typesets everything as build-package does: on every
    /// core, within memory.
    fn first_build(&mut self, package: &Package, date: Date, save: u64) -> Result<Vec<String>> {
        let plan_options = PlanOptions { date, allow_incomplete: false };
        let (plans, data_files) = pipeline::plan_and_write(package, &plan_options, self.shared.earlier.as_ref());
        self.shared
            .status()
            .progress(&format!("typesetting {}", crate::diagnostic::count(plans.len(), "document", "documents")));
        let mut rewritten = Vec::new();
        for (plan, file) in pipeline::typeset_all(package, plans, date, false, None) {
            self.kept.remember(&plan.name, &plan.markup);
            let file = file.map_err(|e| anyhow::anyhow!("{e}"))?;
            self.shared.status().warnings(&file);
            rewritten.push(file.path.clone());
            self.shared.write(package, save, file, Some(plan.markup))?;
        }
        for file in data_files {
            rewritten.push(file.path.clone());
            self.shared.write(package, save, BundleFile::data(file), None)?;
        }
        self.shared.write_manifest(package, date)?;
        Ok(rewritten)
    }

    /// The edited documents: the edited countries' own PDFs, or in a
    /// package without them (a bulletin, an ad-hoc query) its document.
    fn rewrite_edited(
        &mut self,
        package: &Package,
        date: Date,
        save: u64,
        edited: &BTreeSet<String>,
        changed: &BTreeSet<String>,
    ) -> Result<Vec<String>> {
        let plan_options = PlanOptions { date, allow_incomplete: false };
        let has_nationals = publications::has_kind(package, publications::FileKind::NationalContribution);
        let mut rewritten = Vec::new();
        let plans: Vec<Markup> = if has_nationals {
            let cache = publications::PartCache::default();
            let planned: Vec<publications::Publication> = package
                .contributions
                .iter()
                .filter(|c| edited.contains(c.country()))
                .map(|c| publications::national::plan(package, &plan_options, c, &cache))
                .collect();
            // The edited countries' web pages first: they take milliseconds.
            for publication in &planned {
                let page =
                    crate::write::html::write(publication, &package.root, std::slice::from_ref(&publication.path));
                let path = page.path.clone();
                if self.shared.folder().written.get(&path).is_none_or(|w| w.file.bytes != page.bytes)
                    && self.shared.write(package, save, BundleFile::data(page), None)?
                {
                    rewritten.push(path);
                }
            }
            planned.iter().map(|plan| crate::write::typst::write(plan, &package.fonts)).collect()
        } else if changed.is_empty() {
            Vec::new()
        } else {
            pipeline::plan_and_write(package, &plan_options, self.shared.earlier.as_ref()).0
        };
        let session = Session::new(package, date);
        for plan in plans.into_iter().filter(|plan| self.shared.changed(plan)) {
            self.shared.status().progress(&format!("typesetting {}", plan.path));
            let kept = &mut self.kept;
            let file = self.lane.run(|| session.typeset(&plan, Some(kept))).map_err(|e| anyhow::anyhow!("{e}"))?;
            self.shared.status().warnings(&file);
            if self.shared.write(package, save, file, Some(plan.markup))? {
                rewritten.push(plan.path);
            }
        }
        self.shared.write_manifest(package, date)?;
        Ok(rewritten)
    }
}

/// Numbers the saves, so each file knows which one it shows.
fn next_save() -> u64 {
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    SAVES.fetch_add(1, Ordering::SeqCst) + 1
}

/// The catch-up worker: waits for a job, then for the saves to pause, and
/// brings the other documents up to date, shortest first.
fn catch_up_loop(shared: &Shared) {
    let lane = Lane::new("catch-up", 2);
    let mut kept = KeptSources::default();
    while let Some(job) = next_job(shared) {
        let started = Instant::now();
        let outcome = catch_up(shared, &lane, &mut kept, &job);
        render::release_memory();
        let since_save = job.saved_at.elapsed().as_secs_f64();
        let message = match outcome {
            Ok(None) => continue,
            Ok(Some(rewritten)) if rewritten.is_empty() => continue,
            Ok(Some(rewritten)) => format!(
                "✓ caught up: rewrote {} in {:.2} s, {since_save:.1} s after the save ({})",
                summary(&rewritten),
                started.elapsed().as_secs_f64(),
                clock()
            ),
            Err(error) => format!("✗ {error:#}: kept the last good files"),
        };
        shared.status().done(&message);
    }
}

/// The next job, once no file has been saved for [`PAUSE`]; `None` when
/// the watch ends.
fn next_job(shared: &Shared) -> Option<CatchUp> {
    let mut pending = shared.pending();
    loop {
        if shared.folder().closed {
            return None;
        }
        let quiet_for = shared.last_save.lock().unwrap_or_else(|p| p.into_inner()).elapsed();
        if pending.is_some() && quiet_for >= PAUSE {
            return pending.take();
        }
        let wait = if pending.is_some() { PAUSE - quiet_for } else { Duration::from_secs(1) };
        pending = shared.wake.wait_timeout(pending, wait).unwrap_or_else(|p| p.into_inner()).0;
    }
}

/// Does one job; `None` when a newer save made it stale before it ended.
fn catch_up(shared: &Shared, lane: &Lane, kept: &mut KeptSources, job: &CatchUp) -> Result<Option<Vec<String>>> {
    let package = &job.package;
    let plan_options = PlanOptions { date: job.date, allow_incomplete: false };
    let (mut plans, data_files) = pipeline::plan_and_write(package, &plan_options, shared.earlier.as_ref());
    let names: BTreeSet<String> = plans.iter().map(|p| p.name.clone()).collect();
    kept.retain(&names);
    // What the bundle holds now: anything else written before is stale.
    let current: BTreeSet<String> =
        plans.iter().map(|p| p.path.clone()).chain(data_files.iter().map(|f| f.path.clone())).collect();
    let warm: Vec<Markup> =
        plans.iter().filter(|p| p.country.as_ref().is_some_and(|c| job.edited.contains(c))).cloned().collect();
    plans.retain(|plan| shared.changed(plan));
    plans.sort_by_key(|plan| plan.markup.len());
    let session = Session::new(package, job.date);
    let mut rewritten = Vec::new();
    let mut cache_freed = false;
    for plan in plans {
        if shared.superseded() {
            return Ok(None);
        }
        shared.status().progress(&format!("typesetting {}", plan.path));
        if plan.markup.len() > LARGE_DOCUMENT_BYTES {
            render::evict_cache(0);
            cache_freed = true;
        }
        let file = lane.run(|| session.typeset(&plan, Some(kept))).map_err(|e| anyhow::anyhow!("{e}"))?;
        shared.status().warnings(&file);
        if shared.write(package, job.save, file, Some(plan.markup))? {
            rewritten.push(plan.path);
        }
    }
    for file in data_files {
        if shared.folder().written.get(&file.path).is_none_or(|w| w.file.bytes != file.bytes)
            && shared.write(package, job.save, BundleFile::data(file.clone()), None)?
        {
            rewritten.push(file.path);
        }
    }
    if shared.superseded() {
        return Ok(None);
    }
    remove_stale(shared, &current, job.save, &mut rewritten)?;
    shared.write_manifest(package, job.date)?;
    if cache_freed && !shared.superseded() {
        // The edited countries are likely edited again: typeset them once
        // more (result unused) so the next save finds typst's cache warm.
        for plan in &warm {
            let _ = lane.run(|| session.typeset(plan, None));
        }
    }
    Ok(Some(rewritten))
}

/// Removes files of the folder that the bundle no longer holds (a
/// contribution deleted, an annex no longer needed), unless a newer save
/// wrote them.
fn remove_stale(shared: &Shared, current: &BTreeSet<String>, save: u64, rewritten: &mut Vec<String>) -> Result<()> {
    let mut folder = shared.folder();
    let Some(out_dir) = folder.out_dir.clone().filter(|_| !folder.closed) else { return Ok(()) };
    let stale: Vec<String> = folder
        .written
        .iter()
        .filter(|(path, written)| !current.contains(*path) && written.save <= save)
        .map(|(path, _)| path.clone())
        .collect();
    for path in stale {
        let file = out_dir.join(&path);
        if file.exists() {
            std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
        }
        folder.written.remove(&path);
        rewritten.push(format!("{path} (removed)"));
    }
    Ok(())
}

/// Adds the package-relative paths an event touched, minus what is not
/// the package's: the output folder, editors' lock and swap files. Returns
/// whether the event touched an input.
fn collect(root: &Path, out_dir: Option<&Path>, event: notify::Event, changed: &mut BTreeSet<String>) -> bool {
    if std::env::var_os("EMN_PUB_DEBUG_EVENTS").is_some() {
        eprintln!("event: {event:?}");
    }
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    let mut touched = false;
    for path in event.paths {
        if out_dir.is_some_and(|out| path.starts_with(out)) || path.starts_with(root.join("dist")) {
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

/// Every input of a package that came back: its manifest and its
/// contributions, as changed files of one round.
fn package_files(root: &Path) -> BTreeSet<String> {
    let mut files: BTreeSet<String> = [crate::load::manifest::FILE.to_string()].into();
    if let Ok(entries) = std::fs::read_dir(root.join("contributions")) {
        files.extend(entries.flatten().map(|e| format!("contributions/{}", e.file_name().to_string_lossy())));
    }
    files
}

/// The countries whose contribution files changed.
fn edited_countries(package: &Package, changed: &BTreeSet<String>) -> BTreeSet<String> {
    package.contributions.iter().filter(|c| changed.contains(c.file())).map(|c| c.country().to_string()).collect()
}

/// Temporary files a killed round left in the folder tree.
fn remove_leftovers_below(dir: &Path) {
    output::atomic::remove_leftovers(dir);
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

    /// What typst warned about while setting `file` (as build-package's
    /// `typeset-warning`, placed at the Markdown line).
    fn warnings(&mut self, file: &BundleFile) {
        if self.quiet || file.warnings.is_empty() {
            return;
        }
        if self.terminal {
            eprint!("\r\x1b[K");
        }
        for warning in &file.warnings {
            eprintln!("warning[typeset-warning]: typst warns while setting {}: {warning}", file.path);
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
