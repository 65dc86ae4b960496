//! Files written atomically, and nowhere they should not be: a temporary
//! file beside the target, renamed into place when complete, so a reader
//! (a PDF viewer, a build beside this one) never sees half a file and a
//! failure never replaces a good one.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

const TEMPORARY_PREFIX: &str = ".emn-pub-";
const TEMPORARY_SUFFIX: &str = ".part";

/// A temporary file in `folder`, named so [`remove_leftovers`] recognises
/// it and knows which process writes it (`.emn-pub-<pid>-….part`), created
/// with mode 0666 so that the umask applies as to any file a program writes
/// (tempfile's default, 0600, would make the bundle private).
fn temporary_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = format!("{TEMPORARY_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// A temporary file in the folder of `path` (created if need be), to be
/// renamed onto `path` when complete; `clean` first removes what killed
/// builds left there.
pub fn temporary_beside(path: &Path, clean: bool) -> Result<tempfile::NamedTempFile> {
    replaceable(path)?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create the folder {}", folder.display()))?;
    if clean {
        remove_leftovers(&folder);
    }
    temporary_in(&folder).with_context(|| format!("cannot write in {}", folder.display()))
}

/// Removes what builds killed while writing left behind in `folder`: only
/// files of processes that no longer run (a build running beside this one
/// keeps its own), and files of unknown origin older than an hour.
pub fn remove_leftovers(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(TEMPORARY_PREFIX).filter(|_| name.ends_with(TEMPORARY_SUFFIX)) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let writer = rest.split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok());
        let abandoned = match writer {
            Some(pid) if cfg!(unix) => pid != std::process::id() && !process_runs(pid),
            _ => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age.as_secs() > 3600)),
        };
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs. (On Windows, where that cannot be
/// asked as cheaply, a file is taken as another build's until it is an
/// hour old.)
pub fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // Signal 0 asks whether the process exists; EPERM means it does.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Refuses to write `target` when a folder between `root` (a package
/// folder) and it, or the file itself, is a symbolic link: a `dist/` or
/// `contributions/` linked elsewhere would have emn-pub write outside the
/// package.
pub fn no_link_below(root: &Path, target: &Path) -> Result<()> {
    let Ok(relative) = target.strip_prefix(root) else { return Ok(()) };
    let mut path = root.to_path_buf();
    for component in relative.components() {
        path.push(component);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!(
                "{} is a link to another place, and emn-pub writes only inside the package (hint: remove the link{})",
                path.display(),
                if component.as_os_str() == "dist" { ", or give --out FILE" } else { "" }
            );
        }
    }
    Ok(())
}

/// Refuses an output path that is there and is not a regular file: a
/// device (`--out /dev/null`), FIFO, socket, folder or link would be
/// replaced by the rename (or, through a link, written elsewhere).
pub fn replaceable(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if !metadata.file_type().is_file() => {
            let what = if metadata.file_type().is_symlink() {
                "a link"
            } else if metadata.is_dir() {
                "a folder"
            } else {
                "not a regular file (a device, FIFO or socket)"
            };
            anyhow::bail!(
                "{} is {what}, and emn-pub replaces only regular files (hint: name a new file or an earlier bundle)",
                path.display()
            )
        }
        _ => Ok(()),
    }
}

/// Writes one file atomically: a temporary file beside it, renamed into
/// place when complete, so a reader (a PDF viewer) never sees half a file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, bytes, true)
}

/// [`write_file_atomically`] without waiting for the disk (`fsync`, 5-7 ms
/// a file here): for `watch`'s folder, which a new watch writes anew
/// anyway, where a reader needs only the atomic rename.
pub fn write_file_atomically_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, bytes, false)
}

fn write_atomically(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let mut temporary = temporary_beside(path, false)?;
    temporary.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    if sync {
        temporary.as_file().sync_all().ok();
    }
    persist(temporary, path)
}

/// Renames a complete temporary file onto `path`. On Windows a PDF viewer
/// (Acrobat Reader) that holds the old file open makes the rename fail for
/// as long as it is open: retry for a few seconds, then say what to close.
/// The temporary file is removed on failure, so nothing half-written stays.
pub fn persist(temporary: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    const ATTEMPTS: u32 = 20;
    let mut temporary = temporary;
    for attempt in 1..=ATTEMPTS {
        // Checked again at the rename: the path may have changed meanwhile.
        replaceable(path)?;
        match temporary.persist(path) {
            Ok(_) => return Ok(()),
            Err(error) if is_locked(&error.error) && attempt < ATTEMPTS => {
                temporary = error.file;
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            Err(error) if is_locked(&error.error) => {
                anyhow::bail!(
                    "cannot replace {}: another program has it open (close it in your PDF viewer, e.g. Adobe Acrobat Reader, and build again)",
                    path.display()
                )
            }
            Err(error) => {
                return Err(error.error).with_context(|| format!("cannot move {} into place", path.display()));
            }
        }
    }
    unreachable!("the last attempt returns")
}

/// Whether a failed rename means another program holds the target open
/// (Windows: access denied or a sharing violation).
fn is_locked(error: &std::io::Error) -> bool {
    cfg!(windows)
        && (error.kind() == std::io::ErrorKind::PermissionDenied
            || error.raw_os_error() == Some(32) // ERROR_SHARING_VIOLATION
            || error.raw_os_error() == Some(33)) // ERROR_LOCK_VIOLATION
}
