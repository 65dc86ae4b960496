//! Stage 2, check: pure rules from a loaded [`Package`] to diagnostics.
//!
//! No I/O happens here: everything the rules need (file facts for images and
//! links included) was gathered by `load`. Each rule has its own stable code,
//! listed in the README; all rules run, so one `validate` shows every problem.

use std::collections::BTreeMap;

use crate::countries;
use crate::diagnostic::{Diagnostic, LineIndex, line_column};
use crate::limits::{
    MAX_AIM_CHARS, MAX_FLASH_QUESTIONS, MAX_FOOTNOTES, MAX_HEADING_CHARS, MAX_INFORM_WORDS, MAX_QUESTION_CHARS,
    MAX_TABLE_CELLS, MAX_TABLE_ROWS, MAX_TITLE_CHARS, MAX_WORD_CHARS,
};
use crate::load::answers::{Closed, count_words};
use crate::load::markdown::{self, Block, Inline, Target};
use crate::load::paths::{self, FileFacts};
use crate::load::statistics::{Frequency, Observation, Shape};
use crate::load::{AnswerKind, Contribution, Document, Package, PackageKind, document, manifest};

/// Flags of Eurostat's code list: observation status, confidentiality, and
/// the codes used before 2025.
pub const KNOWN_FLAGS: &str = "bdefimnpuCNPcszr";

/// Runs every rule.
pub fn check(package: &Package, today: crate::dates::Date) -> Vec<Diagnostic> {
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
    check_query_deadline(package, today, &mut out);
    for contribution in &package.contributions {
        check_front_matter(contribution, &mut out);
        check_answers(package, contribution, &mut out);
    }
    check_duplicate_contributions(package, &mut out);
    check_placeholders(package, &mut out);
    for document in package.documents() {
        check_references(package, document, &mut out);
        check_unread_images(document, &mut out);
        check_raw_html(document, &mut out);
    }
    check_characters(package, &mut out);
    check_terminology(package, &mut out);
    check_sizes(package, &mut out);
    check_statistics(package, &mut out);
    check_periods(package, &mut out);
    check_tables_have_data(package, &mut out);
    // A summary that exists but could not be read has its own diagnostic.
    if package.manifest.kind.needs_czech_summary()
        && package.summary_cs.is_none()
        && !package.sources.contains_key("summary-cs.md")
    {
        out.push(
            Diagnostic::error("missing-summary", "summary-cs.md", "the package has no Czech summary (summary-cs.md)")
                .with_hint("write the Czech summary in summary-cs.md at the top of the package folder"),
        );
    }
    out
}

fn manifest_text(package: &Package) -> &str {
    package.sources.get(manifest::FILE).map(|s| &*s.text).unwrap_or("")
}

fn check_expected_countries(package: &Package, out: &mut Vec<Diagnostic>) {
    let text = manifest_text(package);
    for expected in &package.manifest.countries {
        let code = expected.get_ref();
        let (line, column) = line_column(text, expected.span().start);
        if countries::find(code).is_none() {
            out.push(bad_country(manifest::FILE, code).at(line, column));
        } else if package.contribution(code).is_none() && package.manifest.kind == PackageKind::AdHocQuery {
            // Countries answer a query when they can: the compilation lists
            // them as awaited (before the deadline) or not answered.
            out.push(
                Diagnostic::warning(
                    "missing-contribution",
                    manifest::FILE,
                    format!("no answer from {code} yet (contributions/{code}.md)"),
                )
                .at(line, column)
                .with_hint("the compilation lists it as awaited until the deadline, then as not answered"),
            );
        } else if package.contribution(code).is_none()
            && !package.unreadable.contains(&format!("contributions/{code}.md"))
        {
            out.push(
                Diagnostic::error("missing-contribution", manifest::FILE, format!("no contribution from {code} (expected: contributions/{code}.md)"))
                    .at(line, column)
                    .with_hint(format!("run `emn-pub new-contribution . --country {code}`, or remove {code} from `countries`, or build with --allow-incomplete")),
            );
        }
    }
}

/// An ad-hoc query past its 30-day deadline: who has not answered, and
/// who answered late (the compilation shows both).
fn check_query_deadline(package: &Package, today: crate::dates::Date, out: &mut Vec<Diagnostic>) {
    let Some((_, due)) = crate::publications::compilation::deadline(package) else { return };
    if package.manifest.kind != PackageKind::AdHocQuery {
        return;
    }
    let missing: Vec<&str> = package
        .manifest
        .countries
        .iter()
        .map(|c| c.get_ref().as_str())
        .filter(|code| package.contribution(code).is_none() && countries::find(code).is_some())
        .collect();
    if today > due && !missing.is_empty() {
        let line =
            manifest_text(package).lines().position(|l| l.trim_start().starts_with("launched")).map_or(1, |i| i + 1);
        out.push(
            Diagnostic::warning(
                "deadline-passed",
                manifest::FILE,
                format!(
                    "the query's deadline ({}) has passed and {} {} not answered: {}",
                    due.english(),
                    missing.len(),
                    if missing.len() == 1 { "country has" } else { "countries have" },
                    missing.join(", ")
                ),
            )
            .at_line(line)
            .with_hint("remind these NCPs, or remove them from `countries` before compiling"),
        );
    }
    for contribution in &package.contributions {
        if let Some(answered) = contribution.date().filter(|answered| *answered > due) {
            out.push(
                Diagnostic::warning(
                    "late-answer",
                    contribution.file(),
                    format!(
                        "{} answered on {}, {} days after the deadline ({})",
                        contribution.country(),
                        answered.english(),
                        due.days_until(answered),
                        due.english()
                    ),
                )
                .at_line(contribution.document.front.date.as_ref().map_or(1, |d| d.line))
                .with_hint("the compilation marks the answer as late; nothing to fix if it is"),
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
        if package.manifest.kind == PackageKind::Bulletin && !question.required && answer.is_empty() {
            // A bulletin's themes are all optional and most countries use
            // a few: an empty one is not worth a line.
            continue;
        }
        check_answer(question, answer, file, contribution.document.language(), out);
    }
    if package.manifest.kind == PackageKind::Bulletin {
        for (title, _, pos) in crate::publications::bulletin::unplaced(package, document) {
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

/// One answer against its question: not empty, well formed if closed,
/// within the word limit.
fn check_answer(
    question: &crate::load::Question,
    answer: &crate::load::Answer,
    file: &str,
    language: &str,
    out: &mut Vec<Diagnostic>,
) {
    let line = answer.pos.line;
    let text = markdown::blocks_text(&answer.blocks);
    if answer.is_empty() {
        // An optional question left with only its heading is not
        // answered (nothing is printed for it): a warning, not a gap.
        let diagnostic = if question.required {
            Diagnostic::error("empty-answer", file, format!("the answer to {} is empty", answer.question_id))
                .with_hint("write the answer below the heading")
        } else {
            Diagnostic::warning(
                "empty-answer",
                file,
                format!("the answer to {} is empty, so it is left out (the question is optional)", answer.question_id),
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
                format!("begin with one of: {}", question.options.join("; ")),
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
        // Underline the opening word, not the whole (possibly very long) line.
        out.push(
            Diagnostic::error(code, file, message)
                .at(answer.body_line.unwrap_or(line + 1), 1)
                .spanning(DEFAULT_OPENING_CHARS)
                .with_hint(hint),
        );
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
fn check_placeholders(package: &Package, out: &mut Vec<Diagnostic>) {
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
        let placeholders = contribution
            .document
            .sections
            .iter()
            .filter(|s| s.kind != document::SectionKind::Other && document::has_no_content(&s.blocks));
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
    }
    if let Some(summary) = &package.summary_cs {
        if document::has_no_content(&summary.body) {
            out.push(placeholder(true, &summary.file, "the Czech summary has no text yet".to_string()).at_line(1));
        }
        if let Some(title) = &summary.front.title
            && PLACEHOLDER_TITLES.iter().any(|p| title.value.contains(p))
        {
            out.push(
                placeholder(true, &summary.file, format!("the title `{}` is the scaffold's", title.value))
                    .at(title.line, title.column),
            );
        }
    }
    if PLACEHOLDER_TITLES.contains(&package.manifest.title.trim()) {
        let line =
            manifest_text(package).lines().position(|l| l.trim_start().starts_with("title")).map_or(1, |i| i + 1);
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
    crate::load::for_each_reference(document, &mut |inline| {
        let (url, target, is_image, pos) = match inline {
            Inline::Image { url, target, alt, pos } => {
                if crate::fonts::visible(alt).trim().is_empty() {
                    out.push(
                        Diagnostic::error("missing-alt-text", file, format!("image {url} has no alt text"))
                            .at(pos.line, pos.column)
                            .with_hint(
                                "describe the image between the brackets: ![Asylum applications 2019-2023](...)",
                            ),
                    );
                }
                (url, target, true, pos)
            }
            Inline::Link { url, target, pos, .. } => (url, target, false, pos),
            _ => return,
        };
        let relative = match target {
            Target::Remote => {
                if is_image {
                    out.push(
                        Diagnostic::error("remote-image", file, format!("image {url} is not a file of the package"))
                            .at(pos.line, pos.column)
                            .with_hint("download the image into assets/ and refer to it with a relative path"),
                    );
                }
                return;
            }
            Target::Outside => {
                let code = if is_image { "image-outside-package" } else { "broken-link" };
                out.push(
                    Diagnostic::error(code, file, format!("{url} points outside the package folder"))
                        .at(pos.line, pos.column)
                        .with_hint("keep referenced files inside the package, e.g. in assets/"),
                );
                return;
            }
            Target::Local(relative) => relative,
        };
        let facts = package.referenced.get(relative).cloned().unwrap_or(FileFacts::Missing);
        let problem = reference_problem(url, relative, facts.clone(), is_image);
        if let Some((code, message)) = problem {
            let hint = match (&facts, Target::of(crate::load::ROOT_FILE, url)) {
                (FileFacts::Missing, Target::Local(from_root))
                    if matches!(package.referenced.get(&from_root), Some(FileFacts::File { .. })) =>
                {
                    let up = "../".repeat(file.matches('/').count());
                    format!(
                        "paths are relative to this Markdown file, not to the package folder: write `{up}{from_root}`"
                    )
                }
                _ => "check the path: it is relative to this Markdown file".to_string(),
            };
            out.push(Diagnostic::error(code, file, message).at(pos.line, pos.column).with_hint(hint));
        }
    });
}

/// What is wrong with a local link or image target, given what the disk
/// says about it: `(code, message)`.
fn reference_problem(url: &str, relative: &str, facts: FileFacts, is_image: bool) -> Option<(&'static str, String)> {
    match (facts, is_image) {
        (FileFacts::Outside, true) => {
            Some(("image-outside-package", format!("{url} leads outside the package folder (through a link)")))
        }
        (FileFacts::Outside, false) => Some(("broken-link", format!("{url} leads outside the package folder"))),
        (FileFacts::Unreadable(why), _) => Some(("unreadable-file", format!("cannot read {relative} ({why})"))),
        (FileFacts::NotRegular, _) => Some((
            if is_image { "bad-image" } else { "broken-link" },
            format!("{relative} is not a regular file (a FIFO, socket or device)"),
        )),
        (FileFacts::Missing | FileFacts::Directory, true) => {
            Some(("missing-image", format!("image {relative} does not exist")))
        }
        (FileFacts::Missing, false) => Some(("broken-link", format!("link target {relative} does not exist"))),
        (FileFacts::File { image: None, .. }, true) => {
            Some(("bad-image", format!("{relative} is not a PNG, JPEG, GIF, WebP or SVG image")))
        }
        (FileFacts::File { image: Some(paths::ImageFacts { refused: Some(why), .. }), .. }, true) => {
            Some(("bad-image", format!("typst cannot use the image {relative}: {why}")))
        }
        (FileFacts::File { image: Some(paths::ImageFacts { pixels: Some(pixels), .. }), .. }, true)
            if pixels > crate::limits::MAX_IMAGE_PIXELS =>
        {
            let size = if pixels == u64::MAX { "an unreadable size".to_string() } else { format!("{pixels} pixels") };
            Some((
                "bad-image",
                format!(
                    "{relative} has {size} (the limit is {} pixels, about 8000 × 5000)",
                    crate::limits::MAX_IMAGE_PIXELS
                ),
            ))
        }
        (FileFacts::File { bytes, .. }, true) if bytes > crate::limits::MAX_IMAGE_BYTES => Some((
            "bad-image",
            format!("{relative} is {bytes} bytes (the limit is {} bytes)", crate::limits::MAX_IMAGE_BYTES),
        )),
        _ => None,
    }
}

/// `![alt](path)` that Markdown did not read as an image (a space or a
/// parenthesis in the path): it would be printed as those characters.
fn check_unread_images(document: &Document, out: &mut Vec<Diagnostic>) {
    let mut image_lines = std::collections::BTreeSet::new();
    crate::load::for_each_reference(document, &mut |inline| {
        if let Inline::Image { pos, .. } = inline {
            image_lines.insert(pos.line);
        }
    });
    // Text that Markdown did not read as an image: `![…](…)` left in the
    // runs of one line of one paragraph (brackets may be runs of their own).
    let runs = document.runs.iter().filter(|run| run.kind != markdown::RunKind::Code);
    let mut lines: Vec<Vec<&markdown::TextRun>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if line[0].block == run.block && line[0].pos.line == run.pos.line => line.push(run),
            _ => lines.push(vec![run]),
        }
    }
    for line in lines {
        let joined: String = line.iter().map(|run| run.text.as_str()).collect();
        let Some(at) = joined.find("![") else { continue };
        if image_lines.contains(&line[0].pos.line) || !joined[at..].contains("](") {
            continue;
        }
        // The column of `![`: in the run it starts in.
        let mut before = at;
        let mut column = line[0].pos.column;
        for run in &line {
            if before < run.text.len() {
                column = run.pos.column + run.text[..before].chars().count();
                break;
            }
            before -= run.text.len();
        }
        out.push(
            Diagnostic::warning("unread-image", &document.file, "this looks like an image, but Markdown does not read it as one, so its characters are printed instead")
                .at(line[0].pos.line, column)
                .spanning(joined[at..].chars().count().min(80))
                .with_hint("a path with spaces or parentheses goes in angle brackets: ![Chart](<../assets/my chart (1).png>); or rename the file"),
        );
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

/// Deprecated EMN Glossary terms in what will be published: contributions
/// and the editors' texts in their language, the Czech summary in Czech.
fn check_terminology(package: &Package, out: &mut Vec<Diagnostic>) {
    let glossary = &package.glossary;
    for document in package.documents() {
        let is_summary = package.summary_cs.as_ref().is_some_and(|summary| std::ptr::eq(summary, document));
        let language = if is_summary { "cs" } else { document.language() };
        for found in glossary.deprecated(&document.runs, language) {
            let concept = &found.term.concept;
            let preferred = glossary.preferred_display(concept, language);
            let (message, hint) = match &preferred {
                Some(preferred) => (
                    format!(
                        "“{}” is deprecated in the EMN Glossary: write “{preferred}” (concept {concept})",
                        found.written
                    ),
                    format!(
                        "the EMN Glossary prefers “{preferred}”; quotations are not checked, so a quoted source may keep its words"
                    ),
                ),
                None => (
                    format!("“{}” is deprecated in the EMN Glossary (concept {concept})", found.written),
                    "rephrase with the Glossary's term for the concept".to_string(),
                ),
            };
            out.push(
                Diagnostic::warning("deprecated-term", &document.file, message)
                    .at(found.line, found.column)
                    .spanning(found.written.chars().count())
                    .with_hint(hint),
            );
        }
    }
}

/// How much of an answer's first line a `bad-yes-no` or `bad-choice` underlines.
const DEFAULT_OPENING_CHARS: usize = 12;

/// `ano` → `Ano`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Titles, headings, template texts and Markdown tables within their limits.
fn check_sizes(package: &Package, out: &mut Vec<Diagnostic>) {
    let manifest_line =
        |key: &str| manifest_text(package).lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1);
    out.extend(
        too_long(manifest::FILE, "the title", &package.manifest.title, MAX_TITLE_CHARS)
            .map(|d| d.at_line(manifest_line("title"))),
    );
    check_template_sizes(package, out);
    if let Some(inform) = &package.inform {
        let words = count_words(&markdown::blocks_text(&inform.body));
        if words > MAX_INFORM_WORDS {
            out.push(
                Diagnostic::error(
                    "too-long",
                    &inform.file,
                    format!(
                        "inform.md has {words} words; the Inform is at most 8 pages (about {MAX_INFORM_WORDS} words)"
                    ),
                )
                .at_line(1)
                .with_hint("shorten inform.md: the Inform summarises, the synthesis report carries the detail"),
            );
        }
    }
    for document in package.documents() {
        check_document_sizes(document, out);
    }
}

/// `too-long` when `text` has more than `limit` characters.
fn too_long(file: &str, what: &str, text: &str, limit: usize) -> Option<Diagnostic> {
    let chars = text.chars().count();
    (chars > limit).then(|| {
        Diagnostic::error("too-long", file, format!("{what} has {chars} characters (the limit is {limit})"))
            .with_hint("shorten it; a title or heading is a line, not a paragraph")
    })
}

/// The template's titles, questions and aim, and its number of flash questions.
fn check_template_sizes(package: &Package, out: &mut Vec<Diagnostic>) {
    let template_file = &package.template_source;
    let template_text = source_text(package, template_file);
    let template_line = |text: &str| {
        let probe: String = text.chars().take(40).collect();
        template_text.find(&probe).map_or(1, |b| line_column(template_text, b).0)
    };
    let mut template_texts: Vec<(&str, &str, usize)> =
        vec![("the template's title", &package.template.title, MAX_TITLE_CHARS)];
    template_texts
        .extend(package.template.sections.iter().map(|s| ("a section title", s.title.as_str(), MAX_TITLE_CHARS)));
    template_texts.extend(package.template.questions().map(|q| ("a question", q.text.as_str(), MAX_QUESTION_CHARS)));
    template_texts.extend(package.template.tables.iter().map(|t| ("a table title", t.title.as_str(), MAX_TITLE_CHARS)));
    template_texts
        .extend(package.template.flash_questions.iter().map(|q| ("a flash question", q.as_str(), MAX_TITLE_CHARS)));
    template_texts.extend(package.template.aim.iter().map(|aim| ("the aim", aim.as_str(), MAX_AIM_CHARS)));
    for (what, text, limit) in template_texts {
        out.extend(too_long(template_file, what, text, limit).map(|d| d.at_line(template_line(text))));
    }
    if package.template.flash_questions.len() > MAX_FLASH_QUESTIONS {
        out.push(
            Diagnostic::error(
                "too-long",
                template_file,
                format!(
                    "the template has {} flash questions; the one-page Flash holds {MAX_FLASH_QUESTIONS}",
                    package.template.flash_questions.len()
                ),
            )
            .at_line(template_line("flash-questions"))
            .with_hint("keep the questions the study answers first"),
        );
    }
}

/// A document's front matter, headings, tables and number of footnotes.
fn check_document_sizes(document: &crate::load::Document, out: &mut Vec<Diagnostic>) {
    if let Some(title) = &document.front.title {
        out.extend(
            too_long(&document.file, "the title", &title.value, MAX_TITLE_CHARS)
                .map(|d| d.at(title.line, title.column)),
        );
    }
    if let Some(ncp) = &document.front.ncp {
        out.extend(too_long(&document.file, "`ncp`", &ncp.value, MAX_TITLE_CHARS).map(|d| d.at(ncp.line, ncp.column)));
    }
    check_blocks_sizes(&document.file, &document.body, out);
    for blocks in document.footnotes.values() {
        check_blocks_sizes(&document.file, blocks, out);
    }
    if document.footnotes.len() > MAX_FOOTNOTES {
        out.push(
            Diagnostic::error(
                "too-long",
                &document.file,
                format!("{} has {} footnotes (the limit is {MAX_FOOTNOTES})", document.file, document.footnotes.len()),
            )
            .at_line(1)
            .with_hint("cite the sources in a list or a table instead of a footnote each"),
        );
    }
}

fn check_blocks_sizes(file: &str, blocks: &[Block], out: &mut Vec<Diagnostic>) {
    for block in blocks {
        match block {
            Block::Heading { content, pos, .. } => {
                let text = markdown::inline_text(content);
                out.extend(too_long(file, "a heading", &text, MAX_HEADING_CHARS).map(|d| d.at(pos.line, pos.column)));
            }
            Block::Table { header, rows, pos, .. } => {
                let cells = header.len() + rows.iter().map(Vec::len).sum::<usize>();
                if rows.len() > MAX_TABLE_ROWS || cells > MAX_TABLE_CELLS {
                    out.push(
                        Diagnostic::error(
                            "table-too-large",
                            file,
                            format!("a table of {} rows and {cells} cells (the limits are {MAX_TABLE_ROWS} rows and {MAX_TABLE_CELLS} cells)", rows.len()),
                        )
                        .at(pos.line, pos.column)
                        .with_hint("publish large data as statistics (statistics/*.csv) or split the table"),
                    );
                }
            }
            Block::List { items, .. } => items.iter().for_each(|i| check_blocks_sizes(file, &i.blocks, out)),
            Block::Quote(inner) => check_blocks_sizes(file, inner, out),
            _ => {}
        }
    }
}

/// Every printed text, checked character by character against the fonts
/// the publications are set in (`missing-glyph`) and for unbreakable words:
/// the documents' text runs and printed front matter as `load` read them,
/// and the manifest and template without their comment lines.
fn check_characters(package: &Package, out: &mut Vec<Diagnostic>) {
    for document in package.documents() {
        let front = [&document.front.title, &document.front.ncp];
        let values = front.into_iter().flatten().map(|value| (value.value.as_str(), value.line, value.column));
        let runs = document.runs.iter().map(|run| (run.text.as_str(), run.pos.line, run.pos.column));
        for (printed, line, column) in values.chain(runs) {
            // A run is on one line: its characters follow from its start.
            let place = |at: usize| (line, column + printed[..at].chars().count());
            let part = PrintedPart { file: &document.file, printed, place: &place };
            check_glyphs(package, &part, out);
            check_word_lengths(&part, out);
        }
    }
    let mut files = vec![(manifest::FILE, manifest_text(package))];
    if !package.template_source.starts_with("built-in:") {
        files.push((&package.template_source, source_text(package, &package.template_source)));
    }
    for (file, text) in files {
        let index = LineIndex::new(text);
        for range in lines_without_comments(text) {
            let place = |at: usize| index.line_column(text, range.start + at);
            let part = PrintedPart { file, printed: &text[range.clone()], place: &place };
            check_glyphs(package, &part, out);
            check_word_lengths(&part, out);
        }
    }
}

fn source_text<'a>(package: &'a Package, file: &str) -> &'a str {
    package.sources.get(file).map(|s| &*s.text).unwrap_or("")
}

/// The byte ranges of a TOML file's lines that are not comments.
fn lines_without_comments(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            ranges.push(at..at + line.len());
        }
        at += line.len();
    }
    ranges
}

/// A stretch of text that reaches a PDF, and how to place its bytes.
struct PrintedPart<'a> {
    file: &'a str,
    printed: &'a str,
    /// Line and column of a byte of `printed`.
    place: &'a dyn Fn(usize) -> (usize, usize),
}

impl PrintedPart<'_> {
    fn place(&self, at: usize) -> (usize, usize) {
        (self.place)(at)
    }
}

/// One `missing-glyph` per line, naming every character no font has.
fn check_glyphs(package: &Package, part: &PrintedPart, out: &mut Vec<Diagnostic>) {
    let file = part.file;
    let mut by_line: BTreeMap<usize, (usize, Vec<String>)> = BTreeMap::new();
    for (at, cluster) in crate::fonts::missing_clusters(&package.fonts, part.printed) {
        let (line, column) = part.place(at);
        let named = format!(
            "`{cluster}` ({})",
            cluster.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ")
        );
        let entry = by_line.entry(line).or_insert((column, Vec::new()));
        if !entry.1.contains(&named) {
            entry.1.push(named);
        }
    }
    for (line, (column, names)) in by_line {
        out.push(
            Diagnostic::error("missing-glyph", file, format!("no font can show {}", names.join(", ")))
                .at(line, column)
                .with_hint("the built-in fonts cover Latin, Greek, Cyrillic, Georgian, Armenian, Hebrew, Arabic, Ethiopic, Devanagari and common symbols; put a font that has these characters in the package's fonts/ folder (e.g. Noto Sans CJK for Chinese), or remove them"),
        );
    }
}

fn check_word_lengths(part: &PrintedPart, out: &mut Vec<Diagnostic>) {
    let (file, printed) = (part.file, part.printed);
    // Scripts written without spaces break between characters.
    let breaks = |c: char| {
        c.is_whitespace()
            || matches!(c, '\u{0e00}'..='\u{0eff}' | '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
    };
    let mut start = None;
    let mut length = 0;
    for (at, c) in printed.char_indices().chain(std::iter::once((printed.len(), ' '))) {
        if breaks(c) {
            if length > MAX_WORD_CHARS
                && let Some(start) = start
            {
                let (line, column) = part.place(start);
                out.push(
                    Diagnostic::error(
                        "word-too-long",
                        file,
                        format!(
                            "a word of {length} characters cannot be set on a line (the limit is {MAX_WORD_CHARS})"
                        ),
                    )
                    .at(line, column)
                    .with_hint(
                        "break it with spaces, or shorten it (a long link can be given a short text: [text](url))",
                    ),
                );
            }
            start = None;
            length = 0;
        } else {
            start.get_or_insert(at);
            length += 1;
        }
    }
}

/// Whether negative values make sense for a unit (net flows, changes, rates).
fn allows_negative(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    ["net", "change", "balance", "%", "percent", "rate", "index"].iter().any(|word| unit.contains(word))
}

/// Places a diagnostic at the row of a statistics file an observation
/// came from; in a workbook the message also names the sheet and the cell
/// (`sheet permits, cell C7`), as the editor finds it in the spreadsheet.
trait AtRow {
    fn at_row(self, observation: &Observation, column: Option<usize>) -> Diagnostic;
}

impl AtRow for Diagnostic {
    fn at_row(self, observation: &Observation, column: Option<usize>) -> Diagnostic {
        match &observation.sheet {
            Some(sheet) => crate::load::workbook::in_sheet(self, sheet, observation.line, column),
            None => self.at(observation.line, column.unwrap_or(1)),
        }
    }
}

/// A statistics row's identity: indicator, country, period (as a value), breakdowns.
type RowKey<'a> = (&'a str, &'a str, (i32, crate::load::statistics::Frequency, u8), Vec<(&'a str, &'a str)>);

fn check_statistics(package: &Package, out: &mut Vec<Diagnostic>) {
    let period = package.period();
    let mut first_rows: BTreeMap<RowKey, (&str, usize)> = BTreeMap::new();
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
                .at_row(observation, None)
                .with_hint(format!(
                    "the template's indicators are: {}",
                    package.template.tables.iter().map(|t| t.indicator.as_str()).collect::<Vec<_>>().join(", ")
                )),
            );
        }
        if observation.country != countries::EU_TOTAL && countries::find(&observation.country).is_none() {
            out.push(bad_country(file, &observation.country).at_row(observation, None));
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
                .at_row(observation, None)
                .with_hint("remove the row or widen `reference-period` in emn.toml"),
            );
        }
        check_value(observation, table, out);
        check_flag(observation, out);
        let key = (
            observation.indicator.as_str(),
            observation.country.as_str(),
            observation.period_key(),
            observation.breakdowns.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        );
        if let Some((first_file, first)) = first_rows.get(&key) {
            let place = if *first_file == file {
                format!("on line {first}")
            } else {
                format!("in {}, line {first}", crate::diagnostic::display_path(first_file))
            };
            out.push(
                Diagnostic::error(
                    "duplicate-row",
                    file,
                    format!(
                        "{} {} {} is given twice (first {place})",
                        observation.indicator, observation.country, observation.period
                    ),
                )
                .at_row(observation, None)
                .with_hint("keep one row per indicator, country, year and breakdown"),
            );
        } else {
            first_rows.insert(key, (file, line));
        }
    }
}

/// A tidy row's value against its table's unit: no negative counts, no
/// fractions of a count.
fn check_value(observation: &Observation, table: Option<&crate::load::TableSpec>, out: &mut Vec<Diagnostic>) {
    let file = observation.file.as_str();
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
            .at_row(observation, None)
            .with_hint("counts cannot be negative; check the sign"),
        );
    }
    if let Some(value) = observation.value
        && value.fract() != 0.0
        && crate::load::template::is_count_unit(table.map(|t| t.unit.as_str()).unwrap_or(""))
    {
        out.push(
            Diagnostic::warning(
                "fractional-count",
                file,
                format!(
                    "{value} ({} {} {}) has a fraction, but the table counts {}",
                    observation.indicator,
                    observation.country,
                    observation.period,
                    table.map(|t| t.unit.as_str()).unwrap_or("")
                ),
            )
            .at_row(observation, None)
            .with_hint("a count is a whole number: check the decimal and thousands separators (116.180 in English means 116.18)"),
        );
    }
}

/// A tidy row's flag: one of Eurostat's.
fn check_flag(observation: &Observation, out: &mut Vec<Diagnostic>) {
    let file = observation.file.as_str();
    if let Some(bad) = observation.flag.chars().find(|c| !KNOWN_FLAGS.contains(*c) && !c.is_whitespace()) {
        let hint = if bad == ':' {
            "`:` means \"not available\" and belongs in the value column (leave the value empty or write `:` there); flags are Eurostat's: b d e f i m n p u, C N P, and c s z r in older data"
        } else {
            "flags are Eurostat's: b d e f i m n p u, C N P, and c s z r in older data"
        };
        out.push(
            Diagnostic::error(
                "unknown-flag",
                file,
                format!("flag `{}` is not a Eurostat flag (`{bad}` is unknown)", observation.flag),
            )
            .at_row(observation, Some(observation.flag_column))
            .with_hint(hint),
        );
    }
}

/// Monthly or quarterly rows for an annual table: an error once per file
/// and table, at the first such row (they are never read as years).
fn check_periods(package: &Package, out: &mut Vec<Diagnostic>) {
    use crate::load::template::TablePeriod;
    let mut reported = std::collections::BTreeSet::new();
    for table in &package.template.tables {
        // A yearly table takes yearly rows; a quarterly one months or quarters.
        let wrong = |o: &&Observation| match table.period {
            TablePeriod::Year => o.frequency != Frequency::Annual,
            TablePeriod::Quarter => o.frequency == Frequency::Annual,
        };
        for observation in package.observations.iter().filter(wrong) {
            if observation.in_slice(table) && reported.insert((&table.id, &observation.file)) {
                let (wanted, hint) = match table.period {
                    TablePeriod::Year => (
                        "annual",
                        "use the annual dataset (Eurostat codes ending in `a`, e.g. migr_asyappctza), or give yearly rows",
                    ),
                    TablePeriod::Quarter => (
                        "quarterly",
                        "use the monthly dataset (Eurostat codes ending in `m`, e.g. migr_asyappctzm), or give monthly or quarterly rows",
                    ),
                };
                out.push(
                    Diagnostic::error(
                        "bad-period",
                        &observation.file,
                        format!(
                            "{} holds {} data (`{}`), but table {} ({}) is {wanted}",
                            observation.file,
                            observation.frequency.name(),
                            observation.period,
                            table.id,
                            table.indicator
                        ),
                    )
                    .at_row(observation, None)
                    .with_hint(hint),
                );
            }
        }
    }
}

fn check_tables_have_data(package: &Package, out: &mut Vec<Diagnostic>) {
    for table in package.template.tables.iter().filter(|t| t.required) {
        let has_data = package.table_rows(table).any(|o| o.value.is_some() && package.in_reference_period(table, o));
        if !has_data {
            let (file, line) = match package.template_source.strip_prefix("built-in:") {
                Some(_) => {
                    let line = line_column(manifest_text(package), package.manifest.template.span().start).0;
                    (manifest::FILE.to_string(), line)
                }
                None => {
                    let text = source_text(package, &package.template_source);
                    (package.template_source.clone(), line_column(text, table.id.span().start).0)
                }
            };
            out.push(
                Diagnostic::error(
                    "missing-table-data",
                    file,
                    format!("required table {} ({}) has no data", table.id, table.indicator),
                )
                .at_line(line)
                .with_hint(missing_data_hint(package, table)),
            );
        }
    }
}

/// What to do about a table without data: when the files hold its
/// indicator for other periods, say which, so the reference period can be
/// set to match; else where to put the data.
fn missing_data_hint(package: &Package, table: &crate::load::TableSpec) -> String {
    let periods: std::collections::BTreeSet<&str> = package
        .observations
        .iter()
        .filter(|o| o.value.is_some() && o.in_slice(table))
        .map(|o| o.period.as_str())
        .collect();
    match (periods.first(), periods.last()) {
        (Some(first), Some(last)) => format!(
            "the statistics hold `{}` for {first} to {last}, none in the reference period {}: set `reference-period` in emn.toml to a period the data cover",
            table.indicator,
            package.manifest.reference_period.as_ref().map_or("(none)", |p| p.get_ref().as_str())
        ),
        _ => format!("add rows for `{}` to a file in statistics/, or a Eurostat file of that dataset", table.indicator),
    }
}
