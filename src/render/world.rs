//! The typst `World`: the only way typst reaches files.
//!
//! It serves the generated main source from memory, the layouts compiled
//! into the binary under `/__emn__/`, embedded fonts (loaded once per
//! process), and, for images, files inside the package folder only:
//! symlinks are resolved and anything that leaves the folder is refused.
//! Typst packages (`@preview/...`) are never fetched.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// Folder of the virtual tree where emn-pub's own sources live.
const INTERNAL: &str = "__emn__";

/// The layout modules, compiled into the binary.
const LAYOUTS: &[(&str, &str)] = &[("layout.typ", include_str!("../../templates/layout.typ"))];

/// The layout modules as (virtual path, text), for `--keep-sources`.
pub fn layouts() -> impl Iterator<Item = (String, &'static str)> {
    LAYOUTS.iter().map(|(name, text)| (format!("{INTERNAL}/{name}"), *text))
}

/// Where a generated main source lives in the virtual tree.
pub fn main_path(name: &str) -> String {
    format!("{INTERNAL}/{name}.typ")
}

/// Largest file typst may read from the package (images), in bytes.
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// What every document shares: the standard library, fonts, layouts.
struct Shared {
    library: LazyHash<Library>,
    fonts: FontStore,
    layouts: Vec<Source>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::embedded());
        let layouts = LAYOUTS.iter().map(|(name, text)| Source::new(internal_id(name), text.to_string())).collect();
        Shared { library: LazyHash::new(Library::default()), fonts, layouts }
    })
}

/// Whether the text face can show a grapheme cluster. Only the text face
/// counts: typst's fallback to other embedded fonts proved unreliable for
/// rare symbols (property tests found `〓`, `⁁`), and PDF/A refuses a missing
/// glyph, so text is kept to what Libertinus Serif has (Latin, Greek,
/// Cyrillic and common symbols).
pub fn cluster_covered(cluster: &str) -> bool {
    static COVERAGE: OnceLock<Vec<typst::text::Coverage>> = OnceLock::new();
    let coverage = COVERAGE.get_or_init(|| {
        let book = shared().fonts.book();
        (0..)
            .map_while(|i| book.info(i))
            .filter(|info| info.family == "Libertinus Serif")
            .map(|info| info.coverage.clone())
            .collect()
    });
    coverage.iter().any(|font| cluster.chars().all(|c| font.contains(c as u32)))
}

fn internal_id(name: &str) -> FileId {
    let path = VirtualPath::new(format!("/{INTERNAL}/{name}")).expect("internal paths are valid");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// One document to compile: its main source and the package it may read.
pub struct DocumentWorld {
    main: Source,
    root: PathBuf,
    today: Datetime,
    /// Images read so far: typst asks for a file several times per compile.
    cache: Mutex<std::collections::HashMap<FileId, FileResult<Bytes>>>,
}

impl DocumentWorld {
    /// `name` must be unique per document (e.g. `national-CZ`), so typst's
    /// cache can reuse work between builds of the same document.
    pub fn new(name: &str, markup: String, root: &Path, today: (i32, u8, u8)) -> Self {
        let main = Source::new(internal_id(&format!("{name}.typ")), markup);
        let today = Datetime::from_ymd(today.0, today.1, today.2)
            .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("valid date"));
        Self { main, root: root.to_path_buf(), today, cache: Mutex::default() }
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }

    fn read_package_file(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::Package(PackageError::Other(Some("emn-pub does not use typst packages".into()))));
        }
        let vpath = rooted.vpath();
        if vpath.get_with_slash().trim_start_matches('/').starts_with(INTERNAL) {
            return Err(FileError::NotFound(PathBuf::from(vpath.get_with_slash())));
        }
        let path = vpath.realize(&self.root).map_err(|_| FileError::AccessDenied)?;
        let canonical = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        let root = self.root.canonicalize().map_err(|e| FileError::from_io(e, &self.root))?;
        if !canonical.starts_with(&root) {
            return Err(FileError::AccessDenied);
        }
        let metadata = std::fs::metadata(&canonical).map_err(|e| FileError::from_io(e, &path))?;
        if metadata.is_dir() {
            return Err(FileError::IsDirectory);
        }
        if metadata.len() > MAX_FILE_BYTES {
            return Err(FileError::Other(Some("file is too large".into())));
        }
        std::fs::read(&canonical).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        shared().fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        shared()
            .layouts
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Ok(source) = self.source(id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.entry(id).or_insert_with(|| self.read_package_file(id)).clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
