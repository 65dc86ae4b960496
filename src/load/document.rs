//! Markdown documents with YAML front matter, split into parts by heading.
//!
//! Contributions, `synthesis.md`, `inform.md` and `summary-cs.md` share this
//! shape: optional front matter between `---` lines, then CommonMark. Headings
//! that start with a question id open an answer; `# Key findings` and other
//! headings open free sections.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::markdown::{self, Block, Markdown, Pos, inline_text};
use crate::diagnostic::{Diagnostic, line_column};
use crate::limits::{MAX_LINE_BYTES, MAX_TEXT_BYTES};

/// A value read from front matter, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

/// Front matter fields any document may carry. Unknown keys are ignored.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub country: Option<Located<String>>,
    pub ncp: Option<Located<String>>,
    pub status: Option<Located<String>>,
    pub date: Option<Located<String>>,
    pub language: Option<Located<String>>,
    pub title: Option<Located<String>>,
    /// Line of the opening `---`, when there is front matter at all.
    pub line: Option<usize>,
    /// `status`, parsed once; `None` when absent or neither draft nor final.
    pub parsed_status: Option<Status>,
    /// `date`, parsed once; `None` when absent or not a `YYYY-MM-DD` date.
    pub parsed_date: Option<crate::dates::Date>,
    /// `language` as a known tag (see [`crate::countries::known_language`]);
    /// `None` when absent or not a language, and the text is then English.
    pub parsed_language: Option<String>,
    /// `dissemination`: `public` (the default) or `network`.
    pub dissemination: Option<Located<String>>,
}

impl FrontMatter {
    /// Whether the whole text is for the EMN network only: anything but
    /// `public` counts (`check` reports a value that is neither), so a
    /// misspelt restriction never publishes.
    pub fn network_only(&self) -> bool {
        self.dissemination.as_ref().is_some_and(|d| !d.value.eq_ignore_ascii_case("public"))
    }
}

/// How far a contribution is: drafts may keep placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Final,
}

impl Status {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "draft" => Some(Status::Draft),
            "final" => Some(Status::Final),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Final => "final",
        }
    }
}

#[derive(Deserialize, Default)]
struct RawFrontMatter {
    country: Option<Spanned<String>>,
    ncp: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    dissemination: Option<Spanned<String>>,
}

/// What a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    KeyFindings,
    ExecutiveSummary,
    /// A heading naming the template's section of this index (`# 1 Legal
    /// and policy framework`); set once the template is known.
    TemplateSection(usize),
    /// A part the author added.
    Other,
}

/// An answer to one template question.
#[derive(Debug, Clone)]
pub struct Answer {
    pub question_id: String,
    /// The heading's full text, e.g. `Q1.1 Does your Member State ...?`.
    pub heading: String,
    pub pos: Pos,
    pub blocks: Vec<Block>,
    /// Line of the first block below the heading, where Yes/No or the option must be.
    pub body_line: Option<usize>,
    /// What a yes-no or choice answer says, classified once the template
    /// is known (see [`super::answers`]); `None` for open questions.
    pub closed: Option<super::answers::Closed>,
    /// For the EMN network only: a `<!-- dissemination: network -->`
    /// directly under the heading, or the whole contribution's front matter.
    pub network_only: bool,
}

impl Answer {
    /// Nothing written below the heading (comments do not count).
    pub fn is_empty(&self) -> bool {
        has_no_content(&self.blocks)
    }
}

/// Blocks that print nothing a reader sees: only comments, invisible
/// characters or whitespace (a table, image, rule or code counts as
/// content). Stops at the first content, so it costs little on long parts.
pub fn has_no_content(blocks: &[Block]) -> bool {
    fn inlines_empty(inlines: &[markdown::Inline]) -> bool {
        let mut has_image = false;
        markdown::walk_inlines(inlines, &mut |inline| has_image |= matches!(inline, markdown::Inline::Image { .. }));
        !has_image && crate::fonts::visible(&inline_text(inlines)).trim().is_empty()
    }
    blocks.iter().all(|block| match block {
        Block::Paragraph(inlines) | Block::Heading { content: inlines, .. } => inlines_empty(inlines),
        Block::List { items, .. } => items.iter().all(|item| item.task.is_none() && has_no_content(&item.blocks)),
        Block::Quote(inner) => has_no_content(inner),
        Block::Html { text, .. } | Block::Code { text } => crate::fonts::visible(text).trim().is_empty(),
        Block::Rule => true,
        Block::Table { .. } => false,
    })
}

/// A titled part that is not an answer (key findings, introduction, ...).
#[derive(Debug, Clone)]
pub struct FreeSection {
    pub kind: SectionKind,
    pub title: String,
    pub pos: Pos,
    pub blocks: Vec<Block>,
    /// Line of its first block (see [`Answer::body_line`]).
    pub body_line: Option<usize>,
    /// For the EMN network only (see [`Answer::network_only`]).
    pub network_only: bool,
}

/// A parsed Markdown document of the package.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the package folder.
    pub file: String,
    pub front: FrontMatter,
    /// Blocks before the first heading.
    pub preamble: Vec<Block>,
    /// Line of the first of them.
    pub preamble_line: usize,
    pub answers: Vec<Answer>,
    pub sections: Vec<FreeSection>,
    pub footnotes: std::collections::BTreeMap<String, Vec<Block>>,
    /// Where each footnote definition starts.
    pub footnote_places: std::collections::BTreeMap<String, Pos>,
    /// Every block of the body, in order (for documents read as a whole).
    pub body: Vec<Block>,
    /// Every text the body prints, with its place in the file (see
    /// [`markdown::TextRun`]): what the character, word and Glossary
    /// checks read.
    pub runs: Vec<markdown::TextRun>,
    /// Image titles, which no edition prints (see [`markdown::Markdown`]).
    pub image_titles: Vec<(markdown::Pos, String)>,
    /// Lines of `<!-- dissemination: network -->` marks that stand under no
    /// question heading (`check` says so).
    pub misplaced_network_marks: Vec<usize>,
}

impl Document {
    /// The first section of a kind that has content (a heading with only a
    /// comment below it is a placeholder, not a section).
    pub fn section(&self, kind: SectionKind) -> Option<&FreeSection> {
        self.sections.iter().find(|s| s.kind == kind && !has_no_content(&s.blocks))
    }

    /// `# Key findings`, else `# Executive summary`.
    pub fn key_findings(&self) -> Option<&FreeSection> {
        self.section(SectionKind::KeyFindings).or(self.section(SectionKind::ExecutiveSummary))
    }

    pub fn answer(&self, question_id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.question_id == question_id)
    }

    /// The answer to a question, unless it is missing or empty.
    pub fn filled_answer(&self, question_id: &str) -> Option<&Answer> {
        self.answer(question_id).filter(|a| !a.is_empty())
    }

    /// Text outside any template question or section: before the first
    /// heading, or under a heading the template does not have (title,
    /// blocks, place). Empty parts print nothing and are not listed.
    pub fn unplaced(&self) -> Vec<(&str, &[Block], Pos)> {
        let mut unplaced = Vec::new();
        if !has_no_content(&self.preamble) {
            unplaced.push(("", self.preamble.as_slice(), Pos { line: self.preamble_line, column: 1 }));
        }
        for section in &self.sections {
            if section.kind == SectionKind::Other && !has_no_content(&section.blocks) {
                unplaced.push((section.title.as_str(), section.blocks.as_slice(), section.pos));
            }
        }
        unplaced
    }

    /// The text's language: `language` when it names one (`check` reports
    /// one that does not), else English.
    pub fn language(&self) -> &str {
        self.front.parsed_language.as_deref().unwrap_or("en")
    }
}

/// Text saved as UTF-16 with a byte-order mark (what Windows programs
/// call "Unicode text": Excel's export, Notepad) as UTF-8; `Ok(None)` for
/// any other bytes, which are read as UTF-8 or a legacy encoding.
pub fn from_utf16(file: &str, bytes: &[u8]) -> Result<Option<String>, Diagnostic> {
    let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) else { return Ok(None) };
    if encoding == encoding_rs::UTF_8 {
        return Ok(None);
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
    if had_errors {
        return Err(Diagnostic::error(
            "bad-encoding",
            file,
            format!("{file} starts as UTF-16 text but holds bytes that are not UTF-16"),
        )
        .with_hint("save the file again as UTF-8 (CSV UTF-8 in Excel)"));
    }
    Ok(Some(text.into_owned()))
}

/// The text of a file for diagnostics' excerpts, whatever its encoding.
pub fn excerpt_text(bytes: &[u8]) -> String {
    match from_utf16("", bytes) {
        Ok(Some(text)) => text,
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Turns raw bytes into text, refusing binary data, bad UTF-8 and huge lines.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let utf16 = from_utf16(file, bytes)?;
    let bytes = utf16.as_deref().map_or(bytes, str::as_bytes);
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            file,
            format!("{file} is {} bytes (the limit is {} bytes)", bytes.len(), MAX_TEXT_BYTES),
        )
        .with_hint("split the text or remove embedded data"));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Diagnostic::error("binary-file", file, format!("{file} is not a text file (it holds a NUL byte)"))
            .at_line(line)
            .with_hint("save the file as plain UTF-8 text"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.valid_up_to();
            let (line, column) = line_column(std::str::from_utf8(&bytes[..valid]).unwrap_or(""), valid);
            return Err(Diagnostic::error(
                "bad-encoding",
                file,
                format!("{file} is not valid UTF-8 (invalid byte 0x{:02x})", bytes[valid]),
            )
            .at(line, column)
            .with_hint("save the file with UTF-8 encoding"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((index, _)) = text.split('\n').enumerate().find(|(_, line)| line.len() > MAX_LINE_BYTES) {
        return Err(Diagnostic::error(
            "line-too-long",
            file,
            format!("line {} of {file} is longer than {MAX_LINE_BYTES} bytes", index + 1),
        )
        .at_line(index + 1)
        .with_hint("break the text into paragraphs"));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// How a file's front matter was delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    /// By a `---` (or `...`) line, or there is no front matter.
    Closed,
    /// Never closed: it is taken to end at the first blank line or
    /// heading, whose line this is.
    Unclosed(usize),
}

/// Splits off front matter: `(yaml, body, first body line, closing)`; the
/// YAML is `None` when the file does not open with `---`.
fn split_front_matter(text: &str) -> (Option<&str>, &str, usize, Closing) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text, 1, Closing::Closed);
    };
    let mut offset = 0;
    let mut first_gap = None;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return (Some(yaml), body, index + 3, Closing::Closed);
        }
        if first_gap.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            first_gap = Some((index, offset));
        }
        offset += line.len();
    }
    let (index, offset) = first_gap.unwrap_or((rest.split_inclusive('\n').count(), rest.len()));
    (Some(&rest[..offset]), &rest[offset..], index + 2, Closing::Unclosed(index + 2))
}

/// Parses a document. `is_question_id` tells whether a heading's first word is a known id.
pub fn parse(file: &str, text: &str, is_question_id: &dyn Fn(&str) -> bool) -> (Document, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (yaml, body, first_line, closing) = split_front_matter(text);
    if let Closing::Unclosed(line) = closing {
        diagnostics.push(
            Diagnostic::error("bad-front-matter", file, "the front matter opened by `---` on line 1 is never closed")
                .at_line(line)
                .with_hint(format!("add a line `---` after the front matter's last key (before line {line})")),
        );
    }
    let front = match yaml {
        Some(yaml) => match parse_front_matter(file, yaml) {
            Ok(front) => front,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                FrontMatter { line: Some(1), ..FrontMatter::default() }
            }
        },
        None => FrontMatter::default(),
    };
    let markdown = markdown::parse(body, first_line, file);
    let document = split_parts(file, front, markdown, is_question_id);
    (document, diagnostics)
}

fn parse_front_matter(file: &str, yaml: &str) -> Result<FrontMatter, Diagnostic> {
    // Strict booleans: `country: NO` must stay the string "NO" (the Norway problem).
    let options = serde_saphyr::options! { strict_booleans: true };
    let raw: Option<RawFrontMatter> = if yaml.trim().is_empty() {
        None
    } else {
        serde_saphyr::from_str_with_options(yaml, options).map_err(|error| {
            let first_line = error.to_string().lines().next().unwrap_or("").to_string();
            let diagnostic =
                Diagnostic::error("bad-front-matter", file, format!("front matter is not valid YAML ({first_line})"))
                    .with_hint("front matter is `key: value` lines between two `---` lines");
            match error.location() {
                Some(location) => diagnostic.at(location.line() as usize + 1, location.column() as usize),
                None => diagnostic.at_line(1),
            }
        })?
    };
    let raw = raw.unwrap_or_default();
    let located = |value: Option<Spanned<String>>| {
        value.map(|v| Located {
            line: v.referenced.line() as usize + 1,
            column: v.referenced.column() as usize,
            value: v.value.trim().to_string(),
        })
    };
    let status = located(raw.status);
    let date = located(raw.date);
    let language = located(raw.language);
    Ok(FrontMatter {
        parsed_language: language.as_ref().and_then(|l| crate::countries::known_language(&l.value)),
        parsed_status: status.as_ref().and_then(|s| Status::parse(&s.value)),
        parsed_date: date.as_ref().and_then(|d| crate::dates::Date::parse(&d.value)),
        country: located(raw.country),
        ncp: located(raw.ncp),
        status,
        date,
        language,
        title: located(raw.title),
        dissemination: located(raw.dissemination),
        line: Some(1),
    })
}

/// The question id a heading opens, if its first word is one (`is_id` decides).
pub fn question_id_of(heading: &str, is_id: &dyn Fn(&str) -> bool) -> Option<String> {
    let word = heading.split_whitespace().next()?;
    let word = word.trim_end_matches(['.', ':', ')', ',']);
    is_id(word).then(|| word.to_string())
}

/// Which heading words open answers: the template's ids, and words shaped
/// like them (same letter prefix, numbers) so a typo such as `Q1.7` for a
/// template without it is reported as unknown instead of silently merged.
pub fn question_id_rule(known: Vec<String>) -> impl Fn(&str) -> bool {
    let prefixes: std::collections::BTreeSet<String> = known.iter().filter_map(|id| id_prefix(id)).collect();
    let known: std::collections::BTreeSet<String> = known.into_iter().collect();
    move |word: &str| known.contains(word) || id_prefix(word).is_some_and(|prefix| prefixes.contains(&prefix))
}

/// The letter prefix of an id-shaped word (`Q` of `Q1.2a`), if it is id-shaped.
fn id_prefix(word: &str) -> Option<String> {
    let letters = word.chars().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let rest = &word[letters..];
    let rest = rest.strip_suffix(|c: char| c.is_ascii_lowercase()).unwrap_or(rest);
    let shaped = !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    shaped.then(|| word[..letters].to_string())
}

/// The language of a section heading the template's wording names (`Key
/// findings` is English in a Czech contribution too), if it is one.
pub fn section_title_language(title: &str) -> Option<&'static str> {
    match title.trim().trim_end_matches(':').to_lowercase().as_str() {
        "key findings" | "key findings and conclusions" | "executive summary" => Some("en"),
        "hlavní zjištění" | "shrnutí" => Some("cs"),
        "wichtigste ergebnisse" => Some("de"),
        _ => None,
    }
}

/// What a heading that names no question opens, by its words.
pub fn section_kind(title: &str) -> SectionKind {
    let normalized = title.trim().trim_end_matches(':').to_lowercase();
    match normalized.as_str() {
        "key findings" | "key findings and conclusions" | "hlavní zjištění" | "wichtigste ergebnisse" => {
            SectionKind::KeyFindings
        }
        "executive summary" | "shrnutí" => SectionKind::ExecutiveSummary,
        _ => SectionKind::Other,
    }
}

enum Open {
    None,
    Answer(Answer, u8),
    Section(FreeSection, u8),
}

impl Open {
    /// What a heading opens: the answer to `question`, else a section of
    /// the NCP's own.
    fn heading(question: Option<String>, text: String, pos: Pos, level: u8) -> Open {
        match question {
            Some(question_id) => Open::Answer(
                Answer {
                    question_id,
                    heading: text,
                    pos,
                    blocks: Vec::new(),
                    body_line: None,
                    closed: None,
                    network_only: false,
                },
                level,
            ),
            None => Open::Section(
                FreeSection {
                    kind: section_kind(&text),
                    title: text,
                    pos,
                    blocks: Vec::new(),
                    body_line: None,
                    network_only: false,
                },
                level,
            ),
        }
    }
}

fn split_parts(file: &str, front: FrontMatter, markdown: Markdown, is_known: &dyn Fn(&str) -> bool) -> Document {
    let mut document = Document {
        file: file.to_string(),
        front,
        preamble: Vec::new(),
        preamble_line: 1,
        answers: Vec::new(),
        sections: Vec::new(),
        footnotes: markdown.footnotes,
        footnote_places: markdown.footnote_places,
        body: markdown.blocks.clone(),
        runs: markdown.runs,
        image_titles: markdown.image_titles,
        misplaced_network_marks: Vec::new(),
    };
    let marks = markdown.network_marks;
    let mut open = Open::None;
    let close = |open: Open, document: &mut Document| match open {
        Open::Answer(answer, _) => document.answers.push(answer),
        // A heading with nothing below it (the next heading follows at
        // once) is kept too: its words are the NCP's and are printed.
        Open::Section(section, _) => document.sections.push(section),
        Open::None => {}
    };
    for (block, line) in markdown.blocks.into_iter().zip(markdown.block_lines) {
        if let Block::Heading { level, content, pos } = &block {
            let text = inline_text(content).trim().to_string();
            let question = question_id_of(&text, is_known);
            let ends_open = match &open {
                Open::None => true,
                Open::Answer(_, open_level) | Open::Section(_, open_level) => question.is_some() || level <= open_level,
            };
            if ends_open {
                close(std::mem::replace(&mut open, Open::None), &mut document);
                open = Open::heading(question, text, *pos, *level);
                continue;
            }
        }
        match &mut open {
            Open::None => {
                if document.preamble.is_empty() {
                    document.preamble_line = line;
                }
                document.preamble.push(block)
            }
            Open::Answer(answer, _) => {
                answer.body_line.get_or_insert(line);
                answer.blocks.push(block)
            }
            Open::Section(section, _) => {
                section.body_line.get_or_insert(line);
                section.blocks.push(block)
            }
        }
    }
    close(open, &mut document);
    place_network_marks(&mut document, &marks);
    document
}

/// Marks each answer or section (key findings, the NCP's own) that a
/// `<!-- dissemination: network -->` stands directly under (between its
/// heading and its first block), and everything of a contribution whose
/// front matter restricts it.
fn place_network_marks(document: &mut Document, marks: &[usize]) {
    let whole = document.front.network_only();
    let mut headings: Vec<usize> = document.answers.iter().map(|a| a.pos.line).collect();
    headings.extend(document.sections.iter().map(|s| s.pos.line));
    headings.sort_unstable();
    let next_heading = |line: usize| headings.iter().copied().find(|&h| h > line).unwrap_or(usize::MAX);
    let mut placed = vec![false; marks.len()];
    let mut marked = |heading: usize, body: Option<usize>| {
        let end = body.unwrap_or(usize::MAX).min(next_heading(heading));
        let mut any = false;
        for (mark, placed) in marks.iter().zip(placed.iter_mut()) {
            if *mark > heading && *mark < end {
                *placed = true;
                any = true;
            }
        }
        any || whole
    };
    for answer in &mut document.answers {
        answer.network_only = marked(answer.pos.line, answer.body_line);
    }
    for section in &mut document.sections {
        section.network_only = marked(section.pos.line, section.body_line);
    }
    document.misplaced_network_marks =
        marks.iter().zip(placed).filter(|(_, placed)| !placed).map(|(mark, _)| *mark).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\ncountry: NO\nstatus: final\ndate: 2025-05-02\n---\n\n# Key findings\nShort.\n\n# 1 Framework\n\n## Q1.1 Is there a list?\nYes, since 2020.\n\n### Details\nMore.\n\n## Q1.2 How?\nLike this.\n";

    #[test]
    fn splits_answers_and_keeps_lines() {
        let (doc, diagnostics) = parse("contributions/NO.md", SAMPLE, &question_id_rule(vec!["Q1.1".into()]));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(doc.front.country.as_ref().unwrap().value, "NO", "the Norway problem");
        assert_eq!(doc.front.country.as_ref().unwrap().line, 2);
        assert_eq!(doc.answers.len(), 2);
        assert_eq!(doc.answers[0].question_id, "Q1.1");
        assert_eq!(doc.answers[0].pos.line, 12);
        assert_eq!(doc.answers[0].blocks.len(), 3, "sub-heading stays inside the answer");
        assert_eq!(doc.section(SectionKind::KeyFindings).unwrap().blocks.len(), 1);
    }

    #[test]
    fn question_ids() {
        let rule = question_id_rule(vec!["Q1.1".into(), "Q2".into()]);
        assert_eq!(question_id_of("Q1.1 Does it?", &rule).as_deref(), Some("Q1.1"));
        assert_eq!(question_id_of("Q12: text", &rule).as_deref(), Some("Q12"));
        assert_eq!(question_id_of("Key findings", &rule), None);
        assert_eq!(question_id_of("EU27 overview", &rule), None);
        assert_eq!(question_id_of("Quality", &rule), None);
    }

    #[test]
    fn rejects_binary_and_bad_utf8() {
        assert_eq!(decode_text("a.md", b"ab\0c").unwrap_err().code, "binary-file");
        let bad = decode_text("a.md", b"line\nab\xffc").unwrap_err();
        assert_eq!((bad.code, bad.line, bad.column), ("bad-encoding", Some(2), Some(3)));
        assert_eq!(decode_text("a.md", "\u{feff}x\r\n".as_bytes()).unwrap(), "x\n");
    }
}
