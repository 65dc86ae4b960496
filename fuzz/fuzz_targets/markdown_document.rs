//! Front matter and Markdown: a contribution's text split into front matter,
//! answers by question id and blocks, then its text decoded as load does.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = emn_pub::load::document::decode_text("contributions/CZ.md", bytes) else { return };
    let is_id = |word: &str| word.starts_with('Q') && word.len() < 8;
    let (document, _) = emn_pub::load::document::parse("contributions/CZ.md", &text, &is_id);
    let _ = emn_pub::load::markdown::blocks_text(&document.body);
});
