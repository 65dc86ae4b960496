//! The Word model as a contribution in Markdown: headings mapped to the
//! template's questions, lists, tables, footnotes, links and images.
//!
//! The Markdown is written through comrak's own tree and CommonMark
//! formatter, not by hand: the formatter escapes what Markdown would read
//! as syntax, wherever it stands (a `1.` opening a line, a `|` in a cell, a
//! `*` in the text). Emphasis is the one thing a tree cannot make safe on
//! its own — CommonMark reads `*` by the characters around it — so every
//! paragraph is read back, and one whose text does not come back exactly
//! is written without its emphasis: the words always win over the styling.

use std::collections::{BTreeMap, BTreeSet};

use comrak::Arena;
use comrak::nodes::{
    AstNode, ListDelimType, ListType, NodeFootnoteDefinition, NodeFootnoteReference, NodeHeading, NodeLink, NodeList,
    NodeTable, NodeValue, TableAlignment,
};

use super::body::{Block, Inline, Paragraph, RunStyle, plain_text};
use crate::load::template::{Question, Section, Template};

type Node<'n> = &'n AstNode<'n>;

/// What a Word heading opens.
enum Role<'t> {
    Question(&'t Question),
    Section(&'t Section),
    KeyFindings,
    ExecutiveSummary,
    Other,
}

/// The Markdown of a Word body (footnote definitions at the end), the
/// pictures it uses (zip part → package path under `image_folder`) and the
/// report of what was not mapped as it was.
pub fn write(
    template: &Template,
    image_folder: &str,
    notes: &BTreeMap<String, Vec<Block>>,
    parts: &BTreeSet<String>,
    body: &[Block],
) -> (String, BTreeMap<String, String>, Vec<String>) {
    let arena = Arena::new();
    let mut writer = Writer {
        template,
        image_folder: image_folder.to_string(),
        notes,
        parts,
        arena: &arena,
        root: arena.alloc(NodeValue::Document.into()),
        footnotes: Vec::new(),
        images: BTreeMap::new(),
        taken_paths: BTreeSet::new(),
        in_answer: None,
        sections: BTreeSet::new(),
        seen_question: false,
        seen_content: false,
        introduction: Vec::new(),
        lists: Vec::new(),
        last_image_alt: None,
        report: Vec::new(),
    };
    for block in body {
        writer.block(block);
    }
    writer.footnote_definitions();
    writer.introduction_report();
    let mut markdown = String::new();
    // Writing into a String cannot fail.
    let _ = comrak::format_commonmark(writer.root, &crate::load::markdown::options(), &mut markdown);
    (as_people_write_it(&markdown).trim_end().to_string() + "\n", writer.images, writer.report)
}

/// comrak's CommonMark as a person writes it, reading the same: a footnote
/// definition's first line beside its label (`[^1]: text`, not `[^1]:` and
/// an indented line), and `@` unescaped (it only makes an e-mail address a
/// mailto link, whose text is the address).
fn as_people_write_it(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut lines = markdown.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let is_label = line.starts_with("[^") && line.trim_end().ends_with("]:") && !line.contains(' ');
        if is_label && let Some(next) = lines.peek().filter(|next| next.starts_with("    ") && !next.trim().is_empty())
        {
            out.push_str(line.trim_end());
            out.push(' ');
            out.push_str(next.trim_start());
            lines.next();
            continue;
        }
        if line.starts_with("    ") || line.starts_with("```") {
            out.push_str(line);
        } else {
            out.push_str(&line.replace("\\@", "@"));
        }
    }
    out
}

/// A list being written: its level in Word, its node and last item, and
/// the number its next item must have to continue it.
struct OpenList<'n> {
    level: u8,
    list: Node<'n>,
    item: Node<'n>,
    numbered: bool,
    next: u32,
}

struct Writer<'a, 'n> {
    template: &'a Template,
    image_folder: String,
    notes: &'a BTreeMap<String, Vec<Block>>,
    /// The zip's parts: a picture whose part is missing is left out.
    parts: &'a BTreeSet<String>,
    arena: &'n Arena<'n>,
    root: Node<'n>,
    /// Footnote ids in order of first reference → their number.
    footnotes: Vec<String>,
    /// zip part → package path, for every image referenced.
    images: BTreeMap<String, String>,
    /// The picture files named so far, in lower case (Windows and macOS fold case).
    taken_paths: BTreeSet<String>,
    /// The question whose answer is being written, if any.
    in_answer: Option<String>,
    /// Template sections whose heading is written.
    sections: BTreeSet<String>,
    seen_question: bool,
    /// Whether any text was written yet (a title after it is text).
    seen_content: bool,
    /// Paragraph numbers of the text and tables before the first question.
    introduction: Vec<usize>,
    /// The open lists, outermost first.
    lists: Vec<OpenList<'n>>,
    /// The alt text of the last image written (its caption is not repeated).
    last_image_alt: Option<String>,
    report: Vec<String>,
}

impl<'a, 'n> Writer<'a, 'n> {
    fn node(&self, value: NodeValue) -> Node<'n> {
        self.arena.alloc(value.into())
    }

    fn text_node(&self, text: &str) -> Node<'n> {
        self.node(NodeValue::Text(text.to_string().into()))
    }

    fn report_once(&mut self, line: String) {
        if !self.report.contains(&line) {
            self.report.push(line);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(p) if is_metadata(&p.style) && p.numbering.is_none() && !self.seen_content => {
                self.report.push(format!(
                    "paragraph {}: the {} \"{}\" is not imported (the package and the front matter say it)",
                    p.number,
                    p.style,
                    plain_text(&p.inlines)
                ));
            }
            // A caption repeating the image's alt text: the figure prints it.
            Block::Paragraph(p)
                if p.style.contains("caption")
                    && self.last_image_alt.as_deref().is_some_and(|alt| alt == plain_text(&p.inlines)) => {}
            Block::Paragraph(p) if p.heading.is_some() && !p.style.starts_with("toc") => {
                self.close_lists();
                self.heading(p);
            }
            Block::Paragraph(p) => {
                if p.style.starts_with("toc") {
                    self.report.push(format!(
                        "paragraph {}: the Word file's table of contents is kept as text; delete it if the national PDF's own contents are enough",
                        p.number
                    ));
                }
                self.paragraph(p)
            }
            Block::Table { number, rows, caption } => {
                self.close_lists();
                self.before_first_question(*number);
                // The table's title (Word's alt text title) goes above it.
                if !caption.is_empty() {
                    let text = [Inline::Text(caption.clone(), RunStyle { italic: true, ..Default::default() })];
                    let paragraph = self.inline_block(&text, None, false);
                    self.root.append(paragraph);
                }
                self.table(rows);
            }
        }
    }

    /// Text or a table before any question: printed as the introduction,
    /// and said once in the report (see [`Writer::introduction_report`]).
    fn before_first_question(&mut self, number: usize) {
        self.seen_content = true;
        if !self.seen_question {
            self.introduction.push(number);
        }
    }

    /// One line for everything kept before the first question: a reader
    /// learns the range, not 300 lines of it.
    fn introduction_report(&mut self) {
        let (Some(first), Some(last)) = (self.introduction.first(), self.introduction.last()) else { return };
        let place = if first == last { format!("paragraph {first}") } else { format!("paragraphs {first}–{last}") };
        let line = if self.seen_question {
            format!("{place}: text before the first question, kept before it (printed as the introduction)")
        } else {
            format!(
                "{place}: no heading matched a template question, so all the text is kept as the introduction (hint: give each answer its question's heading, e.g. \"Q1.1\" or the question's words, in a Heading style)"
            )
        };
        self.report.push(line);
    }

    fn heading_node(&mut self, level: u8, text: &str) {
        self.close_lists();
        let heading = self.node(NodeValue::Heading(NodeHeading { level, setext: false, closed: false }));
        heading.append(self.text_node(&one_line(text)));
        self.root.append(heading);
    }

    fn heading(&mut self, p: &Paragraph) {
        let text = plain_text(&p.inlines);
        let label = p.numbering.as_ref().map(|(number, _)| number.label.as_str());
        match role(label, &text, self.template) {
            Role::Question(question) => {
                let id = question.id.get_ref();
                let template = self.template;
                if let Some(section) =
                    template.sections.iter().find(|s| s.questions.iter().any(|q| q.id == question.id))
                {
                    self.section_heading(section);
                }
                let translations: Vec<&str> = question.text_translations.values().map(String::as_str).collect();
                let words = self.own_words(p.number, &text, (&question.text, &translations), id, &format!("## {id}"));
                self.heading_node(2, &format!("{id} {words}"));
                self.in_answer = Some(id.clone());
                self.seen_question = true;
                self.seen_content = true;
            }
            Role::Section(section) => {
                self.section_heading_in_words(section, p.number, &text);
                self.in_answer = None;
            }
            Role::KeyFindings | Role::ExecutiveSummary if text.trim().is_empty() => {}
            // The NCP's own words where emn-pub reads them as key findings
            // ("Hlavní zjištění"), else the English.
            Role::KeyFindings => {
                let own = text.trim().trim_end_matches(':').trim();
                let kind = crate::load::document::section_kind(own);
                let words =
                    if kind == crate::load::SectionKind::KeyFindings { own.to_string() } else { "Key findings".into() };
                self.free_heading(&words)
            }
            Role::ExecutiveSummary => self.free_heading("Executive summary"),
            Role::Other if text.trim().is_empty() => {}
            Role::Other => {
                let shown = match label {
                    Some(label) => format!("{label} {text}"),
                    None => text.clone(),
                };
                self.seen_content = true;
                let (level, kept_as) = match &self.in_answer {
                    Some(id) => (3, format!("a sub-heading of {id}")),
                    None => (1, "a section of its own".to_string()),
                };
                self.report.push(format!(
                    "paragraph {}: the heading \"{shown}\" is not a template question; kept as {kept_as}",
                    p.number
                ));
                self.heading_node(level, &shown);
            }
        }
    }

    /// The words a question's or section's heading is written with: the
    /// NCP's own when they are not the template's (a translated or reworded
    /// heading, "Otázka 1.2 Popište …"), the template's when the heading
    /// gives none or a shortened form of them. The heading keeps the id in
    /// front, so it opens exactly one answer; a reworded one is reported.
    fn own_words(
        &mut self,
        number: usize,
        heading: &str,
        (template_text, translations): (&str, &[&str]),
        what: &str,
        prefix: &str,
    ) -> String {
        let (_, own) = leading_number(heading.trim());
        let own = one_line(own.trim());
        let (mine, theirs) = (normalize(&own), normalize(template_text));
        // The template's own words in another language (its Word template
        // for that language wrote them): kept as they are, nothing to say.
        if translations.iter().any(|translation| normalize(translation) == mine) {
            return own;
        }
        if mine.is_empty() || theirs.starts_with(&mine) || mine.starts_with(&theirs) {
            if !mine.is_empty() && mine != theirs {
                self.report.push(format!(
                    "paragraph {number}: the heading \"{}\" is taken as {what}; written with the template's full words",
                    heading.trim()
                ));
            }
            return template_text.to_string();
        }
        self.report.push(format!(
            "paragraph {number}: the heading \"{}\" is taken as {what} by its number; written as \"{prefix} {own}\", in the NCP's words",
            heading.trim()
        ));
        own
    }

    /// A template section's heading, once.
    fn section_heading(&mut self, section: &Section) {
        if self.sections.insert(section.id.clone()) {
            self.heading_node(1, &format!("{} {}", section.id, section.title.as_str()));
        }
    }

    /// A section's heading as the Word file gives it (its id in front, so
    /// `validate` reads it as the template's section), once.
    fn section_heading_in_words(&mut self, section: &Section, number: usize, heading: &str) {
        if self.sections.insert(section.id.clone()) {
            let translations: Vec<&str> = section.title_translations.values().map(String::as_str).collect();
            let words = self.own_words(
                number,
                heading,
                (&section.title, &translations),
                &format!("section {}", section.id),
                &format!("# {}", section.id),
            );
            self.heading_node(1, &format!("{} {words}", section.id));
        }
    }

    fn free_heading(&mut self, heading: &str) {
        self.heading_node(1, heading);
        self.in_answer = None;
        self.seen_question = true;
        self.seen_content = true;
    }

    fn paragraph(&mut self, p: &Paragraph) {
        // What to write, as emn-pub's Word template gives it (the style of
        // its editorial notes): a comment, as in the Markdown skeleton.
        if p.style == "editorial note" {
            let words = one_line(plain_text(&p.inlines).trim()).replace("--", "‐‐");
            if !words.is_empty() {
                self.close_lists();
                let literal = format!("<!-- {words} -->\n");
                let comment = self.node(NodeValue::HtmlBlock(comrak::nodes::NodeHtmlBlock { block_type: 2, literal }));
                self.root.append(comment);
            }
            return;
        }
        let has_image = p.inlines.iter().any(|i| matches!(i, Inline::Image { .. } | Inline::Note(_)));
        if plain_text(&p.inlines).is_empty() && !has_image {
            return;
        }
        self.before_first_question(p.number);
        match &p.numbering {
            Some((number, level)) => {
                // Markdown numbers lists with digits only: a lettered or
                // Roman label ("(b)", "iii)") is kept as the item's first
                // words, so "point (b)" in the text still finds it.
                let decimal = number.label.contains(&number.value.to_string());
                let numbered = number.ordered && decimal;
                let label = (number.ordered && !decimal).then(|| format!("{}\u{a0}", number.label.trim()));
                let item = self.list_item(*level, numbered, number.value);
                let paragraph = self.inline_block(&p.inlines, label.as_deref(), false);
                item.append(paragraph);
            }
            // A paragraph without a number in a list style, right after
            // list items ("List Paragraph", "List Continue"): a further
            // paragraph of the item above.
            None if !self.lists.is_empty() && is_list_continuation(&p.style) => {
                let paragraph = self.inline_block(&p.inlines, None, false);
                let open = self.lists.last().expect("a list is open");
                if let NodeValue::List(list) = &mut open.list.data_mut().value {
                    list.tight = false;
                }
                open.item.append(paragraph);
            }
            None => {
                self.close_lists();
                let paragraph = self.inline_block(&p.inlines, None, false);
                self.root.append(paragraph);
            }
        }
    }

    /// A new item at `level`, in the open list when it continues it, else
    /// in a new list (Word's "Restart numbering" starts a new one).
    fn list_item(&mut self, level: u8, numbered: bool, value: u32) -> Node<'n> {
        while self.lists.last().is_some_and(|open| open.level > level) {
            self.lists.pop();
        }
        let continues = self
            .lists
            .last()
            .is_some_and(|open| open.level == level && open.numbered == numbered && (!numbered || open.next == value));
        if !continues {
            if self.lists.last().is_some_and(|open| open.level == level) {
                self.lists.pop();
            }
            let list = NodeList {
                list_type: if numbered { ListType::Ordered } else { ListType::Bullet },
                start: if numbered { value as usize } else { 0 },
                delimiter: ListDelimType::Period,
                bullet_char: b'-',
                tight: true,
                padding: 2,
                ..Default::default()
            };
            let node = self.node(NodeValue::List(list));
            match self.lists.last() {
                Some(parent) => parent.item.append(node),
                None => self.root.append(node),
            }
            self.lists.push(OpenList { level, list: node, item: node, numbered, next: value });
        }
        let open = self.lists.last_mut().expect("a list is open");
        let NodeValue::List(list) = open.list.data().value.clone() else { unreachable!("an open list is a list") };
        let item = self.arena.alloc(NodeValue::Item(list).into());
        open.list.append(item);
        open.item = item;
        open.next = value + 1;
        item
    }

    fn close_lists(&mut self) {
        self.lists.clear();
    }

    fn table(&mut self, rows: &[Vec<Vec<Paragraph>>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let table = self.node(NodeValue::Table(Box::new(NodeTable {
            alignments: vec![TableAlignment::None; columns],
            num_columns: columns,
            num_rows: rows.len(),
            num_nonempty_cells: 0,
        })));
        for (index, row) in rows.iter().enumerate() {
            let row_node = self.node(NodeValue::TableRow(index == 0));
            for column in 0..columns {
                let cell = self.node(NodeValue::TableCell);
                if let Some(paragraphs) = row.get(column) {
                    // A list in a cell keeps its markers as text (a table
                    // cell holds no Markdown list); paragraphs run on.
                    let mut inlines = Vec::new();
                    for p in paragraphs {
                        if !inlines.is_empty() {
                            inlines.push(Inline::Text(" ".into(), RunStyle::default()));
                        }
                        match &p.numbering {
                            Some((number, _)) if number.ordered => {
                                inlines.push(Inline::Text(format!("{} ", number.label.trim()), RunStyle::default()))
                            }
                            Some(_) => inlines.push(Inline::Text("• ".into(), RunStyle::default())),
                            None => {}
                        }
                        inlines.extend(p.inlines.iter().cloned());
                    }
                    let content = self.inline_block(&inlines, None, true);
                    let children: Vec<Node<'n>> = content.children().collect();
                    for child in children {
                        child.detach();
                        cell.append(child);
                    }
                }
                row_node.append(cell);
            }
            table.append(row_node);
        }
        self.root.append(table);
    }

    /// The footnotes referenced, in order of first reference (a note that
    /// references another adds it to the end).
    fn footnote_definitions(&mut self) {
        let mut written = 0;
        while written < self.footnotes.len() {
            let id = self.footnotes[written].clone();
            written += 1;
            let definition = self.node(NodeValue::FootnoteDefinition(NodeFootnoteDefinition {
                name: written.to_string(),
                total_references: 0,
            }));
            let notes = self.notes;
            for block in notes.get(&id).map(Vec::as_slice).unwrap_or_default() {
                // A table inside a footnote becomes its text.
                let inlines = match block {
                    Block::Paragraph(p) => p.inlines.clone(),
                    Block::Table { rows, .. } => {
                        let mut inlines = Vec::new();
                        for p in rows.iter().flatten().flatten() {
                            inlines.extend(p.inlines.iter().cloned());
                            inlines.push(Inline::Text(" ".into(), RunStyle::default()));
                        }
                        inlines
                    }
                };
                if !plain_text(&inlines).is_empty() || inlines.iter().any(|i| matches!(i, Inline::Image { .. })) {
                    let paragraph = self.inline_block(&inlines, None, false);
                    definition.append(paragraph);
                }
            }
            if definition.first_child().is_none() {
                let missing = if notes.contains_key(&id) {
                    "(the footnote is empty in the Word file)"
                } else {
                    "(the footnote's text is missing in the Word file)"
                };
                let paragraph = self.node(NodeValue::Paragraph);
                paragraph.append(self.text_node(missing));
                definition.append(paragraph);
            }
            self.root.append(definition);
        }
    }

    /// A paragraph node holding `inlines` (after `label`, if any); in a
    /// table cell, line breaks become spaces. Read back through the
    /// Markdown parser, and written again without emphasis if its text
    /// does not come back as it was.
    fn inline_block(&mut self, inlines: &[Inline], label: Option<&str>, in_cell: bool) -> Node<'n> {
        let inlines = trimmed(inlines);
        for plain in [false, true] {
            let paragraph = self.node(NodeValue::Paragraph);
            if let Some(label) = label {
                paragraph.append(self.text_node(label));
            }
            self.inlines(paragraph, &inlines, in_cell, plain);
            self.escape_after_notes(paragraph);
            if plain || reads_back(self.arena, paragraph) {
                return paragraph;
            }
        }
        unreachable!("the plain pass returns")
    }

    /// A footnote's mark followed by `(` or `:` would read as a link
    /// (`[^1](…)`) or, opening a line, as the note's definition (`[^1]:`);
    /// the formatter does not escape there, so that character is written
    /// escaped by hand.
    fn escape_after_notes(&self, parent: Node<'n>) {
        let marks: Vec<Node<'n>> =
            parent.descendants().filter(|node| matches!(node.data().value, NodeValue::FootnoteReference(_))).collect();
        for mark in marks {
            let Some(next) = mark.next_sibling() else { continue };
            let (first, rest) = match &next.data().value {
                NodeValue::Text(text) if text.starts_with(['(', ':']) => (text[..1].to_string(), text[1..].to_string()),
                _ => continue,
            };
            mark.insert_after(self.node(NodeValue::Raw(format!("\\{first}"))));
            next.data_mut().value = NodeValue::Text(rest.into());
        }
    }

    /// Appends `inlines` to `parent`: consecutive text runs as one group,
    /// their emphasis nested (see [`Writer::styled`]) unless `plain`.
    fn inlines(&mut self, parent: Node<'n>, inlines: &[Inline], in_cell: bool, plain: bool) {
        let mut group: Vec<(String, RunStyle)> = Vec::new();
        let flush = |writer: &Self, group: &mut Vec<(String, RunStyle)>| {
            let runs: Vec<(&str, RunStyle)> = group.iter().map(|(text, style)| (text.as_str(), *style)).collect();
            writer.styled(parent, &runs, RunStyle::default());
            group.clear();
        };
        for (index, inline) in inlines.iter().enumerate() {
            if let Inline::Text(text, style) = inline {
                // A line feed or tab in Word's text is no line of Markdown.
                let text = text.replace(|c: char| c.is_control(), " ");
                group.push((text, if plain { RunStyle::default() } else { *style }));
                continue;
            }
            flush(self, &mut group);
            match inline {
                Inline::Text(..) => {}
                // A break that ends the paragraph or a cell's line is a space.
                Inline::LineBreak if in_cell || index + 1 == inlines.len() => parent.append(self.text_node(" ")),
                Inline::LineBreak => parent.append(self.node(NodeValue::LineBreak)),
                Inline::Note(id) => {
                    let name = self.footnote(id);
                    parent.append(self.node(NodeValue::FootnoteReference(Box::new(NodeFootnoteReference {
                        name,
                        ..Default::default()
                    }))));
                }
                Inline::Link { url, content } => {
                    let link =
                        self.node(NodeValue::Link(Box::new(NodeLink { url: safe_url(url), title: String::new() })));
                    if plain_text(content).is_empty() {
                        link.append(self.text_node(url));
                    } else {
                        // Markdown has no link inside a link: an inner one keeps its text.
                        self.inlines(link, &without_links(content), in_cell, plain);
                    }
                    parent.append(link);
                }
                Inline::Image { part, alt } => self.image(parent, part, alt),
            }
        }
        flush(self, &mut group);
    }

    /// Runs of text with their emphasis, nested as the reader sees it: a
    /// style every run of the group has (beyond the `active` ones) opens
    /// once around the whole group, so an italic sentence with a
    /// bold-italic stretch is `*… **stretch** …*`, never
    /// `*…* ***stretch****.*`. Whitespace stays outside the markers
    /// (CommonMark needs it there).
    fn styled(&self, parent: Node<'n>, runs: &[(&str, RunStyle)], active: RunStyle) {
        let text: String = runs.iter().map(|(text, _)| *text).collect();
        if text.trim().is_empty() {
            if !text.is_empty() {
                parent.append(self.text_node(&text));
            }
            return;
        }
        // Only runs with visible text decide what is common.
        let visible = runs.iter().filter(|(text, _)| !text.trim().is_empty());
        let common = visible.fold(RunStyle { bold: true, italic: true, strike: true }, |all, (_, style)| RunStyle {
            bold: all.bold && style.bold && !active.bold,
            italic: all.italic && style.italic && !active.italic,
            strike: all.strike && style.strike && !active.strike,
        });
        if common != RunStyle::default() {
            let leading = text.len() - text.trim_start().len();
            let trailing = text.len() - text.trim_end().len();
            if leading > 0 {
                parent.append(self.text_node(&text[..leading]));
            }
            let mut inner = parent;
            for (on, value) in [
                (common.strike, NodeValue::Strikethrough),
                (common.bold, NodeValue::Strong),
                (common.italic, NodeValue::Emph),
            ] {
                if on {
                    let node = self.node(value);
                    inner.append(node);
                    inner = node;
                }
            }
            let inner_active = RunStyle {
                bold: active.bold || common.bold,
                italic: active.italic || common.italic,
                strike: active.strike || common.strike,
            };
            self.styled(inner, &cut(runs, leading, trailing), inner_active);
            if trailing > 0 {
                parent.append(self.text_node(&text[text.len() - trailing..]));
            }
            return;
        }
        // Nothing common: runs of one style each, as their own groups.
        let extra = |style: RunStyle| RunStyle {
            bold: style.bold && !active.bold,
            italic: style.italic && !active.italic,
            strike: style.strike && !active.strike,
        };
        let mut start = 0;
        while start < runs.len() {
            let style = extra(runs[start].1);
            let end = start + runs[start..].iter().take_while(|(_, s)| extra(*s) == style).count();
            if style == RunStyle::default() {
                let plain: String = runs[start..end].iter().map(|(text, _)| *text).collect();
                parent.append(self.text_node(&plain));
            } else {
                self.styled(parent, &runs[start..end], active);
            }
            start = end;
        }
    }

    /// The footnote's number (its Markdown label), given at its first reference.
    fn footnote(&mut self, id: &str) -> String {
        let number = match self.footnotes.iter().position(|f| f == id) {
            Some(index) => index + 1,
            None => {
                self.footnotes.push(id.to_string());
                self.footnotes.len()
            }
        };
        number.to_string()
    }

    /// The file a Word picture part is written to: its safe name, made
    /// unique (without case: Windows and macOS fold it) when another part's
    /// name sanitises alike (`a b.png` and `a-b.png`, `media/image1.png`
    /// and `media2/image1.png`), so no picture overwrites another.
    fn image_path(&self, part: &str) -> String {
        if let Some(path) = self.images.get(part) {
            return path.clone();
        }
        let name = safe_file_name(part.rsplit('/').next().unwrap_or(part));
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, extension)) => (stem.to_string(), format!(".{extension}")),
            None => (name.clone(), String::new()),
        };
        (1..)
            .map(|n| match n {
                1 => format!("{}/{name}", self.image_folder),
                n => format!("{}/{stem}-{n}{extension}", self.image_folder),
            })
            .find(|path| !self.taken_paths.contains(&path.to_lowercase()))
            .expect("some number is free")
    }

    fn image(&mut self, parent: Node<'n>, part: &str, alt: &str) {
        let path = self.image_path(part);
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        let alt = one_line(alt);
        if !self.parts.contains(part) {
            self.report_once(format!(
                "the picture {part} is named in the Word file but not in it: left out{}",
                if alt.is_empty() { String::new() } else { format!(", its alt text \"{alt}\" kept as text") }
            ));
            if !alt.is_empty() {
                parent.append(self.text_node(&alt));
            }
            return;
        }
        if alt.is_empty() {
            self.report_once(format!(
                "the image {name} has no alt text in Word: describe it between the brackets in the Markdown"
            ));
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !["png", "jpg", "jpeg", "gif", "webp", "svg"].contains(&extension.as_str()) {
            let line = format!(
                "the image {name} is a .{extension} file, which cannot be typeset: convert it to PNG or SVG in {} and change its reference in the Markdown",
                self.image_folder
            );
            self.report_once(line);
        }
        self.taken_paths.insert(path.to_lowercase());
        self.images.insert(part.to_string(), path.clone());
        self.last_image_alt = Some(alt.clone());
        // The contribution is `contributions/CC.md`: its images are one folder up.
        let image = self.node(NodeValue::Image(Box::new(NodeLink { url: format!("../{path}"), title: String::new() })));
        if !alt.is_empty() {
            image.append(self.text_node(&alt));
        }
        parent.append(image);
    }
}

/// The Markdown with every line longer than `max` bytes broken at spaces
/// into lines of a paragraph (a soft break reads as the space it
/// replaces), so one long Word paragraph never becomes a line `validate`
/// refuses. A break goes only before a letter, where no Markdown block can
/// start; table rows are not broken. Returns the lines left too long.
pub fn wrap_long_lines(markdown: &str, max: usize) -> (String, usize) {
    if markdown.lines().all(|line| line.len() <= max) {
        return (markdown.to_string(), 0);
    }
    let mut out = String::with_capacity(markdown.len() + markdown.len() / max + 1);
    let mut unbroken = 0;
    for line in markdown.split_inclusive('\n') {
        let (text, newline) = line.strip_suffix('\n').map_or((line, ""), |text| (text, "\n"));
        if text.len() <= max || text.trim_start().starts_with('|') {
            unbroken += usize::from(text.len() > max * 2);
            out.push_str(line);
            continue;
        }
        let indent = &text[..text.len() - text.trim_start().len()];
        let mut rest = text;
        while rest.len() > max {
            let window = &rest[..rest.floor_char_boundary(max)];
            let at = window
                .char_indices()
                .rev()
                .find(|(i, c)| *c == ' ' && *i > indent.len() && rest[i + 1..].starts_with(char::is_alphabetic))
                .map(|(i, _)| i);
            let Some(at) = at else { break };
            out.push_str(&rest[..at]);
            out.push('\n');
            out.push_str(indent);
            rest = &rest[at + 1..];
        }
        unbroken += usize::from(rest.len() > max * 2);
        out.push_str(rest);
        out.push_str(newline);
    }
    (out, unbroken)
}

/// `inlines` with every link replaced by its text.
fn without_links(inlines: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Link { content, .. } => out.extend(without_links(content)),
            other => out.push(other.clone()),
        }
    }
    out
}

/// Paragraph styles Word uses for the document's own title block.
fn is_metadata(style: &str) -> bool {
    ["title", "subtitle", "author", "date"].contains(&style)
}

/// `inlines` without the whitespace that opens and closes the paragraph.
fn trimmed(inlines: &[Inline]) -> Vec<Inline> {
    let blank = |inline: Option<&Inline>| match inline {
        Some(Inline::LineBreak) => true,
        Some(Inline::Text(text, _)) => text.trim().is_empty(),
        _ => false,
    };
    let mut inlines = inlines.to_vec();
    while blank(inlines.first()) {
        inlines.remove(0);
    }
    while blank(inlines.last()) {
        inlines.pop();
    }
    if let Some(Inline::Text(text, _)) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text(text, _)) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines
}

/// `runs` without their first `leading` and last `trailing` bytes.
fn cut<'r>(runs: &[(&'r str, RunStyle)], leading: usize, trailing: usize) -> Vec<(&'r str, RunStyle)> {
    let total: usize = runs.iter().map(|(text, _)| text.len()).sum();
    let (from, to) = (leading, total - trailing);
    let mut out = Vec::new();
    let mut offset = 0;
    for (text, style) in runs {
        let (start, end) = (offset, offset + text.len());
        offset = end;
        let (a, b) = (from.max(start), to.min(end));
        if a < b {
            out.push((&text[a - start..b - start], *style));
        }
    }
    out
}

/// Whether the paragraph's Markdown, parsed again, gives back its text:
/// no emphasis marker became text and no text became a marker.
fn reads_back<'n>(arena: &'n Arena<'n>, paragraph: Node<'n>) -> bool {
    let options = crate::load::markdown::options();
    let document = arena.alloc(NodeValue::Document.into());
    document.append(paragraph);
    let mut markdown = String::new();
    let _ = comrak::format_commonmark(document, &options, &mut markdown);
    paragraph.detach();
    // References need their definitions to be read as references.
    for node in paragraph.descendants() {
        if let NodeValue::FootnoteReference(reference) = &node.data().value {
            markdown.push_str(&format!("\n[^{}]: note\n", reference.name));
        }
    }
    let parsed_arena = Arena::new();
    let parsed = comrak::parse_document(&parsed_arena, &markdown, &options);
    let written = parsed.first_child().map(|first| squeezed(&node_text(first))).unwrap_or_default();
    written == squeezed(&node_text(paragraph))
}

/// The text a reader sees in a node, with references, links and images
/// marked apart from any text (control characters never occur in it).
fn node_text<'n>(node: Node<'n>) -> String {
    let mut out = String::new();
    for child in node.children() {
        match &child.data().value {
            NodeValue::Text(text) => out.push_str(text),
            NodeValue::Raw(text) => out.push_str(text.trim_start_matches('\\')),
            NodeValue::Code(code) => out.push_str(&code.literal),
            NodeValue::LineBreak | NodeValue::SoftBreak => out.push('\n'),
            NodeValue::FootnoteReference(reference) => out.push_str(&format!("\u{1}{}\u{2}", reference.name)),
            NodeValue::Image(image) => out.push_str(&format!("\u{3}{}\u{4}{}\u{5}", node_text(child), image.url)),
            NodeValue::Link(link) => out.push_str(&format!("\u{6}{}\u{4}{}\u{5}", node_text(child), link.url)),
            _ => out.push_str(&node_text(child)),
        }
    }
    out
}

fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading's or alt text's words on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link target as Markdown reads it whole: spaces and brackets encoded.
fn safe_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Word's styles for a further paragraph of a list item.
fn is_list_continuation(style: &str) -> bool {
    style == "list paragraph" || style.starts_with("list continue")
}

/// A picture's file name as a Markdown link can hold it unescaped:
/// letters, digits, `.`, `-` and `_` kept, anything else (spaces,
/// parentheses, line breaks) a `-`. `media/my image (1).png` → `my-image-1-.png`.
fn safe_file_name(name: &str) -> String {
    let mut safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect();
    while safe.contains("--") {
        safe = safe.replace("--", "-");
    }
    let safe = safe.trim_start_matches('-').to_string();
    if safe.is_empty() || safe.starts_with('.') { format!("image{safe}") } else { safe }
}

/// How a Word heading maps to the template: by the number in front
/// (`Q1.2`, `Q 1.2.`, `Question 1.2`, `1.2`, or Word's automatic number),
/// else by the question's own text.
fn role<'t>(label: Option<&str>, text: &str, template: &'t Template) -> Role<'t> {
    let (own_number, rest) = leading_number(text.trim());
    let wanted = normalize(rest);
    match wanted.as_str() {
        "key findings" | "main findings" | "hlavní zjištění" => return Role::KeyFindings,
        "executive summary" | "summary" | "shrnutí" => return Role::ExecutiveSummary,
        _ => {}
    }
    // The question's own text first: when an NCP deletes an optional
    // question, Word renumbers the ones after it. Then the number typed in
    // the heading, then Word's automatic number.
    if let Some(question) = template.questions().find(|q| normalize(&q.text) == wanted) {
        return Role::Question(question);
    }
    let label_number = label.and_then(|label| leading_number(label.trim()).0);
    for number in [own_number, label_number].into_iter().flatten() {
        if let Some(question) = template.questions().find(|q| numeric_part(q.id.get_ref()) == number) {
            return Role::Question(question);
        }
        if let Some(section) = template.sections.iter().find(|s| numeric_part(&s.id) == number) {
            return Role::Section(section);
        }
    }
    let similar = |candidate: &str| {
        let candidate = normalize(candidate);
        wanted.chars().count() >= 20 && (candidate.starts_with(&wanted) || wanted.starts_with(&candidate))
    };
    if let Some(question) = template.questions().find(|q| similar(&q.text)) {
        return Role::Question(question);
    }
    if let Some(section) = template.sections.iter().find(|s| normalize(&s.title) == wanted) {
        return Role::Section(section);
    }
    Role::Other
}

/// Words that may stand before a question or section number.
const NUMBER_PREFIXES: &[&str] = &["q", "question", "otázka", "frage", "section", "oddíl", "part", "část"];

/// The number a heading starts with (`Q1.2.` → `1.2`) and the text after it.
fn leading_number(text: &str) -> (Option<String>, &str) {
    let mut rest = text.trim_start();
    let word_end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
    if word_end > 0 && NUMBER_PREFIXES.contains(&rest[..word_end].to_lowercase().as_str()) {
        let after = rest[word_end..].trim_start_matches([' ', '.', ':', '\u{a0}']);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            rest = after;
        }
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let number = rest[..end].trim_end_matches('.');
    let after = &rest[end..];
    let ends_well = after.is_empty() || after.starts_with([' ', ':', ')', '\u{a0}', '\t', '–', '-']);
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) || !ends_well {
        return (None, text);
    }
    (Some(number.to_string()), after.trim_start_matches([' ', ':', ')', '\u{a0}', '\t', '–', '-']))
}

/// `Q1.2` → `1.2`.
fn numeric_part(id: &str) -> &str {
    id.trim_start_matches(|c: char| !c.is_ascii_digit()).trim_end_matches('.')
}

/// Lower case, single spaces, no trailing punctuation: for comparing texts.
fn normalize(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").to_lowercase().trim_end_matches(['?', '.', ':', '!']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in study template the tests map headings to.
    fn study_template() -> Template {
        let text = crate::load::template::built_in("study-generic").unwrap();
        crate::load::template::parse("study-generic.toml", text).0.unwrap()
    }

    #[test]
    fn headings_find_their_number_whatever_the_prefix() {
        for heading in
            ["Q1.2 Please describe", "Q 1.2. Please describe", "Question 1.2: Please describe", "1.2 Please describe"]
        {
            assert_eq!(leading_number(heading), (Some("1.2".to_string()), "Please describe"), "{heading}");
        }
        assert_eq!(leading_number("2019 was a year").0.as_deref(), Some("2019"));
        assert_eq!(leading_number("Introduction").0, None);
        assert_eq!(leading_number("Q1.2a Other").0, None);
        assert_eq!(numeric_part("Q1.2"), "1.2");
    }

    #[test]
    fn headings_map_by_text_then_typed_number_then_word_number() {
        let template = study_template();
        let id = |label: Option<&str>, heading: &str| match role(label, heading, &template) {
            Role::Question(q) => q.id.get_ref().clone(),
            Role::Section(s) => format!("section {}", s.id),
            Role::KeyFindings => "key findings".into(),
            Role::ExecutiveSummary => "executive summary".into(),
            Role::Other => "other".into(),
        };
        assert_eq!(id(Some("2"), "Q1.1 As Word numbered it"), "Q1.1");
        assert_eq!(id(Some("3.1"), "What challenges and good practices have been identified?"), "Q3.2");
        assert_eq!(id(Some("2.2"), "Some sub-heading"), "Q2.2");
        assert_eq!(id(Some("1"), "Key findings"), "key findings");
        assert_eq!(id(None, "2 Implementation in practice"), "section 2");
        assert_eq!(id(None, "Background"), "other");
    }

    #[test]
    fn picture_names_become_safe_link_targets() {
        assert_eq!(safe_file_name("my image (1).png"), "my-image-1-.png");
        assert_eq!(safe_file_name("line\nbreak.png"), "line-break.png");
        assert_eq!(safe_file_name("image1.png"), "image1.png");
        assert_eq!(safe_file_name("(().png"), "image.png");
    }

    #[test]
    fn a_heading_matched_by_its_number_keeps_its_words_in_one_heading() {
        let template = study_template();
        let notes = BTreeMap::new();
        let heading = |text: &str, level| {
            Block::Paragraph(Paragraph {
                number: 1,
                heading: Some(level),
                style: String::new(),
                numbering: None,
                inlines: vec![Inline::Text(text.into(), RunStyle::default())],
            })
        };
        let (markdown, _, report) =
            write(&template, "assets/XX", &notes, &BTreeSet::new(), &[heading("1.1 Background", 2)]);
        assert!(markdown.contains("## Q1.1 Background\n"), "{markdown}");
        assert_eq!(markdown.matches("Q1.1").count(), 1, "one heading opens Q1.1: {markdown}");
        assert!(!markdown.contains("###"), "no second heading: {markdown}");
        assert!(report.iter().any(|line| line.contains("taken as Q1.1 by its number")), "{report:?}");
    }

    #[test]
    fn lettered_and_roman_labels_are_kept() {
        let template = study_template();
        let notes = BTreeMap::new();
        let item = |label: &str, value| {
            Block::Paragraph(Paragraph {
                number: 1,
                heading: None,
                style: String::new(),
                numbering: Some((super::super::styles::Number { label: label.into(), value, ordered: true }, 0)),
                inlines: vec![Inline::Text("point".into(), RunStyle::default())],
            })
        };
        let (markdown, _, _) = write(
            &template,
            "assets/XX",
            &notes,
            &BTreeSet::new(),
            &[item("(a)", 1), item("(b)", 2), item("iii)", 3), item("4.", 4)],
        );
        assert!(markdown.contains("- (a)\u{a0}point\n- (b)\u{a0}point\n- iii)\u{a0}point\n"), "{markdown:?}");
        // The numbered item is a list of its own, starting at its number.
        assert!(markdown.contains("\n4. point"), "{markdown:?}");
        let parsed = crate::load::markdown::parse(&markdown, 1, "x.md");
        let lists = parsed.blocks.iter().filter(|b| matches!(b, crate::load::markdown::Block::List { .. })).count();
        assert_eq!(lists, 2, "{markdown}");
    }

    #[test]
    fn a_further_paragraph_of_a_list_item_stays_in_the_item() {
        let template = study_template();
        let notes = BTreeMap::new();
        let paragraph = |text: &str, style: &str, numbered: Option<u32>| {
            Block::Paragraph(Paragraph {
                number: 1,
                heading: None,
                style: style.into(),
                numbering: numbered.map(|value| {
                    (super::super::styles::Number { label: format!("{value}."), value, ordered: true }, 0)
                }),
                inlines: vec![Inline::Text(text.into(), RunStyle::default())],
            })
        };
        let blocks = [
            paragraph("first item", "list paragraph", Some(1)),
            paragraph("more about the first", "list paragraph", None),
            paragraph("second item", "list paragraph", Some(2)),
        ];
        let (markdown, _, _) = write(&template, "assets/XX", &notes, &BTreeSet::new(), &blocks);
        let parsed = crate::load::markdown::parse(&markdown, 1, "x.md");
        let list = parsed.blocks.iter().find_map(|b| match b {
            crate::load::markdown::Block::List { items, .. } => Some(items),
            _ => None,
        });
        let items = list.unwrap_or_else(|| panic!("{markdown}"));
        assert_eq!(items.len(), 2, "{markdown}");
        assert_eq!(items[0].blocks.len(), 2, "the further paragraph is the first item's: {markdown}");
    }

    /// The body text a paragraph of `runs` reads as, once written.
    fn written(runs: &[(&str, RunStyle)]) -> (String, String) {
        let template = study_template();
        let inlines = runs.iter().map(|(text, style)| Inline::Text(text.to_string(), *style)).collect();
        let paragraph =
            Block::Paragraph(Paragraph { number: 1, heading: None, style: String::new(), numbering: None, inlines });
        let (markdown, _, _) = write(&template, "assets/XX", &BTreeMap::new(), &BTreeSet::new(), &[paragraph]);
        let parsed = crate::load::markdown::parse(&markdown, 1, "x.md");
        (markdown, squeezed(&crate::load::markdown::blocks_text(&parsed.blocks)))
    }

    #[test]
    fn a_long_paragraph_becomes_lines_of_one_paragraph() {
        let paragraph = "Word ".repeat(50_000) + "end.";
        let markdown = format!("## Q1.1 A\n\n{paragraph}\n\n- item {}\n", "b ".repeat(3000));
        let (wrapped, unbroken) = wrap_long_lines(&markdown, 1000);
        assert_eq!(unbroken, 0);
        assert!(wrapped.lines().all(|line| line.len() <= 1000));
        let text = |markdown: &str| {
            let parsed = crate::load::markdown::parse(markdown, 1, "x.md");
            crate::load::markdown::blocks_text(&parsed.blocks).split_whitespace().collect::<Vec<_>>().join(" ")
        };
        assert_eq!(text(&wrapped), text(&markdown), "the same words in the same blocks");
        assert_eq!(
            crate::load::markdown::parse(&wrapped, 1, "x.md").blocks.len(),
            crate::load::markdown::parse(&markdown, 1, "x.md").blocks.len()
        );
    }

    #[test]
    fn footnotes_and_addresses_are_written_as_people_write_them() {
        let written = as_people_write_it(
            "Text.[^1]\n\n[^1]:\n    Zákon č. 435/2004 Sb.\n    second line\n\nMail ncp\\@mvcr.cz.\n",
        );
        assert_eq!(written, "Text.[^1]\n\n[^1]: Zákon č. 435/2004 Sb.\n    second line\n\nMail ncp@mvcr.cz.\n");
        let parse = |markdown: &str| {
            let parsed = crate::load::markdown::parse(markdown, 1, "x.md");
            crate::load::markdown::blocks_text(&parsed.footnotes["1"])
        };
        assert_eq!(parse(&written), parse("Text.[^1]\n\n[^1]:\n    Zákon č. 435/2004 Sb.\n    second line\n"));
    }

    #[test]
    fn pictures_whose_names_sanitise_alike_get_files_of_their_own() {
        let template = study_template();
        let parts = ["word/media/a b.png", "word/media/a-b.png", "word/media/image1.png", "word/media2/IMAGE1.png"];
        let inlines: Vec<Inline> = parts
            .iter()
            .chain(&["word/media/a b.png"])
            .map(|part| Inline::Image { part: part.to_string(), alt: "A chart".into() })
            .collect();
        let paragraph =
            Block::Paragraph(Paragraph { number: 1, heading: None, style: String::new(), numbering: None, inlines });
        let present: BTreeSet<String> = parts.iter().map(|p| p.to_string()).collect();
        let (markdown, images, _) = write(&template, "assets/XX", &BTreeMap::new(), &present, &[paragraph]);
        assert_eq!(images.len(), 4, "{images:?}");
        let files: BTreeSet<String> = images.values().map(|p| p.to_lowercase()).collect();
        assert_eq!(files.len(), 4, "no two pictures share a file: {images:?}");
        assert_eq!(
            markdown.matches("../assets/XX/a-b.png").count(),
            2,
            "a picture shown twice is one file: {markdown}"
        );
    }

    #[test]
    fn a_picture_missing_from_the_zip_is_reported_and_its_alt_text_kept() {
        let template = study_template();
        let inlines = vec![
            Inline::Text("Before ".into(), RunStyle::default()),
            Inline::Image { part: "word/media/image1.gif".into(), alt: "A chart of permits".into() },
        ];
        let paragraph =
            Block::Paragraph(Paragraph { number: 1, heading: None, style: String::new(), numbering: None, inlines });
        let (markdown, images, report) =
            write(&template, "assets/XX", &BTreeMap::new(), &BTreeSet::new(), &[paragraph]);
        assert!(images.is_empty(), "{images:?}");
        assert_eq!(markdown.trim(), "Before A chart of permits");
        assert!(
            report.iter().any(|line| line.contains("word/media/image1.gif") && line.contains("left out")),
            "{report:?}"
        );
    }

    #[test]
    fn the_introduction_is_one_line_of_the_report() {
        let template = study_template();
        let paragraph = |number, text: &str, heading| {
            Block::Paragraph(Paragraph {
                number,
                heading,
                style: String::new(),
                numbering: None,
                inlines: vec![Inline::Text(text.into(), RunStyle::default())],
            })
        };
        let before = [paragraph(1, "Foreword", None), paragraph(2, "Background", Some(1)), paragraph(5, "More", None)];
        let (_, _, report) = write(&template, "assets/XX", &BTreeMap::new(), &BTreeSet::new(), &before);
        let introduction: Vec<&String> = report.iter().filter(|line| line.contains("introduction")).collect();
        assert_eq!(introduction.len(), 1, "{report:?}");
        assert!(introduction[0].starts_with("paragraphs 1–5: no heading matched a template question"), "{report:?}");
        let mut answered = before.to_vec();
        answered.push(paragraph(6, "Q1.1 Does your Member State have a specific national strategy", Some(2)));
        answered.push(paragraph(7, "Yes.", None));
        let (_, _, report) = write(&template, "assets/XX", &BTreeMap::new(), &BTreeSet::new(), &answered);
        assert!(
            report.iter().any(|line| line.starts_with("paragraphs 1–5: text before the first question")),
            "{report:?}"
        );
    }

    #[test]
    fn text_stays_text() {
        let plain = RunStyle::default();
        for text in [
            "a*b_[c](d) <e> #1 | & ~ `x` \\ !",
            "- not a list",
            "2019. A year",
            "1) neither",
            "# not a heading",
            "> not a quote",
            "| a | b |",
            "[^1] is no footnote",
            "<!-- not a comment -->",
            "***",
            "```",
            "=====",
            "[ ] no task",
            "www.example.com and a@b.eu stay text",
        ] {
            let (markdown, read) = written(&[(text, plain)]);
            assert_eq!(read, text, "{markdown}");
        }
        assert!(!written(&[("write to ncp@mvcr.cz", plain)]).0.contains("\\@"), "an address as typed");
        let italic = RunStyle { italic: true, ..Default::default() };
        let both = RunStyle { italic: true, bold: true, ..Default::default() };
        let (markdown, read) = written(&[("This is all in an ", italic), ("italic style", both), (".", italic)]);
        assert_eq!(markdown.trim(), "*This is all in an **italic style**.*");
        assert_eq!(read, "This is all in an italic style.");
        let bold = RunStyle { bold: true, ..Default::default() };
        assert_eq!(written(&[("a ", plain), (" bold ", bold), ("b", plain)]).0.trim(), "a  **bold** b");
    }

    /// One inline of Word's model from a proptest draw.
    fn drawn(kind: u8, text: &str, bits: u8) -> Inline {
        let style = RunStyle { bold: bits & 1 != 0, italic: bits & 2 != 0, strike: bits & 4 != 0 };
        match kind {
            0 => Inline::LineBreak,
            1 => Inline::Note("f1".into()),
            2 => Inline::Link {
                url: format!("https://example.eu/{text}"),
                content: vec![Inline::Text(text.into(), style), Inline::Text("x".into(), RunStyle::default())],
            },
            _ => Inline::Text(text.into(), style),
        }
    }

    /// The text a reader sees of Word's inlines (a note's mark aside).
    fn shown(inlines: &[Inline]) -> String {
        fn text(inlines: &[Inline], out: &mut String) {
            for inline in inlines {
                match inline {
                    Inline::Text(words, _) => out.push_str(words),
                    Inline::LineBreak => out.push(' '),
                    Inline::Link { content, .. } => text(content, out),
                    Inline::Note(_) | Inline::Image { .. } => {}
                }
            }
        }
        let mut out = String::new();
        text(inlines, &mut out);
        squeezed(&out)
    }

    proptest::proptest! {
        /// Text, line breaks, links and footnote marks in any order, in a
        /// paragraph, a list item and a table cell: the Markdown reads back
        /// as the same text.
        #[test]
        fn any_inlines_read_back_as_their_text(
            draws in proptest::collection::vec((0u8..6, "[ab *_~`\\[\\]()!<>#|\\\\.1-]{0,5}", 0u8..8), 1..8),
            place in 0u8..3,
        ) {
            let template = study_template();
            let inlines: Vec<Inline> = draws.iter().map(|(kind, text, bits)| drawn(*kind, text, *bits)).collect();
            let numbering = (place == 1)
                .then(|| (super::super::styles::Number { label: "1.".into(), value: 1, ordered: true }, 0));
            let paragraph = Paragraph { number: 1, heading: None, style: String::new(), numbering, inlines: inlines.clone() };
            let block = if place == 2 {
                Block::Table { number: 1, rows: vec![vec![vec![paragraph]]], caption: String::new() }
            } else {
                Block::Paragraph(paragraph)
            };
            let notes = BTreeMap::from([("f1".to_string(), Vec::new())]);
            let (markdown, _, _) = write(&template, "assets/XX", &notes, &BTreeSet::new(), &[block]);
            let parsed = crate::load::markdown::parse(&markdown, 1, "x.md");
            let read = squeezed(&crate::load::markdown::blocks_text(&parsed.blocks));
            // An empty paragraph or cell is not written at all.
            let expected = shown(&inlines);
            proptest::prop_assert!(read == expected || expected.is_empty(), "{:?} read as {:?}\n{}", expected, read, markdown);
        }

        /// No combination of runs and styles makes a marker of text or
        /// text of a marker: what is read back is what Word showed.
        #[test]
        fn any_runs_read_back_as_their_text(
            runs in proptest::collection::vec(("[ab *_~`\\[\\]()!<>#|\\\\.1-]{0,6}", 0u8..8), 1..8)
        ) {
            let styled: Vec<(&str, RunStyle)> = runs
                .iter()
                .map(|(text, bits)| {
                    (text.as_str(), RunStyle { bold: bits & 1 != 0, italic: bits & 2 != 0, strike: bits & 4 != 0 })
                })
                .collect();
            let text: String = runs.iter().map(|(text, _)| text.as_str()).collect();
            let (markdown, read) = written(&styled);
            proptest::prop_assert_eq!(read, squeezed(&text), "{}", markdown);
        }
    }
}
