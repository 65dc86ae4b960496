//! A planned document as an accessible web page (the bundle's `html/`).
//!
//! Semantic HTML5 from the same [`Doc`] the PDF and Word are written from:
//! one `<h1>` (the title), the document's outline below it (a heading of
//! level L is `<h{L+1}>`; the sixth level, deeper than HTML names, is a
//! `role="heading"` of `aria-level` 7), landmarks and a skip link, tables
//! with captions and header scopes, notes linked both ways, maps as inline
//! SVG images. No script, nothing fetched from outside the bundle (pictures
//! are inlined as data), the same bytes for the same plan.
//!
//! Escaping is the security boundary: every piece of text goes through
//! [`text`] or [`attribute`], so an NCP's `<script>` is printed as typed;
//! only http, https and mailto links are links.

pub mod index;

use std::fmt::Write as _;
use std::path::Path;

use crate::output::{DataFile, FileKind};
use crate::publications::document::{
    Align, Caption, Chart, Columns, Cover, Doc, Heading, Map, Node, Paragraph, Part, Span, StatsCell, StatsRow,
    StatsTable, Table, Terms, TextStyle,
};
use crate::publications::flow::{FlowBlock, FlowInline, Image, TASK_DONE, TASK_OPEN};
use crate::publications::words::{PageWords, Words, page_words, words};
use crate::publications::{Publication, maps};

/// The one stylesheet of every page.
pub const STYLESHEET: &str = include_str!("../../../templates/web/emn.css");
/// Where the bundle holds it, and the index page.
pub const STYLESHEET_PATH: &str = "html/emn.css";
pub const INDEX_PATH: &str = "html/index.html";

/// The annex, whose rows verified figures link to.
const ANNEX_PATH: &str = crate::publications::annex::PATH;

/// The web page of the bundle file at `path` (`national/CZ.pdf` →
/// `html/national/CZ.html`).
pub fn page_path(path: &str) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    format!("html/{stem}.html")
}

/// A link from the page at `from` (a bundle path) to the bundle file `to`.
pub fn relative(from: &str, to: &str) -> String {
    format!("{}{to}", "../".repeat(from.matches('/').count()))
}

/// The publication's web page. `formats` are the bundle paths of its other
/// editions (its PDF, Word file, data), linked from the page's head.
pub fn write(publication: &Publication, root: &Path, formats: &[String]) -> DataFile {
    let path = page_path(&publication.path);
    let bytes = document(&publication.doc, root, &path, formats).into_bytes();
    DataFile { path, kind: FileKind::WebPage, bytes }
}

/// The stylesheet as a file of the bundle.
pub fn stylesheet() -> DataFile {
    DataFile { path: STYLESHEET_PATH.to_string(), kind: FileKind::WebPage, bytes: STYLESHEET.as_bytes().to_vec() }
}

/// `words` for HTML content, set as `style` asks (see
/// [`crate::publications::typography`]), as every edition sets them.
fn styled(words: &str, style: TextStyle) -> String {
    escaped(&crate::publications::typography::set(words, style))
}

/// `words` for HTML content in no language's style: only its figures kept
/// whole, as the PDF keeps them.
pub fn text(words: &str) -> String {
    styled(words, TextStyle::default())
}

/// `text` for HTML content exactly as given (code): markup characters
/// escaped, characters HTML does not allow (controls, noncharacters)
/// dropped, invisible ones dropped as in the PDF.
fn escaped(text: &str) -> String {
    let shown = crate::publications::flow::displayable(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(if c == '\t' { ' ' } else { c }),
            c if allowed_in_html(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `text` for an attribute value (quoted with `"`).
pub fn attribute(value: &str) -> String {
    escaped(value).replace(['\n', '\r'], " ")
}

fn allowed_in_html(c: char) -> bool {
    let code = c as u32;
    !(c.is_control() || (0xFDD0..=0xFDEF).contains(&code) || (code & 0xFFFE) == 0xFFFE)
}

/// Whether a link target may be a link on a web page (what the PDF links).
fn is_web_link(target: &str) -> bool {
    let lower = target.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
}

/// A language tag as `lang` takes it, or `None` for one that is not a
/// well-formed tag (it would make the page invalid).
pub(crate) fn html_lang(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    let well_formed = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    well_formed.then_some(tag)
}

/// Languages written right to left.
fn is_rtl(tag: &str) -> bool {
    ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"]
        .contains(&crate::countries::primary_language(tag).as_str())
}

/// The whole page of a document at bundle `path`.
pub fn document(doc: &Doc, root: &Path, path: &str, formats: &[String]) -> String {
    let lang = html_lang(&doc.lang).unwrap_or_else(|| "en".to_string());
    let mut page = Page::new(doc, root, path, &lang);
    page.body(doc);
    let body = page.finish();
    let own = page.words;
    let labels = page.labels;
    let mut out = String::new();
    let dir = if is_rtl(&lang) { "rtl" } else { "ltr" };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">{}</a>\n",
        text(&doc.title),
        attribute(&relative(path, STYLESHEET_PATH)),
        text(labels.skip),
    );
    let _ = write!(
        out,
        "<header class=\"site\">\n<p class=\"network\"><a href=\"{}\">{}</a></p>\n",
        attribute(&relative(path, INDEX_PATH)),
        text(own.network)
    );
    if !formats.is_empty() {
        out.push_str("<p class=\"formats\">");
        for (index, format) in formats.iter().enumerate() {
            if index > 0 {
                out.push_str(" · ");
            }
            // "PDF" shows; a screen reader also hears of what.
            let _ = write!(
                out,
                "<a href=\"{}\">{}<span class=\"visually-hidden\">: {}</span></a>",
                attribute(&relative(path, format)),
                text(crate::publications::index::format_name(format)),
                text(&doc.title)
            );
        }
        out.push_str("</p>\n");
    }
    if doc.draft {
        let _ = writeln!(out, "<p class=\"draft-mark\">{}</p>", text(own.draft_mark));
    }
    out.push_str("</header>\n<main id=\"main\">\n");
    out.push_str(&body);
    out.push_str("</main>\n");
    if !doc.notice.disclaimer.is_empty() || !doc.notice.copyright.is_empty() {
        let _ = write!(
            out,
            "<footer class=\"notice\">\n<p>{}</p>\n<p>{}</p>\n</footer>\n",
            text(&doc.notice.disclaimer),
            text(&doc.notice.copyright)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A heading as written, for the contents.
struct Written {
    level: u8,
    id: String,
    html: String,
    /// ` lang="…"` where its words are in another language than the page's.
    lang: String,
}

/// Writes one page's main content.
struct Page<'a> {
    out: String,
    root: &'a Path,
    path: &'a str,
    /// The page's language tag.
    lang: String,
    words: &'static Words,
    labels: &'static PageWords,
    title: String,
    h1_written: bool,
    headings: Vec<Written>,
    /// Where the contents go once every heading is known: (byte, depth).
    contents: Option<(usize, u8)>,
    notes_cited: usize,
    /// Notes are numbered from 1 in each part, as the plan sets a working
    /// draft (the synthesis); else through the page.
    notes_per_part: bool,
    /// Parts written so far: a note's anchor names its part when numbers
    /// restart in each.
    parts: usize,
    /// Tables written so far, for their ids.
    tables: usize,
    maps: usize,
}

impl<'a> Page<'a> {
    fn new(doc: &Doc, root: &'a Path, path: &'a str, lang: &str) -> Self {
        Self {
            out: String::new(),
            root,
            path,
            lang: lang.to_string(),
            words: words(lang),
            labels: page_words(lang),
            title: doc.title.clone(),
            h1_written: false,
            headings: Vec::new(),
            contents: None,
            notes_cited: 0,
            notes_per_part: doc.text_setting == crate::publications::document::TextSetting::WorkingDraft,
            parts: 0,
            tables: 0,
            maps: 0,
        }
    }

    fn body(&mut self, doc: &Doc) {
        let titled =
            doc.nodes().iter().any(|n| matches!(n, Node::Cover(_) | Node::Banner { .. } | Node::Masthead { .. }));
        if !titled {
            let title = self.title.clone();
            self.h1(&title, None);
        }
        self.nodes(&doc.body);
    }

    /// The content, the contents inserted where the plan has them.
    fn finish(&mut self) -> String {
        let mut out = std::mem::take(&mut self.out);
        if let Some((at, depth)) = self.contents {
            let nav = self.contents_nav(depth);
            out.insert_str(at, &nav);
        }
        out
    }

    fn contents_nav(&self, depth: u8) -> String {
        let entries: Vec<&Written> = self.headings.iter().filter(|h| h.level <= depth).collect();
        if entries.is_empty() {
            return String::new();
        }
        let mut nav = format!(
            "<nav class=\"contents\" aria-labelledby=\"contents-title\">\n<p class=\"contents-title\" id=\"contents-title\">{}</p>\n",
            text(self.words.contents)
        );
        // Nested lists, one level per heading level (a skipped level opens
        // its list inside the last item).
        let mut open: Vec<u8> = Vec::new();
        for entry in entries {
            while open.last().is_some_and(|&level| level > entry.level) {
                nav.push_str("</li>\n</ol>\n");
                open.pop();
            }
            if open.last() == Some(&entry.level) {
                nav.push_str("</li>\n");
            } else {
                nav.push_str("<ol>\n");
                open.push(entry.level);
            }
            // The entry keeps its heading's language (an English question on a Czech page).
            let _ = write!(nav, "<li><a href=\"#{}\"{}>{}</a>", entry.id, entry.lang, entry.html);
        }
        while open.pop().is_some() {
            nav.push_str("</li>\n</ol>\n");
        }
        nav.push_str("</nav>\n");
        nav
    }

    fn h1(&mut self, title: &str, lang: Option<&str>) {
        let lang = self.lang_attribute(lang);
        if self.h1_written {
            let _ = writeln!(self.out, "<p class=\"title\"{lang}>{}</p>", text(title));
        } else {
            let _ = writeln!(self.out, "<h1{lang}>{}</h1>", text(title));
            self.h1_written = true;
        }
    }

    /// ` lang="…"` (and `dir`) where `lang` is not the page's.
    fn lang_attribute(&self, lang: Option<&str>) -> String {
        let Some(lang) = lang.and_then(html_lang) else { return String::new() };
        if crate::countries::primary_language(&lang) == crate::countries::primary_language(&self.lang) {
            return String::new();
        }
        let dir = match (is_rtl(&lang), is_rtl(&self.lang)) {
            (true, false) => " dir=\"rtl\"",
            (false, true) => " dir=\"ltr\"",
            _ => "",
        };
        format!(" lang=\"{lang}\"{dir}")
    }

    /// A heading of the document's outline at `level` (1: a chapter), its
    /// content already HTML.
    fn heading_html(&mut self, level: u8, html: String, lang: &str) {
        let id = format!("h{}", self.headings.len() + 1);
        let tag_level = level.saturating_add(1).max(2);
        if tag_level <= 6 {
            let _ = writeln!(self.out, "<h{tag_level} id=\"{id}\"{lang}>{html}</h{tag_level}>");
        } else {
            let _ = writeln!(
                self.out,
                "<p class=\"h{tag_level}\" role=\"heading\" aria-level=\"{tag_level}\" id=\"{id}\"{lang}>{html}</p>"
            );
        }
        self.headings.push(Written { level, id, html, lang: lang.to_string() });
    }

    fn heading(&mut self, heading: &Heading) {
        let words = crate::publications::document::heading_words(&heading.text);
        let lang = self.lang_attribute(heading.lang.as_deref());
        self.heading_html(heading.level, styled(&words, heading.style), &lang);
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Cover(cover) => self.cover(cover),
            Node::Banner { kind, title, details } => {
                self.out.push_str("<div class=\"banner\">\n");
                let _ = writeln!(self.out, "<p class=\"kind\">{}</p>", text(kind));
                self.h1(title, None);
                self.details(details);
                self.out.push_str("</div>\n");
            }
            Node::Masthead { label, title } => {
                self.out.push_str("<div class=\"masthead\">\n");
                let _ = writeln!(self.out, "<p class=\"kind\">{}</p>", text(label));
                self.h1(title, None);
                self.out.push_str("</div>\n");
            }
            Node::Contents { depth, .. } => {
                if self.contents.is_none() {
                    self.contents = Some((self.out.len(), *depth));
                }
            }
            // Paper only: the page flows on.
            Node::PageBreak | Node::Landscape | Node::Fill => {}
            Node::Heading(heading) => self.heading(heading),
            Node::Paragraph(Paragraph { spans, style }) => {
                self.out.push_str("<p>");
                self.spans(spans, *style);
                self.out.push_str("</p>\n");
            }
            Node::Kicker(label) => {
                let _ = writeln!(self.out, "<p class=\"kicker\">{}</p>", text(label));
            }
            Node::Gap(notice) => {
                let _ = writeln!(
                    self.out,
                    "<p class=\"gap\"><strong class=\"label\">{}:</strong> {}</p>",
                    text(self.labels.missing),
                    text(notice)
                );
            }
            Node::Note(note) => {
                let _ = writeln!(
                    self.out,
                    "<p class=\"editorial\"><strong class=\"label\">{}:</strong> {}</p>",
                    text(self.labels.editorial_note),
                    text(note)
                );
            }
            Node::SmallPrint(spans) => {
                self.out.push_str("<p class=\"small\">");
                self.spans(spans, TextStyle::default());
                self.out.push_str("</p>\n");
            }
            Node::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = writeln!(self.out, "<{tag}>");
                for item in items {
                    self.out.push_str("<li>");
                    self.spans(item, TextStyle::default());
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            Node::Table(table) => self.table(table),
            Node::Stats(stats) => self.stats(stats),
            Node::Chart(chart) => self.chart(chart),
            Node::Map(map) => self.map(map),
            Node::Facts(facts) => self.details(facts),
            Node::Columns(_) | Node::Balanced(_) | Node::Keep(_) | Node::Fit(_) => self.container(node),
            Node::Part(part) => self.part(part),
            Node::Terms(terms) => self.terms(terms),
        }
    }

    /// A node holding other nodes: columns, a fitted body.
    fn container(&mut self, node: &Node) {
        match node {
            Node::Columns(Columns { cells, .. }) => {
                self.out.push_str("<div class=\"columns\">\n");
                for cell in cells {
                    self.out.push_str("<div class=\"column\">\n");
                    self.nodes(cell);
                    self.out.push_str("</div>\n");
                }
                self.out.push_str("</div>\n");
            }
            Node::Balanced(inner) => {
                self.out.push_str("<div class=\"balanced\">\n");
                self.nodes(inner);
                self.out.push_str("</div>\n");
            }
            Node::Keep(inner) => self.nodes(inner),
            // The pipeline gives the setting the PDF has (`Doc::settle`);
            // a page written alone shows the normal one.
            Node::Fit(fit) => self.nodes(&fit.normal.body),
            _ => {}
        }
    }

    fn cover(&mut self, cover: &Cover) {
        self.out.push_str("<div class=\"cover\">\n");
        let network = cover.network.as_deref().unwrap_or(self.words.network);
        let _ = writeln!(self.out, "<p class=\"network-name\">{}</p>", text(network));
        let _ = writeln!(self.out, "<p class=\"kind\">{}</p>", text(&cover.kind));
        self.h1(&cover.title, Some(&cover.title_lang));
        if !cover.subtitle.is_empty() {
            let _ = writeln!(self.out, "<p class=\"subtitle\">{}</p>", text(&cover.subtitle));
        }
        self.details(&cover.details);
        self.out.push_str("</div>\n");
    }

    fn details(&mut self, details: &[(String, String)]) {
        if details.is_empty() {
            return;
        }
        self.out.push_str("<dl class=\"facts\">\n");
        for (label, value) in details {
            let _ = writeln!(self.out, "<div><dt>{}</dt><dd>{}</dd></div>", text(label), text(value));
        }
        self.out.push_str("</dl>\n");
    }

    fn spans(&mut self, spans: &[Span], style: TextStyle) {
        for span in spans {
            match span {
                Span::Text(words) => self.out.push_str(&styled(words, style)),
                Span::Strong(words) => {
                    let _ = write!(self.out, "<strong>{}</strong>", styled(words, style));
                }
                Span::Link { text: words, target } => {
                    // A publication of the bundle: its web page, which the
                    // web edition holds beside each PDF.
                    let href = match target {
                        _ if is_web_link(target) => target.clone(),
                        _ if target.ends_with(".pdf") => relative(self.path, &page_path(target)),
                        _ => relative(self.path, target),
                    };
                    let _ = write!(self.out, "<a href=\"{}\">{}</a>", attribute(&href), text(words));
                }
                Span::Gap => self.out.push(' '),
                Span::Inserted(words) => {
                    let (open, close) = crate::publications::document::INSERTED_MARKS;
                    let _ = write!(self.out, "<ins>{}</ins>", text(&format!("{open}{words}{close}")));
                }
                Span::Deleted(words) => {
                    let (open, close) = crate::publications::document::DELETED_MARKS;
                    let _ = write!(self.out, "<del>{}</del>", text(&format!("{open}{words}{close}")));
                }
            }
        }
    }

    /// Opens a table in a region of its own that scrolls sideways when the
    /// table is wider than the screen (focusable, so a keyboard can scroll
    /// it), named by the caption the plan gave the table.
    fn open_table(&mut self, class: &str, caption: Option<&Caption>) {
        self.tables += 1;
        let id = format!("t{}", self.tables);
        match caption {
            Some(caption) => {
                let caption = text(&caption.to_string());
                let _ = write!(
                    self.out,
                    "<div class=\"wide\" role=\"region\" aria-labelledby=\"{id}\" tabindex=\"0\">\n<table class=\"{class}\">\n<caption id=\"{id}\">{caption}</caption>\n"
                );
            }
            None => {
                let _ = write!(self.out, "<div class=\"wide\">\n<table class=\"{class}\">\n");
            }
        }
    }

    fn table(&mut self, table: &Table) {
        self.open_table("text", table.caption.as_ref());
        self.out.push_str("<thead><tr>");
        for (index, cell) in table.header.iter().enumerate() {
            let _ = write!(self.out, "<th scope=\"col\"{}>{}</th>", align_class(table.align.get(index)), text(cell));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in &table.rows {
            self.out.push_str("<tr>");
            for (index, cell) in row.iter().enumerate() {
                let _ = write!(self.out, "<td{}>{}</td>", align_class(table.align.get(index)), text(cell));
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn stats(&mut self, stats: &StatsTable) {
        self.open_table("stats", stats.caption.as_ref());
        self.out.push_str("<thead><tr>");
        for (index, cell) in stats.header.iter().enumerate() {
            let class = if index == 0 { "" } else { " class=\"num\"" };
            let _ = write!(self.out, "<th scope=\"col\"{class}>{}</th>", text(cell));
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in &stats.rows {
            self.stats_row(row, "");
        }
        if let Some(total) = &stats.total {
            self.stats_row(total, " class=\"total\"");
        }
        self.out.push_str("</tbody>\n</table>\n</div>\n");
    }

    fn stats_row(&mut self, row: &StatsRow, class: &str) {
        // The annex's rows are what verified figures link to (a table
        // repeated on another page keeps its ids to the annex).
        let id = match &row.anchor {
            Some(anchor) if self.path == page_path(ANNEX_PATH) => format!(" id=\"{}\"", attribute(anchor)),
            _ => String::new(),
        };
        let _ = write!(self.out, "<tr{class}{id}><th scope=\"row\">{}</th>", text(&row.label));
        for cell in &row.cells {
            match cell {
                StatsCell::Value { shown, flag } => {
                    let _ = write!(self.out, "<td class=\"num\">{}", text(shown));
                    if !flag.is_empty() {
                        let _ = write!(self.out, "<sup class=\"flag\">{}</sup>", text(flag));
                    }
                    self.out.push_str("</td>");
                }
                StatsCell::Text(words) => {
                    let _ = write!(self.out, "<td class=\"num\">{}</td>", text(words));
                }
            }
        }
        self.out.push_str("</tr>\n");
    }

    fn chart(&mut self, chart: &Chart) {
        let largest = chart.items.iter().map(|bar| bar.value).fold(1.0_f64, f64::max);
        let _ = write!(
            self.out,
            "<figure class=\"chart\">\n<figcaption>{}</figcaption>\n<ul class=\"bars\">\n",
            text(&chart.caption)
        );
        for bar in &chart.items {
            let share = (bar.value / largest * 100.0).clamp(0.0, 100.0);
            let _ = writeln!(
                self.out,
                "<li><span class=\"bar-label\">{}</span><span class=\"bar-track\" aria-hidden=\"true\"><span class=\"bar\" style=\"width: {share:.1}%\"></span></span><span class=\"bar-value\">{}</span></li>",
                text(&bar.label),
                text(&bar.shown)
            );
        }
        self.out.push_str("</ul>\n</figure>\n");
    }

    fn map(&mut self, map: &Map) {
        self.maps += 1;
        let id = format!("map{}", self.maps);
        let svg = maps::inline_svg(&map.categories, &map.no_answer, &id, &text(&map.alt));
        // Named by its text alternative (the question, each answer's count
        // and countries), not by its legend, which the caption shows.
        let _ = write!(
            self.out,
            "<figure class=\"map\" aria-labelledby=\"{id}-title\">\n{svg}\n<figcaption>\n<ul class=\"legend\">\n"
        );
        let legend = maps::legend_words(&map.categories, &map.no_answer);
        let swatches = (0..map.categories.len())
            .map(Some)
            .chain((!map.no_answer.is_empty()).then_some(None))
            .chain(std::iter::once(Some(usize::MAX)));
        for (index, (words, swatch)) in legend.iter().zip(swatches).enumerate() {
            let swatch = maps::swatch_svg(swatch, &format!("{id}-s{index}"));
            let _ = writeln!(self.out, "<li>{swatch} {}</li>", text(words));
        }
        self.out.push_str("</ul>\n</figcaption>\n</figure>\n");
    }

    fn terms(&mut self, terms: &Terms) {
        if terms.entries.is_empty() {
            return;
        }
        self.heading(&Heading { level: 1, text: terms.title.clone(), lang: None, style: terms.style });
        self.out.push_str("<dl class=\"terms\">\n");
        for entry in &terms.entries {
            let style = terms.style;
            let _ = write!(self.out, "<dt>{}</dt><dd>{}", styled(&entry.term, style), styled(&entry.definition, style));
            if !entry.source.is_empty() {
                let _ = write!(self.out, " <span class=\"source\">({})</span>", styled(&entry.source, style));
            }
            self.out.push_str("</dd>\n");
        }
        self.out.push_str("</dl>\n");
        let _ = writeln!(self.out, "<p class=\"small\">{}</p>", styled(&terms.attribution, terms.style));
    }

    /// The anchor of note `number`: unique on the page, numbers restarting
    /// in each part or not.
    fn note_id(&self, number: usize) -> String {
        if self.notes_per_part { format!("{}-{number}", self.parts) } else { number.to_string() }
    }

    /// An NCP's part, in its author's language, its notes after it.
    fn part(&mut self, part: &Part) {
        let lang = self.lang_attribute(Some(&part.lang));
        let _ = writeln!(self.out, "<div class=\"part\"{lang}>");
        self.parts += 1;
        if self.notes_per_part {
            self.notes_cited = 0;
        }
        let mut flow = FlowWriter { page: self, part, numbers: vec![None; part.flow.notes.len()] };
        flow.blocks(&part.flow.blocks);
        let numbers = std::mem::take(&mut flow.numbers);
        let mut cited: Vec<(usize, usize)> =
            numbers.iter().enumerate().filter_map(|(index, number)| number.map(|n| (n, index))).collect();
        cited.sort();
        if !cited.is_empty() {
            let _ = write!(
                self.out,
                "<div class=\"notes\">\n<p class=\"notes-title\">{}</p>\n<ol start=\"{}\">\n",
                text(self.labels.notes),
                cited[0].0
            );
            for (number, index) in cited {
                let id = self.note_id(number);
                let _ = write!(self.out, "<li id=\"fn{id}\">");
                let mut flow = FlowWriter { page: self, part, numbers: numbers.clone() };
                flow.blocks(&part.flow.notes[index]);
                let _ = writeln!(
                    self.out,
                    " <a class=\"back\" href=\"#fnref{id}\" aria-label=\"{} {number}\">↩</a></li>",
                    attribute(self.labels.back)
                );
            }
            self.out.push_str("</ol>\n</div>\n");
        }
        self.out.push_str("</div>\n");
    }
}

fn align_class(align: Option<&Align>) -> &'static str {
    match align {
        Some(Align::Right) => " class=\"num\"",
        Some(Align::Center) => " class=\"centre\"",
        _ => "",
    }
}

/// The MIME type of a picture format as typst names it.
fn mime(format: &str) -> &'static str {
    match format {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Writes a part's normalised blocks.
struct FlowWriter<'p, 'a> {
    page: &'p mut Page<'a>,
    part: &'p Part,
    /// The page-wide number of each of the part's notes, once cited.
    numbers: Vec<Option<usize>>,
}

impl FlowWriter<'_, '_> {
    fn out(&mut self) -> &mut String {
        &mut self.page.out
    }

    fn blocks(&mut self, blocks: &[FlowBlock]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &FlowBlock) {
        match block {
            FlowBlock::Paragraph(inlines) => {
                self.out().push_str("<p>");
                self.inlines(inlines);
                self.out().push_str("</p>\n");
            }
            FlowBlock::Figure { image, index } => {
                self.out().push_str("<figure class=\"picture\">");
                self.picture(image, "");
                match self.part.caption(*index) {
                    Some(caption) => {
                        let caption = text(&caption.to_string());
                        let _ = writeln!(self.out(), "<figcaption>{caption}</figcaption></figure>");
                    }
                    None => self.out().push_str("</figure>\n"),
                }
            }
            FlowBlock::Heading { depth, content, .. } => {
                let start = self.page.out.len();
                self.inlines(content);
                let html = self.page.out.split_off(start);
                let level = self.part.heading_level(*depth);
                self.page.heading_html(level, html, "");
            }
            FlowBlock::List { ordered, start, items } => {
                let open = match (*ordered, *start) {
                    (true, 1) => "<ol>".to_string(),
                    (true, start) => format!("<ol start=\"{start}\">"),
                    (false, _) => "<ul>".to_string(),
                };
                let _ = writeln!(self.out(), "{open}");
                for item in items {
                    self.out().push_str("<li>");
                    if let Some(done) = item.task {
                        self.out().push_str(if done { TASK_DONE } else { TASK_OPEN });
                    }
                    // A tight item's paragraph is its text.
                    match item.blocks.as_slice() {
                        [FlowBlock::Paragraph(inlines)] => self.inlines(inlines),
                        blocks => self.blocks(blocks),
                    }
                    self.out().push_str("</li>\n");
                }
                let _ = writeln!(self.out(), "{}", if *ordered { "</ol>" } else { "</ul>" });
            }
            FlowBlock::Quote(inner) => {
                self.out().push_str("<blockquote>\n");
                self.blocks(inner);
                self.out().push_str("</blockquote>\n");
            }
            FlowBlock::Code(code) => {
                let code = escaped(code);
                let _ = writeln!(self.out(), "<pre tabindex=\"0\"><code>{code}</code></pre>");
            }
            FlowBlock::Table { .. } => self.flow_table(block),
            FlowBlock::Rule => self.out().push_str("<hr>\n"),
            FlowBlock::Literal { text: literal, .. } => {
                let literal = text(literal);
                let _ = writeln!(self.out(), "<p class=\"literal\">{literal}</p>");
            }
        }
    }

    /// An NCP's Markdown table, under the caption the plan gave it.
    fn flow_table(&mut self, block: &FlowBlock) {
        let FlowBlock::Table { align, header, rows, index, .. } = block else { return };
        self.page.open_table("text", self.part.caption(*index));
        self.out().push_str("<thead><tr>");
        for (index, cell) in header.iter().enumerate() {
            let _ = write!(self.out(), "<th scope=\"col\"{}>", align_class(align.get(index)));
            self.inlines(cell);
            self.out().push_str("</th>");
        }
        self.out().push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.out().push_str("<tr>");
            for (index, cell) in row.iter().enumerate() {
                let _ = write!(self.out(), "<td{}>", align_class(align.get(index)));
                self.inlines(cell);
                self.out().push_str("</td>");
            }
            self.out().push_str("</tr>\n");
        }
        self.out().push_str("</tbody>\n</table>\n</div>\n");
    }

    /// A package picture, inlined as data (nothing outside the page is
    /// fetched); read inside the package only, as typst reads it.
    fn picture(&mut self, image: &Image, class: &str) {
        match crate::sandbox::read(self.page.root, &image.path, crate::limits::MAX_IMAGE_BYTES) {
            Ok(bytes) => {
                use base64::Engine as _;
                let data = base64::engine::general_purpose::STANDARD.encode(bytes);
                let alt = attribute(&image.alt);
                let _ =
                    write!(self.out(), "<img{class} src=\"data:{};base64,{data}\" alt=\"{alt}\">", mime(image.format));
            }
            Err(_) => {
                let missing = text(&crate::publications::flow::missing_image(&image.alt));
                let _ = write!(self.out(), "<em>{missing}</em>");
            }
        }
    }

    fn inlines(&mut self, inlines: &[FlowInline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn wrapped(&mut self, tag: &str, inner: &[FlowInline]) {
        let _ = write!(self.out(), "<{tag}>");
        self.inlines(inner);
        let _ = write!(self.out(), "</{tag}>");
    }

    fn inline(&mut self, inline: &FlowInline) {
        match inline {
            FlowInline::Text(words) => {
                let words = styled(words, self.part.style);
                self.out().push_str(&words);
            }
            // A figure `validate` verified links to the annex row it was
            // checked against.
            FlowInline::Figure { text: words, row } => {
                let annex = relative(self.page.path, &page_path(ANNEX_PATH));
                let words = styled(words, self.part.style);
                let _ = write!(
                    self.out(),
                    "<a class=\"verified\" href=\"{}\">{words}</a>",
                    attribute(&format!("{annex}#{row}"))
                );
            }
            FlowInline::Emph(inner) => self.wrapped("em", inner),
            FlowInline::Strong(inner) => self.wrapped("strong", inner),
            FlowInline::Strike(inner) => self.wrapped("s", inner),
            FlowInline::Code(code) => {
                let code = escaped(code);
                let _ = write!(self.out(), "<code>{code}</code>");
            }
            FlowInline::Link { url, content } if is_web_link(url) => {
                let _ = write!(self.out(), "<a href=\"{}\">", attribute(url.trim()));
                self.inlines(content);
                self.out().push_str("</a>");
            }
            FlowInline::Link { content, .. } => self.inlines(content),
            FlowInline::Image(image) => self.picture(image, " class=\"inline\""),
            FlowInline::MissingImage { alt } => {
                let missing = text(&crate::publications::flow::missing_image(alt));
                let _ = write!(self.out(), "<em>{missing}</em>");
            }
            FlowInline::Note(index) => {
                self.page.notes_cited += 1;
                let number = self.page.notes_cited;
                if let Some(slot) = self.numbers.get_mut(*index) {
                    *slot = Some(number);
                }
                let label = attribute(self.page.labels.notes);
                let id = self.page.note_id(number);
                let _ = write!(
                    self.out(),
                    "<sup class=\"note-ref\"><a id=\"fnref{id}\" href=\"#fn{id}\" aria-label=\"{label}: {number}\">{number}</a></sup>"
                );
            }
            FlowInline::NoteAgain(index) => {
                if let Some(Some(number)) = self.numbers.get(*index).copied() {
                    let label = attribute(self.page.labels.notes);
                    let id = self.page.note_id(number);
                    let _ = write!(
                        self.out(),
                        "<sup class=\"note-ref\"><a href=\"#fn{id}\" aria-label=\"{label}: {number}\">{number}</a></sup>"
                    );
                }
            }
            FlowInline::NoteOmitted { name, characters } => {
                let omitted = text(&crate::publications::flow::omitted_note(name, *characters));
                let _ = write!(self.out(), " <span class=\"gap-inline\">[{omitted}]</span>");
            }
            FlowInline::SoftBreak => self.out().push('\n'),
            FlowInline::LineBreak => self.out().push_str("<br>\n"),
            FlowInline::Literal(literal) => {
                let literal = text(literal);
                self.out().push_str(&literal);
            }
        }
    }
}

#[cfg(test)]
mod tests;
