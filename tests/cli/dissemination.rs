//! What is not for the public stays out of what is published: both
//! editions of packages holding restricted contributions and answers,
//! comments and drafts, each with a unique marker word, read back file by
//! file — PDF text and metadata, Word and workbook parts, pages, CSV,
//! manifest — as a reader or a crawler would.

use std::path::Path;

use crate::support::*;

/// Every text a reader or a program could get from a bundle, by file:
/// each zip member, each part of the Word and Excel files inside, and each
/// PDF's extracted text and its metadata.
fn everything_readable(bundle: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, bytes) in unzip(bundle) {
        out.push((path.clone(), String::from_utf8_lossy(&bytes).into_owned()));
        if path.ends_with(".docx") || path.ends_with(".xlsx") {
            for (part, inner) in unzip_bytes(&bytes) {
                out.push((format!("{path}/{part}"), String::from_utf8_lossy(&inner).into_owned()));
            }
        }
        if path.ends_with(".pdf") {
            out.push((format!("{path} (text)"), pdf_text(&bytes)));
            let document = lopdf::Document::load_mem(&bytes).unwrap();
            let info = document
                .trailer
                .get(b"Info")
                .and_then(|i| i.as_reference())
                .and_then(|r| document.get_dictionary(r))
                .map(|d| format!("{d:?}"))
                .unwrap_or_default();
            out.push((format!("{path} (metadata)"), info));
        }
    }
    out
}

fn holding<'a>(files: &'a [(String, String)], marker: &str) -> Vec<&'a str> {
    files.iter().filter(|(_, text)| squeeze(text).contains(&squeeze(marker))).map(|(path, _)| path.as_str()).collect()
}

fn build(dir: &Path, out: &Path, public: bool) -> std::process::Output {
    let mut command = emn_pub();
    command.arg("build-package").arg(dir).arg("--out").arg(out);
    if public {
        command.args(["--edition", "public", "--allow-incomplete"]);
    }
    command.output().unwrap()
}

#[test]
fn no_restricted_word_or_comment_reaches_any_file_of_the_public_edition() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("study");
    copy_tree(&sample(), &dir);
    // Austria answers for the network only; Czechia restricts one answer
    // with its note; Belgium leaves a comment; Sweden's is a draft.
    replace(&dir, "contributions/AT.md", "language: en\n", "language: en\ndissemination: network\n");
    open_answer_with(&dir, "contributions/AT.md", "## Q2.2", "The whole reply zyqwaustria stays inside the network.");
    open_answer_with(&dir, "contributions/AT.md", "# Key findings", "Key finding zyqwaustriakey for the network.");
    let austria = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    std::fs::write(dir.join("contributions/AT.md"), format!("{austria}\n# Remarks zyqwaustriaheading\n\nOwn words.\n"))
        .unwrap();
    replace(
        &dir,
        "contributions/CZ.md",
        "## Q2.2 How are the measures implemented in practice? Please give examples and figures where available.\n",
        "## Q2.2 How are the measures implemented in practice? Please give examples and figures where available.\n<!-- dissemination: network -->\n\nThe ministry's memo zyqwczechia says so.[^memo]\n\n[^memo]: Internal memo zyqwczechianote.\n",
    );
    // Czechia's key findings too, marked under their heading.
    replace(
        &dir,
        "contributions/CZ.md",
        "# Key findings\n",
        "# Key findings\n<!-- dissemination: network -->\n\nFinding zyqwczechiakey.\n",
    );
    open_answer_with(
        &dir,
        "contributions/BE.md",
        "## Q2.2",
        "<!-- INTERNAL zyqwcomment from the ministry, do not publish -->\nPublished words.",
    );
    replace(&dir, "contributions/SE.md", "status: final", "status: draft");
    open_answer_with(&dir, "contributions/SE.md", "## Q2.2", "Draft words zyqwdraft.");

    let (code, json) = validate_json(&dir);
    assert_eq!(code, Some(0), "both kinds of restriction validate: {json:#}");
    let network = outer.path().join("network.zip");
    let built = build(&dir, &network, false);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let public = outer.path().join("public.zip");
    // A draft is refused by the public edition, then built and marked.
    let refused =
        emn_pub().arg("build-package").arg(&dir).args(["--edition", "public", "--out"]).arg(&public).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("draft-in-public-edition"));
    assert!(!public.exists());
    let built = build(&dir, &public, true);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

    let network_files = everything_readable(&network);
    let public_files = everything_readable(&public);
    for marker in [
        "zyqwaustria",
        "zyqwaustriakey",
        "zyqwaustriaheading",
        "zyqwczechia",
        "zyqwczechianote",
        "zyqwczechiakey",
        "zyqwcomment",
    ] {
        assert_eq!(holding(&public_files, marker), Vec::<&str>::new(), "{marker} in the public edition");
    }
    for marker in ["zyqwaustria", "zyqwaustriakey", "zyqwczechia", "zyqwczechianote", "zyqwczechiakey"] {
        let found = holding(&network_files, marker);
        assert!(found.iter().any(|p| p.ends_with("(text)")), "{marker} printed in the network edition: {found:?}");
    }
    // The comment is printed nowhere; only the network's sources hold it.
    let comment = holding(&network_files, "zyqwcomment");
    assert!(comment.iter().all(|p| p.starts_with("sources/")), "{comment:?}");
    assert!(!public_files.iter().any(|(p, _)| p.starts_with("sources/")), "the public edition carries no sources");

    // The draft is printed in both editions, marked as a draft.
    for files in [&network_files, &public_files] {
        let synthesis = &files.iter().find(|(p, _)| p == "synthesis-report-draft.pdf (text)").unwrap().1;
        assert!(squeeze(synthesis).contains("zyqwdraft"));
        assert!(squeeze(synthesis).contains(&squeeze("Sweden (draft answer)")), "the draft is marked");
    }
    // Austria still counts: its answers are there as withheld, in every edition of the synthesis.
    let text = |files: &[(String, String)], path: &str| -> String {
        files.iter().find(|(p, _)| p == path).map(|(_, t)| squeeze(t)).unwrap_or_default()
    };
    let public_synthesis = text(&public_files, "synthesis-report-draft.pdf (text)");
    assert!(public_synthesis.contains(&squeeze("This answer is for the EMN network only and is not published.")));
    assert!(public_synthesis.contains(&squeeze("Answered, not for publication")), "the closed answer counts");
    let public_page = text(&public_files, "html/synthesis-report-draft.html");
    assert!(public_page.contains(&squeeze("This answer is for the EMN network only and is not published.")));
    let public_word = text(&public_files, "synthesis-report-draft.docx/word/document.xml");
    assert!(public_word.contains(&squeeze("This answer is for the EMN network only and is not published.")));
    assert!(!public_files.iter().any(|(p, _)| p == "national/AT.pdf"), "no national PDF of a restricted reply");
    let network_synthesis = text(&network_files, "synthesis-report-draft.pdf (text)");
    assert!(network_synthesis.contains(&squeeze("For the EMN network only: not for publication.")), "marked");
    let network_at = text(&network_files, "national/AT.pdf (text)");
    assert!(network_at.matches(&squeeze("For the EMN network only")).count() >= 2, "marked on its pages");

    // The network edition rebuilds from its own zip to the same bytes.
    let again = outer.path().join("again.zip");
    emn_pub()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("build-package")
        .arg(&dir)
        .arg("--out")
        .arg(&network)
        .assert()
        .success();
    emn_pub()
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .arg("build-package")
        .arg(&network)
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert!(std::fs::read(&network).unwrap() == std::fs::read(&again).unwrap(), "rebuilt to the same bytes");
}

#[test]
fn the_public_compilation_counts_a_restricted_reply_and_says_why_its_text_is_absent() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("query");
    emn_pub().args(["-q", "init"]).arg(&dir).args(["--kind", "ad-hoc-query"]).assert().success();
    for country in ["AT", "SE", "PL"] {
        emn_pub().args(["-q", "new-contribution"]).arg(&dir).args(["--country", country]).assert().success();
    }
    let skeleton = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    let answered = |text: &str| -> String {
        skeleton
            .replace("status: draft", "status: final")
            .lines()
            .map(|line| if line.starts_with("<!--") { text.to_string() } else { line.to_string() })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for country in ["AT", "SE", "PL"] {
        let text = answered(&format!("Yes. The answer of {country}, zyqw{}.", country.to_lowercase()))
            .replace("country: AT", &format!("country: {country}"));
        std::fs::write(dir.join(format!("contributions/{country}.md")), text).unwrap();
    }
    replace(&dir, "contributions/PL.md", "language: en\n", "language: en\ndissemination: network\n");
    let public = outer.path().join("public.zip");
    let built = build(&dir, &public, true);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let files = everything_readable(&public);
    assert_eq!(holding(&files, "zyqwpl"), Vec::<&str>::new());
    let page = &files.iter().find(|(p, _)| p == "html/compilation.html").unwrap().1;
    assert!(
        page.contains("Answers received</dt><dd>3</dd>") || page.contains("<dt>Answers received</dt>\n<dd>3</dd>"),
        "three answers count: {page}"
    );
    assert!(!holding(&files, "zyqwat").is_empty() && !holding(&files, "zyqwse").is_empty());
    for path in ["compilation.pdf (text)", "html/compilation.html", "compilation.docx/word/document.xml"] {
        let text = squeeze(&files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path}")).1);
        assert!(text.contains(&squeeze("Poland")), "{path} lists Poland among those that answered");
        assert!(text.contains(&squeeze("is for the EMN network only")), "{path} says why its text is absent");
    }
}

#[test]
fn a_draft_update_is_marked_as_a_draft_in_the_pdf_the_word_file_and_the_page() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("report");
    emn_pub().args(["-q", "init"]).arg(&dir).args(["--kind", "situational-report"]).assert().success();
    for (code, status) in [("CZ", "draft"), ("AT", "final")] {
        write(
            &dir,
            &format!("contributions/{code}.md"),
            &format!(
                "---\ncountry: {code}\nncp: EMN NCP\nstatus: {status}\ndate: 2026-12-01\nlanguage: en\n---\n\n## S1\n\nArrivals rose in {code}.\n"
            ),
        );
    }
    let out = outer.path().join("report.zip");
    let built = build(&dir, &out, false);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let files = everything_readable(&out);
    for path in
        ["situational-report.pdf (text)", "html/situational-report.html", "situational-report.docx/word/document.xml"]
    {
        let text = squeeze(&files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path}")).1);
        assert!(text.contains(&squeeze("Czechia (draft update)")), "{path} marks the draft");
        assert!(!text.contains(&squeeze("Austria (draft update)")), "{path} marks only the draft");
    }
}

#[test]
fn the_public_changes_report_names_no_restricted_word_or_file() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("study");
    copy_tree(&sample(), &dir);
    let restricted = "## Q2.2 How are the measures implemented in practice? Please give examples and figures where available.\n<!-- dissemination: network -->\n\n";
    let heading =
        "## Q2.2 How are the measures implemented in practice? Please give examples and figures where available.\n";
    replace(
        &dir,
        "contributions/CZ.md",
        heading,
        &format!("{restricted}The memo zyqwoldword.\n\n![The memo](../assets/zyqwmemo.png)\n\n"),
    );
    std::fs::write(dir.join("assets/zyqwmemo.png"), std::fs::read(dir.join("assets/cz-permits.svg")).unwrap()).unwrap();
    let old = outer.path().join("old.zip");
    emn_pub().arg("build-package").arg(&dir).args(["--allow-incomplete", "--out"]).arg(&old).assert().success();
    replace(&dir, "contributions/CZ.md", "zyqwoldword", "zyqwnewword");
    std::fs::write(dir.join("assets/zyqwmemo.png"), b"\x89PNG changed").unwrap();
    let new = outer.path().join("new.zip");
    let built = emn_pub()
        .arg("build-package")
        .arg(&dir)
        .args(["--edition", "public", "--allow-incomplete", "--since"])
        .arg(&old)
        .arg("--out")
        .arg(&new)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let files = everything_readable(&new);
    for marker in ["zyqwoldword", "zyqwnewword", "zyqwmemo"] {
        assert_eq!(holding(&files, marker), Vec::<&str>::new(), "{marker} in the public edition");
    }
}
