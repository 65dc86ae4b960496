//! Stage 1, load: the package folder into typed values.
//!
//! Takes a folder path; gives a [`Package`] (manifest, template,
//! contributions split into answers with their closed answers classified,
//! typed front matter, resolved link targets, statistics in one tidy form
//! from CSV, TSV or workbooks, the Glossary, facts about referenced files)
//! plus the diagnostics of everything that could not be read. For
//! `validate`, `build-package` and `watch`, only this stage and the typst
//! `World` read the package folder, and neither reads outside it; the
//! scaffolding commands (`init`, `new-contribution`, `import-docx`) write
//! files and add a country to `emn.toml`.

pub mod answers;
pub mod archive;
pub mod document;
pub mod glossary;
pub mod manifest;
pub mod markdown;
pub mod paths;
pub mod statistics;
pub mod template;
mod toml_file;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::limits::MAX_FONT_BYTES;
pub use document::{Answer, Document, FreeSection, SectionKind, Status};
pub use manifest::{Manifest, Period};
pub use statistics::Observation;
pub use template::{AnswerKind, PackageKind, Question, TableSpec, Template};

/// A National Contribution: its document, and the country its file name gives.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// Upper-case code from the file name (`contributions/CZ.md` → `CZ`).
    pub file_code: String,
    pub document: Document,
}

impl Contribution {
    /// The country code: the front matter's, else the file name's.
    pub fn country(&self) -> &str {
        self.document.front.country.as_ref().map(|c| c.value.as_str()).unwrap_or(&self.file_code)
    }

    pub fn file(&self) -> &str {
        &self.document.file
    }

    pub fn ncp(&self) -> &str {
        self.document.front.ncp.as_ref().map(|v| v.value.as_str()).unwrap_or("")
    }

    /// Draft or final; `None` when the front matter gives neither (an error).
    pub fn status(&self) -> Option<document::Status> {
        self.document.front.parsed_status
    }

    /// The contribution's date; `None` when absent or malformed (an error).
    pub fn date(&self) -> Option<crate::dates::Date> {
        self.document.front.parsed_date
    }

    /// The date in English (`2 May 2025`), else as written (shown with
    /// `--allow-incomplete`).
    pub fn date_english(&self) -> String {
        match self.date() {
            Some(date) => date.english(),
            None => self.document.front.date.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        }
    }
}

/// One input file, as read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Lossy text, for excerpts in diagnostics (shared with the reports).
    pub text: std::sync::Arc<str>,
    pub sha256: String,
    pub bytes: u64,
}

/// Everything in a package folder, typed.
#[derive(Debug, Clone)]
pub struct Package {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub template: Template,
    /// Where the template came from: `built-in:NAME` or a package path.
    pub template_source: String,
    /// In EU protocol order.
    pub contributions: Vec<Contribution>,
    pub observations: Vec<Observation>,
    pub summary_cs: Option<Document>,
    pub inform: Option<Document>,
    pub synthesis: Option<Document>,
    /// A bulletin's EU-level developments (`eu.md`).
    pub eu: Option<Document>,
    /// The built-in EMN Glossary subset and the package's `glossary.csv`.
    pub glossary: glossary::Glossary,
    /// Package-relative path → file facts, for every local image or link target.
    pub referenced: BTreeMap<String, paths::FileFacts>,
    /// Every file read, by package-relative path.
    pub sources: BTreeMap<String, SourceFile>,
    /// Everything the load looked at: the files it read or looked for
    /// (images referred to included), and the folders it listed, with a
    /// trailing `/`. A change to anything else cannot change the package.
    pub inputs: std::collections::BTreeSet<String>,
    /// Files that exist but could not be read (`unreadable-file`), so that
    /// they are not also reported as missing.
    pub unreadable: std::collections::BTreeSet<String>,
    /// The manifest's reference period, parsed once (rules and tables ask per row).
    period: Option<Period>,
    /// Built-in fonts plus the package's `fonts/`: what `validate` checks
    /// characters against and what typst sets them in.
    pub fonts: std::sync::Arc<crate::fonts::FontSet>,
    /// Which edition is being built (see `publications::dissemination`).
    pub edition: Edition,
}

/// The two editions of a package: the network's holds everything, with
/// what is for the network only marked as such; the public one holds
/// only what may be published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Edition {
    #[default]
    Network,
    Public,
}

impl Edition {
    pub fn name(self) -> &'static str {
        match self {
            Edition::Network => "network",
            Edition::Public => "public",
        }
    }
}

impl Package {
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// The rows a table shows: its indicator and slice, a country of the
    /// package (see [`Package::takes_part`]) or the EU total, and for a
    /// yearly table yearly rows inside the reference period; for a
    /// quarterly one monthly or quarterly rows of the reference quarter and
    /// the one before it.
    pub fn table_rows<'a>(&'a self, table: &'a TableSpec) -> impl Iterator<Item = &'a Observation> + 'a {
        self.observations.iter().filter(move |observation| {
            observation.in_slice(table)
                && (observation.country == crate::countries::EU_TOTAL || self.takes_part(&observation.country))
                && self.in_table_period(table, observation)
        })
    }

    /// Whether a country is one of the package's: expected in `countries`,
    /// or it sent a contribution. Statistics of any other country (rows
    /// left in a file) are printed nowhere and counted in no total.
    pub fn takes_part(&self, country: &str) -> bool {
        self.manifest.countries.iter().any(|c| c.get_ref() == country)
            || self.contributions.iter().any(|c| c.country() == country)
    }

    /// Whether a row of a table is of the reference period itself: any
    /// year of a yearly table; for a quarterly one the reference quarter,
    /// not the one before it that it is compared with.
    pub fn in_reference_period(&self, table: &TableSpec, observation: &Observation) -> bool {
        match (table.period, self.period.and_then(Period::this_quarter)) {
            (template::TablePeriod::Quarter, Some(quarter)) => {
                observation.quarter.is_some_and(|q| (observation.year, q) == quarter)
            }
            _ => true,
        }
    }

    fn in_table_period(&self, table: &TableSpec, observation: &Observation) -> bool {
        match table.period {
            template::TablePeriod::Year => {
                observation.frequency == statistics::Frequency::Annual
                    && self.period.is_none_or(|p| p.contains(observation.year))
            }
            template::TablePeriod::Quarter => {
                let Some(quarter) = observation.quarter else { return false };
                let Some(period) = self.period.filter(|p| p.quarter.is_some()) else { return true };
                [period.this_quarter(), period.previous_quarter()].contains(&Some((observation.year, quarter)))
            }
            template::TablePeriod::Month | template::TablePeriod::Week => {
                let part = match table.period {
                    template::TablePeriod::Week => statistics::Frequency::Weekly,
                    _ => statistics::Frequency::Monthly,
                };
                (observation.frequency == part || observation.frequency == statistics::Frequency::Annual)
                    && self.period.is_none_or(|p| p.contains(observation.year))
            }
        }
    }

    /// The date a situational report describes (`as-of`), when given.
    pub fn as_of(&self) -> Option<crate::dates::Date> {
        Some(crate::dates::Date::from_toml(self.manifest.as_of.as_ref()?.get_ref().date?))
    }

    /// An ad-hoc query's launch date and the deadline its answers are due
    /// by ([`QUERY_ANSWER_DAYS`] later), when the manifest gives the launch.
    pub fn query_deadline(&self) -> Option<(crate::dates::Date, crate::dates::Date)> {
        let launched = self.manifest.launched.as_ref()?.get_ref().date?;
        let launched = crate::dates::Date::from_toml(launched);
        Some((launched, launched.add_days(QUERY_ANSWER_DAYS)))
    }

    pub fn contribution(&self, country: &str) -> Option<&Contribution> {
        self.contributions.iter().find(|c| c.country() == country)
    }

    /// The typst format of a package image that can be embedded: a known
    /// format by content, within the size and pixel limits, not refused by
    /// typst when probed.
    pub fn embeddable_image(&self, relative: &str) -> Option<&'static str> {
        match self.referenced.get(relative) {
            Some(paths::FileFacts::File { image: Some(image), bytes, .. })
                if *bytes <= crate::limits::MAX_IMAGE_BYTES
                    && image.pixels.is_none_or(|p| p <= crate::limits::MAX_IMAGE_PIXELS)
                    && image.refused.is_none() =>
            {
                Some(image.kind.typst_format())
            }
            _ => None,
        }
    }

    /// Documents written in Markdown, with the contributions first.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.contributions
            .iter()
            .map(|c| &c.document)
            .chain(self.summary_cs.iter())
            .chain(self.inform.iter())
            .chain(self.synthesis.iter())
            .chain(self.eu.iter())
    }
}

/// The result of loading: a package when the manifest and template could be
/// read, and every problem met on the way.
#[derive(Debug)]
pub struct Loaded {
    pub package: Option<Package>,
    pub diagnostics: Vec<Diagnostic>,
    /// File texts for diagnostics, also when no package could be built.
    pub texts: crate::diagnostic::Texts,
}

/// A failure that is not about the package's content (exit code 2).
#[derive(Debug)]
pub struct UnreadableFolder(pub String);

impl std::fmt::Display for UnreadableFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnreadableFolder {}

struct Reader {
    root: PathBuf,
    unreadable: std::collections::BTreeSet<String>,
    sources: BTreeMap<String, SourceFile>,
    diagnostics: Vec<Diagnostic>,
    /// Folders listed (`contributions/`) and files looked for, read or not.
    looked_at: std::collections::BTreeSet<String>,
    /// Documents parsed by an earlier load, by (file, text digest).
    parsed_before: ParsedDocuments,
    /// Documents parsed by this load, for the next one.
    parsed: ParsedDocuments,
}

type ParsedDocuments = std::collections::HashMap<(String, String), (Document, Vec<Diagnostic>)>;

impl Reader {
    /// Parses a Markdown document, or takes it from the last load when its
    /// text and the template's questions are the same.
    fn parse(&mut self, file: &str, text: &str, questions: &str, is_question_id: &dyn Fn(&str) -> bool) -> Document {
        let key = (file.to_string(), sha256_hex(format!("{questions}\n{text}").as_bytes()));
        let (document, diagnostics) =
            self.parsed_before.remove(&key).unwrap_or_else(|| document::parse(file, text, is_question_id));
        self.diagnostics.extend(diagnostics.iter().cloned());
        self.parsed.insert(key, (document.clone(), diagnostics));
        document
    }

    /// Whether `relative` exists, remembered as a file the package may read.
    fn exists(&mut self, relative: &str) -> bool {
        self.looked_at.insert(relative.to_string());
        self.root.join(relative).exists()
    }

    /// Reads a package file of at most `limit` bytes, refusing what lies
    /// outside the package and what is not a regular file (a FIFO would
    /// block forever); the size is checked before anything is read.
    fn read_bytes(&mut self, relative: &str, limit: u64) -> Option<Vec<u8>> {
        let problem = match paths::probe(&self.root, relative) {
            paths::FileFacts::File { bytes, .. } if bytes > limit => Diagnostic::error(
                "file-too-large",
                relative,
                format!("{relative} is {bytes} bytes (the limit is {limit} bytes)"),
            )
            .with_hint("split the file or remove what it does not need"),
            paths::FileFacts::File { .. } => return self.read_regular(relative, limit),
            paths::FileFacts::Outside => {
                Diagnostic::error("outside-package", relative, format!("{relative} points outside the package folder"))
                    .with_hint("copy the file into the package instead of linking to it")
            }
            paths::FileFacts::Unreadable(why) => {
                self.unreadable.insert(relative.to_string());
                Diagnostic::error("unreadable-file", relative, format!("cannot read {relative} ({why})"))
                    .with_hint("give the file read permission (or copy it anew into the package)")
            }
            paths::FileFacts::NotRegular => Diagnostic::error(
                "unreadable-file",
                relative,
                format!("{relative} is not a regular file (a FIFO, socket or device)"),
            )
            .with_hint("replace it with an ordinary file"),
            paths::FileFacts::Missing | paths::FileFacts::Directory => return None,
        };
        self.diagnostics.push(problem);
        None
    }

    fn read_regular(&mut self, relative: &str, limit: u64) -> Option<Vec<u8>> {
        let bytes = match crate::sandbox::read(&self.root, relative, limit) {
            Ok(bytes) => bytes,
            Err(crate::sandbox::Refusal::TooLarge(_)) => {
                self.diagnostics.push(Diagnostic::error(
                    "file-too-large",
                    relative,
                    format!("{relative} is larger than {limit} bytes (the limit)"),
                ));
                return None;
            }
            Err(refusal) => {
                self.diagnostics.push(Diagnostic::error(
                    "unreadable-file",
                    relative,
                    format!("cannot read {relative} ({refusal})"),
                ));
                return None;
            }
        };
        self.sources.insert(
            relative.to_string(),
            SourceFile { text: "".into(), sha256: sha256_hex(&bytes), bytes: bytes.len() as u64 },
        );
        Some(bytes)
    }

    /// Keeps a file's text for diagnostics' excerpts.
    fn keep_text(&mut self, relative: &str, text: String) {
        if let Some(source) = self.sources.get_mut(relative) {
            source.text = text.into();
        }
    }

    fn read_text(&mut self, relative: &str) -> Option<String> {
        let bytes = self.read_bytes(relative, crate::limits::MAX_TEXT_BYTES as u64)?;
        match document::decode_text(relative, &bytes) {
            Ok(text) => {
                self.keep_text(relative, text.clone());
                Some(text)
            }
            Err(diagnostic) => {
                self.keep_text(relative, document::excerpt_text(&bytes));
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// Warns about files in `folder` that are not read (a Word contribution,
    /// a workbook): nothing in a package folder is ignored without a word.
    fn warn_unread(&mut self, folder: &str, extensions: &[&str], hint: &str) {
        let Ok(entries) = std::fs::read_dir(self.root.join(folder)) else {
            return;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| {
                !name.starts_with('.')
                    && !name.starts_with("~$")
                    && !name.ends_with('~')
                    && !name
                        .rsplit_once('.')
                        .is_some_and(|(_, ext)| extensions.contains(&ext.to_ascii_lowercase().as_str()))
            })
            .collect();
        names.sort();
        for name in names {
            let path = format!("{folder}/{name}");
            self.diagnostics.push(
                Diagnostic::warning(
                    "ignored-file",
                    &path,
                    format!("{path} is not read (only {} files are)", extensions.join(", ")),
                )
                .with_hint(hint.to_string()),
            );
        }
    }

    /// Files directly in `folder` with one of `extensions`, sorted by name.
    fn list(&mut self, folder: &str, extensions: &[&str]) -> Vec<String> {
        self.looked_at.insert(format!("{folder}/"));
        let Ok(entries) = std::fs::read_dir(self.root.join(folder)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| {
                !name.starts_with('.')
                    && name
                        .rsplit_once('.')
                        .is_some_and(|(_, ext)| extensions.contains(&ext.to_ascii_lowercase().as_str()))
            })
            .map(|name| format!("{folder}/{name}"))
            .collect();
        names.sort();
        names
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes` in lower-case hex, as the manifest and
/// [`SourceFile::sha256`] give it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// What a load keeps for the next load of the same folder (`watch`): the
/// parsed Markdown documents by file and bytes.
#[derive(Default)]
pub struct Cache {
    documents: std::sync::Mutex<ParsedDocuments>,
}

/// Like [`load_with`], reusing what `cache` holds.
pub fn load_cached(root: &Path, probe: ImageProbe, cache: &Cache) -> Result<Loaded, UnreadableFolder> {
    let mut parsed = cache.documents.lock().unwrap_or_else(|p| p.into_inner());
    let parsed_before = std::mem::take(&mut *parsed);
    let (loaded, parsed_now) = load_reading(root, probe, parsed_before)?;
    *parsed = parsed_now;
    Ok(loaded)
}

/// Loads the package in `root`.
pub fn load(root: &Path) -> Result<Loaded, UnreadableFolder> {
    load_with(root, &|_| Vec::new())
}

/// Why images of a package cannot be typeset, as (package path, reason).
pub type ImageProbe<'a> = &'a dyn Fn(&Package) -> Vec<(String, String)>;

/// Like [`load`], asking `probe` (the typesetter's, see
/// `render::image_refusals`) which images it refuses, so the package leaves
/// `load` complete: later stages only read it.
pub fn load_with(root: &Path, probe: ImageProbe) -> Result<Loaded, UnreadableFolder> {
    load_reading(root, probe, ParsedDocuments::new()).map(|(loaded, _)| loaded)
}

fn load_reading(
    root: &Path,
    probe: ImageProbe,
    parsed_before: ParsedDocuments,
) -> Result<(Loaded, ParsedDocuments), UnreadableFolder> {
    if !root.is_dir() {
        return Err(UnreadableFolder(format!(
            "{} is not a package folder (it does not exist or is not a folder)",
            root.display()
        )));
    }
    let mut reader = Reader {
        root: root.to_path_buf(),
        unreadable: Default::default(),
        sources: BTreeMap::new(),
        diagnostics: Vec::new(),
        looked_at: Default::default(),
        parsed_before,
        parsed: ParsedDocuments::new(),
    };
    if !root.join(manifest::FILE).exists() {
        return Err(UnreadableFolder(format!(
            "{} has no emn.toml (hint: create a package with `emn-pub init {} --kind study`)",
            root.display(),
            root.display()
        )));
    }
    let mut package = load_package(&mut reader);
    if let Some(package) = &mut package {
        for (relative, refusal) in probe(package) {
            if let Some(paths::FileFacts::File { image: Some(image), .. }) = package.referenced.get_mut(&relative) {
                image.refused = Some(refusal);
            }
        }
    }
    let texts = reader.sources.iter().map(|(path, source)| (path.clone(), source.text.clone())).collect();
    Ok((Loaded { package, diagnostics: reader.diagnostics, texts }, reader.parsed))
}

fn load_package(reader: &mut Reader) -> Option<Package> {
    let manifest_text = reader.read_text(manifest::FILE)?;
    let (manifest, diagnostics) = manifest::parse(&manifest_text);
    reader.diagnostics.extend(diagnostics);
    let manifest = manifest?;

    let (template, template_source) = load_template(reader, &manifest)?;
    let ids: Vec<String> = template.questions().map(|q| q.id.get_ref().clone()).collect();
    let questions = ids.join(" ");
    let is_question_id = document::question_id_rule(ids);

    let contributions = load_contributions(reader, &template, &questions, &is_question_id);
    let observations = load_statistics(reader, &template);

    let mut optional_document = |name: &str| {
        reader.exists(name).then_some(())?;
        let text = reader.read_text(name)?;
        Some(reader.parse(name, &text, &questions, &is_question_id))
    };
    let summary_cs = optional_document("summary-cs.md");
    let inform = optional_document("inform.md");
    let synthesis = optional_document("synthesis.md");
    let eu = optional_document("eu.md");
    let glossary_text = reader.exists(glossary::FILE).then(|| reader.read_text(glossary::FILE)).flatten();
    let (glossary, problems) = glossary::Glossary::load(glossary_text.as_deref());
    reader.diagnostics.extend(problems);

    let fonts = load_fonts(reader);
    let manifest_period = manifest.period();
    let mut package = Package {
        root: reader.root.clone(),
        manifest,
        template,
        template_source,
        contributions,
        observations,
        summary_cs,
        inform,
        synthesis,
        eu,
        glossary,
        referenced: BTreeMap::new(),
        period: manifest_period,
        sources: BTreeMap::new(),
        inputs: Default::default(),
        unreadable: reader.unreadable.clone(),
        fonts,
        edition: Edition::Network,
    };
    package.referenced = probe_references(&package);
    let mut linked = 0u64;
    for (path, facts) in &package.referenced {
        // What the bundle may not carry (an SVG with script, a web page a
        // link points at) stays out of `sources/` too, and so does what
        // goes past the bound on linked files (`check` says which).
        let paths::FileFacts::File { bytes, .. } = facts else { continue };
        linked = linked.saturating_add(*bytes);
        if facts.may_carry() && linked <= crate::limits::MAX_LINKED_BYTES && !reader.sources.contains_key(path) {
            reader.read_bytes(path, crate::limits::MAX_IMAGE_BYTES);
        }
    }
    package.sources = reader.sources.clone(); // shares the texts (Arc)
    package.inputs =
        reader.looked_at.iter().chain(reader.sources.keys()).chain(package.referenced.keys()).cloned().collect();
    package.inputs.insert(manifest::FILE.to_string());
    Some(package)
}

/// Days NCPs have to answer an ad-hoc query.
pub const QUERY_ANSWER_DAYS: i64 = 30;

/// Every `contributions/*.md`, in EU protocol order, answers classified.
fn load_contributions(
    reader: &mut Reader,
    template: &Template,
    questions: &str,
    is_question_id: &dyn Fn(&str) -> bool,
) -> Vec<Contribution> {
    let mut contributions = Vec::new();
    reader.warn_unread(
        "contributions",
        &["md", "markdown"],
        "contributions are Markdown files named by country code, e.g. contributions/PL.md",
    );
    for file in reader.list("contributions", &["md", "markdown"]) {
        let Some(text) = reader.read_text(&file) else {
            continue;
        };
        let document = reader.parse(&file, &text, questions, is_question_id);
        let stem = file.rsplit('/').next().unwrap_or(&file);
        let file_code = stem.split('.').next().unwrap_or(stem).to_string();
        contributions.push(Contribution { file_code, document });
    }
    classify_answers(template, &mut contributions);
    contributions.sort_by(|a, b| {
        (crate::countries::protocol_rank(a.country()), a.country())
            .cmp(&(crate::countries::protocol_rank(b.country()), b.country()))
    });
    contributions
}

/// Every statistics file, in one tidy form.
fn load_statistics(reader: &mut Reader, template: &Template) -> Vec<Observation> {
    let mut observations = Vec::new();
    // `.txt`: Excel's "Unicode text" export, tab-separated UTF-16.
    let extensions: Vec<&str> = ["csv", "tsv", "txt"].iter().chain(workbook::EXTENSIONS).copied().collect();
    reader.warn_unread(
        "statistics",
        &extensions,
        "statistics are CSV, TSV or Excel workbooks; see the README for the shapes read",
    );
    for file in reader.list("statistics", &extensions) {
        let Some(bytes) = reader.read_bytes(&file, crate::limits::MAX_STATISTICS_BYTES as u64) else {
            continue;
        };
        let is_workbook =
            workbook::EXTENSIONS.iter().any(|ext| file.to_ascii_lowercase().ends_with(&format!(".{ext}")));
        let (rows, diagnostics) = if is_workbook {
            // Diagnostics name the sheet and cell; the zip's bytes are no excerpt.
            workbook::read(&file, &bytes, Some(template))
        } else {
            reader.keep_text(&file, document::excerpt_text(&bytes));
            statistics::read_for(&file, &bytes, Some(template))
        };
        if rows.is_empty() && diagnostics.is_empty() {
            reader.diagnostics.push(
                Diagnostic::warning("ignored-file", &file, format!("no rows could be read from {file}"))
                    .at_line(1)
                    .with_hint("check that the file has rows below its header, with years as periods"),
            );
        }
        observations.extend(rows);
        reader.diagnostics.extend(diagnostics);
    }
    observations
}

/// Reads each closed answer once, for `check` and the publications alike.
fn classify_answers(template: &Template, contributions: &mut [Contribution]) {
    for contribution in contributions.iter_mut() {
        for section in contribution.document.sections.iter_mut() {
            if section.kind == SectionKind::Other
                && let Some(index) = template.section_named(&section.title)
            {
                section.kind = SectionKind::TemplateSection(index);
            }
        }
        let language = contribution.document.language().to_string();
        for answer in contribution.document.answers.iter_mut() {
            if let Some(question) = template.question(&answer.question_id) {
                answer.closed = answers::classify(question, &answer.blocks, &language);
            }
        }
    }
}

/// Font files a package may bring in `fonts/`.
const FONT_EXTENSIONS: &[&str] = &["ttf", "otf", "ttc", "otc"];

/// The built-in fonts plus the package's `fonts/` (files that are not
/// fonts are reported as `bad-font`).
fn load_fonts(reader: &mut Reader) -> std::sync::Arc<crate::fonts::FontSet> {
    let mut files = Vec::new();
    for path in reader.list("fonts", FONT_EXTENSIONS) {
        if let Some(bytes) = reader.read_bytes(&path, MAX_FONT_BYTES) {
            files.push(crate::fonts::PackageFont { path, bytes });
        }
    }
    let (fonts, unreadable) = crate::fonts::FontSet::with_package(&files);
    for (path, why) in unreadable {
        let message = match why {
            Some(why) => format!("{path} is refused: {why}"),
            None => format!("{path} is not a font file typst can read"),
        };
        reader.diagnostics.push(
            Diagnostic::error("bad-font", &path, message)
                .with_hint("use TrueType or OpenType fonts (.ttf, .otf, .ttc, .otc) as their makers publish them"),
        );
    }
    fonts
}

fn load_template(reader: &mut Reader, manifest: &Manifest) -> Option<(Template, String)> {
    let name = manifest.template.get_ref();
    let (file, text, source) = match template::built_in(name) {
        Some(text) => (format!("built-in:{name}"), text.to_string(), format!("built-in:{name}")),
        None => {
            let Some(relative) = paths::resolve(manifest::FILE, name).filter(|_| name.ends_with(".toml")) else {
                let (line, column) = toml_file::place(&reader.sources[manifest::FILE].text, &manifest.template);
                let names: Vec<&str> = template::BUILT_IN.iter().map(|(n, _)| *n).collect();
                reader.diagnostics.push(
                    Diagnostic::error(
                        "bad-manifest",
                        manifest::FILE,
                        format!("template `{name}` is neither a built-in template nor a .toml file inside the package"),
                    )
                    .at(line, column)
                    .with_hint(format!("built-in templates: {}", names.join(", "))),
                );
                return None;
            };
            if !reader.exists(&relative) {
                let (line, column) = toml_file::place(&reader.sources[manifest::FILE].text, &manifest.template);
                reader.diagnostics.push(
                    Diagnostic::error(
                        "bad-manifest",
                        manifest::FILE,
                        format!("template file {relative} does not exist"),
                    )
                    .at(line, column),
                );
                return None;
            }
            let text = reader.read_text(&relative)?;
            (relative.clone(), text, relative)
        }
    };
    let (template, diagnostics) = template::parse(&file, &text);
    reader.diagnostics.extend(diagnostics);
    Some((template?, source))
}

/// A file at the top of the package folder, to resolve a path as if it
/// were written from there.
pub const ROOT_FILE: &str = "emn.toml";

/// Facts about every local file an image or link points at.
fn probe_references(package: &Package) -> BTreeMap<String, paths::FileFacts> {
    let mut facts = BTreeMap::new();
    for document in package.documents() {
        for_each_reference(document, &mut |inline| {
            if let markdown::Inline::Image { target: markdown::Target::Local(relative), url, .. }
            | markdown::Inline::Link { target: markdown::Target::Local(relative), url, .. } = inline
            {
                let found = facts.entry(relative.clone()).or_insert_with(|| paths::probe(&package.root, relative));
                // Written as if from the package folder (`assets/x.png` in
                // contributions/CZ.md)? Probe that too, for the hint.
                if matches!(found, paths::FileFacts::Missing)
                    && let markdown::Target::Local(from_root) = markdown::Target::of(ROOT_FILE, url)
                {
                    facts.entry(from_root.clone()).or_insert_with(|| paths::probe(&package.root, &from_root));
                }
            }
        });
    }
    facts
}

/// Calls `f` with every link and image of a document, footnotes included.
pub fn for_each_reference(document: &Document, f: &mut dyn FnMut(&markdown::Inline)) {
    let mut visit = |inlines: &[markdown::Inline]| {
        markdown::walk_inlines(inlines, &mut |inline| {
            if matches!(inline, markdown::Inline::Image { .. } | markdown::Inline::Link { .. }) {
                f(inline)
            }
        })
    };
    markdown::for_each_inlines(&document.body, &mut visit);
    for blocks in document.footnotes.values() {
        markdown::for_each_inlines(blocks, &mut visit);
    }
}
