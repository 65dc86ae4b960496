//! A table's latest period against the same period a year earlier, per
//! country and in total, like for like: a situational report's key
//! figures. Months are compared with the same months ("January–February
//! 2026" with "January–February 2025"), whole years with whole years; a
//! partial year is never compared with a whole one.

use std::collections::{BTreeMap, BTreeSet};

use super::figures::{Cell, carried_flags};
use crate::countries;
use crate::load::statistics::Frequency;
use crate::load::{Observation, Package, TableSpec};

/// The comparison of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The latest period, as a reader says it ("January–February 2026").
    pub latest: String,
    /// The same period a year earlier.
    pub earlier: String,
    /// Per country with data, in protocol order.
    pub rows: Vec<Compared>,
    /// Over the countries with a value in both periods.
    pub total: Option<Compared>,
}

/// One country's (or the total's) two values and their change.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    pub code: String,
    pub latest: Cell,
    pub earlier: Cell,
    /// In percent; `None` where either value is missing or the earlier is 0.
    pub change: Option<f64>,
}

/// The periods compared: a year and the months of it (none: the whole year).
struct Window {
    year: i32,
    months: Vec<u8>,
}

/// `spec`'s comparison, when the package has a value for its latest period.
pub fn comparison(package: &Package, spec: &TableSpec) -> Option<Comparison> {
    let rows: Vec<&Observation> = package.table_rows(spec).filter(|o| o.value.is_some()).collect();
    let monthly_year = rows.iter().filter(|o| o.frequency == Frequency::Monthly).map(|o| o.year).max();
    let annual_year = rows.iter().filter(|o| o.frequency == Frequency::Annual).map(|o| o.year).max();
    let window = match (monthly_year, annual_year) {
        (Some(months_of), annual) if annual.is_none_or(|year| months_of > year) => {
            let months: BTreeSet<u8> = rows.iter().filter(|o| o.year == months_of).filter_map(|o| o.month).collect();
            Window { year: months_of, months: months.into_iter().collect() }
        }
        (_, Some(year)) => Window { year, months: Vec::new() },
        _ => return None,
    };
    let earlier = Window { year: window.year - 1, months: window.months.clone() };
    let mut codes: Vec<String> = rows.iter().map(|o| o.country.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    codes.retain(|code| code != countries::EU_TOTAL);
    codes.sort_by_key(|code| countries::protocol_rank(code));
    let compared: Vec<Compared> = codes
        .iter()
        .map(|code| compare(code, value_in(&rows, code, &window), value_in(&rows, code, &earlier)))
        .collect();
    let total = total(&rows, &compared, &window, &earlier, spec);
    Some(Comparison { latest: label(&window), earlier: label(&earlier), rows: compared, total })
}

/// The total: Eurostat's EU row where the table shows it, else the sum of
/// the countries with a value in both periods (like for like).
fn total(
    rows: &[&Observation],
    compared: &[Compared],
    window: &Window,
    earlier: &Window,
    spec: &TableSpec,
) -> Option<Compared> {
    let eurostat = spec.total.as_ref().is_none_or(|t| *t.get_ref() == crate::load::template::TotalMode::Eurostat);
    let eu = compare(
        countries::EU_TOTAL,
        value_in(rows, countries::EU_TOTAL, window),
        value_in(rows, countries::EU_TOTAL, earlier),
    );
    if eurostat && eu.latest.value.is_some() {
        return Some(eu);
    }
    let summed = spec.total.as_ref().is_none_or(|t| *t.get_ref() != crate::load::template::TotalMode::None);
    let both: Vec<&Compared> =
        compared.iter().filter(|c| c.latest.value.is_some() && c.earlier.value.is_some()).collect();
    if !summed || !crate::load::template::is_summable_unit(&spec.unit) || both.is_empty() {
        return None;
    }
    let sum = |cells: Vec<&Cell>| Cell {
        value: Some(cells.iter().filter_map(|c| c.value).sum()),
        decimals: cells.iter().map(|c| c.decimals).max().unwrap_or(0),
        flag: carried_flags(cells.iter().copied()),
    };
    let latest = sum(both.iter().map(|c| &c.latest).collect());
    let earlier = sum(both.iter().map(|c| &c.earlier).collect());
    Some(compare("TOTAL", latest, earlier))
}

fn compare(code: &str, latest: Cell, earlier: Cell) -> Compared {
    let change = match (latest.value, earlier.value) {
        (Some(now), Some(before)) if before != 0.0 => Some((now - before) / before * 100.0),
        _ => None,
    };
    Compared { code: code.to_string(), latest, earlier, change }
}

/// A country's value for a window: the sum of its months (every one of
/// them given), or its year's row; not available otherwise.
fn value_in(rows: &[&Observation], code: &str, window: &Window) -> Cell {
    let own = rows.iter().filter(|o| o.country == code && o.year == window.year);
    let chosen: Vec<&&Observation> = if window.months.is_empty() {
        own.filter(|o| o.frequency == Frequency::Annual).take(1).collect()
    } else {
        let by_month: BTreeMap<u8, &&Observation> = own
            .filter(|o| o.frequency == Frequency::Monthly)
            .filter_map(|o| Some((o.month?, o)))
            .filter(|(month, _)| window.months.contains(month))
            .collect();
        if by_month.len() < window.months.len() {
            return Cell::default();
        }
        by_month.into_values().collect()
    };
    if chosen.is_empty() {
        return Cell::default();
    }
    let cells: Vec<Cell> =
        chosen.iter().map(|o| Cell { value: o.value, decimals: o.decimals, flag: o.flag.clone() }).collect();
    Cell {
        value: Some(cells.iter().filter_map(|c| c.value).sum()),
        decimals: cells.iter().map(|c| c.decimals).max().unwrap_or(0),
        flag: carried_flags(&cells),
    }
}

/// "2026", "January–February 2026", "January, March and May 2026".
fn label(window: &Window) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = |month: u8| MONTHS[usize::from(month.clamp(1, 12)) - 1];
    let months = &window.months;
    let contiguous = months.windows(2).all(|pair| pair[1] == pair[0] + 1);
    match months.as_slice() {
        [] => window.year.to_string(),
        [month] => format!("{} {}", name(*month), window.year),
        [first, .., last] if contiguous => format!("{}–{} {}", name(*first), name(*last), window.year),
        [rest @ .., last] => {
            let listed: Vec<&str> = rest.iter().map(|m| name(*m)).collect();
            format!("{} and {} {}", listed.join(", "), name(*last), window.year)
        }
    }
}
