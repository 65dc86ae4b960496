//! The National Contribution of one country: cover, contents, key findings,
//! then every template question with the country's answer.

use super::document::{Node, TextStyle};
use super::words::words;
use super::{PartCache, Publication, country_name, cover, heading, heading_in, part, style_for};
use crate::load::document::has_no_content;
use crate::load::{Contribution, Document, Package, SectionKind, Status};

/// From this many words (about six pages) a contribution gets a contents page.
const CONTENTS_FROM_WORDS: usize = 2500;

/// Each country's contribution, typeset (`national/CC.pdf`).
pub struct National;

impl super::Kind for National {
    fn kind(&self) -> super::FileKind {
        super::FileKind::NationalContribution
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, cache: &PartCache) -> Vec<Publication> {
        // A contribution for the network only is no publication of the
        // public edition (its answers are withheld in every other one).
        let published =
            |c: &&Contribution| package.edition == crate::load::Edition::Network || !c.document.front.network_only();
        package.contributions.iter().filter(published).map(|c| plan(package, options, c, cache)).collect()
    }
}

pub fn plan(
    package: &Package,
    options: &super::PlanOptions,
    contribution: &Contribution,
    cache: &PartCache,
) -> Publication {
    let code = contribution.country();
    let document = &contribution.document;
    let lang = document.language();
    let style = style_for(lang);
    // The tool's own words in the NCP's language; texts that are the
    // template's (English) keep English hyphenation and line breaking.
    let own = words(lang);
    let country_name = country_name(code, lang);
    let title = format!("{} – {}: {country_name}", package.manifest.title, own.national_contribution);
    // The network's own text says so on every page, in its running head.
    let running = match document.front.network_only() {
        true => format!("{country_name} · {}", super::dissemination::words(lang).1),
        false => format!("{country_name} · {}", package.manifest.title),
    };
    let mut doc = super::doc(package, options, &title, lang, &running, contribution.status() == Some(Status::Draft));

    // The date as the NCP's language writes it (CLDR).
    let date = contribution.date().map_or_else(|| contribution.date_english(), |date| date.written(lang));
    let status = match contribution.status() {
        Some(Status::Final) => own.final_status,
        Some(Status::Draft) => own.draft_status,
        None => "",
    }
    .to_string();
    let body = &mut doc.body;
    body.push(cover(
        own.national_contribution,
        (&package.manifest.title, "en"),
        &country_name,
        &[
            (own.ncp, ncp_in(contribution, code, lang, &country_name)),
            (own.status, status),
            (own.date, date),
            (own.template, package.template.title.to_string()),
        ],
    ));
    // Contents always; a page of their own only where there is enough to
    // find one's way in (a short contribution starts below them).
    let words = crate::load::answers::count_words(&crate::load::markdown::blocks_text(&document.body));
    body.push(Node::Contents { depth: 2, own_page: words > CONTENTS_FROM_WORDS });

    if !document.preamble.is_empty() {
        body.push(heading(1, own.introduction, TextStyle::default()));
        body.push(part(cache, package, document, &document.preamble, 1, style));
    }
    for kind in [SectionKind::ExecutiveSummary, SectionKind::KeyFindings] {
        if let Some(section) = document.section(kind) {
            // The template's English heading in another language's contribution says so.
            match crate::load::document::section_title_language(&section.title).filter(|own| *own != lang) {
                Some(title_lang) => body.push(heading_in(1, &section.title, title_lang)),
                None => body.push(heading(1, &section.title, style)),
            }
            body.push(part(cache, package, document, &section.blocks, 1, style));
        }
    }
    body.extend(template_sections(cache, package, contribution, style));
    body.extend(additional_information(cache, package, document, style, own.additional));
    Publication {
        path: format!("national/{code}.pdf"),
        kind: super::FileKind::NationalContribution,
        country: Some(code.to_string()),
        name: format!("national-{code}"),
        doc,
        page_limit: None,
        word: None,
    }
}

/// The template's sections and questions, each answer (or its gap) under
/// its question, in the contribution's language where the template gives
/// its words in it.
fn template_sections(cache: &PartCache, package: &Package, contribution: &Contribution, style: TextStyle) -> Vec<Node> {
    let document = &contribution.document;
    let lang = document.language();
    let own = words(lang);
    let code = contribution.country();
    let mut nodes = Vec::new();
    // The template's words in the NCP's language where it gives them
    // (`title-translations`, `text-translations`), else its English.
    let in_language = |own: &str, english: &str| if own == english { "en" } else { lang };
    for (index, section) in package.template.sections.iter().enumerate() {
        let title = section.title_in(lang);
        nodes.push(heading_in(1, &format!("{} {title}", section.id), in_language(title, &section.title)));
        // Text the NCP wrote under the section's own heading, before its questions.
        for own in document
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::TemplateSection(index) && !has_no_content(&s.blocks))
        {
            nodes.push(part(cache, package, document, &own.blocks, 1, style));
        }
        for question in &section.questions {
            let id = question.id.get_ref();
            let text = question.text_in(lang);
            nodes.push(heading_in(2, &format!("{id} {text}"), in_language(text, &question.text)));
            nodes.push(match document.filled_answer(id) {
                Some(answer) => part(cache, package, document, &answer.blocks, 2, style),
                None if question.required => Node::Gap(own.no_answer_from(code)),
                None => Node::Note(own.optional_unanswered.to_string()),
            });
        }
    }
    nodes
}

/// The NCP as the cover names it: as the front matter says, except the
/// English wording `new-contribution` and `import-docx` write when no NCP
/// was named ("EMN National Contact Point Czechia"), which is the tool's
/// own and so is given in the contribution's language.
fn ncp_in(contribution: &Contribution, code: &str, lang: &str, country_name: &str) -> String {
    let ncp = contribution.ncp();
    if lang != "en" && ncp.trim() == crate::countries::default_ncp(code) {
        return format!("{} EMN – {country_name}", words(lang).ncp);
    }
    ncp.to_string()
}

/// Free sections and answers to questions the template does not have:
/// nothing an NCP wrote is left out.
fn additional_information(
    cache: &PartCache,
    package: &Package,
    document: &Document,
    style: TextStyle,
    title: &str,
) -> Vec<Node> {
    // A heading of the NCP's own with nothing below it is printed too (its
    // words are the NCP's); the template's section headings never are here.
    let extra: Vec<_> = document
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Other && !(has_no_content(&s.blocks) && s.title.trim().is_empty()))
        .collect();
    let unknown: Vec<_> =
        document.answers.iter().filter(|a| package.template.question(&a.question_id).is_none()).collect();
    if extra.is_empty() && unknown.is_empty() {
        return Vec::new();
    }
    let mut nodes = vec![heading(1, title, TextStyle::default())];
    for section in extra {
        nodes.push(heading(2, &section.title, style));
        nodes.push(part(cache, package, document, &section.blocks, 2, style));
    }
    for answer in unknown {
        nodes.push(heading(2, &answer.heading, style));
        nodes.push(part(cache, package, document, &answer.blocks, 2, style));
    }
    nodes
}
