//! The Compilation of an ad-hoc query: a cover (requesting country, launch
//! date, the 30-day deadline), which countries answered and when (late
//! answers flagged), then every question with every country's answer.

use super::{
    MarkupCache, PlanOptions, Publication, absent_countries, closed_answers, country_name, cover, gap, heading,
    markdown, note, style_for, text_table,
};
use crate::dates::Date;
use crate::load::{AnswerKind, Package, Question};
use crate::publications::escape::TextStyle;
use crate::publications::markup::MarkupWriter;

/// The launch date and deadline of a query (see [`Package::query_deadline`]).
fn deadline(package: &Package) -> Option<(Date, Date)> {
    package.query_deadline()
}

/// The compilation of an ad-hoc query's answers.
pub const COMPILATION: super::OneDocument =
    super::OneDocument { kind: super::FileKind::Compilation, applies: |_| true, plan, data: Some(word_compilation) };

pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let title = format!("{} – Compilation of answers", package.manifest.title);
    let requested_by = package.manifest.requested_by.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
    let dates = deadline(package);
    let mut writer = MarkupWriter::new();
    writer.raw(&super::package_preamble(
        package,
        options,
        &title,
        "en",
        &format!("Ad-hoc query · {}", package.manifest.title),
        false,
    ));
    writer.raw(&cover(
        "Ad-Hoc Query – Compilation",
        (&package.manifest.title, "en"),
        &format!("Requested by {}", country_name(&requested_by, "en")),
        &[
            ("Launched", dates.map(|(l, _)| l.english()).unwrap_or_default()),
            ("Answers due", dates.map(|(_, d)| d.english()).unwrap_or_default()),
            ("Answers received", package.contributions.len().to_string()),
            ("Compiled", options.date.english()),
        ],
    ));
    background(&mut writer, package);
    answers_received(&mut writer, package, options, dates);
    overview(&mut writer, package);
    answers_per_question(&mut writer, package, cache);
    Publication {
        path: "compilation.pdf".into(),
        kind: super::FileKind::Compilation,
        country: None,
        name: "compilation".into(),
        markup: writer.finish(),
        page_limit: None,
    }
}

/// The query's background: what the requesting country wants to know and
/// why (the template's aim).
fn background(writer: &mut MarkupWriter, package: &Package) {
    let Some(aim) = package.template.aim.as_deref().filter(|aim| !aim.trim().is_empty()) else { return };
    heading(writer, 1, "Background of the query", TextStyle::default());
    writer.text(aim, TextStyle::default());
    writer.raw("\n\n");
}

/// Who answered when, and who is awaited or late.
/// The header of the table of answers received.
const RECEIVED_HEADER: [&str; 3] = ["Country", "Answered on", "Timeliness"];

/// Each answer's country, date and whether it came in time.
fn received_rows(package: &Package, dates: Option<(Date, Date)>) -> Vec<Vec<String>> {
    package
        .contributions
        .iter()
        .map(|c| {
            let answered = c.date();
            let late = match (answered, dates) {
                (Some(answered), Some((_, due))) if answered > due => {
                    format!("late ({})", crate::diagnostic::count(due.days_until(answered) as usize, "day", "days"))
                }
                (Some(_), Some(_)) => "on time".to_string(),
                _ => "–".to_string(),
            };
            vec![country_name(c.country(), "en"), c.date_english(), late]
        })
        .collect()
}

/// Who has not answered: awaited before the deadline (`Ok`), missing
/// after it (`Err`); `None` when everyone answered.
fn absent_note(
    package: &Package,
    options: &PlanOptions,
    dates: Option<(Date, Date)>,
) -> Option<Result<String, String>> {
    let absent = absent_countries(package);
    if absent.is_empty() {
        return None;
    }
    Some(match dates {
        Some((_, due)) if options.date <= due => Ok(format!(
            "Awaiting answers from: {} ({} left to the deadline of {}).",
            absent.join(", "),
            crate::diagnostic::count(options.date.days_until(due) as usize, "day", "days"),
            due.english()
        )),
        _ => Err(format!("No answer received by the deadline from: {}.", absent.join(", "))),
    })
}

fn answers_received(writer: &mut MarkupWriter, package: &Package, options: &PlanOptions, dates: Option<(Date, Date)>) {
    heading(writer, 1, "Answers received", TextStyle::default());
    writer.raw(&text_table("(1.4fr, 1fr, 1fr)", &RECEIVED_HEADER, &received_rows(package, dates)));
    match absent_note(package, options, dates) {
        Some(Ok(awaited)) => note(writer, &awaited),
        Some(Err(missing)) => gap(writer, &missing),
        None => {}
    }
}

/// The overview's closed questions, header and rows (country × question).
type Overview<'p> = (Vec<&'p Question>, Vec<String>, Vec<Vec<String>>);

fn overview_table(package: &Package) -> Option<Overview<'_>> {
    let closed: Vec<&Question> = package.template.questions().filter(|q| q.answer != AnswerKind::Text).collect();
    if closed.is_empty() || package.contributions.is_empty() {
        return None;
    }
    let mut header = vec!["Country".to_string()];
    header.extend(closed.iter().map(|q| q.id.get_ref().clone()));
    let columns: Vec<Vec<(String, Option<String>)>> = closed.iter().map(|q| closed_answers(package, q)).collect();
    let rows: Vec<Vec<String>> = package
        .contributions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            std::iter::once(country_name(c.country(), "en"))
                .chain(columns.iter().map(|column| column[i].1.clone().unwrap_or_else(|| "–".into())))
                .collect()
        })
        .collect();
    Some((closed, header, rows))
}

/// A country × question table of the yes-no and choice answers.
fn overview(writer: &mut MarkupWriter, package: &Package) {
    if let Some((closed, header, rows)) = overview_table(package) {
        heading(writer, 1, "Overview of yes/no and choice answers", TextStyle::default());
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let widths = format!("(1.4fr, {})", vec!["1fr"; closed.len()].join(", "));
        writer.raw(&text_table(&widths, &header, &rows));
        for question in &closed {
            writer.raw(&format!(
                "#text(size: 8.5pt)[{}]\n\n",
                super::text(&format!("{}: {}", question.id.get_ref(), question.text))
            ));
        }
    }
}

/// A country's name over its answer, saying when the answer is still a
/// draft (the NCP may change it).
fn answer_heading(contribution: &crate::load::Contribution) -> String {
    let name = country_name(contribution.country(), "en");
    match contribution.status() {
        Some(crate::load::Status::Draft) => format!("{name} (draft answer)"),
        _ => name,
    }
}

/// Per question, every country's answer.
fn answers_per_question(writer: &mut MarkupWriter, package: &Package, cache: &MarkupCache) {
    for question in package.template.questions() {
        let id = question.id.get_ref();
        heading(writer, 1, &format!("{id} {}", question.text), TextStyle::default());
        super::answers_at_a_glance(writer, package, question, false);
        for contribution in &package.contributions {
            heading(writer, 2, &answer_heading(contribution), TextStyle::default());
            match contribution.document.filled_answer(id) {
                Some(answer) => markdown(
                    writer,
                    cache,
                    package,
                    &contribution.document,
                    &answer.blocks,
                    2,
                    style_for(contribution.document.language()),
                ),
                None if question.required => {
                    gap(writer, &format!("No answer to {id} from {}.", contribution.country()))
                }
                None => note(writer, "Not answered (optional question)."),
            }
        }
    }
}

/// `compilation.docx`: the compilation as a Word document (see [`super::word`]).
fn word_compilation(package: &Package, options: &PlanOptions) -> Vec<super::DataFile> {
    let title = format!("{} – Compilation of answers", package.manifest.title);
    let requested_by = package.manifest.requested_by.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
    let dates = deadline(package);
    let mut word = super::word::WordWriter::new(package);
    word.paragraph("Subtitle", "Ad-Hoc Query – Compilation");
    word.paragraph("Title", &package.manifest.title);
    word.paragraph("Subtitle", &format!("Requested by {}", country_name(&requested_by, "en")));
    for (label, value) in [
        ("Launched: ", dates.map(|(l, _)| l.english()).unwrap_or_default()),
        ("Answers due: ", dates.map(|(_, d)| d.english()).unwrap_or_default()),
        ("Answers received: ", package.contributions.len().to_string()),
        ("Compiled: ", options.date.english()),
    ] {
        word.labelled(label, &value);
    }
    let notice = super::Notice::for_package(package, options.date, "en");
    word.paragraph("Caption", &notice.disclaimer);
    word.paragraph("Caption", &notice.copyright);
    if let Some(aim) = package.template.aim.as_deref().filter(|aim| !aim.trim().is_empty()) {
        word.heading(1, "Background of the query");
        word.paragraph("Normal", aim);
    }
    word.heading(1, "Answers received");
    word.text_table(&RECEIVED_HEADER, &received_rows(package, dates));
    if let Some(Ok(text) | Err(text)) = absent_note(package, options, dates) {
        word.paragraph("Normal", &text);
    }
    if let Some((closed, header, rows)) = overview_table(package) {
        word.heading(1, "Overview of yes/no and choice answers");
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        word.text_table(&header, &rows);
        for question in closed {
            word.paragraph("Caption", &format!("{}: {}", question.id.get_ref(), question.text));
        }
    }
    for question in package.template.questions() {
        let id = question.id.get_ref();
        word.heading(1, &format!("{id} {}", question.text));
        super::word_answers_at_a_glance(&mut word, package, question, false);
        for contribution in &package.contributions {
            word.heading(2, &answer_heading(contribution));
            match contribution.document.filled_answer(id) {
                Some(answer) => word.blocks(&contribution.document, &answer.blocks, 2),
                None if question.required => word.gap(&format!("No answer to {id} from {}.", contribution.country())),
                None => word.note("Not answered (optional question)."),
            }
        }
    }
    let properties = super::word::Properties {
        title: &title,
        language: "en",
        date: options.date,
        header: &format!("Ad-hoc query · {}", package.manifest.title),
    };
    word.finish(&properties)
        .map(|bytes| super::DataFile { path: "compilation.docx".into(), kind: super::FileKind::CompilationWord, bytes })
        .into_iter()
        .collect()
}
