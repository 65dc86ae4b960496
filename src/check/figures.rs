//! Figures the texts write, checked against the statistics and the answers
//! the package holds (SPEC, "Figures checked against the statistics").
//!
//! A figure is checked only when it links to exactly one value: a table
//! named by its `terms` (or its title) in the sentence, one year (two for
//! a change), and one country (the contribution's own, one named, or the
//! EU total); a count of countries to the answers of the one question the
//! sentence names. Whatever cannot be linked so is `unlinked`, never a
//! warning: a check that guesses would warn about right figures.

use std::collections::BTreeMap;

use crate::countries;
use crate::diagnostic::Diagnostic;
use crate::load::answers::Closed;
use crate::load::markdown::RunKind;
use crate::load::{Document, Package, TableSpec};

mod numbers;

use numbers::{Written, written_numbers};

/// A figure a text writes, and what checking it found.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// As written ("21 480", "12 %", "four").
    pub written: String,
    pub verdict: Verdict,
    pub link: Option<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Verified,
    Mismatch,
    Unlinked,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Mismatch => "mismatch",
            Verdict::Unlinked => "unlinked",
        }
    }
}

/// What a figure was compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The table's id, or the question's.
    pub source: String,
    /// What of it ("Belgium 2023", "change 2022–2023", "answers Yes").
    pub cell: String,
    /// Where the value is (`statistics/permits.csv:4`), when in a file.
    pub place: Option<String>,
    /// The value found.
    pub value: f64,
    /// It as a message prints it ("23,926", "34.2 %").
    pub shown: String,
    /// The annex row it is in (`T1-BE`), for a figure of one cell.
    pub row: Option<String>,
}

/// `figure-mismatch` for every linked figure that differs from its value.
pub(super) fn check_figures(package: &Package, out: &mut Vec<Diagnostic>) {
    for figure in figures(package).into_iter().filter(|f| f.verdict == Verdict::Mismatch) {
        let Some(link) = &figure.link else { continue };
        let place = link.place.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
        out.push(
            Diagnostic::warning(
                "figure-mismatch",
                &figure.file,
                format!("“{}” differs from {} {}{place}: {}", figure.written, link.source, link.cell, link.shown),
            )
            .at(figure.line, figure.column)
            .spanning(figure.written.chars().count())
            .with_hint("correct the figure, or the statistics if they are wrong; `validate --format json` lists every figure checked"),
        );
    }
}

/// Every figure the package's texts write, with its verdict.
pub fn figures(package: &Package) -> Vec<Figure> {
    let mut found = Vec::new();
    let mut values = Values::new(package);
    for document in package.documents() {
        let own = package.contributions.iter().find(|c| std::ptr::eq(&c.document, document)).map(|c| c.country());
        let is_summary = package.summary_cs.as_ref().is_some_and(|summary| std::ptr::eq(summary, document));
        let lang = if is_summary { "cs" } else { document.language() };
        let (decimal_mark, _) = crate::numbers::marks(lang);
        for sentence in sentences(document) {
            let context = Context { package, lang, own, sentence: &sentence };
            for number in written_numbers(&sentence.text, lang, decimal_mark) {
                found.push(context.figure(&number, &mut values, &document.file));
            }
        }
    }
    found
}

/// A sentence of prose, lower-cased for matching, with where its runs
/// start in the file.
struct Sentence {
    text: String,
    lower: String,
    /// Where each of its runs starts (its characters counted from its start).
    runs: RunStarts,
}

impl Sentence {
    /// Where the sentence's character `at` is in the file.
    fn place(&self, at: usize) -> (usize, usize) {
        let index = self.runs.partition_point(|(start, _, _)| *start <= at).saturating_sub(1);
        self.runs.get(index).map_or((1, 1), |(start, line, column)| (*line, column + at.saturating_sub(*start)))
    }
}

/// (character, line, column) where each run of a text starts.
type RunStarts = Vec<(usize, usize, usize)>;

/// Words a sentence that counts countries has (a count may be a word).
const COUNTED: [&str; 8] = ["member", "countr", "člensk", "zem", "stát", "mitglied", "länder", "staaten"];

/// The sentences of a document's prose that may hold a figure (a digit, or
/// a count of countries), quotations and code left out: they are not the
/// author's figures.
fn sentences(document: &Document) -> Vec<Sentence> {
    let mut paragraphs: Vec<(String, RunStarts)> = Vec::new();
    let mut last: Option<(usize, usize)> = None;
    for run in document.runs.iter().filter(|run| run.kind == RunKind::Prose) {
        if last.is_none_or(|(block, _)| block != run.block) {
            paragraphs.push((String::new(), Vec::new()));
        }
        let (text, runs) = paragraphs.last_mut().expect("a paragraph is open");
        if last.is_some_and(|(block, line)| block == run.block && line != run.pos.line) {
            text.push(' ');
        }
        runs.push((text.chars().count(), run.pos.line, run.pos.column));
        text.push_str(&run.text);
        last = Some((run.block, run.pos.line));
    }
    paragraphs
        .into_iter()
        .filter(|(text, _)| {
            text.bytes().any(|b| b.is_ascii_digit()) || {
                let lower = text.to_lowercase();
                COUNTED.iter().any(|word| lower.contains(word))
            }
        })
        .flat_map(|(text, runs)| split_sentences(&text, &runs))
        .collect()
}

/// A paragraph cut after `.`, `!` or `?` followed by a space and a capital.
fn split_sentences(text: &str, runs: &[(usize, usize, usize)]) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for index in 0..chars.len() {
        let ends = matches!(chars[index], '.' | '!' | '?')
            && chars.get(index + 1).is_some_and(|c| c.is_whitespace())
            && chars.get(index + 2).is_some_and(|c| c.is_uppercase());
        if ends || index + 1 == chars.len() {
            let text: String = chars[start..=index].iter().collect();
            let lower = text.to_lowercase();
            // Lower-casing keeps one character for one in the texts met here;
            // where it does not, the sentence is not matched by place.
            if lower.chars().count() == index + 1 - start {
                // The run the sentence starts in, then those starting in it.
                let covering = runs.partition_point(|(at, _, _)| *at <= start).saturating_sub(1);
                let own: RunStarts = runs[covering..]
                    .iter()
                    .take_while(|(at, _, _)| *at <= index)
                    .map(|(at, line, column)| {
                        let shift = start.saturating_sub(*at);
                        (at.saturating_sub(start), *line, column + shift)
                    })
                    .collect();
                sentences.push(Sentence { text, lower, runs: own });
            }
            start = index + 1;
        }
    }
    sentences
}

/// One sentence being read.
struct Context<'a> {
    package: &'a Package,
    lang: &'a str,
    /// The contribution's country (none in an editor's text).
    own: Option<&'a str>,
    sentence: &'a Sentence,
}

impl Context<'_> {
    fn figure(&self, number: &Written, values: &mut Values, file: &str) -> Figure {
        let (line, column) = self.sentence.place(number.start);
        let link = if number.count_of_countries { self.count_link(number) } else { self.table_link(number, values) };
        let verdict = match &link {
            None => Verdict::Unlinked,
            Some((link, tolerance)) if (link.value - number.value).abs() <= *tolerance => Verdict::Verified,
            Some(_) => Verdict::Mismatch,
        };
        Figure {
            file: file.to_string(),
            line,
            column,
            written: number.written.clone(),
            verdict,
            link: link.map(|(link, _)| link),
        }
    }

    /// A count of countries linked to the answers of the question the
    /// sentence names: its Yes (or, said negatively, its No) answers, or
    /// those of the option the sentence names.
    fn count_link(&self, number: &Written) -> Option<(Link, f64)> {
        let ids: Vec<&str> = question_ids(&self.sentence.text);
        let question = match ids.as_slice() {
            [id] => self.package.template.questions().find(|q| q.id.get_ref() == id)?,
            // No id: the one closed question whose words the sentence repeats.
            [] => {
                let named: Vec<&crate::load::Question> = self
                    .package
                    .template
                    .questions()
                    .filter(|q| q.answer != crate::load::AnswerKind::Text)
                    .filter(|q| numbers::shares_a_phrase(&self.sentence.lower, &q.text_in(self.lang).to_lowercase()))
                    .collect();
                let [question] = named.as_slice() else { return None };
                *question
            }
            _ => return None,
        };
        let id = question.id.get_ref().as_str();
        let wanted = if question.options.is_empty() {
            if numbers::is_negative(&self.sentence.lower, self.lang) { Closed::No } else { Closed::Yes }
        } else {
            let named: Vec<&String> =
                question.options.iter().filter(|o| self.sentence.lower.contains(&o.to_lowercase())).collect();
            let [option] = named.as_slice() else { return None };
            Closed::Option((*option).clone())
        };
        let count = self
            .package
            .contributions
            .iter()
            .filter(|c| !number.member_states || countries::find(c.country()).is_some_and(|c| !c.observer))
            .filter(|c| c.document.filled_answer(id).and_then(|a| a.closed.as_ref()) == Some(&wanted))
            .count();
        let said = match &wanted {
            Closed::Yes => "Yes".to_string(),
            Closed::No => "No".to_string(),
            other => format!("{other:?}"),
        };
        let who = if number.member_states { "Member States" } else { "countries" };
        let cell = format!("({who} answering {said})");
        let shown = count.to_string();
        let link = Link { source: format!("question {id}"), cell, place: None, value: count as f64, shown, row: None };
        Some((link, 0.0))
    }

    /// A figure linked to one table's value for one country and year, or
    /// to its change between two years.
    fn table_link(&self, number: &Written, values: &mut Values) -> Option<(Link, f64)> {
        let tables: Vec<&TableSpec> = self.package.template.tables.iter().filter(|t| self.names(t, number)).collect();
        let [table] = tables.as_slice() else { return None };
        let years = numbers::years(&self.sentence.text);
        let country = self.country()?;
        let name = |code: &str| if code == countries::EU_TOTAL { "EU".to_string() } else { country_name(code) };
        let rounding = table.rounding.unwrap_or(0.0).max(0.0);
        if number.percent {
            let mut distinct: Vec<i32> = years.iter().map(|(year, _)| *year).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let (from, to) = match distinct.as_slice() {
                [year] => (year - 1, *year),
                [first, last] => (*first, *last),
                _ => return None,
            };
            let direction = numbers::change_direction(&self.sentence.lower, self.lang)?;
            let (before, _) = values.value(table, &country, from)?;
            let (after, place) = values.value(table, &country, to)?;
            (before != 0.0).then_some(())?;
            let change = (after - before) / before * 100.0 * direction;
            let cell = format!("{}, change {from}–{to}", name(&country));
            let shown = format!("{} %", crate::numbers::format_number(change, 1, "en"));
            let source = format!("table {}", table.id.get_ref());
            let link = Link { source, cell, place, value: change, shown, row: None };
            return Some((link, number.precision));
        }
        let year = level_year(&years, number.start)?;
        let (value, place) = values.value(table, &country, year)?;
        let cell = format!("{} {year}", name(&country));
        let decimals = if value.fract() == 0.0 { 0 } else { 1 };
        let shown = crate::numbers::format_number(value, decimals, "en");
        // A sum is the annex's TOTAL row; Eurostat's EU27 row is its own.
        let code = if country == countries::EU_TOTAL && place.is_none() { "TOTAL" } else { country.as_str() };
        let row = Some(table.row_anchor(code));
        let link = Link { source: format!("table {}", table.id.get_ref()), cell, place, value, shown, row };
        Some((link, number.precision.max(rounding)))
    }

    /// Whether the sentence names the table's figures next to `number`:
    /// one of its terms in the text's language (else its title) within
    /// three words after it ("21 480 first permits") or seven before it
    /// ("first permits in Belgium rose by 12 %"). A figure further from the
    /// words that name it is of something else ("12 regional offices").
    fn names(&self, table: &TableSpec, number: &Written) -> bool {
        let primary = countries::primary_language(self.lang);
        let terms: Vec<String> = match table.terms.get(self.lang).or_else(|| table.terms.get(&primary)) {
            Some(terms) => terms.iter().map(|term| term.to_lowercase()).collect(),
            None if primary == "en" => vec![table.title.to_lowercase()],
            None => return false,
        };
        let (start, end) = (number.start, number.start + number.written.chars().count());
        let lower = &self.sentence.lower;
        terms.iter().flat_map(|term| numbers::term_places(lower, term)).any(|(first, last)| {
            (first >= end && numbers::words_between(lower, end, first) <= 3)
                || (last <= start && numbers::words_between(lower, last, start) <= 7)
        })
    }

    /// The country a figure is of: the one the sentence names, else the EU
    /// where it names the EU, else the contribution's own (an editor's text:
    /// the EU total).
    fn country(&self) -> Option<String> {
        let named: Vec<&str> = countries::COUNTRIES
            .iter()
            .filter(|c| {
                [Some(c.name_en), Some(c.name_cs), countries::own_name(c.code, self.lang)]
                    .into_iter()
                    .flatten()
                    .any(|name| numbers::contains_term(&self.sentence.lower, &name.to_lowercase()))
            })
            .map(|c| c.code)
            .collect();
        match named.as_slice() {
            [code] => Some(code.to_string()),
            [] if numbers::names_the_eu(&self.sentence.text) => Some(countries::EU_TOTAL.to_string()),
            [] => Some(self.own.unwrap_or(countries::EU_TOTAL).to_string()),
            _ => None,
        }
    }
}

/// The year a level figure is of: the only one the sentence names, else
/// the last named before it ("In 2023 … 41 836, 5 % more than in 2022").
fn level_year(years: &[(i32, usize)], at: usize) -> Option<i32> {
    match years {
        [(year, _)] => Some(*year),
        _ => years.iter().rev().find(|(_, start)| *start < at).map(|(year, _)| *year),
    }
}

/// The question ids a sentence names (`Q1.1`).
fn question_ids(text: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for (at, _) in text.match_indices('Q') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &text[at + 1..];
        let length = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let id = text[at..at + 1 + length].trim_end_matches('.');
        if id.len() > 1 {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A country's name as the messages give it.
fn country_name(code: &str) -> String {
    countries::find(code).map_or_else(|| code.to_string(), |c| c.name_en.to_string())
}

/// A value and where it is in the statistics (none: a sum).
type Cell = (f64, Option<String>);

/// The tables' values by country and year, looked up once each.
struct Values<'a> {
    package: &'a Package,
    cells: BTreeMap<(String, String, i32), Option<Cell>>,
}

impl<'a> Values<'a> {
    fn new(package: &'a Package) -> Self {
        Self { package, cells: BTreeMap::new() }
    }

    /// A yearly table's value for `country` (or the EU total) in `year`,
    /// and where it is; the total as the table's `total` says.
    fn value(&mut self, table: &TableSpec, country: &str, year: i32) -> Option<Cell> {
        if table.period != crate::load::template::TablePeriod::Year {
            return None;
        }
        let key = (table.id.get_ref().clone(), country.to_string(), year);
        if let Some(cell) = self.cells.get(&key) {
            return cell.clone();
        }
        let cell = self.look_up(table, country, year);
        self.cells.insert(key, cell.clone());
        cell
    }

    fn look_up(&self, table: &TableSpec, country: &str, year: i32) -> Option<Cell> {
        let rows: Vec<_> = self.package.table_rows(table).filter(|o| o.year == year && o.value.is_some()).collect();
        let own: Vec<_> = rows.iter().filter(|o| o.country == country).collect();
        if let [one] = own.as_slice() {
            return Some((one.value?, Some(format!("{}:{}", one.file, one.line))));
        }
        let summed = table.total.as_ref().is_some_and(|t| *t.get_ref() == crate::load::template::TotalMode::Sum);
        if country != countries::EU_TOTAL || !summed {
            return None;
        }
        // The sum of the package's countries, where every one has its value.
        let expected = self.package.manifest.countries.iter().map(|c| c.get_ref().as_str());
        let mut sum = 0.0;
        for code in expected {
            let values: Vec<_> = rows.iter().filter(|o| o.country == code).collect();
            let [one] = values.as_slice() else { return None };
            sum += one.value?;
        }
        Some((sum, None))
    }
}

#[cfg(test)]
mod tests;
