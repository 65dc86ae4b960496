//! End-to-end tests: run the binary on packages and read what users read
//! (exit codes, JSON diagnostics, the text and pages of the PDFs).

mod bounds;
mod bulletin;
mod dissemination;
mod editions;
mod editorial;
mod eurostat;
mod fidelity;
mod figures;
mod gfm;
mod glossary;
mod hostile3;
mod hostile4;
mod layers;
mod maps;
mod one_plan;
mod platform;
mod publications;
mod signoff;
mod signoff3;
mod signoff4;
mod situational;
mod sources;
mod support;
mod trust;
mod typography;
mod validate;
mod watch;
mod web;
mod word;
mod word_export;
mod workbooks;

use support::*;

#[test]
fn help_lists_every_subcommand() {
    let output = emn_pub().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for command in ["init", "new-contribution", "validate", "build-package", "watch", "templates"] {
        assert!(help.contains(command), "--help lacks {command}:\n{help}");
    }
}

#[test]
fn the_sample_package_validates_cleanly() {
    let output = emn_pub().args(["validate", "--format", "json"]).arg(sample()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["errors"], 0, "{json:#}");
    assert_eq!(json["ok"], true);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn the_sample_builds_and_every_pdf_holds_its_answers() {
    let package = copy_package(&sample());
    let out = package.path().join("out/bundle.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let manifest: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let path = format!("national/{country}.pdf");
        let pdf = entries.get(&path).unwrap_or_else(|| panic!("{path} missing"));
        let text = squeeze(&pdf_text(pdf));
        // A cover, then the answers below the contents (a short
        // contribution spends no page of its own on them).
        assert!(pdf_pages(pdf) >= 2, "{path} has a cover and answers");
        let second = squeeze(&pdf_page_text(pdf, 2));
        assert!(
            second.contains("Contents") && second.contains(&squeeze("Key findings")),
            "{path}: contents above the text"
        );
        // Question texts from the template, and this country's own answer text.
        assert!(
            text.contains(&squeeze("Which authority is mainly responsible for implementing the measures?")),
            "{path}"
        );
        let source = std::fs::read_to_string(package.path().join(format!("contributions/{country}.md"))).unwrap();
        let answer_line =
            source.lines().find(|l| l.starts_with("The main challenge is") || l.starts_with("Challenges:")).unwrap();
        let shown = answer_line.replace(['*', '_'], "");
        assert!(text.contains(&squeeze(&shown)), "{path} lacks {shown:?}");
        assert!(manifest["files"].as_array().unwrap().iter().any(|f| f["path"] == path.as_str()));
    }
    let czech = pdf_text(&entries["national/CZ.pdf"]);
    for phrase in [
        "zaměstnanecká karta",
        "vysoce kvalifikovaný zaměstnanec",
        "Act No. 326/1999 Coll.",
        "§ 42g",
        "„Kvalifikovaný zaměstnanec“",
        "63 174",
    ] {
        assert!(squeeze(&czech).contains(&squeeze(phrase)), "CZ.pdf lacks {phrase:?}");
    }
    assert!(czech.contains("Czechia"), "cover names the country");
}

#[test]
fn text_that_looks_like_typst_code_is_shown_literally() {
    let package = copy_package(&sample());
    let hostile = [
        "#read(\"/etc/passwd\")",
        "$x^2$ costs 5 $",
        "@ref and <label>",
        "back\\slash [brackets] {braces}",
        "// not a comment /* nor this */",
        "= not a heading",
        "#set text(size: 40pt)",
        "#image(\"../../etc/hosts\")",
        "~ tilde and `ticks`",
    ];
    let mut answer = String::from("Other authorities are involved.\n\n");
    for (index, line) in hostile.iter().enumerate() {
        // Each in its own paragraph; Markdown escapes keep `*`, `_` and backticks literal.
        answer.push_str(&format!(
            "Item {index}: {}\n\n",
            line.replace('\\', "\\\\").replace('`', "\\`").replace('[', "\\[").replace('<', "\\<")
        ));
    }
    answer.push_str("Stars \\*not bold\\* and \\_not italic\\_ stay.\n");
    let cz = std::fs::read_to_string(package.path().join("contributions/CZ.md")).unwrap();
    let cz = cz.replace(
        "Ministry of the Interior, through its Department",
        &format!("Ministry of the Interior, through its Department\n\n{answer}\n\nAnd its Department"),
    );
    std::fs::write(package.path().join("contributions/CZ.md"), cz).unwrap();
    let out = package.path().join("b.zip");
    emn_pub()
        .arg("build-package")
        .arg(package.path())
        .arg("--out")
        .arg(&out)
        .arg("--only")
        .arg("CZ")
        .assert()
        .success();
    let entries = unzip(&out);
    // Shown as typed, but for the quotes: English ones for the straight ones.
    let text = squeeze(&straight_quotes(&pdf_text(&entries["national/CZ.pdf"])));
    for line in hostile {
        assert!(text.contains(&squeeze(line)), "hostile text not shown literally: {line:?}");
    }
    assert!(text.contains(&squeeze("Stars *not bold* and _not italic_ stay.")));
    assert!(!text.contains("root:x:0"), "nothing from outside the package");
    assert_eq!(entries.len(), 2, "--only CZ builds one document plus the manifest");
}

#[test]
fn build_refuses_a_package_with_errors_and_writes_nothing() {
    let package = copy_package(&sample());
    std::fs::remove_file(package.path().join("contributions/AT.md")).unwrap();
    let out = package.path().join("b.zip");
    let output = emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing-contribution"));
    assert!(!out.exists(), "no zip on errors");
    assert_no_partial_bundle(package.path());

    emn_pub()
        .arg("build-package")
        .arg(package.path())
        .arg("--out")
        .arg(&out)
        .arg("--allow-incomplete")
        .assert()
        .success();
    let entries = unzip(&out);
    assert!(!entries.contains_key("national/AT.pdf"));
}

#[test]
fn two_builds_of_the_whole_bundle_give_identical_bytes() {
    // Two copies in different folders: nothing of the path may leak in.
    let (one, two) = (copy_package(&sample()), copy_package(&sample()));
    let first = one.path().join("1.zip");
    let second = two.path().join("2.zip");
    emn_pub().arg("build-package").arg(one.path()).arg("--out").arg(&first).assert().success();
    emn_pub().arg("build-package").arg(two.path()).arg("--out").arg(&second).assert().success();
    let (first, second) = (std::fs::read(first).unwrap(), std::fs::read(second).unwrap());
    assert!(unzip_bytes(&first).len() >= 13, "the whole bundle");
    assert_eq!(first, second);
}

#[test]
fn every_pdf_carries_title_author_and_language() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    for (path, bytes) in entries.iter().filter(|(path, _)| path.ends_with(".pdf")) {
        let document = lopdf::Document::load_mem(bytes).unwrap();
        let info = document
            .trailer
            .get(b"Info")
            .and_then(|i| i.as_reference())
            .and_then(|r| document.get_dictionary(r))
            .expect("Info");
        let field = |key: &[u8]| info.get(key).ok().and_then(|v| lopdf::decode_text_string(v).ok()).unwrap_or_default();
        let title = if path == "summary-cs.pdf" { "Nedostatek pracovních sil" } else { "Labour shortages" };
        assert!(field(b"Title").contains(title), "{path}: title {:?}", field(b"Title"));
        assert!(field(b"Author").contains("European Migration Network"), "{path}: author {:?}", field(b"Author"));
        let catalog = document.catalog().unwrap();
        let lang = catalog.get(b"Lang").ok().and_then(|v| lopdf::decode_text_string(v).ok()).unwrap_or_default();
        let expected = if path == "summary-cs.pdf" { "cs-CZ" } else { "en" };
        assert!(lang.starts_with(expected), "{path}: /Lang {lang:?}");
    }
}

#[test]
fn init_then_new_contribution_gives_a_skeleton_with_every_question() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("my-study");
    emn_pub().arg("init").arg(&package).args(["--kind", "study"]).assert().success();
    assert!(package.join("emn.toml").exists());
    emn_pub().arg("new-contribution").arg(&package).args(["--country", "CZ"]).assert().success();
    let skeleton = std::fs::read_to_string(package.join("contributions/CZ.md")).unwrap();
    assert!(skeleton.starts_with("---\ncountry: CZ\n"));
    assert!(skeleton.contains("## Q1.1 Does your Member State have a specific national strategy"));
    assert!(skeleton.contains("## Q3.2 "));
    // A fresh skeleton is not yet valid: its answers are empty.
    let output = emn_pub().args(["validate", "--format", "json"]).arg(&package).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"empty-answer"), "{codes:?}");
    // Overwriting is refused.
    emn_pub().arg("new-contribution").arg(&package).args(["--country", "CZ"]).assert().code(2);
    emn_pub().arg("new-contribution").arg(&package).args(["--country", "GR"]).assert().code(2);
}

#[test]
fn templates_lists_the_built_ins_with_their_kinds() {
    let output = emn_pub().arg("templates").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let kinds: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            (words.next().unwrap().to_string(), words.next().unwrap().to_string())
        })
        .collect();
    for (name, kind) in
        [("study-generic", "study"), ("annual-report", "annual-report"), ("ad-hoc-query", "ad-hoc-query")]
    {
        assert!(kinds.contains(&(name.to_string(), kind.to_string())), "{name} as a {kind}: {text}");
    }
}

#[test]
fn a_missing_folder_is_a_usage_error() {
    emn_pub().args(["validate", "/nonexistent/emn-package"]).assert().code(2);
    emn_pub().args(["build-package", "--bogus"]).assert().code(2);
}
