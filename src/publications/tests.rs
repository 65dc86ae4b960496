//! What each publication plans, asserted on the document before any
//! writer sees it.

use super::document::{Doc, Node};
use super::*;
use crate::testing::{contribution, package};

fn options() -> PlanOptions {
    PlanOptions::new(Date::from_unix(1_700_000_000), true)
}

fn planned(package: &Package, path: &str) -> Publication {
    plan(package, &options()).into_iter().find(|p| p.path == path).unwrap_or_else(|| panic!("{path} is planned"))
}

/// The headings of a document at `level`, in order.
fn headings_at(doc: &Doc, level: u8) -> Vec<String> {
    doc.outline().into_iter().filter(|(l, _)| *l == level).map(|(_, text)| text).collect()
}

#[test]
fn a_complete_contribution_ends_with_its_last_answer() {
    let package = package(&[]);
    let last_question = package.template.questions().last().unwrap().id.get_ref().clone();
    for contribution in &package.contributions {
        let national = national::plan(&package, &options(), contribution, &PartCache::default());
        let answer = contribution.document.filled_answer(&last_question).expect("the sample answers every question");
        match national.doc.body.last() {
            Some(Node::Part(part)) => assert_eq!(part.line, answer.pos.line, "{}", national.path),
            other => panic!("{} ends with {other:?}", national.path),
        }
        let outline = national.doc.outline();
        assert!(
            !outline.iter().any(|(_, text)| text == "Additional information"),
            "{}: no part of the NCP's own, so no Additional information",
            national.path
        );
        // Every template section once, at level 1, with its questions below.
        let sections: Vec<String> = package.template.sections.iter().map(|s| format!("{} {}", s.id, s.title)).collect();
        let level_one = headings_at(&national.doc, 1);
        for section in &sections {
            assert_eq!(level_one.iter().filter(|h| *h == section).count(), 1, "{section} in {}", national.path);
        }
    }
}

#[test]
fn an_added_section_is_additional_information_and_an_ncp_sub_heading_is_in_the_outline() {
    let (path, text) =
        contribution("CZ", "## Q1.2", "### Background of the Act\n\nThe Act dates from 1999.\n\n## Q1.2");
    let text = format!("{text}\n# Annex\n\nA table of quotas.\n");
    let package = package(&[(&path, &text)]);
    let national = planned(&package, "national/CZ.pdf");
    let outline = national.doc.outline();
    let annex = outline.iter().position(|(_, t)| t == "Annex").expect("the Annex is in the outline");
    let additional = outline.iter().position(|(l, t)| *l == 1 && t == "Additional information").unwrap();
    assert!(additional < annex && outline[annex].0 == 2, "{outline:?}");
    // Below Q1.1 (level 2) in the national PDF, below the country (level 3) in the synthesis.
    assert!(outline.contains(&(3, "Background of the Act".to_string())), "{outline:?}");
    let synthesis = planned(&package, "synthesis-report-draft.pdf");
    let outline = synthesis.doc.outline();
    let at = outline.iter().position(|(_, t)| t == "Background of the Act").expect("in the synthesis outline");
    assert_eq!(outline[at].0, 4);
    assert_eq!(outline[at - 1], (3, "Czechia".to_string()));
}

#[test]
fn an_absent_countrys_key_findings_are_a_gap() {
    let (path, text) = contribution("CZ", "# Key findings", "# Notes of the NCP");
    let package = package(&[(&path, &text)]);
    let synthesis = planned(&package, "synthesis-report-draft.pdf");
    let body = &synthesis.doc.body;
    let findings =
        body.iter().position(|n| matches!(n, Node::Heading(h) if h.text == "Key findings by country")).unwrap();
    let czechia = findings
        + body[findings..]
            .iter()
            .position(|n| matches!(n, Node::Heading(h) if h.level == 2 && h.text == "Czechia"))
            .unwrap();
    assert_eq!(body[czechia + 1], Node::Gap("No key findings received from Czechia.".into()));
    assert!(synthesis.doc.gaps().contains(&"No key findings received from Czechia."));
}

#[test]
fn the_synthesis_holds_every_answer_in_protocol_order() {
    let package = package(&[]);
    let synthesis = planned(&package, "synthesis-report-draft.pdf");
    // Each country by name, a draft's marked as such.
    let protocol: Vec<String> =
        package.contributions.iter().map(|c| super::country_heading(c, "draft answer")).collect();
    assert!(protocol.iter().any(|name| name.ends_with("(draft answer)")), "the sample holds a draft: {protocol:?}");
    let body = &synthesis.doc.body;
    for question in package.template.questions() {
        let title = format!("{} {}", question.id.get_ref(), question.text);
        let start = body.iter().position(|n| matches!(n, Node::Heading(h) if h.level == 2 && h.text == title)).unwrap();
        let end = body[start + 1..]
            .iter()
            .position(|n| matches!(n, Node::Heading(h) if h.level <= 2))
            .map_or(body.len(), |i| start + 1 + i);
        let countries: Vec<&str> = body[start..end]
            .iter()
            .filter_map(|n| match n {
                Node::Heading(h) if h.level == 3 => Some(h.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(countries, protocol, "{title}");
        // Each country's heading is followed by its own answer, from its own file.
        for contribution in &package.contributions {
            let name = super::country_heading(contribution, "draft answer");
            let at = start
                + body[start..end]
                    .iter()
                    .position(|n| matches!(n, Node::Heading(h) if h.level == 3 && h.text == name))
                    .unwrap();
            match &body[at + 1] {
                Node::Part(part) => assert_eq!(part.file, contribution.document.file),
                other => panic!("{name} under {title}: {other:?}"),
            }
        }
    }
}

#[test]
fn figures_keep_their_alt_text_as_caption_and_statistics_their_words() {
    let package = package(&[]);
    let synthesis = planned(&package, "synthesis-report-draft.pdf");
    assert_eq!(
        synthesis.doc.captions().iter().filter(|c| c.starts_with("Figure")).collect::<Vec<_>>(),
        ["Figure 1: First permits for remunerated activities, Czech Republic, 2019-2023"]
    );
    let summary = planned(&package, "summary-cs.pdf");
    let tables: Vec<&document::Table> =
        summary.doc.nodes().into_iter().filter_map(|n| if let Node::Table(t) = n { Some(t) } else { None }).collect();
    assert!(!tables.is_empty() && tables.iter().all(|t| t.header[0] == "Země"), "a Czech table says Země");
    assert!(synthesis.word.is_some() && summary.word.is_none());
}

#[test]
fn plans_hold_no_typst() {
    let package = package(&[]);
    for publication in plan(&package, &options()) {
        let debug = format!("{:?}", publication.doc);
        for typst in ["#heading", "#set ", "#table(", "#text("] {
            assert!(!debug.contains(typst), "{} plans typst: {typst}", publication.path);
        }
    }
}

#[test]
fn a_synthesis_answer_of_a_page_or_more_starts_a_page_and_a_short_one_does_not() {
    let long = "Employers in construction reported shortages of skilled workers. ".repeat(75);
    let question = "## Q3.1 Has your Member State evaluated the measures in the reference period?\n";
    let long_answer = format!("{question}\n{long}\n\n");
    let (be, be_text) = contribution("BE", question, &long_answer);
    let (cz, cz_text) = contribution("CZ", question, &long_answer);
    let package = package(&[(&be, &be_text), (&cz, &cz_text)]);
    assert_eq!(package.contributions[0].country(), "BE");
    let synthesis = planned(&package, "synthesis-report-draft.pdf");
    let body = &synthesis.doc.body;
    let breaks_before = |country: &str, question: &str| {
        let start = body
            .iter()
            .position(|n| matches!(n, Node::Heading(h) if h.level == 2 && h.text.starts_with(question)))
            .unwrap();
        let at = start
            + body[start..]
                .iter()
                .position(|n| matches!(n, Node::Heading(h) if h.level == 3 && h.text == country))
                .unwrap();
        matches!(body[at - 1], Node::PageBreak)
    };
    assert!(breaks_before("Czechia", "Q3.1"), "a 600-word answer starts on a page of its own");
    assert!(!breaks_before("Czechia", "Q3.2"), "a short answer flows on");
    assert!(!breaks_before("Belgium", "Q3.1"), "the first country's long answer stays with the question");
}

#[test]
fn tables_and_figures_are_numbered_once_in_reading_order_with_their_words() {
    let (path, text) = contribution(
        "CZ",
        "## Q1.2",
        "### Permits by region\n\n| Region | Permits |\n|---|--:|\n| Praha | 21 480 |\n\n\
         > ![Map of the regions](../assets/cz-permits.svg)\n\nSee the note.[^t]\n\n\
         [^t]: | In a note | |\n    |---|---|\n    | a | b |\n\n## Q1.2",
    );
    let english = package(&[(&path, &text)]);
    let national = planned(&english, "national/CZ.pdf");
    let captions = national.doc.captions();
    assert!(captions.contains(&"Table 1: Permits by region".to_string()), "{captions:?}");
    assert!(captions.contains(&"Figure 1: Map of the regions".to_string()), "{captions:?}");
    let numbers: Vec<usize> =
        captions.iter().filter_map(|c| c.strip_prefix("Table ")?.split(':').next()?.parse().ok()).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>(), "tables numbered 1, 2, … once each");
    assert!(numbers.len() >= 2, "the note's table is numbered too: {captions:?}");

    // In a Czech document, the words are Czech.
    let (path, text) = contribution("CZ", "language: en", "language: cs");
    let text = text.replacen("## Q1.2", "| Kraj | Počet |\n|---|--:|\n| Praha | 1 |\n\n## Q1.2", 1);
    let package = package(&[(&path, &text)]);
    let czech = planned(&package, "national/CZ.pdf");
    let captions = czech.doc.captions();
    assert!(captions.iter().any(|c| c.starts_with("Tabulka 1")), "{captions:?}");
    assert!(!captions.iter().any(|c| c.starts_with("Table")), "{captions:?}");
}

#[test]
fn a_monthly_tables_year_is_all_its_months_or_not_available() {
    let template =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/study-generic.toml"))
            .unwrap()
            .replacen(
                "indicator = \"first_permits_remunerated\"",
                "indicator = \"first_permits_remunerated\"\nperiod = \"month\"",
                1,
            );
    let manifest = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages/emn.toml"),
    )
    .unwrap()
    .replace("\"study-generic\"", "\"template.toml\"");
    let mut rows = String::from("indicator,country,year,value,flag\n");
    for month in 1..=12 {
        rows.push_str(&format!("first_permits_remunerated,BE,2022-{month:02},10,\n"));
    }
    for month in 1..=2 {
        rows.push_str(&format!("first_permits_remunerated,BE,2023-{month:02},10,p\n"));
    }
    let package =
        package(&[("template.toml", &template), ("emn.toml", &manifest), ("statistics/first-permits.csv", &rows)]);
    let spec = package.template.tables.iter().find(|t| t.indicator == "first_permits_remunerated").unwrap();
    let data = figures::table_data(&package, spec);
    let belgium = &data.rows.iter().find(|(code, _)| code == "BE").unwrap().1;
    let year = |y: i32| &belgium[data.years.iter().position(|year| *year == y).unwrap()];
    assert_eq!(year(2022).value, Some(120.0), "twelve months make the year");
    assert_eq!(year(2023).value, None, "two months are no year");
}
