//! Diagnostics as values: every check produces them, nothing stops at the first.
//!
//! A [`Diagnostic`] names a stable code, the file (relative to the package
//! folder), the line and column, and a hint where the fix is not obvious. They
//! are printed once, at the end, either as source excerpts (rustc style, via
//! `codespan-reporting`) or as the JSON object the SPEC defines.

use std::collections::BTreeMap;

use serde::Serialize;

/// Each file's text by package path, shared (not copied) by the loaded
/// package and the reports that quote it.
pub type Texts = BTreeMap<String, std::sync::Arc<str>>;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a package.
///
/// Returned in `Result::Err` by readers too: diagnostics are rare and small
/// beside the files they describe, so their size does not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `missing-answer`.
    pub code: &'static str,
    pub message: String,
    /// Path relative to the package folder, with forward slashes.
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    /// How many characters from the column the problem covers (a term,
    /// a word); `None` underlines a short stretch to the end of the line.
    pub width: Option<usize>,
    pub hint: Option<String>,
    /// How many more of this code in this file were counted but not kept
    /// (a reader stops keeping them after [`KEPT_PER_CODE_AND_FILE`]: a
    /// 60 MB file of bad values made 1.5 million of them, 1 GB).
    pub also: usize,
}

/// Diagnostics of one code in one file a reader keeps; the rest are counted
/// on the last one kept ([`Diagnostic::also`]) and reported as omitted.
pub const KEPT_PER_CODE_AND_FILE: usize = 1_000;

/// Adds `diagnostic` to `out`, or counts it on the last of its code and
/// file when [`KEPT_PER_CODE_AND_FILE`] of them are kept; `kept` counts
/// per code. For readers that report row by row.
pub fn push_bounded(out: &mut Vec<Diagnostic>, kept: &mut BTreeMap<&'static str, usize>, diagnostic: Diagnostic) {
    let count = kept.entry(diagnostic.code).or_default();
    *count += 1;
    if *count <= KEPT_PER_CODE_AND_FILE {
        out.push(diagnostic);
    } else if let Some(last) = out.iter_mut().rev().find(|d| d.code == diagnostic.code && d.file == diagnostic.file) {
        last.also += 1;
    }
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.into(),
            line: None,
            column: None,
            width: None,
            hint: None,
            also: 0,
        }
    }

    pub fn warning(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, file, message) }
    }

    /// Places the diagnostic at a line and column (both 1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    /// Places the diagnostic at a line when the column is unknown.
    pub fn at_line(self, line: usize) -> Self {
        self.at(line, 1)
    }

    /// Underlines exactly `characters` characters from the column.
    pub fn spanning(mut self, characters: usize) -> Self {
        self.width = Some(characters.max(1));
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How many diagnostics of one code in one file are shown before the rest
/// are summed up in one line: 100,000 warnings help nobody, and printing
/// them all took minutes.
pub const SHOWN_PER_CODE_AND_FILE: usize = 200;

/// Diagnostics of one code in one file beyond [`SHOWN_PER_CODE_AND_FILE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Omitted {
    pub severity: Severity,
    pub code: &'static str,
    pub file: String,
    pub count: usize,
}

/// All diagnostics of one run, kept in a stable order (file, line, column, code).
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// The diagnostics shown.
    pub diagnostics: Vec<Diagnostic>,
    /// What was counted but not shown, per code and file.
    pub omitted: Vec<Omitted>,
}

impl Report {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message).cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        diagnostics.dedup();
        let mut shown: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
        let mut omitted: BTreeMap<(String, &'static str), Omitted> = BTreeMap::new();
        for d in diagnostics.iter().filter(|d| d.also > 0) {
            omitted
                .entry((d.file.clone(), d.code))
                .or_insert_with(|| Omitted { severity: d.severity, code: d.code, file: d.file.clone(), count: 0 })
                .count += d.also;
        }
        diagnostics.retain(|d| {
            let count = shown.entry((d.code, d.file.clone())).or_default();
            *count += 1;
            if *count <= SHOWN_PER_CODE_AND_FILE {
                return true;
            }
            omitted
                .entry((d.file.clone(), d.code))
                .or_insert_with(|| Omitted { severity: d.severity, code: d.code, file: d.file.clone(), count: 0 })
                .count += 1;
            false
        });
        Self { diagnostics, omitted: omitted.into_values().collect() }
    }

    fn omitted_of(&self, severity: Severity) -> usize {
        self.omitted.iter().filter(|o| o.severity == severity).map(|o| o.count).sum()
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count() + self.omitted_of(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count() + self.omitted_of(Severity::Warning)
    }

    /// Whether the inputs pass; with `deny_warnings`, warnings count as errors.
    pub fn ok(&self, deny_warnings: bool) -> bool {
        self.errors() == 0 && (!deny_warnings || self.warnings() == 0)
    }

    /// The JSON object of the SPEC: `{ok, errors, warnings, diagnostics: [...]}`.
    pub fn to_json(&self, deny_warnings: bool) -> String {
        #[derive(Serialize)]
        struct JsonDiagnostic<'a> {
            severity: Severity,
            code: &'a str,
            message: &'a str,
            file: &'a str,
            line: Option<usize>,
            column: Option<usize>,
        }
        #[derive(Serialize)]
        struct JsonReport<'a> {
            ok: bool,
            errors: usize,
            warnings: usize,
            diagnostics: Vec<JsonDiagnostic<'a>>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            omitted: &'a [Omitted],
        }
        let report = JsonReport {
            ok: self.ok(deny_warnings),
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: self
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    file: &d.file,
                    line: d.line,
                    column: d.column,
                })
                .collect(),
            omitted: &self.omitted,
        };
        serde_json::to_string_pretty(&report).expect("diagnostics serialise")
    }

    /// Prints every diagnostic as a source excerpt with a caret, then a summary line.
    ///
    /// `sources` maps a diagnostic's file to its text, so excerpts can be shown.
    pub fn print_human(&self, sources: &Texts, out: &mut dyn termcolor::WriteColor) {
        use codespan_reporting::diagnostic as cs;

        let mut indexes = BTreeMap::new();
        let mut excerpts = Excerpts::default();
        let config = codespan_reporting::term::Config::default();
        for d in &self.diagnostics {
            let severity = match d.severity {
                Severity::Error => cs::Severity::Error,
                Severity::Warning => cs::Severity::Warning,
            };
            let mut diag = cs::Diagnostic::new(severity).with_code(d.code).with_message(shown_text(&d.message));
            let text = sources.get(&d.file).map(|t| &**t).unwrap_or("");
            let lines = indexes.entry(d.file.clone()).or_insert_with(|| LineIndex::new(text));
            let name = shown_text(&display_path(&d.file));
            match d.line.and_then(|line| Excerpt::of(lines, text, name.clone(), line, d.column.unwrap_or(1), d.width)) {
                Some(excerpt) => {
                    let span = excerpt.underline.clone();
                    let id = excerpts.add(excerpt);
                    diag = diag.with_labels(vec![cs::Label::primary(id, span)]);
                }
                None => {
                    let place = match d.line {
                        Some(line) => format!("{name}:{line}"),
                        None => name,
                    };
                    diag = diag.with_notes(vec![format!("in {place}")]);
                }
            }
            if let Some(hint) = &d.hint {
                diag = diag.with_notes(vec![format!("hint: {}", shown_text(hint))]);
            }
            if codespan_reporting::term::emit(out, &config, &excerpts, &diag).is_err() {
                let _ = writeln!(out, "{}: {}: {}", shown_text(&d.file), d.code, shown_text(&d.message));
            }
        }
        for omitted in &self.omitted {
            let _ = writeln!(
                out,
                "… and {} more `{}` in {} (the first {SHOWN_PER_CODE_AND_FILE} are shown)",
                group_thousands(omitted.count),
                omitted.code,
                shown_text(&display_path(&omitted.file))
            );
        }
        let _ = writeln!(
            out,
            "{}, {}",
            count(self.errors(), "error", "errors"),
            count(self.warnings(), "warning", "warnings")
        );
    }
}

/// Text for a terminal: a control character (ESC, BEL, NUL, a C1 code,
/// DEL) from a file name or a file's line is shown as its picture (`␛`),
/// one character for one, so that a file someone sends can neither forge
/// nor erase what the terminal shows, and columns still count alike.
pub fn shown_char(c: char) -> char {
    match c {
        '\t' => c,
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        _ => c,
    }
}

/// [`shown_char`] over a text.
pub fn shown_text(text: &str) -> String {
    text.chars().map(shown_char).collect()
}

/// `1 table`, `2 tables`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A package path as the platform writes paths (`contributions\CZ.md` on Windows).
pub fn display_path(path: &str) -> String {
    path.replace('/', std::path::MAIN_SEPARATOR_STR)
}

/// Characters of a line shown around the problem: a one-line answer of 700
/// words would otherwise be printed whole, with a caret under each letter.
const EXCERPT_CHARS: usize = 100;
/// What is underlined when a diagnostic does not say how wide it is.
const DEFAULT_UNDERLINE_CHARS: usize = 40;

/// One line of a file, cut around the problem, for the printer: it keeps
/// the real line number and column, so the excerpt reads as the file does.
struct Excerpt {
    name: String,
    text: String,
    line: usize,
    /// Characters cut from the start of the line (to report the real column).
    cut_chars: usize,
    /// Byte range of `text` to underline.
    underline: std::ops::Range<usize>,
}

impl Excerpt {
    fn of(
        lines: &LineIndex,
        text: &str,
        name: String,
        line: usize,
        column: usize,
        width: Option<usize>,
    ) -> Option<Self> {
        let content = lines.line_text(text, line)?;
        let chars: Vec<char> = content.chars().map(shown_char).collect();
        let from = column.saturating_sub(1).min(chars.len());
        let wanted = width.unwrap_or(DEFAULT_UNDERLINE_CHARS);
        let to = (from + wanted).min(chars.len()).max(from);
        // The window: the problem, with context on both sides, within EXCERPT_CHARS.
        let context = EXCERPT_CHARS.saturating_sub(to - from) / 2;
        let start = from.saturating_sub(context);
        let end = (to + context).max(start + EXCERPT_CHARS).min(chars.len());
        let to = to.min(end);
        let mut shown = String::new();
        if start > 0 {
            shown.push('…');
        }
        let prefix = shown.len();
        let before: String = chars[start..from].iter().collect();
        let marked: String = chars[from..to].iter().collect();
        let after: String = chars[to..end].iter().collect();
        shown.push_str(&before);
        let underline_start = prefix + before.len();
        shown.push_str(&marked);
        // An empty problem (past the line's end) still gets one caret.
        let underline_end = (underline_start + marked.len()).max(underline_start);
        shown.push_str(&after);
        if end < chars.len() {
            shown.push('…');
        }
        let cut_chars = start.saturating_sub(usize::from(start > 0));
        Some(Self { name, text: shown, line, cut_chars, underline: underline_start..underline_end })
    }
}

/// The excerpts as codespan-reporting's files: each is one line, numbered
/// as in the real file.
#[derive(Default)]
struct Excerpts {
    excerpts: Vec<Excerpt>,
}

impl Excerpts {
    fn add(&mut self, excerpt: Excerpt) -> usize {
        self.excerpts.push(excerpt);
        self.excerpts.len() - 1
    }

    fn get(&self, id: usize) -> Result<&Excerpt, codespan_reporting::files::Error> {
        self.excerpts.get(id).ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpts {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(&'a self, _id: usize, _byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, id: usize, _line_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.get(id)?.line)
    }

    fn column_number(
        &'a self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let excerpt = self.get(id)?;
        let shown = excerpt.text.get(..byte_index.min(excerpt.text.len())).unwrap_or("");
        Ok(excerpt.cut_chars + shown.chars().count() + 1)
    }

    fn line_range(
        &'a self,
        id: usize,
        _line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.get(id)?.text.len())
    }
}

/// Where each line of a text starts, computed once per file so that placing
/// many diagnostics stays linear.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { starts }
    }

    /// The text of a 1-based line, without its line end.
    fn line_text<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map(|next| next - 1).unwrap_or(text.len());
        Some(text.get(start..end)?.trim_end_matches('\r'))
    }

    /// A byte offset as a 1-based (line, character column).
    pub fn line_column(&self, text: &str, byte: usize) -> (usize, usize) {
        let byte = floor_char_boundary(text, byte.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= byte);
        let start = self.starts[line - 1];
        (line, text[start..byte].chars().count() + 1)
    }
}

/// `1234567` as `1,234,567`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Converts a byte offset in `text` to a 1-based (line, character column).
pub fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text[..floor_char_boundary(text, byte)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_past_the_kept_ones_are_counted_not_held() {
        let mut out = Vec::new();
        let mut kept = BTreeMap::new();
        for line in 1..=5_000 {
            push_bounded(&mut out, &mut kept, Diagnostic::error("bad-value", "statistics/a.csv", "x").at_line(line));
        }
        assert_eq!(out.len(), KEPT_PER_CODE_AND_FILE);
        let report = Report::new(out);
        assert_eq!(report.errors(), 5_000, "every one counted");
        assert_eq!(report.diagnostics.len(), SHOWN_PER_CODE_AND_FILE);
        assert_eq!(report.omitted[0].count, 5_000 - SHOWN_PER_CODE_AND_FILE);
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "první\nžluťoučký kůň";
        let byte = text.find("kůň").unwrap();
        assert_eq!(line_column(text, byte), (2, 11));
    }

    #[test]
    fn line_index_agrees_with_line_column() {
        let text = "první\nžluťoučký kůň\n\nx";
        let index = LineIndex::new(text);
        for byte in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
            assert_eq!(index.line_column(text, byte), line_column(text, byte), "{byte}");
        }
        assert_eq!(index.line_text(text, 2), Some("žluťoučký kůň"));
        assert_eq!(index.line_text(text, 9), None);
    }

    /// The printed report of `diagnostic` over `text`, without colour.
    fn printed(text: &str, diagnostic: Diagnostic) -> String {
        let mut texts = Texts::new();
        texts.insert("contributions/CZ.md".into(), text.into());
        let mut out = termcolor::NoColor::new(Vec::new());
        Report::new(vec![diagnostic]).print_human(&texts, &mut out);
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn the_underline_is_exactly_the_term() {
        let text = "# Q1\nThe illegal migrant was heard.\n";
        let column = "The ".chars().count() + 1;
        let diagnostic = Diagnostic::warning("deprecated-term", "contributions/CZ.md", "x").at(2, column).spanning(15);
        let out = printed(text, diagnostic);
        let source = out.lines().find(|l| l.contains("The illegal migrant")).unwrap();
        let carets = out.lines().find(|l| l.contains('^')).unwrap();
        let at = source.find("illegal").unwrap();
        assert_eq!(carets.find('^'), Some(at), "{out}");
        assert_eq!(carets.matches('^').count(), "illegal migrant".len(), "{out}");
        assert!(out.contains(&format!("CZ.md:2:{column}")), "{out}");
    }

    #[test]
    fn a_long_line_is_cut_around_the_problem() {
        let words = "slovo ".repeat(700);
        let text = format!("{words}nelegální migrant {words}");
        let column = words.chars().count() + 1;
        let diagnostic = Diagnostic::warning("deprecated-term", "contributions/CZ.md", "x").at(1, column).spanning(17);
        let out = printed(&text, diagnostic);
        assert!(out.len() < 1200, "{out}");
        assert!(out.contains("…") && out.contains("nelegální migrant"), "{out}");
        assert!(out.contains(&format!(":1:{column}")), "{out}");
        assert_eq!(out.matches('^').count(), 17, "{out}");
    }

    #[test]
    fn many_of_one_code_are_summed_up() {
        let many =
            (1..=1000).map(|line| Diagnostic::warning("unknown-indicator", "statistics/a.csv", "x").at_line(line));
        let report = Report::new(many.collect());
        assert_eq!(report.diagnostics.len(), SHOWN_PER_CODE_AND_FILE);
        assert_eq!(report.warnings(), 1000);
        let json: serde_json::Value = serde_json::from_str(&report.to_json(false)).unwrap();
        assert_eq!(json["omitted"][0]["count"], 1000 - SHOWN_PER_CODE_AND_FILE);
        assert_eq!(json["warnings"], 1000);
    }

    #[test]
    fn json_has_the_spec_fields() {
        let report = Report::new(vec![Diagnostic::error("bad-value", "statistics/a.csv", "x").at(3, 2)]);
        let json: serde_json::Value = serde_json::from_str(&report.to_json(false)).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"][0]["line"], 3);
        assert_eq!(json["diagnostics"][0]["code"], "bad-value");
    }
}
