//! The format-neutral document a publication plans (stage 3's output): what
//! it says and how it is structured, never how it looks in one format.
//! The writers (`write::typst`, `write::word`) each receive the same
//! [`Doc`] and decide only its looks, as pandoc's writers receive one AST
//! and mdBook's renderers one `Book`.
//!
//! The NCPs' Markdown enters as a [`Part`]: its blocks already decided by
//! [`super::flow`] (heading depth, empty headings, which links are links,
//! missing images, task boxes, alt text, notes), so no writer walks
//! Markdown or makes those choices again.

use std::sync::Arc;

pub use super::flow::Align;
use super::flow::{Captioned, Flow};

/// Typographic choices of a text's language, decided in the plan (see
/// [`super::typography`]) and printed alike by every writer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// The quotes its language prints for the straight ones typed (none:
    /// as typed).
    pub quotes: Option<Quotes>,
    /// The one-letter words its language keeps with the next word by a
    /// no-break space (Czech `v`, `k`, `a` ..., as the `vlna` tool does for
    /// TeX); empty: none.
    pub one_letter_words: &'static str,
}

/// A language's quotation marks: opening and closing, double and single.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    pub double: [&'static str; 2],
    pub single: [&'static str; 2],
}

/// One publication as a document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// Its language tag (`en`, `cs`, `de-AT`).
    pub lang: String,
    /// The running head of its pages (empty: none).
    pub running: String,
    /// Also in the running head: the heading of this level a page's text
    /// runs on under (the changes report's country, page after page).
    pub running_section: Option<u8>,
    /// Marked DRAFT on every page.
    pub draft: bool,
    /// How its running text is set.
    pub text_setting: TextSetting,
    pub notice: Notice,
    pub page: PageStyle,
    /// The build's date (the Word file's properties).
    pub date: crate::dates::Date,
    pub body: Vec<Node>,
}

/// The disclaimer and copyright notice every publication carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    pub disclaimer: String,
    pub copyright: String,
}

/// How a publication's running text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSetting {
    /// Justified, each text hyphenated by its own language, notes at the
    /// foot of the page: a publication.
    Justified,
    /// A working draft (the synthesis), whose answers editors copy into
    /// the report: ragged right and never hyphenated, so its words come out
    /// whole, as from the Word draft; each part's notes right after it, as
    /// on the web page. Without hyphenation typst tries far fewer line
    /// breaks, each of which shapes the line again, and without footnotes
    /// it lays no page out twice: the synthesis typesets about a third faster.
    WorkingDraft,
}

/// How a publication's pages are set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// Running head and page numbers.
    Pages,
    /// A single sheet (the Flash): no running head, the notice at its foot.
    Sheet,
}

/// A block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A title page.
    Cover(Cover),
    /// A short publication's head on its first page.
    Banner {
        kind: String,
        title: String,
        details: Vec<(String, String)>,
    },
    /// The Flash's coloured masthead: a label over the title.
    Masthead {
        label: String,
        title: String,
    },
    /// The contents, down to `depth`; on a page of its own or not.
    Contents {
        depth: u8,
        own_page: bool,
    },
    /// A new page where the current one is not empty (a chapter starts).
    PageBreak,
    /// Pages from here on are landscape (wide tables).
    Landscape,
    Heading(Heading),
    Paragraph(Paragraph),
    /// A small label kept with what follows it ("Synthesis").
    Kicker(String),
    /// Something missing from the package, shown as such.
    Gap(String),
    /// A neutral editorial remark (nothing is missing).
    Note(String),
    /// Small print under a table: its unit and source, the flags.
    SmallPrint(Vec<Span>),
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
    Table(Table),
    Stats(StatsTable),
    Chart(Chart),
    Map(Map),
    /// Label–value pairs in two columns (the Flash's scope).
    Facts(Vec<(String, String)>),
    /// Columns side by side, each its own flow of nodes.
    Columns(Columns),
    /// Short items shared evenly between two columns (the Inform's key findings).
    Balanced(Vec<Node>),
    /// Nodes kept on one page with what follows (a table and its notes).
    Keep(Vec<Node>),
    /// The rest of the page left empty (the Flash's foot).
    Fill,
    /// What an NCP or editor wrote, with its file and line.
    Part(Part),
    /// Glossary terms with definitions and the Glossary's attribution.
    Terms(Terms),
    /// The body set to fit `pages` pages: `normal` if it fits, else `compact`.
    Fit(Box<Fit>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub kind: String,
    pub title: String,
    /// The title's language (the package's title is English in a national
    /// PDF in another language).
    pub title_lang: String,
    pub subtitle: String,
    pub details: Vec<(String, String)>,
    /// The network's name in the cover's language; `None`: the words'.
    pub network: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for a chapter.
    pub level: u8,
    pub text: String,
    /// The words' language where it is not the document's (the template's
    /// English question in a Czech national PDF).
    pub lang: Option<String>,
    pub style: TextStyle,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub spans: Vec<Span>,
    pub style: TextStyle,
}

/// Inline text the plans write (an NCP's text is a [`Part`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Strong(String),
    /// A link: only http, https, mailto, or a file of the bundle.
    Link {
        text: String,
        target: String,
    },
    /// A little space between a label and its value.
    Gap,
    /// Words added since the last edition (`changes.pdf`). Every writer
    /// marks them in marks as well as in looks: `[+ … +]`.
    Inserted(String),
    /// Words removed since the last edition: `[− … −]`, struck through.
    Deleted(String),
}

/// The marks around inserted and deleted words, the same in every format.
/// The spaces inside them do not break: a mark stays with its words, never
/// a lone "+]" at the start of a line.
pub const INSERTED_MARKS: (&str, &str) = ("[+\u{a0}", "\u{a0}+]");
pub const DELETED_MARKS: (&str, &str) = ("[\u{2212}\u{a0}", "\u{a0}\u{2212}]");

/// A table of text cells with a header row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative column widths; `Auto` as wide as the content.
    pub widths: Vec<Width>,
    pub align: Vec<Align>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Words never hyphenated (names of ministries in narrow cells).
    pub no_hyphenation: bool,
    /// Set by [`Doc::number_captions`].
    pub caption: Option<Caption>,
}

/// A table's or figure's number and words, decided once for every edition
/// ("Table 3: Coverage", "Obrázek 1: …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    /// "Table", "Figure" in the document's language.
    pub label: String,
    pub number: usize,
    /// The heading or label a table is under, a figure's alt text; may be empty.
    pub words: String,
}

impl std::fmt::Display for Caption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.label, self.number)?;
        if !self.words.is_empty() {
            write!(f, ": {}", self.words)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Width {
    Auto,
    /// A share of the width left.
    Fraction(f32),
    Cm(f32),
}

/// A statistics table: a label column, then values with their flags;
/// figures right-aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsTable {
    pub header: Vec<String>,
    pub rows: Vec<StatsRow>,
    /// The EU total or the sum, set in bold.
    pub total: Option<StatsRow>,
    /// Set by [`Doc::number_captions`].
    pub caption: Option<Caption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatsRow {
    pub label: String,
    pub cells: Vec<StatsCell>,
    /// Its name on a web page (`T1-BE`), which verified figures link to.
    pub anchor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsCell {
    /// A value as printed (":" when not available) and its flag.
    Value { shown: String, flag: String },
    /// A plain text cell (a change in percent).
    Text(String),
}

/// A bar chart: one bar per item.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub caption: String,
    pub items: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A map of Europe coloured by category.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub categories: Vec<super::maps::Category>,
    pub no_answer: Vec<String>,
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub widths: Vec<Width>,
    pub cells: Vec<Vec<Node>>,
}

/// What an NCP (or an editor) wrote: one Markdown part, decided once.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The package file it is in, and the line it starts at.
    pub file: String,
    pub line: usize,
    /// Its author's language, wherever it is printed.
    pub lang: String,
    /// The level of the heading it sits under: its own headings go below.
    pub level: u8,
    pub style: TextStyle,
    pub flow: Arc<Flow>,
    /// The caption of each of its tables and figures, by the index the flow
    /// gives it (set by [`Doc::number_captions`]).
    pub captions: Vec<Caption>,
}

impl Part {
    /// The level a heading of this part at `depth` (1: the part's top) has
    /// in the document.
    pub fn heading_level(&self, depth: u8) -> u8 {
        self.level + depth
    }

    /// The caption of the flow's table or figure `index`.
    pub fn caption(&self, index: usize) -> Option<&Caption> {
        self.captions.get(index)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub title: String,
    pub entries: Vec<Term>,
    pub attribution: String,
    pub style: TextStyle,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub definition: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub pages: usize,
    pub normal: Setting,
    pub compact: Setting,
}

/// One way of setting a body: its margins and text size.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The page margin all round, in cm; `None`: the layout's own.
    pub margin_cm: Option<f32>,
    /// The text size in points; `None`: the layout's own.
    pub text_pt: Option<f32>,
    pub body: Vec<Node>,
}

impl Doc {
    /// Every node of the document in reading order, nested ones after their
    /// container (a fitted body's normal setting only: what is read when it fits).
    pub fn nodes(&self) -> Vec<&Node> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for node in nodes {
                out.push(node);
                match node {
                    Node::Columns(columns) => columns.cells.iter().for_each(|cell| walk(cell, out)),
                    Node::Balanced(inner) | Node::Keep(inner) => walk(inner, out),
                    Node::Fit(fit) => walk(&fit.normal.body, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.body, &mut out);
        out
    }

    /// The document's outline as every writer must give it: (level, text)
    /// of each heading, the NCPs' own headings included.
    pub fn outline(&self) -> Vec<(u8, String)> {
        let mut outline = Vec::new();
        for node in self.nodes() {
            match node {
                Node::Heading(heading) => outline.push((heading.level, heading_words(&heading.text))),
                Node::Part(part) => outline
                    .extend(part.flow.headings().into_iter().map(|(depth, text)| (part.heading_level(depth), text))),
                Node::Terms(terms) if !terms.entries.is_empty() => outline.push((1, terms.title.clone())),
                _ => {}
            }
        }
        outline
    }

    /// The gap notices, in order.
    pub fn gaps(&self) -> Vec<&str> {
        self.nodes()
            .into_iter()
            .filter_map(|n| if let Node::Gap(text) = n { Some(text.as_str()) } else { None })
            .collect()
    }

    /// Every table and figure caption as printed, in reading order (a
    /// fitted body's normal setting only).
    pub fn captions(&self) -> Vec<String> {
        let mut captions = Vec::new();
        for node in self.nodes() {
            match node {
                Node::Table(Table { caption: Some(caption), .. })
                | Node::Stats(StatsTable { caption: Some(caption), .. }) => captions.push(caption.to_string()),
                Node::Part(part) => {
                    captions.extend(part.flow.captioned().into_iter().filter_map(|event| match event {
                        Captioned::Table(index) | Captioned::Figure(index, _) => {
                            part.caption(index).map(ToString::to_string)
                        }
                        Captioned::Heading(_) => None,
                    }))
                }
                _ => {}
            }
        }
        captions
    }

    /// Whether its body is fitted to its pages ([`Node::Fit`]).
    pub fn is_fitted(&self) -> bool {
        self.body.iter().any(|node| matches!(node, Node::Fit(_)))
    }

    /// Sets the document as typst set it: each fitted body replaced by the
    /// setting typst chose, so the web page and the Word file show what the
    /// PDF shows.
    pub fn settle(&mut self, fit: crate::output::Fit) {
        self.body = std::mem::take(&mut self.body)
            .into_iter()
            .flat_map(|node| match node {
                Node::Fit(fitted) => match fit {
                    crate::output::Fit::Normal => fitted.normal.body,
                    crate::output::Fit::Compact => fitted.compact.body,
                },
                other => vec![other],
            })
            .collect();
    }

    /// Numbers the tables and figures in reading order and gives each its
    /// caption in the document's language: a table the heading or label it
    /// is under, a figure its alt text. Every edition prints these, so
    /// "Table 13" is the same table in each. Each setting of a fitted body
    /// is numbered on its own, from where the body starts.
    pub fn number_captions(&mut self) {
        let words = super::words::words(&self.lang);
        let mut numbering = Numbering { table: words.table, figure: words.figure, ..Default::default() };
        numbering.nodes(&mut self.body);
    }
}

#[derive(Default, Clone)]
struct Numbering {
    table: &'static str,
    figure: &'static str,
    tables: usize,
    figures: usize,
    /// The heading or label last read: a table's caption words.
    context: String,
}

impl Numbering {
    fn nodes(&mut self, nodes: &mut [Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn next_table(&mut self) -> Caption {
        self.tables += 1;
        Caption { label: self.table.to_string(), number: self.tables, words: self.context.clone() }
    }

    fn node(&mut self, node: &mut Node) {
        match node {
            Node::Heading(heading) => self.context = heading_words(&heading.text),
            Node::Kicker(label) => self.context.clone_from(label),
            Node::Table(table) => table.caption = Some(self.next_table()),
            Node::Stats(stats) => stats.caption = Some(self.next_table()),
            Node::Columns(columns) => columns.cells.iter_mut().for_each(|cell| self.nodes(cell)),
            Node::Balanced(inner) | Node::Keep(inner) => self.nodes(inner),
            Node::Fit(fit) => {
                let start = self.clone();
                self.nodes(&mut fit.normal.body);
                let after_normal = std::mem::replace(self, start);
                self.nodes(&mut fit.compact.body);
                if after_normal.tables + after_normal.figures > self.tables + self.figures {
                    *self = after_normal;
                }
            }
            Node::Part(part) => {
                let mut captions = Vec::new();
                for event in part.flow.captioned() {
                    match event {
                        Captioned::Heading(words) => self.context = words,
                        Captioned::Table(index) => place(&mut captions, index, self.next_table()),
                        Captioned::Figure(index, alt) => {
                            self.figures += 1;
                            let caption = Caption { label: self.figure.to_string(), number: self.figures, words: alt };
                            place(&mut captions, index, caption);
                        }
                    }
                }
                part.captions = captions;
            }
            _ => {}
        }
    }
}

/// Puts `caption` at `index` of a part's captions.
fn place(captions: &mut Vec<Caption>, index: usize, caption: Caption) {
    if captions.len() <= index {
        captions.resize(index + 1, Caption { label: String::new(), number: 0, words: String::new() });
    }
    captions[index] = caption;
}

/// A heading's words as printed: PDF/UA refuses an empty heading.
pub fn heading_words(text: &str) -> String {
    if super::flow::displayable(text).trim().is_empty() { "(untitled)".to_string() } else { text.to_string() }
}

impl Heading {
    pub fn new(level: u8, text: impl Into<String>) -> Self {
        Self { level, text: text.into(), lang: None, style: TextStyle::default() }
    }
}

impl Node {
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Node::Heading(Heading::new(level, text))
    }

    /// A paragraph of plain text in the default style.
    pub fn text(text: impl Into<String>) -> Self {
        Node::Paragraph(Paragraph { spans: vec![Span::Text(text.into())], style: TextStyle::default() })
    }

    pub fn small(text: impl Into<String>) -> Self {
        Node::SmallPrint(vec![Span::Text(text.into())])
    }
}
