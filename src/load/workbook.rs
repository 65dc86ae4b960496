//! Statistics from Excel workbooks (`.xlsx`, also `.xls` and `.ods`).
//!
//! Every sheet becomes a `statistics::Grid` of its cells, each at its row
//! and column: its header is the first row of a shape `statistics` knows
//! (title rows above it are skipped), and the grid goes to the same readers
//! as a CSV file's, so one set of rules applies (no sheet is turned into
//! CSV text and read again). Numeric cells keep their value
//! (not what a number format displays). Diagnostics and observations name
//! the sheet and the cell (`sheet permits, cell C7`), and their line is the
//! sheet's row.

use calamine::{Data, Range, Reader};

use super::statistics::{self, Grid, GridCell, GridRow, Observation};
use crate::diagnostic::Diagnostic;
use crate::limits::{MAX_SHARED_STRINGS, MAX_SHEET_CELLS, MAX_WORKBOOK_PART_BYTES, MAX_WORKBOOK_UNPACKED_BYTES};

/// Workbook extensions read from `statistics/`.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// Reads every sheet of a workbook.
pub fn read(
    file: &str,
    bytes: &[u8],
    template: Option<&super::template::Template>,
) -> (Vec<Observation>, Vec<Diagnostic>) {
    if let Err(diagnostic) = preflight(file, bytes) {
        return (Vec::new(), vec![diagnostic]);
    }
    let mut workbook = match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => {
            let diagnostic =
                Diagnostic::error("bad-workbook", file, format!("{file} cannot be read as a workbook ({error})"))
                    .at_line(1)
                    .with_hint(
                        "save it again from the spreadsheet program as .xlsx (not password-protected), or as CSV",
                    );
            return (Vec::new(), vec![diagnostic]);
        }
    };
    let mut observations = Vec::new();
    let mut diagnostics = Vec::new();
    for name in workbook.sheet_names() {
        let range = match workbook.worksheet_range(&name) {
            Ok(range) => range,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(
                        "bad-workbook",
                        file,
                        format!("sheet `{name}` of {file} cannot be read ({error})"),
                    )
                    .at_line(1),
                );
                continue;
            }
        };
        let (rows, problems) = read_sheet(file, &name, &range, template);
        observations.extend(rows);
        diagnostics.extend(problems);
    }
    (observations, diagnostics)
}

/// Bounds a zipped workbook's work before the reader allocates anything:
/// every part's unpacked size (read, not trusted from the directory), each
/// sheet's box of cells, the shared strings it declares. `.xls` is not a
/// zip and is bounded by the file size alone.
fn preflight(file: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Read;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Ok(()) };
    let too_large = |what: String, limit: String| {
        Diagnostic::error("file-too-large", file, format!("{file}: {what} (the limit is {limit})"))
            .at_line(1)
            .with_hint("keep only the statistics in the workbook, or save the sheet as CSV")
    };
    let mut total = 0u64;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index(index) else { continue };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut content = Vec::new();
        entry.take(MAX_WORKBOOK_PART_BYTES + 1).read_to_end(&mut content).map_err(|error| {
            Diagnostic::error("bad-workbook", file, format!("{file}: its part {name} cannot be unpacked ({error})"))
                .at_line(1)
        })?;
        let size = content.len() as u64;
        if size > MAX_WORKBOOK_PART_BYTES {
            return Err(too_large(
                format!("its part {name} unpacks to more than {MAX_WORKBOOK_PART_BYTES} bytes"),
                format!("{MAX_WORKBOOK_PART_BYTES} bytes"),
            ));
        }
        total += size;
        if total > MAX_WORKBOOK_UNPACKED_BYTES {
            return Err(too_large(
                "it unpacks to more than its parts may hold together".into(),
                format!("{MAX_WORKBOOK_UNPACKED_BYTES} bytes"),
            ));
        }
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let (rows, columns) = sheet_box(&content);
            if rows.saturating_mul(columns) > MAX_SHEET_CELLS {
                return Err(too_large(
                    format!(
                        "a sheet ({name}) spans {rows} rows × {columns} columns up to cell {}{rows}",
                        column_letters(columns as usize)
                    ),
                    format!("{MAX_SHEET_CELLS} cells"),
                ));
            }
        }
        if name == "content.xml" {
            let cells = ods_cells(&content);
            if cells > MAX_SHEET_CELLS {
                return Err(too_large(
                    format!("its repeated rows and cells hold {cells} cells"),
                    format!("{MAX_SHEET_CELLS} cells"),
                ));
            }
        }
        if name == "xl/sharedStrings.xml" {
            let declared = ["count", "uniqueCount"].iter().filter_map(|key| attribute_number(&content, key)).max();
            if let Some(declared) = declared.filter(|&n| n > MAX_SHARED_STRINGS) {
                return Err(too_large(
                    format!("it declares {declared} shared strings"),
                    format!("{MAX_SHARED_STRINGS}"),
                ));
            }
        }
    }
    Ok(())
}

/// The last row and column a sheet's XML names: cell and row references
/// (`r="XFD1048576"`, `r="12"`) and the `<dimension ref="A1:C9"/>`.
fn sheet_box(xml: &[u8]) -> (u64, u64) {
    let (mut rows, mut columns) = (0u64, 0u64);
    let mut note = |reference: &[u8]| {
        let letters = reference.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let column = reference[..letters]
            .iter()
            .fold(0u64, |n, b| n.saturating_mul(26).saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1)));
        let row = reference[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')));
        rows = rows.max(row);
        columns = columns.max(column);
    };
    for (at, _) in find_all(xml, b" r=\"") {
        note(&xml[at + 4..]);
    }
    for (at, _) in find_all(xml, b"<dimension ref=\"") {
        let value = &xml[at + 16..];
        let end = value.iter().position(|&b| b == b'"').unwrap_or(0);
        for reference in value[..end].split(|&b| b == b':') {
            note(reference);
        }
    }
    (rows, columns.max(1))
}

/// The cells an OpenDocument spreadsheet's rows hold once their repeats
/// are expanded (`table:number-rows-repeated`, `…-columns-repeated`), as
/// the reader expands them. Rows without a value (the trailing empty rows
/// every spreadsheet program writes) expand to nothing and are not counted.
fn ods_cells(xml: &[u8]) -> u64 {
    let repeat = |tag: &[u8], key: &[u8]| {
        find_all(tag, key).next().map_or(1, |(at, _)| {
            tag[at + key.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
                .max(1)
        })
    };
    let mut total = 0u64;
    let mut rows = find_all(xml, b"<table:table-row").map(|(at, _)| at).peekable();
    while let Some(start) = rows.next() {
        let end = rows.peek().copied().unwrap_or(xml.len());
        let row = &xml[start..end];
        let tag_end = row.iter().position(|&b| b == b'>').unwrap_or(row.len());
        let row_repeats = repeat(&row[..tag_end], b"table:number-rows-repeated=\"");
        let has_value = find_all(row, b"office:value").next().is_some() || find_all(row, b"<text:p").next().is_some();
        if !has_value {
            continue;
        }
        let mut columns = 0u64;
        for (at, _) in find_all(row, b"<table:table-cell") {
            let cell_end = row[at..].iter().position(|&b| b == b'>').map_or(row.len(), |e| at + e);
            columns = columns.saturating_add(repeat(&row[at..cell_end], b"table:number-columns-repeated=\""));
        }
        total = total.saturating_add(row_repeats.saturating_mul(columns));
    }
    total
}

/// Every place `needle` occurs in `haystack`.
fn find_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = (usize, ())> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let found = haystack.get(from..)?.windows(needle.len()).position(|w| w == needle)?;
        let at = from + found;
        from = at + needle.len();
        Some((at, ()))
    })
}

/// The number in the first `key="…"` attribute of an XML part's opening.
fn attribute_number(xml: &[u8], key: &str) -> Option<u64> {
    let head = &xml[..xml.len().min(4096)];
    let needle = format!(" {key}=\"");
    let (at, _) = find_all(head, needle.as_bytes()).next()?;
    let value = &head[at + needle.len()..];
    let digits: Vec<u8> = value.iter().copied().take_while(u8::is_ascii_digit).collect();
    String::from_utf8(digits).ok()?.parse().ok()
}

/// One sheet: its header row found, the rows below read as CSV text.
fn read_sheet<'a>(
    file: &'a str,
    sheet: &str,
    range: &'a Range<Data>,
    template: Option<&'a super::template::Template>,
) -> (Vec<Observation>, Vec<Diagnostic>) {
    let (first_row, first_column) = range.start().map_or((0, 0), |(row, column)| (row as usize, column as usize));
    // One row at a time, as a text file's (the sheet's box is bounded, not
    // its copy as text).
    let row_at = |(index, row): (usize, &[Data])| GridRow {
        line: first_row + index + 1,
        cells: row
            .iter()
            .enumerate()
            .map(|(offset, cell)| GridCell { text: cell_text(cell), column: first_column + offset + 1 })
            .collect(),
    };
    if range.used_cells().all(|(_, _, cell)| cell_text(cell).trim().is_empty()) {
        return (Vec::new(), Vec::new());
    }
    let Some(header) = range.rows().enumerate().map(row_at).position(|row| is_header(&row)) else {
        let warning = Diagnostic::warning(
            "ignored-file",
            file,
            format!("sheet `{sheet}` of {file} has no statistics header, so nothing in it is read"),
        )
        .at_line(first_row + 1)
        .with_hint(
            "statistics start with a header row such as `indicator, country, year, value, flag`, or Eurostat's own",
        );
        return (Vec::new(), vec![warning]);
    };
    let rows = range.rows().enumerate().skip(header).map(row_at).map(Ok);
    let grid = Grid { rows: Box::new(rows), decimal_comma: false, template };
    let (mut observations, diagnostics) = statistics::read_grid(file, grid);
    for observation in &mut observations {
        observation.sheet = Some(sheet.to_string());
    }
    let diagnostics = diagnostics
        .into_iter()
        .map(|diagnostic| match diagnostic.line {
            // Column 1 is where row-level diagnostics point: name the row.
            Some(line) => {
                let column = diagnostic.column.filter(|&c| c > 1);
                in_sheet(diagnostic, sheet, line, column)
            }
            None => diagnostic,
        })
        .collect();
    (observations, diagnostics)
}

/// Places a diagnostic at a sheet's row, and cell when the column is
/// known, and names both in its message (`sheet permits, cell D7`), as the
/// editor finds them in the spreadsheet.
pub fn in_sheet(mut diagnostic: Diagnostic, sheet: &str, row: usize, column: Option<usize>) -> Diagnostic {
    let place = match column {
        Some(column) => format!("cell {}{row}", column_letters(column)),
        None => format!("row {row}"),
    };
    diagnostic.message.push_str(&format!(" (sheet `{sheet}`, {place})"));
    diagnostic.at(row, column.unwrap_or(1))
}

/// Whether a row is the header of a shape `statistics` reads (title rows
/// above it are skipped).
fn is_header(row: &GridRow) -> bool {
    let cells: Vec<&str> = row.cells.iter().map(|c| c.text.trim()).collect();
    let has = |name: &str| cells.contains(&name);
    let has_lower = |name: &str| cells.iter().any(|c| c.eq_ignore_ascii_case(name));
    let eurostat_tsv = cells.first().is_some_and(|c| c.contains('\\') && c.contains(','));
    let sdmx = (has("DATAFLOW") || has("STRUCTURE_ID")) && has("OBS_VALUE");
    let tidy = ["indicator", "country", "year", "value"].iter().all(|name| has_lower(name));
    eurostat_tsv || sdmx || tidy
}

/// A cell as the statistics readers read it: numbers in full precision (Rust
/// prints the shortest text that reads back as the same number), text as
/// written, errors as written (`#N/A`) so they are reported, not dropped.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(value) => value.to_string(),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(value) => value.as_f64().to_string(),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => error.to_string(),
    }
}

/// Excel's column name of a 1-based column: 1 → A, 27 → AA.
fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rest = (column - 1) % 26;
        letters.push(b'A' + rest as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheets_box_is_read_from_its_references() {
        let xml = br#"<worksheet><dimension ref="A1:C3"/><sheetData><row r="2"><c r="B2"><v>1</v></c></row><row r="7"><c r="XFD7"/></row></sheetData></worksheet>"#;
        assert_eq!(sheet_box(xml), (7, 16384));
        assert_eq!(
            attribute_number(br#"<sst xmlns="x" count="4000000000" uniqueCount="2">"#, "count"),
            Some(4_000_000_000)
        );
    }

    #[test]
    fn repeated_ods_cells_are_counted_as_the_reader_expands_them() {
        let row = |rows: u64, columns: u64, value: bool| {
            let content = if value { r#"office:value="1""# } else { "" };
            format!(
                r#"<table:table-row table:number-rows-repeated="{rows}"><table:table-cell table:number-columns-repeated="{columns}" {content}/></table:table-row>"#
            )
        };
        let xml = format!("{}{}{}", row(1, 5, true), row(3, 2, true), row(1_048_553, 1024, false));
        assert_eq!(ods_cells(xml.as_bytes()), 5 + 6, "trailing empty rows count nothing");
        let bomb = row(1_048_576, 16_384, true);
        assert!(ods_cells(bomb.as_bytes()) > MAX_SHEET_CELLS);
    }

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(3), "C");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }
}
