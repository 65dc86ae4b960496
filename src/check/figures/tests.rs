use super::*;
use crate::testing::package;

/// The sample with a template whose tables name their figures in English,
/// Czech and German (the asylum table rounded to 5), and `texts` changed:
/// (file, what, what replaces it).
fn with_texts(texts: &[(&str, &str, &str)]) -> Package {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages");
    let template = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/study-generic.toml"))
        .unwrap()
        .replacen(
            "indicator = \"first_permits_remunerated\"",
            "indicator = \"first_permits_remunerated\"\nterms = { en = [\"permits for work\"], cs = [\"povolení\"], de = [\"Aufenthaltstitel\"] }",
            1,
        )
        .replacen(
            "indicator = \"migr_asyappctza\"",
            "indicator = \"migr_asyappctza\"\nrounding = 5\nterms = { en = [\"asylum applicants\"], cs = [\"žadatel* o azyl\"] }",
            1,
        );
    let manifest =
        std::fs::read_to_string(sample.join("emn.toml")).unwrap().replace("\"study-generic\"", "\"template.toml\"");
    let mut files: Vec<(String, String)> = vec![("template.toml".into(), template), ("emn.toml".into(), manifest)];
    for (file, marker, text) in texts {
        let original = files
            .iter()
            .find(|(path, _)| path == file)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| std::fs::read_to_string(sample.join(file)).unwrap());
        assert!(original.contains(marker), "{marker} in {file}");
        let changed = original.replacen(marker, text, 1);
        files.retain(|(path, _)| path != file);
        files.push((file.to_string(), changed));
    }
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    package(&borrowed)
}

const KEY: &str = "# Key findings\n";
const EDITORS: &str = "language: en\n---\n";

fn verdicts(package: &Package) -> Vec<(String, &'static str)> {
    figures(package)
        .into_iter()
        .filter(|f| f.verdict != Verdict::Unlinked)
        .map(|f| (f.written, f.verdict.name()))
        .collect()
}

#[test]
fn right_figures_in_each_languages_format_are_verified() {
    let package = with_texts(&[
        ("contributions/BE.md", KEY, "# Key findings\n\nIn 2023 the Regions issued 23,926 permits for work.\n"),
        ("contributions/CZ.md", "language: en", "language: cs"),
        (
            "contributions/CZ.md",
            KEY,
            "# Key findings\n\nV roce 2023 bylo vydáno 41 836 povolení, o 5,3 % více než v roce 2022.\n",
        ),
        ("contributions/DE.md", "language: en", "language: de"),
        (
            "contributions/DE.md",
            KEY,
            "# Key findings\n\nIm Jahr 2023 wurden 79.219 Aufenthaltstitel erteilt. \
             Zwischen 2019 und 2023 ist die Zahl der Aufenthaltstitel um 32 % gestiegen.\n",
        ),
        (
            "synthesis.md",
            EDITORS,
            "language: en\n---\n\nIn 2023, Germany had 396,002 asylum applicants, within rounding.\n",
        ),
    ]);
    let found = verdicts(&package);
    for written in ["23,926", "41 836", "79.219", "396,002", "32 %", "5,3 %"] {
        assert!(found.contains(&(written.to_string(), "verified")), "{written}: {found:?}");
    }
    assert!(found.iter().all(|(_, verdict)| *verdict == "verified"), "{found:?}");
}

#[test]
fn a_wrong_figure_year_change_and_count_are_one_mismatch_each_and_nothing_else() {
    let editors = "\nIn 2023, Belgium issued 21,480 permits for work. In 2021, Belgium issued 23,926 permits for work. \
                   Between 2019 and 2023, permits for work in Belgium rose by 50 %. \
                   Between 2019 and 2023, permits for work in Belgium rose by 34 %. \
                   Five Member States have a national strategy (Q1.1). Four Member States have one (Q1.1). \
                   Three Member States have a national strategy.\n";
    let package = with_texts(&[("synthesis.md", EDITORS, &format!("{EDITORS}{editors}"))]);
    let mut out = Vec::new();
    check_figures(&package, &mut out);
    let messages: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(out.len(), 5, "{messages:#?}");
    assert!(messages[0].contains("“21,480” differs from table T1 Belgium 2023") && messages[0].ends_with(": 23,926"));
    assert!(messages[1].contains("“23,926” differs from table T1 Belgium 2021") && messages[1].ends_with(": 20,534"));
    assert!(
        messages[2].contains("“50 %” differs from table T1 Belgium, change 2019–2023")
            && messages[2].ends_with("34.2 %")
    );
    assert!(
        messages[3].contains("“Five” differs from question Q1.1") && messages[3].ends_with(": 4"),
        "{}",
        messages[3]
    );
    assert!(messages[4].contains("“Three” differs from question Q1.1"), "by the question's words: {}", messages[4]);
    assert!(out.iter().all(|d| d.code == "figure-mismatch" && d.file == "synthesis.md" && d.line.is_some()));
    let found = verdicts(&package);
    assert!(found.contains(&("34 %".to_string(), "verified")) && found.contains(&("Four".to_string(), "verified")));
}

#[test]
fn a_figure_that_links_to_no_one_value_is_never_a_warning() {
    // Two tables named, no year, two countries, a share: nothing is checked.
    let texts = "\nFirst permits and asylum applicants grew to 99,999 in 2023. First permits reached 12,345. \
                 In 2023, Belgium and Austria issued 1,234 permits for work. About 7 % of permits for work went to nurses. \
                 In 2023, 12 regional offices in Belgium handled the permits for work.\n";
    let package = with_texts(&[("synthesis.md", EDITORS, &format!("{EDITORS}{texts}"))]);
    let mut out = Vec::new();
    check_figures(&package, &mut out);
    assert!(out.is_empty(), "{out:?}");
    let found = figures(&package);
    for unlinked in ["99,999", "12,345", "1,234", "12"] {
        assert!(found.iter().any(|f| f.written == unlinked && f.verdict == Verdict::Unlinked), "{unlinked}: {found:?}");
    }
}

#[test]
fn numbers_are_read_as_their_language_writes_them() {
    let values = |text: &str, lang: &str| -> Vec<f64> {
        let (mark, _) = crate::numbers::marks(lang);
        numbers::written_numbers(text, lang, mark).iter().map(|n| n.value).collect()
    };
    assert_eq!(values("vydáno 21 480 povolení, tj. 1,2 mil. Kč", "cs"), [21480.0, 1_200_000.0]);
    assert_eq!(values("wurden 21.480 Titel, 12,5 %", "de"), [21480.0, 12.5]);
    assert_eq!(values("issued 21,480 permits, 12.5 %", "en"), [21480.0, 12.5]);
    // Years, ids, dates and references are no figures.
    assert!(values("In 2023 the Act No. 326/1999 (§ 42g, Q1.1, 2019-2023) applied.", "en").is_empty());
    let counts = numbers::written_numbers("čtyři členské státy a 18 Member States", "cs", ',');
    assert!(counts.iter().all(|n| n.count_of_countries && n.member_states), "{counts:?}");
}
