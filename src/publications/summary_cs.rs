//! The Czech summary: `summary-cs.md` set by Czech rules — `lang: cs`
//! (hyphenation, „quotes“), Czech running heads and dates, Czech country
//! names and number format in what the tool adds, and a no-break space after
//! one-letter prepositions and conjunctions (as `vlna` does for TeX).

use super::document::{Align, Node, Paragraph, Span, Width};
use super::{PartCache, PlanOptions, Publication, country_name, figures, heading, part};
use crate::load::Package;

/// The Czech summary, when the package has `summary-cs.md`.
pub const SUMMARY_CS: super::OneDocument =
    super::OneDocument { kind: super::FileKind::SummaryCs, applies: |package| package.summary_cs.is_some(), plan };
pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    let style = super::style_for("cs");
    let document = package.summary_cs.as_ref().expect("planned only when summary-cs.md exists");
    let title = document
        .front
        .title
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| format!("{} – shrnutí", package.manifest.title));
    let mut doc = super::doc(
        package,
        options,
        &title,
        "cs",
        &format!("Shrnutí · {}", title.trim_end_matches(" – shrnutí")),
        false,
    );
    let countries: Vec<String> = package.contributions.iter().map(|c| country_name(c.country(), "cs")).collect();
    doc.body.push(Node::Cover(super::document::Cover {
        kind: "Shrnutí v češtině".into(),
        title: title.clone(),
        title_lang: "cs".into(),
        subtitle: String::new(),
        details: vec![
            ("Zapojené země".into(), countries.len().to_string()),
            ("Referenční období".into(), super::reference_period(package).replace('-', "–")),
            ("Datum".into(), options.date.czech()),
        ],
        network: Some("Evropská migrační síť".into()),
    }));
    doc.body.push(part(cache, package, document, &document.body, 0, style));
    doc.body.extend(overview(package));
    doc.body.extend(super::terms_used(package, &[(document, "cs")], "cs"));
    Publication {
        path: "summary-cs.pdf".into(),
        kind: super::FileKind::SummaryCs,
        country: None,
        name: "summary-cs".into(),
        doc,
        page_limit: None,
        word: None,
    }
}

/// "Přehled": the countries that contributed and, per table, the latest
/// year's values, in Czech.
fn overview(package: &Package) -> Vec<Node> {
    let style = super::style_for("cs");
    let names: Vec<String> = package.contributions.iter().map(|c| country_name(c.country(), "cs")).collect();
    let mut nodes = vec![
        heading(1, "Přehled", style),
        Node::Paragraph(Paragraph {
            spans: vec![Span::Text(format!("Národní příspěvky zaslaly tyto země: {}.", names.join(", ")))],
            style,
        }),
    ];
    let mut flags = std::collections::BTreeSet::new();
    for spec in &package.template.tables {
        let data = figures::table_data(package, spec);
        let Some(last) = (0..data.years.len()).rev().find(|&i| data.rows.iter().any(|(_, c)| c[i].value.is_some()))
        else {
            continue;
        };
        nodes.push(heading(
            2,
            &format!("{} ({})", spec.title_cs.as_deref().unwrap_or(&spec.title), data.years[last]),
            style,
        ));
        let unit = czech_unit(&spec.unit).map(|unit| format!(" ({unit})")).unwrap_or_default();
        let mut rows = Vec::new();
        for (code, cells) in &data.rows {
            if let Some(value) = cells[last].formatted("cs") {
                let flag =
                    if cells[last].flag.is_empty() { String::new() } else { format!("\u{a0}{}", cells[last].flag) };
                flags.extend(cells[last].flag.chars().filter(|c| c.is_alphabetic()));
                rows.push(vec![country_name(code, "cs"), format!("{value}{flag}")]);
            }
        }
        nodes.push(Node::Table(super::document::Table {
            widths: vec![Width::Fraction(1.0), Width::Fraction(1.0)],
            align: vec![Align::Left, Align::Right],
            header: vec![super::country_header("cs").to_string(), format!("Hodnota{unit}")],
            rows,
            no_hyphenation: false,
            caption: None,
        }));
    }
    if !flags.is_empty() {
        let entries: Vec<String> = flags.iter().map(|f| format!("{f}: {}", figures::flag_label_cs(*f))).collect();
        nodes.push(Node::small(format!("Příznaky: {}.", entries.join("; "))));
    }
    nodes
}

/// A unit in Czech, for the units EMN tables use; others as written.
fn czech_unit(unit: &str) -> Option<String> {
    let czech = match unit.trim().to_lowercase().as_str() {
        "" => return None,
        "persons" | "people" => "osoby",
        "applicants" => "žadatelé",
        "permits" => "povolení",
        "decisions" => "rozhodnutí",
        "%" | "percent" | "per cent" => "%",
        "eur" | "euro" => "EUR",
        _ => return Some(unit.to_string()),
    };
    Some(czech.to_string())
}
