//! Shared helpers: run the binary, copy fixture packages, read PDFs back.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample() -> PathBuf {
    repo().join("samples/labour-shortages")
}

/// The binary, with a fixed date so builds are reproducible in tests.
pub fn emn_pub() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("emn-pub").expect("binary is built");
    command.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    command
}

/// Copies a folder tree into a fresh temporary folder.
pub fn copy_package(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(from, dir.path());
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "dist" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Entries of a zip, by name.
pub fn unzip(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    unzip_bytes(&std::fs::read(path).expect("zip exists"))
}

/// Entries of a zip held in memory, by name.
pub fn unzip_bytes(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("valid zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.insert(entry.name().expect("utf-8 entry name").to_string(), bytes);
    }
    out
}

/// The text a reader sees in a PDF, normalised: no soft hyphens, word
/// joiners or direction marks, hyphenated line ends joined, whitespace
/// collapsed. Read with poppler's `pdftotext` when it is installed (`.ci/run`
/// installs it; it gives right-to-left text in logical order, as a reader
/// copies it), else with lopdf.
pub fn pdf_text(bytes: &[u8]) -> String {
    if let Some(text) = pdftotext(bytes) {
        return normalise(&text);
    }
    join_hyphenated(&normalise(&lopdf_text(bytes)))
}

/// Every page's text as lopdf reads it, nothing normalised.
fn lopdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("valid PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).expect("text extracts")
}

/// lopdf shows a word hyphenated at a line end as `coun - tries`: joined
/// again between two lower-case letters, as pdftotext joins it.
fn join_hyphenated(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let hyphen = chars[i..].starts_with(&[' ', '-', ' '])
            && i > 0
            && chars[i - 1].is_lowercase()
            && chars.get(i + 3).is_some_and(|c| c.is_lowercase());
        if hyphen {
            i += 3;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn pdftotext(bytes: &[u8]) -> Option<String> {
    pdftotext_with(bytes, &[])
}

fn pdftotext_with(bytes: &[u8], options: &[&str]) -> Option<String> {
    let mut file = tempfile::NamedTempFile::new().ok()?;
    std::io::Write::write_all(&mut file, bytes).ok()?;
    let output = std::process::Command::new("pdftotext").args(options).arg(file.path()).arg("-").output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The lines of a PDF's text as drawn, nothing joined or removed, read
/// with `pdftotext -raw` when installed, else with lopdf.
pub fn pdf_raw_lines(bytes: &[u8]) -> Vec<String> {
    let raw = pdftotext_with(bytes, &["-raw"]).unwrap_or_else(|| lopdf_text(bytes));
    raw.lines().map(str::to_string).collect()
}

/// How many lines of a PDF end in a word typst hyphenated there: typst
/// writes that hyphen as a soft hyphen (U+00AD), a hyphen the text has as
/// "-". pdftotext gives it at the end of the line ("avail\u{ad}"); lopdf
/// on a line of its own.
pub fn hyphenated_line_ends(bytes: &[u8]) -> usize {
    let hyphenated = |line: &str| {
        let mut end = line.trim_end().chars().rev();
        match (end.next(), end.next()) {
            (Some('\u{ad}'), Some(letter)) => letter.is_alphabetic(),
            (Some('\u{ad}'), None) => true,
            _ => false,
        }
    };
    pdf_raw_lines(bytes).iter().filter(|line| hyphenated(line)).count()
}

/// Whether `pdftotext` reads the PDFs.
pub fn has_pdftotext() -> bool {
    std::process::Command::new("pdftotext").arg("-v").output().is_ok()
}

/// Whether squeezed PDF text holds `part`. pdftotext gives text in logical
/// order; lopdf (used without it) in the order it is drawn, right-to-left
/// runs reversed: without pdftotext a run of the same characters in another
/// order counts, so the check is made either way, never skipped. lopdf
/// cannot read Devanagari clusters back at all: that needs pdftotext, and
/// the test says so rather than passing.
pub fn holds_text(squeezed: &str, part: &str) -> bool {
    let part = squeeze(part);
    if squeezed.contains(&part) || has_pdftotext() {
        return squeezed.contains(&part);
    }
    let indic = part.chars().any(|c| matches!(c, '\u{0900}'..='\u{0dff}'));
    assert!(!indic, "reading `{part}` back from a PDF needs pdftotext (poppler-utils; .ci/run installs it)");
    let right_to_left = part.chars().any(|c| matches!(c, '\u{0590}'..='\u{08ff}'));
    right_to_left && holds_reordered(squeezed, &part)
}

/// Whether some run of `text` has exactly the characters of `part`.
fn holds_reordered(text: &str, part: &str) -> bool {
    let mut wanted: Vec<char> = part.chars().collect();
    wanted.sort_unstable();
    let text: Vec<char> = text.chars().collect();
    text.windows(wanted.len()).any(|window| {
        let mut window = window.to_vec();
        window.sort_unstable();
        window == wanted
    })
}

pub fn normalise(raw: &str) -> String {
    let raw = raw
        .replace(
            [
                '\u{2060}', '\u{200b}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{200e}', '\u{200f}', '\u{200c}',
                '\u{200d}',
            ],
            "",
        )
        .replace("\u{ad}\n", "")
        .replace('\u{ad}', "");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with whitespace and hyphens removed, for matching across line
/// breaks and hyphenation (lopdf shows a hyphenation point as `-`).
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}')).collect()
}

/// `text` with the English typographic quotes a publication prints for the
/// straight ones typed (“…”, ‘…’, and ’ for an apostrophe) put back.
pub fn straight_quotes(text: &str) -> String {
    text.replace(['“', '”'], "\"").replace(['‘', '’'], "'")
}

/// The text of one page (1-based), normalised, read with lopdf.
pub fn pdf_page_text(bytes: &[u8], page: u32) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("valid PDF");
    normalise(&document.extract_text(&[page]).unwrap_or_default())
}

pub fn pdf_pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes).expect("valid PDF").get_pages().len()
}

/// Writes `text` to `dir/relative`, creating folders.
pub fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// No temporary `.part` file of an interrupted bundle is left in `dir`.
/// Replaces the first `from` in a package file, which must hold it.
pub fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

pub fn assert_no_partial_bundle(dir: &Path) {
    let stray: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(stray.is_empty(), "partial bundle left behind: {stray:?}");
}

/// Builds only `only` (e.g. `flash`) of the package into `out`.
pub fn build_only(package: &Path, only: &str, out: &Path) -> assert_cmd::assert::Assert {
    emn_pub().arg("build-package").arg(package).args(["--only", only]).arg("--out").arg(out).assert()
}

/// `build-package --allow-incomplete` of a package into the zip `out`: its
/// members.
pub fn build_incomplete(package: &Path, out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    emn_pub().arg("build-package").arg(package).arg("--allow-incomplete").arg("--out").arg(out).assert().success();
    unzip(out)
}

/// `validate --format json` on a package: exit code and the JSON report.
pub fn validate_json(package: &Path) -> (Option<i32>, serde_json::Value) {
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package).output().unwrap();
    (output.status.code(), serde_json::from_slice(&output.stdout).expect("JSON report"))
}

/// The first diagnostic of a JSON report that `matches`.
pub fn find_diagnostic(
    json: &serde_json::Value,
    matches: impl Fn(&serde_json::Value) -> bool,
) -> Option<&serde_json::Value> {
    json["diagnostics"].as_array()?.iter().find(|d| matches(d))
}

/// The alternative texts of a tagged PDF's figures (`/Alt` in the
/// structure tree), as a screen reader announces them.
pub fn pdf_alt_texts(bytes: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(bytes).expect("valid PDF");
    let mut out = Vec::new();
    for object in document.objects.values() {
        let dictionary = match object {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => continue,
        };
        if let Ok(lopdf::Object::String(bytes, _)) = dictionary.get(b"Alt") {
            out.push(pdf_text_string(bytes));
        }
    }
    out.sort();
    out
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding
/// (Latin-1 for the characters used here).
fn pdf_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// What a run of the binary cost: how it ended (`None` when it was killed
/// at the time limit), its peak resident memory and its stderr.
pub struct Measured {
    pub code: Option<i32>,
    pub peak_kib: u64,
    pub seconds: f64,
    pub stderr: String,
}

/// Runs the binary with `args` as a user would, reading its peak memory
/// from /proc while it runs, and kills it after `limit_seconds`.
pub fn run_measured(args: &[&std::ffi::OsStr], limit_seconds: u64) -> Measured {
    let stderr = tempfile::NamedTempFile::new().unwrap();
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(stderr.reopen().unwrap())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed().as_secs() >= limit_seconds {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        let high_water = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse::<u64>().ok());
        peak_kib = peak_kib.max(high_water.unwrap_or(0));
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Measured {
        code,
        peak_kib,
        seconds: started.elapsed().as_secs_f64(),
        stderr: std::fs::read_to_string(stderr.path()).unwrap_or_default(),
    }
}

/// A run ended by itself within its limits: no kill, no panic, no abort,
/// under 1.5 GiB.
pub fn assert_bounded(what: &str, run: &Measured) {
    assert!(run.code.is_some(), "{what}: killed after {:.0} s", run.seconds);
    assert!(matches!(run.code, Some(0..=2)), "{what}: exit {:?}\n{}", run.code, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    assert!(run.peak_kib < 1536 * 1024, "{what}: {} KiB", run.peak_kib);
}

/// A zip of `parts` (name, bytes), as an OOXML writer stores them.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Writes `text` as the first paragraph below the heading that starts with
/// `heading` in the package file `file` (an answer's opening).
pub fn open_answer_with(dir: &Path, file: &str, heading: &str, text: &str) {
    let path = dir.join(file);
    let contribution = std::fs::read_to_string(&path).unwrap();
    let at = contribution.find(heading).unwrap_or_else(|| panic!("{heading} in {file}"));
    let body = at + contribution[at..].find("\n\n").unwrap() + 2;
    std::fs::write(path, format!("{}{text}\n\n{}", &contribution[..body], &contribution[body..])).unwrap();
}

/// What a changes report's web page lists under `label` in its summary
/// ("Changed", "Unchanged" …).
pub fn changes_listed(page: &str, label: &str) -> String {
    let at = page.find(&format!("<dt>{label}</dt><dd>")).unwrap_or_else(|| panic!("{label}: {page}"));
    page[at..].split("<dd>").nth(1).unwrap().split("</dd>").next().unwrap().to_string()
}
