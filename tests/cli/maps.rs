//! Maps of answers: the synthesis draft has, for every yes-no and choice
//! question, a figure whose alt text names the question and the counts;
//! the Flash has a map of the countries taking part.

use crate::support::*;

#[test]
fn the_synthesis_maps_every_closed_question_and_the_flash_its_countries() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "synthesis-report-draft,flash", &out).success();
    let entries = unzip(&out);
    let alts = pdf_alt_texts(&entries["synthesis-report-draft.pdf"]);
    let expected = [
        // Countries by name: a screen reader reads names, not codes.
        ("Q1.1", "Yes: 5 (Belgium, Czechia, Germany, Austria, Norway); No: 2 (Greece, Sweden)"),
        ("Q2.1", "Ministry of the Interior: 2"),
        ("Q3.1", "Yes: 4"),
    ];
    for (question, counts) in expected {
        assert!(
            alts.iter().any(|alt| alt.contains(&format!("question {question}:")) && alt.contains(counts)),
            "no map of {question} with {counts:?}: {alts:#?}"
        );
    }
    let flash = &entries["flash.pdf"];
    assert_eq!(pdf_pages(flash), 1);
    let alts = pdf_alt_texts(flash);
    assert!(
        alts.iter().any(|alt| alt.contains("7 countries taking part")
            && alt.contains("Belgium, Czechia, Germany, Greece, Austria, Sweden, Norway")),
        "{alts:#?}"
    );
}
