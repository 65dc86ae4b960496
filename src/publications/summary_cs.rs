//! The Czech summary: `summary-cs.md` set by Czech rules — `lang: cs`
//! (hyphenation, „quotes“), Czech running heads and dates, Czech country
//! names and number format in what the tool adds, and a no-break space after
//! one-letter prepositions and conjunctions (as `vlna` does for TeX).

use super::{
    CZECH_SUMMARY_STYLE, MarkupCache, PlanOptions, Publication, country_name, figures, markdown, string_literal,
};
use crate::load::Package;
use crate::publications::markup::MarkupWriter;

/// The Czech summary, when the package has `summary-cs.md`.
pub const SUMMARY_CS: super::OneDocument = super::OneDocument {
    kind: super::FileKind::SummaryCs,
    applies: |package| package.summary_cs.is_some(),
    plan,
    data: None,
};
pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let style = CZECH_SUMMARY_STYLE;
    let document = package.summary_cs.as_ref().expect("planned only when summary-cs.md exists");
    let title = document
        .front
        .title
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| format!("{} – shrnutí", package.manifest.title));
    let mut writer = MarkupWriter::new();
    writer.raw(&super::package_preamble(
        package,
        options,
        &title,
        "cs",
        &format!("Shrnutí · {}", title.trim_end_matches(" – shrnutí")),
        false,
    ));
    let countries: Vec<String> = package.contributions.iter().map(|c| country_name(c.country(), "cs")).collect();
    writer.raw(&format!(
        "#cover(network: \"Evropská migrační síť\", kind: \"Shrnutí v češtině\", title: {}, subtitle: \"\", details: ((\"Zapojené země\", {}), (\"Referenční období\", {}), (\"Datum\", {}),))\n\n",
        string_literal(&title),
        string_literal(&countries.len().to_string()),
        string_literal(&super::reference_period(package).replace('-', "–")),
        string_literal(&options.date.czech())
    ));
    markdown(&mut writer, cache, package, document, &document.body, 0, style);
    overview(&mut writer, package);
    super::terms_used(&mut writer, package, &[(document, "cs")], "cs", "");
    Publication {
        path: "summary-cs.pdf".into(),
        kind: super::FileKind::SummaryCs,
        country: None,
        name: "summary-cs".into(),
        markup: writer.finish(),
        page_limit: None,
    }
}

/// What the tool adds: the countries (Czech names) and headline figures (Czech numbers).
fn overview(writer: &mut MarkupWriter, package: &Package) {
    let style = CZECH_SUMMARY_STYLE;
    writer.raw("#heading(level: 1)[Přehled]\n\n");
    writer.text("Národní příspěvky zaslaly tyto země: ", style);
    let names: Vec<String> = package.contributions.iter().map(|c| country_name(c.country(), "cs")).collect();
    writer.text(&format!("{}.", names.join(", ")), style);
    writer.raw("\n\n");
    let mut flags = std::collections::BTreeSet::new();
    for spec in &package.template.tables {
        let data = figures::table_data(package, spec);
        let Some(last) = (0..data.years.len()).rev().find(|&i| data.rows.iter().any(|(_, c)| c[i].value.is_some()))
        else {
            continue;
        };
        writer.raw("#heading(level: 2)[");
        writer.text(&format!("{} ({})", spec.title_cs.as_deref().unwrap_or(&spec.title), data.years[last]), style);
        let unit = czech_unit(&spec.unit).map(|unit| format!(" ({unit})")).unwrap_or_default();
        writer.raw("]\n\n#table(columns: (1fr, 1fr), align: (left, right), table.header([*Země*], [*Hodnota");
        writer.text(&unit, style);
        writer.raw("*]), ");
        for (code, cells) in &data.rows {
            if let Some(value) = cells[last].formatted("cs") {
                writer.raw("[");
                writer.text(&country_name(code, "cs"), style);
                writer.raw("], [");
                let flag =
                    if cells[last].flag.is_empty() { String::new() } else { format!("\u{a0}{}", cells[last].flag) };
                flags.extend(cells[last].flag.chars().filter(|c| c.is_alphabetic()));
                writer.text(&format!("{value}{flag}"), style);
                writer.raw("], ");
            }
        }
        writer.raw(")\n\n");
    }
    // A flag printed beside a value is explained, in Czech.
    if !flags.is_empty() {
        let entries: Vec<String> = flags.iter().map(|f| format!("{f}: {}", figures::flag_label_cs(*f))).collect();
        writer.raw("#text(size: 8.5pt)[");
        writer.text(&format!("Příznaky: {}.", entries.join("; ")), style);
        writer.raw("]\n\n");
    }
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
