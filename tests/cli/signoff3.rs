//! Sign-off, third round: national PDFs end with their last answer, in the
//! NCP's own language; Word files whose headings the NCP reworded import
//! clean; statistics of countries outside the package count nowhere.

use crate::support::*;

/// A Word file whose body is `body` (WordprocessingML paragraphs), with
/// the built-in heading styles and, when given, a language property.
pub fn word_file(body: &str, language: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
    </w:styles>"#;
    let language = language.map(|l| format!("<dc:language>{l}</dc:language>")).unwrap_or_default();
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>NCP</dc:creator>{language}<dcterms:modified>2025-04-30T09:15:00Z</dcterms:modified></cp:coreProperties>"#
    );
    let relationships = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let package_relationships = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    zip_of(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_relationships.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", relationships.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ])
}

pub fn heading(level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

pub fn para(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// The codes of a JSON report's diagnostics about one file.
fn codes_in(json: &serde_json::Value, file: &str) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_complete_contribution_ends_with_its_last_answer() {
    let package = copy_package(&sample());
    let dir = package.path();
    let out = dir.join("national.zip");
    build_only(dir, "national", &out).success();
    let entries = unzip(&out);
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let pdf = &entries[&format!("national/{country}.pdf")];
        let text = squeeze(&pdf_text(pdf));
        assert!(!text.contains(&squeeze("Additional information")), "{country}: no part of extra sections");
        // After the last question's heading, its answer and nothing of the template again.
        let last = &text[text.rfind(&squeeze("Q3.2 What challenges")).expect("Q3.2")..];
        for section in
            ["1 Legal and policy framework", "2 Implementation in practice", "3 Challenges and good practices"]
        {
            assert!(!last.contains(&squeeze(section)), "{country}: {section:?} after the last answer: {last}");
        }
        // The section headings are each printed once as a heading (and once in the contents).
        assert!(text.matches(&squeeze("Legal and policy framework")).count() <= 2, "{country}: {text}");
    }
}

#[test]
fn a_part_the_ncp_added_is_additional_information_and_text_under_a_section_heading_stays_there() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(
        dir,
        "contributions/BE.md",
        "# 2 Implementation in practice\n",
        "# 2 Implementation in practice\n\nThe Regions lead on this part.\n",
    );
    let contribution = std::fs::read_to_string(dir.join("contributions/BE.md")).unwrap();
    std::fs::write(
        dir.join("contributions/BE.md"),
        format!("{contribution}\n# Annex on sources\n\nAll sources were checked.\n"),
    )
    .unwrap();
    let out = dir.join("be.zip");
    build_only(dir, "BE", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/BE.pdf"]));
    // The last one: the contents lists it too.
    let additional = text.rfind(&squeeze("Additional information")).expect("the NCP's own part is printed");
    assert!(
        text[additional..].contains(&squeeze("Annex on sources"))
            && text[additional..].contains(&squeeze("All sources were checked."))
    );
    assert!(
        !text[additional..].contains(&squeeze("Implementation in practice")),
        "the template's section is not extra"
    );
    let regions =
        text.find(&squeeze("The Regions lead on this part.")).expect("text under a section heading is printed");
    assert!(
        regions < text.rfind(&squeeze("Q2.1 Which authority")).unwrap(),
        "…under its section, before its questions"
    );
}

/// A Word file as an NCP sends it: question headings shortened, prefixed
/// with "Question" or "Otázka", translated, or numbered only.
fn reworded_word_file() -> Vec<u8> {
    reworded_word_file_in(Some("cs"))
}

fn reworded_word_file_in(language: Option<&str>) -> Vec<u8> {
    [
        heading(1, "1 Právní a politický rámec"),
        heading(2, "Question 1.1 National strategy or legal framework"),
        para("Yes. The Employment Act applies."),
        heading(2, "Otázka 1.2 Popište hlavní právní předpisy"),
        para("Zákon o pobytu cizinců a zákon o zaměstnanosti."),
        heading(1, "2 Implementation"),
        heading(2, "2.1"),
        para("Ministerstvo vnitra, s úřadem práce."),
        heading(2, "Q2.2 How are the measures implemented"),
        para("Through the Employee Card procedure."),
        heading(1, "3 Challenges"),
        heading(2, "3.2 Výzvy a osvědčené postupy"),
        para("Čekací doby na ambasádách."),
    ]
    .concat()
    .into_bytes()
    .pipe(|body| word_file(std::str::from_utf8(&body).unwrap(), language))
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

#[test]
fn a_word_file_with_reworded_question_headings_imports_to_a_contribution_that_validates() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::remove_file(dir.join("contributions/CZ.md")).unwrap();
    let docx = dir.join("CZ.docx");
    std::fs::write(&docx, reworded_word_file()).unwrap();
    let output = emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", "CZ"]).output().unwrap();
    let report = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{report}");
    let markdown = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    for id in ["Q1.1", "Q1.2", "Q2.1", "Q2.2", "Q3.2"] {
        assert_eq!(markdown.matches(&format!("## {id} ")).count(), 1, "{id} opens one answer:\n{markdown}");
        assert!(!markdown.contains(&format!("### {id}")), "no second heading for {id}:\n{markdown}");
    }
    assert!(markdown.contains("## Q1.2 Popište hlavní právní předpisy"), "the NCP's words are kept:\n{markdown}");
    assert!(!markdown.contains("###"), "no heading inside an answer:\n{markdown}");
    assert!(report.contains("Otázka 1.2"), "the report names the reworded heading: {report}");
    let (_, json) = validate_json(dir);
    let codes = codes_in(&json, "contributions/CZ.md");
    for bad in ["empty-answer", "duplicate-answer", "bad-choice", "bad-yes-no", "unknown-question"] {
        assert!(!codes.iter().any(|c| c == bad), "{bad} in {codes:?}\n{markdown}\n{json:#}");
    }
    let out = dir.join("cz.zip");
    build_only(dir, "CZ", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/CZ.pdf"]));
    assert!(
        !text.contains(&squeeze("Additional information")) && !text.contains(&squeeze("Další informace")),
        "{text}"
    );
}

/// As python-docx writes one: no language property, short Czech answers
/// ("Ano.", "Ministerstvo vnitra."): the language is read from the text.
#[test]
fn a_czech_word_file_without_a_language_property_imports_clean() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::remove_file(dir.join("contributions/CZ.md")).unwrap();
    let docx = dir.join("CZ.docx");
    let body = [
        heading(1, "1 Právní a politický rámec"),
        heading(2, "Otázka 1.1 Národní strategie"),
        para("Ano. Zákon o zaměstnanosti platí."),
        heading(2, "Question 1.2 Legal provisions"),
        para("Zákon o pobytu cizinců."),
        heading(1, "2 Provádění"),
        heading(2, "2.1"),
        para("Ministerstvo vnitra."),
        heading(2, "Q2.2 How are the measures implemented"),
        para("Přes zaměstnanecké karty."),
        heading(2, "3.1"),
        para("Ne."),
        heading(2, "Otázka 3.2"),
        para("Čekací doby."),
    ]
    .concat();
    std::fs::write(&docx, word_file(&body, None)).unwrap();
    let output = emn_pub().arg("import-docx").arg(&docx).arg(dir).args(["--country", "CZ"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let markdown = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    assert!(markdown.contains("language: cs"), "{markdown}");
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}\n{markdown}");
}

#[test]
fn a_country_outside_the_package_is_a_warning_and_counted_nowhere() {
    let package = copy_package(&sample());
    let dir = package.path();
    let tidy = std::fs::read_dir(dir.join("statistics"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.starts_with("indicator,country")))
        .expect("a tidy statistics file in the sample");
    let text = std::fs::read_to_string(&tidy).unwrap();
    let row = text.lines().nth(1).unwrap().to_string();
    let fields: Vec<&str> = row.split(',').collect();
    let foreign = format!("{},LU,{},987654321,{}", fields[0], fields[2], fields[4..].join(","));
    std::fs::write(&tidy, format!("{}\n{foreign}\n", text.trim_end())).unwrap();
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "a warning, not an error: {json:#}");
    find_diagnostic(&json, |d| d["code"] == "country-not-in-package" && d["severity"] == "warning")
        .unwrap_or_else(|| panic!("{json:#}"));
    let out = dir.join("all.zip");
    emn_pub().arg("build-package").arg(dir).arg("--out").arg(&out).assert().success();
    // What the bundle publishes: its sources/ are the package as given.
    for (path, bytes) in unzip(&out).into_iter().filter(|(path, _)| !path.starts_with("sources/")) {
        let shown = if path.ends_with(".pdf") {
            squeeze(&pdf_text(&bytes)).replace(' ', "")
        } else {
            String::from_utf8_lossy(&bytes).to_string()
        };
        assert!(
            !shown.contains(&squeeze("987654321")) && !shown.contains(&squeeze("Luxembourg")),
            "{path} shows the row"
        );
    }
}

#[test]
fn a_national_pdf_in_the_ncps_language_has_no_english_labels() {
    let package = copy_package(&sample());
    let dir = package.path();
    let template = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    for (country, lang) in [("CZ", "cs"), ("DE", "de"), ("BE", "fr"), ("SE", "pl")] {
        let text = template
            .replace("country: AT", &format!("country: {country}"))
            .replace("language: en", &format!("language: {lang}"))
            // CZ keeps the wording new-contribution writes: the tool's, so translated.
            .replace(
                "ncp: EMN National Contact Point Austria",
                if country == "CZ" { "ncp: EMN National Contact Point Czechia" } else { "ncp: EMN NCP" },
            );
        // Yes/No in the contribution's language is read; English is too.
        std::fs::write(dir.join(format!("contributions/{country}.md")), text).unwrap();
    }
    // One answer missing, so a gap notice is printed too.
    let out = dir.join("n.zip");
    build_only(dir, "national", &out).success();
    let entries = unzip(&out);
    for (country, own) in [
        ("CZ", "Národní příspěvek"),
        ("DE", "Nationaler Beitrag"),
        ("BE", "Contribution nationale"),
        ("SE", "Wkład krajowy"),
    ] {
        let text = squeeze(&pdf_text(&entries[&format!("national/{country}.pdf")]));
        for english in ["National Contribution", "National Contact Point", "Additional information", "Contents"] {
            assert!(!text.contains(&squeeze(english)), "{country}: {english:?} in {text}");
        }
        assert!(text.contains(&squeeze(own)), "{country}: {own:?}");
    }
    let czech = squeeze(&pdf_text(&entries["national/CZ.pdf"]));
    assert!(czech.contains(&squeeze("Česko")) && czech.contains(&squeeze("Obsah")), "{czech}");
}

#[test]
fn a_czech_choice_answer_opening_with_a_czech_option_is_accepted() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/CZ.md", "language: en", "language: cs");
    open_answer_with(dir, "contributions/CZ.md", "## Q2.1", "Ministerstvo vnitra, odbor azylové a migrační politiky.");
    let (_, json) = validate_json(dir);
    assert!(find_diagnostic(&json, |d| d["code"] == "bad-choice").is_none(), "{json:#}");
    // Counted as the template's option in the synthesis.
    let out = dir.join("s.zip");
    build_only(dir, "synthesis", &out).success();
    assert!(unzip(&out).contains_key("synthesis-report-draft.pdf"), "--only synthesis works");
}

#[test]
fn bad_yes_no_underlines_exactly_the_word_it_rejects() {
    let package = copy_package(&sample());
    let dir = package.path();
    open_answer_with(dir, "contributions/AT.md", "## Q1.1", "  **Maybe** the Act applies.");
    let (_, json) = validate_json(dir);
    let diagnostic = find_diagnostic(&json, |d| d["code"] == "bad-yes-no").expect("bad-yes-no");
    let line = edited_line(&std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap(), "**Maybe**");
    assert_eq!(diagnostic["line"], line, "{diagnostic}");
    assert_eq!(diagnostic["column"], 5, "under the M of Maybe: {diagnostic}");
    let output = emn_pub().arg("validate").arg(dir).output().unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    let at = report.lines().position(|l| l.contains("**Maybe** the Act")).expect("excerpt");
    let carets = report.lines().nth(at + 1).unwrap();
    assert_eq!(carets.matches('^').count(), "Maybe".len(), "{report}");
}

fn edited_line(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_flash_never_says_1_countries_and_only_names_what_it_takes() {
    let package = copy_package(&sample());
    let dir = package.path();
    for country in ["BE", "DE", "EL", "AT", "SE", "NO"] {
        std::fs::remove_file(dir.join(format!("contributions/{country}.md"))).unwrap();
    }
    let out = dir.join("f.zip");
    emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--only", "flash", "--allow-incomplete", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = squeeze(&pdf_text(&unzip(&out)["flash.pdf"])).to_lowercase();
    assert!(!text.contains(&squeeze("1 countries")), "{text}");
    let output = emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--allow-incomplete", "--only", "nothing-such"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    for name in ["national-contribution", "synthesis-report-draft", "synthesis-report-draft-word", "flash"] {
        assert!(error.contains(name), "the error lists {name}: {error}");
    }
}

#[test]
fn a_bulletin_theme_left_with_only_its_heading_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("bulletin");
    emn_pub().arg("init").arg(&package).args(["--kind", "bulletin"]).assert().success();
    emn_pub().arg("new-contribution").arg(&package).args(["--country", "CZ"]).assert().success();
    open_answer_with(
        &package,
        "contributions/CZ.md",
        "## B1",
        "On 3 July the government extended temporary protection.",
    );
    let (_, json) = validate_json(&package);
    let empty: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "empty-theme").collect();
    assert_eq!(empty.len(), 7, "every theme but the answered one: {json:#}");
    assert!(empty.iter().all(|d| d["severity"] == "warning" && d["line"].as_u64().is_some()));
}

#[test]
fn deny_warnings_says_why_it_fails_even_when_quiet() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/SE.md", "# Key findings\n", "# Key findings\n\nNo illegal migrant was counted.\n");
    let output = emn_pub().arg("-q").arg("validate").arg("--deny-warnings").arg(dir).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 warning denied by --deny-warnings"), "{stderr}");
    let output = emn_pub().arg("validate").arg(dir).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "a warning alone passes");
}

/// The README's claim about the Inform: key findings in full when they fit,
/// else each country's first paragraph cut at 70 words.
#[test]
fn an_inform_too_long_in_full_prints_each_countrys_first_paragraph_cut_at_70_words() {
    let package = copy_package(&sample());
    let dir = package.path();
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let first = format!("Opening{country} {}", "finding ".repeat(99));
        let rest = format!("Later{country} {}\n\n", "detail ".repeat(99)).repeat(14);
        replace(
            dir,
            &format!("contributions/{country}.md"),
            "# Key findings\n",
            &format!("# Key findings\n\n{first}\n\n{rest}"),
        );
    }
    let out = dir.join("inform.zip");
    build_only(dir, "inform,html/inform.html", &out).success();
    let entries = unzip(&out);
    let text = normalise(&pdf_text(&entries["inform.pdf"]));
    // The web page shows the setting the PDF has, its words in reading order
    // (the PDF's two columns may interleave when its text is extracted).
    let page = String::from_utf8(entries["html/inform.html"].clone()).unwrap();
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        assert!(text.contains(&format!("Opening{country}")), "{country}'s first paragraph");
        assert!(!text.contains(&format!("Later{country}")), "{country}: only the first paragraph");
        assert!(!page.contains(&format!("Later{country}")), "{country}: only the first paragraph on the web page");
        // The opening word and 69 of "finding", then the ellipsis.
        let from = page.find(&format!("Opening{country}")).unwrap();
        let cut = from + page[from..].find(" …").expect("an ellipsis marks the cut");
        let excerpt = &page[from..cut];
        assert_eq!(excerpt.matches("finding").count(), 69, "{country}: cut at 70 words: {excerpt}");
    }
}

#[test]
fn a_heading_the_template_no_longer_asks_is_a_warning() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(
        dir,
        "contributions/AT.md",
        "## Q2.1 Which authority is mainly responsible for implementing the measures?",
        "## Q2.1 Which ministry drafted the law?",
    );
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "a warning: {json:#}");
    let stale = find_diagnostic(&json, |d| d["code"] == "stale-heading").expect("stale-heading");
    assert_eq!(stale["file"], "contributions/AT.md");
    assert!(stale["message"].as_str().unwrap().contains("Which authority is mainly responsible"), "{stale}");
    assert_eq!(json["warnings"], 1, "shortened headings are not stale: {json:#}");
}

#[test]
fn a_gap_notice_in_the_word_draft_has_a_style_of_its_own() {
    let package = copy_package(&sample());
    let dir = package.path();
    let contribution = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    let start = contribution.find("## Q2.2").unwrap();
    let end = start + contribution[start..].find("\n# ").unwrap();
    std::fs::write(dir.join("contributions/AT.md"), format!("{}{}", &contribution[..start], &contribution[end..]))
        .unwrap();
    let out = dir.join("w.zip");
    emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--allow-incomplete", "--only", "synthesis-report-draft-word", "--out"])
        .arg(&out)
        .assert()
        .success();
    let docx = unzip_bytes(&unzip(&out)["synthesis-report-draft.docx"]);
    let document = String::from_utf8_lossy(&docx["word/document.xml"]);
    let gap = document.find("No answer received from AT.").expect("the gap notice");
    let paragraph = &document[document[..gap].rfind("<w:p>").unwrap()..gap];
    assert!(paragraph.contains("w:val=\"GapNotice\""), "not a Normal paragraph: {paragraph}");
    assert!(String::from_utf8_lossy(&docx["word/styles.xml"]).contains("w:styleId=\"GapNotice\""));
}
