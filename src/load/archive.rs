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

/// What a bundle's manifest says of itself and of its sources.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BundleManifest {
    /// The package's id (`emn.toml`'s `id`).
    pub package: String,
    /// The kind of package (`study`, `bulletin` …).
    pub kind: String,
    /// The date the bundle was built (`2026-05-20`).
    #[serde(default)]
    pub build_date: Option<String>,
    #[serde(default)]
    pub sources: Vec<ManifestSource>,
}

/// One source file as the manifest lists it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ManifestSource {
    pub path: String,
    pub sha256: String,
}

/// The most bytes a bundle's `manifest.json` may have: 10,000 sources and
/// a few thousand files take well under 4 MB.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// A bundle's sources unpacked into a private temporary folder (0700,
/// removed when dropped, and on Ctrl-C or SIGTERM by
/// [`crate::interrupt`]), with what its manifest says.
pub struct Unpacked {
    pub folder: crate::interrupt::TemporaryFolder,
    pub manifest: BundleManifest,
}

impl Unpacked {
    pub fn path(&self) -> &Path {
        self.folder.path()
    }
}

/// Reads the bundle `zip` as a regular file only (a FIFO or device is
/// refused at once, not read), at most [`MAX_BUNDLE_BYTES`].
fn read_bundle(zip: &Path) -> Result<Vec<u8>, String> {
    let shown = zip.display();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO without a writer would wait for one.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(zip).map_err(|e| format!("cannot read {shown} ({e})"))?;
    let metadata = file.metadata().map_err(|e| format!("cannot read {shown} ({e})"))?;
    if !metadata.is_file() {
        return Err(format!("{shown} is not a regular file (a folder, FIFO, socket or device): give a bundle zip"));
    }
    if metadata.len() > MAX_BUNDLE_BYTES {
        return Err(format!(
            "{shown} is {} MB, more than the {} MB a bundle may be",
            metadata.len() / (1024 * 1024),
            MAX_BUNDLE_BYTES / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    (&mut file).take(MAX_BUNDLE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {shown} ({e})"))?;
    if bytes.len() as u64 > MAX_BUNDLE_BYTES {
        return Err(format!("{shown} grew past {} MB while it was read", MAX_BUNDLE_BYTES / (1024 * 1024)));
    }
    Ok(bytes)
}

/// The names of the central directory of a zip, in order, duplicates kept:
/// the zip reader keeps the last of two entries with one name, so a bundle
/// holding two is refused before it is read.
fn central_directory_names(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    const END: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let u16_at = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize);
    let u32_at = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize);
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = (search_from..bytes.len().saturating_sub(21)).rev().find(|&at| bytes[at..at + 4] == END)?;
    let count = u16_at(end + 10)?;
    let mut at = u32_at(end + 16)?;
    let mut names = Vec::with_capacity(count.min(MAX_SOURCE_FILES * 2));
    // A ZIP64 directory (more than 65,535 entries) is beyond what a bundle holds.
    while bytes.get(at..at + 4) == Some(&ENTRY[..]) {
        let (name_length, extra, comment) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + name_length)?.to_vec());
        at += 46 + name_length + extra + comment;
    }
    (names.len() == count).then_some(names)
}

/// Unpacks `sources/` of the bundle `zip` into a new private temporary
/// folder, after checking it as a bundle: a regular file within bounds,
/// one entry per name, a `manifest.json` that lists exactly the sources
/// it carries with their checksums. The error says what is wrong and how
/// to go on.
pub fn unpacked(zip: &Path) -> Result<Unpacked, String> {
    let shown = zip.display();
    let not_a_bundle = |why: &str| {
        format!(
            "{shown} is not an emn-pub bundle: {why} (hint: give a zip that build-package wrote, or a package folder)"
        )
    };
    let bytes = read_bundle(zip)?;
    let names = central_directory_names(&bytes).ok_or_else(|| not_a_bundle("its zip directory cannot be read"))?;
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = names.iter().find(|name| !seen.insert(name.as_slice())) {
        return Err(format!(
            "{shown} holds two entries named {} (refused: which one is meant cannot be told)",
            crate::diagnostic::shown_text(&String::from_utf8_lossy(twice))
        ));
    }
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
    if let Some(name) =
        names.iter().find(|name| safe_relative(&name[SOURCES.len()..]).is_none() && !name.ends_with('/'))
    {
        let name = crate::diagnostic::shown_text(name);
        return Err(format!("{shown}: {name} points outside the package (refused)"));
    }
    let manifest = read_manifest(&mut archive).map_err(|why| not_a_bundle(&why))?;
    let listed: std::collections::BTreeMap<&str, &str> =
        manifest.sources.iter().map(|s| (s.path.as_str(), s.sha256.as_str())).collect();
    let carried: std::collections::BTreeSet<&str> = names.iter().map(|n| &n[SOURCES.len()..]).collect();
    if let Some(missing) = listed.keys().find(|path| !carried.contains(*path)) {
        return Err(format!(
            "{shown}: manifest.json lists {} among the sources, and sources/ lacks it (refused: the bundle was changed after it was built)",
            crate::diagnostic::shown_text(missing)
        ));
    }
    if !carried.contains(super::manifest::FILE) {
        return Err(not_a_bundle("its sources/ holds no emn.toml"));
    }
    let folder =
        crate::interrupt::TemporaryFolder::new().map_err(|e| format!("cannot make a temporary folder ({e})"))?;
    let mut total = 0u64;
    for name in &names {
        let mut entry = archive.by_name(name).map_err(|e| format!("{shown}: cannot read {name} ({e})"))?;
        if entry.is_dir() {
            continue;
        }
        let shown_name = crate::diagnostic::shown_text(name);
        let relative = safe_relative(&name[SOURCES.len()..])
            .ok_or_else(|| format!("{shown}: {shown_name} points outside the package (refused)"))?;
        if entry.is_symlink() {
            return Err(format!("{shown}: {shown_name} is a symbolic link (refused: a package holds no links)"));
        }
        let Some(expected) = listed.get(&name[SOURCES.len()..]) else {
            return Err(format!(
                "{shown}: {shown_name} is not among the sources manifest.json lists (refused: the bundle was changed after it was built)"
            ));
        };
        let limit = MAX_STATISTICS_BYTES as u64;
        let mut data = Vec::new();
        // One byte more than allowed: an entry that lies about its size is
        // caught here, not truncated.
        (&mut entry)
            .take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("{shown}: cannot unpack {shown_name} ({e})"))?;
        total += data.len() as u64;
        if data.len() as u64 > limit {
            return Err(format!(
                "{shown}: {shown_name} unpacks to more than {} MB, the most one file of a package may hold (refused: a zip bomb stops here)",
                limit / (1024 * 1024)
            ));
        }
        if total > MAX_SOURCES_UNPACKED_BYTES {
            return Err(format!(
                "{shown}: sources/ unpacks to more than {} MB, the most a package may hold (refused: a zip bomb stops here)",
                MAX_SOURCES_UNPACKED_BYTES / (1024 * 1024)
            ));
        }
        if super::sha256_hex(&data) != *expected {
            return Err(format!(
                "{shown}: {shown_name} does not match its checksum in manifest.json (refused: the bundle was changed after it was built)"
            ));
        }
        folder.write(&relative, &data).map_err(|e| format!("cannot unpack {shown_name} ({e})"))?;
    }
    Ok(Unpacked { folder, manifest })
}

/// The bundle's `manifest.json`, bounded and well formed.
fn read_manifest(archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>) -> Result<BundleManifest, String> {
    let mut entry = archive.by_name("manifest.json").map_err(|_| "it has no manifest.json".to_string())?;
    let mut text = Vec::new();
    (&mut entry)
        .take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("its manifest.json cannot be read ({e})"))?;
    if text.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(format!("its manifest.json is larger than {} MB", MAX_MANIFEST_BYTES / (1024 * 1024)));
    }
    serde_json::from_slice(&text).map_err(|e| format!("its manifest.json is not one emn-pub wrote ({e})"))
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
