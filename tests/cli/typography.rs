//! Typography is decided once, in the plan's text styles, and every edition
//! prints the same characters: a Czech one-letter word kept with the next
//! word, a figure never split across lines, in the PDF, the web page and the
//! Word draft alike, and the language's quotes for the straight ones typed;
//! English text keeps its ordinary spaces.

use crate::publications::raw_text;
use crate::support::*;

const CZECH_SENTENCE: &str = "Žádostí v Praze bylo 21 480, o 27 % více než k loňsku. Úřad řekl \"ano\".";
const ENGLISH_SENTENCE: &str = "Offices in 12 500 towns saw a rise of 9 % in the \"EU Blue Card\".";

/// The sample with Czechia answering in Czech and Austria in English, each
/// with a figure in a sentence.
fn package_with_figures_in_two_languages() -> tempfile::TempDir {
    let package = copy_package(&sample());
    let dir = package.path();
    let add_to_q22 = |file: &str, sentence: &str, language: Option<&str>| {
        let mut text = std::fs::read_to_string(dir.join(file)).unwrap();
        if let Some(language) = language {
            text = text.replacen("language: en", &format!("language: {language}"), 1);
        }
        let at = text.find("## Q2.2").expect("answers Q2.2");
        let end = at + text[at..].find("\n\n").unwrap();
        write(dir, file, &format!("{}\n\n{sentence}\n{}", &text[..end], &text[end..]));
    };
    add_to_q22("contributions/CZ.md", CZECH_SENTENCE, Some("cs"));
    add_to_q22("contributions/AT.md", ENGLISH_SENTENCE, None);
    package
}

#[test]
fn every_edition_sets_czech_words_and_figures_alike() {
    let package = package_with_figures_in_two_languages();
    let out = package.path().join("b.zip");
    let entries = build_incomplete(package.path(), &out);
    let czech_set = ["v\u{a0}Praze", "21\u{a0}480", "27\u{a0}%", "o\u{a0}27", "k\u{a0}loňsku", "„ano“"];
    let english_set = ["12\u{a0}500", "9\u{a0}%", "saw a rise", "“EU Blue Card”"];

    let czech_page = String::from_utf8(entries["html/national/CZ.html"].clone()).unwrap();
    let english_page = String::from_utf8(entries["html/national/AT.html"].clone()).unwrap();
    let czech_pdf = raw_text(&entries["national/CZ.pdf"]);
    let english_pdf = raw_text(&entries["national/AT.pdf"]);
    let synthesis = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let word = String::from_utf8(synthesis["word/document.xml"].clone()).unwrap();
    for set in czech_set {
        assert!(czech_page.contains(set), "the Czech web page has {set:?}");
        assert!(czech_pdf.contains(set), "the Czech PDF has {set:?}");
        assert!(word.contains(set), "the Word draft has {set:?}");
    }
    assert!(!czech_page.contains("v Praze") && !word.contains("v Praze"), "no breakable space after 'v'");
    for set in english_set {
        assert!(english_page.contains(set), "the English web page has {set:?}");
        assert!(english_pdf.contains(set), "the English PDF has {set:?}");
        assert!(word.contains(set), "the Word draft has {set:?}");
    }
    assert!(!english_page.contains("12 500") && !english_page.contains("9 %"), "no figure split");
}
