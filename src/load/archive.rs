//! A bundle's `sources/` unpacked into a folder, so that a bundle rebuilds
//! from itself. The zip is read with the bounds and path rules of a package
//! folder: every entry stays inside the folder (no absolute path, no `..`,
//! no link), and sizes and counts are bounded, so a crafted zip can neither
//! write outside nor exhaust memory or disk.

use std::io::Read as _;
use std::path::Path;

use crate::limits::{MAX_BUNDLE_BYTES, MAX_SOURCE_FILES, MAX_SOURCES_UNPACKED_BYTES, MAX_STATISTICS_BYTES};

/// The folder of a bundle that holds its package's files.
pub const SOURCES: &str = "sources/";

/// Unpacks `sources/` of the bundle `zip` into the empty folder `into`;
/// returns how many files it wrote. The error says what is wrong and how
/// to go on.
pub fn unpack_sources(zip: &Path, into: &Path) -> Result<usize, String> {
    let shown = zip.display();
    let size = std::fs::metadata(zip).map_err(|e| format!("cannot read {shown} ({e})"))?.len();
    if size > MAX_BUNDLE_BYTES {
        return Err(format!(
            "{shown} is {} MB, more than the {} MB a bundle may be",
            size / (1024 * 1024),
            MAX_BUNDLE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(zip).map_err(|e| format!("cannot read {shown} ({e})"))?;
    let not_a_bundle = |why: &str| {
        format!(
            "{shown} is not an emn-pub bundle: {why} (hint: give a zip that build-package wrote, or a package folder)"
        )
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not_a_bundle(&format!("{e}")))?;
    if archive.index_for_name("manifest.json").is_none() {
        return Err(not_a_bundle("it has no manifest.json"));
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .filter(|name| name.starts_with(SOURCES))
        .collect();
    if names.is_empty() {
        return Err(format!(
            "{shown} carries no sources/: it was built before bundles held their sources (hint: build it again from its package folder)"
        ));
    }
    if names.len() > MAX_SOURCE_FILES {
        return Err(format!("{shown}: sources/ holds {} files, more than {MAX_SOURCE_FILES}", names.len()));
    }
    let mut total = 0u64;
    let mut written = 0;
    for name in names {
        let mut entry = archive.by_name(&name).map_err(|e| format!("{shown}: cannot read {name} ({e})"))?;
        if entry.is_dir() {
            continue;
        }
        let relative = safe_relative(&name[SOURCES.len()..])
            .ok_or_else(|| format!("{shown}: {name} points outside the package (refused)"))?;
        if entry.is_symlink() {
            return Err(format!("{shown}: {name} is a symbolic link (refused: a package holds no links)"));
        }
        let limit = MAX_STATISTICS_BYTES as u64;
        let mut data = Vec::new();
        // One byte more than allowed: an entry that lies about its size is
        // caught here, not truncated.
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("{shown}: cannot unpack {name} ({e})"))?;
        total += data.len() as u64;
        if data.len() as u64 > limit || total > MAX_SOURCES_UNPACKED_BYTES {
            return Err(format!(
                "{shown}: sources/ unpacks to more than the {} MB a package may hold (refused: a zip bomb stops here)",
                if data.len() as u64 > limit { limit } else { MAX_SOURCES_UNPACKED_BYTES } / (1024 * 1024)
            ));
        }
        let target = into.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {} ({e})", parent.display()))?;
        }
        std::fs::write(&target, data).map_err(|e| format!("cannot write {} ({e})", target.display()))?;
        written += 1;
    }
    Ok(written)
}

/// The bundle `zip`'s sources unpacked into a new temporary folder, which
/// is removed when the value is dropped.
pub fn unpacked(zip: &Path) -> Result<tempfile::TempDir, String> {
    let folder = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder ({e})"))?;
    unpack_sources(zip, folder.path())?;
    Ok(folder)
}

/// A zip entry's path below `sources/` as a relative path of plain names,
/// or `None` when it could leave the folder.
fn safe_relative(name: &str) -> Option<std::path::PathBuf> {
    let mut path = std::path::PathBuf::new();
    for part in name.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') || part.contains(':') {
            return None;
        }
        path.push(part);
    }
    (!path.as_os_str().is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_relative_names_are_unpacked() {
        for bad in ["../x", "a/../../x", "/etc/passwd", "a//b", "C:/x", "a\\..\\x", ""] {
            assert!(super::safe_relative(bad).is_none(), "{bad}");
        }
        assert_eq!(super::safe_relative("contributions/CZ.md").unwrap(), std::path::Path::new("contributions/CZ.md"));
    }
}
