//! The EMN Glossary: concepts, their terms per language (preferred,
//! admitted, deprecated), definitions and sources, and finding the terms in
//! what NCPs and editors wrote.
//!
//! A built-in subset (`templates/glossary.csv`, with its attribution in
//! `templates/GLOSSARY-SOURCE.txt`) is extended, or overridden term by term,
//! by a package's `glossary.csv`. A `*` ends a word with any ending, for
//! languages that inflect (`uprchlick* tábor*` finds "uprchlickém
//! táboře": words are compared without diacritics, as Czech stems change
//! `r` to `ř` when inflected); an English term's last word also matches
//! its plural.
//! Quotations, block quotes, code, comments and link targets are not
//! searched: a quoted or cited term is the source's, not the author's.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::limits::{MAX_DEFINITION_CHARS, MAX_GLOSSARY_ROWS, MIN_WILDCARD_STEM};
use crate::load::markdown::TextRun;

/// The built-in subset of the EMN Glossary.
pub const BUILT_IN: &str = include_str!("../../templates/glossary.csv");

/// The attribution printed with every definition quoted from the Glossary.
pub const ATTRIBUTION: &str = "Definitions from the EMN Asylum and Migration Glossary (European Migration Network, European Commission), shortened or adapted; © European Union, reused under Commission Decision 2011/833/EU.";

/// The attribution in Czech, for the Czech summary.
pub const ATTRIBUTION_CS: &str = "Definice podle Glosáře azylu a migrace EMN (Evropská migrační síť, Evropská komise), zkrácené nebo upravené; © Evropská unie, opakované použití podle rozhodnutí Komise 2011/833/EU.";

/// Characters of a term's first word its index is keyed by.
const KEY_CHARS: usize = 3;

/// The package's own terms file.
pub const FILE: &str = "glossary.csv";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Preferred,
    Admitted,
    Deprecated,
}

/// Where a glossary CSV keeps each field.
struct Columns {
    concept: usize,
    language: usize,
    term: usize,
    status: usize,
    definition: Option<usize>,
    source: Option<usize>,
}

impl Columns {
    /// One row's term and definition, or what is wrong with the row.
    fn term(&self, record: &csv::StringRecord, file: &str) -> Result<(Term, Option<Definition>), Diagnostic> {
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").to_string();
        let status_text = cell(Some(self.status)).to_lowercase();
        let Some(status) = parse_status(&status_text) else {
            return Err(Diagnostic::error(
                "bad-glossary",
                file,
                format!("status `{status_text}` is not preferred, admitted or deprecated"),
            ));
        };
        let text = cell(Some(self.term));
        let words = pattern(&text);
        if words.is_empty() || cell(Some(self.concept)).is_empty() {
            return Err(Diagnostic::error("bad-glossary", file, "a row without a concept or a term"));
        }
        if words.iter().any(|(stem, wildcard)| *wildcard && stem.chars().count() < MIN_WILDCARD_STEM) {
            return Err(Diagnostic::error(
                "bad-glossary",
                file,
                format!("`{text}`: a `*` needs at least {MIN_WILDCARD_STEM} letters before it"),
            )
            .with_hint("a shorter stem would match far more words than the term"));
        }
        let definition = cell(self.definition);
        if definition.chars().count() > MAX_DEFINITION_CHARS {
            return Err(Diagnostic::error(
                "bad-glossary",
                file,
                format!("the definition of `{text}` is longer than {MAX_DEFINITION_CHARS} characters"),
            )
            .with_hint("shorten it to the Glossary's own definition; cite the source for the rest"));
        }
        let definition = (!definition.is_empty()).then(|| Definition { text: definition, source: cell(self.source) });
        let term = Term {
            concept: cell(Some(self.concept)),
            language: cell(Some(self.language)).to_lowercase(),
            text,
            status,
            words,
        };
        Ok((term, definition))
    }
}

/// One term of a concept in one language.
#[derive(Debug, Clone)]
pub struct Term {
    pub concept: String,
    pub language: String,
    /// As written, `*` included.
    pub text: String,
    pub status: Status,
    words: Vec<(String, bool)>,
}

/// A concept's definition and its source.
#[derive(Debug, Clone, Default)]
pub struct Definition {
    pub text: String,
    pub source: String,
}

/// Concepts and terms, built-in and the package's.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    /// (language, words) → place in `terms`: one term per pattern, so a
    /// later row replaces an earlier one in constant time.
    patterns: std::collections::HashMap<(String, Vec<(String, bool)>), usize>,
    /// (concept, language) → definition, where one is given.
    definitions: BTreeMap<(String, String), Definition>,
}

/// A term found in a text: where (1-based line and character column), the
/// text as written there, and the term.
#[derive(Debug, Clone)]
pub struct Found<'g> {
    pub line: usize,
    pub column: usize,
    pub written: String,
    pub term: &'g Term,
}

impl Glossary {
    /// The built-in glossary with the package's `glossary.csv` (if any)
    /// added; a package row for the same concept, language and term
    /// replaces the built-in one.
    pub fn load(package_csv: Option<&str>) -> (Self, Vec<Diagnostic>) {
        let mut glossary = Glossary::default();
        glossary.add("built-in glossary", BUILT_IN);
        let diagnostics = package_csv.map(|text| glossary.add(FILE, text)).unwrap_or_default();
        (glossary, diagnostics)
    }

    fn add(&mut self, file: &str, text: &str) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers: Vec<String> =
            reader.headers().map(|h| h.iter().map(str::to_lowercase).collect()).unwrap_or_default();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(concept), Some(language), Some(term), Some(status)) =
            (column("concept"), column("language"), column("term"), column("status"))
        else {
            diagnostics.push(
                Diagnostic::error("bad-glossary", file, "the header lacks concept, language, term or status")
                    .at_line(1)
                    .with_hint("start glossary.csv with `concept,language,term,status,definition,source`"),
            );
            return diagnostics;
        };
        let columns =
            Columns { concept, language, term, status, definition: column("definition"), source: column("source") };
        for (row, record) in reader.records().filter_map(Result::ok).enumerate() {
            let line = record.position().map_or(1, |p| p.line() as usize);
            if row == MAX_GLOSSARY_ROWS {
                diagnostics.push(
                    Diagnostic::error(
                        "bad-glossary",
                        file,
                        format!("{file} has more than {MAX_GLOSSARY_ROWS} rows; the rest are not read"),
                    )
                    .at_line(line)
                    .with_hint("keep the package's own terms; the EMN Glossary is built in"),
                );
                break;
            }
            match columns.term(&record, file) {
                Ok((term, definition)) => {
                    if let Some(definition) = definition {
                        self.definitions.insert((term.concept.clone(), term.language.clone()), definition);
                    }
                    self.insert(term);
                }
                Err(diagnostic) => diagnostics.push(diagnostic.at_line(line)),
            }
        }
        diagnostics
    }

    /// Adds a term; one with the same words in the same language (the
    /// package's row beside a built-in one) replaces it.
    fn insert(&mut self, term: Term) {
        let key = (term.language.clone(), term.words.clone());
        match self.patterns.get(&key) {
            Some(&at) => self.terms[at] = term,
            None => {
                self.patterns.insert(key, self.terms.len());
                self.terms.push(term);
            }
        }
    }

    /// The preferred term of a concept in a language, if there is one.
    pub fn preferred(&self, concept: &str, language: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.concept == concept && t.language == language && t.status == Status::Preferred)
    }

    /// The preferred term as a reader should see it: the first preferred
    /// term written out in full (`neregulérní migrant`), else a pattern
    /// without its wildcards.
    pub fn preferred_display(&self, concept: &str, language: &str) -> Option<String> {
        let preferred = || {
            self.terms
                .iter()
                .filter(|t| t.concept == concept && t.language == language && t.status == Status::Preferred)
        };
        preferred().find(|t| !t.text.contains('*')).or_else(|| preferred().next()).map(|t| t.text.replace('*', ""))
    }

    /// A concept's definition in `language`, else in English.
    pub fn definition(&self, concept: &str, language: &str) -> Option<&Definition> {
        let key = |language: &str| (concept.to_string(), language.to_string());
        self.definitions.get(&key(language)).or_else(|| self.definitions.get(&key("en")))
    }

    /// Every term of `language` in a document's prose (its text runs as
    /// `load::markdown` read them: no code, block quotes, comments or link
    /// targets), outside quotations.
    pub fn find<'g>(&'g self, runs: &[TextRun], language: &str) -> Vec<Found<'g>> {
        // Terms by the first letters of their first word: each word of the
        // text is tried only against the terms that can start there.
        let mut by_key: std::collections::HashMap<String, Vec<&Term>> = std::collections::HashMap::new();
        for term in self.terms.iter().filter(|t| t.language == language) {
            if let Some((stem, _)) = term.words.first() {
                by_key.entry(stem.chars().take(KEY_CHARS).collect()).or_default().push(term);
            }
        }
        let mut found = Vec::new();
        let mut in_quotation = None;
        let mut block = None;
        for run in runs.iter().filter(|run| run.kind == crate::load::markdown::RunKind::Prose) {
            if block != Some(run.block) {
                (block, in_quotation) = (Some(run.block), None);
            }
            let text = outside_quotations(&run.text, &mut in_quotation);
            let words = words_of(&text);
            let folded: Vec<String> = words.iter().map(|&(_, from, to)| comparable(&text[from..to])).collect();
            for start in 0..words.len() {
                // Stems shorter than the key (`eu`, `visa`'s `vi…`) sit under
                // their whole selves: try the word's first one to three letters.
                let word = folded[start].as_str();
                // The word's first one, two and three letters, as slices of it.
                let ends = word.char_indices().map(|(at, _)| at).skip(1).chain(std::iter::once(word.len()));
                let keys = ends.take(KEY_CHARS).map(|end| &word[..end]);
                let candidates = keys.filter_map(|key| by_key.get(key)).flatten();
                for term in candidates {
                    if let Some(end) = matches_at(&words, &folded, start, term, &text) {
                        let (column, from, _) = words[start];
                        let written = text[from..words[end].2].to_string();
                        found.push(Found { line: run.pos.line, column: run.pos.column + column - 1, written, term });
                    }
                }
            }
        }
        found
    }
}

impl Glossary {
    /// The deprecated terms in a document's prose, one per place: where a
    /// package's row and a built-in one match the same words, the later
    /// row (the package's) speaks.
    pub fn deprecated<'g>(&'g self, runs: &[TextRun], language: &str) -> Vec<Found<'g>> {
        let mut found = self.find(runs, language);
        found.retain(|f| f.term.status == Status::Deprecated);
        found.reverse();
        let mut seen = std::collections::BTreeSet::new();
        found.retain(|f| seen.insert((f.line, f.column)));
        found.reverse();
        found
    }
}

fn parse_status(text: &str) -> Option<Status> {
    match text {
        "preferred" => Some(Status::Preferred),
        "admitted" => Some(Status::Admitted),
        "deprecated" => Some(Status::Deprecated),
        _ => None,
    }
}

/// A term's words in lower case, each with whether it ends in `*`.
fn pattern(term: &str) -> Vec<(String, bool)> {
    term.split_whitespace()
        .map(|word| {
            let wildcard = word.ends_with('*');
            (comparable(word.trim_end_matches('*')), wildcard)
        })
        .filter(|(word, _)| !word.is_empty())
        .collect()
}

/// Words of a line: (1-based character column, byte start, byte end).
fn words_of(text: &str) -> Vec<(usize, usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (column, (byte, c)) in text.char_indices().enumerate() {
        let in_word = c.is_alphanumeric() || c == '-' && start.is_some();
        match (in_word, start) {
            (true, None) => start = Some((column + 1, byte)),
            (false, Some((col, from))) => {
                words.push((col, from, byte));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((col, from)) = start {
        words.push((col, from, text.len()));
    }
    words
}

/// The index of the last word when `term` matches the words from `start`
/// (only spaces between them); `folded` holds the words as compared.
fn matches_at(
    words: &[(usize, usize, usize)],
    folded: &[String],
    start: usize,
    term: &Term,
    text: &str,
) -> Option<usize> {
    let last = start + term.words.len() - 1;
    if last >= words.len() {
        return None;
    }
    for (k, (stem, wildcard)) in term.words.iter().enumerate() {
        let (_, from, _) = words[start + k];
        if k > 0 && !text[words[start + k - 1].2..from].chars().all(char::is_whitespace) {
            return None;
        }
        let word = &folded[start + k];
        let plural_ok = term.language == "en" && k + 1 == term.words.len();
        let hit = if *wildcard {
            word.starts_with(stem.as_str())
        } else {
            word == stem || plural_ok && is_plural(stem, word)
        };
        if !hit {
            return None;
        }
    }
    Some(last)
}

/// A word as compared: lower case, without diacritics. Czech stems
/// alternate their last consonant when inflected (`tábor` → `táboře`,
/// `r` → `ř`), so `tábor*` must find `táboře`; and a letter typed
/// decomposed is the same letter.
fn comparable(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    if word.is_ascii() {
        // Most words: nothing to decompose (callgrind: decomposing plain
        // ASCII words was 42 % of the Glossary search's instructions).
        return word.to_ascii_lowercase();
    }
    word.nfd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase()
}

/// English plurals: `migrants`, `searches`, `countries`, `children`-free.
fn is_plural(singular: &str, word: &str) -> bool {
    word.strip_suffix('s').is_some_and(|w| w == singular)
        || word.strip_suffix("es").is_some_and(|w| w == singular)
        || singular.strip_suffix('y').is_some_and(|stem| word == format!("{stem}ies"))
        || singular.strip_suffix("man").is_some_and(|stem| word == format!("{stem}men"))
}

/// The text with quotations („…“, “…”, "…", «…») replaced by spaces, so a
/// quoted source may keep its words; `in_quotation` carries an open one
/// over to the next run of the same paragraph. Columns stay where they were.
fn outside_quotations(text: &str, in_quotation: &mut Option<char>) -> String {
    text.chars()
        .map(|c| {
            let hidden = match *in_quotation {
                Some(closing) => {
                    if c == closing {
                        *in_quotation = None;
                    }
                    true
                }
                None => {
                    *in_quotation = opening_quote(c);
                    in_quotation.is_some()
                }
            };
            if hidden { ' ' } else { c }
        })
        .collect()
}

/// The mark that closes a quotation opened by `c`.
fn opening_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '„' => Some('“'),
        '“' => Some('”'),
        '«' => Some('»'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deprecated_found(glossary: &Glossary, text: &str, language: &str) -> Vec<(usize, usize, String)> {
        let runs = crate::load::markdown::parse(text, 1, "x.md").runs;
        glossary.deprecated(&runs, language).into_iter().map(|f| (f.line, f.column, f.written)).collect()
    }

    #[test]
    fn plurals_wildcards_and_what_is_not_searched() {
        let (glossary, diagnostics) = Glossary::load(Some(
            "concept,language,term,status,definition,source\nrefugee-camp,cs,uprchlick* tábor*,deprecated,,\nrefugee-camp,cs,přijímací středisk*,preferred,Místo.,Test\n",
        ));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let text = "\nThe illegal immigrants were counted.\n\n> illegal migrants in a quote\n\n`illegal migrant` and \"illegal migrant\" and [link](illegal-migrant.html)\n<!-- illegal migrant -->\n\n```\nillegal migrant\n```\n\n* An *illegal migrant* in emphasis, and ![illegal migrant](a.png).\n";
        assert_eq!(
            deprecated_found(&glossary, text, "en"),
            [(2, 5, "illegal immigrants".to_string()), (13, 7, "illegal migrant".to_string())]
        );
        let czech = "„V uprchlickém táboře“ citujeme. V uprchlickém táboře žilo 300 lidí.";
        assert_eq!(deprecated_found(&glossary, czech, "cs"), [(1, 36, "uprchlickém táboře".to_string())]);
        assert_eq!(glossary.preferred("refugee-camp", "cs").map(|t| t.text.as_str()), Some("přijímací středisk*"));
        assert!(is_plural("country", "countries") && is_plural("search", "searches"));
    }
}
