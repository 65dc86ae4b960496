//! `init` and `new-contribution`: the files an editor starts from.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::countries;
use crate::dates::Date;
use crate::load::template::{self, AnswerKind, PackageKind, Template};

/// The template file `init` writes for an ad-hoc query.
pub const QUERY_TEMPLATE_FILE: &str = "template.toml";

/// Creates a package folder with `emn.toml` and the standard subfolders.
pub fn init(dir: &Path, kind: PackageKind, template_name: Option<&str>) -> Result<Vec<String>> {
    if dir.join("emn.toml").exists() {
        bail!("{} already holds a package (emn.toml exists); choose an empty folder", dir.display());
    }
    // An ad-hoc query's questions are the requesting NCP's own: it gets a
    // template file to edit, a copy of the built-in one.
    let template_name = template_name.unwrap_or(match kind {
        PackageKind::AdHocQuery => QUERY_TEMPLATE_FILE,
        _ => kind.default_template(),
    });
    if template::built_in(template_name).is_none() && !template_name.ends_with(".toml") {
        let names: Vec<&str> = template::BUILT_IN.iter().map(|(n, _)| *n).collect();
        bail!("unknown template `{template_name}` (built-in templates: {})", names.join(", "));
    }
    let template_path = dir.join(template_name);
    let copy_template = template::built_in(template_name).is_none() && !template_path.exists();
    if copy_template && (template_name.starts_with('/') || template_name.split(['/', '\\']).any(|part| part == "..")) {
        bail!("the template file `{template_name}` must be inside the package folder");
    }
    let (manifest, title) = manifest_text(dir, kind, template_name);
    // Every file is decided, and every refusal made, before anything is
    // written: a refused init leaves the folder as it was.
    let mut files: Vec<(std::path::PathBuf, String)> = vec![(dir.join("emn.toml"), manifest)];
    if copy_template {
        // The kind's built-in template, to edit: a path named in emn.toml
        // must exist, or validate would only say it does not.
        let base = template::built_in(kind.default_template()).unwrap_or_default();
        let header = "# The package's own template: edit the questions (ids, text, answer kind,\n# required), flash-questions and tables. `emn-pub validate` checks it.\n";
        files.push((template_path.clone(), format!("{header}{base}")));
    }
    if kind == PackageKind::SituationalReport {
        let eu = "<!-- The situation at EU level as of the report's date: a few short paragraphs. -->\n";
        files.push((dir.join("eu.md"), eu.to_string()));
    }
    if kind == PackageKind::Bulletin {
        let eu = "<!-- EU-level developments: short items on the quarter's EU developments (legislation, Council and Commission decisions, case law), one paragraph or list entry each, naming the date and linking the source. -->\n";
        files.push((dir.join("eu.md"), eu.to_string()));
    }
    if kind.needs_czech_summary() {
        let summary = format!(
            "---\ntitle: \"{title} – shrnutí\"\nlanguage: cs\n---\n\n# Shrnutí\n\n<!-- Sem napište české shrnutí publikace. -->\n"
        );
        files.push((dir.join("summary-cs.md"), summary));
    }
    if let Some((path, _)) = files.iter().find(|(path, _)| std::fs::symlink_metadata(path).is_ok()) {
        bail!("{} already exists; not overwriting it (choose an empty folder)", path.display());
    }
    if dir.exists() && !dir.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let mut written = Vec::new();
    let result = (|| -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for folder in ["contributions", "statistics", "assets"] {
            std::fs::create_dir_all(dir.join(folder))
                .with_context(|| format!("cannot create {}/{folder}", dir.display()))?;
        }
        for (path, text) in &files {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            write_new(path, text, &mut written)?;
        }
        Ok(())
    })();
    if let Err(error) = result {
        // What this init wrote goes again; the folders stay (they may be the user's).
        for path in &written {
            let _ = std::fs::remove_file(path);
        }
        return Err(error);
    }
    Ok(written)
}

/// A new package's `emn.toml` (its id from the folder's name, a title and
/// period to replace, and what the kind needs besides) and its title.
fn manifest_text(dir: &Path, kind: PackageKind, template_name: &str) -> (String, String) {
    let id = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or_else(|| "emn-package".to_string());
    let today = Date::today();
    let title = match kind {
        PackageKind::Study => "Title of the study".to_string(),
        PackageKind::AnnualReport => {
            format!("Annual Report on Migration and Asylum {}", today.year - 1)
        }
        PackageKind::AdHocQuery => "Title of the ad-hoc query".to_string(),
        PackageKind::Bulletin => format!("EMN Bulletin {}", last_quarter(today).1),
        PackageKind::SituationalReport => "EMN Situational Report".to_string(),
    };
    // The last five complete years; a bulletin's last complete quarter.
    let period = match kind {
        PackageKind::Bulletin => last_quarter(today).0,
        // A situational report's figures run up to now.
        PackageKind::SituationalReport => format!("{}-{}", today.year - 1, today.year),
        _ => format!("{}-{}", today.year - 5, today.year - 1),
    };
    let mut manifest = format!(
        "[package]\nid = \"{id}\"\nkind = \"{}\"\ntitle = \"{title}\"\ntemplate = \"{template_name}\"\nreference-period = \"{period}\"\n# Contributions you expect; validate reports the missing ones.\ncountries = []\n",
        kind.name()
    );
    if kind == PackageKind::AdHocQuery {
        manifest.push_str(&format!("requested-by = \"CZ\"\nlaunched = {}\n", today.iso()));
    }
    if kind == PackageKind::SituationalReport {
        manifest.push_str(&format!(
            "# The burning issue, the date the report describes, and its edition.\ntopic = \"The issue this report follows\"\nas-of = {}\nedition = 1\n",
            today.iso()
        ));
    }
    (manifest, title)
}

/// The last complete quarter before `today`: (`2026-Q3`, `Q3 2026`).
fn last_quarter(today: Date) -> (String, String) {
    let current = (today.month - 1) / 3 + 1;
    let (year, quarter) = if current == 1 { (today.year - 1, 4) } else { (today.year, current - 1) };
    (format!("{year}-Q{quarter}"), format!("Q{quarter} {year}"))
}

fn write_new(path: &Path, text: &str, written: &mut Vec<String>) -> Result<()> {
    if path.exists() {
        bail!("{} already exists; not overwriting it", path.display());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path.display().to_string());
    Ok(())
}

/// What a skeleton says to its NCP, in one language.
struct SkeletonWords {
    lang: &'static str,
    key_findings: &'static str,
    /// `{name}`: the country.
    findings_hint: &'static str,
    bulletin: &'static str,
    /// `{yes}`, `{no}`: the language's words for them.
    yes_no: &'static str,
    /// `{options}`: the question's options.
    choice: &'static str,
    text: &'static str,
    required: &'static str,
    optional: &'static str,
    /// `{limit}`: the question's word limit.
    at_most: &'static str,
}

/// English first: the fallback for a language without its own words here
/// (the headings still come in the language where the template has it).
const SKELETON_WORDS: [SkeletonWords; 3] = [
    SkeletonWords {
        lang: "en",
        key_findings: "Key findings",
        findings_hint: "Three to five short paragraphs: the main findings for {name}.",
        bulletin: "Short items, one paragraph or list entry each, naming the date and linking the source.",
        yes_no: "Start with {yes} or {no}, then explain.",
        choice: "Start with one of: {options}.",
        text: "Answer in full sentences.",
        required: " Required.",
        optional: " Optional: delete this heading if not answered.",
        at_most: " At most {limit} words.",
    },
    SkeletonWords {
        lang: "cs",
        key_findings: "Hlavní zjištění",
        findings_hint: "Tři až pět krátkých odstavců: hlavní zjištění za {name}.",
        bulletin: "Krátké zprávy, každá jako odstavec nebo položka seznamu, s datem a odkazem na zdroj.",
        yes_no: "Začněte slovem {yes}, nebo {no}, a pak odpověď vysvětlete.",
        choice: "Začněte jednou z možností: {options}.",
        text: "Odpovězte celými větami.",
        required: " Povinné.",
        optional: " Nepovinné: pokud neodpovídáte, nadpis smažte.",
        at_most: " Nejvýše {limit} slov.",
    },
    SkeletonWords {
        lang: "de",
        key_findings: "Wichtigste Ergebnisse",
        findings_hint: "Drei bis fünf kurze Absätze: die wichtigsten Ergebnisse für {name}.",
        bulletin: "Kurze Meldungen, je ein Absatz oder Listeneintrag, mit Datum und Link zur Quelle.",
        yes_no: "Beginnen Sie mit {yes} oder {no} und erläutern Sie dann.",
        choice: "Beginnen Sie mit einer der Optionen: {options}.",
        text: "Antworten Sie in ganzen Sätzen.",
        required: " Pflichtfrage.",
        optional: " Optional: Überschrift löschen, wenn nicht beantwortet.",
        at_most: " Höchstens {limit} Wörter.",
    },
];

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// One part of a skeleton: a heading (level, words), or what to write
/// below it.
enum SkeletonPart {
    Heading(u8, String),
    Guidance(String),
}

/// The parts of a contribution's skeleton in `lang`: one heading per
/// question (in `lang` where the template gives it) with what to write.
fn skeleton_parts(template: &Template, country: &str, lang: &str) -> Vec<SkeletonPart> {
    let name = crate::publications::country_name(country, lang);
    let primary = countries::primary_language(lang);
    let words = SKELETON_WORDS.iter().find(|w| w.lang == primary).unwrap_or(&SKELETON_WORDS[0]);
    let mut parts = Vec::new();
    // A query's compilation and a bulletin print answers only: no key
    // findings are asked.
    if template.kind.has_key_findings() {
        parts.push(SkeletonPart::Heading(1, words.key_findings.to_string()));
        parts.push(SkeletonPart::Guidance(words.findings_hint.replace("{name}", &name)));
    }
    let (yes, no) = crate::load::answers::yes_no_words(lang);
    for section in &template.sections {
        parts.push(SkeletonPart::Heading(1, format!("{} {}", section.id, section.title_in(lang))));
        for question in &section.questions {
            parts.push(SkeletonPart::Heading(2, format!("{} {}", question.id.get_ref(), question.text_in(lang))));
            let mut guidance = match question.answer {
                _ if template.kind == PackageKind::Bulletin => words.bulletin.to_string(),
                AnswerKind::YesNo => words
                    .yes_no
                    .replace("{yes}", &capitalised(yes.first().copied().unwrap_or("yes")))
                    .replace("{no}", &capitalised(no.first().copied().unwrap_or("no"))),
                AnswerKind::Choice => {
                    words.choice.replace("{options}", &crate::load::answers::options_in(question, lang).join("; "))
                }
                AnswerKind::Text => words.text.to_string(),
            };
            guidance.push_str(if question.required { words.required } else { words.optional });
            if let Some(limit) = question.max_words {
                guidance.push_str(&words.at_most.replace("{limit}", &limit.to_string()));
            }
            parts.push(SkeletonPart::Guidance(guidance));
        }
    }
    parts
}

/// The Markdown skeleton of a contribution in `lang`: front matter, then
/// [`skeleton_parts`], what to write as comments.
pub fn contribution_skeleton(template: &Template, country: &str, today: Date, lang: &str) -> String {
    let mut out = format!(
        "---\ncountry: {country}\nncp: {}\nstatus: draft\ndate: {}\nlanguage: {lang}\n---\n\n",
        countries::default_ncp(country),
        today.iso()
    );
    for part in skeleton_parts(template, country, lang) {
        match part {
            SkeletonPart::Heading(level, words) => out.push_str(&format!("{} {words}\n\n", "#".repeat(level.into()))),
            SkeletonPart::Guidance(words) => out.push_str(&format!("<!-- {words} -->\n\n")),
        }
    }
    out
}

/// The same skeleton as a Word document to fill in: the headings in Word's
/// heading styles, what to write in the style of editorial notes (which
/// `import-docx` reads back as the comments), the front matter as the
/// document's properties (its language and date; the NCP is the
/// country's).
pub fn contribution_template_docx(template: &Template, country: &str, today: Date, lang: &str) -> Result<Vec<u8>> {
    use crate::publications::document::{Doc, Heading, Node, Notice, PageStyle, TextSetting, TextStyle};
    let name = crate::publications::country_name(country, lang);
    let body = skeleton_parts(template, country, lang)
        .into_iter()
        .map(|part| match part {
            SkeletonPart::Heading(level, text) => {
                Node::Heading(Heading { level, text, lang: None, style: TextStyle::default() })
            }
            SkeletonPart::Guidance(words) => Node::Note(words),
        })
        .collect();
    let doc = Doc {
        title: format!("{} – {}", template.title, name),
        lang: lang.to_string(),
        running: format!("{} · {name} · {}", template.title, countries::default_ncp(country)),
        running_section: None,
        draft: false,
        text_setting: TextSetting::Justified,
        notice: Notice::default(),
        page: PageStyle::Pages,
        date: today,
        body,
    };
    crate::write::word::document(&doc, Path::new("."))
}

/// Writes `contributions/CC.md` for a package.
pub fn new_contribution(dir: &Path, country: &str, language: &str) -> Result<String> {
    let country = checked_country(country)?;
    let Some(language) = countries::known_language(language) else {
        bail!("`{language}` is not a language tag (hint: an ISO 639 code such as cs, de or en)");
    };
    let package = load_for_scaffolding(dir)?;
    let path = dir.join("contributions").join(format!("{country}.md"));
    std::fs::create_dir_all(dir.join("contributions"))?;
    let mut written = Vec::new();
    write_new(&path, &contribution_skeleton(&package.template, &country, Date::today(), &language), &mut written)?;
    expect_country(dir, &package, &country)?;
    Ok(path.display().to_string())
}

/// The folder of the Word templates `new-contribution --docx` writes, to
/// send to the NCPs (the load reads nothing in it).
pub const WORD_TEMPLATES: &str = "word-templates";

/// Writes `word-templates/CC.docx`: the contribution's skeleton as a Word
/// document for the NCP to fill in and send back to `import-docx`.
pub fn new_contribution_docx(dir: &Path, country: &str, language: &str) -> Result<String> {
    let country = checked_country(country)?;
    let Some(language) = countries::known_language(language) else {
        bail!("`{language}` is not a language tag (hint: an ISO 639 code such as cs, de or en)");
    };
    let package = load_for_scaffolding(dir)?;
    let path = dir.join(WORD_TEMPLATES).join(format!("{country}.docx"));
    if path.exists() {
        bail!("{} already exists; not overwriting it", path.display());
    }
    let bytes = contribution_template_docx(&package.template, &country, Date::today(), &language)?;
    crate::output::atomic::no_link_below(dir, &path)?;
    std::fs::create_dir_all(dir.join(WORD_TEMPLATES))?;
    crate::output::atomic::write_file_atomically(&path, &bytes)?;
    expect_country(dir, &package, &country)?;
    Ok(path.display().to_string())
}

/// An EMN country code in upper case, or an error suggesting one.
pub fn checked_country(country: &str) -> Result<String> {
    let country = country.trim().to_ascii_uppercase();
    if countries::find(&country).is_none() {
        let hint = countries::suggestion(&country).map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
        bail!("`{country}` is not an EMN country code{hint}");
    }
    Ok(country)
}

/// The package in `dir`, as far as a new contribution needs it (manifest
/// and template readable; other problems are `validate`'s).
pub fn load_for_scaffolding(dir: &Path) -> Result<crate::load::Package> {
    let loaded = crate::load::load(dir)?;
    let Some(package) = loaded.package else {
        let first = loaded.diagnostics.first().map(|d| format!("{}: {}", d.file, d.message)).unwrap_or_default();
        bail!("cannot read the package in {} ({first}); run `emn-pub validate` for details", dir.display());
    };
    Ok(package)
}

/// Adds `country` to the manifest's `countries` when it is not there, so
/// `validate` expects its contribution.
pub fn expect_country(dir: &Path, package: &crate::load::Package, country: &str) -> Result<()> {
    if !package.manifest.countries.iter().any(|c| c.get_ref() == country) {
        let manifest_path = dir.join(crate::load::manifest::FILE);
        let text = std::fs::read_to_string(&manifest_path)?;
        if let Some(updated) = with_country(&text, country) {
            std::fs::write(&manifest_path, updated)?;
        }
    }
    Ok(())
}

/// `emn.toml` with `country` added to `countries` (so `validate` expects its
/// contribution), keeping the rest of the text as the editor wrote it;
/// `None` if the result would not parse.
fn with_country(text: &str, country: &str) -> Option<String> {
    let mut offset = 0;
    let mut updated = None;
    for line in text.split_inclusive('\n') {
        let key = line.trim_start();
        if key.starts_with("countries") && key["countries".len()..].trim_start().starts_with('=') {
            let open = offset + line.find('[')?;
            let close = open + text[open..].find(']')?;
            let inside = text[open + 1..close].trim_end().trim_end_matches(',');
            let separator = if inside.trim().is_empty() { "" } else { ", " };
            updated = Some(format!("{}{inside}{separator}\"{country}\"{}", &text[..open + 1], &text[close..]));
            break;
        }
        offset += line.len();
    }
    let updated = match updated {
        Some(updated) => updated,
        None => {
            let header = text.find("[package]")?;
            let end = header + text[header..].find('\n').map(|i| i + 1).unwrap_or(text.len() - header);
            format!("{}countries = [\"{country}\"]\n{}", &text[..end], &text[end..])
        }
    };
    crate::load::manifest::parse(&updated).0.is_some().then_some(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_contributions_join_the_expected_countries() {
        let base = "[package]\nid = \"x\"\nkind = \"study\"\ntitle = \"T\"\ntemplate = \"study-generic\"\n";
        let empty = format!("{base}# expected\ncountries = []\n");
        assert!(with_country(&empty, "CZ").unwrap().contains("countries = [\"CZ\"]\n"));
        let two = with_country(&with_country(&empty, "CZ").unwrap(), "AT").unwrap();
        assert!(two.contains("countries = [\"CZ\", \"AT\"]"), "{two}");
        assert!(with_country(base, "SE").unwrap().contains("[package]\ncountries = [\"SE\"]\n"));
    }
}
