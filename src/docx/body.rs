//! The text of a Word document as a small model: paragraphs (heading level,
//! list number, runs), tables, footnotes, links and images.
//!
//! The reader is tolerant: it walks whatever elements it meets, descends
//! into wrappers it does not know (content controls, smart tags, custom
//! XML), takes tracked changes as accepted, and notes what it cannot map
//! (text boxes, charts, merged cells, comments) for the import report
//! instead of failing.

use std::collections::BTreeMap;

use super::styles::{Number, Numbering, Styles, numbering_reference};
use super::xml::{attr, child, int_attr, is, toggle};

/// Bold, italic and strikethrough: what Markdown can say about a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStyle {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String, RunStyle),
    LineBreak,
    /// A footnote or endnote reference, by its id in the notes part.
    Note(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// An image by the zip path of its part, with its alt text (`descr`).
    Image {
        part: String,
        alt: String,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// Position among the body's paragraphs (1-based), for the report.
    pub number: usize,
    /// Heading level 1–9.
    pub heading: Option<u8>,
    /// The style's name in lower case (`title`, `toc 1`, `quote`).
    pub style: String,
    /// For numbered headings and list items: Word's number and the level.
    pub numbering: Option<(Number, u8)>,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(Paragraph),
    /// Rows of cells, each cell its paragraphs; `number` is the paragraph
    /// position the table starts at.
    Table {
        number: usize,
        rows: Vec<Vec<Vec<Paragraph>>>,
        /// The title Word keeps in the table's properties (`w:tblCaption`).
        caption: String,
    },
}

/// The text of inlines without markup (for headings, the report and the joins of paragraphs).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text, _) => out.push_str(text),
            Inline::LineBreak => out.push(' '),
            Inline::Link { content, .. } => out.push_str(&plain_text(content)),
            Inline::Note(_) | Inline::Image { .. } => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Something the import did not map, and where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The paragraph position it was at (or near).
    pub paragraph: usize,
    pub what: String,
}

/// What a relationship points at: an external URL or a part of the zip.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL, or the part's path in the zip.
    pub path: String,
    pub external: bool,
    /// The relationship type's last segment: `officeDocument`, `styles`,
    /// `footnotes`, `image`, `hyperlink`...
    pub kind: String,
}

/// A part's relationships, by id.
#[derive(Debug, Clone, Default)]
pub struct Relationships {
    pub targets: BTreeMap<String, Target>,
}

impl Relationships {
    /// The first part of a kind (`styles`, `footnotes`, `officeDocument`).
    pub fn part(&self, kind: &str) -> Option<&str> {
        self.targets.values().find(|t| !t.external && t.kind == kind).map(|t| t.path.as_str())
    }

    /// `word/_rels/document.xml.rels`-style XML; part targets are resolved
    /// against `base` (the folder of the part the relationships belong to).
    pub fn parse(xml: Option<&str>, base: &str) -> Self {
        let mut targets = BTreeMap::new();
        if let Some(document) = xml.and_then(|xml| roxmltree::Document::parse(xml).ok()) {
            for node in document.descendants().filter(|n| is(*n, "Relationship")) {
                let (Some(id), Some(target)) = (attr(node, "Id"), attr(node, "Target")) else { continue };
                let external = attr(node, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
                let path = if external { target.to_string() } else { resolve_part(base, target) };
                let kind = attr(node, "Type").unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
                targets.insert(id.to_string(), Target { path, external, kind });
            }
        }
        Self { targets }
    }
}

/// `media/image1.png` from `word/` → `word/media/image1.png`.
pub fn resolve_part(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { base.split('/').collect() };
    parts.retain(|p| !p.is_empty());
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A complex field being read (`HYPERLINK "…"`, `PAGE`, `TOC`).
struct Field {
    instruction: String,
    in_result: bool,
    /// For a HYPERLINK field in its result: the URL and the link text so far.
    link: Option<(String, Vec<Inline>)>,
}

/// Walks one part (the body, or the notes) of a document.
pub struct BodyReader<'a> {
    styles: &'a Styles,
    numbering: &'a mut Numbering,
    relationships: &'a Relationships,
    pub notes: Vec<Note>,
    pub tracked_changes: usize,
    paragraphs: usize,
    fields: Vec<Field>,
}

impl<'a> BodyReader<'a> {
    pub fn new(styles: &'a Styles, numbering: &'a mut Numbering, relationships: &'a Relationships) -> Self {
        Self {
            styles,
            numbering,
            relationships,
            notes: Vec::new(),
            tracked_changes: 0,
            paragraphs: 0,
            fields: Vec::new(),
        }
    }

    fn note(&mut self, what: impl Into<String>) {
        self.note_at(self.paragraphs.max(1), what);
    }

    fn note_at(&mut self, paragraph: usize, what: impl Into<String>) {
        let what = what.into();
        // One line per thing and place: a table with ten merged cells is one.
        if !self.notes.iter().any(|n| n.paragraph == paragraph && n.what == what) {
            self.notes.push(Note { paragraph, what });
        }
    }

    /// The blocks of a body, a cell or a note.
    pub fn blocks(&mut self, parent: roxmltree::Node) -> Vec<Block> {
        let mut out = Vec::new();
        // A drop cap is a paragraph of its own holding the first letters of
        // the next one: they are joined again, or the first word splits.
        let mut drop_cap: Option<Vec<Inline>> = None;
        for node in parent.children().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "p" if is_drop_cap(node) => drop_cap = Some(self.paragraph(node).inlines),
                // A deleted paragraph mark (a tracked change): accepted, the
                // paragraph runs on into the next one, whose mark it takes.
                "p" if mark_change(node) == Some("del") => {
                    self.tracked_changes += 1;
                    let mut inlines = drop_cap.take().unwrap_or_default();
                    inlines.extend(self.paragraph(node).inlines);
                    // The two paragraphs' words stay two words, as pandoc reads them.
                    let ends_in_space = match inlines.last() {
                        Some(Inline::Text(text, _)) => text.ends_with(char::is_whitespace),
                        _ => false,
                    };
                    if !ends_in_space && !plain_text(&inlines).is_empty() {
                        inlines.push(Inline::Text(" ".into(), RunStyle::default()));
                    }
                    drop_cap = Some(inlines);
                }
                "p" => {
                    if mark_change(node) == Some("ins") {
                        self.tracked_changes += 1;
                    }
                    let mut paragraph = self.paragraph(node);
                    if let Some(letters) = drop_cap.take() {
                        paragraph.inlines.splice(0..0, letters);
                    }
                    out.push(Block::Paragraph(paragraph))
                }
                "tbl" => out.push(self.table(node)),
                "sdt" => out.extend(child(node, "sdtContent").map(|c| self.blocks(c)).unwrap_or_default()),
                "customXml" | "ins" | "moveTo" => out.extend(self.blocks(node)),
                "del" | "moveFrom" => self.tracked_changes += 1,
                // A document Word merges in when it opens the file (HTML,
                // RTF or another .docx): its words are not in this one.
                "altChunk" => {
                    let part = attr(node, "id")
                        .and_then(|id| self.relationships.targets.get(id))
                        .map_or_else(|| "an unnamed part".to_string(), |target| target.path.clone());
                    self.note_at(
                        self.paragraphs + 1,
                        format!("an embedded document ({part}, w:altChunk), not imported: open the file in Word and save it again, which merges its text in"),
                    );
                }
                _ => {}
            }
        }
        out
    }

    fn paragraph(&mut self, p: roxmltree::Node) -> Paragraph {
        self.paragraphs += 1;
        self.fields.clear();
        let properties = child(p, "pPr");
        let style_id = properties.and_then(|pr| child(pr, "pStyle")).and_then(|s| attr(s, "val")).unwrap_or("");
        let outline = properties.and_then(|pr| child(pr, "outlineLvl")).and_then(|o| int_attr::<u8>(o, "val"));
        let heading = match outline {
            Some(level) => (level < 9).then_some(level + 1),
            None => self.styles.heading_level(style_id),
        };
        let reference = properties
            .and_then(|pr| child(pr, "numPr"))
            .and_then(numbering_reference)
            .or_else(|| self.styles.numbering(style_id));
        let numbering = reference.and_then(|(id, level)| Some((self.numbering.next(&id, level)?, level)));
        let mut inlines = Vec::new();
        self.inlines(p, &mut inlines);
        Paragraph { number: self.paragraphs, heading, style: self.styles.name(style_id), numbering, inlines }
    }

    /// The inline content of a paragraph or of a wrapper inside one.
    fn inlines(&mut self, parent: roxmltree::Node, out: &mut Vec<Inline>) {
        for node in parent.children().filter(|n| n.is_element()) {
            match node.tag_name().name() {
                "r" => self.run(node, out),
                "hyperlink" => self.hyperlink(node, out),
                "ins" | "moveTo" => {
                    self.tracked_changes += 1;
                    self.inlines(node, out);
                }
                "del" | "moveFrom" => self.tracked_changes += 1,
                "fldSimple" => {
                    let instruction = attr(node, "instr").unwrap_or("");
                    let mut content = Vec::new();
                    self.inlines(node, &mut content);
                    match hyperlink_target(instruction) {
                        Some(url) => out.push(Inline::Link { url, content }),
                        None => out.extend(content),
                    }
                }
                "smartTag" | "customXml" | "bdo" | "dir" => self.inlines(node, out),
                "sdt" => {
                    if let Some(content) = child(node, "sdtContent") {
                        self.inlines(content, out);
                    }
                }
                "oMath" | "oMathPara" => {
                    let text: String = node.descendants().filter(|n| is(*n, "t")).filter_map(|n| n.text()).collect();
                    self.note("an equation, imported as its plain text");
                    self.emit(out, Inline::Text(text, RunStyle::default()));
                }
                _ => {}
            }
        }
    }

    fn hyperlink(&mut self, node: roxmltree::Node, out: &mut Vec<Inline>) {
        let mut content = Vec::new();
        self.inlines(node, &mut content);
        let url = attr(node, "id")
            .and_then(|id| self.relationships.targets.get(id))
            .filter(|target| target.external)
            .map(|target| target.path.clone());
        match url {
            Some(url) => self.emit(out, Inline::Link { url, content }),
            // A link to a bookmark inside the document: its text stays.
            None => content.into_iter().for_each(|inline| self.emit(out, inline)),
        }
    }

    /// Adds an inline where it belongs: into the link text of a HYPERLINK
    /// field being read, else into the paragraph.
    fn emit(&mut self, out: &mut Vec<Inline>, inline: Inline) {
        match self.fields.iter_mut().rev().find_map(|f| f.link.as_mut().filter(|_| f.in_result)) {
            Some((_, content)) => content.push(inline),
            None => out.push(inline),
        }
    }

    fn run(&mut self, r: roxmltree::Node, out: &mut Vec<Inline>) {
        let properties = child(r, "rPr");
        let character_style = properties.and_then(|p| child(p, "rStyle")).and_then(|s| attr(s, "val")).unwrap_or("");
        let style = RunStyle {
            bold: toggle(properties, "b") || self.styles.name(character_style) == "strong",
            italic: toggle(properties, "i") || self.styles.name(character_style) == "emphasis",
            strike: toggle(properties, "strike") || toggle(properties, "dstrike"),
        };
        // Text set in a symbol font holds the font's own codes.
        let font = properties
            .and_then(|p| child(p, "rFonts"))
            .and_then(|f| attr(f, "ascii").or_else(|| attr(f, "hAnsi")).or_else(|| attr(f, "cs")))
            .unwrap_or("");
        for node in r.children().filter(|n| n.is_element()) {
            let in_instruction = self.fields.last().is_some_and(|f| !f.in_result);
            match node.tag_name().name() {
                "fldChar" => self.field_char(node, out),
                "instrText" => {
                    if let Some(field) = self.fields.last_mut() {
                        field.instruction.push_str(node.text().unwrap_or(""));
                    }
                }
                _ if in_instruction => {}
                "t" => {
                    let text = self.symbol_text(font, node.text().unwrap_or(""));
                    self.emit(out, Inline::Text(text, style))
                }
                "tab" | "ptab" => self.emit(out, Inline::Text(" ".into(), style)),
                "noBreakHyphen" => self.emit(out, Inline::Text("-".into(), style)),
                "br" | "cr" if !matches!(attr(node, "type"), Some("page" | "column")) => {
                    self.emit(out, Inline::LineBreak)
                }
                // A page or column break inside a paragraph parts the words
                // on either side of it.
                "br" => self.emit(out, Inline::Text(" ".into(), style)),
                "footnoteReference" | "endnoteReference" => {
                    let prefix = if node.tag_name().name() == "endnoteReference" { "e" } else { "f" };
                    if let Some(id) = attr(node, "id") {
                        self.emit(out, Inline::Note(format!("{prefix}{id}")));
                    }
                }
                "sym" => {
                    let code = attr(node, "char").and_then(|c| u32::from_str_radix(c, 16).ok()).unwrap_or(0);
                    let sym_font = attr(node, "font").unwrap_or(font);
                    match super::symbols::to_unicode(sym_font, code) {
                        Some(c) => self.emit(out, Inline::Text(c.to_string(), style)),
                        None => self.note(format!(
                            "a character of the {sym_font} font (code {code:X}) that has no Unicode equivalent here, not imported"
                        )),
                    }
                }
                "drawing" | "pict" => self.drawing(node, out),
                "AlternateContent" => {
                    // The first choice is the modern form; the fallback repeats it.
                    if let Some(choice) = child(node, "Choice") {
                        self.run(choice, out);
                    }
                }
                // An embedded object (a pasted Excel chart): its preview
                // picture is what Word shows.
                "object" if node.descendants().any(|n| is(n, "imagedata")) => {
                    self.note("an embedded object (OLE), imported as the picture Word shows of it");
                    self.drawing(node, out);
                }
                "object" => self.note("an embedded object (OLE) without a picture, not imported"),
                _ => {}
            }
        }
    }

    /// Text of a run: characters a symbol font shows through its own
    /// private-use codes become the Unicode characters they show.
    fn symbol_text(&mut self, font: &str, text: &str) -> String {
        if !text.chars().any(|c| ('\u{F020}'..='\u{F0FF}').contains(&c)) {
            return text.to_string();
        }
        text.chars()
            .filter_map(|c| {
                if !('\u{F020}'..='\u{F0FF}').contains(&c) {
                    return Some(c);
                }
                let mapped = super::symbols::to_unicode(font, c as u32);
                if mapped.is_none() {
                    self.note(format!(
                        "a character of the {} font (code {:X}) that has no Unicode equivalent here, not imported",
                        if font.is_empty() { "symbol" } else { font },
                        c as u32
                    ));
                }
                mapped
            })
            .collect()
    }

    fn field_char(&mut self, node: roxmltree::Node, out: &mut Vec<Inline>) {
        match attr(node, "fldCharType") {
            Some("begin") => self.fields.push(Field { instruction: String::new(), in_result: false, link: None }),
            Some("separate") => {
                if let Some(field) = self.fields.last_mut() {
                    field.in_result = true;
                    field.link = hyperlink_target(&field.instruction).map(|url| (url, Vec::new()));
                }
            }
            Some("end") => {
                if let Some(Field { link: Some((url, content)), .. }) = self.fields.pop() {
                    self.emit(out, Inline::Link { url, content });
                }
            }
            _ => {}
        }
    }

    /// A DrawingML or VML drawing: an image, or a text box or chart to report.
    fn drawing(&mut self, node: roxmltree::Node, out: &mut Vec<Inline>) {
        if let Some(text_box) = node.descendants().find(|n| is(*n, "txbxContent")) {
            // A text box's paragraphs (a shape's text, a pull quote): kept
            // as lines of the paragraph it is anchored in, as pandoc keeps
            // them; pictures inside come with them.
            let mut imported = false;
            // Its own paragraphs only: a box inside it is read when its own
            // paragraph is (each box once, not once per enclosing box), and
            // the Fallback copy Word keeps of a nested box is not read.
            let own = |paragraph: &roxmltree::Node| {
                paragraph
                    .ancestors()
                    .skip(1)
                    .take_while(|a| a.id() != text_box.id())
                    .all(|a| !is(a, "txbxContent") && !is(a, "Fallback") && !is(a, "p"))
            };
            for paragraph in text_box.descendants().filter(|n| is(*n, "p") && own(n)) {
                let mut content = Vec::new();
                self.inlines(paragraph, &mut content);
                if !content.is_empty() {
                    self.emit(out, Inline::LineBreak);
                    for inline in content {
                        self.emit(out, inline);
                    }
                    imported = true;
                }
            }
            if imported {
                // The paragraph's own text after the box starts a line again.
                self.emit(out, Inline::LineBreak);
                self.note("a text box or shape with text, imported as lines of its paragraph");
            }
            return;
        }
        if node.descendants().any(|n| is(n, "chart")) {
            self.note("a chart, not imported (paste it as a picture with alt text)");
            return;
        }
        // Word keeps an SVG in an extension (`svgBlip`) beside a PNG
        // fallback (`blip`); typst sets the SVG, so it comes first.
        let embed = ["svgBlip", "blip", "imagedata"].iter().find_map(|name| {
            node.descendants()
                .filter(|n| is(*n, name))
                .find_map(|n| attr(n, "embed").or_else(|| attr(n, "id")).or_else(|| attr(n, "link")))
        });
        let target = embed.and_then(|id| self.relationships.targets.get(id));
        let part = match target {
            Some(target) if !target.external => target.path.clone(),
            Some(target) => {
                let what = format!(
                    "a picture linked to a file outside the document ({}), not imported: insert the picture itself in Word",
                    target.path
                );
                self.note(what);
                // Its description is the NCP's words: kept as text.
                let alt = drawing_alt(node);
                if !alt.trim().is_empty() {
                    self.emit(out, Inline::Text(alt, RunStyle::default()));
                }
                return;
            }
            None => {
                self.note("a drawing without an embedded picture, not imported");
                return;
            }
        };
        let alt = drawing_alt(node);
        self.emit(out, Inline::Image { part, alt });
    }

    fn table(&mut self, tbl: roxmltree::Node) -> Block {
        let number = self.paragraphs + 1;
        let mut rows = Vec::new();
        for row in table_rows(tbl) {
            let mut cells = Vec::new();
            // Cells a row leaves out of the grid before and after its own.
            let grid = |name: &str| {
                child(row, "trPr").and_then(|p| child(p, name)).and_then(|g| int_attr::<usize>(g, "val")).unwrap_or(0)
            };
            cells.extend(std::iter::repeat_n(Vec::new(), grid("gridBefore").min(MAX_GRID_SKIP)));
            for cell in row_cells(row) {
                let properties = child(cell, "tcPr");
                let span = properties.and_then(|p| child(p, "gridSpan")).and_then(|s| int_attr::<usize>(s, "val"));
                let continued = properties
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|m| attr(m, "val").is_none_or(|v| v == "continue"));
                let mut paragraphs = Vec::new();
                for block in self.blocks(cell) {
                    match block {
                        Block::Paragraph(p) => paragraphs.push(p),
                        Block::Table { rows, .. } => {
                            self.note_at(number, "a table inside a table cell, imported as the cell's text");
                            paragraphs.extend(rows.into_iter().flatten().flatten());
                        }
                    }
                }
                if continued {
                    self.note_at(number, "a table with merged cells: a merged cell's text is in its first row only");
                    paragraphs.clear();
                }
                cells.push(paragraphs);
                if let Some(span) = span.filter(|&s| s > 1) {
                    self.note_at(number, "a table with merged cells: a merged cell's text is in its first column only");
                    cells.extend(std::iter::repeat_n(Vec::new(), span - 1));
                }
            }
            cells.extend(std::iter::repeat_n(Vec::new(), grid("gridAfter").min(MAX_GRID_SKIP)));
            rows.push(cells);
        }
        // Word's alt text of a table: a title and a description.
        let alt_text = |name: &str| {
            child(tbl, "tblPr").and_then(|p| child(p, name)).and_then(|c| attr(c, "val")).unwrap_or("").trim()
        };
        let caption = [alt_text("tblCaption"), alt_text("tblDescription")]
            .into_iter()
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join(" – ");
        Block::Table { number, rows, caption }
    }
}

/// A tracked change of a paragraph's mark: `ins` (a paragraph split) or
/// `del` (two paragraphs joined), as `w:pPr/w:rPr` records it.
fn mark_change(p: roxmltree::Node) -> Option<&'static str> {
    let mark = child(p, "pPr").and_then(|pr| child(pr, "rPr"))?;
    if child(mark, "del").is_some() || child(mark, "moveFrom").is_some() {
        Some("del")
    } else if child(mark, "ins").is_some() || child(mark, "moveTo").is_some() {
        Some("ins")
    } else {
        None
    }
}

/// Whether a paragraph is a drop cap (`w:framePr w:dropCap="drop"`).
fn is_drop_cap(p: roxmltree::Node) -> bool {
    child(p, "pPr").and_then(|pr| child(pr, "framePr")).and_then(|f| attr(f, "dropCap")).is_some_and(|d| d != "none")
}

/// Most grid columns a row may skip (`gridBefore`, `gridAfter`): Word allows 63.
const MAX_GRID_SKIP: usize = 64;

/// A row's cells, also those wrapped in content controls or custom XML
/// (a cell left out would shift the cells after it into the wrong columns).
fn row_cells<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    wrapped_children(node, "tc")
}

/// A table's rows, also those wrapped in content controls or custom XML.
fn table_rows<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    wrapped_children(node, "tr")
}

/// The children named `name`, also inside the content controls, custom
/// XML and tracked insertions Word wraps them in.
fn wrapped_children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    let mut found = Vec::new();
    for child in node.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            tag if tag == name => found.push(child),
            "sdt" | "sdtContent" | "customXml" | "ins" => found.extend(wrapped_children(child, name)),
            _ => {}
        }
    }
    found
}

/// The URL of a `HYPERLINK "url"` field instruction (not `\l` bookmarks).
fn hyperlink_target(instruction: &str) -> Option<String> {
    let rest = instruction.trim().strip_prefix("HYPERLINK")?.trim();
    if rest.starts_with("\\l") {
        return None;
    }
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// A drawing's alt text: DrawingML's description, else VML's.
fn drawing_alt(node: roxmltree::Node) -> String {
    node.descendants()
        .find(|n| is(*n, "docPr"))
        .and_then(|n| attr(n, "descr"))
        .or_else(|| node.descendants().find(|n| is(*n, "shape")).and_then(|n| attr(n, "alt")))
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks of a `w:body` and the tracked changes counted in it.
    fn read_body(xml: &str) -> (Vec<Block>, usize) {
        let document = roxmltree::Document::parse(xml).unwrap();
        let styles = super::super::styles::Styles::parse(None);
        let mut numbering = super::super::styles::Numbering::default();
        let relationships = Relationships::parse(None, "");
        let mut reader = BodyReader::new(&styles, &mut numbering, &relationships);
        let blocks = reader.blocks(document.root_element());
        (blocks, reader.tracked_changes)
    }

    fn text_of(inlines: &[Inline]) -> String {
        inlines.iter().map(|i| if let Inline::Text(t, _) = i { t.as_str() } else { "" }).collect()
    }

    #[test]
    fn breaks_and_text_boxes_keep_words_apart() {
        let xml = r#"<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p>
          <w:r><w:t>describe the</w:t><w:br w:type="page"/><w:t>feeling</w:t></w:r>
          <w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:drawing><w:t>Acting area</w:t></w:r>
          </w:p></w:body>"#;
        let (blocks, _) = read_body(xml);
        let Block::Paragraph(p) = &blocks[0] else { panic!("{blocks:?}") };
        let words: String = p
            .inlines
            .iter()
            .map(|i| match i {
                Inline::Text(text, _) => text.as_str(),
                Inline::LineBreak => "\n",
                _ => "",
            })
            .collect();
        assert_eq!(words, "describe the feeling\nBoxed\nActing area");
    }

    #[test]
    fn a_tables_alt_text_is_its_caption() {
        let xml = r#"<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tbl>
          <w:tblPr><w:tblCaption w:val="Permits"/><w:tblDescription w:val="Issued in 2024, by region"/></w:tblPr>
          <w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>"#;
        let (blocks, _) = read_body(xml);
        let Some(Block::Table { caption, .. }) = blocks.first() else { panic!("{blocks:?}") };
        assert_eq!(caption, "Permits – Issued in 2024, by region");
    }

    #[test]
    fn cells_in_content_controls_keep_their_columns() {
        let xml = r#"<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tbl>
          <w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>
          <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>z</w:t></w:r></w:p></w:tc></w:tr>
        </w:tbl></w:body>"#;
        let (blocks, _) = read_body(xml);
        let Some(Block::Table { rows, .. }) = blocks.first() else { panic!("{blocks:?}") };
        let text = |cell: &Vec<Paragraph>| cell.iter().map(|p| text_of(&p.inlines)).collect::<String>();
        let rows: Vec<Vec<String>> = rows.iter().map(|row| row.iter().map(text).collect()).collect();
        assert_eq!(rows, [["A", "B", "C"], ["", "y", "z"]]);
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_two_paragraphs() {
        let xml = r#"<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:p><w:pPr><w:rPr><w:del w:id="1" w:author="x"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">One sentence </w:t></w:r></w:p>
          <w:p><w:r><w:t>runs on.</w:t></w:r></w:p></w:body>"#;
        let (blocks, tracked_changes) = read_body(xml);
        assert_eq!((blocks.len(), tracked_changes), (1, 1));
        let Block::Paragraph(p) = &blocks[0] else { panic!() };
        let text = text_of(&p.inlines);
        assert_eq!(text, "One sentence runs on.");
        // Without a space of its own, the joint still parts the words.
        let (blocks, _) = read_body(&xml.replace("One sentence ", "A paragraph"));
        let Block::Paragraph(p) = &blocks[0] else { panic!() };
        assert_eq!(text_of(&p.inlines), "A paragraph runs on.");
    }

    #[test]
    fn a_drop_cap_joins_its_word_again() {
        let xml = r#"<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:p><w:pPr><w:framePr w:dropCap="drop" w:lines="3"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p>
          <w:p><w:r><w:t>he policy was adopted.</w:t></w:r></w:p></w:body>"#;
        let (blocks, _) = read_body(xml);
        assert_eq!(blocks.len(), 1);
        let Block::Paragraph(p) = &blocks[0] else { panic!() };
        let text = text_of(&p.inlines);
        assert_eq!(text, "The policy was adopted.");
    }

    #[test]
    fn field_instructions_and_parts_resolve() {
        assert_eq!(hyperlink_target(" HYPERLINK \"https://emn.eu/x\" \\o \"tip\""), Some("https://emn.eu/x".into()));
        assert_eq!(hyperlink_target("HYPERLINK \\l \"_Toc1\""), None);
        assert_eq!(hyperlink_target("PAGE"), None);
        assert_eq!(resolve_part("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve_part("word", "../media/a.png"), "media/a.png");
        assert_eq!(resolve_part("word", "/word/media/b.png"), "word/media/b.png");
    }
}
