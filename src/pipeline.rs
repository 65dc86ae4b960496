//! The stages every command runs, in order: `load` → `check`
//! ([`load_and_check`], where `validate`, `build-package` and `watch` all
//! start, so what one accepts the others build), then `publications` plans
//! and `render` typesets ([`typeset_all`], the memory-bounded schedule of a
//! whole build). The commands (`commands::*`) only decide what to run and
//! what to tell the user.

use std::path::{Path, PathBuf};

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
    let loaded = load::load_with(root, &render::image_refusals)?;
    let mut diagnostics = loaded.diagnostics;
    let package = loaded.package;
    if let Some(package) = &package {
        diagnostics.extend(crate::check::check(package, Date::of_this_run()));
    }
    Ok(Checked { package, report: Report::new(diagnostics), texts: loaded.texts })
}

/// Every publication of the package planned and written: the typst markup
/// of each PDF, and the files that are not typeset (the annex's CSV and
/// workbook, the Word editions).
pub fn plan_and_write(
    package: &Package,
    options: &crate::publications::PlanOptions,
    earlier: Option<&Earlier>,
) -> (Vec<Markup>, Vec<DataFile>) {
    let mut planned = crate::publications::plan(package, options);
    if let Some(earlier) = earlier {
        planned.push(crate::publications::changes::plan(&earlier.package, package, options, &earlier.name));
    }
    let markups: Vec<Markup> = planned.iter().map(|p| crate::write::typst::write(p, &package.fonts)).collect();
    let mut files = crate::publications::data_files(package, options);
    let all: Vec<&Publication> = planned.iter().collect();
    files.extend(word_editions(package, &all));
    let present: Vec<(String, FileKind)> = markups
        .iter()
        .map(|m| (m.path.clone(), m.kind))
        .chain(files.iter().map(|f| (f.path.clone(), f.kind)))
        .collect();
    files.extend(web_edition(package, &all, &present, options.date, &|_| true));
    (markups, files)
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
        other.extend(present.iter().map(|(path, _)| path.clone()).filter(|path| !listed.contains(path)));
        other.push(html::STYLESHEET_PATH.to_string());
        pages.push(html::index::index(&about, &entries, &other));
    }
    pages
}

/// The package's files as the bundle carries them (`sources/…`), so that
/// it rebuilds from itself: every file the load read, read again inside
/// the package only and checked against what the load read.
pub fn source_files(package: &Package) -> anyhow::Result<Vec<DataFile>> {
    use sha2::Digest as _;
    let mut files = Vec::new();
    for (path, source) in &package.sources {
        let bytes = crate::sandbox::read(&package.root, path, crate::limits::MAX_STATISTICS_BYTES as u64)
            .map_err(|refusal| anyhow::anyhow!("cannot read {path} again for sources/ ({refusal})"))?;
        let digest = load::hex(&sha2::Sha256::digest(&bytes));
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
/// sources it carries; the error says what is wrong with it.
pub fn load_earlier(since: &Path) -> Result<Earlier, String> {
    let folder = load::archive::unpacked(since).map_err(|e| format!("--since: {e}"))?;
    let loaded = load::load(folder.path()).map_err(|e| format!("--since {}: {e}", since.display()))?;
    let package = loaded
        .package
        .ok_or_else(|| format!("--since {}: the sources it carries do not load as a package", since.display()))?;
    let name = since.file_name().map_or_else(|| since.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(Earlier { package, name })
}

/// The Word editions of `publications` (the synthesis draft, the
/// compilation), written from the same plans the PDFs are typeset from.
pub fn word_editions(package: &Package, publications: &[&Publication]) -> Vec<DataFile> {
    publications
        .iter()
        .filter_map(|publication| crate::write::word::write(publication, &package.root))
        .filter_map(|written| written.map_err(|error| eprintln!("warning: a Word edition: {error:#}")).ok())
        .collect()
}

/// Typesets publications on every core within memory, largest first.
///
/// The largest document (the synthesis, which repeats every answer) is
/// typeset last and alone, after typst's cache of the others is freed;
/// `fast` typesets it beside the others instead, which holds both caches at
/// once (benchmark: 6.3 s and 0.91 GB by default, 5.9 s and 1.6 GB with
/// `--fast`). Results come in the order typeset.
pub fn typeset_all(
    package: &Package,
    mut plans: Vec<Markup>,
    date: Date,
    fast: bool,
    bar: Option<&indicatif::ProgressBar>,
) -> Vec<(Markup, Result<BundleFile, RenderError>)> {
    plans.sort_by_key(|p| std::cmp::Reverse(p.markup.len()));
    let longest = (!fast && !plans.is_empty()).then(|| plans.remove(0));
    let session = Session::new(package, date);
    let render_one = |publication: Markup| {
        let file = session.typeset(&publication, None);
        if let Some(bar) = bar {
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
    rendered
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

/// With `--allow-incomplete`, contributions whose country is not an EMN
/// code (or repeats one) are left out of the publications: a country code
/// becomes a path (`national/CC.pdf`) and a typst file name, so only
/// checked codes may.
pub fn keep_publishable_contributions(package: &mut Package) {
    let mut seen = std::collections::BTreeSet::new();
    package
        .contributions
        .retain(|c| crate::countries::find(c.country()).is_some() && seen.insert(c.country().to_string()));
}

/// How many documents' worth of typst cache entries survive between
/// documents (see `render::evict_cache`).
const CACHE_AGE: usize = 2;
