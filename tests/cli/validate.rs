//! `validate`: one fixture per rule, asserting code, file and line.

use crate::support::*;

/// Runs `validate --format json` and returns (exit code, diagnostics).
fn validate(dir: &std::path::Path) -> (i32, Vec<serde_json::Value>) {
    let output = emn_pub().args(["validate", "--format", "json"]).arg(dir).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap(), json["diagnostics"].as_array().unwrap().clone())
}

fn has(diagnostics: &[serde_json::Value], code: &str, file: &str, line: Option<u64>) -> bool {
    diagnostics.iter().any(|d| d["code"] == code && d["file"] == file && line.is_none_or(|l| d["line"] == l))
}

fn line_of(dir: &std::path::Path, file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in {file}")) as u64 + 1
}

fn append(dir: &std::path::Path, file: &str, text: &str) {
    let path = dir.join(file);
    let mut old = std::fs::read_to_string(&path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

#[test]
fn seven_planted_defects_are_named_in_one_run() {
    let package = copy_package(&sample());
    let dir = package.path();
    // 1. a required answer missing
    replace(dir, "contributions/BE.md", "## Q3.2 What challenges", "## Notes on challenges");
    // 2. an unknown question id
    replace(dir, "contributions/DE.md", "## Q3.1 Has your", "## Q3.9 Has your");
    // 3. an invalid country code
    replace(dir, "contributions/EL.md", "country: EL", "country: GR");
    // 4. a malformed yes-no answer
    replace(dir, "contributions/SE.md", "**No.** There is no specific", "Partly. There is no specific");
    // 5. an expected contribution missing
    std::fs::remove_file(dir.join("contributions/NO.md")).unwrap();
    // 6. a non-numeric value, 7. a duplicated row
    append(
        dir,
        "statistics/first-permits.csv",
        "first_permits_remunerated,SE,2024x,12,\nfirst_permits_remunerated,BE,2021,abc,\nfirst_permits_remunerated,CZ,2019,1,\n",
    );
    let (code, diagnostics) = validate(dir);
    assert_eq!(code, 1);
    let csv = "statistics/first-permits.csv";
    let csv_lines = std::fs::read_to_string(dir.join(csv)).unwrap().lines().count() as u64;
    assert!(has(&diagnostics, "missing-answer", "contributions/BE.md", None), "{diagnostics:#?}");
    assert!(has(
        &diagnostics,
        "unknown-question",
        "contributions/DE.md",
        Some(line_of(dir, "contributions/DE.md", "## Q3.9"))
    ));
    assert!(has(&diagnostics, "bad-country", "contributions/EL.md", Some(2)));
    assert!(has(
        &diagnostics,
        "bad-yes-no",
        "contributions/SE.md",
        Some(line_of(dir, "contributions/SE.md", "Partly."))
    ));
    assert!(has(&diagnostics, "missing-contribution", "emn.toml", Some(line_of(dir, "emn.toml", "countries"))));
    assert!(has(&diagnostics, "bad-year", csv, Some(csv_lines - 2)));
    assert!(has(&diagnostics, "bad-value", csv, Some(csv_lines - 1)));
    let first_cz_2019 = line_of(dir, csv, "first_permits_remunerated,CZ,2019");
    let duplicate = diagnostics.iter().find(|d| d["code"] == "duplicate-row").expect("duplicate-row");
    assert_eq!(duplicate["line"], csv_lines);
    assert!(duplicate["message"].as_str().unwrap().contains(&format!("line {first_cz_2019}")));
}

#[test]
fn rules_report_code_file_and_line() {
    let package = copy_package(&sample());
    let dir = package.path();
    let cz = "contributions/CZ.md";
    replace(dir, cz, "## Q2.1 Which authority", "## Q2.1 Which authority\n\nMinistry of Magic.\n\n## Q2.1 Again");
    replace(
        dir,
        cz,
        "## Q3.1 Has your Member State evaluated the measures in the reference period?\n\nNo. An evaluation",
        "## Q3.1 Has your Member State evaluated the measures in the reference period?\n\n## Q3.1b x\n\nNo. An evaluation",
    );
    replace(dir, cz, "../assets/cz-permits.svg", "../assets/missing.png");
    append(dir, cz, "\n![](../assets/cz-permits.svg)\n\n![Passwords](../../../etc/passwd)\n\n[see](annex.pdf)\n");
    replace(dir, "contributions/AT.md", "status: final", "status: finished");
    replace(dir, "contributions/DE.md", "Migration agency. The Federal", "Federal agency. The Federal");
    std::fs::rename(dir.join("contributions/SE.md"), dir.join("contributions/FI.md")).unwrap();
    write(
        dir,
        "statistics/extra.csv",
        "indicator,country,year,value,flag\nfirst_permits_remunerated,CZ,2030,5,\nmigr_asyappctza,AT,2020,-5,\nmigr_asyappctza,XX,2020,5,\nmigr_asyappctza,BE,2020,5,q\nunknown_thing,BE,2020,5,\n",
    );
    std::fs::remove_file(dir.join("summary-cs.md")).unwrap();
    std::fs::remove_file(dir.join("statistics/first-permits.csv")).unwrap();
    let (code, d) = validate(dir);
    assert_eq!(code, 1);
    let expect = |code: &str, file: &str, line: Option<u64>| {
        assert!(has(&d, code, file, line), "no {code} at {file}:{line:?} in {d:#?}")
    };
    expect("duplicate-answer", cz, Some(line_of(dir, cz, "## Q2.1 Again")));
    expect("empty-answer", cz, Some(line_of(dir, cz, "## Q3.1 Has")));
    expect("unknown-question", cz, Some(line_of(dir, cz, "## Q3.1b")));
    expect("missing-image", cz, Some(line_of(dir, cz, "missing.png")));
    expect("missing-alt-text", cz, Some(line_of(dir, cz, "![](")));
    expect("image-outside-package", cz, Some(line_of(dir, cz, "etc/passwd")));
    expect("broken-link", cz, Some(line_of(dir, cz, "annex.pdf")));
    expect("bad-front-matter", "contributions/AT.md", Some(4));
    expect("bad-choice", "contributions/DE.md", None);
    expect("country-mismatch", "contributions/FI.md", Some(2));
    expect("year-out-of-period", "statistics/extra.csv", Some(2));
    expect("negative-count", "statistics/extra.csv", Some(3));
    expect("bad-country", "statistics/extra.csv", Some(4));
    expect("unknown-flag", "statistics/extra.csv", Some(5));
    expect("unknown-indicator", "statistics/extra.csv", Some(6));
    expect("missing-summary", "summary-cs.md", None);
    expect("missing-table-data", "emn.toml", Some(line_of(dir, "emn.toml", "template")));
}

#[test]
fn manifest_and_template_errors_carry_their_line() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "emn.toml", "reference-period", "refrence-period");
    let (code, d) = validate(dir);
    assert_eq!(code, 1);
    assert!(has(&d, "bad-manifest", "emn.toml", Some(line_of(dir, "emn.toml", "refrence-period"))), "{d:#?}");

    let package = copy_package(&sample());
    let dir = package.path();
    let template = load_template_text().replace("id = \"Q2.2\"", "id = \"Q1.1\"");
    write(dir, "template.toml", &template);
    replace(dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    let (_, d) = validate(dir);
    // The second `id = "Q1.1"` is the duplicate: the one that was Q2.2.
    let second = template.match_indices("id = \"Q1.1\"").nth(1).map(|(at, _)| template[..at].lines().count()).unwrap();
    assert!(has(&d, "duplicate-question", "template.toml", Some(second as u64)), "{d:#?}");

    // A required table without data is reported at its own `id`, in the package's template.
    let package = copy_package(&sample());
    let dir = package.path();
    let template = load_template_text()
        .replace("indicator = \"migr_asyappctza\"", "indicator = \"migr_nodata\"")
        .replace("unit = \"persons\"\nrequired = false", "unit = \"persons\"\nrequired = true");
    write(dir, "template.toml", &template);
    replace(dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    let (_, d) = validate(dir);
    assert!(
        has(&d, "missing-table-data", "template.toml", Some(line_of(dir, "template.toml", "id = \"T2\""))),
        "{d:#?}"
    );
}

fn load_template_text() -> String {
    std::fs::read_to_string(repo().join("templates/study-generic.toml")).unwrap()
}

#[test]
fn broken_files_get_a_message_not_a_panic() {
    let cases: [(&str, &[u8]); 6] = [
        ("contributions/BE.md", b"\x00\x01\x02binary\xff"),
        ("contributions/DE.md", b"---\ncountry: DE\n---\n\nbad \xc3\x28 utf8\n"),
        ("statistics/empty.csv", b""),
        ("statistics/noheader.csv", b"CZ,2020,5\nAT,2021,6\n"),
        ("emn.toml", b"[package\nid = 1"),
        ("contributions/CZ.md", b"---\ncountry: [CZ\n---\n"),
    ];
    for (file, bytes) in cases {
        let package = copy_package(&sample());
        std::fs::write(package.path().join(file), bytes).unwrap();
        let output = emn_pub().arg("validate").arg(package.path()).output().unwrap();
        let code = output.status.code().expect("exited, not killed");
        let stderr = String::from_utf8_lossy(&output.stderr);
        // A broken file is an error in the inputs (1), never a failure of
        // the tool (2) or a crash.
        assert_eq!(code, 1, "{file}: exit {code}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert!(stderr.contains(file), "{file}: the message names the file:\n{stderr}");
    }
    // A 5 MB line.
    let package = copy_package(&sample());
    let long = format!("---\ncountry: CZ\n---\n\n{}\n", "x".repeat(5 * 1024 * 1024));
    std::fs::write(package.path().join("contributions/CZ.md"), long).unwrap();
    let output = emn_pub().arg("validate").arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line-too-long"));
}

#[test]
fn human_output_shows_the_place_and_a_hint() {
    let package = copy_package(&sample());
    replace(package.path(), "contributions/EL.md", "country: EL", "country: GR");
    let output = emn_pub().arg("validate").arg(package.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("contributions/EL.md:2:10"), "{stderr}");
    assert!(stderr.contains("bad-country") && stderr.contains("did you mean EL?"), "{stderr}");
}

/// `2023-07` and `2023M07` are one month however spelt: two rows for it
/// are a duplicate, as two rows for `2023Q3` and `2023-Q3` are.
#[test]
fn one_month_spelt_two_ways_is_a_duplicate_row() {
    let package = copy_package(&sample());
    let rows = "indicator,country,year,value,flag\n\
                applications_monthly,CZ,2023-07,10,\n\
                applications_monthly,CZ,2023M07,11,\n\
                applications_monthly,CZ,2023-M08,12,\n\
                applications_quarterly,CZ,2023Q3,30,\n\
                applications_quarterly,CZ,2023-Q3,31,\n";
    write(package.path(), "statistics/monthly.csv", rows);
    let (_, json) = validate_json(package.path());
    let duplicates: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "duplicate-row" && d["file"] == "statistics/monthly.csv")
        .collect();
    let lines: Vec<i64> = duplicates.iter().map(|d| d["line"].as_i64().unwrap()).collect();
    assert_eq!(lines, [3, 6], "{json}");
}
