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
/// [`crate::interrupt`]), with what its manifest says and the bytes it
/// carried (which a bundle built `--since` carries again, under
/// [`COMPARED`]).
pub struct Unpacked {
    pub folder: crate::interrupt::TemporaryFolder,
    pub manifest: BundleManifest,
    /// The manifest's bytes, as the bundle holds them.
    pub manifest_bytes: Vec<u8>,
    /// Every source: its path below the sources folder, and its bytes.
    pub sources: Vec<(String, Vec<u8>)>,
}

impl Unpacked {
    pub fn path(&self) -> &Path {
        self.folder.path()
    }
}

/// Where in a zip a package's manifest and sources are.
pub struct Layout {
    pub manifest: &'static str,
    pub sources: &'static str,
}

/// A bundle's own manifest and sources.
pub const BUNDLE: Layout = Layout { manifest: "manifest.json", sources: SOURCES };

/// What a bundle built `--since` carries of the bundle it compared with,
/// so that it rebuilds with its changes report: that bundle's manifest and
/// sources, and its file name ([`COMPARED_NAME`]).
pub const COMPARED: Layout = Layout { manifest: "since/manifest.json", sources: "since/sources/" };

/// The file name of the bundle a `--since` build compared with.
pub const COMPARED_NAME: &str = "since/file-name.txt";

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
    let mut archive = open_bundle(zip)?;
    unpack(zip, &mut archive, &BUNDLE)
}

/// The bundle a bundle built `--since` compared with, as it carries it
/// ([`COMPARED`]), checked as [`unpacked`] checks a bundle, with its file
/// name; `None` for a bundle built without `--since`.
pub fn compared(zip: &Path) -> Result<Option<(Unpacked, String)>, String> {
    let mut archive = open_bundle(zip)?;
    if archive.index_for_name(COMPARED.manifest).is_none() {
        return Ok(None);
    }
    let name = read_entry(&mut archive, COMPARED_NAME, 1024)
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
        .unwrap_or_else(|_| "the earlier bundle".to_string());
    Ok(Some((unpack(zip, &mut archive, &COMPARED)?, name)))
}

/// Whether the bundle `zip` was built `--since` another bundle (and
/// carries it).
pub fn carries_compared(zip: &Path) -> Result<bool, String> {
    Ok(open_bundle(zip)?.index_for_name(COMPARED.manifest).is_some())
}

type Archive = zip::ZipArchive<std::io::Cursor<Vec<u8>>>;

/// The bundle `zip` read and opened, once one entry per name is checked.
fn open_bundle(zip: &Path) -> Result<Archive, String> {
    let bytes = read_bundle(zip)?;
    let names = central_directory_names(&bytes).ok_or_else(|| not_a_bundle(zip, "its zip directory cannot be read"))?;
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = names.iter().find(|name| !seen.insert(name.as_slice())) {
        return Err(format!(
            "{} holds two entries named {} (refused: which one is meant cannot be told)",
            zip.display(),
            crate::diagnostic::shown_text(&String::from_utf8_lossy(twice))
        ));
    }
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not_a_bundle(zip, &format!("{e}")))
}

fn not_a_bundle(zip: &Path, why: &str) -> String {
    format!(
        "{} is not an emn-pub bundle: {why} (hint: give a zip that build-package wrote, or a package folder)",
        zip.display()
    )
}

/// The names below `layout`'s sources folder, checked: present, not too
/// many, none leaving the folder.
fn source_names(zip: &Path, archive: &Archive, layout: &Layout) -> Result<Vec<String>, String> {
    let shown = zip.display();
    if archive.index_for_name(layout.manifest).is_none() {
        return Err(not_a_bundle(zip, &format!("it has no {}", layout.manifest)));
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .filter(|name| name.starts_with(layout.sources) && !name.ends_with('/'))
        .collect();
    if names.is_empty() {
        return Err(format!(
            "{shown} carries no {}: it was built before bundles held their sources (hint: build it again from its package folder)",
            layout.sources
        ));
    }
    if names.len() > MAX_SOURCE_FILES {
        return Err(format!("{shown}: {} holds {} files, more than {MAX_SOURCE_FILES}", layout.sources, names.len()));
    }
    if let Some(name) = names.iter().find(|name| safe_relative(&name[layout.sources.len()..]).is_none()) {
        let name = crate::diagnostic::shown_text(name);
        return Err(format!("{shown}: {name} points outside the package (refused)"));
    }
    Ok(names)
}

/// Unpacks the sources `layout` names, each checked against the manifest.
fn unpack(zip: &Path, archive: &mut Archive, layout: &Layout) -> Result<Unpacked, String> {
    let shown = zip.display();
    let names = source_names(zip, archive, layout)?;
    let manifest_bytes =
        read_entry(archive, layout.manifest, MAX_MANIFEST_BYTES).map_err(|why| not_a_bundle(zip, &why))?;
    let manifest: BundleManifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| not_a_bundle(zip, &format!("its {} is not one emn-pub wrote ({e})", layout.manifest)))?;
    let listed: std::collections::BTreeMap<&str, &str> =
        manifest.sources.iter().map(|s| (s.path.as_str(), s.sha256.as_str())).collect();
    let carried: std::collections::BTreeSet<&str> = names.iter().map(|n| &n[layout.sources.len()..]).collect();
    let changed = "(refused: the bundle was changed after it was built)";
    if let Some(missing) = listed.keys().find(|path| !carried.contains(*path)) {
        let missing = crate::diagnostic::shown_text(missing);
        return Err(format!(
            "{shown}: {} lists {missing} among the sources, and {} lacks it {changed}",
            layout.manifest, layout.sources
        ));
    }
    if !carried.contains(super::manifest::FILE) {
        return Err(not_a_bundle(zip, &format!("its {} holds no emn.toml", layout.sources)));
    }
    let folder =
        crate::interrupt::TemporaryFolder::new().map_err(|e| format!("cannot make a temporary folder ({e})"))?;
    let mut sources = Vec::with_capacity(names.len());
    let mut total = 0u64;
    for name in &names {
        let relative = &name[layout.sources.len()..];
        let shown_name = crate::diagnostic::shown_text(name);
        let Some(expected) = listed.get(relative) else {
            return Err(format!("{shown}: {shown_name} is not among the sources {} lists {changed}", layout.manifest));
        };
        let data = read_source(zip, archive, name)?;
        total += data.len() as u64;
        if total > MAX_SOURCES_UNPACKED_BYTES {
            return Err(format!(
                "{shown}: {} unpacks to more than {} MB, the most a package may hold (refused: a zip bomb stops here)",
                layout.sources,
                MAX_SOURCES_UNPACKED_BYTES / (1024 * 1024)
            ));
        }
        if super::sha256_hex(&data) != *expected {
            return Err(format!("{shown}: {shown_name} does not match its checksum in {} {changed}", layout.manifest));
        }
        let path =
            safe_relative(relative).ok_or_else(|| format!("{shown}: {shown_name} points outside the package"))?;
        folder.write(&path, &data).map_err(|e| format!("cannot unpack {shown_name} ({e})"))?;
        sources.push((relative.to_string(), data));
    }
    Ok(Unpacked { folder, manifest, manifest_bytes, sources })
}

/// One source entry's bytes: a plain file (no link), at most a package
/// file's size (an entry that lies about its size is caught, not cut).
fn read_source(zip: &Path, archive: &mut Archive, name: &str) -> Result<Vec<u8>, String> {
    let shown = zip.display();
    let shown_name = crate::diagnostic::shown_text(name);
    let mut entry = archive.by_name(name).map_err(|e| format!("{shown}: cannot read {shown_name} ({e})"))?;
    if entry.is_symlink() {
        return Err(format!("{shown}: {shown_name} is a symbolic link (refused: a package holds no links)"));
    }
    let limit = MAX_STATISTICS_BYTES as u64;
    let mut data = Vec::new();
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("{shown}: cannot unpack {shown_name} ({e})"))?;
    if data.len() as u64 > limit {
        return Err(format!(
            "{shown}: {shown_name} unpacks to more than {} MB, the most one file of a package may hold (refused: a zip bomb stops here)",
            limit / (1024 * 1024)
        ));
    }
    Ok(data)
}

/// An entry's bytes, at most `limit`.
fn read_entry(archive: &mut Archive, name: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut entry = archive.by_name(name).map_err(|_| format!("it has no {name}"))?;
    let mut bytes = Vec::new();
    (&mut entry).take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("its {name} cannot be read ({e})"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("its {name} is larger than {} MB", limit / (1024 * 1024)));
    }
    Ok(bytes)
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
