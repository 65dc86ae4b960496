//! Characters typed in Word's symbol fonts (Symbol, Wingdings): Word
//! stores them as the font's own codes (`w:sym w:char="F0B7"`, or text in
//! the private-use range), which mean nothing outside that font. They are
//! mapped to the Unicode characters they show, as pandoc does; what has no
//! mapping here is reported, never copied as a private-use code.

/// The Unicode character a symbol font's code shows, if known.
pub fn to_unicode(font: &str, code: u32) -> Option<char> {
    let font = font.to_ascii_lowercase();
    // Codes come as 0xF020-0xF0FF (the private-use copy) or 0x20-0xFF.
    let byte = match code {
        0xF020..=0xF0FF => code - 0xF000,
        0x20..=0xFF => code,
        _ => return None,
    } as u8;
    if font.contains("wingdings") {
        return wingdings(byte);
    }
    if font.contains("symbol") {
        return symbol(byte);
    }
    None
}

/// Adobe's Symbol encoding.
fn symbol(byte: u8) -> Option<char> {
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    const HIGH: &str = "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈";
    Some(match byte {
        0x22 => '∀',
        0x24 => '∃',
        0x27 => '∋',
        0x2A => '∗',
        0x2D => '−',
        0x40 => '≅',
        0x41..=0x5A => GREEK_UPPER.chars().nth(usize::from(byte - 0x41))?,
        0x5C => '∴',
        0x5E => '⊥',
        0x61..=0x7A => GREEK_LOWER.chars().nth(usize::from(byte - 0x61))?,
        0x7E => '∼',
        0x20..=0x7D => char::from(byte),
        0xA0..=0xE1 => HIGH.chars().nth(usize::from(byte - 0xA0))?,
        0xE5 => '∑',
        0xF1 => '〉',
        0xF2 => '∫',
        _ => return None,
    })
}

/// Wingdings: the bullets, boxes, arrows and marks Word lists and forms use.
fn wingdings(byte: u8) -> Option<char> {
    Some(match byte {
        0x4A => '☺',
        0x4C => '☹',
        0x6C => '●',
        0x6E => '■',
        0x6F => '□',
        0x71 => '❑',
        0x75 => '◆',
        0x76 => '❖',
        0x9F => '•',
        0xA7 => '▪',
        0xA8 => '◻',
        0xD8 => '➢',
        0xE0 => '➔',
        0xE8 => '➔',
        0xEF => '⇦',
        0xF0 => '⇨',
        0xFB => '✗',
        0xFC => '✓',
        0xFD => '☒',
        0xFE => '☑',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_and_wingdings_codes_become_the_characters_they_show() {
        assert_eq!(to_unicode("Symbol", 0xF0B7), Some('•'));
        assert_eq!(to_unicode("Symbol", 0xF061), Some('α'));
        assert_eq!(to_unicode("Symbol", 0x57), Some('Ω'));
        assert_eq!(to_unicode("Symbol", 0xF0DE), Some('⇒'));
        assert_eq!(to_unicode("Symbol", 0xF0E1), Some('〈'));
        assert_eq!(to_unicode("Wingdings", 0xF0FC), Some('✓'));
        assert_eq!(to_unicode("Wingdings", 0xF0A7), Some('▪'));
        assert_eq!(to_unicode("Calibri", 0xF0B7), None);
        assert_eq!(to_unicode("Wingdings", 0xF012), None);
    }
}
