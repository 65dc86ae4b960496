//! Packages for the unit tests: the bundled sample with files written over it.

use crate::load::Package;

/// The sample package with `files` (path, text) written over it.
pub fn package(files: &[(&str, &str)]) -> Package {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages");
    copy(&sample, dir.path());
    for (path, text) in files {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    let loaded = crate::load::load(dir.path()).unwrap();
    // The loaded package keeps texts in memory; the folder may go.
    loaded.package.expect("the package loads")
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "dist" {
                std::fs::create_dir_all(&target).unwrap();
                copy(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A sample contribution's text with `from` replaced by `to`.
pub fn contribution(country: &str, from: &str, to: &str) -> (String, String) {
    let path = format!("contributions/{country}.md");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages").join(&path);
    let text = std::fs::read_to_string(sample).unwrap();
    assert!(text.contains(from), "{from} is in {path}");
    (path, text.replacen(from, to, 1))
}
