//! Publications an editor signs off without touching them: placeholders,
//! partial builds, dates, names, templates, ad-hoc queries, the Flash.

use crate::support::*;

fn json_codes(package: &std::path::Path) -> (Option<i32>, Vec<(String, String)>) {
    let (code, json) = validate_json(package);
    let codes = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["file"].as_str().unwrap().to_string()))
        .collect();
    (code, codes)
}

/// A study package as `init` and `new-contribution --country CC` leave it.
fn scaffolded_study(country: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("pkg");
    emn_pub().arg("init").arg(&package).args(["--kind", "study"]).assert().success();
    emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
    (dir, package)
}

#[test]
fn scaffold_placeholders_do_not_publish() {
    let (_dir, package) = scaffolded_study("CZ");
    let (code, codes) = json_codes(&package);
    assert_eq!(code, Some(1));
    assert!(codes.contains(&("placeholder".into(), "summary-cs.md".into())), "{codes:?}");
    // A comment-only key findings: a warning in a draft, an error once final.
    let contribution = package.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    assert!(codes.contains(&("placeholder".into(), "contributions/CZ.md".into())), "{codes:?}");
    std::fs::write(&contribution, text.replace("status: draft", "status: final")).unwrap();
    let (_, json) = validate_json(&package);
    let key_findings = find_diagnostic(&json, |d| d["code"] == "placeholder" && d["file"] == "contributions/CZ.md")
        .expect("placeholder in CZ.md");
    assert_eq!(key_findings["severity"], "error");
    assert_eq!(key_findings["line"], 9, "at the # Key findings heading");
}

#[test]
fn new_contribution_adds_its_country_and_templates_print_as_toml() {
    let (_dir, package) = scaffolded_study("SE");
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    assert!(manifest.contains("countries = [\"SE\"]"), "{manifest}");
    let printed = emn_pub().args(["templates", "study-generic"]).output().unwrap();
    assert!(printed.status.success());
    let template: toml::Value = toml::from_str(&String::from_utf8(printed.stdout).unwrap()).expect("TOML");
    assert_eq!(template["id"].as_str(), Some("study-generic"));
    emn_pub().args(["templates", "no-such"]).assert().code(2);
}

#[test]
fn an_ad_hoc_query_is_built_while_open_with_its_own_questions() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("query");
    emn_pub().arg("init").arg(&package).args(["--kind", "ad-hoc-query"]).assert().success();
    let template = std::fs::read_to_string(package.join("template.toml")).expect("init writes template.toml");
    std::fs::write(
        package.join("template.toml"),
        template.replace(
            "Does your Member State have a specific procedure",
            "Does your Member State grant stateless persons a specific procedure",
        ),
    )
    .unwrap();
    for country in ["AT", "SE"] {
        emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
    }
    std::fs::remove_file(package.join("contributions/SE.md")).unwrap();
    let contribution = package.join("contributions/AT.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    assert!(!text.contains("Key findings"), "respondents are not asked for key findings");
    let answered =
        text.replace("<!-- Start with Yes or No, then explain. Required. -->", "Yes. A dedicated unit decides.");
    let kept: Vec<&str> = answered
        .split("\n## ")
        .filter(|part| !part.starts_with("Q2 ") && !part.starts_with("Q3 ") && !part.starts_with("Q4 "))
        .collect();
    std::fs::write(&contribution, kept.join("\n## ")).unwrap();
    let (code, codes) = json_codes(&package);
    assert_eq!(code, Some(0), "{codes:?}");
    let out = package.join("bundle.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&out).assert().success();
    let text = pdf_text(&unzip(&out)["compilation.pdf"]);
    assert!(text.contains("grant stateless persons"), "the query's own question");
    assert!(text.contains("Awaiting answers from: Sweden"), "{text}");
    assert!(text.contains("Not answered (optional question)"));
    assert!(!text.contains("No answer to Q2") && !text.contains("No answer received from AT"), "{text}");
    assert!(text.contains("Overview of yes/no and choice answers"));
}

#[test]
fn published_date_czechia_and_partial_builds() {
    let package = copy_package(&sample());
    let manifest = std::fs::read_to_string(package.path().join("emn.toml")).unwrap();
    std::fs::write(package.path().join("emn.toml"), format!("{manifest}published = 2025-06-30\n")).unwrap();
    emn_pub().arg("build-package").arg(package.path()).assert().success();
    let full = package.path().join("dist/2025-labour-shortages.zip");
    let before = std::fs::read(&full).unwrap();
    emn_pub().arg("build-package").arg(package.path()).args(["--only", "CZ"]).assert().success();
    assert_eq!(std::fs::read(&full).unwrap(), before, "--only leaves the full bundle alone");
    let partial = unzip(&package.path().join("dist/2025-labour-shortages-partial.zip"));
    assert!(partial.contains_key("national/CZ.pdf"));
    let entries = unzip(&full);
    let national = pdf_text(&entries["national/CZ.pdf"]);
    assert!(national.contains("Czechia"), "{national}");
    assert!(pdf_text(&entries["flash.pdf"]).contains("30 June 2025"));
    assert!(pdf_text(&entries["summary-cs.pdf"]).contains("Česko"));
}

/// The lowest text on the Flash's page, as a fraction of the page height.
fn lowest_text(pdf: &[u8]) -> Option<f64> {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg("-bbox").arg(file.path()).arg("-").output().ok()?;
    let html = String::from_utf8_lossy(&output.stdout);
    let number = |line: &str, key: &str| -> Option<f64> {
        let at = line.find(&format!("{key}=\""))? + key.len() + 2;
        line[at..].split('"').next()?.parse().ok()
    };
    let height = html.lines().find(|l| l.contains("<page")).and_then(|l| number(l, "height"))?;
    let lowest = html.lines().filter(|l| l.contains("<word")).filter_map(|l| number(l, "yMax")).fold(0.0, f64::max);
    Some(lowest / height)
}

#[test]
fn the_flash_fills_its_one_page() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "flash", &out).success();
    let flash = &unzip(&out)["flash.pdf"];
    assert_eq!(pdf_pages(flash), 1);
    let text = pdf_text(flash);
    for part in ["Aim", "What the study answers", "Key messages", "Headline figures", "Scope"] {
        assert!(text.to_lowercase().contains(&part.to_lowercase()), "{part}: {text}");
    }
    if has_pdftotext() {
        let lowest = lowest_text(flash).expect("pdftotext -bbox");
        assert!(lowest > 2.0 / 3.0, "the text ends at {lowest:.2} of the page");
    }
}

/// Every text of the Flash at its `validate` limit: the first layout takes
/// three pages, so the build must set it compactly to keep it on one page.
#[test]
fn the_flash_stays_on_one_page_at_every_limit() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut template = std::fs::read_to_string(repo().join("templates/study-generic.toml")).unwrap();
    let sentence =
        "Which measures did your Member State take to attract and retain workers in occupations with shortages? ";
    let flash_questions: Vec<String> =
        (1..=8).map(|n| format!("\"{} number {n}?\"", &sentence.repeat(3)[..280])).collect();
    let start = template.find("flash-questions = [").unwrap();
    let end = start + template[start..].find(']').unwrap() + 1;
    template.replace_range(start..end, &format!("flash-questions = [{}]", flash_questions.join(", ")));
    let aim_start = template.find("aim = ").unwrap();
    let aim_end = aim_start + template[aim_start..].find('\n').unwrap();
    template.replace_range(aim_start..aim_end, &format!("aim = \"{}\"", &sentence.repeat(6)[..600]));
    let long_question = format!("{}Q1.1 ends here?", sentence.repeat(28));
    let q11 = template.find("id = \"Q1.1\"").unwrap();
    let text_start = q11 + template[q11..].find("text = ").unwrap();
    let text_end = text_start + template[text_start..].find('\n').unwrap();
    template.replace_range(text_start..text_end, &format!("text = \"{long_question}\""));
    write(dir, "template.toml", &template);
    replace(dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    let manifest = std::fs::read_to_string(dir.join("emn.toml")).unwrap();
    let title_line = manifest.lines().find(|l| l.starts_with("title")).unwrap();
    replace(dir, "emn.toml", title_line, &format!("title = \"{}\"", &sentence.repeat(3)[..299]));
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}");

    let out = dir.join("b.zip");
    build_only(dir, "flash", &out).success();
    let flash = &unzip(&out)["flash.pdf"];
    assert_eq!(pdf_pages(flash), 1);
    let text = squeeze(&pdf_text(flash));
    assert!(text.contains("number8?"), "the last flash question is printed: {text}");
    assert!(text.contains("KEYMESSAGES"), "{text}");
}

#[test]
fn init_with_a_template_file_writes_it_to_edit() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("pkg");
    emn_pub().arg("init").arg(&package).args(["--kind", "study", "--template", "my-template.toml"]).assert().success();
    let template: toml::Value =
        toml::from_str(&std::fs::read_to_string(package.join("my-template.toml")).expect("written")).unwrap();
    assert_eq!(template["kind"].as_str(), Some("study"));
    let (_, codes) = json_codes(&package);
    assert!(!codes.iter().any(|(code, _)| code == "bad-manifest"), "{codes:?}");
}

#[test]
fn long_contributions_get_a_contents_page_short_ones_contents_above_the_text() {
    let package = copy_package(&sample());
    let path = package.path().join("contributions/AT.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let long = "The national authorities report further details on the measures. ".repeat(300);
    std::fs::write(&path, text.replacen("# Key findings\n\n", &format!("# Key findings\n\n{long}\n\n"), 1)).unwrap();
    let out = package.path().join("b.zip");
    build_only(package.path(), "national", &out).success();
    let entries = unzip(&out);
    let long = &entries["national/AT.pdf"];
    assert!(pdf_page_text(long, 2).contains("Contents"), "a long contribution has contents");
    assert!(
        !squeeze(&pdf_page_text(long, 2)).contains(&squeeze("The national authorities report")),
        "on a page of their own"
    );
    let short = &entries["national/BE.pdf"];
    let second = squeeze(&pdf_page_text(short, 2));
    assert!(second.contains("Contents"), "a short one has contents too");
    assert!(second.contains(&squeeze("Each Region publishes its own list")), "above its text, on the same page");
}

#[test]
fn a_contribution_is_justified_and_hyphenated_the_synthesis_draft_ragged_and_whole() {
    // The synthesis draft is what editors copy answers from: its words come
    // out whole, as from the Word draft. A contribution an NCP signs is set
    // as a publication, hyphenated by its language.
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    build_only(&sample(), "national,synthesis", &zip).success();
    let entries = unzip(&zip);
    let national: usize = entries
        .iter()
        .filter(|(path, _)| path.starts_with("national/"))
        .map(|(_, pdf)| hyphenated_line_ends(pdf))
        .sum();
    assert!(national > 0, "no contribution of the sample has a hyphenated line end");
    let synthesis = &entries["synthesis-report-draft.pdf"];
    assert_eq!(hyphenated_line_ends(synthesis), 0);
    // The same answers are in it, whole.
    assert!(holds_text(&squeeze(&pdf_text(synthesis)), "Czechia"));
}
