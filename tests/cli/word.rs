//! Word in: `import-docx` on files written by real OOXML writers (pandoc,
//! and a hand-built Word package with Czech style ids and automatic
//! numbering), read back through `validate` and the national PDF.

use std::io::Write;
use std::path::{Path, PathBuf};

use emn_pub::load::markdown::blocks_text;

use crate::support::*;

/// pandoc, from the PATH or from PyPI's `pypandoc_binary`.
pub fn pandoc() -> PathBuf {
    if std::process::Command::new("pandoc").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return PathBuf::from("pandoc");
    }
    let output = std::process::Command::new("python3")
        .args(["-c", "import pypandoc; print(pypandoc.get_pandoc_path())"])
        .output()
        .expect("python3 runs");
    let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(!path.is_empty(), "the round-trip tests need pandoc: pip install pypandoc_binary");
    PathBuf::from(path)
}

/// Every answer of a package's contribution, as plain text by question id,
/// plus its key findings and footnotes.
fn answers(dir: &Path, country: &str) -> Vec<(String, String)> {
    let loaded = emn_pub::load::load(dir).unwrap();
    let package = loaded.package.expect("package loads");
    let contribution = package.contribution(country).expect("contribution");
    let squeeze = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: Vec<(String, String)> = contribution
        .document
        .answers
        .iter()
        .map(|a| (a.question_id.clone(), squeeze(blocks_text(&a.blocks))))
        .collect();
    if let Some(findings) = contribution.document.key_findings() {
        out.push(("key findings".into(), squeeze(blocks_text(&findings.blocks))));
    }
    for blocks in contribution.document.footnotes.values() {
        out.push(("footnote".into(), squeeze(blocks_text(blocks))));
    }
    out.sort();
    out
}

#[test]
fn every_sample_contribution_survives_a_round_trip_through_word() {
    let pandoc = pandoc();
    let original = sample();
    let package = copy_package(&original);
    let dir = package.path();
    let words = tempfile::tempdir().unwrap();
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let docx = words.path().join(format!("{country}.docx"));
        let status = std::process::Command::new(&pandoc)
            .current_dir(original.join("contributions"))
            .args(["-f", "markdown-smart", "-o"])
            .arg(&docx)
            .arg(format!("{country}.md"))
            .status()
            .unwrap();
        assert!(status.success(), "pandoc converts {country}.md");
        std::fs::remove_file(dir.join(format!("contributions/{country}.md"))).unwrap();
        emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", country]).assert().success();
        assert_eq!(answers(dir, country), answers(&original, country), "{country}: the same answers after Word");
        let imported = std::fs::read_to_string(dir.join(format!("contributions/{country}.md"))).unwrap();
        for section in ["# 1 Legal and policy framework\n", "# 2 Implementation in practice\n"] {
            assert_eq!(imported.matches(section).count(), 1, "{country}: {section:?} once in {imported}");
        }
    }
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}");
    // What the reader sees: the imported Czech contribution's footnote,
    // table cell, link text and figure in its national PDF.
    let out = dir.join("b.zip");
    build_only(dir, "CZ", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/CZ.pdf"]));
    for phrase in [
        "Act No. 326/1999 Coll., as amended by Act No. 274/2021 Coll.",
        "40 000",
        "https://www.mvcr.cz/mvcren/",
        "First permits for remunerated activities, Czech Republic, 2019-2023",
    ] {
        assert!(text.contains(&squeeze(phrase)), "national/CZ.pdf lacks {phrase:?}");
    }
    assert!(dir.join("assets/CZ").read_dir().unwrap().count() == 1, "the figure's SVG is in assets/CZ/");
}

/// A Word package as Czech Word writes one: style ids `Nadpis1`/`Nadpis2`
/// named `heading 1`/`heading 2`, headings numbered automatically (no
/// number in their text), lists, a table with merged cells, a footnote, a
/// hyperlink, a line break, a picture with alt text, a tracked insertion
/// and deletion, a comment and a text box.
fn czech_word_file() -> Vec<u8> {
    let heading = |level: u8, text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="Nadpis{level}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let para = |text: &str| format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#);
    let item = |num: u8, level: u8, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        para("Národní kontaktní místo EMN – úvodní poznámka."),
        heading(1, "Legal and policy framework"),
        heading(2, "Does your Member State have a specific national strategy or legal framework on the topic of this study?"),
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Yes.</w:t></w:r><w:r><w:t xml:space="preserve"> The Employment Act</w:t></w:r><w:ins w:id="1" w:author="A"><w:r><w:t xml:space="preserve"> (as amended)</w:t></w:r></w:ins><w:del w:id="2" w:author="A"><w:r><w:delText> WRONGLY DELETED TEXT</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> applies.</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#.to_string(),
        heading(2, "Please describe the main legal provisions and policy documents, and any changes in the reference period."),
        para("The provisions are:"),
        item(2, 0, "the Employee Card;"),
        item(2, 0, "the Blue Card;"),
        item(2, 1, "with a salary threshold"),
        item(2, 0, "the Government programmes."),
        r#"<w:p><w:r><w:t>First line</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>second line, see </w:t></w:r><w:hyperlink r:id="rIdLink"><w:r><w:t>the Ministry site</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r></w:p>"#.to_string(),
        heading(1, "Implementation in practice"),
        heading(2, "Which authority is mainly responsible for implementing the measures?"),
        para("Ministry of the Interior, with the Labour Office."),
        heading(2, "How are the measures implemented in practice? Please give examples and figures where available."),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Programme</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Quota</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Days</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Merged programme cell</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>45 days</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Obrázek 1" descr="Bar chart of permits by year"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="rIdImage"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#.to_string(),
        r#"<w:p><w:r><w:drawing><wp:anchor><wp:docPr id="2" name="Textové pole 2"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed remark</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>"#.to_string(),
        heading(1, "Challenges and good practices"),
        heading(2, "What challenges and good practices have been identified?"),
        para("Waiting times at embassies remain the main challenge."),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:style w:type="paragraph" w:default="1" w:styleId="Normln"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="Nadpis1"><w:name w:val="heading 1"/><w:basedOn w:val="Normln"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Nadpis2"><w:name w:val="heading 2"/><w:basedOn w:val="Normln"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
    </w:styles>"#;
    let numbering = r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"#;
    let footnotes = r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
      <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Zákon č. 435/2004 Sb., o zaměstnanosti.</w:t></w:r></w:p></w:footnote>
    </w:footnotes>"#;
    let comments = r#"<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Editor"><w:p><w:r><w:t>Check this.</w:t></w:r></w:p></w:comment></w:comments>"#;
    let relationships = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
      <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
      <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
      <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
      <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
      <Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>
      <Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.mpsv.cz/" TargetMode="External"/>
    </Relationships>"#;
    let package_relationships = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;
    let core = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>Jana Nováková</dc:creator><dcterms:modified>2025-04-30T09:15:00Z</dcterms:modified></cp:coreProperties>"#;
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut png = Vec::new();
    image::RgbImage::from_pixel(8, 4, image::Rgb([0, 51, 153]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_relationships.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", relationships.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
        ("word/comments.xml", comments.as_bytes()),
        ("word/media/image1.png", &png),
    ])
}

#[test]
fn a_czech_word_file_is_imported_and_every_part_reaches_the_pdf() {
    let package = copy_package(&sample());
    let dir = package.path();
    let docx = dir.join("CZ-contribution.docx");
    std::fs::write(&docx, czech_word_file()).unwrap();
    let output = emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", "CZ"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "contributions/CZ.md exists: refused without --force");
    let output =
        emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", "CZ", "--force"]).output().unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{report}");
    for expected in [
        "tracked changes were accepted",
        "1 comment was dropped",
        "text box",
        "merged cells",
        "paragraph 1: text before the first question",
    ] {
        assert!(report.contains(expected), "the report names {expected:?}: {report}");
    }
    let markdown = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    assert!(markdown.contains("## Q1.1 Does your Member State"), "{markdown}");
    assert!(
        markdown.contains("## Q3.2 What challenges"),
        "numbered 3.1 in Word (Q3.1 was left out), matched by its text: {markdown}"
    );
    assert!(markdown.contains("date: 2025-04-30"), "{markdown}");
    assert!(!markdown.contains("WRONGLY DELETED"), "a tracked deletion is not imported");
    assert!(markdown.contains("3. the Employee Card;"), "the list keeps Word's start number: {markdown}");
    assert!(
        markdown.contains("4. the Blue Card;\n   - with a salary threshold\n5. the Government"),
        "nested bullets: {markdown}"
    );
    assert!(dir.join("assets/CZ/image1.png").is_file());

    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}\n{markdown}");
    let out = dir.join("cz.zip");
    build_only(dir, "CZ", &out).success();
    let pdf = &unzip(&out)["national/CZ.pdf"];
    let text = squeeze(&pdf_text(pdf));
    for phrase in [
        "Boxed remark",
        "Yes. The Employment Act (as amended) applies.",
        "Zákon č. 435/2004 Sb., o zaměstnanosti.",
        "the Employee Card;",
        "with a salary threshold",
        "First line",
        "second line, see the Ministry site.",
        "Merged programme cell",
        "45 days",
        "Ministry of the Interior, with the Labour Office.",
        "Waiting times at embassies remain the main challenge.",
        "Bar chart of permits by year",
        "úvodní poznámka",
    ] {
        assert!(text.contains(&squeeze(phrase)), "national/CZ.pdf lacks {phrase:?}");
    }
    let raw = String::from_utf8_lossy(pdf);
    assert!(raw.contains("/Image"), "the picture is embedded in the PDF");
}

#[test]
fn files_that_are_not_word_documents_get_a_clear_error() {
    let package = copy_package(&sample());
    let dir = package.path();
    let before = std::fs::read(dir.join("contributions/CZ.md")).unwrap();
    // An OpenDocument text saved under a .docx name.
    let mut odt = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    odt.start_file("mimetype", zip::write::SimpleFileOptions::default()).unwrap();
    odt.write_all(b"application/vnd.oasis.opendocument.text").unwrap();
    let odt = odt.finish().unwrap().into_inner();
    let cases: [(&str, &[u8], &str); 5] = [
        ("random.docx", b"\x13\x37 random bytes, not a zip", "not a Word document"),
        ("old.docx", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 an OLE2 file", ".doc"),
        ("zip.docx", b"PK\x03\x04 a broken zip", "not a Word document"),
        ("empty.docx", b"", "not a Word document"),
        ("odt.docx", &odt, "OpenDocument text (.odt)"),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        let output =
            emn_pub().arg("import-docx").arg(&file).arg(dir).args(["--country", "CZ", "--force"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    assert_eq!(std::fs::read(dir.join("contributions/CZ.md")).unwrap(), before, "nothing was written");
}

/// A language property typst has its own words for in another script
/// (`zh`: "目录" for the contents) came through the import once and stopped
/// the build; the layout's words are ours, so it typesets.
#[test]
fn a_contribution_in_any_language_builds() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/DE.md", "language: en", "language: zh");
    let out = dir.join("out.zip");
    build_only(dir, "DE", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/DE.pdf"]));
    assert!(text.contains("Contents"), "{text}");
}

/// The words of pandoc's reading of a Word file (its JSON tree): text,
/// code and notes, not list labels, alt texts or math; lower case.
fn pandoc_words(pandoc: &Path, docx: &Path) -> Vec<String> {
    fn walk(node: &serde_json::Value, out: &mut String) {
        const BLOCKS: &[&str] = &[
            "Para",
            "Plain",
            "Header",
            "CodeBlock",
            "BlockQuote",
            "OrderedList",
            "BulletList",
            "Table",
            "Div",
            "Note",
        ];
        match node {
            serde_json::Value::Object(map) => {
                let kind = map.get("t").and_then(|t| t.as_str()).unwrap_or("");
                match kind {
                    "Math" | "RawInline" | "RawBlock" | "Image" => return,
                    "Str" => return out.push_str(map["c"].as_str().unwrap_or("")),
                    "Space" | "SoftBreak" | "LineBreak" => return out.push(' '),
                    "Code" | "CodeBlock" => return out.push_str(map["c"][1].as_str().unwrap_or("")),
                    _ => {}
                }
                let block = BLOCKS.contains(&kind);
                if block {
                    out.push('\n');
                }
                map.values().for_each(|value| walk(value, out));
                if block {
                    out.push('\n');
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|value| walk(value, out)),
            _ => {}
        }
    }
    let output = std::process::Command::new(pandoc).args(["-f", "docx", "-t", "json"]).arg(docx).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut text = String::new();
    walk(&tree["blocks"], &mut text);
    words_of(&text)
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The share of `wanted` (counted as often as it occurs) found in `text`.
fn share_found(wanted: &[String], text: &str) -> (f64, Vec<String>) {
    let mut have: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for word in words_of(text) {
        *have.entry(word).or_default() += 1;
    }
    let mut missing = Vec::new();
    for word in wanted {
        match have.get_mut(word) {
            Some(count) if *count > 0 => *count -= 1,
            _ => missing.push(word.clone()),
        }
    }
    (1.0 - missing.len() as f64 / wanted.len().max(1) as f64, missing)
}

/// All 673 examples of the GFM spec, written to one Word file by pandoc
/// (each example parsed on its own), imported: what pandoc reads back from
/// the Word file must be in the contribution (99 %) and in its national
/// PDF (98.5 %), the bars the issue sets for real NCP files.
#[test]
fn the_words_pandoc_reads_from_a_word_file_reach_the_markdown_and_the_pdf() {
    let pandoc = pandoc();
    let package = copy_package(&sample());
    let dir = package.path();
    let sources = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(&pandoc);
    command.args(["--file-scope", "-f", "gfm", "-o"]).arg(dir.join("gfm.docx"));
    for (number, input) in crate::gfm::examples() {
        let file = sources.path().join(format!("{number:03}.md"));
        std::fs::write(&file, input).unwrap();
        command.arg(file);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let wanted = pandoc_words(&pandoc, &dir.join("gfm.docx"));
    assert!(wanted.len() > 1000, "{}", wanted.len());
    let output = emn_pub()
        .arg("import-docx")
        .arg(dir.join("gfm.docx"))
        .arg(dir)
        .args(["--country", "DE", "--force"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // The Markdown as a reader reads it: `foo*bar*` is the word "foobar".
    let markdown = std::fs::read_to_string(dir.join("contributions/DE.md")).unwrap();
    let body = markdown.splitn(3, "---\n").nth(2).unwrap_or_default();
    let parsed = emn_pub::load::markdown::parse(body, 1, "contributions/DE.md");
    let mut read = blocks_text(&parsed.blocks);
    for note in parsed.footnotes.values() {
        read.push_str(&blocks_text(note));
    }
    let (share, missing) = share_found(&wanted, &read);
    assert!(share >= 0.99, "{share:.4} of {} words in the Markdown; missing: {missing:?}", wanted.len());
    let out = dir.join("out.zip");
    emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--only", "DE", "--allow-incomplete", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = pdf_text(&unzip(&out)["national/DE.pdf"]);
    let (share, missing) = share_found(&wanted, &text);
    assert!(share >= 0.985, "{share:.4} of {} words in the PDF; missing: {missing:?}", wanted.len());
}

/// A picture Word stored as `media/my image (1).png` (a space and
/// parentheses, as a pasted file keeps its name) is printed: its Markdown
/// image parses, `validate` is clean and the PDF embeds it.
#[test]
fn a_picture_with_spaces_and_parentheses_in_its_name_is_printed() {
    let original = czech_word_file();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut renamed = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let name = entry.name().unwrap().replace("media/image1.png", "media/my image (1).png");
        if name.ends_with(".rels") {
            bytes =
                String::from_utf8(bytes).unwrap().replace("media/image1.png", "media/my image (1).png").into_bytes();
        }
        renamed.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        renamed.write_all(&bytes).unwrap();
    }
    let package = copy_package(&sample());
    let dir = package.path();
    let docx = dir.join("pasted.docx");
    std::fs::write(&docx, renamed.finish().unwrap().into_inner()).unwrap();
    emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", "CZ", "--force"]).assert().success();
    let markdown = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    assert!(markdown.contains("](../assets/CZ/my-image-1-.png)"), "{markdown}");
    assert!(dir.join("assets/CZ/my-image-1-.png").is_file());
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}");
    let out = dir.join("cz.zip");
    build_only(dir, "CZ", &out).success();
    let pdf = &unzip(&out)["national/CZ.pdf"];
    assert!(String::from_utf8_lossy(pdf).contains("/Image"), "the picture is embedded in the PDF");
    assert!(pdf_alt_texts(pdf).iter().any(|alt| alt.contains("Bar chart of permits by year")));
}
