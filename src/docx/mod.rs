//! `emn-pub import-docx`: an NCP's Word contribution into
//! `contributions/CC.md`.
//!
//! A `.docx` is a zip of XML parts. This reader takes what contributions
//! use — the document, its styles and automatic numbering, footnotes and
//! endnotes, relationships (links, images) and the document properties —
//! with `zip` and `roxmltree`, tolerantly: the crates that model the whole
//! format either read only what they write or reject real documents. What
//! cannot be mapped is kept where possible and always listed in the report,
//! with the paragraph it was at. Nothing is written until everything was
//! read, and an existing contribution is replaced only with `--force`.

mod body;
mod markdown;
mod styles;
mod symbols;
mod xml;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::countries;
use crate::dates::Date;
use crate::limits::{MAX_DOCX_BYTES, MAX_DOCX_PART_BYTES};

/// What an import wrote and what it could not map.
#[derive(Debug)]
pub struct Imported {
    pub contribution: PathBuf,
    pub images: Vec<PathBuf>,
    /// The questions answered, in the order of the Word file.
    pub answered: Vec<String>,
    /// One line per thing not mapped as it was in Word, with its place.
    pub report: Vec<String>,
}

/// Imports `file` as the contribution of `country` into the package `dir`.
pub fn import(file: &Path, dir: &Path, country: &str, force: bool) -> Result<Imported> {
    let country = crate::scaffold::checked_country(country)?;
    let package = crate::scaffold::load_for_scaffolding(dir)?;
    let relative = format!("contributions/{country}.md");
    let target = dir.join(&relative);
    if target.exists() && !force {
        bail!("{} already exists (hint: add --force to replace it with the Word file's content)", target.display());
    }
    let bytes = read_word_file(file)?;
    let mut parts = Parts::open(&bytes, file)?;
    let (body, images, mut report, text) = convert(&mut parts, &package.template, &format!("assets/{country}"))?;
    // In the order of the Word file; counts (tracked changes, comments) last.
    report.sort_by_key(|line| place(line).map_or(usize::MAX, |(first, _, _)| first));
    let answered = answered_questions(&body);
    let (front, taken) = front_matter(&country, &parts.properties(), &text);
    let mut report = grouped(report);
    report.extend(taken);

    let mut written = Vec::new();
    for (part, path) in &images {
        let bytes = parts.read_bytes(part).with_context(|| format!("the image {part} cannot be read"))?;
        let image_path = dir.join(path);
        crate::output::atomic::no_link_below(dir, &image_path)?;
        std::fs::create_dir_all(image_path.parent().unwrap_or(dir))?;
        crate::output::atomic::write_file_atomically(&image_path, &bytes)?;
        written.push(image_path);
    }
    crate::output::atomic::no_link_below(dir, &target)?;
    std::fs::create_dir_all(dir.join("contributions"))?;
    crate::output::atomic::write_file_atomically(&target, format!("{front}\n{body}").as_bytes())?;
    crate::scaffold::expect_country(dir, &package, &country)?;
    Ok(Imported { contribution: target, images: written, answered, report })
}

/// What a Word document converts to: its Markdown, the pictures it uses
/// (part → package path), the report of what was not mapped as it was,
/// and its words as typed (for its language).
type Converted = (String, BTreeMap<String, String>, Vec<String>, String);

/// The Word document's Markdown, the pictures it uses (part → package path
/// under `image_folder`) and the report of what was not mapped as it was.
fn convert(parts: &mut Parts, template: &crate::load::Template, image_folder: &str) -> Result<Converted> {
    let document = parts.read_document()?;
    let text = document_text(&document.body);
    let names = parts.archive.file_names().filter_map(|name| Some(name.ok()?.into_owned())).collect();
    let (body, images, mut report) = markdown::write(template, image_folder, &document.notes, &names, &document.body);
    report.splice(0..0, document.report);
    let (body, unbroken) = markdown::wrap_long_lines(&body, crate::limits::MAX_LINE_BYTES / 2);
    if unbroken > 0 {
        report.push(format!(
            "{unbroken} line(s) of the Markdown are longer than {} bytes with no space to break them at: validate refuses them; split them in the Markdown",
            crate::limits::MAX_LINE_BYTES
        ));
    }
    Ok((body, images, report, text))
}

/// The Word file's words as the NCP typed them (headings included, before
/// any is rewritten to the template's), for telling its language.
fn document_text(blocks: &[body::Block]) -> String {
    let mut text = String::new();
    for block in blocks {
        match block {
            body::Block::Paragraph(paragraph) => text.push_str(&body::plain_text(&paragraph.inlines)),
            body::Block::Table { rows, .. } => {
                for paragraph in rows.iter().flatten().flatten() {
                    text.push_str(&body::plain_text(&paragraph.inlines));
                    text.push(' ');
                }
            }
        }
        text.push('\n');
    }
    text
}

/// The Markdown a Word file's bytes give for `template`, without writing
/// anything (for the fuzz target and tools that only read).
pub fn to_markdown(bytes: &[u8], template: &crate::load::Template) -> Result<String> {
    let mut parts = Parts::open(bytes, Path::new("document.docx"))?;
    convert(&mut parts, template, "assets/XX").map(|(body, _, _, _)| body)
}

/// The Word file's bytes, refusing what is not a `.docx` with a reason.
fn read_word_file(file: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?;
    if !metadata.is_file() {
        bail!("{} is not a file", file.display());
    }
    if metadata.len() > MAX_DOCX_BYTES {
        bail!("{} is {} bytes; the limit is {MAX_DOCX_BYTES}", file.display(), metadata.len());
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        bail!(
            "{} is an old Word 97-2003 document (.doc) or a password-protected one (hint: open it in Word and save it as a Word Document (.docx) without a password)",
            file.display()
        );
    }
    if !bytes.starts_with(b"PK") {
        bail!("{} is not a Word document (.docx) (hint: save it from Word as a Word Document)", file.display());
    }
    Ok(bytes)
}

/// The zip and the parts read from it.
struct Parts {
    archive: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    name: String,
}

/// The document read: body blocks, footnotes and endnotes by id, and what
/// the reader noted.
struct WordDocument {
    body: Vec<body::Block>,
    notes: BTreeMap<String, Vec<body::Block>>,
    report: Vec<String>,
}

impl Parts {
    fn open(bytes: &[u8], file: &Path) -> Result<Self> {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).map_err(|error| {
            anyhow::anyhow!(
                "{} is not a Word document (.docx): {error} (hint: save it from Word as a Word Document)",
                file.display()
            )
        })?;
        Ok(Self { archive, name: file.display().to_string() })
    }

    fn read_bytes(&mut self, part: &str) -> Option<Vec<u8>> {
        let entry = self.archive.by_name(part).ok()?;
        if entry.size() > MAX_DOCX_PART_BYTES {
            return None;
        }
        let mut bytes = Vec::new();
        // One byte more than allowed: a part whose directory entry lies
        // about its size is caught here, not truncated.
        entry.take(MAX_DOCX_PART_BYTES + 1).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 <= MAX_DOCX_PART_BYTES).then_some(bytes)
    }

    fn read_text(&mut self, part: &str) -> Option<String> {
        self.read_bytes(part).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The main document part, as the package relationships name it.
    fn main_part(&mut self) -> String {
        let relationships = body::Relationships::parse(self.read_text("_rels/.rels").as_deref(), "");
        match relationships.part("officeDocument") {
            Some(part) if self.archive.by_name(part).is_ok() => part.to_string(),
            _ => "word/document.xml".to_string(),
        }
    }

    fn read_document(&mut self) -> Result<WordDocument> {
        let main = self.main_part();
        let Some(xml) = self.read_text(&main) else {
            if self.archive.by_name(&main).is_ok() {
                bail!(
                    "{}: its text ({main}) unpacks to more than {} MB, the most emn-pub reads (hint: a file that small is a zip bomb; ask the NCP for the document saved again from Word)",
                    self.name,
                    MAX_DOCX_PART_BYTES / (1024 * 1024)
                );
            }
            if self.read_text("mimetype").is_some_and(|m| m.starts_with("application/vnd.oasis.opendocument.text")) {
                bail!(
                    "{} is an OpenDocument text (.odt) named .docx (hint: open it in LibreOffice Writer or Word and save it as a Word Document (.docx))",
                    self.name
                );
            }
            bail!("{} is not a Word document (.docx): it has no {main}", self.name);
        };
        let folder = main.rsplit_once('/').map_or("", |(folder, _)| folder).to_string();
        let name = main.rsplit('/').next().unwrap_or(&main).to_string();
        let relationships =
            body::Relationships::parse(self.read_text(&format!("{folder}/_rels/{name}.rels")).as_deref(), &folder);
        let part_of = |kind: &str| relationships.part(kind).map(str::to_string);
        let styles = styles::Styles::parse(part_of("styles").and_then(|p| self.read_text(&p)).as_deref());
        let mut numbering = styles::Numbering::parse(part_of("numbering").and_then(|p| self.read_text(&p)).as_deref());
        let document = roxmltree::Document::parse(&xml)
            .map_err(|error| anyhow::anyhow!("{}: the document part is not well-formed XML ({error})", self.name))?;
        if xml::depth(&document) > crate::limits::MAX_DOCX_DEPTH {
            bail!(
                "{}: its elements nest more than {} levels deep, which no word processor writes (hint: ask the NCP for the document saved again from Word)",
                self.name,
                crate::limits::MAX_DOCX_DEPTH
            );
        }
        let Some(body_node) = document.descendants().find(|n| xml::is(*n, "body")) else {
            bail!("{}: the document part has no body", self.name);
        };
        let mut reader = body::BodyReader::new(&styles, &mut numbering, &relationships);
        let blocks = reader.blocks(body_node);
        let mut report: Vec<String> =
            reader.notes.iter().map(|n| format!("paragraph {}: {}", n.paragraph, n.what)).collect();
        let mut tracked = reader.tracked_changes;
        let mut notes = BTreeMap::new();
        for (kind, prefix) in [("footnotes", "f"), ("endnotes", "e")] {
            let Some(part) = part_of(kind) else { continue };
            let (read, changes) = self.read_notes(&part, prefix, &styles);
            notes.extend(read);
            tracked += changes;
        }
        let comments = part_of("comments")
            .and_then(|part| self.read_text(&part))
            .map(|xml| xml.matches(":comment ").count() + xml.matches("<comment ").count())
            .unwrap_or(0);
        if tracked > 0 {
            report.push(format!(
                "{} accepted: the text is imported as Word shows it with all changes accepted",
                crate::diagnostic::count(tracked, "tracked change was", "tracked changes were")
            ));
        }
        if comments > 0 {
            report.push(format!(
                "{} (comments are not part of a contribution)",
                crate::diagnostic::count(comments, "comment was dropped", "comments were dropped")
            ));
        }
        Ok(WordDocument { body: blocks, notes, report })
    }

    /// Footnotes or endnotes by `prefix` + id, and their tracked changes.
    fn read_notes(
        &mut self,
        part: &str,
        prefix: &str,
        styles: &styles::Styles,
    ) -> (BTreeMap<String, Vec<body::Block>>, usize) {
        let mut out = BTreeMap::new();
        let Some(xml) = self.read_text(part) else { return (out, 0) };
        let Ok(document) = roxmltree::Document::parse(&xml) else { return (out, 0) };
        if xml::depth(&document) > crate::limits::MAX_DOCX_DEPTH {
            return (out, 0);
        }
        let (folder, name) = part.rsplit_once('/').unwrap_or(("", part));
        let relationships =
            body::Relationships::parse(self.read_text(&format!("{folder}/_rels/{name}.rels")).as_deref(), folder);
        let mut numbering = styles::Numbering::default();
        let mut reader = body::BodyReader::new(styles, &mut numbering, &relationships);
        for note in document.descendants().filter(|n| xml::is(*n, "footnote") || xml::is(*n, "endnote")) {
            if xml::attr(note, "type").is_some_and(|t| t != "normal") {
                continue;
            }
            if let Some(id) = xml::attr(note, "id") {
                out.insert(format!("{prefix}{id}"), reader.blocks(note));
            }
        }
        (out, reader.tracked_changes)
    }

    /// Core, app and custom document properties by name (`creator`,
    /// `modified`, `language`, `Company`, custom `NCP`).
    fn properties(&mut self) -> BTreeMap<String, String> {
        let mut properties = BTreeMap::new();
        for part in ["docProps/core.xml", "docProps/app.xml"] {
            let Some(xml) = self.read_text(part) else { continue };
            let Ok(document) = roxmltree::Document::parse(&xml) else { continue };
            for node in document.root_element().children().filter(|n| n.is_element()) {
                let text = node.text().unwrap_or("").trim();
                if !text.is_empty() {
                    properties.insert(node.tag_name().name().to_string(), text.to_string());
                }
            }
        }
        if let Some(xml) = self.read_text("docProps/custom.xml")
            && let Ok(document) = roxmltree::Document::parse(&xml)
        {
            for node in document.descendants().filter(|n| xml::is(*n, "property")) {
                let value: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
                if let Some(name) = xml::attr(node, "name") {
                    properties.insert(format!("custom:{}", name.to_lowercase()), value.trim().to_string());
                }
            }
        }
        properties
    }
}

/// Front matter from the document's properties where they say it: the NCP
/// from a custom `NCP` property or the company, the date last modified,
/// the language; status draft (an editor makes it final).
/// The front matter the document's properties give, and the report lines
/// that say where each value came from.
fn front_matter(country: &str, properties: &BTreeMap<String, String>, body: &str) -> (String, Vec<String>) {
    let names_an_ncp = |text: &&String| {
        let lower = text.to_lowercase();
        lower.contains("ncp") || lower.contains("contact point") || lower.contains("kontaktní místo")
    };
    let mut report = Vec::new();
    let ncp = ["custom:ncp", "Company", "creator"].iter().find_map(|key| {
        let value = properties.get(*key).filter(|v| *key != "creator" || names_an_ncp(v))?;
        report.push(format!("ncp \"{value}\" taken from the document property {}", key.trim_start_matches("custom:")));
        Some(value.clone())
    });
    let ncp = ncp.unwrap_or_else(|| {
        let ncp = countries::default_ncp(country);
        report.push(format!("ncp: the document names no contact point; \"{ncp}\" written"));
        ncp
    });
    let date = ["custom:date", "modified", "created"].iter().find_map(|key| {
        let date = properties.get(*key).and_then(|value| Date::parse(value.get(..10).unwrap_or(value)))?;
        report.push(format!("date {} taken from when the document was {key}", date.iso()));
        Some(date)
    });
    let date = date.unwrap_or_else(|| {
        report.push("date: the document has none; today's date written".to_string());
        Date::today()
    });
    let language = properties
        .get("custom:language")
        .or_else(|| properties.get("language"))
        .map(|l| countries::primary_language(l))
        .filter(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()));
    let detected = text_language(body);
    let language = match (language, detected) {
        (Some(language), detected) => {
            report.push(format!("language {language} taken from the document's properties"));
            if let Some(detected) = detected.filter(|d| *d != language) {
                report.push(format!(
                    "the document says its language is {language}, but its text reads as {detected}: check `language` in the front matter (it decides the Yes/No words and the Glossary terms checked)"
                ));
            }
            language
        }
        (None, Some(detected)) => {
            report.push(format!("language {detected}: the document gives none; read from its text"));
            detected.to_string()
        }
        (None, None) => {
            report.push("language: the document gives none and its text is too short to tell; en written".to_string());
            "en".to_string()
        }
    };
    // Plain where YAML reads the words as they are (as `new-contribution`
    // writes them), quoted where it would not.
    let quote = |text: &str| {
        let plain = !text.is_empty()
            && text.chars().all(|c| c.is_alphanumeric() || " .,()'/-".contains(c))
            && text.starts_with(|c: char| c.is_alphabetic())
            && !text.ends_with(' ');
        if plain { text.to_string() } else { serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string()) }
    };
    let front = format!(
        "---\ncountry: {country}\nncp: {}\nstatus: draft\ndate: {}\nlanguage: {language}\n---\n",
        quote(&ncp),
        date.iso()
    );
    (front, report)
}

/// The language (ISO 639-1) the NCP's text is written in, as `whatlang`
/// identifies it: the Word file's own words (its headings as the NCP typed
/// them, never the template's English that the import writes). A short
/// text counts when whatlang is fairly confident of it.
fn text_language(text: &str) -> Option<&'static str> {
    let text: String = text.chars().map(|c| if c.is_alphabetic() || c.is_whitespace() { c } else { ' ' }).collect();
    let words = text.split_whitespace().count();
    if words < 6 {
        return None;
    }
    let info =
        whatlang::detect(&text).filter(|info| info.is_reliable() || (words >= 12 && info.confidence() >= 0.5))?;
    let code = match info.lang().code() {
        "eng" => "en",
        "ces" => "cs",
        "slk" => "sk",
        "pol" => "pl",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "nld" => "nl",
        "dan" => "da",
        "swe" => "sv",
        "nob" => "no",
        "fin" => "fi",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "ell" => "el",
        "hrv" => "hr",
        "slv" => "sl",
        "srp" => "sr",
        "mkd" => "mk",
        "ukr" => "uk",
        "kat" => "ka",
        "hye" => "hy",
        "rus" => "ru",
        "tur" => "tr",
        "ara" => "ar",
        "heb" => "he",
        "cat" => "ca",
        _ => return None,
    };
    Some(code)
}

/// Report lines in the Word file's order, consecutive paragraphs that say
/// the same grouped (`paragraphs 3–17: text before the first question …`).
fn grouped(report: Vec<String>) -> Vec<String> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut other = Vec::new();
    for line in report {
        match place(&line) {
            Some((first, last, what)) => match out.last_mut() {
                Some((_, end, previous)) if previous == what && first <= *end + 1 => *end = last.max(*end),
                _ => out.push((first, last, what.to_string())),
            },
            None => other.push(line),
        }
    }
    let mut lines: Vec<String> = out
        .into_iter()
        .map(|(first, last, what)| {
            if first == last {
                format!("paragraph {first}: {what}")
            } else {
                format!("paragraphs {first}–{last}: {what}")
            }
        })
        .collect();
    lines.extend(other);
    lines
}

/// Where a report line is: `paragraph 3: …` or `paragraphs 3–17: …`, as
/// the first and last paragraph and what is said of them.
fn place(line: &str) -> Option<(usize, usize, &str)> {
    let (place, what) = line.split_once(": ")?;
    if let Some(number) = place.strip_prefix("paragraph ") {
        let number = number.parse().ok()?;
        return Some((number, number, what));
    }
    let (first, last) = place.strip_prefix("paragraphs ")?.split_once('–')?;
    Some((first.parse().ok()?, last.parse().ok()?, what))
}

/// The question ids of the `## ` headings written.
fn answered_questions(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter_map(|heading| heading.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_of_consecutive_paragraphs_are_grouped() {
        let lines = grouped(vec![
            "paragraph 3: text before the first question".into(),
            "paragraph 4: text before the first question".into(),
            "paragraph 5: text before the first question".into(),
            "paragraph 9: a table with merged cells".into(),
            "paragraphs 10–40: text before the first question".into(),
            "2 comments were dropped".into(),
        ]);
        assert_eq!(
            lines,
            [
                "paragraphs 3–5: text before the first question",
                "paragraph 9: a table with merged cells",
                "paragraphs 10–40: text before the first question",
                "2 comments were dropped"
            ]
        );
        assert_eq!(place("paragraphs 10–40: x"), Some((10, 40, "x")));
        assert_eq!(place("2 comments were dropped"), None);
    }

    #[test]
    fn a_wrong_language_property_is_named() {
        let english = "The measures of the Ministry and the agencies of the State are set out in the law. ".repeat(10);
        let properties = BTreeMap::from([("language".to_string(), "cs-CZ".to_string())]);
        let (front, report) = front_matter("CZ", &properties, &english);
        assert!(front.contains("language: cs"));
        assert!(report.iter().any(|line| line.contains("reads as en")), "{report:?}");
    }

    #[test]
    fn the_language_is_read_from_the_ncps_text_not_the_templates_headings() {
        let czech =
            "Zákon o zaměstnanosti upravuje zaměstnávání cizinců a jejich přístup na trh práce v České republice. "
                .repeat(6);
        // The template's English headings around Czech answers.
        let body = format!(
            "# 1 Legal and policy framework\n\n## Q1.1 Does your Member State have a specific national strategy?\n\n{czech}\n"
        );
        let properties = BTreeMap::from([("language".to_string(), "cs".to_string())]);
        let (front, report) = front_matter("CZ", &properties, &body);
        assert!(front.contains("language: cs"));
        assert!(!report.iter().any(|line| line.contains("reads as")), "a Czech text with the cs property: {report:?}");
        let (front, report) = front_matter("CZ", &BTreeMap::new(), &body);
        assert!(front.contains("language: cs"), "no property: read from the text: {front} {report:?}");
        let (front, _) = front_matter("CZ", &BTreeMap::new(), "Short.");
        assert!(front.contains("language: en"));
    }
}
