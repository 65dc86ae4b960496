//! Bounded and safe under hostile or huge input: the campaign's cheap
//! cases (the expensive ones are in the benchmark).

use crate::support::*;

#[cfg(unix)]
#[test]
fn a_fifo_contribution_is_refused_without_waiting() {
    let package = copy_package(&sample());
    let fifo = package.path().join("contributions/FI.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let started = std::time::Instant::now();
    let output = emn_pub()
        .args(["validate", "--format", "json"])
        .arg(package.path())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(started.elapsed().as_secs() < 30, "validate waited on the FIFO");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fifo_diagnostic = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "contributions/FI.md")
        .expect("the FIFO is named");
    assert!(fifo_diagnostic["message"].as_str().unwrap().contains("not a regular file"), "{fifo_diagnostic}");
}

#[test]
fn a_hundred_thousand_warnings_are_summed_up() {
    let package = copy_package(&sample());
    let mut csv = String::from("indicator,country,year,value,flag\n");
    for i in 0..100_000 {
        csv.push_str(&format!("other_indicator_{i},CZ,2020,{i},\n"));
    }
    write(package.path(), "statistics/other.csv", &csv);
    let started = std::time::Instant::now();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert!(started.elapsed().as_secs() < 20, "validate took {:?}", started.elapsed());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["warnings"], 100_000);
    assert_eq!(json["omitted"][0]["count"], 100_000 - emn_pub::diagnostic::SHOWN_PER_CODE_AND_FILE);
    let human = emn_pub().arg("validate").arg(package.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.contains("… and 99,800 more `unknown-indicator` in statistics/other.csv"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
}

/// A PNG header claiming 30000 × 30000 pixels (the rest is never decoded).
fn pixel_bomb() -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(30_000u32.to_be_bytes());
    ihdr.extend(30_000u32.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [ihdr, b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01".to_vec(), b"IEND".to_vec()] {
        png.extend((chunk.len() as u32 - 4).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

#[test]
fn a_pixel_bomb_is_refused_from_its_header() {
    let package = copy_package(&sample());
    std::fs::write(package.path().join("assets/bomb.png"), pixel_bomb()).unwrap();
    let contribution = package.path().join("contributions/AT.md");
    let text = std::fs::read_to_string(&contribution).unwrap();
    std::fs::write(&contribution, format!("{text}\n![A chart](../assets/bomb.png)\n")).unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let bomb = json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "bad-image").expect("bad-image");
    assert!(bomb["message"].as_str().unwrap().contains("900000000 pixels"), "{bomb}");
}

#[test]
fn an_id_that_is_a_path_writes_nothing_outside_the_package() {
    let outer = tempfile::tempdir().unwrap();
    let package = outer.path().join("pkg");
    copy_tree(&sample(), &package);
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    std::fs::write(
        package.join("emn.toml"),
        manifest.replace("id = \"2025-labour-shortages\"", "id = \"../../escaped\""),
    )
    .unwrap();
    let output = emn_pub().arg("build-package").arg(&package).arg("--allow-incomplete").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot name the bundle"));
    let mut everything = Vec::new();
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            if entry.path().is_dir() {
                walk(&entry.path(), out);
            } else {
                out.push(entry.path());
            }
        }
    }
    walk(outer.path(), &mut everything);
    assert!(everything.iter().all(|p| !p.to_string_lossy().ends_with(".zip")), "{everything:?}");
}

#[cfg(unix)]
#[test]
fn leftovers_of_killed_builds_are_removed_and_the_bundle_honours_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let package = copy_package(&sample());
    let dist = package.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    // A killed build's file (its process has ended) goes; a running
    // build's (this test's own process) stays.
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    let dead = ended.id();
    ended.wait().unwrap();
    std::fs::write(dist.join(format!(".emn-pub-{dead}-AbC123.zip.part")), b"half a zip").unwrap();
    let running = format!(".emn-pub-{}-XyZ789.zip.part", std::process::id());
    std::fs::write(dist.join(&running), b"a zip being written").unwrap();
    // The bundle gets its mode from the umask (0644 under the usual 022),
    // not tempfile's private 0600.
    emn_pub().arg("build-package").arg(package.path()).args(["--only", "flash"]).assert().success();
    emn_pub().arg("build-package").arg(package.path()).assert().success();
    let names: Vec<String> =
        std::fs::read_dir(&dist).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, [running.as_str(), "2025-labour-shortages-partial.zip", "2025-labour-shortages.zip"]);
    let mode = std::fs::metadata(dist.join("2025-labour-shortages.zip")).unwrap().permissions().mode() & 0o777;
    // SAFETY: umask is read by setting it and restoring it at once.
    let umask = unsafe {
        let umask = libc::umask(0o022);
        libc::umask(umask);
        umask
    };
    assert_eq!(mode, 0o666 & !(umask as u32), "the bundle's mode follows the umask ({umask:o})");
}

#[test]
fn absurd_numbers_are_bad_values_never_infinity() {
    let package = copy_package(&sample());
    let path = package.path().join("statistics/first-permits.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[1].split(',').collect();
    let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    cells[3] = "1e308".into();
    lines[1] = cells.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let bad = json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "bad-value").expect("bad-value");
    assert_eq!((bad["file"].as_str(), bad["line"].as_u64()), (Some("statistics/first-permits.csv"), Some(2)));
}

#[test]
fn a_binary_summary_is_not_reported_as_missing() {
    let package = copy_package(&sample());
    std::fs::write(package.path().join("summary-cs.md"), b"\x00\x01binary").unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(package.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"binary-file") && !codes.contains(&"missing-summary"), "{codes:?}");
}

#[test]
fn simultaneous_builds_into_one_out_all_succeed() {
    let package = copy_package(&sample());
    let out = package.path().join("shared/bundle.zip");
    let builds: Vec<std::process::Child> = (0..8)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
                .arg("build-package")
                .arg(package.path())
                .arg("--out")
                .arg(&out)
                .env("SOURCE_DATE_EPOCH", "1764115200")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for build in builds {
        let output = build.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["bundle.zip"], "no temporary file left behind");
    assert!(unzip(&out).contains_key("manifest.json"), "a whole bundle");
}

/// A minimal Word file: one heading and one paragraph.
fn tiny_docx() -> Vec<u8> {
    docx_with_body("<w:p><w:r><w:t>Key findings</w:t></w:r></w:p>")
}

/// A Word file whose body is `body`.
fn docx_with_body(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_link_out_of_the_package() {
    let package = copy_package(&sample());
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), package.path().join("dist")).unwrap();
    let output = emn_pub().arg("build-package").arg(package.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a link to another place"));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing written where dist/ points");

    let word = package.path().join("answer.docx");
    std::fs::write(&word, tiny_docx()).unwrap();
    std::fs::rename(package.path().join("contributions"), package.path().join("real-contributions")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), package.path().join("contributions")).unwrap();
    let output =
        emn_pub().arg("import-docx").arg(&word).arg(package.path()).args(["--country", "FR"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("contributions is a link"), "{output:?}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing written where contributions/ points");
}

#[test]
fn huge_glossaries_definitions_and_footnotes_are_limits_not_hangs() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut glossary = String::from("concept,language,term,status,definition,source\n");
    for row in 0..100_000 {
        glossary.push_str(&format!("c{row},en,term number {row},deprecated,,\n"));
    }
    std::fs::write(dir.join("glossary.csv"), glossary).unwrap();
    let notes: String = (0..50_000).map(|n| format!("Claim.[^n{n}]\n\n[^n{n}]: Source {n}.\n\n")).collect();
    replace(dir, "contributions/SE.md", "# Key findings\n", &format!("# Key findings\n\n{notes}"));
    let started = std::time::Instant::now();
    let (code, json) = validate_json(dir);
    assert!(started.elapsed().as_secs() < 60, "validate took {:?}", started.elapsed());
    assert_eq!(code, Some(1));
    let rows = find_diagnostic(&json, |d| {
        d["code"] == "bad-glossary" && d["message"].as_str().unwrap().contains("more than 20000 rows")
    });
    assert!(rows.is_some(), "{json}");
    let footnotes = find_diagnostic(&json, |d| d["code"] == "too-long" && d["file"] == "contributions/SE.md");
    assert!(
        footnotes.is_some_and(|d| d["message"].as_str().unwrap().contains("footnotes (the limit is 2000)")),
        "{json}"
    );

    // Within the row limit, a one-letter wildcard and a 7 MB definition
    // (quoted, over many lines) are refused by name.
    let mut glossary = String::from("concept,language,term,status,definition,source\nwide,en,a*,deprecated,,\n");
    let definition = format!("{}\n", "x".repeat(999)).repeat(7 * 1024);
    glossary.push_str(&format!("long,en,long concept,preferred,\"{definition}\",Test\n"));
    std::fs::write(dir.join("glossary.csv"), glossary).unwrap();
    let (_, json) = validate_json(dir);
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "bad-glossary")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.contains("`a*`")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("longer than 3000 characters")), "{messages:?}");
}

/// `validate --format json` of `package` as a user who cannot read what
/// has mode 000 (as root, through `setpriv` as nobody).
#[cfg(unix)]
fn validate_as_a_user(package: &std::path::Path) -> serde_json::Value {
    let binary = assert_cmd::cargo::cargo_bin("emn-pub");
    let is_root = unsafe { libc::geteuid() } == 0;
    let mut command = if is_root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&binary);
        command
    } else {
        std::process::Command::new(&binary)
    };
    let output = command.arg("validate").arg(package).args(["--format", "json"]).output().unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{output:?}"))
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_as_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let outer = tempfile::Builder::new().prefix("emn-pub-unreadable").tempdir_in("/tmp").unwrap();
    let package = outer.path().join("package");
    copy_tree(&sample(), &package);
    let mut folders = vec![outer.path().to_path_buf()];
    while let Some(folder) = folders.pop() {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
    }
    for file in ["statistics/first-permits.csv", "contributions/CZ.md"] {
        std::fs::set_permissions(package.join(file), std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let json = validate_as_a_user(&package);
    for file in ["statistics/first-permits.csv", "contributions/CZ.md"] {
        let found = find_diagnostic(&json, |d| d["code"] == "unreadable-file" && d["file"] == file);
        assert!(found.is_some(), "{file}: {json}");
    }
    assert!(find_diagnostic(&json, |d| d["code"] == "missing-contribution").is_none(), "not missing: {json}");
}

#[test]
fn ten_thousand_nested_content_controls_are_an_error_not_an_abort() {
    let package = copy_package(&sample());
    let depth = 10_000;
    let body = format!(
        "{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    let word = package.path().join("deep.docx");
    std::fs::write(&word, docx_with_body(&body)).unwrap();
    let output =
        emn_pub().arg("import-docx").arg(&word).arg(package.path()).args(["--country", "FR"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("levels deep"), "{output:?}");
    assert!(!package.path().join("contributions/FR.md").exists());
}

/// A heading, a word and a table each one over their limit are `validate`
/// errors naming the file, the line and the limit; at the limit they pass.
#[test]
fn each_size_limit_is_an_error_with_file_line_and_limit() {
    let package = copy_package(&sample());
    let file = package.path().join("contributions/CZ.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let lines = original.lines().count();
    let over = |n: usize| {
        let rows: String = (0..n).map(|i| format!("| r{i} |\n")).collect();
        format!(
            "{original}\n## {}\n\nA word: {}\n\n| Row |\n|---|\n{rows}",
            "h".repeat(emn_pub::limits::MAX_HEADING_CHARS + n - emn_pub::limits::MAX_TABLE_ROWS),
            "w".repeat(emn_pub::limits::MAX_WORD_CHARS + n - emn_pub::limits::MAX_TABLE_ROWS)
        )
    };
    std::fs::write(&file, over(emn_pub::limits::MAX_TABLE_ROWS + 1)).unwrap();
    let (code, json) = validate_json(package.path());
    assert_eq!(code, Some(1), "{json}");
    for (code, line, limit) in [
        ("too-long", lines + 2, "1000"),
        ("word-too-long", lines + 4, "2000"),
        ("table-too-large", lines + 6, "1000 rows"),
    ] {
        let found = find_diagnostic(&json, |d| d["code"] == code && d["file"] == "contributions/CZ.md")
            .unwrap_or_else(|| panic!("no {code}: {json}"));
        assert_eq!(found["line"], line, "{found}");
        assert!(found["message"].as_str().unwrap().contains(limit), "{found}");
    }
    std::fs::write(&file, over(emn_pub::limits::MAX_TABLE_ROWS)).unwrap();
    let (_, json) = validate_json(package.path());
    for code in ["too-long", "word-too-long", "table-too-large"] {
        assert!(find_diagnostic(&json, |d| d["code"] == code).is_none(), "{code} at the limit: {json}");
    }
}

/// The Inform has at most 8 pages. One that typesets longer fails the
/// build with what to shorten, and the bundle built before is untouched.
#[test]
fn an_inform_over_its_page_limit_fails_and_keeps_the_previous_bundle() {
    let package = copy_package(&sample());
    let out = package.path().join("b.zip");
    build_only(package.path(), "inform", &out).success();
    let good = std::fs::read(&out).unwrap();
    assert!(pdf_pages(&unzip(&out)["inform.pdf"]) <= 8);
    let rows: String = (0..600).map(|i| format!("| r{i} | {i} |\n")).collect();
    write(package.path(), "inform.md", &format!("# Overview\n\nIn short.\n\n| Item | Value |\n|---|---|\n{rows}"));
    let output = build_only(package.path(), "inform", &out).code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the Inform takes") && stderr.contains("more than 8") && stderr.contains("inform.md"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), good, "the previous bundle is untouched");
    assert_no_partial_bundle(package.path());
}

/// A statistics file of 60 million empty cells (60 lines of a million
/// commas) is read a row at a time: held whole as cells it took 2 GB.
#[cfg(target_os = "linux")]
#[test]
fn sixty_million_empty_cells_are_read_a_row_at_a_time() {
    let package = copy_package(&sample());
    let mut csv = String::from("indicator,country,year,value,flag\n");
    let line = ",".repeat(1_000_000);
    for _ in 0..60 {
        csv.push_str(&line);
        csv.push('\n');
    }
    write(package.path(), "statistics/empty-cells.csv", &csv);
    let run = run_measured(&[std::ffi::OsStr::new("validate"), package.path().as_os_str()], 120);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let peak_kib = run.peak_kib;
    assert!(peak_kib > 0, "the peak was read");
    assert!(peak_kib < 1024 * 1024, "validate took {peak_kib} KiB");
}
