//! The EU Synthesis Report draft: coverage, then per question the editors'
//! prose, a comparative table for yes-no and choice questions, and every
//! country's answer in protocol order; key findings; statistics. Marked
//! DRAFT on every page.

use super::{
    MarkupCache, PlanOptions, Publication, absent_countries, cover, figures, flag_legend, gap, heading, markdown,
    stats_table, style_for, text_table,
};
use crate::countries;
use crate::load::{Package, Question};
use crate::publications::escape::TextStyle;
use crate::publications::markup::MarkupWriter;

/// The EU synthesis report draft.
pub const SYNTHESIS: super::OneDocument =
    super::OneDocument { kind: super::FileKind::SynthesisReportDraft, applies: |_| true, plan, data: Some(word_draft) };
pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let title = format!("{} – EU Synthesis Report (draft)", package.manifest.title);
    let mut writer = MarkupWriter::new();
    writer.raw(&super::package_preamble(
        package,
        options,
        &title,
        "en",
        &format!("EU Synthesis Report · DRAFT · {}", package.manifest.title),
        true,
    ));
    writer.raw(&cover(
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
    writer.raw("#outline(depth: 2)\n#pagebreak()\n\n");
    coverage(&mut writer, package);
    // Chapters and questions start on a new page: the report reads so, and
    // typst lays out the runs between page breaks in parallel, so the
    // longest document of the bundle uses every core.
    writer.raw(CHAPTER_BREAK);
    key_findings(&mut writer, cache, package);
    for section in &package.template.sections {
        writer.raw(CHAPTER_BREAK);
        heading(&mut writer, 1, &format!("{} {}", section.id, section.title), TextStyle::default());
        for (index, question) in section.questions.iter().enumerate() {
            if index > 0 {
                writer.raw(CHAPTER_BREAK);
            }
            question_part(&mut writer, cache, package, question);
        }
    }
    writer.raw(CHAPTER_BREAK);
    statistics(&mut writer, package);
    terms_used(&mut writer, package);
    Publication {
        path: "synthesis-report-draft.pdf".into(),
        kind: super::FileKind::SynthesisReportDraft,
        country: None,
        name: "synthesis-report-draft".into(),
        markup: writer.finish(),
        page_limit: None,
    }
}

/// A page break that vanishes where a page is already empty.
const CHAPTER_BREAK: &str = "#pagebreak(weak: true)\n\n";

/// The coverage table's header and rows: each contribution's status, date
/// and the required answers it lacks.
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

fn coverage(writer: &mut MarkupWriter, package: &Package) {
    heading(writer, 1, "Coverage", TextStyle::default());
    writer.raw(&text_table("(1.3fr, 0.7fr, 0.9fr, 1.6fr)", &COVERAGE_HEADER, &coverage_rows(package)));
    let absent = absent_countries(package);
    if !absent.is_empty() {
        gap(writer, &format!("No contribution received from: {}.", absent.join(", ")));
    }
}

fn key_findings(writer: &mut MarkupWriter, cache: &MarkupCache, package: &Package) {
    heading(writer, 1, "Key findings by country", TextStyle::default());
    for contribution in &package.contributions {
        let document = &contribution.document;
        let style = style_for(document.language());
        heading(writer, 2, &super::country_name(contribution.country(), "en"), TextStyle::default());
        match document.key_findings() {
            Some(section) => markdown(writer, cache, package, document, &section.blocks, 2, style),
            None => gap(writer, &format!("No key findings received from {}.", contribution.country())),
        }
        // A relative link: it opens the country's PDF beside this one in the unpacked bundle.
        let target = format!("national/{}.pdf", contribution.country());
        writer.raw(&format!(
            "#text(size: 8.5pt)[#link({})[{}]]\n\n",
            super::string_literal(&target),
            super::text(&format!("Full National Contribution: {target}"))
        ));
    }
}

fn question_part(writer: &mut MarkupWriter, cache: &MarkupCache, package: &Package, question: &Question) {
    let id = question.id.get_ref();
    heading(writer, 2, &format!("{id} {}", question.text), TextStyle::default());
    if let Some(synthesis) = &package.synthesis
        && let Some(prose) = synthesis.filled_answer(id)
    {
        writer.raw("#kicker[Synthesis]\n\n");
        markdown(writer, cache, package, synthesis, &prose.blocks, 2, style_for(synthesis.language()));
    }
    super::answers_at_a_glance(writer, package, question, true);
    for contribution in &package.contributions {
        let code = contribution.country();
        let name = countries::find(code).map(|c| c.name_en).unwrap_or(code);
        heading(writer, 3, name, TextStyle::default());
        match contribution.document.filled_answer(id) {
            Some(answer) => markdown(
                writer,
                cache,
                package,
                &contribution.document,
                &answer.blocks,
                3,
                style_for(contribution.document.language()),
            ),
            None if question.required => gap(writer, &format!("No answer received from {code}.")),
            None => super::note(writer, "Not answered (optional question)."),
        }
    }
}

fn statistics(writer: &mut MarkupWriter, package: &Package) {
    if package.template.tables.is_empty() {
        return;
    }
    heading(writer, 1, "Statistics", TextStyle::default());
    let mut flags = std::collections::BTreeSet::new();
    let (shown, left_out) = figures::shown_tables(package);
    for (spec, data) in shown {
        heading(writer, 2, &format!("{} {}", spec.id, spec.title), TextStyle::default());
        if data.has_data() {
            writer.raw(&stats_table(&data, "en"));
            writer.raw(&super::table_note(&super::unit_and_source(&spec.unit, &data.sources)));
            flags.extend(data.flags.iter().copied());
        } else {
            gap(writer, &format!("No data for {} ({}).", spec.title, spec.indicator));
        }
    }
    if let Some(text) = figures::left_out_note(&left_out) {
        super::note(writer, &text);
    }
    writer.raw(&flag_legend(&flags));
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

/// The EMN Glossary concepts the draft's text uses (the contributions and
/// the editors' prose), with definition and source, alphabetically.
fn terms_used(writer: &mut MarkupWriter, package: &Package) {
    let documents = drafted_documents(package);
    super::terms_used(writer, package, &documents, "en", CHAPTER_BREAK);
}

/// `synthesis-report-draft.docx`: the draft's content as a Word document
/// the Service Provider edits (see [`super::word`]).
fn word_draft(package: &Package, options: &PlanOptions) -> Vec<super::DataFile> {
    let title = format!("{} – EU Synthesis Report (draft)", package.manifest.title);
    let mut word = super::word::WordWriter::new(package);
    word.paragraph("Subtitle", "EU Synthesis Report – working draft");
    word.paragraph("Title", &package.manifest.title);
    word.paragraph("Subtitle", "DRAFT – not for publication");
    for (label, value) in [
        ("Contributions: ", crate::diagnostic::count(package.contributions.len(), "country", "countries")),
        ("Reference period: ", super::reference_period(package)),
        ("Template: ", package.template.title.to_string()),
        ("Draft of: ", options.date.english()),
    ] {
        word.labelled(label, &value);
    }
    let notice = super::Notice::for_package(package, options.date, "en");
    word.paragraph("Caption", &notice.disclaimer);
    word.paragraph("Caption", &notice.copyright);
    word.page_break();
    word.table_of_contents();
    word.page_break();
    word.heading(1, "Coverage");
    word.text_table(&COVERAGE_HEADER, &coverage_rows(package));
    let absent = super::absent_countries(package);
    if !absent.is_empty() {
        word.gap(&format!("No contribution received from: {}.", absent.join(", ")));
    }
    word.heading(1, "Key findings by country");
    for contribution in &package.contributions {
        word.heading(2, &super::country_name(contribution.country(), "en"));
        match contribution.document.key_findings() {
            Some(section) => word.blocks(&contribution.document, &section.blocks, 2),
            None => word.gap(&format!("No key findings received from {}.", contribution.country())),
        }
        let target = format!("national/{}.pdf", contribution.country());
        word.link_paragraph(&format!("Full National Contribution: {target}"), &target);
    }
    for section in &package.template.sections {
        word.heading(1, &format!("{} {}", section.id, section.title));
        for question in &section.questions {
            word_question(&mut word, package, question);
        }
    }
    word_statistics(&mut word, package);
    word_terms_used(&mut word, package);
    let properties = super::word::Properties {
        title: &title,
        language: "en",
        date: options.date,
        header: "EU Synthesis Report · DRAFT – not for publication",
    };
    word.finish(&properties)
        .map(|bytes| super::DataFile {
            path: "synthesis-report-draft.docx".into(),
            kind: super::FileKind::SynthesisReportDraftWord,
            bytes,
        })
        .into_iter()
        .collect()
}

fn word_question(word: &mut super::word::WordWriter, package: &Package, question: &Question) {
    let id = question.id.get_ref();
    word.heading(2, &format!("{id} {}", question.text));
    if let Some(synthesis) = &package.synthesis
        && let Some(prose) = synthesis.filled_answer(id)
    {
        word.labelled("Synthesis", "");
        word.blocks(synthesis, &prose.blocks, 2);
    }
    super::word_answers_at_a_glance(word, package, question, true);
    for contribution in &package.contributions {
        let code = contribution.country();
        word.heading(3, &super::country_name(code, "en"));
        match contribution.document.filled_answer(id) {
            Some(answer) => word.blocks(&contribution.document, &answer.blocks, 3),
            None if question.required => word.gap(&format!("No answer received from {code}.")),
            None => word.note("Not answered (optional question)."),
        }
    }
}

fn word_statistics(word: &mut super::word::WordWriter, package: &Package) {
    if package.template.tables.is_empty() {
        return;
    }
    word.heading(1, "Statistics");
    let mut flags = std::collections::BTreeSet::new();
    let (shown, left_out) = figures::shown_tables(package);
    for (spec, data) in shown {
        word.heading(2, &format!("{} {}", spec.id, spec.title));
        if data.has_data() {
            word.stats_table(&data, "en");
            word.paragraph("Caption", &super::unit_and_source(&spec.unit, &data.sources));
            flags.extend(data.flags.iter().copied());
        } else {
            word.gap(&format!("No data for {} ({}).", spec.title, spec.indicator));
        }
    }
    if let Some(text) = figures::left_out_note(&left_out) {
        word.paragraph("Normal", &text);
    }
    if let Some(legend) = super::flag_legend_text(&flags) {
        word.paragraph("Caption", &legend);
    }
}

fn word_terms_used(word: &mut super::word::WordWriter, package: &Package) {
    let entries = super::glossary_entries(package, &drafted_documents(package), "en");
    if entries.is_empty() {
        return;
    }
    word.heading(1, "Terms used");
    for (term, definition) in entries {
        let source = if definition.source.is_empty() { String::new() } else { format!(" ({})", definition.source) };
        word.labelled(&format!("{term} — "), &format!("{}{source}", definition.text));
    }
    word.paragraph("Caption", crate::load::glossary::ATTRIBUTION);
}
