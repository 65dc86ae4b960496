//! The National Contribution of one country: cover, contents, key findings,
//! then every template question with the country's answer.

use super::{MarkupCache, Publication, cover, gap, heading, markdown, note, style_for};
use crate::countries;
use crate::load::document::has_no_content;
use crate::load::{Contribution, Document, Package, SectionKind, Status};
use crate::publications::escape::TextStyle;
use crate::publications::markup::MarkupWriter;

/// From this many words (about six pages) a contribution gets a contents page.
const CONTENTS_FROM_WORDS: usize = 2500;

/// Each country's contribution, typeset (`national/CC.pdf`).
pub struct National;

impl super::Kind for National {
    fn kind(&self) -> super::FileKind {
        super::FileKind::NationalContribution
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, cache: &super::MarkupCache) -> Vec<Publication> {
        package.contributions.iter().map(|c| plan(package, options, c, cache)).collect()
    }
}
pub fn plan(
    package: &Package,
    options: &super::PlanOptions,
    contribution: &Contribution,
    cache: &MarkupCache,
) -> Publication {
    let code = contribution.country();
    let country_name = countries::find(code).map(|c| c.name_en).unwrap_or(code);
    let document = &contribution.document;
    let lang = document.language();
    let style = style_for(lang);
    let title = format!("{} – National Contribution of {country_name}", package.manifest.title);
    let mut writer = MarkupWriter::new();
    writer.raw(&super::package_preamble(
        package,
        options,
        &title,
        lang,
        &format!("{country_name} · {}", package.manifest.title),
        contribution.status() == Some(Status::Draft),
    ));

    let date = contribution.date_english();
    let status = match contribution.status() {
        Some(Status::Final) => "Final",
        Some(Status::Draft) => "Draft",
        None => "",
    }
    .to_string();
    writer.raw(&cover(
        "National Contribution",
        &package.manifest.title,
        country_name,
        &[
            ("National Contact Point", contribution.ncp().to_string()),
            ("Status", status),
            ("Date", date),
            ("Template", package.template.title.to_string()),
        ],
    ));
    // Contents always; a page of their own only where there is enough to
    // find one's way in (a short contribution starts below them).
    let words = crate::load::answers::count_words(&crate::load::markdown::blocks_text(&document.body));
    writer.raw("#outline(depth: 2)\n\n");
    if words > CONTENTS_FROM_WORDS {
        writer.raw("#pagebreak()\n\n");
    }

    if !document.preamble.is_empty() {
        heading(&mut writer, 1, "Introduction", TextStyle::default());
        markdown(&mut writer, cache, package, document, &document.preamble, 1, style);
    }
    for kind in [SectionKind::ExecutiveSummary, SectionKind::KeyFindings] {
        if let Some(section) = document.section(kind) {
            heading(&mut writer, 1, &section.title, style);
            markdown(&mut writer, cache, package, document, &section.blocks, 1, style);
        }
    }
    for section in &package.template.sections {
        heading(&mut writer, 1, &format!("{} {}", section.id, section.title), TextStyle::default());
        for question in &section.questions {
            let id = question.id.get_ref();
            heading(&mut writer, 2, &format!("{id} {}", question.text), TextStyle::default());
            match document.filled_answer(id) {
                Some(answer) => markdown(&mut writer, cache, package, document, &answer.blocks, 2, style),
                None if question.required => gap(&mut writer, &format!("No answer received from {code}.")),
                None => note(&mut writer, "Not answered (optional question)."),
            }
        }
    }
    additional_information(&mut writer, cache, package, document, style);
    Publication {
        path: format!("national/{code}.pdf"),
        kind: super::FileKind::NationalContribution,
        country: Some(code.to_string()),
        name: format!("national-{code}"),
        markup: writer.finish(),
        page_limit: None,
    }
}

/// Free sections and answers to questions the template does not have:
/// nothing an NCP wrote is left out.
fn additional_information(
    writer: &mut MarkupWriter,
    cache: &MarkupCache,
    package: &Package,
    document: &Document,
    style: TextStyle,
) {
    // Headings with nothing below them count: the NCP wrote them.
    let extra: Vec<_> = document
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Other && !(has_no_content(&s.blocks) && s.title.trim().is_empty()))
        .collect();
    let unknown: Vec<_> =
        document.answers.iter().filter(|a| package.template.question(&a.question_id).is_none()).collect();
    if !extra.is_empty() || !unknown.is_empty() {
        heading(writer, 1, "Additional information", TextStyle::default());
        for section in extra {
            heading(writer, 2, &section.title, style);
            markdown(writer, cache, package, document, &section.blocks, 2, style);
        }
        for answer in unknown {
            heading(writer, 2, &answer.heading, style);
            markdown(writer, cache, package, document, &answer.blocks, 2, style);
        }
    }
}
