//! Word's styles and automatic numbering: what level a heading is and what
//! number Word shows before it.
//!
//! Word in Czech, German or French names its heading styles in its own
//! language (`Nadpis1`, `berschrift1`, `Titre1`) but keeps the built-in
//! *name* `heading 1`; a custom style is a heading by its outline level,
//! possibly inherited through `basedOn`. So the level comes from the
//! paragraph's outline level, else the style chain's, else the style name —
//! never the style id. Word stores no number for auto-numbered headings and
//! lists: the label is computed from `numbering.xml` as Word counts. Other
//! writers name heading styles in the user's language (`Nadpis 1`,
//! `Überschrift 1`): those names are known too.

use std::collections::BTreeMap;

use super::xml::{attr, child, children, int_attr, is};

/// A paragraph style, as far as the import needs it.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    numbering: Option<(String, u8)>,
}

/// The styles of a document, by style id.
#[derive(Debug, Default)]
pub struct Styles {
    styles: BTreeMap<String, Style>,
}

impl Styles {
    pub fn parse(xml: Option<&str>) -> Self {
        let mut styles = BTreeMap::new();
        let Some(document) = xml.and_then(|xml| roxmltree::Document::parse(xml).ok()) else {
            return Self { styles };
        };
        for node in document.descendants().filter(|n| is(*n, "style")) {
            let Some(id) = attr(node, "styleId") else { continue };
            let properties = child(node, "pPr");
            let style = Style {
                name: child(node, "name").and_then(|n| attr(n, "val")).unwrap_or_default().to_string(),
                based_on: child(node, "basedOn").and_then(|n| attr(n, "val")).map(str::to_string),
                outline_level: properties.and_then(|p| child(p, "outlineLvl")).and_then(|n| int_attr(n, "val")),
                numbering: properties.and_then(|p| child(p, "numPr")).and_then(numbering_reference),
            };
            styles.insert(id.to_string(), style);
        }
        Self { styles }
    }

    /// The styles from `id` up its `basedOn` chain (cycles cut).
    fn chain(&self, id: &str) -> Vec<&Style> {
        let mut chain = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(id) = next.take() {
            let Some(style) = self.styles.get(&id) else { break };
            if chain.len() > 16 || chain.iter().any(|s: &&Style| std::ptr::eq(*s, style)) {
                break;
            }
            chain.push(style);
            next = style.based_on.clone();
        }
        chain
    }

    /// Heading level 1–9 of a paragraph of style `id` (outline level 0–8),
    /// by outline level through the chain, else by the name `heading N`.
    pub fn heading_level(&self, id: &str) -> Option<u8> {
        let chain = self.chain(id);
        if let Some(level) = chain.iter().find_map(|s| s.outline_level) {
            return (level < 9).then_some(level + 1);
        }
        chain.iter().find_map(|s| heading_name_level(&s.name))
    }

    /// The style's name (`Title`, `toc 1`, `Quote`), lower case.
    pub fn name(&self, id: &str) -> String {
        self.styles.get(id).map(|s| s.name.to_lowercase()).unwrap_or_default()
    }

    /// The numbering a style gives its paragraphs (`numId`, level).
    pub fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).iter().find_map(|s| s.numbering.clone())
    }
}

/// Words heading styles are named with: Word's built-in name, and the
/// names other writers (LibreOffice, older Word) give them in the NCPs'
/// languages.
const HEADING_NAMES: &[&str] = &[
    "heading",
    "nadpis",
    "überschrift",
    "titre",
    "titolo",
    "título",
    "kop",
    "rubrik",
    "otsikko",
    "nagłówek",
    "címsor",
];

/// `heading 2` (or `Nadpis 2`, `Überschrift 2`...) → 2.
fn heading_name_level(name: &str) -> Option<u8> {
    let name = name.trim().to_lowercase();
    let rest = HEADING_NAMES.iter().find_map(|word| name.strip_prefix(word))?.trim();
    rest.parse::<u8>().ok().filter(|level| (1..=9).contains(level))
}

/// A `numPr` element: its `numId` and `ilvl` (level 0 when absent).
pub fn numbering_reference(num_pr: roxmltree::Node) -> Option<(String, u8)> {
    let id = child(num_pr, "numId").and_then(|n| attr(n, "val"))?.to_string();
    let level = child(num_pr, "ilvl").and_then(|n| int_attr(n, "val")).unwrap_or(0);
    Some((id, level))
}

/// One level of a numbering definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// Word's numbering definitions and the counters of the paragraphs seen.
#[derive(Debug, Default)]
pub struct Numbering {
    /// abstractNumId → levels.
    abstracts: BTreeMap<String, BTreeMap<u8, Level>>,
    /// numId → (abstractNumId, level → start override).
    instances: BTreeMap<String, (String, BTreeMap<u8, u32>)>,
    /// abstractNumId → current counter per level.
    counters: BTreeMap<String, BTreeMap<u8, u32>>,
    /// (numId, level) whose start override has restarted its counter: a
    /// `w:num` that overrides the start of an abstract numbering other
    /// lists have counted with restarts it once, where it is first used
    /// (Word's "Restart numbering").
    restarted: std::collections::BTreeSet<(String, u8)>,
}

/// The number of a list paragraph or heading, as Word shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// `1.2`, `a)`, `•`: the level text with the counters filled in.
    pub label: String,
    /// This level's own counter (the number an ordered list item has).
    pub value: u32,
    pub ordered: bool,
}

impl Numbering {
    pub fn parse(xml: Option<&str>) -> Self {
        let mut numbering = Self::default();
        let Some(document) = xml.and_then(|xml| roxmltree::Document::parse(xml).ok()) else {
            return numbering;
        };
        for node in document.descendants().filter(|n| is(*n, "abstractNum")) {
            let Some(id) = attr(node, "abstractNumId") else { continue };
            let levels =
                children(node, "lvl").filter_map(|lvl| Some((int_attr(lvl, "ilvl")?, parse_level(lvl)))).collect();
            numbering.abstracts.insert(id.to_string(), levels);
        }
        for node in document.descendants().filter(|n| is(*n, "num")) {
            let Some(id) = attr(node, "numId") else { continue };
            let Some(abstract_id) = child(node, "abstractNumId").and_then(|n| attr(n, "val")) else { continue };
            let overrides = children(node, "lvlOverride")
                .filter_map(|o| {
                    let level = int_attr(o, "ilvl")?;
                    let start = child(o, "startOverride").and_then(|s| int_attr(s, "val"))?;
                    Some((level, start))
                })
                .collect();
            numbering.instances.insert(id.to_string(), (abstract_id.to_string(), overrides));
        }
        numbering
    }

    /// Counts a paragraph numbered `num_id` at `level` and returns its
    /// number; `None` for `numId` 0 (numbering switched off) or unknown ids.
    pub fn next(&mut self, num_id: &str, level: u8) -> Option<Number> {
        let (abstract_id, overrides) = self.instances.get(num_id)?.clone();
        let levels = self.abstracts.get(&abstract_id)?;
        let definition = levels.get(&level)?.clone();
        let counters = self.counters.entry(abstract_id.clone()).or_default();
        let start = overrides.get(&level).copied().unwrap_or(definition.start);
        if overrides.contains_key(&level) && self.restarted.insert((num_id.to_string(), level)) {
            counters.retain(|&l, _| l < level);
        }
        let value = counters.get(&level).map_or(start, |n| n + 1);
        counters.insert(level, value);
        // A level restarts whenever a higher level counts on.
        counters.retain(|&l, _| l <= level);
        let mut label = definition.text.clone();
        for (l, lvl) in levels.iter().filter(|(l, _)| **l <= level) {
            let shown = counters.get(l).copied().unwrap_or(lvl.start);
            label = label.replace(&format!("%{}", l + 1), &format_number(shown, &lvl.format));
        }
        Some(Number { label, value, ordered: definition.format != "bullet" && definition.format != "none" })
    }
}

fn parse_level(lvl: roxmltree::Node) -> Level {
    Level {
        start: child(lvl, "start").and_then(|n| int_attr(n, "val")).unwrap_or(1),
        format: child(lvl, "numFmt").and_then(|n| attr(n, "val")).unwrap_or("decimal").to_string(),
        text: child(lvl, "lvlText").and_then(|n| attr(n, "val")).unwrap_or("").to_string(),
    }
}

/// A counter in a numbering format: decimal, letters, Roman numerals.
fn format_number(value: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(value).to_lowercase(),
        "upperLetter" => letters(value),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        "decimalZero" if value < 10 => format!("0{value}"),
        _ => value.to_string(),
    }
}

fn letters(value: u32) -> String {
    // Word repeats the letter past z: aa, bb, ...
    let index = (value.max(1) - 1) % 26;
    let repeat = (value.max(1) - 1) / 26 + 1;
    std::iter::repeat_n(char::from(b'A' + index as u8), repeat as usize).collect()
}

fn roman(mut value: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (amount, numeral) in NUMERALS {
        while value >= amount {
            out.push_str(numeral);
            value -= amount;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="7">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
    </w:numbering>"#;

    #[test]
    fn heading_numbers_are_counted_as_word_counts_them() {
        let mut numbering = Numbering::parse(Some(NUMBERING));
        let labels: Vec<String> =
            [0, 1, 1, 2, 0, 1].iter().map(|&level| numbering.next("3", level).unwrap().label).collect();
        assert_eq!(labels, ["1", "1.1.", "1.2.", "a)", "2", "2.1."]);
        assert_eq!(numbering.next("0", 0), None);
    }

    #[test]
    fn restart_numbering_starts_a_list_again_at_one() {
        let xml = NUMBERING.replace(
            "</w:numbering>",
            r#"<w:num w:numId="4"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>"#,
        );
        let mut numbering = Numbering::parse(Some(&xml));
        let first: Vec<u32> = (0..3).map(|_| numbering.next("3", 0).unwrap().value).collect();
        let second: Vec<u32> = (0..3).map(|_| numbering.next("4", 0).unwrap().value).collect();
        assert_eq!(first, [1, 2, 3]);
        assert_eq!(second, [1, 2, 3], "the restarted list counts from 1, not 4");
    }

    #[test]
    fn heading_levels_come_from_outline_level_or_built_in_name_never_the_id() {
        let styles = Styles::parse(Some(
            r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
              <w:style w:styleId="Nadpis2"><w:name w:val="heading 2"/></w:style>
              <w:style w:styleId="Heading1"><w:name w:val="Úroveň otázky"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
              <w:style w:styleId="Otazka"><w:name w:val="Otázka"/><w:basedOn w:val="Heading1"/></w:style>
              <w:style w:styleId="Heading3"><w:name w:val="Normal text"/></w:style>
            </w:styles>"#,
        ));
        assert_eq!(styles.heading_level("Nadpis2"), Some(2));
        assert_eq!(styles.heading_level("Otazka"), Some(3));
        assert_eq!(styles.heading_level("Heading3"), None);
        assert_eq!(heading_name_level("Überschrift 3"), Some(3));
        assert_eq!(heading_name_level("Nadpis 1"), Some(1));
        assert_eq!(heading_name_level("Headings"), None);
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
    }
}
