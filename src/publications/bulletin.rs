//! The EMN Bulletin: the quarter's EU-level developments (`eu.md`), then
//! per theme every country's items in EU protocol order (observers last),
//! each under its country's name, and the key statistics of the quarter —
//! first-time asylum applicants per Member State and Norway, summed from
//! Eurostat's monthly data, with the previous quarter and the change.

use super::figures::{self, QuarterTable};
use super::markup::MarkupWriter;
use super::{
    MarkupCache, PlanOptions, Publication, banner, country_name, heading, markdown, note, preamble, style_for,
};
use crate::load::{Package, TableSpec};
use crate::render::text::TextStyle;

/// The bulletin of a bulletin package.
pub const BULLETIN: super::OneDocument = super::OneDocument { name: "bulletin", applies: |_| true, plan };

/// `2025-Q3` → `Q3 2025 (July–September)`.
pub fn quarter_name((year, quarter): (i32, u8)) -> String {
    const MONTHS: [&str; 4] = ["January–March", "April–June", "July–September", "October–December"];
    format!("Q{quarter} {year} ({})", MONTHS[usize::from(quarter.clamp(1, 4)) - 1])
}

pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let quarter = package.period().and_then(crate::load::Period::this_quarter);
    let quarter_text = quarter.map(quarter_name).unwrap_or_else(|| super::reference_period(package));
    let title = format!("{} – {quarter_text}", package.manifest.title);
    let mut writer = MarkupWriter::new();
    writer.raw(&preamble(&title, "en", &format!("EMN Bulletin · {quarter_text}"), false));
    let countries: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    writer.raw(&banner(
        "EMN Bulletin",
        &package.manifest.title,
        &[
            ("Quarter", quarter_text.clone()),
            ("Countries", format!("{} ({})", countries.len(), countries.join(", "))),
            ("Published", options.date.english()),
        ],
    ));
    heading(&mut writer, 1, "EU-level developments", TextStyle::default());
    match package.eu.as_ref().filter(|eu| !crate::load::document::has_no_content(&eu.body)) {
        Some(eu) => markdown(&mut writer, cache, package, eu, &eu.body, 1, style_for(eu.language())),
        None => note(&mut writer, "No EU-level developments were reported for this quarter."),
    }
    themes(&mut writer, package, cache);
    for spec in &package.template.tables {
        key_statistics(&mut writer, package, spec);
    }
    Publication {
        path: "bulletin.pdf".into(),
        kind: "bulletin",
        country: None,
        name: "bulletin".into(),
        markup: writer.finish(),
    }
}

/// Per theme (a template section), each country's items under its name.
fn themes(writer: &mut MarkupWriter, package: &Package, cache: &MarkupCache) {
    heading(writer, 1, "National developments", TextStyle::default());
    for section in &package.template.sections {
        heading(writer, 2, &section.title, TextStyle::default());
        let mut any = false;
        for question in &section.questions {
            for contribution in &package.contributions {
                let Some(answer) = contribution.document.filled_answer(question.id.get_ref()) else { continue };
                any = true;
                let document = &contribution.document;
                heading(writer, 3, &country_name(contribution.country(), "en"), TextStyle::default());
                markdown(writer, cache, package, document, &answer.blocks, 3, style_for(document.language()));
            }
        }
        if !any {
            note(writer, "No developments were reported on this theme this quarter.");
        }
    }
}

/// The quarter's figures beside the previous quarter's, and the change.
fn key_statistics(writer: &mut MarkupWriter, package: &Package, spec: &TableSpec) {
    heading(writer, 1, &format!("Key statistics: {}", spec.title), TextStyle::default());
    let Some(table) = figures::quarter_table(package, spec).filter(|t| !t.rows.is_empty()) else {
        note(writer, &format!("No data for {} (indicator {}) this quarter.", spec.title, spec.indicator));
        return;
    };
    let QuarterTable { quarters, rows, total, sources } = &table;
    let label = |(year, quarter): (i32, u8)| format!("Q{quarter} {year}");
    let header = ["Country".to_string(), label(quarters[0]), label(quarters[1]), "Change".to_string()];
    let shown = |cell: &figures::Cell| {
        let value = cell.formatted("en").unwrap_or_else(|| ":".into());
        if cell.flag.is_empty() { value } else { format!("{value} {}", cell.flag) }
    };
    let change = |row: &figures::QuarterRow| match (row.previous.value, row.current.value) {
        (Some(previous), Some(current)) if previous != 0.0 => {
            figures::format_change((current - previous) / previous * 100.0, "en")
        }
        _ => "–".to_string(),
    };
    let mut lines: Vec<Vec<String>> = rows
        .iter()
        .map(|row| vec![country_name(&row.code, "en"), shown(&row.previous), shown(&row.current), change(row)])
        .collect();
    if let Some(total) = total {
        lines.push(vec!["EU27 (Eurostat)".into(), shown(&total.previous), shown(&total.current), change(total)]);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    writer.raw(&super::text_table("(1.6fr, 1fr, 1fr, 1fr)", &header, &lines));
    let flags: std::collections::BTreeSet<char> = rows
        .iter()
        .chain(total.iter())
        .flat_map(|row| row.previous.flag.chars().chain(row.current.flag.chars()))
        .filter(char::is_ascii_alphabetic)
        .collect();
    writer.raw(&super::flag_legend(&flags));
    writer.raw(&super::table_note(&format!(
        "{} Monthly values are summed per quarter; \":\" means not available (a month is missing).",
        super::unit_and_source(&spec.unit, sources)
    )));
}
