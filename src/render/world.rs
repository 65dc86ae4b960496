//! The typst `World`: the only way typst reaches files.
//!
//! It serves the generated main source from memory, the layouts compiled
//! into the binary under `/__emn__/` (with `fonts.typ`, the package's font
//! fallback list), the package's [`FontSet`], and, for images, files inside
//! the package folder only, under `/package/`: symlinks are resolved and
//! anything that leaves the folder is refused. Typst packages
//! (`@preview/...`) are never fetched.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::FontSet;
use crate::limits::MAX_TYPST_FILE_BYTES;

/// Folder of the virtual tree where emn-pub's own sources live.
const INTERNAL: &str = "__emn__";

/// The layout modules, compiled into the binary.
const LAYOUTS: &[(&str, &str)] = &[("layout.typ", include_str!("../../templates/layout.typ"))];

/// The layout modules as (virtual path, text), for `--keep-sources`.
pub fn layouts() -> impl Iterator<Item = (String, &'static str)> {
    LAYOUTS.iter().map(|(name, text)| (format!("{INTERNAL}/{name}"), *text))
}

/// Folder of the virtual tree where the package's files (images) live, so
/// that no package path can name one of emn-pub's own sources.
pub use crate::write::typst::{PACKAGE, package_path};

/// The generated module holding the font fallback lists.
const FONTS_MODULE: &str = "fonts.typ";

/// The generated font module as (virtual path, text), for `--keep-sources`.
pub fn fonts_module(fonts: &FontSet) -> (String, String) {
    (format!("{INTERNAL}/{FONTS_MODULE}"), fonts.typst_module())
}

/// Where a generated main source lives in the virtual tree.
pub fn main_path(name: &str) -> String {
    format!("{INTERNAL}/{name}.typ")
}

/// What every document shares: the standard library and the layouts.
struct Shared {
    library: LazyHash<Library>,
    layouts: Vec<Source>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let layouts = LAYOUTS.iter().map(|(name, text)| Source::new(internal_id(name), text.to_string())).collect();
        // typst's `pdf.header-cell` (a statistics table's country column as
        // row headers, as the web page's `th scope="row"`) is behind this flag.
        let features = [typst::Feature::A11yExtras].into_iter().collect();
        let library = Library::builder().with_features(features).build();
        Shared { library: LazyHash::new(library), layouts }
    })
}

/// The file id of one of emn-pub's own sources. Names come from this crate
/// (`national-CZ`, checked codes only), so the path is always valid; a
/// name that is not falls back to a fixed one rather than panicking.
fn internal_id(name: &str) -> FileId {
    let path = VirtualPath::new(format!("/{INTERNAL}/{name}"))
        .or_else(|_| VirtualPath::new(format!("/{INTERNAL}/document.typ")))
        .expect("a fixed internal path is valid");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// The main source of a document: the same file id for the same name,
/// so typst's cache recognises it between builds.
pub fn main_source(name: &str, markup: String) -> Source {
    Source::new(internal_id(&format!("{name}.typ")), markup)
}

/// One document to compile: its main source and the package it may read.
pub struct DocumentWorld {
    main: Source,
    fonts: Arc<FontSet>,
    fonts_module: Source,
    root: PathBuf,
    today: Datetime,
    /// Images read so far: typst asks for a file several times per compile.
    cache: Mutex<std::collections::HashMap<FileId, FileResult<Bytes>>>,
}

impl DocumentWorld {
    /// `name` must be unique per document (e.g. `national-CZ`), so typst's
    /// cache can reuse work between builds of the same document.
    pub fn new(name: &str, markup: String, root: &Path, fonts: Arc<FontSet>, today: (i32, u8, u8)) -> Self {
        Self::with_source(main_source(name, markup), root, fonts, today)
    }

    /// A world around a main source kept from an earlier build (`watch`):
    /// typst then reparses only what changed.
    pub fn with_source(main: Source, root: &Path, fonts: Arc<FontSet>, today: (i32, u8, u8)) -> Self {
        let fonts_module = Source::new(internal_id(FONTS_MODULE), fonts.typst_module());
        let today = Datetime::from_ymd(today.0, today.1, today.2)
            .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("valid date"));
        Self { main, fonts, fonts_module, root: root.to_path_buf(), today, cache: Mutex::default() }
    }

    pub fn main_source(&self) -> &Source {
        &self.main
    }

    fn read_package_file(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::Package(PackageError::Other(Some("emn-pub does not use typst packages".into()))));
        }
        let vpath = rooted.vpath().get_with_slash();
        let Some(relative) = vpath.strip_prefix(&format!("/{PACKAGE}/")) else {
            return Err(FileError::NotFound(PathBuf::from(vpath)));
        };
        use crate::sandbox::Refusal;
        // Only regular files inside the package: a FIFO or device would
        // block or never end, a link could lead anywhere.
        crate::sandbox::read(&self.root, relative, MAX_TYPST_FILE_BYTES).map(Bytes::new).map_err(
            |refusal| match refusal {
                Refusal::Missing => FileError::NotFound(self.root.join(relative)),
                Refusal::Directory => FileError::IsDirectory,
                Refusal::Outside | Refusal::NotRegular => FileError::AccessDenied,
                Refusal::TooLarge(_) => FileError::Other(Some("file is too large".into())),
                Refusal::Unreadable(why) => FileError::Other(Some(why.into())),
            },
        )
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        if id == self.fonts_module.id() {
            return Ok(self.fonts_module.clone());
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
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles `markup` against `root` and returns typst's error messages.
    fn errors(markup: &str, root: &Path) -> Vec<String> {
        let world = DocumentWorld::new("sandbox-test", markup.to_string(), root, FontSet::builtin(), (2025, 1, 1));
        match typst::compile::<typst_layout::PagedDocument>(&world).output {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.iter().map(|d| d.message.to_string()).collect(),
        }
    }

    #[test]
    fn typst_reaches_only_package_files_through_the_world() {
        let package = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(package.path().join("inside.txt"), "inside").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        assert!(errors("#read(\"/package/inside.txt\")", package.path()).is_empty(), "a package file is served");
        // Asked by typst itself, not by emn-pub's checks: every way out is closed.
        for path in ["/etc/passwd", "/package/../../etc/passwd", "/__emn__/../etc/passwd", "/package/missing.txt"] {
            let markup = format!("#read(\"{path}\")");
            assert!(!errors(&markup, package.path()).is_empty(), "{path} was read");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("secret.txt"), package.path().join("link.txt")).unwrap();
            let refused = errors("#read(\"/package/link.txt\")", package.path());
            assert!(!refused.is_empty(), "a symlink out of the package was followed");
            let fifo = package.path().join("fifo.txt");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            assert!(!errors("#read(\"/package/fifo.txt\")", package.path()).is_empty(), "a FIFO was opened");
        }
        assert!(!errors("#import \"@preview/cetz:0.3.0\"", package.path()).is_empty(), "a typst package was fetched");
    }
}
