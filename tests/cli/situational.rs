//! Situational reports as a new user makes one: `init`, three countries'
//! updates and an `eu.md`, then `validate` and `build-package`.

use std::path::Path;

use crate::support::*;

fn report_with_updates(dir: &Path) -> std::path::PathBuf {
    let package = dir.join("report");
    emn_pub().arg("init").arg(&package).args(["--kind", "situational-report"]).assert().success();
    for country in ["PL", "DE", "AT"] {
        emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
        let path = package.join(format!("contributions/{country}.md"));
        let mut text = std::fs::read_to_string(&path).unwrap();
        for number in 1..=3 {
            let start = text.find("<!--").unwrap();
            let end = start + text[start..].find("-->").unwrap() + 3;
            text.replace_range(start..end, &format!("{country} reports situation item {number}: 1 200 arrivals."));
        }
        std::fs::write(&path, text).unwrap();
    }
    std::fs::write(package.join("eu.md"), "The Council agreed on solidarity measures on 2 March.\n").unwrap();
    replace(
        &package,
        "emn.toml",
        "countries = [\"PL\", \"DE\", \"AT\"]",
        "countries = [\"PL\", \"DE\", \"AT\", \"CZ\", \"SK\"]",
    );
    replace(&package, "emn.toml", "edition = 1", "edition = 4");
    package
}

/// The report covers 2025 and 2026 and describes the situation as of `as_of`.
fn over_2025_and_2026(package: &Path, as_of_date: &str) {
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    let period = manifest.lines().find(|l| l.starts_with("reference-period")).unwrap().to_string();
    replace(package, "emn.toml", &period, "reference-period = \"2025-2026\"");
    replace(package, "emn.toml", &as_of(package), as_of_date);
}

/// The `as-of` date `init` wrote.
fn as_of(package: &Path) -> String {
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    manifest.split("as-of = ").nth(1).unwrap().lines().next().unwrap().to_string()
}

#[test]
fn a_situational_report_shows_its_date_edition_every_update_and_who_did_not_report() {
    let dir = tempfile::tempdir().unwrap();
    let package = report_with_updates(dir.path());
    let as_of = as_of(&package);
    // Key figures, up to this year.
    let year: i32 = as_of[..4].parse().unwrap();
    let rows: String = ["PL", "DE", "AT"]
        .iter()
        .map(|c| format!("arrivals,{c},{},1000,\narrivals,{c},{year},1500,\n", year - 1))
        .collect();
    write(&package, "statistics/arrivals.csv", &format!("indicator,country,year,value,flag\n{rows}"));
    emn_pub().arg("validate").arg(&package).assert().success();
    let out = package.join("b.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    assert!(!entries.keys().any(|p| p.starts_with("national/")), "no national PDFs: {:?}", entries.keys());
    assert!(entries.contains_key("html/situational-report.html") && entries.contains_key("situational-report.docx"));
    let pdf = &entries["situational-report.pdf"];
    assert!(pdf_pages(pdf) <= 6);
    let text = normalise(&pdf_text(pdf));
    let date = emn_pub::dates::Date::parse(&as_of).unwrap().english();
    assert!(text.contains(&format!("Situation as of {date}")) || text.contains(&date), "{text}");
    assert!(text.contains("Edition") && text.contains('4'), "{text}");
    for country in ["PL", "DE", "AT"] {
        for number in 1..=3 {
            let words = format!("{country} reports situation item {number}: 1 200 arrivals.");
            assert!(squeeze(&text).contains(&squeeze(&words)), "{words} in {text}");
        }
    }
    // Protocol order: Germany, Austria, Poland.
    let (de, at, pl) = (text.find("Germany").unwrap(), text.find("Austria").unwrap(), text.find("Poland").unwrap());
    assert!(de < at && at < pl, "{text}");
    assert!(text.contains("Czechia (CZ)") && text.contains("Slovakia (SK)"), "the countries that did not report");
    assert!(text.contains("Council agreed on solidarity measures"), "eu.md");
    assert!(text.contains("Key figures") && text.contains("4,500") && text.contains("+50.0 %"), "{text}");
}

#[test]
fn a_situational_reports_fields_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let package = report_with_updates(dir.path());
    let as_of = as_of(&package);
    replace(&package, "emn.toml", "edition = 4", "edition = 0");
    replace(&package, "emn.toml", &format!("as-of = {as_of}"), "as-of = 2026-01-10T10:00:00");
    let (code, json) = validate_json(&package);
    assert_eq!(code, Some(1), "{json:#}");
    let errors: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(errors.iter().any(|m| m.contains("as-of")) && errors.iter().any(|m| m.contains("edition")), "{errors:?}");

    // An update dated after as-of is a warning.
    replace(&package, "emn.toml", "edition = 0", "edition = 2");
    replace(&package, "emn.toml", "as-of = 2026-01-10T10:00:00", "as-of = 2026-01-10");
    let (code, json) = validate_json(&package);
    assert_eq!(code, Some(0), "{json:#}");
    find_diagnostic(&json, |d| d["code"] == "update-after-as-of" && d["severity"] == "warning")
        .unwrap_or_else(|| panic!("{json:#}"));
}

/// Monthly statistics for two months of 2026 and every month of 2025: the
/// key figures compare January–February 2026 with January–February 2025,
/// per country and in total, never with the whole of 2025.
#[test]
fn monthly_key_figures_compare_the_same_months_of_each_year() {
    let dir = tempfile::tempdir().unwrap();
    let package = report_with_updates(dir.path());
    over_2025_and_2026(&package, "2026-03-01");
    let mut rows = String::from("indicator,country,year,value,flag\n");
    for (country, base) in [("PL", 100), ("DE", 200), ("AT", 50)] {
        for month in 1..=12 {
            rows.push_str(&format!("arrivals,{country},2025-{month:02},{},\n", base * month));
        }
        for month in 1..=2 {
            let flag = if country == "AT" { "p" } else { "" };
            rows.push_str(&format!("arrivals,{country},2026-{month:02},{},{flag}\n", base * month * 2));
        }
    }
    write(&package, "statistics/arrivals.csv", &rows);
    let (code, json) = validate_json(&package);
    assert_eq!(code, Some(0), "monthly rows are what a situational report is about: {json:#}");
    let entries = build_incomplete(&package, &package.join("b.zip"));
    let text = normalise(&pdf_text(&entries["situational-report.pdf"]));
    assert!(text.contains("January–February 2026") && text.contains("January–February 2025"), "{text}");
    // Poland: 2 × (100 + 200) = 600 against 300; the total 2 × (300 + 600 + 150) = 2,100 against 1,050.
    for figure in ["600", "300", "+100.0 %", "2,100", "1,050"] {
        assert!(text.contains(figure), "{figure} in {text}");
    }
    assert!(text.contains("300 (p)"), "Austria's provisional months carry their flag");
    // The whole of 2025 (PL: 7,800) is no figure of the report.
    assert!(!text.contains("7,800") && !text.contains("since 2025"), "{text}");
    let page = String::from_utf8(entries["html/situational-report.html"].clone()).unwrap();
    assert!(page.contains("January–February 2026") && page.contains("+100.0"), "the web page shows the same");
}

/// Weekly statistics (`period = "week"`, `2026-W07`): the same weeks of
/// each year compared.
#[test]
fn weekly_key_figures_compare_the_same_weeks_of_each_year() {
    let dir = tempfile::tempdir().unwrap();
    let package = report_with_updates(dir.path());
    over_2025_and_2026(&package, "2026-02-20");
    let template = std::fs::read_to_string(repo().join("templates/situational-report.toml")).unwrap();
    write(&package, "template.toml", &template.replace("period = \"month\"", "period = \"week\""));
    replace(&package, "emn.toml", "template = \"situational-report\"", "template = \"template.toml\"");
    let mut rows = String::from("indicator,country,year,value,flag\n");
    for country in ["PL", "DE"] {
        for week in 1..=52 {
            rows.push_str(&format!("arrivals,{country},2025-W{week:02},10,\n"));
        }
        for week in 1..=7 {
            rows.push_str(&format!("arrivals,{country},2026-W{week:02},15,\n"));
        }
    }
    write(&package, "statistics/arrivals.csv", &rows);
    let (code, json) = validate_json(&package);
    assert_eq!(code, Some(0), "{json:#}");
    let entries = build_incomplete(&package, &package.join("b.zip"));
    let text = normalise(&pdf_text(&entries["situational-report.pdf"]));
    assert!(text.contains("weeks 1–7 of 2026") && text.contains("weeks 1–7 of 2025"), "{text}");
    // Each country 7 × 15 = 105 against 70; both 210 against 140.
    for figure in ["105", "70", "+50.0 %", "210", "140"] {
        assert!(text.contains(figure), "{figure} in {text}");
    }
    assert!(!text.contains("520"), "never the whole of 2025: {text}");
}

/// Built `--since` the previous edition, the key figures show what it
/// printed for its latest period beside this edition's.
#[test]
fn key_figures_show_the_previous_editions_beside_this_ones() {
    let dir = tempfile::tempdir().unwrap();
    let package = report_with_updates(dir.path());
    over_2025_and_2026(&package, "2026-02-01");
    let rows = |months: u32| -> String {
        let mut rows = String::from("indicator,country,year,value,flag\n");
        for country in ["PL", "DE"] {
            for month in 1..=12 {
                rows.push_str(&format!("arrivals,{country},2025-{month:02},100,\n"));
            }
            for month in 1..=months {
                rows.push_str(&format!("arrivals,{country},2026-{month:02},{},\n", 150 + month));
            }
        }
        rows
    };
    write(&package, "statistics/arrivals.csv", &rows(1));
    let first = dir.path().join("first.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&first).assert().success();
    write(&package, "statistics/arrivals.csv", &rows(2));
    replace(&package, "emn.toml", "edition = 4", "edition = 5");
    let second = dir.path().join("second.zip");
    emn_pub()
        .arg("build-package")
        .arg(&package)
        .arg("--since")
        .arg(&first)
        .arg("--out")
        .arg(&second)
        .assert()
        .success();
    let text = normalise(&pdf_text(&unzip(&second)["situational-report.pdf"]));
    assert!(text.contains("Previous edition (January 2026)"), "{text}");
    // Poland: 151 + 152 = 303 now, 151 in the previous edition; both: 302.
    for figure in ["303", "151", "302"] {
        assert!(text.contains(figure), "{figure} in {text}");
    }
    let text = normalise(&pdf_text(&unzip(&first)["situational-report.pdf"]));
    assert!(!text.contains("Previous edition"), "without --since, no previous edition");
}
