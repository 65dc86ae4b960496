//! The benchmark: a generated 29-country package (about 8,000 words each).
//! Times the binary as users run it (fresh processes, with peak memory),
//! then one build stage by stage in-process. Not a timed test: it reports
//! figures.
//!
//! `cargo bench --bench build` (add `-- --words N --runs N` to vary).

#[path = "generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use emn_pub::output::BundleFile;
use emn_pub::pipeline::build_date;
use emn_pub::publications::{self, PlanOptions};
use emn_pub::render::{self, RenderJob};
use emn_pub::{bundle, check, load, write};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Peak resident memory of a process (Linux `VmHWM`), in MiB.
fn peak_memory_mib(pid: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Runs the emn-pub binary as a user would (a fresh process, cold caches):
/// wall time and peak memory.
fn run_binary(args: &[&std::ffi::OsStr]) -> (Duration, Option<f64>) {
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_emn-pub"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("emn-pub runs");
    let pid = child.id().to_string();
    let mut peak = None;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success() || status.code() == Some(0), "emn-pub failed");
            break;
        }
        if let Some(now) = peak_memory_mib(&pid) {
            peak = Some(now);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (started.elapsed(), peak)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut words, mut runs, mut keep) = (8000, 3, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--words" => words = args.next().and_then(|v| v.parse().ok()).unwrap_or(words),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            // Generate the package into this folder and keep it (to time a build by hand).
            "--keep" => keep = args.next().map(std::path::PathBuf::from),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = keep.as_deref().unwrap_or(dir.path());
    generate::generate(root, 2025, words).expect("package written");

    // The commands as users run them.
    let quiet = std::ffi::OsStr::new("-q");
    let validate_runs: Vec<Duration> =
        (0..runs.max(5)).map(|_| run_binary(&[quiet, "validate".as_ref(), root.as_os_str()]).0).collect();
    let validate = median(validate_runs);
    let out = root.join("dist/cli.zip");
    let builds: Vec<(Duration, Option<f64>)> = (0..runs)
        .map(|_| run_binary(&[quiet, "build-package".as_ref(), root.as_os_str(), "--out".as_ref(), out.as_os_str()]))
        .collect();
    let build_median = median(builds.iter().map(|b| b.0).collect());
    let build_peak = builds.iter().filter_map(|b| b.1).fold(0.0, f64::max);

    // One build, stage by stage.
    let started = Instant::now();
    let package = load::load(root).expect("loads").package.expect("package");
    let load_time = started.elapsed();
    let started = Instant::now();
    let diagnostics = check::check(&package, emn_pub::dates::Date::of_this_run());
    let check_time = started.elapsed();
    assert!(diagnostics.iter().all(|d| !d.is_error()), "the generated package is valid");
    let date = build_date(&package, None);
    let started = Instant::now();
    let planned = publications::plan(&package, &PlanOptions::new(date, false));
    let plan_time = started.elapsed();
    let started = Instant::now();
    let mut plans: Vec<write::typst::Markup> = planned.iter().map(|p| write::typst::write(p, &package.fonts)).collect();
    let write_time = started.elapsed();
    plans.sort_by_key(|p| std::cmp::Reverse(p.markup.len()));
    let started = Instant::now();
    let package_id = package.manifest.id.get_ref().clone();
    let pdfs = render::parallel_map(plans, |plan| {
        let pdf = render::render(RenderJob {
            name: &plan.name,
            markup: plan.markup,
            root: &package.root,
            date: date.tuple(),
            package_id: &package_id,
            fonts: package.fonts.clone(),
        })
        .expect("renders");
        (plan.path, plan.kind, plan.country, pdf)
    });
    let render_wall = started.elapsed();
    let typeset_cpu: Duration = pdfs.iter().map(|p| p.3.typeset_time).sum();
    let export_cpu: Duration = pdfs.iter().map(|p| p.3.export_time).sum();
    let pages: usize = pdfs.iter().map(|p| p.3.pages).sum();
    let started = Instant::now();
    let files: Vec<BundleFile> = pdfs
        .into_iter()
        .map(|(path, kind, country, pdf)| BundleFile {
            path,
            bytes: pdf.bytes,
            kind,
            country,
            pages: Some(pdf.pages),
            warnings: pdf.warnings,
            fitted: pdf.fitted,
        })
        .collect();
    let out = root.join("dist/stages.zip");
    // Nothing was compressed ahead: the zip compresses every entry here.
    bundle::ZipSink::new(date).write(&out, &bundle::manifest_json(&package, &files, date), &files).expect("bundle");
    let bundle_time = started.elapsed();

    let words_total: usize = std::fs::read_dir(root.join("contributions"))
        .expect("contributions")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|text| emn_pub::load::answers::count_words(&text))
        .sum();
    println!("emn-pub benchmark: 29 countries, {words_total} words, {} documents, {pages} pages", files.len());
    println!("  emn-pub validate               {:>8.3} s (median of {})", validate.as_secs_f64(), runs.max(5));
    println!("  emn-pub build-package          {:>8.3} s (median of {runs})", build_median.as_secs_f64());
    println!("  build-package peak memory      {build_peak:>8.0} MiB");
    println!("  stages of one build:");
    println!("    load                         {:>8.3} s", load_time.as_secs_f64());
    println!("    check                        {:>8.3} s", check_time.as_secs_f64());
    println!("    plan (every document)        {:>8.3} s", plan_time.as_secs_f64());
    println!("    write (typst markup)         {:>8.3} s", write_time.as_secs_f64());
    println!("    typeset + export, wall       {:>8.3} s", render_wall.as_secs_f64());
    println!("      typeset, summed over docs  {:>8.3} s", typeset_cpu.as_secs_f64());
    println!("      PDF export, summed         {:>8.3} s", export_cpu.as_secs_f64());
    println!("    bundle (zip + manifest)      {:>8.3} s", bundle_time.as_secs_f64());
}
