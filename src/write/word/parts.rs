//! The parts of a `.docx` besides its body: styles (Word's built-in names,
//! so the navigation pane, a table of contents and `import-docx` find the
//! structure), numbering, settings, header and footer, properties, content
//! types and relationships; every one written through [`Xml`].

use std::collections::BTreeMap;

use super::xml::Xml;
use super::{MAX_LIST_LEVEL, Properties};

pub const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const HYPERLINK: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
pub const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
const MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const PACKAGE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A contribution's language as Word names it.
pub fn word_language(language: &str) -> &str {
    match language {
        "en" | "" => "en-GB",
        "cs" => "cs-CZ",
        other => other,
    }
}

/// The namespaces of the main document and the footnotes.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns:w", MAIN),
    ("xmlns:r", RELATIONSHIP),
    ("xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
];

/// The footnote separators every footnotes part starts with.
pub fn note_separators(xml: &mut Xml) {
    for (kind, id, mark) in
        [("separator", "-1", "w:separator"), ("continuationSeparator", "0", "w:continuationSeparator")]
    {
        xml.element("w:footnote", &[("w:type", kind), ("w:id", id)], |xml| {
            xml.element("w:p", &[], |xml| xml.element("w:r", &[], |xml| xml.empty(mark, &[])));
        });
    }
}

/// The page: A4, the header and footer, margins of `margin` twips.
pub fn section_properties(xml: &mut Xml, margin: u32) {
    let margin = margin.to_string();
    xml.element("w:sectPr", &[], |xml| {
        xml.empty("w:headerReference", &[("w:type", "default"), ("r:id", "rIdHeader")]);
        xml.empty("w:footerReference", &[("w:type", "default"), ("r:id", "rIdFooter")]);
        xml.empty("w:pgSz", &[("w:w", "11906"), ("w:h", "16838")]);
        let page_margins = [
            ("w:top", "1418"),
            ("w:right", margin.as_str()),
            ("w:bottom", "1304"),
            ("w:left", margin.as_str()),
            ("w:header", "709"),
            ("w:footer", "709"),
            ("w:gutter", "0"),
        ];
        xml.empty("w:pgMar", &page_margins);
    });
}

/// A relationships part: (id, type, target, external) of each.
fn relationships_part(relationships: &[(&str, &str, &str, bool)]) -> Vec<u8> {
    Xml::part(|xml| {
        xml.element("Relationships", &[("xmlns", PACKAGE_RELATIONSHIPS)], |xml| {
            for &(id, kind, target, external) in relationships {
                let mut attributes = vec![("Id", id), ("Type", kind), ("Target", target)];
                if external {
                    attributes.push(("TargetMode", "External"));
                }
                xml.empty("Relationship", &attributes);
            }
        });
    })
}

pub fn root_relationships() -> Vec<u8> {
    relationships_part(&[
        ("rId1", &format!("{RELATIONSHIP}/officeDocument"), "word/document.xml", false),
        ("rId2", &format!("{PACKAGE_RELATIONSHIPS}/metadata/core-properties"), "docProps/core.xml", false),
        ("rId3", &format!("{RELATIONSHIP}/extended-properties"), "docProps/app.xml", false),
    ])
}

/// The main document's relationships: the fixed parts, then `extra`
/// (id, type, target, external).
pub fn relationships(extra: &[(String, &'static str, String, bool)]) -> Vec<u8> {
    let fixed: Vec<(String, String, &str)> = [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdNumbering", "numbering", "numbering.xml"),
        ("rIdFootnotes", "footnotes", "footnotes.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdHeader", "header", "header1.xml"),
        ("rIdFooter", "footer", "footer1.xml"),
    ]
    .iter()
    .map(|(id, kind, target)| (id.to_string(), format!("{RELATIONSHIP}/{kind}"), *target))
    .collect();
    let mut all: Vec<(&str, &str, &str, bool)> =
        fixed.iter().map(|(id, kind, target)| (id.as_str(), kind.as_str(), *target, false)).collect();
    all.extend(extra.iter().map(|(id, kind, target, external)| (id.as_str(), *kind, target.as_str(), *external)));
    relationships_part(&all)
}

pub fn app_properties() -> Vec<u8> {
    Xml::part(|xml| {
        let namespace = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";
        xml.element("Properties", &[("xmlns", namespace)], |xml| {
            xml.element("Application", &[], |xml| xml.text("emn-pub"));
        });
    })
}

/// Fields are updated on opening (the contents, the SEQ numbers).
pub fn settings() -> Vec<u8> {
    Xml::part(|xml| {
        xml.element("w:settings", &[("xmlns:w", MAIN)], |xml| {
            xml.empty("w:updateFields", &[("w:val", "true")]);
            xml.empty("w:defaultTabStop", &[("w:val", "720")]);
            xml.element("w:footnotePr", &[], |xml| {
                xml.empty("w:footnote", &[("w:id", "-1")]);
                xml.empty("w:footnote", &[("w:id", "0")]);
            });
            xml.element("w:compat", &[], |xml| {
                let uri = "http://schemas.microsoft.com/office/word";
                xml.empty("w:compatSetting", &[("w:name", "compatibilityMode"), ("w:uri", uri), ("w:val", "15")]);
            });
        });
    })
}

/// A run of text, spaces kept.
fn run(xml: &mut Xml, text: &str) {
    xml.element("w:r", &[], |xml| xml.element("w:t", &[("xml:space", "preserve")], |xml| xml.text(text)));
}

/// A field (`PAGE`, `NUMPAGES`) showing `cached` until it is updated.
fn field(xml: &mut Xml, instruction: &str, cached: &str) {
    let mark =
        |xml: &mut Xml, kind: &str| xml.element("w:r", &[], |xml| xml.empty("w:fldChar", &[("w:fldCharType", kind)]));
    mark(xml, "begin");
    xml.element("w:r", &[], |xml| {
        xml.element("w:instrText", &[("xml:space", "preserve")], |xml| xml.text(&format!(" {instruction} ")));
    });
    mark(xml, "separate");
    run(xml, cached);
    mark(xml, "end");
}

/// The footer: "Page 3 of 12" in the document's language (`page`, `of`).
pub fn footer(page: &str, of: &str) -> Vec<u8> {
    Xml::part(|xml| {
        xml.element("w:ftr", &[("xmlns:w", MAIN)], |xml| {
            xml.element("w:p", &[], |xml| {
                xml.element("w:pPr", &[], |xml| {
                    xml.empty("w:pStyle", &[("w:val", "Footer")]);
                    xml.empty("w:jc", &[("w:val", "center")]);
                });
                run(xml, &format!("{page} "));
                field(xml, "PAGE", "1");
                run(xml, &format!(" {of} "));
                field(xml, "NUMPAGES", "1");
            });
        });
    })
}

/// The running head, right-aligned in grey.
pub fn header(text: &str) -> Vec<u8> {
    Xml::part(|xml| {
        xml.element("w:hdr", &[("xmlns:w", MAIN)], |xml| {
            xml.element("w:p", &[], |xml| {
                xml.element("w:pPr", &[], |xml| {
                    xml.empty("w:pStyle", &[("w:val", "Header")]);
                    xml.empty("w:jc", &[("w:val", "right")]);
                });
                xml.element("w:r", &[], |xml| {
                    xml.element("w:rPr", &[], |xml| xml.empty("w:color", &[("w:val", "5B6270")]));
                    xml.element("w:t", &[("xml:space", "preserve")], |xml| xml.text(text));
                });
            });
        });
    })
}

pub fn content_types(media: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut extensions: BTreeMap<&str, &str> = BTreeMap::new();
    extensions.insert("rels", "application/vnd.openxmlformats-package.relationships+xml");
    extensions.insert("xml", "application/xml");
    for (name, _) in media {
        match name.rsplit('.').next() {
            Some("png") => extensions.insert("png", "image/png"),
            Some("jpeg") => extensions.insert("jpeg", "image/jpeg"),
            Some("gif") => extensions.insert("gif", "image/gif"),
            Some("svg") => extensions.insert("svg", "image/svg+xml"),
            _ => None,
        };
    }
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let overrides = [
        ("/word/document.xml", format!("{main}.document.main+xml")),
        ("/word/styles.xml", format!("{main}.styles+xml")),
        ("/word/numbering.xml", format!("{main}.numbering+xml")),
        ("/word/footnotes.xml", format!("{main}.footnotes+xml")),
        ("/word/settings.xml", format!("{main}.settings+xml")),
        ("/word/header1.xml", format!("{main}.header+xml")),
        ("/word/footer1.xml", format!("{main}.footer+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".to_string()),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string()),
    ];
    Xml::part(|xml| {
        let namespace = "http://schemas.openxmlformats.org/package/2006/content-types";
        xml.element("Types", &[("xmlns", namespace)], |xml| {
            // `rels` and `xml` first, as Word writes them.
            for extension in
                ["rels", "xml"].into_iter().chain(extensions.keys().copied().filter(|e| !["rels", "xml"].contains(e)))
            {
                xml.empty("Default", &[("Extension", extension), ("ContentType", extensions[extension])]);
            }
            for (part, kind) in &overrides {
                xml.empty("Override", &[("PartName", part), ("ContentType", kind)]);
            }
        });
    })
}

pub fn core_properties(properties: &Properties) -> Vec<u8> {
    let date = format!("{}T00:00:00Z", properties.date.iso());
    Xml::part(|xml| {
        let namespaces = [
            ("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ];
        xml.element("cp:coreProperties", &namespaces, |xml| {
            let mut value = |name: &str, attributes: &[(&str, &str)], text: &str| {
                xml.element(name, attributes, |xml| xml.text(text));
            };
            value("dc:title", &[], properties.title);
            value("dc:creator", &[], "European Migration Network");
            value("cp:lastModifiedBy", &[], "emn-pub");
            value("dc:language", &[], word_language(properties.language));
            value("cp:contentStatus", &[], "Draft");
            value("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], &date);
            value("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], &date);
        });
    })
}

/// The styles: Word's built-in names, so Word maps them to its own
/// (navigation pane, table of contents, "Heading 1" in every language).
pub fn styles(language: &str) -> Vec<u8> {
    Xml::part(|xml| {
        xml.element("w:styles", &[("xmlns:w", MAIN)], |xml| {
            xml.element("w:docDefaults", &[], |xml| {
                xml.element("w:rPrDefault", &[], |xml| {
                    xml.element("w:rPr", &[], |xml| {
                        let font = "Cambria";
                        xml.empty(
                            "w:rFonts",
                            &[("w:ascii", font), ("w:hAnsi", font), ("w:eastAsia", font), ("w:cs", font)],
                        );
                        xml.empty("w:sz", &[("w:val", "21")]);
                        xml.empty("w:szCs", &[("w:val", "21")]);
                        xml.empty("w:lang", &[("w:val", word_language(language))]);
                    });
                });
                xml.element("w:pPrDefault", &[], |xml| {
                    xml.element("w:pPr", &[], |xml| {
                        xml.empty("w:spacing", &[("w:after", "120"), ("w:line", "264"), ("w:lineRule", "auto")]);
                    });
                });
            });
            xml.copy(TEXT_STYLES);
            for (level, size, color) in HEADINGS {
                heading_style(xml, level, size, color);
            }
            xml.copy(OTHER_STYLES);
        });
    })
}

/// Heading levels: (level, size in half points, colour).
const HEADINGS: [(usize, u32, &str); 6] =
    [(1, 34, "0B3B8C"), (2, 26, "0B3B8C"), (3, 22, "000000"), (4, 21, "000000"), (5, 21, "333333"), (6, 21, "333333")];

fn heading_style(xml: &mut Xml, level: usize, size: u32, color: &str) {
    let (id, name, size) = (format!("Heading{level}"), format!("heading {level}"), size.to_string());
    xml.element("w:style", &[("w:type", "paragraph"), ("w:styleId", &id)], |xml| {
        xml.empty("w:name", &[("w:val", &name)]);
        xml.empty("w:basedOn", &[("w:val", "Normal")]);
        xml.empty("w:next", &[("w:val", "Normal")]);
        xml.empty("w:uiPriority", &[("w:val", "9")]);
        xml.empty("w:qFormat", &[]);
        xml.element("w:pPr", &[], |xml| {
            xml.empty("w:keepNext", &[]);
            xml.empty("w:keepLines", &[]);
            xml.empty("w:spacing", &[("w:before", if level == 1 { "360" } else { "240" }), ("w:after", "120")]);
            xml.empty("w:outlineLvl", &[("w:val", &(level - 1).to_string())]);
        });
        xml.element("w:rPr", &[], |xml| {
            xml.empty("w:b", &[]);
            xml.empty("w:color", &[("w:val", color)]);
            xml.empty("w:sz", &[("w:val", &size)]);
            xml.empty("w:szCs", &[("w:val", &size)]);
        });
    });
}

/// The numbering: one bullet list, and one decimal numbering per ordered
/// list (`numbers`: abstract numbering and start of each, from id 3).
pub fn numbering(numbers: &[(u32, usize)]) -> Vec<u8> {
    let levels = |xml: &mut Xml, bullet: bool| {
        for level in 0..=MAX_LIST_LEVEL {
            let (format, text) = if bullet {
                ("bullet", ["•", "◦", "▪"][level % 3].to_string())
            } else {
                ("decimal", format!("%{}.", level + 1))
            };
            xml.element("w:lvl", &[("w:ilvl", &level.to_string())], |xml| {
                xml.empty("w:start", &[("w:val", "1")]);
                xml.empty("w:numFmt", &[("w:val", format)]);
                xml.empty("w:lvlText", &[("w:val", &text)]);
                xml.empty("w:lvlJc", &[("w:val", "left")]);
                let indent = (720 * (level + 1)).to_string();
                xml.element("w:pPr", &[], |xml| xml.empty("w:ind", &[("w:left", &indent), ("w:hanging", "360")]));
            });
        }
    };
    Xml::part(|xml| {
        xml.element("w:numbering", &[("xmlns:w", MAIN)], |xml| {
            for (id, bullet) in [("1", true), ("2", false)] {
                xml.element("w:abstractNum", &[("w:abstractNumId", id)], |xml| {
                    xml.empty("w:multiLevelType", &[("w:val", "hybridMultilevel")]);
                    levels(xml, bullet);
                });
            }
            xml.element("w:num", &[("w:numId", "1")], |xml| xml.empty("w:abstractNumId", &[("w:val", "1")]));
            for (index, (abstract_id, start)) in numbers.iter().enumerate() {
                xml.element("w:num", &[("w:numId", &(index + 3).to_string())], |xml| {
                    xml.empty("w:abstractNumId", &[("w:val", &abstract_id.to_string())]);
                    for level in 0..=MAX_LIST_LEVEL {
                        xml.element("w:lvlOverride", &[("w:ilvl", &level.to_string())], |xml| {
                            xml.empty("w:startOverride", &[("w:val", &start.to_string())]);
                        });
                    }
                });
            }
        });
    })
}

/// The styles before the headings: Normal, the default character style,
/// Title and Subtitle. Fixed: read and written again by [`Xml::copy`].
const TEXT_STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:color w:val="0B3B8C"/><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="5B6270"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>"#;

/// The styles after the headings: contents, captions, labels, small print,
/// gap notices and editorial notes, quotes, lists, code, tables, notes,
/// links, header and footer.
const OTHER_STYLES: &str = r#"<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:rPr><w:b/><w:color w:val="0B3B8C"/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="5B6270"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Kicker"><w:name w:val="Kicker"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="60"/></w:pPr><w:rPr><w:b/><w:caps/><w:color w:val="0B3B8C"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="SmallPrint"><w:name w:val="Small print"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="5B6270"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="60"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="40"/><w:ind w:left="220"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:spacing w:after="40"/><w:ind w:left="440"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="GapNotice"><w:name w:val="Gap notice"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val="single" w:sz="24" w:space="6" w:color="C62828"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FDECEA"/><w:ind w:left="170"/></w:pPr><w:rPr><w:i/><w:color w:val="8E1B1B"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="EditorialNote"><w:name w:val="Editorial note"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val="single" w:sz="16" w:space="6" w:color="BEBEBE"/></w:pBdr><w:ind w:left="170"/></w:pPr><w:rPr><w:i/><w:color w:val="5B6270"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:ind w:left="720"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Plain Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="CodeChar"><w:name w:val="HTML Code"/><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="19"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0B3B8C"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="17"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="EMNTable"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/><w:left w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/><w:right w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="AFAFAF"/></w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DFE8F7"/></w:tcPr></w:tblStylePr></w:style>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_well_formed_xml() {
        let properties = Properties {
            title: "A <title> & \"more\"",
            language: "cs",
            date: crate::dates::Date::from_unix(0),
            header: "Head & <tail>",
            page: "Strana",
            of: "z",
        };
        let parts = [
            styles("cs"),
            numbering(&[(2, 4)]),
            relationships(&[("rId9".into(), HYPERLINK, "https://x.eu/?a=1&b=<2>".into(), true)]),
            root_relationships(),
            content_types(&[("media/a.png".into(), Vec::new())]),
            core_properties(&properties),
            app_properties(),
            settings(),
            header(properties.header),
            footer(properties.page, properties.of),
        ];
        for part in parts {
            let text = String::from_utf8(part).unwrap();
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        }
        let styles = String::from_utf8(styles("cs")).unwrap();
        for id in ["Normal", "Heading1", "Heading6", "Caption", "GapNotice", "Footer", "EMNTable"] {
            assert!(styles.contains(&format!("w:styleId=\"{id}\"")), "{id}");
        }
        assert!(styles.contains("<w:lang w:val=\"cs-CZ\"/>"));
        let core = String::from_utf8(core_properties(&properties)).unwrap();
        assert!(core.contains("A &lt;title&gt; &amp; &quot;more&quot;"), "{core}");
    }
}
