//! `html/index.html`: the package's front page — its title, kind and date,
//! every publication with each of its formats, every country's page, and
//! the other files of the bundle, so that every file is one link away.

use std::fmt::Write as _;

use super::{INDEX_PATH, STYLESHEET_PATH, attribute, format_name, relative, text};
use crate::output::{DataFile, FileKind};

/// One publication as the index lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What a reader calls it (its title, or a country's name).
    pub title: String,
    /// The title's language (the Czech summary's is Czech).
    pub lang: String,
    pub kind: FileKind,
    pub country: Option<String>,
    /// Its web page (a bundle path).
    pub page: String,
    /// Its other editions (bundle paths): PDF, Word, data.
    pub files: Vec<String>,
}

/// What the index says about the package.
#[derive(Debug, Clone)]
pub struct About {
    pub title: String,
    /// The kind of package, as a reader says it ("Study").
    pub kind: String,
    /// The date of the build, as printed on the covers.
    pub date: String,
}

/// The index page. `other_files` are the bundle's files that belong to no
/// publication (the manifest, the stylesheet).
pub fn index(about: &About, entries: &[Entry], other_files: &[String]) -> DataFile {
    let path = INDEX_PATH;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n\
         <header class=\"site\">\n<p class=\"network\">European Migration Network</p>\n</header>\n<main id=\"main\">\n",
        text(&about.title),
        attribute(&relative(path, STYLESHEET_PATH))
    );
    let _ = write!(
        out,
        "<div class=\"cover\">\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</div>\n",
        text(&about.kind),
        text(&about.title),
        text(&about.date)
    );
    let (mut national, publications): (Vec<&Entry>, Vec<&Entry>) =
        entries.iter().partition(|e| e.kind == FileKind::NationalContribution);
    // Listed under their names, so in the order of their names.
    national.sort_by_key(|entry| entry.title.to_lowercase());
    if !publications.is_empty() {
        out.push_str("<h2>Publications</h2>\n<ul class=\"publications\">\n");
        for entry in publications {
            list_entry(&mut out, path, entry);
        }
        out.push_str("</ul>\n");
    }
    if !national.is_empty() {
        out.push_str("<h2>National Contributions</h2>\n<ul class=\"countries\">\n");
        for entry in national {
            list_entry(&mut out, path, entry);
        }
        out.push_str("</ul>\n");
    }
    if !other_files.is_empty() {
        out.push_str("<h2>Other files</h2>\n<ul class=\"files\">\n");
        for file in other_files {
            let _ = writeln!(
                out,
                "<li><a href=\"{}\">{}</a> ({})</li>",
                attribute(&relative(path, file)),
                text(file),
                text(format_name(file))
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    DataFile { path: path.to_string(), kind: FileKind::WebPage, bytes: out.into_bytes() }
}

fn list_entry(out: &mut String, path: &str, entry: &Entry) {
    let lang = match super::html_lang(&entry.lang) {
        Some(lang) if crate::countries::primary_language(&lang) != "en" => format!(" lang=\"{lang}\""),
        _ => String::new(),
    };
    let _ = write!(out, "<li><a href=\"{}\"{lang}>{}</a>", attribute(&relative(path, &entry.page)), text(&entry.title));
    if !entry.files.is_empty() {
        out.push_str(" <span class=\"formats\">(");
        for (index, file) in entry.files.iter().enumerate() {
            if index > 0 {
                out.push_str(" · ");
            }
            // The format is what shows; a screen reader also hears whose.
            let _ = write!(
                out,
                "<a href=\"{}\">{}<span class=\"visually-hidden\"{lang}>: {}</span></a>",
                attribute(&relative(path, file)),
                text(format_name(file)),
                text(&entry.title)
            );
        }
        out.push_str(")</span>");
    }
    out.push_str("</li>\n");
}
