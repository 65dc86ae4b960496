//! Records which commit the binary was built from and when, for
//! `emn-pub --version`. The date is the commit's (or SOURCE_DATE_EPOCH's),
//! never the clock's, so two builds of one commit are the same binary.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// `YYYY-MM-DD` of a Unix time.
fn iso_date(seconds: i64) -> Option<String> {
    let date = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?.date();
    Some(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}

fn main() {
    // A commit moves HEAD or the branch it names; packed refs move on gc.
    // Only paths that exist: cargo re-runs a script whose watched path is
    // missing on every build (a fresh `git init` has no packed-refs), and
    // that recompiled the crate each time.
    let watch = |path: String| {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    };
    watch(".git/HEAD".into());
    watch(".git/packed-refs".into());
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(format!(".git/{branch}"));
    }
    // Nothing watched at all would make cargo re-run on any change.
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-env-changed=EMN_PUB_COMMIT");

    let commit = std::env::var("EMN_PUB_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| git(&["log", "-1", "--format=%ct"]).and_then(|s| s.parse().ok()))
        .and_then(iso_date)
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=EMN_PUB_COMMIT={commit}");
    println!("cargo:rustc-env=EMN_PUB_BUILD_DATE={date}");
}
