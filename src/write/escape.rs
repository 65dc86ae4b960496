//! Text into typst markup, and typst's places back to the input.
//!
//! This is the security boundary: text that NCPs write must stay text. Every
//! ASCII punctuation character of user text is backslash-escaped, so no `#`,
//! `$`, `[`, `<`, `@`, `/`, `=` ... can open code, math, labels, references,
//! comments or headings; values that must be typst strings (URLs, code, alt
//! text, image paths) are emitted as string literals with `\` and `"`
//! escaped. Everything that writes user text into markup goes through
//! [`escape`] or [`string_literal`].
//!
//! Source markers (`// emn-source FILE:LINE`) written before each converted
//! part let a typst error name the Markdown file and line it came from.

pub use crate::publications::document::TextStyle;
pub use crate::publications::flow::displayable as displayable_text;

/// Escapes user text for typst markup, so that it shows literally.
pub fn escape(text: &str, style: TextStyle) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let shown = displayable_text(text);
    let set = crate::publications::typography::set(&shown, style);
    let widened = spaces_between_letters(&set);
    for (index, c) in set.char_indices() {
        let c = if is_newline(c) || c == '\t' { ' ' } else { c };
        if (c == ' ' || c == '\u{a0}') && widened.contains(&index) {
            out.push(WIDE_SPACE);
        } else if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// The space set between single letters or digits in a row ("a b c d",
/// "1 2 3 4 5"): an en space, wider than a word space. Text extraction
/// (pdftotext, and readers built on it) takes a line of single characters
/// evenly spaced for a letter-spaced word and runs them together unless the
/// gaps are wider than 0.4 em; the en space is 0.5 em.
pub const WIDE_SPACE: char = '\u{2002}';

/// Fewest single characters in a row whose spaces are widened: "a b c d".
const MIN_SPACED_LETTERS: usize = 4;

/// Byte positions of the spaces between single letters or digits in runs of
/// at least [`MIN_SPACED_LETTERS`].
fn spaces_between_letters(text: &str) -> std::collections::BTreeSet<usize> {
    let mut widened = std::collections::BTreeSet::new();
    // The byte of the space before each single-character word of the
    // current run (none before the first).
    let mut run: Vec<Option<usize>> = Vec::new();
    let mut flush = |run: &mut Vec<Option<usize>>| {
        if run.len() >= MIN_SPACED_LETTERS {
            widened.extend(run[1..].iter().flatten());
        }
        run.clear();
    };
    let mut word_start = 0;
    let mut space_before = None;
    let ends = text.char_indices().filter(|&(_, c)| c == ' ' || c == '\u{a0}').chain([(text.len(), ' ')]);
    for (end, c) in ends {
        let mut chars = text[word_start..end].chars();
        let single = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphanumeric());
        if single {
            run.push(space_before);
        } else {
            flush(&mut run);
        }
        space_before = Some(end);
        word_start = end + c.len_utf8();
    }
    flush(&mut run);
    widened
}

fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A typst string literal holding `text` exactly.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in displayable_text(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Prefix of the comments that tie generated markup to its Markdown source.
pub const SOURCE_MARKER: &str = "// emn-source ";

/// A typst comment naming the Markdown file and line the markup after it
/// comes from, so that an error typst reports in the generated source can
/// name the editor's file instead (see `render::describe`). Comments are
/// inert in typst; control characters of the path are neutralised so the
/// comment cannot end early.
pub fn source_marker(file: &str, line: usize) -> String {
    let file: String = file.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    format!("{SOURCE_MARKER}{file}:{line}\n")
}

/// The Markdown place (`contributions/AT.md, near line 33`) of a byte of
/// generated markup: the last source marker before it.
pub fn markdown_place(markup: &str, byte: usize) -> Option<String> {
    let (file, line) = markdown_source(markup, byte)?;
    Some(format!("{file}, near line {line}"))
}

/// The Markdown file and line a byte of generated markup came from.
pub fn markdown_source(markup: &str, byte: usize) -> Option<(String, usize)> {
    let before = markup.get(..byte)?;
    let at = before.rfind(SOURCE_MARKER)?;
    let line = before[at + SOURCE_MARKER.len()..].lines().next()?;
    let (file, number) = line.rsplit_once(':')?;
    Some((file.to_string(), number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// What a reader would see: the text of a markup tree made only of text.
    fn shown_text(markup: &str) -> Result<String, String> {
        let root = typst::syntax::parse(markup);
        let mut out = String::new();
        fn walk(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
            match node.kind() {
                SyntaxKind::Markup => node.children().try_for_each(|child| walk(child, out)),
                SyntaxKind::Text | SyntaxKind::Space => {
                    out.push_str(node.leaf_text());
                    Ok(())
                }
                SyntaxKind::Escape => {
                    out.push_str(&node.leaf_text()[1..]);
                    Ok(())
                }
                other => Err(format!("{other:?} in {markup:?}", markup = node.full_text())),
            }
        }
        walk(&root, &mut out)?;
        Ok(out)
    }

    #[test]
    fn hostile_strings_stay_text() {
        for hostile in [
            "#read(\"/etc/passwd\")",
            "$x^2$",
            "@ref <label>",
            "\\ [ ] { } // /* */",
            "= heading",
            "*bold* _em_ `raw` ~",
            "- item\n+ enum\n/ term: x",
            "1. one",
            "#set page(width: 1cm)",
            "http://example.com -- ... -?",
            "\\u{41}",
        ] {
            let escaped = escape(hostile, TextStyle::default());
            assert_eq!(shown_text(&escaped).unwrap(), hostile.replace('\n', " "), "{hostile}");
        }
    }

    #[test]
    fn single_letters_in_a_row_are_set_apart() {
        let wide = WIDE_SPACE;
        assert_eq!(escape("a b c d", TextStyle::default()), format!("a{wide}b{wide}c{wide}d"));
        assert_eq!(escape("scale 1 2 3 4 5.", TextStyle::default()), format!("scale 1{wide}2{wide}3{wide}4 5\\."));
        assert_eq!(escape("a b c", TextStyle::default()), "a b c");
        assert_eq!(escape("I saw a b c d", TextStyle::default()), format!("I saw a{wide}b{wide}c{wide}d"));
    }

    #[test]
    fn czech_one_letter_words_get_no_break_spaces() {
        let style = crate::publications::style_for("cs");
        assert_eq!(escape("žádosti v Praze a Brně", style), "žádosti v\u{a0}Praze a\u{a0}Brně");
        assert_eq!(escape("dav u", style), "dav u");
        assert_eq!(escape("(k němu)", style), "\\(k\u{a0}němu\\)");
    }

    #[test]
    fn typst_errors_are_placed_in_the_markdown() {
        let markup =
            format!("#x\n{}para\n{}#bad", source_marker("contributions/AT.md", 12), source_marker("a\nb.md", 40));
        assert_eq!(markdown_place(&markup, 2), None);
        assert_eq!(
            markdown_place(&markup, markup.find("para").unwrap()).as_deref(),
            Some("contributions/AT.md, near line 12")
        );
        assert_eq!(markdown_place(&markup, markup.find("#bad").unwrap()).as_deref(), Some("a?b.md, near line 40"));
        assert!(typst::syntax::parse(&markup).errors_and_warnings().0.is_empty());
    }

    #[test]
    fn string_literals_round_trip() {
        let literal = string_literal("a\"b\\c\nd");
        let root = typst::syntax::parse_code(&literal);
        assert!(root.errors_and_warnings().0.is_empty());
        assert_eq!(literal, "\"a\\\"b\\\\c\\nd\"");
    }

    proptest::proptest! {
        #[test]
        fn any_text_comes_out_as_the_same_text(text in "\\PC{0,60}") {
            let escaped = escape(&text, TextStyle::default());
            let shown = shown_text(&escaped).map_err(proptest::test_runner::TestCaseError::fail)?;
            // Written out here, not with the functions `escape` uses: the
            // variation selectors (no glyph of their own) go, the rest is
            // composed (NFC), a line or paragraph separator is a space.
            use unicode_normalization::UnicodeNormalization;
            let selector = |c: char| matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' | '\u{180b}'..='\u{180f}' | '\u{034f}');
            let expected: String = text
                .chars()
                .filter(|&c| !selector(c))
                .nfc()
                .map(|c| if matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c })
                .collect();
            // Only the width of a space may differ (single letters in a
            // row) or its breaking (a figure kept whole).
            let spaces = |text: &str| text.replace([WIDE_SPACE, '\u{a0}'], " ");
            proptest::prop_assert_eq!(spaces(&shown), spaces(&expected));
        }
    }
}
