//! Sign-off, fourth round: a changes report an editor can sign against,
//! dates in each language, and the rest of the editors' list.

use crate::support::*;

#[test]
fn a_german_contributions_cover_writes_its_date_in_german() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/DE.md", "language: en", "language: de");
    replace(dir, "contributions/DE.md", "date: 2025-", "date: 2026-05-20\nold-date: 2025-");
    let text = std::fs::read_to_string(dir.join("contributions/DE.md")).unwrap();
    let text: String = text.lines().filter(|l| !l.starts_with("old-date")).map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("contributions/DE.md"), text).unwrap();
    let out = dir.join("b.zip");
    build_only(dir, "national/DE.pdf", &out).success();
    let cover = pdf_page_text(&unzip(&out)["national/DE.pdf"], 1);
    assert!(squeeze(&cover).contains(&squeeze("20. Mai 2026")), "{cover}");
    assert!(!cover.contains("2026-05-20"), "no ISO date on the cover: {cover}");
}

#[test]
fn a_contribution_without_key_findings_is_warned_of_and_named_in_the_synthesis() {
    let package = copy_package(&sample());
    let dir = package.path();
    let text = std::fs::read_to_string(dir.join("contributions/NO.md")).unwrap();
    let start = text.find("# Key findings").unwrap();
    let end = start + text[start..].find("\n# 1").unwrap() + 1;
    std::fs::write(dir.join("contributions/NO.md"), format!("{}{}", &text[..start], &text[end..])).unwrap();
    let (_, json) = validate_json(dir);
    find_diagnostic(&json, |d| d["code"] == "missing-key-findings" && d["file"] == "contributions/NO.md")
        .unwrap_or_else(|| panic!("a warning: {json:#}"));
    let out = dir.join("b.zip");
    build_only(dir, "synthesis", &out).success();
    let synthesis = squeeze(&pdf_text(&unzip(&out)["synthesis-report-draft.pdf"]));
    assert!(synthesis.contains(&squeeze("No key findings received from Norway.")), "by name");
    assert!(!synthesis.contains(&squeeze("received from NO.")), "not by code");
}

#[test]
fn note_and_format_links_have_names_a_screen_reader_tells_apart() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let page = String::from_utf8(unzip(&out)["html/national/CZ.html"].clone()).unwrap();
    for note_link in page.split("<sup class=\"note-ref\">").skip(1) {
        let link = note_link.split("</sup>").next().unwrap();
        assert!(link.contains("aria-label=\"Notes: "), "a note link says what it is: {link}");
    }
    let formats = page.split("<p class=\"formats\">").nth(1).unwrap().split("</p>").next().unwrap();
    for link in formats.split("<a ").skip(1) {
        assert!(link.contains("<span class=\"visually-hidden\">: "), "a format link says whose it is: {link}");
    }
}

#[test]
fn a_situational_reports_second_edition_lists_every_change() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("report");
    emn_pub().args(["-q", "init"]).arg(&dir).args(["--kind", "situational-report"]).assert().success();
    let update = |code: &str, status: &str, date: &str, words: &str| {
        write(
            &dir,
            &format!("contributions/{code}.md"),
            &format!(
                "---\ncountry: {code}\nncp: EMN NCP\nstatus: {status}\ndate: {date}\nlanguage: en\n---\n\n## S1\n\n{words}\n"
            ),
        );
    };
    update("LT", "draft", "2026-03-01", "Arrivals rose to 4 120 in nine weeks.");
    update("LV", "final", "2026-03-02", "Reception centres are full.");
    replace(&dir, "emn.toml", "countries = []", "countries = [\"LT\", \"LV\"]");
    write(&dir, "eu.md", "At EU level 4 120 arrivals were counted in nine weeks.\n");
    let first = outer.path().join("ed1.zip");
    emn_pub().arg("build-package").arg(&dir).arg("--out").arg(&first).assert().success();

    update("LT", "final", "2026-03-20", "Arrivals rose to 5 010 in ten weeks.");
    write(&dir, "eu.md", "At EU level 5 010 arrivals were counted in ten weeks.\n");
    replace(&dir, "emn.toml", "title = \"EMN Situational Report\"", "title = \"EMN Situational Report: arrivals\"");
    let manifest = std::fs::read_to_string(dir.join("emn.toml")).unwrap();
    let as_of = manifest.lines().find(|l| l.starts_with("as-of")).unwrap().to_string();
    replace(&dir, "emn.toml", &as_of, "as-of = 2026-03-25");
    replace(&dir, "emn.toml", "edition = 1", "edition = 2");
    let second = outer.path().join("ed2.zip");
    emn_pub().arg("build-package").arg(&dir).arg("--since").arg(&first).arg("--out").arg(&second).assert().success();
    let entries = unzip(&second);
    let report = squeeze(&pdf_text(&entries["changes.pdf"])).to_lowercase();
    for expected in [
        "eu.md",
        "[+ 5 010 +]",
        "[+ ten +]",
        "status (front matter)",
        "date (front matter)",
        "the package's title",
        "the package's as-of date",
        "the package's edition",
        "edition 1, as of 7 December 2026",
    ] {
        assert!(report.contains(&squeeze(expected).to_lowercase()), "changes.pdf lacks {expected:?}: {report}");
    }
    let page = String::from_utf8(entries["html/changes.html"].clone()).unwrap();
    let listed = |label: &str| changes_listed(&page, label);
    assert!(listed("Changed").contains("Lithuania"), "{page}");
    assert!(!listed("Unchanged").contains("Lithuania"), "a changed country is not unchanged");
    assert_eq!(listed("Unchanged"), "Latvia");
}

#[test]
fn a_bundle_built_since_another_rebuilds_from_its_own_zip_to_the_same_bytes() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("package");
    copy_tree(&sample(), &dir);
    let epoch = "1767225600";
    let first = outer.path().join("ed1.zip");
    emn_pub()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("build-package")
        .arg(&dir)
        .arg("--out")
        .arg(&first)
        .assert()
        .success();
    replace(&dir, "contributions/CZ.md", "Applications\nare lodged at embassies", "Applications\nare lodged online");
    let second = outer.path().join("ed2.zip");
    emn_pub()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("build-package")
        .arg(&dir)
        .arg("--since")
        .arg(&first)
        .arg("--out")
        .arg(&second)
        .assert()
        .success();
    let entries = unzip(&second);
    let manifest: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest["compared-with"], "ed1.zip", "the manifest says what it compared with");
    assert!(entries.contains_key("since/manifest.json") && entries.contains_key("since/sources/contributions/CZ.md"));
    let again = outer.path().join("again.zip");
    emn_pub()
        .env("SOURCE_DATE_EPOCH", epoch)
        .arg("build-package")
        .arg(&second)
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    let rebuilt = unzip(&again);
    assert!(rebuilt.contains_key("changes.pdf") && rebuilt.contains_key("html/changes.html"), "the report is rebuilt");
    assert!(std::fs::read(&second).unwrap() == std::fs::read(&again).unwrap(), "rebuilt to the same bytes");
}

/// A skeleton's comments replaced by answers: "Ano." / "Yes." for a
/// yes-no question, the first option for a choice, words for the rest.
pub fn answered_skeleton(skeleton: &str, yes: &str) -> String {
    let mut out = String::new();
    let mut question = String::new();
    for line in skeleton.lines() {
        if line.starts_with('#') {
            question = line.to_string();
        }
        if let Some(comment) = line.strip_prefix("<!-- ") {
            let answer = if comment.contains(&format!(" {yes},")) || comment.contains(&format!(" {yes} ")) {
                format!("{yes}. The answer to {question}.")
            } else if let Some(options) = comment.split(": ").nth(1).filter(|_| comment.contains(';')) {
                format!("{}. The answer to {question}.", options.split(';').next().unwrap().trim())
            } else {
                format!("The answer to {question}, in words.")
            };
            out.push_str(&answer.replace('#', ""));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// A new study `name` in `outer` with Czechia's contribution scaffolded in
/// Czech (`extra`: more arguments, `--docx`).
fn czech_study(outer: &std::path::Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let dir = outer.join(name);
    emn_pub().args(["-q", "init"]).arg(&dir).args(["--kind", "study"]).assert().success();
    emn_pub()
        .args(["-q", "new-contribution"])
        .arg(&dir)
        .args(["--country", "CZ", "--language", "cs"])
        .args(extra)
        .assert()
        .success();
    dir
}

#[test]
fn new_contribution_in_czech_writes_czech_headings_that_validate_accepts() {
    let outer = tempfile::tempdir().unwrap();
    let dir = czech_study(outer.path(), "study", &[]);
    let skeleton = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    assert!(skeleton.contains("language: cs\n") && skeleton.contains("# Hlavní zjištění"), "{skeleton}");
    assert!(skeleton.contains("## Q1.1 Má váš členský stát"), "Czech question headings: {skeleton}");
    assert!(!skeleton.contains("Does your Member State"), "no English heading left: {skeleton}");
    std::fs::write(dir.join("contributions/CZ.md"), answered_skeleton(&skeleton, "Ano")).unwrap();
    write(&dir, "summary-cs.md", "---\ntitle: Shrnutí studie\nlanguage: cs\n---\n\n# Shrnutí\n\nText shrnutí.\n");
    replace(&dir, "emn.toml", "title = \"Title of the study\"", "title = \"Labour shortages\"");
    let (_, json) = validate_json(&dir);
    let problems: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "contributions/CZ.md" && d["code"] != "missing-table-data")
        .collect();
    assert!(problems.is_empty(), "validate accepts the Czech contribution: {problems:#?}");
    emn_pub().args(["new-contribution"]).arg(&dir).args(["--country", "AT", "--language", "zz"]).assert().code(2);
}

/// The answer written under each question of a skeleton (and under its
/// key findings): by the heading's first word.
fn answer_for(heading_id: &str) -> String {
    match heading_id {
        "Q1.1" | "Q3.1" => format!("Ano. Odpověď na {heading_id}."),
        "Q2.1" => format!("Ministerstvo vnitra. Odpověď na {heading_id}."),
        id => format!("Odpověď na {id}, celými větami."),
    }
}

#[test]
fn a_word_template_filled_in_imports_to_the_contribution_new_contribution_writes() {
    let outer = tempfile::tempdir().unwrap();
    let dir = czech_study(outer.path(), "study", &["--docx"]);
    let template = std::fs::read(dir.join("word-templates/CZ.docx")).unwrap();
    assert!(!dir.join("contributions/CZ.md").exists(), "the Word template only");
    // The NCP writes each answer in a paragraph of its own below what to
    // write, as in Word: a `w:p` after each editorial note.
    let filled = crate::hostile3::rewrite_document(&template, |xml| {
        let mut out = String::new();
        let mut heading = String::new();
        let mut rest = xml;
        while let Some(at) = rest.find("<w:p>").or_else(|| rest.find("<w:p ")) {
            let end = at + rest[at..].find("</w:p>").unwrap() + "</w:p>".len();
            let paragraph = &rest[at..end];
            out.push_str(&rest[..end]);
            let words: String = paragraph
                .split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, after)| after.split("</w:t>").next().unwrap_or("")))
                .collect();
            if paragraph.contains("w:val=\"Heading") {
                heading = words.split(' ').next().unwrap_or("").to_string();
            }
            if paragraph.contains("w:val=\"EditorialNote\"") {
                out.push_str(&format!(
                    "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                    answer_for(&heading)
                ));
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    });
    let docx = outer.path().join("CZ-filled.docx");
    std::fs::write(&docx, filled).unwrap();
    emn_pub().arg("import-docx").arg(&docx).arg(&dir).args(["--country", "CZ"]).assert().success();
    let imported = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();

    // What new-contribution writes, with the same answers below each comment.
    let other = czech_study(outer.path(), "other", &[]);
    let skeleton = std::fs::read_to_string(other.join("contributions/CZ.md")).unwrap();
    let mut expected = String::new();
    let mut heading = String::new();
    for line in skeleton.lines() {
        expected.push_str(line);
        expected.push('\n');
        if line.starts_with('#') {
            heading = line.trim_start_matches('#').trim().split(' ').next().unwrap_or("").to_string();
        }
        if line.starts_with("<!--") {
            expected.push_str(&format!("\n{}\n", answer_for(&heading)));
        }
    }
    assert_eq!(imported.trim_end(), expected.trim_end(), "the same Markdown");

    write(&dir, "summary-cs.md", "---\ntitle: Shrnutí studie\nlanguage: cs\n---\n\n# Shrnutí\n\nText shrnutí.\n");
    let (_, json) = validate_json(&dir);
    let problems: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["file"] == "contributions/CZ.md").collect();
    assert!(problems.is_empty(), "every answer in place: {problems:#?}");
}

#[test]
fn the_czech_summarys_terms_cite_their_sources_in_czech() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "summary-cs", &out).success();
    let text = normalise(&pdf_text(&unzip(&out)["summary-cs.pdf"]));
    let terms = text.split("Použité pojmy").nth(1).expect("the terms used");
    assert!(terms.contains("Glosář azylu a migrace EMN"), "{terms}");
    for english in ["EMN Asylum and Migration Glossary", "Directive", "Regulation", "Art. "] {
        assert!(!terms.contains(english), "English {english:?} in the Czech terms: {terms}");
    }
}

#[test]
fn a_pdf_statistics_table_heads_each_row_with_its_country() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "statistical-annex.pdf", &out).success();
    let pdf = lopdf::Document::load_mem(&unzip(&out)["statistical-annex.pdf"]).unwrap();
    let scope_of = |dictionary: &lopdf::Dictionary| -> Option<Vec<u8>> {
        let attributes = dictionary.get(b"A").ok()?;
        let attributes = match attributes {
            lopdf::Object::Reference(id) => pdf.get_object(*id).ok()?,
            other => other,
        };
        let list: Vec<&lopdf::Object> = match attributes {
            lopdf::Object::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        list.into_iter().find_map(|item| {
            let item = match item {
                lopdf::Object::Reference(id) => pdf.get_object(*id).ok()?,
                other => other,
            };
            item.as_dict().ok()?.get(b"Scope").ok()?.as_name().ok().map(<[u8]>::to_vec)
        })
    };
    let headers: Vec<Option<Vec<u8>>> = pdf
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|d| d.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"TH".as_slice()))
        .map(scope_of)
        .collect();
    let rows = headers.iter().filter(|scope| scope.as_deref() == Some(b"Row".as_slice())).count();
    // Seven countries in each of the annex's two tables.
    assert!(rows >= 14, "row headers: {rows} of {} header cells", headers.len());
}

#[test]
fn a_contribution_gets_the_templates_words_in_its_own_language_or_english_marked_as_such() {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/CZ.md", "language: en", "language: cs");
    replace(dir, "contributions/AT.md", "language: en", "language: pl");
    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--allow-incomplete").arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let czech = squeeze(&pdf_text(&entries["national/CZ.pdf"]));
    assert!(czech.contains(&squeeze("Q1.1 Má váš členský stát")), "the template's Czech question");
    assert!(!czech.contains(&squeeze("Q1.1 Does your Member State")), "not its English");
    // No Polish words in the template: English, marked as English in the
    // page's contents and headings.
    let polish = String::from_utf8(entries["html/national/AT.html"].clone()).unwrap();
    let nav = polish.split("<nav class=\"contents\"").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(nav.contains("lang=\"en\">Q1.1 Does your Member State"), "{nav}");
    assert!(polish.contains("lang=\"en\">Q1.1 Does your Member State"), "the heading too");
}

#[test]
fn the_synthesis_numbers_its_notes_alike_in_every_edition() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    // The web page: each answer's notes from 1.
    let page = String::from_utf8(entries["html/synthesis-report-draft.html"].clone()).unwrap();
    let starts: Vec<&str> = page.split("<ol start=\"").skip(1).map(|rest| rest.split('"').next().unwrap()).collect();
    assert!(starts.len() > 1 && starts.iter().all(|start| *start == "1"), "{starts:?}");
    let web_numbers: Vec<usize> = page
        .split("<li id=\"fn")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    // The Word draft: the same numbers, in the same order, after each answer.
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let word_numbers: Vec<usize> = document
        .split("<w:pStyle w:val=\"FootnoteText\"/>")
        .skip(1)
        .filter_map(|rest| {
            let text = rest.split("<w:t").nth(1)?.split_once('>')?.1;
            text.split('.').next()?.trim().parse().ok()
        })
        .collect();
    assert_eq!(word_numbers, web_numbers, "the Word draft numbers its notes as the web page does");
    // The PDF: each note printed after its answer with the same number.
    let pdf = normalise(&pdf_text(&entries["synthesis-report-draft.pdf"]));
    assert!(pdf.contains("1. National legislation database"), "per answer, from 1");
}
