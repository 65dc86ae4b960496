//! The EU Synthesis Report draft: coverage, then per question the editors'
//! prose, a comparative table for yes-no and choice questions, and every
//! country's answer in protocol order; key findings; statistics. Marked
//! DRAFT on every page.

use super::{
    MarkupCache, PlanOptions, Publication, absent_countries, cover, figures, flag_legend, gap, heading, markdown,
    preamble, stats_table, style_for, text_table,
};
use crate::countries;
use crate::load::{Package, Question};
use crate::publications::markup::MarkupWriter;
use crate::render::text::TextStyle;

/// The EU synthesis report draft.
pub const SYNTHESIS: super::OneDocument =
    super::OneDocument { name: "synthesis-report-draft", applies: |_| true, plan };
pub fn plan(package: &Package, options: &PlanOptions, cache: &MarkupCache) -> Publication {
    let title = format!("{} – EU Synthesis Report (draft)", package.manifest.title);
    let mut writer = MarkupWriter::new();
    writer.raw(&preamble(&title, "en", &format!("EU Synthesis Report · DRAFT · {}", package.manifest.title), true));
    writer.raw(&cover(
        "EU Synthesis Report – working draft",
        &package.manifest.title,
        "DRAFT – not for publication",
        &[
            ("Contributions", format!("{} countries", package.contributions.len())),
            ("Reference period", super::reference_period(package)),
            ("Template", package.template.title.clone()),
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
        kind: "synthesis-report-draft",
        country: None,
        name: "synthesis-report-draft".into(),
        markup: writer.finish(),
    }
}

/// A page break that vanishes where a page is already empty.
const CHAPTER_BREAK: &str = "#pagebreak(weak: true)\n\n";

fn coverage(writer: &mut MarkupWriter, package: &Package) {
    heading(writer, 1, "Coverage", TextStyle::default());
    let rows: Vec<Vec<String>> = package
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
            let date = c.date().map(crate::dates::Date::iso).unwrap_or_default();
            vec![super::country_name(c.country(), "en"), status, date, missing]
        })
        .collect();
    writer.raw(&text_table(
        "(1.3fr, 0.7fr, 0.9fr, 1.6fr)",
        &["Country", "Status", "Date", "Required answers missing"],
        &rows,
    ));
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
    for spec in &package.template.tables {
        let data = figures::table_data(package, spec);
        heading(writer, 2, &format!("{} {}", spec.id, spec.title), TextStyle::default());
        if data.has_data() {
            writer.raw(&stats_table(&data, "en"));
            writer.raw(&super::table_note(&super::unit_and_source(&spec.unit, &data.sources)));
            flags.extend(data.flags.iter().copied());
        } else {
            gap(writer, &format!("No data for {} ({}).", spec.title, spec.indicator));
        }
    }
    writer.raw(&flag_legend(&flags));
}

/// The EMN Glossary concepts the draft's text uses (the contributions and
/// the editors' prose), with definition and source, alphabetically.
fn terms_used(writer: &mut MarkupWriter, package: &Package) {
    let glossary = &package.glossary;
    let documents = package.contributions.iter().map(|c| &c.document).chain(package.synthesis.iter());
    let mut concepts = std::collections::BTreeSet::new();
    for document in documents {
        let text = package.sources.get(&document.file).map(|s| &*s.text).unwrap_or("");
        concepts.extend(glossary.find(text, document.language()).into_iter().map(|found| found.term.concept.clone()));
    }
    let mut entries: Vec<(String, &crate::load::glossary::Definition)> = concepts
        .iter()
        .filter_map(|concept| {
            let definition = glossary.definitions.get(concept)?;
            let term = glossary.preferred(concept, "en").map_or(concept.clone(), |t| t.text.replace('*', ""));
            Some((term, definition))
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    entries.sort_by_key(|(term, _)| term.to_lowercase());
    writer.raw(CHAPTER_BREAK);
    heading(writer, 1, "Terms used", TextStyle::default());
    for (term, definition) in entries {
        writer.raw("#block(breakable: false, below: 0.9em)[#strong[");
        writer.text(&term, TextStyle::default());
        writer.raw("] — ");
        writer.text(&definition.text, TextStyle::default());
        if !definition.source.is_empty() {
            writer.raw(" #text(fill: emn-grey)[(");
            writer.text(&definition.source, TextStyle::default());
            writer.raw(")]");
        }
        writer.raw("]\n\n");
    }
    writer.raw("#text(size: 8.5pt)[");
    writer.text(crate::load::glossary::ATTRIBUTION, TextStyle::default());
    writer.raw("]\n\n");
}
