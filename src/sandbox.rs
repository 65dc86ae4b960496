//! The one way any stage opens a file of the package: a path relative to
//! the package folder, resolved inside it (no `..`, no absolute path, no
//! link leading out), a regular file only (a FIFO or device would block or
//! never end), at most so many bytes. `load`, typst's `World` and the Word
//! writer's picture fallback all read through here, never against the
//! process's working directory.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a package file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    /// `..`, an absolute path, or a link whose target lies outside the package.
    Outside,
    Directory,
    /// A FIFO, socket or device.
    NotRegular,
    TooLarge(u64),
    /// It exists but cannot be opened or read: why.
    Unreadable(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Missing => f.write_str("no such file"),
            Refusal::Outside => f.write_str("it points outside the package folder"),
            Refusal::Directory => f.write_str("it is a folder"),
            Refusal::NotRegular => f.write_str("it is not a regular file (a FIFO, socket or device)"),
            Refusal::TooLarge(limit) => write!(f, "it is larger than {limit} bytes (the limit)"),
            Refusal::Unreadable(why) => f.write_str(why),
        }
    }
}

/// The real path of `relative` inside `root`, if it stays inside.
pub fn resolve(root: &Path, relative: &str) -> Result<PathBuf, Refusal> {
    let lexical = Path::new(relative);
    let escapes = relative.is_empty()
        || lexical.is_absolute()
        || relative.starts_with(['/', '\\'])
        || lexical.components().any(|c| !matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir));
    if escapes {
        return Err(Refusal::Outside);
    }
    let canonical_root = root.canonicalize().map_err(|_| Refusal::Missing)?;
    let canonical = root.join(relative).canonicalize().map_err(|_| Refusal::Missing)?;
    if !canonical.starts_with(&canonical_root) {
        return Err(Refusal::Outside);
    }
    Ok(canonical)
}

/// Opens a regular file without blocking on a FIFO swapped in after the
/// path was resolved; what is opened is checked, not what the path was.
pub fn open(root: &Path, relative: &str) -> Result<(std::fs::File, u64), Refusal> {
    let path = resolve(root, relative)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(&path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ if path.is_dir() => Refusal::Directory,
        _ => Refusal::Unreadable(error.to_string()),
    })?;
    let metadata = file.metadata().map_err(|error| Refusal::Unreadable(error.to_string()))?;
    if metadata.is_dir() {
        return Err(Refusal::Directory);
    }
    if !metadata.is_file() {
        return Err(Refusal::NotRegular);
    }
    Ok((file, metadata.len()))
}

/// The bytes of a package file of at most `limit` bytes.
pub fn read(root: &Path, relative: &str, limit: u64) -> Result<Vec<u8>, Refusal> {
    let (file, length) = open(root, relative)?;
    if length > limit {
        return Err(Refusal::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(length as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|error| Refusal::Unreadable(error.to_string()))?;
    // The file may have grown since it was opened.
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(limit));
    }
    Ok(bytes)
}

/// At most the first `limit` bytes of a package file (a header to sniff).
pub fn read_head(root: &Path, relative: &str, limit: u64) -> Result<(Vec<u8>, u64), Refusal> {
    let (file, length) = open(root, relative)?;
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes).map_err(|error| Refusal::Unreadable(error.to_string()))?;
    Ok((bytes, length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_outside_the_package_is_read() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("package");
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::write(outer.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("assets/a.txt"), "inside").unwrap();
        assert_eq!(read(&root, "assets/a.txt", 100).unwrap(), b"inside");
        assert_eq!(read(&root, "../secret.txt", 100), Err(Refusal::Outside));
        assert_eq!(read(&root, "assets/../../secret.txt", 100), Err(Refusal::Outside));
        assert_eq!(read(&root, "/etc/passwd", 100_000), Err(Refusal::Outside));
        assert_eq!(read(&root, "assets/a.txt", 3), Err(Refusal::TooLarge(3)));
        assert_eq!(read(&root, "assets", 3), Err(Refusal::Directory));
        assert_eq!(read(&root, "assets/none.txt", 3), Err(Refusal::Missing));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.txt"), root.join("assets/link.txt")).unwrap();
            assert_eq!(read(&root, "assets/link.txt", 100), Err(Refusal::Outside));
            std::os::unix::fs::symlink("/dev/zero", root.join("assets/zero")).unwrap();
            assert_eq!(read(&root, "assets/zero", 100), Err(Refusal::Outside));
            let fifo = std::ffi::CString::new(root.join("assets/fifo").to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
            assert_eq!(read(&root, "assets/fifo", 100), Err(Refusal::NotRegular), "a FIFO does not block");
        }
    }
}
