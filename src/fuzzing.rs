//! The bodies of the fuzz targets in `fuzz/fuzz_targets/`: each target is
//! one line that calls its function here. They live in the library so the
//! ordinary build compiles them (a change of API breaks `cargo build`, not
//! a fuzzer nobody builds), and a unit test runs each over its seeds in
//! `fuzz/corpus/<target>/`.

/// A target's body: any bytes, never a panic.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/run` and `fuzz/Cargo.toml` name them.
pub const TARGETS: [(&str, Target); 7] = [
    ("markdown_document", markdown_document),
    ("statistics", statistics),
    ("workbook", workbook),
    ("word", word),
    ("word_svg", word_svg),
    ("glossary", glossary),
    ("fonts", fonts),
];

/// Front matter and Markdown: a contribution's bytes decoded, split into
/// front matter, answers by question id and blocks, as load reads them.
pub fn markdown_document(bytes: &[u8]) {
    let Ok(text) = crate::load::document::decode_text("contributions/CZ.md", bytes) else { return };
    let is_id = |word: &str| word.starts_with('Q') && word.len() < 8;
    let (document, _) = crate::load::document::parse("contributions/CZ.md", &text, &is_id);
    let _ = crate::load::markdown::blocks_text(&document.body);
}

/// Statistics files: CSV, TSV and SDMX sniffing, decoding (UTF-8, UTF-16,
/// Windows-1250), numbers, periods and flags, with and without the study
/// template's tables selecting rows.
pub fn statistics(bytes: &[u8]) {
    let _ = crate::load::statistics::read("statistics/data.csv", bytes);
    let _ = crate::load::statistics::read_for("statistics/data.csv", bytes, Some(study_template()));
}

/// Excel and OpenDocument workbooks, bounded before calamine reads them.
pub fn workbook(bytes: &[u8]) {
    let _ = crate::load::workbook::read("statistics/data.xlsx", bytes, Some(study_template()));
}

/// Word files as `import-docx` reads them, mapped to the study template.
pub fn word(bytes: &[u8]) {
    let _ = crate::docx::to_markdown(bytes, study_template());
}

/// The Word drafts' picture path: any bytes as an SVG (or raster) picture,
/// through the load-time safety and cost rules and resvg's rasteriser.
pub fn word_svg(bytes: &[u8]) {
    let _ = crate::write::word::fallback_raster(bytes);
}

/// A package's glossary.csv, then the search of a text with it: the first
/// line of the input is the Markdown searched, the rest the CSV.
pub fn glossary(bytes: &[u8]) {
    let Ok(input) = std::str::from_utf8(bytes) else { return };
    let (text, csv) = input.split_once('\n').unwrap_or((input, ""));
    let (glossary, _) = crate::load::glossary::Glossary::load(Some(csv));
    let runs = crate::load::markdown::parse(text, 1, "contributions/CZ.md").runs;
    for language in ["en", "cs"] {
        let _ = glossary.deprecated(&runs, language);
    }
}

/// Font files in a package's `fonts/`: refused before their tables are
/// read when they claim too much, else added to the font set typst uses.
pub fn fonts(bytes: &[u8]) {
    let font = crate::fonts::PackageFont { path: "fonts/x.ttf".into(), bytes: bytes.to_vec() };
    let (fonts, _) = crate::fonts::FontSet::with_package(&[font]);
    let _ = fonts.covers("Ž字");
}

fn study_template() -> &'static crate::load::Template {
    static TEMPLATE: std::sync::OnceLock<crate::load::Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let text = crate::load::template::built_in("study-generic").expect("built in");
        crate::load::template::parse("study-generic", text).0.expect("the built-in template parses")
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn every_target_runs_over_its_seeds_and_its_fuzz_binary_calls_it() {
        let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
        let script = std::fs::read_to_string(fuzz.join("run")).unwrap();
        for (name, target) in super::TARGETS {
            let binary = std::fs::read_to_string(fuzz.join(format!("fuzz_targets/{name}.rs"))).unwrap();
            assert!(
                binary.contains(&format!("emn_pub::fuzzing::{name}(")),
                "fuzz_targets/{name}.rs calls fuzzing::{name}"
            );
            assert!(manifest.contains(&format!("name = \"{name}\"")), "fuzz/Cargo.toml builds {name}");
            assert!(script.contains(name), "fuzz/run runs {name}");
            let seeds: Vec<_> = std::fs::read_dir(fuzz.join("corpus").join(name)).unwrap().flatten().collect();
            assert!(!seeds.is_empty(), "{name} has seeds");
            for seed in seeds {
                target(&std::fs::read(seed.path()).unwrap());
            }
        }
        let binaries = std::fs::read_dir(fuzz.join("fuzz_targets")).unwrap().count();
        assert_eq!(binaries, super::TARGETS.len(), "every fuzz binary is one of TARGETS");
    }
}
