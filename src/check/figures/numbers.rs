//! Reading the figures of a sentence as its language writes them: digit
//! groups and the decimal mark (CLDR's, and a space in any language),
//! "1,2 mil.", percentages, changes, counts of countries in digits or
//! words.

/// A figure as a sentence writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Where it starts, in characters of the sentence.
    pub start: usize,
    pub written: String,
    pub value: f64,
    /// Half the step its last written digit stands for ("1,2 mil.": 50,000).
    pub precision: f64,
    /// Followed by `%` (or "per cent", "procent", "Prozent").
    pub percent: bool,
    /// A count of countries ("four Member States").
    pub count_of_countries: bool,
    /// Of Member States (observers not counted).
    pub member_states: bool,
}

/// The figures of `sentence` in `lang`: not years, not parts of ids, dates
/// or references (`Q1.1`, `326/1999`, `§ 42`, `2019-2023`).
pub fn written_numbers(sentence: &str, lang: &str, decimal_mark: char) -> Vec<Written> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        if !chars[index].is_ascii_digit() || index > 0 && is_attached(chars[index - 1]) {
            if let Some((length, count)) = number_word(&chars, index, lang) {
                found.extend(count_of_countries(&chars, index, length, count as f64));
                index += length;
            } else {
                index += 1;
            }
            continue;
        }
        let (end, value, decimals) = read_digits(&chars, index, decimal_mark);
        let written: String = chars[index..end].iter().collect();
        let next = chars.get(end).copied();
        let reference = next.is_some_and(|c| {
            matches!(c, '/' | '-' | '–' | '.') && chars.get(end + 1).is_some_and(char::is_ascii_digit)
        }) || next.is_some_and(char::is_alphanumeric);
        let year = decimals == 0 && written.len() == 4 && (1900.0..=2100.0).contains(&value);
        if !reference && !year {
            found.push(figure(&chars, index, end, value, decimals));
        }
        index = end.max(index + 1);
    }
    found
}

/// A character that makes the digits after it part of something else (an
/// id, a paragraph sign, a date).
fn is_attached(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '§' | '/' | '.' | ',' | '-' | '–' | '#' | '€' | '$' | '£')
}

/// The digits from `start`: digit groups separated by a space, a no-break
/// space or a separator other than the decimal mark, then the decimal mark
/// and decimals. Returns the end, the value and its decimals.
fn read_digits(chars: &[char], start: usize, decimal_mark: char) -> (usize, f64, usize) {
    let digits_from = |at: usize| chars[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut end = start + digits_from(start);
    let mut integer: String = chars[start..end].iter().collect();
    // Groups: a separator that is not the decimal mark, then exactly three digits.
    while let Some(&separator) = chars.get(end) {
        let grouping =
            matches!(separator, ' ' | '\u{a0}' | '\u{202f}' | ',' | '.' | '\'' | '’') && separator != decimal_mark;
        let group = digits_from(end + 1);
        if !grouping || group != 3 || end + 1 + group > chars.len() {
            break;
        }
        integer.extend(&chars[end + 1..end + 4]);
        end += 4;
    }
    let mut fraction = String::new();
    if chars.get(end) == Some(&decimal_mark) {
        let count = digits_from(end + 1);
        if count > 0 {
            fraction = chars[end + 1..end + 1 + count].iter().collect();
            end += 1 + count;
        }
    }
    let value: f64 = format!("{integer}.{}", if fraction.is_empty() { "0" } else { &fraction }).parse().unwrap_or(0.0);
    (end, value, fraction.len())
}

/// The figure written from `start` to `end`, with what follows it: a
/// multiplier ("mil."), a `%`, or the countries it counts.
fn figure(chars: &[char], start: usize, end: usize, value: f64, decimals: usize) -> Written {
    let after: String = chars[end..].iter().take(24).collect::<String>().to_lowercase();
    let after = after.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let step = 10f64.powi(-(decimals as i32));
    let (multiplier, unit_length) = multiplier(after);
    let percent =
        after.starts_with('%') || ["per cent", "percent", "procent", "prozent"].iter().any(|w| after.starts_with(w));
    let mut written: String = chars[start..end].iter().collect();
    if multiplier > 1.0 {
        written.push(' ');
        written.push_str(&after[..unit_length]);
    } else if percent {
        written.push_str(" %");
    }
    let counted = count_of_countries(chars, start, end - start, value);
    if let (Some(count), 0) = (counted, decimals) {
        return count;
    }
    Written {
        start,
        written,
        value: value * multiplier,
        // A percentage or a figure with decimals or "mil." stands for what
        // rounds to it; a whole number of persons is exact.
        precision: if percent || multiplier > 1.0 || decimals > 0 { step * multiplier / 2.0 } else { 0.0 },
        percent,
        count_of_countries: false,
        member_states: false,
    }
}

/// "mil." and the like after a figure: its multiplier and the length of
/// its word.
fn multiplier(after: &str) -> (f64, usize) {
    const WORDS: &[(&str, f64)] = &[
        ("million", 1e6),
        ("milionů", 1e6),
        ("miliony", 1e6),
        ("milionu", 1e6),
        ("milion", 1e6),
        ("millionen", 1e6),
        ("mil.", 1e6),
        ("mio.", 1e6),
        ("thousand", 1e3),
        ("tisíc", 1e3),
        ("tis.", 1e3),
        ("tausend", 1e3),
        ("tsd.", 1e3),
    ];
    WORDS
        .iter()
        .find(|(word, _)| {
            after.starts_with(word) && after[word.len()..].chars().next().is_none_or(|c| !c.is_alphabetic())
        })
        .map_or((1.0, 0), |(word, factor)| (*factor, word.len()))
}

/// A count of countries: a number followed by "Member States",
/// "countries", "členské státy", "Mitgliedstaaten" and the like.
fn count_of_countries(chars: &[char], start: usize, length: usize, value: f64) -> Option<Written> {
    let after: String = chars[start + length..].iter().take(40).collect::<String>().to_lowercase();
    let after = after.trim_start();
    let member_states = [
        "member states",
        "eu member states",
        "členské státy",
        "členských států",
        "členských státech",
        "mitgliedstaaten",
        "eu-mitgliedstaaten",
    ];
    let countries = ["countries", "země", "zemí", "zemích", "státy", "států", "länder", "staaten"];
    let member = member_states.iter().any(|noun| after.starts_with(noun));
    let any = member || countries.iter().any(|noun| after.starts_with(noun));
    any.then(|| Written {
        start,
        written: chars[start..start + length].iter().collect(),
        value,
        precision: 0.0,
        percent: false,
        count_of_countries: true,
        member_states: member,
    })
}

/// A number word at `index` ("four", "čtyři", "vier"), as a whole word:
/// its length and value.
fn number_word(chars: &[char], index: usize, lang: &str) -> Option<(usize, u32)> {
    if index > 0 && chars[index - 1].is_alphanumeric() {
        return None;
    }
    let word: String = chars[index..].iter().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    let words: &[&str] = match crate::countries::primary_language(lang).as_str() {
        "cs" => &[
            "",
            "jeden|jedna|jedno",
            "dva|dvě",
            "tři",
            "čtyři",
            "pět",
            "šest",
            "sedm",
            "osm",
            "devět",
            "deset",
            "jedenáct",
            "dvanáct",
            "třináct",
            "čtrnáct",
            "patnáct",
            "šestnáct",
            "sedmnáct",
            "osmnáct",
            "devatenáct",
            "dvacet",
        ],
        "de" => &[
            "",
            "ein|eine|einem|einen|einer",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "sieben",
            "acht",
            "neun",
            "zehn",
            "elf",
            "zwölf",
            "dreizehn",
            "vierzehn",
            "fünfzehn",
            "sechzehn",
            "siebzehn",
            "achtzehn",
            "neunzehn",
            "zwanzig",
        ],
        _ => &[
            "",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ],
    };
    let value = words.iter().position(|forms| !forms.is_empty() && forms.split('|').any(|form| form == word))?;
    let counted = count_of_countries(chars, index, word.chars().count(), value as f64)?;
    Some((counted.written.chars().count(), value as u32))
}

/// The years a sentence names (1900–2100, written alone), each with
/// where it starts (in characters), in order.
pub fn years(sentence: &str) -> Vec<(i32, usize)> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut years = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let length = chars[index..].iter().take_while(|c| c.is_ascii_digit()).count();
        if length == 0 {
            index += 1;
            continue;
        }
        let alone = (index == 0 || !chars[index - 1].is_alphanumeric())
            && chars.get(index + length).is_none_or(|c| !c.is_alphanumeric());
        if length == 4 && alone {
            let year: i32 = chars[index..index + 4].iter().collect::<String>().parse().unwrap_or(0);
            if (1900..=2100).contains(&year) {
                years.push((year, index));
            }
        }
        index += length;
    }
    years
}

/// +1 when the sentence says a figure rose, −1 when it fell; `None` when it
/// says neither (a share, not a change).
pub fn change_direction(lower: &str, lang: &str) -> Option<f64> {
    let (up, down): (&[&str], &[&str]) = match crate::countries::primary_language(lang).as_str() {
        "cs" => (&["vzrost", "stoup", "zvýš", "více", "nárůst"], &["klesl", "pokles", "sníž", "méně", "ubyl"]),
        "de" => (
            &["stieg", "gestiegen", "zunahme", "zugenommen", "erhöh", "mehr"],
            &["sank", "gesunken", "rückgang", "abgenommen", "weniger"],
        ),
        _ => (
            &["rose", "risen", "increase", "grew", "grown", "up by", "higher"],
            &["fell", "fallen", "decrease", "declin", "dropped", "down by", "lower"],
        ),
    };
    let rises = up.iter().any(|word| lower.contains(word));
    let falls = down.iter().any(|word| lower.contains(word));
    match (rises, falls) {
        (true, false) => Some(1.0),
        (false, true) => Some(-1.0),
        _ => None,
    }
}

/// Whether a sentence counts what was not done ("no", "not", "ne-").
pub fn is_negative(lower: &str, lang: &str) -> bool {
    let words: &[&str] = match crate::countries::primary_language(lang).as_str() {
        "cs" => &[" ne", " nemá", " nemají", " žádn"],
        "de" => &[" nicht", " kein"],
        _ => &[" not ", " no ", "n't", " none"],
    };
    words.iter().any(|word| format!(" {lower}").contains(word))
}

/// Whether a sentence speaks of the EU as a whole.
pub fn names_the_eu(sentence: &str) -> bool {
    sentence.match_indices("EU").any(|(at, _)| {
        let before = sentence[..at].chars().next_back();
        let after = sentence[at + 2..].chars().next();
        before.is_none_or(|c| !c.is_alphabetic()) && after.is_none_or(|c| !c.is_lowercase())
    })
}

/// Whether `lower` holds `term` as whole words; a term ending in `*` takes
/// any ending of its last word.
pub fn contains_term(lower: &str, term: &str) -> bool {
    !term_places(lower, term).is_empty()
}

/// Where `lower` holds `term` as whole words: (first, last) character
/// index of each place, the ending a `*` takes included.
pub fn term_places(lower: &str, term: &str) -> Vec<(usize, usize)> {
    let (stem, any_ending) = match term.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (term, false),
    };
    if stem.is_empty() {
        return Vec::new();
    }
    lower
        .match_indices(stem)
        .filter_map(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let rest = &lower[at + stem.len()..];
            let after = rest.chars().next();
            let whole = before.is_none_or(|c| !c.is_alphanumeric())
                && (any_ending || after.is_none_or(|c| !c.is_alphanumeric()));
            let ending = if any_ending { rest.chars().take_while(|c| c.is_alphanumeric()).count() } else { 0 };
            let first = lower[..at].chars().count();
            whole.then(|| (first, first + stem.chars().count() + ending))
        })
        .collect()
}

/// Words between two character places of a sentence.
pub fn words_between(text: &str, from: usize, to: usize) -> usize {
    let between: String = text.chars().skip(from).take(to.saturating_sub(from)).collect();
    between.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count()
}

/// Whether a sentence repeats two words of a question in a row, each of
/// four letters or more ("national strategy" of "Does your Member State
/// have a specific national strategy …?"), words it shares with every
/// count ("Member States") aside.
pub fn shares_a_phrase(sentence: &str, question: &str) -> bool {
    let content = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.chars().count() >= 4)
            .filter(|word| !["member", "state", "states", "your", "does", "have", "which", "what"].contains(word))
            .map(str::to_string)
            .collect()
    };
    let words = content(question);
    let pairs: Vec<String> = words.windows(2).map(|pair| format!("{} {}", pair[0], pair[1])).collect();
    pairs.iter().any(|pair| contains_term(sentence, pair))
}
