//! Numbers a reader can trust: the figures the publications print are in
//! the annex with their flags, and the figures texts write are checked
//! against the statistics.

use crate::support::*;

#[test]
fn every_total_and_change_the_inform_and_flash_print_is_in_the_annex_csv_with_its_flag() {
    let package = copy_package(&sample());
    let entries = build_incomplete(package.path(), &package.path().join("b.zip"));
    let csv = String::from_utf8(entries["statistical-annex.csv"].clone()).unwrap();
    let printed: Vec<Vec<&str>> = csv
        .lines()
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| cells[2] == "TOTAL" || cells[2] == "EU27_2020")
        .collect();
    let changes: Vec<&Vec<&str>> = printed.iter().filter(|cells| cells[6] == "% change").collect();
    assert_eq!(changes.len(), 2, "a change per table: {printed:?}");
    for publication in ["inform.pdf", "flash.pdf"] {
        let text = normalise(&pdf_text(&entries[publication]));
        for cells in &printed {
            let value: f64 = cells[4].parse().unwrap();
            let shown = if cells[6] == "% change" {
                format!("+{value:.1} %")
            } else {
                let whole = value as u64;
                format!("{},{:03}", whole / 1000, whole % 1000)
            };
            assert!(text.contains(&shown), "{publication} prints {shown}, which the CSV holds: {cells:?}");
            // A sum with a provisional input is provisional, in the CSV and the publication.
            assert_eq!(cells[5], "p", "{cells:?}");
            assert!(text.contains(&format!("{shown} (p)")), "{publication}: {shown} (p)");
        }
    }
    let annex = normalise(&pdf_text(&entries["statistical-annex.pdf"]));
    assert!(annex.contains("Figures the publications print") && annex.contains("change from 2019 to 2023"));
}

/// The sample's template with terms for its tables, and the editors'
/// synthesis text given.
fn package_with_terms(synthesis: &str) -> tempfile::TempDir {
    let package = copy_package(&sample());
    let dir = package.path();
    let template = std::fs::read_to_string(repo().join("templates/study-generic.toml")).unwrap();
    let template = template
        .replacen(
            "indicator = \"first_permits_remunerated\"",
            "indicator = \"first_permits_remunerated\"\nterms = { en = [\"permits for work\"], cs = [\"povolení\"], de = [\"Aufenthaltstitel\"] }",
            1,
        )
        .replacen(
            "indicator = \"migr_asyappctza\"",
            "indicator = \"migr_asyappctza\"\nrounding = 5\nterms = { en = [\"asylum applicants\"] }",
            1,
        );
    write(dir, "template.toml", &template);
    replace(dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    let editors = std::fs::read_to_string(dir.join("synthesis.md")).unwrap();
    write(dir, "synthesis.md", &format!("{}\n\n{synthesis}\n", editors.trim_end()));
    replace(dir, "contributions/CZ.md", "language: en", "language: cs");
    replace(
        dir,
        "contributions/CZ.md",
        "# Key findings\n",
        "# Key findings\n\nV roce 2023 bylo vydáno 41 836 povolení.\n",
    );
    replace(dir, "contributions/DE.md", "language: en", "language: de");
    replace(
        dir,
        "contributions/DE.md",
        "# Key findings\n",
        "# Key findings\n\nIm Jahr 2023 wurden 79.219 Aufenthaltstitel erteilt.\n",
    );
    package
}

#[test]
fn validate_lists_every_figure_with_its_verdict_and_warns_of_each_wrong_one() {
    let package = package_with_terms(
        "In 2023, Belgium issued 21,480 permits for work. In 2023, Germany had 396,002 asylum applicants. \
         Between 2019 and 2023, permits for work in Belgium rose by 34 %. Five Member States have a national strategy (Q1.1).",
    );
    let (code, json) = validate_json(package.path());
    assert_eq!(code, Some(0), "warnings only: {json:#}");
    let mismatches: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "figure-mismatch").collect();
    let messages: Vec<&str> = mismatches.iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].contains("“21,480” differs from table T1 Belgium 2023") && messages[0].ends_with("23,926"));
    assert!(messages[1].contains("“Five” differs from question Q1.1") && messages[1].ends_with(": 4"));
    let figures = json["figures"].as_array().expect("every figure is listed");
    let verdict = |written: &str| {
        figures.iter().find(|f| f["written"] == written).map(|f| f["verdict"].as_str().unwrap().to_string())
    };
    for right in ["41 836", "79.219", "396,002", "34 %"] {
        assert_eq!(verdict(right).as_deref(), Some("verified"), "{right}");
    }
    assert_eq!(verdict("21,480").as_deref(), Some("mismatch"));
    assert!(figures.iter().any(|f| f["verdict"] == "unlinked"), "what could not be linked is listed too");
    let linked = figures.iter().find(|f| f["written"] == "41 836").unwrap();
    assert_eq!(linked["link"]["cell"], "Czechia 2023");
    assert!(linked["link"]["place"].as_str().unwrap().starts_with("statistics/first-permits.csv:"));
}

#[test]
fn on_the_web_page_a_verified_figure_links_to_its_row_in_the_annex() {
    let package = package_with_terms(
        "In 2023, Germany had 396,002 asylum applicants. In 2023, Belgium issued 21,480 permits for work.",
    );
    let entries = build_incomplete(package.path(), &package.path().join("b.zip"));
    let page = |path: &str| String::from_utf8(entries[path].clone()).unwrap();
    let synthesis = page("html/synthesis-report-draft.html");
    assert!(
        synthesis.contains("<a class=\"verified\" href=\"../html/statistical-annex.html#T2-DE\">396,002</a>"),
        "the verified figure links to Germany's row of T2"
    );
    assert!(!synthesis.contains("#T1-BE\">21,480"), "a wrong figure links nowhere");
    let czech = page("html/national/CZ.html");
    assert!(
        czech.contains("href=\"../../html/statistical-annex.html#T1-CZ\">41\u{a0}836</a>"),
        "from a country's page too"
    );
    let annex = page("html/statistical-annex.html");
    for row in ["T2-DE", "T1-CZ"] {
        assert_eq!(annex.matches(&format!("<tr id=\"{row}\">")).count(), 1, "the annex names its row {row} once");
    }
    // Paper has no such link: the PDF prints the figure as written.
    assert!(normalise(&pdf_text(&entries["synthesis-report-draft.pdf"])).contains("396,002 asylum applicants"));
}
