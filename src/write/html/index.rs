//! `html/index.html`: the package's front page as the plan lists it
//! (`publications::index`): its title, kind and date, every publication
//! with each of its formats, every country's page, and the other files of
//! the bundle.

use std::fmt::Write as _;

use super::{INDEX_PATH, STYLESHEET_PATH, attribute, relative, text};
use crate::output::{DataFile, FileKind};
use crate::publications::index::{Index, Item};

/// The index page as the plan lists it.
pub fn index(index: &Index) -> DataFile {
    let path = INDEX_PATH;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n\
         <header class=\"site\">\n<p class=\"network\">European Migration Network</p>\n</header>\n<main id=\"main\">\n",
        text(&index.title),
        attribute(&relative(path, STYLESHEET_PATH))
    );
    let _ = write!(
        out,
        "<div class=\"cover\">\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</div>\n",
        text(&index.kind),
        text(&index.title),
        text(&index.date)
    );
    for section in &index.sections {
        let _ = writeln!(out, "<h2>{}</h2>\n<ul class=\"listing\">", text(&section.heading));
        for item in &section.items {
            list_item(&mut out, path, item);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    DataFile { path: path.to_string(), kind: FileKind::WebPage, bytes: out.into_bytes() }
}

fn list_item(out: &mut String, path: &str, item: &Item) {
    let lang = match super::html_lang(&item.lang) {
        Some(lang) if crate::countries::primary_language(&lang) != "en" => format!(" lang=\"{lang}\""),
        _ => String::new(),
    };
    let _ = write!(out, "<li><a href=\"{}\"{lang}>{}</a>", attribute(&relative(path, &item.target)), text(&item.title));
    if !item.formats.is_empty() {
        out.push_str(" <span class=\"formats\">(");
        for (index, (format, file)) in item.formats.iter().enumerate() {
            if index > 0 {
                out.push_str(" · ");
            }
            // The format is what shows; a screen reader also hears whose.
            let _ = write!(
                out,
                "<a href=\"{}\">{}<span class=\"visually-hidden\"{lang}>: {}</span></a>",
                attribute(&relative(path, file)),
                text(format),
                text(&item.title)
            );
        }
        out.push_str(")</span>");
    }
    if let Some(note) = &item.note {
        let _ = write!(out, " ({})", text(note));
    }
    out.push_str("</li>\n");
}
