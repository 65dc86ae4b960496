//! A package's glossary.csv, then the search of a text with it: the first
//! line of the input is the text searched, the rest the CSV.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (text, csv) = input.split_once('\n').unwrap_or((input, ""));
    let (glossary, _) = emn_pub::load::glossary::Glossary::load(Some(csv));
    for language in ["en", "cs"] {
        let _ = glossary.deprecated(text, language);
    }
});
