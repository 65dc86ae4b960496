//! When `watch` typesets what: the editor's own PDF at once, everything
//! else in a catch-up worker that yields the cores to it.
//!
//! The catch-up worker takes the newest save's job once saves have paused
//! for [`PAUSE`], typesets the synthesis first (what an editor checks
//! next) and then the other documents whose markup changed, writes the web
//! pages, Word drafts and data files that changed, and drops work a
//! newer save has made stale: a document laid out for an older save is not
//! exported. typst's cache is kept between catch-up rounds, so a save
//! lays out again only the page runs it changed; entries a round's layout
//! did not use are freed before its export, which bounds memory over a day.

use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::status::{Status, clock};
use crate::bundle::FolderSink;
use crate::dates::Date;
use crate::load::Package;
use crate::output::{BundleFile, FileKind};
use crate::pipeline::{self, Selection};
use crate::publications::PlanOptions;
use crate::publications::changes::Earlier;
use crate::render::{KeptSources, Lane, Session};
use crate::write::typst::Markup;

/// The catch-up starts when no file has been saved for this long. It runs
/// at the lowest priority, so a save during it still gets both cores for
/// its own PDF.
const PAUSE: Duration = Duration::from_millis(300);

/// Work for the catch-up worker: bring every file up to date with the
/// package of this save.
pub struct CatchUp {
    pub save: u64,
    pub package: Arc<Package>,
    pub date: Date,
    /// When the save was seen; the status line reports from here.
    pub saved_at: Instant,
}

/// What the editor's loop and the catch-up worker share.
pub struct Shared {
    pub folder: Mutex<FolderSink>,
    status: Mutex<Status>,
    pending: Mutex<Option<CatchUp>>,
    wake: Condvar,
    last_save: Mutex<Instant>,
    /// The edition `--since` names, loaded once.
    pub earlier: Option<Earlier>,
    /// The typst sources the catch-up typesets, as the last build left
    /// them: an edit reparses only what changed and keeps the spans (and so
    /// typst's cached layout) of the rest.
    pub sources: Mutex<KeptSources>,
}

impl Shared {
    pub fn new(quiet: bool, earlier: Option<Earlier>) -> Self {
        Self {
            earlier,
            folder: Mutex::new(FolderSink::default()),
            status: Mutex::new(Status::new(quiet)),
            pending: Mutex::new(None),
            wake: Condvar::new(),
            last_save: Mutex::new(Instant::now()),
            sources: Mutex::new(KeptSources::default()),
        }
    }

    pub fn folder(&self) -> MutexGuard<'_, FolderSink> {
        self.folder.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pending(&self) -> MutexGuard<'_, Option<CatchUp>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn saved(&self) {
        *self.last_save.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    /// Hands the rest of a save to the worker; a job not yet started is
    /// replaced (it would be stale).
    pub fn post(&self, job: CatchUp) {
        *self.pending() = Some(job);
        self.wake.notify_all();
    }

    /// Whether a newer save has been posted since the worker took its job.
    fn superseded(&self) -> bool {
        self.pending().is_some() || self.folder().is_closed()
    }

    /// Ends the watch: waits for a file being written, then lets no more be
    /// written and removes what killed runs left behind.
    pub fn close(&self) {
        self.folder().close();
        self.wake.notify_all();
    }

    /// Writes `file` for `save` unless a newer save's version is there.
    pub fn put(&self, package: &Package, save: u64, file: BundleFile, markup: Option<String>) -> Result<bool> {
        self.folder().put(&package.root, save, file, markup)
    }
}

/// The catch-up worker: waits for a job, then for the saves to pause, and
/// brings the other documents up to date.
pub fn catch_up_loop(shared: &Shared) {
    let lane = Lane::background("catch-up", 2);
    while let Some(job) = next_job(shared) {
        let started = Instant::now();
        let mut kept = std::mem::take(&mut *shared.sources.lock().unwrap_or_else(|p| p.into_inner()));
        let outcome = catch_up(shared, &lane, &mut kept, &job);
        *shared.sources.lock().unwrap_or_else(|p| p.into_inner()) = kept;
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
            Err(_) if shared.superseded() => continue,
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
        if shared.folder().is_closed() {
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
    let options = PlanOptions { date: job.date, allow_incomplete: false };
    let planned = pipeline::plan_publications(package, &options, shared.earlier.as_ref(), Selection::Everything);
    let mut plans: Vec<Markup> = pipeline::write_markup(&planned, &package.fonts);
    let names: BTreeSet<String> = plans.iter().map(|p| p.name.clone()).collect();
    kept.retain(&names);
    let typeset: Vec<(String, FileKind)> = plans.iter().map(|p| (p.path.clone(), p.kind)).collect();
    // The synthesis first (the longest, and what an editor reads next),
    // then the others shortest first.
    plans.retain(|plan| shared.folder().changed(&plan.path, &plan.markup));
    plans.sort_by_key(|plan| (plan.kind != FileKind::SynthesisReportDraft, plan.markup.len()));
    let session = Session::new(package, job.date);
    let mut rewritten = Vec::new();
    let mut fits = pipeline::Fits::new();
    let stale = || shared.superseded();
    for (index, plan) in plans.into_iter().enumerate() {
        if stale() {
            return Ok(None);
        }
        shared.status().progress(&format!("typesetting {}", plan.path));
        // typst's cache is trimmed once a round, after the first layout
        // (the synthesis) and before its export: entries this round did
        // not use are older versions. Not when a save stopped the round
        // before any layout (it used nothing: the synthesis's cache would
        // age out), and not twice (the second would free this round's).
        let trim = index == 0;
        let typeset = || session.typeset_unless_stale(&plan, kept, &stale, trim);
        let Some(file) = lane.run(typeset)? else { return Ok(None) };
        shared.status().warnings(&file);
        fits.extend(file.fitted.map(|fit| (file.path.clone(), fit)));
        if shared.put(package, job.save, file, Some(plan.markup))? {
            rewritten.push(plan.path);
        }
    }
    // The web pages, Word drafts and data files after the PDFs, not beside
    // them: the synthesis's cache, its export and these together would
    // take more memory than a watch may.
    let files =
        pipeline::data_files(package, &options, &planned, &typeset, &fits, Selection::Everything, &|_, _, _| true)?;
    let data: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    for file in files {
        let path = file.path.clone();
        if stale() {
            return Ok(None);
        }
        if shared.folder().differs(&file) && shared.put(package, job.save, BundleFile::data(file), None)? {
            rewritten.push(path);
        }
    }
    if shared.superseded() {
        return Ok(None);
    }
    let current: BTreeSet<String> = typeset.into_iter().map(|(path, _)| path).chain(data).collect();
    rewritten.extend(shared.folder().remove_stale(&package.root, &current, job.save)?);
    shared.folder().write_manifest(package, job.date)?;
    Ok(Some(rewritten))
}

/// `national/CZ.pdf, synthesis-report-draft.pdf and 2 more`.
pub fn summary(paths: &[String]) -> String {
    match paths.len() {
        0..=3 => paths.join(", "),
        n => format!("{} and {} more", paths[..2].join(", "), n - 2),
    }
}
