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
    pub hint: Option<String>,
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
            hint: None,
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
        use codespan_reporting::files::SimpleFiles;

        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for d in &self.diagnostics {
            if !ids.contains_key(&d.file) {
                let text = sources.get(&d.file).map(|t| &**t).unwrap_or_default();
                ids.insert(d.file.clone(), (files.add(d.file.clone(), text), LineIndex::new(text)));
            }
        }
        let config = codespan_reporting::term::Config::default();
        for d in &self.diagnostics {
            let severity = match d.severity {
                Severity::Error => cs::Severity::Error,
                Severity::Warning => cs::Severity::Warning,
            };
            let mut diag = cs::Diagnostic::new(severity).with_code(d.code).with_message(&d.message);
            let (id, lines) = &ids[&d.file];
            let id = *id;
            let text = sources.get(&d.file).map(|t| &**t).unwrap_or("");
            match d.line.and_then(|line| lines.span(text, line, d.column.unwrap_or(1))) {
                Some(span) => diag = diag.with_labels(vec![cs::Label::primary(id, span)]),
                None => {
                    let place = match d.line {
                        Some(line) => format!("{}:{line}", d.file),
                        None => d.file.clone(),
                    };
                    diag = diag.with_notes(vec![format!("in {place}")]);
                }
            }
            if let Some(hint) = &d.hint {
                diag = diag.with_notes(vec![format!("hint: {hint}")]);
            }
            if codespan_reporting::term::emit(out, &config, &files, &diag).is_err() {
                let _ = writeln!(out, "{}: {}: {}", d.file, d.code, d.message);
            }
        }
        for omitted in &self.omitted {
            let _ = writeln!(
                out,
                "… and {} more `{}` in {} (the first {SHOWN_PER_CODE_AND_FILE} are shown)",
                group_thousands(omitted.count),
                omitted.code,
                omitted.file
            );
        }
        let _ = writeln!(
            out,
            "{} error{}, {} warning{}",
            self.errors(),
            if self.errors() == 1 { "" } else { "s" },
            self.warnings(),
            if self.warnings() == 1 { "" } else { "s" }
        );
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

    /// Byte range of the rest of the line from a (line, character column) position.
    fn span(&self, text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map(|next| next - 1).unwrap_or(text.len());
        let content = text.get(start..end)?.trim_end_matches('\r');
        let from = content.char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
        Some(start + from..start + content.len())
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
        assert_eq!(index.span(text, 2, 11), Some(text.find("kůň").unwrap()..text.find("\n\n").unwrap()));
        assert_eq!(index.span(text, 9, 1), None);
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
