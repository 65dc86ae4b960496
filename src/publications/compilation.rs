//! The Compilation of an ad-hoc query: a cover (requesting country, launch
//! date, the 30-day deadline), which countries answered and when (late
//! answers flagged), then every question with every country's answer.

use super::{
    MarkupCache, PlanOptions, Publication, absent_countries, closed_answers, country_name, cover, gap, heading,
    markdown, note, preamble, style_for, text_table,
};
use crate::dates::Date;
use crate::load::{AnswerKind, Package, Question};
use crate::publications::markup::MarkupWriter;
use crate::render::text::TextStyle;

/// Days NCPs have to answer an ad-hoc query.
pub const ANSWER_DAYS: i64 = 30;

/// The launch date and deadline of a query, when the manifest gives them.
pub fn deadline(package: &Package) -> Option<(Date, Date)> {
    let launched = package.manifest.launched?.date?;
    let launched = Date::from_toml(launched);
    Some((launched, launched.add_days(ANSWER_DAYS)))
}

/// The compilation of an ad-hoc query's answers.
pub const COMPILATION: super::OneDocument = super::OneDocument { name: "compilation", applies: |_| true, plan };

pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let title = format!("{} – Compilation of answers", package.manifest.title);
    let requested_by = package.manifest.requested_by.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
    let dates = deadline(package);
    let mut writer = MarkupWriter::new();
    writer.raw(&preamble(&title, "en", &format!("Ad-hoc query · {}", package.manifest.title), false));
    writer.raw(&cover(
        "Ad-Hoc Query – Compilation",
        &package.manifest.title,
        &format!("Requested by {}", country_name(&requested_by, "en")),
        &[
            ("Launched", dates.map(|(l, _)| l.english()).unwrap_or_default()),
            ("Answers due", dates.map(|(_, d)| d.english()).unwrap_or_default()),
            ("Answers received", package.contributions.len().to_string()),
            ("Compiled", options.date.english()),
        ],
    ));
    answers_received(&mut writer, package, options, dates);
    overview(&mut writer, package);
    answers_per_question(&mut writer, package, cache);
    Publication {
        path: "compilation.pdf".into(),
        kind: "compilation",
        country: None,
        name: "compilation".into(),
        markup: writer.finish(),
    }
}

/// Who answered when, and who is awaited or late.
fn answers_received(writer: &mut MarkupWriter, package: &Package, options: &PlanOptions, dates: Option<(Date, Date)>) {
    heading(writer, 1, "Answers received", TextStyle::default());
    let rows: Vec<Vec<String>> = package
        .contributions
        .iter()
        .map(|c| {
            let answered = c.date();
            let late = match (answered, dates) {
                (Some(answered), Some((_, due))) if answered > due => {
                    format!("late ({} days)", due.days_until(answered))
                }
                (Some(_), Some(_)) => "on time".to_string(),
                _ => "–".to_string(),
            };
            vec![country_name(c.country(), "en"), c.date_english(), late]
        })
        .collect();
    writer.raw(&text_table("(1.4fr, 1fr, 1fr)", &["Country", "Answered on", "Timeliness"], &rows));
    let absent = absent_countries(package);
    if !absent.is_empty() {
        match dates {
            Some((_, due)) if options.date <= due => note(
                writer,
                &format!(
                    "Awaiting answers from: {} ({} days left to the deadline of {}).",
                    absent.join(", "),
                    options.date.days_until(due),
                    due.english()
                ),
            ),
            _ => gap(writer, &format!("No answer received by the deadline from: {}.", absent.join(", "))),
        }
    }
}

/// A country × question table of the yes-no and choice answers.
fn overview(writer: &mut MarkupWriter, package: &Package) {
    let closed: Vec<&Question> = package.template.questions().filter(|q| q.answer != AnswerKind::Text).collect();
    if !closed.is_empty() && !package.contributions.is_empty() {
        heading(writer, 1, "Overview of yes/no and choice answers", TextStyle::default());
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

/// Per question, every country's answer.
fn answers_per_question(writer: &mut MarkupWriter, package: &Package, cache: &MarkupCache) {
    for question in package.template.questions() {
        let id = question.id.get_ref();
        heading(writer, 1, &format!("{id} {}", question.text), TextStyle::default());
        super::answers_at_a_glance(writer, package, question, false);
        for contribution in &package.contributions {
            heading(writer, 2, &country_name(contribution.country(), "en"), TextStyle::default());
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
