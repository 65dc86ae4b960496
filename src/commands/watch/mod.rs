//! `watch`: the build kept warm. The package is built into an unpacked
//! folder (the files the zip holds, through the same pipeline functions as
//! `build-package`, into the folder sink [`crate::bundle::FolderRound`]
//! where `build-package` has the zip sink [`crate::bundle::ZipSink`])
//! and kept current while editors save.
//!
//! The editor is reading the PDF of the contribution they just saved, so
//! that one never waits behind anything else: a save re-reads and
//! re-checks the saved file (the rest comes from the last load's caches,
//! the package-wide rules run again), and the edited country's web page and
//! PDF are written at once, in a lane of their own with typst's cache of
//! the last round. Everything else is the catch-up worker's
//! ([`schedule`]). A save that brings errors keeps the last good files.
//!
//! - [`events`]: which saves count, from what the last load looked at;
//! - [`schedule`]: the catch-up worker and the state both sides share;
//! - [`status`]: the spinner line and the messages.

mod events;
mod schedule;
mod status;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::bundle::FolderRound;
use crate::dates::Date;
use crate::load::Package;
use crate::output::FileKind;
use crate::pipeline::{self, Caches, InTurn, Schedule, Selection};
use crate::publications::PlanOptions;
use crate::render::{self, KeptSources, Lane};
use schedule::{CatchUp, Shared, summary};
use status::clock;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Where the unpacked bundle goes (default `DIR/dist/<id>/`).
    pub out_dir: Option<PathBuf>,
    pub quiet: bool,
    pub source_date_epoch: Option<i64>,
    /// An earlier bundle: keep `changes.pdf` against it current too.
    pub since: Option<PathBuf>,
    /// The network's edition (the default) or the public one.
    pub edition: crate::load::Edition,
}

/// Editor rounds between which typst's cache is trimmed even when saves
/// never pause (a catch-up trims it after every round).
const EDITOR_ROUNDS_KEPT: usize = 20;

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
    // A device, FIFO or file given as the folder is refused at once: the
    // watch would report it after every save and never end.
    if let Some(out_dir) = &options.out_dir
        && std::fs::metadata(out_dir).is_ok_and(|m| !m.is_dir())
    {
        anyhow::bail!(
            "--out-dir {} is not a folder (hint: give a folder, or a path that does not exist yet)",
            out_dir.display()
        );
    }
    crate::interrupt::stop_when_asked();
    let mut events = events::Events::new(root)?;
    let earlier = match &options.since {
        Some(since) => {
            Some(pipeline::load_earlier(since, root, options.edition, false).map_err(|e| anyhow::anyhow!(e))?)
        }
        None => None,
    };
    let shared = Arc::new(Shared::new(options.quiet, earlier));
    let worker = shared.clone();
    std::thread::Builder::new()
        .name("emn-pub-catch-up".into())
        .spawn(move || schedule::catch_up_loop(&worker))
        .context("cannot start the catch-up worker")?;
    let mut editor = Editor {
        root,
        options,
        shared: &shared,
        lane: Lane::new("edited", 2),
        kept: KeptSources::default(),
        caches: Caches::default(),
        rounds: 0,
        last_good: None,
        bannered: BTreeSet::new(),
    };
    editor.round(&BTreeSet::new(), &mut events);
    let mut gone = false;
    while !crate::interrupt::asked_to_stop() {
        // A package folder removed (a sync client, `git checkout` of a
        // parent) is waited for; when it is back, it is watched again and
        // everything in it counts as changed.
        let present = root.join(crate::load::manifest::FILE).is_file();
        if gone == present {
            gone = !present;
            if gone {
                shared.status().done(&format!("… {} is gone; waiting for it to return", root.display()));
            } else {
                if events.restart().is_err() {
                    gone = true;
                    continue;
                }
                // What was written went with the folder: build it anew.
                shared.folder().forget();
                editor.round(&package_files(root), &mut events);
            }
        }
        let changed = events.next(Duration::from_millis(100));
        if !changed.is_empty() && !gone && !crate::interrupt::asked_to_stop() {
            editor.round(&changed, &mut events);
        }
    }
    shared.close();
    shared.status().done("watch ended");
    Ok(())
}

/// The editor's side: checks each save and rewrites the edited
/// contribution's own files at once.
struct Editor<'a> {
    root: &'a Path,
    options: &'a WatchOptions,
    shared: &'a Shared,
    lane: Lane,
    kept: KeptSources,
    /// The last load's parsed documents and rule results.
    caches: Caches,
    /// Editor rounds since typst's cache was last trimmed.
    rounds: usize,
    /// The package of the last save that validated, and its date: what a
    /// refused save's documents are shown from, with a banner.
    last_good: Option<(Arc<Package>, Date)>,
    /// Countries whose documents carry that banner now (rewritten by the
    /// next good save, whichever file it changes).
    bannered: BTreeSet<String>,
}

impl Editor<'_> {
    /// One save: check, rewrite the edited documents, post the rest.
    fn round(&mut self, changed: &BTreeSet<String>, events: &mut events::Events) {
        let started = Instant::now();
        self.shared.saved();
        let save = next_save();
        if !changed.is_empty() {
            let names: Vec<&str> = changed.iter().map(String::as_str).collect();
            self.shared.status().progress(&format!("changed: {}", names.join(", ")));
        }
        let Some(package) = self.checked(events) else {
            self.show_last_good(changed, save);
            return;
        };
        let date = pipeline::build_date(&package, self.options.source_date_epoch);
        let first = match self.open_out_dir(&package) {
            Ok(first) => first,
            Err(error) => return self.shared.status().done(&format!("✗ {error:#}")),
        };
        let result = if first {
            self.first_build(&package, date, save)
        } else {
            let mut edited = edited_countries(&package, changed);
            edited.extend(std::mem::take(&mut self.bannered));
            self.rewrite_edited(&package, date, save, &edited, changed, None)
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
        self.rounds += 1;
        if first || self.rounds >= EDITOR_ROUNDS_KEPT {
            // What the first build's other documents left (the synthesis's
            // cache is the newest, and stays), or a long run of saves
            // without a pause.
            render::release_memory();
            self.rounds = 0;
        }
        let package = Arc::new(package);
        self.last_good = Some((package.clone(), date));
        if !first {
            self.shared.post(CatchUp { save, package, date, saved_at: started });
        }
    }

    /// After a refused save, the saved documents as the last good save
    /// made them, under a banner saying so: a PDF viewer open on them
    /// shows why the text did not change. The public edition never
    /// carries such a banner: it keeps the last good files as they are.
    fn show_last_good(&mut self, changed: &BTreeSet<String>, save: u64) {
        if self.options.edition == crate::load::Edition::Public {
            return;
        }
        let Some((package, date)) = self.last_good.clone() else { return };
        let edited = edited_countries(&package, changed);
        let banner = format!(
            "This is the last version that validated. The save of {} has errors (emn-pub watch lists them): \
             fix them and save again to see your changes here.",
            clock()
        );
        match self.rewrite_edited(&package, date, save, &edited, changed, Some(&banner)) {
            Ok(_) => self.bannered.extend(edited),
            Err(error) => self.shared.status().done(&format!("✗ {error:#}")),
        }
    }

    /// The package of this save, when it has no errors (the diagnostics
    /// are printed either way); the watch follows what its load read.
    fn checked(&self, events: &mut events::Events) -> Option<Package> {
        let checked = match pipeline::load_and_check_with(self.root, &self.caches) {
            Ok(checked) => checked,
            Err(error) => {
                self.shared.status().done(&format!("✗ {error}"));
                return None;
            }
        };
        if let Some(package) = &checked.package {
            events.follow(package);
        }
        let refused = checked
            .package
            .as_ref()
            .map(|package| pipeline::edition_problems(package, self.options.edition))
            .unwrap_or_default();
        let report = crate::diagnostic::Report::new(checked.report.diagnostics.into_iter().chain(refused).collect());
        let mut status = self.shared.status();
        status.report(&report, &checked.texts);
        let errors = report.errors();
        let Some(mut package) = checked.package.filter(|_| errors == 0) else {
            let kept = if self.shared.folder().is_empty() { "nothing written yet" } else { "kept the last good files" };
            status.done(&format!("✗ {}: {kept} ({})", crate::diagnostic::count(errors, "error", "errors"), clock()));
            return None;
        };
        pipeline::for_edition(&mut package, self.options.edition);
        Some(package)
    }

    /// The folder the files go to (`--out-dir`, else `dist/<id>/`); returns
    /// whether nothing is written there yet (a first build).
    fn open_out_dir(&self, package: &Package) -> Result<bool> {
        let out_dir = match &self.options.out_dir {
            Some(dir) => dir.clone(),
            None => pipeline::default_out(&package.root, package.manifest.id.get_ref(), false)
                .map_err(|message| anyhow::anyhow!("{message}"))?
                .with_extension(""),
        };
        Ok(self.shared.folder().open(out_dir))
    }

    /// The first build: everything, as build-package builds it (on every
    /// core, within memory), into the folder, each file as soon as it is
    /// made.
    fn first_build(&mut self, package: &Package, date: Date, save: u64) -> Result<Vec<String>> {
        let request = request(self.shared.earlier.as_ref(), package, date, Selection::Everything, None);
        self.shared.status().progress("typesetting every document");
        let schedule = Schedule::AllCores { fast: false, afterwards: pipeline::Afterwards::Rebuilds, bar: None };
        let folder = FolderRound::new(&self.shared.folder, &package.root, save);
        let made = pipeline::run(&request, schedule, &folder);
        let written = folder.finish()?;
        let made = made.map_err(|e| anyhow::anyhow!("{e}"))?.context("the first build was given up")?;
        for plan in &made.typeset {
            self.kept.remember(&plan.name, &plan.markup);
            self.shared.sources.lock().unwrap_or_else(|p| p.into_inner()).remember(&plan.name, &plan.markup);
        }
        made.files.iter().for_each(|file| self.shared.status().warnings(file));
        self.shared.folder().write_manifest(package, date)?;
        Ok(written)
    }

    /// The edited documents: the edited countries' PDFs and web pages, or
    /// in a package without them (a bulletin, an ad-hoc query) its
    /// documents; the PDFs first, the editor is waiting for them.
    fn rewrite_edited(
        &mut self,
        package: &Package,
        date: Date,
        save: u64,
        edited: &BTreeSet<String>,
        changed: &BTreeSet<String>,
        banner: Option<&str>,
    ) -> Result<Vec<String>> {
        let has_nationals = crate::publications::has_kind(package, FileKind::NationalContribution);
        if has_nationals && edited.is_empty() || !has_nationals && changed.is_empty() {
            return Ok(Vec::new());
        }
        let folder = FolderRound::new(&self.shared.folder, &package.root, save);
        let made = {
            let request = request(self.shared.earlier.as_ref(), package, date, Selection::Countries(edited), banner);
            let shared = self.shared;
            let turn = InTurn {
                lane: &self.lane,
                kept: &mut self.kept,
                stale: &|| false,
                trim: false,
                progress: &|message| shared.status().progress(message),
            };
            pipeline::run(&request, Schedule::InTurn(turn), &folder)
        };
        let written = folder.finish()?;
        if let Some(made) = made.map_err(|e| anyhow::anyhow!("{e}"))? {
            made.files.iter().for_each(|file| self.shared.status().warnings(file));
        }
        self.shared.folder().write_manifest(package, date)?;
        Ok(written)
    }
}

/// What a round of the watch makes of `package`.
fn request<'p>(
    earlier: Option<&'p crate::publications::changes::Earlier>,
    package: &'p Package,
    date: Date,
    selection: Selection<'p>,
    banner: Option<&'p str>,
) -> pipeline::Request<'p> {
    pipeline::Request {
        package,
        options: PlanOptions::new(date, false),
        earlier,
        selection,
        only: None,
        banner,
        keep_sources: None,
    }
}

/// Numbers the saves, so each file knows which one it shows.
fn next_save() -> u64 {
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    SAVES.fetch_add(1, Ordering::SeqCst) + 1
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
