//! `emn.toml`: the package manifest.

use serde::Deserialize;
use toml::Spanned;

use super::template::PackageKind;
use super::toml_file;
use crate::diagnostic::Diagnostic;

pub const FILE: &str = "emn.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    package: Manifest,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Manifest {
    pub id: Spanned<String>,
    pub kind: PackageKind,
    pub title: super::toml_file::Text,
    pub template: Spanned<String>,
    pub reference_period: Option<Spanned<String>>,
    #[serde(default)]
    pub countries: Vec<Spanned<String>>,
    pub requested_by: Option<Spanned<String>>,
    pub launched: Option<Spanned<toml::value::Datetime>>,
    /// The publication date printed on the covers (else the build date).
    pub published: Option<Spanned<toml::value::Datetime>>,
    /// The disclaimer every publication carries (else the EMN's usual one).
    pub disclaimer: Option<String>,
    /// The copyright notice beside it (else "© European Union, <year>. …").
    pub copyright: Option<String>,
    /// A situational report's burning issue.
    pub topic: Option<Spanned<String>>,
    /// The date a situational report describes.
    pub as_of: Option<Spanned<toml::value::Datetime>>,
    /// A situational report's edition (1, 2, …).
    pub edition: Option<Spanned<i64>>,
}

/// A reference period as first and last year, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: i32,
    pub last: i32,
    /// A bulletin's quarter (`2025-Q3` → 3); `first` and `last` are its year.
    pub quarter: Option<u8>,
}

impl Period {
    /// Whether a year is in the period; a first quarter's period also
    /// holds the year before (its previous quarter is compared with it).
    pub fn contains(self, year: i32) -> bool {
        let first = if self.quarter == Some(1) { self.first - 1 } else { self.first };
        (first..=self.last).contains(&year)
    }

    pub fn years(self) -> impl Iterator<Item = i32> {
        self.first..=self.last
    }

    /// Parses `2019-2023` or a single year `2023`.
    /// A bulletin's quarter: `2025-Q3` → (2025, 3).
    pub fn this_quarter(self) -> Option<(i32, u8)> {
        Some((self.first, self.quarter?))
    }

    /// The quarter before a bulletin's: `2025-Q1` → (2024, 4).
    pub fn previous_quarter(self) -> Option<(i32, u8)> {
        let (year, quarter) = self.this_quarter()?;
        Some(if quarter == 1 { (year - 1, 4) } else { (year, quarter - 1) })
    }

    /// `2019-2023`, `2023`, or a quarter `2025-Q3`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some((year, quarter)) = text.split_once(['-', ' ']).filter(|(_, q)| q.starts_with(['Q', 'q'])) {
            let year: i32 = year.trim().parse().ok()?;
            let quarter: u8 = quarter[1..].parse().ok()?;
            return ((1900..=2200).contains(&year) && (1..=4).contains(&quarter)).then_some(Period {
                first: year,
                last: year,
                quarter: Some(quarter),
            });
        }
        let (first, last) = match text.split_once(['-', '–']) {
            Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
            None => {
                let year = text.parse().ok()?;
                (year, year)
            }
        };
        ((1900..=2200).contains(&first) && first <= last && last <= 2200).then_some(Period {
            first,
            last,
            quarter: None,
        })
    }
}

/// Whether a package id can name the bundle: letters, digits, `-`, `_`
/// and `.`, not starting with `.` (so never a path or a hidden file).
pub fn is_file_name(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !id.starts_with('.')
}

impl Manifest {
    pub fn period(&self) -> Option<Period> {
        self.reference_period.as_ref().and_then(|p| Period::parse(p.get_ref()))
    }
}

/// Parses the manifest and checks what only it can tell (ids, period, codes).
pub fn parse(text: &str) -> (Option<Manifest>, Vec<Diagnostic>) {
    let manifest = match toml_file::parse::<ManifestFile>(FILE, text, "bad-manifest") {
        Ok(file) => file.package,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut diagnostics = Vec::new();
    let id = manifest.id.get_ref();
    if !is_file_name(id) {
        let (line, column) = toml_file::place(text, &manifest.id);
        diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, format!("package id `{id}` cannot be used as a file name"))
                .at(line, column)
                .with_hint("use letters, digits, `-`, `_` and `.`, e.g. \"2025-labour-shortages\""),
        );
    }
    if let Some(period) = &manifest.reference_period
        && Period::parse(period.get_ref()).is_none()
    {
        let (line, column) = toml_file::place(text, period);
        diagnostics.push(
            Diagnostic::error(
                "bad-manifest",
                FILE,
                format!("reference-period `{}` is not a year range or a quarter", period.get_ref()),
            )
            .at(line, column)
            .with_hint("write it as \"2019-2023\" (a bulletin's quarter as \"2025-Q3\")"),
        );
    }
    if let Some(published) = &manifest.published
        && (published.get_ref().date.is_none() || published.get_ref().time.is_some())
    {
        let (line, column) = toml_file::place(text, published);
        diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, "`published` must be a date")
                .at(line, column)
                .with_hint("write it as published = 2025-06-30 (no quotes)"),
        );
    }
    if manifest.kind == PackageKind::Bulletin && manifest.period().is_none_or(|p| p.quarter.is_none()) {
        let line = manifest.reference_period.as_ref().map_or(1, |p| toml_file::place(text, p).0);
        diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, "a bulletin's reference-period is its quarter")
                .at_line(line)
                .with_hint("write reference-period = \"2025-Q3\" under [package]"),
        );
    }
    if manifest.kind == PackageKind::AdHocQuery {
        if manifest.requested_by.is_none() {
            diagnostics.push(
                Diagnostic::error("bad-manifest", FILE, "an ad-hoc query needs `requested-by`")
                    .at_line(1)
                    .with_hint("add requested-by = \"CZ\" under [package]"),
            );
        }
        if manifest.launched.as_ref().and_then(|d| d.get_ref().date).is_none() {
            diagnostics.push(
                Diagnostic::error("bad-manifest", FILE, "an ad-hoc query needs `launched` (a date)")
                    .at_line(1)
                    .with_hint("add launched = 2025-03-03 under [package]"),
            );
        }
    }
    if manifest.kind == PackageKind::SituationalReport {
        situational_report_fields(&manifest, text, &mut diagnostics);
    }
    dates_in_range(&manifest, text, &mut diagnostics);
    duplicate_countries(&manifest, text, &mut diagnostics);
    (Some(manifest), diagnostics)
}

/// Years a date of the manifest may name: what a reader takes for a
/// publication's date (`0001-01-01` printed "1 January 1").
const DATE_YEARS: std::ops::RangeInclusive<u16> = 1900..=2200;

/// Most editions a situational report runs to.
const MAX_EDITION: i64 = 9_999;

/// `published`, `launched` and `as-of` within [`DATE_YEARS`]; `as-of`
/// inside the reference period (a warning); `edition` at most [`MAX_EDITION`].
fn dates_in_range(manifest: &Manifest, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let dates = [("published", &manifest.published), ("launched", &manifest.launched), ("as-of", &manifest.as_of)];
    for (name, date) in dates {
        let Some(date) = date else { continue };
        let Some(year) = date.get_ref().date.map(|d| d.year) else { continue };
        if !DATE_YEARS.contains(&year) {
            let (line, column) = toml_file::place(text, date);
            diagnostics.push(
                Diagnostic::error(
                    "bad-manifest",
                    FILE,
                    format!(
                        "`{name}` is in the year {year}, not between {} and {}",
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    ),
                )
                .at(line, column)
                .with_hint(format!("check the year: {name} = 2026-03-15")),
            );
        }
    }
    if let (Some(as_of), Some(period)) = (&manifest.as_of, manifest.period())
        && let Some(year) = as_of.get_ref().date.map(|d| d.year)
        && DATE_YEARS.contains(&year)
        && !period.contains(i32::from(year))
    {
        let (line, column) = toml_file::place(text, as_of);
        diagnostics.push(
            Diagnostic::warning(
                "as-of-outside-period",
                FILE,
                format!("`as-of` ({year}) lies outside the reference period {}-{}", period.first, period.last),
            )
            .at(line, column)
            .with_hint("widen `reference-period` to the year the report describes, or correct `as-of`"),
        );
    }
    if let Some(edition) = &manifest.edition
        && *edition.get_ref() > MAX_EDITION
    {
        let (line, column) = toml_file::place(text, edition);
        diagnostics.push(
            Diagnostic::error(
                "bad-manifest",
                FILE,
                format!("`edition` is {}, more than the {MAX_EDITION} editions a report runs to", edition.get_ref()),
            )
            .at(line, column)
            .with_hint("number the editions from 1: edition = 2 follows edition = 1"),
        );
    }
}

/// A country listed twice in `countries`: one warning per country, with
/// how many times, at its second mention.
fn duplicate_countries(manifest: &Manifest, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::BTreeMap<&str, (usize, &Spanned<String>)> = std::collections::BTreeMap::new();
    for country in &manifest.countries {
        let entry = seen.entry(country.get_ref().as_str()).or_insert((0, country));
        entry.0 += 1;
        if entry.0 == 2 {
            entry.1 = country;
        }
    }
    for (code, (count, second)) in seen.into_iter().filter(|(_, (count, _))| *count > 1) {
        let (line, column) = toml_file::place(text, second);
        diagnostics.push(
            Diagnostic::warning(
                "duplicate-country",
                FILE,
                format!("{} is listed {count} times in `countries`", crate::diagnostic::shown_text(code)),
            )
            .at(line, column)
            .with_hint("list each country once"),
        );
    }
}

/// A situational report names its topic, the date it describes (`as-of`)
/// and its edition (a positive number).
fn situational_report_fields(manifest: &Manifest, text: &str, diagnostics: &mut Vec<Diagnostic>) {
    if manifest.topic.as_ref().is_none_or(|t| t.get_ref().trim().is_empty()) {
        diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, "a situational report needs its `topic`")
                .at_line(1)
                .with_hint("add topic = \"Arrivals from …\" under [package]"),
        );
    }
    match &manifest.as_of {
        Some(as_of) if as_of.get_ref().date.is_some() && as_of.get_ref().time.is_none() => {}
        Some(as_of) => {
            let (line, column) = toml_file::place(text, as_of);
            diagnostics.push(
                Diagnostic::error("bad-manifest", FILE, "`as-of` must be a date")
                    .at(line, column)
                    .with_hint("write it as as-of = 2026-03-15 (no quotes)"),
            );
        }
        None => diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, "a situational report needs `as-of`, the date it describes")
                .at_line(1)
                .with_hint("add as-of = 2026-03-15 under [package]"),
        ),
    }
    match &manifest.edition {
        Some(edition) if *edition.get_ref() >= 1 => {}
        Some(edition) => {
            let (line, column) = toml_file::place(text, edition);
            diagnostics.push(
                Diagnostic::error(
                    "bad-manifest",
                    FILE,
                    format!("`edition` must be 1 or more, not {}", edition.get_ref()),
                )
                .at(line, column)
                .with_hint("number the editions from 1: edition = 1"),
            );
        }
        None => diagnostics.push(
            Diagnostic::error("bad-manifest", FILE, "a situational report needs its `edition` (1, 2, …)")
                .at_line(1)
                .with_hint("add edition = 1 under [package]"),
        ),
    }
}
