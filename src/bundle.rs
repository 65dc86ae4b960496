//! Stage 4, bundle: the zip and its `manifest.json`, written atomically.
//!
//! Entries are sorted and carry a fixed timestamp and permissions, so the
//! same PDFs give the same zip bytes. The zip is written to a temporary file
//! beside the target and renamed into place only when complete: a failure
//! never leaves a partial bundle or replaces a good one.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::dates::Date;
use crate::load::{Package, hex};

/// One file to put in the bundle.
#[derive(Debug, Clone)]
pub struct BundleFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Publication kind (`national-contribution`, `data`, ...).
    pub kind: &'static str,
    pub country: Option<String>,
    pub pages: Option<usize>,
}

impl BundleFile {
    /// A file that is not typeset (no country, no pages).
    pub fn data(file: crate::publications::DataFile) -> Self {
        Self { path: file.path, bytes: file.bytes, kind: file.kind, country: None, pages: None }
    }
}

#[derive(Serialize)]
struct ManifestJson<'a> {
    package: &'a str,
    kind: &'a str,
    title: &'a str,
    template: &'a str,
    tool: String,
    build_date: String,
    sources: Vec<SourceEntry<'a>>,
    files: Vec<FileEntry<'a>>,
}

#[derive(Serialize)]
struct SourceEntry<'a> {
    path: &'a str,
    sha256: &'a str,
    bytes: u64,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    sha256: String,
    bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pages: Option<usize>,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
}

/// The `manifest.json` describing `files`.
pub fn manifest_json(package: &Package, files: &[BundleFile], date: Date) -> String {
    let manifest = ManifestJson {
        package: package.manifest.id.get_ref(),
        kind: package.manifest.kind.name(),
        title: &package.manifest.title,
        template: &package.template_source,
        tool: format!("emn-pub {}", env!("CARGO_PKG_VERSION")),
        build_date: date.iso(),
        sources: package
            .sources
            .iter()
            .map(|(path, s)| SourceEntry { path, sha256: &s.sha256, bytes: s.bytes })
            .collect(),
        files: files
            .iter()
            .map(|f| FileEntry {
                path: &f.path,
                sha256: hex(&Sha256::digest(&f.bytes)),
                bytes: f.bytes.len(),
                pages: f.pages,
                kind: f.kind,
                country: f.country.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n"
}

const TEMPORARY_PREFIX: &str = ".emn-pub-";
const TEMPORARY_SUFFIX: &str = ".part";

/// Temporary files named so [`remove_leftovers`] recognises them, created
/// with mode 0666 so that the umask applies as to any file a program
/// writes (tempfile's default, 0600, would make the bundle private).
fn temporary_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// A temporary file in the folder of `path` (created if need be), to be
/// renamed onto `path` when complete; `clean` first removes what killed
/// builds left there.
fn temporary_beside(path: &Path, clean: bool) -> Result<tempfile::NamedTempFile> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create the folder {}", folder.display()))?;
    if clean {
        remove_leftovers(&folder);
    }
    temporary_builder().tempfile_in(&folder).with_context(|| format!("cannot write in {}", folder.display()))
}

/// Removes what builds killed while writing left behind in `folder`.
pub fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMPORARY_PREFIX)
            && name.ends_with(TEMPORARY_SUFFIX)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes one file atomically: a temporary file beside it, renamed into
/// place when complete, so a reader (a PDF viewer) never sees half a file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut temporary = temporary_beside(path, false)?;
    temporary.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    temporary.as_file().sync_all().ok();
    temporary.persist(path).with_context(|| format!("cannot move {} into place", path.display()))?;
    Ok(())
}

/// Writes the zip of `files` plus `manifest.json` to `out`, atomically.
pub fn write(out: &Path, manifest: &str, files: &[BundleFile], date: Date) -> Result<u64> {
    let temporary = temporary_beside(out, true)?;
    let timestamp =
        zip::DateTime::from_date_and_time(date.year.clamp(1980, 2107) as u16, date.month, date.day, 0, 0, 0)
            .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(timestamp)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(temporary.as_file()));
    let mut entries: Vec<(&str, &[u8])> = files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    entries.push(("manifest.json", manifest.as_bytes()));
    entries.sort_by(|a, b| a.0.cmp(b.0));
    for (path, bytes) in entries {
        zip.start_file(path, options).with_context(|| format!("cannot add {path} to the bundle"))?;
        zip.write_all(bytes).with_context(|| format!("cannot add {path} to the bundle"))?;
    }
    let mut writer = zip.finish().context("cannot finish the bundle")?;
    writer.flush().context("cannot finish the bundle")?;
    drop(writer);
    temporary.as_file().sync_all().ok();
    let size = temporary.as_file().metadata().map(|m| m.len()).unwrap_or(0);
    temporary.persist(out).with_context(|| format!("cannot move the bundle into place at {}", out.display()))?;
    Ok(size)
}
