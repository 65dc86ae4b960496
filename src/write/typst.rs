//! A planned document as typst markup for the layout in
//! `templates/layout.typ` (then typeset by `render`).
//!
//! Every piece of text goes through [`escape`] or [`string_literal`], the
//! security boundary; this module only decides how each node looks.

use crate::fonts::FontSet;
use crate::output::FileKind;
use crate::publications::document::{
    Align, Caption, Chart, Columns, Cover, Doc, Heading, Node, PageStyle, Paragraph, Part, Setting, Span, StatsCell,
    StatsRow, StatsTable, Table, Terms, TextSetting, TextStyle, Width,
};
use crate::publications::flow::{FlowBlock, FlowInline, Image, TASK_DONE, TASK_OPEN};
use crate::publications::{PageLimit, Publication, maps, words};
use crate::write::escape::{escape, source_marker, string_literal};

/// A publication as typst markup, ready to typeset.
#[derive(Debug, Clone)]
pub struct Markup {
    /// Path inside the bundle, e.g. `national/CZ.pdf`.
    pub path: String,
    pub kind: FileKind,
    pub country: Option<String>,
    /// Unique document name, e.g. `national-CZ`.
    pub name: String,
    pub markup: String,
    pub page_limit: Option<PageLimit>,
}

/// The folder typst reads package files from (pictures): `render`'s
/// world serves it from the package, inside the package only.
pub const PACKAGE: &str = "package";

/// The virtual path typst loads a package file from.
pub fn package_path(relative: &str) -> String {
    format!("/{PACKAGE}/{relative}")
}

/// Writes a publication as typst markup. A character no font has (only
/// with `--allow-incomplete`: `validate` refuses it) is replaced, so typst
/// never sets a blank box.
pub fn write(publication: &Publication, fonts: &FontSet) -> Markup {
    let markup = document(&publication.doc);
    let markup = match fonts.replace_missing(&markup) {
        std::borrow::Cow::Owned(replaced) => replaced,
        std::borrow::Cow::Borrowed(_) => markup,
    };
    Markup {
        path: publication.path.clone(),
        kind: publication.kind,
        country: publication.country.clone(),
        name: publication.name.clone(),
        markup,
        page_limit: publication.page_limit.clone(),
    }
}

/// The markup of a whole document.
pub fn document(doc: &Doc) -> String {
    let mut writer = Writer {
        out: String::new(),
        lang: crate::countries::primary_language(&doc.lang),
        prefixes: Default::default(),
        notes_after_parts: doc.text_setting == TextSetting::WorkingDraft,
    };
    writer.preamble(doc);
    writer.nodes(&doc.body);
    writer.out
}

struct Writer {
    out: String,
    /// The document's language (primary subtag).
    lang: String,
    /// Parts written so far with each label prefix, so identical parts of
    /// one file still get labels of their own.
    prefixes: std::collections::HashMap<String, usize>,
    /// A part's notes follow it (a working draft) instead of standing at
    /// the foot of the page.
    notes_after_parts: bool,
}

/// A language tag as typst's `text(lang:)` takes it (`cs-CZ` → `cs`);
/// `None` for one typst does not read (it would refuse the document).
fn typst_lang(tag: &str) -> Option<String> {
    let lang = crate::countries::primary_language(tag);
    ((2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase())).then_some(lang)
}

fn width(width: &Width) -> String {
    match width {
        Width::Auto => "auto".into(),
        Width::Fraction(f) => format!("{f}fr"),
        Width::Cm(cm) => format!("{cm}cm"),
    }
}

fn widths(widths: &[Width]) -> String {
    format!("({},)", widths.iter().map(width).collect::<Vec<_>>().join(", "))
}

fn align(align: &Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

fn pairs(details: &[(String, String)]) -> String {
    details.iter().map(|(label, value)| format!("({}, {}),", string_literal(label), string_literal(value))).collect()
}

/// A typst array literal of string literals: `("a", "b",)`.
fn string_array<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let inner: String = items.into_iter().map(|s| format!("{},", string_literal(s.as_ref()))).collect();
    format!("({inner})")
}

impl Writer {
    fn text(&mut self, text: &str, style: TextStyle) {
        self.out.push_str(&escape(text, style));
    }

    fn preamble(&mut self, doc: &Doc) {
        let lang = typst_lang(&doc.lang).unwrap_or_else(|| "en".to_string());
        let region = if lang == "cs" { "\"CZ\"" } else { "none" };
        let notice = if doc.notice.disclaimer.is_empty() && doc.notice.copyright.is_empty() {
            "none".to_string()
        } else {
            format!(
                "[{}\\ {}]",
                escape(&doc.notice.disclaimer, TextStyle::default()),
                escape(&doc.notice.copyright, TextStyle::default())
            )
        };
        let own = words::words(&lang);
        let words = format!(
            "(page: {}, of: {}, contents: {}, draft: {}, figure: {}, table: {}, network: {})",
            string_literal(own.page),
            string_literal(own.of),
            string_literal(own.contents),
            string_literal(own.draft_mark),
            string_literal(own.figure),
            string_literal(own.table),
            string_literal(own.network),
        );
        self.out.push_str(&format!(
            "#import \"/__emn__/layout.typ\": *\n#show: publication.with(title: {}, lang: \"{lang}\", region: {region}, running: {}, running-level: {}, draft: {}, ragged: {}, notice: {notice}, words: {words})\n\n",
            string_literal(&doc.title),
            string_literal(&doc.running),
            doc.running_section.map_or_else(|| "none".to_string(), |level| level.to_string()),
            doc.draft,
            doc.text_setting == TextSetting::WorkingDraft,
        ));
        if doc.page == PageStyle::Sheet {
            self.out.push_str("#set page(header: none, footer: context notice-block(notice-state.get()))\n#set par(justify: false, spacing: 1.1em)\n");
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Cover(cover) => self.cover(cover),
            Node::Banner { kind, title, details } => self.out.push_str(&format!(
                "#banner(kind: {}, title: {}, details: ({}))\n\n",
                string_literal(kind),
                string_literal(title),
                pairs(details)
            )),
            Node::Masthead { label, title } => {
                self.out.push_str("#block(width: 100%, fill: emn-blue, inset: 14pt, radius: 2pt)[#set text(fill: white, hyphenate: false)\n#set par(justify: false)\n#text(size: 9pt, weight: \"bold\")[");
                self.text(label, TextStyle::default());
                self.out.push_str("]\\\n#text(size: 1.6em, weight: \"bold\")[");
                self.text(title, TextStyle::default());
                self.out.push_str("]]\n\n");
            }
            Node::Contents { depth, own_page } => {
                self.out.push_str(&format!("#outline(depth: {depth})\n\n"));
                if *own_page {
                    self.out.push_str("#pagebreak()\n\n");
                }
            }
            Node::PageBreak => self.out.push_str("#pagebreak(weak: true)\n\n"),
            Node::Landscape => self.out.push_str("#set page(flipped: true)\n\n"),
            Node::Heading(heading) => self.heading(heading),
            Node::Paragraph(Paragraph { spans, style }) => {
                self.spans(spans, *style);
                self.out.push_str("\n\n");
            }
            Node::Kicker(text) => self.call("kicker", text),
            Node::Gap(text) => self.call("gap", text),
            Node::Note(text) => self.call("note", text),
            Node::SmallPrint(spans) => {
                self.out.push_str("#text(size: 8.5pt)[");
                self.spans(spans, TextStyle::default());
                self.out.push_str("]\n\n");
            }
            Node::List { ordered, items } => {
                self.out.push_str(if *ordered { "#enum(" } else { "#list(" });
                for item in items {
                    self.out.push('[');
                    self.spans(item, TextStyle::default());
                    self.out.push_str("], ");
                }
                self.out.push_str(")\n\n");
            }
            Node::Table(table) => self.table(table),
            Node::Stats(stats) => self.stats(stats),
            Node::Chart(chart) => self.chart(chart),
            Node::Map(map) => self.map(map),
            Node::Facts(facts) => {
                let cells = facts.iter().flat_map(|(label, value)| [label.as_str(), value.as_str()]);
                self.out.push_str(&format!(
                    "#grid(columns: (4cm, 1fr), row-gutter: 0.6em, ..{}.map(x => [#x]))\n\n",
                    string_array(cells)
                ));
            }
            Node::Columns(_) | Node::Balanced(_) | Node::Keep(_) | Node::Fit(_) => self.container(node),
            Node::Fill => self.out.push_str("#v(1fr)\n"),
            Node::Part(part) => self.part(part),
            Node::Terms(terms) => self.terms(terms),
        }
    }

    /// A node holding other nodes: columns, a fitted body.
    fn container(&mut self, node: &Node) {
        match node {
            Node::Columns(Columns { widths: w, cells }) => {
                self.out.push_str(&format!("#grid(columns: {}, gutter: 1.2em", widths(w)));
                for cell in cells {
                    self.out.push_str(", [\n");
                    self.nodes(cell);
                    self.out.push(']');
                }
                self.out.push_str(")\n\n");
            }
            Node::Balanced(inner) => {
                self.out.push_str("#balanced-columns[\n");
                self.nodes(inner);
                self.out.push_str("]\n\n");
            }
            Node::Keep(inner) => {
                self.out.push_str("#block(sticky: true)[\n");
                self.nodes(inner);
                self.out.push_str("]\n");
            }
            Node::Fit(fit) => {
                let normal = self.setting(&fit.normal);
                let compact = self.setting(&fit.compact);
                self.out.push_str(&format!(
                    "#fit-pages({}, (margin: {}, body: [\n{}]), (margin: {}, body: [\n{}]))\n",
                    fit.pages, normal.0, normal.1, compact.0, compact.1
                ));
            }
            _ => {}
        }
    }

    /// (margin, body) of one setting of a fitted body.
    fn setting(&self, setting: &Setting) -> (String, String) {
        let margin = match setting.margin_cm {
            Some(cm) => format!("(top: {cm}cm, bottom: {cm}cm, x: {cm}cm)"),
            None => "page-margin".into(),
        };
        // The settings are alternatives (one is printed): each numbers its labels alike.
        let mut writer = Writer {
            out: String::new(),
            lang: self.lang.clone(),
            prefixes: Default::default(),
            notes_after_parts: self.notes_after_parts,
        };
        if let Some(pt) = setting.text_pt {
            writer.out.push_str(&format!("#set text(size: {pt}pt)\n"));
        }
        writer.nodes(&setting.body);
        (margin, writer.out)
    }

    fn call(&mut self, function: &str, text: &str) {
        self.out.push_str(&format!("#{function}["));
        self.text(text, TextStyle::default());
        self.out.push_str("]\n\n");
    }

    fn cover(&mut self, cover: &Cover) {
        let network = cover.network.as_ref().map(|n| format!("network: {}, ", string_literal(n))).unwrap_or_default();
        self.out.push_str(&format!(
            "#cover({network}kind: {}, title: text(lang: {}, {}), subtitle: {}, details: ({}))\n\n",
            string_literal(&cover.kind),
            string_literal(&typst_lang(&cover.title_lang).unwrap_or_else(|| "en".into())),
            string_literal(&cover.title),
            string_literal(&cover.subtitle),
            pairs(&cover.details)
        ));
    }

    fn heading(&mut self, heading: &Heading) {
        let words = crate::publications::document::heading_words(&heading.text);
        let other = heading.lang.as_deref().and_then(typst_lang).filter(|lang| *lang != self.lang);
        self.out.push_str(&format!("#heading(level: {})[", heading.level));
        match other {
            Some(lang) => {
                self.out.push_str(&format!("#text(lang: \"{lang}\")["));
                self.text(&words, heading.style);
                self.out.push(']');
            }
            None => self.text(&words, heading.style),
        }
        self.out.push_str("]\n\n");
    }

    fn spans(&mut self, spans: &[Span], style: TextStyle) {
        for span in spans {
            match span {
                Span::Text(text) => self.text(text, style),
                Span::Strong(text) => {
                    self.out.push_str("#strong[");
                    self.text(text, style);
                    self.out.push(']');
                }
                Span::Link { text, target } => {
                    self.out.push_str(&format!("#link({})[", string_literal(target)));
                    self.text(text, style);
                    self.out.push(']');
                }
                Span::Gap => self.out.push_str(" #h(0.3em) "),
                Span::Inserted(text) => {
                    let (open, close) = crate::publications::document::INSERTED_MARKS;
                    self.out.push_str("#underline[#strong[");
                    self.text(&format!("{open}{text}{close}"), style);
                    self.out.push_str("]]");
                }
                Span::Deleted(text) => {
                    let (open, close) = crate::publications::document::DELETED_MARKS;
                    self.out.push_str("#strike[");
                    self.text(&format!("{open}{text}{close}"), style);
                    self.out.push(']');
                }
            }
        }
    }

    fn table(&mut self, table: &Table) {
        let header: String = table.header.iter().map(|h| format!("strong({}),", string_literal(h))).collect();
        let rows: String = table.rows.iter().map(|row| format!("{},", string_array(row))).collect();
        let aligns: Vec<&str> = table.align.iter().map(align).collect();
        let markup = format!(
            "#table(columns: {}, align: ({},), table.header({header}), ..({rows}).flatten())\n\n",
            widths(&table.widths),
            aligns.join(", ")
        );
        let markup =
            table_caption(table.caption.as_ref(), TextStyle::default()) + &kept_whole(markup, table.rows.len());
        if table.no_hyphenation {
            self.out.push_str(&format!("#[#set text(hyphenate: false)\n{markup}]\n\n"));
        } else {
            self.out.push_str(&markup);
        }
    }

    fn stats(&mut self, stats: &StatsTable) {
        let row = |row: &StatsRow| {
            let cells: String = row
                .cells
                .iter()
                .map(|cell| match cell {
                    StatsCell::Value { shown, flag } => {
                        format!("({}, {}),", string_literal(shown), string_literal(flag))
                    }
                    StatsCell::Text(text) => format!("{},", string_literal(text)),
                })
                .collect();
            format!("({}, {cells})", string_literal(&row.label))
        };
        let rows: String = stats.rows.iter().map(|r| format!("{},", row(r))).collect();
        let total = stats.total.as_ref().map_or_else(|| "none".to_string(), row);
        self.out.push_str(&table_caption(stats.caption.as_ref(), TextStyle::default()));
        self.out.push_str(&format!(
            "#stats-table(header: {}, rows: ({rows}), total: {total})\n\n",
            string_array(&stats.header)
        ));
    }

    fn chart(&mut self, chart: &Chart) {
        let items: String = chart
            .items
            .iter()
            .map(|bar| format!("({}, {}, {}),", string_literal(&bar.label), bar.value, string_literal(&bar.shown)))
            .collect();
        self.out.push_str(&format!("#bar-chart(items: ({items}), caption: {})\n\n", string_literal(&chart.caption)));
    }

    /// The map, its legend of swatches and counts, and its alt text.
    fn map(&mut self, map: &crate::publications::document::Map) {
        let svg = maps::svg(&map.categories, &map.no_answer);
        // The legend's words are the plan's, as the Word draft and the web
        // page print them; the swatches are this writer's.
        let fills = (0..map.categories.len())
            .map(|index| SWATCHES[index % SWATCHES.len()].to_string())
            .chain((!map.no_answer.is_empty()).then(|| "white".to_string()))
            .chain(std::iter::once(format!("rgb(\"{}\")", maps::OTHER_FILL)));
        let words = maps::legend_words(&map.categories, &map.no_answer);
        let legend: String = fills.zip(&words).map(|(fill, words)| swatch_entry(&fill, words)).collect();
        self.out.push_str(&format!(
            // A kind of its own: maps carry no caption and do not count as
            // figures (the first captioned figure is Figure 1).
            "#figure(kind: \"map\", supplement: [Map], block(width: 100%)[#image(bytes({}), format: \"svg\", width: 100%, alt: {})\n#set text(size: 8pt, hyphenate: false)\n#set align(left)\n{legend}])\n\n",
            string_literal(&svg),
            string_literal(&map.alt)
        ));
    }

    fn terms(&mut self, terms: &Terms) {
        if terms.entries.is_empty() {
            return;
        }
        let style = terms.style;
        self.heading(&Heading { level: 1, text: terms.title.clone(), lang: None, style });
        for entry in &terms.entries {
            self.out.push_str("#block(breakable: false, below: 0.9em)[#strong[");
            self.text(&entry.term, style);
            self.out.push_str("] — ");
            self.text(&entry.definition, style);
            if !entry.source.is_empty() {
                self.out.push_str(" #text(fill: emn-grey)[(");
                self.text(&entry.source, style);
                self.out.push_str(")]");
            }
            self.out.push_str("]\n\n");
        }
        self.out.push_str("#text(size: 8.5pt)[");
        self.text(&terms.attribution, style);
        self.out.push_str("]\n\n");
    }

    /// An NCP's Markdown part: a source marker (typst's errors name the
    /// Markdown file and line), its headings below the level it sits
    /// under, set in its author's language (hyphenated and tagged so).
    fn part(&mut self, part: &Part) {
        self.out.push_str(&source_marker(&part.file, part.line));
        let lang = typst_lang(&part.lang).map(|lang| format!("#set text(lang: \"{lang}\")\n")).unwrap_or_default();
        self.out.push_str(&format!("#[#set heading(offset: {})\n{lang}", part.level));
        let notes_after = self.notes_after_parts;
        let mut flow = FlowWriter { out: String::new(), part, prefix: LABEL_PLACEHOLDER.to_string(), notes_after };
        flow.blocks(&part.flow.blocks);
        if notes_after && !part.flow.notes.is_empty() {
            // The part's notes, numbered as cited (the flow numbers them so).
            let items: Vec<String> = (0..part.flow.notes.len())
                .map(|index| format!("({}, [{}])", index + 1, flow.note_markup(index)))
                .collect();
            flow.out.push_str(&format!("#part-notes({},)\n", items.join(", ")));
        }
        let prefix = label_prefix(&part.file, &flow.out);
        let seen = self.prefixes.entry(prefix.clone()).or_default();
        let prefix = if *seen == 0 { prefix } else { format!("{prefix}-{seen}") };
        *seen += 1;
        self.out.push_str(&flow.out.replace(LABEL_PLACEHOLDER, &prefix));
        self.out.push_str("]\n\n");
    }
}

/// The legend swatches of the map categories, in the order of
/// [`maps::svg`]'s fills and patterns.
const SWATCHES: [&str; 6] = [
    "rgb(\"#003399\")",
    "tiling(size: (4pt, 4pt))[#place(rect(width: 4pt, height: 4pt, fill: rgb(\"#ffcc00\"))) #place(line(start: (0pt, 4pt), end: (4pt, 0pt), stroke: 0.5pt))]",
    "tiling(size: (4pt, 4pt))[#place(rect(width: 4pt, height: 4pt, fill: rgb(\"#7ab2e0\"))) #place(dx: 1.2pt, dy: 1.2pt, circle(radius: 0.8pt, fill: black))]",
    "tiling(size: (4pt, 4pt))[#place(rect(width: 4pt, height: 4pt, fill: rgb(\"#e07a5f\"))) #place(line(start: (0pt, 2pt), end: (4pt, 2pt), stroke: 0.4pt)) #place(line(start: (2pt, 0pt), end: (2pt, 4pt), stroke: 0.4pt))]",
    "tiling(size: (4pt, 4pt))[#place(rect(width: 4pt, height: 4pt, fill: rgb(\"#3d8c40\"))) #place(line(start: (0pt, 0pt), end: (4pt, 4pt), stroke: 0.5pt + white))]",
    "tiling(size: (4pt, 4pt))[#place(rect(width: 4pt, height: 4pt, fill: rgb(\"#8e6bbf\"))) #place(line(start: (0pt, 2pt), end: (4pt, 2pt), stroke: 0.5pt + white))]",
];

fn swatch_entry(fill: &str, label: &str) -> String {
    // One box per item: a swatch is never parted from its label and count.
    format!(
        "#box[#box(baseline: 0.1em, rect(width: 1.1em, height: 0.8em, fill: {fill}, stroke: 0.4pt + rgb(\"#555555\"))) {}] #h(0.8em) ",
        escape(label, TextStyle::default())
    )
}

/// Stands for a part's label prefix until its markup is written.
const LABEL_PLACEHOLDER: &str = "emn-fn-\u{1}";

/// Footnote labels unique in a document: a part's file (spelt with the
/// letters, digits and `-` labels take, its hash keeping `a_b.md` and
/// `a-b.md` apart) and a digest of the part's own markup. Not its line: a
/// paragraph added above would change every later part's labels, and
/// typst would lay out again every page that holds one (in the synthesis,
/// a country's answer on every question's pages).
fn label_prefix(file: &str, markup: &str) -> String {
    let spelt: String =
        file.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let fnv = |bytes: &[u8]| {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
    };
    // The source markers inside name lines too: they are left out.
    let marker = crate::write::escape::SOURCE_MARKER;
    let content: String =
        markup.split_inclusive('\n').map(|line| line.find(marker).map_or(line, |at| &line[..at])).collect();
    format!("emn-fn-{spelt}-{:06x}-{:08x}", fnv(file.as_bytes()) & 0xff_ffff, fnv(content.as_bytes()) & 0xffff_ffff)
}

/// Writes a part's normalised blocks.
struct FlowWriter<'a> {
    out: String,
    part: &'a Part,
    prefix: String,
    /// In a working draft: notes are marked by their number and printed
    /// after the part (numbered from 1 in each part, so a note added to one
    /// answer renumbers no other).
    notes_after: bool,
}

impl FlowWriter<'_> {
    /// A note's blocks as written (paragraphs stay paragraphs), trailing
    /// blank lines trimmed.
    fn note_markup(&mut self, index: usize) -> String {
        let part = self.part;
        let start = self.out.len();
        self.blocks(&part.flow.notes[index]);
        let body = self.out.split_off(start);
        body.trim_end().to_string()
    }

    fn style(&self) -> TextStyle {
        self.part.style
    }

    fn blocks(&mut self, blocks: &[FlowBlock]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &FlowBlock) {
        match block {
            FlowBlock::Paragraph(inlines) => {
                self.inlines(inlines);
                self.out.push_str("\n\n");
            }
            FlowBlock::Figure { image, index } => {
                // Numbered by the plan, as every edition numbers it.
                let caption = self.part.caption(*index).map(ToString::to_string).unwrap_or_default();
                self.out.push_str(&format!(
                    "#figure(image({}, format: \"{}\", alt: {}, width: 80%), numbering: none, caption: [{}])\n\n",
                    string_literal(&package_path(&image.path)),
                    image.format,
                    string_literal(&image.alt),
                    escape(&caption, self.style())
                ));
            }
            FlowBlock::Heading { depth, content, line } => {
                self.out.push_str(&source_marker(&self.part.file, *line));
                // `depth` adds to the `heading(offset:)` set around the part.
                self.out.push_str(&format!("#heading(depth: {depth})["));
                self.inlines(content);
                self.out.push_str("]\n\n");
            }
            FlowBlock::List { ordered, start, items } => {
                if *ordered {
                    self.out.push_str(&format!("#enum(start: {start}"));
                } else {
                    self.out.push_str("#list(");
                }
                for (index, item) in items.iter().enumerate() {
                    if *ordered || index > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push('[');
                    if let Some(done) = item.task {
                        self.out.push_str(if done { TASK_DONE } else { TASK_OPEN });
                    }
                    self.blocks(&item.blocks);
                    self.out.push(']');
                }
                self.out.push_str(")\n\n");
            }
            FlowBlock::Quote(inner) => {
                self.out.push_str("#quote(block: true)[");
                self.blocks(inner);
                self.out.push_str("]\n\n");
            }
            FlowBlock::Code(text) => self.out.push_str(&format!("#raw(block: true, {})\n\n", string_literal(text))),
            FlowBlock::Table { .. } => self.flow_table(block),
            FlowBlock::Rule => self.out.push_str("#line(length: 100%, stroke: 0.5pt + luma(160))\n\n"),
            FlowBlock::Literal { text, line } => {
                self.out.push_str(&source_marker(&self.part.file, *line));
                self.out.push_str(&escape(text, TextStyle::default()));
                self.out.push_str("\n\n");
            }
        }
    }

    /// An NCP's Markdown table, under the caption the plan gave it.
    fn flow_table(&mut self, block: &FlowBlock) {
        let FlowBlock::Table { align: aligns, shares, header, rows, line, index } = block else { return };
        self.out.push_str(&source_marker(&self.part.file, *line));
        self.out.push_str(&table_caption(self.part.caption(*index), self.style()));
        let aligns: Vec<&str> = aligns.iter().map(align).collect();
        let shares: Vec<Width> = shares.iter().map(|share| Width::Fraction(*share)).collect();
        let short = rows.len() <= SHORT_TABLE_ROWS;
        if short {
            self.out.push_str("#block(breakable: false)[");
        }
        self.out.push_str(&format!(
            "#table(columns: {}, align: ({},), table.header(",
            widths(&shares),
            aligns.join(", ")
        ));
        for cell in header {
            self.cell(cell);
        }
        self.out.push_str("), ");
        for row in rows {
            for cell in row {
                self.cell(cell);
            }
        }
        self.out.push_str(if short { ")]\n\n" } else { ")\n\n" });
    }

    fn cell(&mut self, cell: &[FlowInline]) {
        self.out.push('[');
        self.inlines(cell);
        self.out.push_str("], ");
    }

    fn content(&mut self, inlines: &[FlowInline]) {
        self.out.push('[');
        self.inlines(inlines);
        self.out.push(']');
    }

    fn inlines(&mut self, inlines: &[FlowInline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &FlowInline) {
        let style = self.style();
        match inline {
            // Paper has no link to the annex's row: the figure is its words.
            FlowInline::Text(text) | FlowInline::Figure { text, .. } => self.out.push_str(&escape(text, style)),
            FlowInline::Emph(inner) => {
                self.out.push_str("#emph");
                self.content(inner);
            }
            FlowInline::Strong(inner) => {
                self.out.push_str("#strong");
                self.content(inner);
            }
            FlowInline::Strike(inner) => {
                self.out.push_str("#strike");
                self.content(inner);
            }
            FlowInline::Code(code) => self.out.push_str(&format!("#raw({})", string_literal(code))),
            FlowInline::Link { url, content } => {
                self.out.push_str(&format!("#link({})", string_literal(url)));
                self.content(content);
            }
            FlowInline::Image(Image { path, format, alt }) => self.out.push_str(&format!(
                "#box(image({}, format: \"{format}\", alt: {}, height: 1.2em))",
                string_literal(&package_path(path)),
                string_literal(alt)
            )),
            FlowInline::MissingImage { alt } => {
                self.out.push_str("#emph[");
                self.out.push_str(&escape(&crate::publications::flow::missing_image(alt), style));
                self.out.push(']');
            }
            // Marked as its number, not as a typst footnote: the synthesis's
            // 500 footnotes made typst lay out each page that holds one a
            // second time, once their numbers were known.
            FlowInline::Note(number) | FlowInline::NoteAgain(number) if self.notes_after => {
                self.out.push_str(&format!("#note-mark({})", number + 1));
            }
            FlowInline::NoteOmitted { name, characters } if self.notes_after => self.out.push_str(&format!(
                " #emph[\\[{}\\]]",
                escape(&crate::publications::flow::omitted_note(name, *characters), TextStyle::default())
            )),
            FlowInline::Note(number) => {
                let label = format!("{}-{}", self.prefix, number + 1);
                // Trimmed, so the label follows the bracket.
                let body = self.note_markup(*number);
                self.out.push_str(&format!("#spaced-footnote[{body}] <{label}>"));
            }
            FlowInline::NoteAgain(number) => self.out.push_str(&format!("#footnote(<{}-{}>)", self.prefix, number + 1)),
            FlowInline::NoteOmitted { name, characters } => self.out.push_str(&format!(
                "#footnote[#gap[{}]]",
                escape(&crate::publications::flow::omitted_note(name, *characters), TextStyle::default())
            )),
            FlowInline::SoftBreak => self.out.push(' '),
            FlowInline::LineBreak => self.out.push_str("#linebreak()"),
            FlowInline::Literal(text) => self.out.push_str(&escape(text, TextStyle::default())),
        }
    }
}

/// Tables of at most this many rows are kept on one page: a three-row
/// table split two and one over a page reads as two tables.
const SHORT_TABLE_ROWS: usize = 5;

/// `markup` of a table kept whole on a page when it is short.
/// A table's caption as the plan gives it, kept with the table.
fn table_caption(caption: Option<&Caption>, style: TextStyle) -> String {
    caption.map_or_else(String::new, |caption| format!("#table-caption[{}]\n", escape(&caption.to_string(), style)))
}

fn kept_whole(markup: String, rows: usize) -> String {
    if rows <= SHORT_TABLE_ROWS { format!("#block(breakable: false)[{}]\n\n", markup.trim_end()) } else { markup }
}
