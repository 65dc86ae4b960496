//! The EMN Situational Report: a few dated pages on a burning issue — the
//! EU-level situation (`eu.md`), the key figures (latest period and its
//! change), each country's update in EU protocol order with its date, and
//! the expected countries that did not report. National contributions are
//! not published on their own.

use super::document::{Node, Paragraph, Span, TextStyle};
use super::{PartCache, PlanOptions, Publication, banner, country_name, heading, part, style_for};
use crate::load::Package;

use crate::limits::SITUATIONAL_PAGES as MAX_PAGES;

pub const SITUATIONAL_REPORT: super::OneDocument =
    super::OneDocument { kind: super::FileKind::SituationalReport, applies: |_| true, plan };

pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    plan_against(package, options, cache, None)
}

/// The report, its key figures also against the previous edition's
/// (`--since`) where given.
pub fn plan_against(
    package: &Package,
    options: &PlanOptions,
    cache: &PartCache,
    earlier: Option<&Package>,
) -> Publication {
    let manifest = &package.manifest;
    let topic = manifest.topic.as_ref().map(|t| t.get_ref().clone()).unwrap_or_default();
    let edition = manifest.edition.as_ref().map_or(1, |e| *e.get_ref());
    let as_of = package.as_of().unwrap_or(options.date);
    let title = format!("{} – edition {edition}, as of {}", manifest.title, as_of.english());
    let running = format!("EMN Situational Report · edition {edition} · as of {}", as_of.english());
    let mut doc = super::doc(package, options, &title, "en", &running, false);
    let reporting: Vec<&str> = package.contributions.iter().map(|c| c.country()).collect();
    let mut details = vec![];
    if !topic.is_empty() {
        details.push(("Topic", topic));
    }
    details.extend([
        ("Situation as of", as_of.english()),
        ("Edition", edition.to_string()),
        ("Countries reporting", format!("{} ({})", reporting.len(), reporting.join(", "))),
        ("Published", options.date.english()),
    ]);
    doc.body.push(banner("EMN Situational Report", &manifest.title, &details));

    doc.body.push(heading(1, "The situation at EU level", TextStyle::default()));
    doc.body.push(match package.eu.as_ref().filter(|eu| !crate::load::document::has_no_content(&eu.body)) {
        Some(eu) => part(cache, package, eu, &eu.body, 1, style_for(eu.language())),
        None => Node::Note("No EU-level situation was written for this edition (eu.md).".into()),
    });

    doc.body.extend(key_figures(package, earlier));

    doc.body.push(heading(1, "National updates", TextStyle::default()));
    doc.body.extend(national_updates(package, cache));

    let missing: Vec<String> = manifest
        .countries
        .iter()
        .map(|c| c.get_ref().as_str())
        .filter(|code| !reporting.contains(code))
        .map(|code| format!("{} ({code})", country_name(code, "en")))
        .collect();
    doc.body.push(heading(1, "Countries that did not report", TextStyle::default()));
    doc.body.push(if missing.is_empty() {
        Node::text("Every expected country reported for this edition.")
    } else {
        Node::Gap(format!("No update received for this edition from: {}.", missing.join(", ")))
    });

    // As the Flash and the Inform: typst sets the report normally if it
    // fits its pages, else compactly (smaller text and margins), in one
    // typesetting. Over even then, it runs on: `validate` warned of it
    // (`too-long`), and an urgent report goes out with what it has.
    let body = std::mem::take(&mut doc.body);
    doc.body.push(Node::Fit(Box::new(super::document::Fit {
        pages: MAX_PAGES,
        normal: super::document::Setting { margin_cm: None, text_pt: None, body: body.clone() },
        compact: super::document::Setting { margin_cm: Some(1.5), text_pt: Some(9.0), body },
    })));
    Publication {
        path: "situational-report.pdf".into(),
        kind: super::FileKind::SituationalReport,
        country: None,
        name: "situational-report".into(),
        doc,
        page_limit: None,
        word: Some(super::FileKind::SituationalReportWord),
    }
}

/// Each country's update: its date, its answers under their questions,
/// what it wrote outside them; a gap notice when it answered nothing.
fn national_updates(package: &Package, cache: &PartCache) -> Vec<Node> {
    let mut nodes = Vec::new();
    for contribution in &package.contributions {
        let document = &contribution.document;
        let style = style_for(document.language());
        nodes.push(heading(2, &super::country_heading(contribution, "draft update"), TextStyle::default()));
        let draft = if contribution.status() == Some(crate::load::Status::Draft) { "Draft update" } else { "Update" };
        let dated =
            contribution.date().map_or_else(|| format!("{draft} not dated"), |d| format!("{draft} of {}", d.english()));
        nodes.push(Node::SmallPrint(vec![Span::Text(dated)]));
        let mut any = false;
        for question in package.template.questions() {
            if let Some(answer) = document.filled_answer(question.id.get_ref()) {
                any = true;
                nodes.push(Node::Kicker(question.text.to_string()));
                nodes.push(part(cache, package, document, &answer.blocks, 2, style));
            }
        }
        // Text outside the questions is printed too: nothing is dropped.
        for (title, blocks, _) in document.unplaced() {
            any = true;
            if !title.is_empty() {
                nodes.push(Node::Paragraph(Paragraph { spans: vec![Span::Strong(title.to_string())], style }));
            }
            nodes.push(part(cache, package, document, blocks, 2, style));
        }
        if !any {
            nodes.push(Node::Gap(super::words::words("en").no_answer_from(contribution.country())));
        }
    }
    nodes
}

/// Each table's latest period against the same period a year earlier,
/// per reporting country and in total (see [`super::comparison`]); with
/// the previous edition (`--since`), what it printed for its latest period.
fn key_figures(package: &Package, earlier: Option<&Package>) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut flags = std::collections::BTreeSet::new();
    for spec in &package.template.tables {
        let Some(compared) = super::comparison::comparison(package, spec) else { continue };
        let previous = earlier.and_then(|earlier| {
            let table = earlier.template.tables.iter().find(|t| t.id.get_ref() == spec.id.get_ref())?;
            super::comparison::comparison(earlier, table)
        });
        let previous_of = |code: &str| -> String {
            let Some(previous) = &previous else { return String::new() };
            let cell = previous.rows.iter().chain(&previous.total).find(|c| c.code == code).map(|c| &c.latest);
            cell.map_or_else(|| ":".to_string(), shown)
        };
        let row = |label: String, c: &super::comparison::Compared| {
            let change = c.change.map_or_else(|| "–".to_string(), |change| super::figures::format_change(change, "en"));
            let mut row = vec![label, shown(&c.latest), shown(&c.earlier), change];
            if previous.is_some() {
                row.push(previous_of(&c.code));
            }
            row
        };
        let mut rows: Vec<Vec<String>> = compared.rows.iter().map(|c| row(country_name(&c.code, "en"), c)).collect();
        if let Some(total) = &compared.total {
            let label = if total.code == crate::countries::EU_TOTAL { "EU27 (Eurostat)" } else { "Total" };
            rows.push(row(label.to_string(), total));
        }
        for c in compared.rows.iter().chain(&compared.total) {
            flags.extend(c.latest.flag.chars().chain(c.earlier.flag.chars()).filter(|f| f.is_alphabetic()));
        }
        if nodes.is_empty() {
            nodes.push(heading(1, "Key figures", TextStyle::default()));
        }
        nodes.push(Node::Kicker(format!("{} ({})", spec.title, spec.unit)));
        let mut header =
            vec!["Country".to_string(), compared.latest.clone(), compared.earlier.clone(), "Change".into()];
        let mut widths = vec![1.6, 1.2, 1.2, 0.8];
        if let Some(previous) = &previous {
            header.push(format!("Previous edition ({})", previous.latest));
            widths.push(1.2);
        }
        nodes.push(figures_table(&header, &widths, rows));
    }
    if !nodes.is_empty() {
        nodes.extend(super::flag_legend(&flags));
        nodes.push(Node::small(
            "Each period is compared with the same period a year earlier: the same months, or whole years. \
             A total adds the countries with a value in both periods.",
        ));
    }
    nodes
}

/// A value with its flags, as the key figures print it (":" when missing).
fn shown(cell: &super::figures::Cell) -> String {
    match cell.formatted("en") {
        Some(value) if cell.flag.is_empty() => value,
        Some(value) => format!("{value}\u{a0}({})", cell.flag),
        None => ":".to_string(),
    }
}

/// A table of figures: a label column, then figures right-aligned.
fn figures_table(header: &[String], widths: &[f32], rows: Vec<Vec<String>>) -> Node {
    let headers: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = super::text_table(&super::fractions(widths), &headers, &rows);
    table.align = (0..header.len())
        .map(|i| if i == 0 { super::document::Align::Left } else { super::document::Align::Right })
        .collect();
    Node::Table(table)
}
