//! The web page as written from a plan: its outline, its languages, and
//! what an NCP typed kept as text.

use super::*;
use crate::publications::{PlanOptions, plan};
use crate::testing::{contribution, package};

fn pages(package: &crate::load::Package) -> Vec<(Publication, String)> {
    let options = PlanOptions::new(crate::dates::Date::from_unix(1_700_000_000), true);
    plan(package, &options)
        .into_iter()
        .map(|publication| {
            let path = page_path(&publication.path);
            let html = document(&publication.doc, &package.root, &path, std::slice::from_ref(&publication.path));
            (publication, html)
        })
        .collect()
}

/// (level of the outline, text) of a page's headings below its `<h1>`.
fn outline_of(html: &str) -> Vec<(u8, String)> {
    let mut outline = Vec::new();
    for (at, _) in html.match_indices(" id=\"h") {
        let open = html[..at].rfind('<').unwrap();
        let tag = &html[open + 1..at];
        let level: u8 = if let Some(n) = tag.strip_prefix('h').and_then(|n| n.parse().ok()) {
            n
        } else {
            let level = &html[open..at];
            level.split("aria-level=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
        };
        let start = at + html[at..].find('>').unwrap() + 1;
        let end = start + html[start..].find("</").unwrap();
        let words = html[start..end].replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&");
        outline.push((level - 1, words));
    }
    outline
}

#[test]
fn every_page_has_one_h1_and_the_plans_outline_below_it() {
    let (path, text) = contribution("CZ", "## Q1.2", "### Background of the Act\n\nSince 1999.\n\n## Q1.2");
    let package = package(&[(&path, &text)]);
    for (publication, html) in pages(&package) {
        assert_eq!(html.matches("<h1").count(), 1, "{}", publication.path);
        let expected: Vec<(u8, String)> = publication.doc.outline();
        // The page sets Czech headings as the PDF does: a no-break space
        // after a one-letter word.
        let outline: Vec<(u8, String)> =
            outline_of(&html).into_iter().map(|(level, words)| (level, words.replace('\u{a0}', " "))).collect();
        assert_eq!(outline, expected, "{}", publication.path);
        assert!(html.contains("<main id=\"main\">") && html.contains("href=\"#main\""), "{}", publication.path);
    }
}

#[test]
fn an_ncps_html_is_printed_as_typed_and_only_web_links_are_links() {
    // A block of HTML, then HTML and links inside a paragraph.
    let typed = "<script>alert(1)</script>\n\nSee <img src=x onerror=alert(2)> <iframe src=\"https://example.org\"></iframe> \
                 [click](javascript:alert(3)) [site](https://example.org/a?b=1&c=2) ftp://example.org/f";
    let (path, text) = contribution(
        "CZ",
        "Ministry of the Interior, through",
        &format!("{typed}\n\nMinistry of the Interior, through"),
    );
    let package = package(&[(&path, &text)]);
    for (publication, html) in pages(&package) {
        for forbidden in ["<script", "<img src=x", "<iframe", "href=\"javascript", "onerror=alert(2)>"] {
            assert!(!html.contains(forbidden), "{}: {forbidden}", publication.path);
        }
        if publication.path == "national/CZ.pdf" || publication.path == "synthesis-report-draft.pdf" {
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", publication.path);
            assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"), "{}", publication.path);
            assert!(html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\">site</a>"), "{}", publication.path);
            assert!(!html.contains("href=\"ftp:"), "{}", publication.path);
        }
    }
}

#[test]
fn a_contributions_language_reaches_its_page_and_its_answers_in_the_synthesis() {
    let (path, text) = contribution("DE", "language: en", "language: de");
    let package = package(&[(&path, &text)]);
    let pages = pages(&package);
    let page = |path: &str| &pages.iter().find(|(p, _)| p.path == path).unwrap().1;
    assert!(page("national/DE.pdf").starts_with("<!DOCTYPE html>\n<html lang=\"de\""));
    assert!(page("summary-cs.pdf").starts_with("<!DOCTYPE html>\n<html lang=\"cs\""));
    let synthesis = page("synthesis-report-draft.pdf");
    assert!(synthesis.starts_with("<!DOCTYPE html>\n<html lang=\"en\""));
    assert!(synthesis.contains("<div class=\"part\" lang=\"de\">"), "DE's answers are marked German");
    // The German page's own words are German.
    assert!(page("national/DE.pdf").contains("Zum Inhalt springen"));
    assert!(!page("national/DE.pdf").contains("Skip to the content"));
}

#[test]
fn gaps_and_maps_say_what_they_are_in_words() {
    let (path, contents) = contribution("CZ", "# Key findings", "# Notes of the NCP");
    let package = package(&[(&path, &contents)]);
    let pages = pages(&package);
    let synthesis = &pages.iter().find(|(p, _)| p.path == "synthesis-report-draft.pdf").unwrap();
    assert!(synthesis.1.contains(
        "<p class=\"gap\"><strong class=\"label\">Missing:</strong> No key findings received from Czechia.</p>"
    ));
    let alts: Vec<&String> = synthesis
        .0
        .doc
        .nodes()
        .into_iter()
        .filter_map(|n| if let Node::Map(map) = n { Some(&map.alt) } else { None })
        .collect();
    assert!(!alts.is_empty());
    for (index, alt) in alts.iter().enumerate() {
        let id = format!("map{}", index + 1);
        assert!(synthesis.1.contains(&format!("role=\"img\" aria-labelledby=\"{id}-title\"")));
        assert!(synthesis.1.contains(&format!("<title id=\"{id}-title\">{}</title>", text(alt))), "{alt}");
    }
}

#[test]
fn text_drops_what_html_cannot_hold_and_escapes_the_rest() {
    assert_eq!(text("a<b>&\"c'\u{1}\u{7f}\u{fffe}d"), "a&lt;b&gt;&amp;&quot;c&#39;d");
    assert_eq!(relative("html/national/CZ.html", "national/CZ.pdf"), "../../national/CZ.pdf");
    assert_eq!(page_path("national/CZ.pdf"), "html/national/CZ.html");
    assert_eq!(html_lang("de-AT").as_deref(), Some("de-AT"));
    assert_eq!(html_lang("Deutsch (Österreich)"), None);
}

#[test]
fn figures_are_kept_whole_but_code_and_addresses_stay_as_typed() {
    let (path, text) = contribution(
        "CZ",
        "Ministry of the Interior, through",
        "It rose by 38 % to 21 480 (`limit = 21 480`).\n\nMinistry of the Interior, through",
    );
    let package = package(&[(&path, &text)]);
    let (_, html) = pages(&package).into_iter().find(|(publication, _)| publication.path == "national/CZ.pdf").unwrap();
    assert!(html.contains("rose by 38\u{a0}% to 21\u{a0}480"), "the figures kept whole");
    assert!(html.contains("<code>limit = 21 480</code>"), "code as typed");
    assert_eq!(attribute("https://example.org/?q=1 000"), "https://example.org/?q=1 000");
    assert_eq!(super::text("a tool's 5 %"), "a tool&#39;s 5\u{a0}%", "no language, no quotes changed");
}
