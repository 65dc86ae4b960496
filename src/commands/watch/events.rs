//! Which saves `watch` acts on: the folders holding what the last load
//! looked at are watched (notify, batched by its mini debouncer), and a
//! path counts as changed only when it is one of those inputs (or a new
//! file in a folder the load lists) and its bytes differ from what the load
//! read. A viewer opening the PDFs, the load's own reads, a log written
//! beside the package or a `touch` are not changes.
//!
//! inotify reports reads too, so a file is read (and hashed) only when its
//! size or time stamp moved: reading on every event would make events of
//! its own, without end.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer};

use crate::load::Package;

/// Writes closer together than this are one save (editors write a file in
/// several steps: truncate, write, rename). Each path's events are handed
/// on as soon as it has been quiet this long (not batched with others',
/// which could wait twice as long).
const BATCH: Duration = Duration::from_millis(30);

pub struct Events {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher>,
    received: Receiver<DebounceEventResult>,
    /// Folders watched now (absolute).
    watched: BTreeSet<PathBuf>,
    /// What the last load looked at (files, and folders with a `/`).
    inputs: BTreeSet<String>,
    /// The digest of each input file as the last load read it.
    digests: BTreeMap<String, String>,
    /// Each input's size and time stamp when last looked at (`None`: absent).
    stamps: BTreeMap<String, Option<Stamp>>,
    /// Inputs found changed since the load, not yet reported.
    pending: BTreeSet<String>,
}

type Stamp = (u64, Option<std::time::SystemTime>);

impl Events {
    /// Watches the package folder itself until a load says what else to watch.
    pub fn new(root: &Path) -> Result<Self> {
        let (sender, received) = std::sync::mpsc::channel();
        let config = notify_debouncer_mini::Config::default().with_timeout(BATCH).with_batch_mode(false);
        let debouncer = notify_debouncer_mini::new_debouncer_opt::<_, RecommendedWatcher>(config, sender)
            .context("cannot watch the package folder")?;
        let inputs = [crate::load::manifest::FILE.to_string()].into();
        let mut events = Self {
            root: root.to_path_buf(),
            debouncer,
            received,
            watched: BTreeSet::new(),
            inputs,
            digests: BTreeMap::new(),
            stamps: BTreeMap::new(),
            pending: BTreeSet::new(),
        };
        events.rewatch()?;
        Ok(events)
    }

    /// Follows what `package`'s load looked at. A file saved again while
    /// the load read it (its bytes now differ from the load's) is a change
    /// reported by the next [`Events::next`].
    pub fn follow(&mut self, package: &Package) {
        self.inputs = package.inputs.clone();
        self.digests = package.sources.iter().map(|(path, source)| (path.clone(), source.sha256.clone())).collect();
        self.stamps.clear();
        let inputs: Vec<String> = self.inputs.iter().cloned().collect();
        for input in inputs {
            let stamp = self.stamp(&input);
            if stamp.is_some()
                && self.digests.contains_key(&input)
                && self.digest(&input) != self.digests.get(&input).cloned()
            {
                self.pending.insert(input.clone());
            }
            self.stamps.insert(input, stamp);
        }
        let _ = self.rewatch();
    }

    fn stamp(&self, relative: &str) -> Option<Stamp> {
        let path = self.root.join(relative.trim_end_matches('/'));
        let metadata = std::fs::symlink_metadata(path).ok()?;
        Some((metadata.len(), metadata.modified().ok()))
    }

    fn digest(&self, relative: &str) -> Option<String> {
        crate::sandbox::read(&self.root, relative, crate::limits::MAX_STATISTICS_BYTES as u64)
            .ok()
            .map(|bytes| crate::load::sha256_hex(&bytes))
    }

    /// Watches the package folder again from scratch (it was removed and
    /// came back: the old watches went with it).
    pub fn restart(&mut self) -> Result<()> {
        for folder in std::mem::take(&mut self.watched) {
            let _ = self.debouncer.watcher().unwatch(&folder);
        }
        self.digests.clear();
        self.rewatch()
    }

    /// Watches exactly the folders that hold an input (each on its own,
    /// not recursively: the output folder and unrelated trees are not).
    fn rewatch(&mut self) -> Result<()> {
        let mut wanted: BTreeSet<PathBuf> = [self.root.clone()].into();
        for input in &self.inputs {
            let folder = match input.strip_suffix('/') {
                Some(folder) => folder,
                None => input.rsplit_once('/').map_or("", |(parent, _)| parent),
            };
            let path = self.root.join(folder);
            if path.is_dir() {
                wanted.insert(path);
            }
        }
        for gone in self.watched.difference(&wanted).cloned().collect::<Vec<_>>() {
            let _ = self.debouncer.watcher().unwatch(&gone);
            self.watched.remove(&gone);
        }
        for folder in wanted {
            if !self.watched.contains(&folder) {
                self.debouncer
                    .watcher()
                    .watch(&folder, RecursiveMode::NonRecursive)
                    .with_context(|| format!("cannot watch {}", folder.display()))?;
                self.watched.insert(folder);
            }
        }
        Ok(())
    }

    /// The inputs changed in the next batch of events, waiting at most
    /// `wait`; empty when nothing the package reads changed.
    pub fn next(&mut self, wait: Duration) -> BTreeSet<String> {
        let mut changed = std::mem::take(&mut self.pending);
        if !changed.is_empty() {
            return changed;
        }
        let batch = match self.received.recv_timeout(wait) {
            Ok(Ok(batch)) => batch,
            Ok(Err(_)) | Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => return changed,
        };
        let debug = std::env::var_os("EMN_PUB_DEBUG_EVENTS").is_some();
        for event in batch {
            if debug {
                eprintln!("event: {event:?}");
            }
            let Ok(relative) = event.path.strip_prefix(&self.root) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if self.is_change(&relative) {
                changed.insert(relative);
            }
        }
        changed
    }

    /// Whether `relative` is an input whose bytes (or presence) differ from
    /// what the last load read.
    fn is_change(&mut self, relative: &str) -> bool {
        if relative.is_empty() || is_editor_noise(relative) {
            return false;
        }
        let folder = format!("{relative}/");
        if self.inputs.contains(&folder) {
            // A listed folder created or removed; its files have events of their own.
            let stamp = self.stamp(&folder);
            let was = self.stamps.insert(folder, stamp).flatten();
            return was.is_some() != stamp.is_some();
        }
        let parent = relative.rsplit_once('/').map_or("", |(parent, _)| parent);
        let listed = !parent.is_empty() && self.inputs.contains(&format!("{parent}/"));
        if !self.inputs.contains(relative) && !listed {
            return false;
        }
        let stamp = self.stamp(relative);
        if self.stamps.get(relative) == Some(&stamp) {
            return false;
        }
        self.stamps.insert(relative.to_string(), stamp);
        let now = stamp.and_then(|_| self.digest(relative));
        now.as_ref() != self.digests.get(relative)
    }
}

/// Office lock files (`~$x.docx`, `.~lock.x#`), editors' swap and backup
/// files, emn-pub's own temporary files, version control.
fn is_editor_noise(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name.is_empty()
        || name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".part")
        || name == "4913"
        || relative.split('/').any(|part| part == ".git")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_is_ignored() {
        for noise in [
            "contributions/~$CZ.docx",
            "contributions/.~lock.CZ.md#",
            "contributions/.CZ.md.swp",
            "CZ.md~",
            "4913",
            ".git/index",
        ] {
            assert!(is_editor_noise(noise), "{noise}");
        }
        assert!(!is_editor_noise("contributions/CZ.md"));
        assert!(!is_editor_noise("statistics/permits.csv"));
    }

    #[test]
    fn only_inputs_whose_bytes_changed_are_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("contributions")).unwrap();
        std::fs::write(root.join("emn.toml"), "same").unwrap();
        std::fs::write(root.join("contributions/CZ.md"), "new text").unwrap();
        std::fs::write(root.join("watch.log"), "a log").unwrap();
        std::fs::write(root.join("contributions/PL.md"), "a new country").unwrap();
        let mut events = Events::new(root).unwrap();
        events.inputs = ["emn.toml", "contributions/", "contributions/CZ.md", "summary-cs.md"].map(String::from).into();
        let digest = |text: &str| crate::load::sha256_hex(text.as_bytes());
        events.digests =
            [("emn.toml".to_string(), digest("same")), ("contributions/CZ.md".to_string(), digest("old text"))].into();
        assert!(!events.is_change("emn.toml"), "the same bytes (a touch, the load's own read)");
        assert!(events.is_change("contributions/CZ.md"), "new bytes");
        assert!(events.is_change("contributions/PL.md"), "a new file in a listed folder");
        assert!(!events.is_change("watch.log"), "not an input");
        assert!(!events.is_change("summary-cs.md"), "looked for, still absent");
        std::fs::write(root.join("summary-cs.md"), "now here").unwrap();
        assert!(events.is_change("summary-cs.md"), "looked for, now present");
        std::fs::remove_file(root.join("emn.toml")).unwrap();
        assert!(events.is_change("emn.toml"), "removed");
    }
}
