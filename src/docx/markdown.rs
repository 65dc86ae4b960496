//! The Word model as a contribution in Markdown: headings mapped to the
//! template's questions, text escaped so it stays text, lists, tables,
//! footnotes, links and images.

use std::collections::BTreeMap;

use super::body::{Block, Inline, Paragraph, RunStyle};
use crate::load::template::{Question, Section, Template};

/// What a Word heading opens.
enum Role<'t> {
    Question(&'t Question),
    Section(&'t Section),
    KeyFindings,
    ExecutiveSummary,
    Other,
}

/// Writes the body of a contribution; images are named by the zip part
/// they come from and written to `image_folder` (package-relative).
pub struct Writer<'a> {
    template: &'a Template,
    image_folder: String,
    notes: &'a BTreeMap<String, Vec<Block>>,
    out: String,
    /// Footnote ids in order of first reference → their number.
    footnotes: Vec<String>,
    /// zip part → package path, for every image referenced.
    pub images: BTreeMap<String, String>,
    /// The question whose answer is being written, if any.
    in_answer: Option<String>,
    /// Template sections whose heading is written.
    sections: std::collections::BTreeSet<String>,
    seen_question: bool,
    /// Marker widths of the open list levels (for nesting indents).
    list_widths: Vec<usize>,
    /// The alt text of the last image written (its caption is not repeated).
    last_image_alt: Option<String>,
    pub report: Vec<String>,
}

impl<'a> Writer<'a> {
    pub fn new(template: &'a Template, image_folder: &str, notes: &'a BTreeMap<String, Vec<Block>>) -> Self {
        Self {
            template,
            image_folder: image_folder.to_string(),
            notes,
            out: String::new(),
            footnotes: Vec::new(),
            images: BTreeMap::new(),
            in_answer: None,
            sections: std::collections::BTreeSet::new(),
            seen_question: false,
            list_widths: Vec::new(),
            last_image_alt: None,
            report: Vec::new(),
        }
    }

    /// The Markdown of the body, footnote definitions at the end.
    pub fn finish(mut self, body: &[Block]) -> (String, BTreeMap<String, String>, Vec<String>) {
        for block in body {
            self.block(block);
        }
        self.end_list();
        let mut written = 0;
        while written < self.footnotes.len() {
            let id = self.footnotes[written].clone();
            written += 1;
            let text = match self.notes.get(&id) {
                Some(blocks) => blocks.iter().map(|b| self.note_block(b)).filter(|t| !t.is_empty()).collect::<Vec<_>>(),
                None => vec!["(the footnote's text is missing in the Word file)".to_string()],
            };
            self.out.push_str(&format!("[^{written}]: {}\n\n", text.join("\n\n    ")));
        }
        (self.out.trim_end().to_string() + "\n", self.images, self.report)
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(p) if p.style.starts_with("toc") => {}
            Block::Paragraph(p) if ["title", "subtitle", "author", "date"].contains(&p.style.as_str()) => {
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
            Block::Paragraph(p) if p.heading.is_some() => {
                self.end_list();
                self.heading(p);
            }
            Block::Paragraph(p) => self.paragraph(p),
            Block::Table { number, rows } => {
                self.end_list();
                self.before_first_question(*number, "a table");
                self.table(rows);
            }
        }
    }

    fn before_first_question(&mut self, number: usize, what: &str) {
        if !self.seen_question {
            self.report.push(format!(
                "paragraph {number}: {what} before the first question, kept before it (printed as the introduction)"
            ));
        }
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
                self.out.push_str(&format!("## {id} {}\n\n", escape_line(&question.text)));
                self.in_answer = Some(id.clone());
                self.seen_question = true;
                self.keep_own_words(p.number, &text, &question.text, id);
            }
            Role::Section(section) => {
                self.section_heading(section);
                self.in_answer = None;
                self.keep_own_words(p.number, &text, &section.title, &format!("section {}", section.id));
            }
            Role::KeyFindings | Role::ExecutiveSummary if text.trim().is_empty() => {}
            Role::KeyFindings => self.free_heading("# Key findings"),
            Role::ExecutiveSummary => self.free_heading("# Executive summary"),
            Role::Other if text.trim().is_empty() => {}
            Role::Other => {
                let shown = match label {
                    Some(label) => format!("{label} {text}"),
                    None => text.clone(),
                };
                match &self.in_answer {
                    Some(id) => {
                        self.report.push(format!(
                            "paragraph {}: the heading \"{shown}\" is not a template question; kept as a sub-heading of {id}",
                            p.number
                        ));
                        self.out.push_str(&format!("### {}\n\n", escape_line(&shown)));
                    }
                    None => {
                        self.report.push(format!(
                            "paragraph {}: the heading \"{shown}\" is not a template question; kept as a section of its own",
                            p.number
                        ));
                        self.out.push_str(&format!("# {}\n\n", escape_line(&shown)));
                    }
                }
            }
        }
    }

    /// A heading matched by its number alone keeps its own words, under the
    /// template's heading, and the report says so: "1.1 Background" in a
    /// report numbered like the template is not silently "Q1.1 …".
    fn keep_own_words(&mut self, number: usize, heading: &str, template_text: &str, what: &str) {
        let (_, own) = leading_number(heading.trim());
        let (own, template_text) = (normalize(own.trim()), normalize(template_text));
        // The template's words, or a shortened form of them, are no words of its own.
        if own.is_empty() || template_text.starts_with(&own) || own.starts_with(&template_text) {
            return;
        }
        self.report.push(format!(
            "paragraph {number}: the heading \"{}\" is taken as {what} by its number alone; its own words are kept below the template's heading",
            heading.trim()
        ));
        self.out.push_str(&format!("### {}\n\n", escape_line(heading.trim())));
    }

    /// A template section's heading, once.
    fn section_heading(&mut self, section: &Section) {
        if self.sections.insert(section.id.clone()) {
            self.out.push_str(&format!("# {} {}\n\n", section.id, escape_line(&section.title)));
        }
    }

    fn free_heading(&mut self, heading: &str) {
        self.out.push_str(heading);
        self.out.push_str("\n\n");
        self.in_answer = None;
        self.seen_question = true;
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let text = self.inlines(&p.inlines);
        if text.trim().is_empty() && !p.inlines.iter().any(|i| matches!(i, Inline::Image { .. })) {
            return;
        }
        self.before_first_question(p.number, "text");
        match &p.numbering {
            Some((number, level)) => {
                let level = usize::from(*level).min(8);
                self.list_widths.resize(level + 1, 2);
                let indent: usize = self.list_widths[..level].iter().sum();
                // Markdown numbers lists with digits only: a lettered or
                // Roman label ("(b)", "iii)") is kept as the item's first
                // words, so "point (b)" in the text still finds it.
                let decimal = number.label.contains(&number.value.to_string());
                let (marker, label) = match (number.ordered, decimal) {
                    (true, true) => (format!("{}. ", number.value), String::new()),
                    (true, false) => ("- ".to_string(), format!("{}\u{a0}", escape(number.label.trim()))),
                    (false, _) => ("- ".to_string(), String::new()),
                };
                self.list_widths[level] = marker.len();
                self.list_widths.truncate(level + 1);
                let continuation = format!("\n{}", " ".repeat(indent + marker.len()));
                self.out.push_str(&" ".repeat(indent));
                self.out.push_str(&marker);
                self.out.push_str(&label);
                self.out.push_str(&escape_line_start(text.trim()).replace('\n', &continuation));
                self.out.push('\n');
            }
            // A paragraph without a number in a list style, right after
            // list items ("List Paragraph", "List Continue"): a further
            // paragraph of the item above, indented under it.
            None if !self.list_widths.is_empty() && is_list_continuation(&p.style) => {
                let indent: usize = self.list_widths.iter().sum();
                let continuation = format!("\n{}", " ".repeat(indent));
                self.out.push('\n');
                self.out.push_str(&" ".repeat(indent));
                self.out.push_str(&escape_line_start(text.trim()).replace('\n', &continuation));
                self.out.push('\n');
            }
            None => {
                self.end_list();
                self.out.push_str(&escape_line_start(text.trim()));
                self.out.push_str("\n\n");
            }
        }
    }

    fn end_list(&mut self) {
        if !self.list_widths.is_empty() {
            self.list_widths.clear();
            self.out.push('\n');
        }
    }

    fn table(&mut self, rows: &[Vec<Vec<Paragraph>>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        for (index, row) in rows.iter().enumerate() {
            let mut cells: Vec<String> = row
                .iter()
                .map(|paragraphs| {
                    // A list in a cell keeps its markers as text (a table
                    // cell holds no Markdown list).
                    let texts: Vec<String> = paragraphs
                        .iter()
                        .map(|p| {
                            let text = self.inlines(&p.inlines);
                            match &p.numbering {
                                Some((number, _)) if number.ordered => {
                                    format!("{} {text}", escape(number.label.trim()))
                                }
                                Some(_) => format!("• {text}"),
                                None => text,
                            }
                        })
                        .collect();
                    texts.join(" ").replace('\n', " ").replace("\\ ", " ").trim().to_string()
                })
                .collect();
            cells.resize(columns, String::new());
            self.out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if index == 0 {
                self.out.push_str(&format!("|{}\n", " --- |".repeat(columns)));
            }
        }
        self.out.push('\n');
    }

    /// A footnote's paragraph (a table inside a footnote becomes its text).
    fn note_block(&mut self, block: &Block) -> String {
        match block {
            Block::Paragraph(p) => escape_line_start(self.inlines(&p.inlines).trim()).replace('\n', "\n    "),
            Block::Table { rows, .. } => {
                let paragraphs: Vec<&Paragraph> = rows.iter().flatten().flatten().collect();
                paragraphs.iter().map(|p| self.inlines(&p.inlines)).collect::<Vec<_>>().join(" ")
            }
        }
    }

    /// Inline Markdown: consecutive text runs written as one group, their
    /// emphasis nested (see [`styled_group`]), whitespace kept outside the
    /// markers (CommonMark needs it there).
    fn inlines(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        let mut group: Vec<(&str, RunStyle)> = Vec::new();
        for inline in inlines {
            if let Inline::Text(text, style) = inline {
                group.push((text, *style));
                continue;
            }
            out.push_str(&styled_group(&group, RunStyle::default()));
            group.clear();
            match inline {
                Inline::Text(..) => {}
                Inline::LineBreak => out.push_str("\\\n"),
                Inline::Note(id) => out.push_str(&self.footnote(id)),
                Inline::Link { url, content } => {
                    let text = self.inlines(content);
                    let text = if text.trim().is_empty() { escape(url) } else { text };
                    out.push_str(&format!("[{text}]({})", link_destination(url)));
                }
                Inline::Image { part, alt } => out.push_str(&self.image(part, alt)),
            }
        }
        out.push_str(&styled_group(&group, RunStyle::default()));
        out
    }

    fn footnote(&mut self, id: &str) -> String {
        let number = match self.footnotes.iter().position(|f| f == id) {
            Some(index) => index + 1,
            None => {
                self.footnotes.push(id.to_string());
                self.footnotes.len()
            }
        };
        format!("[^{number}]")
    }

    fn image(&mut self, part: &str, alt: &str) -> String {
        let name = safe_file_name(part.rsplit('/').next().unwrap_or(part));
        let name = name.as_str();
        let path = format!("{}/{name}", self.image_folder);
        if alt.trim().is_empty() {
            self.report.push(format!(
                "the image {name} has no alt text in Word: describe it between the brackets in the Markdown"
            ));
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !["png", "jpg", "jpeg", "gif", "webp", "svg"].contains(&extension.as_str()) {
            self.report.push(format!(
                "the image {name} is a .{extension} file, which cannot be typeset: convert it to PNG or SVG in {} and change its reference in the Markdown",
                self.image_folder
            ));
        }
        self.images.insert(part.to_string(), path.clone());
        self.last_image_alt = Some(alt.split_whitespace().collect::<Vec<_>>().join(" "));
        // The contribution is `contributions/CC.md`: its images are one folder up.
        format!("![{}](../{path})", escape(alt.trim()))
    }
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

/// The text of inlines without markup (for headings and the report).
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

/// Runs of text with their emphasis, nested as the reader sees it: a style
/// every run of the group has (beyond the `active` ones) opens once around
/// the whole group, so an italic sentence with a bold-italic stretch is
/// `*… **stretch** …*`, never `*…* ***stretch****.*`, which Markdown
/// reads as stray asterisks.
fn styled_group(runs: &[(&str, RunStyle)], active: RunStyle) -> String {
    let text: String = runs.iter().map(|(text, _)| *text).collect();
    if text.trim().is_empty() {
        return escape(&text);
    }
    // Only runs with visible text decide what is common.
    let visible = runs.iter().filter(|(text, _)| !text.trim().is_empty());
    let common = visible.fold(RunStyle { bold: true, italic: true, strike: true }, |all, (_, style)| RunStyle {
        bold: all.bold && style.bold && !active.bold,
        italic: all.italic && style.italic && !active.italic,
        strike: all.strike && style.strike && !active.strike,
    });
    if common != RunStyle::default() {
        let inner_active = RunStyle {
            bold: active.bold || common.bold,
            italic: active.italic || common.italic,
            strike: active.strike || common.strike,
        };
        let inner = styled_group(runs, inner_active);
        let core = inner.trim();
        let leading = &inner[..inner.len() - inner.trim_start().len()];
        let trailing = &inner[inner.trim_end().len()..];
        let mut marked = core.to_string();
        if common.italic {
            marked = format!("*{marked}*");
        }
        if common.bold {
            marked = format!("**{marked}**");
        }
        if common.strike {
            marked = format!("~~{marked}~~");
        }
        return format!("{leading}{marked}{trailing}");
    }
    // Nothing common: runs of one style each, as their own groups.
    let extra = |style: RunStyle| RunStyle {
        bold: style.bold && !active.bold,
        italic: style.italic && !active.italic,
        strike: style.strike && !active.strike,
    };
    let mut out = String::new();
    let mut start = 0;
    while start < runs.len() {
        let style = extra(runs[start].1);
        let end = start + runs[start..].iter().take_while(|(_, s)| extra(*s) == style).count();
        if style == RunStyle::default() {
            let plain: String = runs[start..end].iter().map(|(text, _)| *text).collect();
            out.push_str(&escape(&plain));
        } else {
            out.push_str(&styled_group(&runs[start..end], active));
        }
        start = end;
    }
    out
}

/// Escapes every character Markdown could read as syntax inside a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' | '#' | '!') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A heading's text: escaped, on one line.
fn escape_line(text: &str) -> String {
    escape(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What opens a block at the start of a line (`- `, `+ `, `= `, `1. `),
/// escaped; the rest is escaped already.
fn escape_line_start(text: &str) -> String {
    if text.starts_with(['-', '+', '=']) {
        return format!("\\{text}");
    }
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_string()
}

/// A link destination: in angle brackets when it has spaces or parentheses.
fn link_destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let text = crate::load::template::built_in("study-generic").unwrap();
        let template = crate::load::template::parse("study-generic.toml", text).0.unwrap();
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
    fn a_heading_matched_by_its_number_alone_keeps_its_words() {
        let text = crate::load::template::built_in("study-generic").unwrap();
        let template = crate::load::template::parse("study-generic", text).0.unwrap();
        let notes = BTreeMap::new();
        let writer = Writer::new(&template, "assets/XX", &notes);
        let heading = |text: &str, level| {
            Block::Paragraph(Paragraph {
                number: 1,
                heading: Some(level),
                style: String::new(),
                numbering: None,
                inlines: vec![Inline::Text(text.into(), RunStyle::default())],
            })
        };
        let (markdown, _, report) = writer.finish(&[heading("1.1 Background", 2)]);
        assert!(markdown.contains("## Q1.1 ") && markdown.contains("### 1.1 Background"), "{markdown}");
        assert!(report.iter().any(|line| line.contains("by its number alone")), "{report:?}");
    }

    #[test]
    fn lettered_and_roman_labels_are_kept() {
        let text = crate::load::template::built_in("study-generic").unwrap();
        let template = crate::load::template::parse("study-generic", text).0.unwrap();
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
        let (markdown, _, _) = Writer::new(&template, "assets/XX", &notes).finish(&[
            item("(a)", 1),
            item("(b)", 2),
            item("iii)", 3),
            item("4.", 4),
        ]);
        assert!(markdown.contains("- (a)\u{a0}point\n- (b)\u{a0}point\n- iii)\u{a0}point\n4. point"), "{markdown:?}");
    }

    #[test]
    fn a_further_paragraph_of_a_list_item_stays_in_the_item() {
        let text = crate::load::template::built_in("study-generic").unwrap();
        let template = crate::load::template::parse("study-generic", text).0.unwrap();
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
        let (markdown, _, _) = Writer::new(&template, "assets/XX", &notes).finish(&blocks);
        let parsed = crate::load::markdown::parse(&markdown, 1, "x.md");
        let list = parsed.blocks.iter().find_map(|b| match b {
            crate::load::markdown::Block::List { items, .. } => Some(items),
            _ => None,
        });
        let items = list.unwrap_or_else(|| panic!("{markdown}"));
        assert_eq!(items.len(), 2, "{markdown}");
        assert_eq!(items[0].blocks.len(), 2, "the further paragraph is the first item's: {markdown}");
    }

    #[test]
    fn text_stays_text() {
        assert_eq!(escape("a*b_[c](d) <e> #1 | & ~"), "a\\*b\\_\\[c\\](d) \\<e\\> \\#1 \\| \\& \\~");
        assert_eq!(escape_line_start("- not a list"), "\\- not a list");
        assert_eq!(escape_line_start("2019. A year"), "2019\\. A year");
        assert_eq!(
            styled_group(&[(" bold ", RunStyle { bold: true, ..Default::default() })], RunStyle::default()),
            " **bold** "
        );
        let italic = RunStyle { italic: true, ..Default::default() };
        let both = RunStyle { italic: true, bold: true, ..Default::default() };
        assert_eq!(
            styled_group(&[("This is all in an ", italic), ("italic style", both), (".", italic)], RunStyle::default()),
            "*This is all in an **italic style**.*"
        );
        // Markdown reads it as one emphasis holding a strong one: no asterisk is text.
        let parsed = crate::load::markdown::parse("*This is all in an **italic style**.*", 1, "x.md");
        assert_eq!(crate::load::markdown::blocks_text(&parsed.blocks).trim(), "This is all in an italic style.");
    }
}
