//! Rules over the statistics: values, flags, periods, duplicate rows and
//! tables without data.

use super::*;

/// Flags of Eurostat's code list: observation status, confidentiality, and
/// the codes used before 2025.
pub const KNOWN_FLAGS: &str = "bdefimnpuCNPcszr";

/// Whether negative values make sense for a unit (net flows, changes, rates).
fn allows_negative(unit: &str) -> bool {
    let unit = unit.to_lowercase();
    ["net", "change", "balance", "%", "percent", "rate", "index"].iter().any(|word| unit.contains(word))
}

/// Places a diagnostic at the row of a statistics file an observation
/// came from; in a workbook the message also names the sheet and the cell
/// (`sheet permits, cell C7`), as the editor finds it in the spreadsheet.
trait AtRow {
    fn at_row(self, observation: &Observation, column: Option<usize>) -> Diagnostic;
}

impl AtRow for Diagnostic {
    fn at_row(self, observation: &Observation, column: Option<usize>) -> Diagnostic {
        match &observation.sheet {
            Some(sheet) => crate::load::workbook::in_sheet(self, sheet, observation.line, column),
            None => self.at(observation.line, column.unwrap_or(1)),
        }
    }
}

/// A statistics row's identity: indicator, country, period (as a value), breakdowns.
type RowKey<'a> = (&'a str, &'a str, (i32, crate::load::statistics::Frequency, u8), Vec<(&'a str, &'a str)>);

pub(super) fn check_statistics(package: &Package, out: &mut Vec<Diagnostic>) {
    let period = package.period();
    let mut first_rows: BTreeMap<RowKey, (&str, usize)> = BTreeMap::new();
    let mut outside: BTreeMap<(&str, &str), (&Observation, usize)> = BTreeMap::new();
    for observation in package.observations.iter().filter(|o| o.shape == Shape::Tidy) {
        let file = observation.file.as_str();
        let line = observation.line;
        // Rows of an indicator without a table are `unknown-indicator` when
        // read (once per file and indicator, with the count).
        let table = package.template.table_for(&observation.indicator).next();
        if observation.country != countries::EU_TOTAL && countries::find(&observation.country).is_none() {
            out.push(bad_country(file, &observation.country).at_row(observation, Some(observation.country_column)));
        } else if table.is_some()
            && observation.country != countries::EU_TOTAL
            && !package.takes_part(&observation.country)
        {
            let entry = outside.entry((file, observation.country.as_str())).or_insert((observation, 0));
            entry.1 += 1;
        }
        if let Some(period) = period
            && !period.contains(observation.year)
        {
            out.push(
                Diagnostic::error(
                    "year-out-of-period",
                    file,
                    format!("{} is outside the reference period {}-{}", observation.year, period.first, period.last),
                )
                .at_row(observation, Some(observation.period_column))
                .with_hint("remove the row or widen `reference-period` in emn.toml"),
            );
        }
        check_value(observation, table, out);
        check_flag(observation, out);
        let key = (
            observation.indicator.as_str(),
            observation.country.as_str(),
            observation.period_key(),
            observation.breakdowns.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        );
        if let Some((first_file, first)) = first_rows.get(&key) {
            out.push(duplicate_row(observation, first_file, *first));
        } else {
            first_rows.insert(key, (file, line));
        }
    }
    for ((file, country), (first, count)) in outside {
        out.push(
            Diagnostic::warning(
                "country-not-in-package",
                file,
                format!(
                    "{country} is not one of the package's countries, so its rows are printed nowhere and counted in no total{}",
                    crate::load::statistics::rows_more(count)
                ),
            )
            .at_row(first, Some(first.country_column))
            .with_hint(format!("add \"{country}\" to `countries` in emn.toml if it takes part, or remove its rows")),
        );
    }
}

/// `duplicate-row` for a row given before, on line `first` of `first_file`.
fn duplicate_row(observation: &Observation, first_file: &str, first: usize) -> Diagnostic {
    let file = observation.file.as_str();
    let place = if first_file == file {
        format!("on line {first}")
    } else {
        format!("in {}, line {first}", crate::diagnostic::display_path(first_file))
    };
    Diagnostic::error(
        "duplicate-row",
        file,
        format!(
            "{} {} {} is given twice (first {place})",
            observation.indicator, observation.country, observation.period
        ),
    )
    .at_row(observation, Some(observation.period_column))
    .with_hint("keep one row per indicator, country, year and breakdown")
}

/// A tidy row's value against its table's unit: no negative counts, no
/// fractions of a count.
fn check_value(observation: &Observation, table: Option<&crate::load::TableSpec>, out: &mut Vec<Diagnostic>) {
    let file = observation.file.as_str();
    if let Some(value) = observation.value
        && value < 0.0
        && !allows_negative(table.map(|t| t.unit.as_str()).unwrap_or(""))
    {
        out.push(
            Diagnostic::error(
                "negative-count",
                file,
                format!(
                    "{value} is negative, but `{}` counts {}",
                    observation.indicator,
                    table.map(|t| t.unit.as_str()).filter(|u| !u.is_empty()).unwrap_or("items")
                ),
            )
            .at_row(observation, Some(observation.value_column))
            .with_hint("counts cannot be negative; check the sign"),
        );
    }
    if let Some(value) = observation.value
        && value.fract() != 0.0
        && crate::load::template::is_count_unit(table.map(|t| t.unit.as_str()).unwrap_or(""))
    {
        out.push(
            Diagnostic::warning(
                "fractional-count",
                file,
                format!(
                    "{value} ({} {} {}) has a fraction, but the table counts {}",
                    observation.indicator,
                    observation.country,
                    observation.period,
                    table.map(|t| t.unit.as_str()).unwrap_or("")
                ),
            )
            .at_row(observation, Some(observation.value_column))
            .with_hint("a count is a whole number: check the decimal and thousands separators (116.180 in English means 116.18)"),
        );
    }
}

/// Rows of Eurostat files (TSV, SDMX-CSV) that a table prints: in a
/// table's slice, for an expected country or the EU total, in the
/// reference period. Their cells are checked as strictly as tidy ones;
/// the rest of a download is taken as published and not read.
pub(super) fn check_eurostat_rows(package: &Package, out: &mut Vec<Diagnostic>) {
    let selected =
        package.template.tables.iter().flat_map(|table| package.table_rows(table)).filter(|o| o.shape != Shape::Tidy);
    let mut seen = BTreeSet::new();
    for observation in selected {
        // A row two tables select is checked once.
        if !seen.insert((observation.file.as_str(), observation.line, observation.value_column)) {
            continue;
        }
        if let Some(raw) = &observation.unreadable {
            out.push(
                Diagnostic::error(
                    "bad-value",
                    &observation.file,
                    format!(
                        "`{raw}` ({} {} {}) is not a value as Eurostat publishes it",
                        observation.indicator, observation.country, observation.period
                    ),
                )
                .at_row(observation, Some(observation.value_column))
                .with_hint("a Eurostat cell is a number with a decimal point (e.g. 1234 or 12.5), or `:`, then a space and its flag letters (`1234 p`); download the file again rather than editing it"),
            );
        }
        check_flag(observation, out);
    }
}

/// A row's flag: Eurostat's letters, each once.
fn check_flag(observation: &Observation, out: &mut Vec<Diagnostic>) {
    let file = observation.file.as_str();
    let letters: Vec<char> = observation.flag.chars().filter(|c| !c.is_whitespace()).collect();
    let repeated = letters.iter().enumerate().find(|(i, c)| letters[..*i].contains(c)).map(|(_, c)| *c);
    if let Some(bad) = observation.flag.chars().find(|c| !KNOWN_FLAGS.contains(*c) && !c.is_whitespace()).or(repeated) {
        let hint = if bad == ':' {
            "`:` means \"not available\" and belongs in the value column (leave the value empty or write `:` there); flags are Eurostat's: b d e f i m n p u, C N P, and c s z r in older data"
        } else {
            "flags are Eurostat's: b d e f i m n p u, C N P, and c s z r in older data"
        };
        out.push(
            Diagnostic::error(
                "unknown-flag",
                file,
                format!("flag `{}` is not a Eurostat flag (`{bad}` is unknown)", observation.flag),
            )
            .at_row(observation, Some(observation.flag_column))
            .with_hint(hint),
        );
    }
}

/// Monthly or quarterly rows for an annual table: an error once per file
/// and table, at the first such row (they are never read as years).
pub(super) fn check_periods(package: &Package, out: &mut Vec<Diagnostic>) {
    use crate::load::template::TablePeriod;
    let mut reported = std::collections::BTreeSet::new();
    for table in &package.template.tables {
        // A yearly table takes yearly rows; a quarterly one months or quarters.
        let wrong = |o: &&Observation| match table.period {
            TablePeriod::Year => o.frequency != Frequency::Annual,
            // A quarterly table sums months or takes quarters.
            TablePeriod::Quarter if o.frequency == Frequency::Weekly => true,
            TablePeriod::Quarter => o.frequency == Frequency::Annual,
            TablePeriod::Month => !matches!(o.frequency, Frequency::Monthly | Frequency::Annual),
            TablePeriod::Week => !matches!(o.frequency, Frequency::Weekly | Frequency::Annual),
        };
        for observation in package.observations.iter().filter(wrong) {
            if observation.in_slice(table) && reported.insert((&table.id, &observation.file)) {
                let (wanted, hint) = match table.period {
                    TablePeriod::Year => (
                        "annual",
                        "use the annual dataset (Eurostat codes ending in `a`, e.g. migr_asyappctza), or give yearly rows",
                    ),
                    TablePeriod::Month => ("monthly", "give monthly rows (2026-02), or yearly rows for whole years"),
                    TablePeriod::Week => ("weekly", "give weekly rows (2026-W07), or yearly rows for whole years"),
                    TablePeriod::Quarter => (
                        "quarterly",
                        "use the monthly dataset (Eurostat codes ending in `m`, e.g. migr_asyappctzm), or give monthly or quarterly rows",
                    ),
                };
                out.push(
                    Diagnostic::error(
                        "bad-period",
                        &observation.file,
                        format!(
                            "{} holds {} data (`{}`), but table {} ({}) is {wanted}",
                            observation.file,
                            observation.frequency.name(),
                            observation.period,
                            table.id,
                            table.indicator
                        ),
                    )
                    .at_row(observation, Some(observation.period_column))
                    .with_hint(hint),
                );
            }
        }
    }
}

pub(super) fn check_tables_have_data(package: &Package, out: &mut Vec<Diagnostic>) {
    for table in package.template.tables.iter().filter(|t| t.required) {
        let has_data = package.table_rows(table).any(|o| o.value.is_some() && package.in_reference_period(table, o));
        if !has_data {
            let (file, line) = match package.template_source.strip_prefix("built-in:") {
                Some(_) => {
                    let line = line_column(manifest_text(package), package.manifest.template.span().start).0;
                    (manifest::FILE.to_string(), line)
                }
                None => {
                    let text = source_text(package, &package.template_source);
                    (package.template_source.clone(), line_column(text, table.id.span().start).0)
                }
            };
            out.push(
                Diagnostic::error(
                    "missing-table-data",
                    file,
                    format!("required table {} ({}) has no data", table.id, table.indicator),
                )
                .at_line(line)
                .with_hint(missing_data_hint(package, table)),
            );
        }
    }
}

/// What to do about a table without data: when the files hold its
/// indicator for other periods, say which, so the reference period can be
/// set to match; else where to put the data.
fn missing_data_hint(package: &Package, table: &crate::load::TableSpec) -> String {
    let periods: std::collections::BTreeSet<&str> = package
        .observations
        .iter()
        .filter(|o| o.value.is_some() && o.in_slice(table))
        .map(|o| o.period.as_str())
        .collect();
    match (periods.first(), periods.last()) {
        (Some(first), Some(last)) => format!(
            "the statistics hold `{}` for {first} to {last}, none in the reference period {}: set `reference-period` in emn.toml to a period the data cover",
            table.indicator,
            package.manifest.reference_period.as_ref().map_or("(none)", |p| p.get_ref().as_str())
        ),
        _ => {
            // The tidy file to write, with its first row: what a header and
            // a row look like for this very table.
            let breakdowns: Vec<(&String, &String)> = table.filter.iter().collect();
            let header: String = breakdowns.iter().map(|(dimension, _)| format!(",{dimension}")).collect();
            let values: String = breakdowns.iter().map(|(_, value)| format!(",{value}")).collect();
            let year = package.period().map_or(2024, |p| p.last);
            let country = package.manifest.countries.first().map_or("CZ", |c| c.get_ref().as_str());
            format!(
                "add rows for `{indicator}` to a CSV file in statistics/ (or a Eurostat file of that dataset), headed `indicator,country,year,value,flag{header}`, e.g. `{indicator},{country},{year},1234,{values}`",
                indicator = table.indicator
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, package};
    use super::*;

    fn check_rows(rows: &str) -> Vec<Diagnostic> {
        let csv = format!("indicator,country,year,value,flag\n{rows}");
        let mut out = Vec::new();
        check_statistics(&package(&[("statistics/extra.csv", &csv)]), &mut out);
        out.retain(|d| d.file == "statistics/extra.csv");
        out
    }

    #[test]
    fn the_sample_statistics_are_clean() {
        assert!(check_rows("").is_empty(), "{:?}", check_rows(""));
    }

    #[test]
    fn a_count_is_whole_and_not_negative() {
        let found = check_rows("first_permits_remunerated,BE,2020,-5,\nfirst_permits_remunerated,BE,2021,2.5,\n");
        assert_eq!(codes(&found), [("negative-count", Some(2)), ("fractional-count", Some(3))]);
    }

    #[test]
    fn flags_come_from_eurostat_s_list() {
        let found = check_rows("first_permits_remunerated,BE,2020,5,p\nfirst_permits_remunerated,BE,2021,6,Q\n");
        assert_eq!(codes(&found), [("unknown-flag", Some(3))]);
    }

    #[test]
    fn one_row_per_period_however_the_period_is_spelt() {
        let found = check_rows("first_permits_remunerated,BE,2020,5,\nfirst_permits_remunerated,BE,2020,6,\n");
        assert_eq!(codes(&found), [("duplicate-row", Some(3))]);
        let found = check_rows("first_permits_remunerated,BE,2021-07,5,\nfirst_permits_remunerated,BE,2021M07,6,\n");
        assert_eq!(codes(&found), [("duplicate-row", Some(3))]);
    }

    #[test]
    fn a_country_outside_the_package_is_one_warning_per_file() {
        let found = check_rows("first_permits_remunerated,FI,2020,5,\nfirst_permits_remunerated,FI,2021,6,\n");
        assert_eq!(codes(&found), [("country-not-in-package", Some(2))]);
        assert!(found[0].message.contains("(and 1 row more)"), "{}", found[0].message);
    }

    #[test]
    fn a_year_outside_the_reference_period_is_said() {
        let found = check_rows("first_permits_remunerated,BE,2012,5,\n");
        assert_eq!(codes(&found), [("year-out-of-period", Some(2))]);
    }
}
