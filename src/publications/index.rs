//! The web edition's front page, planned as every publication is: what it
//! lists, under which headings, in which order, in the words a reader
//! sees. The web writer only lays it out (`write::html::index`).

use crate::dates::Date;
use crate::load::{Package, PackageKind};
use crate::output::FileKind;

/// The front page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The kind of package, as a reader says it ("EMN Study").
    pub kind: String,
    pub title: String,
    /// The date of the build, as printed on the covers.
    pub date: String,
    pub sections: Vec<Section>,
}

/// A heading and what is listed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Item>,
}

/// One line of the page: a link, its other editions, a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What the link says: a title, a country's name, a file's path.
    pub title: String,
    /// The title's language (the Czech summary's is Czech).
    pub lang: String,
    /// Where it leads (a bundle path).
    pub target: String,
    /// Its other editions: the format as a reader names it, and its path.
    pub formats: Vec<(String, String)>,
    /// Said after it, in brackets (a file's format).
    pub note: Option<String>,
}

/// A publication as the index lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub title: String,
    pub lang: String,
    pub kind: FileKind,
    /// Its web page (a bundle path).
    pub page: String,
    /// Its other editions (bundle paths): PDF, Word, data.
    pub files: Vec<String>,
}

/// The front page of `package`'s bundle: its publications, then the
/// national contributions by country name, then `other_files` (the
/// manifest, the stylesheet), so that every file is one link away.
pub fn plan(package: &Package, date: Date, listed: Vec<Listed>, other_files: Vec<String>) -> Index {
    let item = |entry: Listed| Item {
        formats: entry.files.iter().map(|file| (format_name(file).to_string(), file.clone())).collect(),
        title: entry.title,
        lang: entry.lang,
        target: entry.page,
        note: None,
    };
    let (mut national, publications): (Vec<Listed>, Vec<Listed>) =
        listed.into_iter().partition(|entry| entry.kind == FileKind::NationalContribution);
    // Listed under their names, so in the order of their names.
    national.sort_by_key(|entry| entry.title.to_lowercase());
    let others = other_files.into_iter().map(|file| Item {
        title: file.clone(),
        lang: "en".into(),
        note: Some(format_name(&file).to_string()),
        target: file,
        formats: Vec::new(),
    });
    let sections = [
        ("Publications", publications.into_iter().map(item).collect::<Vec<_>>()),
        ("National Contributions", national.into_iter().map(item).collect()),
        ("Other files", others.collect()),
    ];
    Index {
        kind: package_kind_words(package.manifest.kind).to_string(),
        title: package.manifest.title.to_string(),
        date: date.english(),
        sections: sections
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(heading, items)| Section { heading: heading.to_string(), items })
            .collect(),
    }
}

/// A file's format as a reader names it ("PDF", "Word (DOCX)").
pub fn format_name(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "PDF",
        Some("docx") => "Word (DOCX)",
        Some("csv") => "CSV",
        Some("xlsx") => "Excel (XLSX)",
        Some("html") => "HTML",
        Some("json") => "JSON",
        Some("css") => "CSS",
        _ => "file",
    }
}

/// A kind of package as a reader says it.
fn package_kind_words(kind: PackageKind) -> &'static str {
    match kind {
        PackageKind::Study => "EMN Study",
        PackageKind::AnnualReport => "EMN Annual Report",
        PackageKind::AdHocQuery => "EMN Ad-Hoc Query",
        PackageKind::Bulletin => "EMN Bulletin",
        PackageKind::SituationalReport => "EMN Situational Report",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publications_come_first_then_countries_by_name_then_other_files() {
        let package = crate::testing::package(&[]);
        let listed = |title: &str, kind, page: &str, files: &[&str]| Listed {
            title: title.into(),
            lang: "en".into(),
            kind,
            page: page.into(),
            files: files.iter().map(|f| f.to_string()).collect(),
        };
        let index = plan(
            &package,
            Date::from_unix(0),
            vec![
                listed("Sweden", FileKind::NationalContribution, "html/national/SE.html", &["national/SE.pdf"]),
                listed("Austria", FileKind::NationalContribution, "html/national/AT.html", &["national/AT.pdf"]),
                listed("Synthesis", FileKind::SynthesisReportDraft, "html/s.html", &["s.pdf", "s.docx"]),
            ],
            vec!["manifest.json".into()],
        );
        let headings: Vec<&str> = index.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["Publications", "National Contributions", "Other files"]);
        let countries: Vec<&str> = index.sections[1].items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(countries, ["Austria", "Sweden"]);
        let formats: Vec<&str> = index.sections[0].items[0].formats.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(formats, ["PDF", "Word (DOCX)"]);
        assert_eq!(index.sections[2].items[0].note.as_deref(), Some("JSON"));
        assert_eq!(index.kind, "EMN Study");
    }
}
