//! The editions that are not typeset: the Word files and web pages of the
//! planned publications (a fitted one as its PDF is set), the index page,
//! the annex's CSV and workbook, and `sources/`.

use std::borrow::Cow;

use super::{Selection, Wanted};
use crate::dates::Date;
use crate::load::{self, Package};
use crate::output::{DataFile, FileKind};
use crate::publications::Publication;
use crate::render::Session;

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
    // A fitted publication whose other editions are not wanted is not
    // typeset to learn its setting.
    let shown = |p: &Publication| {
        wanted(FileKind::WebPage, &crate::write::html::page_path(&p.path), None)
            || p.word.is_some_and(|kind| wanted(kind, &p.word_path(), p.country.as_deref()))
    };
    let settled = settled(package, options.date, planned, fits, &shown);
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
    shown: &dyn Fn(&Publication) -> bool,
) -> Vec<std::borrow::Cow<'a, Publication>> {
    let session = std::sync::OnceLock::new();
    planned
        .iter()
        .map(|publication| {
            if !publication.doc.is_fitted() || !shown(publication) {
                return Cow::Borrowed(publication);
            }
            let fit = fits.get(&publication.path).copied().or_else(|| {
                let session = session.get_or_init(|| Session::new(package, date));
                let markup = crate::write::typst::write(publication, &package.fonts);
                session.typeset(&markup, None).ok()?.fitted
            });
            let mut settled = publication.clone();
            settled.doc.settle(fit.unwrap_or(crate::output::Fit::Normal));
            Cow::Owned(settled)
        })
        .collect()
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
    use crate::publications::index;
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
        entries.push(index::Listed { title, lang, kind: publication.kind, page: page.path.clone(), files: formats });
        pages.push(page);
    }
    let index_wanted = wanted(html::INDEX_PATH);
    if !pages.is_empty() || index_wanted || wanted(html::STYLESHEET_PATH) {
        pages.push(html::stylesheet());
    }
    if index_wanted {
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
        pages.push(html::index::index(&index::plan(package, date, entries, other)));
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

/// The Word editions of `publications` (the synthesis draft, the
/// compilation), written from the same plans the PDFs are typeset from.
fn word_editions(package: &Package, publications: &[&Publication]) -> Vec<DataFile> {
    publications
        .iter()
        .filter_map(|publication| crate::write::word::write(publication, &package.root))
        .filter_map(|written| written.map_err(|error| eprintln!("warning: a Word edition: {error:#}")).ok())
        .collect()
}
