//! Document plans: one module per publication, each turning the package into
//! typst markup for the shared layout in `templates/layout.typ`.
//!
//! A new publication is a new file here plus one line in [`plan`].

pub mod national;

use crate::dates::Date;
use crate::load::markdown::Block;
use crate::load::{Document, Package, paths};
use crate::render::markup::{Context, MarkupWriter, TextStyle, escape, string_literal};

/// One PDF of the bundle, planned but not yet typeset.
#[derive(Debug, Clone)]
pub struct Publication {
    /// Path inside the bundle, e.g. `national/CZ.pdf`.
    pub path: String,
    /// Publication kind, e.g. `national-contribution`.
    pub kind: &'static str,
    pub country: Option<String>,
    /// Unique document name, e.g. `national-CZ`.
    pub name: String,
    pub markup: String,
}

/// What every plan needs besides the package.
pub struct PlanOptions {
    pub date: Date,
    /// Mark gaps visibly instead of refusing to build.
    pub allow_incomplete: bool,
}

/// Plans every publication of the package.
pub fn plan(package: &Package, options: &PlanOptions) -> Vec<Publication> {
    let mut publications: Vec<Publication> = package
        .contributions
        .iter()
        .map(|contribution| national::plan(package, contribution, options))
        .collect();
    publications.sort_by(|a, b| a.path.cmp(&b.path));
    publications
}

/// The first lines of every document: the layout import and the page setup.
pub fn preamble(title: &str, lang: &str, running: &str, draft: bool) -> String {
    let (lang, region) = match lang {
        "cs" => ("cs", "\"CZ\""),
        other if other.len() == 2 && other.chars().all(|c| c.is_ascii_lowercase()) => {
            (other, "none")
        }
        _ => ("en", "none"),
    };
    format!(
        "#import \"/__emn__/layout.typ\": *\n#show: publication.with(title: {}, lang: \"{lang}\", region: {region}, running: {}, draft: {draft})\n\n",
        string_literal(title),
        string_literal(running)
    )
}

/// A cover call: `details` are (label, value) pairs.
pub fn cover(kind: &str, title: &str, subtitle: &str, details: &[(&str, String)]) -> String {
    let details: String = details
        .iter()
        .map(|(label, value)| format!("({}, {}),", string_literal(label), string_literal(value)))
        .collect();
    format!(
        "#cover(kind: {}, title: {}, subtitle: {}, details: ({details}))\n\n",
        string_literal(kind),
        string_literal(title),
        string_literal(subtitle)
    )
}

/// Writes a heading from plain text.
pub fn heading(writer: &mut MarkupWriter, level: u8, text: &str, style: TextStyle) {
    writer.raw(&format!("#heading(level: {level})["));
    // PDF/UA refuses empty headings.
    writer.text(
        if text.trim().is_empty() {
            "(untitled)"
        } else {
            text
        },
        style,
    );
    writer.raw("]\n\n");
}

/// A visible mark for something missing (used with `--allow-incomplete`).
pub fn gap(writer: &mut MarkupWriter, text: &str) {
    writer.raw("#gap[");
    writer.text(text, TextStyle::default());
    writer.raw("]\n\n");
}

/// Writes Markdown blocks of `document` under a heading of `heading_level`.
pub fn markdown(
    writer: &mut MarkupWriter,
    package: &Package,
    document: &Document,
    blocks: &[Block],
    heading_level: u8,
    style: TextStyle,
) {
    let image_ok = |relative: &str| {
        matches!(
            package.referenced.get(relative),
            Some(paths::FileFacts::File { image: Some(_), bytes }) if *bytes <= paths::MAX_IMAGE_BYTES
        )
    };
    let context = Context {
        file: &document.file,
        footnotes: &document.footnotes,
        image_ok: &image_ok,
        heading_level,
        style,
    };
    writer.blocks(blocks, &context);
}

/// Text styles by language: Czech gets Czech typography.
pub fn style_for(lang: &str) -> TextStyle {
    TextStyle {
        smart_quotes: lang == "cs",
        czech: lang == "cs",
    }
}

/// Escaped text for use inside trusted markup.
pub fn text(text: &str) -> String {
    escape(text, TextStyle::default())
}
