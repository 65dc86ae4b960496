//! `build-package`: load → check → plan → render (in parallel) → bundle.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::bundle::{self, BundleFile};
use crate::dates::Date;
use crate::diagnostic::Report;
use crate::load::{self, Package};
use crate::publications::{self, PlanOptions, Publication};
use crate::render::{self, RenderError, Session};

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

/// Whether a publication is selected by `--only`.
fn selected(publication: &Publication, only: &[String]) -> bool {
    only.iter().any(|item| {
        let item = item.trim();
        item == publication.kind
            || item == publication.path
            || publication.path.strip_suffix(".pdf") == Some(item)
            || publication.path.split('/').next() == Some(item)
            || publication.country.as_deref() == Some(item)
            || publication.name == item
    })
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
    let loaded = load::load(root)?;
    let mut diagnostics = loaded.diagnostics;
    let mut package = loaded.package;
    if let Some(package) = &mut package {
        render::probe_images(package);
        diagnostics.extend(crate::check::check(package, Date::of_this_run()));
    }
    Ok(Checked { package, report: Report::new(diagnostics), texts: loaded.texts })
}

/// Builds the bundle of the package in `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    let started = Instant::now();
    let checked = load_and_check(root).map_err(|e| BuildError::Usage(e.to_string()))?;
    let (report, texts) = (checked.report, checked.texts);
    let Some(package) = checked.package else {
        return Err(BuildError::Invalid { report, texts });
    };
    if report.errors() > 0 && !options.allow_incomplete {
        return Err(BuildError::Invalid { report, texts });
    }
    let package_id = package.manifest.id.get_ref().clone();
    let out = match &options.out {
        Some(out) => out.clone(),
        None => default_out(root, &package_id, options.only.is_some())?,
    };
    let mut package = package;
    keep_publishable_contributions(&mut package);

    let date = build_date(&package, options.source_date_epoch);
    let plan_options = PlanOptions { date, allow_incomplete: options.allow_incomplete };
    let mut plans = publications::plan(&package, &plan_options);
    if let Some(only) = &options.only {
        plans.retain(|p| selected(p, only));
        if plans.is_empty() {
            return Err(BuildError::Usage(format!(
                "--only {} selects no publication (hint: use kinds such as national, country codes such as CZ, or bundle paths such as national/CZ.pdf)",
                only.join(",")
            )));
        }
    }

    if let Some(dir) = &options.keep_sources {
        keep_sources(dir, &package, &plans).map_err(BuildError::Io)?;
    }
    // The files that are not typeset (annex CSV and workbook, the Word
    // drafts with their map pictures) are made beside the typesetting.
    let (rendered, data_files) = std::thread::scope(|scope| {
        let data = scope.spawn(|| {
            let started = Instant::now();
            let files = publications::data_files(&package, &plan_options);
            if std::env::var_os("EMN_PUB_TIMINGS").is_some() {
                eprintln!("data files (workbook, CSV, Word): {:.2} s", started.elapsed().as_secs_f64());
            }
            files
        });
        let rendered = typeset_all(&package, plans, date, options.fast, options.progress);
        (rendered, data.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut files =
        rendered.into_iter().map(|(_, file)| file).collect::<Result<Vec<_>, _>>().map_err(BuildError::Render)?;
    files.extend(
        data_files
            .into_iter()
            .filter(|file| {
                options.only.as_ref().is_none_or(|only| {
                    only.iter().any(|item| file.path.starts_with(item.trim()) || item.trim() == file.kind)
                })
            })
            .map(BundleFile::data),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let manifest = bundle::manifest_json(&package, &files, date);
    let bytes = bundle::write(&out, &manifest, &files, date).map_err(BuildError::Io)?;
    Ok(BuildSummary {
        out,
        documents: files.len(),
        pages: files.iter().filter_map(|f| f.pages).sum(),
        bytes,
        elapsed: started.elapsed(),
        report,
        texts,
    })
}

/// Typesets publications on every core within memory, largest first.
///
/// The largest document (the synthesis, which repeats every answer) is
/// typeset last and alone, after typst's cache of the others is freed;
/// `fast` typesets it beside the others instead, which holds both caches at
/// once (benchmark: 6.3 s and 0.91 GB by default, 5.9 s and 1.6 GB with
/// `--fast`). Results come in the order typeset.
pub(crate) fn typeset_all(
    package: &Package,
    mut plans: Vec<Publication>,
    date: Date,
    fast: bool,
    progress: bool,
) -> Vec<(Publication, Result<BundleFile, RenderError>)> {
    plans.sort_by_key(|p| std::cmp::Reverse(p.markup.len()));
    let longest = (!fast && !plans.is_empty()).then(|| plans.remove(0));
    let bar = progress_bar(progress, plans.len() + usize::from(longest.is_some()));
    let session = Session::new(package, date);
    let render_one = |publication: Publication| {
        let file = session.typeset(&publication, None);
        if let Some(bar) = &bar {
            bar.inc(1);
            bar.set_message(publication.path.clone());
        }
        (publication, file)
    };
    let mut rendered = render::parallel_map(plans, |publication| {
        let result = render_one(publication);
        if !fast {
            // Keep the cache to what the documents in progress still use.
            render::evict_cache(CACHE_AGE);
        }
        result
    });
    if let Some(longest) = longest {
        render::evict_cache(0);
        rendered.push(render_one(longest));
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    rendered
}

/// Where the bundle goes without `--out`: always inside `DIR/dist/`, named
/// by a checked package id; a build limited by `--only` never takes the
/// full bundle's name, so a partial zip cannot be mistaken for (or replace)
/// the package.
pub(crate) fn default_out(root: &Path, package_id: &str, partial: bool) -> Result<PathBuf, BuildError> {
    if !load::manifest::is_file_name(package_id) {
        return Err(BuildError::Usage(format!(
            "the package id `{package_id}` in emn.toml cannot name the bundle (hint: use letters, digits, `-`, `_` and `.`, or give --out FILE)"
        )));
    }
    let name = if partial { format!("{package_id}-partial.zip") } else { format!("{package_id}.zip") };
    let out = root.join("dist").join(name);
    crate::bundle::no_link_below(root, &out).map_err(|error| BuildError::Usage(error.to_string()))?;
    Ok(out)
}

/// With `--allow-incomplete`, contributions whose country is not an EMN
/// code (or repeats one) are left out of the publications: a country code
/// becomes a path (`national/CC.pdf`) and a typst file name, so only
/// checked codes may.
pub(crate) fn keep_publishable_contributions(package: &mut Package) {
    let mut seen = std::collections::BTreeSet::new();
    package
        .contributions
        .retain(|c| crate::countries::find(c.country()).is_some() && seen.insert(c.country().to_string()));
}

/// Writes every generated source, the layouts and the referenced images in
/// the folder tree typst's own CLI expects: `typst compile --root DIR
/// DIR/__emn__/NAME.typ` rebuilds a document by hand.
fn keep_sources(dir: &Path, package: &Package, plans: &[Publication]) -> anyhow::Result<()> {
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

/// How many documents' worth of typst cache entries survive between
/// documents (see `render::evict_cache`).
const CACHE_AGE: usize = 2;

fn progress_bar(enabled: bool, length: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(length as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} typesetting [{bar:30}] {pos}/{len} {wide_msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}
