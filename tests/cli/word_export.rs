//! Word out: the synthesis draft and the query compilation as `.docx`,
//! read back as Word, pandoc and `import-docx` read them.

use std::collections::BTreeSet;
use std::path::Path;

use emn_pub::load::markdown::blocks_text;

use crate::support::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The paragraphs of a Word part: (style id, text).
pub fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let document = roxmltree::Document::parse(xml).expect("well-formed XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((W, "pStyle")))
                .and_then(|n| n.attribute((W, "val")))
                .unwrap_or("")
                .to_string();
            let text: String = p.descendants().filter(|n| n.has_tag_name((W, "t"))).filter_map(|n| n.text()).collect();
            (style, text)
        })
        .collect()
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Every answer, key findings and footnote of the package's contributions, as text.
fn contribution_texts(dir: &Path) -> Vec<(String, String)> {
    let package = emn_pub::load::load(dir).unwrap().package.expect("package loads");
    let mut texts = Vec::new();
    for contribution in &package.contributions {
        let document = &contribution.document;
        for answer in &document.answers {
            texts.push((format!("{} {}", contribution.country(), answer.question_id), blocks_text(&answer.blocks)));
        }
        for (name, blocks) in &document.footnotes {
            texts.push((format!("{} footnote {name}", contribution.country()), blocks_text(blocks)));
        }
    }
    texts
}

#[test]
fn the_synthesis_draft_is_an_editable_word_document() {
    let package = copy_package(&sample());
    let dir = package.path();
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let footnotes = String::from_utf8(docx["word/footnotes.xml"].clone()).unwrap();
    let body = paragraphs(&document);

    // Word's heading styles, the questions in the template's order.
    let questions: Vec<&str> = body
        .iter()
        .filter(|(style, _)| style == "Heading2")
        .map(|(_, t)| t.as_str())
        .filter(|t| t.starts_with('Q'))
        .collect();
    assert_eq!(
        questions.iter().map(|q| q.split(' ').next().unwrap()).collect::<Vec<_>>(),
        ["Q1.1", "Q1.2", "Q2.1", "Q2.2", "Q3.1", "Q3.2"]
    );
    assert!(body.iter().any(|(style, text)| style == "Heading1" && text == "1 Legal and policy framework"));
    assert!(body.iter().filter(|(style, _)| style == "Heading3").count() >= 42, "every country under every question");
    let styles = String::from_utf8(docx["word/styles.xml"].clone()).unwrap();
    for name in ["heading 1", "heading 2", "heading 3", "Title", "caption", "footnote text"] {
        assert!(styles.contains(&format!("w:name w:val=\"{name}\"")), "style {name}");
    }

    // Every answer and every footnote, word for word.
    let all_text: String = body.iter().chain(paragraphs(&footnotes).iter()).map(|(_, t)| format!("{t} ")).collect();
    let in_word = words(&all_text);
    let texts = contribution_texts(dir);
    for (what, text) in &texts {
        let missing: Vec<String> = words(text).difference(&in_word).cloned().collect();
        assert!(missing.is_empty(), "{what}: {missing:?} missing from the Word draft");
    }
    let defined = texts.iter().filter(|(what, _)| what.contains("footnote")).count();
    // A working draft: each answer's notes follow it, numbered from 1 in
    // it, as in its PDF and on its web page (not Word footnotes numbered
    // through the document).
    let notes: Vec<&(String, String)> = body.iter().filter(|(style, _)| style == "FootnoteText").collect();
    assert!(defined > 0 && notes.len() >= defined, "{} notes after their answers for {defined}", notes.len());
    assert!(notes.iter().all(|(_, text)| text.starts_with(|c: char| c.is_ascii_digit())), "each opens with its number");
    assert!(notes.iter().any(|(_, text)| text.starts_with("1. ")), "numbered from 1");
    assert!(!document.contains("<w:footnoteReference"), "no Word footnote numbered through the document");
    assert!(document.contains("<w:tblHeader/>"), "table headers repeat on every page");

    // Every picture has alt text; the maps are SVG with a PNG beside them.
    let xml = roxmltree::Document::parse(&document).unwrap();
    let pictures: Vec<&str> = xml
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .map(|n| n.attribute("descr").unwrap_or(""))
        .collect();
    assert!(pictures.len() >= 3, "{pictures:?}");
    assert!(pictures.iter().all(|alt| !alt.trim().is_empty()), "{pictures:?}");
    assert!(pictures.iter().any(|alt| alt.starts_with("Map of Europe for question Q1.1")), "{pictures:?}");
    assert!(docx.keys().any(|k| k.ends_with(".svg")) && docx.keys().any(|k| k.ends_with(".png")));

    // Properties: title, language; the DRAFT header and page numbers.
    let core = String::from_utf8(docx["docProps/core.xml"].clone()).unwrap();
    assert!(
        core.contains("EU Synthesis Report (draft)</dc:title>") && core.contains("<dc:language>en-GB</dc:language>")
    );
    assert!(String::from_utf8_lossy(&docx["word/header1.xml"]).contains("DRAFT"));
    assert!(String::from_utf8_lossy(&docx["word/footer1.xml"]).contains(" PAGE "));

    // Two builds, the same bytes.
    let again = dir.join("again.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&again).assert().success();
    assert!(unzip(&again)["synthesis-report-draft.docx"] == entries["synthesis-report-draft.docx"], "reproducible");

    // import-docx reads it back with nothing lost.
    let draft = dir.join("draft.docx");
    std::fs::write(&draft, &entries["synthesis-report-draft.docx"]).unwrap();
    emn_pub().arg("import-docx").arg(&draft).arg(dir).args(["--country", "FR"]).assert().success();
    let imported = std::fs::read_to_string(dir.join("contributions/FR.md")).unwrap();
    let imported_words = words(&imported);
    // The title and subtitles are the package's own (import-docx reports
    // them as not imported); the contents are Word's.
    let body_text: String = body
        .iter()
        .filter(|(style, _)| !["Title", "Subtitle", "TOCHeading"].contains(&style.as_str()))
        .map(|(_, t)| format!("{t} "))
        .collect();
    let lost: Vec<String> = words(&body_text).difference(&imported_words).cloned().collect();
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
fn pandoc_reads_the_word_draft_whole() {
    let package = copy_package(&sample());
    let dir = package.path();
    let out = dir.join("b.zip");
    build_only(dir, "synthesis-report-draft", &out).success();
    let entries = unzip(&out);
    let path = dir.join("draft.docx");
    std::fs::write(&path, &entries["synthesis-report-draft.docx"]).unwrap();
    let output = std::process::Command::new(crate::word::pandoc()).arg(&path).args(["-t", "plain"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let read = words(&String::from_utf8_lossy(&output.stdout));
    for (what, text) in contribution_texts(dir) {
        let missing: Vec<String> = words(&text).difference(&read).cloned().collect();
        assert!(missing.is_empty(), "{what}: {missing:?} not read by pandoc");
    }
}

#[test]
fn an_ad_hoc_query_bundle_holds_the_compilation_in_word() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("query");
    emn_pub().arg("init").arg(&package).args(["--kind", "ad-hoc-query"]).assert().success();
    for country in ["AT", "SE", "PL"] {
        emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
        let path = package.join(format!("contributions/{country}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text
            .replace(
                "<!-- Start with Yes or No, then explain. Required. -->",
                &format!("Yes. In {country} a unit decides."),
            )
            .replacen("<!--", &format!("The {country} procedure takes six weeks.\n\n<!--"), 1);
        std::fs::write(&path, text).unwrap();
    }
    let out = package.join("b.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&out).arg("--allow-incomplete").assert().success();
    let entries = unzip(&out);
    let docx = unzip_bytes(entries.get("compilation.docx").expect("compilation.docx in the bundle"));
    let body = paragraphs(&String::from_utf8(docx["word/document.xml"].clone()).unwrap());
    let text: String = body.iter().map(|(_, t)| format!("{t} ")).collect();
    for country in ["AT", "SE", "PL"] {
        assert!(text.contains(&format!("In {country} a unit decides.")), "{country}: {text}");
    }
    assert!(body.iter().any(|(style, t)| style == "Heading1" && t.starts_with("Q1 ")), "questions are Heading 1");
    // new-contribution writes `status: draft`: the compilation says so.
    assert!(
        body.iter().any(|(style, t)| style == "Heading2" && t == "Poland (draft answer)"),
        "countries are Heading 2, a draft answer marked"
    );
}

/// Every figure caption of the synthesis PDF is a Caption paragraph of its
/// Word draft, with the same number and words.
#[test]
fn the_pdfs_figure_captions_are_caption_paragraphs_in_word() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "synthesis-report-draft,synthesis-report-draft-word", &out).success();
    let entries = unzip(&out);
    let pdf = normalise(&pdf_text(&entries["synthesis-report-draft.pdf"]));
    let mut in_pdf = Vec::new();
    let mut rest = pdf.as_str();
    while let Some(at) = rest.find("Figure ") {
        let caption = &rest[at..];
        if caption["Figure ".len()..].starts_with(|c: char| c.is_ascii_digit()) {
            let number: String = caption["Figure ".len()..].chars().take_while(char::is_ascii_digit).collect();
            in_pdf.push(number);
        }
        rest = &rest[at + 1..];
    }
    assert!(!in_pdf.is_empty(), "the sample's synthesis has a captioned figure");
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let captions: Vec<String> = paragraphs(&String::from_utf8(docx["word/document.xml"].clone()).unwrap())
        .into_iter()
        .filter(|(style, text)| style == "Caption" && text.starts_with("Figure "))
        .map(|(_, text)| text)
        .collect();
    let numbers: Vec<String> =
        captions.iter().map(|c| c["Figure ".len()..].chars().take_while(char::is_ascii_digit).collect()).collect();
    assert_eq!(numbers, in_pdf, "{captions:?}");
    for caption in &captions {
        assert!(squeeze(&pdf).contains(&squeeze(caption)), "{caption:?} as in the PDF");
    }
}
