//! The EMN Glossary: deprecated terms are warnings at their line and
//! column naming the preferred term (plurals, `*` endings, quotations
//! skipped), a package's glossary.csv adds terms, and the synthesis draft
//! lists the concepts it uses with their definitions.

use crate::support::*;

fn deprecated_terms(package: &std::path::Path) -> Vec<(String, u64, u64, String)> {
    let (_, json) = validate_json(package);
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "deprecated-term")
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn deprecated_terms_are_warnings_naming_the_preferred_term() {
    let package = copy_package(&sample());
    let dir = package.path();
    let de = "contributions/DE.md";
    let text = std::fs::read_to_string(dir.join(de)).unwrap();
    let text = text.replacen(
        "In 2023, 72 000 visas",
        "Most illegal immigrants were not affected. A \"quoted illegal immigrant\" is not checked. In 2023, 72 000 visas",
        1,
    );
    std::fs::write(dir.join(de), &text).unwrap();
    let line = text.lines().position(|l| l.contains("Most illegal immigrants")).unwrap() as u64 + 1;
    let source_line = text.lines().nth(line as usize - 1).unwrap();
    let column = source_line[..source_line.find("illegal immigrants").unwrap()].chars().count() as u64 + 1;
    std::fs::write(
        dir.join("glossary.csv"),
        "concept,language,term,status,definition,source\n\
         shortage-occupation,en,shortage occupation,preferred,An occupation for which the labour market lacks qualified workers.,National glossary\n\
         shortage-occupation,en,bottleneck job,deprecated,,\n\
         refugee-camp,cs,přijímací středisk*,preferred,,\n\
         refugee-camp,cs,uprchlick* tábor*,deprecated,,\n",
    )
    .unwrap();
    let se = "contributions/SE.md";
    let swedish = std::fs::read_to_string(dir.join(se)).unwrap() + "\nThe list names 40 bottleneck jobs.\n";
    std::fs::write(dir.join(se), &swedish).unwrap();
    let summary =
        std::fs::read_to_string(dir.join("summary-cs.md")).unwrap() + "\nV uprchlickém táboře žilo 300 lidí.\n";
    std::fs::write(dir.join("summary-cs.md"), &summary).unwrap();

    let found = deprecated_terms(dir);
    assert_eq!(found.len(), 3, "{found:#?}");
    let (file, at_line, at_column, message) = &found.iter().find(|f| f.0 == de).unwrap();
    assert_eq!((file.as_str(), *at_line, *at_column), (de, line, column));
    assert!(message.contains("illegal immigrants") && message.contains("irregular migrant"), "{message}");
    let swedish_line = swedish.lines().count() as u64;
    assert!(
        found.iter().any(|f| f.0 == se && f.1 == swedish_line && f.3.contains("shortage occupation")),
        "{found:#?}"
    );
    let summary_line = summary.lines().count() as u64;
    assert!(
        found
            .iter()
            .any(|f| f.0 == "summary-cs.md" && f.1 == summary_line && f.2 == 3 && f.3.contains("uprchlickém táboře")),
        "{found:#?}"
    );

    let out = dir.join("b.zip");
    build_only(dir, "synthesis-report-draft", &out).success();
    let text = squeeze(&pdf_text(&unzip(&out)["synthesis-report-draft.pdf"]));
    let terms = text.find(&squeeze("Terms used")).expect("a Terms used section");
    for definition in [
        "irregular migrant — In the EU context, a third-country national who is on a Member State’s territory",
        "shortage occupation — An occupation for which the labour market lacks qualified workers. (National glossary)",
        "labour shortage — A situation in which the demand for workers",
    ] {
        let at = text.find(&squeeze(definition)).unwrap_or_else(|| panic!("{definition:?} not in {text}"));
        assert!(at > terms, "{definition:?} is in the Terms used section");
    }
    assert!(text.contains(&squeeze("© European Union")), "the Glossary is attributed");
}

#[test]
fn a_malformed_glossary_is_reported_at_its_line() {
    let package = copy_package(&sample());
    std::fs::write(package.path().join("glossary.csv"), "concept,language,term,status\nx,en,some term,obsolete\n")
        .unwrap();
    let (code, json) = validate_json(package.path());
    assert_eq!(code, Some(1));
    let diagnostic =
        find_diagnostic(&json, |d| d["code"] == "bad-glossary" && d["file"] == "glossary.csv").expect("bad-glossary");
    assert_eq!(diagnostic["line"], 2);
}
