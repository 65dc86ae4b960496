//! The Compilation of an ad-hoc query: a cover (requesting country, launch
//! date, the 30-day deadline), which countries answered and when (late
//! answers flagged), then every question with every country's answer.

use super::document::{Node, TextStyle, Width};
use super::{
    PartCache, PlanOptions, Publication, absent_countries, closed_answers, country_name, cover, fractions, heading,
    part, style_for, text_table,
};
use crate::dates::Date;
use crate::load::{AnswerKind, Package, Question};

/// The launch date and deadline of a query (see [`Package::query_deadline`]).
fn deadline(package: &Package) -> Option<(Date, Date)> {
    package.query_deadline()
}

/// The compilation of an ad-hoc query's answers.
pub const COMPILATION: super::OneDocument =
    super::OneDocument { kind: super::FileKind::Compilation, applies: |_| true, plan };

pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    let title = format!("{} – Compilation of answers", package.manifest.title);
    let requested_by = package.manifest.requested_by.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
    let dates = deadline(package);
    let mut doc =
        super::doc(package, options, &title, "en", &format!("Ad-hoc query · {}", package.manifest.title), false);
    let body = &mut doc.body;
    body.push(cover(
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
    if let Some(aim) = package.template.aim.as_deref().filter(|aim| !aim.trim().is_empty()) {
        body.push(heading(1, "Background of the query", TextStyle::default()));
        body.push(Node::text(aim));
    }
    body.extend(answers_received(package, options, dates));
    body.extend(overview(package));
    body.extend(answers_per_question(package, cache));
    Publication {
        path: "compilation.pdf".into(),
        kind: super::FileKind::Compilation,
        country: None,
        name: "compilation".into(),
        doc,
        page_limit: None,
        word: Some(super::FileKind::CompilationWord),
    }
}

const RECEIVED_HEADER: [&str; 4] = ["Country", "Status", "Answered on", "Timeliness"];

/// Each answer's country, date and whether it came in time.
fn received_rows(package: &Package, dates: Option<(Date, Date)>) -> Vec<Vec<String>> {
    package
        .contributions
        .iter()
        .map(|c| {
            let answered = c.date();
            let draft = c.status() == Some(crate::load::Status::Draft);
            let late = match (answered, dates) {
                // A draft is not yet the answer: whether it came in time is
                // for its final version to say.
                _ if draft => "draft, not final yet".to_string(),
                (Some(answered), Some((_, due))) if answered > due => {
                    format!("late ({})", crate::diagnostic::count(due.days_until(answered) as usize, "day", "days"))
                }
                (Some(_), Some(_)) => "on time".to_string(),
                _ => "–".to_string(),
            };
            let status = match c.status() {
                Some(crate::load::Status::Draft) => "draft",
                Some(crate::load::Status::Final) => "final",
                None => "–",
            };
            vec![country_name(c.country(), "en"), status.to_string(), c.date_english(), late]
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

fn answers_received(package: &Package, options: &PlanOptions, dates: Option<(Date, Date)>) -> Vec<Node> {
    let mut nodes = vec![
        heading(1, "Answers received", TextStyle::default()),
        Node::Table(text_table(&fractions(&[1.4, 0.8, 1.0, 1.2]), &RECEIVED_HEADER, &received_rows(package, dates))),
    ];
    match absent_note(package, options, dates) {
        Some(Ok(awaited)) => nodes.push(Node::Note(awaited)),
        Some(Err(missing)) => nodes.push(Node::Gap(missing)),
        None => {}
    }
    nodes
}

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
fn overview(package: &Package) -> Vec<Node> {
    let Some((closed, header, rows)) = overview_table(package) else { return Vec::new() };
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let widths: Vec<Width> =
        std::iter::once(Width::Fraction(1.4)).chain(closed.iter().map(|_| Width::Fraction(1.0))).collect();
    let mut nodes = vec![
        heading(1, "Overview of yes/no and choice answers", TextStyle::default()),
        Node::Table(text_table(&widths, &header, &rows)),
    ];
    nodes.extend(closed.iter().map(|question| Node::small(format!("{}: {}", question.id.get_ref(), question.text))));
    nodes
}

fn answer_heading(contribution: &crate::load::Contribution) -> String {
    super::country_heading(contribution, "draft answer")
}

/// Per question, every country's answer.
fn answers_per_question(package: &Package, cache: &PartCache) -> Vec<Node> {
    let mut nodes = Vec::new();
    for question in package.template.questions() {
        let id = question.id.get_ref();
        nodes.push(heading(1, &format!("{id} {}", question.text), TextStyle::default()));
        nodes.extend(super::answers_at_a_glance(package, question, false));
        for contribution in &package.contributions {
            nodes.push(heading(2, &answer_heading(contribution), TextStyle::default()));
            let document = &contribution.document;
            nodes.push(match document.filled_answer(id) {
                Some(answer) => part(cache, package, document, &answer.blocks, 2, style_for(document.language())),
                None if question.required => Node::Gap(format!("No answer to {id} from {}.", contribution.country())),
                None => Node::Note("Not answered (optional question).".into()),
            });
        }
    }
    nodes
}
