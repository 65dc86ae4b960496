//! Every example of the GitHub Flavored Markdown spec (tests/fixtures/gfm,
//! CC-BY-SA 4.0, see SOURCE.txt) must typeset into a valid PDF/UA-1 file,
//! and its words must come out as text.

use std::collections::BTreeMap;

use emn_pub::load::markdown;
use emn_pub::publications::document::{Doc, Node, PageStyle, Part, TextSetting, TextStyle};
use emn_pub::publications::flow;
use emn_pub::render::{RenderJob, render};

use crate::support::*;

/// The Markdown input of every example, with `→` turned back into tabs.
pub fn examples() -> Vec<(usize, String)> {
    examples_with_html().into_iter().map(|(number, input, _)| (number, input)).collect()
}

/// Every example: number, Markdown input, and the HTML the spec expects.
fn examples_with_html() -> Vec<(usize, String, String)> {
    let spec = std::fs::read_to_string(repo().join("tests/fixtures/gfm/spec.txt")).unwrap();
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(&format!("{fence} example")) {
            let mut input = String::new();
            for line in lines.by_ref() {
                if line == "." {
                    break;
                }
                input.push_str(line);
                input.push('\n');
            }
            let mut html = String::new();
            for line in lines.by_ref() {
                if line.starts_with(&fence) {
                    break;
                }
                html.push_str(line);
                html.push('\n');
            }
            out.push((out.len() + 1, input.replace('→', "\t"), html.replace('→', "\t")));
        }
    }
    out
}

/// The text of the spec's expected HTML: tags dropped, entities decoded.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn typeset(number: usize, input: &str) -> Result<Vec<u8>, String> {
    let parsed = markdown::parse(input, 1, "example.md");
    let no_images = |_: &str| None;
    let sources = flow::Sources { footnotes: &parsed.footnotes, image_format: &no_images, figure_rows: &[] };
    // The example as an NCP's answer under a heading, planned and written
    // as every publication is.
    let doc = Doc {
        title: format!("GFM example {number}"),
        lang: "en".into(),
        running: "GFM".into(),
        running_section: None,
        draft: false,
        text_setting: TextSetting::Justified,
        notice: Default::default(),
        page: PageStyle::Pages,
        date: emn_pub::dates::Date::from_unix(0),
        body: vec![
            Node::heading(1, "Example"),
            Node::Part(Part {
                file: "contributions/XX.md".into(),
                line: 1,
                lang: "en".into(),
                level: 1,
                style: TextStyle::default(),
                flow: std::sync::Arc::new(flow::normalise(&parsed.blocks, &sources)),
                captions: Vec::new(),
            }),
        ],
    };
    let mut doc = doc;
    doc.number_captions();
    let markup = emn_pub::write::typst::document(&doc);
    let root = repo();
    let name = format!("gfm-{number}");
    let fonts = emn_pub::fonts::FontSet::builtin();
    // As writing ends (`write::typst::write`): what no font has is replaced.
    let markup = fonts.replace_missing(&markup).into_owned();
    render(RenderJob { name: &name, markup, root: &root, date: (2025, 1, 1), package_id: "gfm", fonts })
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
    // Examples whose text the spec's HTML gives exactly, punctuation
    // included: code, tables, escapes, strikethrough, emphasis, links,
    // entities, lists, block quotes, footnote-free paragraphs.
    let examples = examples_with_html();
    for number in [1, 205, 308, 491, 350, 481, 25, 253, 228, 199] {
        let (_, input, html) = &examples[number - 1];
        let expected = html_text(html);
        let pdf = typeset(number, input).unwrap();
        let text = pdf_text(&pdf);
        assert!(squeeze(&text).contains(&squeeze(&expected)), "example {number}: {expected:?} not in {text:?}");
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
    for input in [
        "`྾`",
        "AA\u{64b}",
        "AA\u{64b}0",
        "〓𝋠",
        "⁁a",
        "emoji ✅ and 中文 and العربية",
        "ൎ*\u{bd7}",
        "\u{3000}\u{1cf30}",
    ] {
        let result = typeset(2000, input);
        assert!(result.is_ok(), "{input:?}: {result:?}");
    }
}
