//! What an answer says, read once at load time: the closed answer a yes-no
//! or choice question gets, and word counts.
//!
//! `check` reports what could not be classified; the synthesis, the
//! compilation and the Flash count what was. Both read the same
//! [`Closed`] value, so a rule and a table can never disagree.

use unicode_segmentation::UnicodeSegmentation;

use super::markdown::{self, Block, Inline};
use super::template::{AnswerKind, Question};

/// A closed question's answer, as the answer's first words give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    Yes,
    No,
    /// One of the question's options, as the template spells it.
    Option(String),
    /// The answer starts with neither Yes/No nor an option.
    Unrecognised,
    /// Given, for the EMN network only: the public edition counts the
    /// country among those that answered, and says no more.
    NotForPublication,
}

/// The label of [`Closed::NotForPublication`] in tables, maps and counts.
pub const NOT_FOR_PUBLICATION: &str = "Answered, not for publication";

impl Closed {
    /// The label tables print (`Yes`, `No`, the option), if recognised.
    pub fn label(&self) -> Option<&str> {
        match self {
            Closed::Yes => Some("Yes"),
            Closed::No => Some("No"),
            Closed::Option(option) => Some(option),
            Closed::Unrecognised => None,
            Closed::NotForPublication => Some(NOT_FOR_PUBLICATION),
        }
    }
}

/// Classifies an answer to `question` written in `language` (an ISO 639-1
/// code); `None` for open (text) questions.
pub fn classify(question: &Question, blocks: &[Block], language: &str) -> Option<Closed> {
    let opening = opening_text(blocks);
    match question.answer {
        AnswerKind::Text => None,
        AnswerKind::YesNo => Some(match yes_no(&opening, language) {
            Some(true) => Closed::Yes,
            Some(false) => Closed::No,
            None => Closed::Unrecognised,
        }),
        AnswerKind::Choice => Some(
            choice_in(question, &opening, language)
                .map_or(Closed::Unrecognised, |option| Closed::Option(option.into())),
        ),
    }
}

/// Words as Unicode word segmentation (UAX #29) sees them: Czech and Greek
/// words count right; `e-mail` counts as two words, `12 345,6` as two.
pub fn count_words(text: &str) -> usize {
    text.unicode_words().count()
}

/// The text of an answer's first paragraph (or list item), where Yes/No or the option must be.
fn opening_text(blocks: &[Block]) -> String {
    let mut opening = None;
    markdown::for_each_inlines(blocks, &mut |inlines: &[Inline]| {
        if opening.is_none() {
            let text = markdown::inline_text(inlines);
            if !text.trim().is_empty() {
                opening = Some(text);
            }
        }
    });
    opening.unwrap_or_default()
}

/// The words for yes and for no in the EU's official languages and the
/// languages of the EMN observer countries (Norway, Georgia, Moldova,
/// Ukraine, Montenegro, Armenia, Serbia, North Macedonia), lower case.
const YES_NO: &[(&str, &[&str], &[&str])] = &[
    ("bg", &["да"], &["не"]),
    ("cs", &["ano"], &["ne"]),
    ("da", &["ja"], &["nej"]),
    ("de", &["ja"], &["nein"]),
    ("el", &["ναι", "ναί"], &["όχι", "οχι"]),
    ("en", &["yes"], &["no"]),
    ("es", &["sí", "si"], &["no"]),
    ("et", &["jah"], &["ei"]),
    ("fi", &["kyllä"], &["ei"]),
    ("fr", &["oui"], &["non"]),
    ("ga", &["tá", "sea"], &["níl", "ní"]),
    ("hr", &["da"], &["ne"]),
    ("hu", &["igen"], &["nem"]),
    ("it", &["sì", "si"], &["no"]),
    ("lt", &["taip"], &["ne"]),
    ("lv", &["jā", "ja"], &["nē", "ne"]),
    ("mt", &["iva"], &["le"]),
    ("nl", &["ja"], &["nee"]),
    ("pl", &["tak"], &["nie"]),
    ("pt", &["sim"], &["não", "nao"]),
    ("ro", &["da"], &["nu"]),
    ("sk", &["áno", "ano"], &["nie"]),
    ("sl", &["da"], &["ne"]),
    ("sv", &["ja"], &["nej"]),
    ("no", &["ja"], &["nei"]),
    ("nb", &["ja"], &["nei"]),
    ("nn", &["ja"], &["nei"]),
    ("ka", &["კი", "დიახ"], &["არა"]),
    ("uk", &["так"], &["ні"]),
    ("ru", &["да"], &["нет"]),
    ("cnr", &["da", "да"], &["ne", "не"]),
    ("sr", &["da", "да"], &["ne", "не"]),
    ("bs", &["da"], &["ne"]),
    ("mk", &["да"], &["не"]),
    ("hy", &["այո"], &["ոչ"]),
];

/// The words for yes and no in `language` (English for an unknown one).
pub fn yes_no_words(language: &str) -> (&'static [&'static str], &'static [&'static str]) {
    let language = crate::countries::primary_language(language);
    YES_NO.iter().find(|(code, _, _)| *code == language).map_or((&["yes"], &["no"]), |(_, yes, no)| (*yes, *no))
}

/// `Some(true)` for Yes, `Some(false)` for No: in English, or in the
/// contribution's own language.
fn yes_no(opening: &str, language: &str) -> Option<bool> {
    let first = opening.unicode_words().next()?.to_lowercase();
    let (yes, no) = yes_no_words(language);
    if first == "yes" || yes.contains(&first.as_str()) {
        Some(true)
    } else if first == "no" || no.contains(&first.as_str()) {
        Some(false)
    } else {
        None
    }
}

/// The option (as the template spells it in English) an answer opens
/// with, in English or in the contribution's own language.
fn choice_in<'q>(question: &'q Question, opening: &str, language: &str) -> Option<&'q str> {
    if let Some(option) = choice(opening, &question.options) {
        return Some(option);
    }
    let language = crate::countries::primary_language(language);
    // The contribution's language first; then any language the template
    // gives (a contribution whose `language` was left at en while its NCP
    // answered in Czech): an option is unmistakable in any of them.
    let own = question.option_translations.get(&language).into_iter();
    let others = question.option_translations.iter().filter(|(l, _)| **l != language).map(|(_, t)| t);
    own.chain(others).find_map(|translated| {
        let translated = translated.get_ref();
        let found = choice(opening, translated)?;
        let index = translated.iter().position(|option| option == found)?;
        question.options.get(index).map(String::as_str)
    })
}

/// The options of `question` as a contribution in `language` may write them.
pub fn options_in<'q>(question: &'q Question, language: &str) -> &'q [String] {
    let language = crate::countries::primary_language(language);
    question.option_translations.get(&language).map_or(&question.options, |t| t.get_ref())
}

/// The option an answer starts with, longest first.
fn choice<'a>(opening: &str, options: &'a [String]) -> Option<&'a str> {
    let opening: String = opening.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let mut sorted: Vec<&String> = options.iter().collect();
    sorted.sort_by_key(|o| std::cmp::Reverse(o.len()));
    sorted
        .into_iter()
        .find(|option| {
            let option = option.to_lowercase();
            opening.starts_with(&option) && !opening[option.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_count_czech_and_greek() {
        assert_eq!(count_words("Žádosti o mezinárodní ochranu vzrostly."), 5);
        assert_eq!(count_words("Η Ελλάδα υποδέχθηκε"), 3);
    }

    #[test]
    fn yes_no_and_choice() {
        assert_eq!(yes_no("Yes, since 2020.", "en"), Some(true));
        assert_eq!(yes_no("no", "en"), Some(false));
        assert_eq!(yes_no("Partly.", "en"), None);
        assert_eq!(yes_no("Yesterday", "en"), None);
        let options = vec!["Ministry of the Interior".to_string(), "Other".to_string()];
        assert_eq!(choice("Ministry of the Interior, with ...", &options), Some("Ministry of the Interior"));
        assert_eq!(choice("Others", &options), None);
    }

    #[test]
    fn a_choice_in_the_contributions_language() {
        let text = crate::load::template::built_in("study-generic").unwrap();
        let template = crate::load::template::parse("study-generic", text).0.unwrap();
        let question = template.question("Q2.1").unwrap();
        assert_eq!(choice_in(question, "Ministerstvo vnitra.", "cs"), Some("Ministry of the Interior"));
        assert_eq!(choice_in(question, "Ministry of Labour, with …", "cs"), Some("Ministry of Labour"));
        assert_eq!(
            choice_in(question, "Ministerstvo vnitra.", "en"),
            Some("Ministry of the Interior"),
            "a Czech option in a contribution left at en"
        );
        assert_eq!(choice_in(question, "Innenministerium, mit …", "cs"), Some("Ministry of the Interior"));
        assert_eq!(choice_in(question, "Ministerstvo zahraničí.", "cs"), None);
    }

    #[test]
    fn yes_no_in_the_contributions_language() {
        assert_eq!(yes_no("Ano. Od roku 2020.", "cs"), Some(true));
        assert_eq!(yes_no("Ne.", "cs"), Some(false));
        assert_eq!(yes_no("Так. З 2022 року.", "uk"), Some(true));
        assert_eq!(yes_no("Ні", "uk"), Some(false));
        assert_eq!(yes_no("კი, 2023 წლიდან.", "ka"), Some(true));
        assert_eq!(yes_no("Όχι.", "el"), Some(false));
        assert_eq!(yes_no("Nein", "de"), Some(false));
        // English is understood in any contribution; another language's words are not.
        assert_eq!(yes_no("Yes.", "cs"), Some(true));
        assert_eq!(yes_no("Ano.", "en"), None);
        assert_eq!(yes_no("Так.", "cs"), None);
    }
}
