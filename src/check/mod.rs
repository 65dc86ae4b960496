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
pub mod figures;
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

/// The results of the rules that read one document, kept per document by
/// everything they read (`watch`: a save checks the saved file again and
/// takes the others' results as they were).
#[derive(Default)]
pub struct Cache {
    documents: std::sync::Mutex<std::collections::HashMap<u64, Vec<Diagnostic>>>,
}

/// Runs every rule.
pub fn check(package: &Package, today: crate::dates::Date) -> Vec<Diagnostic> {
    check_cached(package, today, &Cache::default())
}

/// Runs every rule, taking the one-document rules' results from `cache`
/// for documents whose inputs did not change.
pub fn check_cached(package: &Package, today: crate::dates::Date, cache: &Cache) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let context = context_fingerprint(package);
    let documents: Vec<(u64, &Document)> =
        package.documents().map(|document| (document_fingerprint(package, document, context), document)).collect();
    let mut kept = cache.documents.lock().unwrap_or_else(|p| p.into_inner());
    let earlier: Vec<Option<Vec<Diagnostic>>> = documents.iter().map(|(key, _)| kept.remove(key)).collect();
    // The documents are checked on every core, beside the package-wide rules.
    let (mut out, checked) = rayon::join(
        || package_rules(package, today),
        || {
            documents
                .par_iter()
                .zip(earlier)
                .map(|((_, document), earlier)| {
                    earlier.unwrap_or_else(|| {
                        let mut found = Vec::new();
                        document_rules(package, document, &mut found);
                        found
                    })
                })
                .collect::<Vec<_>>()
        },
    );
    let mut fresh = std::collections::HashMap::new();
    for ((key, _), diagnostics) in documents.iter().zip(checked) {
        out.extend(diagnostics.iter().cloned());
        fresh.insert(*key, diagnostics);
    }
    // Only the documents of this check are kept: a day of saves stays bounded.
    *kept = fresh;
    out
}

/// The rules that read one document (and the package's fixed parts: the
/// template, the glossary, the fonts, the files it refers to).
fn document_rules(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    if let Some(contribution) = package.contributions.iter().find(|c| std::ptr::eq(&c.document, document)) {
        check_front_matter(contribution, out);
        check_answers(package, contribution, out);
    }
    check_references(package, document, out);
    check_language(document, out);
    check_image_titles(document, out);
    check_dissemination(document, out);
    check_unread_images(document, out);
    check_raw_html(document, out);
    check_document_characters(package, document, out);
    check_terminology(package, document, out);
}

/// What the one-document rules read besides the document: every other
/// file's bytes and the facts of the files documents refer to.
fn context_fingerprint(package: &Package) -> u64 {
    use std::hash::{Hash, Hasher};
    let documents: BTreeSet<&str> = package.documents().map(|d| d.file.as_str()).collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for (path, source) in &package.sources {
        if !documents.contains(path.as_str()) {
            (path, &source.sha256).hash(&mut hasher);
        }
    }
    format!("{:?}{:?}", package.referenced, package.unreadable).hash(&mut hasher);
    hasher.finish()
}

/// A document's inputs: its file's bytes, its place among the package's
/// documents, and the context.
fn document_fingerprint(package: &Package, document: &Document, context: u64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    context.hash(&mut hasher);
    document.file.hash(&mut hasher);
    package.sources.get(&document.file).map(|s| &s.sha256).hash(&mut hasher);
    let is_summary = package.summary_cs.as_ref().is_some_and(|summary| std::ptr::eq(summary, document));
    let is_contribution = package.contributions.iter().any(|c| std::ptr::eq(&c.document, document));
    (is_summary, is_contribution).hash(&mut hasher);
    hasher.finish()
}

/// The rules over the package as a whole.
fn package_rules(package: &Package, today: crate::dates::Date) -> Vec<Diagnostic> {
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
    check_situational_length(package, &mut out);
    figures::check_figures(package, &mut out);
    check_duplicate_contributions(package, &mut out);
    check_placeholders(package, &mut out);
    check_characters(package, &mut out);
    check_sizes(package, &mut out);
    check_package_bytes(package, &mut out);
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

#[cfg(test)]
mod tests {
    use super::testing::{contribution, package};
    use super::*;

    fn sorted(diagnostics: Vec<Diagnostic>) -> Vec<String> {
        let mut printed: Vec<String> = diagnostics.iter().map(|d| format!("{d:?}")).collect();
        printed.sort();
        printed
    }

    #[test]
    fn a_cached_check_finds_what_a_full_one_does_and_rechecks_a_changed_file() {
        let today = crate::dates::Date::new(2025, 6, 1);
        let prose = "# Key findings\n\nThe illegal immigrants were counted.\n";
        let (path, text) = contribution("AT", "# Key findings\n", prose);
        let with_term = package(&[(&path, &text)]);
        let cache = Cache::default();
        let full = sorted(check(&with_term, today));
        assert!(full.iter().any(|d| d.contains("deprecated-term")), "{full:?}");
        assert_eq!(sorted(check_cached(&with_term, today, &cache)), full);
        assert_eq!(sorted(check_cached(&with_term, today, &cache)), full, "served from the cache");
        // The same file saved without the term: checked again, not served stale.
        let (path, text) = contribution("AT", "# Key findings\n", "# Key findings\n\nThe migrants were counted.\n");
        let without = package(&[(&path, &text)]);
        let cached = sorted(check_cached(&without, today, &cache));
        assert!(!cached.iter().any(|d| d.contains("deprecated-term")), "{cached:?}");
        assert_eq!(cached, sorted(check(&without, today)));
    }
}
