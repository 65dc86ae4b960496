//! Statistics as the publications show them: one table per template table,
//! countries in protocol order by reference-period years, EU totals, flags,
//! and numbers formatted for the reader's language.

use std::collections::{BTreeMap, BTreeSet};

use crate::check::selects;
use crate::countries;
use crate::load::statistics::Shape;
use crate::load::{Observation, Package, TableSpec};

/// One value as shown: the number (if available) and its flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub value: Option<f64>,
    pub flag: String,
}

/// A template table filled with the package's data.
#[derive(Debug, Clone)]
pub struct TableData<'a> {
    pub spec: &'a TableSpec,
    pub years: Vec<i32>,
    /// (country code, one cell per year), in protocol order.
    pub rows: Vec<(String, Vec<Cell>)>,
    /// EU total per year: Eurostat's `EU27_2020` rows when present, else the
    /// sum of the rows where every country has a value.
    pub total: Option<(TotalKind, Vec<Cell>)>,
    pub flags: BTreeSet<char>,
    /// Files (and Eurostat dataset codes) the values come from.
    pub sources: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalKind {
    Eurostat,
    Computed,
}

impl TableData<'_> {
    pub fn has_data(&self) -> bool {
        self.rows.iter().any(|(_, cells)| cells.iter().any(|c| c.value.is_some()))
    }

    /// The last year with any value, and the change from the first year, for the total or the sum.
    pub fn headline(&self) -> Option<(i32, f64, Option<f64>)> {
        let column_sum = |index: usize| -> Option<f64> {
            if let Some((_, cells)) = &self.total {
                return cells[index].value;
            }
            let values: Vec<f64> = self.rows.iter().filter_map(|(_, cells)| cells[index].value).collect();
            (!values.is_empty()).then(|| values.iter().sum())
        };
        let last = (0..self.years.len()).rev().find(|&i| column_sum(i).is_some())?;
        let first = (0..self.years.len()).find(|&i| column_sum(i).is_some())?;
        let latest = column_sum(last)?;
        let change = (first < last)
            .then(|| column_sum(first))
            .flatten()
            .filter(|v| *v != 0.0)
            .map(|start| (latest - start) / start * 100.0);
        Some((self.years[last], latest, change))
    }
}

/// The countries a package is about: those expected and those that wrote.
pub fn package_countries(package: &Package) -> Vec<String> {
    let mut codes: BTreeSet<String> = package.manifest.countries.iter().map(|c| c.get_ref().clone()).collect();
    codes.extend(package.contributions.iter().map(|c| c.country().to_string()));
    let mut codes: Vec<String> = codes.into_iter().filter(|c| countries::find(c).is_some()).collect();
    codes.sort_by_key(|c| countries::protocol_rank(c));
    codes
}

/// Picks, among several rows for one cell, the one of the total breakdown.
fn preferred<'a>(candidates: &[&'a Observation]) -> &'a Observation {
    let is_total = |o: &&Observation| {
        o.breakdowns.values().all(|v| matches!(v.to_ascii_uppercase().as_str(), "" | "T" | "TOTAL" | "TOT"))
    };
    candidates.iter().find(|o| is_total(o)).copied().unwrap_or(candidates[0])
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
    for observation in package.observations.iter().filter(|o| selects(package, spec, o)) {
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
                Some(candidates) => {
                    let observation = preferred(candidates);
                    flags.extend(observation.flag.chars().filter(|c| c.is_ascii_alphabetic()));
                    sources.insert(match observation.shape {
                        Shape::Tidy => observation.file.clone(),
                        _ => format!("Eurostat, {} ({})", spec.indicator, observation.file),
                    });
                    Cell { value: observation.value, flag: observation.flag.clone() }
                }
                None => Cell::default(),
            })
            .collect()
    };
    let rows: Vec<(String, Vec<Cell>)> = codes.iter().map(|code| (code.clone(), cells_for(code))).collect();
    let eurostat_total = cells_for(countries::EU_TOTAL);
    let total = if eurostat_total.iter().any(|c| c.value.is_some()) {
        Some((TotalKind::Eurostat, eurostat_total))
    } else if rows.is_empty() {
        None
    } else {
        let sums: Vec<Cell> = (0..years.len())
            .map(|i| {
                let values: Option<Vec<f64>> = rows.iter().map(|(_, cells)| cells[i].value).collect();
                Cell { value: values.map(|v| v.iter().sum()), flag: String::new() }
            })
            .collect();
        sums.iter().any(|c| c.value.is_some()).then_some((TotalKind::Computed, sums))
    };
    TableData { spec, years, rows, total, flags, sources }
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

/// Formats a number: English `56,417` and `26.0`, Czech `56 417` and `26,0`.
pub fn format_number(value: f64, lang: &str) -> String {
    let (thousands, decimal) = if lang == "cs" { ('\u{a0}', ',') } else { (',', '.') };
    let negative = value < 0.0;
    let value = value.abs();
    let whole = value.trunc() == value;
    let text = if whole { format!("{value:.0}") } else { format!("{value:.1}") };
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push(decimal);
        grouped.push_str(fraction);
    }
    if negative { format!("−{grouped}") } else { grouped }
}

/// Formats a percentage change with its sign: `+12.5 %` / `+12,5 %`.
pub fn format_change(change: f64, lang: &str) -> String {
    let rounded = (change * 10.0).round() / 10.0;
    let sign = if rounded > 0.0 { "+" } else { "" };
    let number = if rounded.trunc() == rounded {
        format!("{}{}", format_number(rounded, lang), if lang == "cs" { ",0" } else { ".0" })
    } else {
        format_number(rounded, lang)
    };
    format!("{sign}{number}\u{a0}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_language() {
        assert_eq!(format_number(56417.0, "en"), "56,417");
        assert_eq!(format_number(26.0, "en"), "26");
        assert_eq!(format_number(26.04, "en"), "26.0");
        assert_eq!(format_number(1234.5, "cs"), "1\u{a0}234,5");
        assert_eq!(format_number(63174.0, "cs"), "63\u{a0}174");
        assert_eq!(format_number(-1234567.0, "en"), "−1,234,567");
        assert_eq!(format_change(12.34, "en"), "+12.3\u{a0}%");
        assert_eq!(format_change(-5.0, "cs"), "−5,0\u{a0}%");
    }
}
