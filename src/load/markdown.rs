//! Markdown into an owned, position-keeping tree.
//!
//! comrak's arena tree borrows its arena and is not `Send`; the rest of the
//! pipeline (checks, parallel rendering) wants plain owned values. This module
//! parses CommonMark + GFM once and copies what the publications need: blocks,
//! inlines, footnote definitions, and the line/column of everything a
//! diagnostic may point at. Nesting deeper than [`MAX_MARKDOWN_DEPTH`] is flattened to
//! text so hostile input cannot exhaust the stack later on.

use std::collections::BTreeMap;

use crate::limits::MAX_MARKDOWN_DEPTH;
use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options};

/// A place in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
        pos: Pos,
    },
    List {
        ordered: bool,
        start: usize,
        items: Vec<ListItem>,
    },
    Quote(Vec<Block>),
    Code {
        text: String,
    },
    Table {
        alignments: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        pos: Pos,
    },
    Rule,
    /// Raw HTML: never interpreted, shown as text.
    Html {
        text: String,
        pos: Pos,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for GFM task list items.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        target: Target,
        content: Vec<Inline>,
        pos: Pos,
    },
    Image {
        url: String,
        target: Target,
        alt: String,
        pos: Pos,
    },
    FootnoteRef(String),
    SoftBreak,
    LineBreak,
    /// Raw inline HTML: never interpreted, shown as text.
    Html {
        text: String,
        pos: Pos,
    },
}

/// Where a link or image points, resolved once when the document is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL, a `mailto:` or an anchor: not a file of the package.
    Remote,
    /// A package-relative path (percent-decoded, `..` resolved).
    Local(String),
    /// An absolute path, or one that climbs out of the package.
    Outside,
}

impl Target {
    /// Resolves `url` as written in the package file `file`.
    pub fn of(file: &str, url: &str) -> Self {
        if !super::paths::is_local(url) {
            Target::Remote
        } else {
            super::paths::resolve(file, url).map_or(Target::Outside, Target::Local)
        }
    }
}

/// A parsed Markdown body: its blocks and its footnote definitions by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markdown {
    pub blocks: Vec<Block>,
    /// The first line of each top-level block (parallel to `blocks`).
    pub block_lines: Vec<usize>,
    pub footnotes: BTreeMap<String, Vec<Block>>,
    /// Where each footnote definition (`[^name]:`) starts.
    pub footnote_places: BTreeMap<String, Pos>,
    /// Every text the document prints, where it is in the file.
    pub runs: Vec<TextRun>,
    /// The titles of images (`![alt](a.png "Title")`), which no edition
    /// prints (a page has no tooltips): `check` says so.
    pub image_titles: Vec<(Pos, String)>,
    /// The lines of `<!-- dissemination: network -->` comments, which mark
    /// the answer below whose heading they stand as for the network only.
    pub network_marks: Vec<usize>,
}

/// What a text run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// The author's own words.
    Prose,
    /// Text in a block quote (a quoted source) or an image description.
    Quoted,
    /// Code or raw HTML: printed as written, never read as Markdown.
    Code,
}

/// A stretch of text a document prints, read from the same parse as its
/// blocks: the checks of characters, words and Glossary terms walk these,
/// never the raw file (comments, link targets and front matter are not in
/// them; code, HTML and image descriptions are, as they are printed).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Where its first character is (the column counts characters).
    pub pos: Pos,
    pub text: String,
    pub kind: RunKind,
    /// The paragraph, heading or cell it is in: a quotation mark opened in
    /// one does not run on into the next.
    pub block: usize,
}

/// The Markdown dialect of contributions (the Word import writes it too).
pub(crate) fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options
}

/// Parses `text`, whose first line is line `first_line` of the package
/// file `file` (links and images are resolved against it).
pub fn parse(text: &str, first_line: usize, file: &str) -> Markdown {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, text, &options());
    let mut converter = Converter {
        line_offset: first_line.saturating_sub(1),
        footnotes: BTreeMap::new(),
        footnote_places: BTreeMap::new(),
        file: file.to_string(),
        image_titles: Vec::new(),
        network_marks: Vec::new(),
    };
    let mut blocks = Vec::new();
    let mut block_lines = Vec::new();
    for node in root.children() {
        if let Some(block) = converter.block(node, 1) {
            block_lines.push(converter.pos(node).line);
            blocks.push(block);
        }
    }
    let runs = text_runs(root, text, converter.line_offset);
    Markdown {
        blocks,
        block_lines,
        footnotes: converter.footnotes,
        footnote_places: converter.footnote_places,
        runs,
        image_titles: converter.image_titles,
        network_marks: converter.network_marks,
    }
}

/// The printed texts of a parsed document, in reading order (iteratively:
/// safe for any depth).
fn text_runs<'a>(root: &'a AstNode<'a>, text: &str, line_offset: usize) -> Vec<TextRun> {
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
    // comrak counts columns in bytes; a diagnostic counts characters.
    let place = |line: usize, byte_column: usize| -> Pos {
        let start = line_starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
        let end = (start + byte_column.saturating_sub(1)).min(text.len());
        let column = text.get(start..end).map_or(byte_column, |before| before.chars().count() + 1);
        Pos { line: line + line_offset, column }
    };
    let mut runs = Vec::new();
    let mut block = 0;
    // (node, inside a block quote or an image description)
    let mut stack = vec![(root, false)];
    while let Some((node, quiet)) = stack.pop() {
        let start = node.data().sourcepos.start;
        if matches!(
            node.data().value,
            NodeValue::Paragraph
                | NodeValue::Heading(_)
                | NodeValue::TableCell
                | NodeValue::CodeBlock(_)
                | NodeValue::HtmlBlock(_)
        ) {
            block += 1;
        }
        let mut push = |text: &str, pos: Pos, kind: RunKind| {
            if !text.is_empty() {
                runs.push(TextRun { pos, text: text.to_string(), kind, block });
            }
        };
        let mut descend = true;
        let mut quiet_below = quiet;
        match &node.data().value {
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Image(_) => quiet_below = true,
            NodeValue::Text(literal) => {
                push(literal, place(start.line, start.column), if quiet { RunKind::Quoted } else { RunKind::Prose })
            }
            NodeValue::Code(code) => {
                let ticks = code.num_backticks;
                push(&code.literal, place(start.line, start.column + ticks), RunKind::Code);
            }
            NodeValue::CodeBlock(code) => {
                let first = start.line + usize::from(code.fenced);
                for (index, line) in code.literal.lines().enumerate() {
                    let indent = if code.fenced { 1 } else { start.column };
                    push(line, place(first + index, indent), RunKind::Code);
                }
                descend = false;
            }
            NodeValue::HtmlBlock(html) if !is_comment(&html.literal) => {
                for (index, line) in html.literal.lines().enumerate() {
                    let column = if index == 0 { start.column } else { 1 };
                    push(line, place(start.line + index, column), RunKind::Code);
                }
            }
            NodeValue::HtmlInline(html) if !is_comment(html) => {
                push(html, place(start.line, start.column), RunKind::Code)
            }
            _ => {}
        }
        if descend {
            let children: Vec<_> = node.children().collect();
            stack.extend(children.into_iter().rev().map(|child| (child, quiet_below)));
        }
    }
    runs
}

struct Converter {
    image_titles: Vec<(Pos, String)>,
    network_marks: Vec<usize>,
    line_offset: usize,
    footnotes: BTreeMap<String, Vec<Block>>,
    footnote_places: BTreeMap<String, Pos>,
    file: String,
}

impl Converter {
    fn pos(&self, node: &AstNode<'_>) -> Pos {
        let start = node.data().sourcepos.start;
        Pos { line: start.line + self.line_offset, column: start.column }
    }

    fn blocks<'a>(&mut self, parent: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
        let mut out = Vec::new();
        for node in parent.children() {
            if let Some(block) = self.block(node, depth + 1) {
                out.push(block);
            }
        }
        out
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Option<Block> {
        if depth > MAX_MARKDOWN_DEPTH {
            return Some(Block::Paragraph(vec![Inline::Text(plain_text_of(node))]));
        }
        let value = node.data().value.clone();
        Some(match value {
            NodeValue::Paragraph => Block::Paragraph(self.inlines(node, depth)),
            NodeValue::Heading(heading) => {
                Block::Heading { level: heading.level, content: self.inlines(node, depth), pos: self.pos(node) }
            }
            NodeValue::List(list) => {
                let items = node
                    .children()
                    .map(|item| {
                        let task = match &item.data().value {
                            NodeValue::TaskItem(task) => Some(task.symbol.is_some()),
                            _ => None,
                        };
                        ListItem { task, blocks: self.blocks(item, depth) }
                    })
                    .collect();
                Block::List { ordered: list.list_type == ListType::Ordered, start: list.start, items }
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => Block::Quote(self.blocks(node, depth)),
            NodeValue::CodeBlock(code) => Block::Code { text: code.literal.trim_end_matches('\n').to_string() },
            NodeValue::HtmlBlock(html) if is_comment(&html.literal) => {
                if is_network_mark(&html.literal) {
                    self.network_marks.push(self.pos(node).line);
                }
                return None;
            }
            NodeValue::HtmlBlock(html) => {
                Block::Html { text: html.literal.trim_end_matches('\n').to_string(), pos: self.pos(node) }
            }
            NodeValue::ThematicBreak => Block::Rule,
            NodeValue::Table(table) => {
                let alignments = table
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::Left => Align::Left,
                        TableAlignment::Center => Align::Center,
                        TableAlignment::Right => Align::Right,
                        TableAlignment::None => Align::None,
                    })
                    .collect();
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for row in node.children() {
                    let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                    let cells: Vec<Vec<Inline>> = row.children().map(|cell| self.inlines(cell, depth)).collect();
                    if is_header {
                        header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                Block::Table { alignments, header, rows, pos: self.pos(node) }
            }
            NodeValue::FootnoteDefinition(definition) => {
                let blocks = self.blocks(node, depth);
                self.footnote_places.insert(definition.name.clone(), self.pos(node));
                self.footnotes.insert(definition.name.clone(), blocks);
                return None;
            }
            NodeValue::Document | NodeValue::Item(_) | NodeValue::TaskItem(_) => Block::Quote(self.blocks(node, depth)),
            _ => {
                let text = plain_text_of(node);
                if text.trim().is_empty() {
                    return None;
                }
                Block::Paragraph(vec![Inline::Text(text)])
            }
        })
    }

    fn inlines<'a>(&mut self, parent: &'a AstNode<'a>, depth: usize) -> Vec<Inline> {
        parent
            .children()
            .filter(|node| !matches!(&node.data().value, NodeValue::HtmlInline(html) if is_comment(html)))
            .map(|node| self.inline(node, depth + 1))
            .collect()
    }

    fn inline<'a>(&mut self, node: &'a AstNode<'a>, depth: usize) -> Inline {
        if depth > MAX_MARKDOWN_DEPTH {
            return Inline::Text(plain_text_of(node));
        }
        let value = node.data().value.clone();
        match value {
            NodeValue::Text(text) => Inline::Text(text.into_owned()),
            NodeValue::Emph => Inline::Emph(self.inlines(node, depth)),
            NodeValue::Strong => Inline::Strong(self.inlines(node, depth)),
            NodeValue::Strikethrough => Inline::Strike(self.inlines(node, depth)),
            NodeValue::Code(code) => Inline::Code(code.literal),
            NodeValue::Link(link) => {
                let target = Target::of(&self.file, &link.url);
                Inline::Link { url: link.url.clone(), target, content: self.inlines(node, depth), pos: self.pos(node) }
            }
            NodeValue::Image(link) => {
                if !link.title.trim().is_empty() {
                    self.image_titles.push((self.pos(node), link.title.to_string()));
                }
                let target = Target::of(&self.file, &link.url);
                Inline::Image { url: link.url.clone(), target, alt: plain_text_of(node), pos: self.pos(node) }
            }
            NodeValue::FootnoteReference(reference) => Inline::FootnoteRef(reference.name.clone()),
            NodeValue::SoftBreak => Inline::SoftBreak,
            NodeValue::LineBreak => Inline::LineBreak,
            NodeValue::HtmlInline(html) => Inline::Html { text: html, pos: self.pos(node) },
            _ => Inline::Text(plain_text_of(node)),
        }
    }
}

/// HTML comments are the editors' notes (`new-contribution` writes them):
/// invisible, as in any Markdown previewer.
fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->")
}

/// `<!-- dissemination: network -->`, however spaced or cased.
pub fn is_network_mark(html: &str) -> bool {
    let inner = html.trim().trim_start_matches("<!--").trim_end_matches("-->");
    let words: String = inner.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    words == "dissemination:network"
}

/// The text of a subtree, iteratively (safe for any depth).
fn plain_text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for descendant in node.descendants() {
        match &descendant.data().value {
            NodeValue::Text(text) => out.push_str(text),
            NodeValue::Code(code) => out.push_str(&code.literal),
            NodeValue::CodeBlock(code) => out.push_str(&code.literal),
            NodeValue::HtmlInline(html) => out.push_str(html),
            NodeValue::HtmlBlock(html) => out.push_str(&html.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The words a reader sees in inlines, joined by spaces.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inline_text(inlines, &mut out);
    out
}

fn push_inline_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Html { text, .. } => out.push_str(text),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Link { content: c, .. } => {
                push_inline_text(c, out)
            }
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            Inline::FootnoteRef(_) => {}
        }
    }
}

/// The text of blocks, one paragraph per line.
pub fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for_each_inlines(blocks, &mut |inlines| {
        push_inline_text(inlines, &mut out);
        out.push('\n');
    });
    for block in blocks {
        match block {
            Block::Code { text } | Block::Html { text, .. } => {
                out.push_str(text);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// Calls `f` on every run of inlines in `blocks` (paragraphs, headings, cells), recursively.
pub fn for_each_inlines(blocks: &[Block], f: &mut dyn FnMut(&[Inline])) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines) | Block::Heading { content: inlines, .. } => f(inlines),
            Block::List { items, .. } => items.iter().for_each(|item| for_each_inlines(&item.blocks, f)),
            Block::Quote(blocks) => for_each_inlines(blocks, f),
            Block::Table { header, rows, .. } => {
                header.iter().for_each(|cell| f(cell));
                rows.iter().flatten().for_each(|cell| f(cell));
            }
            Block::Code { .. } | Block::Rule | Block::Html { .. } => {}
        }
    }
}

/// Calls `f` on every inline, descending into emphasis and links.
pub fn walk_inlines(inlines: &[Inline], f: &mut dyn FnMut(&Inline)) {
    for inline in inlines {
        f(inline);
        if let Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Link { content: c, .. } = inline {
            walk_inlines(c, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_with_offset() {
        let md = parse("Intro\n\n![Chart](../assets/a.png)\n", 10, "contributions/CZ.md");
        let Block::Paragraph(inlines) = &md.blocks[1] else { panic!("{:?}", md.blocks) };
        let Inline::Image { url, alt, pos, .. } = &inlines[0] else { panic!() };
        assert_eq!((url.as_str(), alt.as_str(), pos.line), ("../assets/a.png", "Chart", 12));
    }

    #[test]
    fn deep_nesting_is_flattened_not_overflowed() {
        let text = format!("{}deep", "> ".repeat(5000));
        let md = parse(&text, 1, "x.md");
        assert!(blocks_text(&md.blocks).contains("deep"));
    }

    #[test]
    fn text_runs_know_their_place_and_whether_they_are_prose() {
        let md = parse("Čeština `kód` a ![popis](x.png)\n\n> citace <!-- pozn -->\n\n```\nkód\n```\n", 5, "x.md");
        let runs: Vec<(usize, usize, &str, RunKind)> =
            md.runs.iter().map(|r| (r.pos.line, r.pos.column, r.text.as_str(), r.kind)).collect();
        assert_eq!(
            runs,
            [
                (5, 1, "Čeština ", RunKind::Prose),
                (5, 10, "kód", RunKind::Code),
                (5, 14, " a ", RunKind::Prose),
                (5, 19, "popis", RunKind::Quoted),
                (7, 3, "citace ", RunKind::Quoted),
                (10, 1, "kód", RunKind::Code),
            ]
        );
    }

    #[test]
    fn footnotes_are_collected() {
        let md = parse("Text[^1].\n\n[^1]: Source: Ministry.\n", 1, "x.md");
        assert_eq!(blocks_text(&md.footnotes["1"]).trim(), "Source: Ministry.");
    }
}
