//! Hostile files, round 4: nothing in a bundle runs, every input bounded,
//! a zip given as input verified; each run as a user would.

use std::path::Path;

use std::ffi::OsStr;

use crate::support::*;

/// SVGs a browser would run or fetch from, each refused as `bad-image`.
const UNSAFE_SVGS: [(&str, &str); 7] = [
    ("script.svg", r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#),
    ("onload.svg", r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"/>"#),
    (
        "foreign.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>"#,
    ),
    (
        "remote.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="https://evil.example/x.png" width="5" height="5"/></svg>"#,
    ),
    (
        "js-link.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><a href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>"#,
    ),
    (
        "animate.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><a href="#x"><set attributeName="href" to="javascript:alert(1)"/><rect width="5" height="5"/></a></svg>"##,
    ),
    (
        "style.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(https://evil.example/a.css);</style><rect width="5" height="5"/></svg>"#,
    ),
];

const SAFE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs><rect width="40" height="20" fill="url(#g)"/></svg>"##;

fn add_file(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Whether an SVG's text holds anything a browser would run or fetch.
fn svg_runs_or_fetches(svg: &str) -> bool {
    let lower = svg.to_ascii_lowercase();
    lower.contains("<script")
        || lower.contains("foreignobject")
        || lower.contains("javascript:")
        || lower.contains("https://evil")
        || lower.contains("@import")
        || lower.split(|c: char| c.is_whitespace()).any(|word| word.starts_with("on") && word.contains("=\""))
}

#[test]
fn no_file_of_the_bundle_or_the_index_runs_script() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut references = String::new();
    for (name, svg) in UNSAFE_SVGS {
        add_file(dir, &format!("assets/{name}"), svg.as_bytes());
        references.push_str(&format!("\n\n![A chart {name}](../assets/{name})"));
    }
    add_file(dir, "assets/safe.svg", SAFE_SVG.as_bytes());
    references.push_str("\n\n![A safe chart](../assets/safe.svg)");
    add_file(dir, "assets/annex.html", b"<html><script>alert(document.domain)</script></html>");
    add_file(dir, "assets/fake.pdf", b"<html><script>alert(1)</script></html>");
    add_file(dir, "assets/real.pdf", b"%PDF-1.7\n%%EOF\n");
    references.push_str(
        "\n\nSee [the annex](../assets/annex.html), [a fake](../assets/fake.pdf) and [a report](../assets/real.pdf).",
    );
    open_answer_with(dir, "contributions/CZ.md", "## Q1.2", &references);

    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(1), "{json:#}");
    for (name, _) in UNSAFE_SVGS {
        find_diagnostic(&json, |d| d["code"] == "bad-image" && d["message"].as_str().unwrap_or("").contains(name))
            .unwrap_or_else(|| panic!("{name} is a bad-image: {json:#}"));
    }
    for name in ["annex.html", "fake.pdf"] {
        find_diagnostic(&json, |d| {
            d["code"] == "bad-link-target"
                && d["message"].as_str().unwrap_or("").contains(name)
                && d["line"].is_number()
        })
        .unwrap_or_else(|| panic!("a link to {name} is refused: {json:#}"));
    }
    assert!(
        find_diagnostic(&json, |d| d["message"].as_str().unwrap_or("").contains("safe.svg")
            || d["message"].as_str().unwrap_or("").contains("real.pdf"))
        .is_none(),
        "a safe SVG and a real PDF pass: {json:#}"
    );

    let out = dir.join("b.zip");
    emn_pub().arg("build-package").arg(dir).arg("--allow-incomplete").arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let index = String::from_utf8(entries["html/index.html"].clone()).unwrap();
    assert!(!index.contains("sources/"), "the index links no source file");
    assert!(index.contains("manifest.json"), "the index still lists the manifest");
    assert!(entries.contains_key("sources/assets/safe.svg"), "a safe SVG is carried");
    assert!(entries.contains_key("sources/assets/real.pdf"), "a linked PDF is carried");
    for name in ["annex.html", "fake.pdf"].iter().chain(UNSAFE_SVGS.iter().map(|(n, _)| n)) {
        assert!(!entries.contains_key(&format!("sources/assets/{name}")), "{name} is not carried");
    }
    // Every SVG anywhere: loose, inside the Word draft, inlined in a page.
    let mut svgs: Vec<(String, String)> = Vec::new();
    for (path, bytes) in &entries {
        if path.ends_with(".svg") {
            svgs.push((path.clone(), String::from_utf8_lossy(bytes).into_owned()));
        }
        if path.ends_with(".docx") {
            for (part, inner) in unzip_bytes(bytes) {
                if part.ends_with(".svg") {
                    svgs.push((format!("{path}/{part}"), String::from_utf8_lossy(&inner).into_owned()));
                }
            }
        }
        if path.ends_with(".html") {
            let page = String::from_utf8_lossy(bytes);
            assert!(!page.contains("<script"), "{path} holds a script");
            assert!(!page.contains("javascript:"), "{path} links javascript:");
            for encoded in page.split("data:image/svg+xml;base64,").skip(1) {
                let end = encoded.find('"').unwrap_or(encoded.len());
                use base64::Engine as _;
                let svg = base64::engine::general_purpose::STANDARD.decode(&encoded[..end]).unwrap();
                svgs.push((format!("{path} (inline)"), String::from_utf8_lossy(&svg).into_owned()));
            }
        }
    }
    assert!(svgs.iter().any(|(path, _)| path.contains(".docx/")), "the safe SVG is in the Word draft");
    for (path, svg) in svgs {
        assert!(!svg_runs_or_fetches(&svg), "{path} runs or fetches: {svg}");
    }
}

#[test]
fn an_svg_may_still_draw_a_picture_of_the_package_and_its_own_gradients() {
    let package = copy_package(&sample());
    let dir = package.path();
    add_file(dir, "assets/safe.svg", SAFE_SVG.as_bytes());
    open_answer_with(dir, "contributions/CZ.md", "## Q1.2", "![A safe chart](../assets/safe.svg)");
    let (code, json) = validate_json(dir);
    assert_eq!(code, Some(0), "{json:#}");
}

/// The sample built into `dir/first.zip`, its package in `dir/package`.
fn sample_bundle(dir: &Path) -> std::path::PathBuf {
    let package = dir.join("package");
    copy_tree(&sample(), &package);
    let bundle = dir.join("first.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&bundle).assert().success();
    bundle
}

/// The zip `bundle` again with `edit` applied to its entries (in order).
fn rezip(bundle: &Path, edit: impl Fn(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut entries: Vec<(String, Vec<u8>)> = unzip(bundle).into_iter().collect();
    edit(&mut entries);
    let parts: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    zip_of(&parts)
}

fn rebuild_and_since(dir: &Path, bundle: &Path) -> [Measured; 2] {
    let out = dir.join("out.zip");
    let package = dir.join("package");
    [
        run_measured(&[OsStr::new("build-package"), bundle.as_os_str(), OsStr::new("--out"), out.as_os_str()], 60),
        run_measured(
            &[
                OsStr::new("build-package"),
                package.as_os_str(),
                OsStr::new("--since"),
                bundle.as_os_str(),
                OsStr::new("--out"),
                out.as_os_str(),
            ],
            60,
        ),
    ]
}

#[test]
fn a_zip_given_as_input_is_verified_against_its_manifest() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path();
    let bundle = sample_bundle(dir);
    let tampered = rezip(&bundle, |entries| {
        let cz = entries.iter_mut().find(|(n, _)| n == "sources/contributions/CZ.md").unwrap();
        cz.1.extend_from_slice(b"\nA sentence added after the build.\n");
    });
    let unlisted = rezip(&bundle, |entries| entries.push(("sources/assets/extra.png".into(), b"x".to_vec())));
    let bad_manifest = rezip(&bundle, |entries| {
        entries.iter_mut().find(|(n, _)| n == "manifest.json").unwrap().1 = b"{\"files\": 3".to_vec();
    });
    let empty_manifest = rezip(&bundle, |entries| {
        entries.iter_mut().find(|(n, _)| n == "manifest.json").unwrap().1 = Vec::new();
    });
    // The zip writer refuses a second entry of one name: write it as CY,
    // then rename it in the zip's bytes (names are in no checksum).
    let duplicate = rezip(&bundle, |entries| {
        entries
            .push(("sources/contributions/CY.md".into(), b"---\ncountry: CZ\n---\n# Key findings\nOther.\n".to_vec()));
    });
    let duplicate = String::from_utf8_lossy(&duplicate).contains("CY.md").then(|| {
        let mut bytes = duplicate.clone();
        let name = b"sources/contributions/CY.md";
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(name.len()).position(|w| w == name) {
            bytes[at + found + name.len() - 4] = b'Z';
            at += found + name.len();
        }
        bytes
    });
    let duplicate = duplicate.unwrap();
    for (name, bytes, said) in [
        ("tampered.zip", tampered, "does not match its checksum"),
        ("unlisted.zip", unlisted, "not among the sources manifest.json lists"),
        ("bad-manifest.zip", bad_manifest, "manifest.json is not one emn-pub wrote"),
        ("empty-manifest.zip", empty_manifest, "manifest.json is not one emn-pub wrote"),
        ("duplicate.zip", duplicate, "two entries named"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for run in rebuild_and_since(dir, &path) {
            assert_eq!(run.code, Some(2), "{name}: {}", run.stderr);
            assert!(run.stderr.contains(said), "{name}: {}", run.stderr);
        }
    }
    assert!(!dir.join("out.zip").exists(), "nothing written");
}

#[test]
fn since_refuses_a_bundle_of_another_package_or_kind() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path();
    sample_bundle(dir);
    let bulletin = dir.join("bulletin");
    emn_pub().args(["-q", "init"]).arg(&bulletin).args(["--kind", "bulletin"]).assert().success();
    let other = dir.join("bulletin.zip");
    emn_pub().arg("build-package").arg(&bulletin).arg("--allow-incomplete").arg("--out").arg(&other).assert().success();
    let [_, since] = rebuild_and_since(dir, &other);
    assert_eq!(since.code, Some(2), "{}", since.stderr);
    assert!(since.stderr.contains("is a bundle of the bulletin"), "{}", since.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_given_as_a_bundle_is_refused_at_once() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path();
    let package = dir.join("package");
    copy_tree(&sample(), &package);
    let fifo = dir.join("fifo.zip");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    for input in [fifo.as_path(), Path::new("/dev/zero"), Path::new("/dev/urandom")] {
        for run in rebuild_and_since(dir, input) {
            assert_eq!(run.code, Some(2), "{}: {}", input.display(), run.stderr);
            assert!(run.seconds < 5.0, "{}: {:.1} s", input.display(), run.seconds);
            assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
        }
    }
}

#[test]
fn a_zip_entry_name_with_control_characters_is_shown_not_sent_to_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let evil = dir.path().join("evil.zip");
    std::fs::write(
        &evil,
        zip_of(&[
            ("manifest.json", b"{}"),
            ("sources/\x1b[2K\x1b[1Aok\x07/../../x.md", b"x"),
            ("sources/emn.toml", b""),
        ]),
    )
    .unwrap();
    let output = emn_pub().arg("build-package").arg(&evil).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\x1b') && !stderr.contains('\x07'), "raw control characters: {stderr:?}");
    assert!(stderr.contains("␛[2K"), "shown as pictures: {stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_during_a_rebuild_leaves_no_unpacked_source() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path();
    let bundle = sample_bundle(dir);
    let temporary = dir.join("tmp");
    std::fs::create_dir(&temporary).unwrap();
    // A folder a killed run left behind is removed by the next.
    let abandoned = temporary.join(".emn-pub-sources-999999999-abc");
    std::fs::create_dir_all(abandoned.join("contributions")).unwrap();
    let unpacked = |temporary: &Path| {
        std::fs::read_dir(temporary)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".emn-pub-sources-"))
            .filter(|e| e.path() != abandoned)
            .count()
    };
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("emn-pub"))
            .arg("build-package")
            .arg(&bundle)
            .arg("--out")
            .arg(dir.join("again.zip"))
            .env("TMPDIR", &temporary)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while unpacked(&temporary) == 0 && started.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!abandoned.exists(), "the abandoned folder is removed");
        assert_eq!(unpacked(&temporary), 1, "the rebuild unpacked its sources");
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert!(!status.success(), "{status:?}");
        assert_eq!(unpacked(&temporary), 0, "signal {signal}: no unpacked source remains");
    }
    assert!(!dir.join("again.zip").exists());
}

#[test]
fn every_change_a_reader_would_see_is_in_the_changes_report() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("package");
    copy_tree(&sample(), &dir);
    let template = emn_pub().args(["templates", "study-generic"]).output().unwrap().stdout;
    std::fs::write(dir.join("template.toml"), &template).unwrap();
    replace(&dir, "emn.toml", "template = \"study-generic\"", "template = \"template.toml\"");
    std::fs::write(dir.join("assets/chart.png"), png(40)).unwrap();
    open_answer_with(
        &dir,
        "contributions/CZ.md",
        "## Q2.2",
        "See the [ministry's page](https://old.example/page) and the note.[^z]\n\n![A chart of permits](../assets/chart.png)\n\n[^z]: Figures of the ministry, obsoletenoteword.",
    );
    let cz = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    std::fs::write(
        dir.join("contributions/CZ.md"),
        format!("{cz}\n# Remarks of the NCP\n\nOur remark says oldremarkword.\n"),
    )
    .unwrap();
    let first = outer.path().join("first.zip");
    emn_pub().arg("build-package").arg(&dir).arg("--out").arg(&first).assert().success();

    replace(&dir, "contributions/CZ.md", "obsoletenoteword", "freshnoteword");
    replace(&dir, "contributions/CZ.md", "oldremarkword", "newremarkword");
    replace(&dir, "contributions/CZ.md", "https://old.example/page", "https://swapped.example/page");
    replace(&dir, "contributions/CZ.md", "status: final", "status: draft");
    replace(&dir, "contributions/CZ.md", "date: 2025-05-02", "date: 2025-06-30");
    std::fs::write(dir.join("assets/chart.png"), png(200)).unwrap();
    let summary = std::fs::read_to_string(dir.join("summary-cs.md")).unwrap();
    std::fs::write(dir.join("summary-cs.md"), format!("{summary}\nNová věta shrnutí novaslovo.\n")).unwrap();
    let synthesis = std::fs::read_to_string(dir.join("synthesis.md")).unwrap();
    std::fs::write(dir.join("synthesis.md"), format!("{synthesis}\nThe editors add editorsnewword.\n")).unwrap();
    // A question taken out of the template, with every answer to it.
    let template = String::from_utf8(template).unwrap();
    let at = template.find("id = \"Q3.2\"").unwrap();
    let start = template[..at].rfind("[[sections.questions]]").unwrap();
    let end = template[at..].find("[[").map_or(template.len(), |e| at + e);
    std::fs::write(dir.join("template.toml"), format!("{}{}", &template[..start], &template[end..])).unwrap();
    for country in ["AT", "BE", "CZ", "DE", "EL", "NO", "SE"] {
        let path = dir.join(format!("contributions/{country}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        if let Some(at) = text.find("## Q3.2") {
            let rest = &text[at + 3..];
            let next = [rest.find("\n#"), rest.find("\n[^")].into_iter().flatten().min();
            let end = next.map_or(text.len(), |e| at + 3 + e + 1);
            std::fs::write(&path, format!("{}{}", &text[..at], &text[end..])).unwrap();
        }
    }
    let second = outer.path().join("second.zip");
    let build = emn_pub()
        .arg("build-package")
        .arg(&dir)
        .arg("--allow-incomplete")
        .arg("--since")
        .arg(&first)
        .arg("--out")
        .arg(&second)
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let entries = unzip(&second);
    let text = squeeze(&pdf_text(&entries["changes.pdf"])).to_lowercase();
    assert!(!text.contains("[^"), "every note is compared by its text: {text}");
    for expected in [
        "obsoletenoteword",
        "freshnoteword",
        "newremarkword",
        "Remarks of the NCP",
        "swapped.example",
        "status (front matter)",
        "date (front matter)",
        "A chart of permits",
        "a question no longer in the template",
        "summary-cs.md",
        "novaslovo",
        "synthesis.md",
        "editorsnewword",
        "template.toml",
    ] {
        assert!(text.contains(&squeeze(expected).to_lowercase()), "changes.pdf lacks {expected:?}: {text}");
    }
    let page = String::from_utf8(entries["html/changes.html"].clone()).unwrap();
    let listed = |label: &str| changes_listed(&page, label);
    assert!(listed("Changed").contains("Czechia") && !listed("Unchanged").contains("Czechia"), "{page}");
}

fn png(shade: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(8, 8, image::Rgb([shade, 0, 0]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[test]
fn sixty_linked_files_of_twenty_megabytes_are_refused_by_validate() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut links = String::from("The annexes:");
    for index in 0..60 {
        let path = dir.join(format!("assets/annex-{index}.pdf"));
        let mut file = std::fs::File::create(&path).unwrap();
        std::io::Write::write_all(&mut file, b"%PDF-1.7\n").unwrap();
        // Sparse: 20 MB a reader sees, nothing on the disk.
        file.set_len(20 * 1024 * 1024).unwrap();
        links.push_str(&format!(" [annex {index}](../assets/annex-{index}.pdf)"));
    }
    open_answer_with(dir, "contributions/CZ.md", "## Q2.2", &links);
    let run = run_measured(&[OsStr::new("validate"), dir.as_os_str()], 60);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stderr.matches("package-too-large").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("contributions/CZ.md:"), "placed at the link: {}", run.stderr);
    crate::hostile3::validate_and_build(dir, "60 linked files of 20 MB");
    let out = dir.join("hostile.zip");
    let carried: u64 = unzip(&out).iter().filter(|(n, _)| n.starts_with("sources/")).map(|(_, b)| b.len() as u64).sum();
    assert!(carried <= 101 * 1024 * 1024, "sources/ carries {carried} bytes");
}

#[test]
fn four_sdmx_files_of_sixty_one_megabytes_validate_within_bounds() {
    let package = copy_package(&sample());
    let dir = package.path();
    let citizens: Vec<String> = ["EXT_EU27_2020", "AF", "SY", "UA"]
        .iter()
        .map(|c| c.to_string())
        .chain((0..150).map(|i| format!("C{i:03}")))
        .collect();
    let countries = ["BE", "CZ", "DE", "EL", "AT", "SE", "NO", "FR", "IT", "PL", "EU27_2020", "EA20"];
    for file in 0..4 {
        let mut csv = String::with_capacity(62 << 20);
        csv.push_str("DATAFLOW,LAST UPDATE,freq,citizen,sex,applicant,age,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n");
        let mut row = 0usize;
        while csv.len() < 61 << 20 {
            let citizen = &citizens[row % citizens.len()];
            let country = countries[(row / citizens.len()) % countries.len()];
            let year = 2008 + (row / (citizens.len() * countries.len())) % 16;
            let sex = ["T", "F", "M"][(row / 7) % 3];
            csv.push_str(&format!(
                "ESTAT:MIGR_ASYAPPCTZA(1.0),19/03/25 23:00:00,A,{citizen},{sex},FRST,TOTAL,PER,{country},{year},{},\n",
                row % 99_991
            ));
            row += 1;
        }
        write(dir, &format!("statistics/estat_big{file}.csv"), &csv);
    }
    let run = run_measured(&[OsStr::new("validate"), dir.as_os_str()], 60);
    assert_bounded("four 61 MB SDMX files", &run);
}

#[test]
fn a_long_situational_report_is_built_and_validate_says_it_runs_long() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("report");
    emn_pub().args(["-q", "init"]).arg(&dir).args(["--kind", "situational-report"]).assert().success();
    let codes = [
        "BE", "BG", "CZ", "DE", "EE", "IE", "EL", "ES", "FR", "HR", "IT", "CY", "LV", "LT", "LU", "HU", "MT", "NL",
        "AT", "PL", "PT", "RO", "SI", "SK", "FI", "SE", "NO", "GE", "MD", "UA", "ME", "AM", "RS",
    ];
    let words = "the authorities registered arrivals at the border and extended reception capacity for applicants";
    let paragraph = |count: usize| words.split(' ').cycle().take(count).collect::<Vec<_>>().join(" ") + ".";
    for code in codes {
        let answers: String =
            ["S1", "S2", "S3"].iter().map(|id| format!("## {id}\n\n{}\n\n", paragraph(100))).collect();
        write(
            &dir,
            &format!("contributions/{code}.md"),
            &format!(
                "---\ncountry: {code}\nncp: EMN NCP\nstatus: final\ndate: 2026-12-01\nlanguage: en\n---\n\n{answers}"
            ),
        );
    }
    let quoted: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    replace(&dir, "emn.toml", "countries = []", &format!("countries = [{}]", quoted.join(", ")));
    let (code, json) = validate_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    find_diagnostic(&json, |d| d["code"] == "too-long" && d["severity"] == "warning")
        .unwrap_or_else(|| panic!("validate says the report runs long: {json:#}"));
    let out = outer.path().join("report.zip");
    emn_pub().arg("build-package").arg(&dir).arg("--out").arg(&out).assert().success();
    let pdf = &unzip(&out)["situational-report.pdf"];
    let text = squeeze(&pdf_text(pdf));
    assert!(text.contains(&squeeze("Serbia")) && text.contains(&squeeze("Belgium")), "every update is printed");
}

/// The codes `validate --format json` gives for the package in `dir`.
fn codes(dir: &Path) -> Vec<(String, String)> {
    let (_, json) = validate_json(dir);
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn the_low_items_of_the_manifest_and_front_matter_are_each_reported() {
    let outer = tempfile::tempdir().unwrap();
    let report = outer.path().join("report");
    emn_pub().args(["-q", "init"]).arg(&report).args(["--kind", "situational-report"]).assert().success();
    let manifest = std::fs::read_to_string(report.join("emn.toml")).unwrap();
    let as_of = manifest.lines().find(|l| l.starts_with("as-of")).unwrap().to_string();
    for (wrong, said) in
        [("as-of = 0001-01-01", "`as-of` is in the year 1"), ("as-of = 9999-12-31", "`as-of` is in the year 9999")]
    {
        replace(&report, "emn.toml", &as_of, wrong);
        let found = codes(&report);
        assert!(found.iter().any(|(c, m)| c == "bad-manifest" && m.contains(said)), "{wrong}: {found:?}");
        replace(&report, "emn.toml", wrong, &as_of);
    }
    replace(&report, "emn.toml", &as_of, "as-of = 2019-05-01");
    assert!(codes(&report).iter().any(|(c, _)| c == "as-of-outside-period"));
    replace(&report, "emn.toml", "as-of = 2019-05-01", &as_of);
    replace(&report, "emn.toml", "edition = 1", "edition = 9223372036854775807");
    assert!(codes(&report).iter().any(|(c, m)| c == "bad-manifest" && m.contains("`edition`")));
    replace(&report, "emn.toml", "edition = 9223372036854775807", "edition = 1");
    replace(&report, "emn.toml", "countries = []", &format!("countries = [{}\"CZ\"]", "\"AT\", ".repeat(10_000)));
    let duplicates: Vec<_> = codes(&report).into_iter().filter(|(c, _)| c == "duplicate-country").collect();
    assert_eq!(duplicates.len(), 1, "one warning for AT: {duplicates:?}");
    assert!(duplicates[0].1.contains("10000 times"), "{duplicates:?}");

    let package = copy_package(&sample());
    let dir = package.path();
    for (language, shown) in [("zz", "zz"), ("\"x-<script>\"", "x-<script>")] {
        replace(dir, "contributions/AT.md", "language: en", &format!("language: {language}"));
        let found = codes(dir);
        assert!(found.iter().any(|(c, m)| c == "bad-language" && m.contains(shown)), "{language}: {found:?}");
        replace(dir, "contributions/AT.md", &format!("language: {language}"), "language: en");
    }
    // A country's code written for its language gets the language's code as a hint.
    replace(dir, "contributions/CZ.md", "language: en", "language: cz");
    let output = emn_pub().arg("validate").arg(dir).output().unwrap();
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(printed.contains("its language is written `cs`"), "cz → cs: {printed}");
    replace(dir, "contributions/CZ.md", "language: cz", "language: en");
    open_answer_with(
        dir,
        "contributions/CZ.md",
        "## Q1.2",
        "![Permits by year](../assets/cz-permits.svg \"Source: the ministry\")",
    );
    assert!(codes(dir).iter().any(|(c, m)| c == "image-title" && m.contains("Source: the ministry")));
}

#[test]
fn init_refuses_before_it_writes_and_watch_refuses_a_device_as_its_folder() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("bulletin");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("eu.md"), "The editors' own words.\n").unwrap();
    emn_pub().args(["init"]).arg(&dir).args(["--kind", "bulletin"]).assert().code(2);
    assert!(!dir.join("emn.toml").exists(), "nothing written by a refused init");
    assert_eq!(std::fs::read_to_string(dir.join("eu.md")).unwrap(), "The editors' own words.\n");

    let package = copy_package(&sample());
    let run = run_measured(
        &[OsStr::new("watch"), package.path().as_os_str(), OsStr::new("--out-dir"), OsStr::new("/dev/null")],
        10,
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.seconds < 5.0 && run.stderr.contains("is not a folder"), "{:.1} s: {}", run.seconds, run.stderr);
}

#[test]
fn a_bundle_without_emn_toml_or_with_a_huge_source_says_so_by_the_bundles_name() {
    let dir = tempfile::tempdir().unwrap();
    let manifest =
        br#"{"package": "p", "kind": "study", "sources": [{"path": "contributions/CZ.md", "sha256": "00"}]}"#;
    let no_toml = dir.path().join("no-toml.zip");
    std::fs::write(&no_toml, zip_of(&[("manifest.json", manifest), ("sources/contributions/CZ.md", b"x")])).unwrap();
    let output = emn_pub().arg("build-package").arg(&no_toml).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("no-toml.zip") && stderr.contains("holds no emn.toml"), "{stderr}");
    assert!(!stderr.contains(".emn-pub-sources"), "not the unpacked folder: {stderr}");

    let zeros = vec![0u8; 65 * 1024 * 1024];
    let big = dir.path().join("big.zip");
    let manifest = br#"{"package": "p", "kind": "study", "sources": [{"path": "emn.toml", "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}, {"path": "statistics/big.csv", "sha256": "00"}]}"#;
    std::fs::write(
        &big,
        zip_of(&[("manifest.json", manifest), ("sources/emn.toml", b""), ("sources/statistics/big.csv", &zeros)]),
    )
    .unwrap();
    let output = emn_pub().arg("build-package").arg(&big).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("statistics/big.csv unpacks to more than 64 MB, the most one file"), "{stderr}");
}

#[test]
fn an_answer_of_a_hundred_thousand_words_rewritten_whole_gives_its_report_within_a_minute() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("package");
    copy_tree(&sample(), &dir);
    let words = ["ministry", "permits", "workers", "quota", "regions", "employers", "shortage", "labour"];
    let text = |seed: usize| -> String {
        (0..100_000)
            .map(|i| {
                let word = words[(i * 7 + seed * 13 + i / 5) % words.len()];
                if i % 15 == 14 { format!("{word}{seed}.") } else { word.to_string() }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let original = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    let with_answer = |answer: &str| {
        let at = original.find("## Q2.2").unwrap();
        let body = at + original[at..].find("\n\n").unwrap() + 2;
        let next = body + original[body..].find("\n#").unwrap();
        format!("{}{answer}\n{}", &original[..body], &original[next..])
    };
    std::fs::write(dir.join("contributions/CZ.md"), with_answer(&text(1))).unwrap();
    let first = outer.path().join("first.zip");
    emn_pub().arg("build-package").arg(&dir).arg("--out").arg(&first).assert().success();
    std::fs::write(dir.join("contributions/CZ.md"), with_answer(&text(2))).unwrap();
    let second = outer.path().join("second.zip");
    let run = run_measured(
        &[
            OsStr::new("build-package"),
            dir.as_os_str(),
            OsStr::new("--since"),
            first.as_os_str(),
            OsStr::new("--only"),
            OsStr::new("changes"),
            OsStr::new("--out"),
            second.as_os_str(),
        ],
        60,
    );
    assert_bounded("a 100,000-word rewrite --since", &run);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report = squeeze(&pdf_text(&unzip(&second)["changes.pdf"]));
    assert!(report.contains(&squeeze("Q2.2")), "the rewritten answer is listed");
}
