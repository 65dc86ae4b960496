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
