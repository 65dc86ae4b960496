//! One plan, every format: the synthesis draft's PDF and its Word edition
//! are written from the same document, so they hold the same headings at
//! the same levels, the same gap notices and captions, and every file of
//! the bundle can be built alone by its path.

use std::path::Path;

use crate::support::*;
use crate::word_export::paragraphs;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The sample with what the sample lacks: an NCP's sub-headings (`###`,
/// `####`), an empty heading, an `ftp:` address, and a country (SE) that
/// sent no key findings.
fn package_with_sub_headings() -> tempfile::TempDir {
    let package = copy_package(&sample());
    let dir = package.path();
    let cz = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    let at = cz.find("## Q2.2").expect("CZ answers Q2.2");
    let end = at + cz[at..].find("\n\n").unwrap();
    let inserted = "\n\n### Regional employment offices\n\nThe regional offices check every vacancy within ten days.\n\n\
                    #### Prague office\n\nPrague handles half of all cases.\n\n### \n\n\
                    An empty heading stood above this paragraph. The files are on ftp://ftp.example.cz/cards.\n";
    write(dir, "contributions/CZ.md", &format!("{}{inserted}{}", &cz[..end], &cz[end..]));
    let se = std::fs::read_to_string(dir.join("contributions/SE.md")).unwrap();
    let (start, end) = (se.find("# Key findings").unwrap(), se.find("\n# 1").unwrap());
    write(dir, "contributions/SE.md", &format!("{}{}", &se[..start], &se[end + 1..]));
    package
}

/// The bookmarks of a PDF: (level from 1, title).
pub(crate) fn bookmarks(pdf: &[u8]) -> Vec<(usize, String)> {
    let document = lopdf::Document::load_mem(pdf).expect("a PDF");
    let toc = document.get_toc().expect("the PDF has bookmarks");
    toc.toc.into_iter().map(|entry| (entry.level, entry.title.trim().to_string())).collect()
}

/// The heading paragraphs of a Word body: (level, text).
pub(crate) fn word_headings(document: &str) -> Vec<(usize, String)> {
    paragraphs(document)
        .into_iter()
        .filter_map(|(style, text)| Some((style.strip_prefix("Heading")?.parse().ok()?, text.trim().to_string())))
        .collect()
}

fn synthesis_files(dir: &Path) -> (Vec<u8>, std::collections::BTreeMap<String, Vec<u8>>) {
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--allow-incomplete").arg("--out").arg(&out).assert().success();
    let mut entries = unzip(&out);
    let pdf = entries.remove("synthesis-report-draft.pdf").expect("the synthesis PDF");
    (pdf, unzip_bytes(&entries["synthesis-report-draft.docx"]))
}

#[test]
fn the_synthesis_pdf_and_its_word_draft_have_the_same_outline() {
    let package = package_with_sub_headings();
    let (pdf, docx) = synthesis_files(package.path());
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let in_pdf = bookmarks(&pdf);
    let in_word = word_headings(&document);
    assert_eq!(in_pdf, in_word, "PDF bookmarks and Word headings");

    // The NCP's sub-headings, nested below the country's heading.
    let czechia_q22 = in_word
        .iter()
        .position(|(level, text)| *level == 3 && text == "Czechia")
        .and_then(|first| in_word[first + 1..].iter().position(|(_, t)| t == "Regional employment offices"))
        .expect("the NCP's ### heading is in the outline");
    assert!(czechia_q22 > 0);
    assert!(in_word.contains(&(4, "Regional employment offices".to_string())), "{in_word:?}");
    assert!(in_word.contains(&(5, "Prague office".to_string())), "{in_word:?}");
    assert!(in_word.iter().all(|(_, text)| !text.is_empty()), "no empty heading: {in_word:?}");

    // An ftp: address is text, in both.
    assert!(normalise(&pdf_text(&pdf)).contains("ftp://ftp.example.cz/cards"));
    assert!(!document.contains("ftp://ftp.example.cz/cards\"") && document.contains("ftp://ftp.example.cz/cards"));
    let relationships = String::from_utf8(docx["word/_rels/document.xml.rels"].clone()).unwrap();
    assert!(!relationships.contains("ftp:"), "not a hyperlink in Word");
}

#[test]
fn gap_notices_and_figures_look_in_word_as_in_the_pdf() {
    let package = package_with_sub_headings();
    let (pdf, docx) = synthesis_files(package.path());
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let body = paragraphs(&document);

    // Sweden's missing key findings: a gap notice in both, in its own style in Word.
    let gap = "No key findings received from Sweden.";
    assert!(normalise(&pdf_text(&pdf)).contains(gap));
    let styles: Vec<&str> = body.iter().filter(|(_, text)| text.contains(gap)).map(|(s, _)| s.as_str()).collect();
    assert_eq!(styles, ["GapNotice"], "the gap notice's paragraph style");
    let styles_xml = String::from_utf8(docx["word/styles.xml"].clone()).unwrap();
    assert!(styles_xml.contains("w:styleId=\"GapNotice\""), "the style is defined");
    assert!(body.iter().all(|(style, text)| style != "Normal" || !text.contains(gap)));

    // Labels are kept with what follows them.
    let xml = roxmltree::Document::parse(&document).unwrap();
    let labels: Vec<&str> = body.iter().filter(|(style, _)| style == "Kicker").map(|(_, t)| t.as_str()).collect();
    assert!(
        labels.contains(&"Synthesis") && labels.iter().any(|l| l.starts_with("Answers at a glance: Q")),
        "labels, not bold Normal paragraphs: {labels:?}"
    );
    let kicker_style = styles_xml.split("w:styleId=\"Kicker\"").nth(1).unwrap().split("</w:style>").next().unwrap();
    assert!(kicker_style.contains("<w:keepNext/>"), "{kicker_style}");

    // Figures are right-aligned, as in the PDF: every cell of a table that
    // holds only a number (the statistics, Markdown's `--:` columns).
    let mut numbers = 0;
    for cell in xml.descendants().filter(|n| n.has_tag_name((W, "tc"))) {
        let text: String = cell.descendants().filter(|n| n.has_tag_name((W, "t"))).filter_map(|n| n.text()).collect();
        let text = text.trim();
        let numeric = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || " \u{a0},.".contains(c));
        if !numeric || !text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        numbers += 1;
        let alignment = cell.descendants().find(|n| n.has_tag_name((W, "jc"))).and_then(|n| n.attribute((W, "val")));
        assert_eq!(alignment, Some("right"), "the figure {text:?} is right-aligned");
    }
    assert!(numbers > 20, "the draft's tables hold figures ({numbers})");
    let weeks = xml
        .descendants()
        .filter(|n| n.has_tag_name((W, "tc")))
        .find(|cell| cell.descendants().any(|n| n.text() == Some("6 weeks")))
        .expect("AT's `--:` column");
    let alignment = weeks.descendants().find(|n| n.has_tag_name((W, "jc"))).and_then(|n| n.attribute((W, "val")));
    assert_eq!(alignment, Some("right"), "a Markdown `--:` column");

    // The contents is a field Word fills, with its entries already there.
    assert!(document.contains(" TOC \\o"), "a contents field");
    let entries = body.iter().filter(|(style, _)| style.starts_with("TOC")).count();
    assert!(entries >= 10, "the contents' entries are written ({entries})");
}

/// `--only P` builds a bundle holding P, for every path P of the manifest,
/// for a study and an ad-hoc query.
#[test]
fn every_file_of_the_bundle_builds_alone_by_its_path() {
    let query = tempfile::tempdir().unwrap();
    let query_dir = query.path().join("query");
    emn_pub().arg("init").arg(&query_dir).args(["--kind", "ad-hoc-query"]).assert().success();
    emn_pub().arg("new-contribution").arg(&query_dir).args(["--country", "AT"]).assert().success();
    for dir in [sample(), query_dir] {
        let package = copy_package(&dir);
        let dir = package.path();
        let full = dir.join("all.zip");
        emn_pub().arg("build-package").arg(dir).arg("--allow-incomplete").arg("--out").arg(&full).assert().success();
        let manifest: serde_json::Value = serde_json::from_slice(&unzip(&full)["manifest.json"]).unwrap();
        let paths: Vec<String> =
            manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
        assert!(paths.iter().any(|p| p.ends_with(".docx")), "{paths:?}");
        // One national PDF (and one national page) stands for the others:
        // they are built alike.
        let mut groups = std::collections::BTreeSet::new();
        for path in &paths {
            let group = if path.starts_with("sources/") {
                "sources"
            } else {
                path.rsplit_once('/')
                    .filter(|(folder, _)| folder.ends_with("national"))
                    .map_or(path.as_str(), |(f, _)| f)
            };
            if !groups.insert(group.to_string()) {
                continue;
            }
            let one = dir.join("one.zip");
            let _ = std::fs::remove_file(&one);
            emn_pub()
                .arg("build-package")
                .arg(dir)
                .args(["--allow-incomplete", "--only", path, "--out"])
                .arg(&one)
                .assert()
                .success();
            let built = unzip(&one);
            assert!(built.contains_key(path.as_str()), "--only {path} builds {:?}", built.keys());
            // A web page comes with the stylesheet it links.
            let companions = if path.starts_with("html/") && path != "html/emn.css" { 3 } else { 2 };
            assert_eq!(built.len(), companions, "--only {path} builds only it (and the manifest): {:?}", built.keys());
        }
    }
}

#[test]
fn a_heading_inside_a_quote_is_a_bold_line_in_every_edition() {
    let package = package_with_sub_headings();
    let dir = package.path();
    let cz = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    let cz = cz.replacen(
        "### Regional employment offices",
        "> ### Quoted programme\n> as the Ministry put it\n\n### Regional employment offices",
        1,
    );
    write(dir, "contributions/CZ.md", &cz);
    let entries = build_incomplete(dir, &dir.join("b.zip"));
    let pdf = &entries["synthesis-report-draft.pdf"];
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let page = String::from_utf8(entries["html/synthesis-report-draft.html"].clone()).unwrap();

    assert!(bookmarks(pdf).iter().any(|(_, title)| title == "Regional employment offices"), "the NCP's own heading");
    assert!(!bookmarks(pdf).iter().any(|(_, title)| title.contains("Quoted programme")), "not a PDF bookmark");
    assert!(!word_headings(&document).iter().any(|(_, text)| text.contains("Quoted programme")), "not a Word heading");
    assert!(page.contains("<strong>Quoted programme</strong>"), "a bold line on the web page");
    for heading in page.split("<h").skip(1) {
        assert!(!heading.split("</h").next().unwrap().contains("Quoted programme"), "not a web heading");
    }
    assert!(normalise(&pdf_text(pdf)).contains("Quoted programme"), "its words in the PDF");
    assert!(document.contains("Quoted programme"), "its words in Word");
}
