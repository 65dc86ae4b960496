//! Statistics as the publications show them: one table per template table,
//! countries in protocol order by reference-period years, EU totals, flags,
//! and numbers formatted for the reader's language.

use std::collections::{BTreeMap, BTreeSet};

use crate::countries;
use crate::load::statistics::{Frequency, Shape};
use crate::load::template::{TotalMode, is_summable_unit};
use crate::load::{Observation, Package, TableSpec};

/// One value as shown: the number (if available), the decimals its source
/// gives it, and its flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub value: Option<f64>,
    pub decimals: u8,
    pub flag: String,
}

/// The flags of `cells` together (letters once each, in order): what a
/// figure made from them carries (a sum with a provisional input is
/// provisional).
pub fn carried_flags<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> String {
    let flags: BTreeSet<char> = cells.into_iter().flat_map(|c| c.flag.chars()).filter(|c| c.is_alphabetic()).collect();
    flags.into_iter().collect()
}

impl Cell {
    /// An observation's value as a table shows it.
    pub fn of(observation: &Observation) -> Cell {
        Cell { value: observation.value, decimals: observation.decimals, flag: observation.flag.clone() }
    }

    /// The sum of `cells` (those with a value), in the most decimals any
    /// has, carrying their flags.
    pub fn sum<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Cell {
        let cells: Vec<&Cell> = cells.into_iter().collect();
        Cell {
            value: Some(cells.iter().filter_map(|c| c.value).sum()),
            decimals: cells.iter().map(|c| c.decimals).max().unwrap_or(0),
            flag: carried_flags(cells.iter().copied()),
        }
    }

    /// The value as published, in a language's number format.
    pub fn formatted(&self, lang: &str) -> Option<String> {
        self.value.map(|v| format_number(v, self.decimals, lang))
    }
}

/// A template table filled with the package's data.
#[derive(Debug, Clone)]
pub struct TableData<'a> {
    pub spec: &'a TableSpec,
    pub years: Vec<i32>,
    /// (country code, one cell per year), in protocol order.
    pub rows: Vec<(String, Vec<Cell>)>,
    /// The total row as the table's `total` says (SPEC, "Statistics").
    pub total: Option<(TotalKind, Vec<Cell>)>,
    pub flags: BTreeSet<char>,
    /// Files (and Eurostat dataset codes) the values come from.
    pub sources: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalKind {
    /// Eurostat's `EU27_2020` row: "EU27 (Eurostat)".
    Eurostat,
    /// The sum of the countries shown: "Total of the countries shown",
    /// `TOTAL` in the annex CSV (never `EU27_2020`).
    Sum,
}

impl TotalKind {
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (TotalKind::Eurostat, _) => "EU27 (Eurostat)",
            (TotalKind::Sum, "cs") => "Součet uvedených zemí",
            (TotalKind::Sum, _) => "Total of the countries shown",
        }
    }

    /// The country code of the total row in the annex CSV.
    pub fn code(self) -> &'static str {
        match self {
            TotalKind::Eurostat => countries::EU_TOTAL,
            TotalKind::Sum => "TOTAL",
        }
    }
}

/// The latest figure of a table and its change over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub year: i32,
    pub value: Cell,
    pub label: &'static str,
    /// Change since the first year, like for like: from the total row, or
    /// over the countries with a value in both years (named by count).
    pub change: Option<Change>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub from_year: i32,
    pub percent: f64,
    /// The flags of the values it is made from.
    pub flag: String,
    /// `None` when the change is that of the total row.
    pub countries: Option<usize>,
    /// Countries with a value in only one of the two years, left out of
    /// the like-for-like change.
    pub left_out: Vec<String>,
}

impl TableData<'_> {
    pub fn has_data(&self) -> bool {
        self.rows.iter().any(|(_, cells)| cells.iter().any(|c| c.value.is_some()))
    }

    /// The latest year with data and its change since the first year with
    /// data. From the total row when there is one; otherwise, for counts
    /// only, the sum of the countries and the change over the countries
    /// that have a value in both years. Rates without a total have none.
    pub fn headline(&self) -> Option<Headline> {
        if let Some((kind, cells)) = &self.total {
            let last = (0..self.years.len()).rev().find(|&i| cells[i].value.is_some())?;
            let first = (0..last).find(|&i| cells[i].value.is_some());
            let change = first.and_then(|first| {
                let start = cells[first].value.filter(|v| *v != 0.0)?;
                let percent = (cells[last].value? - start) / start * 100.0;
                let flag = carried_flags([&cells[first], &cells[last]]);
                Some(Change { from_year: self.years[first], percent, flag, countries: None, left_out: Vec::new() })
            });
            return Some(Headline {
                year: self.years[last],
                value: cells[last].clone(),
                label: kind.label("en"),
                change,
            });
        }
        if !is_summable_unit(&self.spec.unit) {
            return None;
        }
        let with_value = |i: usize| self.rows.iter().filter(move |(_, cells)| cells[i].value.is_some());
        let last = (0..self.years.len()).rev().find(|&i| with_value(i).next().is_some())?;
        let sum = |i: usize, rows: &mut dyn Iterator<Item = &(String, Vec<Cell>)>| -> Cell {
            Cell::sum(rows.map(|(_, cells)| &cells[i]).collect::<Vec<_>>())
        };
        let value = sum(last, &mut with_value(last));
        let first = (0..last).find(|&i| with_value(i).next().is_some());
        let change = first.and_then(|first| {
            let both: Vec<&(String, Vec<Cell>)> =
                self.rows.iter().filter(|(_, c)| c[first].value.is_some() && c[last].value.is_some()).collect();
            let start = sum(first, &mut both.iter().copied()).value.filter(|v| *v != 0.0)?;
            let end = sum(last, &mut both.iter().copied()).value?;
            let left_out = self
                .rows
                .iter()
                .filter(|(_, c)| c[first].value.is_some() != c[last].value.is_some())
                .map(|(code, _)| code.clone())
                .collect();
            let flag = carried_flags(both.iter().flat_map(|(_, c)| [&c[first], &c[last]]));
            Some(Change {
                from_year: self.years[first],
                percent: (end - start) / start * 100.0,
                flag,
                countries: Some(both.len()),
                left_out,
            })
        });
        Some(Headline { year: self.years[last], value, label: TotalKind::Sum.label("en"), change })
    }
}

/// A figure the Inform, the Flash or a situational report prints that no
/// table of the annex shows as such: a table's latest total or its change
/// over the period, with how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    /// The table's id.
    pub table: String,
    pub indicator: String,
    /// `EU27_2020` for Eurostat's total, `TOTAL` for a sum.
    pub country: &'static str,
    /// `2023`, or `2019-2023` for a change.
    pub period: String,
    pub value: f64,
    pub decimals: u8,
    pub flag: String,
    /// The table's unit, or `% change`.
    pub unit: String,
    /// How it was made, in words.
    pub how: String,
    /// Whether the annex's table has it as its total row already.
    pub in_table: bool,
}

/// The headline figures every table gives (see [`TableData::headline`]).
pub fn printed(package: &Package) -> Vec<Printed> {
    let mut printed = Vec::new();
    for spec in &package.template.tables {
        let data = table_data(package, spec);
        let Some(headline) = data.headline() else { continue };
        let country = data.total.as_ref().map_or(TotalKind::Sum, |(kind, _)| *kind).code();
        let with_data = |year: i32| {
            let at = data.years.iter().position(|y| *y == year);
            at.map_or(0, |i| data.rows.iter().filter(|(_, c)| c[i].value.is_some()).count())
        };
        let how = match &data.total {
            Some((TotalKind::Eurostat, _)) => "Eurostat's EU27 total".to_string(),
            Some((TotalKind::Sum, _)) | None => {
                format!("sum of {}", crate::diagnostic::count(with_data(headline.year), "country", "countries"))
            }
        };
        let row =
            |period: String, value: f64, decimals: u8, flag: &str, unit: &str, how: String, in_table: bool| Printed {
                table: spec.id.get_ref().clone(),
                indicator: spec.indicator.clone(),
                country,
                period,
                value,
                decimals,
                flag: flag.to_string(),
                unit: unit.to_string(),
                how,
                in_table,
            };
        if let Some(value) = headline.value.value {
            let cell = &headline.value;
            let in_table = data.total.is_some();
            printed.push(row(headline.year.to_string(), value, cell.decimals, &cell.flag, &spec.unit, how, in_table));
        }
        if let Some(change) = &headline.change {
            let scope = match change.countries {
                Some(n) => format!(", {} with data in both years", crate::diagnostic::count(n, "country", "countries")),
                None => String::new(),
            };
            let how = format!("change from {} to {}{scope}", change.from_year, headline.year);
            let period = format!("{}-{}", change.from_year, headline.year);
            let percent = (change.percent * 10.0).round() / 10.0;
            printed.push(row(period, percent, 1, &change.flag, "% change", how, false));
        }
    }
    printed
}

/// The countries a package is about: those expected and those that wrote.
pub fn package_countries(package: &Package) -> Vec<String> {
    let mut codes: BTreeSet<String> = package.manifest.countries.iter().map(|c| c.get_ref().clone()).collect();
    codes.extend(package.contributions.iter().map(|c| c.country().to_string()));
    let mut codes: Vec<String> = codes.into_iter().filter(|c| countries::find(c).is_some()).collect();
    codes.sort_by_key(|c| countries::protocol_rank(c));
    codes
}

/// A year of a monthly or weekly table from its parts: the sum of its 12
/// months (52 or 53 weeks), their flags carried; not available otherwise.
fn whole_year(parts: &[&Observation], spec: &TableSpec) -> Cell {
    let weeks = spec.period == crate::load::template::TablePeriod::Week;
    let mut by_part: BTreeMap<u8, &Observation> = BTreeMap::new();
    for observation in parts {
        if let Some(part) = observation.part_of_year(weeks) {
            by_part.entry(part).or_insert(observation);
        }
    }
    let complete = if weeks { by_part.len() >= 52 } else { by_part.len() == 12 };
    if !complete || by_part.values().any(|o| o.value.is_none()) {
        return Cell::default();
    }
    let cells: Vec<Cell> = by_part.values().map(|o| Cell::of(o)).collect();
    Cell::sum(&cells)
}

/// Picks, among several rows for one cell, the one of the total breakdown.
fn preferred<'a>(candidates: &[&'a Observation]) -> &'a Observation {
    let is_total = |o: &&Observation| {
        o.breakdowns.values().all(|v| matches!(v.to_ascii_uppercase().as_str(), "" | "T" | "TOTAL" | "TOT"))
    };
    candidates.iter().find(|o| is_total(o)).copied().unwrap_or(candidates[0])
}

/// Where a table's value comes from, as printed under it: the template's
/// `source`, else the editors' file, else the Eurostat dataset and file.
fn source_label(spec: &TableSpec, observation: &Observation) -> String {
    match (&spec.source, observation.shape) {
        (Some(source), _) => source.clone(),
        // Without the template's `source`: who the data come from, not the
        // package's file names (a reader has no `statistics/` folder).
        (None, Shape::Tidy) => "EMN National Contact Points".to_string(),
        (None, _) => format!("Eurostat ({})", spec.indicator),
    }
}

/// Fills a template table from the package's observations.
pub fn table_data<'a>(package: &'a Package, spec: &'a TableSpec) -> TableData<'a> {
    let years: Vec<i32> = match package.period() {
        Some(period) => period.years().collect(),
        None => {
            let years: BTreeSet<i32> =
                package.observations.iter().filter(|o| o.indicator == spec.indicator).map(|o| o.year).collect();
            years.into_iter().collect()
        }
    };
    let wanted = package_countries(package);
    let mut by_cell: BTreeMap<(&str, i32), Vec<&Observation>> = BTreeMap::new();
    for observation in package.table_rows(spec) {
        // Eurostat files cover every country; show the package's (tidy files are the editors' own).
        let in_package = wanted.is_empty() || wanted.contains(&observation.country) || observation.shape == Shape::Tidy;
        if in_package || observation.country == countries::EU_TOTAL {
            by_cell.entry((observation.country.as_str(), observation.year)).or_default().push(observation);
        }
    }
    let mut codes: BTreeSet<String> = wanted.into_iter().collect();
    codes.extend(by_cell.keys().map(|(c, _)| c.to_string()).filter(|c| c != countries::EU_TOTAL));
    let mut codes: Vec<String> = codes.into_iter().collect();
    codes.sort_by_key(|c| (countries::protocol_rank(c), c.clone()));

    let mut flags = BTreeSet::new();
    let mut sources = BTreeSet::new();
    let mut cells_for = |code: &str| -> Vec<Cell> {
        years
            .iter()
            .map(|year| match by_cell.get(&(code, *year)) {
                // Months or weeks: a year is its yearly row, or all its
                // months (weeks) added; a part of a year is no year.
                Some(candidates) if candidates.iter().all(|o| o.frequency != Frequency::Annual) => {
                    whole_year(candidates, spec)
                }
                Some(candidates) => {
                    let candidates: Vec<&Observation> =
                        candidates.iter().copied().filter(|o| o.frequency == Frequency::Annual).collect();
                    let observation = preferred(&candidates);
                    flags.extend(observation.flag.chars().filter(|c| c.is_ascii_alphabetic()));
                    sources.insert(source_label(spec, observation));
                    Cell::of(observation)
                }
                None => Cell::default(),
            })
            .collect()
    };
    let rows: Vec<(String, Vec<Cell>)> = codes.iter().map(|code| (code.clone(), cells_for(code))).collect();
    let mode = spec.total.as_ref().map(|t| *t.get_ref());
    let total = match mode {
        Some(TotalMode::None) => None,
        Some(TotalMode::Sum) => column_sums(&rows, years.len()).map(|cells| (TotalKind::Sum, cells)),
        Some(TotalMode::Eurostat) | None => {
            let eurostat = cells_for(countries::EU_TOTAL);
            eurostat.iter().any(|c| c.value.is_some()).then_some((TotalKind::Eurostat, eurostat))
        }
    };
    TableData { spec, years, rows, total, flags, sources }
}

/// Per column, the sum of the rows where every row has a value (else not
/// available); `None` when no column has one.
fn column_sums(rows: &[(String, Vec<Cell>)], columns: usize) -> Option<Vec<Cell>> {
    if rows.is_empty() {
        return None;
    }
    let sums: Vec<Cell> = (0..columns)
        .map(|i| {
            let values: Option<Vec<f64>> = rows.iter().map(|(_, cells)| cells[i].value).collect();
            let decimals = rows.iter().map(|(_, cells)| cells[i].decimals).max().unwrap_or(0);
            let flag = carried_flags(rows.iter().map(|(_, cells)| &cells[i]));
            Cell { value: values.map(|v| v.iter().sum()), decimals, flag }
        })
        .collect();
    sums.iter().any(|c| c.value.is_some()).then_some(sums)
}

/// Eurostat's flag labels (code list OBS_FLAG, plus confidentiality and pre-2025 codes).
pub fn flag_label(flag: char) -> &'static str {
    match flag {
        'b' => "break in time series",
        'd' => "definition differs (see metadata)",
        'e' => "estimated",
        'f' => "forecast",
        'i' => "value imputed by Eurostat or other receiving agencies",
        'm' => "missing value; data cannot exist",
        'n' => "not significant",
        'p' => "provisional",
        'u' => "low reliability",
        'c' | 'C' => "confidential",
        'N' | 'P' => "not for publication, restricted for internal use only",
        's' => "Eurostat estimate",
        'r' => "revised",
        'z' => "not applicable",
        _ => "unknown flag",
    }
}

/// A Eurostat flag's meaning in Czech, for the Czech summary.
pub fn flag_label_cs(flag: char) -> &'static str {
    match flag {
        'b' => "přerušení časové řady",
        'd' => "odlišná definice (viz metadata)",
        'e' => "odhad",
        'f' => "prognóza",
        'i' => "hodnota doplněná Eurostatem nebo jiným přijímajícím subjektem",
        'm' => "chybějící hodnota; údaj nemůže existovat",
        'n' => "nevýznamné",
        'p' => "předběžné",
        'u' => "nízká spolehlivost",
        'c' | 'C' => "důvěrné",
        'N' | 'P' => "neurčeno ke zveřejnění, pouze pro vnitřní potřebu",
        's' => "odhad Eurostatu",
        'r' => "revidováno",
        'z' => "nepoužije se",
        _ => "neznámý příznak",
    }
}

pub use crate::numbers::format_number;

/// Formats a percentage change with its sign: `+12.5 %` / `+12,5 %`.
pub fn format_change(change: f64, lang: &str) -> String {
    let rounded = (change * 10.0).round() / 10.0;
    let sign = if rounded > 0.0 { "+" } else { "" };
    format!("{sign}{}\u{a0}%", format_number(rounded, 1, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_language() {
        assert_eq!(format_number(56417.0, 0, "en"), "56,417");
        assert_eq!(format_number(26.0, 0, "en"), "26");
        assert_eq!(format_number(26.0, 1, "en"), "26.0");
        assert_eq!(format_number(1.5, 2, "en"), "1.50");
        assert_eq!(format_number(1234.5, 1, "cs"), "1\u{a0}234,5");
        assert_eq!(format_number(63174.0, 0, "cs"), "63\u{a0}174");
        assert_eq!(format_number(-1234567.0, 0, "en"), "−1,234,567");
        assert_eq!(format_number(-0.01, 1, "en"), "0.0");
        // From CLDR, for every language alike.
        assert_eq!(format_number(21480.0, 0, "de"), "21.480");
        assert_eq!(format_number(1234.5, 1, "de-AT"), "1\u{a0}234,5");
        assert_eq!(format_number(21480.0, 0, "fr"), "21\u{202f}480");
        assert_eq!(format_number(21480.0, 0, "pl"), "21\u{a0}480");
        assert_eq!(format_number(21480.0, 0, "zz-unknown"), "21,480");
        assert_eq!(format_change(12.34, "en"), "+12.3\u{a0}%");
        assert_eq!(format_change(-5.0, "cs"), "−5,0\u{a0}%");
    }
}

/// One country's row of a quarterly table: the quarter before and the
/// reference quarter.
#[derive(Debug, Clone)]
pub struct QuarterRow {
    pub code: String,
    pub previous: Cell,
    pub current: Cell,
}

/// A quarterly table (a bulletin's key statistics): for the Member States
/// and Norway with data, in protocol order, and the EU total, the sums of
/// the months of each quarter. A quarter with a month missing is not
/// available; a file's own quarterly row is taken as it is.
#[derive(Debug, Clone)]
pub struct QuarterTable {
    /// (year, quarter) of the previous and the reference quarter.
    pub quarters: [(i32, u8); 2],
    pub rows: Vec<QuarterRow>,
    pub total: Option<QuarterRow>,
    pub sources: BTreeSet<String>,
}

pub fn quarter_table(package: &Package, spec: &TableSpec) -> Option<QuarterTable> {
    let period = package.period()?;
    let quarters = [period.previous_quarter()?, period.this_quarter()?];
    let mut groups: BTreeMap<(&str, (i32, u8)), Vec<&Observation>> = BTreeMap::new();
    let mut sources = BTreeSet::new();
    for observation in package.table_rows(spec) {
        let Some(quarter) = observation.quarter else { continue };
        let shows = observation.country == countries::EU_TOTAL
            || countries::find(&observation.country).is_some_and(|c| !c.observer || c.code == "NO");
        if shows {
            groups.entry((observation.country.as_str(), (observation.year, quarter))).or_default().push(observation);
            sources.insert(source_label(spec, observation));
        }
    }
    let mut codes: Vec<&str> = groups.keys().map(|(code, _)| *code).collect();
    codes.dedup();
    codes.sort_by_key(|code| countries::protocol_rank(code));
    let row = |code: &str| QuarterRow {
        code: code.to_string(),
        previous: quarter_sum(groups.get(&(code, quarters[0]))),
        current: quarter_sum(groups.get(&(code, quarters[1]))),
    };
    let rows = codes.iter().filter(|c| **c != countries::EU_TOTAL).map(|c| row(c)).collect();
    let total = codes.contains(&countries::EU_TOTAL).then(|| row(countries::EU_TOTAL));
    Some(QuarterTable { quarters, rows, total, sources })
}

/// The quarter's value from its rows: a quarterly row as given, else the
/// sum of three months (any month missing: not available).
fn quarter_sum(rows: Option<&Vec<&Observation>>) -> Cell {
    use crate::load::statistics::Frequency;
    let Some(rows) = rows else { return Cell::default() };
    let quarterly: Vec<&Observation> = rows.iter().copied().filter(|o| o.frequency == Frequency::Quarterly).collect();
    if !quarterly.is_empty() {
        let row = preferred(&quarterly);
        return Cell { value: row.value, decimals: row.decimals, flag: row.flag.clone() };
    }
    let mut months: BTreeMap<_, Vec<&Observation>> = BTreeMap::new();
    for row in rows.iter().filter(|o| o.frequency == Frequency::Monthly) {
        months.entry(row.period_key()).or_default().push(row);
    }
    let chosen: Vec<&Observation> = months.values().map(|candidates| preferred(candidates)).collect();
    let mut flags: BTreeSet<char> = BTreeSet::new();
    for row in &chosen {
        flags.extend(row.flag.chars().filter(|c| c.is_ascii_alphabetic()));
    }
    let values: Option<Vec<f64>> = chosen.iter().map(|o| o.value).collect();
    let value: Option<f64> = values.filter(|v| v.len() == 3).map(|v| v.iter().sum());
    let decimals = chosen.iter().map(|o| o.decimals).max().unwrap_or(0);
    // A quarter that is not available carries no flag of its months.
    let flag = if value.is_some() { flags.into_iter().collect() } else { String::new() };
    Cell { value, decimals, flag }
}

/// The tables a publication shows, with their data, and the optional
/// tables it leaves out because the statistics hold nothing for them (a
/// required table without data is `missing-table-data` in `validate`, and
/// shown as a gap in a draft built with `--allow-incomplete`).
pub fn shown_tables(package: &Package) -> (Vec<(&TableSpec, TableData<'_>)>, Vec<&TableSpec>) {
    let mut shown = Vec::new();
    let mut left_out = Vec::new();
    for spec in &package.template.tables {
        let data = table_data(package, spec);
        if data.has_data() || spec.required {
            shown.push((spec, data));
        } else {
            left_out.push(spec);
        }
    }
    (shown, left_out)
}

/// The note naming optional tables left out for want of data, if any.
pub fn left_out_note(left_out: &[&TableSpec]) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let names: Vec<String> = left_out.iter().map(|spec| format!("{} {}", spec.id.get_ref(), spec.title)).collect();
    Some(format!(
        "Not included, as the statistics hold no data for {}: {}.",
        if left_out.len() == 1 { "it" } else { "them" },
        names.join("; ")
    ))
}
