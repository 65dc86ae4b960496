//! The Inform: a few pages (at most 8) of main findings and headline
//! figures — the editors' `inform.md` when they wrote one, otherwise
//! generated from the flash questions, the countries' key findings and the
//! statistics.

use super::{Fit, MarkupCache, PlanOptions, Publication, banner, heading, markdown, style_for, text};
use crate::load::Package;
use crate::load::markdown::{Block, inline_text};
use crate::publications::markup::MarkupWriter;
use crate::render::text::TextStyle;

/// Most pages of an Inform ("a few pages").
pub const MAX_PAGES: usize = 8;

/// Most words of key findings carried whole; above it the Inform cannot
/// fit in 8 pages, so it carries excerpts without trying (typesetting a
/// 130-page draft only to discard it took 100 s on the benchmark).
const WHOLE_FINDINGS_WORDS: usize = 4500;

/// Longest key-finding excerpt per country, in words, so 35 countries fit in 8 pages.
const EXCERPT_WORDS: usize = 70;

/// The Inform: at most [`MAX_PAGES`] pages.
pub struct Inform;

impl super::Kind for Inform {
    fn name(&self) -> &'static str {
        "inform"
    }

    fn plan(
        &self,
        package: &Package,
        options: &super::PlanOptions,
        cache: &super::MarkupCache,
        fit: super::Fit,
    ) -> Vec<Publication> {
        vec![plan(package, options, cache, fit)]
    }

    fn page_limit(&self) -> Option<usize> {
        Some(MAX_PAGES)
    }

    fn too_long(&self, package: &Package, pages: usize) -> String {
        let what = if package.inform.is_some() { "inform.md" } else { "the countries' key findings" };
        format!("the Inform takes {pages} pages, more than {MAX_PAGES} (hint: shorten {what})")
    }
}
/// `Fit::Normal` carries the countries' key findings whole; `Fit::Compact`
/// (when that exceeds the page limit) their first paragraph, cut to
/// [`EXCERPT_WORDS`] words.
pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache, fit: Fit) -> Publication {
    let title = format!("{} – EMN Inform", package.manifest.title);
    let mut writer = MarkupWriter::new();
    writer.raw(&super::package_preamble(
        package,
        options,
        &title,
        "en",
        &format!("EMN Inform · {}", package.manifest.title),
        false,
    ));
    writer.raw(&banner(
        "EMN Inform",
        &package.manifest.title,
        &[
            ("Countries", format!("{}", package.contributions.len())),
            ("Reference period", super::reference_period(package)),
            ("Published", options.date.english()),
        ],
    ));
    match &package.inform {
        Some(inform) => {
            if !inform.preamble.is_empty() {
                markdown(&mut writer, cache, package, inform, &inform.preamble, 1, style_for(inform.language()));
            }
            markdown(
                &mut writer,
                cache,
                package,
                inform,
                &inform.body[inform.preamble.len()..],
                0,
                style_for(inform.language()),
            );
        }
        None => generated(&mut writer, cache, package, fit),
    }
    Publication {
        path: "inform.pdf".into(),
        kind: "inform",
        country: None,
        name: "inform".into(),
        markup: writer.finish(),
    }
}

fn generated(writer: &mut MarkupWriter, cache: &MarkupCache, package: &Package, fit: Fit) {
    let words: usize = package
        .contributions
        .iter()
        .filter_map(|c| c.document.key_findings())
        .map(|s| crate::load::answers::count_words(&crate::load::markdown::blocks_text(&s.blocks)))
        .sum();
    let fit = if words > WHOLE_FINDINGS_WORDS { Fit::Compact } else { fit };
    heading(writer, 1, "What the study asks", TextStyle::default());
    writer.raw("#list(");
    for question in &package.template.flash_questions {
        writer.raw("[");
        writer.text(question, TextStyle::default());
        writer.raw("], ");
    }
    writer.raw(")\n\n");
    headline_figures(writer, package);
    heading(writer, 1, "Key findings", TextStyle::default());
    writer.raw("#balanced-columns[\n");
    for contribution in &package.contributions {
        let document = &contribution.document;
        let Some(section) = document.key_findings() else { continue };
        let style = style_for(document.language());
        writer.raw("#strong[");
        writer.text(&super::country_name(contribution.country(), "en"), TextStyle::default());
        writer.raw("] ");
        match fit {
            Fit::Normal => {
                writer.raw("\n\n");
                markdown(writer, cache, package, document, &section.blocks, 2, style);
            }
            Fit::Compact => {
                writer.text(&excerpt(&section.blocks), style);
                writer.raw("\n\n");
            }
        }
    }
    writer.raw("]\n\n");
}

/// The first paragraph of key findings, cut to [`EXCERPT_WORDS`] words.
fn excerpt(blocks: &[Block]) -> String {
    let first = blocks.iter().find_map(|b| match b {
        Block::Paragraph(inlines) => Some(inline_text(inlines)),
        Block::List { items, .. } => items.first().and_then(|i| match i.blocks.first() {
            Some(Block::Paragraph(inlines)) => Some(inline_text(inlines)),
            _ => None,
        }),
        _ => None,
    });
    let text = first.unwrap_or_default();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > EXCERPT_WORDS { format!("{} …", words[..EXCERPT_WORDS].join(" ")) } else { words.join(" ") }
}

/// Latest year and change over the period for each required table.
fn headline_figures(writer: &mut MarkupWriter, package: &Package) {
    let mut rows = String::new();
    for [title, year, value, change] in super::headline_rows(package) {
        rows.push_str(&format!("[{}], [{}], [{}], [{}],", text(&title), text(&year), text(&value), text(&change)));
    }
    if rows.is_empty() {
        return;
    }
    heading(writer, 1, "Headline figures", TextStyle::default());
    writer.raw(&format!(
        "#table(columns: (2fr, 0.6fr, 1.2fr, 1fr), align: (left, right, right, right), table.header([*Indicator*], [*Year*], [*Total*], [*Change over the period*]), {rows})\n\n"
    ));
}
