//! The Inform: a few pages (at most 8) of main findings and headline
//! figures — the editors' `inform.md` when they wrote one, otherwise
//! generated from the flash questions, the countries' key findings and the
//! statistics.

use super::document::{Node, Paragraph, Setting, Span, TextStyle};
use super::{Fit, PartCache, PlanOptions, Publication, banner, heading, part, style_for};
use crate::load::Package;
use crate::load::markdown::{Block, inline_text};

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

    fn plan(&self, package: &Package, options: &super::PlanOptions, cache: &PartCache) -> Vec<Publication> {
        vec![plan(package, options, cache)]
    }
}

/// Generated, the Inform holds both settings (see [`super::fit_pages`]):
/// `Fit::Normal` carries the countries' key findings whole, `Fit::Compact`
/// their first paragraph, cut to [`EXCERPT_WORDS`] words.
pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    let title = format!("{} – EMN Inform", package.manifest.title);
    let mut doc =
        super::doc(package, options, &title, "en", &format!("EMN Inform · {}", package.manifest.title), false);
    let setting = |fit: Fit| {
        let mut body = vec![inform_banner(package, options)];
        body.extend(generated(cache, package, fit));
        Setting { margin_cm: None, text_pt: None, body }
    };
    let what;
    match &package.inform {
        Some(inform) => {
            what = "inform.md";
            doc.body.push(inform_banner(package, options));
            let style = style_for(inform.language());
            if !inform.preamble.is_empty() {
                doc.body.push(part(cache, package, inform, &inform.preamble, 1, style));
            }
            let body = &inform.body[inform.preamble.len()..];
            doc.body.push(part(cache, package, inform, body, 0, style));
        }
        None => {
            what = "the countries' key findings";
            if findings_words(package) > WHOLE_FINDINGS_WORDS {
                doc.body.extend(setting(Fit::Compact).body);
            } else {
                doc.body.push(Node::Fit(Box::new(super::document::Fit {
                    pages: MAX_PAGES,
                    normal: setting(Fit::Normal),
                    compact: setting(Fit::Compact),
                })));
            }
        }
    }
    Publication {
        path: "inform.pdf".into(),
        kind: super::FileKind::Inform,
        country: None,
        name: "inform".into(),
        doc,
        page_limit: Some(super::PageLimit { pages: MAX_PAGES, what: "the Inform", hint: format!("shorten {what}") }),
        word: None,
    }
}

fn inform_banner(package: &Package, options: &PlanOptions) -> Node {
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

fn generated(cache: &PartCache, package: &Package, fit: Fit) -> Vec<Node> {
    let mut nodes = vec![
        heading(1, "What the study asks", TextStyle::default()),
        Node::List {
            ordered: false,
            items: package.template.flash_questions.iter().map(|q| vec![Span::Text(q.to_string())]).collect(),
        },
    ];
    nodes.extend(headline_figures(package));
    nodes.push(heading(1, "Key findings", TextStyle::default()));
    let mut findings = Vec::new();
    for contribution in &package.contributions {
        let document = &contribution.document;
        let Some(section) = document.key_findings() else { continue };
        let style = style_for(document.language());
        let name = Span::Strong(super::country_name(contribution.country(), "en"));
        match fit {
            Fit::Normal => {
                // A label kept with what follows: never a country's name at
                // the foot of a column and its findings at the top of the next.
                findings.push(Node::Kicker(super::country_name(contribution.country(), "en")));
                findings.push(part(cache, package, document, &section.blocks, 2, style));
            }
            Fit::Compact => findings.push(Node::Paragraph(Paragraph {
                spans: vec![name, Span::Text(" ".into()), Span::Text(excerpt(&section.blocks))],
                style,
            })),
        }
    }
    nodes.push(Node::Balanced(findings));
    nodes
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
fn headline_figures(package: &Package) -> Vec<Node> {
    let rows = super::headline_rows(package);
    if rows.is_empty() {
        return Vec::new();
    }
    let mut nodes = vec![heading(1, "Headline figures", TextStyle::default())];
    let header = ["Indicator", "Year", "Total", "Change over the period"];
    nodes.extend(super::headline_figures_table(header, [2.0, 0.6, 1.2, 1.0], rows));
    nodes
}
