//! The parts of a `.docx` besides its body: styles (Word's built-in names,
//! so the navigation pane, a table of contents and `import-docx` find the
//! structure), numbering, settings, header and footer, properties, content
//! types and relationships.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{MAX_LIST_LEVEL, Properties};

pub const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const HYPERLINK: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
pub const IMAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";

/// Text for XML: escaped, and without the control characters XML 1.0
/// cannot hold.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
/// A contribution's language as Word names it.
pub fn word_language(language: &str) -> String {
    match language {
        "en" | "" => "en-GB".into(),
        "cs" => "cs-CZ".into(),
        other => xml_text(other),
    }
}

/// The namespaces of the main document and the footnotes.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns:w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
];

/// The footnote separators every footnotes part starts with.
pub const NOTE_SEPARATORS: &str = "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>";

/// The page: A4, the header and footer, margins of `margin` twips.
pub fn section_properties(margin: u32) -> String {
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1418\" w:right=\"{margin}\" w:bottom=\"1304\" w:left=\"{margin}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr>"
    )
}

pub const ROOT_RELATIONSHIPS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

pub const APP_PROPERTIES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>emn-pub</Application></Properties>";

pub const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"720\"/>\
<w:footnotePr><w:footnote w:id=\"-1\"/><w:footnote w:id=\"0\"/></w:footnotePr><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

/// The footer: "Page 3 of 12" in the document's language (`page`, `of`).
pub fn footer_xml(page: &str, of: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{} </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t xml:space=\"preserve\"> {} </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>",
        xml_text(page),
        xml_text(of)
    )
}

pub fn header_xml(text: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:color w:val=\"5B6270\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:hdr>",
        xml_text(text)
    )
}

pub fn content_types(media: &[(String, Vec<u8>)]) -> String {
    let mut extensions: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, _) in media {
        match name.rsplit('.').next() {
            Some("png") => extensions.insert("png", "image/png"),
            Some("jpeg") => extensions.insert("jpeg", "image/jpeg"),
            Some("gif") => extensions.insert("gif", "image/gif"),
            Some("svg") => extensions.insert("svg", "image/svg+xml"),
            _ => None,
        };
    }
    let defaults: String = extensions
        .iter()
        .map(|(extension, kind)| format!("<Default Extension=\"{extension}\" ContentType=\"{kind}\"/>"))
        .collect();
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>{defaults}\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/numbering.xml\" ContentType=\"{main}.numbering+xml\"/>\
         <Override PartName=\"/word/footnotes.xml\" ContentType=\"{main}.footnotes+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
         <Override PartName=\"/word/header1.xml\" ContentType=\"{main}.header+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>"
    )
}

pub fn core_properties(properties: &Properties) -> String {
    let date = format!("{}T00:00:00Z", properties.date.iso());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>European Migration Network</dc:creator><cp:lastModifiedBy>emn-pub</cp:lastModifiedBy>\
         <dc:language>{}</dc:language><cp:contentStatus>Draft</cp:contentStatus>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>\
         </cp:coreProperties>",
        xml_text(properties.title),
        word_language(properties.language)
    )
}

/// The styles: Word's built-in names, so Word maps them to its own
/// (navigation pane, table of contents, "Heading 1" in every language).
pub fn styles(language: &str) -> String {
    let heading = |level: usize, size: u32, color: &str| {
        format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>\
             <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"{}\" w:after=\"120\"/><w:outlineLvl w:val=\"{}\"/></w:pPr>\
             <w:rPr><w:b/><w:color w:val=\"{color}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr></w:style>",
            if level == 1 { 360 } else { 240 },
            level - 1
        )
    };
    let headings: String = [
        (1, 34, "0B3B8C"),
        (2, 26, "0B3B8C"),
        (3, 22, "000000"),
        (4, 21, "000000"),
        (5, 21, "333333"),
        (6, 21, "333333"),
    ]
    .iter()
    .map(|&(level, size, color)| heading(level, size, color))
    .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Cambria\" w:hAnsi=\"Cambria\" w:eastAsia=\"Cambria\" w:cs=\"Cambria\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"{}\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"0B3B8C\"/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6270\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
         {headings}\
         <w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:rPr><w:b/><w:color w:val=\"0B3B8C\"/><w:sz w:val=\"28\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6270\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Kicker\"><w:name w:val=\"Kicker\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"160\" w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:caps/><w:color w:val=\"0B3B8C\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"SmallPrint\"><w:name w:val=\"Small print\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:rPr><w:color w:val=\"5B6270\"/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TOC1\"><w:name w:val=\"toc 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"60\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\"/><w:ind w:left=\"220\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TOC3\"><w:name w:val=\"toc 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"40\"/><w:ind w:left=\"440\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"GapNotice\"><w:name w:val=\"Gap notice\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"6\" w:color=\"C62828\"/></w:pBdr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FDECEA\"/><w:ind w:left=\"170\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"8E1B1B\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"EditorialNote\"><w:name w:val=\"Editorial note\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"16\" w:space=\"6\" w:color=\"BEBEBE\"/></w:pBdr><w:ind w:left=\"170\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"5B6270\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"567\"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/></w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Code\"><w:name w:val=\"Plain Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"CodeChar\"><w:name w:val=\"HTML Code\"/><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"19\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"FootnoteText\"><w:name w:val=\"footnote text\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"FootnoteReference\"><w:name w:val=\"footnote reference\"/><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr></w:style>\
         <w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"0B3B8C\"/><w:u w:val=\"single\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:rPr><w:sz w:val=\"17\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"EMNTable\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"AFAFAF\"/>\
         </w:tblBorders></w:tblPr><w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DFE8F7\"/></w:tcPr></w:tblStylePr></w:style>\
         </w:styles>",
        word_language(language)
    )
}

/// The numbering: one bullet list, and one decimal numbering per ordered
/// list (`numbers`: abstract numbering and start of each, from id 3).
pub fn numbering_xml(numbers: &[(u32, usize)]) -> String {
    let levels = |bullet: bool| {
        (0..=MAX_LIST_LEVEL)
            .map(|level| {
                let (format, text) = if bullet {
                    ("bullet", ["•", "◦", "▪"][level % 3].to_string())
                } else {
                    ("decimal", format!("%{}.", level + 1))
                };
                format!(
                    "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
                    720 * (level + 1)
                )
            })
            .collect::<String>()
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"2\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>",
        levels(true),
        levels(false)
    );
    for (index, (abstract_id, start)) in numbers.iter().enumerate() {
        let overrides: String = (0..=MAX_LIST_LEVEL)
            .map(|level| {
                format!("<w:lvlOverride w:ilvl=\"{level}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>")
            })
            .collect();
        let _ = write!(
            xml,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abstract_id}\"/>{overrides}</w:num>",
            index + 3
        );
    }
    xml.push_str("</w:numbering>");
    xml
}

/// The main document's relationships: the fixed parts, then `extra`
/// (id, type, target, external).
pub fn relationships_xml(extra: &[(String, &'static str, String, bool)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rIdStyles\" Type=\"{RELATIONSHIP}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdNumbering\" Type=\"{RELATIONSHIP}/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rIdFootnotes\" Type=\"{RELATIONSHIP}/footnotes\" Target=\"footnotes.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"{RELATIONSHIP}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdHeader\" Type=\"{RELATIONSHIP}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"{RELATIONSHIP}/footer\" Target=\"footer1.xml\"/>"
    );
    for (id, kind, target, external) in extra {
        let mode = if *external { " TargetMode=\"External\"" } else { "" };
        let _ = write!(xml, "<Relationship Id=\"{id}\" Type=\"{kind}\" Target=\"{}\"{mode}/>", xml_text(target));
    }
    xml.push_str("</Relationships>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(xml_text("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
    }
}
