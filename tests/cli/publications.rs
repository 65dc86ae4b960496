//! The publications of study, annual-report and ad-hoc-query packages, read
//! back from the bundle.

use crate::support::*;

/// Builds a copy of `package` (after `prepare`) and returns the bundle's entries.
fn build(package: &std::path::Path, extra: &[&str]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = package.join("out.zip");
    let output = emn_pub().arg("build-package").arg(package).arg("--out").arg(&out).args(extra).output().unwrap();
    assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
    unzip(&out)
}

/// The raw page text lopdf extracts, with its line breaks.
pub(crate) fn raw_text(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).unwrap()
}

/// The `/Lang` entry of a PDF's catalog.
fn pdf_language(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let catalog = document.catalog().unwrap();
    let lang = catalog.get(b"Lang").unwrap().as_str().unwrap();
    String::from_utf8_lossy(lang).into_owned()
}

#[test]
fn a_study_bundle_holds_every_publication() {
    let package = copy_package(&sample());
    let entries = build(package.path(), &[]);
    for file in [
        "synthesis-report-draft.pdf",
        "inform.pdf",
        "flash.pdf",
        "summary-cs.pdf",
        "statistical-annex.pdf",
        "statistical-annex.csv",
        "manifest.json",
    ] {
        assert!(entries.contains_key(file), "bundle lacks {file}");
    }

    // Synthesis: marked draft, every country's answers (optional ones too), Yes counted.
    let synthesis = pdf_text(&entries["synthesis-report-draft.pdf"]);
    assert!(synthesis.contains("DRAFT"));
    let squeezed = squeeze(&synthesis);
    for country in ["Belgium", "Czechia", "Germany", "Greece", "Austria", "Sweden", "Norway"] {
        assert!(synthesis.contains(country), "synthesis lacks {country}");
    }
    // Every answer of every country is there: its opening words, as loaded.
    let loaded = emn_pub::load::load(package.path()).unwrap().package.unwrap();
    let mut answers = 0;
    for contribution in &loaded.contributions {
        for answer in &contribution.document.answers {
            // The first block's opening words (a list's markers are printed
            // between blocks).
            let text = emn_pub::load::markdown::blocks_text(&answer.blocks[..answer.blocks.len().min(1)]);
            let opening: Vec<&str> = text.split_whitespace().take(6).collect();
            if opening.is_empty() {
                continue;
            }
            answers += 1;
            assert!(
                squeezed.contains(&squeeze(&opening.join(" "))),
                "{} {}: `{}` is not in the synthesis",
                contribution.country(),
                answer.question_id,
                opening.join(" ")
            );
        }
    }
    assert!(answers >= 7 * 5, "{answers} answers checked");
    // The editors' prose from synthesis.md is placed under its question.
    let prose = squeeze("Most Member States address labour shortages within their general framework");
    let q11 = squeezed.rfind(&squeeze("Q1.1 Does your Member State have a specific national strategy")).unwrap();
    let q12 = squeezed.rfind(&squeeze("Q1.2 Please describe the main legal provisions")).unwrap();
    let placed = squeezed.match_indices(&prose).map(|(i, _)| i).any(|i| i > q11 && i < q12);
    assert!(placed, "synthesis.md prose sits under Q1.1");
    // Each country's key findings link to its national PDF in the bundle.
    let document = lopdf::Document::load_mem(&entries["synthesis-report-draft.pdf"]).unwrap();
    let links = document
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"A").ok().and_then(|a| a.as_dict().ok()))
        .filter_map(|d| {
            d.get(b"URI").ok().and_then(|u| u.as_str().ok()).map(|u| String::from_utf8_lossy(u).into_owned())
        })
        .collect::<Vec<_>>();
    assert!(links.iter().any(|l| l == "national/CZ.pdf"), "{links:?}");
    // Q3.1 is optional: its answers are there too.
    assert!(squeezed.contains(&squeeze("No. An evaluation of the government programmes is planned for 2026.")));
    let yes = ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"]
        .iter()
        .filter(|c| {
            let text = std::fs::read_to_string(package.path().join(format!("contributions/{c}.md"))).unwrap();
            let answer = text.split("## Q1.1").nth(1).unwrap().split("\n## ").next().unwrap();
            answer
                .lines()
                .find(|l| !l.trim().is_empty() && !l.contains("Does your"))
                .unwrap()
                .trim_start_matches('*')
                .starts_with("Yes")
        })
        .count();
    assert!(synthesis.contains(&format!("Yes: {yes}")), "synthesis counts {yes} Yes answers to Q1.1");

    // Flash: one page with the template's flash questions.
    assert_eq!(pdf_pages(&entries["flash.pdf"]), 1);
    let flash = squeeze(&pdf_text(&entries["flash.pdf"]));
    assert!(flash.contains(&squeeze("What challenges and good practices have Member States identified?")));

    // Inform: key findings within 8 pages.
    assert!(pdf_pages(&entries["inform.pdf"]) <= 8);
    let inform = squeeze(&pdf_text(&entries["inform.pdf"]));
    assert!(inform.contains(&squeeze("Sweden has no shortage list")));
    // Whole key findings when they fit, not only their first paragraph.
    assert!(
        inform.contains(&squeeze("The main challenge reported is fragmented competences between the federal level"))
    );

    // Czech summary: intact text, Czech numbers, lang cs, no one-letter word at a line end.
    let summary = &entries["summary-cs.pdf"];
    assert_eq!(pdf_language(summary), "cs-CZ");
    let text = pdf_text(summary);
    assert!(squeeze(&text).contains(&squeeze("Nejčastějším problémem jsou dlouhé lhůty na zastupitelských úřadech")));
    assert!(text.contains("Česko") && text.contains("Švédsko"), "Czech country names");
    assert!(raw_text(summary).contains("41\u{a0}836"), "Czech number format in the overview table");
    for line in raw_text(summary).lines() {
        let last = line.split_whitespace().last().unwrap_or("");
        assert!(
            !(last.chars().count() == 1 && "ksvzouaiKSVZOUAI".contains(last)),
            "line ends with a one-letter word: {line:?}"
        );
    }
    assert_eq!(pdf_language(&entries["national/CZ.pdf"]), "en");
}

#[test]
fn the_annex_reads_tidy_eurostat_and_spreadsheet_files() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::remove_file(dir.join("statistics/first-permits.csv")).unwrap();
    // A spreadsheet export: BOM, semicolons, decimal commas.
    write(
        dir,
        "statistics/excel.csv",
        "\u{feff}indicator;country;year;value;flag\nfirst_permits_remunerated;CZ;2022;12 345,5;p\nfirst_permits_remunerated;AT;2022;7 001;\n",
    );
    // A tidy file for the rest of the required table.
    let mut tidy = String::from("indicator,country,year,value,flag\n");
    for (country, value) in [("BE", 4321), ("DE", 55555), ("EL", 999), ("SE", 31337), ("NO", 777)] {
        tidy.push_str(&format!("first_permits_remunerated,{country},2022,{value},\n"));
    }
    write(dir, "statistics/tidy.csv", &tidy);
    let entries = build(dir, &[]);
    let annex = pdf_text(&entries["statistical-annex.pdf"]);
    for shown in ["12,345.5", "7,001", "55,555", "31,337", "396,000", "1,560"] {
        assert!(annex.contains(shown), "annex lacks {shown}");
    }
    // The female-only slice of the SDMX file (a third of the total) is filtered out.
    assert!(!annex.contains("132,000"), "a filtered-out slice is shown");
    assert!(annex.contains("provisional"), "flag legend");
    let csv = String::from_utf8(entries["statistical-annex.csv"].clone()).unwrap();
    assert!(csv.contains("T1,first_permits_remunerated,CZ,2022,12345.5,p,persons"), "{csv}");
    assert!(csv.contains("T2,migr_asyappctza,DE,2023,396000,p,persons"));
}

#[test]
fn annual_report_and_ad_hoc_query_packages_build_from_init() {
    let dir = tempfile::tempdir().unwrap();
    for (kind, expected) in [
        (
            "annual-report",
            vec![
                "national/CZ.pdf",
                "national/AT.pdf",
                "synthesis-report-draft.pdf",
                "inform.pdf",
                "flash.pdf",
                "statistical-annex.pdf",
            ],
        ),
        ("ad-hoc-query", vec!["compilation.pdf"]),
    ] {
        let package = dir.path().join(kind);
        emn_pub().arg("init").arg(&package).args(["--kind", kind]).assert().success();
        for country in ["CZ", "AT"] {
            emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
        }
        emn_pub().arg("build-package").arg(&package).assert().code(1);
        let entries = build(&package, &["--allow-incomplete"]);
        for file in expected {
            assert!(entries.contains_key(file), "{kind} bundle lacks {file}: {:?}", entries.keys().collect::<Vec<_>>());
        }
        if kind == "ad-hoc-query" {
            let text = pdf_text(&entries["compilation.pdf"]);
            assert!(text.contains("Requested by Czechia"));
            assert!(text.contains("No answer to Q1 from CZ"), "gaps are marked");
        } else {
            let text = pdf_text(&entries["national/AT.pdf"]);
            assert!(text.contains("International protection"), "annual report sections");
            assert!(text.contains("No answer received from AT"));
        }
    }
}

#[test]
fn the_synthesis_draft_prints_an_answers_notes_right_after_it() {
    // A working draft: an answer's note follows the answer (numbered from 1
    // in each answer), before the next country's answer, not at the foot
    // of some page; and it is printed once, not also as a footnote.
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/AT.md", "[^1]: National legislation database", "[^1]: Bundesgesetzblatt database");
    let out = dir.join("s.zip");
    build_only(dir, "synthesis", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["synthesis-report-draft.pdf"]));
    let note = squeeze("1. Bundesgesetzblatt database, consulted in April 2025.");
    assert_eq!(text.matches(&note).count(), 1, "{text}");
    let mark = text.find(&squeeze("October 2022. 1 A national list")).expect("the mark follows the sentence");
    let at_note = text.find(&note).unwrap();
    assert!(mark < at_note, "the note comes after its mark");
    let next_country = text[mark..].find("Belgium").map(|at| mark + at).expect("Belgium's answer follows Austria's");
    assert!(at_note < next_country, "the note comes before the next country's answer");
}

/// A Markdown footnote is a footnote in the PDF: its number in the text,
/// and at the foot of the page its number, apart from its first word.
#[test]
fn footnotes_are_set_as_numbered_notes() {
    let package = copy_package(&sample());
    let out = package.path().join("at.zip");
    build_only(package.path(), "AT", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/AT.pdf"]));
    assert!(text.contains(&squeeze("1 National legislation database, consulted in April 2025.")), "{text}");
    assert!(text.contains(&squeeze("October 2022. 1 A national list")), "the mark is in the text: {text}");
    assert!(
        !text.contains(&squeeze("October 2022. National legislation")),
        "the note is not in the running text: {text}"
    );
}
