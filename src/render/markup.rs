//! Markdown (the owned tree from `load::markdown`) to typst markup.
//!
//! This is the security boundary: text that NCPs write must stay text. Every
//! ASCII punctuation character of user text is backslash-escaped, so no `#`,
//! `$`, `[`, `<`, `@`, `/`, `=` ... can open code, math, labels, references,
//! comments or headings; values that must be typst strings (URLs, code, alt
//! text, image paths) are emitted as string literals with `\` and `"`
//! escaped. Only this module writes markup from user text.

use std::collections::BTreeMap;

use crate::fonts;
use crate::load::markdown::{Align, Block, Inline, Target};

/// Typesetting choices for a document's language.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// Keep `"` and `'` as typst smart quotes (language-aware „…“).
    pub smart_quotes: bool,
    /// Czech typography: a no-break space after one-letter prepositions and
    /// conjunctions, as the `vlna` tool does for TeX.
    pub czech: bool,
}

/// Text as it is printed: invisible characters dropped (see
/// [`fonts::is_invisible`]), in Unicode normal form C. Whether every
/// remaining character has a glyph is `validate`'s question
/// (`missing-glyph`), answered with the same fonts.
///
/// NFC is the same text (canonically equivalent), and it matters: typst
/// 0.15 maps every glyph of a cluster to the cluster's whole text, so a
/// letter with two combining marks (`ệ` typed as e + ◌̣ + ◌̂, as macOS saves
/// it) would be copied out of the PDF twice; composed, it is one glyph.
pub fn displayable_text(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let visible = fonts::visible(text);
    if is_nfc_quick(visible.chars()) == IsNormalized::Yes {
        visible
    } else {
        std::borrow::Cow::Owned(visible.nfc().collect())
    }
}

/// Escapes user text for typst markup, so that it shows literally.
pub fn escape(text: &str, style: TextStyle) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut previous_word_len = 0usize;
    let mut previous_word_char = None;
    let mut before_word = None::<char>;
    for c in displayable_text(text).chars() {
        let c = if is_newline(c) || c == '\t' { ' ' } else { c };
        if style.czech
            && c == ' '
            && previous_word_len == 1
            && is_czech_single_letter_word(previous_word_char, before_word)
        {
            out.push('\u{a0}');
        } else if c.is_ascii_punctuation() && !(style.smart_quotes && (c == '"' || c == '\'')) {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
        if c.is_alphabetic() {
            if previous_word_len == 0 {
                before_word = out.chars().rev().nth(1);
            }
            previous_word_len += 1;
            previous_word_char = Some(c);
        } else {
            previous_word_len = 0;
        }
    }
    out
}

fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The one-letter words Czech typography keeps with the next word.
fn is_czech_single_letter_word(word: Option<char>, before: Option<char>) -> bool {
    let starts_word = before.is_none_or(|b| b.is_whitespace() || b == '\u{a0}' || "([„\"'".contains(b));
    starts_word && word.is_some_and(|c| "ksvzouaiKSVZOUAI".contains(c))
}

/// A typst string literal holding `text` exactly.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in displayable_text(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Prefix of the comments that tie generated markup to its Markdown source.
pub const SOURCE_MARKER: &str = "// emn-source ";

/// A typst comment naming the Markdown file and line the markup after it
/// comes from, so that an error typst reports in the generated source can
/// name the editor's file instead (see `render::describe`). Comments are
/// inert in typst; control characters of the path are neutralised so the
/// comment cannot end early.
pub fn source_marker(file: &str, line: usize) -> String {
    let file: String = file.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    format!("{SOURCE_MARKER}{file}:{line}\n")
}

/// The Markdown place (`contributions/AT.md, near line 33`) of a byte of
/// generated markup: the last source marker before it.
pub fn markdown_place(markup: &str, byte: usize) -> Option<String> {
    let before = markup.get(..byte)?;
    let at = before.rfind(SOURCE_MARKER)?;
    let line = before[at + SOURCE_MARKER.len()..].lines().next()?;
    let (file, number) = line.rsplit_once(':')?;
    Some(format!("{file}, near line {number}"))
}

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
                self.out.push_str(&format!(
                    "#figure(image({}, format: \"{format}\", alt: {}, width: 80%), caption: [{}])",
                    string_literal(&path),
                    string_literal(&displayable_text(alt)),
                    escape(alt, context.style)
                ));
            }
            None => self.missing_image(alt, context),
        }
    }

    fn missing_image(&mut self, alt: &str, context: &Context) {
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
                if is_web_url(url) {
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
                    string_literal(&displayable_text(alt))
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
            self.out.push_str(&format!("#footnote(<{label}>)"));
            return;
        }
        let Some(blocks) = context.footnotes.get(name).filter(|_| !self.in_footnote) else {
            self.out.push_str(&escape(&format!("[^{name}]"), context.style));
            return;
        };
        self.next_label += 1;
        let label = format!("{}-{}", self.label_prefix, self.next_label);
        self.footnote_labels.insert(key, label.clone());
        self.in_footnote = true;
        self.out.push_str("#footnote[");
        // A footnote is inline: paragraphs inside it become line breaks.
        let start = self.out.len();
        self.blocks(blocks, context);
        let body = self.out.split_off(start);
        self.out.push_str(body.trim_end());
        self.out.push_str(&format!("] <{label}>"));
        self.in_footnote = false;
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The virtual path typst should load an image from, and its format, if allowed.
fn embeddable(target: &Target, context: &Context) -> Option<(String, &'static str)> {
    let Target::Local(relative) = target else {
        return None;
    };
    let format = (context.image_format)(relative)?;
    Some((super::world::package_path(relative), format))
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// What a reader would see: the text of a markup tree made only of text.
    fn shown_text(markup: &str) -> Result<String, String> {
        let root = typst::syntax::parse(markup);
        let mut out = String::new();
        fn walk(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
            match node.kind() {
                SyntaxKind::Markup => node.children().try_for_each(|child| walk(child, out)),
                SyntaxKind::Text | SyntaxKind::Space => {
                    out.push_str(node.leaf_text());
                    Ok(())
                }
                SyntaxKind::Escape => {
                    out.push_str(&node.leaf_text()[1..]);
                    Ok(())
                }
                other => Err(format!("{other:?} in {markup:?}", markup = node.full_text())),
            }
        }
        walk(&root, &mut out)?;
        Ok(out)
    }

    #[test]
    fn hostile_strings_stay_text() {
        for hostile in [
            "#read(\"/etc/passwd\")",
            "$x^2$",
            "@ref <label>",
            "\\ [ ] { } // /* */",
            "= heading",
            "*bold* _em_ `raw` ~",
            "- item\n+ enum\n/ term: x",
            "1. one",
            "#set page(width: 1cm)",
            "http://example.com -- ... -?",
            "\\u{41}",
        ] {
            let escaped = escape(hostile, TextStyle::default());
            assert_eq!(shown_text(&escaped).unwrap(), hostile.replace('\n', " "), "{hostile}");
        }
    }

    #[test]
    fn czech_one_letter_words_get_no_break_spaces() {
        let style = TextStyle { czech: true, smart_quotes: true };
        assert_eq!(escape("žádosti v Praze a Brně", style), "žádosti v\u{a0}Praze a\u{a0}Brně");
        assert_eq!(escape("dav u", style), "dav u");
        assert_eq!(escape("(k němu)", style), "\\(k\u{a0}němu\\)");
    }

    #[test]
    fn typst_errors_are_placed_in_the_markdown() {
        let markup =
            format!("#x\n{}para\n{}#bad", source_marker("contributions/AT.md", 12), source_marker("a\nb.md", 40));
        assert_eq!(markdown_place(&markup, 2), None);
        assert_eq!(
            markdown_place(&markup, markup.find("para").unwrap()).as_deref(),
            Some("contributions/AT.md, near line 12")
        );
        assert_eq!(markdown_place(&markup, markup.find("#bad").unwrap()).as_deref(), Some("a?b.md, near line 40"));
        assert!(typst::syntax::parse(&markup).errors_and_warnings().0.is_empty());
    }

    #[test]
    fn string_literals_round_trip() {
        let literal = string_literal("a\"b\\c\nd");
        let root = typst::syntax::parse_code(&literal);
        assert!(root.errors_and_warnings().0.is_empty());
        assert_eq!(literal, "\"a\\\"b\\\\c\\nd\"");
    }

    proptest::proptest! {
        #[test]
        fn any_text_comes_out_as_the_same_text(text in "\\PC{0,60}") {
            let escaped = escape(&text, TextStyle::default());
            let shown = shown_text(&escaped).map_err(proptest::test_runner::TestCaseError::fail)?;
            let expected: String = displayable_text(&text).chars().map(|c| if is_newline(c) || c == '\t' { ' ' } else { c }).collect();
            proptest::prop_assert_eq!(shown, expected);
        }
    }
}
