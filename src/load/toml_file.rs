//! Strict TOML reading with diagnostics that carry a line and column.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, line_column};

/// Parses `text` (the contents of `file`) into `T`; unknown keys are errors.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str, code: &'static str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|error| {
        let message = error.message().trim().to_string();
        let diagnostic = Diagnostic::error(code, file, format!("{file} is not valid ({message})"))
            .with_hint("see the package folder format in the README");
        match error.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                diagnostic.at(line, column)
            }
            None => diagnostic,
        }
    })
}

/// The 1-based (line, column) of a `toml::Spanned` value in `text`.
pub fn place<T>(text: &str, spanned: &toml::Spanned<T>) -> (usize, usize) {
    line_column(text, spanned.span().start)
}

/// A text value of a TOML file with where it is, so a diagnostic about it
/// (a title too long) points at its line without searching the file for
/// it. Reads as the `String` it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    value: String,
    span: std::ops::Range<usize>,
}

impl Text {
    /// Where the value is in its file (byte offsets).
    pub fn span(&self) -> std::ops::Range<usize> {
        self.span.clone()
    }

    /// A value made in code (a built-in default): it points at the start.
    pub fn unplaced(value: impl Into<String>) -> Self {
        Self { value: value.into(), span: 0..0 }
    }
}

impl std::ops::Deref for Text {
    type Target = String;

    fn deref(&self) -> &String {
        &self.value
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.value)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<String>::deserialize(deserializer)?;
        let span = spanned.span();
        Ok(Self { value: spanned.into_inner(), span })
    }
}
