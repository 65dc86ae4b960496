//! The Inform: a few pages (at most 8) of main findings and headline
//! figures — the editors' `inform.md` when they wrote one, otherwise
//! generated from the flash questions, the countries' key findings and the
//! statistics.

use super::{Fit, MarkupCache, PlanOptions, Publication, banner, heading, markdown, style_for, text};
use crate::load::Package;
use crate::load::markdown::{Block, inline_text};
use crate::publications::escape::TextStyle;
use crate::publications::markup::MarkupWriter;

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
    fn kind(&self) -> super::FileKind {
        super::FileKind::Inform
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, cache: &MarkupCache) -> Vec<Publication> {
        vec![plan(package, options, cache)]
    }
}

/// Generated, the Inform holds both settings (see [`super::fit_pages`]):
/// `Fit::Normal` carries the countries' key findings whole, `Fit::Compact`
/// their first paragraph, cut to [`EXCERPT_WORDS`] words.
pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
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
    let setting = |fit: Fit| {
        let mut writer = MarkupWriter::new();
        writer.raw(&inform_banner(package, options));
        generated(&mut writer, cache, package, fit);
        writer.finish()
    };
    let what;
    match &package.inform {
        Some(inform) => {
            what = "inform.md";
            writer.raw(&inform_banner(package, options));
            if !inform.preamble.is_empty() {
                markdown(&mut writer, cache, package, inform, &inform.preamble, 1, style_for(inform.language()));
            }
            let body = &inform.body[inform.preamble.len()..];
            markdown(&mut writer, cache, package, inform, body, 0, style_for(inform.language()));
        }
        None => {
            what = "the countries' key findings";
            if findings_words(package) > WHOLE_FINDINGS_WORDS {
                writer.raw(&setting(Fit::Compact));
            } else {
                let (normal, compact) = (setting(Fit::Normal), setting(Fit::Compact));
                writer.raw(&super::fit_pages(MAX_PAGES, ("page-margin", &normal), ("page-margin", &compact)));
            }
        }
    }
    Publication {
        path: "inform.pdf".into(),
        kind: super::FileKind::Inform,
        country: None,
        name: "inform".into(),
        markup: writer.finish(),
        page_limit: Some(super::PageLimit { pages: MAX_PAGES, what: "the Inform", hint: format!("shorten {what}") }),
    }
}

fn inform_banner(package: &Package, options: &PlanOptions) -> String {
    banner(
        "EMN Inform",
        &package.manifest.title,
        &[
            ("Countries", format!("{}", package.contributions.len())),
            ("Reference period", super::reference_period(package)),
            ("Published", options.date.english()),
        ],
    )
}

/// Words of the countries' key findings.
fn findings_words(package: &Package) -> usize {
    package
        .contributions
        .iter()
        .filter_map(|c| c.document.key_findings())
        .map(|s| crate::load::answers::count_words(&crate::load::markdown::blocks_text(&s.blocks)))
        .sum()
}

fn generated(writer: &mut MarkupWriter, cache: &MarkupCache, package: &Package, fit: Fit) {
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
