//! The Flash: exactly one A4 page that a reader takes in at a glance — the
//! study's aim, the questions it answers, the headline figures, key
//! messages (the counts of yes-no and choice answers), a chart of the
//! latest year, and the scope beside a map of the countries taking part.
//!
//! Its markup holds two settings and typst sets the compact one (never
//! below 9 pt, without the chart) when the normal one does not fit on the
//! page; if even that overflows, the build fails naming what to shorten.

use super::{
    Fit, PlanOptions, Publication, answer_counts, closed_answers, figures, latest_year_chart, string_array, text,
};
use crate::load::{AnswerKind, Package};

/// The one-page Flash.
pub struct Flash;

impl super::Kind for Flash {
    fn kind(&self) -> super::FileKind {
        super::FileKind::Flash
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, _cache: &super::MarkupCache) -> Vec<Publication> {
        vec![plan(package, options)]
    }
}

/// The Flash, both settings in one markup (see [`super::fit_pages`]).
pub fn plan(package: &Package, options: &PlanOptions) -> Publication {
    let title = format!("{} – EMN Flash", package.manifest.title);
    let mut markup = super::package_preamble(package, options, &title, "en", "", false);
    markup.push_str("#set page(header: none, footer: context notice-block(notice-state.get()))\n#set par(justify: false, spacing: 1.1em)\n");
    let normal = body(package, options, Fit::Normal);
    let compact = body(package, options, Fit::Compact);
    let margin = |m: &str| format!("(top: {m}, bottom: {m}, x: {m})");
    markup.push_str(&super::fit_pages(1, (&margin("1.8cm"), &normal), (&margin("1.4cm"), &compact)));
    let words: usize = package.template.flash_questions.iter().map(|q| crate::load::answers::count_words(q)).sum();
    let hint = format!(
        "it must fit on one: shorten the template's flash-questions, now {} questions and {words} words, its aim, or the package title",
        package.template.flash_questions.len()
    );
    Publication {
        path: "flash.pdf".into(),
        kind: super::FileKind::Flash,
        country: None,
        name: "flash".into(),
        markup,
        page_limit: Some(super::PageLimit { pages: 1, what: "the Flash", hint }),
    }
}

/// The page's content set normally (11 pt, a chart) or compactly.
fn body(package: &Package, options: &PlanOptions, fit: Fit) -> String {
    let size = match fit {
        Fit::Normal => "11pt",
        Fit::Compact => "9pt",
    };
    let mut markup = format!(
        "#set text(size: {size})\n\
         #block(width: 100%, fill: emn-blue, inset: 14pt, radius: 2pt)[#set text(fill: white, hyphenate: false)\n#set par(justify: false)\n#text(size: 9pt, weight: \"bold\")[EMN FLASH]\\\n#text(size: 1.6em, weight: \"bold\")[{}]]\n\n",
        text(&package.manifest.title)
    );
    if let Some(aim) = package.template.aim.as_deref().filter(|a| !a.trim().is_empty()) {
        markup.push_str(&format!("#kicker[Aim]\n\n{}\n\n", text(aim)));
    }
    // Set compactly, the map goes beside the questions (their lines leave
    // room there); else beside the scope at the foot.
    let map_beside_questions = fit == Fit::Compact && !package.template.flash_questions.is_empty();
    if !package.template.flash_questions.is_empty() {
        if map_beside_questions {
            markup.push_str("#grid(columns: (1fr, 4.2cm), gutter: 1em, [\n");
        }
        markup.push_str("#kicker[What the study answers]\n\n#enum(");
        for question in &package.template.flash_questions {
            markup.push_str(&format!("[{}], ", text(question)));
        }
        markup.push_str(")\n\n");
        if map_beside_questions {
            markup.push_str(&format!("], [\n{}])\n\n", participants_map(package)));
        }
    }
    key_messages(&mut markup, package, fit);
    let mut headlines = super::headline_rows(package);
    headlines.truncate(MAX_HEADLINES);
    if !headlines.is_empty() {
        markup.push_str("#kicker[Headline figures]\n\n#table(columns: (2fr, 0.5fr, 1.3fr, 1.4fr), align: (left, right, right, right), table.header([*Indicator*], [*Year*], [*Value*], [*Change*]), ");
        for row in &headlines {
            for cell in row {
                markup.push_str(&format!("[{}], ", text(cell)));
            }
        }
        markup.push_str(")\n\n");
    }
    if fit == Fit::Normal
        && let Some(spec) = package.template.tables.iter().find(|t| t.required)
    {
        let data = figures::table_data(package, spec);
        if data.rows.len() <= CHART_MAX_COUNTRIES {
            markup.push_str(&latest_year_chart(&data, "en"));
        }
    }
    // The scope closes the page, at its foot: the page is the reader's.
    markup.push_str("#v(1fr)\n");
    if map_beside_questions {
        scope(&mut markup, package, options);
    } else {
        markup.push_str("#grid(columns: (1fr, 6.2cm), gutter: 1em, [\n");
        scope(&mut markup, package, options);
        markup.push_str(&format!("], [\n{}])\n", participants_map(package)));
    }
    markup.push_str("#text(size: 8pt, fill: emn-grey)[European Migration Network · The National Contributions, the EU Synthesis Report and the Statistical Annex are part of this package.]\n");
    markup
}

/// The one page holds at most this many key messages and headline rows
/// (a template may have dozens of closed questions and tables).
const MAX_KEY_MESSAGES: usize = 6;
const MAX_HEADLINES: usize = 4;

/// A chart with more bars than this does not fit beside the text.
const CHART_MAX_COUNTRIES: usize = 12;

/// Longest question and answer counts of a key message set compactly
/// (a template question may have 3,000 characters).
const COMPACT_KEY_MESSAGE_CHARS: usize = 160;

/// Key messages: for each yes-no and choice question, what the countries answered.
fn key_messages(markup: &mut String, package: &Package, fit: Fit) {
    let fitted = |text: &str| match fit {
        Fit::Normal => text.to_string(),
        Fit::Compact => super::shortened(text, COMPACT_KEY_MESSAGE_CHARS),
    };
    let mut items = Vec::new();
    for question in package.template.questions().filter(|q| q.answer != AnswerKind::Text) {
        let counts = answer_counts(question, &closed_answers(package, question), false);
        if !counts.is_empty() && items.len() < MAX_KEY_MESSAGES {
            items.push(format!(
                "[{} #h(0.3em) #strong[{}]]",
                text(&fitted(&question.text)),
                text(&fitted(&counts.join(" · ")))
            ));
        }
    }
    if !items.is_empty() {
        markup.push_str(&format!(
            "#kicker[Key messages: what {} answered]\n\n#list({})\n\n",
            match package.contributions.len() {
                1 => "the one country".to_string(),
                n => format!("{n} countries"),
            },
            items.join(", ")
        ));
    }
}

/// The map of the countries taking part, for the reader's first glance.
fn participants_map(package: &Package) -> String {
    let taking_part: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    let alt = format!(
        "Map of Europe: {} taking part in this study ({}) {} highlighted; other countries are grey.",
        match taking_part.len() {
            1 => "the one country".to_string(),
            n => format!("the {n} countries"),
        },
        taking_part.join(", "),
        if taking_part.len() == 1 { "is" } else { "are" }
    );
    let categories = [super::maps::Category { label: "Taking part".into(), countries: taking_part }];
    super::maps::figure(&categories, &[], &alt, "100%")
}

fn scope(markup: &mut String, package: &Package, options: &PlanOptions) {
    let countries: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    let period = Some(super::reference_period(package)).filter(|p| !p.is_empty()).unwrap_or_else(|| "–".into());
    markup.push_str("#kicker[Scope]\n\n");
    markup.push_str(&format!(
        "#grid(columns: (4cm, 1fr), row-gutter: 0.6em, ..{}.map(x => [#x]))\n\n",
        string_array([
            "Countries".to_string(),
            format!("{} ({})", countries.len(), countries.join(", ")),
            "Reference period".to_string(),
            period,
            "Template".to_string(),
            package.template.title.to_string(),
            "Published".to_string(),
            options.date.english(),
        ])
    ));
}
