//! What the bundle's files are, below every stage: their kinds (what
//! `manifest.json` says and `--only` selects), the files themselves,
//! deterministic zips and atomic writes. The stages use these; this module
//! uses no stage.

pub mod atomic;
pub mod zip;

/// What a file of the bundle is: the manifest's `kind`, and what `--only`
/// selects. One value per kind of file, so a publication is never looked
/// up by a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    NationalContribution,
    SynthesisReportDraft,
    SynthesisReportDraftWord,
    Inform,
    Flash,
    StatisticalAnnex,
    StatisticalAnnexData,
    SummaryCs,
    Compilation,
    CompilationWord,
    Bulletin,
    /// A page of the web edition (`html/…`), its index and stylesheet.
    WebPage,
    /// A file of the package the bundle was built from (`sources/…`).
    Source,
    /// What changed since an earlier bundle (`changes.pdf`, `--since`).
    Changes,
    SituationalReport,
    SituationalReportWord,
}

impl FileKind {
    /// As the bundle manifest names it, e.g. `flash`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::NationalContribution => "national-contribution",
            FileKind::SynthesisReportDraft => "synthesis-report-draft",
            FileKind::SynthesisReportDraftWord => "synthesis-report-draft-word",
            FileKind::Inform => "inform",
            FileKind::Flash => "flash",
            FileKind::StatisticalAnnex => "statistical-annex",
            FileKind::StatisticalAnnexData => "statistical-annex-data",
            FileKind::SummaryCs => "summary-cs",
            FileKind::Compilation => "compilation",
            FileKind::CompilationWord => "compilation-word",
            FileKind::Bulletin => "bulletin",
            FileKind::WebPage => "web-page",
            FileKind::Source => "source",
            FileKind::Changes => "changes",
            FileKind::SituationalReport => "situational-report",
            FileKind::SituationalReportWord => "situational-report-word",
        }
    }

    pub const ALL: [FileKind; 16] = [
        FileKind::NationalContribution,
        FileKind::SynthesisReportDraft,
        FileKind::SynthesisReportDraftWord,
        FileKind::Inform,
        FileKind::Flash,
        FileKind::StatisticalAnnex,
        FileKind::StatisticalAnnexData,
        FileKind::SummaryCs,
        FileKind::Compilation,
        FileKind::CompilationWord,
        FileKind::Bulletin,
        FileKind::WebPage,
        FileKind::Source,
        FileKind::Changes,
        FileKind::SituationalReport,
        FileKind::SituationalReportWord,
    ];

    /// Short names `--only` also takes (`synthesis`, `national`, `annex`).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            FileKind::NationalContribution => &["national"],
            FileKind::SynthesisReportDraft => &["synthesis"],
            FileKind::SynthesisReportDraftWord => &["synthesis-word", "synthesis-docx"],
            FileKind::StatisticalAnnex => &["annex"],
            FileKind::StatisticalAnnexData => &["annex-data", "workbook", "csv", "xlsx"],
            FileKind::SummaryCs => &["summary"],
            FileKind::CompilationWord => &["compilation-docx"],
            FileKind::WebPage => &["html", "web"],
            FileKind::Source => &["sources"],
            FileKind::SituationalReportWord => &["situational-report-docx"],
            _ => &[],
        }
    }

    /// Every name `--only` takes for a kind of file, the manifest's names
    /// each followed by their short names: for `--help` and the hint.
    pub fn every_name() -> Vec<&'static str> {
        Self::ALL.iter().flat_map(|kind| std::iter::once(kind.name()).chain(kind.aliases().iter().copied())).collect()
    }

    /// Whether `--only`'s item names this kind.
    pub fn is_named(self, item: &str) -> bool {
        item == self.name() || self.aliases().contains(&item)
    }
}

/// Whether an `--only` item selects the bundle file at `path` of `kind`
/// (for `country`): by kind or its short name, path, path without its
/// extension, folder (`national`), or country code.
pub fn selects(item: &str, kind: FileKind, path: &str, country: Option<&str>) -> bool {
    let item = item.trim().trim_end_matches('/');
    kind.is_named(item)
        || item == path
        || path.rsplit_once('.').is_some_and(|(stem, _)| stem == item)
        || path.split_once('/').is_some_and(|(folder, _)| folder == item)
        || country == Some(item)
}

/// A file of the bundle that is not typeset.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// One file to put in the bundle.
#[derive(Debug, Clone)]
pub struct BundleFile {
    pub path: String,
    /// Which setting of its fitted body typst set (the Inform, the Flash):
    /// the web page and Word file then show the same.
    pub fitted: Option<Fit>,
    pub bytes: Vec<u8>,
    /// Publication kind (`national-contribution`, `data`, ...).
    pub kind: FileKind,
    pub country: Option<String>,
    pub pages: Option<usize>,
    /// What typst warned about while typesetting it.
    pub warnings: Vec<TypesetMessage>,
}

impl BundleFile {
    /// A file that is not typeset (no country, no pages).
    pub fn data(file: DataFile) -> Self {
        Self {
            path: file.path,
            fitted: None,
            bytes: file.bytes,
            kind: file.kind,
            country: None,
            pages: None,
            warnings: Vec::new(),
        }
    }
}

/// How tightly a publication with a page limit is set: both settings are
/// planned (`publications::document::Node::Fit`); typst sets `Compact` when
/// `Normal` does not fit, and says which it set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fit {
    Normal,
    Compact,
}

/// A message of typst about a document, placed in the Markdown it came from
/// when a source marker says where (else in the generated source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypesetMessage {
    pub text: String,
    /// The Markdown file and line.
    pub source: Option<(String, usize)>,
    /// The line of the generated source, when no Markdown is known.
    pub generated_line: Option<usize>,
    pub hints: Vec<String>,
}

impl std::fmt::Display for TypesetMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        match (&self.source, self.generated_line) {
            (Some((file, line)), _) => write!(f, " (in {file}, near line {line})")?,
            (None, Some(line)) => write!(f, " at line {line} of the generated source")?,
            (None, None) => {}
        }
        self.hints.iter().try_for_each(|hint| write!(f, " (hint: {hint})"))
    }
}
