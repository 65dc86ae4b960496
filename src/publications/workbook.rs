//! `statistical-annex.xlsx`: the annex's tables as an Excel workbook for
//! statisticians who filter and chart them.
//!
//! One sheet per template table, holding an Excel table (countries ×
//! periods) whose values are numeric cells in the number format of their
//! source's decimals, each period followed by its flag column, and the total
//! row the table's `total` asks for; the unit and source under the table. A
//! last sheet explains the flags and lists the sources. The creation date is
//! the build date, so the bytes are reproducible like the rest of the bundle.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Table, TableColumn, Workbook, Worksheet, XlsxError};

use super::figures::{self, Cell, TableData};
use super::{DataFile, PlanOptions, country_name};
use crate::load::Package;

/// The workbook's path inside the bundle.
pub const PATH: &str = "statistical-annex.xlsx";

/// Builds the workbook; `None` only if the writer fails (it does not on
/// valid input: sheet names and sizes are bounded by `validate`).
pub fn workbook(package: &Package, options: &PlanOptions) -> Option<DataFile> {
    let bytes = write(package, options).ok()?;
    // rust_xlsxwriter's zip records the host system: rewrite it so every
    // system gives the same bytes.
    let bytes = crate::output::zip::normalise_zip(&bytes, options.date).ok()?;
    Some(DataFile { path: PATH.into(), kind: super::FileKind::StatisticalAnnexData, bytes })
}

fn write(package: &Package, options: &PlanOptions) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let date = options.date;
    let created = ExcelDateTime::from_ymd(date.year.clamp(1900, 9999) as u16, date.month, date.day)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} – Statistical Annex", package.manifest.title))
            .set_author("European Migration Network")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let mut all_flags = std::collections::BTreeSet::new();
    let mut sources = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for (spec, data) in figures::shown_tables(package).0 {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(spec.id.get_ref(), &mut names))?;
        sheet.write_string_with_format(0, 0, format!("{} {}", spec.id.get_ref(), spec.title), &bold)?;
        if data.has_data() {
            write_table(sheet, &data)?;
        } else {
            sheet.write_string(2, 0, format!("No data for indicator {}.", spec.indicator))?;
        }
        all_flags.extend(data.flags.iter().copied());
        sources.extend(data.sources.iter().cloned());
    }
    write_printed(workbook.add_worksheet(), &figures::printed(package), &bold)?;
    let legend = workbook.add_worksheet();
    legend.set_name("Flags and sources")?;
    legend.write_string_with_format(0, 0, "Flag", &bold)?;
    legend.write_string_with_format(0, 1, "Meaning", &bold)?;
    let mut row = 1;
    for flag in &all_flags {
        legend.write_string(row, 0, flag.to_string())?;
        legend.write_string(row, 1, figures::flag_label(*flag))?;
        row += 1;
    }
    legend.write_string(row, 0, ":")?;
    legend.write_string(row, 1, "not available (an empty cell)")?;
    row += 2;
    legend.write_string_with_format(row, 0, "Sources", &bold)?;
    for source in &sources {
        row += 1;
        legend.write_string(row, 0, source)?;
    }
    legend.set_column_width(0, 14)?;
    legend.set_column_width(1, 60)?;
    workbook.save_to_buffer()
}

/// The table: a code and a country column, then per period its value and
/// its flag; the total row last; unit and source two rows below.
fn write_table(sheet: &mut Worksheet, data: &TableData) -> Result<(), XlsxError> {
    const FIRST_ROW: u32 = 2;
    let mut headers = vec!["Code".to_string(), "Country".to_string()];
    for year in &data.years {
        headers.push(year.to_string());
        headers.push(format!("{year} flag"));
    }
    let total = data.total.as_ref().map(|(kind, cells)| (kind.code().to_string(), kind.label("en").to_string(), cells));
    let rows = data
        .rows
        .iter()
        .map(|(code, cells)| (code.clone(), country_name(code, "en"), cells))
        .chain(total.iter().map(|(code, label, cells)| (code.clone(), label.clone(), *cells)));
    let mut last_row = FIRST_ROW;
    for (code, name, cells) in rows {
        last_row += 1;
        sheet.write_string(last_row, 0, code)?;
        sheet.write_string(last_row, 1, name)?;
        for (index, cell) in cells.iter().enumerate() {
            let column = 2 + 2 * index as u16;
            write_cell(sheet, last_row, column, cell)?;
        }
    }
    let columns: Vec<TableColumn> = headers.iter().map(|h| TableColumn::new().set_header(h)).collect();
    let table = Table::new()
        .set_columns(&columns)
        .set_alt_text(format!("{} ({}), by country and year", data.spec.title, data.spec.unit));
    sheet.add_table(FIRST_ROW, 0, last_row, headers.len() as u16 - 1, &table)?;
    sheet.write_string(last_row + 2, 0, super::unit_and_source(&data.spec.unit, &data.sources))?;
    sheet.set_column_width(1, 28)?;
    Ok(())
}

/// The sheet of the figures the publications print (totals, changes): as
/// the CSV lists them, with how each was made.
fn write_printed(sheet: &mut Worksheet, printed: &[figures::Printed], bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name(PRINTED_SHEET)?;
    for (column, header) in
        ["Table", "Country", "Period", "Value", "Flag", "Unit", "How it was made"].iter().enumerate()
    {
        sheet.write_string_with_format(0, column as u16, *header, bold)?;
    }
    for (index, figure) in printed.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, &figure.table)?;
        sheet.write_string(row, 1, figure.country)?;
        sheet.write_string(row, 2, &figure.period)?;
        let cell = Cell { value: Some(figure.value), decimals: figure.decimals, flag: figure.flag.clone() };
        write_cell(sheet, row, 3, &cell)?;
        sheet.write_string(row, 5, &figure.unit)?;
        sheet.write_string(row, 6, &figure.how)?;
    }
    sheet.set_column_width(6, 60)?;
    Ok(())
}

/// The name of the sheet of the figures the publications print.
pub const PRINTED_SHEET: &str = "Figures printed";

/// A value as a number in its source's decimals, and its flags beside it.
fn write_cell(sheet: &mut Worksheet, row: u32, column: u16, cell: &Cell) -> Result<(), XlsxError> {
    if let Some(value) = cell.value {
        let format = match cell.decimals {
            0 => Format::new().set_num_format("#,##0"),
            decimals => Format::new().set_num_format(format!("#,##0.{}", "0".repeat(usize::from(decimals)))),
        };
        sheet.write_number_with_format(row, column, value, &format)?;
    }
    if !cell.flag.is_empty() {
        sheet.write_string(row, column + 1, &cell.flag)?;
    }
    Ok(())
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// not `History`, unique without regard to case.
fn sheet_name(id: &str, used: &mut std::collections::BTreeSet<String>) -> String {
    let base: String = id.chars().filter(|c| !"[]:*?/\\'".contains(*c)).take(26).collect();
    let base = if base.trim().is_empty() || base.eq_ignore_ascii_case("history") { "Table".to_string() } else { base };
    let mut name = base.clone();
    let mut n = 1;
    while !used.insert(name.to_lowercase()) || name.eq_ignore_ascii_case("Flags and sources") {
        n += 1;
        name = format!("{base} ({n})");
    }
    name
}
