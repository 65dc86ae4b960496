//! A bundle carries its sources and rebuilds from itself: the same bytes
//! with the same SOURCE_DATE_EPOCH; a zip that is not a bundle, or one that
//! would write outside its folder, is refused with a clear error.

use crate::support::*;

fn build_with_epoch(input: &std::path::Path, out: &std::path::Path) -> assert_cmd::assert::Assert {
    emn_pub().env("SOURCE_DATE_EPOCH", "1764000000").arg("build-package").arg(input).arg("--out").arg(out).assert()
}

#[test]
fn a_bundle_carries_its_sources_and_rebuilds_from_its_own_zip_to_the_same_bytes() {
    let package = copy_package(&sample());
    let dir = package.path();
    let first = dir.join("first.zip");
    build_with_epoch(dir, &first).success();
    let entries = unzip(&first);
    // Every file of the package the build read, byte for byte, and listed.
    let manifest: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    let listed: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for source in manifest["sources"].as_array().unwrap() {
        let path = source["path"].as_str().unwrap();
        let carried = &entries[&format!("sources/{path}")];
        assert_eq!(carried, &std::fs::read(dir.join(path)).unwrap(), "{path}");
        assert!(listed.contains(&format!("sources/{path}").as_str()), "sources/{path} in manifest.json");
    }
    assert!(entries.contains_key("sources/emn.toml") && entries.contains_key("sources/contributions/CZ.md"));
    assert!(!entries.keys().any(|p| p.starts_with("sources/dist/")), "no earlier bundle inside");

    let again = dir.join("again.zip");
    build_with_epoch(&first, &again).success();
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&first).unwrap(), "rebuilt to the same bytes");
}

#[test]
fn a_zip_that_is_not_a_bundle_or_escapes_its_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("words.zip", b"not a zip at all".to_vec(), "is not an emn-pub bundle"),
        ("other.zip", zip_of(&[("readme.txt", b"hello")]), "has no manifest.json"),
        ("old.zip", zip_of(&[("manifest.json", b"{}"), ("flash.pdf", b"%PDF")]), "carries no sources/"),
        (
            "evil.zip",
            zip_of(&[("manifest.json", b"{}"), ("sources/../../outside.md", b"x"), ("sources/emn.toml", b"")]),
            "points outside the package",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = emn_pub().arg("build-package").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message) && stderr.contains(name), "{name}: {stderr}");
        assert!(!dir.path().join("outside.md").exists() && !dir.path().parent().unwrap().join("outside.md").exists());
    }
    assert_no_partial_bundle(dir.path());
}

#[test]
fn changes_since_an_earlier_bundle_show_the_old_and_new_words_added_answers_and_removed_countries() {
    let package = copy_package(&sample());
    let dir = package.path();
    // The earlier edition: Austria had not answered Q3.1 yet.
    let austria = std::fs::read_to_string(dir.join("contributions/AT.md")).unwrap();
    let at = austria.find("## Q3.1").unwrap();
    let heading_end = at + austria[at..].find('\n').unwrap() + 1;
    let next = heading_end + austria[heading_end..].find("\n## ").unwrap();
    write(dir, "contributions/AT.md", &format!("{}\n{}", &austria[..heading_end], &austria[next..]));
    let old = dir.join("old.zip");
    emn_pub().arg("build-package").arg(dir).args(["--allow-incomplete", "--out"]).arg(&old).assert().success();

    write(dir, "contributions/AT.md", &austria);
    replace(
        dir,
        "contributions/CZ.md",
        "Applications\nare lodged at embassies",
        "Applications\nare lodged online since 2024",
    );
    std::fs::remove_file(dir.join("contributions/SE.md")).unwrap();
    let new = dir.join("new.zip");
    emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--allow-incomplete", "--since"])
        .arg(&old)
        .arg("--out")
        .arg(&new)
        .assert()
        .success();
    let entries = unzip(&new);
    let text = normalise(&pdf_text(&entries["changes.pdf"]));
    assert!(text.contains("at embassies") && text.contains("online since 2024"), "the old and the new words: {text}");
    assert!(
        text.contains("[− at embassies −]") || text.contains("[− at embassies, −]") || text.contains("[− at"),
        "{text}"
    );
    assert!(
        text.contains("ADDED: Q3.1") && text.contains("Sweden's contribution is no longer in the package"),
        "{text}"
    );
    // The summary as its web page gives it (label, then countries).
    let page = String::from_utf8(entries["html/changes.html"].clone()).unwrap();
    let listed = |label: &str| changes_listed(&page, label);
    assert_eq!(listed("Unchanged"), "Belgium, Germany, Greece, Norway");
    assert_eq!(listed("Changed"), "Czechia, Austria");
    assert_eq!(listed("Removed"), "Sweden");
    assert!(!text.contains("Belgium CHANGED") && !text.contains("Norway ADDED"), "{text}");
    assert!(entries.contains_key("html/changes.html"), "and its web page");

    // Not a bundle: exit 2, saying so.
    let not_bundle = dir.join("notes.zip");
    std::fs::write(&not_bundle, zip_of(&[("notes.txt", b"x")])).unwrap();
    let output = emn_pub()
        .arg("build-package")
        .arg(dir)
        .arg("--since")
        .arg(&not_bundle)
        .arg("--allow-incomplete")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--since: "),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
