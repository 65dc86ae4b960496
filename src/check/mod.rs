//! Stage 2, check: pure rules from a loaded [`Package`] to diagnostics.
//!
//! No I/O happens here: everything the rules need (file facts for images and
//! links included) was gathered by `load`. Each rule has its own stable code,
//! listed in the README; all rules run, so one `validate` shows every problem.

use std::collections::{BTreeMap, BTreeSet};

use crate::countries;
use crate::diagnostic::{Diagnostic, LineIndex, line_column};
use crate::limits::{
    MAX_AIM_CHARS, MAX_FLASH_QUESTIONS, MAX_FOOTNOTES, MAX_HEADING_CHARS, MAX_INFORM_WORDS, MAX_QUESTION_CHARS,
    MAX_TABLE_CELLS, MAX_TABLE_ROWS, MAX_TITLE_CHARS, MAX_WORD_CHARS,
};
use crate::load::answers::{Closed, count_words};
use crate::load::markdown::{self, Block, Inline, Target};
use crate::load::paths::{self, FileFacts};
use crate::load::statistics::{Frequency, Observation, Shape};
use crate::load::template::Text;
use crate::load::{AnswerKind, Contribution, Document, Package, PackageKind, document, manifest};

mod answers;
mod package;
mod references;
mod statistics;
mod text;

use answers::*;
use package::*;
use references::*;
use statistics::*;
use text::*;

pub use statistics::KNOWN_FLAGS;

/// Runs every rule.
pub fn check(package: &Package, today: crate::dates::Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if package.template.kind != package.manifest.kind {
        let line = line_column(manifest_text(package), package.manifest.template.span().start).0;
        out.push(
            Diagnostic::warning(
                "template-kind",
                manifest::FILE,
                format!(
                    "template {} is for a {}, but the package is a {}",
                    package.template.id,
                    package.template.kind.name(),
                    package.manifest.kind.name()
                ),
            )
            .at_line(line)
            .with_hint(format!(
                "the built-in template for this kind is `{}`",
                package.manifest.kind.default_template()
            )),
        );
    }
    check_expected_countries(package, &mut out);
    check_query_deadline(package, today, &mut out);
    check_updates_after_as_of(package, &mut out);
    for contribution in &package.contributions {
        check_front_matter(contribution, &mut out);
        check_answers(package, contribution, &mut out);
    }
    check_duplicate_contributions(package, &mut out);
    check_placeholders(package, &mut out);
    for document in package.documents() {
        check_references(package, document, &mut out);
        check_unread_images(document, &mut out);
        check_raw_html(document, &mut out);
    }
    check_characters(package, &mut out);
    check_terminology(package, &mut out);
    check_sizes(package, &mut out);
    check_statistics(package, &mut out);
    check_eurostat_rows(package, &mut out);
    check_periods(package, &mut out);
    check_tables_have_data(package, &mut out);
    // A summary that exists but could not be read has its own diagnostic.
    if package.manifest.kind.needs_czech_summary()
        && package.summary_cs.is_none()
        && !package.sources.contains_key("summary-cs.md")
    {
        out.push(
            Diagnostic::error("missing-summary", "summary-cs.md", "the package has no Czech summary (summary-cs.md)")
                .with_hint("write the Czech summary in summary-cs.md at the top of the package folder"),
        );
    }
    out
}

fn manifest_text(package: &Package) -> &str {
    package.sources.get(manifest::FILE).map(|s| &*s.text).unwrap_or("")
}

fn bad_country(file: &str, code: &str) -> Diagnostic {
    let hint = match countries::suggestion(code) {
        Some(suggested) if suggested != code => format!("did you mean {suggested}?"),
        _ => "use an EMN country code: the EU states except DK (EL for Greece), or an observer: NO, GE, MD, UA, ME, AM, RS, MK".to_string(),
    };
    Diagnostic::error("bad-country", file, format!("`{code}` is not an EMN country code")).with_hint(hint)
}

fn source_text<'a>(package: &'a Package, file: &str) -> &'a str {
    package.sources.get(file).map(|s| &*s.text).unwrap_or("")
}

/// Packages for the rules' unit tests: the sample package with files
/// added or replaced, loaded as `validate` loads it. The rules themselves
/// are pure; only this setup touches files.
#[cfg(test)]
mod testing {
    use super::*;
    pub use crate::testing::{contribution, package};

    /// (code, line) of each diagnostic a rule gave, in order.
    pub fn codes(diagnostics: &[Diagnostic]) -> Vec<(&str, Option<usize>)> {
        diagnostics.iter().map(|d| (d.code, d.line)).collect()
    }
}
