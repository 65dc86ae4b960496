//! `changes.pdf` (`build-package DIR --since OLD.zip`): what changed since
//! an earlier bundle, per country — answers added, removed or changed (the
//! words inserted and deleted marked, not only by colour), statistics whose
//! value or flag changed, countries added or gone — and the countries that
//! did not change, listed as such. Planned from the old bundle's sources
//! and the package now, as every other publication is planned.

use std::collections::BTreeMap;

use std::fmt::Write as _;

use super::document::{Node, Paragraph, Span, TextStyle};
use super::{PartCache, PlanOptions, Publication, banner, country_name, heading, part, style_for};
use crate::load::markdown::{Block, Inline};
use crate::load::{Contribution, Document, Package};

/// The earlier edition a build compares with: its package, read from the
/// bundle's sources, the bundle's name and the date it was built.
#[derive(Debug)]
pub struct Earlier {
    pub package: Package,
    pub name: String,
    /// `build_date` of the bundle's manifest (`2026-05-20`).
    pub built: Option<String>,
    /// What a bundle built `--since` it carries of it, so that it rebuilds
    /// with the same report (none in the public edition).
    pub carried: Vec<crate::output::DataFile>,
}

/// Most sentences two texts may hold together to be compared. Myers'
/// diff costs the product of the lengths of what it compares when a text
/// is rewritten whole (word by word, 20,000 words took 4.5 s and 100,000
/// words 115 s), so texts are compared sentence by sentence, and only a
/// short run of replaced sentences again word by word; past this many
/// sentences a text is shown as replaced whole, with a note.
pub const MAX_COMPARED_SENTENCES: usize = 12_000;

/// The longest run of replaced sentences (old and new together) compared
/// again word by word: an edited sentence or two shows the words that
/// changed; a passage rewritten throughout shows its sentences deleted
/// and inserted, which is what an editor reads there anyway.
const MAX_REFINED_SENTENCES: usize = 6;

/// How finely two texts were compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// Every change word by word.
    Words,
    /// Some passages rewritten throughout, shown as whole sentences.
    Sentences,
    /// The texts shown as replaced whole.
    Whole,
}

/// The words of a change between two texts, as spans: unchanged words as
/// text, and each run of changes as the old words deleted, then the new
/// ones inserted ("[− the Interior −][+ Foreign Affairs +]"), a space
/// between two changed words belonging to the run.
pub fn word_changes(old: &str, new: &str) -> Vec<Span> {
    compared(old, new).0
}

/// [`word_changes`] and the grain it could afford (see [`MAX_COMPARED_SENTENCES`]).
pub fn compared(old: &str, new: &str) -> (Vec<Span>, Grain) {
    let (old_sentences, new_sentences) = (tokens(old, true), tokens(new, true));
    if old_sentences.len() + new_sentences.len() > MAX_COMPARED_SENTENCES {
        return (vec![Span::Deleted(old.trim().to_string()), Span::Inserted(new.trim().to_string())], Grain::Whole);
    }
    let (spans, grain) = refined(marked(&old_sentences, &new_sentences));
    (merged(spans), grain)
}

/// Adjacent unchanged texts as one span.
fn merged(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match (out.last_mut(), span) {
            (Some(Span::Text(before)), Span::Text(text)) => before.push_str(&text),
            (_, span) => out.push(span),
        }
    }
    out
}

/// A text cut into words and the spaces between them, or into sentences
/// (each with the spaces after it): what the diff compares.
fn tokens(text: &str, sentences: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let boundary = match previous {
            None => false,
            Some(p) if sentences => p.is_whitespace() && !c.is_whitespace() && ends_sentence(&text[start..at]),
            Some(p) => p.is_whitespace() != c.is_whitespace(),
        };
        if boundary {
            out.push(&text[start..at]);
            start = at;
        }
        previous = Some(c);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn ends_sentence(run: &str) -> bool {
    run.trim_end().ends_with(['.', '!', '?', ';', ':', '\n']) || run.ends_with('\n')
}

/// The spans of a diff of two token lists (see [`word_changes`]).
fn marked(old: &[&str], new: &[&str]) -> Vec<Span> {
    use similar::ChangeTag;
    let operations = similar::capture_diff_slices(similar::Algorithm::Myers, old, new);
    let tokens: Vec<(ChangeTag, &str)> =
        operations.iter().flat_map(|op| op.iter_changes(old, new)).map(|c| (c.tag(), c.value())).collect();
    let mut out: Vec<Span> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let (tag, value) = tokens[index];
        if tag == ChangeTag::Equal {
            match out.last_mut() {
                Some(Span::Text(run)) => run.push_str(value),
                _ => out.push(Span::Text(value.to_string())),
            }
            index += 1;
            continue;
        }
        let (mut deleted, mut inserted) = (String::new(), String::new());
        while index < tokens.len() {
            let (tag, value) = tokens[index];
            let space_inside = tag == ChangeTag::Equal
                && value.trim().is_empty()
                && tokens.get(index + 1).is_some_and(|(next, _)| *next != ChangeTag::Equal);
            match tag {
                ChangeTag::Delete => deleted.push_str(value),
                ChangeTag::Insert => inserted.push_str(value),
                ChangeTag::Equal if space_inside => {
                    deleted.push_str(value);
                    inserted.push_str(value);
                }
                ChangeTag::Equal => break,
            }
            index += 1;
        }
        // Punctuation both runs end with is the sentence's, not the change:
        // "[− the Interior −][+ Foreign Affairs +]," not "…Interior, −][+ …Affairs, +]".
        let shared = shared_punctuation(deleted.trim_end(), inserted.trim_end()).to_string();
        let mut after = String::new();
        if !shared.is_empty() {
            let cut = |run: &mut String| {
                let trailing = run.len() - run.trim_end().len();
                let space = run[run.len() - trailing..].to_string();
                run.truncate(run.trim_end().len() - shared.len());
                space
            };
            let _ = cut(&mut deleted);
            after = format!("{shared}{}", cut(&mut inserted));
        }
        for (run, make) in [(deleted, Span::Deleted as fn(String) -> Span), (inserted, Span::Inserted)] {
            if !run.trim().is_empty() {
                out.extend(trimmed(run, make));
            }
        }
        if !after.is_empty() {
            match out.last_mut() {
                Some(Span::Text(text)) if text.trim().is_empty() => text.insert_str(0, &after),
                _ => out.push(Span::Text(after)),
            }
        }
    }
    out
}

/// The punctuation two changed runs both end with (`,`, `.`, `).`), when
/// each has words before it.
fn shared_punctuation<'a>(deleted: &'a str, inserted: &'a str) -> &'a str {
    let punctuation = |c: char| ",.;:!?)]\"'»”".contains(c);
    let tail = |run: &'a str| -> &'a str { &run[run.trim_end_matches(punctuation).len()..] };
    let (old, new) = (tail(deleted), tail(inserted));
    let shared = if old == new { old } else { "" };
    let has_words = |run: &str| run.len() > shared.len();
    if has_words(deleted) && has_words(inserted) { shared } else { "" }
}

/// A sentence diff with each short run of replaced sentences (see
/// [`MAX_REFINED_SENTENCES`]) compared again word by word, so that one
/// changed word in a long text is still marked as one word.
fn refined(spans: Vec<Span>) -> (Vec<Span>, Grain) {
    let mut out = Vec::with_capacity(spans.len());
    let mut grain = Grain::Words;
    let mut index = 0;
    while index < spans.len() {
        // A replaced run is its deleted sentences, maybe a space, then the inserted ones.
        let space = matches!(spans.get(index + 1), Some(Span::Text(t)) if t.trim().is_empty());
        let next = index + 1 + usize::from(space);
        if let (Span::Deleted(before), Some(Span::Inserted(now))) = (&spans[index], spans.get(next)) {
            if tokens(before, true).len() + tokens(now, true).len() <= MAX_REFINED_SENTENCES {
                // The space between the two runs belongs to the old one,
                // the new run's own follows it.
                out.extend(marked(&tokens(before, false), &tokens(now, false)));
                index = next + 1;
                continue;
            }
            grain = Grain::Sentences;
        }
        out.push(spans[index].clone());
        index += 1;
    }
    (out, grain)
}

fn trimmed(run: String, make: fn(String) -> Span) -> Vec<Span> {
    let start = run.len() - run.trim_start().len();
    let end = run.trim_end().len();
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::Text(run[..start].to_string()));
    }
    spans.push(make(run[start..end].to_string()));
    if end < run.len() {
        spans.push(Span::Text(run[end..].to_string()));
    }
    spans
}

/// What a reader of `blocks` sees, as text to compare: the words, each
/// link's target, each picture's description, file and content (by its
/// checksum), and the text of each note cited, so that a swapped link,
/// a replaced picture or a rewritten note is a change.
fn published_text(blocks: &[Block], document: &Document, package: &Package) -> String {
    let mut out = String::new();
    TextOf { document, package, out: &mut out, in_note: false }.blocks(blocks);
    out
}

struct TextOf<'a> {
    document: &'a Document,
    package: &'a Package,
    out: &'a mut String,
    in_note: bool,
}

impl TextOf<'_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(inlines) => self.inlines(inlines),
                Block::Heading { content, .. } => {
                    self.out.push_str("\n## ");
                    self.inlines(content);
                }
                Block::List { items, .. } => {
                    for item in items {
                        self.out.push_str("\n• ");
                        self.blocks(&item.blocks);
                    }
                }
                Block::Quote(inner) => self.blocks(inner),
                Block::Table { header, rows, .. } => {
                    for row in std::iter::once(header).chain(rows) {
                        for cell in row {
                            self.out.push_str(" | ");
                            self.inlines(cell);
                        }
                        self.out.push('\n');
                    }
                }
                Block::Code { text } | Block::Html { text, .. } => self.out.push_str(text),
                Block::Rule => self.out.push_str("\n---"),
            }
            self.out.push('\n');
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(text) | Inline::Code(text) => self.out.push_str(text),
                Inline::Html { text, .. } => self.out.push_str(text),
                Inline::Emph(inner) | Inline::Strong(inner) | Inline::Strike(inner) => self.inlines(inner),
                Inline::Link { url, content, .. } => {
                    self.inlines(content);
                    let _ = write!(self.out, " <{url}>");
                }
                Inline::Image { url, alt, target, .. } => {
                    let content = match target {
                        crate::load::markdown::Target::Local(path) => {
                            self.package.sources.get(path).map(|s| s.sha256.get(..12).unwrap_or("").to_string())
                        }
                        _ => None,
                    };
                    let _ = write!(self.out, " [picture “{alt}”: {url} {}]", content.unwrap_or_default());
                }
                Inline::FootnoteRef(name) => match self.document.footnotes.get(name) {
                    Some(note) if !self.in_note => {
                        self.out.push_str(" [note: ");
                        self.in_note = true;
                        self.blocks(note);
                        self.in_note = false;
                        self.out.push(']');
                    }
                    _ => {
                        let _ = write!(self.out, "[^{name}]");
                    }
                },
                Inline::SoftBreak | Inline::LineBreak => self.out.push(' '),
            }
        }
    }
}

/// Statistics of a package by (indicator, country, period, breakdowns):
/// the value as printed and its flag.
fn statistics(package: &Package) -> BTreeMap<(String, String, String, String), (String, String)> {
    package
        .observations
        .iter()
        .map(|o| {
            let breakdowns: Vec<String> = o.breakdowns.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let shown =
                o.value.map_or_else(|| ":".to_string(), |value| super::figures::format_number(value, o.decimals, "en"));
            ((o.indicator.clone(), o.country.clone(), o.period.clone(), breakdowns.join(", ")), (shown, o.flag.clone()))
        })
        .collect()
}

fn shown((value, flag): &(String, String)) -> String {
    if flag.is_empty() { value.clone() } else { format!("{value} ({flag})") }
}

/// Nodes that say what changed: a kicker, then the marked words (with a
/// note when the texts were too long to compare word by word).
struct Changes<'a> {
    nodes: Vec<Node>,
    style: TextStyle,
    cache: &'a PartCache,
    package: &'a Package,
}

impl Changes<'_> {
    /// Compares one text readers see in two editions under `label`.
    fn text(&mut self, label: &str, before: Option<String>, now: Option<String>) {
        match (before, now) {
            (Some(before), Some(now)) if before.split_whitespace().eq(now.split_whitespace()) => {}
            (Some(before), Some(now)) => {
                self.nodes.push(Node::Kicker(format!("Changed: {label}")));
                let (spans, grain) = compared(&before, &now);
                match grain {
                    Grain::Words => {}
                    Grain::Sentences => self.nodes.push(Node::Note(
                        "Passages rewritten throughout are shown as whole sentences deleted and inserted.".into(),
                    )),
                    Grain::Whole => self.nodes.push(Node::Note(
                        "This text is long and rewritten throughout: the old text is shown deleted and the new one inserted."
                            .into(),
                    )),
                }
                self.nodes.push(Node::Paragraph(Paragraph { spans, style: self.style }));
            }
            (None, Some(now)) => {
                self.nodes.push(Node::Kicker(format!("Added: {label}")));
                self.nodes.push(Node::Paragraph(Paragraph { spans: vec![Span::Inserted(now)], style: self.style }));
            }
            (Some(before), None) => {
                self.nodes.push(Node::Kicker(format!("Removed: {label}")));
                self.nodes.push(Node::Paragraph(Paragraph { spans: vec![Span::Deleted(before)], style: self.style }));
            }
            (None, None) => {}
        }
    }

    /// An answer or part newly written: printed as the publications print it.
    fn added_part(&mut self, label: &str, document: &Document, blocks: &[Block]) {
        self.nodes.push(Node::Kicker(format!("Added: {label}")));
        self.nodes.push(part(self.cache, self.package, document, blocks, 3, self.style));
    }
}

/// The front matter a reader sees, field by field, as written.
fn front_matter(document: &Document) -> [(&'static str, Option<String>); 5] {
    let front = &document.front;
    let value = |field: &Option<crate::load::document::Located<String>>| field.as_ref().map(|f| f.value.clone());
    [
        ("status", value(&front.status)),
        ("date", value(&front.date)),
        ("NCP", value(&front.ncp)),
        ("language", value(&front.language)),
        ("title", value(&front.title)),
    ]
}

/// What changed in one country's contribution, as nodes (empty: nothing).
fn country_changes(
    old: Option<(&Contribution, &Package)>,
    new: &Contribution,
    package: &Package,
    cache: &PartCache,
) -> Vec<Node> {
    let style = style_for(new.document.language());
    let mut changes = Changes { nodes: Vec::new(), style, cache, package };
    if let Some((old, _)) = old {
        for ((field, before), (_, now)) in front_matter(&old.document).into_iter().zip(front_matter(&new.document)) {
            changes.text(&format!("{field} (front matter)"), before, now);
        }
    }
    // Key findings are compared as an answer of their own; then every
    // question of either edition's template, then the NCP's own sections.
    let new_text = |blocks: &[Block]| published_text(blocks, &new.document, package);
    let findings = |c: &Contribution| c.document.key_findings().map(|k| k.blocks.clone());
    let old_text =
        |blocks: Option<Vec<Block>>| old.and_then(|(c, p)| blocks.map(|b| published_text(&b, &c.document, p)));
    compare_part(
        &mut changes,
        "Key findings",
        old_text(old.and_then(|(c, _)| findings(c))),
        findings(new),
        new,
        &new_text,
    );
    let mut ids: Vec<(String, String)> = package
        .template
        .questions()
        .map(|q| (q.id.get_ref().clone(), format!("{} {}", q.id.get_ref(), q.text)))
        .collect();
    if let Some((_, old_package)) = old {
        for question in old_package.template.questions() {
            if !ids.iter().any(|(id, _)| id == question.id.get_ref()) {
                let label =
                    format!("{} {} (a question no longer in the template)", question.id.get_ref(), question.text);
                ids.push((question.id.get_ref().clone(), label));
            }
        }
    }
    for (id, label) in ids {
        let answer = |c: &Contribution| c.document.filled_answer(&id).map(|a| a.blocks.clone());
        let before = old_text(old.and_then(|(c, _)| answer(c)));
        compare_part(&mut changes, &label, before, answer(new), new, &new_text);
    }
    let own = |c: &Contribution| -> Vec<(String, Vec<Block>)> {
        c.document.unplaced().into_iter().map(|(title, blocks, _)| (title.to_string(), blocks.to_vec())).collect()
    };
    let old_own = old.map(|(c, _)| own(c)).unwrap_or_default();
    let new_own = own(new);
    let mut titles: Vec<&String> = new_own.iter().map(|(t, _)| t).collect();
    titles.extend(old_own.iter().map(|(t, _)| t).filter(|t| !new_own.iter().any(|(n, _)| n == *t)));
    for title in titles {
        let label = if title.is_empty() {
            "text before the first heading".to_string()
        } else {
            format!("“{title}” (the NCP's own heading)")
        };
        let find = |parts: &[(String, Vec<Block>)]| parts.iter().find(|(t, _)| t == title).map(|(_, b)| b.clone());
        compare_part(&mut changes, &label, old_text(find(&old_own)), find(&new_own), new, &new_text);
    }
    changes.nodes
}

/// Compares one part: the old text against the new blocks, printing a
/// newly written part as the publications do.
fn compare_part(
    changes: &mut Changes,
    label: &str,
    before: Option<String>,
    now: Option<Vec<Block>>,
    new: &Contribution,
    new_text: &dyn Fn(&[Block]) -> String,
) {
    match (before, now) {
        (None, Some(blocks)) => changes.added_part(label, &new.document, &blocks),
        (before, now) => changes.text(label, before, now.map(|b| new_text(&b))),
    }
}

/// The package's own changes: its title, dates, edition and template, the
/// editors' texts, and every other file it holds (by checksum).
fn package_changes(old: &Package, package: &Package, cache: &PartCache) -> Vec<Node> {
    let mut changes = Changes { nodes: Vec::new(), style: TextStyle::default(), cache, package };
    let facts = |p: &Package| -> Vec<(&'static str, Option<String>)> {
        let m = &p.manifest;
        vec![
            ("title", Some(m.title.to_string())),
            ("topic", m.topic.as_ref().map(|t| t.get_ref().clone())),
            ("as-of date", p.as_of().map(|d| d.english())),
            ("edition", m.edition.as_ref().map(|e| e.get_ref().to_string())),
            ("reference period", m.reference_period.as_ref().map(|r| r.get_ref().clone())),
            (
                "publication date",
                m.published.as_ref().and_then(|d| d.get_ref().date).map(|d| crate::dates::Date::from_toml(d).english()),
            ),
            ("template", Some(p.template.id.clone())),
            ("disclaimer", m.disclaimer.clone()),
        ]
    };
    for ((field, before), (_, now)) in facts(old).into_iter().zip(facts(package)) {
        changes.text(&format!("the package's {field}"), before, now);
    }
    let editors = |p: &Package| -> Vec<(String, String)> {
        [&p.eu, &p.synthesis, &p.summary_cs, &p.inform]
            .into_iter()
            .flatten()
            .map(|d| (d.file.clone(), published_text(&d.body, d, p)))
            .collect()
    };
    let (old_texts, new_texts) = (editors(old), editors(package));
    let mut files: Vec<&String> = new_texts.iter().map(|(f, _)| f).collect();
    files.extend(old_texts.iter().map(|(f, _)| f).filter(|f| !new_texts.iter().any(|(n, _)| n == *f)));
    for file in files {
        let find = |texts: &[(String, String)]| texts.iter().find(|(f, _)| f == file).map(|(_, t)| t.clone());
        changes.text(&format!("{file} (the editors' text)"), find(&old_texts), find(&new_texts));
    }
    // Every other file by checksum: what the comparisons above do not
    // read is still named when it changed. Not in the public edition: a
    // file's name (a picture of a restricted answer) may be what it withholds.
    if package.edition == crate::load::Edition::Public {
        return changes.nodes;
    }
    let compared_elsewhere = |path: &str| {
        path.starts_with("contributions/")
            || path.starts_with("statistics/")
            || new_texts.iter().any(|(f, _)| f == path)
            || old_texts.iter().any(|(f, _)| f == path)
    };
    let mut other = Vec::new();
    for (path, source) in &package.sources {
        match old.sources.get(path) {
            Some(before) if before.sha256 == source.sha256 => {}
            Some(_) if !compared_elsewhere(path) => other.push(format!("{path}: changed")),
            None if !compared_elsewhere(path) => other.push(format!("{path}: new")),
            _ => {}
        }
    }
    for path in old.sources.keys().filter(|p| !package.sources.contains_key(*p) && !compared_elsewhere(p)) {
        other.push(format!("{path}: removed"));
    }
    if !other.is_empty() {
        changes.nodes.push(Node::Kicker("Other files of the package".into()));
        changes
            .nodes
            .push(Node::List { ordered: false, items: other.into_iter().map(|s| vec![Span::Text(s)]).collect() });
    }
    changes.nodes
}

/// The statistics of `code` that changed, a line each.
fn statistics_changes(
    code: &str,
    old_statistics: &BTreeMap<(String, String, String, String), (String, String)>,
    new_statistics: &BTreeMap<(String, String, String, String), (String, String)>,
    package: &Package,
) -> Vec<String> {
    let title = |indicator: &str| {
        package.template.table_for(indicator).next().map_or_else(|| indicator.to_string(), |t| t.title.to_string())
    };
    new_statistics
        .iter()
        .filter(|((_, country, _, _), _)| country == code)
        .filter_map(|(key, now)| match old_statistics.get(key) {
            Some(before) if before == now => None,
            Some(before) => Some(format!("{} {}: {} → {}", title(&key.0), key.2, shown(before), shown(now))),
            None => Some(format!("{} {}: new, {}", title(&key.0), key.2, shown(now))),
        })
        .chain(
            old_statistics
                .iter()
                .filter(|(key, _)| key.1 == code && !new_statistics.contains_key(*key))
                .map(|(key, before)| format!("{} {}: {} removed", title(&key.0), key.2, shown(before))),
        )
        .collect()
}

/// How the old edition is named: its edition and date, and its file.
fn described(earlier: &Earlier) -> String {
    let manifest = &earlier.package.manifest;
    let mut parts = Vec::new();
    if let Some(edition) = &manifest.edition {
        parts.push(format!("edition {}", edition.get_ref()));
    }
    if let Some(as_of) = earlier.package.as_of() {
        parts.push(format!("as of {}", as_of.english()));
    }
    if let Some(built) = &earlier.built {
        parts.push(format!("built {built}"));
    }
    parts.push(format!("file {}", earlier.name));
    parts.join(", ")
}

/// `changes.pdf` of `package` since the earlier edition.
pub fn plan(earlier: &Earlier, package: &Package, options: &PlanOptions) -> Publication {
    let title = format!("{} – what changed", package.manifest.title);
    let mut doc = super::doc(package, options, &title, "en", "What changed since the last edition", false);
    // A country's changes may run over several pages: each names it.
    doc.running_section = Some(2);
    let by_country = CountrySections::of(&earlier.package, package);
    doc.body.push(banner(
        "What changed",
        &package.manifest.title,
        &[("Compared with", described(earlier)), ("Built", options.date.english())],
    ));
    doc.body.push(heading(1, "Summary", TextStyle::default()));
    let listed = |names: &[String]| if names.is_empty() { "none".to_string() } else { names.join(", ") };
    let summary = [
        ("Changed", listed(&by_country.changed)),
        ("Added", listed(&by_country.added)),
        ("Removed", listed(&by_country.removed)),
        ("Unchanged", listed(&by_country.unchanged)),
    ];
    doc.body.push(Node::Facts(summary.iter().map(|(l, v)| (l.to_string(), v.clone())).collect()));
    let other_files = match package.edition {
        crate::load::Edition::Network => "every other file of the package by its content",
        crate::load::Edition::Public => {
            "every other file of the package by its content (named in the network edition only)"
        }
    };
    doc.body.push(Node::SmallPrint(vec![Span::Text(format!(
        "Inserted words are marked [+ … +] and underlined; deleted words [− … −] and struck through. \
         Compared: every text the publications print (key findings, answers, the NCPs' own headings and text, \
         notes, link targets and pictures), each contribution's front matter, the editors' texts, the package's \
         title, dates, edition and template, the statistics, and {other_files}. \
         Not compared: how emn-pub lays the publications out."
    ))]));
    if !by_country.body.is_empty() {
        doc.body.push(heading(1, "Changes by country", TextStyle::default()));
        doc.body.extend(by_country.body);
    }
    doc.number_captions();
    Publication {
        path: "changes.pdf".into(),
        kind: super::FileKind::Changes,
        country: None,
        name: "changes".into(),
        doc,
        page_limit: None,
        word: None,
    }
}

/// The report's body, section by section (the package's own changes, each
/// country's, the statistics of countries without a contribution, the
/// countries gone), and the countries by what happened to them.
struct CountrySections {
    body: Vec<Node>,
    changed: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
    unchanged: Vec<String>,
}

impl CountrySections {
    fn of(old: &Package, package: &Package) -> Self {
        let cache = PartCache::default();
        let old_by_country: BTreeMap<&str, &Contribution> =
            old.contributions.iter().map(|c| (c.country(), c)).collect();
        let new_codes: std::collections::BTreeSet<&str> = package.contributions.iter().map(|c| c.country()).collect();
        let (old_statistics, new_statistics) = (statistics(old), statistics(package));
        let mut sections = Self {
            body: Vec::new(),
            changed: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
            unchanged: Vec::new(),
        };
        let package_nodes = package_changes(old, package, &cache);
        sections.section("The package and the editors' texts", package_nodes);
        for contribution in &package.contributions {
            let code = contribution.country();
            let name = country_name(code, "en");
            let mut nodes = match old_by_country.get(code) {
                None => {
                    sections.added.push(name.clone());
                    let mut nodes =
                        vec![Node::Note(format!("{name} is new in this edition: its whole contribution is added."))];
                    nodes.extend(country_changes(None, contribution, package, &cache));
                    nodes
                }
                Some(before) => country_changes(Some((before, old)), contribution, package, &cache),
            };
            statistics_nodes(&mut nodes, statistics_changes(code, &old_statistics, &new_statistics, package));
            match (nodes.is_empty(), old_by_country.contains_key(code)) {
                (true, _) => sections.unchanged.push(name.clone()),
                (false, true) => sections.changed.push(name.clone()),
                (false, false) => {}
            }
            sections.section(&name, nodes);
        }
        // Countries with statistics and no contribution, and the EU total.
        let mut statistics_only: Vec<&str> = new_statistics
            .keys()
            .chain(old_statistics.keys())
            .map(|k| k.1.as_str())
            .filter(|c| !new_codes.contains(c))
            .collect();
        statistics_only.sort_by_key(|c| crate::countries::protocol_rank(c));
        statistics_only.dedup();
        for code in statistics_only {
            let name =
                if code == crate::countries::EU_TOTAL { "EU total".to_string() } else { country_name(code, "en") };
            let mut nodes = Vec::new();
            statistics_nodes(&mut nodes, statistics_changes(code, &old_statistics, &new_statistics, package));
            sections.section(&format!("{name}: statistics"), nodes);
        }
        for code in old.contributions.iter().map(|c| c.country()).filter(|c| !new_codes.contains(c)) {
            let name = country_name(code, "en");
            let gone =
                format!("{name}'s contribution is no longer in the package: it was removed since the last edition.");
            sections.section(&name, vec![Node::Gap(gone)]);
            sections.removed.push(name);
        }
        sections
    }

    /// A section under its heading, when it says anything.
    fn section(&mut self, title: &str, nodes: Vec<Node>) {
        if !nodes.is_empty() {
            self.body.push(heading(2, title, TextStyle::default()));
            self.body.extend(nodes);
        }
    }
}

fn statistics_nodes(nodes: &mut Vec<Node>, lines: Vec<String>) {
    if !lines.is_empty() {
        nodes.push(Node::Kicker("Statistics changed".into()));
        nodes.push(Node::List { ordered: false, items: lines.into_iter().map(|s| vec![Span::Text(s)]).collect() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_run_of_words_is_deleted_then_inserted_in_marks() {
        let spans = word_changes(
            "Ministry of the Interior, through its Department.",
            "The Ministry of Foreign Affairs, through its Department.",
        );
        assert_eq!(
            spans,
            [
                Span::Inserted("The".into()),
                Span::Text(" Ministry of ".into()),
                Span::Deleted("the Interior".into()),
                Span::Inserted("Foreign Affairs".into()),
                Span::Text(", through its Department.".into()),
            ]
        );
        assert_eq!(word_changes("same words", "same words"), [Span::Text("same words".into())]);
    }

    #[test]
    fn changes_name_what_was_added_changed_removed_and_left_alone() {
        let old = crate::testing::package(&[]);
        let (path, text) = crate::testing::contribution(
            "CZ",
            "Ministry of the Interior, through",
            "The Ministry of Foreign Affairs, through",
        );
        let new = crate::testing::package(&[(&path, &text)]);
        let options = PlanOptions::new(crate::dates::Date::from_unix(1_700_000_000), true);
        let earlier = Earlier { package: old, name: "old.zip".into(), built: None, carried: Vec::new() };
        let changes = plan(&earlier, &new, &options);
        let outline = changes.doc.outline();
        assert_eq!(
            outline.iter().filter(|(level, _)| *level == 2).map(|(_, t)| t.as_str()).collect::<Vec<_>>(),
            ["Czechia"]
        );
        let facts = changes
            .doc
            .nodes()
            .into_iter()
            .find_map(|n| if let Node::Facts(f) = n { Some(f.clone()) } else { None })
            .unwrap();
        assert_eq!(facts[0], ("Changed".to_string(), "Czechia".to_string()));
        assert!(facts[3].1.contains("Belgium") && !facts[3].1.contains("Czechia"), "{facts:?}");
        let deleted = changes
            .doc
            .nodes()
            .into_iter()
            .any(|n| matches!(n, Node::Paragraph(p) if p.spans.contains(&Span::Deleted("the Interior".into()))));
        assert!(deleted);
    }

    #[test]
    fn a_long_rewrite_is_compared_by_sentences_then_whole_within_bounds() {
        let text = |seed: &str, words: usize| -> String {
            (0..words)
                .map(|i| format!("{seed}{i}{}", if i % 12 == 11 { "." } else { "" }))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let started = std::time::Instant::now();
        let (spans, grain) = compared(&text("a", 30_000), &text("b", 30_000));
        assert_eq!(grain, Grain::Sentences);
        assert!(
            spans.iter().all(|s| !matches!(s, Span::Deleted(d) if d.split_whitespace().count() < 12)),
            "whole sentences"
        );
        let (spans, grain) = compared(&text("a", 9_000), &text("a", 9_000).replacen("a5 ", "z5 ", 1));
        assert_eq!(grain, Grain::Words);
        let changed: Vec<&Span> = spans.iter().filter(|s| !matches!(s, Span::Text(_))).collect();
        assert_eq!(changed, [&Span::Deleted("a5".into()), &Span::Inserted("z5".into())]);
        let (spans, grain) = compared(&text("a", 100_000), &text("b", 100_000));
        assert_eq!(grain, Grain::Whole);
        assert_eq!(spans.len(), 2);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        assert_eq!(compared("one two", "one three").1, Grain::Words);
    }
}
