//! The bundle as an unpacked folder (`watch`): the same files and manifest
//! the zip holds, each replaced atomically as it is ready, each stamped
//! with the save it came from so that an older result never replaces a
//! newer one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::dates::Date;
use crate::load::Package;
use crate::output::{self, BundleFile, DataFile};

/// One file of the folder as last written.
struct Written {
    /// The typst markup it was typeset from (PDFs): unchanged markup is
    /// not typeset again.
    markup: Option<String>,
    file: BundleFile,
    save: u64,
}

#[derive(Default)]
pub struct FolderSink {
    written: BTreeMap<String, Written>,
    out_dir: Option<PathBuf>,
    /// Set when the watch ends: nothing is written after.
    closed: bool,
    /// The manifest last written: compared in memory, never read back from
    /// the folder (a FIFO or a link to /dev/zero put there would block or
    /// fill memory).
    manifest: Option<String>,
}

impl FolderSink {
    /// Writes into `out_dir` from now on (forgetting what another folder
    /// holds); returns whether nothing is written there yet.
    pub fn open(&mut self, out_dir: PathBuf) -> bool {
        if self.out_dir.as_ref() != Some(&out_dir) {
            self.forget();
            output::atomic::remove_leftovers(&out_dir);
            self.out_dir = Some(out_dir);
        }
        self.written.is_empty()
    }

    /// Forgets what was written (the folder went away with the package).
    pub fn forget(&mut self) {
        self.written.clear();
        self.manifest = None;
    }

    pub fn out_dir(&self) -> Option<&Path> {
        self.out_dir.as_deref()
    }

    pub fn is_empty(&self) -> bool {
        self.written.is_empty()
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Lets nothing more be written and removes what killed runs left.
    pub fn close(&mut self) {
        self.closed = true;
        if let Some(out_dir) = &self.out_dir {
            remove_leftovers_below(out_dir);
        }
    }

    /// Whether a document's markup differs from what its PDF was typeset from.
    pub fn changed(&self, path: &str, markup: &str) -> bool {
        self.written.get(path).is_none_or(|w| w.markup.as_deref() != Some(markup))
    }

    /// Whether a data file's bytes differ from the folder's.
    pub fn differs(&self, file: &DataFile) -> bool {
        self.written.get(&file.path).is_none_or(|w| w.file.bytes != file.bytes)
    }

    /// Writes a file atomically for `save`, unless a newer save's version
    /// is there already; returns whether it wrote.
    pub fn put(&mut self, root: &Path, save: u64, file: BundleFile, markup: Option<String>) -> Result<bool> {
        let newer = self.written.get(&file.path).is_some_and(|w| w.save > save);
        let Some(out_dir) = self.out_dir.clone().filter(|_| !self.closed && !newer) else { return Ok(false) };
        let path = out_dir.join(&file.path);
        output::atomic::no_link_below(root, &path)?;
        output::atomic::write_file_atomically_unsynced(&path, &file.bytes)?;
        self.written.insert(file.path.clone(), Written { markup, file, save });
        Ok(true)
    }

    /// Rewrites `manifest.json` for the files now in the folder.
    pub fn write_manifest(&mut self, package: &Package, date: Date) -> Result<()> {
        let Some(out_dir) = self.out_dir.clone().filter(|_| !self.closed) else { return Ok(()) };
        let files: Vec<BundleFile> = self.written.values().map(|w| w.file.clone()).collect();
        let manifest = super::manifest_json(package, &files, date);
        if self.manifest.as_deref() != Some(manifest.as_str()) {
            let path = out_dir.join(super::MANIFEST);
            output::atomic::no_link_below(&package.root, &path)?;
            output::atomic::write_file_atomically_unsynced(&path, manifest.as_bytes())?;
            self.manifest = Some(manifest);
        }
        Ok(())
    }

    /// Removes files the bundle no longer holds (a contribution deleted),
    /// unless a newer save wrote them; returns what it removed.
    pub fn remove_stale(&mut self, root: &Path, current: &BTreeSet<String>, save: u64) -> Result<Vec<String>> {
        let Some(out_dir) = self.out_dir.clone().filter(|_| !self.closed) else { return Ok(Vec::new()) };
        let stale: Vec<String> = self
            .written
            .iter()
            .filter(|(path, written)| !current.contains(*path) && written.save <= save)
            .map(|(path, _)| path.clone())
            .collect();
        let mut removed = Vec::new();
        for path in stale {
            let file = out_dir.join(&path);
            output::atomic::no_link_below(root, &file)?;
            if file.exists() {
                std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
            }
            self.written.remove(&path);
            removed.push(format!("{path} (removed)"));
        }
        Ok(removed)
    }
}

/// The folder's sink for one build (`watch`'s first): each file written
/// for `save` as soon as it is made. A failed write stops none of the
/// build; the first is kept for [`FolderRound::finish`].
pub struct FolderRound<'a> {
    folder: &'a std::sync::Mutex<FolderSink>,
    root: &'a Path,
    save: u64,
    failed: std::sync::Mutex<Option<anyhow::Error>>,
    /// The paths written, in order.
    written: std::sync::Mutex<Vec<String>>,
}

impl<'a> FolderRound<'a> {
    pub fn new(folder: &'a std::sync::Mutex<FolderSink>, root: &'a Path, save: u64) -> Self {
        Self { folder, root, save, failed: Default::default(), written: Default::default() }
    }

    fn folder(&self) -> std::sync::MutexGuard<'_, FolderSink> {
        self.folder.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The paths it wrote (not those a newer save had written), or the
    /// first write that failed.
    pub fn finish(self) -> Result<Vec<String>> {
        match self.failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(error) => Err(error),
            None => Ok(self.written.into_inner().unwrap_or_else(|p| p.into_inner())),
        }
    }
}

impl super::Sink for FolderRound<'_> {
    fn put(&self, file: &BundleFile, markup: Option<&str>) {
        let written = self.folder().put(self.root, self.save, file.clone(), markup.map(str::to_string));
        match written {
            Ok(true) => self.written.lock().unwrap_or_else(|p| p.into_inner()).push(file.path.clone()),
            Ok(false) => {}
            Err(error) => {
                self.failed.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(error);
            }
        }
    }

    fn holds_typeset(&self, path: &str, markup: &str) -> bool {
        !self.folder().changed(path, markup)
    }

    fn holds(&self, file: &DataFile) -> bool {
        !self.folder().differs(file)
    }
}

/// Temporary files a killed round left in the folder tree.
fn remove_leftovers_below(dir: &Path) {
    output::atomic::remove_leftovers(dir);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                remove_leftovers_below(&entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Sink;

    fn file(path: &str, bytes: &[u8]) -> BundleFile {
        BundleFile::data(DataFile { path: path.into(), kind: output::FileKind::WebPage, bytes: bytes.to_vec() })
    }

    #[test]
    fn a_round_writes_each_file_as_it_is_put_and_keeps_the_first_failure() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("dist").join("pkg");
        std::fs::create_dir_all(&out).unwrap();
        let folder = std::sync::Mutex::new(FolderSink::default());
        folder.lock().unwrap().open(out.clone());
        let round = FolderRound::new(&folder, root.path(), 1);
        round.put(&file("national/CZ.pdf", b"pdf"), Some("markup"));
        assert_eq!(std::fs::read(out.join("national/CZ.pdf")).unwrap(), b"pdf");
        // A file where the folder `html/` must be: that write fails, the
        // round goes on.
        std::fs::write(out.join("html"), b"not a folder").unwrap();
        round.put(&file("html/CZ.html", b"page"), None);
        round.put(&file("flash.pdf", b"flash"), Some("flash markup"));
        assert_eq!(std::fs::read(out.join("flash.pdf")).unwrap(), b"flash");
        assert!(round.finish().is_err());
        let folder = folder.lock().unwrap();
        assert!(!folder.changed("national/CZ.pdf", "markup"));
        assert!(folder.changed("national/CZ.pdf", "other markup"));
    }
}
