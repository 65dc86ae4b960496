//! Editable Word documents (`.docx`): the synthesis draft and the ad-hoc
//! query compilation as the Service Provider edits them in Word or
//! LibreOffice.
//!
//! OOXML is written directly, through the zip the bundle already uses:
//! `docx-rs` would add a second zip and its own document model for what is
//! here a few hundred lines of plain XML, and this keeps every byte under
//! our control, so two builds give the same file. The document uses
//! Word's built-in style names (Title, Heading 1–6, Normal, Caption,
//! Footnote Text, a table style), so the navigation pane, a table of
//! contents and `import-docx` all find the structure; footnotes are Word
//! footnotes, links hyperlinks, lists Word lists (each ordered list
//! restarts at its own start number), pictures carry their alt text, and
//! an SVG (the maps) is stored with a PNG fallback, as Word stores it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::dates::Date;
use crate::limits::MAX_IMAGE_BYTES;
use crate::load::markdown::{Block, Inline, Target};
use crate::load::{Document, Package};

/// Usable text width of an A4 page with the margins below, in EMU.
const TEXT_WIDTH_EMU: u64 = 5_940_000;
/// Page margins in twentieths of a point (2.3 cm).
const MARGIN_TWIPS: u32 = 1304;
/// Nesting the writer follows; deeper Markdown is already flattened by load.
const MAX_LIST_LEVEL: usize = 8;

/// What a document says about itself (the file's properties).
pub struct Properties<'a> {
    pub title: &'a str,
    /// `en`, `cs`, ...
    pub language: &'a str,
    pub date: Date,
    /// Printed in every page header (e.g. "DRAFT – not for publication").
    pub header: &'a str,
}

/// A picture to embed: its bytes as Word can show them (PNG, JPEG or
/// GIF), an optional SVG original, its size in pixels and its alt text.
struct Picture {
    raster: Vec<u8>,
    extension: &'static str,
    svg: Option<Vec<u8>>,
    width: u32,
    height: u32,
}

/// A Word document being written, body first, parts on [`WordWriter::finish`].
pub struct WordWriter<'p> {
    package: &'p Package,
    body: String,
    footnotes: String,
    footnote_count: u32,
    /// Figures captioned so far (numbered as the PDF numbers them).
    figure_count: u32,
    /// Notes already written, by document and name: a note cited again is
    /// a second reference to the same note (as in the PDF), never a copy.
    notes_written: BTreeMap<(String, String), u32>,
    /// Relationships of the main document besides the fixed ones: (id, type, target, external).
    relationships: Vec<(String, &'static str, String, bool)>,
    media: Vec<(String, Vec<u8>)>,
    /// Ordered lists: (abstract numbering, start) per `w:num`, from id 3.
    numbers: Vec<(u32, usize)>,
    drawing_count: u32,
    picture_count: usize,
    /// The language of the blocks being written.
    language: String,
    /// Writing a footnote's text: a footnote reference there is printed as
    /// text (two footnotes citing each other would never end).
    in_footnote: bool,
}

/// Run formatting.
#[derive(Clone, Copy, Default)]
struct Format {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    superscript: bool,
}

const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const HYPERLINK: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";

impl<'p> WordWriter<'p> {
    pub fn new(package: &'p Package) -> Self {
        Self {
            package,
            body: String::new(),
            footnotes: String::new(),
            footnote_count: 0,
            figure_count: 0,
            notes_written: BTreeMap::new(),
            relationships: Vec::new(),
            media: Vec::new(),
            numbers: Vec::new(),
            drawing_count: 0,
            picture_count: 0,
            language: "en".into(),
            in_footnote: false,
        }
    }

    /// A paragraph of plain text in `style` (a built-in style id).
    pub fn paragraph(&mut self, style: &str, text: &str) {
        let runs = self.run(text, Format::default());
        self.push_paragraph(style, None, &runs);
    }

    /// A heading of level 1–6 (Word's Heading 1–6).
    pub fn heading(&mut self, level: usize, text: &str) {
        let style = format!("Heading{}", level.clamp(1, 6));
        let text = if text.trim().is_empty() { "(untitled)" } else { text };
        self.paragraph(&style, text);
    }

    /// A paragraph with a bold lead-in, e.g. "Synthesis".
    pub fn labelled(&mut self, label: &str, text: &str) {
        let bold = Format { bold: true, ..Format::default() };
        let runs = self.run(label, bold) + &self.run(text, Format::default());
        self.push_paragraph("Normal", None, &runs);
    }

    /// A gap notice (something missing from the package), in a style of its
    /// own as the PDF marks it, so an editor sees it and can find them all.
    pub fn gap(&mut self, text: &str) {
        self.paragraph("GapNotice", text);
    }

    /// A neutral editorial remark (an optional question not answered).
    pub fn note(&mut self, text: &str) {
        self.paragraph("EditorialNote", text);
    }

    /// A hyperlink paragraph.
    pub fn link_paragraph(&mut self, text: &str, target: &str) {
        let id = self.hyperlink(target);
        let runs = format!("<w:hyperlink r:id=\"{id}\">{}</w:hyperlink>", self.run_styled(text, "Hyperlink"));
        self.push_paragraph("Normal", None, &runs);
    }

    pub fn page_break(&mut self) {
        self.body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    /// A table of contents Word fills in when fields are updated.
    pub fn table_of_contents(&mut self) {
        self.body.push_str(
            "<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>\
             <w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:t>Update this field (F9) to list the headings.</w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>",
        );
    }

    /// A table of plain text with a header row that repeats on every page.
    pub fn text_table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let header: Vec<String> =
            header.iter().map(|h| self.run(h, Format { bold: true, ..Format::default() })).collect();
        let rows: Vec<Vec<String>> =
            rows.iter().map(|row| row.iter().map(|cell| self.run(cell, Format::default())).collect()).collect();
        self.table(&header, &rows);
    }

    /// A statistics table: values right-aligned, flags raised beside them.
    pub fn stats_table(&mut self, data: &super::figures::TableData, lang: &str) {
        let bold = Format { bold: true, ..Format::default() };
        let header: Vec<String> = std::iter::once("Country".to_string())
            .chain(data.years.iter().map(i32::to_string))
            .map(|h| self.run(&h, bold))
            .collect();
        let cell = |writer: &Self, cell: &super::figures::Cell, format: Format| {
            let value = cell.formatted(lang).unwrap_or_else(|| ":".into());
            let mut runs = writer.run(&value, format);
            if !cell.flag.is_empty() {
                runs.push_str(&writer.run(&format!(" {}", cell.flag), Format { superscript: true, ..format }));
            }
            runs
        };
        let mut rows: Vec<Vec<String>> = data
            .rows
            .iter()
            .map(|(code, cells)| {
                std::iter::once(self.run(&super::country_name(code, lang), Format::default()))
                    .chain(cells.iter().map(|c| cell(self, c, Format::default())))
                    .collect()
            })
            .collect();
        if let Some((kind, cells)) = &data.total {
            rows.push(
                std::iter::once(self.run(kind.label(lang), bold))
                    .chain(cells.iter().map(|c| cell(self, c, bold)))
                    .collect(),
            );
        }
        self.table(&header, &rows);
    }

    /// Markdown blocks of `document`, its headings `heading_offset` levels down.
    pub fn blocks(&mut self, document: &Document, blocks: &[Block], heading_offset: usize) {
        let previous = std::mem::replace(&mut self.language, document.language().to_string());
        let mut out = String::new();
        self.write_blocks(&mut out, document, blocks, heading_offset, 0);
        self.body.push_str(&out);
        self.language = previous;
    }

    /// A picture (PNG, JPEG, GIF, WebP or SVG bytes) with its alt text, as
    /// a paragraph of its own; `false` if the bytes are no picture.
    pub fn picture(&mut self, bytes: &[u8], alt: &str, max_width_emu: u64) -> bool {
        let Some(run) = self.picture_run(bytes, None, alt, max_width_emu) else { return false };
        self.body.push_str(&format!("<w:p><w:pPr><w:keepNext/></w:pPr>{run}</w:p>"));
        true
    }

    /// `file`: the package file the bytes are, whose SVG may link pictures
    /// beside it (read inside the package only, as typst reads them).
    fn picture_run(&mut self, bytes: &[u8], file: Option<&str>, alt: &str, max_width_emu: u64) -> Option<String> {
        let picture = picture_of(bytes, file.map(|file| (self.package.root.as_path(), file)))?;
        self.picture_count += 1;
        let number = self.picture_count;
        let raster_name = format!("media/image{number}.{}", picture.extension);
        let raster_id = format!("rIdImg{number}");
        self.relationships.push((raster_id.clone(), IMAGE, raster_name.clone(), false));
        self.media.push((format!("word/{raster_name}"), picture.raster));
        let svg_extension = match picture.svg {
            Some(svg) => {
                let svg_name = format!("media/image{number}.svg");
                let svg_id = format!("rIdSvg{number}");
                self.relationships.push((svg_id.clone(), IMAGE, svg_name.clone(), false));
                self.media.push((format!("word/{svg_name}"), svg));
                format!(
                    "<a:extLst><a:ext uri=\"{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}\"><asvg:svgBlip xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\" r:embed=\"{svg_id}\"/></a:ext></a:extLst>"
                )
            }
            None => String::new(),
        };
        // 96 pixels to the inch, at most the text's width.
        let mut width = u64::from(picture.width) * 9525;
        let mut height = u64::from(picture.height) * 9525;
        if width > max_width_emu {
            height = height * max_width_emu / width.max(1);
            width = max_width_emu;
        }
        self.drawing_count += 1;
        let id = self.drawing_count;
        let alt = xml_text(alt);
        Some(format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{width}\" cy=\"{height}\"/>\
             <wp:docPr id=\"{id}\" name=\"Picture {id}\" descr=\"{alt}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"Picture {id}\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"{raster_id}\">{svg_extension}</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{width}\" cy=\"{height}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
             </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        ))
    }

    fn write_blocks(&mut self, out: &mut String, document: &Document, blocks: &[Block], offset: usize, depth: usize) {
        for block in blocks {
            self.write_block(out, document, block, offset, depth);
        }
    }

    fn write_block(&mut self, out: &mut String, document: &Document, block: &Block, offset: usize, depth: usize) {
        match block {
            // A picture alone in its paragraph is a figure, as in the PDF:
            // the picture kept with its caption, "Figure N: alt", numbered
            // by a SEQ field as the PDF numbers it.
            Block::Paragraph(inlines)
                if matches!(inlines.as_slice(), [Inline::Image { target: Target::Local(relative), .. }]
                    if self.package.embeddable_image(relative).is_some()) =>
            {
                let runs = self.inlines(document, inlines, Format::default());
                out.push_str(&format!("<w:p><w:pPr><w:keepNext/></w:pPr>{runs}</w:p>"));
                if let [Inline::Image { alt, .. }] = inlines.as_slice() {
                    self.figure_count += 1;
                    // A complex field: its cached number is a run of the
                    // paragraph, which readers that do not update fields show.
                    let caption = format!(
                        "{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> SEQ Figure \\* ARABIC </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}",
                        self.run("Figure ", Format::default()),
                        self.run(&self.figure_count.to_string(), Format::default()),
                        self.run(&format!(": {}", super::markup::described(alt)), Format::default())
                    );
                    out.push_str(&paragraph_xml("Caption", None, &caption));
                }
            }
            Block::Paragraph(inlines) => {
                let runs = self.inlines(document, inlines, Format::default());
                out.push_str(&paragraph_xml("Normal", None, &runs));
            }
            Block::Heading { level, content, .. } => {
                let runs = self.inlines(document, content, Format::default());
                let style = format!("Heading{}", (usize::from(*level) + offset).clamp(1, 6));
                out.push_str(&paragraph_xml(&style, None, &runs));
            }
            Block::List { ordered, start, items } => self.list(out, document, *ordered, *start, items, offset, depth),
            Block::Quote(inner) => {
                let mut quoted = String::new();
                self.write_blocks(&mut quoted, document, inner, offset, depth);
                out.push_str(&quoted.replace("<w:pStyle w:val=\"Normal\"/>", "<w:pStyle w:val=\"Quote\"/>"));
            }
            Block::Code { text } | Block::Html { text, .. } => {
                let style = if matches!(block, Block::Code { .. }) { "Code" } else { "Normal" };
                for line in text.trim_end_matches('\n').split('\n') {
                    let runs = self.run(line, Format { code: style == "Code", ..Format::default() });
                    out.push_str(&paragraph_xml(style, None, &runs));
                }
            }
            Block::Table { header, rows, .. } => {
                let bold = Format { bold: true, ..Format::default() };
                let header: Vec<String> = header.iter().map(|cell| self.inlines(document, cell, bold)).collect();
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| row.iter().map(|cell| self.inlines(document, cell, Format::default())).collect())
                    .collect();
                out.push_str(&table_xml(&header, &rows));
            }
            Block::Rule => out.push_str(
                "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"999999\"/></w:pBdr></w:pPr></w:p>",
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        out: &mut String,
        document: &Document,
        ordered: bool,
        start: usize,
        items: &[crate::load::markdown::ListItem],
        offset: usize,
        depth: usize,
    ) {
        let level = depth.min(MAX_LIST_LEVEL);
        // Bullets share one numbering; each ordered list has its own, so
        // it starts at its own number (Word's "restart numbering").
        let number = if ordered {
            self.numbers.push((2, start));
            self.numbers.len() as u32 + 2
        } else {
            1
        };
        for item in items {
            let mut first = true;
            for block in &item.blocks {
                match block {
                    Block::Paragraph(inlines) if first => {
                        let mut runs = String::new();
                        if let Some(checked) = item.task {
                            runs.push_str(&self.run(if checked { "☒ " } else { "☐ " }, Format::default()));
                        }
                        runs.push_str(&self.inlines(document, inlines, Format::default()));
                        out.push_str(&paragraph_xml("ListParagraph", Some((number, level)), &runs));
                    }
                    Block::List { ordered, start, items } => {
                        self.list(out, document, *ordered, *start, items, offset, depth + 1)
                    }
                    Block::Paragraph(inlines) => {
                        // A continuation paragraph: indented with the item, no number.
                        let runs = self.inlines(document, inlines, Format::default());
                        out.push_str(&format!(
                            "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:ind w:left=\"{}\"/></w:pPr>{runs}</w:p>",
                            720 * (level + 1)
                        ));
                    }
                    other => self.write_block(out, document, other, offset, depth + 1),
                }
                first = false;
            }
            if item.blocks.is_empty() {
                out.push_str(&paragraph_xml("ListParagraph", Some((number, level)), ""));
            }
        }
    }

    fn inlines(&mut self, document: &Document, inlines: &[Inline], format: Format) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(text) => out.push_str(&self.run(text, format)),
                Inline::Emph(inner) => out.push_str(&self.inlines(document, inner, Format { italic: true, ..format })),
                Inline::Strong(inner) => out.push_str(&self.inlines(document, inner, Format { bold: true, ..format })),
                Inline::Strike(inner) => {
                    out.push_str(&self.inlines(document, inner, Format { strike: true, ..format }))
                }
                Inline::Code(text) => out.push_str(&self.run(text, Format { code: true, ..format })),
                Inline::SoftBreak => out.push_str(&self.run(" ", format)),
                Inline::LineBreak => out.push_str("<w:r><w:br/></w:r>"),
                Inline::Html { text, .. } => out.push_str(&self.run(text, format)),
                // Only http, https and mailto are links, as in the PDF.
                Inline::Link { url, content, .. } if !crate::load::paths::is_web_url(url) => {
                    out.push_str(&self.inlines(document, content, format))
                }
                Inline::Link { url, content, .. } => {
                    let id = self.hyperlink(url);
                    let runs = self.inlines(document, content, format);
                    let runs = runs.replacen("<w:rPr>", "<w:rPr><w:rStyle w:val=\"Hyperlink\"/>", usize::MAX);
                    out.push_str(&format!("<w:hyperlink r:id=\"{id}\">{runs}</w:hyperlink>"));
                }
                Inline::Image { target, alt, url, .. } => out.push_str(&self.image(target, alt, url, format)),
                Inline::FootnoteRef(name) => out.push_str(&self.footnote(document, name)),
            }
        }
        out
    }

    /// A package image as an inline picture; its alt text as words where
    /// it cannot be shown (a missing file in a draft).
    fn image(&mut self, target: &Target, alt: &str, url: &str, format: Format) -> String {
        let file = match target {
            Target::Local(relative) if self.package.embeddable_image(relative).is_some() => Some(relative.as_str()),
            _ => None,
        };
        let bytes = file.and_then(|file| crate::sandbox::read(&self.package.root, file, MAX_IMAGE_BYTES).ok());
        let alt = super::markup::described(alt);
        bytes
            .and_then(|bytes| self.picture_run(&bytes, file, &alt, TEXT_WIDTH_EMU))
            .unwrap_or_else(|| self.run(&format!("[Image: {alt} ({url})]"), format))
    }

    fn footnote(&mut self, document: &Document, name: &str) -> String {
        let Some(blocks) = document.footnotes.get(name) else {
            return self.run(&format!("[^{name}]"), Format::default());
        };
        // A note cited inside another note: its words in brackets, as in the PDF.
        if self.in_footnote {
            let text = crate::load::markdown::blocks_text(blocks);
            return self
                .run(&format!(" ({})", text.split_whitespace().collect::<Vec<_>>().join(" ")), Format::default());
        }
        let reference = |id: u32| {
            format!(
                "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>"
            )
        };
        let key = (document.file.clone(), name.to_string());
        if let Some(&id) = self.notes_written.get(&key) {
            return reference(id);
        }
        self.footnote_count += 1;
        let id = self.footnote_count;
        self.notes_written.insert(key, id);
        let mut content = String::new();
        let blocks = blocks.clone();
        self.in_footnote = true;
        self.write_blocks(&mut content, document, &blocks, 3, 0);
        self.in_footnote = false;
        let content = content.replace("<w:pStyle w:val=\"Normal\"/>", "<w:pStyle w:val=\"FootnoteText\"/>");
        // The footnote's own number opens its first paragraph.
        let mark = "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>";
        let content = match content.find("</w:pPr>") {
            Some(at) => format!("{}{mark}{}", &content[..at + 8], &content[at + 8..]),
            None => format!("<w:p><w:pPr><w:pStyle w:val=\"FootnoteText\"/></w:pPr>{mark}</w:p>{content}"),
        };
        let _ = write!(self.footnotes, "<w:footnote w:id=\"{id}\">{content}</w:footnote>");
        reference(id)
    }

    fn hyperlink(&mut self, target: &str) -> String {
        let id = format!("rIdLink{}", self.relationships.len() + 1);
        self.relationships.push((id.clone(), HYPERLINK, target.to_string(), true));
        id
    }

    /// A run of text with formatting, in the current language.
    fn run(&self, text: &str, format: Format) -> String {
        if text.is_empty() {
            return String::new();
        }
        let mut properties = String::new();
        if format.code {
            properties.push_str("<w:rStyle w:val=\"CodeChar\"/>");
        }
        if format.bold {
            properties.push_str("<w:b/>");
        }
        if format.italic {
            properties.push_str("<w:i/>");
        }
        if format.strike {
            properties.push_str("<w:strike/>");
        }
        if format.superscript {
            properties.push_str("<w:vertAlign w:val=\"superscript\"/>");
        }
        let _ = write!(properties, "<w:lang w:val=\"{}\"/>", word_language(&self.language));
        format!("<w:r><w:rPr>{properties}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_text(text))
    }

    fn run_styled(&self, text: &str, style: &str) -> String {
        format!(
            "<w:r><w:rPr><w:rStyle w:val=\"{style}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            xml_text(text)
        )
    }

    fn push_paragraph(&mut self, style: &str, numbering: Option<(u32, usize)>, runs: &str) {
        self.body.push_str(&paragraph_xml(style, numbering, runs));
    }

    fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        self.body.push_str(&table_xml(header, rows));
    }

    /// The `.docx` bytes: every part, zipped reproducibly.
    pub fn finish(self, properties: &Properties) -> anyhow::Result<Vec<u8>> {
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), content_types(&self.media).into_bytes()),
            ("_rels/.rels".into(), ROOT_RELATIONSHIPS.as_bytes().to_vec()),
            ("docProps/core.xml".into(), core_properties(properties).into_bytes()),
            ("docProps/app.xml".into(), APP_PROPERTIES.as_bytes().to_vec()),
            ("word/document.xml".into(), self.document_xml().into_bytes()),
            ("word/styles.xml".into(), styles(properties.language).into_bytes()),
            ("word/numbering.xml".into(), self.numbering_xml().into_bytes()),
            ("word/footnotes.xml".into(), self.footnotes_xml().into_bytes()),
            ("word/settings.xml".into(), SETTINGS.as_bytes().to_vec()),
            ("word/header1.xml".into(), header_xml(properties.header).into_bytes()),
            ("word/footer1.xml".into(), FOOTER.as_bytes().to_vec()),
            ("word/_rels/document.xml.rels".into(), self.relationships_xml().into_bytes()),
        ];
        parts.extend(self.media);
        let entries: Vec<(&str, &[u8])> = parts.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
        let mut out = std::io::Cursor::new(Vec::new());
        crate::bundle::write_zip(&mut out, &entries, properties.date)?;
        Ok(out.into_inner())
    }

    fn document_xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NAMESPACES}><w:body>{}\
             <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1418\" w:right=\"{MARGIN_TWIPS}\" w:bottom=\"1304\" w:left=\"{MARGIN_TWIPS}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr>\
             </w:body></w:document>",
            self.body
        )
    }

    fn footnotes_xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:footnotes {NAMESPACES}>\
             <w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
             <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
             {}</w:footnotes>",
            self.footnotes
        )
    }

    fn numbering_xml(&self) -> String {
        let levels = |bullet: bool| {
            (0..=MAX_LIST_LEVEL)
                .map(|level| {
                    let (format, text) = if bullet {
                        ("bullet", ["•", "◦", "▪"][level % 3].to_string())
                    } else {
                        ("decimal", format!("%{}.", level + 1))
                    };
                    format!(
                        "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
                        720 * (level + 1)
                    )
                })
                .collect::<String>()
        };
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering {NAMESPACES}>\
             <w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>\
             <w:abstractNum w:abstractNumId=\"2\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>",
            levels(true),
            levels(false)
        );
        for (index, (abstract_id, start)) in self.numbers.iter().enumerate() {
            let overrides: String = (0..=MAX_LIST_LEVEL)
                .map(|level| {
                    format!("<w:lvlOverride w:ilvl=\"{level}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>")
                })
                .collect();
            let _ = write!(
                xml,
                "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abstract_id}\"/>{overrides}</w:num>",
                index + 3
            );
        }
        xml.push_str("</w:numbering>");
        xml
    }

    fn relationships_xml(&self) -> String {
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rIdStyles\" Type=\"{RELATIONSHIP}/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rIdNumbering\" Type=\"{RELATIONSHIP}/numbering\" Target=\"numbering.xml\"/>\
             <Relationship Id=\"rIdFootnotes\" Type=\"{RELATIONSHIP}/footnotes\" Target=\"footnotes.xml\"/>\
             <Relationship Id=\"rIdSettings\" Type=\"{RELATIONSHIP}/settings\" Target=\"settings.xml\"/>\
             <Relationship Id=\"rIdHeader\" Type=\"{RELATIONSHIP}/header\" Target=\"header1.xml\"/>\
             <Relationship Id=\"rIdFooter\" Type=\"{RELATIONSHIP}/footer\" Target=\"footer1.xml\"/>"
        );
        for (id, kind, target, external) in &self.relationships {
            let mode = if *external { " TargetMode=\"External\"" } else { "" };
            let _ = write!(xml, "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"{mode}/>", xml_text(target));
        }
        xml.push_str("</Relationships>");
        xml
    }
}

/// The PNG Word shows for a picture's bytes, as the drafts draw it (an SVG
/// the load-time cost rules refuse is not drawn): width and height in
/// pixels. For the fuzz target of this path and its regression tests.
pub fn fallback_raster(bytes: &[u8]) -> Option<(u32, u32)> {
    if crate::load::paths::svg_cost_refusal(bytes).is_some() {
        return None;
    }
    let picture = picture_of(bytes, None)?;
    let decoded = image::load_from_memory(&picture.raster).ok()?;
    Some((decoded.width(), decoded.height()))
}

/// The largest side of the PNG drawn beside an SVG, in pixels: what the
/// page shows (at most a text width), whatever size the SVG declares.
const MAX_RASTER_SIDE: f32 = 1600.0;

/// A picture as Word stores it: PNG, JPEG and GIF as they are; WebP as
/// PNG; SVG as itself with a PNG rendering beside it. `source` is the
/// package folder and the SVG's path in it, for pictures the SVG links;
/// without it (a map the tool drew) the SVG links nothing.
fn picture_of(bytes: &[u8], source: Option<(&std::path::Path, &str)>) -> Option<Picture> {
    // By content, as typst decides: a PNG with `<svg` in a text chunk is a
    // PNG, an SVG after a long comment or gzipped (SVGZ) is an SVG.
    let is_svg = match crate::load::paths::sniff_image(&bytes[..bytes.len().min(4096)]) {
        Some(kind) => kind == crate::load::paths::ImageKind::Svg,
        None => looks_like_svg(bytes),
    };
    if is_svg {
        let options = svg_options(source);
        let tree = resvg::usvg::Tree::from_data(bytes, &options).ok()?;
        let size = tree.size();
        let (declared_width, declared_height) = (size.width().max(1e-3), size.height().max(1e-3));
        // At most 1,200 pixels across and 1,600 down: sharp enough on a page
        // half wide, about 100 KB for a map.
        let scale = (1200.0 / declared_width).min(MAX_RASTER_SIDE / declared_height).min(2.0);
        let width = ((declared_width * scale) as u32).clamp(1, MAX_RASTER_SIDE as u32);
        let height = ((declared_height * scale) as u32).clamp(1, MAX_RASTER_SIDE as u32);
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)?;
        resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        let int_size = size.to_int_size();
        return Some(Picture {
            raster: pixmap.encode_png().ok()?,
            extension: "png",
            svg: Some(bytes.to_vec()),
            width: int_size.width(),
            height: int_size.height(),
        });
    }
    let format = image::guess_format(bytes).ok()?;
    let (width, height) =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), format).into_dimensions().ok()?;
    let (raster, extension) = match format {
        image::ImageFormat::Png => (bytes.to_vec(), "png"),
        image::ImageFormat::Jpeg => (bytes.to_vec(), "jpeg"),
        image::ImageFormat::Gif => (bytes.to_vec(), "gif"),
        _ => {
            let decoded = image::load_from_memory_with_format(bytes, format).ok()?;
            let mut png = Vec::new();
            decoded.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).ok()?;
            (png, "png")
        }
    };
    Some(Picture { raster, extension, svg: None, width, height })
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    head.contains("<svg")
}

/// usvg's options for an SVG of the package: a picture it links is read
/// through the package sandbox beside the SVG (as typst reads it), never
/// against the working directory; nested SVGs link nothing.
fn svg_options<'a>(source: Option<(&'a std::path::Path, &'a str)>) -> resvg::usvg::Options<'a> {
    use resvg::usvg::{ImageHrefResolver, ImageKind, Options};
    let resolve_string: resvg::usvg::ImageHrefStringResolverFn<'a> = match source {
        None => Box::new(|_, _| None),
        Some((root, file)) => Box::new(move |href: &str, options: &Options| {
            let relative = crate::load::paths::resolve(file, href)?;
            let bytes = std::sync::Arc::new(crate::sandbox::read(root, &relative, MAX_IMAGE_BYTES).ok()?);
            match crate::load::paths::sniff_image(&bytes[..bytes.len().min(4096)])? {
                crate::load::paths::ImageKind::Png => Some(ImageKind::PNG(bytes)),
                crate::load::paths::ImageKind::Jpeg => Some(ImageKind::JPEG(bytes)),
                crate::load::paths::ImageKind::Gif => Some(ImageKind::GIF(bytes)),
                crate::load::paths::ImageKind::Webp => Some(ImageKind::WEBP(bytes)),
                crate::load::paths::ImageKind::Svg => {
                    resvg::usvg::Tree::from_data_nested(&bytes, options).ok().map(ImageKind::SVG)
                }
            }
        }),
    };
    Options {
        resources_dir: None,
        image_href_resolver: ImageHrefResolver {
            resolve_data: ImageHrefResolver::default_data_resolver(),
            resolve_string,
        },
        ..Options::default()
    }
}

fn paragraph_xml(style: &str, numbering: Option<(u32, usize)>, runs: &str) -> String {
    let numbering = numbering
        .map(|(id, level)| format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"))
        .unwrap_or_default();
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{numbering}</w:pPr>{runs}</w:p>")
}

/// A table: equal columns across the text width, the header row repeated
/// on every page and never split.
fn table_xml(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let width = 9298 / columns;
    let grid: String = (0..columns).map(|_| format!("<w:gridCol w:w=\"{width}\"/>")).collect();
    let row = |cells: &[String], is_header: bool| {
        let properties =
            if is_header { "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" } else { "<w:trPr><w:cantSplit/></w:trPr>" };
        let cells: String = (0..columns)
            .map(|i| {
                let runs = cells.get(i).map(String::as_str).unwrap_or("");
                format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>{runs}</w:p></w:tc>"
                )
            })
            .collect();
        format!("<w:tr>{properties}{cells}</w:tr>")
    };
    let mut xml = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"EMNTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}",
        row(header, true)
    );
    for cells in rows {
        xml.push_str(&row(cells, false));
    }
    // Word needs a paragraph between two tables.
    xml.push_str("</w:tbl><w:p><w:pPr><w:pStyle w:val=\"Normal\"/><w:spacing w:after=\"0\"/></w:pPr></w:p>");
    xml
}

/// Text for XML: escaped, and without the control characters XML 1.0
/// cannot hold.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A contribution's language as Word names it.
fn word_language(language: &str) -> String {
    match language {
        "en" | "" => "en-GB".into(),
        "cs" => "cs-CZ".into(),
        other => xml_text(other),
    }
}

const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

const ROOT_RELATIONSHIPS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP_PROPERTIES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>emn-pub</Application></Properties>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"720\"/>\
<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>";

fn header_xml(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val=\"C62828\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:hdr>",
        xml_text(text)
    )
}

fn content_types(media: &[(String, Vec<u8>)]) -> String {
    let mut extensions: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, _) in media {
        match name.rsplit('.').next() {
            Some("png") => extensions.insert("png", "image/png"),
            Some("jpeg") => extensions.insert("jpeg", "image/jpeg"),
            Some("gif") => extensions.insert("gif", "image/gif"),
            Some("svg") => extensions.insert("svg", "image/svg+xml"),
            _ => None,
        };
    }
    let defaults: String = extensions
        .iter()
        .map(|(extension, kind)| format!("<Default Extension=\"{extension}\" ContentType=\"{kind}\"/>"))
        .collect();
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>{defaults}\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{main}.numbering+xml\"/>\
         <Override PartName=\"/word/footnotes.xml\" ContentType=\"{main}.footnotes+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" ContentType=\"{main}.header+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>"
    )
}

fn core_properties(properties: &Properties) -> String {
    let date = format!("{}T00:00:00Z", properties.date.iso());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>European Migration Network</dc:creator><cp:lastModifiedBy>emn-pub</cp:lastModifiedBy>\
         <dc:language>{}</dc:language><cp:contentStatus>Draft</cp:contentStatus>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>\
         </cp:coreProperties>",
        xml_text(properties.title),
        word_language(properties.language)
    )
}

/// The styles: Word's built-in names, so Word maps them to its own
/// (navigation pane, table of contents, "Heading 1" in every language).
fn styles(language: &str) -> String {
    let heading = |level: usize, size: u32, color: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/></w:pPr>\
             <w:rPr><w:b/><w:color w:val=\"{color}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>",
            if level == 1 { 360 } else { 240 },
            level - 1
        )
    };
    let headings: String = [
        (1, 34, "0B3B8C"),
        (2, 26, "0B3B8C"),
        (3, 22, "000000"),
        (4, 21, "000000"),
        (5, 21, "333333"),
        (6, 21, "333333"),
    ]
    .iter()
    .map(|&(level, size, color)| heading(level, size, color))
    .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Cambria\" w:hAnsi=\"Cambria\" w:eastAsia=\"Cambria\" w:cs=\"Cambria\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"{}\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"0B3B8C\"/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6270\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
         {headings}\
         <w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:rPr><w:b/><w:color w:val=\"0B3B8C\"/><w:sz w:val=\"28\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6270\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"GapNotice\"><w:name w:val=\"Gap notice\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"6\" w:color=\"C62828\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FDECEA\"/><w:ind w:left=\"170\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"8E1B1B\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"EditorialNote\"><w:name w:val=\"Editorial note\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"16\" w:space=\"6\" w:color=\"BEBEBE\"/></w:pBdr><w:ind w:left=\"170\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"5B6270\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"567\"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Code\"><w:name w:val=\"Plain Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"CodeChar\"><w:name w:val=\"HTML Code\"/><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"19\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"0B3B8C\"/><w:u w:val=\"single\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:rPr><w:sz w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"EMNTable\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/>\
         </w:tblBorders></w:tblPr><w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DFE8F7\"/></w:tcPr></w:tblStylePr></w:style>\
         </w:styles>",
        word_language(language)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(xml_text("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn costly_svgs_draw_within_bounds_or_not_at_all() {
        let tall =
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1e9"><rect width="1" height="1e9"/></svg>"#;
        let (width, height) = fallback_raster(tall).expect("drawn");
        assert!(width <= 1600 && height <= 1600, "{width} x {height}");
        let mut uses = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><rect id="u0" width="1" height="1"/>"#,
        );
        for i in 1..=30 {
            uses.push_str(&format!(r##"<g id="u{i}"><use xlink:href="#u{0}"/><use xlink:href="#u{0}"/></g>"##, i - 1));
        }
        uses.push_str(r##"</defs><use xlink:href="#u30"/></svg>"##);
        assert_eq!(fallback_raster(uses.as_bytes()), None, "a <use> bomb is refused");
        let blur: String =
            (0..100).map(|i| format!(r#"<filter id="f{i}"><feGaussianBlur stdDeviation="9"/></filter>"#)).collect();
        let blurred =
            format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs>{blur}</defs></svg>"#);
        assert_eq!(fallback_raster(blurred.as_bytes()), None, "100 filters are refused");
        let comment =
            format!("<!-- {} --><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"2\"/>", "x".repeat(600));
        assert!(fallback_raster(comment.as_bytes()).is_some(), "an SVG after a long comment is an SVG");
    }

    #[test]
    fn an_svg_gets_a_png_beside_it() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#003399"/></svg>"##;
        let picture = picture_of(svg, None).expect("an SVG is a picture");
        assert_eq!((picture.width, picture.height), (40, 20));
        assert!(picture.raster.starts_with(b"\x89PNG"));
        assert!(picture.svg.is_some());
    }
}
