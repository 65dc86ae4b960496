//! The NCPs' Markdown as every writer receives it: one normalising pass
//! over `load::markdown`'s blocks decides, once for every format,
//! - heading depth: an NCP's headings keep their nesting below the heading
//!   the part sits under, without skipped levels, at most
//!   [`MAX_DEPTH`] deep; a heading with no words is dropped;
//! - which links are links: http, https and mailto only, anything else is
//!   its words;
//! - pictures: one the package can show is an [`Image`] (a figure when
//!   alone in its paragraph); a missing one is a visible
//!   "[image not available: …]"; alt text is never empty
//!   ([`NO_DESCRIPTION`]);
//! - task boxes (☒ / ☐), raw HTML (shown as typed), notes (numbered per
//!   part, a second citation refers to the first, a note inside a note is
//!   its words in brackets, an over-long one is left out with a gap).

use std::collections::BTreeMap;

use crate::load::markdown::{self as md, Block, Target};

/// Deepest an NCP's own heading goes below the heading its part sits under:
/// the synthesis sets answers at level 3, so its headings stay within
/// Heading 6, the deepest style every format has.
pub const MAX_DEPTH: u8 = 3;

/// The marks of a GFM task list item.
pub const TASK_DONE: &str = "☒ ";
pub const TASK_OPEN: &str = "☐ ";

/// What replaces a picture's missing alt text in a draft built with
/// `--allow-incomplete` (`validate` reports `missing-alt-text`): a PDF/UA
/// document cannot hold a picture without one, and a reader must learn
/// that the description is missing rather than meet silence.
pub const NO_DESCRIPTION: &str = "Picture without a description: the contribution gives no alt text for it.";

/// A normalised Markdown part: its blocks and its notes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flow {
    pub blocks: Vec<FlowBlock>,
    /// The notes cited, by number (index); each printed where first cited.
    pub notes: Vec<Vec<FlowBlock>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FlowBlock {
    Paragraph(Vec<FlowInline>),
    /// A picture alone in its paragraph: a numbered figure, its alt text
    /// as its caption.
    Figure {
        image: Image,
        /// Its place among the flow's tables and figures (see [`Flow::captioned`]).
        index: usize,
    },
    /// `depth` 1 is the part's top level.
    Heading {
        depth: u8,
        content: Vec<FlowInline>,
        line: usize,
    },
    List {
        ordered: bool,
        start: usize,
        items: Vec<Item>,
    },
    Quote(Vec<FlowBlock>),
    Code(String),
    Table {
        align: Vec<Align>,
        /// Each column's share of the width, from the text its cells hold
        /// (see [`column_shares`]).
        shares: Vec<f32>,
        header: Vec<Vec<FlowInline>>,
        rows: Vec<Vec<Vec<FlowInline>>>,
        line: usize,
        /// Its place among the flow's tables and figures (see [`Flow::captioned`]).
        index: usize,
    },
    Rule,
    /// Raw HTML, shown as typed.
    Literal {
        text: String,
        line: usize,
    },
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `Some(done)` for a task list item: its box is [`TASK_DONE`] or [`TASK_OPEN`].
    pub task: Option<bool>,
    pub blocks: Vec<FlowBlock>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FlowInline {
    Text(String),
    Emph(Vec<FlowInline>),
    Strong(Vec<FlowInline>),
    Strike(Vec<FlowInline>),
    Code(String),
    /// A web link (http, https, mailto).
    Link {
        url: String,
        content: Vec<FlowInline>,
    },
    /// A picture in the text, at the height of a line.
    Image(Image),
    /// A picture that cannot be shown: its alt text in its place.
    MissingImage {
        alt: String,
    },
    /// A figure `validate` verified, with the annex row it was checked
    /// against (`T1-BE`): the web page links it there.
    Figure {
        text: String,
        row: String,
    },
    /// The first citation of note `n` (an index into [`Flow::notes`]).
    Note(usize),
    /// A later citation of note `n`.
    NoteAgain(usize),
    /// A note left out: over [`crate::limits::MAX_FOOTNOTE_CHARS`].
    NoteOmitted {
        name: String,
        characters: usize,
    },
    SoftBreak,
    LineBreak,
    /// Raw inline HTML, shown as typed.
    Literal(String),
}

/// A package picture the publication can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Package-relative path.
    pub path: String,
    /// Its format as typst names it (`png`, `jpg`, `svg`, ...).
    pub format: &'static str,
    /// Its alt text (never empty: [`NO_DESCRIPTION`]).
    pub alt: String,
}

/// Text as it is printed: invisible characters dropped (see
/// [`crate::fonts::is_invisible`]), in Unicode normal form C. Whether every
/// remaining character has a glyph is `validate`'s question
/// (`missing-glyph`), answered with the same fonts.
///
/// NFC is the same text (canonically equivalent), and it matters: typst
/// 0.15 maps every glyph of a cluster to the cluster's whole text, so a
/// letter with two combining marks (`ệ` typed as e + ◌̣ + ◌̂, as macOS saves
/// it) would be copied out of the PDF twice; composed, it is one glyph.
pub fn displayable(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let visible = crate::fonts::visible(text);
    if is_nfc_quick(visible.chars()) == IsNormalized::Yes {
        visible
    } else {
        std::borrow::Cow::Owned(visible.nfc().collect())
    }
}

/// A picture's alt text as printed, or [`NO_DESCRIPTION`] when it has none.
pub fn described(alt: &str) -> String {
    let alt = displayable(alt);
    if alt.trim().is_empty() { NO_DESCRIPTION.to_string() } else { alt.to_string() }
}

/// The words in place of a picture that cannot be shown.
pub fn missing_image(alt: &str) -> String {
    format!("[image not available: {alt}]")
}

/// The words in place of a note over the limit.
pub fn omitted_note(name: &str, characters: usize) -> String {
    format!(
        "Note [^{name}] is not printed: it has {characters} characters, more than {} (see validate).",
        crate::limits::MAX_FOOTNOTE_CHARS
    )
}

/// What a part may refer to: its file's notes, and which pictures the
/// package can show.
pub struct Sources<'a> {
    pub footnotes: &'a BTreeMap<String, Vec<Block>>,
    /// The typst format of a package-relative picture that can be shown.
    pub image_format: &'a dyn Fn(&str) -> Option<&'static str>,
    /// Verified figures of the file as written, with the annex row each
    /// was checked against.
    pub figure_rows: &'a [(&'a str, &'a str)],
}

/// `text` with each verified figure of `rows` in it as a [`FlowInline::Figure`]
/// (whole figures only: "21 480", not the "480" of "121 480").
fn with_figures(text: &str, rows: &[(&str, &str)]) -> Vec<FlowInline> {
    let mut out = Vec::new();
    let mut rest = text;
    'scan: while !rest.is_empty() {
        let mut first: Option<(usize, &str, &str)> = None;
        for (written, row) in rows {
            let found = rest.match_indices(written).find(|(at, _)| {
                let before = rest[..*at].chars().next_back();
                let after = rest[at + written.len()..].chars().next();
                before.is_none_or(|c| !c.is_ascii_digit() && c != ',' && c != '.')
                    && after.is_none_or(|c| !c.is_ascii_digit())
            });
            if let Some((at, _)) = found
                && first.is_none_or(|(earliest, _, _)| at < earliest)
            {
                first = Some((at, written, row));
            }
        }
        let Some((at, written, row)) = first else { break 'scan };
        if at > 0 {
            out.push(FlowInline::Text(rest[..at].to_string()));
        }
        out.push(FlowInline::Figure { text: written.to_string(), row: row.to_string() });
        rest = &rest[at + written.len()..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(FlowInline::Text(rest.to_string()));
    }
    out
}

/// Normalises one part's blocks.
pub fn normalise(blocks: &[Block], sources: &Sources) -> Flow {
    let mut normaliser = Normaliser {
        sources,
        notes: Vec::new(),
        cited: BTreeMap::new(),
        in_note: false,
        levels: Vec::new(),
        nesting: 0,
        captioned: 0,
    };
    let blocks = normaliser.blocks(blocks);
    Flow { blocks, notes: normaliser.notes }
}

struct Normaliser<'a> {
    sources: &'a Sources<'a>,
    notes: Vec<Vec<FlowBlock>>,
    /// Note names cited so far, with their number (`None`: left out).
    cited: BTreeMap<String, Option<usize>>,
    in_note: bool,
    /// The Markdown levels of the headings still open, for depths.
    levels: Vec<u8>,
    /// Inside a list item or a block quote.
    nesting: usize,
    /// Tables and figures so far.
    captioned: usize,
}

impl Normaliser<'_> {
    fn blocks(&mut self, blocks: &[Block]) -> Vec<FlowBlock> {
        blocks.iter().filter_map(|block| self.block(block)).collect()
    }

    /// The next table's or figure's index.
    fn next_captioned(&mut self) -> usize {
        self.captioned += 1;
        self.captioned - 1
    }

    /// The blocks of a list item or quote.
    fn nested(&mut self, blocks: &[Block]) -> Vec<FlowBlock> {
        self.nesting += 1;
        let nested = self.blocks(blocks);
        self.nesting -= 1;
        nested
    }

    fn block(&mut self, block: &Block) -> Option<FlowBlock> {
        Some(match block {
            Block::Paragraph(inlines) => match inlines.as_slice() {
                [md::Inline::Image { target, alt, .. }] => match self.image(target, alt) {
                    Some(image) => FlowBlock::Figure { image, index: self.next_captioned() },
                    None => FlowBlock::Paragraph(vec![FlowInline::MissingImage { alt: described(alt) }]),
                },
                _ => FlowBlock::Paragraph(self.inlines(inlines)),
            },
            Block::Heading { level, content, pos } => {
                if displayable(&md::inline_text(content)).trim().is_empty() {
                    return None;
                }
                // A heading inside a quote, a list item or a note belongs to
                // what is quoted or listed, not to the document's outline:
                // every edition prints it as a bold line.
                if self.nesting > 0 || self.in_note {
                    return Some(FlowBlock::Paragraph(vec![FlowInline::Strong(self.inlines(content))]));
                }
                while self.levels.last().is_some_and(|open| open >= level) {
                    self.levels.pop();
                }
                self.levels.push(*level);
                let depth = (self.levels.len() as u8).min(MAX_DEPTH);
                FlowBlock::Heading { depth, content: self.inlines(content), line: pos.line }
            }
            Block::List { ordered, start, items } => FlowBlock::List {
                ordered: *ordered,
                start: (*start).min(1_000_000_000),
                items: items.iter().map(|item| Item { task: item.task, blocks: self.nested(&item.blocks) }).collect(),
            },
            Block::Quote(inner) => FlowBlock::Quote(self.nested(inner)),
            Block::Code { text } => FlowBlock::Code(text.clone()),
            Block::Table { alignments, header, rows, pos } => {
                let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
                let cells = |this: &mut Self, row: &[Vec<md::Inline>]| -> Vec<Vec<FlowInline>> {
                    (0..columns).map(|i| row.get(i).map(|cell| this.inlines(cell)).unwrap_or_default()).collect()
                };
                let header = cells(self, header);
                let rows: Vec<_> = rows.iter().map(|row| cells(self, row)).collect();
                FlowBlock::Table {
                    shares: column_shares(&header, &rows),
                    align: (0..columns)
                        .map(|i| match alignments.get(i).copied().unwrap_or(md::Align::None) {
                            md::Align::Center => Align::Center,
                            md::Align::Right => Align::Right,
                            md::Align::Left | md::Align::None => Align::Left,
                        })
                        .collect(),
                    header,
                    rows,
                    line: pos.line,
                    index: self.next_captioned(),
                }
            }
            Block::Rule => FlowBlock::Rule,
            Block::Html { text, pos } => FlowBlock::Literal { text: text.clone(), line: pos.line },
        })
    }

    fn image(&self, target: &Target, alt: &str) -> Option<Image> {
        let Target::Local(path) = target else { return None };
        let format = (self.sources.image_format)(path)?;
        Some(Image { path: path.clone(), format, alt: described(alt) })
    }

    fn inlines(&mut self, inlines: &[md::Inline]) -> Vec<FlowInline> {
        let mut out = Vec::with_capacity(inlines.len());
        for inline in inlines {
            self.inline(inline, &mut out);
        }
        out
    }

    fn inline(&mut self, inline: &md::Inline, out: &mut Vec<FlowInline>) {
        match inline {
            md::Inline::Text(text) => out.extend(with_figures(text, self.sources.figure_rows)),
            md::Inline::Emph(inner) => out.push(FlowInline::Emph(self.inlines(inner))),
            md::Inline::Strong(inner) => out.push(FlowInline::Strong(self.inlines(inner))),
            md::Inline::Strike(inner) => out.push(FlowInline::Strike(self.inlines(inner))),
            md::Inline::Code(code) => out.push(FlowInline::Code(code.clone())),
            md::Inline::Link { url, content, .. } if in_markup(out, url, content) => out.extend(self.inlines(content)),
            md::Inline::Link { url, content, .. } if crate::load::paths::is_web_url(url) => {
                out.push(FlowInline::Link { url: url.clone(), content: self.inlines(content) })
            }
            // Not a web link (ftp:, a file, an anchor): its words only.
            md::Inline::Link { content, .. } => out.extend(self.inlines(content)),
            md::Inline::Image { target, alt, .. } => out.push(match self.image(target, alt) {
                Some(image) => FlowInline::Image(image),
                None => FlowInline::MissingImage { alt: described(alt) },
            }),
            md::Inline::FootnoteRef(name) => out.push(self.note(name)),
            md::Inline::SoftBreak => out.push(FlowInline::SoftBreak),
            md::Inline::LineBreak => out.push(FlowInline::LineBreak),
            md::Inline::Html { text, .. } => out.push(FlowInline::Literal(text.clone())),
        }
    }

    fn note(&mut self, name: &str) -> FlowInline {
        let Some(blocks) = self.sources.footnotes.get(name) else {
            return FlowInline::Text(format!("[^{name}]"));
        };
        // A note cited inside a note (no format sets a note in a note):
        // its words in brackets where it is cited.
        if self.in_note {
            let text = md::blocks_text(blocks);
            return FlowInline::Text(format!(" ({})", text.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
        let characters = md::blocks_text(blocks).chars().count();
        match self.cited.get(name) {
            Some(Some(number)) => return FlowInline::NoteAgain(*number),
            Some(None) => return FlowInline::Text(String::new()),
            None => {}
        }
        // A note over the limit is `too-long` in `validate`; a draft built
        // anyway says at its first citation that it is left out: typst
        // setting 400 KB as a footnote took 20-40 s.
        if characters > crate::limits::MAX_FOOTNOTE_CHARS {
            self.cited.insert(name.to_string(), None);
            return FlowInline::NoteOmitted { name: name.to_string(), characters };
        }
        let number = self.notes.len();
        self.cited.insert(name.to_string(), Some(number));
        self.notes.push(Vec::new());
        self.in_note = true;
        let levels = std::mem::take(&mut self.levels);
        let body = self.blocks(blocks);
        self.levels = levels;
        self.in_note = false;
        self.notes[number] = body;
        FlowInline::Note(number)
    }
}

/// The words of inline content.
pub fn inline_words(inlines: &[FlowInline]) -> String {
    let mut out = String::new();
    fn walk(inlines: &[FlowInline], out: &mut String) {
        for inline in inlines {
            match inline {
                FlowInline::Text(text)
                | FlowInline::Code(text)
                | FlowInline::Literal(text)
                | FlowInline::Figure { text, .. } => out.push_str(text),
                FlowInline::Emph(inner) | FlowInline::Strong(inner) | FlowInline::Strike(inner) => walk(inner, out),
                FlowInline::Link { content, .. } => walk(content, out),
                FlowInline::SoftBreak | FlowInline::LineBreak => out.push(' '),
                _ => {}
            }
        }
    }
    walk(inlines, &mut out);
    out
}

impl Flow {
    /// (depth, words) of every heading of the part, in order.
    pub fn headings(&self) -> Vec<(u8, String)> {
        self.blocks
            .iter()
            .filter_map(|block| match block {
                FlowBlock::Heading { depth, content, .. } => Some((*depth, inline_words(content))),
                _ => None,
            })
            .collect()
    }

    /// The part's headings, tables and figures in reading order (its notes'
    /// after its text), for their captions.
    pub fn captioned(&self) -> Vec<Captioned> {
        fn walk(blocks: &[FlowBlock], out: &mut Vec<Captioned>) {
            for block in blocks {
                match block {
                    FlowBlock::Heading { content, .. } => out.push(Captioned::Heading(inline_words(content))),
                    FlowBlock::Figure { image, index } => out.push(Captioned::Figure(*index, image.alt.clone())),
                    FlowBlock::Table { index, .. } => out.push(Captioned::Table(*index)),
                    FlowBlock::Quote(inner) => walk(inner, out),
                    FlowBlock::List { items, .. } => items.iter().for_each(|item| walk(&item.blocks, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        self.notes.iter().for_each(|note| walk(note, &mut out));
        out
    }
}

/// What a part's captions are decided from (see [`Flow::captioned`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Captioned {
    Heading(String),
    /// A table, by its index.
    Table(usize),
    /// A figure, by its index, with its alt text.
    Figure(usize, String),
}

/// A column's share of a table's width: the longest word any of its cells
/// holds (a column is never narrower than a word), else its longest cell,
/// up to about a line of a narrow column. The table then spans the text
/// width in these shares, so typst need not measure every cell to size its
/// columns (measured: a national contribution's tables typeset a quarter
/// faster, and the whole contribution 5 % faster).
pub fn column_shares(header: &[Vec<FlowInline>], rows: &[Vec<Vec<FlowInline>>]) -> Vec<f32> {
    /// Characters of a cell's text beyond which its column grows no wider:
    /// the text wraps instead.
    const LONGEST_LINE: usize = 36;
    /// The narrowest share, so a column of single figures keeps its header legible.
    const NARROWEST: usize = 4;
    (0..header.len())
        .map(|column| {
            let cells = std::iter::once(&header[column]).chain(rows.iter().filter_map(|row| row.get(column)));
            let (mut longest_word, mut longest_cell) = (0, 0);
            for cell in cells {
                let text = inline_words(cell);
                longest_cell = longest_cell.max(text.chars().count());
                longest_word = longest_word.max(text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0));
            }
            longest_word.max(longest_cell.min(LONGEST_LINE)).max(NARROWEST) as f32
        })
        .collect()
}

/// A bare address that GFM's autolinking found inside the text of raw
/// HTML or CSS the NCP typed (`style="background:url(http://…)"`): it is
/// printed as the characters typed around it, not made a link.
fn in_markup(before: &[FlowInline], url: &str, content: &[md::Inline]) -> bool {
    let bare = matches!(content, [md::Inline::Text(text)] if url.ends_with(text.as_str()));
    bare && matches!(before.last(), Some(FlowInline::Text(text) | FlowInline::Literal(text))
        if ["url(", "=", "\"", "'", "@import "].iter().any(|opening| text.ends_with(opening)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(markdown: &str) -> Flow {
        let parsed = crate::load::markdown::parse(markdown, 1, "contributions/AT.md");
        let image_format = |path: &str| (path == "assets/chart.png").then_some("png");
        normalise(
            &parsed.blocks,
            &Sources { footnotes: &parsed.footnotes, image_format: &image_format, figure_rows: &[] },
        )
    }

    #[test]
    fn a_table_spans_the_text_in_shares_of_its_longest_word_or_cell() {
        let flow = flow(concat!(
            "| Measure | Year | Authority |\n| --- | ---: | --- |\n",
            "| a single application procedure for work and residence permits | 2024 | Ministerstvo vnitra |\n",
            "| *quota* | 2025 | [Office](https://example.org/a-very-long-address-without-spaces) |\n",
        ));
        let Some(FlowBlock::Table { shares, .. }) = flow.blocks.first() else { panic!("a table: {:?}", flow.blocks) };
        // The long sentence wraps at about a line of a narrow column; the
        // figures' column stays narrow but not under the narrowest share;
        // a link's words count, not its address.
        assert_eq!(shares, &vec![36.0, 4.0, 19.0]);
    }

    #[test]
    fn headings_keep_their_nesting_without_skipped_levels_and_empty_ones_go() {
        let flow = flow("### Deep first\n\ntext\n\n##### Deeper\n\n###\n\n## Back up\n\n# Top\n\n## Under top\n");
        assert_eq!(
            flow.headings(),
            vec![
                (1, "Deep first".into()),
                (2, "Deeper".into()),
                (1, "Back up".into()),
                (1, "Top".into()),
                (2, "Under top".into())
            ]
        );
        let deep = self::flow("# a\n## b\n### c\n#### d\n##### e\n");
        assert!(deep.headings().iter().all(|(depth, _)| *depth <= MAX_DEPTH));
    }

    #[test]
    fn a_heading_inside_a_quote_list_or_note_is_a_bold_line_not_the_outlines() {
        let flow = flow("# Own\n\n> ## Quoted\n> said\n\n- ### Listed\n\n  item\n\nText.[^n]\n\n[^n]: ## Noted\n");
        assert_eq!(flow.headings(), vec![(1, "Own".into())], "only the part's own heading is in the outline");
        let bold = |words: &str| FlowBlock::Paragraph(vec![FlowInline::Strong(vec![FlowInline::Text(words.into())])]);
        let FlowBlock::Quote(quoted) = &flow.blocks[1] else { panic!("a quote: {:?}", flow.blocks) };
        assert_eq!(quoted[0], bold("Quoted"));
        let FlowBlock::List { items, .. } = &flow.blocks[2] else { panic!("a list: {:?}", flow.blocks) };
        assert_eq!(items[0].blocks[0], bold("Listed"));
        assert_eq!(flow.notes[0][0], bold("Noted"));
    }

    #[test]
    fn an_address_inside_typed_markup_stays_text_and_a_bare_one_is_a_link() {
        let flow = flow(
            "See <b style=x>url(http://evil.example/x)}</b> and =http://a.example too, and https://emn.example.\n",
        );
        let FlowBlock::Paragraph(inlines) = &flow.blocks[0] else { panic!("a paragraph") };
        let links: Vec<&str> = inlines
            .iter()
            .filter_map(|i| if let FlowInline::Link { url, .. } = i { Some(url.as_str()) } else { None })
            .collect();
        assert_eq!(links, ["https://emn.example"]);
        assert!(inline_words(inlines).contains("evil.example"), "{inlines:?}");
    }

    #[test]
    fn only_web_links_are_links_and_missing_pictures_say_so() {
        let flow = flow(
            "[ftp](ftp://x.org) [web](https://x.org) [file](other.md) ![](gone.png) ![A chart](../assets/chart.png)",
        );
        let FlowBlock::Paragraph(inlines) = &flow.blocks[0] else { panic!("a paragraph") };
        let links: Vec<&str> = inlines
            .iter()
            .filter_map(|i| if let FlowInline::Link { url, .. } = i { Some(url.as_str()) } else { None })
            .collect();
        assert_eq!(links, ["https://x.org"]);
        assert!(inline_words(inlines).contains("ftp") && inline_words(inlines).contains("file"));
        assert!(inlines.contains(&FlowInline::MissingImage { alt: NO_DESCRIPTION.into() }));
        assert!(inlines.iter().any(|i| matches!(i, FlowInline::Image(image) if image.alt == "A chart")));
        let figure = self::flow("![A chart](../assets/chart.png)\n");
        assert_eq!(figure.captioned(), [Captioned::Figure(0, "A chart".into())]);
    }

    #[test]
    fn a_note_cited_twice_is_one_note_and_a_note_in_a_note_is_its_words() {
        let flow = flow("One[^a] two[^a] three[^b] four[^none].\n\n[^a]: First note[^b].\n\n[^b]: Second.\n");
        let FlowBlock::Paragraph(inlines) = &flow.blocks[0] else { panic!("a paragraph") };
        let marks: Vec<&FlowInline> =
            inlines.iter().filter(|i| matches!(i, FlowInline::Note(_) | FlowInline::NoteAgain(_))).collect();
        assert_eq!(marks, [&FlowInline::Note(0), &FlowInline::NoteAgain(0), &FlowInline::Note(1)]);
        assert_eq!(flow.notes.len(), 2);
        let FlowBlock::Paragraph(first) = &flow.notes[0][0] else { panic!("a paragraph") };
        assert!(inline_words(first).contains("First note (Second.)"), "{first:?}");
        assert!(inline_words(inlines).contains("[^none]"));
    }
}
