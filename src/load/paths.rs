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
    },
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
    FileFacts::File { bytes: length, image }
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

/// The cost rules of [`svg_refusal`] on an SVG's text.
pub fn svg_cost_refusal(bytes: &[u8]) -> Option<String> {
    use crate::limits::{MAX_SVG_ELEMENTS, MAX_SVG_FILTERS};
    let text = std::str::from_utf8(bytes).ok()?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    // What does not parse is typst's to refuse, with its own message.
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
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
}
