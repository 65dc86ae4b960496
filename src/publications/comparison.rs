//! A table's latest period against the same period a year earlier, per
//! country and in total, like for like: a situational report's key
//! figures. Months are compared with the same months ("January–February
//! 2026" with "January–February 2025"), whole years with whole years; a
//! partial year is never compared with a whole one.

use std::collections::{BTreeMap, BTreeSet};

use super::figures::Cell;
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

/// The periods compared: a year and the months or weeks of it (none: the
/// whole year).
struct Window {
    year: i32,
    parts: Vec<u8>,
    weeks: bool,
}

/// `spec`'s comparison, when the package has a value for its latest period.
pub fn comparison(package: &Package, spec: &TableSpec) -> Option<Comparison> {
    let rows: Vec<&Observation> = package.table_rows(spec).filter(|o| o.value.is_some()).collect();
    let weeks = spec.period == crate::load::template::TablePeriod::Week;
    let part = if weeks { Frequency::Weekly } else { Frequency::Monthly };
    let parts_year = rows.iter().filter(|o| o.frequency == part).map(|o| o.year).max();
    let annual_year = rows.iter().filter(|o| o.frequency == Frequency::Annual).map(|o| o.year).max();
    let window = match (parts_year, annual_year) {
        (Some(parts_of), annual) if annual.is_none_or(|year| parts_of > year) => {
            let parts: BTreeSet<u8> = rows
                .iter()
                .filter(|o| o.year == parts_of && o.frequency == part)
                .filter_map(|o| o.part_of_year(weeks))
                .collect();
            Window { year: parts_of, parts: parts.into_iter().collect(), weeks }
        }
        (_, Some(year)) => Window { year, parts: Vec::new(), weeks },
        _ => return None,
    };
    let earlier = Window { year: window.year - 1, parts: window.parts.clone(), weeks };
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
    let latest = Cell::sum(both.iter().map(|c| &c.latest));
    let earlier = Cell::sum(both.iter().map(|c| &c.earlier));
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
    let part = if window.weeks { Frequency::Weekly } else { Frequency::Monthly };
    let chosen: Vec<&&Observation> = if window.parts.is_empty() {
        own.filter(|o| o.frequency == Frequency::Annual).take(1).collect()
    } else {
        let by_part: BTreeMap<u8, &&Observation> = own
            .filter(|o| o.frequency == part)
            .filter_map(|o| Some((o.part_of_year(window.weeks)?, o)))
            .filter(|(part, _)| window.parts.contains(part))
            .collect();
        if by_part.len() < window.parts.len() {
            return Cell::default();
        }
        by_part.into_values().collect()
    };
    if chosen.is_empty() {
        return Cell::default();
    }
    let cells: Vec<Cell> = chosen.iter().map(|o| Cell::of(o)).collect();
    Cell::sum(&cells)
}

/// "2026", "January–February 2026", "January, March and May 2026",
/// "weeks 1–7 of 2026".
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
    let name = |part: u8| match window.weeks {
        true => part.to_string(),
        false => MONTHS[usize::from(part.clamp(1, 12)) - 1].to_string(),
    };
    let parts = &window.parts;
    let contiguous = parts.windows(2).all(|pair| pair[1] == pair[0] + 1);
    let listed = match parts.as_slice() {
        [] => return window.year.to_string(),
        [part] => name(*part),
        [first, .., last] if contiguous => format!("{}–{}", name(*first), name(*last)),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|p| name(*p)).collect();
            format!("{} and {}", rest.join(", "), name(*last))
        }
    };
    match (window.weeks, parts.len()) {
        (true, 1) => format!("week {listed} of {}", window.year),
        (true, _) => format!("weeks {listed} of {}", window.year),
        (false, _) => format!("{listed} {}", window.year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_as_a_reader_says_them() {
        let window = |parts: &[u8], weeks| Window { year: 2026, parts: parts.to_vec(), weeks };
        assert_eq!(label(&window(&[], false)), "2026");
        assert_eq!(label(&window(&[1, 2], false)), "January–February 2026");
        assert_eq!(label(&window(&[1, 3, 5], false)), "January, March and May 2026");
        assert_eq!(label(&window(&[1, 2, 3, 4, 5, 6, 7], true)), "weeks 1–7 of 2026");
        assert_eq!(label(&window(&[7], true)), "week 7 of 2026");
    }
}
