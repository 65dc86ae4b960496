//! The stages every command runs, in order: `load` → `check`
//! ([`load_and_check`], where `validate`, `build-package` and `watch` all
//! start, so what one accepts the others build), then `publications` plans
//! and `render` typesets ([`typeset_all`], the memory-bounded schedule of a
//! whole build). The commands (`commands::*`) only decide what to run and
//! what to tell the user.

use std::path::{Path, PathBuf};

use crate::bundle::Sink;
use crate::dates::Date;
use crate::diagnostic::Report;
use crate::load::{self, Package};
use crate::output::{BundleFile, DataFile, FileKind};
use crate::publications::Publication;
use crate::publications::changes::Earlier;
use crate::render::{self, RenderError, Session};
use crate::write::typst::Markup;

/// The date printed in the publications and stamped in the PDFs and zip.
///
/// The manifest's `published` when given (the editors' decision); else
/// `SOURCE_DATE_EPOCH` (for byte-identical rebuilds on any day); else the
/// day of the build, as an editor reads "Compiled" or "Draft of" on a
/// cover. Two builds on one day give the same bytes.
pub fn build_date(package: &Package, source_date_epoch: Option<i64>) -> Date {
    if let Some(date) = package.manifest.published.as_ref().and_then(|p| p.get_ref().date) {
        return Date::from_toml(date);
    }
    source_date_epoch.map_or_else(Date::today, Date::from_unix)
}

/// A package as `validate` sees it: loaded, its images probed by typst,
/// checked. `validate` and `build-package` both start here, so what one
/// accepts the other builds.
pub struct Checked {
    pub package: Option<Package>,
    pub report: Report,
    /// File texts, for the excerpts of diagnostics.
    pub texts: crate::diagnostic::Texts,
}

/// Loads and checks the package in `root`.
pub fn load_and_check(root: &Path) -> Result<Checked, load::UnreadableFolder> {
    load_and_check_with(root, &Caches::default())
}

/// What [`load_and_check_with`] keeps between loads of one folder.
#[derive(Default)]
pub struct Caches {
    load: load::Cache,
    check: crate::check::Cache,
}

/// Like [`load_and_check`], reusing what `cache` holds of files whose bytes
/// did not change since it was filled (`watch`: a save parses and checks
/// the saved file again, the package-wide rules run on the rest as kept).
pub fn load_and_check_with(root: &Path, cache: &Caches) -> Result<Checked, load::UnreadableFolder> {
    let started = std::time::Instant::now();
    let loaded = load::load_cached(root, &render::image_refusals, &cache.load)?;
    let loaded_in = started.elapsed();
    let mut diagnostics = loaded.diagnostics;
    let package = loaded.package;
    if let Some(package) = &package {
        diagnostics.extend(crate::check::check_cached(package, Date::of_this_run(), &cache.check));
    }
    if crate::render::timings_wanted() {
        eprintln!(
            "load {:.3} s, check {:.3} s",
            loaded_in.as_secs_f64(),
            (started.elapsed() - loaded_in).as_secs_f64()
        );
    }
    Ok(Checked { package, report: Report::new(diagnostics), texts: loaded.texts })
}

/// Which publications a build makes.
#[derive(Clone, Copy)]
pub enum Selection<'a> {
    /// The whole bundle.
    Everything,
    /// Only these countries' national contributions and their web pages
    /// (`watch`, after a save of their files); in a package without
    /// national contributions, its documents.
    Countries(&'a std::collections::BTreeSet<String>),
}

/// Whether a file of the bundle is wanted, by its kind, path and country
/// (`--only`; everything by default).
pub type Wanted<'a> = &'a (dyn Fn(FileKind, &str, Option<&str>) -> bool + Sync);

/// The publications `selection` asks for, planned (with `changes.pdf` when
/// an earlier edition is given), sorted by path.
pub fn plan_publications(
    package: &Package,
    options: &crate::publications::PlanOptions,
    earlier: Option<&Earlier>,
    selection: Selection,
) -> Vec<Publication> {
    use crate::publications;
    if let Selection::Countries(countries) = selection
        && publications::has_kind(package, FileKind::NationalContribution)
    {
        return publications::plan_countries(package, options, countries);
    }
    let mut planned = publications::plan(package, options);
    if let Some(earlier) = earlier {
        planned.push(publications::changes::plan(earlier, package, options));
    }
    planned
}

/// The typst markup of `planned`, in its order, written on every core,
/// longest plans first: the typesetting waits for all of it (0.3 s on one
/// core on the benchmark, 0.1-0.15 s on two).
pub fn write_markup<'a>(
    planned: impl IntoIterator<Item = &'a Publication>,
    fonts: &crate::fonts::FontSet,
) -> Vec<Markup> {
    let mut planned: Vec<(usize, &Publication)> = planned.into_iter().enumerate().collect();
    planned.sort_by_key(|(_, p)| std::cmp::Reverse(p.doc.body.len()));
    let mut written = render::parallel_map(planned, |(index, p)| (index, crate::write::typst::write(p, fonts)));
    written.sort_by_key(|(index, _)| *index);
    written.into_iter().map(|(_, markup)| markup).collect()
}

/// The files of the bundle that are not typeset, as `wanted` selects
/// them: the annex's CSV and workbook and the package's `sources/` (for
/// the whole bundle), the Word editions and the web pages of `planned`,
/// each page linking its other editions among `typeset` and these files.
/// A fitted publication's editions show the setting its PDF has (`fits`,
/// by the PDF's path; typeset now when not given).
pub fn data_files(
    package: &Package,
    options: &crate::publications::PlanOptions,
    planned: &[Publication],
    typeset: &[(String, FileKind)],
    fits: &Fits,
    selection: Selection,
    wanted: Wanted,
) -> anyhow::Result<Vec<DataFile>> {
    let started = std::time::Instant::now();
    let settled = settled(package, options.date, planned, fits);
    let planned: Vec<&Publication> = settled.iter().map(AsRef::as_ref).collect();
    let mut files = Vec::new();
    if let Selection::Everything = selection {
        files.extend(crate::publications::data_files(package, options));
        // The public edition carries no sources: they hold what it
        // withholds (restricted texts, the editors' comments), so it is
        // not rebuilt from itself; the network edition is.
        if package.edition == load::Edition::Network {
            files.extend(source_files(package)?);
        }
        files.retain(|file| wanted(file.kind, &file.path, None));
        let editions: Vec<&Publication> = planned
            .iter()
            .copied()
            .filter(|p| p.word.is_some_and(|kind| wanted(kind, &p.word_path(), p.country.as_deref())))
            .collect();
        files.extend(word_editions(package, &editions));
    }
    let present: Vec<(String, FileKind)> =
        typeset.iter().cloned().chain(files.iter().map(|f| (f.path.clone(), f.kind))).collect();
    let web_wanted = |path: &str| wanted(FileKind::WebPage, path, None);
    let index = matches!(selection, Selection::Everything);
    files.extend(web_edition(package, &planned, &present, options.date, &|path: &str| {
        web_wanted(path)
            && (index || path != crate::write::html::INDEX_PATH && path != crate::write::html::STYLESHEET_PATH)
    }));
    if crate::render::timings_wanted() {
        eprintln!("data files (workbook, CSV, Word, web pages): {:.2} s", started.elapsed().as_secs_f64());
    }
    Ok(files)
}

/// The setting typst chose for each fitted publication, by its PDF's path.
pub type Fits = std::collections::BTreeMap<String, crate::output::Fit>;

/// `planned` as their PDFs are set: a fitted publication (the Inform, the
/// Flash) holds the setting typst chose, from `fits` or, where its PDF was
/// not typeset (`--only` its web page, a watch round that kept it), from
/// typesetting it now.
fn settled<'a>(
    package: &Package,
    date: Date,
    planned: &'a [Publication],
    fits: &Fits,
) -> Vec<std::borrow::Cow<'a, Publication>> {
    use std::borrow::Cow;
    let session = std::sync::OnceLock::new();
    planned
        .iter()
        .map(|publication| {
            if !publication.doc.is_fitted() {
                return Cow::Borrowed(publication);
            }
            let fit = fits.get(&publication.path).copied().or_else(|| {
                let session = session.get_or_init(|| Session::new(package, date));
                let markup = crate::write::typst::write(publication, &package.fonts);
                session.typeset(&markup, None).ok()?.fitted
            });
            let mut settled = publication.clone();
            settled.doc = publication.doc.settled(fit.unwrap_or(crate::output::Fit::Normal));
            Cow::Owned(settled)
        })
        .collect()
}

/// What typst warned about in a typeset file, as diagnostics at the
/// Markdown line it came from (else at the file of the bundle).
pub fn typeset_warnings(file: &BundleFile) -> impl Iterator<Item = crate::diagnostic::Diagnostic> + '_ {
    use crate::diagnostic::Diagnostic;
    file.warnings.iter().map(move |warning| {
        let message = format!("typst warns while setting {}: {}", file.path, warning.text);
        let diagnostic = match &warning.source {
            Some((source, line)) => Diagnostic::warning("typeset-warning", source, message).at_line(*line),
            None => Diagnostic::warning("typeset-warning", &file.path, message),
        };
        match warning.hints.first() {
            Some(hint) => diagnostic.with_hint(hint.clone()),
            None => diagnostic,
        }
    })
}

/// The web edition of `publications`: the page of each that `wanted`
/// selects (by its path), each linking its other editions among `present`
/// (the bundle's other files); the stylesheet beside any page; and the
/// index page, when wanted, listing every page and file of the bundle.
pub fn web_edition(
    package: &Package,
    publications: &[&Publication],
    present: &[(String, FileKind)],
    date: Date,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<DataFile> {
    use crate::write::html;
    let editions = |publication: &Publication| -> Vec<String> {
        let own = [publication.path.clone(), publication.word_path()];
        let data = publication.kind == FileKind::StatisticalAnnex;
        present
            .iter()
            .filter(|(path, kind)| own.contains(path) || (data && *kind == FileKind::StatisticalAnnexData))
            .map(|(path, _)| path.clone())
            .collect()
    };
    let mut pages: Vec<DataFile> = Vec::new();
    let mut entries = Vec::new();
    for publication in publications.iter().filter(|p| wanted(&html::page_path(&p.path))) {
        let formats = editions(publication);
        let page = html::write(publication, &package.root, &formats);
        let (title, lang) = match &publication.country {
            Some(code) if publication.kind == FileKind::NationalContribution => {
                (crate::publications::country_name(code, "en"), "en".to_string())
            }
            _ => (publication.doc.title.clone(), publication.doc.lang.clone()),
        };
        entries.push(html::index::Entry {
            title,
            lang,
            kind: publication.kind,
            country: publication.country.clone(),
            page: page.path.clone(),
            files: formats,
        });
        pages.push(page);
    }
    let index_wanted = wanted(html::INDEX_PATH);
    if !pages.is_empty() || index_wanted || wanted(html::STYLESHEET_PATH) {
        pages.push(html::stylesheet());
    }
    if index_wanted {
        let about = html::index::About {
            title: package.manifest.title.to_string(),
            kind: package_kind_words(package.manifest.kind).to_string(),
            date: date.english(),
        };
        let listed: std::collections::BTreeSet<&String> = entries.iter().flat_map(|e| e.files.iter()).collect();
        let mut other: Vec<String> = vec![crate::bundle::MANIFEST.to_string()];
        // `sources/` is what the bundle rebuilds from, not a publication:
        // the index never links it, so no file an NCP sent is one click
        // from the web edition.
        other.extend(
            present
                .iter()
                .filter(|(path, kind)| *kind != FileKind::Source && !listed.contains(path))
                .map(|(path, _)| path.clone()),
        );
        other.push(html::STYLESHEET_PATH.to_string());
        pages.push(html::index::index(&about, &entries, &other));
    }
    pages
}

/// The package's files as the bundle carries them (`sources/…`), so that
/// it rebuilds from itself: every file the load read, read again inside
/// the package only and checked against what the load read.
pub fn source_files(package: &Package) -> anyhow::Result<Vec<DataFile>> {
    let mut files = Vec::new();
    for (path, source) in &package.sources {
        let bytes = crate::sandbox::read(&package.root, path, crate::limits::MAX_STATISTICS_BYTES as u64)
            .map_err(|refusal| anyhow::anyhow!("cannot read {path} again for sources/ ({refusal})"))?;
        let digest = load::sha256_hex(&bytes);
        anyhow::ensure!(
            digest == source.sha256,
            "{path} changed while the package was built (hint: build again once the file is saved)"
        );
        files.push(DataFile { path: format!("{}{path}", load::archive::SOURCES), kind: FileKind::Source, bytes });
    }
    Ok(files)
}

/// A kind of package as a reader says it.
fn package_kind_words(kind: load::PackageKind) -> &'static str {
    match kind {
        load::PackageKind::Study => "EMN Study",
        load::PackageKind::AnnualReport => "EMN Annual Report",
        load::PackageKind::AdHocQuery => "EMN Ad-Hoc Query",
        load::PackageKind::Bulletin => "EMN Bulletin",
        load::PackageKind::SituationalReport => "EMN Situational Report",
    }
}

/// The earlier edition in the bundle `since` (`--since`), loaded from the
/// sources it carries (checked against its manifest); with `carried`,
/// the edition a bundle built `--since` compared with, as it carries it
/// (a rebuild). A bundle of another package or kind than the one in
/// `root` is refused. The error says what is wrong with it.
pub fn load_earlier(since: &Path, root: &Path, edition: load::Edition, carried: bool) -> Result<Earlier, String> {
    let shown = since.display();
    let file_name =
        || since.file_name().map_or_else(|| since.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (unpacked, name) = if carried {
        load::archive::compared(since)
            .map_err(|e| format!("--since: {e}"))?
            .ok_or_else(|| format!("{shown} was not built --since another bundle"))?
    } else {
        (load::archive::unpacked(since).map_err(|e| format!("--since: {e}"))?, file_name())
    };
    if let Some((id, kind)) = package_identity(root) {
        let (old_id, old_kind) = (&unpacked.manifest.package, &unpacked.manifest.kind);
        if old_kind != kind.name() || *old_id != id {
            return Err(format!(
                "--since {shown} is a bundle of the {old_kind} `{}`, and this package is the {} `{}` (hint: compare with an earlier bundle of this package)",
                crate::diagnostic::shown_text(old_id),
                kind.name(),
                crate::diagnostic::shown_text(&id)
            ));
        }
    }
    let loaded = load::load(unpacked.path()).map_err(|e| format!("--since {shown}: {e}"))?;
    let mut package =
        loaded.package.ok_or_else(|| format!("--since {shown}: the sources it carries do not load as a package"))?;
    // Compared as this edition prints it: the public report shows no
    // restricted word of the old edition either.
    for_edition(&mut package, edition);
    // The network edition carries what it compared with, so that it
    // rebuilds with the same report; the public one carries no sources.
    let carried = match edition {
        load::Edition::Network => carried_files(&unpacked, &name),
        load::Edition::Public => Vec::new(),
    };
    Ok(Earlier { package, name, built: unpacked.manifest.build_date.clone(), carried })
}

/// The earlier bundle's manifest, sources and file name as a bundle built
/// `--since` carries them ([`load::archive::COMPARED`]).
fn carried_files(unpacked: &load::archive::Unpacked, name: &str) -> Vec<DataFile> {
    use load::archive::{COMPARED, COMPARED_NAME};
    let file = |path: String, bytes: Vec<u8>| DataFile { path, kind: FileKind::Source, bytes };
    let mut files = vec![
        file(COMPARED.manifest.to_string(), unpacked.manifest_bytes.clone()),
        file(COMPARED_NAME.to_string(), format!("{name}\n").into_bytes()),
    ];
    files.extend(
        unpacked.sources.iter().map(|(path, bytes)| file(format!("{}{path}", COMPARED.sources), bytes.clone())),
    );
    files
}

/// The id and kind `emn.toml` in `root` gives, when it reads.
fn package_identity(root: &Path) -> Option<(String, load::PackageKind)> {
    let bytes = crate::sandbox::read(root, load::manifest::FILE, crate::limits::MAX_TEXT_BYTES as u64).ok()?;
    let (manifest, _) = load::manifest::parse(std::str::from_utf8(&bytes).ok()?);
    let manifest = manifest?;
    Some((manifest.id.get_ref().clone(), manifest.kind))
}

/// The Word editions of `publications` (the synthesis draft, the
/// compilation), written from the same plans the PDFs are typeset from.
fn word_editions(package: &Package, publications: &[&Publication]) -> Vec<DataFile> {
    publications
        .iter()
        .filter_map(|publication| crate::write::word::write(publication, &package.root))
        .filter_map(|written| written.map_err(|error| eprintln!("warning: a Word edition: {error:#}")).ok())
        .collect()
}

/// The whole build's work after planning: `plans` typeset (see
/// [`typeset_all`]) while the data files `wanted` selects are made beside
/// them (the annex CSV and workbook, the Word drafts with their map
/// pictures, the web pages, `sources/`). `build-package` and `watch`'s
/// first build both run it, each file handed to their sink (a zip or a
/// folder) as soon as it is made.
pub fn typeset_and_make_data_files(
    package: &Package,
    options: &crate::publications::PlanOptions,
    planned: &[Publication],
    plans: Vec<Markup>,
    wanted: Wanted,
    schedule: (bool, Afterwards),
    made: AsMade,
) -> (Vec<Typeset>, anyhow::Result<Vec<BundleFile>>) {
    let (fast, afterwards) = schedule;
    let typeset: Vec<(String, FileKind)> = plans.iter().map(|p| (p.path.clone(), p.kind)).collect();
    let (fitted, fits, plans) = typeset_fitted_first(package, options.date, planned, plans, made);
    let (mut rendered, data) = std::thread::scope(|scope| {
        let data = scope.spawn(|| {
            let files = data_files(package, options, planned, &typeset, &fits, Selection::Everything, wanted);
            let files: anyhow::Result<Vec<BundleFile>> = files.map(|f| f.into_iter().map(BundleFile::data).collect());
            if let (Ok(files), Some(sink)) = (&files, made.sink) {
                files.iter().for_each(|f| sink.put(f, None));
            }
            files
        });
        let rendered = typeset_all(package, plans, options.date, fast, made, afterwards);
        (rendered, data.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    rendered.extend(fitted);
    (rendered, data)
}

/// Typesets the fitted publications among `plans` (the Inform, the Flash:
/// short) before the rest, so their web pages and Word files are made
/// from the setting typst chose; returns them, the settings, and the rest.
fn typeset_fitted_first(
    package: &Package,
    date: Date,
    planned: &[Publication],
    plans: Vec<Markup>,
    made: AsMade,
) -> (Vec<Typeset>, Fits, Vec<Markup>) {
    let fitted_paths: std::collections::BTreeSet<&str> =
        planned.iter().filter(|p| p.doc.is_fitted()).map(|p| p.path.as_str()).collect();
    let (fitted, rest): (Vec<Markup>, Vec<Markup>) =
        plans.into_iter().partition(|plan| fitted_paths.contains(plan.path.as_str()));
    let session = Session::new(package, date);
    let fitted = render::parallel_map(fitted, |plan| {
        let file = session.typeset(&plan, None);
        made.typeset(&plan, &file);
        (plan, file)
    });
    let fits =
        fitted.iter().filter_map(|(plan, file)| Some((plan.path.clone(), file.as_ref().ok()?.fitted?))).collect();
    (fitted, fits, rest)
}

/// A document's markup and what typesetting it gave.
pub type Typeset = (Markup, Result<BundleFile, RenderError>);

/// What a build does with each file as soon as it is made, in the thread
/// that made it: moves the progress bar on, and hands the file to the
/// build's sink (the zip compresses it beside the rest of the build, the
/// folder writes it).
#[derive(Clone, Copy, Default)]
pub struct AsMade<'a> {
    pub bar: Option<&'a indicatif::ProgressBar>,
    pub sink: Option<&'a dyn Sink>,
}

impl AsMade<'_> {
    fn typeset(&self, publication: &Markup, typeset: &Result<BundleFile, RenderError>) {
        if let Some(bar) = self.bar {
            bar.inc(1);
            bar.set_message(publication.path.clone());
        }
        if let (Ok(typeset), Some(sink)) = (typeset, self.sink) {
            sink.put(typeset, Some(&publication.markup));
        }
    }
}

/// What a whole build keeps of typst's cache for the longest document.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    /// Nothing follows (`build-package`): its cache is freed before the
    /// PDF export, which keeps the build's peak memory low.
    Done,
    /// Rebuilds follow (`watch`): its cache is kept, so a save lays out
    /// again only the page runs it changed.
    Rebuilds,
}

/// Typesets publications on every core within memory, largest first.
///
/// The largest document (the synthesis, which repeats every answer) is
/// typeset last and alone, after typst's cache of the others is freed;
/// `fast` typesets it beside the others instead, which holds both caches at
/// once (benchmark: 6.3 s and 0.91 GB by default, 5.9 s and 1.6 GB with
/// `--fast`). When nothing follows, the shortest documents wait for the core
/// its PDF export leaves free. Results come in the order typeset.
pub fn typeset_all(
    package: &Package,
    mut plans: Vec<Markup>,
    date: Date,
    fast: bool,
    made: AsMade,
    afterwards: Afterwards,
) -> Vec<Typeset> {
    plans.sort_by_key(|p| std::cmp::Reverse(p.markup.len()));
    let longest = (!fast && !plans.is_empty()).then(|| plans.remove(0));
    let held = match (&longest, afterwards) {
        (Some(longest), Afterwards::Done) => shortest_within(&mut plans, longest.markup.len() / EXPORT_SHARE),
        _ => Vec::new(),
    };
    let session = Session::new(package, date);
    let render_one = |publication: Markup| {
        let file = session.typeset(&publication, None);
        made.typeset(&publication, &file);
        if !fast {
            // Keep the cache to what the documents in progress still use.
            render::evict_cache(CACHE_AGE);
        }
        (publication, file)
    };
    let mut rendered = render::parallel_map(plans, render_one);
    if let Some(longest) = longest {
        render::release_all_memory();
        let file = match afterwards {
            Afterwards::Done => {
                let (file, beside) = beside_the_export(&session, &longest, held, &render_one, made);
                rendered.extend(beside);
                file
            }
            Afterwards::Rebuilds => {
                let file = session.typeset(&longest, None);
                made.typeset(&longest, &file);
                file
            }
        };
        rendered.push((longest, file));
    }
    rendered
}

/// The synthesis's PDF export runs on one core (1.2 s on the benchmark):
/// documents with about this fraction of its markup fill the other. A
/// contribution typesets about 11 times slower per byte of markup than
/// the synthesis exports, short documents slower still (a fixed part per
/// document): with a tenth held back, they ran 0.9 s past the export.
const EXPORT_SHARE: usize = 15;

/// Takes the shortest documents off the end of `plans` (sorted longest
/// first) while their markup stays within `budget` bytes.
fn shortest_within(plans: &mut Vec<Markup>, budget: usize) -> Vec<Markup> {
    let mut used = 0;
    let mut keep = plans.len();
    while keep > 0 && used + plans[keep - 1].markup.len() <= budget {
        used += plans[keep - 1].markup.len();
        keep -= 1;
    }
    plans.split_off(keep)
}

/// Typesets `longest` with its cache freed before its export, and `held`
/// on another core from then on (or once `longest` is done, if it failed
/// before); this thread helps with what is left of `held` afterwards.
fn beside_the_export(
    session: &Session,
    longest: &Markup,
    held: Vec<Markup>,
    render_one: &(dyn Fn(Markup) -> Typeset + Sync),
    made: AsMade,
) -> (Result<BundleFile, RenderError>, Vec<Typeset>) {
    let queue = std::sync::Mutex::new(held.into_iter());
    let drain = |name: &str| {
        let next = || queue.lock().unwrap_or_else(|p| p.into_inner()).next();
        let lane = render::Lane::new(name, 1);
        std::iter::from_fn(|| next().map(|publication| lane.run(|| render_one(publication)))).collect::<Vec<_>>()
    };
    std::thread::scope(|scope| {
        let (freed, wait) = std::sync::mpsc::channel::<()>();
        let beside = scope.spawn(move || {
            // Either the cache is freed, or `longest` is over and the sender gone.
            let _ = wait.recv();
            drain("typeset-beside")
        });
        let file = session.typeset_last(longest, &|| {
            let _ = freed.send(());
        });
        drop(freed);
        made.typeset(longest, &file);
        let mut rendered = drain("typeset-after");
        rendered.extend(beside.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (file, rendered)
    })
}

/// Where the bundle goes without `--out`: always inside `DIR/dist/`, named
/// by a checked package id; a build limited by `--only` never takes the
/// full bundle's name, so a partial zip cannot be mistaken for (or replace)
/// the package.
pub fn default_out(root: &Path, package_id: &str, partial: bool) -> Result<PathBuf, String> {
    if !load::manifest::is_file_name(package_id) {
        return Err(format!(
            "the package id `{package_id}` in emn.toml cannot name the bundle (hint: use letters, digits, `-`, `_` and `.`, or give --out FILE)"
        ));
    }
    let name = if partial { format!("{package_id}-partial.zip") } else { format!("{package_id}.zip") };
    let out = root.join("dist").join(name);
    crate::output::atomic::no_link_below(root, &out).map_err(|error| error.to_string())?;
    Ok(out)
}

/// `--out FILE` checked before anything is typeset: a regular file or
/// nothing (never a device, FIFO, folder or link, which the rename would
/// replace), and inside the package never reached through a linked folder.
pub fn checked_out(root: &Path, out: &Path) -> Result<PathBuf, String> {
    crate::output::atomic::replaceable(out).map_err(|error| error.to_string())?;
    if let (Ok(root), Ok(absolute)) = (std::path::absolute(root), std::path::absolute(out))
        && absolute.starts_with(&root)
    {
        crate::output::atomic::no_link_below(&root, &absolute).map_err(|error| error.to_string())?;
    }
    Ok(out.to_path_buf())
}

/// What the public edition refuses that `validate` accepts: a draft
/// contribution (an error there; with `--allow-incomplete` it is printed,
/// marked as a draft, as in the network edition).
pub fn edition_problems(package: &Package, edition: load::Edition) -> Vec<crate::diagnostic::Diagnostic> {
    if edition != load::Edition::Public {
        return Vec::new();
    }
    package
        .contributions
        .iter()
        .filter(|c| c.document.front.parsed_status == Some(load::Status::Draft))
        .map(|c| {
            let line = c.document.front.status.as_ref().map_or(1, |s| s.line);
            crate::diagnostic::Diagnostic::error(
                "draft-in-public-edition",
                c.file(),
                format!("{} is a draft, and the public edition publishes final texts only", c.country()),
            )
            .at_line(line)
            .with_hint("set `status: final` once the NCP has approved it, or build the public edition with --allow-incomplete (drafts are then marked)")
        })
        .collect()
}

/// The package as the publications of `edition` are planned from: only
/// contributions whose country can be published, and what is for the
/// network only marked (network edition) or withheld (public edition).
pub fn for_edition(package: &mut Package, edition: load::Edition) {
    keep_publishable_contributions(package);
    crate::publications::dissemination::prepare(package, edition);
}

/// With `--allow-incomplete`, contributions whose country is not an EMN
/// code (or repeats one) are left out of the publications: a country code
/// becomes a path (`national/CC.pdf`) and a typst file name, so only
/// checked codes may.
fn keep_publishable_contributions(package: &mut Package) {
    let mut seen = std::collections::BTreeSet::new();
    package
        .contributions
        .retain(|c| crate::countries::find(c.country()).is_some() && seen.insert(c.country().to_string()));
}

/// How many documents' worth of typst cache entries survive between
/// documents (see `render::evict_cache`).
const CACHE_AGE: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn markup(name: &str, bytes: usize) -> Markup {
        Markup {
            path: format!("{name}.pdf"),
            kind: FileKind::NationalContribution,
            country: None,
            name: name.into(),
            markup: "x".repeat(bytes),
            page_limit: None,
        }
    }

    #[test]
    fn the_shortest_documents_within_the_budget_wait_for_the_export() {
        let mut plans = vec![markup("a", 90), markup("b", 50), markup("c", 30), markup("d", 10)];
        let held = shortest_within(&mut plans, 45);
        let names = |plans: &[Markup]| plans.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&held), ["c", "d"]);
        assert_eq!(names(&plans), ["a", "b"]);
        // Nothing fits: nothing waits.
        let mut plans = vec![markup("a", 90)];
        assert!(shortest_within(&mut plans, 45).is_empty());
        assert_eq!(plans.len(), 1);
    }
}
