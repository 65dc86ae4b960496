//! Rules over each contribution: its front matter, its answers to the
//! template's questions (yes-no, choices, required ones) and placeholders
//! left from the skeleton.

use super::*;

pub(super) fn check_front_matter(contribution: &Contribution, out: &mut Vec<Diagnostic>) {
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
        && !status.value.is_empty()
        && front.parsed_status.is_none()
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
        && !date.value.is_empty()
        && front.parsed_date.is_none()
    {
        out.push(
            Diagnostic::error("bad-front-matter", file, format!("date `{}` is not a date", date.value))
                .at(date.line, date.column)
                .with_hint("write the date as YYYY-MM-DD, e.g. 2025-05-02"),
        );
    }
}

pub(super) fn check_answers(package: &Package, contribution: &Contribution, out: &mut Vec<Diagnostic>) {
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
        if package.manifest.kind == PackageKind::Bulletin && !question.required && answer.is_empty() {
            // A bulletin's themes are all optional and most countries use
            // a few: an empty one is not worth a line.
            continue;
        }
        check_answer(question, answer, file, &contribution.document, out);
    }
    if package.manifest.kind == PackageKind::Bulletin {
        empty_themes(package, document, out);
        for (title, _, pos) in document.unplaced() {
            let place = if title.is_empty() {
                "before the first heading".to_string()
            } else {
                format!("under “{title}”, which names no theme")
            };
            out.push(
                Diagnostic::warning("unplaced-text", file, format!("text {place} is printed under “Other national developments”"))
                    .at(pos.line, pos.column)
                    .with_hint("move it under the heading of its theme's question (B1 … B8), or name the theme in the heading, e.g. `# 1 Temporary protection`"),
            );
        }
    }
    check_required_answered(package, contribution, out);
}

/// An English contribution whose heading words are no longer the
/// template's question (the template was changed after the skeleton was
/// written): the PDFs print the template's words, so the NCP may be
/// answering another question. Headings in another language are the NCP's
/// translation and are not compared.
fn stale_heading(
    question: &crate::load::Question,
    answer: &crate::load::Answer,
    file: &str,
    language: &str,
    out: &mut Vec<Diagnostic>,
) {
    if !language.starts_with("en") {
        return;
    }
    let normalise = |text: &str| {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .trim_end_matches(['?', '.', ':'])
            .to_string()
    };
    let own = normalise(answer.heading.split_once(char::is_whitespace).map_or("", |(_, rest)| rest));
    let asked = normalise(&question.text);
    if own.is_empty() || asked.starts_with(&own) || own.starts_with(&asked) {
        return;
    }
    out.push(
        Diagnostic::warning(
            "stale-heading",
            file,
            format!(
                "the heading of {} has other words than the template's question “{}”, which the PDFs print",
                answer.question_id,
                question.text.as_str()
            ),
        )
        .at(answer.pos.line, answer.pos.column)
        .with_hint("if the template changed since the contribution was written, check that the answer still answers the question, then copy its words into the heading"),
    );
}

/// A bulletin theme a contribution left with only its heading (its own
/// heading or its questions' headings, all without text): a warning, since
/// the theme is then left out of the bulletin for that country.
fn empty_themes(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    for (index, section) in package.template.sections.iter().enumerate() {
        let own = document.sections.iter().filter(|s| s.kind == document::SectionKind::TemplateSection(index));
        let answers = section.questions.iter().filter_map(|q| document.answer(q.id.get_ref()));
        let mut headings =
            own.map(|s| (s.pos, document::has_no_content(&s.blocks))).chain(answers.map(|a| (a.pos, a.is_empty())));
        let Some((first, first_empty)) = headings.next() else { continue };
        if first_empty && headings.all(|(_, empty)| empty) {
            out.push(
                Diagnostic::warning(
                    "empty-theme",
                    &document.file,
                    format!(
                        "the theme “{}” has only its heading, so it is left out for this country",
                        section.title.as_str()
                    ),
                )
                .at(first.line, first.column)
                .with_hint("write the quarter's items below it, or delete the heading"),
            );
        }
    }
}

/// One answer against its question: not empty, well formed if closed,
/// within the word limit.
fn check_answer(
    question: &crate::load::Question,
    answer: &crate::load::Answer,
    file: &str,
    document: &crate::load::Document,
    out: &mut Vec<Diagnostic>,
) {
    let language = document.language();
    let line = answer.pos.line;
    stale_heading(question, answer, file, language, out);
    let text = markdown::blocks_text(&answer.blocks);
    if answer.is_empty() {
        // An optional question left with only its heading is not
        // answered (the synthesis says "Not answered"): a warning, not a gap.
        let diagnostic = if question.required {
            Diagnostic::error("empty-answer", file, format!("the answer to {} is empty", answer.question_id))
                .with_hint("write the answer below the heading")
        } else {
            Diagnostic::warning(
                "empty-answer",
                file,
                format!(
                    "the answer to {} is empty, so the publications print it as not answered (the question is optional)",
                    answer.question_id
                ),
            )
            .with_hint("write the answer below the heading, or delete the heading")
        };
        out.push(diagnostic.at(line, answer.pos.column));
        return;
    }
    if answer.closed == Some(Closed::Unrecognised) {
        let (code, message, hint) = match question.answer {
            AnswerKind::Choice => (
                "bad-choice",
                format!("the answer to {} does not start with one of its options", answer.question_id),
                format!("begin with one of: {}", crate::load::answers::options_in(question, language).join("; ")),
            ),
            _ => {
                let (yes, no) = crate::load::answers::yes_no_words(language);
                let own = if yes.first() == Some(&"yes") {
                    String::new()
                } else {
                    format!(
                        ", or in the contribution's language ({language}) \"{}\" or \"{}\"",
                        capitalised(yes[0]),
                        capitalised(no[0])
                    )
                };
                (
                    "bad-yes-no",
                    format!("the answer to {} must start with Yes or No{own}", answer.question_id),
                    format!(
                        "begin the answer with \"Yes\" or \"No\"{own} (bold or not), then explain; the words are read in the `language` of the front matter"
                    ),
                )
            }
        };
        // Underline the opening word the rule rejects, not the whole line.
        let diagnostic = match opening_word(document, answer) {
            Some((pos, chars)) => Diagnostic::error(code, file, message).at(pos.line, pos.column).spanning(chars),
            None => Diagnostic::error(code, file, message).at(answer.body_line.unwrap_or(line + 1), 1),
        };
        out.push(diagnostic.with_hint(hint));
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

fn check_required_answered(package: &Package, contribution: &Contribution, out: &mut Vec<Diagnostic>) {
    let (file, document) = (contribution.file(), &contribution.document);
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

/// Scaffold text that must not be published: the title `init` writes.
const PLACEHOLDER_TITLES: &[&str] = &["Title of the study", "Title of the ad-hoc query"];

/// What `init` and `new-contribution` leave for editors to fill: sections
/// with only a comment below their heading, the scaffold's titles. Errors
/// in final contributions and in the Czech summary (they would publish
/// empty), warnings in drafts.
pub(super) fn check_placeholders(package: &Package, out: &mut Vec<Diagnostic>) {
    let placeholder = |is_final: bool, file: &str, message: String| {
        let diagnostic = if is_final {
            Diagnostic::error("placeholder", file, message)
        } else {
            Diagnostic::warning("placeholder", file, message)
        };
        diagnostic.with_hint("write the text, or delete the heading if the part is not needed")
    };
    for contribution in &package.contributions {
        let is_final = contribution.status() == Some(crate::load::Status::Final);
        let placeholders = contribution.document.sections.iter().filter(|s| {
            matches!(s.kind, document::SectionKind::KeyFindings | document::SectionKind::ExecutiveSummary)
                && document::has_no_content(&s.blocks)
        });
        for section in placeholders {
            out.push(
                placeholder(
                    is_final,
                    contribution.file(),
                    format!("`{}` has nothing below its heading but a comment", section.title),
                )
                .at(section.pos.line, section.pos.column),
            );
        }
        check_key_findings_given(package, contribution, out);
    }
    if let Some(summary) = &package.summary_cs {
        // Headings alone (the scaffold's `# Shrnutí`) are no summary yet.
        let text_blocks: Vec<_> = summary
            .body
            .iter()
            .filter(|b| !matches!(b, crate::load::markdown::Block::Heading { .. }))
            .cloned()
            .collect();
        if document::has_no_content(&text_blocks) {
            out.push(placeholder(true, &summary.file, "the Czech summary has no text yet".to_string()).at_line(1));
        }
        if let Some(title) = &summary.front.title
            && PLACEHOLDER_TITLES.iter().any(|p| title.value.contains(p))
        {
            out.push(
                Diagnostic::error(
                    "placeholder",
                    &summary.file,
                    format!("the title `{}` is the scaffold's", title.value),
                )
                .at(title.line, title.column)
                .with_hint("write the summary's own Czech title after `title:` in its front matter"),
            );
        }
    }
    if PLACEHOLDER_TITLES.contains(&package.manifest.title.trim()) {
        let line = line_column(manifest_text(package), package.manifest.title.span().start).0;
        out.push(
            Diagnostic::warning(
                "placeholder",
                manifest::FILE,
                format!("the title `{}` is the scaffold's", package.manifest.title),
            )
            .at_line(line)
            .with_hint("give the package its real title in emn.toml"),
        );
    }
}

/// The first word an answer prints, where Yes/No or the option must be:
/// its place and its length in characters.
fn opening_word(document: &crate::load::Document, answer: &crate::load::Answer) -> Option<(markdown::Pos, usize)> {
    use unicode_segmentation::UnicodeSegmentation;
    let body_line = answer.body_line?;
    let run = document.runs.iter().find(|run| {
        run.pos.line >= body_line && run.kind != markdown::RunKind::Code && run.text.unicode_words().next().is_some()
    })?;
    let (offset, word) = run.text.unicode_word_indices().next()?;
    let before = &run.text[..offset];
    // A run spans lines only after a soft break; the first word is on its first line.
    if before.contains('\n') {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let lines = before.matches('\n').count();
        let column = before[line_start..].chars().count() + 1;
        return Some((markdown::Pos { line: run.pos.line + lines, column }, word.chars().count()));
    }
    Some((markdown::Pos { line: run.pos.line, column: run.pos.column + before.chars().count() }, word.chars().count()))
}

/// `ano` → `Ano`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// No key findings at all (not even a heading): the synthesis and the
/// Inform would say only that none came.
fn check_key_findings_given(package: &Package, contribution: &Contribution, out: &mut Vec<Diagnostic>) {
    let document = &contribution.document;
    let heading = document
        .sections
        .iter()
        .any(|s| matches!(s.kind, document::SectionKind::KeyFindings | document::SectionKind::ExecutiveSummary));
    if !package.manifest.kind.has_key_findings() || heading || document.key_findings().is_some() {
        return;
    }
    // Where the section belongs: before the first question.
    let line = document.answers.first().map_or(1, |a| a.pos.line);
    out.push(
        Diagnostic::warning(
            "missing-key-findings",
            contribution.file(),
            format!(
                "{} has no `# Key findings`: the synthesis and the Inform will say none came",
                contribution.country()
            ),
        )
        .at_line(line)
        .with_hint("add a `# Key findings` section of three to five short paragraphs before the first question"),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, contribution, package};
    use super::*;

    fn check_at(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let package = package(files);
        let austria = package.contributions.iter().find(|c| c.file() == "contributions/AT.md").unwrap();
        let mut out = Vec::new();
        check_front_matter(austria, &mut out);
        check_answers(&package, austria, &mut out);
        out
    }

    #[test]
    fn the_sample_answers_every_question_well() {
        assert!(check_at(&[]).is_empty(), "{:?}", check_at(&[]));
    }

    #[test]
    fn a_yes_no_answer_must_open_with_yes_or_no() {
        let edited = contribution("AT", "**Yes.** The framework", "Partly. The framework");
        assert_eq!(codes(&check_at(&[(&edited.0, &edited.1)])), [("bad-yes-no", Some(19))]);
    }

    #[test]
    fn a_question_the_template_lacks_is_unknown() {
        let edited = contribution("AT", "## Q1.2 Please", "## Q9.9 Anything else?\n\nText.\n\n## Q1.2 Please");
        assert_eq!(codes(&check_at(&[(&edited.0, &edited.1)])), [("unknown-question", Some(21))]);
    }

    #[test]
    fn a_file_named_for_one_country_about_another_is_a_mismatch() {
        let edited = contribution("AT", "country: AT", "country: DE");
        let found = check_at(&[(&edited.0, &edited.1)]);
        assert!(found.iter().any(|d| d.code == "country-mismatch"), "{found:?}");
    }
}
