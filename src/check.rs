//! Stage 2, check: pure rules from a loaded [`Package`] to diagnostics.
//!
//! No I/O happens here: everything the rules need (file facts for images and
//! links included) was gathered by `load`. Each rule has its own stable code,
//! listed in the README; all rules run, so one `validate` shows every problem.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;

use crate::countries;
use crate::diagnostic::{Diagnostic, line_column};
use crate::load::markdown::{self, Block, Inline};
use crate::load::paths::{self, FileFacts};
use crate::load::statistics::{Observation, Shape};
use crate::load::{AnswerKind, Contribution, Document, Package, manifest};

/// Flags of Eurostat's code list: observation status, confidentiality, and
/// the codes used before 2025.
pub const KNOWN_FLAGS: &str = "bdefimnpuCNPcszr";

/// Runs every rule.
pub fn check(package: &Package) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if package.template.kind != package.manifest.kind {
        let line = line_column(manifest_text(package), package.manifest.template.span().start).0;
        out.push(
            Diagnostic::warning(
                "template-kind",
                manifest::FILE,
                format!(
                    "template {} is for a {}, but the package is a {}",
                    package.template.id,
                    package.template.kind.name(),
                    package.manifest.kind.name()
                ),
            )
            .at_line(line)
            .with_hint(format!(
                "the built-in template for this kind is `{}`",
                package.manifest.kind.default_template()
            )),
        );
    }
    check_expected_countries(package, &mut out);
    for contribution in &package.contributions {
        check_front_matter(contribution, &mut out);
        check_answers(package, contribution, &mut out);
    }
    check_duplicate_contributions(package, &mut out);
    for document in package.documents() {
        check_references(package, document, &mut out);
        check_raw_html(document, &mut out);
    }
    check_statistics(package, &mut out);
    check_tables_have_data(package, &mut out);
    if package.manifest.kind.needs_czech_summary() && package.summary_cs.is_none() {
        out.push(
            Diagnostic::error("missing-summary", "summary-cs.md", "the package has no Czech summary (summary-cs.md)")
                .with_hint("write the Czech summary in summary-cs.md at the top of the package folder"),
        );
    }
    out
}

/// Words as Unicode word segmentation (UAX #29) sees them: Czech and Greek
/// words count right; `e-mail` counts as two words, `12 345,6` as two.
pub fn count_words(text: &str) -> usize {
    text.unicode_words().count()
}

fn manifest_text(package: &Package) -> &str {
    package.sources.get(manifest::FILE).map(|s| s.text.as_str()).unwrap_or("")
}

fn check_expected_countries(package: &Package, out: &mut Vec<Diagnostic>) {
    let text = manifest_text(package);
    for expected in &package.manifest.countries {
        let code = expected.get_ref();
        let (line, column) = line_column(text, expected.span().start);
        if countries::find(code).is_none() {
            out.push(bad_country(manifest::FILE, code).at(line, column));
        } else if package.contribution(code).is_none() {
            out.push(
                Diagnostic::error("missing-contribution", manifest::FILE, format!("no contribution from {code} (expected: contributions/{code}.md)"))
                    .at(line, column)
                    .with_hint(format!("run `emn-pub new-contribution . --country {code}`, or remove {code} from `countries`, or build with --allow-incomplete")),
            );
        }
    }
}

fn bad_country(file: &str, code: &str) -> Diagnostic {
    let hint = match countries::suggestion(code) {
        Some(suggested) if suggested != code => format!("did you mean {suggested}?"),
        _ => "use an EMN country code: the EU states except DK (EL for Greece), or an observer: NO, GE, MD, UA, ME, AM, RS, MK".to_string(),
    };
    Diagnostic::error("bad-country", file, format!("`{code}` is not an EMN country code")).with_hint(hint)
}

fn check_front_matter(contribution: &Contribution, out: &mut Vec<Diagnostic>) {
    let file = contribution.file();
    let front = &contribution.document.front;
    if front.line.is_none() {
        out.push(
            Diagnostic::error("bad-front-matter", file, "the contribution has no front matter")
                .at_line(1)
                .with_hint("start the file with ---, then country, ncp, status and date lines, then ---"),
        );
        return;
    }
    for (name, value) in
        [("country", &front.country), ("ncp", &front.ncp), ("status", &front.status), ("date", &front.date)]
    {
        if value.as_ref().is_none_or(|v| v.value.is_empty()) {
            out.push(
                Diagnostic::error("bad-front-matter", file, format!("front matter lacks `{name}`"))
                    .at_line(value.as_ref().map(|v| v.line).unwrap_or(1))
                    .with_hint(format!("add a `{name}: ...` line between the --- lines")),
            );
        }
    }
    if let Some(country) = &front.country {
        if countries::find(&country.value).is_none() {
            out.push(bad_country(file, &country.value).at(country.line, country.column));
        } else if country.value != contribution.file_code {
            out.push(
                Diagnostic::error(
                    "country-mismatch",
                    file,
                    format!("front matter says {} but the file is named {}.md", country.value, contribution.file_code),
                )
                .at(country.line, country.column)
                .with_hint(format!("rename the file to contributions/{}.md or correct `country`", country.value)),
            );
        }
    } else if countries::find(&contribution.file_code).is_none() {
        out.push(bad_country(file, &contribution.file_code).at_line(1));
    }
    if let Some(status) = &front.status
        && !matches!(status.value.to_lowercase().as_str(), "draft" | "final")
    {
        out.push(
            Diagnostic::error(
                "bad-front-matter",
                file,
                format!("status `{}` is neither draft nor final", status.value),
            )
            .at(status.line, status.column)
            .with_hint("write `status: draft` or `status: final`"),
        );
    }
    if let Some(date) = &front.date
        && parse_date(&date.value).is_none()
    {
        out.push(
            Diagnostic::error("bad-front-matter", file, format!("date `{}` is not a date", date.value))
                .at(date.line, date.column)
                .with_hint("write the date as YYYY-MM-DD, e.g. 2025-05-02"),
        );
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2200).contains(&year) && (1..=days_in_month).contains(&day)).then_some((year, month, day))
}

fn check_answers(package: &Package, contribution: &Contribution, out: &mut Vec<Diagnostic>) {
    let file = contribution.file();
    let document = &contribution.document;
    let mut first_seen: BTreeMap<&str, usize> = BTreeMap::new();
    for answer in &document.answers {
        let line = answer.pos.line;
        if let Some(first) = first_seen.get(answer.question_id.as_str()) {
            out.push(
                Diagnostic::error(
                    "duplicate-answer",
                    file,
                    format!("{} is answered twice (first on line {first})", answer.question_id),
                )
                .at(line, answer.pos.column)
                .with_hint("merge the two answers under one heading"),
            );
            continue;
        }
        first_seen.insert(&answer.question_id, line);
        let Some(question) = package.template.question(&answer.question_id) else {
            out.push(
                Diagnostic::error("unknown-question", file, format!("{} is not a question of template {}", answer.question_id, package.template.id))
                    .at(line, answer.pos.column)
                    .with_hint("check the id against `emn-pub new-contribution`'s headings; headings starting with an id open answers"),
            );
            continue;
        };
        let text = markdown::blocks_text(&answer.blocks);
        if answer.is_empty() {
            out.push(
                Diagnostic::error("empty-answer", file, format!("the answer to {} is empty", answer.question_id))
                    .at(line, answer.pos.column)
                    .with_hint("write the answer below the heading, or remove the heading if the question is optional"),
            );
            continue;
        }
        let opening = opening_text(&answer.blocks);
        match question.answer {
            AnswerKind::YesNo => {
                if yes_no(&opening).is_none() {
                    out.push(
                        Diagnostic::error(
                            "bad-yes-no",
                            file,
                            format!("the answer to {} must start with Yes or No", answer.question_id),
                        )
                        .at(answer.body_line.unwrap_or(line + 1), 1)
                        .with_hint("begin the answer with \"Yes\" or \"No\" (bold or not), then explain"),
                    );
                }
            }
            AnswerKind::Choice => {
                if choice(&opening, &question.options).is_none() {
                    out.push(
                        Diagnostic::error(
                            "bad-choice",
                            file,
                            format!("the answer to {} does not start with one of its options", answer.question_id),
                        )
                        .at(answer.body_line.unwrap_or(line + 1), 1)
                        .with_hint(format!("begin with one of: {}", question.options.join("; "))),
                    );
                }
            }
            AnswerKind::Text => {}
        }
        if let Some(limit) = question.max_words {
            let words = count_words(&text);
            if words > limit {
                out.push(
                    Diagnostic::warning(
                        "too-many-words",
                        file,
                        format!("the answer to {} has {words} words (limit {limit})", answer.question_id),
                    )
                    .at(line, answer.pos.column)
                    .with_hint("shorten the answer; the template sets the limit"),
                );
            }
        }
    }
    for question in package.template.questions().filter(|q| q.required) {
        if document.answer(question.id.get_ref()).is_none() {
            out.push(
                Diagnostic::error(
                    "missing-answer",
                    file,
                    format!("required question {} is not answered", question.id.get_ref()),
                )
                .at_line(1)
                .with_hint(format!(
                    "add a heading `## {} {}` and the answer below it",
                    question.id.get_ref(),
                    question.text
                )),
            );
        }
    }
}

/// The text of an answer's first paragraph (or list item), where Yes/No or the option must be.
pub fn opening_text(blocks: &[Block]) -> String {
    let mut opening = None;
    markdown::for_each_inlines(blocks, &mut |inlines: &[Inline]| {
        if opening.is_none() {
            let text = markdown::inline_text(inlines);
            if !text.trim().is_empty() {
                opening = Some(text);
            }
        }
    });
    opening.unwrap_or_default()
}

/// `Some(true)` for Yes, `Some(false)` for No.
pub fn yes_no(opening: &str) -> Option<bool> {
    match opening.unicode_words().next()?.to_lowercase().as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// The option an answer starts with, longest first.
pub fn choice<'a>(opening: &str, options: &'a [String]) -> Option<&'a str> {
    let opening: String = opening.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let mut sorted: Vec<&String> = options.iter().collect();
    sorted.sort_by_key(|o| std::cmp::Reverse(o.len()));
    sorted
        .into_iter()
        .find(|option| {
            let option = option.to_lowercase();
            opening.starts_with(&option) && !opening[option.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .map(String::as_str)
}

fn check_duplicate_contributions(package: &Package, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for contribution in &package.contributions {
        if let Some(first) = seen.insert(contribution.country(), contribution.file()) {
            out.push(
                Diagnostic::error(
                    "duplicate-contribution",
                    contribution.file(),
                    format!("{} already has a contribution ({first})", contribution.country()),
                )
                .at_line(contribution.document.front.country.as_ref().map(|c| c.line).unwrap_or(1))
                .with_hint("keep one contribution per country"),
            );
        }
    }
}

fn check_references(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    let file = document.file.as_str();
    let mut check_inline = |inline: &Inline| {
        let (url, is_image, pos) = match inline {
            Inline::Image { url, alt, pos } => {
                if alt.trim().is_empty() {
                    out.push(
                        Diagnostic::error("missing-alt-text", file, format!("image {url} has no alt text"))
                            .at(pos.line, pos.column)
                            .with_hint(
                                "describe the image between the brackets: ![Asylum applications 2019-2023](...)",
                            ),
                    );
                }
                (url, true, pos)
            }
            Inline::Link { url, pos, .. } => (url, false, pos),
            _ => return,
        };
        if !paths::is_local(url) {
            if is_image {
                out.push(
                    Diagnostic::error("remote-image", file, format!("image {url} is not a file of the package"))
                        .at(pos.line, pos.column)
                        .with_hint("download the image into assets/ and refer to it with a relative path"),
                );
            }
            return;
        }
        let Some(relative) = paths::resolve(file, url) else {
            let code = if is_image { "image-outside-package" } else { "broken-link" };
            out.push(
                Diagnostic::error(code, file, format!("{url} points outside the package folder"))
                    .at(pos.line, pos.column)
                    .with_hint("keep referenced files inside the package, e.g. in assets/"),
            );
            return;
        };
        let facts = package.referenced.get(&relative).cloned().unwrap_or(FileFacts::Missing);
        let problem = match (facts, is_image) {
            (FileFacts::Outside, true) => {
                Some(("image-outside-package", format!("{url} leads outside the package folder (through a link)")))
            }
            (FileFacts::Outside, false) => Some(("broken-link", format!("{url} leads outside the package folder"))),
            (FileFacts::Missing | FileFacts::Directory, true) => {
                Some(("missing-image", format!("image {relative} does not exist")))
            }
            (FileFacts::Missing, false) => Some(("broken-link", format!("link target {relative} does not exist"))),
            (FileFacts::File { image: None, .. }, true) => {
                Some(("bad-image", format!("{relative} is not a PNG, JPEG, GIF or SVG image")))
            }
            (FileFacts::File { bytes, .. }, true) if bytes > paths::MAX_IMAGE_BYTES => Some((
                "bad-image",
                format!("{relative} is {bytes} bytes (the limit is {} bytes)", paths::MAX_IMAGE_BYTES),
            )),
            _ => None,
        };
        if let Some((code, message)) = problem {
            out.push(
                Diagnostic::error(code, file, message)
                    .at(pos.line, pos.column)
                    .with_hint("check the path: it is relative to this Markdown file"),
            );
        }
    };
    let mut visit = |inlines: &[Inline]| markdown::walk_inlines(inlines, &mut check_inline);
    markdown::for_each_inlines(&document.body, &mut visit);
    for blocks in document.footnotes.values() {
        markdown::for_each_inlines(blocks, &mut visit);
    }
}

fn check_raw_html(document: &Document, out: &mut Vec<Diagnostic>) {
    let mut warn = |pos: markdown::Pos| {
        out.push(
            Diagnostic::warning("raw-html", &document.file, "raw HTML is shown as text, not interpreted")
                .at(pos.line, pos.column)
                .with_hint("use Markdown instead of HTML"),
        )
    };
    fn blocks_html(blocks: &[Block], warn: &mut dyn FnMut(markdown::Pos)) {
        for block in blocks {
            match block {
                Block::Html { pos, .. } => warn(*pos),
                Block::List { items, .. } => items.iter().for_each(|i| blocks_html(&i.blocks, warn)),
                Block::Quote(inner) => blocks_html(inner, warn),
                _ => {}
            }
        }
    }
    blocks_html(&document.body, &mut warn);
    markdown::for_each_inlines(&document.body, &mut |inlines| {
        markdown::walk_inlines(inlines, &mut |inline| {
            if let Inline::Html { pos, .. } = inline {
                warn(*pos)
            }
        })
    });
}

/// Whether negative values make sense for a unit (net flows, changes, rates).
fn allows_negative(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    ["net", "change", "balance", "%", "percent", "rate", "index"].iter().any(|word| unit.contains(word))
}

/// Indicator, country, year and breakdowns: what makes a row unique.
type RowKey<'a> = (&'a str, &'a str, i32, Vec<(&'a str, &'a str)>);

fn check_statistics(package: &Package, out: &mut Vec<Diagnostic>) {
    let period = package.period();
    let mut first_rows: BTreeMap<RowKey, usize> = BTreeMap::new();
    for observation in package.observations.iter().filter(|o| o.shape == Shape::Tidy) {
        let file = observation.file.as_str();
        let line = observation.line;
        let table = package.template.table_for(&observation.indicator).next();
        if table.is_none() {
            out.push(
                Diagnostic::warning(
                    "unknown-indicator",
                    file,
                    format!("indicator `{}` is not a table of template {}", observation.indicator, package.template.id),
                )
                .at_line(line)
                .with_hint(format!(
                    "the template's indicators are: {}",
                    package.template.tables.iter().map(|t| t.indicator.as_str()).collect::<Vec<_>>().join(", ")
                )),
            );
        }
        if observation.country != countries::EU_TOTAL && countries::find(&observation.country).is_none() {
            out.push(bad_country(file, &observation.country).at_line(line));
        }
        if let Some(period) = period
            && !period.contains(observation.year)
        {
            out.push(
                Diagnostic::error(
                    "year-out-of-period",
                    file,
                    format!("{} is outside the reference period {}-{}", observation.year, period.first, period.last),
                )
                .at_line(line)
                .with_hint("remove the row or widen `reference-period` in emn.toml"),
            );
        }
        if let Some(value) = observation.value
            && value < 0.0
            && !allows_negative(table.map(|t| t.unit.as_str()).unwrap_or(""))
        {
            out.push(
                Diagnostic::error(
                    "negative-count",
                    file,
                    format!(
                        "{value} is negative, but `{}` counts {}",
                        observation.indicator,
                        table.map(|t| t.unit.as_str()).filter(|u| !u.is_empty()).unwrap_or("items")
                    ),
                )
                .at_line(line)
                .with_hint("counts cannot be negative; check the sign"),
            );
        }
        if let Some(bad) = observation.flag.chars().find(|c| !KNOWN_FLAGS.contains(*c) && !c.is_whitespace()) {
            out.push(
                Diagnostic::error(
                    "unknown-flag",
                    file,
                    format!("flag `{}` is not a Eurostat flag (`{bad}` is unknown)", observation.flag),
                )
                .at_line(line)
                .with_hint("flags are Eurostat's: b d e f i m n p u, C N P, and c s z r in older data"),
            );
        }
        let key = (
            observation.indicator.as_str(),
            observation.country.as_str(),
            observation.year,
            observation.breakdowns.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        );
        if let Some(first) = first_rows.get(&key) {
            out.push(
                Diagnostic::error(
                    "duplicate-row",
                    file,
                    format!(
                        "{} {} {} is given twice (first on line {first})",
                        observation.indicator, observation.country, observation.year
                    ),
                )
                .at_line(line)
                .with_hint("keep one row per indicator, country, year and breakdown"),
            );
        } else {
            first_rows.insert(key, line);
        }
    }
}

/// Whether a row belongs to a table: same indicator, inside the filter's
/// slice, a package country or the EU total, inside the reference period.
pub fn selects(package: &Package, table: &crate::load::TableSpec, observation: &Observation) -> bool {
    observation.indicator.eq_ignore_ascii_case(&table.indicator)
        && table.filter.iter().all(|(dimension, wanted)| {
            observation.breakdowns.get(&dimension.to_lowercase()).is_none_or(|value| value.eq_ignore_ascii_case(wanted))
        })
        && (observation.country == countries::EU_TOTAL || countries::find(&observation.country).is_some())
        && package.period().is_none_or(|p| p.contains(observation.year))
}

fn check_tables_have_data(package: &Package, out: &mut Vec<Diagnostic>) {
    for table in package.template.tables.iter().filter(|t| t.required) {
        let has_data = package.observations.iter().any(|o| o.value.is_some() && selects(package, table, o));
        if !has_data {
            let (file, line) = match package.template_source.strip_prefix("built-in:") {
                Some(_) => {
                    let line = line_column(manifest_text(package), package.manifest.template.span().start).0;
                    (manifest::FILE.to_string(), line)
                }
                None => {
                    let text = package.sources.get(&package.template_source).map(|s| s.text.as_str()).unwrap_or("");
                    let line =
                        text.find(&format!("\"{}\"", table.indicator)).map(|b| line_column(text, b).0).unwrap_or(1);
                    (package.template_source.clone(), line)
                }
            };
            out.push(
                Diagnostic::error(
                    "missing-table-data",
                    file,
                    format!("required table {} ({}) has no data", table.id, table.indicator),
                )
                .at_line(line)
                .with_hint(format!(
                    "add rows for `{}` to a file in statistics/, or a Eurostat file of that dataset",
                    table.indicator
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_count_czech_and_greek() {
        assert_eq!(count_words("Žádosti o mezinárodní ochranu vzrostly."), 5);
        assert_eq!(count_words("Η Ελλάδα υποδέχθηκε"), 3);
    }

    #[test]
    fn yes_no_and_choice() {
        assert_eq!(yes_no("Yes, since 2020."), Some(true));
        assert_eq!(yes_no("no"), Some(false));
        assert_eq!(yes_no("Partly."), None);
        assert_eq!(yes_no("Yesterday"), None);
        let options = vec!["Other".to_string(), "Ministry of the Interior".to_string()];
        assert_eq!(choice("Ministry of the Interior, with ...", &options), Some("Ministry of the Interior"));
        assert_eq!(choice("Others", &options), None);
    }

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2 May").is_none());
    }
}
