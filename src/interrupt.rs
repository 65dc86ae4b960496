//! Ctrl-C and SIGTERM: one handler for the process. A command that ends
//! on its own when asked (`watch`) says so with [`stop_when_asked`]; any
//! other command is ended at once, after the temporary folders it made
//! (a bundle's sources unpacked for a rebuild or `--since`) are removed.
//! Such folders are private (0700, files 0600) and named for their
//! process, so one left by a process that was killed outright (SIGKILL,
//! an abort) is removed by the next run.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Exit status after a signal (128 + SIGINT, as shells report it).
const INTERRUPTED: i32 = 130;

static ASKED_TO_STOP: AtomicBool = AtomicBool::new(false);
static STOPS_ITSELF: AtomicBool = AtomicBool::new(false);
static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

const FOLDER_PREFIX: &str = ".emn-pub-sources-";

/// Installs the handler; called once, first thing, by the binary.
pub fn install() {
    // Another handler installed first (a test harness) keeps its own.
    let _ = ctrlc::set_handler(|| {
        ASKED_TO_STOP.store(true, Ordering::SeqCst);
        remove_folders();
        if !STOPS_ITSELF.load(Ordering::SeqCst) {
            std::process::exit(INTERRUPTED);
        }
    });
}

/// The running command ends by itself once [`asked_to_stop`] is true,
/// instead of being ended by the handler.
pub fn stop_when_asked() {
    STOPS_ITSELF.store(true, Ordering::SeqCst);
}

/// Whether Ctrl-C or SIGTERM came.
pub fn asked_to_stop() -> bool {
    ASKED_TO_STOP.load(Ordering::SeqCst)
}

fn remove_folders() {
    let folders = match FOLDERS.lock() {
        Ok(mut folders) => std::mem::take(&mut *folders),
        Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
    };
    for folder in folders {
        // A write in flight when the signal came may land after the first
        // pass ([`TemporaryFolder::write`] refuses any later one).
        for _ in 0..20 {
            if std::fs::remove_dir_all(&folder).is_ok() || !folder.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// A private temporary folder, removed when dropped and on a signal.
pub struct TemporaryFolder {
    path: PathBuf,
}

impl TemporaryFolder {
    pub fn new() -> std::io::Result<Self> {
        let base = std::env::temp_dir();
        remove_abandoned(&base);
        let prefix = format!("{FOLDER_PREFIX}{}-", std::process::id());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        // Made and listed under the lock the handler takes: a signal between
        // the two would leave a folder nobody removes.
        let mut folders = FOLDERS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let path = builder.tempdir_in(&base)?.keep();
        folders.push(path.clone());
        Ok(Self { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` at `relative` inside the folder, readable by its owner only.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if asked_to_stop() {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
        }
        let target = self.path.join(relative);
        if let Some(parent) = target.parent() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(parent)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(target)?, bytes)
    }
}

impl Drop for TemporaryFolder {
    fn drop(&mut self) {
        // Removed, then unlisted: a signal between the two removes nothing
        // twice, and leaves nothing behind.
        let _ = std::fs::remove_dir_all(&self.path);
        if let Ok(mut folders) = FOLDERS.lock() {
            folders.retain(|folder| folder != &self.path);
        }
    }
}

/// Removes folders of this kind whose process no longer runs.
fn remove_abandoned(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(FOLDER_PREFIX)) else { continue };
        let Some(pid) = rest.split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok()) else { continue };
        let own = entry.metadata().is_ok_and(|m| owned_by_us(&m));
        if own && pid != std::process::id() && !crate::output::atomic::process_runs(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(unix)]
fn owned_by_us(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.is_dir() && metadata.uid() == unsafe { libc::geteuid() }
}

#[cfg(not(unix))]
fn owned_by_us(metadata: &std::fs::Metadata) -> bool {
    metadata.is_dir()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_temporary_folder_is_private_and_gone_when_dropped() {
        let folder = super::TemporaryFolder::new().unwrap();
        folder.write(std::path::Path::new("contributions/CZ.md"), b"x").unwrap();
        let path = folder.path().to_path_buf();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o700);
            assert_eq!(mode(&path.join("contributions")), 0o700);
            assert_eq!(mode(&path.join("contributions/CZ.md")), 0o600);
        }
        assert!(super::FOLDERS.lock().unwrap().contains(&path));
        drop(folder);
        assert!(!path.exists());
        assert!(!super::FOLDERS.lock().unwrap().contains(&path));
    }
}
