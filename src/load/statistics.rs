//! Statistics files into one tidy form, whatever their shape.
//!
//! Three shapes are recognised by their header (SPEC, "Statistics"): the
//! tidy CSV editors write, Eurostat SDMX-CSV (versions 1 and 2) and Eurostat
//! TSV. Spreadsheet exports are accepted too: a byte-order mark, `;`
//! separators, decimal commas and Windows-1250 text are detected, not
//! configured. Every [`Observation`] keeps its file and line.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, push_bounded};
use crate::limits::{MAX_MAGNITUDE, MAX_STATISTICS_BYTES};

/// One value of one indicator for one country and period.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub indicator: String,
    pub country: String,
    /// The period's year (`2025` of `2025-07`).
    pub year: i32,
    /// Whether the row is for a year, a quarter or a month, as its period
    /// says (`2025`, `2025-Q3`, `2025-07`): sub-annual rows are never
    /// read as years.
    pub frequency: Frequency,
    /// The quarter (1–4) of a monthly or quarterly row (`2025-07` → 3),
    /// read with its period.
    pub quarter: Option<u8>,
    /// The month (1–12) of a monthly row, however written (`2025-07`,
    /// `2025M07`): one month is one period.
    pub month: Option<u8>,
    /// The ISO week of a weekly row.
    pub week: Option<u8>,
    /// The period as written, for messages.
    pub period: String,
    /// Other dimensions (e.g. `sex = "T"`), by lower-case column name.
    pub breakdowns: BTreeMap<String, String>,
    /// `None` when not available (empty or `:`).
    pub value: Option<f64>,
    /// Digits after the decimal mark in the source cell (`26,0` → 1), so
    /// the value is printed as published.
    pub decimals: u8,
    /// Eurostat flags as written, e.g. `p` or `be`.
    pub flag: String,
    /// The flag cell's column in its row (1-based characters), for messages.
    pub flag_column: usize,
    /// A Eurostat cell whose value is not one as Eurostat publishes them
    /// (`1,5`, `12 3 p`, `NaN`, `0x10`): the cell as written. Never guessed
    /// at; `check` reports it where a table selects the row.
    pub unreadable: Option<String>,
    /// The value cell's column (1-based characters), for messages.
    pub value_column: usize,
    /// The country's and the period's cells, for messages.
    pub country_column: usize,
    pub period_column: usize,
    pub file: String,
    /// The row's own line in the file (header = line 1); in a workbook,
    /// the sheet's row.
    pub line: usize,
    /// The workbook sheet the row comes from (`None` for CSV and TSV).
    pub sheet: Option<String>,
    /// Tidy files are the editors' own and checked strictly; Eurostat files
    /// are taken as published.
    pub shape: Shape,
}

impl Observation {
    /// The period as a value: `2025-07`, `2025M07` and `2025-M07` are one
    /// month, `2025Q3` and `2025-Q3` one quarter.
    pub fn period_key(&self) -> (i32, Frequency, u8) {
        let part = match self.frequency {
            Frequency::Annual => 0,
            Frequency::Quarterly => self.quarter.unwrap_or(0),
            Frequency::Monthly => self.month.unwrap_or(0),
            Frequency::Weekly => self.week.unwrap_or(0),
        };
        (self.year, self.frequency, part)
    }

    /// The month of a monthly row, or the week of a weekly one (`weeks`).
    pub fn part_of_year(&self, weeks: bool) -> Option<u8> {
        if weeks { self.week } else { self.month }
    }

    /// Same indicator as `table` and inside its filter, whatever the period.
    pub fn in_slice(&self, table: &super::TableSpec) -> bool {
        self.indicator.eq_ignore_ascii_case(&table.indicator)
            && table.filter.iter().all(|(dimension, wanted)| {
                self.breakdowns.get(&dimension.to_lowercase()).is_none_or(|value| value.eq_ignore_ascii_case(wanted))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frequency {
    Annual,
    Quarterly,
    Monthly,
    /// ISO weeks (`2026-W07`).
    Weekly,
}

impl Frequency {
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Annual => "annual",
            Frequency::Quarterly => "quarterly",
            Frequency::Monthly => "monthly",
            Frequency::Weekly => "weekly",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Tidy,
    SdmxCsv,
    EurostatTsv,
}

/// Reads one statistics file; problems become diagnostics, good rows observations.
pub fn read(file: &str, bytes: &[u8]) -> (Vec<Observation>, Vec<Diagnostic>) {
    read_for(file, bytes, None)
}

/// Rows of an indicator the template has no table for that are kept per
/// file (the shape checks read them); the rest are counted, not held: 60 MB
/// of such rows took 2.66 GB in validate.
pub const MAX_UNWANTED_ROWS_KEPT: usize = 10_000;

/// [`read`] for a package's `template`: rows of an indicator it has no
/// table for are `unknown-indicator`, one warning per indicator with the
/// count, and at most [`MAX_UNWANTED_ROWS_KEPT`] of them are kept.
pub fn read_for(
    file: &str,
    bytes: &[u8],
    template: Option<&super::template::Template>,
) -> (Vec<Observation>, Vec<Diagnostic>) {
    let text = match decode(file, bytes) {
        Ok(text) => text,
        Err(diagnostic) => return (Vec::new(), vec![diagnostic]),
    };
    let Some(header_line) = text.lines().next().filter(|l| !l.trim().is_empty()) else {
        return (
            Vec::new(),
            vec![
                Diagnostic::error("bad-csv", file, format!("{file} is empty"))
                    .at_line(1)
                    .with_hint("a statistics file starts with a header, e.g. `indicator,country,year,value,flag`"),
            ],
        );
    };
    if let Some(line) = text.lines().position(|l| l.len() > crate::limits::MAX_LINE_BYTES) {
        return (
            Vec::new(),
            vec![
                Diagnostic::error("line-too-long", file, format!("line {} of {file} is too long", line + 1))
                    .at_line(line + 1),
            ],
        );
    }
    let delimiter = detect_delimiter(header_line);
    let mut grid = Grid::of_text(file, &text, delimiter);
    grid.template = template;
    read_grid(file, grid)
}

/// A statistics table as cells, whatever its file's shape: a CSV or TSV
/// file, or a workbook's sheet (see `load::workbook`). Every cell keeps
/// where it is (its line, or the sheet's row, and its column), so the
/// readers of each shape place their diagnostics without going back to
/// the text, and a sheet is never turned into CSV text to be read again.
/// Rows are read one at a time, never held all at once: a 60 MB file of
/// empty cells held whole took 2 GB.
pub struct Grid<'a> {
    /// The rows, the header first; a row the file holds wrongly is the
    /// diagnostic that says so.
    pub rows: Box<dyn Iterator<Item = Result<GridRow, Diagnostic>> + 'a>,
    /// Numbers in the cells write decimals with a comma (`;`-separated
    /// CSV, as Excel writes it where the comma is the decimal mark).
    pub decimal_comma: bool,
    /// The package's template, when known: tidy rows of an indicator it
    /// has no table for are counted rather than all kept.
    pub template: Option<&'a super::template::Template>,
}

#[derive(Debug, Clone, Default)]
pub struct GridRow {
    /// The row's line in its file (in a workbook, the sheet's row).
    pub line: usize,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Default)]
pub struct GridCell {
    pub text: String,
    /// 1-based column: characters in a text file, cells in a sheet.
    pub column: usize,
}

impl GridRow {
    /// The trimmed text of cell `index` (empty when the row is shorter).
    pub fn text(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |cell| cell.text.trim())
    }

    /// Where cell `index` is (the row's end when it is shorter).
    pub fn column(&self, index: usize) -> usize {
        self.cells.get(index).or(self.cells.last()).map_or(1, |cell| cell.column)
    }
}

impl<'a> Grid<'a> {
    /// The cells of a CSV or TSV text. Eurostat's TSV quotes nothing, so a
    /// tab-separated text is split on tabs alone.
    fn of_text(file: &'a str, text: &'a str, delimiter: u8) -> Self {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .quoting(delimiter != b'\t')
            .from_reader(text.as_bytes());
        let rows = reader.into_records().map(move |record| {
            let record = record.map_err(|error| {
                let line = error.position().map_or(1, |p| p.line() as usize);
                Diagnostic::error("bad-csv", file, format!("cannot read the row ({error})")).at_line(line)
            })?;
            let line = record.position().map_or(1, |p| p.line() as usize);
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let columns = field_columns(text.get(start..).unwrap_or(""), delimiter);
            let cells = record
                .iter()
                .enumerate()
                .map(|(index, cell)| GridCell {
                    text: cell.to_string(),
                    column: columns.get(index).copied().unwrap_or(1),
                })
                .collect();
            Ok(GridRow { line, cells })
        });
        Self { rows: Box::new(rows), decimal_comma: delimiter == b';', template: None }
    }

    /// The header (the first row read well), with the diagnostics of the
    /// rows before it; `None` when no row is.
    fn header(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Option<GridRow> {
        for row in self.rows.by_ref() {
            match row {
                Ok(row) => return Some(row),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        None
    }

    /// The rows after the header, with the diagnostics of those read wrongly
    /// added to `diagnostics`.
    fn body<'d>(self, diagnostics: &'d mut Vec<Diagnostic>) -> impl Iterator<Item = GridRow> + use<'a, 'd> {
        self.rows.filter_map(move |row| row.map_err(|diagnostic| diagnostics.push(diagnostic)).ok())
    }
}

/// The 1-based character column where each field of a CSV line starts.
fn field_columns(line: &str, delimiter: u8) -> Vec<usize> {
    let line = line.split('\n').next().unwrap_or("");
    let mut columns = vec![1];
    let mut in_quotes = false;
    for (column, c) in line.chars().enumerate() {
        match c {
            '"' if delimiter != b'\t' => in_quotes = !in_quotes,
            c if c == delimiter as char && !in_quotes => columns.push(column + 2),
            _ => {}
        }
    }
    columns
}

/// Reads a grid of any shape `statistics` knows: Eurostat's TSV, SDMX-CSV,
/// or the tidy `indicator,country,year,value,flag`.
pub fn read_grid(file: &str, mut grid: Grid) -> (Vec<Observation>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(header) = grid.header(&mut diagnostics) else { return (Vec::new(), diagnostics) };
    let columns: Vec<&str> = header.cells.iter().map(|c| c.text.trim().trim_matches('"')).collect();
    // Eurostat files are taken as published: only the rows a table selects
    // are kept, so memory follows what the tables select, not the file's
    // size (every row of four 61 MB SDMX files held at once took 3.3 GB).
    let template = grid.template;
    let selected = move |observation: &Observation| {
        template.is_none_or(|template| {
            let country = observation.country.as_str();
            (country == crate::countries::EU_TOTAL || crate::countries::find(country).is_some())
                && template.tables.iter().any(|table| observation.in_slice(table))
        })
    };
    if columns.first().is_some_and(|first| first.contains('\\')) {
        let observations = read_eurostat_tsv(file, &header, grid.body(&mut diagnostics), &selected);
        return (observations, diagnostics);
    }
    if columns.iter().any(|c| *c == "DATAFLOW" || *c == "STRUCTURE_ID") && columns.contains(&"OBS_VALUE") {
        return read_sdmx_csv(file, &header, grid.body(&mut diagnostics), &selected)
            .map_or_else(|diagnostic| (Vec::new(), vec![diagnostic]), |observations| (observations, diagnostics));
    }
    if columns.contains(&"GEO") && columns.contains(&"TIME") && columns.contains(&"Value") {
        let diagnostic = Diagnostic::error(
            "bad-csv",
            file,
            format!("{file} is an old Eurostat Data Explorer export (labels, not codes)"),
        )
        .at_line(1)
        .with_hint("download the dataset again as SDMX-CSV or TSV from the Eurostat data browser");
        return (Vec::new(), vec![diagnostic]);
    }
    let decimal_comma = grid.decimal_comma;
    let mut problems = Vec::new();
    let observations = read_tidy(file, &header, grid.body(&mut diagnostics), decimal_comma, template, &mut problems);
    diagnostics.extend(problems);
    (observations, diagnostics)
}

/// Decodes bytes: UTF-8 (with or without BOM), otherwise the detected legacy encoding.
fn decode(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_STATISTICS_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            file,
            format!("{file} is larger than {MAX_STATISTICS_BYTES} bytes"),
        ));
    }
    let utf16 = super::document::from_utf16(file, bytes)?;
    let bytes = utf16.as_deref().map_or(bytes, str::as_bytes);
    if bytes.contains(&0) {
        return Err(Diagnostic::error("binary-file", file, format!("{file} is not a text file (it holds a NUL byte)"))
            .at_line(1)
            .with_hint("export the sheet as CSV"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            // Older Czech Excel writes Windows-1250: let the detector decide.
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let encoding = detector.guess(Some(b"cz"), true);
            encoding.decode(bytes).0.into_owned()
        }
    };
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n"))
}

fn detect_delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    let (tabs, semicolons, commas) = (count('\t'), count(';'), count(','));
    if tabs > 0 && tabs >= semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Parses a number as spreadsheets and Eurostat write it.
///
/// With `;` separators a comma is the decimal mark (`1 234,5`); with `,`
/// separators a comma can only be a thousands separator (`"213,925"`).
pub fn parse_number(raw: &str, decimal_comma: bool) -> Option<f64> {
    parse_number_as_written(raw, decimal_comma).map(|(value, _)| value)
}

/// A number and the digits after its decimal mark as written (`26,0` →
/// (26.0, 1)). Non-finite values and magnitudes above [`MAX_MAGNITUDE`]
/// are not numbers a statistics office publishes.
pub fn parse_number_as_written(raw: &str, decimal_comma: bool) -> Option<(f64, u8)> {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
    let cleaned = if decimal_comma {
        if cleaned.contains(',') { cleaned.replace('.', "").replace(',', ".") } else { cleaned }
    } else {
        cleaned.replace(',', "")
    };
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')) {
        return None;
    }
    let value = cleaned.parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() < MAX_MAGNITUDE)?;
    let decimals = match cleaned.split_once('.') {
        Some((_, fraction)) if !fraction.contains(['e', 'E']) => fraction.len().min(6) as u8,
        _ => 0,
    };
    Some((value, decimals))
}

/// `116.180` or `1.234.567`: digits grouped by dots in threes, no comma.
fn is_dot_grouped(raw: &str) -> bool {
    let raw = raw.trim().trim_start_matches('-');
    let mut groups = raw.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest.iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

fn is_missing(raw: &str) -> bool {
    let raw = raw.trim();
    raw.is_empty() || raw == ":" || raw.starts_with(": ")
}

/// A row's period as read: its year, its frequency and, for a month or a
/// quarter, the quarter it falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowPeriod {
    year: i32,
    frequency: Frequency,
    quarter: Option<u8>,
    month: Option<u8>,
    week: Option<u8>,
}

/// Reads a period as Eurostat and spreadsheets write it: `2025`, `2025-Q3`,
/// `2025Q3`, `2025-07`, `2025M07`, `2025-M07`, and ISO weeks `2026-W07`.
fn parse_period(raw: &str) -> Option<RowPeriod> {
    let raw = raw.trim();
    let year: i32 = raw.get(..4).filter(|y| y.chars().all(|c| c.is_ascii_digit()))?.parse().ok()?;
    let rest = raw[4..].trim_start_matches('-').to_ascii_uppercase();
    let number = |text: &str, max: u8| text.parse::<u8>().ok().filter(|n| (1..=max).contains(n));
    if let Some(week) = rest.strip_prefix('W') {
        let week = week.parse::<u8>().ok().filter(|w| (1..=53).contains(w) && week.len() == 2)?;
        return Some(RowPeriod { year, frequency: Frequency::Weekly, quarter: None, month: None, week: Some(week) });
    }
    let (frequency, quarter, month) = if rest.is_empty() || rest == "A" || rest == "A00" {
        (Frequency::Annual, None, None)
    } else if let Some(quarter) = rest.strip_prefix('Q') {
        (Frequency::Quarterly, Some(number(quarter, 4)?), None)
    } else {
        let month = rest.strip_prefix('M').unwrap_or(&rest);
        (month.len() == 2).then_some(())?;
        let month = number(month, 12)?;
        (Frequency::Monthly, Some((month - 1) / 3 + 1), Some(month))
    };
    Some(RowPeriod { year, frequency, quarter, month, week: None })
}

/// Where a tidy file holds what.
struct TidyColumns {
    indicator: usize,
    country: usize,
    year: usize,
    value: usize,
    flag: Option<usize>,
    /// Every other named column, with its name.
    breakdowns: Vec<(usize, String)>,
}

impl TidyColumns {
    /// A row's observation, its value read already.
    fn observation(
        &self,
        file: &str,
        row: &GridRow,
        period: RowPeriod,
        (value, decimals): (Option<f64>, u8),
    ) -> Observation {
        Observation {
            indicator: row.text(self.indicator).to_string(),
            country: row.text(self.country).to_string(),
            year: period.year,
            frequency: period.frequency,
            quarter: period.quarter,
            month: period.month,
            week: period.week,
            period: row.text(self.year).to_string(),
            breakdowns: self.breakdowns.iter().map(|(i, name)| (name.clone(), row.text(*i).to_string())).collect(),
            value,
            decimals,
            flag: self.flag.map(|i| row.text(i).to_string()).unwrap_or_default(),
            flag_column: self.flag.map_or(1, |i| row.column(i)),
            unreadable: None,
            value_column: row.column(self.value),
            country_column: row.column(self.country),
            period_column: row.column(self.year),
            file: file.to_string(),
            line: row.line,
            shape: Shape::Tidy,
            sheet: None,
        }
    }
}

/// The period in column `year` of a tidy row, or `bad-year` at it.
fn period_of(file: &str, row: &GridRow, year: usize) -> Result<RowPeriod, Diagnostic> {
    parse_period(row.text(year)).ok_or_else(|| {
        Diagnostic::error("bad-year", file, format!("`{}` is not a year", row.text(year)))
            .at(row.line, row.column(year))
            .with_hint("write the year as four digits, e.g. 2023 (a quarter as 2025-Q3, a month as 2025-07)")
    })
}

fn read_tidy(
    file: &str,
    header: &GridRow,
    rows: impl Iterator<Item = GridRow>,
    decimal_comma: bool,
    template: Option<&super::template::Template>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Observation> {
    // Per indicator the template has no table for: the first row's line and column, and the rows.
    let mut unwanted: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    // Row diagnostics kept per code (the rest counted, see `push_bounded`).
    let mut kept = BTreeMap::new();
    let mut observations = Vec::new();
    let headers: Vec<String> = header.cells.iter().map(|c| c.text.trim().to_lowercase()).collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let required = ["indicator", "country", "year", "value"];
    if let Some(diagnostic) = missing_columns(file, &headers, &required) {
        diagnostics.push(diagnostic);
        return observations;
    }
    let [indicator, country, year, value] = required.map(|name| column(name).unwrap_or_default());
    let columns = TidyColumns {
        indicator,
        country,
        year,
        value,
        flag: column("flag"),
        breakdowns: headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !required.contains(&h.as_str()) && *h != "flag" && !h.is_empty())
            .map(|(i, h)| (i, h.clone()))
            .collect(),
    };
    for row in rows {
        if row.cells.iter().all(|cell| cell.text.trim().is_empty()) {
            continue;
        }
        let line = row.line;
        if let Some(template) = template
            && template.table_for(row.text(indicator)).next().is_none()
        {
            let entry = unwanted.entry(row.text(indicator).to_string()).or_insert((line, row.column(indicator), 0));
            entry.2 += 1;
            if entry.2 > MAX_UNWANTED_ROWS_KEPT {
                continue;
            }
        }
        let row_period = match period_of(file, &row, year) {
            Ok(period) => period,
            Err(problem) => {
                push_bounded(diagnostics, &mut kept, problem);
                continue;
            }
        };
        let place = (line, row.column(value));
        let mut problems = Vec::new();
        let parsed = tidy_value(file, row.text(value), decimal_comma, place, &mut problems);
        for problem in problems {
            push_bounded(diagnostics, &mut kept, problem);
        }
        let Some((parsed_value, decimals)) = parsed else {
            continue;
        };
        observations.push(columns.observation(file, &row, row_period, (parsed_value, decimals)));
    }
    if let Some(template) = template {
        diagnostics.extend(unknown_indicators(file, template, unwanted));
    }
    observations
}

/// `unknown-indicator`, once per indicator the template has no table for,
/// at its first row (its other rows counted).
fn unknown_indicators(
    file: &str,
    template: &super::template::Template,
    unwanted: BTreeMap<String, (usize, usize, usize)>,
) -> Vec<Diagnostic> {
    let mut unknown = Vec::new();
    for (name, (line, column, rows)) in unwanted {
        let more = rows_more(rows);
        unknown.push(
            Diagnostic::warning(
                "unknown-indicator",
                file,
                format!(
                    "indicator `{name}` is not a table of template {}{more}: its rows are printed nowhere",
                    template.id
                ),
            )
            .at(line, column)
            .with_hint(format!(
                "the template's indicators are: {}",
                template.tables.iter().map(|t| t.indicator.as_str()).collect::<Vec<_>>().join(", ")
            )),
        );
    }
    unknown
}

/// " (and 3 rows more)" after what is said of the first of `count` rows.
pub fn rows_more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 row more)".to_string(),
        n => format!(" (and {} rows more)", n - 1),
    }
}

/// `bad-csv` when a tidy header lacks one of the `required` columns.
fn missing_columns(file: &str, headers: &[String], required: &[&str]) -> Option<Diagnostic> {
    let missing: Vec<&str> = required.iter().copied().filter(|name| !headers.iter().any(|h| h == name)).collect();
    (!missing.is_empty()).then(|| {
        Diagnostic::error("bad-csv", file, format!("the header lacks the column{} {}", if missing.len() > 1 { "s" } else { "" }, missing.join(", ")))
            .at_line(1)
            .with_hint("tidy statistics start with `indicator,country,year,value,flag`; Eurostat files are recognised by their own header")
    })
}

/// A tidy row's value as written: `None` for not available, with its
/// decimals; `None` overall (and an error) when it is not a number.
fn tidy_value(
    file: &str,
    raw_value: &str,
    decimal_comma: bool,
    (line, column): (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(Option<f64>, u8)> {
    if is_missing(raw_value) {
        return Some((None, 0));
    }
    // `116.180` in a file with decimal commas: German thousands (read
    // through the same number check as any value: finite, not absurd).
    if decimal_comma
        && is_dot_grouped(raw_value)
        && let Some((value, _)) = parse_number_as_written(&raw_value.replace('.', ""), false)
    {
        let grouped = raw_value.replace('.', "");
        let (whole, fraction) = raw_value.split_once('.').unwrap_or((raw_value, ""));
        diagnostics.push(
            Diagnostic::warning(
                "ambiguous-number",
                file,
                format!("`{raw_value}` is read as {grouped}: this file writes decimals with a comma, so the dot groups thousands"),
            )
            .at(line, column)
            .with_hint(format!("write {grouped} (or {whole},{fraction} if a fraction was meant)")),
        );
        return Some((Some(value), 0));
    }
    match parse_number_as_written(raw_value, decimal_comma) {
        Some((value, decimals)) => Some((Some(value), decimals)),
        None => {
            diagnostics.push(
                Diagnostic::error("bad-value", file, format!("`{raw_value}` is not a number a statistics office publishes"))
                    .at(line, column)
                    .with_hint(
                        "write a finite number below 10^15 (e.g. 1234 or 12.5); leave it empty or write `:` when not available",
                    ),
            );
            None
        }
    }
}

/// Splits a Eurostat cell (`1234 p`, `: c`, `12.5`, `5p`) into value and
/// flags, strictly as Eurostat writes them: `None` for anything else
/// (`1,5`, `12 3 p`, `NaN`, `0x10`, `1_000`, `12 345`), never a guess.
fn eurostat_cell(cell: &str) -> Option<(Option<(f64, u8)>, String)> {
    let cell = cell.trim();
    let (value, flag) = match cell.split_once(' ') {
        Some((v, f)) => (v, f.trim()),
        None if cell.ends_with(|c: char| c.is_ascii_alphabetic()) && !cell.starts_with(':') => {
            let digits = cell.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            (digits, &cell[digits.len()..])
        }
        None => (cell, ""),
    };
    // Flags are letters (the check says which are Eurostat's); a second
    // number or a `:` there is not a flag but a misread cell.
    if !flag.chars().all(|c| c.is_ascii_alphabetic()) || (value.is_empty() && !flag.is_empty()) {
        return None;
    }
    let value = if value == ":" || value.is_empty() { None } else { Some(eurostat_number(value)?) };
    Some((value, flag.to_string()))
}

/// A number as Eurostat publishes it: digits, an optional minus and a
/// decimal point; nothing else (no grouping, no exponent, no comma).
fn eurostat_number(raw: &str) -> Option<(f64, u8)> {
    let raw = raw.trim();
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let shaped = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
        && (fraction.is_empty() != digits.contains('.'));
    if !shaped {
        return None;
    }
    parse_number_as_written(raw, false)
}

fn dataset_code(dataflow: &str) -> String {
    // `ESTAT:MIGR_RESFIRST(1.0)` → `migr_resfirst`
    let code = dataflow.rsplit(':').next().unwrap_or(dataflow);
    code.split('(').next().unwrap_or(code).trim().to_lowercase()
}

fn read_sdmx_csv(
    file: &str,
    header: &GridRow,
    rows: impl Iterator<Item = GridRow>,
    selected: &dyn Fn(&Observation) -> bool,
) -> Result<Vec<Observation>, Diagnostic> {
    let mut observations = Vec::new();
    let headers: Vec<String> = header.cells.iter().map(|c| c.text.trim().to_string()).collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(geo), Some(time), Some(value)) = (column("geo"), column("TIME_PERIOD"), column("OBS_VALUE")) else {
        return Err(
            Diagnostic::error("bad-csv", file, "this SDMX-CSV file lacks geo, TIME_PERIOD or OBS_VALUE").at_line(1)
        );
    };
    let flow = column("DATAFLOW").or_else(|| column("STRUCTURE_ID"));
    let flag = column("OBS_FLAG");
    let confidentiality = column("CONF_STATUS");
    // Dimension columns: lower-case codes between the structure columns and the
    // observation columns; label columns (version 2) have capitalised names.
    let skip = ["DATAFLOW", "LAST UPDATE", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "geo", "TIME_PERIOD"];
    let dimensions: Vec<(usize, String)> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| {
            *i < value
                && !skip.contains(&h.as_str())
                && h.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        })
        .map(|(i, h)| (i, h.clone()))
        .collect();
    for row in rows {
        let Some(row_period) = parse_period(row.text(time)) else {
            continue;
        };
        let observed = if is_missing(row.text(value)) { None } else { eurostat_number(row.text(value)) };
        let mut flags = flag.map(|i| row.text(i).to_string()).unwrap_or_default();
        if let Some(i) = confidentiality {
            flags.push_str(row.text(i).trim_start_matches('F'));
        }
        let observation = Observation {
            indicator: flow.map(|i| dataset_code(row.text(i))).unwrap_or_default(),
            country: row.text(geo).to_string(),
            year: row_period.year,
            frequency: row_period.frequency,
            quarter: row_period.quarter,
            month: row_period.month,
            week: row_period.week,
            period: row.text(time).to_string(),
            breakdowns: dimensions
                .iter()
                .filter(|(_, name)| name != "freq")
                .map(|(i, name)| (name.clone(), row.text(*i).to_string()))
                .collect(),
            value: observed.map(|(v, _)| v),
            decimals: observed.map(|(_, d)| d).unwrap_or(0),
            flag: flags,
            flag_column: flag.map_or(1, |i| row.column(i)),
            unreadable: observed.is_none().then(|| row.text(value).to_string()).filter(|raw| !is_missing(raw)),
            value_column: row.column(value),
            country_column: row.column(geo),
            period_column: row.column(time),
            file: file.to_string(),
            line: row.line,
            shape: Shape::SdmxCsv,
            sheet: None,
        };
        if selected(&observation) {
            observations.push(observation);
        }
    }
    Ok(observations)
}

fn read_eurostat_tsv(
    file: &str,
    header: &GridRow,
    rows: impl Iterator<Item = GridRow>,
    selected: &dyn Fn(&Observation) -> bool,
) -> Vec<Observation> {
    let key = header.text(0);
    let (dimensions, _) = key.split_once('\\').unwrap_or((key, ""));
    let dimensions: Vec<String> = dimensions.split(',').map(|d| d.trim().to_lowercase()).collect();
    let periods: Vec<(&str, Option<RowPeriod>)> =
        header.cells[1..].iter().map(|cell| (cell.text.trim(), parse_period(&cell.text))).collect();
    let indicator = dataset_name_from_file(file).unwrap_or_default();
    let mut observations = Vec::new();
    for row in rows {
        let codes: Vec<&str> = row.text(0).split(',').map(str::trim).collect();
        if codes.len() != dimensions.len() {
            continue;
        }
        let mut breakdowns = BTreeMap::new();
        let mut country = String::new();
        for (dimension, code) in dimensions.iter().zip(&codes) {
            if dimension == "geo" {
                country = code.to_string();
            } else if dimension != "freq" {
                breakdowns.insert(dimension.clone(), code.to_string());
            }
        }
        for (cell, (period, parsed)) in row.cells.iter().skip(1).zip(&periods) {
            let Some(row_period) = *parsed else { continue };
            let (value, flag, unreadable) = match eurostat_cell(&cell.text) {
                Some((value, flag)) => (value, flag, None),
                None => (None, String::new(), Some(cell.text.trim().to_string())),
            };
            let observation = Observation {
                indicator: indicator.clone(),
                country: country.clone(),
                year: row_period.year,
                frequency: row_period.frequency,
                quarter: row_period.quarter,
                month: row_period.month,
                week: row_period.week,
                period: period.to_string(),
                breakdowns: breakdowns.clone(),
                value: value.map(|(v, _)| v),
                decimals: value.map(|(_, d)| d).unwrap_or(0),
                flag,
                flag_column: cell.column,
                unreadable,
                value_column: cell.column,
                country_column: row.column(0),
                period_column: cell.column,
                file: file.to_string(),
                line: row.line,
                shape: Shape::EurostatTsv,
                sheet: None,
            };
            if selected(&observation) {
                observations.push(observation);
            }
        }
    }
    observations
}

/// Eurostat TSV files carry no dataset code inside; their file name does
/// (`migr_asyappctza.tsv`, `estat_migr_asyappctza.tsv`, `migr_asyappctza_2024.tsv`).
fn dataset_name_from_file(file: &str) -> Option<String> {
    let name = file.rsplit('/').next()?;
    let stem = name.split('.').next()?;
    let stem = stem.strip_prefix("estat_").unwrap_or(stem);
    // Dataset codes are lower case (`migr_asyappctza`); stop at a part that is
    // a year or a date, or in upper case (`_TRIMMED`, `_2024`).
    let keep: Vec<String> = stem
        .split('_')
        .take_while(|part| {
            !part.is_empty()
                && !part.chars().all(|c| c.is_ascii_digit())
                && !part.chars().any(|c| c.is_ascii_uppercase())
        })
        .map(str::to_string)
        .collect();
    (!keep.is_empty()).then(|| keep.join("_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_rows_keep_their_line() {
        let (obs, diags) =
            read("statistics/t.csv", b"indicator,country,year,value,flag\nx,CZ,2020,12,\nx,AT,2021,abc,\n");
        assert_eq!(obs.len(), 1);
        assert_eq!(obs[0].line, 2);
        assert_eq!((diags[0].code, diags[0].line), ("bad-value", Some(3)));
    }

    #[test]
    fn spreadsheet_export_with_bom_semicolons_and_decimal_commas() {
        let text = "\u{feff}indicator;country;year;value;flag\nx;CZ;2020;1 234,5;p\n";
        let (obs, diags) = read("s.csv", text.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(obs[0].value, Some(1234.5));
        assert_eq!(obs[0].flag, "p");
    }

    #[test]
    fn windows_1250_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250
            .encode("indicator;country;year;value;flag;poznámka\nx;CZ;2020;5;;žádost o azyl\n");
        let (obs, diags) = read("s.csv", &bytes);
        assert!(diags.is_empty());
        assert_eq!(obs[0].breakdowns["poznámka"], "žádost o azyl");
    }

    #[test]
    fn numbers_keep_their_decimals_and_stay_finite() {
        assert_eq!(parse_number_as_written("26,0", true), Some((26.0, 1)));
        assert_eq!(parse_number_as_written("1.50", false), Some((1.5, 2)));
        assert_eq!(parse_number_as_written("1 234", true), Some((1234.0, 0)));
        assert_eq!(parse_number_as_written("1e308", false), None);
        assert_eq!(parse_number_as_written("inf", false), None);
    }

    #[test]
    fn german_thousands_in_decimal_comma_files_are_read_as_thousands_with_a_warning() {
        let (obs, diags) =
            read("s.csv", "indicator;country;year;value;flag\nx;DE;2020;116.180;\nx;AT;2020;1,5;\n".as_bytes());
        assert_eq!(obs[0].value, Some(116180.0));
        assert_eq!(obs[1].value, Some(1.5));
        assert_eq!((diags[0].code, diags[0].line), ("ambiguous-number", Some(2)));
        let (obs, diags) = read("s.csv", b"indicator,country,year,value,flag\nx,DE,2020,116.180,\n");
        assert_eq!((obs[0].value, obs[0].decimals), (Some(116.18), 3));
        assert!(diags.is_empty());
        // Grouped thousands pass the same magnitude check as any number.
        let (obs, diags) =
            read("s.csv", "indicator;country;year;value;flag\nx;DE;2020;1.000.000.000.000.000.000;\n".as_bytes());
        assert!(obs.iter().all(|o| o.value.is_none_or(|v| v < MAX_MAGNITUDE)), "{obs:?}");
        assert!(diags.iter().any(|d| d.code == "bad-value"), "{diags:?}");
    }

    #[test]
    fn every_cell_knows_its_column_quoted_or_not() {
        assert_eq!(field_columns("\"a,b\",c;d,é,f\nnext", b','), [1, 7, 11, 13]);
        assert_eq!(field_columns("x\t\"y\t\"z", b'\t'), [1, 3, 6]);
        let grid = Grid::of_text("s.csv", "indicator;country\nfirst;CZ\n", b';');
        assert!(grid.decimal_comma);
        let rows: Vec<GridRow> = grid.rows.map(Result::unwrap).collect();
        assert_eq!((rows[1].line, rows[1].column(1), rows[1].text(1)), (2, 7, "CZ"));
    }

    #[test]
    fn periods_are_years_quarters_or_months() {
        let period = |year, frequency, quarter, month| Some(RowPeriod { year, frequency, quarter, month, week: None });
        assert_eq!(parse_period("2023"), period(2023, Frequency::Annual, None, None));
        let week = RowPeriod { year: 2026, frequency: Frequency::Weekly, quarter: None, month: None, week: Some(7) };
        assert_eq!(parse_period("2026-W07"), Some(week));
        assert_eq!(parse_period("2026W07"), Some(week));
        assert_eq!(parse_period("2026-W54"), None);
        assert_eq!(parse_period("2025-Q3"), period(2025, Frequency::Quarterly, Some(3), None));
        assert_eq!(parse_period("2025Q3"), period(2025, Frequency::Quarterly, Some(3), None));
        assert_eq!(parse_period("2019-01"), period(2019, Frequency::Monthly, Some(1), Some(1)));
        assert_eq!(parse_period("2019M01"), period(2019, Frequency::Monthly, Some(1), Some(1)));
        assert_eq!(parse_period("2019M11"), period(2019, Frequency::Monthly, Some(4), Some(11)));
        assert_eq!(parse_period("2019-M11"), parse_period("2019-11"));
        assert_eq!(parse_period("2019-13"), None);
        assert_eq!(parse_period("20x9"), None);
    }

    #[test]
    fn columns_are_counted_in_the_row() {
        let (_, diags) = read("s.csv", b"indicator,country,year,value,flag\nfirst_permits_long_name,CZ,2020,abc,\n");
        assert_eq!((diags[0].line, diags[0].column), (Some(2), Some(33)));
    }

    #[test]
    fn dataset_codes_from_file_names() {
        assert_eq!(dataset_name_from_file("statistics/estat_migr_asyappctza.tsv").as_deref(), Some("migr_asyappctza"));
        assert_eq!(
            dataset_name_from_file("statistics/demo_r_gind3_TRIMMED_legacy_bulk.tsv").as_deref(),
            Some("demo_r_gind3")
        );
        assert_eq!(dataset_name_from_file("statistics/migr_resfirst_2024.tsv").as_deref(), Some("migr_resfirst"));
    }

    #[test]
    fn eurostat_cells() {
        assert_eq!(eurostat_cell("1234 p"), Some((Some((1234.0, 0)), "p".into())));
        assert_eq!(eurostat_cell(": c"), Some((None, "c".into())));
        assert_eq!(eurostat_cell("5.50 be"), Some((Some((5.5, 2)), "be".into())));
        assert_eq!(eurostat_cell("5p"), Some((Some((5.0, 0)), "p".into())));
        assert_eq!(eurostat_cell(":"), Some((None, "".into())));
        for misread in
            ["1,5", "12 3 p", "NaN", "0x10", "1_000", "∞", "12\u{2009}345", "1e308", "12 :", "1.", ".5", "+3"]
        {
            assert_eq!(eurostat_cell(misread), None, "{misread}");
        }
        assert_eq!(parse_number("213,925", false), Some(213925.0));
        assert_eq!(dataset_code("ESTAT:MIGR_RESFIRST(1.0)"), "migr_resfirst");
    }
}
