//! Trust: a truthful manifest, atomic output, the package folder as a
//! sandbox, and robustness against arbitrary input (proptest stands in for a
//! fuzzer: cargo-fuzz needs a nightly toolchain this project cannot assume).

use sha2::{Digest, Sha256};

use crate::support::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_manifest_lists_exactly_the_bundle_with_true_checksums() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().success();
    let mut entries = unzip(&out);
    let manifest: serde_json::Value = serde_json::from_slice(&entries.remove("manifest.json").unwrap()).unwrap();
    assert_eq!(manifest["package"], "2025-labour-shortages");
    assert_eq!(manifest["kind"], "study");
    assert_eq!(manifest["template"], "built-in:study-generic");
    assert!(manifest["tool"].as_str().unwrap().starts_with("emn-pub "));
    let files = manifest["files"].as_array().unwrap();
    let listed: std::collections::BTreeSet<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let present: std::collections::BTreeSet<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(listed, present, "manifest lists exactly the bundle's files");
    for file in files {
        let bytes = &entries[file["path"].as_str().unwrap()];
        assert_eq!(file["sha256"], hex(&Sha256::digest(bytes)));
        assert_eq!(file["bytes"], bytes.len());
        if file["path"].as_str().unwrap().ends_with(".pdf") {
            assert_eq!(file["pages"], pdf_pages(bytes));
        }
    }
    let national = files.iter().find(|f| f["path"] == "national/CZ.pdf").unwrap();
    assert_eq!((national["kind"].as_str(), national["country"].as_str()), (Some("national-contribution"), Some("CZ")));
    for source in manifest["sources"].as_array().unwrap() {
        let bytes = std::fs::read(package.path().join(source["path"].as_str().unwrap())).unwrap();
        assert_eq!(source["sha256"], hex(&Sha256::digest(&bytes)), "{source}");
    }
    assert!(manifest["sources"].as_array().unwrap().iter().any(|s| s["path"] == "assets/cz-permits.svg"));
}

#[test]
fn source_date_epoch_sets_the_date() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub()
        .env("SOURCE_DATE_EPOCH", "1764115200") // 2025-11-26
        .arg("build-package")
        .arg(package.path())
        .args(["--only", "flash"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let entries = unzip(&out);
    let manifest: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest["build_date"], "2025-11-26");
    assert!(pdf_text(&entries["flash.pdf"]).contains("26 November 2025"));
}

#[test]
fn a_failed_build_keeps_the_previous_bundle() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).args(["--only", "CZ"]).assert().success();
    let good = std::fs::read(&out).unwrap();
    write(
        package.path(),
        "statistics/bad.csv",
        "indicator,country,year,value,flag\nfirst_permits_remunerated,CZ,2020,abc,\n",
    );
    emn_pub().arg("build-package").arg(package.path()).arg("--out").arg(&out).assert().code(1);
    assert_eq!(std::fs::read(&out).unwrap(), good, "the good bundle is untouched");
    assert_no_partial_bundle(package.path());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_package_are_refused() {
    let package = copy_package(&sample());
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(package.path().join("assets/cz-permits.svg"), outside.path().join("secret.svg")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.svg"), package.path().join("assets/linked.svg")).unwrap();
    let cz = package.path().join("contributions/CZ.md");
    let text = std::fs::read_to_string(&cz).unwrap().replace("../assets/cz-permits.svg", "../assets/linked.svg");
    std::fs::write(&cz, text).unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "image-outside-package"), "{json:#}");
    // Even when building anyway, the file outside never reaches a PDF.
    let out = package.path().join("b.zip");
    emn_pub()
        .arg("build-package")
        .arg(package.path())
        .arg("--out")
        .arg(&out)
        .args(["--only", "CZ", "--allow-incomplete"])
        .assert()
        .success();
    let text = pdf_text(&unzip(&out)["national/CZ.pdf"]);
    assert!(text.contains("image not available"), "{text}");
}

#[test]
fn images_are_checked_by_content() {
    let package = copy_package(&sample());
    write(package.path(), "assets/fake.png", "this is not a PNG");
    let cz = package.path().join("contributions/CZ.md");
    let text = std::fs::read_to_string(&cz).unwrap().replace("../assets/cz-permits.svg", "../assets/fake.png");
    std::fs::write(&cz, text).unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "bad-image"), "{json:#}");
}

mod fuzz {
    use emn_pub::load::{document, markdown, statistics};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn markdown_never_panics(text in "[\\PC\n>*_`#\\[\\]()!|:-]{0,400}") {
            let parsed = markdown::parse(&text, 1, "example.md");
            let _ = markdown::blocks_text(&parsed.blocks);
        }

        #[test]
        fn front_matter_never_panics(yaml in "[\\PC\n:{}\\[\\]&*!|>'\"#-]{0,200}", body in "\\PC{0,50}") {
            let text = format!("---\n{yaml}\n---\n{body}");
            let rule = document::question_id_rule(vec!["Q1".into()]);
            let _ = document::parse("contributions/XX.md", &text, &rule);
        }

        #[test]
        fn statistics_readers_never_panic(
            header in prop::sample::select(vec![
                "indicator,country,year,value,flag",
                "indicator;country;year;value;flag",
                "DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG",
                "STRUCTURE,STRUCTURE_ID,geo,Geo,TIME_PERIOD,Time,OBS_VALUE,Observation value",
                "freq,citizen,geo\\TIME_PERIOD\t2019 \t2020 ",
            ]),
            rows in proptest::collection::vec("[\\PC,;\t:\" .0-9a-zA-Z-]{0,60}", 0..20),
            raw in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let text = format!("{header}\n{}", rows.join("\n"));
            let _ = statistics::read("statistics/f.csv", text.as_bytes());
            let _ = statistics::read("statistics/f.tsv", &raw);
        }
    }
}

/// Today's date in UTC, worked out here from the clock (days since 1970 to
/// a civil date), independently of the library's own date code.
fn utc_today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 / 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The date a bundle carries: `published` from emn.toml wins over
/// `SOURCE_DATE_EPOCH`, which wins over the day of the build.
#[test]
fn the_date_is_published_then_source_date_epoch_then_the_day_of_the_build() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    let build_date = |epoch: Option<&str>| {
        let mut command = emn_pub();
        if let Some(epoch) = epoch {
            command.env("SOURCE_DATE_EPOCH", epoch);
        }
        command
            .arg("build-package")
            .arg(package.path())
            .args(["--only", "flash", "--out"])
            .arg(&out)
            .assert()
            .success();
        let manifest: serde_json::Value = serde_json::from_slice(&unzip(&out)["manifest.json"]).unwrap();
        manifest["build_date"].as_str().unwrap().to_string()
    };
    let before = utc_today();
    let today = build_date(None);
    assert!(today == before || today == utc_today(), "{today} is not today ({before})");
    assert_eq!(build_date(Some("1764115200")), "2025-11-26");
    let manifest = std::fs::read_to_string(package.path().join("emn.toml")).unwrap();
    std::fs::write(package.path().join("emn.toml"), format!("{manifest}published = 2025-06-30\n")).unwrap();
    assert_eq!(build_date(Some("1764115200")), "2025-06-30");
    assert_eq!(build_date(None), "2025-06-30");
}
