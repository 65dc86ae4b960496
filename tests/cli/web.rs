//! The web edition as a reader and a checker meet it: a page for every PDF,
//! an index linking every file, the PDF's outline on each page, every word
//! an NCP wrote, maps with the PDF's alt texts, and nothing that runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

/// A tag of a page: its name and attributes (values unescaped).
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The tags of a page, read as a browser tokenises them (the writer
/// escapes every `<` of text, so each raw `<` opens a tag).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let inside = &rest[at + 1..end];
        rest = &rest[end.min(rest.len())..];
        if inside.starts_with('/') || inside.starts_with('!') {
            continue;
        }
        let name: String = inside.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let mut attributes = Vec::new();
        let mut text = &inside[name.len()..];
        loop {
            text = text.trim_start();
            let key: String = text.chars().take_while(|c| !c.is_whitespace() && *c != '=' && *c != '/').collect();
            if key.is_empty() {
                break;
            }
            text = &text[key.len()..];
            let value = if let Some(after) = text.strip_prefix("=\"") {
                let close = after.find('"').unwrap_or(after.len());
                text = &after[(close + 1).min(after.len())..];
                unescape(&after[..close])
            } else {
                String::new()
            };
            attributes.push((key.to_ascii_lowercase(), value));
        }
        out.push(Tag { name: name.to_ascii_lowercase(), attributes });
    }
    out
}

/// The text a reader sees: tags removed, entities read.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = &rest[at + rest[at..].find('>').map_or(rest.len() - at, |e| e + 1)..];
    }
    out.push_str(rest);
    unescape(&out)
}

/// (level, text) of a page's headings below its `<h1>`, as a screen
/// reader lists them (h2 = level 1).
fn page_outline(html: &str) -> Vec<(usize, String)> {
    let mut outline = Vec::new();
    let mut rest = html;
    loop {
        let next_h = (2..=6).filter_map(|n| rest.find(&format!("<h{n}")).map(|at| (at, n))).min();
        let next_role = rest.find("role=\"heading\"").map(|at| (rest[..at].rfind('<').unwrap(), 0));
        let Some((at, n)) = [next_h, next_role].into_iter().flatten().min() else { break };
        let open_end = at + rest[at..].find('>').unwrap();
        let level = if n > 0 {
            n
        } else {
            rest[at..open_end].split("aria-level=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
        };
        let close = open_end + rest[open_end..].find(if n > 0 { "</h" } else { "</p>" }).unwrap();
        outline.push((level - 1, squeeze(&visible_text(&rest[open_end + 1..close]))));
        rest = &rest[close..];
    }
    outline
}

fn bookmarks(pdf: &[u8]) -> Vec<(usize, String)> {
    let document = lopdf::Document::load_mem(pdf).expect("a PDF");
    match document.get_toc() {
        Ok(toc) => toc.toc.into_iter().map(|entry| (entry.level, squeeze(&entry.title))).collect(),
        Err(_) => Vec::new(),
    }
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn build(dir: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join("web.zip");
    let _ = std::fs::remove_file(&out);
    emn_pub().arg("build-package").arg(dir).args(extra).arg("--out").arg(&out).assert().success();
    unzip(&out)
}

/// The relative links of a page, resolved to bundle paths.
fn links(page: &str, html: &str) -> BTreeSet<String> {
    let base: Vec<&str> = page.split('/').collect();
    let mut out = BTreeSet::new();
    for tag in tags(html) {
        for (key, value) in &tag.attributes {
            if (key == "href" || key == "src") && !value.starts_with('#') && !value.contains(':') {
                let mut parts: Vec<&str> = base[..base.len() - 1].to_vec();
                for part in value.split('#').next().unwrap().split('/') {
                    match part {
                        ".." => {
                            parts.pop();
                        }
                        "." | "" => {}
                        other => parts.push(other),
                    }
                }
                out.insert(parts.join("/"));
            }
        }
    }
    out
}

fn assert_nothing_runs(path: &str, html: &str) {
    for tag in tags(html) {
        assert!(
            !["script", "iframe", "object", "embed", "base", "form"].contains(&tag.name.as_str()),
            "{path}: a <{}> element",
            tag.name
        );
        for (key, value) in &tag.attributes {
            assert!(!key.starts_with("on"), "{path}: an event attribute {key}");
            let value = value.trim().to_ascii_lowercase();
            assert!(!value.starts_with("javascript:"), "{path}: a javascript: link");
            if key == "href" || key == "src" {
                let allowed = !value.contains(':')
                    || value.starts_with("http://")
                    || value.starts_with("https://")
                    || value.starts_with("mailto:")
                    || (key == "src" && value.starts_with("data:image/"));
                assert!(allowed, "{path}: {key}={value}");
            }
        }
        if tag.name == "link" {
            let href = tag.attributes.iter().find(|(k, _)| k == "href").map(|(_, v)| v.as_str()).unwrap_or("");
            assert!(!href.contains(':'), "{path}: a stylesheet from outside the bundle: {href}");
        }
    }
}

#[test]
fn every_pdf_has_its_page_with_the_pdfs_outline_and_the_index_links_every_file() {
    let package = copy_package(&sample());
    let (path, text) =
        ("contributions/CZ.md", std::fs::read_to_string(package.path().join("contributions/CZ.md")).unwrap());
    let at = text.find("## Q2.2").unwrap();
    let end = at + text[at..].find("\n\n").unwrap();
    write(
        package.path(),
        path,
        &format!(
            "{}\n\n### Regional offices\n\nThey check vacancies.\n\n#### Prague\n\nHalf of all cases.\n{}",
            &text[..end],
            &text[end..]
        ),
    );
    let files = build(package.path(), &[]);
    let pdfs: Vec<&String> = files.keys().filter(|p| p.ends_with(".pdf")).collect();
    assert!(pdfs.len() >= 10);
    for pdf in &pdfs {
        let page = format!("html/{}.html", pdf.trim_end_matches(".pdf"));
        let html = String::from_utf8(files.get(&page).unwrap_or_else(|| panic!("{page} for {pdf}")).clone()).unwrap();
        assert_eq!(html.matches("<h1").count(), 1, "{page}: one h1");
        assert_eq!(page_outline(&html), bookmarks(&files[pdf.as_str()]), "{page}: the PDF's bookmarks");
        assert_nothing_runs(&page, &html);
        for link in links(&page, &html) {
            assert!(files.contains_key(&link), "{page} links {link}, which the bundle lacks");
        }
    }
    // The NCP's sub-headings are on the synthesis page, below Czechia.
    let synthesis = String::from_utf8(files["html/synthesis-report-draft.html"].clone()).unwrap();
    let outline = page_outline(&synthesis);
    assert!(
        outline.contains(&(4, squeeze("Regional offices"))) && outline.contains(&(5, squeeze("Prague"))),
        "{outline:?}"
    );

    let index = String::from_utf8(files["html/index.html"].clone()).unwrap();
    assert_nothing_runs("html/index.html", &index);
    let linked = links("html/index.html", &index);
    // Every file but the sources the bundle rebuilds from, which are no
    // publication and are never one click from the web edition.
    for file in files.keys().filter(|f| f.as_str() != "html/index.html") {
        assert_eq!(linked.contains(file), !file.starts_with("sources/"), "html/index.html and {file}");
    }
    // Maps: inline SVG images carrying the PDF figures' alt texts.
    let pdf_alts = pdf_alt_texts(&files["synthesis-report-draft.pdf"]);
    let map_titles: Vec<String> = synthesis
        .split("<title id=\"map")
        .skip(1)
        .map(|rest| unescape(&rest[rest.find('>').unwrap() + 1..rest.find("</title>").unwrap()]))
        .collect();
    assert!(!map_titles.is_empty());
    for title in &map_titles {
        assert!(pdf_alts.contains(title), "{title:?} is a map's alt text in the PDF: {pdf_alts:?}");
    }
    assert_eq!(synthesis.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"").count(), map_titles.len());
    // The Czech summary is Czech.
    let summary = String::from_utf8(files["html/summary-cs.html"].clone()).unwrap();
    assert!(summary.contains("<html lang=\"cs\""));
    assert!(!summary.contains("Skip to the content"), "no English label on the Czech page");
}

#[test]
fn every_word_an_ncp_wrote_is_on_its_national_page_and_the_pages_are_reproducible() {
    let package = copy_package(&sample());
    let dir = package.path();
    let files = build(dir, &["--only", "html"]);
    assert!(files.keys().all(|p| p.starts_with("html/") || p == "manifest.json"), "--only html: {:?}", files.keys());
    let loaded = emn_pub::load::load(dir).unwrap().package.unwrap();
    for contribution in &loaded.contributions {
        let page = format!("html/national/{}.html", contribution.country());
        let shown = words(&visible_text(&String::from_utf8(files[&page].clone()).unwrap()));
        let document = &contribution.document;
        let texts = document
            .answers
            .iter()
            .map(|a| emn_pub::load::markdown::blocks_text(&a.blocks))
            .chain(document.footnotes.values().map(|blocks| emn_pub::load::markdown::blocks_text(blocks)));
        for text in texts {
            let missing: Vec<String> = words(&text).difference(&shown).cloned().collect();
            assert!(missing.is_empty(), "{page}: {missing:?}");
        }
    }
    let again = build(dir, &["--only", "html"]);
    assert!(again == files, "two builds, the same pages");
    let one = build(dir, &["--only", "html/national/CZ.html"]);
    let paths: Vec<&String> = one.keys().collect();
    assert_eq!(paths, ["html/emn.css", "html/national/CZ.html", "manifest.json"], "a page comes with its stylesheet");
}

#[test]
fn an_injected_script_is_printed_as_typed() {
    let package = copy_package(&sample());
    let dir = package.path();
    let typed = "<script>alert('emn')</script>\n\nSee <img src=x onerror=alert(1)> and <iframe src=\"https://evil.example\"></iframe> or [this](javascript:alert(2)).";
    replace(
        dir,
        "contributions/AT.md",
        "Ministry of Labour. The Public",
        &format!("{typed}\n\nMinistry of Labour. The Public"),
    );
    let files = build(dir, &["--allow-incomplete"]);
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert_nothing_runs(path, &String::from_utf8(bytes.clone()).unwrap());
    }
    let at = visible_text(&String::from_utf8(files["html/national/AT.html"].clone()).unwrap());
    assert!(at.contains("<script>alert('emn')</script>"), "printed as typed");
    assert!(
        at.contains("<img src=x onerror=alert(1)>") && at.contains("<iframe src=\"https://evil.example\"></iframe>")
    );
}
