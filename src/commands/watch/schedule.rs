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

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::status::{Status, clock};
use crate::bundle::{FolderRound, FolderSink};
use crate::dates::Date;
use crate::load::Package;
use crate::pipeline::{self, InTurn, Schedule, Selection};
use crate::publications::changes::Earlier;
use crate::render::{KeptSources, Lane};

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
    let request = super::request(shared.earlier.as_ref(), package, job.date, Selection::Everything, None);
    let folder = FolderRound::new(&shared.folder, &package.root, job.save);
    let stale = || shared.superseded();
    let progress = |message: &str| shared.status().progress(message);
    let turn = InTurn { lane, kept, stale: &stale, trim: true, progress: &progress };
    let made = pipeline::run(&request, Schedule::InTurn(turn), &folder);
    let mut rewritten = folder.finish()?;
    let Some(made) = made.map_err(|e| anyhow::anyhow!("{e}"))? else { return Ok(None) };
    made.files.iter().for_each(|file| shared.status().warnings(file));
    if shared.superseded() {
        return Ok(None);
    }
    rewritten.extend(shared.folder().remove_stale(&package.root, &made.paths, job.save)?);
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
