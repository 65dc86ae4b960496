//! The three editions of one publication, read as their readers read them:
//! the PDF, the web page and (where the bundle has one) the Word file list
//! the same headings, notes, captions and contents, and a fitted
//! publication shows the same setting in each.

use crate::support::*;

/// Key findings whose every sentence stands under a heading of its own:
/// few words (the Inform plans both settings), too many lines for its
/// pages in full (typst sets the excerpts).
fn findings_too_tall_to_set_whole(dir: &std::path::Path) {
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let later: String =
            (1..=50).map(|n| format!("### Later{country} point {n}\n\nOne short sentence here.\n\n")).collect();
        replace(
            dir,
            &format!("contributions/{country}.md"),
            "# Key findings\n",
            &format!("# Key findings\n\nOpening{country} finding of the study.\n\n{later}"),
        );
    }
}

#[test]
fn the_web_page_of_a_fitted_inform_shows_the_setting_its_pdf_has() {
    let package = copy_package(&sample());
    let dir = package.path();
    findings_too_tall_to_set_whole(dir);
    let entries = build_incomplete(dir, &dir.join("b.zip"));
    let pdf = normalise(&pdf_text(&entries["inform.pdf"]));
    let page = String::from_utf8(entries["html/inform.html"].clone()).unwrap();
    for country in ["BE", "CZ", "NO"] {
        assert!(pdf.contains(&format!("Opening{country}")), "{country}'s excerpt in the PDF");
        assert!(!pdf.contains(&format!("Later{country}")), "the PDF is set compactly");
        assert!(page.contains(&format!("Opening{country}")), "{country}'s excerpt on the web page");
        assert!(!page.contains(&format!("Later{country}")), "the web page shows the compact setting too");
    }

    // Set whole when it fits: the same in both.
    let package = copy_package(&sample());
    let entries = build_incomplete(package.path(), &package.path().join("b.zip"));
    let pdf = squeeze(&pdf_text(&entries["inform.pdf"]));
    let page = String::from_utf8(entries["html/inform.html"].clone()).unwrap();
    let later = "Ukrainian nationals under temporary protection";
    assert!(pdf.contains(&squeeze(later)) && page.contains(later), "a second finding, whole in both");
}

/// A package no test fixture held before: a Czech contribution with
/// straight quotes, one-letter prepositions, five-digit figures and a
/// percentage, a heading inside a quote, notes in two answers; a German
/// one with a note in a third; the sample's table, figure and maps.
fn czech_and_german_package() -> tempfile::TempDir {
    let package = copy_package(&sample());
    let dir = package.path();
    replace(dir, "contributions/CZ.md", "language: en", "language: cs");
    let findings = "Programy jsou k dispozici v Praze i v Brně. Úřady vydaly 21 480 povolení, o 27 % více než \"loni\", \
                    a zaměstnavatelé je označili za 'rychlé'.\n\n> ### Citovaný program\n> jak uvedlo ministerstvo\n";
    let cz = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    let (start, end) = (cz.find("# Key findings\n").unwrap() + "# Key findings\n".len(), cz.find("\n# 1").unwrap());
    write(dir, "contributions/CZ.md", &format!("{}\n{findings}{}", &cz[..start], &cz[end..]));
    replace(dir, "contributions/DE.md", "language: en", "language: de");
    let q22 =
        "## Q2.2 How are the measures implemented in practice? Please give examples and figures where available.\n\n";
    replace(dir, "contributions/DE.md", q22, &format!("{q22}Die Bundesagentur für Arbeit prüft jede Stelle.[^ba]\n\n"));
    let de = std::fs::read_to_string(dir.join("contributions/DE.md")).unwrap();
    write(dir, "contributions/DE.md", &format!("{}\n\n[^ba]: Siehe § 39 AufenthG, Fassung von 2023.\n", de.trim_end()));
    package
}

/// `html` without its tags, entities decoded, spaces made one.
fn html_words(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let text = text.replace("&amp;", "&").replace('\u{a0}', " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The contents of every `<tag …>…</tag>` of `html` whose opening tag
/// starts with `open` (`<caption`, `<h2`).
fn elements<'a>(html: &'a str, open: &str, close: &str) -> Vec<(&'a str, &'a str)> {
    html.split(open)
        .skip(1)
        .filter_map(|rest| {
            let (attributes, body) = rest.split_once('>')?;
            Some((attributes, body.split(close).next()?))
        })
        .collect()
}

/// The outline of a web page: (level, words) of each heading with an id,
/// `<h2>`…`<h6>` and the deeper `role="heading"` paragraphs.
fn web_headings(page: &str) -> Vec<(usize, String)> {
    let mut headings: Vec<(usize, usize, String)> = Vec::new();
    for level in 2..=6 {
        let open = format!("<h{level} id=\"h");
        for (at, _) in page.match_indices(&open) {
            let rest = &page[at..];
            let body = rest.split_once('>').unwrap().1.split(&format!("</h{level}>")).next().unwrap();
            headings.push((at, level - 1, html_words(body)));
        }
    }
    for (at, _) in page.match_indices("role=\"heading\" aria-level=\"") {
        let rest = &page[at + "role=\"heading\" aria-level=\"".len()..];
        let level: usize = rest.split('"').next().unwrap().parse().unwrap();
        let body = rest.split_once('>').unwrap().1.split("</p>").next().unwrap();
        headings.push((at, level - 1, html_words(body)));
    }
    headings.sort();
    headings.into_iter().map(|(_, level, words)| (level, words)).collect()
}

/// A web page's table and figure captions, in order.
fn web_captions(page: &str) -> Vec<String> {
    let mut captions: Vec<(usize, String)> = Vec::new();
    for (at, _) in page.match_indices("<caption id=") {
        let body = page[at..].split_once('>').unwrap().1.split("</caption>").next().unwrap();
        captions.push((at, html_words(body)));
    }
    for (at, _) in page.match_indices("<figure class=\"picture\">") {
        if let Some(body) = page[at..].split("</figure>").next().unwrap().split("<figcaption>").nth(1) {
            captions.push((at, html_words(body.split("</figcaption>").next().unwrap())));
        }
    }
    captions.sort();
    captions.into_iter().map(|(_, caption)| caption).collect()
}

/// A web page's notes: (number, words), in order.
fn web_notes(page: &str) -> Vec<(usize, String)> {
    elements(page, "<li id=\"fn", "</li>")
        .into_iter()
        .map(|(attributes, body)| {
            let number = attributes.trim_end_matches('"').rsplit(['-', 'n']).next().unwrap().parse().unwrap();
            (number, html_words(body.split("<a class=\"back\"").next().unwrap()))
        })
        .collect()
}

/// A web page's contents entries, in order.
fn web_contents(page: &str) -> Vec<String> {
    let nav = page.split("<nav class=\"contents\"").nth(1).expect("a contents").split("</nav>").next().unwrap();
    elements(nav, "<a href=", "</a>").into_iter().map(|(_, body)| html_words(body)).collect()
}

/// The Word file's paragraphs of `style`, their words.
fn word_paragraphs(document: &str, style: &str) -> Vec<String> {
    crate::word_export::paragraphs(document)
        .into_iter()
        .filter(|(own, _)| own == style)
        .map(|(_, text)| text.replace('\u{a0}', " ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Whether every item of `expected` is in `text`, in that order.
fn in_order(text: &str, expected: &[String]) -> Result<(), String> {
    let mut from = 0;
    for item in expected {
        match text[from..].find(&squeeze(item)) {
            Some(at) => from += at + 1,
            None => return Err(format!("{item:?} (in this order)")),
        }
    }
    Ok(())
}

#[test]
fn the_synthesis_czech_contribution_and_inform_agree_in_every_edition() {
    let package = czech_and_german_package();
    let dir = package.path();
    let entries = build_incomplete(dir, &dir.join("b.zip"));
    let page = |path: &str| String::from_utf8(entries[path].clone()).unwrap();
    let trimmed = |outline: Vec<(usize, String)>| -> Vec<(usize, String)> {
        outline
            .into_iter()
            .map(|(level, text)| (level, text.split_whitespace().collect::<Vec<_>>().join(" ")))
            .collect()
    };

    // The synthesis draft: PDF, Word and web page.
    let pdf = &entries["synthesis-report-draft.pdf"];
    let synthesis_text = squeeze(&normalise(&pdf_text(pdf)));
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    let document = String::from_utf8(docx["word/document.xml"].clone()).unwrap();
    let web = page("html/synthesis-report-draft.html");
    let outline = trimmed(crate::one_plan::bookmarks(pdf));
    assert_eq!(trimmed(crate::one_plan::word_headings(&document)), outline, "Word's headings are the PDF's");
    assert_eq!(web_headings(&web), outline, "the web page's headings are the PDF's");
    let captions = web_captions(&web);
    assert!(
        captions.iter().any(|c| c.starts_with("Figure 1: ")) && captions.iter().any(|c| c.starts_with("Table 3: "))
    );
    assert_eq!(word_paragraphs(&document, "Caption"), captions, "Word's captions are the web page's");
    in_order(&synthesis_text, &captions).unwrap_or_else(|missing| panic!("the PDF lacks the caption {missing}"));
    let notes = web_notes(&web);
    assert!(notes.len() >= 3 && notes.iter().any(|(_, text)| text.contains("AufenthG")), "{notes:?}");
    let word_notes = word_paragraphs(&document, "FootnoteText");
    let numbered: Vec<String> = notes.iter().map(|(number, text)| format!("{number}. {text}")).collect();
    assert_eq!(word_notes, numbered, "Word's notes are the web page's, numbered alike");
    in_order(&synthesis_text, &numbered).unwrap_or_else(|missing| panic!("the PDF lacks the note {missing}"));
    let contents = web_contents(&web);
    let word_contents: Vec<String> =
        (1..=3).flat_map(|level| word_paragraphs(&document, &format!("TOC{level}"))).collect();
    let mut sorted_word = word_contents.clone();
    sorted_word.sort();
    let mut sorted_web = contents.clone();
    sorted_web.sort();
    assert_eq!(sorted_word, sorted_web, "the Word contents lists the web page's entries");
    in_order(&synthesis_text, &contents).unwrap_or_else(|missing| panic!("the PDF's contents lacks {missing}"));

    // The Czech national contribution: PDF and web page.
    let pdf = &entries["national/CZ.pdf"];
    let raw = crate::publications::raw_text(pdf);
    let web = page("html/national/CZ.html");
    let outline = trimmed(crate::one_plan::bookmarks(pdf));
    assert_eq!(web_headings(&web), outline, "the Czech web page's headings are the PDF's");
    assert!(!outline.iter().any(|(_, text)| text.contains("Citovaný program")), "a quoted heading is no heading");
    let captions = web_captions(&web);
    assert!(captions.iter().any(|c| c.starts_with("Tabulka 1")) && captions.iter().any(|c| c.starts_with("Obrázek 1")));
    let czech_text = squeeze(&normalise(&pdf_text(pdf)));
    in_order(&czech_text, &captions).unwrap_or_else(|missing| panic!("the Czech PDF lacks the caption {missing}"));
    let notes = web_notes(&web);
    assert_eq!(notes.iter().map(|(number, _)| *number).collect::<Vec<_>>(), [1, 2], "{notes:?}");
    let contents = web_contents(&web);
    let depth_two: Vec<String> =
        outline.iter().filter(|(level, _)| *level <= 2).map(|(_, text)| text.clone()).collect();
    assert_eq!(contents, depth_two, "the contents: the outline to depth 2, in both");
    for typed in
        ["„loni“", "‚rychlé‘", "v\u{a0}Praze", "k\u{a0}dispozici", "i\u{a0}v\u{a0}Brně", "21\u{a0}480", "27\u{a0}%"]
    {
        assert!(raw.contains(typed), "the Czech PDF has {typed:?}");
        assert!(web.contains(typed), "the Czech web page has {typed:?} as the PDF does");
    }
    assert!(web.contains("lang=\"en\">Key findings"), "the template's English heading is marked as English");

    // The Inform: PDF and web page.
    let pdf = &entries["inform.pdf"];
    let web = page("html/inform.html");
    assert_eq!(web_headings(&web), trimmed(crate::one_plan::bookmarks(pdf)), "the Inform's headings");
    let captions = web_captions(&web);
    in_order(&squeeze(&normalise(&pdf_text(pdf))), &captions).unwrap_or_else(|m| panic!("the Inform lacks {m}"));
    let raw = crate::publications::raw_text(pdf);
    for figure in ["21\u{a0}480", "27\u{a0}%"] {
        assert!(raw.contains(figure) && web.contains(figure), "the Inform keeps {figure:?} whole in both");
    }
}

#[test]
fn the_web_page_of_a_flash_set_compactly_shows_what_its_pdf_shows() {
    let package = copy_package(&sample());
    let dir = package.path();
    // The template's aim long enough that the page holds it only when set
    // compactly (without the chart of the latest year).
    let template = std::fs::read_to_string(repo().join("templates/study-generic.toml")).unwrap();
    let aim = "The study compares how each country meets its labour shortages through migration. ".repeat(14);
    let template = template
        .lines()
        .map(|line| if line.starts_with("aim = ") { format!("aim = \"{}\"", aim.trim()) } else { line.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    write(dir, "template.toml", &template);
    replace(dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    let entries = build_incomplete(dir, &dir.join("b.zip"));
    let pdf = normalise(&pdf_text(&entries["flash.pdf"]));
    let page = String::from_utf8(entries["html/flash.html"].clone()).unwrap();
    let chart = "First residence permits issued for remunerated activities, 2023";
    assert!(squeeze(&pdf).contains(&squeeze("labour shortages through migration")), "the aim is on the page");
    assert!(!squeeze(&pdf).contains(&squeeze(chart)), "set compactly: no chart in the PDF");
    assert!(!page.contains(chart), "nor on the web page");

    let package = copy_package(&sample());
    let entries = build_incomplete(package.path(), &package.path().join("b.zip"));
    let page = String::from_utf8(entries["html/flash.html"].clone()).unwrap();
    assert!(squeeze(&normalise(&pdf_text(&entries["flash.pdf"]))).contains(&squeeze(chart)) && page.contains(chart));
}
