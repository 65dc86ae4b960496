//! The EU Synthesis Report draft: coverage, then per question the editors'
//! prose, a comparative table for yes-no and choice questions, and every
//! country's answer in protocol order; key findings; statistics. Marked
//! DRAFT on every page, and written as Word for the Service Provider too.

use super::document::{Node, Span, TextSetting, TextStyle};
use super::{
    PartCache, PlanOptions, Publication, absent_countries, cover, figures, flag_legend, fractions, heading, part,
    stats_table, style_for, text_table,
};
use crate::load::answers::count_words;
use crate::load::markdown::blocks_text;
use crate::load::{Package, Question};

/// The EU synthesis report draft.
pub const SYNTHESIS: super::OneDocument =
    super::OneDocument { kind: super::FileKind::SynthesisReportDraft, applies: |_| true, plan };

pub fn plan(package: &Package, options: &PlanOptions, cache: &PartCache) -> Publication {
    let title = format!("{} – EU Synthesis Report (draft)", package.manifest.title);
    let mut doc = super::doc(
        package,
        options,
        &title,
        "en",
        &format!("EU Synthesis Report · DRAFT · {}", package.manifest.title),
        true,
    );
    doc.text_setting = TextSetting::WorkingDraft;
    let body = &mut doc.body;
    body.push(cover(
        "EU Synthesis Report – working draft",
        (&package.manifest.title, "en"),
        "DRAFT – not for publication",
        &[
            ("Contributions", crate::diagnostic::count(package.contributions.len(), "country", "countries")),
            ("Reference period", super::reference_period(package)),
            ("Template", package.template.title.to_string()),
            ("Draft of", options.date.english()),
        ],
    ));
    body.push(Node::Contents { depth: 2, own_page: true });
    body.extend(coverage(package));
    // Chapters and questions start on a new page: the report reads so, and
    // typst lays out the runs between page breaks in parallel, so the
    // longest document of the bundle uses every core.
    body.push(Node::PageBreak);
    body.extend(key_findings(cache, package));
    for section in &package.template.sections {
        body.push(Node::PageBreak);
        body.push(heading(1, &format!("{} {}", section.id, section.title), TextStyle::default()));
        for (index, question) in section.questions.iter().enumerate() {
            if index > 0 {
                body.push(Node::PageBreak);
            }
            body.extend(question_part(cache, package, question));
        }
    }
    body.push(Node::PageBreak);
    body.extend(statistics(package));
    if let Some(terms) = super::terms_used(package, &drafted_documents(package), "en") {
        body.push(Node::PageBreak);
        body.push(terms);
    }
    Publication {
        path: "synthesis-report-draft.pdf".into(),
        kind: super::FileKind::SynthesisReportDraft,
        country: None,
        name: "synthesis-report-draft".into(),
        doc,
        page_limit: None,
        word: Some(super::FileKind::SynthesisReportDraftWord),
    }
}

/// The coverage table's header: each contribution's status, date and the
/// required answers it lacks.
const COVERAGE_HEADER: [&str; 4] = ["Country", "Status", "Date", "Required answers missing"];

fn coverage_rows(package: &Package) -> Vec<Vec<String>> {
    package
        .contributions
        .iter()
        .map(|c| {
            let missing: Vec<&str> = package
                .template
                .questions()
                .filter(|q| q.required && c.document.filled_answer(q.id.get_ref()).is_none())
                .map(|q| q.id.get_ref().as_str())
                .collect();
            let missing = if missing.is_empty() { "none".to_string() } else { missing.join(", ") };
            let status = c.status().map_or("", crate::load::Status::name).to_string();
            let date = c.date().map(crate::dates::Date::english).unwrap_or_default();
            vec![super::country_name(c.country(), "en"), status, date, missing]
        })
        .collect()
}

fn coverage(package: &Package) -> Vec<Node> {
    let mut nodes = vec![
        heading(1, "Coverage", TextStyle::default()),
        Node::Table(text_table(&fractions(&[1.3, 0.7, 0.9, 1.6]), &COVERAGE_HEADER, &coverage_rows(package))),
    ];
    let absent = absent_countries(package);
    if !absent.is_empty() {
        nodes.push(Node::Gap(format!("No contribution received from: {}.", absent.join(", "))));
    }
    nodes
}

fn key_findings(cache: &PartCache, package: &Package) -> Vec<Node> {
    let mut nodes = vec![heading(1, "Key findings by country", TextStyle::default())];
    for (index, contribution) in package.contributions.iter().enumerate() {
        let document = &contribution.document;
        // Long key findings start a page of their own: a page run, laid out
        // in parallel, and the one `watch` lays out again after a save;
        // short ones follow on (a page each left most pages empty).
        let long = document
            .key_findings()
            .is_some_and(|findings| count_words(&blocks_text(&findings.blocks)) >= WORDS_OF_A_PAGE);
        if index > 0 && long {
            nodes.push(Node::PageBreak);
        }
        let style = style_for(document.language());
        nodes.push(heading(2, &super::country_heading(contribution, "draft answer"), TextStyle::default()));
        nodes.push(match document.key_findings() {
            Some(section) => part(cache, package, document, &section.blocks, 2, style),
            None => Node::Gap(format!(
                "No key findings received from {}.",
                super::country_name(contribution.country(), "en")
            )),
        });
        // A relative link: it opens the country's PDF beside this one in the
        // unpacked bundle (the public edition publishes none of a
        // contribution for the network only).
        if package.edition == crate::load::Edition::Network || !document.front.network_only() {
            let target = format!("national/{}.pdf", contribution.country());
            let text = format!("Full National Contribution of {}", super::country_name(contribution.country(), "en"));
            nodes.push(Node::SmallPrint(vec![Span::Link { text, target }]));
        }
    }
    nodes
}

fn question_part(cache: &PartCache, package: &Package, question: &Question) -> Vec<Node> {
    let id = question.id.get_ref();
    let mut nodes = vec![heading(2, &format!("{id} {}", question.text), TextStyle::default())];
    if let Some(synthesis) = &package.synthesis
        && let Some(prose) = synthesis.filled_answer(id)
    {
        nodes.push(Node::Kicker("Synthesis".into()));
        nodes.push(part(cache, package, synthesis, &prose.blocks, 2, style_for(synthesis.language())));
    }
    nodes.extend(super::answers_at_a_glance(package, question, true));
    for (index, contribution) in package.contributions.iter().enumerate() {
        let code = contribution.country();
        let document = &contribution.document;
        let answer = document.filled_answer(id);
        // An answer of a page or more starts on a page of its own, read as
        // a section; it is also a page run of its own, which typst lays out
        // in parallel with the others (and `watch` again alone after a
        // save). Never the first: the question stays with its answers.
        if index > 0 && answer.is_some_and(|a| count_words(&blocks_text(&a.blocks)) >= WORDS_OF_A_PAGE) {
            nodes.push(Node::PageBreak);
        }
        nodes.push(heading(3, &super::country_heading(contribution, "draft answer"), TextStyle::default()));
        nodes.push(match answer {
            Some(answer) => part(cache, package, document, &answer.blocks, 3, style_for(document.language())),
            None if question.required => Node::Gap(format!("No answer received from {code}.")),
            None => Node::Note("Not answered (optional question).".into()),
        });
    }
    nodes
}

/// About what an A4 page of the draft holds.
const WORDS_OF_A_PAGE: usize = 500;

fn statistics(package: &Package) -> Vec<Node> {
    if package.template.tables.is_empty() {
        return Vec::new();
    }
    let mut nodes = vec![heading(1, "Statistics", TextStyle::default())];
    let mut flags = std::collections::BTreeSet::new();
    let (shown, left_out) = figures::shown_tables(package);
    for (spec, data) in shown {
        nodes.push(heading(2, &format!("{} {}", spec.id, spec.title), TextStyle::default()));
        if data.has_data() {
            nodes.push(stats_table(&data, "en"));
            nodes.push(Node::small(super::unit_and_source(&spec.unit, &data.sources)));
            flags.extend(data.flags.iter().copied());
        } else {
            nodes.push(Node::Gap(format!("No data for {} ({}).", spec.title, spec.indicator)));
        }
    }
    if let Some(text) = figures::left_out_note(&left_out) {
        nodes.push(Node::Note(text));
    }
    nodes.extend(flag_legend(&flags));
    nodes
}

/// What the draft's text is made of, each in its own language: the
/// contributions and the editors' prose.
fn drafted_documents(package: &Package) -> Vec<(&crate::load::Document, &str)> {
    package
        .contributions
        .iter()
        .map(|c| &c.document)
        .chain(package.synthesis.iter())
        .map(|document| (document, document.language()))
        .collect()
}
