//! The stages every command runs, in order: `load` → `check`
//! ([`load_and_check`], where `validate`, `build-package` and `watch` all
//! start, so what one accepts the others build), then [`run`]: plan the
//! publications, write their markup, typeset them ([`schedule`]), make
//! the other editions ([`editions`]), each file handed to a sink (the
//! zip of `build-package`, the folder of `watch`). The commands
//! (`commands::*`) only decide what to run and what to tell the user.

mod earlier;
mod edition;
mod editions;
mod out;
mod schedule;

use std::path::Path;

use crate::bundle::Sink;
use crate::dates::Date;
use crate::diagnostic::Report;
use crate::load::{self, Package};
use crate::output::{BundleFile, FileKind};
use crate::publications::changes::Earlier;
use crate::publications::{PlanOptions, Publication};
use crate::render::{self, KeptSources, Lane, RenderError};
use crate::write::typst::Markup;
pub use earlier::load_earlier;
pub use edition::{edition_problems, for_edition};
pub use editions::{Fits, web_edition};
pub use out::{checked_out, default_out};
pub use schedule::Afterwards;

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
        // A situational report's key figures show the previous edition's too.
        for publication in planned.iter_mut().filter(|p| p.kind == FileKind::SituationalReport) {
            let cache = publications::PartCache::for_options(options);
            *publication = publications::situational::plan_against(package, options, &cache, Some(&earlier.package));
            publication.doc.number_captions();
        }
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

/// One run of the pipeline: what to make of which package.
pub struct Request<'a> {
    pub package: &'a Package,
    pub options: PlanOptions,
    /// The edition `--since` names: `changes.pdf` compares with it.
    pub earlier: Option<&'a Earlier>,
    pub selection: Selection<'a>,
    /// `--only`: kinds, countries, document names or bundle paths;
    /// everything when `None`.
    pub only: Option<&'a [String]>,
    /// A note over every document (`watch`, after a save with errors: the
    /// last version that validated).
    pub banner: Option<&'a str>,
    /// `--keep-sources DIR`: the generated typst sources go there too.
    pub keep_sources: Option<&'a Path>,
}

impl Request<'_> {
    /// Whether `--only` selects a file of the bundle, by its kind, path
    /// and country.
    fn wants(&self, kind: FileKind, path: &str, country: Option<&str>) -> bool {
        self.only.is_none_or(|only| only.iter().any(|item| crate::publications::selects(item, kind, path, country)))
    }

    /// Whether `--only` selects a publication's PDF (also by its name).
    fn wants_typeset(&self, publication: &Publication) -> bool {
        self.only.is_none_or(|only| only.iter().any(|item| publication.name == item.trim()))
            || self.wants(publication.kind, &publication.path, publication.country.as_deref())
    }
}

/// How the documents of a run are typeset.
pub enum Schedule<'a> {
    /// All on every core within memory, the other editions made beside
    /// them (`build-package`, `watch`'s first build).
    AllCores { fast: bool, afterwards: Afterwards, bar: Option<&'a indicatif::ProgressBar> },
    /// One after another (a `watch` round), see [`InTurn`].
    InTurn(InTurn<'a>),
}

/// A `watch` round's typesetting: in `lane`, the synthesis first and then
/// the shortest, each document whose markup the sink does not hold
/// already; the other editions after the PDFs. Given up when `stale`.
pub struct InTurn<'a> {
    pub lane: &'a Lane,
    /// The typst sources of earlier rounds (an edit reparses only what changed).
    pub kept: &'a mut KeptSources,
    pub stale: &'a (dyn Fn() -> bool + Sync),
    /// Trim typst's cache after the first layout (see [`render::Session::typeset_unless_stale`]).
    pub trim: bool,
    /// Told each document as it starts.
    pub progress: &'a (dyn Fn(&str) + Sync),
}

/// What a run made.
pub struct Made {
    pub planned: Vec<Publication>,
    /// The markup of each document typeset.
    pub typeset: Vec<Markup>,
    /// Every file made and handed to the sink, by path.
    pub files: Vec<BundleFile>,
    /// Every file of the run's bundle, made or held by the sink already.
    pub paths: std::collections::BTreeSet<String>,
}

#[derive(Debug)]
pub enum RunError {
    Render(RenderError),
    Io(anyhow::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Render(error) => write!(f, "{error}"),
            RunError::Io(error) => write!(f, "{error:#}"),
        }
    }
}

/// Plans, writes, typesets and makes the other editions of what
/// `request` asks for, each file handed to `sink` as soon as it is made.
/// `None`: given up, a newer save made it stale.
pub fn run(request: &Request, schedule: Schedule, sink: &dyn Sink) -> Result<Option<Made>, RunError> {
    let planning = std::time::Instant::now();
    let package = request.package;
    let options = &with_figure_links(request);
    let mut planned = plan_publications(package, options, request.earlier, request.selection);
    if let Some(banner) = request.banner {
        set_banner(&mut planned, banner);
    }
    let planned_in = planning.elapsed();
    let plans = write_markup(planned.iter().filter(|p| request.wants_typeset(p)), &package.fonts);
    if render::timings_wanted() {
        let written_in = planning.elapsed() - planned_in;
        eprintln!("plan {:.3} s, typst markup {:.3} s", planned_in.as_secs_f64(), written_in.as_secs_f64());
    }
    if let Some(dir) = request.keep_sources {
        keep_sources(dir, package, &plans).map_err(RunError::Io)?;
    }
    let wanted = |kind, path: &str, country: Option<&str>| request.wants(kind, path, country);
    let made = match schedule {
        Schedule::AllCores { fast, afterwards, bar } => {
            if let Some(bar) = bar {
                bar.set_length(plans.len() as u64);
            }
            let made = schedule::AsMade { bar, sink: Some(sink) };
            Some(schedule::all_cores(request, &planned, plans, &wanted, (fast, afterwards), made)?)
        }
        Schedule::InTurn(turn) => schedule::in_turn(request, &planned, plans, &wanted, turn, sink)?,
    };
    Ok(made.map(|(typeset, mut files, paths)| {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Made { planned, typeset, files, paths }
    }))
}

/// The plan options with the figures `validate` verified and the annex
/// rows they were checked against, where the bundle has an annex to link
/// to: the web pages link them there.
fn with_figure_links(request: &Request) -> PlanOptions {
    use crate::check::figures::{Verdict, figures};
    let package = request.package;
    let mut options = PlanOptions::new(request.options.date, request.options.allow_incomplete);
    // A watch round for the edited countries leaves the links to the
    // catch-up that follows: the editor's PDF comes first.
    let whole = matches!(request.selection, Selection::Everything);
    if !whole
        || !crate::publications::has_kind(package, FileKind::StatisticalAnnex)
        || package.template.tables.is_empty()
    {
        return options;
    }
    let links = figures(package)
        .into_iter()
        .filter(|figure| figure.verdict == Verdict::Verified)
        .filter_map(|figure| {
            let row = figure.link?.row?;
            Some(crate::publications::FigureLink { file: figure.file, written: figure.written, row })
        })
        .collect();
    options.figure_links = std::sync::Arc::new(links);
    options
}

/// A note under each document's cover and in its running head: what a
/// PDF viewer open on it shows after a save with errors.
fn set_banner(planned: &mut [Publication], banner: &str) {
    use crate::publications::document::Node;
    for publication in planned {
        // Below the cover (a page of its own), and in the running head of
        // every page after it.
        let body = &mut publication.doc.body;
        let at = usize::from(matches!(body.first(), Some(Node::Cover(_) | Node::Banner { .. })));
        body.insert(at, Node::Note(banner.to_string()));
        publication.doc.running = "Last version that validated: your last save has errors".into();
    }
}

/// Writes every generated source, the layouts and the referenced images in
/// the folder tree typst's own CLI expects: `typst compile --root DIR
/// DIR/__emn__/NAME.typ` rebuilds a document by hand.
fn keep_sources(dir: &Path, package: &Package, plans: &[Markup]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let write = |relative: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    };
    for (path, text) in render::world::layouts() {
        write(&path, text.as_bytes())?;
    }
    let (fonts_path, fonts_module) = render::world::fonts_module(&package.fonts);
    write(&fonts_path, fonts_module.as_bytes())?;
    for plan in plans {
        write(&render::world::main_path(&plan.name), plan.markup.as_bytes())?;
    }
    for (path, facts) in &package.referenced {
        if let load::paths::FileFacts::File { image: Some(_), .. } = facts {
            let bytes = std::fs::read(package.root.join(path)).with_context(|| format!("cannot read {path}"))?;
            write(render::world::package_path(path).trim_start_matches('/'), &bytes)?;
        }
    }
    Ok(())
}
