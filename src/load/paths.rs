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

/// Looks at `relative` inside `root` without following anything out of it.
pub fn probe(root: &Path, relative: &str) -> FileFacts {
    let path = root.join(relative);
    let Ok(canonical) = path.canonicalize() else {
        return FileFacts::Missing;
    };
    let Ok(canonical_root) = root.canonicalize() else {
        return FileFacts::Missing;
    };
    if !canonical.starts_with(&canonical_root) {
        return FileFacts::Outside;
    }
    let Ok(metadata) = std::fs::metadata(&canonical) else {
        return FileFacts::Missing;
    };
    if metadata.is_dir() {
        return FileFacts::Directory;
    }
    if !metadata.is_file() {
        return FileFacts::NotRegular;
    }
    let mut head = Vec::with_capacity(2048);
    let read = std::fs::File::open(&canonical)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 2048), &mut head));
    if let Err(error) = read {
        return FileFacts::Unreadable(error.to_string());
    }
    let image =
        sniff_image(&head).map(|kind| ImageFacts { kind, pixels: raster_pixels(&canonical, kind), refused: None });
    FileFacts::File { bytes: metadata.len(), image }
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
fn raster_pixels(path: &Path, kind: ImageKind) -> Option<u64> {
    let format = match kind {
        ImageKind::Png => image::ImageFormat::Png,
        ImageKind::Jpeg => image::ImageFormat::Jpeg,
        ImageKind::Gif => image::ImageFormat::Gif,
        ImageKind::Webp => image::ImageFormat::WebP,
        ImageKind::Svg => return None,
    };
    let mut reader = image::ImageReader::open(path).ok()?;
    reader.set_format(format);
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
        assert!(!is_local("https://emn.eu"));
        assert!(!is_local("mailto:x@y.eu"));
        assert!(is_local("../assets/a.png"));
    }
}
