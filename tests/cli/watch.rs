//! `watch`: the unpacked bundle kept current while an editor saves.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

/// Waits until `done` holds, for at most a minute.
fn wait_for(what: &str, log: &Path, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        let printed = || std::fs::read_to_string(log).unwrap_or_default();
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "timed out waiting for {what}; watch printed:\n{}",
            printed()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn text_of(pdf: &Path) -> String {
    std::fs::read(pdf)
        .ok()
        .filter(|b| b.ends_with(b"%%EOF\n") || b.ends_with(b"%%EOF"))
        .map(|b| pdf_text(&b))
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn watch_rewrites_what_a_save_changes_and_keeps_good_files_on_errors() {
    let package = copy_package(&sample());
    let root = package.path();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("watch.log");
    let mut child = Watcher(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .arg("watch")
            .arg(root)
            .env("NO_COLOR", "1")
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let out = root.join("dist/2025-labour-shortages");
    let national = out.join("national/CZ.pdf");
    wait_for("the first build", &log, || out.join("manifest.json").exists() && text_of(&national).contains("Czechia"));
    for file in ["synthesis-report-draft.pdf", "flash.pdf", "statistical-annex.csv", "national/AT.pdf"] {
        assert!(out.join(file).exists(), "{file} in the unpacked bundle");
    }
    let at_before = std::fs::read(out.join("national/AT.pdf")).unwrap();

    // An edited paragraph reaches the country's PDF.
    let contribution = root.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, text.replacen("# Key findings\n\n", "# Key findings\n\nOKAPIWORD is new.\n\n", 1))
        .unwrap();
    wait_for("the edit in national/CZ.pdf", &log, || text_of(&national).contains("OKAPIWORD"));
    wait_for("the edit in the synthesis", &log, || {
        text_of(&out.join("synthesis-report-draft.pdf")).contains("OKAPIWORD")
    });
    assert_eq!(std::fs::read(out.join("national/AT.pdf")).unwrap(), at_before, "AT.pdf is not rewritten");
    // The edited country's PDF is written by the save's own round; the
    // synthesis only catches up after it, never ahead of it (its PDF is
    // written before the round's web pages and data files, then the line).
    wait_for("the catch-up's line", &log, || std::fs::read_to_string(&log).unwrap().contains("✓ caught up"));
    let printed = std::fs::read_to_string(&log).unwrap();
    // The save's own round: the first build rewrote CZ.pdf too, among all.
    let own = printed
        .match_indices("✓ rewrote ")
        .skip(1)
        .find(|(at, _)| printed[*at..].lines().next().is_some_and(|line| line.contains("national/CZ.pdf")))
        .map(|(at, _)| at)
        .unwrap_or_else(|| panic!("{printed}"));
    // Its web page in the same round, ahead of the PDF.
    assert!(printed[own..].lines().next().unwrap().contains("html/national/CZ.html"), "{printed}");
    let page = std::fs::read_to_string(out.join("html/national/CZ.html")).unwrap();
    assert!(page.contains("OKAPIWORD"), "the web page shows the edit");
    let caught_up = printed.find("✓ caught up: rewrote").unwrap_or_else(|| panic!("{printed}"));
    assert!(own < caught_up && printed[caught_up..].contains("synthesis-report-draft.pdf"), "{printed}");

    // A save with an error keeps the last good text and says so, on the
    // terminal and in a banner over the PDF and the page; the next good
    // save takes the banner away.
    let good = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, format!("{good}\n## Q9.9 Unknown\n\nBADSAVEWORD\n")).unwrap();
    wait_for("the error", &log, || std::fs::read_to_string(&log).unwrap().contains("kept the last good files"));
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(printed.contains("error[unknown-question]") && printed.contains("contributions/CZ.md:"), "{printed}");
    let banner = "This is the last version that validated.";
    wait_for("the banner", &log, || squeeze(&text_of(&national)).contains(&squeeze(banner)));
    let shown = text_of(&national);
    assert!(shown.contains("OKAPIWORD") && !shown.contains("BADSAVEWORD"), "the last good text");
    let page = std::fs::read_to_string(out.join("html/national/CZ.html")).unwrap();
    assert!(page.contains(banner) && !page.contains("BADSAVEWORD"), "the page says so too");
    std::fs::write(&contribution, &good).unwrap();
    wait_for("the banner gone", &log, || {
        let text = squeeze(&text_of(&national));
        text.contains("OKAPIWORD") && !text.contains(&squeeze(banner))
    });

    // Office lock files are not changes: no round follows them.
    let rounds = |printed: &str| printed.matches('✓').count() + printed.matches('✗').count();
    let before = rounds(&std::fs::read_to_string(&log).unwrap());
    std::fs::write(root.join("contributions/~$CZ.docx"), b"lock").unwrap();
    std::fs::write(root.join("contributions/.~lock.CZ.md#"), b"lock").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let printed = std::fs::read_to_string(&log).unwrap();
    assert_eq!(rounds(&printed), before, "a lock file started a round:\n{printed}");

    // Ctrl-C ends it cleanly, with no temporary file left.
    unsafe { libc::kill(child.0.id() as i32, libc::SIGINT) };
    let status = child.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let leftovers: Vec<_> = walk(&out).into_iter().filter(|p| p.to_string_lossy().ends_with(".part")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The watch process, killed if the test fails before it ends.
struct Watcher(std::process::Child);

/// `emn-pub watch ROOT ARGS` with `env`, its messages in `log`.
fn watching(root: &Path, args: &[&std::ffi::OsStr], env: &[(&str, &str)], log: &Path) -> Watcher {
    Watcher(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .arg("watch")
            .arg(root)
            .args(args)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap(),
    )
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

/// `emn-pub watch` with no folder (`.`, relative) in a bulletin package:
/// a save of `eu.md` reaches `bulletin.pdf`, and a new `glossary.csv` is
/// taken into the checks.
#[cfg(unix)]
#[test]
fn watch_in_the_package_folder_follows_a_bulletin() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bulletin");
    emn_pub().arg("init").arg(&root).args(["--kind", "bulletin"]).assert().success();
    std::fs::write(root.join("eu.md"), "- 1 July 2026: first EU item.\n").unwrap();
    let manifest = std::fs::read_to_string(root.join("emn.toml")).unwrap();
    let period = manifest.lines().find(|l| l.starts_with("reference-period")).unwrap().to_string();
    replace(&root, "emn.toml", &period, "reference-period = \"2026-Q3\"");
    let statistics = root.join("statistics/estat_migr_asyappctzm.csv");
    std::fs::write(statistics, crate::bulletin::monthly_applicants()).unwrap();
    let log = dir.path().join("watch.log");
    let mut child = Watcher(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .arg("watch")
            .current_dir(&root)
            .env("NO_COLOR", "1")
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let bulletin = root.join("dist/bulletin/bulletin.pdf");
    wait_for("the first build", &log, || text_of(&bulletin).contains("first EU item"));
    std::fs::write(root.join("eu.md"), "- 1 July 2026: first EU item.\n- 2 July 2026: OKAPI illegal immigrants.\n")
        .unwrap();
    wait_for("the edit in bulletin.pdf", &log, || text_of(&bulletin).contains("OKAPI"));
    wait_for("the Glossary warning", &log, || {
        std::fs::read_to_string(&log).unwrap().contains("warning[deprecated-term]")
    });
    unsafe { libc::kill(child.0.id() as i32, libc::SIGINT) };
    assert!(child.0.wait().unwrap().success());
}

/// A package folder removed and made again (a sync client, a checkout) is
/// waited for, then watched and built anew.
#[cfg(unix)]
#[test]
fn watch_waits_for_a_removed_package_folder_to_return() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("package");
    copy_tree(&sample(), &root);
    let out_dir = outer.path().join("out");
    let log = outer.path().join("watch.log");
    let _child = Watcher(
        std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .arg("watch")
            .arg(&root)
            .arg("--out-dir")
            .arg(&out_dir)
            .env("NO_COLOR", "1")
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let national = out_dir.join("national/CZ.pdf");
    wait_for("the first build", &log, || text_of(&national).contains("Czechia"));
    std::fs::remove_dir_all(&root).unwrap();
    wait_for("the folder missed", &log, || std::fs::read_to_string(&log).unwrap_or_default().contains("is gone"));
    copy_tree(&sample(), &root);
    let contribution = root.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, text.replacen("# Key findings\n\n", "# Key findings\n\nRETURNEDWORD is new.\n\n", 1))
        .unwrap();
    wait_for("the returned folder built", &log, || text_of(&national).contains("RETURNEDWORD"));
}

/// `watch --since OLD.zip` keeps changes.pdf current as the editor types.
#[cfg(unix)]
#[test]
fn watch_since_an_earlier_bundle_keeps_the_changes_current() {
    let package = copy_package(&sample());
    let root = package.path();
    let old = root.join("old.zip");
    emn_pub().arg("build-package").arg(root).arg("--out").arg(&old).assert().success();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("watch.log");
    let _child = watching(root, &[std::ffi::OsStr::new("--since"), old.as_os_str()], &[], &log);
    let changes = root.join("dist/2025-labour-shortages/changes.pdf");
    wait_for("changes.pdf", &log, || text_of(&changes).contains("Unchanged"));
    assert!(text_of(&changes).contains("Czechia"), "nothing changed yet: every country is unchanged");
    let contribution = root.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, text.replacen("are lodged at embassies", "are lodged at OKAPIMINISTRY", 1)).unwrap();
    wait_for("the change in changes.pdf", &log, || text_of(&changes).contains("OKAPIMINISTRY"));
}

/// After a save, the folder `watch` keeps holds what a fresh build of the
/// saved package zips, member by member, and nothing else.
#[cfg(unix)]
#[test]
fn after_a_save_the_watched_folder_holds_the_bytes_of_a_fresh_build() {
    const EPOCH: &str = "1733500000";
    let package = copy_package(&sample());
    let root = package.path();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("watch.log");
    let _child = watching(root, &[], &[("SOURCE_DATE_EPOCH", EPOCH)], &log);
    let out = root.join("dist/2025-labour-shortages");
    wait_for("the first build", &log, || std::fs::read_to_string(&log).unwrap_or_default().contains("✓ rewrote"));
    let contribution = root.join("contributions/CZ.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, text.replacen("# Key findings\n\n", "# Key findings\n\nOKAPIWORD is new.\n\n", 1))
        .unwrap();
    wait_for("the catch-up", &log, || std::fs::read_to_string(&log).unwrap().contains("✓ caught up"));

    let zip = log_dir.path().join("fresh.zip");
    emn_pub().env("SOURCE_DATE_EPOCH", EPOCH).arg("build-package").arg(root).arg("--out").arg(&zip).assert().success();
    let built = unzip(&zip);
    let watched: std::collections::BTreeMap<String, Vec<u8>> = walk(&out)
        .into_iter()
        .map(|path| (path.strip_prefix(&out).unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect();
    let names = |files: &std::collections::BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&watched), names(&built), "the same files");
    let differing: Vec<&String> =
        built.iter().filter(|(path, bytes)| watched[*path] != **bytes).map(|(p, _)| p).collect();
    assert!(differing.is_empty(), "differ from the fresh build: {differing:?}");
    assert!(text_of(&out.join("national/CZ.pdf")).contains("OKAPIWORD"), "the save is in");
}
