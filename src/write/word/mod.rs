//! A planned document as an editable Word file (`.docx`): the synthesis
//! draft and the ad-hoc query compilation, as the Service Provider edits
//! them in Word or LibreOffice.
//!
//! The same [`Doc`] the PDF is typeset from, so the two agree: the same
//! headings at the same levels (Word's Heading 1–6, the NCPs' own
//! included), figures with captions in Word's Caption style numbered as the
//! PDF numbers them (a SEQ field), gap notices and editorial notes in
//! styles of their own, labels kept with what follows them, figures
//! right-aligned, footnotes as Word footnotes, only web links as links, and
//! a contents field listing the headings (Word and LibreOffice update it).
//!
//! The XML is written through `quick-xml`, which escapes every text and
//! attribute (the security boundary of this writer); the file is zipped
//! by `output::zip`, so two builds give the same bytes.

mod parts;
mod pictures;
mod xml;

pub use pictures::fallback_raster;

use std::path::Path;

use crate::dates::Date;
use crate::limits::MAX_IMAGE_BYTES;
use crate::output::DataFile;
use crate::publications::document::{
    Align, Caption, Cover, Doc, Node, Part, Span, StatsCell, StatsRow, StatsTable, Table, Terms, TextStyle,
    heading_words,
};
use crate::publications::flow::{self, FlowBlock, FlowInline, Image, TASK_DONE, TASK_OPEN};
use crate::publications::{Publication, maps};
use parts::{HYPERLINK, IMAGE};
use xml::Xml;

/// Usable text width of an A4 page with the margins below, in EMU.
const TEXT_WIDTH_EMU: u64 = 5_940_000;
/// Page margins in twentieths of a point (2.3 cm).
const MARGIN_TWIPS: u32 = 1304;
/// The text width in twentieths of a point.
const TEXT_WIDTH_TWIPS: usize = 9298;
/// Nesting the writer follows; deeper Markdown is already flattened by load.
pub(crate) const MAX_LIST_LEVEL: usize = 8;

/// What a document says about itself (the file's properties).
pub struct Properties<'a> {
    pub title: &'a str,
    /// `en`, `cs`, ...
    pub language: &'a str,
    pub date: Date,
    /// Printed in every page header.
    pub header: &'a str,
    /// The footer's words in the document's language ("Page", "of").
    pub page: &'a str,
    pub of: &'a str,
}

/// The Word edition of a publication that has one; `root` is the package
/// folder its pictures are read from (inside the package only).
pub fn write(publication: &Publication, root: &Path) -> Option<anyhow::Result<DataFile>> {
    let kind = publication.word?;
    Some(document(&publication.doc, root).map(|bytes| DataFile { path: publication.word_path(), kind, bytes }))
}

/// The `.docx` bytes of a document.
pub fn document(doc: &Doc, root: &Path) -> anyhow::Result<Vec<u8>> {
    // The EMN's notice, which the PDF prints at the foot of its first
    // page, closes the Word document.
    let notice: Vec<Span> = [doc.notice.disclaimer.as_str(), doc.notice.copyright.as_str()]
        .iter()
        .filter(|text| !text.is_empty())
        .map(|text| Span::Text(format!("{text} ")))
        .collect();
    let closing: Vec<Node> = if notice.is_empty() { Vec::new() } else { vec![Node::SmallPrint(notice)] };
    let mut word = Word::new(doc, root);
    word.nodes(&doc.body);
    word.nodes(&closing);
    let header = if doc.running.is_empty() { doc.title.clone() } else { doc.running.clone() };
    let own = crate::publications::words::words(&doc.lang);
    word.finish(&Properties {
        title: &doc.title,
        language: &doc.lang,
        date: doc.date,
        header: &header,
        page: own.page,
        of: own.of,
    })
}

/// Run formatting.
#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    superscript: bool,
    link: bool,
}

impl Format {
    const BOLD: Format =
        Format { bold: true, italic: false, strike: false, code: false, superscript: false, link: false };
}

/// A paragraph's properties.
#[derive(Default)]
struct Para<'a> {
    style: &'a str,
    numbering: Option<(u32, usize)>,
    indent: Option<usize>,
    keep_next: bool,
    align: Option<Align>,
}

/// A table cell's content.
enum Cell<'a> {
    Text(&'a str, Format),
    Inlines(&'a [FlowInline]),
    Stats(&'a StatsCell, Format),
}

/// A statistics row's cells: its label, then its values.
fn stats_row(row: &StatsRow, format: Format) -> Vec<Cell<'_>> {
    std::iter::once(Cell::Text(&row.label, format)).chain(row.cells.iter().map(|c| Cell::Stats(c, format))).collect()
}

/// A Word document being written, body first, parts on [`Word::finish`].
struct Word<'a> {
    root: &'a Path,
    body: Xml,
    notes: Xml,
    /// Writing a note's text: paragraphs go to `notes`.
    in_note: bool,
    /// Writing a block quote: Normal paragraphs are Quote paragraphs.
    in_quote: bool,
    note_count: u32,
    /// The part being written (its notes and language).
    part: Option<&'a Part>,
    /// Word's footnote id of each note of the part being written (its
    /// number, when notes follow their part).
    part_notes: Vec<u32>,
    /// Notes follow each part, numbered from 1 in it, as the plan sets a
    /// working draft (the synthesis): the same numbers as its PDF and page.
    notes_per_part: bool,
    /// The part's notes cited so far: (number, note), to write after it.
    pending_notes: Vec<(u32, usize)>,

    /// Headings written so far: their bookmarks (`_Toc1`, ...).
    heading_count: usize,
    /// The document's outline, for the contents' entries.
    outline: Vec<(u8, String)>,
    relationships: Vec<(String, &'static str, String, bool)>,
    media: Vec<(String, Vec<u8>)>,
    /// Ordered lists: (abstract numbering, start) per `w:num`, from id 3.
    numbers: Vec<(u32, usize)>,
    drawing_count: u32,
    /// The language of the text being written.
    lang: String,
    doc_lang: String,
    /// How the text being written is set (see [`crate::publications::typography`]).
    style: TextStyle,
}

impl<'a> Word<'a> {
    fn new(doc: &Doc, root: &'a Path) -> Self {
        Self {
            root,
            body: Xml::new(),
            notes: Xml::new(),
            in_note: false,
            in_quote: false,
            note_count: 0,
            part: None,
            part_notes: Vec::new(),
            notes_per_part: doc.text_setting == crate::publications::document::TextSetting::WorkingDraft,
            pending_notes: Vec::new(),
            heading_count: 0,
            outline: doc.outline(),
            relationships: Vec::new(),
            media: Vec::new(),
            numbers: Vec::new(),
            drawing_count: 0,
            lang: doc.lang.clone(),
            doc_lang: doc.lang.clone(),
            style: TextStyle::default(),
        }
    }

    fn out(&mut self) -> &mut Xml {
        if self.in_note { &mut self.notes } else { &mut self.body }
    }

    fn nodes(&mut self, nodes: &'a [Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &'a Node) {
        match node {
            Node::Cover(cover) => self.cover(cover),
            Node::Banner { kind, title, details } => {
                self.paragraph("Subtitle", kind);
                self.paragraph("Title", title);
                for (label, value) in details {
                    self.labelled(label, value);
                }
            }
            Node::Masthead { label, title } => {
                self.paragraph("Subtitle", label);
                self.paragraph("Title", title);
            }
            Node::Contents { own_page, depth } => {
                self.contents(*depth);
                if *own_page {
                    self.page_break();
                }
            }
            // Word flows: chapters need no page of their own to be edited.
            Node::PageBreak | Node::Landscape | Node::Fill => {}
            Node::Heading(heading) => self.in_style(heading.style, |word| {
                word.heading(heading.level, &heading_words(&heading.text), heading.lang.as_deref())
            }),
            Node::Paragraph(paragraph) => self.in_style(paragraph.style, |word| {
                word.spans_paragraph(Para { style: "Normal", ..Default::default() }, &paragraph.spans)
            }),
            Node::Kicker(text) => self.paragraph("Kicker", text),
            Node::Gap(text) => self.paragraph("GapNotice", text),
            Node::Note(text) => self.paragraph("EditorialNote", text),
            Node::SmallPrint(spans) => self.spans_paragraph(Para { style: "SmallPrint", ..Default::default() }, spans),
            Node::List { ordered, items } => {
                let number = self.numbering(*ordered, 1);
                for item in items {
                    self.spans_paragraph(
                        Para { style: "ListParagraph", numbering: Some((number, 0)), ..Default::default() },
                        item,
                    );
                }
            }
            Node::Table(table) => self.text_table(table),
            Node::Stats(stats) => self.stats(stats),
            Node::Chart(chart) => {
                self.paragraph("Kicker", &chart.caption);
                let rows: Vec<Vec<Cell>> = chart
                    .items
                    .iter()
                    .map(|bar| {
                        vec![Cell::Text(&bar.label, Format::default()), Cell::Text(&bar.shown, Format::default())]
                    })
                    .collect();
                let header = vec![Cell::Text("", Format::BOLD), Cell::Text("", Format::BOLD)];
                self.table(None, &[Align::Left, Align::Right], header, rows);
            }
            Node::Map(map) => {
                let svg = maps::svg(&map.categories, &map.no_answer);
                if self.picture(svg.as_bytes(), None, &map.alt, 4_300_000) {
                    let legend = maps::legend_words(&map.categories, &map.no_answer).join("; ");
                    self.paragraph("SmallPrint", &format!("Legend: {legend}."));
                }
            }
            Node::Facts(facts) => {
                for (label, value) in facts {
                    self.labelled(label, value);
                }
            }
            Node::Columns(columns) => columns.cells.iter().for_each(|cell| self.nodes(cell)),
            Node::Balanced(inner) | Node::Keep(inner) => self.nodes(inner),
            Node::Part(part) => self.part(part),
            Node::Terms(terms) => self.terms(terms),
            // Word sets no page limit: the normal setting, as the PDF's
            // outline reads it.
            Node::Fit(fit) => self.nodes(&fit.normal.body),
        }
    }

    fn cover(&mut self, cover: &Cover) {
        self.paragraph("Subtitle", &cover.kind);
        self.paragraph("Title", &cover.title);
        if !cover.subtitle.is_empty() {
            self.paragraph("Subtitle", &cover.subtitle);
        }
        for (label, value) in &cover.details {
            self.labelled(&format!("{label}: "), value);
        }
        self.page_break();
    }

    fn start_paragraph(&mut self, paragraph: &Para) {
        let style = match paragraph.style {
            "Normal" if self.in_note => "FootnoteText",
            "Normal" if self.in_quote => "Quote",
            other => other,
        };
        let out = self.out();
        out.open("w:p", &[]);
        out.open("w:pPr", &[]);
        out.empty("w:pStyle", &[("w:val", style)]);
        if paragraph.keep_next {
            out.empty("w:keepNext", &[]);
        }
        if let Some((id, level)) = paragraph.numbering {
            out.open("w:numPr", &[]);
            out.empty("w:ilvl", &[("w:val", &level.to_string())]);
            out.empty("w:numId", &[("w:val", &id.to_string())]);
            out.close("w:numPr");
        }
        if let Some(indent) = paragraph.indent {
            out.empty("w:ind", &[("w:left", &indent.to_string())]);
        }
        match paragraph.align {
            Some(Align::Right) => out.empty("w:jc", &[("w:val", "right")]),
            Some(Align::Center) => out.empty("w:jc", &[("w:val", "center")]),
            _ => {}
        }
        out.close("w:pPr");
    }

    fn end_paragraph(&mut self) {
        self.out().close("w:p");
    }

    /// A paragraph of plain text in `style`.
    fn paragraph(&mut self, style: &str, text: &str) {
        self.start_paragraph(&Para { style, keep_next: style == "Kicker", ..Default::default() });
        self.run(text, Format::default());
        self.end_paragraph();
    }

    /// A paragraph with a bold lead-in.
    fn labelled(&mut self, label: &str, text: &str) {
        self.start_paragraph(&Para { style: "Normal", ..Default::default() });
        self.run(label, Format::BOLD);
        self.run(text, Format::default());
        self.end_paragraph();
    }

    fn spans_paragraph(&mut self, paragraph: Para, spans: &[Span]) {
        self.start_paragraph(&paragraph);
        for span in spans {
            match span {
                Span::Text(text) => self.run(text, Format::default()),
                Span::Strong(text) => self.run(text, Format::BOLD),
                Span::Link { text, target } => {
                    let id = self.hyperlink(target);
                    self.out().open("w:hyperlink", &[("r:id", &id)]);
                    self.run(text, Format { link: true, ..Format::default() });
                    self.out().close("w:hyperlink");
                }
                Span::Gap => self.run(" ", Format::default()),
                Span::Inserted(text) => {
                    let (open, close) = crate::publications::document::INSERTED_MARKS;
                    self.run(&format!("{open}{text}{close}"), Format::BOLD);
                }
                Span::Deleted(text) => {
                    let (open, close) = crate::publications::document::DELETED_MARKS;
                    self.run(&format!("{open}{text}{close}"), Format { strike: true, ..Format::default() });
                }
            }
        }
        self.end_paragraph();
    }

    /// A heading, bookmarked for the contents' links; `lang` its words'
    /// language where not the document's.
    fn heading(&mut self, level: u8, text: &str, lang: Option<&str>) {
        self.heading_count += 1;
        let bookmark = format!("_Toc{}", self.heading_count);
        let id = self.heading_count.to_string();
        let style = format!("Heading{}", level.clamp(1, 6));
        self.start_paragraph(&Para { style: &style, ..Default::default() });
        self.out().empty("w:bookmarkStart", &[("w:id", &id), ("w:name", &bookmark)]);
        let previous = lang.map(|lang| std::mem::replace(&mut self.lang, lang.to_string()));
        self.run(text, Format::default());
        if let Some(previous) = previous {
            self.lang = previous;
        }
        self.out().empty("w:bookmarkEnd", &[("w:id", &id)]);
        self.end_paragraph();
    }

    fn page_break(&mut self) {
        let out = self.out();
        out.open("w:p", &[]);
        out.open("w:r", &[]);
        out.empty("w:br", &[("w:type", "page")]);
        out.close("w:r");
        out.close("w:p");
    }

    /// The contents: a TOC field whose result already lists the headings
    /// (down to the plan's `depth`, each linked to its heading), so a reader
    /// that does not update fields shows them too; Word updates it on
    /// opening (page numbers), to the same depth.
    fn contents(&mut self, depth: u8) {
        let title = crate::publications::words::words(&self.doc_lang).contents;
        self.paragraph("TOCHeading", title);
        let entries: Vec<(usize, u8, String)> = self
            .outline
            .iter()
            .enumerate()
            .filter(|(_, (level, _))| *level <= depth)
            .map(|(index, (level, text))| (index + 1, *level, text.clone()))
            .collect();
        let field_code = format!(" TOC \\o \"1-{depth}\" \\h \\z \\u ");
        let begin = |out: &mut Xml| {
            out.open("w:r", &[]);
            out.empty("w:fldChar", &[("w:fldCharType", "begin"), ("w:dirty", "true")]);
            out.close("w:r");
            out.open("w:r", &[]);
            out.open("w:instrText", &[("xml:space", "preserve")]);
            out.text(&field_code);
            out.close("w:instrText");
            out.close("w:r");
            out.open("w:r", &[]);
            out.empty("w:fldChar", &[("w:fldCharType", "separate")]);
            out.close("w:r");
        };
        let end = |out: &mut Xml| {
            out.open("w:r", &[]);
            out.empty("w:fldChar", &[("w:fldCharType", "end")]);
            out.close("w:r");
        };
        if entries.is_empty() {
            self.start_paragraph(&Para { style: "Normal", ..Default::default() });
            begin(self.out());
            end(self.out());
            self.end_paragraph();
            return;
        }
        let last = entries.len() - 1;
        for (position, (number, level, text)) in entries.iter().enumerate() {
            let style = format!("TOC{level}");
            self.start_paragraph(&Para { style: &style, ..Default::default() });
            if position == 0 {
                begin(self.out());
            }
            let anchor = format!("_Toc{number}");
            self.out().open("w:hyperlink", &[("w:anchor", &anchor), ("w:history", "1")]);
            self.run(text, Format::default());
            self.out().close("w:hyperlink");
            if position == last {
                end(self.out());
            }
            self.end_paragraph();
        }
    }

    /// A run of text with formatting, in the current language.
    /// Glossary terms: a heading, each term with its definition and source,
    /// the Glossary's attribution.
    fn terms(&mut self, terms: &Terms) {
        if terms.entries.is_empty() {
            return;
        }
        self.in_style(terms.style, |word| {
            word.heading(1, &terms.title, None);
            for entry in &terms.entries {
                let source = if entry.source.is_empty() { String::new() } else { format!(" ({})", entry.source) };
                word.labelled(&format!("{} — ", entry.term), &format!("{}{source}", entry.definition));
            }
            word.paragraph("SmallPrint", &terms.attribution);
        })
    }

    /// Writes what `write` writes set in `style`.
    fn in_style(&mut self, style: TextStyle, write: impl FnOnce(&mut Self)) {
        let previous = std::mem::replace(&mut self.style, style);
        write(self);
        self.style = previous;
    }

    fn run(&mut self, text: &str, format: Format) {
        if text.is_empty() {
            return;
        }
        let text = if format.code {
            std::borrow::Cow::Borrowed(text)
        } else {
            crate::publications::typography::set(text, self.style)
        };
        let lang = parts::word_language(&self.lang);
        let out = if self.in_note { &mut self.notes } else { &mut self.body };
        out.open("w:r", &[]);
        out.open("w:rPr", &[]);
        if format.link {
            out.empty("w:rStyle", &[("w:val", "Hyperlink")]);
        } else if format.code {
            out.empty("w:rStyle", &[("w:val", "CodeChar")]);
        }
        if format.bold {
            out.empty("w:b", &[]);
        }
        if format.italic {
            out.empty("w:i", &[]);
        }
        if format.strike {
            out.empty("w:strike", &[]);
        }
        if format.superscript {
            out.empty("w:vertAlign", &[("w:val", "superscript")]);
        }
        out.empty("w:lang", &[("w:val", lang)]);
        out.close("w:rPr");
        out.open("w:t", &[("xml:space", "preserve")]);
        out.text(&text);
        out.close("w:t");
        out.close("w:r");
    }

    fn hyperlink(&mut self, target: &str) -> String {
        let id = format!("rIdLink{}", self.relationships.len() + 1);
        self.relationships.push((id.clone(), HYPERLINK, target.to_string(), true));
        id
    }

    /// A list item's first paragraph: numbered (or bulleted) at `level`,
    /// its task box first.
    fn numbered_item(&mut self, number: u32, level: usize, task: Option<bool>, inlines: &[FlowInline]) {
        self.start_paragraph(&Para { style: "ListParagraph", numbering: Some((number, level)), ..Default::default() });
        if let Some(done) = task {
            self.run(if done { TASK_DONE } else { TASK_OPEN }, Format::default());
        }
        self.inlines(inlines, Format::default());
        self.end_paragraph();
    }

    /// A numbering for a list: the shared bullets (1), or a new decimal
    /// numbering starting at `start`, so each ordered list starts at its
    /// own number (Word's "restart numbering").
    fn numbering(&mut self, ordered: bool, start: usize) -> u32 {
        if !ordered {
            return 1;
        }
        self.numbers.push((2, start));
        self.numbers.len() as u32 + 2
    }

    /// A table: the header row repeated on every page and never split,
    /// each column aligned as planned.
    fn table(&mut self, caption: Option<&Caption>, aligns: &[Align], header: Vec<Cell>, rows: Vec<Vec<Cell>>) {
        if let Some(caption) = caption {
            self.caption(caption, "Table", true);
        }
        let columns = aligns.len().max(header.len()).max(1);
        let width = (TEXT_WIDTH_TWIPS / columns).to_string();
        {
            let out = self.out();
            out.open("w:tbl", &[]);
            out.open("w:tblPr", &[]);
            out.empty("w:tblStyle", &[("w:val", "EMNTable")]);
            out.empty("w:tblW", &[("w:w", "5000"), ("w:type", "pct")]);
            out.empty(
                "w:tblLook",
                &[
                    ("w:val", "04A0"),
                    ("w:firstRow", "1"),
                    ("w:lastRow", "0"),
                    ("w:firstColumn", "1"),
                    ("w:lastColumn", "0"),
                    ("w:noHBand", "0"),
                    ("w:noVBand", "1"),
                ],
            );
            out.close("w:tblPr");
            out.open("w:tblGrid", &[]);
            for _ in 0..columns {
                out.empty("w:gridCol", &[("w:w", &width)]);
            }
            out.close("w:tblGrid");
        }
        let empty_header = header.iter().all(|cell| matches!(cell, Cell::Text("", _)));
        let all = (!empty_header).then_some((true, header)).into_iter().chain(rows.into_iter().map(|row| (false, row)));
        for (is_header, cells) in all {
            self.out().open("w:tr", &[]);
            self.out().open("w:trPr", &[]);
            self.out().empty("w:cantSplit", &[]);
            if is_header {
                self.out().empty("w:tblHeader", &[]);
            }
            self.out().close("w:trPr");
            let mut cells = cells.into_iter();
            for column in 0..columns {
                let cell = cells.next();
                self.out().open("w:tc", &[]);
                self.out().open("w:tcPr", &[]);
                self.out().empty("w:tcW", &[("w:w", &width), ("w:type", "dxa")]);
                self.out().close("w:tcPr");
                let align = aligns.get(column).copied();
                self.start_paragraph(&Para { style: "TableText", align, ..Default::default() });
                match cell {
                    Some(Cell::Text(text, format)) => self.run(text, format),
                    Some(Cell::Inlines(inlines)) => {
                        let format = if is_header { Format::BOLD } else { Format::default() };
                        self.inlines(inlines, format)
                    }
                    Some(Cell::Stats(StatsCell::Value { shown, flag }, format)) => {
                        self.run(shown, format);
                        if !flag.is_empty() {
                            self.run(&format!(" {flag}"), Format { superscript: true, ..format });
                        }
                    }
                    Some(Cell::Stats(StatsCell::Text(text), format)) => self.run(text, format),
                    None => {}
                }
                self.end_paragraph();
                self.out().close("w:tc");
            }
            self.out().close("w:tr");
        }
        let out = self.out();
        out.close("w:tbl");
        // Word needs a paragraph between two tables.
        out.open("w:p", &[]);
        out.open("w:pPr", &[]);
        out.empty("w:pStyle", &[("w:val", "Normal")]);
        out.empty("w:spacing", &[("w:after", "0")]);
        out.close("w:pPr");
        out.close("w:p");
    }

    fn text_table(&mut self, table: &Table) {
        let header = table.header.iter().map(|h| Cell::Text(h, Format::BOLD)).collect();
        let rows =
            table.rows.iter().map(|row| row.iter().map(|cell| Cell::Text(cell, Format::default())).collect()).collect();
        self.table(table.caption.as_ref(), &table.align, header, rows);
    }

    /// A statistics table: figures right-aligned, flags raised beside
    /// them, the total in bold.
    fn stats(&mut self, stats: &StatsTable) {
        let header = stats.header.iter().map(|h| Cell::Text(h, Format::BOLD)).collect();
        let mut rows: Vec<Vec<Cell>> = stats.rows.iter().map(|r| stats_row(r, Format::default())).collect();
        rows.extend(stats.total.iter().map(|r| stats_row(r, Format::BOLD)));
        let aligns: Vec<Align> =
            (0..stats.header.len()).map(|i| if i == 0 { Align::Left } else { Align::Right }).collect();
        self.table(stats.caption.as_ref(), &aligns, header, rows);
    }

    /// An NCP's part: its blocks in its language, its headings below the
    /// level it sits under, its notes as Word footnotes.
    fn part(&mut self, part: &'a Part) {
        let previous_lang = std::mem::replace(&mut self.lang, part.lang.clone());
        let previous_part = self.part.replace(part);
        let previous_notes = std::mem::take(&mut self.part_notes);
        self.in_style(part.style, |word| {
            word.blocks(&part.flow.blocks, 0);
            word.notes_after_part(part);
        });
        self.part_notes = previous_notes;
        self.part = previous_part;
        self.lang = previous_lang;
    }

    fn blocks(&mut self, blocks: &[FlowBlock], depth: usize) {
        for block in blocks {
            self.block(block, depth);
        }
    }

    fn block(&mut self, block: &FlowBlock, depth: usize) {
        match block {
            FlowBlock::Paragraph(inlines) => {
                self.start_paragraph(&Para { style: "Normal", ..Default::default() });
                self.inlines(inlines, Format::default());
                self.end_paragraph();
            }
            FlowBlock::Figure { image, index } => self.figure(image, self.part.and_then(|part| part.caption(*index))),
            FlowBlock::Heading { depth: heading_depth, content, .. } => {
                let level = self.part.map_or(1, |part| part.heading_level(*heading_depth));
                self.heading(level, &flow::inline_words(content), None);
            }
            FlowBlock::List { ordered, start, items } => {
                let level = depth.min(MAX_LIST_LEVEL);
                let number = self.numbering(*ordered, *start);
                for item in items {
                    let mut first = true;
                    for block in &item.blocks {
                        match block {
                            FlowBlock::Paragraph(inlines) if first => {
                                self.numbered_item(number, level, item.task, inlines);
                            }
                            FlowBlock::Paragraph(inlines) => {
                                // A continuation paragraph: indented with the item, no number.
                                self.start_paragraph(&Para {
                                    style: "ListParagraph",
                                    indent: Some(720 * (level + 1)),
                                    ..Default::default()
                                });
                                self.inlines(inlines, Format::default());
                                self.end_paragraph();
                            }
                            other => self.block(other, depth + 1),
                        }
                        first = false;
                    }
                    if item.blocks.is_empty() {
                        self.numbered_item(number, level, item.task, &[]);
                    }
                }
            }
            FlowBlock::Quote(inner) => {
                let previous = std::mem::replace(&mut self.in_quote, true);
                self.blocks(inner, depth);
                self.in_quote = previous;
            }
            FlowBlock::Code(text) | FlowBlock::Literal { text, .. } => {
                let code = matches!(block, FlowBlock::Code(_));
                for line in text.trim_end_matches('\n').split('\n') {
                    self.start_paragraph(&Para { style: if code { "Code" } else { "Normal" }, ..Default::default() });
                    self.run(line, Format { code, ..Format::default() });
                    self.end_paragraph();
                }
            }
            FlowBlock::Table { align, header, rows, index, .. } => {
                let header = header.iter().map(|cell| Cell::Inlines(cell)).collect();
                let rows = rows.iter().map(|row| row.iter().map(|cell| Cell::Inlines(cell)).collect()).collect();
                self.table(self.part.and_then(|part| part.caption(*index)), align, header, rows);
            }
            FlowBlock::Rule => {
                let out = self.out();
                out.open("w:p", &[]);
                out.open("w:pPr", &[]);
                out.open("w:pBdr", &[]);
                out.empty("w:bottom", &[("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "999999")]);
                out.close("w:pBdr");
                out.close("w:pPr");
                out.close("w:p");
            }
        }
    }

    /// A picture alone in its paragraph, as in the PDF, kept with its
    /// caption under it.
    fn figure(&mut self, image: &Image, caption: Option<&Caption>) {
        self.start_paragraph(&Para { style: "Normal", keep_next: caption.is_some(), ..Default::default() });
        self.image(image);
        self.end_paragraph();
        if let Some(caption) = caption {
            self.caption(caption, "Figure", false);
        }
    }

    /// A caption as the plan words and numbers it ("Table 3: …"), its
    /// number a SEQ field of `sequence` whose cached value is the plan's
    /// (what readers that do not update fields show), so Word can list
    /// the tables and figures.
    fn caption(&mut self, caption: &Caption, sequence: &str, keep_next: bool) {
        self.start_paragraph(&Para { style: "Caption", keep_next, ..Default::default() });
        self.run(&format!("{} ", caption.label), Format::default());
        let out = self.out();
        out.open("w:r", &[]);
        out.empty("w:fldChar", &[("w:fldCharType", "begin")]);
        out.close("w:r");
        out.open("w:r", &[]);
        out.open("w:instrText", &[("xml:space", "preserve")]);
        out.text(&format!(" SEQ {sequence} \\* ARABIC "));
        out.close("w:instrText");
        out.close("w:r");
        out.open("w:r", &[]);
        out.empty("w:fldChar", &[("w:fldCharType", "separate")]);
        out.close("w:r");
        self.run(&caption.number.to_string(), Format::default());
        let out = self.out();
        out.open("w:r", &[]);
        out.empty("w:fldChar", &[("w:fldCharType", "end")]);
        out.close("w:r");
        if !caption.words.is_empty() {
            self.run(&format!(": {}", caption.words), Format::default());
        }
        self.end_paragraph();
    }

    fn inlines(&mut self, inlines: &[FlowInline], format: Format) {
        for inline in inlines {
            match inline {
                FlowInline::Text(text) | FlowInline::Figure { text, .. } => self.run(text, format),
                FlowInline::Emph(inner) => self.inlines(inner, Format { italic: true, ..format }),
                FlowInline::Strong(inner) => self.inlines(inner, Format { bold: true, ..format }),
                FlowInline::Strike(inner) => self.inlines(inner, Format { strike: true, ..format }),
                FlowInline::Code(text) => self.run(text, Format { code: true, ..format }),
                FlowInline::Link { url, content } => {
                    let id = self.hyperlink(url);
                    self.out().open("w:hyperlink", &[("r:id", &id)]);
                    self.inlines(content, Format { link: true, ..format });
                    self.out().close("w:hyperlink");
                }
                FlowInline::Image(image) => self.image(image),
                FlowInline::MissingImage { alt } => {
                    self.run(&flow::missing_image(alt), Format { italic: true, ..format })
                }
                FlowInline::Note(number) => self.note(*number),
                FlowInline::NoteAgain(number) => match self.part_notes.get(*number).copied() {
                    Some(shown) if self.notes_per_part => {
                        self.run(&shown.to_string(), Format { superscript: true, ..Format::default() })
                    }
                    Some(id) => self.note_reference(id),
                    None => {}
                },
                FlowInline::NoteOmitted { name, characters } => {
                    self.run(&format!(" [{}]", flow::omitted_note(name, *characters)), format)
                }
                FlowInline::SoftBreak => self.run(" ", format),
                FlowInline::LineBreak => {
                    let out = self.out();
                    out.open("w:r", &[]);
                    out.empty("w:br", &[]);
                    out.close("w:r");
                }
                FlowInline::Literal(text) => self.run(text, format),
            }
        }
    }

    fn note_reference(&mut self, id: u32) {
        let out = self.out();
        out.open("w:r", &[]);
        out.open("w:rPr", &[]);
        out.empty("w:rStyle", &[("w:val", "FootnoteReference")]);
        out.close("w:rPr");
        out.empty("w:footnoteReference", &[("w:id", &id.to_string())]);
        out.close("w:r");
    }

    /// A part's notes after it, each opening with its number, when notes
    /// follow their part (see `notes_per_part`).
    fn notes_after_part(&mut self, part: &'a Part) {
        for (shown, index) in std::mem::take(&mut self.pending_notes) {
            let Some(blocks) = part.flow.notes.get(index) else { continue };
            self.note_text(blocks, &|word: &mut Self| word.run(&format!("{shown}. "), Format::default()));
        }
    }

    /// A note's text in "Footnote Text" paragraphs, `mark` (its number)
    /// opening the first.
    fn note_text(&mut self, blocks: &'a [FlowBlock], mark: &dyn Fn(&mut Self)) {
        self.start_paragraph(&Para { style: "FootnoteText", ..Default::default() });
        mark(self);
        let mut blocks = blocks.iter();
        if let Some(FlowBlock::Paragraph(inlines)) = blocks.as_slice().first() {
            blocks.next();
            self.inlines(inlines, Format::default());
        }
        self.end_paragraph();
        for block in blocks {
            self.block(block, 0);
        }
    }

    /// Note `number` of the part as a Word footnote, its reference here;
    /// or, when notes follow their part, its number here and the note
    /// after the part.
    fn note(&mut self, number: usize) {
        let Some(part) = self.part else { return };
        let Some(blocks) = part.flow.notes.get(number) else { return };
        if self.notes_per_part && !self.in_note {
            let shown = self.pending_notes.len() as u32 + 1;
            while self.part_notes.len() <= number {
                self.part_notes.push(0);
            }
            self.part_notes[number] = shown;
            self.pending_notes.push((shown, number));
            self.run(&shown.to_string(), Format { superscript: true, ..Format::default() });
            return;
        }
        self.note_count += 1;
        let id = self.note_count;
        while self.part_notes.len() <= number {
            self.part_notes.push(0);
        }
        self.part_notes[number] = id;
        self.note_reference(id);
        if self.in_note {
            return;
        }
        self.in_note = true;
        self.notes.open("w:footnote", &[("w:id", &id.to_string())]);
        // The note's own number opens its first paragraph.
        self.note_text(blocks, &|word: &mut Self| {
            word.notes.open("w:r", &[]);
            word.notes.open("w:rPr", &[]);
            word.notes.empty("w:rStyle", &[("w:val", "FootnoteReference")]);
            word.notes.close("w:rPr");
            word.notes.empty("w:footnoteRef", &[]);
            word.notes.close("w:r");
            word.run(" ", Format::default());
        });
        self.notes.close("w:footnote");
        self.in_note = false;
    }

    /// A package picture in the text; its alt text in words where it
    /// cannot be read.
    fn image(&mut self, image: &Image) {
        let bytes = crate::sandbox::read(self.root, &image.path, MAX_IMAGE_BYTES).ok();
        let shown = bytes.is_some_and(|bytes| self.picture_run(&bytes, Some(&image.path), &image.alt, TEXT_WIDTH_EMU));
        if !shown {
            self.run(&flow::missing_image(&image.alt), Format { italic: true, ..Format::default() });
        }
    }

    /// A picture (PNG, JPEG, GIF, WebP or SVG bytes) as a paragraph of its
    /// own kept with what follows; `false` if the bytes are no picture.
    fn picture(&mut self, bytes: &[u8], file: Option<&str>, alt: &str, max_width_emu: u64) -> bool {
        self.start_paragraph(&Para { style: "Normal", keep_next: true, ..Default::default() });
        let shown = self.picture_run(bytes, file, alt, max_width_emu);
        self.end_paragraph();
        shown
    }

    /// `file`: the package file the bytes are, whose SVG may link pictures
    /// beside it (read inside the package only, as typst reads them).
    fn picture_run(&mut self, bytes: &[u8], file: Option<&str>, alt: &str, max_width_emu: u64) -> bool {
        let Some(picture) = pictures::picture_of(bytes, file.map(|file| (self.root, file))) else { return false };
        let number = self.media.len() + 1;
        let raster_name = format!("media/image{number}.{}", picture.extension);
        let raster_id = format!("rIdImg{number}");
        self.relationships.push((raster_id.clone(), IMAGE, raster_name.clone(), false));
        self.media.push((format!("word/{raster_name}"), picture.raster));
        let svg_id = picture.svg.map(|svg| {
            let svg_name = format!("media/image{number}.svg");
            let svg_id = format!("rIdSvg{number}");
            self.relationships.push((svg_id.clone(), IMAGE, svg_name, false));
            self.media.push((format!("word/media/image{number}.svg"), svg));
            svg_id
        });
        // 96 pixels to the inch, at most the text's width.
        let mut width = u64::from(picture.width) * 9525;
        let mut height = u64::from(picture.height) * 9525;
        if width > max_width_emu {
            height = height * max_width_emu / width.max(1);
            width = max_width_emu;
        }
        self.drawing_count += 1;
        let id = self.drawing_count.to_string();
        let name = format!("Picture {id}");
        let (width, height) = (width.to_string(), height.to_string());
        let drawing = "http://schemas.openxmlformats.org/drawingml/2006/main";
        let picture_ns = "http://schemas.openxmlformats.org/drawingml/2006/picture";
        let out = self.out();
        out.open("w:r", &[]);
        out.open("w:drawing", &[]);
        out.open("wp:inline", &[("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0")]);
        out.empty("wp:extent", &[("cx", &width), ("cy", &height)]);
        out.empty("wp:docPr", &[("id", &id), ("name", &name), ("descr", alt)]);
        out.open("wp:cNvGraphicFramePr", &[]);
        out.empty("a:graphicFrameLocks", &[("xmlns:a", drawing), ("noChangeAspect", "1")]);
        out.close("wp:cNvGraphicFramePr");
        out.open("a:graphic", &[("xmlns:a", drawing)]);
        out.open("a:graphicData", &[("uri", picture_ns)]);
        out.open("pic:pic", &[("xmlns:pic", picture_ns)]);
        out.open("pic:nvPicPr", &[]);
        out.empty("pic:cNvPr", &[("id", &id), ("name", &name), ("descr", alt)]);
        out.empty("pic:cNvPicPr", &[]);
        out.close("pic:nvPicPr");
        out.open("pic:blipFill", &[]);
        out.open("a:blip", &[("r:embed", &raster_id)]);
        if let Some(svg_id) = &svg_id {
            out.open("a:extLst", &[]);
            out.open("a:ext", &[("uri", "{96DAC541-7B7A-43D3-8B79-37D633B846F1}")]);
            out.empty(
                "asvg:svgBlip",
                &[("xmlns:asvg", "http://schemas.microsoft.com/office/drawing/2016/SVG/main"), ("r:embed", svg_id)],
            );
            out.close("a:ext");
            out.close("a:extLst");
        }
        out.close("a:blip");
        out.open("a:stretch", &[]);
        out.empty("a:fillRect", &[]);
        out.close("a:stretch");
        out.close("pic:blipFill");
        out.open("pic:spPr", &[]);
        out.open("a:xfrm", &[]);
        out.empty("a:off", &[("x", "0"), ("y", "0")]);
        out.empty("a:ext", &[("cx", &width), ("cy", &height)]);
        out.close("a:xfrm");
        out.open("a:prstGeom", &[("prst", "rect")]);
        out.empty("a:avLst", &[]);
        out.close("a:prstGeom");
        out.close("pic:spPr");
        out.close("pic:pic");
        out.close("a:graphicData");
        out.close("a:graphic");
        out.close("wp:inline");
        out.close("w:drawing");
        out.close("w:r");
        true
    }

    /// The `.docx` bytes: every part, zipped reproducibly.
    fn finish(self, properties: &Properties) -> anyhow::Result<Vec<u8>> {
        let mut document = Xml::new();
        document.declaration();
        document.open("w:document", parts::NAMESPACES);
        document.open("w:body", &[]);
        document.append(self.body);
        parts::section_properties(&mut document, MARGIN_TWIPS);
        document.close("w:body");
        document.close("w:document");
        let mut notes = Xml::new();
        notes.declaration();
        notes.open("w:footnotes", parts::NAMESPACES);
        parts::note_separators(&mut notes);
        notes.append(self.notes);
        notes.close("w:footnotes");
        let mut files: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), parts::content_types(&self.media)),
            ("_rels/.rels".into(), parts::root_relationships()),
            ("docProps/core.xml".into(), parts::core_properties(properties)),
            ("docProps/app.xml".into(), parts::app_properties()),
            ("word/document.xml".into(), document.into_bytes()),
            ("word/styles.xml".into(), parts::styles(properties.language)),
            ("word/numbering.xml".into(), parts::numbering(&self.numbers)),
            ("word/footnotes.xml".into(), notes.into_bytes()),
            ("word/settings.xml".into(), parts::settings()),
            ("word/header1.xml".into(), parts::header(properties.header)),
            ("word/footer1.xml".into(), parts::footer(properties.page, properties.of)),
            ("word/_rels/document.xml.rels".into(), parts::relationships(&self.relationships)),
        ];
        files.extend(self.media);
        let entries: Vec<(&str, &[u8])> = files.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
        let mut out = std::io::Cursor::new(Vec::new());
        crate::output::zip::write_zip(&mut out, &entries, properties.date)?;
        Ok(out.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use crate::publications::{PlanOptions, plan};
    use crate::testing::{contribution, package};

    /// (style, text) of every body paragraph of a `.docx`.
    fn paragraphs(docx: &[u8]) -> Vec<(String, String)> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
        let document = roxmltree::Document::parse(&xml).expect("document.xml is well-formed XML");
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        document
            .descendants()
            .filter(|n| n.has_tag_name((w, "p")))
            .map(|p| {
                let style = p
                    .descendants()
                    .find(|n| n.has_tag_name((w, "pStyle")))
                    .and_then(|n| n.attribute((w, "val")))
                    .unwrap_or("Normal")
                    .to_string();
                let text: String =
                    p.descendants().filter(|n| n.has_tag_name((w, "t"))).filter_map(|n| n.text()).collect();
                (style, text)
            })
            .collect()
    }

    #[test]
    fn the_word_draft_has_the_plans_headings_captions_and_gaps() {
        let (path, text) = contribution("CZ", "## Q1.2", "### Background of the Act\n\nSee ftp://x.org.\n\n## Q1.2");
        let text = text.replacen("# Key findings", "# Notes", 1);
        let package = package(&[(&path, &text)]);
        let options = PlanOptions::new(crate::dates::Date::from_unix(1_700_000_000), true);
        let synthesis = plan(&package, &options).into_iter().find(|p| p.word.is_some()).unwrap();
        let docx = super::write(&synthesis, &package.root).unwrap().unwrap();
        let paragraphs = paragraphs(&docx.bytes);
        let headings: Vec<(u8, String)> = paragraphs
            .iter()
            .filter_map(|(style, text)| Some((style.strip_prefix("Heading")?.parse().ok()?, text.clone())))
            .collect();
        assert_eq!(headings, synthesis.doc.outline(), "Word's headings are the plan's outline");
        assert!(headings.contains(&(4, "Background of the Act".into())));
        let captions: Vec<&str> =
            paragraphs.iter().filter(|(style, _)| style == "Caption").map(|(_, text)| text.as_str()).collect();
        assert_eq!(captions, synthesis.doc.captions(), "Word's captions are the plan's");
        assert!(
            captions.iter().any(|c| c.starts_with("Figure 1: ")) && captions.iter().any(|c| c.starts_with("Table 1: "))
        );
        let gaps: Vec<&str> =
            paragraphs.iter().filter(|(style, _)| style == "GapNotice").map(|(_, text)| text.as_str()).collect();
        assert_eq!(gaps, synthesis.doc.gaps());
        assert!(gaps.contains(&"No key findings received from Czechia."));
        assert!(!paragraphs.iter().any(|(style, text)| style == "Normal" && text.starts_with("No key findings")));
        // The contents already lists the chapters.
        assert!(paragraphs.iter().any(|(style, text)| style == "TOC1" && text == "Coverage"));
        // Only web links are links.
        assert!(!String::from_utf8_lossy(&docx.bytes).contains("ftp://x.org\" TargetMode"));
    }

    #[test]
    fn hostile_text_stays_text_in_word() {
        let (path, text) =
            contribution("CZ", "## Q1.2", "## Q1.1b\n\n</w:t></w:r><w:r><w:t>injected & <b>bold</b> \u{1}\n\n## Q1.2");
        let package = package(&[(&path, &text)]);
        let options = PlanOptions::new(crate::dates::Date::from_unix(0), true);
        let national = plan(&package, &options).into_iter().find(|p| p.path == "national/CZ.pdf").unwrap();
        let docx = super::document(&national.doc, &package.root).unwrap();
        let paragraphs = paragraphs(&docx);
        assert!(
            paragraphs.iter().any(|(_, text)| text.starts_with("</w:t></w:r><w:r><w:t>injected & <b>bold</b>")),
            "the text is printed as typed: {paragraphs:?}"
        );
    }

    #[test]
    fn a_czech_word_file_numbers_its_pages_in_czech_and_ends_with_the_notice() {
        let (path, text) = contribution("CZ", "language: en", "language: cs");
        let package = package(&[(&path, &text)]);
        let options = PlanOptions::new(crate::dates::Date::from_unix(0), true);
        let national = plan(&package, &options).into_iter().find(|p| p.path == "national/CZ.pdf").unwrap();
        let docx = super::document(&national.doc, &package.root).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx.clone())).unwrap();
        let mut part = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        let footer = part("word/footer1.xml");
        assert!(footer.contains(">Strana <") && footer.contains("> z <"), "{footer}");
        assert!(!footer.contains("Page"), "no English in a Czech footer: {footer}");
        assert!(!part("word/header1.xml").contains("C62828"), "the running head is not red");
        let last = paragraphs(&docx).last().cloned().unwrap();
        assert!(last.1.contains(&national.doc.notice.disclaimer), "the notice closes it: {last:?}");
    }

    #[test]
    fn the_word_contents_go_as_deep_as_the_plan_asks() {
        let package = package(&[]);
        let options = PlanOptions::new(crate::dates::Date::from_unix(0), true);
        let synthesis = plan(&package, &options).into_iter().find(|p| p.path == "synthesis-report-draft.pdf").unwrap();
        let depth = synthesis
            .doc
            .nodes()
            .into_iter()
            .find_map(|n| {
                if let crate::publications::document::Node::Contents { depth, .. } = n { Some(*depth) } else { None }
            })
            .unwrap();
        let docx = super::document(&synthesis.doc, &package.root).unwrap();
        let styles: Vec<String> = paragraphs(&docx).into_iter().map(|(style, _)| style).collect();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut document).unwrap();
        assert!(
            document.contains(&format!("TOC \\o &quot;1-{depth}&quot;"))
                || document.contains(&format!("TOC \\o \"1-{depth}\""))
        );
        assert!(!styles.iter().any(|s| s == &format!("TOC{}", depth + 1)), "no entry deeper than {depth}");
        assert!(styles.iter().any(|s| s == &format!("TOC{depth}")), "entries down to {depth}");
    }
}
