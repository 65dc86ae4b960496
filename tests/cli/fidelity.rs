//! One truth for validate and build: a differential test over one-field
//! mutations of a package. For every mutation, what `validate` accepts must
//! build, and the text typed must be in the PDF; what it refuses must name
//! the problem. No mutation may crash either.

use std::path::Path;

use emn_pub::commands::build::{BuildError, BuildOptions, build};
use emn_pub::pipeline::load_and_check;

use crate::support::*;

/// Values typed into a field; `true` when the text must reach the PDF as
/// typed (the rest are Markdown or typst syntax, or invisible: they only
/// have to agree between validate and build).
const VALUES: &[(&str, bool)] = &[
    ("Закон України про біженців", true),
    ("საქართველოს კანონი", true),
    ("Հայաստանի Հանրապետություն", true),
    ("اللجوء", true),
    ("پناهنده‌گی", true),
    ("ስደተኛ", true),
    ("פליט", true),
    ("शरणार्थी", true),
    ("½ → ✓ ✗ ‰ № ∑", true),
    ("Ελλάδα Ž Tiếng Vie\u{323}\u{302}t", true),
    // No precomposed form: typst 0.15 copies such a cluster twice into the
    // text layer (upstream, see the README); it must still build.
    ("e\u{301}\u{302}", false),
    ("\u{200b}", false),
    ("a\u{202e}b\u{2066}c", false),
    ("bell\u{7}here", false),
    ("back\\slash \\\\ \\u{41}", false),
    ("#read(\"/etc/passwd\") $x^2$ @ref <l> ] [ } {", false),
    ("中文", false),
    ("emoji 🙂", false),
    ("ogham\u{1680}space", false),
    ("\u{feff}", false),
];

/// Where a value goes in the package.
#[derive(Debug, Clone, Copy)]
enum Field {
    Ncp,
    ManifestTitle,
    KeyFindings,
    Answer,
    SubHeading,
    Footnote,
    TableCell,
    ImageAlt,
    LinkText,
}

const FIELDS: &[Field] = &[
    Field::Ncp,
    Field::ManifestTitle,
    Field::KeyFindings,
    Field::Answer,
    Field::SubHeading,
    Field::Footnote,
    Field::TableCell,
    Field::ImageAlt,
    Field::LinkText,
];

/// A two-country copy of the sample package (fast to build).
fn small_package() -> tempfile::TempDir {
    let package = copy_package(&sample());
    for entry in std::fs::read_dir(package.path().join("contributions")).unwrap() {
        let path = entry.unwrap().path();
        if !path.ends_with("AT.md") && !path.ends_with("CZ.md") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let manifest = std::fs::read_to_string(package.path().join("emn.toml")).unwrap();
    let manifest =
        manifest.replace(r#"countries = ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"]"#, r#"countries = ["CZ", "AT"]"#);
    std::fs::write(package.path().join("emn.toml"), manifest).unwrap();
    package
}

fn yaml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || c == '\u{feff}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out + "\""
}

/// Writes `value` into `field` of the package at `root`.
fn mutate(root: &Path, field: Field, value: &str) {
    let edit = |relative: &str, change: &dyn Fn(String) -> String| {
        let path = root.join(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, change(text)).unwrap();
    };
    let at = "contributions/AT.md";
    // The answer to Q1.2 runs to the next section's heading.
    let appended_to_q12 = |markdown: String| {
        move |text: String| {
            let next = "# 2 Implementation in practice";
            assert!(text.contains(next), "the sample's AT.md has section 2");
            text.replacen(next, &format!("{markdown}\n\n{next}"), 1)
        }
    };
    match field {
        Field::Ncp => {
            edit(at, &|t| t.replace("ncp: EMN National Contact Point Austria", &format!("ncp: {}", yaml_string(value))))
        }
        Field::ManifestTitle => edit("emn.toml", &|t| {
            let title = toml::Value::String(value.to_string()).to_string();
            t.replace(
                "title = \"Labour shortages and migration: national approaches 2019-2023\"",
                &format!("title = {title}"),
            )
        }),
        Field::KeyFindings => {
            edit(at, &|t| t.replacen("# Key findings\n\n", &format!("# Key findings\n\n{value}\n\n"), 1))
        }
        Field::Answer => edit(at, &appended_to_q12(format!("Also: {value}"))),
        Field::SubHeading => edit(at, &appended_to_q12(format!("### {value}\n\nText."))),
        Field::Footnote => {
            edit(at, &|t| format!("{}\n\n[^mutated]: {value}\n", appended_to_q12("A note.[^mutated]".into())(t)))
        }
        Field::TableCell => edit(at, &appended_to_q12(format!("| Term | Note |\n|---|---|\n| {value} | x |"))),
        Field::ImageAlt => edit(at, &appended_to_q12(format!("![{value}](../assets/cz-permits.svg)"))),
        Field::LinkText => edit(at, &appended_to_q12(format!("See [{value}](https://emn.example.eu)."))),
    }
}

/// The PDF a field's text must reach.
fn target_pdf(field: Field) -> &'static str {
    match field {
        Field::ManifestTitle => "flash.pdf",
        _ => "national/AT.pdf",
    }
}

/// Text as a reader copies it from the PDF: joiners (which only steer
/// how letters join) are not characters of the text layer.
/// Composed (NFC) as the PDF holds it.
fn shown(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.chars().filter(|c| !matches!(c, '\u{200c}' | '\u{200d}')).nfc().collect()
}

#[test]
fn validate_and_build_agree_on_every_one_field_mutation() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for &field in FIELDS {
        for &(value, must_show) in VALUES {
            cases += 1;
            let package = small_package();
            mutate(package.path(), field, value);
            let checked = load_and_check(package.path()).expect("the package folder is readable");
            let accepted = checked.package.is_some() && checked.report.errors() == 0;
            let out = package.path().join("bundle.zip");
            let options = BuildOptions { out: Some(out.clone()), ..BuildOptions::default() };
            let case = format!("{field:?} = {value:?}");
            match (accepted, build(package.path(), &options)) {
                (true, Ok(_)) => {
                    if must_show {
                        let entries = unzip(&out);
                        let text = squeeze(&pdf_text(&entries[target_pdf(field)]));
                        if !holds_text(&text, &shown(value)) {
                            failures.push(format!("{case}: accepted and built, but not in {}", target_pdf(field)));
                        }
                    }
                }
                (true, Err(error)) => failures.push(format!("{case}: validate accepted it, build failed: {error:?}")),
                (false, Ok(_)) => failures.push(format!("{case}: validate refused it, build wrote a bundle")),
                (false, Err(BuildError::Invalid { .. })) => {
                    if must_show {
                        let codes: Vec<&str> = checked.report.diagnostics.iter().map(|d| d.code).collect();
                        failures.push(format!("{case}: refused a text that fonts can show ({codes:?})"));
                    }
                }
                (false, Err(error)) => {
                    failures.push(format!("{case}: refused, then build failed otherwise: {error:?}"))
                }
            }
        }
    }
    assert!(cases >= 150, "{cases} mutations");
    assert!(failures.is_empty(), "{} of {cases} mutations went wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn scripts_of_observers_and_applicants_reach_the_national_pdf_and_the_synthesis() {
    let package = small_package();
    let quoted = "½ → ✓ ✗ ‰ №; Закон України; საქართველოს კანონი; Հայաստանի օրենք; ስደተኛ; पनाह; پناهنده; اللجوء; פליט";
    mutate(package.path(), Field::Answer, quoted);
    let out = package.path().join("bundle.zip");
    emn_pub().args(["validate"]).arg(package.path()).assert().success();
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    for pdf in ["national/AT.pdf", "synthesis-report-draft.pdf"] {
        let text = squeeze(&pdf_text(&entries[pdf]));
        for part in quoted.split("; ") {
            assert!(holds_text(&text, part), "{part} missing from {pdf}");
        }
    }
}

#[test]
fn a_character_no_font_has_is_a_validate_error_with_its_place() {
    let package = small_package();
    mutate(package.path(), Field::Answer, "中文");
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let glyph =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "missing-glyph").expect("missing-glyph");
    assert_eq!(glyph["file"], "contributions/AT.md");
    assert!(glyph["message"].as_str().unwrap().contains("U+4E2D"), "{glyph}");
    let text = std::fs::read_to_string(package.path().join("contributions/AT.md")).unwrap();
    let line = text.lines().position(|l| l.contains("中文")).unwrap() + 1;
    assert_eq!(glyph["line"], line);
    assert_eq!(glyph["column"], "Also: ".chars().count() + 1);
}

#[test]
fn a_package_font_adds_a_script() {
    // Thai is not among the built-in scripts: refused until the package
    // brings a font that has it, then printed.
    let package = small_package();
    mutate(package.path(), Field::Answer, "ภาษาไทย");
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "missing-glyph"), "{json:#}");
    let fonts = package.path().join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(repo().join("tests/fixtures/fonts/NotoSansThai-Regular.ttf"), fonts.join("NotoSansThai-Regular.ttf"))
        .unwrap();
    emn_pub().args(["validate"]).arg(package.path()).assert().success();
    let out = package.path().join("bundle.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let text = squeeze(&pdf_text(&unzip(&out)["national/AT.pdf"]));
    assert!(text.contains("ภาษาไทย"), "Thai text in the PDF");

    std::fs::write(fonts.join("broken.ttf"), b"not a font").unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("bad-font", "fonts/broken.ttf")), "{codes:?}");
}

/// The sample package with its own template: the built-in study template
/// plus `extra_tables` (TOML), and `statistics/extra.csv`.
fn package_with_tables(extra_tables: &str, csv_name: &str, csv: &str) -> tempfile::TempDir {
    let package = small_package();
    let template = emn_pub::load::template::built_in("study-generic").unwrap();
    write(package.path(), "template.toml", &format!("{template}\n{extra_tables}\n"));
    let manifest = std::fs::read_to_string(package.path().join("emn.toml")).unwrap();
    std::fs::write(
        package.path().join("emn.toml"),
        manifest.replace("template = \"study-generic\"", "template = \"template.toml\""),
    )
    .unwrap();
    write(package.path(), &format!("statistics/{csv_name}"), csv);
    package
}

#[test]
fn numbers_print_as_published_and_rates_are_never_summed() {
    let tables = "[[tables]]\nid = \"T3\"\ntitle = \"Recognition rate\"\nindicator = \"recognition_rate\"\nunit = \"%\"\nrequired = true\n\n[[tables]]\nid = \"T4\"\ntitle = \"Returns\"\nindicator = \"returns\"\nunit = \"persons\"\ntotal = \"sum\"\nrequired = true\n";
    let csv = "indicator;country;year;value;flag\nrecognition_rate;CZ;2023;26,0;\nrecognition_rate;AT;2023;21,3;p\nreturns;CZ;2023;1 200;\nreturns;AT;2023;3 400;\n";
    let package = package_with_tables(tables, "extra.csv", csv);
    emn_pub().arg("validate").arg(package.path()).assert().success();
    let out = package.path().join("bundle.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let annex = pdf_text(&entries["statistical-annex.pdf"]);
    // The contents list names the tables first: read the tables themselves.
    let rates = &annex[annex.rfind("T3 Recognition rate").unwrap()..annex.rfind("T4 Returns").unwrap()];
    assert!(rates.contains("26.0") && rates.contains("21.3"), "{rates}");
    assert!(!rates.contains("Total") && !rates.contains("47.3"), "a rate is summed: {rates}");
    let returns = &annex[annex.rfind("T4 Returns").unwrap()..];
    assert!(returns.contains("Total of the countries shown") && returns.contains("4,600"), "{returns}");
    let csv = String::from_utf8(entries["statistical-annex.csv"].clone()).unwrap();
    assert!(csv.contains("T3,recognition_rate,CZ,2023,26.0,"), "{csv}");
    assert!(csv.contains("T4,returns,TOTAL,2023,4600,"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("T3,") && l.contains("TOTAL")), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with("T4,") && l.contains("EU27_2020")), "{csv}");
}

#[test]
fn monthly_rows_in_an_annual_table_are_an_error_naming_the_file() {
    let mut csv =
        String::from("DATAFLOW,LAST UPDATE,freq,citizen,sex,applicant,age,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n");
    for month in 1..=12 {
        csv.push_str(&format!(
            "ESTAT:MIGR_ASYAPPCTZA(1.0),19/03/25 23:00:00,M,EXT_EU27_2020,T,FRST,TOTAL,PER,CZ,2021-{month:02},100,\n"
        ));
    }
    let package = small_package();
    write(package.path(), "statistics/monthly.csv", &csv);
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let period =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "bad-period").expect("bad-period");
    assert_eq!((period["file"].as_str(), period["line"].as_u64()), (Some("statistics/monthly.csv"), Some(2)));
    assert!(period["message"].as_str().unwrap().contains("monthly"), "{period}");
}

#[test]
fn a_colon_in_the_flag_column_is_explained_at_its_cell() {
    let package = small_package();
    write(
        package.path(),
        "statistics/flags.csv",
        "indicator,country,year,value,flag\nfirst_permits_remunerated,CZ,2099,,:\n",
    );
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let flag =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "unknown-flag").expect("unknown-flag");
    assert_eq!((flag["line"].as_u64(), flag["column"].as_u64()), (Some(2), Some(36)));
    let human = emn_pub().arg("validate").arg(package.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stderr).contains("belongs in the value column"));
}

#[test]
fn bad_country_values_in_drafts_never_become_paths() {
    for country in ["../../../../elsewhere/x", "C\\\\Z", "cz", "XX"] {
        let package = small_package();
        let path = package.path().join("contributions/AT.md");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("country: AT", &format!("country: \"{country}\""))).unwrap();
        let out = package.path().join("bundle.zip");
        let sources = package.path().join("sources");
        emn_pub()
            .arg("build-package")
            .arg(package.path())
            .arg("--allow-incomplete")
            .arg("--out")
            .arg(&out)
            .arg("--keep-sources")
            .arg(&sources)
            .assert()
            .success();
        let entries = unzip(&out);
        for name in entries.keys() {
            let plain = name.split('/').all(|part| !part.is_empty() && part != ".." && !part.contains('\\'));
            assert!(plain, "odd zip entry {name:?} for {country:?}");
        }
        let nationals: Vec<&String> = entries.keys().filter(|n| n.starts_with("national/")).collect();
        assert_eq!(nationals, ["national/CZ.pdf"], "{country:?}");
        assert!(
            !package.path().join("elsewhere").exists() && !package.path().parent().unwrap().join("elsewhere").exists()
        );
    }
}

#[test]
fn the_change_over_the_period_is_like_for_like_and_names_who_is_left_out() {
    let tables =
        "[[tables]]\nid = \"T5\"\ntitle = \"Returns\"\nindicator = \"returns\"\nunit = \"persons\"\nrequired = true\n";
    // Austria has no value for the last year: the change compares Czechia alone.
    let csv = "indicator,country,year,value,flag\nreturns,CZ,2019,100,\nreturns,AT,2019,900,\nreturns,CZ,2023,150,\n";
    let package = package_with_tables(tables, "returns.csv", csv);
    let out = package.path().join("bundle.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let inform = pdf_text(&unzip(&out)["inform.pdf"]);
    assert!(
        squeeze(&inform)
            .contains(&squeeze("+50.0 % since 2019, 1 country with data in both years; not counted: Austria")),
        "{inform}"
    );
}
