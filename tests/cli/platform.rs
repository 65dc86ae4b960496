//! One binary for every editor's machine: what it says of itself, shell
//! conveniences, Windows text files, and bytes that do not depend on the
//! system that wrote them.

use crate::support::*;

#[test]
fn version_names_the_commit_and_date() {
    let output = emn_pub().arg("--version").output().unwrap();
    let version = String::from_utf8(output.stdout).unwrap();
    assert!(version.starts_with(&format!("emn-pub {} (commit ", env!("CARGO_PKG_VERSION"))), "{version}");
    let built = version.split("committed ").nth(1).unwrap_or_default().trim_end_matches([')', '\n']);
    assert!(built == "unknown" || (built.len() == 10 && built.as_bytes()[4] == b'-'), "{version}");
}

#[test]
fn completions_and_a_man_page_come_from_the_same_definitions() {
    let bash = emn_pub().args(["completions", "bash"]).output().unwrap();
    let bash = String::from_utf8(bash.stdout).unwrap();
    assert!(bash.contains("complete -F") && bash.contains("build-package") && bash.contains("import-docx"), "{bash}");
    for shell in ["zsh", "fish", "powershell"] {
        let output = emn_pub().args(["completions", shell]).output().unwrap();
        assert!(output.status.success() && String::from_utf8_lossy(&output.stdout).contains("validate"), "{shell}");
    }
    let man = String::from_utf8(emn_pub().arg("man").output().unwrap().stdout).unwrap();
    assert!(man.contains(".TH emn-pub 1") && man.contains("build\\-package"), "{man}");
}

/// `text` as Windows' "Unicode text": UTF-16 little-endian with a byte-order mark, CRLF lines.
/// `emn-pub man | head -1` and `grep -q` close the pipe before the output is
/// written: that is the reader's choice, not a crash. The read end is closed
/// before the child writes, so the write fails every time.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    for args in [&["man"][..], &["completions", "powershell"], &["templates", "study-generic"], &["templates"]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {:?} {stderr}", output.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

#[test]
fn excel_unicode_text_is_read_as_statistics() {
    let package = copy_package(&sample());
    let dir = package.path();
    let csv = std::fs::read_to_string(dir.join("statistics/first-permits.csv")).unwrap();
    let before = {
        let out = dir.join("before.zip");
        build_only(dir, "statistical-annex", &out).success();
        unzip(&out)["statistical-annex.csv"].clone()
    };
    std::fs::remove_file(dir.join("statistics/first-permits.csv")).unwrap();
    // Excel saves "Unicode text" tab-separated, as .txt.
    std::fs::write(dir.join("statistics/first-permits.txt"), utf16(&csv.replace(',', "\t"))).unwrap();
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json}");
    let out = dir.join("after.zip");
    build_only(dir, "statistical-annex", &out).success();
    assert_eq!(unzip(&out)["statistical-annex.csv"], before, "the same annex as from the CSV");

    // A problem in it is quoted as text, not as mojibake.
    let broken = csv.replacen(",2019,", ",20x9,", 1).replace(',', "\t");
    std::fs::write(dir.join("statistics/first-permits.txt"), utf16(&broken)).unwrap();
    let output = emn_pub().arg("validate").arg(dir).output().unwrap();
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(report.contains("20x9"), "{report}");
}

/// The "version made by" of every entry in a zip's central directory.
fn made_by(zip: &[u8]) -> Vec<u16> {
    let mut systems = Vec::new();
    let mut at = 0;
    while let Some(found) = zip[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let start = at + found;
        systems.push(u16::from_le_bytes([zip[start + 4], zip[start + 5]]) >> 8);
        at = start + 4;
    }
    systems
}

#[test]
fn zips_record_the_same_system_everywhere() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let bundle = std::fs::read(&out).unwrap();
    let entries = unzip(&out);
    for (name, zip) in [
        ("the bundle", &bundle),
        ("the annex workbook", &entries["statistical-annex.xlsx"]),
        ("the Word draft", &entries["synthesis-report-draft.docx"]),
    ] {
        let systems = made_by(zip);
        assert!(
            !systems.is_empty() && systems.iter().all(|&s| s == 3),
            "{name}: made by {systems:?}, not Unix (3) alone"
        );
    }
}
