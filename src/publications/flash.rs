//! The Flash: exactly one A4 page that a reader takes in at a glance — the
//! study's aim, the questions it answers, the headline figures, key
//! messages (the counts of yes-no and choice answers), a chart of the
//! latest year, and the scope beside a map of the countries taking part.
//!
//! It is planned in two settings and typst sets the compact one (never
//! below 9 pt, without the chart) when the normal one does not fit on the
//! page; if even that overflows, the build fails naming what to shorten.

use super::document::{Columns, Node, PageStyle, Setting, Span, Width};
use super::{Fit, PartCache, PlanOptions, Publication, answer_counts, closed_answers, figures, latest_year_chart};
use crate::load::{AnswerKind, Package};

/// The one-page Flash.
pub struct Flash;

impl super::Kind for Flash {
    fn kind(&self) -> super::FileKind {
        super::FileKind::Flash
    }

    fn plan(&self, package: &Package, options: &super::PlanOptions, _cache: &PartCache) -> Vec<Publication> {
        vec![plan(package, options)]
    }
}

/// The Flash, both settings planned (see [`super::document::Node::Fit`]).
pub fn plan(package: &Package, options: &PlanOptions) -> Publication {
    let title = format!("{} – EMN Flash", package.manifest.title);
    let mut doc = super::doc(package, options, &title, "en", "", false);
    doc.page = PageStyle::Sheet;
    let setting = |fit: Fit| Setting {
        margin_cm: Some(if fit == Fit::Normal { 1.8 } else { 1.4 }),
        text_pt: Some(if fit == Fit::Normal { 11.0 } else { 9.0 }),
        body: body(package, options, fit),
    };
    doc.body.push(Node::Fit(Box::new(super::document::Fit {
        pages: 1,
        normal: setting(Fit::Normal),
        compact: setting(Fit::Compact),
    })));
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
        doc,
        page_limit: Some(super::PageLimit { pages: 1, what: "the Flash", hint }),
        word: None,
    }
}

/// The page's content set normally (a chart) or compactly.
fn body(package: &Package, options: &PlanOptions, fit: Fit) -> Vec<Node> {
    let mut nodes = vec![Node::Masthead { label: "EMN FLASH".into(), title: package.manifest.title.to_string() }];
    if let Some(aim) = package.template.aim.as_deref().filter(|a| !a.trim().is_empty()) {
        nodes.push(Node::Kicker("Aim".into()));
        nodes.push(Node::text(aim));
    }
    // Set compactly, the map goes beside the questions (their lines leave
    // room there); else beside the scope at the foot.
    let map_beside_questions = fit == Fit::Compact && !package.template.flash_questions.is_empty();
    if !package.template.flash_questions.is_empty() {
        let questions = vec![
            Node::Kicker("What the study answers".into()),
            Node::List {
                ordered: true,
                items: package.template.flash_questions.iter().map(|q| vec![Span::Text(q.to_string())]).collect(),
            },
        ];
        if map_beside_questions {
            nodes.push(Node::Columns(Columns {
                widths: vec![Width::Fraction(1.0), Width::Cm(4.2)],
                cells: vec![questions, vec![participants_map(package)]],
            }));
        } else {
            nodes.extend(questions);
        }
    }
    nodes.extend(key_messages(package, fit));
    let mut headlines = super::headline_rows(package);
    headlines.truncate(MAX_HEADLINES);
    if !headlines.is_empty() {
        nodes.push(Node::Kicker("Headline figures".into()));
        let header = ["Indicator", "Year", "Value", "Change"];
        nodes.extend(super::headline_figures_table(header, [2.0, 0.5, 1.3, 1.4], headlines));
    }
    if fit == Fit::Normal
        && let Some(spec) = package.template.tables.iter().find(|t| t.required)
    {
        let data = figures::table_data(package, spec);
        if data.rows.len() <= CHART_MAX_COUNTRIES {
            nodes.extend(latest_year_chart(&data, "en"));
        }
    }
    // The scope closes the page, at its foot: the page is the reader's.
    nodes.push(Node::Fill);
    if map_beside_questions {
        nodes.extend(scope(package, options));
    } else {
        nodes.push(Node::Columns(Columns {
            widths: vec![Width::Fraction(1.0), Width::Cm(6.2)],
            cells: vec![scope(package, options), vec![participants_map(package)]],
        }));
    }
    nodes.push(Node::small(
        "European Migration Network · The National Contributions, the EU Synthesis Report and the Statistical Annex are part of this package.",
    ));
    nodes
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
fn key_messages(package: &Package, fit: Fit) -> Vec<Node> {
    let fitted = |text: &str| match fit {
        Fit::Normal => text.to_string(),
        Fit::Compact => super::shortened(text, COMPACT_KEY_MESSAGE_CHARS),
    };
    let mut items = Vec::new();
    for question in package.template.questions().filter(|q| q.answer != AnswerKind::Text) {
        let counts = answer_counts(question, &closed_answers(package, question), false);
        if !counts.is_empty() && items.len() < MAX_KEY_MESSAGES {
            items.push(vec![Span::Text(fitted(&question.text)), Span::Gap, Span::Strong(fitted(&counts.join(" · ")))]);
        }
    }
    if items.is_empty() {
        return Vec::new();
    }
    let who = match package.contributions.len() {
        1 => "the one country".to_string(),
        n => format!("{n} countries"),
    };
    vec![Node::Kicker(format!("Key messages: what {who} answered")), Node::List { ordered: false, items }]
}

/// The map of the countries taking part, for the reader's first glance.
fn participants_map(package: &Package) -> Node {
    let taking_part: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    let alt = format!(
        "Map of Europe: {} taking part in this study ({}) {} highlighted; other countries are grey.",
        match taking_part.len() {
            1 => "the one country".to_string(),
            n => format!("the {n} countries"),
        },
        taking_part.iter().map(|c| super::country_name(c, "en")).collect::<Vec<_>>().join(", "),
        if taking_part.len() == 1 { "is" } else { "are" }
    );
    let categories = vec![super::maps::Category { label: "Taking part".into(), countries: taking_part }];
    Node::Map(super::document::Map { categories, no_answer: Vec::new(), alt })
}

/// Countries, reference period, template and date of publication.
fn scope(package: &Package, options: &PlanOptions) -> Vec<Node> {
    let countries: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    let period = Some(super::reference_period(package)).filter(|p| !p.is_empty()).unwrap_or_else(|| "–".into());
    vec![
        Node::Kicker("Scope".into()),
        Node::Facts(vec![
            ("Countries".into(), format!("{} ({})", countries.len(), countries.join(", "))),
            ("Reference period".into(), period),
            ("Template".into(), package.template.title.to_string()),
            ("Published".into(), options.date.english()),
        ]),
    ]
}
