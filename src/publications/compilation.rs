//! The Compilation of an ad-hoc query: a cover (requesting country, launch
//! date, the 30-day deadline), which countries answered and when (late
//! answers flagged), then every question with every country's answer.

use super::{
    MarkupCache, PlanOptions, Publication, absent_countries, country_name, cover, gap, heading, markdown, preamble,
    style_for, text_table,
};
use crate::dates::Date;
use crate::load::Package;
use crate::render::markup::{MarkupWriter, TextStyle};

/// Days NCPs have to answer an ad-hoc query.
pub const ANSWER_DAYS: i64 = 30;

/// The launch date and deadline of a query, when the manifest gives them.
pub fn deadline(package: &Package) -> Option<(Date, Date)> {
    let launched = package.manifest.launched?.date?;
    let launched = Date::new(i32::from(launched.year), launched.month, launched.day);
    Some((launched, launched.add_days(ANSWER_DAYS)))
}

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
    heading(&mut writer, 1, "Answers received", TextStyle::default());
    let rows: Vec<Vec<String>> = package
        .contributions
        .iter()
        .map(|c| {
            let answered = Date::parse(c.date());
            let late = match (answered, dates) {
                (Some(answered), Some((_, due))) if answered > due => {
                    format!("late ({} days)", answered.to_days() - due.to_days())
                }
                (Some(_), Some(_)) => "on time".to_string(),
                _ => "–".to_string(),
            };
            vec![
                country_name(c.country(), "en"),
                answered.map(Date::english).unwrap_or_else(|| c.date().to_string()),
                late,
            ]
        })
        .collect();
    writer.raw(&text_table("(1.4fr, 1fr, 1fr)", &["Country", "Answered on", "Timeliness"], &rows));
    let absent = absent_countries(package);
    if !absent.is_empty() {
        gap(&mut writer, &format!("No answer received from: {}.", absent.join(", ")));
    }
    for question in package.template.questions() {
        let id = question.id.get_ref();
        heading(&mut writer, 1, &format!("{id} {}", question.text), TextStyle::default());
        for contribution in &package.contributions {
            heading(&mut writer, 2, &country_name(contribution.country(), "en"), TextStyle::default());
            match contribution.document.filled_answer(id) {
                Some(answer) => markdown(
                    &mut writer,
                    cache,
                    package,
                    &contribution.document,
                    &answer.blocks,
                    2,
                    style_for(contribution.document.language()),
                ),
                None => gap(&mut writer, &format!("No answer received from {}.", contribution.country())),
            }
        }
    }
    Publication {
        path: "compilation.pdf".into(),
        kind: "compilation",
        country: None,
        name: "compilation".into(),
        markup: writer.finish(),
    }
}
