//! Templates: the common questions of a study, annual report or query.
//!
//! Built-in templates live in `templates/*.toml` and are compiled into the
//! binary; a manifest may instead name a `.toml` file inside the package.

use serde::Deserialize;
use toml::Spanned;

pub use super::toml_file::Text;

use super::toml_file;
use crate::diagnostic::Diagnostic;

/// The built-in templates, by file name, embedded at compile time.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("study-generic", include_str!("../../templates/study-generic.toml")),
    ("annual-report", include_str!("../../templates/annual-report.toml")),
    ("ad-hoc-query", include_str!("../../templates/ad-hoc-query.toml")),
    ("bulletin", include_str!("../../templates/bulletin.toml")),
    ("situational-report", include_str!("../../templates/situational-report.toml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageKind {
    Study,
    AnnualReport,
    AdHocQuery,
    /// The quarterly EMN Bulletin.
    Bulletin,
    /// A short, dated report on a burning issue, in editions.
    SituationalReport,
}

impl PackageKind {
    pub fn name(self) -> &'static str {
        match self {
            PackageKind::Study => "study",
            PackageKind::AnnualReport => "annual-report",
            PackageKind::AdHocQuery => "ad-hoc-query",
            PackageKind::Bulletin => "bulletin",
            PackageKind::SituationalReport => "situational-report",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            PackageKind::Study,
            PackageKind::AnnualReport,
            PackageKind::AdHocQuery,
            PackageKind::Bulletin,
            PackageKind::SituationalReport,
        ]
        .into_iter()
        .find(|k| k.name() == text)
    }

    /// The built-in template for a kind.
    pub fn default_template(self) -> &'static str {
        match self {
            PackageKind::Study => "study-generic",
            PackageKind::AnnualReport => "annual-report",
            PackageKind::AdHocQuery => "ad-hoc-query",
            PackageKind::Bulletin => "bulletin",
            PackageKind::SituationalReport => "situational-report",
        }
    }

    /// Whether packages of this kind publish a Czech summary.
    pub fn needs_czech_summary(self) -> bool {
        matches!(self, PackageKind::Study | PackageKind::AnnualReport)
    }

    /// Whether contributions open with key findings (a study or report
    /// does; a query's and a bulletin's answers stand alone).
    pub fn has_key_findings(self) -> bool {
        matches!(self, PackageKind::Study | PackageKind::AnnualReport)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerKind {
    Text,
    YesNo,
    Choice,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub kind: PackageKind,
    pub title: Text,
    /// What the study is for, in a sentence or two (printed on the Flash).
    pub aim: Option<Text>,
    #[serde(default)]
    pub flash_questions: Vec<Text>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub tables: Vec<TableSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: Text,
    /// The title in other languages, by language code:
    /// `title-translations = { cs = "Právní a politický rámec" }`.
    #[serde(default)]
    pub title_translations: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub questions: Vec<Question>,
}

impl Section {
    /// The title in `lang` where the template gives one, else as written.
    pub fn title_in(&self, lang: &str) -> &str {
        translated(&self.title_translations, lang).unwrap_or(&self.title)
    }
}

/// The text of `translations` for `lang` (its primary language), if any.
fn translated<'t>(translations: &'t std::collections::BTreeMap<String, String>, lang: &str) -> Option<&'t str> {
    let primary = crate::countries::primary_language(lang);
    translations.get(lang).or_else(|| translations.get(&primary)).map(String::as_str)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Question {
    pub id: Spanned<String>,
    pub text: Text,
    pub answer: AnswerKind,
    #[serde(default)]
    pub options: Vec<String>,
    /// The options in other languages, by language code, in the order of
    /// `options`: `option-translations = { cs = ["Ministerstvo vnitra", …] }`.
    /// An answer may open with one in its contribution's language.
    #[serde(default)]
    pub option_translations: std::collections::BTreeMap<String, Spanned<Vec<String>>>,
    /// The question in other languages, by language code:
    /// `text-translations = { cs = "Má váš členský stát …?" }`, for the
    /// headings of a contribution written in that language.
    #[serde(default)]
    pub text_translations: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub required: bool,
    pub max_words: Option<usize>,
}

impl Question {
    /// The question in `lang` where the template gives it, else as written.
    pub fn text_in(&self, lang: &str) -> &str {
        translated(&self.text_translations, lang).unwrap_or(&self.text)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TableSpec {
    /// With its place in the template, for diagnostics.
    pub id: Spanned<String>,
    pub title: Text,
    /// The title in Czech, for the Czech summary (else the English title).
    pub title_cs: Option<String>,
    pub indicator: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub required: bool,
    /// Dimension code → selected value, for one slice of a Eurostat dataset.
    #[serde(default)]
    pub filter: std::collections::BTreeMap<String, String>,
    /// The total row; `None` = Eurostat's EU27 row when a file carries it.
    pub total: Option<Spanned<TotalMode>>,
    /// Where the data come from, as printed under the table (else the files).
    pub source: Option<String>,
    /// Years (the default) or quarters: a quarterly table sums the months
    /// of each quarter (the Bulletin's key statistics).
    #[serde(default)]
    pub period: TablePeriod,
    /// The step the source rounds its figures to (Eurostat's asylum data:
    /// 5): a figure a text writes within it of the value is right.
    pub rounding: Option<f64>,
    /// How texts name this table's figures, per language (`*` ends a word
    /// with any ending); the title's words by default.
    #[serde(default)]
    pub terms: std::collections::BTreeMap<String, Vec<String>>,
}

impl TableSpec {
    /// A row's name on a web page (`T1-BE`, `T2-EU27_2020`, `T1-TOTAL`):
    /// the annex names its rows so, and the figures `validate` verified
    /// link there.
    pub fn row_anchor(&self, code: &str) -> String {
        let safe = |text: &str| -> String {
            text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect()
        };
        format!("{}-{}", safe(self.id.get_ref()), safe(code))
    }
}

/// The periods a table's columns are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TablePeriod {
    #[default]
    Year,
    Quarter,
    /// Months (and whole years given as years): a situational report's
    /// figures, compared like for like, the same months of each year.
    Month,
    /// ISO weeks (and whole years), compared the same way.
    Week,
}

/// What a table's total row shows (SPEC, "Statistics").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TotalMode {
    /// Eurostat's `EU27_2020` row, when a file carries it.
    Eurostat,
    /// The sum of the countries shown, where every one has a value.
    Sum,
    /// No total.
    None,
}

/// Whether a unit counts whole things (persons, applicants, permits...),
/// so a value with a fraction is suspect.
pub fn is_count_unit(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    ["person", "people", "applicant", "permit", "decision", "card", "return", "number", "count"]
        .iter()
        .any(|word| unit.contains(word))
}

/// Whether a unit is a count that can be summed (not a rate, share or
/// value per inhabitant).
pub fn is_summable_unit(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    !["%", "percent", "rate", "share", "per ", "ratio", "index", "average", "mean", "median"]
        .iter()
        .any(|word| unit.contains(word))
}

impl Template {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id.get_ref() == id)
    }

    /// The index of the section a free heading of a contribution names:
    /// `# 1 Legal framework`, `# 1. Právní rámec`, `# Legal framework`,
    /// `# 1` or `# Theme 1`, compared without case. `new-contribution` and
    /// `import-docx` write these headings: they are the template's, not
    /// parts the NCP added, whatever words follow the section's number.
    pub fn section_named(&self, heading: &str) -> Option<usize> {
        let heading = heading.trim().to_lowercase();
        let heading = ["theme", "section", "part", "oddíl", "část"]
            .iter()
            .find_map(|word| heading.strip_prefix(word).filter(|rest| rest.starts_with(' ')))
            .map_or(heading.as_str(), str::trim_start);
        self.sections.iter().position(|section| {
            let numbered = heading.strip_prefix(section.id.to_lowercase().as_str()).is_some_and(|rest| {
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                rest.is_empty() || rest.starts_with([' ', '\t', ')', ':', '\u{a0}'])
            });
            numbered || heading == section.title.to_lowercase()
        })
    }

    pub fn table_for(&self, indicator: &str) -> impl Iterator<Item = &TableSpec> {
        self.tables.iter().filter(move |t| t.indicator == indicator)
    }
}

/// Parses a template and reports duplicate question ids at their line.
pub fn parse(file: &str, text: &str) -> (Option<Template>, Vec<Diagnostic>) {
    let template: Template = match toml_file::parse(file, text, "bad-template") {
        Ok(template) => template,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let questions = template.questions().count();
    if questions > crate::limits::MAX_TEMPLATE_QUESTIONS || template.tables.len() > crate::limits::MAX_TEMPLATE_TABLES {
        let diagnostic = Diagnostic::error(
            "bad-template",
            file,
            format!(
                "the template has {questions} questions and {} tables (at most {} and {})",
                template.tables.len(),
                crate::limits::MAX_TEMPLATE_QUESTIONS,
                crate::limits::MAX_TEMPLATE_TABLES
            ),
        )
        .at_line(1)
        .with_hint("an EMN template asks tens of questions: split the study, or move detail into the questions' text");
        return (None, vec![diagnostic]);
    }
    let mut diagnostics = summed_rates(file, text, &template);
    diagnostics.extend(question_problems(file, text, &template));
    (Some(template), diagnostics)
}

/// `bad-template` for a table that sums values no sum means (rates, shares).
fn summed_rates(file: &str, text: &str, template: &Template) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for table in &template.tables {
        if let Some(total) = &table.total
            && *total.get_ref() == TotalMode::Sum
            && !is_summable_unit(&table.unit)
        {
            let (line, column) = toml_file::place(text, total);
            diagnostics.push(
                Diagnostic::error(
                    "bad-template",
                    file,
                    format!("table {} sums values whose unit is `{}`", table.id, table.unit),
                )
                .at(line, column)
                .with_hint(
                    "rates, shares and values per inhabitant cannot be added up: use total = \"eurostat\" or \"none\"",
                ),
            );
        }
    }
    diagnostics
}

/// Options translated in other numbers, ids used twice, choices without options.
fn question_problems(file: &str, text: &str, template: &Template) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for question in template.questions() {
        for (language, translated) in &question.option_translations {
            if translated.get_ref().len() != question.options.len() {
                let (line, column) = toml_file::place(text, translated);
                diagnostics.push(
                    Diagnostic::error(
                        "bad-template",
                        file,
                        format!(
                            "question {} gives {} options in `{language}` but {} in English",
                            question.id.get_ref(),
                            translated.get_ref().len(),
                            question.options.len()
                        ),
                    )
                    .at(line, column)
                    .with_hint("give every option once, in the order of `options`"),
                );
            }
        }
    }
    let mut seen = std::collections::BTreeMap::new();
    for question in template.questions() {
        let (line, column) = toml_file::place(text, &question.id);
        if let Some(first) = seen.insert(question.id.get_ref().clone(), line) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-question",
                    file,
                    format!("question id {} is used twice (first on line {first})", question.id.get_ref()),
                )
                .at(line, column)
                .with_hint("question ids must be unique across the template"),
            );
        }
        if question.answer == AnswerKind::Choice && question.options.is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    "bad-template",
                    file,
                    format!("choice question {} has no options", question.id.get_ref()),
                )
                .at(line, column)
                .with_hint("add `options = [\"...\"]` with the allowed answers"),
            );
        }
    }
    diagnostics
}

/// The text of a built-in template by name.
pub fn built_in(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_parse_cleanly() {
        for (name, text) in BUILT_IN {
            let (template, diagnostics) = parse(name, text);
            assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
            let template = template.unwrap();
            assert_eq!(&template.id, name);
            assert!(template.questions().count() >= 3, "{name} asks a few questions at least");
        }
    }

    #[test]
    fn section_headings_are_the_templates_whatever_their_words() {
        let (template, _) = parse("annual-report", built_in("annual-report").unwrap());
        let template = template.unwrap();
        let title = template.sections[0].title.to_string();
        assert_eq!(template.section_named(&format!("1 {title}")), Some(0));
        assert_eq!(template.section_named(&title.to_uppercase()), Some(0));
        assert_eq!(template.section_named("1. Legální migrace"), Some(0));
        assert_eq!(template.section_named("Section 2"), Some(1));
        assert_eq!(template.section_named("10 Anything"), Some(9));
        assert_eq!(template.section_named("1.5 million arrivals"), None);
        assert_eq!(template.section_named("Background"), None);
        assert_eq!(template.section_named("2019 changes"), None);
    }

    #[test]
    fn duplicate_ids_are_reported_at_the_second() {
        let text = "id='t'\nkind='study'\ntitle='T'\n[[sections]]\nid='1'\ntitle='S'\n[[sections.questions]]\nid='Q1'\ntext='a'\nanswer='text'\n[[sections.questions]]\nid='Q1'\ntext='b'\nanswer='text'\n";
        let (_, diagnostics) = parse("t.toml", text);
        assert_eq!(diagnostics[0].code, "duplicate-question");
        assert_eq!(diagnostics[0].line, Some(12));
    }
}
