//! Document plans: one module per publication, each turning the package into
//! typst markup for the shared layout in `templates/layout.typ`.
//!
//! A new publication is a new file here plus one line in [`kinds`]; a
//! single document without a page limit is a [`OneDocument`].

pub mod annex;
pub mod bulletin;
pub mod compilation;
pub mod escape;
pub mod figures;
pub mod flash;
pub mod inform;
pub mod maps;
pub mod markup;
pub mod national;
pub mod summary_cs;
pub mod synthesis;
pub mod word;
pub mod words;
pub mod workbook;

use crate::dates::Date;
use crate::load::markdown::Block;
use crate::load::{AnswerKind, Document, Package, PackageKind, Question};
use crate::publications::escape::{TextStyle, escape, string_literal};
use crate::publications::markup::{Context, MarkupWriter};

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
        }
    }

    pub const ALL: [FileKind; 11] = [
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
            _ => &[],
        }
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

/// One PDF of the bundle, planned but not yet typeset.
#[derive(Debug, Clone)]
pub struct Publication {
    /// Path inside the bundle, e.g. `national/CZ.pdf`.
    pub path: String,
    pub kind: FileKind,
    pub country: Option<String>,
    /// Unique document name, e.g. `national-CZ`.
    pub name: String,
    pub markup: String,
    /// Checked on the typeset document (the Flash has one page).
    pub page_limit: Option<PageLimit>,
}

/// How tightly a publication with a page limit is set. Both settings go
/// into its markup ([`fit_pages`]); typst sets `Compact` when `Normal`
/// does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Normal,
    Compact,
}

/// Most pages a publication may have, and what to shorten when even its
/// compact setting has more (the build then fails with this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLimit {
    pub pages: usize,
    /// `the Flash`.
    pub what: &'static str,
    pub hint: String,
}

impl PageLimit {
    /// The error when the typeset document has `pages` pages.
    pub fn exceeded(&self, pages: usize) -> String {
        format!("{} takes {pages} pages, more than {} (hint: {})", self.what, self.pages, self.hint)
    }
}

/// Markup that typst sets as `normal` when it fits in `pages` pages, else
/// as `compact` (the layouts' `fit-pages`): one typesetting meets the page
/// limit. Each setting is its page margins (typst) and its body (markup).
pub fn fit_pages(pages: usize, normal: (&str, &str), compact: (&str, &str)) -> String {
    format!(
        "#fit-pages({pages}, (margin: {}, body: [\n{}]), (margin: {}, body: [\n{}]))\n",
        normal.0, normal.1, compact.0, compact.1
    )
}

/// What every plan needs besides the package.
pub struct PlanOptions {
    pub date: Date,
    /// Mark gaps visibly instead of refusing to build.
    pub allow_incomplete: bool,
}

/// One kind of publication: a module of this folder implements it for a
/// unit type, and [`kinds`] lists it for the package kinds that have it. The
/// driver only schedules: what to plan, how long it may be and how to
/// shorten it are the publication's own.
pub trait Kind: Sync {
    /// What its documents are.
    fn kind(&self) -> FileKind;

    /// Its documents for this package (none when it does not apply, e.g. no
    /// annex without tables).
    fn plan(&self, package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Vec<Publication>;

    /// Files of the bundle besides its PDFs (the annex's CSV and workbook).
    fn data_files(&self, _package: &Package, _options: &PlanOptions) -> Vec<DataFile> {
        Vec::new()
    }
}

/// The common case: one document planned by a function, in the packages
/// `applies` says have it, with no page limit and no data files.
pub struct OneDocument {
    pub kind: FileKind,
    pub applies: fn(&Package) -> bool,
    pub plan: fn(&Package, &PlanOptions, &MarkupCache) -> Publication,
    /// Its files besides the PDF (the Word version of the synthesis draft).
    pub data: Option<fn(&Package, &PlanOptions) -> Vec<DataFile>>,
}

impl Kind for OneDocument {
    fn kind(&self) -> FileKind {
        self.kind
    }

    fn plan(&self, package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Vec<Publication> {
        if (self.applies)(package) { vec![(self.plan)(package, options, cache)] } else { Vec::new() }
    }

    fn data_files(&self, package: &Package, options: &PlanOptions) -> Vec<DataFile> {
        match self.data {
            Some(data) if (self.applies)(package) => data(package, options),
            _ => Vec::new(),
        }
    }
}

/// A file of the bundle that is not typeset.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// The publications a package of this kind has.
pub fn kinds(package: &Package) -> &'static [&'static dyn Kind] {
    match package.manifest.kind {
        PackageKind::AdHocQuery => &[&compilation::COMPILATION],
        PackageKind::Bulletin => &[&bulletin::BULLETIN],
        PackageKind::Study | PackageKind::AnnualReport => &[
            &national::National,
            &synthesis::SYNTHESIS,
            &inform::Inform,
            &flash::Flash,
            &annex::Annex,
            &summary_cs::SUMMARY_CS,
        ],
    }
}

/// Whether the package has publications of this kind.
pub fn has_kind(package: &Package, kind: FileKind) -> bool {
    kinds(package).iter().any(|k| k.kind() == kind)
}

/// Plans every publication of the package, as its kind requires, sorted by path.
pub fn plan(package: &Package, options: &PlanOptions) -> Vec<Publication> {
    let cache = &MarkupCache::default();
    let mut publications: Vec<Publication> =
        kinds(package).iter().flat_map(|kind| kind.plan(package, options, cache)).map(|p| shown(package, p)).collect();
    publications.sort_by(|a, b| a.path.cmp(&b.path));
    publications
}

/// A planned publication as the package's fonts can show it: a character
/// no font has (only with `--allow-incomplete`: `validate` refuses it) is
/// replaced, so typst never sets a blank box. The last step of planning:
/// `render` typesets the markup as it is given.
pub fn shown(package: &Package, mut publication: Publication) -> Publication {
    if let std::borrow::Cow::Owned(replaced) = package.fonts.replace_missing(&publication.markup) {
        publication.markup = replaced;
    }
    publication
}

/// Files of the bundle that are not typeset (the annex's CSV and workbook).
pub fn data_files(package: &Package, options: &PlanOptions) -> Vec<DataFile> {
    kinds(package).iter().flat_map(|kind| kind.data_files(package, options)).collect()
}

/// The first lines of every document: the layout import and the page
/// setup, with the disclaimer and copyright notice it carries.
pub fn preamble(title: &str, lang: &str, running: &str, draft: bool, notice: &Notice) -> String {
    let lang = typst_lang(lang).unwrap_or_else(|| "en".to_string());
    let region = if lang == "cs" { "\"CZ\"" } else { "none" };
    let lang = lang.as_str();
    let notice = if notice.disclaimer.is_empty() && notice.copyright.is_empty() {
        "none".to_string()
    } else {
        format!(
            "[{}\\ {}]",
            escape(&notice.disclaimer, TextStyle::default()),
            escape(&notice.copyright, TextStyle::default())
        )
    };
    let own = words::words(lang);
    let words = format!(
        "(page: {}, of: {}, contents: {}, draft: {}, figure: {}, table: {}, network: {})",
        string_literal(own.page),
        string_literal(own.of),
        string_literal(own.contents),
        string_literal(own.draft_mark),
        string_literal(own.figure),
        string_literal(own.table),
        string_literal(own.network),
    );
    format!(
        "#import \"/__emn__/layout.typ\": *\n#show: publication.with(title: {}, lang: \"{lang}\", region: {region}, running: {}, draft: {draft}, notice: {notice}, words: {words})\n\n",
        string_literal(title),
        string_literal(&running_head(running)),
    )
}

/// [`preamble`] with the package's notice in `lang`: how every
/// publication starts.
pub fn package_preamble(
    package: &Package,
    options: &PlanOptions,
    title: &str,
    lang: &str,
    running: &str,
    draft: bool,
) -> String {
    preamble(title, lang, running, draft, &Notice::for_package(package, options.date, lang))
}

/// The disclaimer and copyright notice every publication carries.
#[derive(Debug, Clone, Default)]
pub struct Notice {
    pub disclaimer: String,
    pub copyright: String,
}

impl Notice {
    /// The package's own wording from `emn.toml` where given, else the
    /// EMN's usual formula (in Czech for Czech documents), dated with the
    /// build's year.
    pub fn for_package(package: &Package, date: Date, lang: &str) -> Self {
        let own = words::words(lang);
        let (disclaimer, copyright) = (own.disclaimer.to_string(), own.copyright(date.year));
        Self {
            disclaimer: package.manifest.disclaimer.clone().unwrap_or(disclaimer),
            copyright: package.manifest.copyright.clone().unwrap_or(copyright),
        }
    }
}

/// A cover call: `details` are (label, value) pairs; the title is given
/// with its language (the package's title is English in a national PDF
/// in another language).
pub fn cover(kind: &str, (title, title_lang): (&str, &str), subtitle: &str, details: &[(&str, String)]) -> String {
    let details: String = details
        .iter()
        .map(|(label, value)| format!("({}, {}),", string_literal(label), string_literal(value)))
        .collect();
    format!(
        "#cover(kind: {}, title: text(lang: {}, {}), subtitle: {}, details: ({details}))\n\n",
        string_literal(kind),
        string_literal(title_lang),
        string_literal(title),
        string_literal(subtitle)
    )
}

/// A banner call (a short publication's head on its first page).
pub fn banner(kind: &str, title: &str, details: &[(&str, String)]) -> String {
    let details: String = details
        .iter()
        .map(|(label, value)| format!("({}, {}),", string_literal(label), string_literal(value)))
        .collect();
    format!("#banner(kind: {}, title: {}, details: ({details}))\n\n", string_literal(kind), string_literal(title))
}

/// A running head short enough for one line: long titles are cut at a
/// word and marked with an ellipsis.
pub fn running_head(text: &str) -> String {
    shortened(text, 70)
}

/// `text` cut at a word to at most `max` characters, marked with an
/// ellipsis when cut.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '·', ' ', '–']))
}

/// Writes a heading from plain text.
pub fn heading(writer: &mut MarkupWriter, level: u8, text: &str, style: TextStyle) {
    writer.raw(&format!("#heading(level: {level})["));
    heading_text(writer, text, style);
    writer.raw("]\n\n");
}

/// A heading's words; PDF/UA refuses empty headings.
fn heading_text(writer: &mut MarkupWriter, text: &str, style: TextStyle) {
    let empty = crate::publications::escape::displayable_text(text).trim().is_empty();
    writer.text(if empty { "(untitled)" } else { text }, style);
}

/// A language tag as typst's `text(lang:)` takes it (`cs-CZ` → `cs`);
/// `None` for one typst does not read (it would refuse the document).
fn typst_lang(tag: &str) -> Option<String> {
    let lang = crate::countries::primary_language(tag);
    ((2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase())).then_some(lang)
}

/// A heading whose words are in `text_lang` (the template's English) in a
/// publication in `lang`: hyphenated and broken by its own language's
/// rules (Czech repeats a hyphen at a line break: "third-" / "-country").
pub fn heading_in(writer: &mut MarkupWriter, level: u8, text: &str, text_lang: &str, lang: &str) {
    if text_lang == lang {
        return heading(writer, level, text, TextStyle::default());
    }
    writer.raw(&format!("#heading(level: {level})[#text(lang: \"{text_lang}\")["));
    heading_text(writer, text, TextStyle::default());
    writer.raw("]]\n\n");
}

/// A neutral remark: nothing is missing (an optional question skipped).
pub fn note(writer: &mut MarkupWriter, text: &str) {
    writer.raw("#note[");
    writer.text(text, TextStyle::default());
    writer.raw("]\n\n");
}

/// A visible mark for something missing (used with `--allow-incomplete`).
pub fn gap(writer: &mut MarkupWriter, text: &str) {
    writer.raw("#gap[");
    writer.text(text, TextStyle::default());
    writer.raw("]\n\n");
}

/// Markdown converted to typst markup once per part, however many
/// publications show it (a contribution's answers appear in its national PDF
/// and in the synthesis): keyed by the blocks' place in the loaded package.
#[derive(Default)]
pub struct MarkupCache {
    parts: std::cell::RefCell<std::collections::HashMap<PartKey, std::rc::Rc<String>>>,
    /// Parts converted so far, per file: numbers the footnote labels.
    parts_of_file: std::cell::RefCell<std::collections::HashMap<String, usize>>,
}

/// Address and length of a part's blocks in the package, and its text style.
type PartKey = (usize, usize, bool, bool);

impl MarkupCache {
    fn get(&self, package: &Package, document: &Document, blocks: &[Block], style: TextStyle) -> std::rc::Rc<String> {
        let key = (blocks.as_ptr() as usize, blocks.len(), style.smart_quotes, style.czech);
        if let Some(markup) = self.parts.borrow().get(&key) {
            return markup.clone();
        }
        let image_format = |relative: &str| package.embeddable_image(relative);
        let context =
            Context { file: &document.file, footnotes: &document.footnotes, image_format: &image_format, style };
        // Footnote labels are numbered per file, not per cache: a national
        // PDF planned alone (as `watch` does after a save) gets the same
        // markup as in the whole package's plan.
        let ordinal = {
            let mut parts_of_file = self.parts_of_file.borrow_mut();
            let count = parts_of_file.entry(document.file.clone()).or_default();
            *count += 1;
            *count - 1
        };
        // Labels take letters, digits and `-`: the file name is spelt with
        // those, and its hash keeps `a_b.md` and `a-b.md` apart.
        let file: String = document
            .file
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        let hash = document
            .file
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let prefix = format!("emn-fn-{file}-{:06x}-{ordinal}", hash & 0xff_ffff);
        let mut writer = MarkupWriter::with_label_prefix(&prefix);
        writer.blocks(blocks, &context);
        let markup = std::rc::Rc::new(writer.finish());
        self.parts.borrow_mut().insert(key, markup.clone());
        markup
    }
}

/// Writes Markdown blocks of `document` under a heading of `heading_level`
/// (its own headings go one level deeper).
pub fn markdown(
    writer: &mut MarkupWriter,
    cache: &MarkupCache,
    package: &Package,
    document: &Document,
    blocks: &[Block],
    heading_level: u8,
    style: TextStyle,
) {
    let markup = cache.get(package, document, blocks, style);
    let line = document
        .answers
        .iter()
        .find(|a| std::ptr::eq(a.blocks.as_ptr(), blocks.as_ptr()))
        .map(|a| a.pos.line)
        .or_else(|| {
            document.sections.iter().find(|s| std::ptr::eq(s.blocks.as_ptr(), blocks.as_ptr())).map(|s| s.pos.line)
        })
        .unwrap_or(1);
    writer.raw(&crate::publications::escape::source_marker(&document.file, line));
    // In its author's language wherever it is printed (an NCP's answer in
    // the synthesis): hyphenated by its own rules, and so tagged.
    let lang = typst_lang(document.language()).map(|lang| format!("#set text(lang: \"{lang}\")\n")).unwrap_or_default();
    writer.raw(&format!("#[#set heading(offset: {heading_level})\n{lang}"));
    writer.raw(&markup);
    writer.raw("]\n\n");
}

/// Text styles by language: Czech gets Czech typography.
///
/// Quotes stay as the NCP typed them (answers are quoted verbatim); only the
/// Czech summary, an editors' text, gets typographic „quotes“ (see
/// [`CZECH_SUMMARY_STYLE`]).
pub fn style_for(lang: &str) -> TextStyle {
    TextStyle { smart_quotes: false, czech: lang == "cs" }
}

/// The Czech summary's typography: Czech quotes and no-break spaces.
pub const CZECH_SUMMARY_STYLE: TextStyle = TextStyle { smart_quotes: true, czech: true };

/// Escaped text for use inside trusted markup.
pub fn text(text: &str) -> String {
    escape(text, TextStyle::default())
}

/// A country's name in the publication's language: Czech, English, or the
/// country's own name in its own language (a German NCP's "Deutschland").
pub fn country_name(code: &str, lang: &str) -> String {
    if lang != "cs"
        && let Some(own) = crate::countries::own_name(code, lang)
    {
        return own.to_string();
    }
    match crate::countries::find(code) {
        Some(country) if lang == "cs" => country.name_cs.to_string(),
        Some(country) => country.name_en.to_string(),
        None if code == crate::countries::EU_TOTAL => if lang == "cs" { "EU celkem" } else { "EU total" }.to_string(),
        None => code.to_string(),
    }
}

/// A typst array literal of string literals: `("a", "b",)`.
pub fn string_array<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let inner: String = items.into_iter().map(|s| format!("{},", string_literal(s.as_ref()))).collect();
    format!("({inner})")
}

pub fn cell_literal(cell: &figures::Cell, lang: &str) -> String {
    let value = cell.formatted(lang).unwrap_or_else(|| ":".to_string());
    format!("({}, {}),", string_literal(&value), string_literal(&cell.flag))
}

/// A `stats-table` call for a filled template table.
pub fn stats_table(data: &figures::TableData, lang: &str) -> String {
    let first = if lang == "cs" { "Země" } else { "Country" };
    let header = string_array(std::iter::once(first.to_string()).chain(data.years.iter().map(|y| y.to_string())));
    let rows: String = data
        .rows
        .iter()
        .map(|(code, cells)| {
            let cells: String = cells.iter().map(|c| cell_literal(c, lang)).collect();
            format!("({}, {cells}),", string_literal(&country_name(code, lang)))
        })
        .collect();
    let total = match &data.total {
        Some((kind, cells)) => {
            let label = kind.label(lang);
            let cells: String = cells.iter().map(|c| cell_literal(c, lang)).collect();
            format!("({}, {cells})", string_literal(label))
        }
        None => "none".to_string(),
    };
    format!("#stats-table(header: {header}, rows: ({rows}), total: {total})\n\n")
}

/// A bar chart of the latest year with data, by country.
pub fn latest_year_chart(data: &figures::TableData, lang: &str) -> String {
    let Some(last) = (0..data.years.len()).rev().find(|&i| data.rows.iter().any(|(_, cells)| cells[i].value.is_some()))
    else {
        return String::new();
    };
    let items: String = data
        .rows
        .iter()
        .filter_map(|(code, cells)| Some((code, cells[last].value?, cells[last].formatted(lang)?)))
        .map(|(code, value, shown)| {
            format!(
                "({}, {}, {}),",
                string_literal(&country_name(code, lang)),
                if value.is_finite() { value.max(0.0) } else { 0.0 },
                string_literal(&shown)
            )
        })
        .collect();
    let caption = format!("{}, {} ({})", data.spec.title, data.years[last], data.spec.unit);
    format!("#bar-chart(items: ({items}), caption: {})\n\n", string_literal(&caption))
}

/// `Unit: persons. Source: a; b.`: what every statistics table says under it.
pub fn unit_and_source(unit: &str, sources: &std::collections::BTreeSet<String>) -> String {
    let unit = if unit.is_empty() { "–" } else { unit };
    format!("Unit: {unit}. Source: {}.", sources.iter().map(String::as_str).collect::<Vec<_>>().join("; "))
}

/// A small-print note under a table.
pub fn table_note(note: &str) -> String {
    format!("#text(size: 8.5pt)[{}]\n\n", text(note))
}

/// A legend line for the flags used in some tables.
pub fn flag_legend(flags: &std::collections::BTreeSet<char>) -> String {
    flag_legend_text(flags).map_or_else(String::new, |legend| format!("#text(size: 8.5pt)[{}]\n\n", text(&legend)))
}

/// The words of the flag legend, if any flag is used.
pub fn flag_legend_text(flags: &std::collections::BTreeSet<char>) -> Option<String> {
    if flags.is_empty() {
        return None;
    }
    let entries: Vec<String> = flags.iter().map(|f| format!("{f}: {}", figures::flag_label(*f))).collect();
    Some(format!("Flags: {}. \":\" means not available.", entries.join("; ")))
}

/// A table of plain-text cells with a bold header row (marked as the
/// table's header, for accessibility). `columns` is a typst column spec.
pub fn text_table(columns: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let header: String = header.iter().map(|h| format!("strong({}),", string_literal(h))).collect();
    let rows: String = rows.iter().map(|row| format!("{},", string_array(row))).collect();
    format!("#table(columns: {columns}, table.header({header}), ..({rows}).flatten())\n\n")
}

/// The headline of each table with data: title, latest year, the
/// value with its unit and what it is (a total or a sum), the change over
/// the period (like for like, the countries counted when not a total).
pub fn headline_rows(package: &Package) -> Vec<[String; 4]> {
    let mut rows = Vec::new();
    for spec in &package.template.tables {
        let data = figures::table_data(package, spec);
        let Some(headline) = data.headline() else { continue };
        let change = match &headline.change {
            Some(change) => {
                let left_out: Vec<String> = change.left_out.iter().map(|c| country_name(c, "en")).collect();
                let counted = |n: usize| {
                    format!("{} with data in both years", crate::diagnostic::count(n, "country", "countries"))
                };
                let scope = match (change.countries, left_out.is_empty()) {
                    (Some(n), true) => format!(", {}", counted(n)),
                    (Some(n), false) => format!(", {}; not counted: {}", counted(n), left_out.join(", ")),
                    (None, _) => String::new(),
                };
                format!("{} since {}{scope}", figures::format_change(change.percent, "en"), change.from_year)
            }
            None => "–".into(),
        };
        let value = headline.value.formatted("en").unwrap_or_default();
        // What the figure is (a Eurostat total, a sum) belongs with the
        // title: the value cell holds the number and its unit only.
        rows.push([
            format!("{} ({})", spec.title, headline.label),
            headline.year.to_string(),
            format!("{value} {}", spec.unit),
            change,
        ]);
    }
    rows
}

/// The answer each contribution gives to a closed question (`None` if
/// unanswered or malformed), in protocol order.
pub fn closed_answers(package: &Package, question: &Question) -> Vec<(String, Option<String>)> {
    package
        .contributions
        .iter()
        .map(|c| {
            let answer = c.document.filled_answer(question.id.get_ref()).and_then(|a| a.closed.as_ref()?.label());
            (c.country().to_string(), answer.map(str::to_string))
        })
        .collect()
}

/// `Yes: 5`, `No: 2` (and `No answer: 1` when asked): each answer given,
/// in the template's order, with how many countries gave it.
pub fn answer_counts(question: &Question, answers: &[(String, Option<String>)], with_unanswered: bool) -> Vec<String> {
    let options: Vec<String> = match question.answer {
        AnswerKind::YesNo => vec!["Yes".into(), "No".into()],
        _ => question.options.clone(),
    };
    let unanswered = answers.iter().filter(|(_, a)| a.is_none()).count();
    options
        .iter()
        .map(|option| (option.as_str(), answers.iter().filter(|(_, a)| a.as_deref() == Some(option.as_str())).count()))
        .chain(with_unanswered.then_some(("No answer", unanswered)))
        .filter(|(_, n)| *n > 0)
        .map(|(option, n)| format!("{option}: {n}"))
        .collect()
}

/// For a yes-no or choice question: the counts per answer and a country ×
/// answer table (synthesis and compilation); with `map`, the map of
/// Europe coloured by answer beside the table (the synthesis).
pub fn answers_at_a_glance(writer: &mut MarkupWriter, package: &Package, question: &Question, map: bool) {
    if question.answer == AnswerKind::Text {
        return;
    }
    let answers = closed_answers(package, question);
    let summary = answer_counts(question, &answers, true);
    writer.raw("#kicker[Answers at a glance]\n\n");
    writer.text(&format!("{}.", summary.join(" · ")), TextStyle::default());
    writer.raw("\n\n");
    let rows: Vec<Vec<String>> = answers
        .iter()
        .map(|(code, answer)| vec![country_name(code, "en"), answer.clone().unwrap_or_else(|| "–".into())])
        .collect();
    // The country column as wide as its longest name, the answer the rest,
    // unhyphenated: "Ministry of the Inte-rior" broke seven times on a page.
    let table =
        format!("#[#set text(hyphenate: false)\n{}]\n\n", text_table("(auto, 1fr)", &["Country", "Answer"], &rows));
    if map {
        let figure = answers_map(package, question, &answers);
        writer.raw(&format!("#grid(columns: (1.15fr, 1fr), gutter: 1.2em, [\n{figure}], [\n{table}])\n\n"));
    } else {
        writer.raw(&table);
    }
}

/// The Word version of [`answers_at_a_glance`]: the counts, the map as a
/// picture with its alt text and its legend in words, and the country ×
/// answer table.
pub fn word_answers_at_a_glance(word: &mut word::WordWriter, package: &Package, question: &Question, map: bool) {
    if question.answer == AnswerKind::Text {
        return;
    }
    let answers = closed_answers(package, question);
    word.labelled("Answers at a glance: ", &format!("{}.", answer_counts(question, &answers, true).join(" · ")));
    if map {
        let map = AnswersMap::new(package, question, &answers);
        let svg = maps::svg(&map.categories, &map.no_answer);
        if word.picture(svg.as_bytes(), &map.alt, 4_300_000) {
            word.paragraph(
                "Caption",
                &format!("Legend: {}.", maps::legend_words(&map.categories, &map.no_answer).join("; ")),
            );
        }
    }
    let rows: Vec<Vec<String>> = answers
        .iter()
        .map(|(code, answer)| vec![country_name(code, "en"), answer.clone().unwrap_or_else(|| "–".into())])
        .collect();
    word.text_table(&["Country", "Answer"], &rows);
}

/// The map of who answered what, with alt text naming the question id
/// and the count and countries of every answer.
fn answers_map(package: &Package, question: &Question, answers: &[(String, Option<String>)]) -> String {
    let map = AnswersMap::new(package, question, answers);
    maps::figure(&map.categories, &map.no_answer, &map.alt, "100%")
}

/// What a map of answers shows: one category per answer, the countries
/// expected without one, and the alt text naming the question id and the
/// count and countries of every answer.
pub struct AnswersMap {
    pub categories: Vec<maps::Category>,
    pub no_answer: Vec<String>,
    pub alt: String,
}

impl AnswersMap {
    pub fn new(package: &Package, question: &Question, answers: &[(String, Option<String>)]) -> Self {
        let options: Vec<String> = match question.answer {
            AnswerKind::YesNo => vec!["Yes".into(), "No".into()],
            _ => question.options.clone(),
        };
        let categories: Vec<maps::Category> = options
            .iter()
            .map(|option| maps::Category {
                label: option.clone(),
                countries: answers
                    .iter()
                    .filter(|(_, a)| a.as_deref() == Some(option.as_str()))
                    .map(|(c, _)| c.clone())
                    .collect(),
            })
            .collect();
        let mut no_answer: Vec<String> = answers.iter().filter(|(_, a)| a.is_none()).map(|(c, _)| c.clone()).collect();
        no_answer.extend(
            package
                .manifest
                .countries
                .iter()
                .map(|c| c.get_ref().clone())
                .filter(|c| package.contribution(c).is_none()),
        );
        let mut parts: Vec<String> = categories
            .iter()
            .filter(|c| !c.countries.is_empty())
            .map(|c| format!("{}: {} ({})", c.label, c.countries.len(), c.countries.join(", ")))
            .collect();
        if !no_answer.is_empty() {
            parts.push(format!("no answer: {} ({})", no_answer.len(), no_answer.join(", ")));
        }
        let alt = format!(
            "Map of Europe for question {}: {}. Other countries are grey.",
            question.id.get_ref(),
            if parts.is_empty() { "no answers yet".to_string() } else { parts.join("; ") }
        );
        Self { categories, no_answer, alt }
    }
}

/// Names of the countries the manifest expects that sent no contribution.
pub fn absent_countries(package: &Package) -> Vec<String> {
    package
        .manifest
        .countries
        .iter()
        .filter(|code| package.contribution(code.get_ref()).is_none())
        .map(|code| country_name(code.get_ref(), "en"))
        .collect()
}

/// The manifest's reference period as written (`2019-2023`), or empty.
pub fn reference_period(package: &Package) -> String {
    package.manifest.reference_period.as_ref().map(|p| p.get_ref().clone()).unwrap_or_default()
}

/// The Glossary concepts found in `documents` (each searched in its own
/// language).
fn concepts_used(package: &Package, documents: &[(&Document, &str)]) -> std::collections::BTreeSet<String> {
    let mut concepts = std::collections::BTreeSet::new();
    for (document, language) in documents {
        let found = package.glossary.find(&document.runs, language);
        concepts.extend(found.into_iter().map(|found| found.term.concept.clone()));
    }
    concepts
}

/// Every EMN Glossary concept the documents use, as its preferred term in
/// `lang` with its definition (English where the Glossary has none in
/// `lang`), alphabetically.
pub fn glossary_entries<'p>(
    package: &'p Package,
    documents: &[(&Document, &str)],
    lang: &str,
) -> Vec<(String, &'p crate::load::glossary::Definition)> {
    let glossary = &package.glossary;
    let mut entries: Vec<(String, &crate::load::glossary::Definition)> = concepts_used(package, documents)
        .iter()
        .filter_map(|concept| {
            let definition = glossary.definition(concept, lang)?;
            let term = glossary.preferred_display(concept, lang).unwrap_or_else(|| concept.clone());
            Some((term, definition))
        })
        .collect();
    entries.sort_by_key(|(term, _)| term.to_lowercase());
    entries
}

/// "Terms used" ("Použité pojmy" in Czech): [`glossary_entries`] with
/// their sources and the Glossary's attribution.
/// `before` (a page break) is written only when there are terms, so the
/// Glossary is searched once.
pub fn terms_used(
    writer: &mut MarkupWriter,
    package: &Package,
    documents: &[(&Document, &str)],
    lang: &str,
    before: &str,
) {
    let entries = glossary_entries(package, documents, lang);
    if entries.is_empty() {
        return;
    }
    writer.raw(before);
    let style = style_for(lang);
    heading(writer, 1, if lang == "cs" { "Použité pojmy" } else { "Terms used" }, style);
    for (term, definition) in entries {
        writer.raw("#block(breakable: false, below: 0.9em)[#strong[");
        writer.text(&term, style);
        writer.raw("] — ");
        writer.text(&definition.text, style);
        if !definition.source.is_empty() {
            writer.raw(" #text(fill: emn-grey)[(");
            writer.text(&definition.source, style);
            writer.raw(")]");
        }
        writer.raw("]\n\n");
    }
    writer.raw("#text(size: 8.5pt)[");
    let attribution =
        if lang == "cs" { crate::load::glossary::ATTRIBUTION_CS } else { crate::load::glossary::ATTRIBUTION };
    writer.text(attribution, style);
    writer.raw("]\n\n");
}
