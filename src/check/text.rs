//! Rules over the printed text: Glossary terms, sizes (titles, headings,
//! tables, footnotes), characters the fonts cannot show and words too long
//! for a line. They read the text runs `load` built, never the raw files.

use super::*;

/// Deprecated EMN Glossary terms in what will be published: contributions
/// and the editors' texts in their language, the Czech summary in Czech.
pub(super) fn check_terminology(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    let glossary = &package.glossary;
    {
        let is_summary = package.summary_cs.as_ref().is_some_and(|summary| std::ptr::eq(summary, document));
        let language = if is_summary { "cs" } else { document.language() };
        for found in glossary.deprecated(&document.runs, language) {
            let concept = &found.term.concept;
            let preferred = glossary.preferred_display(concept, language);
            let (message, hint) = match &preferred {
                Some(preferred) => (
                    format!(
                        "“{}” is deprecated in the EMN Glossary: write “{preferred}” (concept {concept})",
                        found.written
                    ),
                    format!(
                        "the EMN Glossary prefers “{preferred}”; quotations are not checked, so a quoted source may keep its words"
                    ),
                ),
                None => (
                    format!("“{}” is deprecated in the EMN Glossary (concept {concept})", found.written),
                    "rephrase with the Glossary's term for the concept".to_string(),
                ),
            };
            out.push(
                Diagnostic::warning("deprecated-term", &document.file, message)
                    .at(found.line, found.column)
                    .spanning(found.written.chars().count())
                    .with_hint(hint),
            );
        }
    }
}

/// Titles, headings, template texts and Markdown tables within their limits.
pub(super) fn check_sizes(package: &Package, out: &mut Vec<Diagnostic>) {
    let title = &package.manifest.title;
    let (line, column) = line_column(manifest_text(package), title.span().start);
    out.extend(too_long(manifest::FILE, "the title", title, MAX_TITLE_CHARS).map(|d| d.at(line, column)));
    check_template_sizes(package, out);
    if let Some(inform) = &package.inform {
        let words = count_words(&markdown::blocks_text(&inform.body));
        if words > MAX_INFORM_WORDS {
            out.push(
                Diagnostic::error(
                    "too-long",
                    &inform.file,
                    format!(
                        "inform.md has {words} words; the Inform is at most 8 pages (about {MAX_INFORM_WORDS} words)"
                    ),
                )
                .at_line(1)
                .with_hint("shorten inform.md: the Inform summarises, the synthesis report carries the detail"),
            );
        }
    }
    for document in package.documents() {
        check_document_sizes(document, out);
    }
}

/// `too-long` when `text` has more than `limit` characters.
fn too_long(file: &str, what: &str, text: &str, limit: usize) -> Option<Diagnostic> {
    let chars = text.chars().count();
    (chars > limit).then(|| {
        Diagnostic::error("too-long", file, format!("{what} has {chars} characters (the limit is {limit})"))
            .with_hint("shorten it; a title or heading is a line, not a paragraph")
    })
}

/// The template's titles, questions and aim, and its number of flash questions.
fn check_template_sizes(package: &Package, out: &mut Vec<Diagnostic>) {
    let template_file = &package.template_source;
    let template_text = source_text(package, template_file);
    let place = |text: &Text| line_column(template_text, text.span().start);
    let template = &package.template;
    let mut template_texts: Vec<(&str, &Text, usize)> =
        vec![("the template's title", &template.title, MAX_TITLE_CHARS)];
    template_texts.extend(template.sections.iter().map(|s| ("a section title", &s.title, MAX_TITLE_CHARS)));
    template_texts.extend(template.questions().map(|q| ("a question", &q.text, MAX_QUESTION_CHARS)));
    template_texts.extend(template.tables.iter().map(|t| ("a table title", &t.title, MAX_TITLE_CHARS)));
    template_texts.extend(template.flash_questions.iter().map(|q| ("a flash question", q, MAX_TITLE_CHARS)));
    template_texts.extend(template.aim.iter().map(|aim| ("the aim", aim, MAX_AIM_CHARS)));
    for (what, text, limit) in template_texts {
        let (line, column) = place(text);
        out.extend(too_long(template_file, what, text, limit).map(|d| d.at(line, column)));
    }
    if package.template.flash_questions.len() > MAX_FLASH_QUESTIONS {
        out.push(
            Diagnostic::error(
                "too-long",
                template_file,
                format!(
                    "the template has {} flash questions; the one-page Flash holds {MAX_FLASH_QUESTIONS}",
                    package.template.flash_questions.len()
                ),
            )
            .at_line(template.flash_questions.get(MAX_FLASH_QUESTIONS).map_or(1, |q| place(q).0))
            .with_hint("keep the questions the study answers first"),
        );
    }
}

/// A document's front matter, headings, tables and number of footnotes.
fn check_document_sizes(document: &crate::load::Document, out: &mut Vec<Diagnostic>) {
    if let Some(title) = &document.front.title {
        out.extend(
            too_long(&document.file, "the title", &title.value, MAX_TITLE_CHARS)
                .map(|d| d.at(title.line, title.column)),
        );
    }
    if let Some(ncp) = &document.front.ncp {
        out.extend(too_long(&document.file, "`ncp`", &ncp.value, MAX_TITLE_CHARS).map(|d| d.at(ncp.line, ncp.column)));
    }
    check_blocks_sizes(&document.file, &document.body, out);
    for (name, blocks) in &document.footnotes {
        check_blocks_sizes(&document.file, blocks, out);
        let characters = markdown::blocks_text(blocks).chars().count();
        if characters > crate::limits::MAX_FOOTNOTE_CHARS {
            let pos = document.footnote_places.get(name).copied().unwrap_or(markdown::Pos { line: 1, column: 1 });
            out.push(
                Diagnostic::error(
                    "too-long",
                    &document.file,
                    format!(
                        "the footnote [^{name}] has {characters} characters (the limit is {})",
                        crate::limits::MAX_FOOTNOTE_CHARS
                    ),
                )
                .at(pos.line, pos.column)
                .with_hint("a footnote is set at the foot of its page: move the text into the answer (or an annex) and keep the note short"),
            );
        }
    }
    if document.footnotes.len() > MAX_FOOTNOTES {
        out.push(
            Diagnostic::error(
                "too-long",
                &document.file,
                format!("{} has {} footnotes (the limit is {MAX_FOOTNOTES})", document.file, document.footnotes.len()),
            )
            .at_line(1)
            .with_hint("cite the sources in a list or a table instead of a footnote each"),
        );
    }
}

fn check_blocks_sizes(file: &str, blocks: &[Block], out: &mut Vec<Diagnostic>) {
    for block in blocks {
        match block {
            Block::Heading { content, pos, .. } => {
                let text = markdown::inline_text(content);
                out.extend(too_long(file, "a heading", &text, MAX_HEADING_CHARS).map(|d| d.at(pos.line, pos.column)));
            }
            Block::Table { header, rows, pos, .. } => {
                let cells = header.len() + rows.iter().map(Vec::len).sum::<usize>();
                if rows.len() > MAX_TABLE_ROWS || cells > MAX_TABLE_CELLS {
                    out.push(
                        Diagnostic::error(
                            "table-too-large",
                            file,
                            format!("a table of {} rows and {cells} cells (the limits are {MAX_TABLE_ROWS} rows and {MAX_TABLE_CELLS} cells)", rows.len()),
                        )
                        .at(pos.line, pos.column)
                        .with_hint("publish large data as statistics (statistics/*.csv) or split the table"),
                    );
                }
            }
            Block::List { items, .. } => items.iter().for_each(|i| check_blocks_sizes(file, &i.blocks, out)),
            Block::Quote(inner) => check_blocks_sizes(file, inner, out),
            _ => {}
        }
    }
}

/// Every printed text, checked character by character against the fonts
/// the publications are set in (`missing-glyph`) and for unbreakable words:
/// the documents' text runs and printed front matter as `load` read them,
/// and the manifest and template without their comment lines.
pub(super) fn check_document_characters(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    let front = [&document.front.title, &document.front.ncp];
    let values = front.into_iter().flatten().map(|value| (value.value.as_str(), value.line, value.column));
    let runs = document.runs.iter().map(|run| (run.text.as_str(), run.pos.line, run.pos.column));
    for (printed, line, column) in values.chain(runs) {
        // A run is on one line: its characters follow from its start.
        let place = |at: usize| (line, column + printed[..at].chars().count());
        let part = PrintedPart { file: &document.file, printed, place: &place };
        check_glyphs(package, &part, out);
        check_word_lengths(&part, out);
    }
}

/// The characters of the manifest and a package's own template.
pub(super) fn check_characters(package: &Package, out: &mut Vec<Diagnostic>) {
    let mut files = vec![(manifest::FILE, manifest_text(package))];
    if !package.template_source.starts_with("built-in:") {
        files.push((&package.template_source, source_text(package, &package.template_source)));
    }
    for (file, text) in files {
        let index = LineIndex::new(text);
        for range in lines_without_comments(text) {
            let place = |at: usize| index.line_column(text, range.start + at);
            let part = PrintedPart { file, printed: &text[range.clone()], place: &place };
            check_glyphs(package, &part, out);
            check_word_lengths(&part, out);
        }
    }
}

/// The byte ranges of a TOML file's lines that are not comments.
fn lines_without_comments(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            ranges.push(at..at + line.len());
        }
        at += line.len();
    }
    ranges
}

/// A stretch of text that reaches a PDF, and how to place its bytes.
struct PrintedPart<'a> {
    file: &'a str,
    printed: &'a str,
    /// Line and column of a byte of `printed`.
    place: &'a dyn Fn(usize) -> (usize, usize),
}

impl PrintedPart<'_> {
    fn place(&self, at: usize) -> (usize, usize) {
        (self.place)(at)
    }
}

/// One `missing-glyph` per line, naming every character no font has.
fn check_glyphs(package: &Package, part: &PrintedPart, out: &mut Vec<Diagnostic>) {
    let file = part.file;
    let mut by_line: BTreeMap<usize, (usize, Vec<String>)> = BTreeMap::new();
    for (at, cluster) in crate::fonts::missing_clusters(&package.fonts, part.printed) {
        let (line, column) = part.place(at);
        let named = format!(
            "`{cluster}` ({})",
            cluster.chars().map(|c| format!("U+{:04X}", c as u32)).collect::<Vec<_>>().join(" ")
        );
        let entry = by_line.entry(line).or_insert((column, Vec::new()));
        if !entry.1.contains(&named) {
            entry.1.push(named);
        }
    }
    for (line, (column, names)) in by_line {
        out.push(
            Diagnostic::error("missing-glyph", file, format!("no font can show {}", names.join(", ")))
                .at(line, column)
                .with_hint("the built-in fonts cover Latin, Greek, Cyrillic, Georgian, Armenian, Hebrew, Arabic, Ethiopic, Devanagari and common symbols; put a font that has these characters in the package's fonts/ folder (e.g. Noto Sans CJK for Chinese), or remove them"),
        );
    }
}

fn check_word_lengths(part: &PrintedPart, out: &mut Vec<Diagnostic>) {
    let (file, printed) = (part.file, part.printed);
    // Scripts written without spaces break between characters.
    let breaks = |c: char| {
        c.is_whitespace()
            || matches!(c, '\u{0e00}'..='\u{0eff}' | '\u{2e80}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
    };
    let mut start = None;
    let mut length = 0;
    for (at, c) in printed.char_indices().chain(std::iter::once((printed.len(), ' '))) {
        if breaks(c) {
            if length > MAX_WORD_CHARS
                && let Some(start) = start
            {
                let (line, column) = part.place(start);
                out.push(
                    Diagnostic::error(
                        "word-too-long",
                        file,
                        format!(
                            "a word of {length} characters cannot be set on a line (the limit is {MAX_WORD_CHARS})"
                        ),
                    )
                    .at(line, column)
                    .with_hint(
                        "break it with spaces, or shorten it (a long link can be given a short text: [text](url))",
                    ),
                );
            }
            start = None;
            length = 0;
        } else {
            start.get_or_insert(at);
            length += 1;
        }
    }
}

/// A `language:` that names no language (`zz`, `x-…`, `english`): the text
/// would be hyphenated, quoted and tagged for readers as English.
pub(super) fn check_language(document: &Document, out: &mut Vec<Diagnostic>) {
    let Some(language) = &document.front.language else { return };
    if document.front.parsed_language.is_none() {
        out.push(
            Diagnostic::error(
                "bad-language",
                &document.file,
                format!("`{}` is not a language tag", crate::diagnostic::shown_text(&language.value)),
            )
            .at(language.line, language.column)
            .with_hint(match crate::countries::languages_of(language.value.trim()).as_slice() {
                // A country's code for its language: `cz` for Czech.
                [] => "write the language's ISO 639 code, e.g. `language: cs` (Czech), `de` (German), `en` (English)"
                    .to_string(),
                languages => format!(
                    "`{}` is a country's code; its language is written `{}`",
                    crate::diagnostic::shown_text(language.value.trim()),
                    languages.join("` or `")
                ),
            }),
        );
    }
}

/// An image's title (`![alt](a.png "Title")`): a web browser shows it only
/// as a tooltip and a PDF not at all, so no edition prints it.
pub(super) fn check_image_titles(document: &Document, out: &mut Vec<Diagnostic>) {
    for (pos, title) in &document.image_titles {
        out.push(
            Diagnostic::warning(
                "image-title",
                &document.file,
                format!("the image's title \"{}\" is printed in no edition", crate::diagnostic::shown_text(title)),
            )
            .at(pos.line, pos.column)
            .with_hint("put the words in the text below the image, or in its description between the brackets"),
        );
    }
}

/// `dissemination:` other than `public` or `network` (taken as `network`,
/// so that a misspelt restriction never publishes), and a
/// `<!-- dissemination: network -->` that stands under no question heading.
pub(super) fn check_dissemination(document: &Document, out: &mut Vec<Diagnostic>) {
    if let Some(value) = &document.front.dissemination
        && !["public", "network"].iter().any(|v| value.value.eq_ignore_ascii_case(v))
    {
        out.push(
            Diagnostic::error(
                "bad-front-matter",
                &document.file,
                format!(
                    "dissemination `{}` is neither public nor network",
                    crate::diagnostic::shown_text(&value.value)
                ),
            )
            .at(value.line, value.column)
            .with_hint("write `dissemination: network` for a text the network only may read, else leave it out"),
        );
    }
    for line in &document.misplaced_network_marks {
        out.push(
            Diagnostic::warning(
                "misplaced-dissemination",
                &document.file,
                "this `<!-- dissemination: network -->` stands directly under no heading, so it restricts nothing",
            )
            .at_line(*line)
            .with_hint("put it on the line directly under the heading of the answer or section it restricts, or restrict the whole contribution with `dissemination: network` in its front matter"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, contribution, package};
    use super::*;

    fn each_document_terminology(package: &Package, out: &mut Vec<Diagnostic>) {
        package.documents().for_each(|document| check_terminology(package, document, out));
    }

    fn each_document_characters(package: &Package, out: &mut Vec<Diagnostic>) {
        package.documents().for_each(|document| check_document_characters(package, document, out));
        check_characters(package, out);
    }

    fn check_at(from: &str, to: &str, rule: fn(&Package, &mut Vec<Diagnostic>)) -> Vec<Diagnostic> {
        let (path, text) = contribution("AT", from, to);
        let mut out = Vec::new();
        rule(&package(&[(&path, &text)]), &mut out);
        out.retain(|d| d.file == "contributions/AT.md");
        out
    }

    #[test]
    fn a_deprecated_term_in_prose_is_placed_and_a_quoted_one_is_not() {
        let prose = "# Key findings\n\nThe illegal immigrants were counted; “illegal immigrants” in a quote.\n";
        let found = check_at("# Key findings\n", prose, each_document_terminology);
        assert_eq!(codes(&found), [("deprecated-term", Some(11))]);
        assert_eq!(found[0].column, Some(5));
        assert!(found[0].message.contains("irregular migrant"), "{}", found[0].message);
    }

    #[test]
    fn a_character_no_font_has_is_placed() {
        let found =
            check_at("# Key findings\n", "# Key findings\n\nThe word 中文 is here.\n", each_document_characters);
        assert_eq!(codes(&found), [("missing-glyph", Some(11))]);
        assert_eq!(found[0].column, Some(10));
        assert!(found[0].message.contains("U+4E2D"), "{}", found[0].message);
    }

    #[test]
    fn a_word_longer_than_a_line_holds_is_too_long() {
        let word = "x".repeat(crate::limits::MAX_WORD_CHARS + 1);
        let found = check_at("# Key findings\n", &format!("# Key findings\n\nA {word}\n"), each_document_characters);
        assert_eq!(codes(&found), [("word-too-long", Some(11))]);
        assert_eq!(found[0].column, Some(3));
    }

    #[test]
    fn a_template_text_over_its_limit_is_placed_by_its_span() {
        let long = "q".repeat(crate::limits::MAX_QUESTION_CHARS + 1);
        let built_in = crate::load::template::built_in("study-generic").unwrap();
        let first = built_in.find("text = \"").unwrap();
        let end = first + built_in[first..].find('\n').unwrap();
        let template = format!("{}text = \"{long}\"{}", &built_in[..first], &built_in[end..]);
        let line = template[..first].matches('\n').count() + 1;
        let column = first - template[..first].rfind('\n').map_or(0, |at| at + 1) + 8;
        let manifest = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages/emn.toml"),
        )
        .unwrap()
        .replace("template = \"study-generic\"", "template = \"template.toml\"");
        let mut out = Vec::new();
        check_sizes(&package(&[("template.toml", &template), ("emn.toml", &manifest)]), &mut out);
        assert_eq!(codes(&out), [("too-long", Some(line))]);
        assert_eq!((out[0].file.as_str(), out[0].column), ("template.toml", Some(column)));
    }

    #[test]
    fn headings_and_tables_have_limits() {
        let heading = "h".repeat(crate::limits::MAX_HEADING_CHARS + 1);
        let found = check_at("# Key findings\n", &format!("# Key findings\n\n## {heading}\n"), check_sizes);
        assert_eq!(codes(&found), [("too-long", Some(11))]);
        let rows: String = (0..=crate::limits::MAX_TABLE_ROWS).map(|i| format!("| {i} |\n")).collect();
        let found = check_at("# Key findings\n", &format!("# Key findings\n\n| n |\n|---|\n{rows}"), check_sizes);
        assert_eq!(codes(&found), [("table-too-large", Some(11))]);
        assert!(check_at("# Key findings\n", "# Key findings\n", check_sizes).is_empty());
    }
}
