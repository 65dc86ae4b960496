//! The Statistical Annex: one table per template table (countries in
//! protocol order × reference-period years, EU total, flags, unit, source),
//! a bar chart of the latest year, a legend of the flags used; wide tables on
//! landscape pages. Also its machine-readable twins, `statistical-annex.csv`
//! and `statistical-annex.xlsx` (see `workbook`).

use super::document::{Node, TextStyle, Width};
use super::{
    PartCache, PlanOptions, Publication, banner, figures, flag_legend, heading, latest_year_chart, stats_table,
};
use crate::load::Package;

/// The annex's PDF in the bundle (its web page links figures' rows).
pub const PATH: &str = "statistical-annex.pdf";

/// Up to this many tables the annex needs no contents list.
const ANNEX_TABLES_WITHOUT_CONTENTS: usize = 4;

/// More year columns than this go on a landscape page.
const PORTRAIT_YEARS: usize = 7;

/// The Statistical Annex and its CSV, when the template has tables.
pub struct Annex;

impl super::Kind for Annex {
    fn kind(&self) -> super::FileKind {
        super::FileKind::StatisticalAnnex
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, _cache: &PartCache) -> Vec<Publication> {
        if package.template.tables.is_empty() { Vec::new() } else { vec![plan(package, options)] }
    }

    fn data_files(&self, package: &Package, options: &super::PlanOptions) -> Vec<super::DataFile> {
        if package.template.tables.is_empty() {
            return Vec::new();
        }
        std::iter::once(csv(package)).chain(super::workbook::workbook(package, options)).collect()
    }
}
pub fn plan(package: &Package, options: &PlanOptions) -> Publication {
    let title = format!("{} – Statistical Annex", package.manifest.title);
    let mut doc =
        super::doc(package, options, &title, "en", &format!("Statistical Annex · {}", package.manifest.title), false);
    let body = &mut doc.body;
    body.push(banner(
        "Statistical Annex",
        &package.manifest.title,
        &[
            ("Tables", figures::shown_tables(package).0.len().to_string()),
            ("Reference period", super::reference_period(package)),
            ("Published", options.date.english()),
        ],
    ));
    let (shown, left_out) = figures::shown_tables(package);
    if shown.len() > ANNEX_TABLES_WITHOUT_CONTENTS {
        body.push(Node::Contents { depth: 1, own_page: false });
    }
    if shown.iter().any(|(_, data)| data.years.len() > PORTRAIT_YEARS) {
        body.push(Node::Landscape);
    }
    let mut all_flags = std::collections::BTreeSet::new();
    for (spec, data) in &shown {
        body.push(heading(1, &format!("{} {}", spec.id, spec.title), TextStyle::default()));
        if data.has_data() {
            let mut kept =
                vec![stats_table(data, "en"), Node::small(super::unit_and_source(&spec.unit, &data.sources))];
            kept.extend(flag_legend(&data.flags));
            body.push(Node::Keep(kept));
            body.extend(latest_year_chart(data, "en"));
            all_flags.extend(data.flags.iter().copied());
        } else {
            body.push(Node::Gap(format!("No data for {} (indicator {}).", spec.title, spec.indicator)));
        }
    }
    if let Some(text) = figures::left_out_note(&left_out) {
        body.push(Node::Note(text));
    }
    body.extend(printed_figures(package));
    if !all_flags.is_empty() && shown.len() > 1 {
        body.push(heading(1, "Flags", TextStyle::default()));
        let rows: Vec<Vec<String>> =
            all_flags.iter().map(|f| vec![f.to_string(), figures::flag_label(*f).to_string()]).collect();
        body.push(Node::Table(super::text_table(&[Width::Cm(2.0), Width::Fraction(1.0)], &["Flag", "Meaning"], &rows)));
    }
    Publication {
        path: PATH.into(),
        kind: super::FileKind::StatisticalAnnex,
        country: None,
        name: "statistical-annex".into(),
        doc,
        page_limit: None,
        word: None,
    }
}

/// The figures the Inform, the Flash and a situational report print, each
/// with its table, period, flag and how it was made: every one of them can
/// be found here.
fn printed_figures(package: &Package) -> Vec<Node> {
    let printed = figures::printed(package);
    if printed.is_empty() {
        return Vec::new();
    }
    let rows: Vec<Vec<String>> = printed
        .iter()
        .map(|p| {
            let flag = if p.flag.is_empty() { String::new() } else { format!("\u{a0}({})", p.flag) };
            let value = match p.unit.as_str() {
                "% change" => format!("{}{flag}", figures::format_change(p.value, "en")),
                unit => format!("{}{flag} {unit}", crate::numbers::format_number(p.value, p.decimals, "en")),
            };
            vec![p.table.clone(), p.period.clone(), value, p.how.clone()]
        })
        .collect();
    let widths = [Width::Cm(1.6), Width::Cm(2.4), Width::Fraction(1.0), Width::Fraction(1.6)];
    vec![
        heading(1, super::PRINTED_FIGURES, TextStyle::default()),
        Node::Table(super::text_table(&widths, &["Table", "Period", "Value", "How it was made"], &rows)),
        Node::small(
            "In the CSV and the workbook, a sum's country is TOTAL and a change's period spans its years; a flag carries from any value a figure is made from.",
        ),
    ]
}

/// A text cell as a spreadsheet must show it: one that begins like a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return; also their
/// full-width forms, which some spreadsheets read alike) is written after
/// an apostrophe, the spreadsheet's own mark for "this is text".
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// `statistical-annex.csv`: the annex's values, tidy, with flags.
pub fn csv(package: &Package) -> super::DataFile {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["table", "indicator", "country", "year", "value", "flag", "unit"]);
    for spec in &package.template.tables {
        let data = figures::table_data(package, spec);
        let total = data.total.as_ref().map(|(kind, cells)| (kind.code().to_string(), cells.clone()));
        for (code, cells) in data.rows.iter().cloned().chain(total) {
            for (year, cell) in data.years.iter().zip(&cells) {
                if cell.value.is_none() && cell.flag.is_empty() {
                    continue;
                }
                let value = cell.value.map(|v| format!("{v:.*}", usize::from(cell.decimals))).unwrap_or_default();
                // Numbers (negative ones too) stay numbers; every text is
                // written so that a spreadsheet shows it, never runs it.
                let _ = writer.write_record([
                    &*spreadsheet_text(spec.id.get_ref()),
                    &spreadsheet_text(&spec.indicator),
                    &spreadsheet_text(&code),
                    &year.to_string(),
                    &value,
                    &spreadsheet_text(&cell.flag),
                    &spreadsheet_text(&spec.unit),
                ]);
            }
        }
    }
    // The figures the publications print that no table row holds.
    for printed in figures::printed(package).into_iter().filter(|p| !p.in_table) {
        let value = format!("{:.*}", usize::from(printed.decimals), printed.value);
        let _ = writer.write_record([
            &*spreadsheet_text(&printed.table),
            &spreadsheet_text(&printed.indicator),
            printed.country,
            &printed.period,
            &value,
            &spreadsheet_text(&printed.flag),
            &spreadsheet_text(&printed.unit),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    super::DataFile { path: "statistical-annex.csv".into(), kind: super::FileKind::StatisticalAnnexData, bytes }
}

#[cfg(test)]
mod csv_tests {
    #[test]
    fn text_that_begins_like_a_formula_is_written_as_text() {
        for formula in ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1+1"] {
            let shown = super::spreadsheet_text(formula);
            assert!(shown.starts_with('\''), "{formula:?} became {shown:?}");
            assert_eq!(&shown[1..], formula);
        }
        for text in ["persons", "T1", "migr_asyappctza", "p", ""] {
            assert_eq!(super::spreadsheet_text(text), text);
        }
    }
}
