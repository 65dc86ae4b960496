//! What an NCP editor checked at sign-off: nothing an NCP wrote dropped,
//! Yes/No in the contribution's language, the Glossary in Czech, exact
//! underlines, optional tables without data left out, the query's
//! background and deadline, and the disclaimer on every publication.

use crate::support::*;

/// The human report of `validate`, without colour.
fn human_report(package: &std::path::Path) -> String {
    let output = emn_pub().arg("validate").arg(package).output().unwrap();
    String::from_utf8(output.stderr).unwrap()
}

/// The caret line under `term` in a printed excerpt: as many carets as
/// the term has characters, starting under its first one.
fn assert_underlined(report: &str, term: &str) {
    let lines: Vec<&str> = report.lines().collect();
    let at =
        lines.iter().position(|l| l.contains(term) && l.contains('│')).unwrap_or_else(|| panic!("{term} in {report}"));
    let source = lines[at];
    let carets = lines[at + 1];
    let column = source[..source.find(term).unwrap()].chars().count();
    assert_eq!(carets.chars().position(|c| c == '^'), Some(column), "{report}");
    assert_eq!(carets.matches('^').count(), term.chars().count(), "{report}");
}

#[test]
fn deprecated_terms_in_czech_and_english_are_underlined_exactly() {
    let package = copy_package(&sample());
    let dir = package.path();
    let summary = std::fs::read_to_string(dir.join("summary-cs.md")).unwrap();
    let long = "Slovo ".repeat(400);
    std::fs::write(dir.join("summary-cs.md"), format!("{summary}\n{long}Počet nelegálních migrantů klesl.\n")).unwrap();
    replace(dir, "contributions/SE.md", "# Key findings\n", "# Key findings\n\nNo illegal migrant was counted.\n");
    let (_, json) = validate_json(dir);
    let czech = find_diagnostic(&json, |d| d["code"] == "deprecated-term" && d["file"] == "summary-cs.md")
        .expect("nelegální migrant in the Czech summary");
    assert!(czech["message"].as_str().unwrap().contains("neregulérní migrant"), "{czech}");
    find_diagnostic(&json, |d| d["code"] == "deprecated-term" && d["file"] == "contributions/SE.md")
        .expect("illegal migrant in a contribution");
    let report = human_report(dir);
    assert_underlined(&report, "nelegálních migrantů");
    assert_underlined(&report, "illegal migrant");
    assert!(report.lines().all(|l| l.chars().count() < 200), "long lines are cut around the term:\n{report}");
}

#[test]
fn the_glossary_covers_the_field_in_english_and_czech() {
    let glossary = std::fs::read_to_string(repo().join("templates/glossary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(glossary.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let concepts = |language: &str| {
        rows.iter().filter(|r| &r[1] == language).map(|r| r[0].to_string()).collect::<std::collections::BTreeSet<_>>()
    };
    assert!(concepts("en").len() >= 60, "{} English concepts", concepts("en").len());
    assert!(concepts("cs").len() >= 60, "{} Czech concepts", concepts("cs").len());
    for language in ["en", "cs"] {
        let deprecated = rows.iter().filter(|r| &r[1] == language && &r[3] == "deprecated").count();
        assert!(deprecated >= 5, "{deprecated} deprecated terms in {language}");
    }
    for row in rows.iter().filter(|r| &r[3] == "preferred" && !r[4].is_empty()) {
        assert!(!row[5].is_empty(), "{} has its source", &row[0]);
    }
}

#[test]
fn yes_and_no_in_the_contributions_language_are_counted() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/CZ.md", "language: en", "language: cs");
    replace(dir, "contributions/CZ.md", "**Yes.** The Act No. 326/1999", "**Ano.** The Act No. 326/1999");
    let austria = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    let ukraine = austria
        .replace("country: AT", "country: UA")
        .replace("language: en", "language: uk")
        .replacen("Yes.", "Так.", 1);
    assert!(ukraine.contains("Так."));
    std::fs::write(dir.join("contributions/UA.md"), ukraine).unwrap();
    let (code, json) = validate_json(dir);
    assert!(find_diagnostic(&json, |d| d["code"] == "bad-yes-no").is_none(), "{json}");
    assert_eq!(code, Some(0), "{json}");
    let out = dir.join("b.zip");
    build_only(dir, "synthesis-report-draft", &out).success();
    let text = pdf_text(&unzip(&out)["synthesis-report-draft.pdf"]);
    // BE, CZ (Ano), DE, AT, NO and UA (Так) answered Yes to Q1.1.
    assert!(text.contains("Yes: 6 · No: 2"), "{text}");

    // Another language's word is not read as Yes, and the hint says why.
    replace(dir, "contributions/UA.md", "Так.", "Ano.");
    let (_, json) = validate_json(dir);
    let bad = find_diagnostic(&json, |d| d["code"] == "bad-yes-no").expect("Ano in Ukrainian");
    assert!(bad["message"].as_str().unwrap().contains("\"Так\" or \"Ні\""), "{bad}");
}

#[test]
fn text_under_a_bulletin_theme_heading_is_printed_and_stray_text_reported() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("bulletin");
    emn_pub().arg("init").arg(&package).args(["--kind", "bulletin"]).assert().success();
    emn_pub().arg("new-contribution").arg(&package).args(["--country", "CZ"]).assert().success();
    let path = package.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let theme = text.lines().find(|l| l.starts_with("# ") && l.contains("Temporary protection")).unwrap().to_string();
    let text =
        text.replacen(&theme, &format!("{theme}\n\nOn 2 July the Czech Republic extended temporary protection."), 1)
            + "\n# Miscellaneous\n\nA new helpline opened in August.\n";
    std::fs::write(&path, text).unwrap();
    let (code, json) = validate_json(&package);
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"empty-answer"), "themes a country did not use are no warnings: {codes:?}");
    let unplaced = find_diagnostic(&json, |d| d["code"] == "unplaced-text").expect("stray text reported");
    assert!(unplaced["message"].as_str().unwrap().contains("Miscellaneous"), "{unplaced}");
    assert_ne!(code, Some(2));
    let out = package.join("b.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&out).arg("--allow-incomplete").assert().success();
    let text = squeeze(&pdf_text(&unzip(&out)["bulletin.pdf"]));
    let theme_at = text.find(&squeeze("Temporary protection")).unwrap();
    let item_at = text.find(&squeeze("extended temporary protection")).expect("text under the theme heading printed");
    assert!(item_at > theme_at, "under its theme");
    assert!(text.contains(&squeeze("A new helpline opened in August")), "stray text printed too");
}

#[test]
fn an_optional_table_without_data_is_left_out_with_a_note() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::remove_file(dir.join("statistics/estat_migr_asyappctza.csv")).unwrap();
    let (code, _) = validate_json(dir);
    assert_eq!(code, Some(0), "T2 is optional");
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    for pdf in ["statistical-annex.pdf", "synthesis-report-draft.pdf"] {
        let text = pdf_text(&entries[pdf]);
        assert!(!text.contains("No data for"), "{pdf}: {text}");
        assert!(text.contains("Not included, as the statistics hold no data for it: T2"), "{pdf}: {text}");
    }
    assert_eq!(pdf_pages(&entries["statistical-annex.pdf"]), 1, "one table, one page");
}

#[test]
fn every_publication_carries_the_disclaimer_and_an_ncp_may_word_its_own() {
    let package = copy_package(&sample());
    let dir = package.path();
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&out).assert().success();
    for (path, bytes) in unzip(&out).iter().filter(|(path, _)| path.ends_with(".pdf")) {
        let first_pages: String = (1..=2.min(pdf_pages(bytes) as u32)).map(|p| pdf_page_text(bytes, p)).collect();
        let text = squeeze(&first_pages);
        let (disclaimer, copyright) = if path == "summary-cs.pdf" {
            ("nemusí odrážet stanovisko Evropské komise", "© Evropská unie")
        } else {
            ("do not necessarily reflect those of the European Commission", "© European Union")
        };
        assert!(text.contains(&squeeze(disclaimer)) && text.contains(&squeeze(copyright)), "{path}: {first_pages}");
    }
    let manifest = std::fs::read_to_string(dir.join("emn.toml")).unwrap();
    std::fs::write(
        dir.join("emn.toml"),
        manifest.replace("[package]\n", "[package]\ndisclaimer = \"The views are those of the Czech NCP alone.\"\n"),
    )
    .unwrap();
    build_only(dir, "flash", &out).success();
    let flash = pdf_text(&unzip(&out)["flash.pdf"]);
    assert!(flash.contains("The views are those of the Czech NCP alone."), "{flash}");
}

#[test]
fn a_query_prints_its_background_and_validate_names_who_is_late() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("query");
    emn_pub().arg("init").arg(&package).args(["--kind", "ad-hoc-query"]).assert().success();
    for country in ["AT", "SE"] {
        emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
    }
    std::fs::remove_file(package.join("contributions/SE.md")).unwrap();
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    let launched = manifest.lines().find(|l| l.starts_with("launched")).unwrap().to_string();
    replace(&package, "emn.toml", &launched, "launched = 2026-01-05");
    let contribution = package.join("contributions/AT.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    let date = text.lines().find(|l| l.starts_with("date:")).unwrap().to_string();
    std::fs::write(
        &contribution,
        text.replace("<!-- Start with Yes or No, then explain. Required. -->", "Yes. A unit decides.")
            .replace(&date, "date: 2026-02-20"),
    )
    .unwrap();
    // The deadline (4 February 2026) has passed on 1 March 2026.
    let output = emn_pub()
        .arg("validate")
        .arg(&package)
        .args(["--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1772323200")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let passed = find_diagnostic(&json, |d| d["code"] == "deadline-passed").expect("past the deadline");
    assert!(passed["message"].as_str().unwrap().contains("SE"), "{passed}");
    let late = find_diagnostic(&json, |d| d["code"] == "late-answer").expect("AT answered late");
    assert_eq!(late["file"], "contributions/AT.md");

    let out = package.join("b.zip");
    emn_pub()
        .arg("build-package")
        .arg(&package)
        .arg("--out")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1772323200")
        .assert()
        .success();
    let text = pdf_text(&unzip(&out)["compilation.pdf"]);
    assert!(text.contains("Background of the query"), "{text}");
    assert!(text.contains("collects, within 30 days"), "the template's aim: {text}");
    // The cover's date is the build's (the text layer gives the labels
    // before their values), not the latest answer's.
    assert!(text.contains("Compiled") && text.contains("1 March 2026"), "the build date: {text}");
}

#[test]
fn headings_are_never_hyphenated() {
    let package = copy_package(&sample());
    let dir = package.path();
    let heading = "Extraordinarilyunderrepresentedprofessionalqualificationsrecognitionarrangements";
    replace(dir, "contributions/BE.md", "# Key findings\n", &format!("# Key findings\n\n## {heading}\n\nText.\n"));
    let out = dir.join("b.zip");
    build_only(dir, "BE", &out).success();
    let lines = pdf_raw_lines(&unzip(&out)["national/BE.pdf"]);
    let line = lines.iter().find(|l| l.contains("Extraordinarily")).cloned().unwrap_or_default();
    assert!(!line.contains('\u{ad}') && !line.ends_with('-'), "{line:?}");
}

#[test]
fn a_picture_without_alt_text_is_reported_and_still_builds_as_a_draft() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(
        dir,
        "contributions/CZ.md",
        "![First permits for remunerated activities, Czech Republic, 2019-2023]",
        "![]",
    );
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(1));
    find_diagnostic(&json, |d| d["code"] == "missing-alt-text" && d["file"] == "contributions/CZ.md")
        .expect("reported");
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&out).arg("--allow-incomplete").assert().success();
    let entries = unzip(&out);
    let pdf = &entries["national/CZ.pdf"];
    assert!(pdf_alt_texts(pdf).iter().any(|alt| alt.contains("without a description")), "{:?}", pdf_alt_texts(pdf));
    assert!(squeeze(&pdf_text(pdf)).contains(&squeeze("Picture without a description")), "marked visibly");
}

#[test]
fn a_heading_followed_at_once_by_another_is_printed() {
    let package = copy_package(&sample());
    let dir = package.path();
    let path = dir.join("contributions/BE.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\n# Annex A: list of occupations\n\n# Annex B\n\nText of annex B.\n"))
        .unwrap();
    let out = dir.join("b.zip");
    build_only(dir, "BE", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/BE.pdf"]));
    assert!(text.contains(&squeeze("Annex A: list of occupations")), "{text}");
    assert!(text.contains(&squeeze("Text of annex B.")), "{text}");
}

#[test]
fn an_image_markdown_does_not_read_is_reported() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::copy(dir.join("assets/cz-permits.svg"), dir.join("assets/my chart (1).svg")).unwrap();
    replace(
        dir,
        "contributions/BE.md",
        "# Key findings\n",
        "# Key findings\n\n![Chart of permits](../assets/my chart (1).svg)\n",
    );
    let (_, json) = validate_json(dir);
    let found = find_diagnostic(&json, |d| d["code"] == "unread-image" && d["file"] == "contributions/BE.md")
        .unwrap_or_else(|| panic!("{json}"));
    let text = std::fs::read_to_string(dir.join("contributions/BE.md")).unwrap();
    let line = text.lines().position(|l| l.starts_with("![Chart of permits]")).unwrap() + 1;
    assert_eq!((found["line"].as_u64(), found["column"].as_u64()), (Some(line as u64), Some(1)), "{found}");
    // In angle brackets it is an image, and no warning.
    replace(dir, "contributions/BE.md", "(../assets/my chart (1).svg)", "(<../assets/my chart (1).svg>)");
    let (_, json) = validate_json(dir);
    assert!(find_diagnostic(&json, |d| d["code"] == "unread-image").is_none(), "{json}");
}
