//! Stage 5, bundle: the zip and its `manifest.json`, written atomically, or
//! the unpacked folder of `watch`; both are a [`Sink`] a build hands each
//! file to as it is made.
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

use crate::dates::Date;
use crate::load::{Package, hex};
use crate::output::BundleFile;
use crate::output::atomic::{persist, temporary_beside};
use crate::output::zip::Compressed;
use crate::output::zip::write_zip_with;

#[derive(Serialize)]
struct ManifestJson<'a> {
    package: &'a str,
    kind: &'a str,
    title: &'a str,
    template: &'a str,
    tool: String,
    build_date: String,
    /// `network` or `public` (see `publications::dissemination`).
    edition: &'a str,
    /// The file name of the bundle a `--since` build compared with.
    #[serde(rename = "compared-with", skip_serializing_if = "Option::is_none")]
    compared_with: Option<String>,
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

/// The manifest's path in the bundle.
pub const MANIFEST: &str = "manifest.json";

/// Where a build puts each file of the bundle as soon as it is made, on
/// the thread that made it: the zip of `build-package` ([`ZipSink`])
/// compresses it, the unpacked folder of `watch` ([`FolderRound`]) writes
/// it. Both take the same files from one pipeline
/// ([`crate::pipeline::typeset_and_make_data_files`]); each writes its
/// manifest when the build is over.
pub trait Sink: Sync {
    /// `markup`: the typst markup a PDF was typeset from.
    fn put(&self, file: &BundleFile, markup: Option<&str>);

    /// Whether it holds the PDF at `path` typeset from `markup` already
    /// (`watch`: unchanged documents are not typeset again).
    fn holds_typeset(&self, _path: &str, _markup: &str) -> bool {
        false
    }

    /// Whether it holds this file with these bytes already.
    fn holds(&self, _file: &crate::output::DataFile) -> bool {
        false
    }
}

/// The zip's sink: each file compressed as it is made; [`ZipSink::write`]
/// writes the zip at the end.
pub struct ZipSink {
    compressed: Compressed,
    date: Date,
}

impl ZipSink {
    pub fn new(date: Date) -> Self {
        Self { compressed: Compressed::default(), date }
    }

    /// Writes the zip of `files` plus `manifest.json` to `out`, atomically,
    /// copying the entries compressed as their files were made; returns
    /// its size.
    pub fn write(&self, out: &Path, manifest: &str, files: &[BundleFile]) -> Result<u64> {
        let temporary = temporary_beside(out, true)?;
        let mut entries: Vec<(&str, &[u8])> = files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
        entries.push((MANIFEST, manifest.as_bytes()));
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut writer = std::io::BufWriter::new(temporary.as_file());
        write_zip_with(&mut writer, &entries, self.date, &self.compressed)?;
        writer.flush().context("cannot finish the bundle")?;
        drop(writer);
        temporary.as_file().sync_all().ok();
        let size = temporary.as_file().metadata().map(|m| m.len()).unwrap_or(0);
        persist(temporary, out)?;
        Ok(size)
    }
}

impl Sink for ZipSink {
    fn put(&self, file: &BundleFile, _markup: Option<&str>) {
        self.compressed.add(&file.path, &file.bytes, self.date);
    }
}

/// The `manifest.json` describing `files`.
pub fn manifest_json(package: &Package, files: &[BundleFile], date: Date) -> String {
    use rayon::prelude::*;
    // Checksums on every core: 25 MB of PDFs and pages in a large bundle.
    let checksums: Vec<String> = files.par_iter().map(|f| hex(&Sha256::digest(&f.bytes))).collect();
    let manifest = ManifestJson {
        package: package.manifest.id.get_ref(),
        kind: package.manifest.kind.name(),
        title: &package.manifest.title,
        template: &package.template_source,
        tool: format!("emn-pub {}", env!("CARGO_PKG_VERSION")),
        build_date: date.iso(),
        edition: package.edition.name(),
        compared_with: files
            .iter()
            .find(|f| f.path == crate::load::archive::COMPARED_NAME)
            .map(|f| String::from_utf8_lossy(&f.bytes).trim().to_string()),
        // The public edition carries no sources, and names none.
        sources: package
            .sources
            .iter()
            .filter(|_| package.edition == crate::load::Edition::Network)
            .map(|(path, s)| SourceEntry { path, sha256: &s.sha256, bytes: s.bytes })
            .collect(),
        files: files
            .iter()
            .zip(checksums)
            .map(|(f, sha256)| FileEntry {
                path: &f.path,
                sha256,
                bytes: f.bytes.len(),
                pages: f.pages,
                kind: f.kind.name(),
                country: f.country.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n"
}

mod folder;
pub use folder::{FolderRound, FolderSink};
