//! References from Markdown to files, kept inside the package folder.
//!
//! Resolution is pure (string normalisation); [`probe`] then asks the disk
//! whether the file exists, whether a symlink leads out of the package, and
//! what kind of image it is by its first bytes.

use std::path::Path;

/// Largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

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
    let url = percent_decode(url);
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

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Image formats typst can embed, recognised by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Svg,
}

/// What the disk says about a referenced file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFacts {
    Missing,
    /// A symlink (or similar) whose target lies outside the package.
    Outside,
    Directory,
    File {
        bytes: u64,
        image: Option<ImageKind>,
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
    let mut head = [0u8; 512];
    let read = std::fs::File::open(&canonical).and_then(|mut f| std::io::Read::read(&mut f, &mut head)).unwrap_or(0);
    FileFacts::File { bytes: metadata.len(), image: sniff_image(&head[..read]) }
}

/// The image format of some leading bytes.
pub fn sniff_image(head: &[u8]) -> Option<ImageKind> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(ImageKind::Jpeg)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else {
        let text = String::from_utf8_lossy(head);
        let text = text.trim_start_matches('\u{feff}').trim_start();
        (text.starts_with("<svg") || (text.starts_with("<?xml") && text.contains("<svg"))).then_some(ImageKind::Svg)
    }
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
