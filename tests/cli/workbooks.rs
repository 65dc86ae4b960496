//! Excel in and out: statistics read from workbooks (title rows above the
//! header, numbers as numeric cells), diagnostics naming sheet and cell, and
//! `statistical-annex.xlsx` holding the annex's values as numbers.

use calamine::{Data, Reader};
use rust_xlsxwriter::{Format, Workbook};

use crate::support::*;

/// The rows of a tidy CSV: header, then records.
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(|line| line.split(',').map(str::to_string).collect()).collect()
}

/// A workbook as statisticians send one: two title rows and a blank row
/// above the header, numbers as numeric cells (shown with a thousands
/// format), then a notes sheet without statistics.
fn workbook_from_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("permits").unwrap();
    sheet.write_string(0, 0, "First residence permits for remunerated activities").unwrap();
    sheet.write_string(1, 0, "Source: national statistics, extracted 2025").unwrap();
    let thousands = Format::new().set_num_format("#,##0");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 3, c as u16);
            match cell.parse::<f64>() {
                Ok(number) if r > 3 && (c == 2 || c == 3) => {
                    sheet.write_number_with_format(r, c, number, &thousands).unwrap();
                }
                _ if cell.is_empty() => {}
                _ => {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    let notes = workbook.add_worksheet();
    notes.set_name("notes").unwrap();
    notes.write_string(0, 0, "Figures for 2023 are provisional.").unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_with_title_rows_feeds_the_annex_like_its_csv() {
    let package = copy_package(&sample());
    let dir = package.path();
    let csv = dir.join("statistics/first-permits.csv");
    let rows = csv_rows(&csv);
    let from_csv = dir.join("csv.zip");
    build_only(dir, "statistical-annex", &from_csv).success();

    std::fs::remove_file(&csv).unwrap();
    std::fs::write(dir.join("statistics/first-permits.xlsx"), workbook_from_csv(&rows)).unwrap();
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}");
    let from_workbook = dir.join("xlsx.zip");
    build_only(dir, "statistical-annex", &from_workbook).success();
    let (csv_entries, workbook_entries) = (unzip(&from_csv), unzip(&from_workbook));
    assert_eq!(
        String::from_utf8_lossy(&csv_entries["statistical-annex.csv"]),
        String::from_utf8_lossy(&workbook_entries["statistical-annex.csv"]),
        "the annex holds the same values from the workbook as from the CSV"
    );
    let annex = squeeze(&pdf_text(&workbook_entries["statistical-annex.pdf"]));
    assert!(annex.contains(&squeeze("17,831")), "{annex}");
    // The source says who gives the data, never the package's file names.
    assert!(annex.contains(&squeeze("Source: EMN National Contact Points.")), "{annex}");
    assert!(!annex.contains("first-permits"), "no file name: {annex}");
}

#[test]
fn workbook_problems_name_the_sheet_and_the_cell() {
    let package = copy_package(&sample());
    let dir = package.path();
    let csv = dir.join("statistics/first-permits.csv");
    let mut rows = csv_rows(&csv);
    rows[3][3] = "n/a".into(); // the value of the third data row: sheet row 7, column D
    rows[5][4] = "x".into(); // an unknown flag: sheet row 9, column E
    std::fs::remove_file(&csv).unwrap();
    std::fs::write(dir.join("statistics/first-permits.xlsx"), workbook_from_csv(&rows)).unwrap();
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(1), "{json:#}");
    let messages: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (d["code"].as_str().unwrap().into(), d["message"].as_str().unwrap().into(), d["line"].as_u64().unwrap_or(0))
        })
        .collect();
    let found = |code: &str, place: &str, line: u64| {
        messages.iter().any(|(c, m, l)| c == code && m.contains(place) && *l == line)
    };
    assert!(found("bad-value", "sheet `permits`, cell D7", 7), "{messages:#?}");
    assert!(found("unknown-flag", "sheet `permits`, cell E9", 9), "{messages:#?}");
    assert!(
        messages.iter().any(|(c, m, _)| c == "ignored-file" && m.contains("sheet `notes`")),
        "a sheet without statistics is named: {messages:#?}"
    );
}

#[test]
fn random_bytes_named_xlsx_are_an_error_not_a_panic() {
    let package = copy_package(&sample());
    std::fs::write(package.path().join("statistics/broken.xlsx"), b"PK\x03\x04 not really a workbook").unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "bad-workbook" && d["file"] == "statistics/broken.xlsx"),
        "{json:#}"
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn the_annex_workbook_holds_the_annex_values_as_numbers() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "statistical-annex", &out).success();
    let entries = unzip(&out);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(entries["statistical-annex.xlsx"].clone())).unwrap();
    let csv = String::from_utf8(entries["statistical-annex.csv"].clone()).unwrap();
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (table, country, year, value, flag) = (cells[0], cells[2], cells[3], cells[4], cells[5]);
        // A figure the publications print (a sum, a change) on its own sheet.
        let printed = workbook.worksheet_range("Figures printed").unwrap();
        let listed = printed.rows().find(|r| {
            r[0] == Data::String(table.into())
                && r[1] == Data::String(country.into())
                && r[2] == Data::String(year.into())
        });
        if let Some(row) = listed {
            assert_eq!(row[3], Data::Float(value.parse().unwrap()), "{table} {country} {year}: printed");
            assert_eq!(row[4], Data::String(flag.into()), "{table} {country} {year}: its flag");
            checked += 1;
            continue;
        }
        let range = workbook.worksheet_range(table).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let header = rows.iter().position(|r| r.first() == Some(&Data::String("Code".into()))).unwrap();
        let column = rows[header].iter().position(|c| *c == Data::String(year.into())).unwrap();
        let row = rows.iter().find(|r| r.first() == Some(&Data::String(country.into()))).unwrap();
        if !value.is_empty() {
            assert_eq!(row[column], Data::Float(value.parse().unwrap()), "{table} {country} {year}");
            checked += 1;
        }
        let flag_cell = if flag.is_empty() { Data::Empty } else { Data::String(flag.into()) };
        assert_eq!(row[column + 1], flag_cell, "{table} {country} {year} flag");
    }
    assert!(checked >= 60, "{checked} values compared");
    let sheets = workbook.sheet_names();
    assert!(sheets.iter().any(|s| s == "Flags and sources"), "{sheets:?}");
}

/// A workbook rewritten part by part, `edit` changing the parts it names.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        out.start_file(&name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&edit(&name, content)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn sparse_and_lying_workbooks_are_refused_before_they_are_read() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["indicator", "country", "year", "value", "flag"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    // One cell at XFD1048576: the box from A1 holds 17 billion cells.
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let sparse = workbook.save_to_buffer().unwrap();
    std::fs::write(dir.join("statistics/sparse.xlsx"), &sparse).unwrap();
    let started = std::time::Instant::now();
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(1), "{json}");
    let refused = find_diagnostic(&json, |d| d["code"] == "file-too-large" && d["file"] == "statistics/sparse.xlsx")
        .expect("the sparse sheet is refused");
    assert!(refused["message"].as_str().unwrap().contains("XFD1048576"), "{refused}");
    assert!(started.elapsed().as_secs() < 20, "refused at once, not after reading");

    // A small sheet whose shared-strings part claims four billion strings.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["indicator", "country", "year", "value", "flag"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    let small = workbook.save_to_buffer().unwrap();
    let lying = rezip(&small, |name, content| {
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(content).unwrap();
            let at = text.find(" count=\"").unwrap();
            let end = at + 8 + text[at + 8..].find('"').unwrap();
            format!("{} count=\"4000000000{}", &text[..at], &text[end..]).into_bytes()
        } else {
            content
        }
    });
    std::fs::write(dir.join("statistics/sparse.xlsx"), lying).unwrap();
    let (_, json) = validate_json(dir);
    let refused = find_diagnostic(&json, |d| d["file"] == "statistics/sparse.xlsx").expect("refused");
    assert_eq!(refused["code"], "file-too-large", "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("4000000000 shared strings"), "{refused}");

    // A sheet padded with an 80 MB XML comment (a few hundred KB zipped).
    let padded = rezip(&small, |name, content| {
        if name == "xl/worksheets/sheet1.xml" {
            let mut bigger = b"<!--".to_vec();
            bigger.extend(std::iter::repeat_n(b'a', 80 * 1024 * 1024));
            bigger.extend(b"-->");
            bigger.extend(content);
            bigger
        } else {
            content
        }
    });
    assert!(padded.len() < 2 * 1024 * 1024, "{} bytes zipped", padded.len());
    std::fs::write(dir.join("statistics/sparse.xlsx"), padded).unwrap();
    let (_, json) = validate_json(dir);
    let refused = find_diagnostic(&json, |d| d["file"] == "statistics/sparse.xlsx").expect("refused");
    assert!(refused["message"].as_str().unwrap().contains("unpacks to more than"), "{refused}");
}
