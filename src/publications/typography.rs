//! Typography as text: the characters a text style asks for, decided here
//! once, so the PDF, the Word file and the web page print the same ones.
//!
//! - a figure is never split across lines: the space inside a digit group
//!   ("21 480") and before `%` or `‰` ("27 %") becomes a no-break space;
//! - Czech, Slovak and Polish keep a one-letter preposition or conjunction
//!   with the next word (a no-break space, as the `vlna` tool does for TeX);
//! - the straight quotes typed become the language's quotes (Czech and
//!   German „…“ and ‚…‘, French «…», English “…” and ‘…’), the quotes the
//!   typesetter knows for that language, so the web page and the Word file
//!   print what the PDF prints; an apostrophe inside a word is ’.

use std::borrow::Cow;

use super::document::{Quotes, TextStyle};

/// The style of text in `lang` (a BCP 47 tag: `cs`, `de-AT`).
pub fn style_for(lang: &str) -> TextStyle {
    let mut subtags = lang.split(['-', '_']);
    let language = subtags.next().unwrap_or_default().to_ascii_lowercase();
    let region = subtags.find(|tag| tag.len() == 2).map(str::to_ascii_uppercase);
    TextStyle { quotes: Some(quotes_of(&language, region.as_deref())), one_letter_words: one_letter_words(&language) }
}

/// The quotes typst prints for a language and region: the same table the
/// PDF is set with.
fn quotes_of(language: &str, region: Option<&str>) -> Quotes {
    static AUTOMATIC: typst::foundations::Smart<typst::text::SmartQuoteDict> = typst::foundations::Smart::Auto;
    let lang = language.parse().unwrap_or(typst::text::Lang::ENGLISH);
    let region = region.and_then(|region| region.parse().ok());
    let quotes = typst::text::SmartQuotes::get(&AUTOMATIC, lang, region, false);
    Quotes { double: [quotes.double_open, quotes.double_close], single: [quotes.single_open, quotes.single_close] }
}

/// The one-letter prepositions and conjunctions a language keeps with the
/// next word.
fn one_letter_words(language: &str) -> &'static str {
    match language {
        "cs" | "sk" => "ksvzouaiKSVZOUAI",
        "pl" => "aiouwzAIOUWZ",
        _ => "",
    }
}

const NO_BREAK_SPACE: char = '\u{a0}';

/// `text` with the characters `style` asks for.
pub fn set(text: &str, style: TextStyle) -> Cow<'_, str> {
    let needs_work = text.contains(' ') || (style.quotes.is_some() && (text.contains('"') || text.contains('\'')));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (index, &c) in chars.iter().enumerate() {
        let before = index.checked_sub(1).map(|i| chars[i]);
        let after = chars.get(index + 1).copied();
        let side = usize::from(!opens(before));
        match (c, style.quotes) {
            (' ', _) if keeps_figure_whole(&chars, index) => out.push(NO_BREAK_SPACE),
            (' ', _) if follows_one_letter_word(&chars, index, style.one_letter_words) => out.push(NO_BREAK_SPACE),
            ('"', Some(quotes)) => out.push_str(quotes.double[side]),
            ('\'', Some(_)) if before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphabetic) => {
                out.push('\u{2019}')
            }
            ('\'', Some(quotes)) => out.push_str(quotes.single[side]),
            (c, _) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A quote opens at the start, after a space or an opening bracket or dash.
fn opens(before: Option<char>) -> bool {
    before.is_none_or(|b| b.is_whitespace() || "([{„‚“‘-–—/".contains(b))
}

/// The space at `index` sits inside a figure: between a digit and a group
/// of exactly three digits, or between a digit and a per cent or mille sign.
fn keeps_figure_whole(chars: &[char], index: usize) -> bool {
    let digit_before = index.checked_sub(1).is_some_and(|i| chars[i].is_ascii_digit());
    if !digit_before {
        return false;
    }
    let rest = &chars[index + 1..];
    if matches!(rest.first(), Some('%' | '‰')) {
        return true;
    }
    let group = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    group == 3
}

/// The space at `index` follows one of `words`, a one-letter word kept with
/// the next.
fn follows_one_letter_word(chars: &[char], index: usize, words: &str) -> bool {
    let Some(word) = index.checked_sub(1).map(|i| chars[i]) else { return false };
    let before_word = index.checked_sub(2).map(|i| chars[i]);
    let starts_word = before_word.is_none_or(|b| b.is_whitespace() || "([„\"'‚".contains(b));
    starts_word && words.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn czech() -> TextStyle {
        style_for("cs")
    }

    #[test]
    fn czech_one_letter_words_keep_with_the_next() {
        assert_eq!(set("žádosti v Praze a Brně", czech()), "žádosti v\u{a0}Praze a\u{a0}Brně");
        assert_eq!(set("dav u", czech()), "dav u");
        assert_eq!(set("(k němu)", czech()), "(k\u{a0}němu)");
        assert_eq!(set("je v Praze", style_for("en")), "je v Praze", "English keeps its spaces");
        assert_eq!(set("w domu i z", style_for("pl")), "w\u{a0}domu i\u{a0}z");
    }

    #[test]
    fn figures_are_never_split() {
        let plain = TextStyle::default();
        assert_eq!(set("21 480 single permits", plain), "21\u{a0}480 single permits");
        assert_eq!(set("1 234 567 cases", plain), "1\u{a0}234\u{a0}567 cases");
        assert_eq!(set("o 27 % více", plain), "o 27\u{a0}% více");
        assert_eq!(set("in 2019 2020 and", plain), "in 2019 2020 and", "two years are two figures");
        assert_eq!(set("1 2 3 4", plain), "1 2 3 4");
    }

    #[test]
    fn quotes_are_the_languages() {
        assert_eq!(set("řekl \"ano\" a 'ne'", czech()), "řekl „ano“ a\u{a0}‚ne‘");
        assert_eq!(set("(\"x\")", czech()), "(„x“)");
        assert_eq!(set("it's \"so\"", style_for("en")), "it’s “so”");
        assert_eq!(set("\"ja\"", style_for("de-AT")), "„ja“");
        assert_eq!(set("\"oui\"", style_for("fr")), "«\u{202f}oui\u{202f}»");
        assert_eq!(set("\"as typed\"", TextStyle::default()), "\"as typed\"", "no style, no change");
    }
}
