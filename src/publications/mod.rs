//! Stage 3, plan: one module per publication, each turning the package into
//! a format-neutral [`document::Doc`] that every writer (`write::typst`,
//! `write::word`) receives as it is.
//!
//! A new publication is a new file here plus one line in [`kinds`]; a
//! single document without a page limit is a [`OneDocument`].

pub mod annex;
pub mod bulletin;
pub mod changes;
pub mod comparison;
pub mod compilation;
pub mod dissemination;
pub mod document;
pub mod figures;
pub mod flash;
pub mod flow;
pub mod index;
pub mod inform;
pub mod maps;
pub mod national;
pub mod situational;
pub mod summary_cs;
pub mod synthesis;
pub mod typography;
pub mod words;
pub mod workbook;

use std::sync::Arc;

use crate::dates::Date;
use crate::load::markdown::Block;
use crate::load::{AnswerKind, Document, Package, PackageKind, Question};
pub use crate::output::{DataFile, FileKind, selects};
use document::{Align, Doc, Heading, Node, Notice, PageStyle, Part, StatsCell, StatsRow, TextStyle, Width};

/// One publication of the bundle, planned but not yet written.
#[derive(Debug, Clone)]
pub struct Publication {
    /// Path inside the bundle of its PDF, e.g. `national/CZ.pdf`.
    pub path: String,
    pub kind: FileKind,
    pub country: Option<String>,
    /// Unique document name, e.g. `national-CZ`.
    pub name: String,
    pub doc: Doc,
    /// Checked on the typeset document (the Flash has one page).
    pub page_limit: Option<PageLimit>,
    /// Also written as Word (`.docx` beside the PDF), as this kind of file.
    pub word: Option<FileKind>,
}

impl Publication {
    /// The path of its Word edition.
    pub fn word_path(&self) -> String {
        format!("{}.docx", self.path.strip_suffix(".pdf").unwrap_or(&self.path))
    }
}

pub use crate::output::Fit;

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

/// What every plan needs besides the package.
pub struct PlanOptions {
    pub date: Date,
    /// Mark gaps visibly instead of refusing to build.
    pub allow_incomplete: bool,
    /// The figures texts write that `validate` verified, each with the
    /// annex row it was checked against: on the web page they link there.
    pub figure_links: Arc<Vec<FigureLink>>,
}

impl PlanOptions {
    pub fn new(date: Date, allow_incomplete: bool) -> Self {
        Self { date, allow_incomplete, figure_links: Arc::default() }
    }
}

/// A verified figure of a text: its file, its words, and the annex row it
/// was checked against (`T1-BE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureLink {
    pub file: String,
    pub written: String,
    pub row: String,
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
    fn plan(&self, package: &Package, options: &PlanOptions, cache: &PartCache) -> Vec<Publication>;

    /// Files of the bundle written from its tables (the annex's CSV and workbook).
    fn data_files(&self, _package: &Package, _options: &PlanOptions) -> Vec<DataFile> {
        Vec::new()
    }
}

/// The common case: one document planned by a function, in the packages
/// `applies` says have it, with no page limit and no data files.
pub struct OneDocument {
    pub kind: FileKind,
    pub applies: fn(&Package) -> bool,
    pub plan: fn(&Package, &PlanOptions, &PartCache) -> Publication,
}

impl Kind for OneDocument {
    fn kind(&self) -> FileKind {
        self.kind
    }

    fn plan(&self, package: &Package, options: &PlanOptions, cache: &PartCache) -> Vec<Publication> {
        if (self.applies)(package) { vec![(self.plan)(package, options, cache)] } else { Vec::new() }
    }
}

/// The publications a package of this kind has.
pub fn kinds(package: &Package) -> &'static [&'static dyn Kind] {
    match package.manifest.kind {
        PackageKind::AdHocQuery => &[&compilation::COMPILATION],
        PackageKind::Bulletin => &[&bulletin::BULLETIN],
        PackageKind::SituationalReport => &[&situational::SITUATIONAL_REPORT],
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
    let cache = &PartCache::for_options(options);
    let mut publications: Vec<Publication> =
        kinds(package).iter().flat_map(|kind| kind.plan(package, options, cache)).collect();
    publications.sort_by(|a, b| a.path.cmp(&b.path));
    publications.iter_mut().for_each(|p| p.doc.number_captions());
    publications
}

/// Plans the national contributions of `countries` alone (`watch`, after
/// a save of their files), as [`plan`] plans them.
pub fn plan_countries(
    package: &Package,
    options: &PlanOptions,
    countries: &std::collections::BTreeSet<String>,
) -> Vec<Publication> {
    let cache = PartCache::for_options(options);
    let mut publications: Vec<Publication> = package
        .contributions
        .iter()
        .filter(|c| countries.contains(c.country()))
        .map(|c| national::plan(package, options, c, &cache))
        .collect();
    publications.iter_mut().for_each(|p| p.doc.number_captions());
    publications
}

/// Files of the bundle that are not typeset (the annex's CSV and workbook).
pub fn data_files(package: &Package, options: &PlanOptions) -> Vec<DataFile> {
    kinds(package).iter().flat_map(|kind| kind.data_files(package, options)).collect()
}

/// A document of the package in `lang`, with the package's notice.
pub fn doc(package: &Package, options: &PlanOptions, title: &str, lang: &str, running: &str, draft: bool) -> Doc {
    Doc {
        title: title.to_string(),
        lang: lang.to_string(),
        running: running_head(running),
        running_section: None,
        draft,
        text_setting: document::TextSetting::Justified,
        notice: notice_for(package, options.date, lang),
        page: PageStyle::Pages,
        date: options.date,
        body: Vec::new(),
    }
}

/// The package's own wording from `emn.toml` where given, else the EMN's
/// usual formula in `lang`, dated with the build's year.
pub fn notice_for(package: &Package, date: Date, lang: &str) -> Notice {
    let own = words::words(lang);
    Notice {
        disclaimer: package.manifest.disclaimer.clone().unwrap_or_else(|| own.disclaimer.to_string()),
        copyright: package.manifest.copyright.clone().unwrap_or_else(|| own.copyright(date.year)),
    }
}

/// A cover: `details` are (label, value) pairs; the title is given with
/// its language (the package's title is English in a national PDF in
/// another language).
pub fn cover(kind: &str, (title, title_lang): (&str, &str), subtitle: &str, details: &[(&str, String)]) -> Node {
    Node::Cover(document::Cover {
        kind: kind.to_string(),
        title: title.to_string(),
        title_lang: title_lang.to_string(),
        subtitle: subtitle.to_string(),
        details: details.iter().map(|(label, value)| (label.to_string(), value.clone())).collect(),
        network: None,
    })
}

/// A banner (a short publication's head on its first page).
pub fn banner(kind: &str, title: &str, details: &[(&str, String)]) -> Node {
    Node::Banner {
        kind: kind.to_string(),
        title: title.to_string(),
        details: details.iter().map(|(label, value)| (label.to_string(), value.clone())).collect(),
    }
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

/// A heading in a text style.
pub fn heading(level: u8, text: &str, style: TextStyle) -> Node {
    Node::Heading(Heading { level, text: text.to_string(), lang: None, style })
}

/// A heading whose words are in `text_lang` (the template's English),
/// whatever the publication's language: hyphenated and broken by its own
/// language's rules (Czech repeats a hyphen at a line break: "third-" / "-country").
pub fn heading_in(level: u8, text: &str, text_lang: &str) -> Node {
    Node::Heading(Heading {
        level,
        text: text.to_string(),
        lang: Some(text_lang.to_string()),
        style: TextStyle::default(),
    })
}

/// The NCPs' Markdown normalised once per part ([`flow::normalise`]),
/// however many publications show it (a contribution's answers appear in
/// its national PDF and in the synthesis): keyed by the blocks' place in
/// the loaded package.
#[derive(Default)]
pub struct PartCache {
    flows: std::cell::RefCell<std::collections::HashMap<(usize, usize), Arc<flow::Flow>>>,
    figure_links: Arc<Vec<FigureLink>>,
}

impl PartCache {
    /// A cache whose parts link their verified figures (see [`PlanOptions::figure_links`]).
    pub fn for_options(options: &PlanOptions) -> Self {
        Self { figure_links: options.figure_links.clone(), ..Default::default() }
    }

    fn flow(&self, package: &Package, document: &Document, blocks: &[Block]) -> Arc<flow::Flow> {
        let key = (blocks.as_ptr() as usize, blocks.len());
        if let Some(flow) = self.flows.borrow().get(&key) {
            return flow.clone();
        }
        let image_format = |relative: &str| package.embeddable_image(relative);
        // Figures written alike more than once in a file link only where
        // every one of them was checked against the same row.
        let mut rows: std::collections::BTreeMap<&str, Option<&str>> = std::collections::BTreeMap::new();
        for link in self.figure_links.iter().filter(|link| link.file == document.file) {
            let row = rows.entry(link.written.as_str()).or_insert(Some(link.row.as_str()));
            if *row != Some(link.row.as_str()) {
                *row = None;
            }
        }
        let figure_rows: Vec<(&str, &str)> =
            rows.into_iter().filter_map(|(written, row)| Some((written, row?))).collect();
        let sources =
            flow::Sources { footnotes: &document.footnotes, image_format: &image_format, figure_rows: &figure_rows };
        let flow = Arc::new(flow::normalise(blocks, &sources));
        self.flows.borrow_mut().insert(key, flow.clone());
        flow
    }
}

/// Markdown blocks of `document` as a part under a heading of `level` (its
/// own headings go below), in its author's language.
pub fn part(
    cache: &PartCache,
    package: &Package,
    document: &Document,
    blocks: &[Block],
    level: u8,
    style: TextStyle,
) -> Node {
    let line = document
        .answers
        .iter()
        .find(|a| std::ptr::eq(a.blocks.as_ptr(), blocks.as_ptr()))
        .map(|a| a.pos.line)
        .or_else(|| {
            document.sections.iter().find(|s| std::ptr::eq(s.blocks.as_ptr(), blocks.as_ptr())).map(|s| s.pos.line)
        })
        .unwrap_or(1);
    Node::Part(Part {
        file: document.file.clone(),
        line,
        lang: document.language().to_string(),
        level,
        style,
        flow: cache.flow(package, document, blocks),
        captions: Vec::new(),
    })
}

/// A text's style from its language (see [`typography`]): its language's
/// quotes, and the one-letter words it keeps with the next.
pub fn style_for(lang: &str) -> TextStyle {
    typography::style_for(lang)
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

/// A value as a statistics table prints it (":" when not available).
pub fn stats_cell(cell: &figures::Cell, lang: &str) -> StatsCell {
    StatsCell::Value { shown: cell.formatted(lang).unwrap_or_else(|| ":".to_string()), flag: cell.flag.clone() }
}

/// The words of a statistics table's first column.
pub fn country_header(lang: &str) -> &'static str {
    if lang == "cs" { "Země" } else { "Country" }
}

/// A filled template table.
pub fn stats_table(data: &figures::TableData, lang: &str) -> Node {
    let header = std::iter::once(country_header(lang).to_string()).chain(data.years.iter().map(|y| y.to_string()));
    let row = |label: String, code: &str, cells: &[figures::Cell]| StatsRow {
        label,
        cells: cells.iter().map(|c| stats_cell(c, lang)).collect(),
        anchor: Some(data.spec.row_anchor(code)),
    };
    Node::Stats(document::StatsTable {
        header: header.collect(),
        rows: data.rows.iter().map(|(code, cells)| row(country_name(code, lang), code, cells)).collect(),
        total: data.total.as_ref().map(|(kind, cells)| row(kind.label(lang).to_string(), kind.code(), cells)),
        caption: None,
    })
}

/// A bar chart of the latest year with data, by country.
pub fn latest_year_chart(data: &figures::TableData, lang: &str) -> Option<Node> {
    let last = (0..data.years.len()).rev().find(|&i| data.rows.iter().any(|(_, cells)| cells[i].value.is_some()))?;
    let items = data
        .rows
        .iter()
        .filter_map(|(code, cells)| Some((code, cells[last].value?, cells[last].formatted(lang)?)))
        .map(|(code, value, shown)| document::Bar {
            label: country_name(code, lang),
            value: if value.is_finite() { value.max(0.0) } else { 0.0 },
            shown,
        })
        .collect();
    let caption = format!("{}, {} ({})", data.spec.title, data.years[last], data.spec.unit);
    Some(Node::Chart(document::Chart { caption, items }))
}

/// `Unit: persons. Source: a; b.`: what every statistics table says under it.
pub fn unit_and_source(unit: &str, sources: &std::collections::BTreeSet<String>) -> String {
    let unit = if unit.is_empty() { "–" } else { unit };
    format!("Unit: {unit}. Source: {}.", sources.iter().map(String::as_str).collect::<Vec<_>>().join("; "))
}

/// A legend line for the flags used in some tables.
pub fn flag_legend(flags: &std::collections::BTreeSet<char>) -> Option<Node> {
    flag_legend_text(flags).map(Node::small)
}

/// The words of the flag legend, if any flag is used.
pub fn flag_legend_text(flags: &std::collections::BTreeSet<char>) -> Option<String> {
    if flags.is_empty() {
        return None;
    }
    let entries: Vec<String> = flags.iter().map(|f| format!("{f}: {}", figures::flag_label(*f))).collect();
    Some(format!("Flags: {}. \":\" means not available.", entries.join("; ")))
}

/// A table of plain-text cells with a header row (marked as the table's
/// header, for accessibility), left-aligned.
pub fn text_table(widths: &[Width], header: &[&str], rows: &[Vec<String>]) -> document::Table {
    document::Table {
        widths: widths.to_vec(),
        align: vec![Align::Left; widths.len()],
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows.to_vec(),
        no_hyphenation: false,
        caption: None,
    }
}

/// Column widths as shares of the width (`[1.3, 0.7]`).
pub fn fractions(shares: &[f32]) -> Vec<Width> {
    shares.iter().map(|&share| Width::Fraction(share)).collect()
}

/// The headline table: indicator, year, value and change, figures right-aligned.
pub fn headline_table(header: [&str; 4], widths: [f32; 4], rows: Vec<[String; 4]>) -> Node {
    Node::Table(document::Table {
        widths: fractions(&widths),
        align: vec![Align::Left, Align::Right, Align::Right, Align::Right],
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows.into_iter().map(Vec::from).collect(),
        no_hyphenation: false,
        caption: None,
    })
}

/// The headline of each table with data: title, latest year, the
/// value with its unit and what it is (a total or a sum), the change over
/// the period (like for like, the countries counted when not a total);
/// with each row, the flags its figures carry.
pub fn headline_rows(package: &Package) -> Vec<([String; 4], String)> {
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
                let percent = figures::format_change(change.percent, "en");
                format!("{percent}{} since {}{scope}", flagged(&change.flag), change.from_year)
            }
            None => "–".into(),
        };
        let value = headline.value.formatted("en").unwrap_or_default();
        // What the figure is (a Eurostat total, a sum) belongs with the
        // title: the value cell holds the number, its flag and its unit.
        let flags = format!("{}{}", headline.value.flag, headline.change.as_ref().map_or("", |c| c.flag.as_str()));
        rows.push((
            [
                format!("{} ({})", spec.title, headline.label),
                headline.year.to_string(),
                format!("{value}{} {}", flagged(&headline.value.flag), spec.unit),
                change,
            ],
            flags,
        ));
    }
    rows
}

/// A figure's flags after it, as the headline tables print them (" (p)").
fn flagged(flag: &str) -> String {
    if flag.is_empty() { String::new() } else { format!("\u{a0}({flag})") }
}

/// A headline table of `rows` (see [`headline_rows`]), the flags its
/// figures carry under it, and where each figure is in the annex.
pub fn headline_figures_table(header: [&str; 4], widths: [f32; 4], rows: Vec<([String; 4], String)>) -> Vec<Node> {
    let flags: std::collections::BTreeSet<char> =
        rows.iter().flat_map(|(_, flags)| flags.chars()).filter(|c| c.is_alphabetic()).collect();
    let mut nodes = vec![headline_table(header, widths, rows.into_iter().map(|(cells, _)| cells).collect())];
    nodes.extend(flag_legend(&flags));
    nodes.push(Node::small(format!(
        "Each figure is in the Statistical Annex, with how it was made, under “{PRINTED_FIGURES}”."
    )));
    nodes
}

/// The annex's section listing the figures the publications print.
pub const PRINTED_FIGURES: &str = "Figures the publications print";

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

/// The answers a closed question can get, in the template's order, and
/// "answered, not for publication" when a country's answer is the
/// network's only (the public edition).
fn answer_options(question: &Question, answers: &[(String, Option<String>)]) -> Vec<String> {
    let mut options: Vec<String> = match question.answer {
        AnswerKind::YesNo => vec!["Yes".into(), "No".into()],
        _ => question.options.clone(),
    };
    let restricted = crate::load::answers::NOT_FOR_PUBLICATION;
    if answers.iter().any(|(_, a)| a.as_deref() == Some(restricted)) {
        options.push(restricted.to_string());
    }
    options
}

/// `Yes: 5`, `No: 2` (and `No answer: 1` when asked): each answer given,
/// in the template's order, with how many countries gave it.
pub fn answer_counts(question: &Question, answers: &[(String, Option<String>)], with_unanswered: bool) -> Vec<String> {
    let options = answer_options(question, answers);
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
pub fn answers_at_a_glance(package: &Package, question: &Question, map: bool) -> Vec<Node> {
    if question.answer == AnswerKind::Text {
        return Vec::new();
    }
    let answers = closed_answers(package, question);
    let summary = answer_counts(question, &answers, true);
    let rows: Vec<Vec<String>> = answers
        .iter()
        .map(|(code, answer)| vec![country_name(code, "en"), answer.clone().unwrap_or_else(|| "–".into())])
        .collect();
    // The country column as wide as its longest name, the answer the rest,
    // unhyphenated: "Ministry of the Inte-rior" broke seven times on a page.
    let mut table = text_table(&[Width::Auto, Width::Fraction(1.0)], &["Country", "Answer"], &rows);
    table.no_hyphenation = true;
    // Named for its question: a page has one such table per question.
    let kicker = format!("Answers at a glance: {}", question.id.get_ref());
    let mut nodes = vec![Node::Kicker(kicker), Node::text(format!("{}.", summary.join(" · ")))];
    if map {
        let map = AnswersMap::new(package, question, &answers);
        let map = document::Map { categories: map.categories, no_answer: map.no_answer, alt: map.alt };
        nodes.push(Node::Columns(document::Columns {
            widths: fractions(&[1.15, 1.0]),
            cells: vec![vec![Node::Map(map)], vec![Node::Table(table)]],
        }));
    } else {
        nodes.push(Node::Table(table));
    }
    nodes
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
        let options = answer_options(question, answers);
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
        // Countries by name: a screen reader reads "Czechia", not "C Z".
        let names = |codes: &[String]| codes.iter().map(|c| country_name(c, "en")).collect::<Vec<_>>().join(", ");
        let mut parts: Vec<String> = categories
            .iter()
            .filter(|c| !c.countries.is_empty())
            .map(|c| format!("{}: {} ({})", c.label, c.countries.len(), names(&c.countries)))
            .collect();
        if !no_answer.is_empty() {
            parts.push(format!("no answer: {} ({})", no_answer.len(), names(&no_answer)));
        }
        let alt = format!(
            "Map of Europe for question {}: {}. Other countries are grey.",
            question.id.get_ref(),
            if parts.is_empty() { "no answers yet".to_string() } else { parts.join("; ") }
        );
        Self { categories, no_answer, alt }
    }
}

/// A country's name over its text in a publication of every country
/// (synthesis, compilation, bulletin, situational report), marked when its
/// contribution is a draft: "Czechia (draft answer)", "(draft update)".
pub fn country_heading(contribution: &crate::load::Contribution, draft: &str) -> String {
    let name = country_name(contribution.country(), "en");
    match contribution.status() {
        Some(crate::load::Status::Draft) => format!("{name} ({draft})"),
        _ => name,
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
    use rayon::prelude::*;
    // Searched on every core: the synthesis searches every contribution.
    documents
        .par_iter()
        .map(|(document, language)| {
            let found = package.glossary.find(&document.runs, language);
            found.into_iter().map(|found| found.term.concept.clone()).collect::<std::collections::BTreeSet<_>>()
        })
        .reduce(std::collections::BTreeSet::new, |mut all, more| {
            all.extend(more);
            all
        })
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
/// their sources and the Glossary's attribution; `None` when the documents
/// use no Glossary term.
pub fn terms_used(package: &Package, documents: &[(&Document, &str)], lang: &str) -> Option<Node> {
    let entries = glossary_entries(package, documents, lang);
    if entries.is_empty() {
        return None;
    }
    let attribution =
        if lang == "cs" { crate::load::glossary::ATTRIBUTION_CS } else { crate::load::glossary::ATTRIBUTION };
    Some(Node::Terms(document::Terms {
        title: if lang == "cs" { "Použité pojmy" } else { "Terms used" }.to_string(),
        entries: entries
            .into_iter()
            .map(|(term, definition)| document::Term {
                term,
                definition: definition.text.clone(),
                source: definition.source.clone(),
            })
            .collect(),
        attribution: attribution.to_string(),
        style: style_for(lang),
    }))
}

#[cfg(test)]
mod tests;
