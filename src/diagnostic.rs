//! Diagnostics as values: every check produces them, nothing stops at the first.
//!
//! A [`Diagnostic`] names a stable code, the file (relative to the package
//! folder), the line and column, and a hint where the fix is not obvious. They
//! are printed once, at the end, either as source excerpts (rustc style, via
//! `codespan-reporting`) or as the JSON object the SPEC defines.

use std::collections::BTreeMap;

use serde::Serialize;

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

/// All diagnostics of one run, kept in a stable order (file, line, column, code).
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message).cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        diagnostics.dedup();
        Self { diagnostics }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
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
        };
        serde_json::to_string_pretty(&report).expect("diagnostics serialise")
    }

    /// Prints every diagnostic as a source excerpt with a caret, then a summary line.
    ///
    /// `sources` maps a diagnostic's file to its text, so excerpts can be shown.
    pub fn print_human(&self, sources: &BTreeMap<String, String>, out: &mut dyn termcolor::WriteColor) {
        use codespan_reporting::diagnostic as cs;
        use codespan_reporting::files::SimpleFiles;

        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for d in &self.diagnostics {
            if !ids.contains_key(&d.file) {
                let text = sources.get(&d.file).cloned().unwrap_or_default();
                ids.insert(d.file.clone(), files.add(d.file.clone(), text));
            }
        }
        let config = codespan_reporting::term::Config::default();
        for d in &self.diagnostics {
            let severity = match d.severity {
                Severity::Error => cs::Severity::Error,
                Severity::Warning => cs::Severity::Warning,
            };
            let mut diag = cs::Diagnostic::new(severity).with_code(d.code).with_message(&d.message);
            let id = ids[&d.file];
            let text = sources.get(&d.file).map(String::as_str).unwrap_or("");
            match d.line.and_then(|line| byte_span(text, line, d.column.unwrap_or(1))) {
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

/// Byte range of the rest of the line from a (line, character column) position.
fn byte_span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let trimmed = content.trim_end_matches(['\n', '\r']);
            let start = trimmed.char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
            return Some(offset + start..offset + trimmed.len());
        }
        offset += content.len();
    }
    None
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
    fn json_has_the_spec_fields() {
        let report = Report::new(vec![Diagnostic::error("bad-value", "statistics/a.csv", "x").at(3, 2)]);
        let json: serde_json::Value = serde_json::from_str(&report.to_json(false)).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["errors"], 1);
        assert_eq!(json["diagnostics"][0]["line"], 3);
        assert_eq!(json["diagnostics"][0]["code"], "bad-value");
    }
}
