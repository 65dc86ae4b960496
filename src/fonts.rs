//! The fonts a package's publications are set in, and what they can show.
//!
//! One [`FontSet`] per package: typst's embedded faces (Libertinus Serif,
//! New Computer Modern, DejaVu Sans Mono), the Noto faces in
//! `templates/fonts/` for the scripts EMN texts carry (Georgian, Armenian,
//! Arabic, Hebrew, Ethiopic, Devanagari, symbols), and the package's own
//! `fonts/`. The same set answers two questions, so that `validate` and the
//! typeset PDF cannot disagree: which family list typst falls back through
//! (written into the layout as `fonts.typ`), and whether a grapheme cluster
//! can be shown at all (else `missing-glyph`).

use std::sync::{Arc, OnceLock};

use crate::limits::{MAX_CLAIMED_CHARACTERS, MAX_FONT_FACES};
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo, FontStyle, FontVariant, FontWeight};
use typst::utils::LazyHash;

/// The Noto faces compiled into the binary (SIL OFL 1.1, see `templates/fonts/`).
const NOTO: &[&[u8]] = &[
    include_bytes!("../templates/fonts/NotoSerifGeorgian-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSerifGeorgian-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSerifArmenian-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSerifArmenian-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoNaskhArabic-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSerifHebrew-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSerifHebrew-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSerifEthiopic-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSerifEthiopic-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSerifDevanagari-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSerifDevanagari-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSansSymbols-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSansSymbols-Bold.ttf"),
    include_bytes!("../templates/fonts/NotoSansSymbols2-Regular.ttf"),
    include_bytes!("../templates/fonts/NotoSansMath-Regular.ttf"),
];

/// Text families in fallback order: the text face first, then one face per
/// script, then the symbol faces. Package fonts come after these.
const TEXT_FAMILIES: &[&str] = &[
    "Libertinus Serif",
    "Noto Serif Georgian",
    "Noto Serif Armenian",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Ethiopic",
    "Noto Serif Devanagari",
    "New Computer Modern",
    "Noto Sans Symbols",
    "Noto Sans Symbols2",
    "Noto Sans Math",
    "DejaVu Sans Mono",
];

/// Code is set in the monospaced face first, then falls back like text.
const MONO_FAMILY: &str = "DejaVu Sans Mono";

/// A font file of the package's `fonts/` folder, as read by `load`.
#[derive(Debug, Clone)]
pub struct PackageFont {
    /// Package-relative path, e.g. `fonts/NotoSansCJKsc-Regular.otf`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The fonts of one package and what they cover.
pub struct FontSet {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    /// Families for text, in typst's fallback order.
    families: Vec<String>,
    /// Per variant (regular, bold, italic, bold italic): the face typst
    /// selects in each family, in fallback order (indices into `fonts`).
    selected: Vec<Vec<usize>>,
    /// Whether each character of the Basic Multilingual Plane can be shown
    /// alone (0 not looked up yet, 1 yes, 2 no): the scan of a package's
    /// two million characters then costs one atomic load per character.
    bmp: Box<[std::sync::atomic::AtomicU8]>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet").field("families", &self.families).finish_non_exhaustive()
    }
}

fn builtin_fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let embedded = typst_kit::fonts::embedded().map(|(font, _)| font);
        embedded.chain(NOTO.iter().flat_map(|data| Font::iter(Bytes::new(*data)))).collect()
    })
}

impl FontSet {
    /// The built-in fonts only (shared by every package without `fonts/`).
    pub fn builtin() -> Arc<FontSet> {
        static BUILTIN: OnceLock<Arc<FontSet>> = OnceLock::new();
        BUILTIN.get_or_init(|| Arc::new(Self::build(builtin_fonts().to_vec()))).clone()
    }

    /// The built-in fonts plus the package's; a file that is not a font (or
    /// one refused before it is read: why) is returned by path (`bad-font`).
    pub fn with_package(package_fonts: &[PackageFont]) -> (Arc<FontSet>, Vec<(String, Option<String>)>) {
        if package_fonts.is_empty() {
            return (Self::builtin(), Vec::new());
        }
        let mut fonts = builtin_fonts().to_vec();
        let mut unreadable = Vec::new();
        for file in package_fonts {
            if let Some(problem) = font_bomb(&file.bytes) {
                unreadable.push((file.path.clone(), Some(problem)));
                continue;
            }
            let faces: Vec<Font> = Font::iter(Bytes::new(file.bytes.clone())).collect();
            if faces.is_empty() {
                unreadable.push((file.path.clone(), None));
            }
            fonts.extend(faces);
        }
        (Arc::new(Self::build(fonts)), unreadable)
    }

    fn build(fonts: Vec<Font>) -> FontSet {
        let infos: Vec<FontInfo> = fonts.iter().map(|f| f.info().clone()).collect();
        let book = FontBook::from_infos(infos.iter().cloned());
        let mut families: Vec<String> = TEXT_FAMILIES.iter().map(|f| f.to_string()).collect();
        for info in &infos {
            if !families.iter().any(|f| f.eq_ignore_ascii_case(&info.family)) {
                families.push(info.family.clone());
            }
        }
        let variants = [
            (FontStyle::Normal, FontWeight::REGULAR),
            (FontStyle::Normal, FontWeight::BOLD),
            (FontStyle::Italic, FontWeight::REGULAR),
            (FontStyle::Italic, FontWeight::BOLD),
        ];
        let selected = variants
            .iter()
            .map(|&(style, weight)| {
                let variant = FontVariant { style, weight, ..FontVariant::default() };
                families.iter().filter_map(|family| book.select(&family.to_lowercase(), variant)).collect()
            })
            .collect();
        let bmp = (0..0x10000).map(|_| std::sync::atomic::AtomicU8::new(0)).collect();
        FontSet { fonts, book: LazyHash::new(book), families, selected, bmp }
    }

    /// Whether one character (a cluster of its own) can be shown.
    fn covers_char(&self, c: char) -> bool {
        use std::sync::atomic::Ordering;
        let Some(slot) = self.bmp.get(c as usize) else {
            return self.covers_chars(&[c]);
        };
        match slot.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let covered = self.covers_chars(&[c]);
                slot.store(if covered { 1 } else { 2 }, Ordering::Relaxed);
                covered
            }
        }
    }

    /// For each font, whether its cmap maps `c` to a glyph, as the shaper
    /// looks it up (typst's own coverage table also counts cmap subtables
    /// the shaper never reads: `〓` passed it and still came out as tofu).
    /// The coverage table never misses a mapped character, so only fonts it
    /// names are parsed (a CJK font brings thousands of distinct characters).
    fn mapped(&self, c: char) -> Vec<bool> {
        self.fonts
            .iter()
            .map(|font| {
                font.info().coverage.contains(c as u32)
                    && ttf_parser::Face::parse(font.data().as_slice(), font.index())
                        .ok()
                        .and_then(|face| face.glyph_index(c))
                        .is_some_and(|glyph| glyph.0 != 0)
            })
            .collect()
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// Whether typst can show `cluster` in every variant text is set in:
    /// for each, one face of the fallback list must hold all its characters.
    pub fn covers(&self, cluster: &str) -> bool {
        // The shaper removes default ignorables (joiners) before looking up glyphs.
        let chars: Vec<char> =
            cluster.chars().filter(|&c| !matches!(c, '\u{200c}' | '\u{200d}' | '\u{034f}')).collect();
        match chars.as_slice() {
            [] => true,
            [c] => self.covers_char(*c),
            _ => self.covers_chars(&chars),
        }
    }

    fn covers_chars(&self, chars: &[char]) -> bool {
        let mapped: Vec<Vec<bool>> = chars.iter().map(|&c| self.mapped(c)).collect();
        self.selected.iter().all(|faces| faces.iter().any(|&face| mapped.iter().all(|m| m[face])))
    }

    /// The `fonts.typ` module the layout imports: the family lists.
    pub fn typst_module(&self) -> String {
        let list = |families: &mut dyn Iterator<Item = &str>| -> String {
            families.map(|f| format!("{:?}, ", f)).collect::<String>()
        };
        let text = list(&mut self.families.iter().map(String::as_str));
        let mono = list(&mut std::iter::once(MONO_FAMILY).chain(self.families.iter().map(String::as_str)));
        format!("#let text-fonts = ({text})\n#let mono-fonts = ({mono})\n")
    }
}

/// Characters that are not text a reader sees: format characters (zero-width
/// spaces, direction marks, byte-order marks, tags), variation selectors and
/// controls other than whitespace. Zero-width joiners and non-joiners stay:
/// Persian and Indic text needs them to join or separate letters.
pub fn is_invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    if matches!(c, '\u{200c}' | '\u{200d}') {
        return false;
    }
    (c.is_control() && !c.is_whitespace())
        || c.general_category() == GeneralCategory::Format
        || matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' | '\u{180b}'..='\u{180f}' | '\u{034f}')
}

/// Text without its invisible characters (see [`is_invisible`]).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_invisible) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Every grapheme cluster of `text` the fonts cannot show, with its byte
/// offset. Whitespace is never missing: what no font has is set as a space.
pub fn missing_clusters<'a>(fonts: &'a FontSet, text: &'a str) -> Vec<(usize, &'a str)> {
    use unicode_segmentation::UnicodeSegmentation;
    let missing = |cluster: &str| {
        let shown = visible(cluster);
        !(shown.chars().all(|c| c.is_ascii() || c.is_whitespace()) || fonts.covers(&shown))
    };
    if text.chars().any(extends_clusters) {
        return text.grapheme_indices(true).filter(|(_, cluster)| missing(cluster)).collect();
    }
    // Without marks or joiners every character is a cluster of its own.
    text.char_indices()
        .filter(|&(_, c)| !(c.is_ascii() || c.is_whitespace() || is_invisible(c) || fonts.covers_char(c)))
        .map(|(at, c)| (at, &text[at..at + c.len_utf8()]))
        .collect()
}

/// Characters that join a grapheme cluster with their neighbours: marks,
/// joiners and other format characters, variation selectors, Hangul jamo,
/// emoji modifiers and regional indicators.
fn extends_clusters(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    !c.is_ascii()
        && (matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
                | GeneralCategory::Format
        ) || matches!(c, '\u{1100}'..='\u{11ff}' | '\u{fe00}'..='\u{fe0f}' | '\u{1f1e6}'..='\u{1f1ff}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0100}'..='\u{e01ef}'))
}

impl FontSet {
    /// The last line of defence before typst (whose PDF/A export refuses a
    /// missing glyph): whitespace no font has becomes a space, any other
    /// cluster no font has keeps its ASCII characters and has each run of
    /// others replaced by `?` (so an escape or a string literal's quote is
    /// never split).
    /// `validate` reports every such cluster as `missing-glyph`, so this only
    /// acts on builds with `--allow-incomplete`.
    pub fn replace_missing<'a>(&self, markup: &'a str) -> std::borrow::Cow<'a, str> {
        let missing = missing_clusters(self, markup);
        let whitespace: Vec<(usize, &str)> = markup
            .char_indices()
            .filter(|&(_, c)| !c.is_ascii() && c.is_whitespace() && !self.covers_char(c))
            .map(|(at, c)| (at, &markup[at..at + c.len_utf8()]))
            .collect();
        if missing.is_empty() && whitespace.is_empty() {
            return std::borrow::Cow::Borrowed(markup);
        }
        let mut replaced: Vec<(usize, &str)> = missing.into_iter().chain(whitespace).collect();
        // A cluster that starts with an unknown space (`\u{3000}` and a mark
        // no font has) is replaced whole, not the space alone with the mark left.
        replaced.sort_by_key(|&(start, cluster)| (start, std::cmp::Reverse(cluster.len())));
        let mut out = String::with_capacity(markup.len());
        let mut at = 0;
        for (start, cluster) in replaced {
            if start < at {
                continue;
            }
            out.push_str(&markup[at..start]);
            // ASCII characters stay (Libertinus has them all), wherever they
            // are in the cluster: a prepended letter (Malayalam `ൎ`) must not
            // take the backslash of an escape with it.
            let mut replaced = false;
            for c in cluster.chars() {
                if c.is_ascii() {
                    out.push(c);
                    replaced = false;
                } else if !replaced {
                    out.push(if c.is_whitespace() { ' ' } else { '?' });
                    replaced = true;
                }
            }
            at = start + cluster.len();
        }
        out.push_str(&markup[at..]);
        std::borrow::Cow::Owned(out)
    }
}

/// Why a font file is refused before anything reads its tables: a
/// collection claiming more faces, or a character map claiming more
/// characters, than any real font has.
pub fn font_bomb(bytes: &[u8]) -> Option<String> {
    let faces = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
    if faces > MAX_FONT_FACES {
        return Some(format!("the collection claims {faces} fonts (the limit is {MAX_FONT_FACES})"));
    }
    for index in 0..faces {
        let Ok(face) = ttf_parser::RawFace::parse(bytes, index) else { continue };
        let Some(cmap) = face.table(ttf_parser::Tag::from_bytes(b"cmap")) else { continue };
        let claimed = claimed_characters(cmap);
        if claimed > MAX_CLAIMED_CHARACTERS {
            return Some(format!("its character map claims {claimed} characters, more than Unicode has"));
        }
    }
    None
}

/// The characters a `cmap` table's subtables claim, added up from their
/// ranges without visiting them (formats 4, 12 and 13; others are bounded
/// by their size).
fn claimed_characters(cmap: &[u8]) -> u64 {
    let u16_at = |at: usize| cmap.get(at..at + 2).map_or(0, |b| u64::from(u16::from_be_bytes([b[0], b[1]])));
    let u32_at =
        |at: usize| cmap.get(at..at + 4).map_or(0, |b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
    let mut claimed = 0u64;
    let tables = u16_at(2) as usize;
    for record in 0..tables.min(cmap.len() / 8) {
        let offset = u32_at(4 + record * 8 + 4) as usize;
        match u16_at(offset) {
            4 => {
                let segments = (u16_at(offset + 6) / 2) as usize;
                let ends = offset + 14;
                let starts = ends + segments * 2 + 2;
                for segment in 0..segments.min(cmap.len() / 2) {
                    let (start, end) = (u16_at(starts + segment * 2), u16_at(ends + segment * 2));
                    claimed += (end + 1).saturating_sub(start);
                }
            }
            12 | 13 => {
                let groups = (u32_at(offset + 12) as usize).min(cmap.len() / 12);
                for group in 0..groups {
                    let at = offset + 16 + group * 12;
                    let (start, end) = (u32_at(at), u32_at(at + 4));
                    claimed = claimed.saturating_add((end + 1).saturating_sub(start));
                }
            }
            _ => {}
        }
    }
    claimed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_of_the_spec_is_covered() {
        let fonts = FontSet::builtin();
        for text in [
            "Žádost o azyl",
            "Ελλάδα",
            "Україна",
            "საქართველო",
            "Հայաստան",
            "عربي",
            "فارسی",
            "ትግርኛ",
            "עברית",
            "हिन्दी",
            "½ → ✓ ✗ ‰ № ∑ €",
        ] {
            let missing: Vec<&str> = missing_clusters(&fonts, text).into_iter().map(|(_, c)| c).collect();
            assert!(missing.is_empty(), "{text}: {missing:?}");
        }
    }

    #[test]
    fn what_no_font_has_is_named() {
        let fonts = FontSet::builtin();
        let missing: Vec<&str> = missing_clusters(&fonts, "a 中文 b").into_iter().map(|(_, c)| c).collect();
        assert_eq!(missing, ["中", "文"]);
    }

    #[test]
    fn font_bombs_are_refused_before_their_tables_are_read() {
        for font in builtin_fonts() {
            assert_eq!(font_bomb(font.data().as_slice()), None, "{}", font.info().family);
        }
        let mut collection = b"ttcf\x00\x01\x00\x00".to_vec();
        collection.extend(u32::MAX.to_be_bytes());
        assert!(font_bomb(&collection).is_some_and(|why| why.contains("4294967295 fonts")));
        // A format-12 map of 1,000 groups, each claiming U+0020-U+10FFFF.
        let mut cmap = vec![0, 0, 0, 1, 0, 3, 0, 10, 0, 0, 0, 12];
        cmap.extend([0, 12, 0, 0]);
        cmap.extend(((16 + 1000 * 12) as u32).to_be_bytes());
        cmap.extend(0u32.to_be_bytes());
        cmap.extend(1000u32.to_be_bytes());
        for _ in 0..1000 {
            cmap.extend(0x20u32.to_be_bytes());
            cmap.extend(0x10FFFFu32.to_be_bytes());
            cmap.extend(1u32.to_be_bytes());
        }
        assert!(claimed_characters(&cmap) > MAX_CLAIMED_CHARACTERS);
    }

    #[test]
    fn invisible_characters_are_format_characters() {
        assert!(is_invisible('\u{200b}'));
        assert!(is_invisible('\u{202e}'));
        assert!(is_invisible('\u{feff}'));
        assert!(!is_invisible('\u{200c}'));
        assert!(!is_invisible('a'));
        assert_eq!(visible("a\u{200b}b"), "ab");
    }
}
