//! The editors' loop, measured: `emn-pub watch` on the generated
//! 29-country package (about 8,000 words each). An edited paragraph of one
//! contribution must reach that country's PDF on disk quickly; the
//! synthesis follows; memory stays bounded over many edits; a save that
//! breaks the package keeps the last good PDF. Not a timed test: it reports
//! figures.
//!
//! `cargo bench --bench watch` (add `-- --edits N --gap SECONDS` to vary:
//! 20 saves, each 1 s after the previous one reached the PDF).

#[path = "generate.rs"]
mod generate;

use std::path::Path;
use std::time::{Duration, Instant};

fn peak_memory_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Whether the first pages of the PDF at `path` hold `word` (read with
/// lopdf, as tests do). The edit is in CZ's key findings, within the first
/// 60 pages of the synthesis too; extracting all 500 pages would take
/// seconds and measure lopdf, not the watch.
fn holds(path: &Path, word: &str) -> bool {
    let Ok(bytes) = std::fs::read(path) else { return false };
    let Ok(document) = lopdf::Document::load_mem(&bytes) else { return false };
    let pages: Vec<u32> = document.get_pages().keys().copied().take(60).collect();
    pages.iter().any(|page| document.extract_text(&[*page]).is_ok_and(|text| text.contains(word)))
}

/// Waits until the file changes from `before` and then holds `word`.
fn wait_for_word(path: &Path, word: &str, started: Instant, limit: Duration) -> Option<Duration> {
    let mut last_size = None;
    while started.elapsed() < limit {
        let size = std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()));
        if size != last_size {
            last_size = size;
            if holds(path, word) {
                return Some(started.elapsed());
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Temporary files left in the folder tree (`.emn-pub-*.part`).
fn leftovers(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(leftovers(&path));
        } else if path.to_string_lossy().ends_with(".part") {
            found.push(path);
        }
    }
    found
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut edits, mut gap) = (20usize, 1.0f64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--edits" => edits = args.next().and_then(|v| v.parse().ok()).unwrap_or(edits),
            "--gap" => gap = args.next().and_then(|v| v.parse().ok()).unwrap_or(gap),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    generate::generate(root, 2025, 8000).expect("package written");
    let out = root.join("dist/watched");
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_emn-pub"))
        .args(["-q", "watch"])
        .arg(root)
        .arg("--out-dir")
        .arg(&out)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("emn-pub watch runs");
    let national = out.join("national/CZ.pdf");
    let synthesis = out.join("synthesis-report-draft.pdf");
    while !out.join("manifest.json").exists() {
        assert!(started.elapsed() < Duration::from_secs(300), "no first build");
        std::thread::sleep(Duration::from_millis(50));
    }
    let first_build = started.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let first_peak = peak_memory_mib(child.id());
    let contribution = root.join("contributions/CZ.md");
    let original = std::fs::read_to_string(&contribution).expect("CZ.md");
    // The editor saves again about a second after the last save reached
    // the PDF, without waiting for anything else.
    let mut national_times = Vec::new();
    let mut last_word = String::new();
    let mut last_saved = Instant::now();
    for edit in 0..edits {
        let word = format!("Editword{edit}x");
        let text = original.replacen("# Key findings\n\n", &format!("# Key findings\n\n{word} was added.\n\n"), 1);
        last_saved = Instant::now();
        std::fs::write(&contribution, text).expect("save");
        let time =
            wait_for_word(&national, &word, last_saved, Duration::from_secs(60)).expect("the edit reached CZ.pdf");
        national_times.push(time);
        last_word = word;
        std::thread::sleep(Duration::from_secs_f64(gap));
    }
    let synthesis_time = wait_for_word(&synthesis, &last_word, last_saved, Duration::from_secs(120));
    let peak = peak_memory_mib(child.id());
    // A save that breaks the package keeps the last good text, under a
    // banner saying the save has errors.
    std::fs::write(&contribution, format!("{original}\n## Q9.9 Unknown question\n\nBREAKINGWORD\n")).expect("save");
    let banner = wait_for_word(&national, "last version that validated", Instant::now(), Duration::from_secs(10));
    let kept = banner.is_some()
        && holds(&national, &last_word)
        && !holds(&national, "BREAKINGWORD")
        && std::fs::read(&synthesis).is_ok();
    // Ctrl-C in the middle of typesetting leaves nothing behind.
    std::fs::write(&contribution, &original).expect("save");
    std::thread::sleep(Duration::from_secs(2));
    // SAFETY: sends SIGINT to the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let ended = child.wait().expect("watch ends");
    let left = leftovers(&out);

    national_times.sort();
    let secs = |d: Duration| d.as_secs_f64();
    println!("emn-pub watch benchmark: 29 countries, ~8,000 words each, {edits} saves of contributions/CZ.md,");
    println!("each {gap} s after the previous one reached national/CZ.pdf");
    println!("  first build (unpacked)                 {:>7.2} s", secs(first_build));
    println!("  save -> national/CZ.pdf, median         {:>7.3} s", secs(national_times[national_times.len() / 2]));
    println!("  save -> national/CZ.pdf, worst          {:>7.3} s", secs(*national_times.last().expect("edits")));
    println!("  last save -> synthesis draft            {:>7.2} s", synthesis_time.map(secs).unwrap_or(f64::NAN));
    println!("  peak memory after the first build       {:>7.0} MiB", first_peak.unwrap_or(f64::NAN));
    println!("  peak memory after {edits} saves            {:>7.0} MiB", peak.unwrap_or(f64::NAN));
    println!("  a breaking save kept the last good text, under a banner: {kept}");
    println!("  Ctrl-C while typesetting: exit {:?}, {} temporary files left", ended.code(), left.len());
}
