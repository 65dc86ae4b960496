//! References from Markdown to files, kept inside the package folder.
//!
//! Resolution is pure (string normalisation); [`probe`] then asks the disk
//! whether the file exists, whether a symlink leads out of the package, and
//! what kind of image it is by its first bytes.

use std::path::Path;

/// Whether a link or image target is a file of the package (not a URL or anchor).
pub fn is_local(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    !(lower.is_empty()
        || lower.starts_with('#')
        || lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme.len() > 1
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }))
}

/// Whether a link target becomes a live link in a publication (PDF, Word,
/// web page alike): http, https and mailto only. `javascript:`, `data:`,
/// `file:` and every other scheme stay text, as does a target longer than
/// [`crate::limits::MAX_LINK_BYTES`] (`validate` warns `long-link`).
pub fn is_web_url(url: &str) -> bool {
    if url.len() > crate::limits::MAX_LINK_BYTES {
        return false;
    }
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Resolves `url`, written in `from_file` (package-relative), to a
/// package-relative path; `None` when it climbs out of the package or is absolute.
pub fn resolve(from_file: &str, url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split(['#', '?']).next().unwrap_or("");
    let url = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    if url.starts_with('/') || url.starts_with('\\') || url.contains(':') || url.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = from_file.split('/').map(str::to_string).collect();
    parts.pop();
    for segment in url.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other.to_string()),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Image formats typst can embed, recognised by content as typst does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl ImageKind {
    /// The name typst's `image(format: ..)` takes: the content decides,
    /// never the file's extension.
    pub fn typst_format(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
            ImageKind::Svg => "svg",
        }
    }
}

/// What the first bytes of an image file say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    pub kind: ImageKind,
    /// Raster images only: width × height, read from the header.
    pub pixels: Option<u64>,
    /// Why typst refused to typeset it, when it did (see
    /// `render::image_refusals`, asked by `load::load_with`): `validate` then says so.
    pub refused: Option<String>,
}

/// What the disk says about a referenced file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFacts {
    Missing,
    /// A symlink (or similar) whose target lies outside the package.
    Outside,
    Directory,
    /// A FIFO, socket or device: reading it could block forever.
    NotRegular,
    /// A file that exists but cannot be opened (no read permission): why.
    Unreadable(String),
    File {
        bytes: u64,
        image: Option<ImageFacts>,
        /// Why a Markdown link may not point at it (see [`link_refusal`]):
        /// the bundle carries what a link points at in `sources/`.
        unlinkable: Option<String>,
    },
}

impl FileFacts {
    /// Whether the bundle may carry the file in `sources/`: a picture that
    /// is not an unsafe SVG, or a file of a kind a link may point at.
    pub fn may_carry(&self) -> bool {
        match self {
            FileFacts::File { image: Some(image), .. } if image.kind == ImageKind::Svg => image.refused.is_none(),
            FileFacts::File { image: Some(_), .. } => true,
            FileFacts::File { unlinkable, .. } => unlinkable.is_none(),
            _ => false,
        }
    }
}

/// The kinds of file a Markdown link may point at, by extension: what a
/// browser opening them from the bundle shows, never runs (the README
/// lists them). The content must agree with the extension.
pub const LINKABLE_EXTENSIONS: [&str; 20] = [
    "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls", "ppt", "rtf", "csv", "tsv", "txt", "md", "png",
    "jpg", "jpeg", "gif", "webp",
];

/// Why a link may not point at `relative`, whose first bytes are `head`
/// and which sniffs as `image` (SVG links too, once found safe).
pub fn link_refusal(relative: &str, head: &[u8], image: Option<&ImageFacts>) -> Option<String> {
    let extension = relative.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let kinds = "PDF, Office (.docx, .xlsx, .pptx, .doc, .xls, .ppt, .rtf), OpenDocument (.odt, .ods, .odp), CSV, TSV, text, Markdown or a PNG, JPEG, GIF, WebP or SVG picture";
    let agrees = match extension.as_str() {
        "pdf" => head.starts_with(b"%PDF-"),
        "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => head.starts_with(b"PK\x03\x04"),
        // Office 97-2003: an OLE compound file.
        "doc" | "xls" | "ppt" => head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        "rtf" => head.starts_with(b"{\\rtf"),
        "csv" | "tsv" | "txt" | "md" => !looks_like_markup(head),
        "png" | "jpg" | "jpeg" | "gif" | "webp" => image.is_some_and(|i| i.kind != ImageKind::Svg),
        "svg" => match image {
            Some(ImageFacts { kind: ImageKind::Svg, refused: Some(why), .. }) => {
                return Some(format!("{relative} is an SVG the bundle cannot carry: {why}"));
            }
            Some(ImageFacts { kind: ImageKind::Svg, .. }) => true,
            _ => false,
        },
        _ => return Some(format!("a link may point only at a {kinds}, not at {relative}")),
    };
    (!agrees).then(|| format!("{relative} does not hold what its extension .{extension} says"))
}

/// Whether text opens like HTML or XML (a page a browser could run).
fn looks_like_markup(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).to_ascii_lowercase();
    ["<!doctype", "<html", "<?xml", "<svg", "<script", "<head", "<body", "<iframe", "<!--"]
        .iter()
        .any(|m| start.starts_with(m))
}

/// Looks at `relative` inside `root` without following anything out of it
/// (through the [`crate::sandbox`], as every reader does).
pub fn probe(root: &Path, relative: &str) -> FileFacts {
    use crate::sandbox::Refusal;
    let (mut file, length) = match crate::sandbox::open(root, relative) {
        Ok(opened) => opened,
        Err(Refusal::Missing) => return FileFacts::Missing,
        Err(Refusal::Outside) => return FileFacts::Outside,
        Err(Refusal::Directory) => return FileFacts::Directory,
        Err(Refusal::NotRegular) => return FileFacts::NotRegular,
        Err(refusal @ (Refusal::TooLarge(_) | Refusal::Unreadable(_))) => {
            return FileFacts::Unreadable(refusal.to_string());
        }
    };
    let mut head = Vec::with_capacity(4096);
    if let Err(error) = std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, 4096), &mut head) {
        return FileFacts::Unreadable(error.to_string());
    }
    let image = sniff_image(&head).map(|kind| {
        let (pixels, refused) = match kind {
            ImageKind::Svg if length <= crate::limits::MAX_IMAGE_BYTES => (None, svg_refusal(&mut file)),
            ImageKind::Svg => (None, None),
            _ => (raster_pixels(&mut file, kind), None),
        };
        ImageFacts { kind, pixels, refused }
    });
    let unlinkable = link_refusal(relative, &head, image.as_ref());
    FileFacts::File { bytes: length, image, unlinkable }
}

/// Why an SVG is too costly to draw, read before typst or resvg draw it:
/// more filter primitives than [`crate::limits::MAX_SVG_FILTERS`] (each is
/// rasterised, 200 nested blurs took minutes), or more elements than
/// [`crate::limits::MAX_SVG_ELEMENTS`] once every `<use>` is expanded (a
/// few kilobytes of `<use>` referring to `<use>` expand exponentially).
fn svg_refusal(file: &mut std::fs::File) -> Option<String> {
    use std::io::{Read, Seek};
    let mut bytes = Vec::new();
    file.seek(std::io::SeekFrom::Start(0)).ok()?;
    file.take(crate::limits::MAX_IMAGE_BYTES).read_to_end(&mut bytes).ok()?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // SVGZ: the unpacked text, bounded as the file is.
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .take(crate::limits::MAX_IMAGE_BYTES + 1)
            .read_to_end(&mut text)
            .ok()?;
        if text.len() as u64 > crate::limits::MAX_IMAGE_BYTES {
            return Some(format!("it unpacks to more than {} bytes", crate::limits::MAX_IMAGE_BYTES));
        }
        bytes = text;
    }
    svg_cost_refusal(&bytes)
}

/// The rules of [`svg_refusal`] on an SVG's text: first whether it is
/// safe to carry (see [`svg_safety_refusal`]), then what drawing it costs.
pub fn svg_cost_refusal(bytes: &[u8]) -> Option<String> {
    use crate::limits::{MAX_SVG_ELEMENTS, MAX_SVG_FILTERS};
    // An SVG that is not UTF-8 XML without a DTD cannot be checked for
    // script, so it is not carried into a page, the Word draft or sources/.
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        return Some("it is not UTF-8 text (save it as UTF-8 SVG)".to_string());
    };
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let document = match roxmltree::Document::parse_with_options(text, options) {
        Ok(document) => document,
        Err(error) => return Some(format!("it is not well-formed XML without a DTD ({error})")),
    };
    if let Some(why) = svg_safety_refusal(&document) {
        return Some(why);
    }
    let filters = document.descendants().filter(|n| n.is_element() && n.tag_name().name().starts_with("fe")).count();
    if filters > MAX_SVG_FILTERS {
        return Some(format!("it has {filters} filter effects (at most {MAX_SVG_FILTERS} are drawn)"));
    }
    let ids: std::collections::HashMap<&str, roxmltree::NodeId> =
        document.descendants().filter_map(|n| Some((n.attribute("id")?, n.id()))).collect();
    let mut sizes: std::collections::HashMap<roxmltree::NodeId, u64> = std::collections::HashMap::new();
    // Children before parents (reverse document order), so a node's size is
    // known when its parent sums it; a `<use>` adds what it refers to, taken
    // from the memo or counted once more (bounded by the limit, cycles too).
    fn expanded(
        node: roxmltree::Node,
        ids: &std::collections::HashMap<&str, roxmltree::NodeId>,
        sizes: &mut std::collections::HashMap<roxmltree::NodeId, u64>,
        depth: u32,
    ) -> u64 {
        if let Some(&size) = sizes.get(&node.id()) {
            return size;
        }
        if depth > 64 {
            return MAX_SVG_ELEMENTS + 1;
        }
        let mut size: u64 = 1;
        for child in node.children().filter(|c| c.is_element()) {
            size = size.saturating_add(expanded(child, ids, sizes, depth + 1));
            if size > MAX_SVG_ELEMENTS {
                break;
            }
        }
        if node.tag_name().name() == "use" {
            let href = node
                .attribute(("http://www.w3.org/1999/xlink", "href"))
                .or_else(|| node.attribute("href"))
                .and_then(|h| h.strip_prefix('#'));
            if let Some(target) = href.and_then(|h| ids.get(h)).and_then(|&id| node.document().get_node(id)) {
                // A `<use>` inside what it refers to never ends.
                if target.descendants().any(|d| d.id() == node.id()) {
                    return MAX_SVG_ELEMENTS + 1;
                }
                size = size.saturating_add(expanded(target, ids, sizes, depth + 1));
            }
        }
        sizes.insert(node.id(), size);
        size
    }
    let total = expanded(document.root_element(), &ids, &mut sizes, 0);
    (total > MAX_SVG_ELEMENTS)
        .then(|| format!("its `<use>` references expand to more than {MAX_SVG_ELEMENTS} elements"))
}

/// Why an SVG could run or fetch something when a browser opens it: a
/// `<script>`, a `<foreignObject>` (HTML inside), an event attribute
/// (`onload`), an animation that sets a link, a style that imports or
/// fetches, or a reference that leaves the picture. Allowed references:
/// `#id` inside it, a raster `data:` picture, and (for `<image>` only) a
/// relative path, which typst and the Word writer resolve inside the
/// package. The bundle carries an SVG as it is, in the Word draft and
/// `sources/`, so one that fails here is refused (`bad-image`), not cleaned.
pub fn svg_safety_refusal(document: &roxmltree::Document) -> Option<String> {
    const FORBIDDEN: [&str; 7] = ["script", "foreignobject", "iframe", "embed", "object", "handler", "listener"];
    for node in document.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let lower = name.to_ascii_lowercase();
        if FORBIDDEN.contains(&lower.as_str()) {
            return Some(format!("it holds a <{name}> element (an SVG may hold drawing only)"));
        }
        if matches!(lower.as_str(), "animate" | "set" | "animatemotion" | "animatetransform")
            && node.attribute("attributeName").is_some_and(|a| a.to_ascii_lowercase().contains("href"))
        {
            return Some(format!("its <{name}> changes a link"));
        }
        if lower == "style" && node.text().is_some_and(style_fetches) {
            return Some("its <style> imports or fetches something".to_string());
        }
        for attribute in node.attributes() {
            let key = attribute.name().to_ascii_lowercase();
            let value = attribute.value();
            if key.starts_with("on") {
                return Some(format!("it has an event attribute {}= (script)", attribute.name()));
            }
            if (key == "style" || value.contains("url(")) && style_fetches(value) {
                return Some(format!("its {} attribute refers outside the picture", attribute.name()));
            }
            if matches!(key.as_str(), "href" | "src" | "base") && !svg_reference_allowed(value, lower == "image") {
                let shown: String = value.chars().take(60).collect();
                return Some(format!("<{name}> refers to \"{shown}\", outside the picture"));
            }
        }
    }
    None
}

/// Whether CSS text imports a style or fetches anything but `#id`.
fn style_fetches(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    lower.contains("@import")
        || lower.match_indices("url(").any(|(at, _)| {
            let inner = lower[at + 4..].trim_start_matches([' ', '\t', '\n', '\r', '"', '\'']);
            !inner.starts_with('#')
        })
}

/// A reference an SVG may make: `#id`, a raster `data:` picture, or for
/// an `<image>` a relative path inside the package.
fn svg_reference_allowed(value: &str, is_image: bool) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    if value.starts_with('#') {
        return true;
    }
    if let Some(data) = lower.strip_prefix("data:") {
        return ["image/png", "image/jpeg", "image/gif", "image/webp"].iter().any(|t| data.starts_with(t));
    }
    is_image && is_local(value) && !value.starts_with(['/', '\\']) && !lower.contains(':')
}

/// The image format of some leading bytes, as typst detects it.
pub fn sniff_image(head: &[u8]) -> Option<ImageKind> {
    use typst::visualize::{ExchangeFormat, ImageFormat, RasterFormat, VectorFormat};
    match ImageFormat::detect(head)? {
        ImageFormat::Raster(RasterFormat::Exchange(format)) => match format {
            ExchangeFormat::Png => Some(ImageKind::Png),
            ExchangeFormat::Jpg => Some(ImageKind::Jpeg),
            ExchangeFormat::Gif => Some(ImageKind::Gif),
            ExchangeFormat::Webp => Some(ImageKind::Webp),
        },
        ImageFormat::Vector(VectorFormat::Svg) => Some(ImageKind::Svg),
        _ => None,
    }
}

/// Width × height of a raster image from its header alone.
fn raster_pixels(file: &mut std::fs::File, kind: ImageKind) -> Option<u64> {
    let format = match kind {
        ImageKind::Png => image::ImageFormat::Png,
        ImageKind::Jpeg => image::ImageFormat::Jpeg,
        ImageKind::Gif => image::ImageFormat::Gif,
        ImageKind::Webp => image::ImageFormat::WebP,
        ImageKind::Svg => return None,
    };
    std::io::Seek::seek(file, std::io::SeekFrom::Start(0)).ok()?;
    let reader = image::ImageReader::with_format(std::io::BufReader::new(file), format);
    // Unreadable dimensions count as too many: typst could not decode it either.
    Some(reader.into_dimensions().map(|(w, h)| u64::from(w) * u64::from(h)).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_to_the_markdown_file() {
        assert_eq!(resolve("contributions/CZ.md", "../assets/a.png").as_deref(), Some("assets/a.png"));
        assert_eq!(resolve("contributions/CZ.md", "img/a%20b.png").as_deref(), Some("contributions/img/a b.png"));
        assert_eq!(resolve("contributions/CZ.md", "../../etc/passwd"), None);
        assert_eq!(resolve("contributions/CZ.md", "/etc/passwd"), None);
        // A picture an SVG links, as the Word drafts resolve it.
        assert_eq!(resolve("assets/CZ/map.svg", "logo.png").as_deref(), Some("assets/CZ/logo.png"));
        assert_eq!(resolve("assets/CZ/map.svg", "../logo.png").as_deref(), Some("assets/logo.png"));
        assert_eq!(resolve("assets/map.svg", "../../etc/passwd"), None);
        assert_eq!(resolve("assets/map.svg", "file:///etc/passwd"), None);
        assert_eq!(resolve("assets/map.svg", "https://example.org/a.png"), None);
        assert!(!is_local("https://emn.eu"));
        assert!(!is_local("mailto:x@y.eu"));
        assert!(is_local("../assets/a.png"));
    }

    #[test]
    fn a_link_points_only_at_a_kind_of_file_that_runs_nothing() {
        let head_of = |extension: &str| -> &[u8] {
            match extension {
                "pdf" => b"%PDF-1.7",
                "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" => b"PK\x03\x04",
                "doc" | "xls" | "ppt" => &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
                "rtf" => b"{\\rtf1",
                _ => b"plain words",
            }
        };
        let raster = ImageFacts { kind: ImageKind::Png, pixels: Some(1), refused: None };
        for extension in LINKABLE_EXTENSIONS {
            let image = ["png", "jpg", "jpeg", "gif", "webp"].contains(&extension).then_some(&raster);
            assert_eq!(link_refusal(&format!("assets/a.{extension}"), head_of(extension), image), None, "{extension}");
        }
        for (path, head) in [
            ("assets/a.html", b"<html>".as_slice()),
            ("assets/a.js", b"alert(1)"),
            ("assets/a.exe", b"MZ"),
            ("assets/a.pdf", b"<html><script>"),
            ("assets/a.txt", b"<!DOCTYPE html><script>"),
            ("assets/a.docx", b"<html>"),
            ("assets/a.png", b"<svg>"),
        ] {
            assert!(link_refusal(path, head, None).is_some(), "{path} is refused");
        }
    }
}
