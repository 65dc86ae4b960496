//! The benchmark: a generated 29-country package (about 8,000 words each),
//! timed per stage, with peak memory. Not a timed test: it reports figures.
//!
//! `cargo bench --bench build` (add `-- --words N --runs N` to vary).

#[path = "generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use emn_pub::build_package::{BuildOptions, build, build_date};
use emn_pub::publications::{self, PlanOptions};
use emn_pub::render::{self, RenderJob};
use emn_pub::{bundle, check, load};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Peak resident memory of this process (Linux), in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut words, mut runs) = (8000, 3);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--words" => words = args.next().and_then(|v| v.parse().ok()).unwrap_or(words),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            _ => {}
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    generate::generate(root, 2025, words).expect("package written");

    // validate = load + check, as `emn-pub validate` does.
    let validate = median(
        (0..runs.max(5))
            .map(|_| {
                let started = Instant::now();
                let loaded = load::load(root).expect("package loads");
                let diagnostics = check::check(loaded.package.as_ref().expect("package"));
                std::hint::black_box(diagnostics);
                started.elapsed()
            })
            .collect(),
    );

    // One build, stage by stage.
    let started = Instant::now();
    let package = load::load(root).expect("loads").package.expect("package");
    let load_time = started.elapsed();
    let started = Instant::now();
    let diagnostics = check::check(&package);
    let check_time = started.elapsed();
    assert!(diagnostics.iter().all(|d| !d.is_error()), "the generated package is valid");
    let date = build_date(&package, None);
    let started = Instant::now();
    let mut plans = publications::plan(&package, &PlanOptions { date, allow_incomplete: false });
    let convert_time = started.elapsed();
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
        })
        .expect("renders");
        (plan.path, plan.kind, plan.country, pdf)
    });
    let render_wall = started.elapsed();
    let typeset_cpu: Duration = pdfs.iter().map(|p| p.3.typeset_time).sum();
    let export_cpu: Duration = pdfs.iter().map(|p| p.3.export_time).sum();
    let pages: usize = pdfs.iter().map(|p| p.3.pages).sum();
    let started = Instant::now();
    let files: Vec<bundle::BundleFile> = pdfs
        .into_iter()
        .map(|(path, kind, country, pdf)| bundle::BundleFile {
            path,
            bytes: pdf.bytes,
            kind,
            country,
            pages: Some(pdf.pages),
        })
        .collect();
    let out = root.join("dist/stages.zip");
    bundle::write(&out, &bundle::manifest_json(&package, &files, date), &files, date).expect("bundle");
    let bundle_time = started.elapsed();

    // The whole command, as users run it (typst's caches warm after the first run).
    let builds: Vec<Duration> = (0..runs)
        .map(|i| {
            let options = BuildOptions { out: Some(root.join(format!("dist/run-{i}.zip"))), ..BuildOptions::default() };
            let started = Instant::now();
            build(root, &options).expect("builds");
            started.elapsed()
        })
        .collect();
    let first_build = builds[0];
    let build_median = median(builds);

    let words_total: usize = std::fs::read_dir(root.join("contributions"))
        .expect("contributions")
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|text| check::count_words(&text))
        .sum();
    println!("emn-pub benchmark: 29 countries, {words_total} words, {} documents, {pages} pages", files.len());
    println!("  validate (load + check)        {:>8.3} s (median of {})", validate.as_secs_f64(), runs.max(5));
    println!("  build-package, first run       {:>8.3} s", first_build.as_secs_f64());
    println!("  build-package, median of {runs}     {:>8.3} s", build_median.as_secs_f64());
    println!("  stages of one build:");
    println!("    load                         {:>8.3} s", load_time.as_secs_f64());
    println!("    check                        {:>8.3} s", check_time.as_secs_f64());
    println!("    convert (plan all markup)    {:>8.3} s", convert_time.as_secs_f64());
    println!("    typeset + export, wall       {:>8.3} s", render_wall.as_secs_f64());
    println!("      typeset, summed over docs  {:>8.3} s", typeset_cpu.as_secs_f64());
    println!("      PDF export, summed         {:>8.3} s", export_cpu.as_secs_f64());
    println!("    bundle (zip + manifest)      {:>8.3} s", bundle_time.as_secs_f64());
    if let Some(peak) = peak_memory_mib() {
        println!("  peak memory                    {peak:>8.0} MiB");
    }
}
