//! The EMN Bulletin: the quarter's EU-level developments (`eu.md`), then
//! per theme every country's items in EU protocol order (observers last),
//! each under its country's name, and the key statistics of the quarter —
//! first-time asylum applicants per Member State and Norway, summed from
//! Eurostat's monthly data, with the previous quarter and the change.

use super::document::{Node, Paragraph, Span, StatsCell, StatsRow, StatsTable, TextStyle};
use super::figures::{self, QuarterTable};
use super::{PartCache, PlanOptions, Publication, banner, country_name, heading, part, style_for};
use crate::load::{Package, TableSpec};

/// The bulletin of a bulletin package.
pub const BULLETIN: super::OneDocument =
    super::OneDocument { kind: super::FileKind::Bulletin, applies: |_| true, plan };

/// `2025-Q3` → `Q3 2025 (July–September)`.
pub fn quarter_name((year, quarter): (i32, u8)) -> String {
    const MONTHS: [&str; 4] = ["January–March", "April–June", "July–September", "October–December"];
    format!("Q{quarter} {year} ({})", MONTHS[usize::from(quarter.clamp(1, 4)) - 1])
}

pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    let quarter = package.period().and_then(crate::load::Period::this_quarter);
    let quarter_text = quarter.map(quarter_name).unwrap_or_else(|| super::reference_period(package));
    let title = format!("{} – {quarter_text}", package.manifest.title);
    let mut doc = super::doc(package, options, &title, "en", &format!("EMN Bulletin · {quarter_text}"), false);
    let countries: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    doc.body.push(banner(
        "EMN Bulletin",
        &package.manifest.title,
        &[
            ("Quarter", quarter_text.clone()),
            ("Countries", format!("{} ({})", countries.len(), countries.join(", "))),
            ("Published", options.date.english()),
        ],
    ));
    doc.body.push(heading(1, "EU-level developments", TextStyle::default()));
    doc.body.push(match package.eu.as_ref().filter(|eu| !crate::load::document::has_no_content(&eu.body)) {
        Some(eu) => part(cache, package, eu, &eu.body, 1, style_for(eu.language())),
        None => Node::Note("No EU-level developments were reported for this quarter.".into()),
    });
    doc.body.extend(themes(package, cache));
    for spec in &package.template.tables {
        doc.body.extend(key_statistics(package, spec));
    }
    Publication {
        path: "bulletin.pdf".into(),
        kind: super::FileKind::Bulletin,
        country: None,
        name: "bulletin".into(),
        doc,
        page_limit: None,
        word: None,
    }
}

/// Per theme (a template section), each country's items under its name:
/// the answers to the theme's questions and any text written under the
/// theme's own heading.
fn themes(package: &Package, cache: &PartCache) -> Vec<Node> {
    let mut nodes = vec![heading(1, "National developments", TextStyle::default())];
    for (index, section) in package.template.sections.iter().enumerate() {
        nodes.push(heading(2, &section.title, TextStyle::default()));
        let mut any = false;
        for contribution in &package.contributions {
            let document = &contribution.document;
            let style = style_for(document.language());
            let under_heading = document.sections.iter().filter(|free| {
                free.kind == crate::load::SectionKind::TemplateSection(index)
                    && !crate::load::document::has_no_content(&free.blocks)
            });
            let mut parts: Vec<&[crate::load::markdown::Block]> =
                under_heading.map(|free| free.blocks.as_slice()).collect();
            parts.extend(
                section
                    .questions
                    .iter()
                    .filter_map(|question| document.filled_answer(question.id.get_ref()))
                    .map(|answer| answer.blocks.as_slice()),
            );
            if parts.is_empty() {
                continue;
            }
            any = true;
            nodes.push(heading(3, &super::country_heading(contribution, "draft"), TextStyle::default()));
            for blocks in parts {
                nodes.push(part(cache, package, document, blocks, 3, style));
            }
        }
        if !any {
            nodes.push(Node::Note("No developments were reported on this theme this quarter.".into()));
        }
    }
    nodes.extend(other_developments(package, cache));
    nodes
}

/// What countries wrote outside every theme, so that nothing is dropped.
fn other_developments(package: &Package, cache: &PartCache) -> Vec<Node> {
    let unplaced: Vec<_> = package
        .contributions
        .iter()
        .map(|c| (c, c.document.unplaced()))
        .filter(|(_, parts)| !parts.is_empty())
        .collect();
    if unplaced.is_empty() {
        return Vec::new();
    }
    let mut nodes = vec![heading(2, "Other national developments", TextStyle::default())];
    for (contribution, parts) in unplaced {
        let document = &contribution.document;
        let style = style_for(document.language());
        nodes.push(heading(3, &super::country_heading(contribution, "draft"), TextStyle::default()));
        for (title, blocks, _) in parts {
            if !title.is_empty() {
                nodes.push(Node::Paragraph(Paragraph { spans: vec![Span::Strong(title.to_string())], style }));
            }
            nodes.push(part(cache, package, document, blocks, 3, style));
        }
    }
    nodes
}

/// The quarter's figures beside the previous quarter's, and the change.
fn key_statistics(package: &Package, spec: &TableSpec) -> Vec<Node> {
    let mut nodes = vec![heading(1, &format!("Key statistics: {}", spec.title), TextStyle::default())];
    let Some(table) = figures::quarter_table(package, spec).filter(|t| !t.rows.is_empty()) else {
        nodes.push(Node::Note(format!("No data for {} (indicator {}) this quarter.", spec.title, spec.indicator)));
        return nodes;
    };
    let QuarterTable { quarters, rows, total, sources } = &table;
    let label = |(year, quarter): (i32, u8)| format!("Q{quarter} {year}");
    let header = vec!["Country".to_string(), label(quarters[0]), label(quarters[1]), "Change".to_string()];
    let row = |name: String, row: &figures::QuarterRow| {
        let change = match (row.previous.value, row.current.value) {
            (Some(previous), Some(current)) if previous != 0.0 => {
                figures::format_change((current - previous) / previous * 100.0, "en")
            }
            _ => "–".to_string(),
        };
        StatsRow {
            anchor: None,
            label: name,
            cells: vec![
                super::stats_cell(&row.previous, "en"),
                super::stats_cell(&row.current, "en"),
                StatsCell::Text(change),
            ],
        }
    };
    nodes.push(Node::Stats(StatsTable {
        header,
        rows: rows.iter().map(|r| row(country_name(&r.code, "en"), r)).collect(),
        total: total.as_ref().map(|t| row("EU27 (Eurostat)".to_string(), t)),
        caption: None,
    }));
    let flags: std::collections::BTreeSet<char> = rows
        .iter()
        .chain(total.iter())
        .flat_map(|row| row.previous.flag.chars().chain(row.current.flag.chars()))
        .filter(char::is_ascii_alphabetic)
        .collect();
    nodes.extend(super::flag_legend(&flags));
    nodes.push(Node::small(format!(
        "{} \":\" means not available (a month of the quarter is missing).",
        super::unit_and_source(&spec.unit, sources)
    )));
    nodes
}
