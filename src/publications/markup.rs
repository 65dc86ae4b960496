//! Markdown (the owned tree from `load::markdown`) to typst markup.
//!
//! Every piece of user text goes through `publications::escape`'s [`escape`] or
//! [`string_literal`], the security boundary; this module only decides the
//! structure (paragraphs, lists, tables, footnotes, figures).

use std::collections::BTreeMap;

use crate::load::markdown::{Align, Block, Inline, Target};
use crate::publications::escape::{TextStyle, displayable_text, escape, source_marker, string_literal};

/// Where a converted Markdown text lives, and what it may reference.
pub struct Context<'a> {
    /// Package-relative path of the Markdown file (images resolve from it).
    pub file: &'a str,
    pub footnotes: &'a BTreeMap<String, Vec<Block>>,
    /// The typst format of an image at a package-relative path, when it
    /// can be embedded.
    pub image_format: &'a dyn Fn(&str) -> Option<&'static str>,
    pub style: TextStyle,
}

/// Writes typst markup for blocks; one per document, so footnote labels stay unique.
pub struct MarkupWriter {
    out: String,
    /// Makes footnote labels unique when separately written parts share a document.
    label_prefix: String,
    footnote_labels: BTreeMap<(String, String), String>,
    next_label: usize,
    in_footnote: bool,
}

impl Default for MarkupWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkupWriter {
    pub fn new() -> Self {
        Self::with_label_prefix("emn-fn")
    }

    /// A writer whose footnote labels start with `prefix` (letters, digits, `-`).
    pub fn with_label_prefix(prefix: &str) -> Self {
        Self {
            out: String::new(),
            label_prefix: prefix.to_string(),
            footnote_labels: BTreeMap::new(),
            next_label: 0,
            in_footnote: false,
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Appends raw, trusted markup (from the layouts and document plans only).
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.out.push_str(markup);
        self
    }

    /// Appends user text, escaped.
    pub fn text(&mut self, text: &str, style: TextStyle) -> &mut Self {
        self.out.push_str(&escape(text, style));
        self
    }

    pub fn blocks(&mut self, blocks: &[Block], context: &Context) {
        for block in blocks {
            self.block(block, context);
        }
    }

    fn content_blocks(&mut self, blocks: &[Block], context: &Context) {
        self.out.push('[');
        self.blocks(blocks, context);
        self.out.push(']');
    }

    fn content_inlines(&mut self, inlines: &[Inline], context: &Context) {
        self.out.push('[');
        self.inlines(inlines, context);
        self.out.push(']');
    }

    fn block(&mut self, block: &Block, context: &Context) {
        if let Block::Heading { pos, .. } | Block::Table { pos, .. } | Block::Html { pos, .. } = block {
            self.out.push_str(&source_marker(context.file, pos.line));
        }
        match block {
            Block::Paragraph(inlines) => {
                if let [Inline::Image { target, alt, .. }] = inlines.as_slice() {
                    self.figure(target, alt, context);
                } else {
                    self.inlines(inlines, context);
                }
                self.out.push_str("\n\n");
            }
            Block::Heading { content, .. }
                if displayable_text(&crate::load::markdown::inline_text(content)).trim().is_empty() => {}
            Block::Heading { content, .. } => {
                // One level below the heading the text sits under: `depth` adds
                // to the `heading(offset:)` the publication sets around it.
                self.out.push_str("#heading(depth: 1, outlined: false)");
                self.content_inlines(content, context);
                self.out.push_str("\n\n");
            }
            Block::List { ordered, start, items } => {
                if *ordered {
                    self.out.push_str(&format!("#enum(start: {}", (*start).min(1_000_000_000)));
                } else {
                    self.out.push_str("#list(");
                }
                for (index, item) in items.iter().enumerate() {
                    if *ordered || index > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push('[');
                    if let Some(checked) = item.task {
                        self.out.push_str(if checked { "☒ " } else { "☐ " });
                    }
                    self.blocks(&item.blocks, context);
                    self.out.push(']');
                }
                self.out.push_str(")\n\n");
            }
            Block::Quote(blocks) => {
                self.out.push_str("#quote(block: true)");
                self.content_blocks(blocks, context);
                self.out.push_str("\n\n");
            }
            Block::Code { text } => {
                self.out.push_str(&format!("#raw(block: true, {})\n\n", string_literal(text)));
            }
            Block::Table { alignments, header, rows, .. } => self.table(alignments, header, rows, context),
            Block::Rule => self.out.push_str("#line(length: 100%, stroke: 0.5pt + luma(160))\n\n"),
            Block::Html { text, .. } => {
                self.out.push_str(&escape(text, TextStyle::default()));
                self.out.push_str("\n\n");
            }
        }
    }

    fn table(&mut self, alignments: &[Align], header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], context: &Context) {
        let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let align: Vec<&str> = (0..columns)
            .map(|i| match alignments.get(i).copied().unwrap_or(Align::None) {
                Align::Center => "center",
                Align::Right => "right",
                Align::Left | Align::None => "left",
            })
            .collect();
        self.out.push_str(&format!("#table(columns: {columns}, align: ({},), ", align.join(", ")));
        self.out.push_str("table.header(");
        for index in 0..columns {
            self.cell(header.get(index), context);
        }
        self.out.push_str("), ");
        for row in rows {
            for index in 0..columns {
                self.cell(row.get(index), context);
            }
        }
        self.out.push_str(")\n\n");
    }

    fn cell(&mut self, cell: Option<&Vec<Inline>>, context: &Context) {
        self.content_inlines(cell.map(Vec::as_slice).unwrap_or(&[]), context);
        self.out.push_str(", ");
    }

    fn figure(&mut self, target: &Target, alt: &str, context: &Context) {
        match embeddable(target, context) {
            Some((path, format)) => {
                let alt = described(alt);
                self.out.push_str(&format!(
                    "#figure(image({}, format: \"{format}\", alt: {}, width: 80%), caption: [{}])",
                    string_literal(&path),
                    string_literal(&alt),
                    escape(&alt, context.style)
                ));
            }
            None => self.missing_image(alt, context),
        }
    }

    fn missing_image(&mut self, alt: &str, context: &Context) {
        let alt = described(alt);
        self.out.push_str("#emph[");
        self.out.push_str(&escape(&format!("[image not available: {alt}]"), context.style));
        self.out.push(']');
    }

    fn inlines(&mut self, inlines: &[Inline], context: &Context) {
        for inline in inlines {
            self.inline(inline, context);
        }
    }

    fn inline(&mut self, inline: &Inline, context: &Context) {
        match inline {
            Inline::Text(text) => self.out.push_str(&escape(text, context.style)),
            Inline::Emph(content) => {
                self.out.push_str("#emph");
                self.content_inlines(content, context);
            }
            Inline::Strong(content) => {
                self.out.push_str("#strong");
                self.content_inlines(content, context);
            }
            Inline::Strike(content) => {
                self.out.push_str("#strike");
                self.content_inlines(content, context);
            }
            Inline::Code(code) => self.out.push_str(&format!("#raw({})", string_literal(code))),
            Inline::Link { url, content, .. } => {
                if crate::load::paths::is_web_url(url) {
                    self.out.push_str(&format!("#link({})", string_literal(url)));
                    self.content_inlines(content, context);
                } else {
                    self.inlines(content, context);
                }
            }
            Inline::Image { target, alt, .. } => match embeddable(target, context) {
                Some((path, format)) => self.out.push_str(&format!(
                    "#box(image({}, format: \"{format}\", alt: {}, height: 1.2em))",
                    string_literal(&path),
                    string_literal(&described(alt))
                )),
                None => self.missing_image(alt, context),
            },
            Inline::FootnoteRef(name) => self.footnote(name, context),
            Inline::SoftBreak => self.out.push(' '),
            Inline::LineBreak => self.out.push_str("#linebreak()"),
            Inline::Html { text, .. } => self.out.push_str(&escape(text, TextStyle::default())),
        }
    }

    fn footnote(&mut self, name: &str, context: &Context) {
        let key = (context.file.to_string(), name.to_string());
        if let Some(label) = self.footnote_labels.get(&key) {
            if !label.is_empty() {
                self.out.push_str(&format!("#footnote(<{label}>)"));
            }
            return;
        }
        let Some(blocks) = context.footnotes.get(name) else {
            self.out.push_str(&escape(&format!("[^{name}]"), context.style));
            return;
        };
        // A note cited inside another note (typst sets no note in a note):
        // its words in brackets where it is cited.
        if self.in_footnote {
            let text = crate::load::markdown::blocks_text(blocks);
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.out.push_str(&escape(&format!(" ({text})"), context.style));
            return;
        }
        // A note over the limit is `too-long` in `validate`; a draft built
        // anyway says at its first citation that it is left out: typst
        // setting 400 KB as a footnote (or as one paragraph) took 20-40 s.
        let characters = crate::load::markdown::blocks_text(blocks).chars().count();
        if characters > crate::limits::MAX_FOOTNOTE_CHARS {
            self.footnote_labels.insert(key, String::new());
            self.out.push_str(&format!(
                "#footnote[#gap[{}]]",
                escape(
                    &format!(
                        "Note [^{name}] is not printed: it has {characters} characters, more than {} (see validate).",
                        crate::limits::MAX_FOOTNOTE_CHARS
                    ),
                    TextStyle::default()
                )
            ));
            return;
        }
        self.next_label += 1;
        let label = format!("{}-{}", self.label_prefix, self.next_label);
        self.footnote_labels.insert(key, label.clone());
        self.in_footnote = true;
        self.out.push_str("#spaced-footnote[");
        // The footnote body is the blocks as written (paragraphs stay
        // paragraphs); only trailing blank lines are trimmed, so the label
        // follows the closing bracket directly.
        let start = self.out.len();
        self.blocks(blocks, context);
        let body = self.out.split_off(start);
        self.out.push_str(body.trim_end());
        self.out.push_str(&format!("] <{label}>"));
        self.in_footnote = false;
    }
}

/// The virtual path typst should load an image from, and its format, if allowed.
fn embeddable(target: &Target, context: &Context) -> Option<(String, &'static str)> {
    let Target::Local(relative) = target else {
        return None;
    };
    let format = (context.image_format)(relative)?;
    Some((crate::render::world::package_path(relative), format))
}

/// What replaces a picture's missing alt text in a draft built with
/// `--allow-incomplete` (`validate` reports `missing-alt-text`): a PDF/UA
/// document cannot hold a picture without one, and a reader must learn
/// that the description is missing rather than meet silence.
pub const NO_DESCRIPTION: &str = "Picture without a description: the contribution gives no alt text for it.";

/// A picture's alt text as printed, or [`NO_DESCRIPTION`] when it has none.
pub fn described(alt: &str) -> String {
    let alt = displayable_text(alt);
    if alt.trim().is_empty() { NO_DESCRIPTION.to_string() } else { alt.to_string() }
}
