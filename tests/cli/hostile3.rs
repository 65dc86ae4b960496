//! Hostile files, round 3: nothing in a package reads outside it, hangs,
//! aborts or is misread; each run as a user would, within 60 s and 1.5 GiB.

use std::ffi::OsStr;
use std::path::Path;

use crate::signoff3::{heading, para, word_file};
use crate::support::*;

/// Adds a picture to CZ's answer to Q1.2 and writes its bytes.
fn with_picture(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join("assets").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    open_answer_with(dir, "contributions/CZ.md", "## Q1.2", &format!("![A map of {name}](../assets/{name})"));
}

/// `validate` and `build-package --allow-incomplete` into `hostile.zip`,
/// each bounded; the build's run.
pub fn validate_and_build(dir: &Path, what: &str) -> Measured {
    let validate = run_measured(&[OsStr::new("validate"), dir.as_os_str()], 60);
    assert_bounded(&format!("validate ({what})"), &validate);
    let out = dir.join("hostile.zip");
    let build = run_measured(
        &[
            OsStr::new("build-package"),
            dir.as_os_str(),
            OsStr::new("--allow-incomplete"),
            OsStr::new("--out"),
            out.as_os_str(),
        ],
        60,
    );
    assert_bounded(&format!("build-package ({what})"), &build);
    build
}

fn png_of(colour: [u8; 3]) -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(4, 4, image::Rgb(colour))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[cfg(target_os = "linux")]
#[test]
fn no_svg_makes_any_command_open_a_file_outside_the_package() {
    let outer = tempfile::tempdir().unwrap();
    let outer = outer.path().canonicalize().unwrap();
    let dir = outer.join("package");
    copy_tree(&sample(), &dir);
    // The same relative path from the SVG (inside) and from the working
    // directory (outside): typst reads the package's, and so must Word.
    std::fs::create_dir_all(outer.join("data")).unwrap();
    std::fs::create_dir_all(outer.join("x/y")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("assets/sub")).unwrap();
    std::fs::write(outer.join("data/pic.png"), png_of([200, 0, 0])).unwrap();
    std::fs::write(dir.join("data/pic.png"), png_of([0, 0, 200])).unwrap();
    // A FIFO outside: a reader that opened it would wait for good.
    let fifo = std::ffi::CString::new(outer.join("data/fifo.png").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let inside = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50">
      <rect width="100" height="50" fill="#036"/><image xlink:href="../../data/pic.png" width="10" height="10"/></svg>"##;
    let outside = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50">
      <image xlink:href="../../../data/pic.png" width="10" height="10"/>
      <image xlink:href="../../../data/fifo.png" x="40" width="10" height="10"/>
      <image xlink:href="/etc/passwd" x="60" width="10" height="10"/>
      <image xlink:href="file:///etc/passwd" x="80" width="10" height="10"/></svg>"##;
    with_picture(&dir, "sub/inside.svg", inside.as_bytes());
    with_picture(&dir, "sub/outside.svg", outside.as_bytes());
    let out = outer.join("b.zip");
    let has_strace = std::process::Command::new("strace").arg("-V").output().is_ok_and(|o| o.status.success());
    for args in [
        vec![OsStr::new("validate"), dir.as_os_str()],
        vec![
            OsStr::new("build-package"),
            dir.as_os_str(),
            OsStr::new("--allow-incomplete"),
            OsStr::new("--out"),
            out.as_os_str(),
        ],
    ] {
        let run = run_measured(&args, 60);
        assert_bounded("an SVG linking outside the package", &run);
        if !has_strace {
            continue;
        }
        let trace = outer.join("trace");
        let status = std::process::Command::new("timeout")
            .arg("60")
            .arg("strace")
            .args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
            .arg(&trace)
            .arg(assert_cmd::cargo::cargo_bin("emn-pub"))
            .args(&args)
            .current_dir(outer.join("x/y"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.code().is_some_and(|c| c <= 2), "{status:?}");
        let trace = std::fs::read_to_string(&trace).unwrap();
        let package = dir.to_str().unwrap();
        for line in trace.lines().filter(|l| l.contains("pic.png") || l.contains("fifo.png")) {
            assert!(line.contains(&format!("{package}/")), "opened outside the package: {line}");
        }
        assert!(!trace.lines().any(|l| l.contains("/etc/passwd")), "/etc/passwd opened");
    }
    let (_, json) = validate_json(&dir);
    find_diagnostic(&json, |d| d["code"] == "bad-image" && d["message"].as_str().unwrap_or("").contains("outside.svg"))
        .unwrap_or_else(|| panic!("the SVG linking outside is a bad-image: {json:#}"));
    let docx = unzip_bytes(&unzip(&out)["synthesis-report-draft.docx"]);
    assert!(docx.keys().any(|name| name.ends_with(".svg")), "the package's SVG is in the Word draft");
}

#[cfg(target_os = "linux")]
#[test]
fn costly_svgs_and_a_link_to_dev_zero_end_within_bounds() {
    let package = copy_package(&sample());
    let dir = package.path();
    let tall = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1e9"><rect width="1" height="1e9" fill="red"/></svg>"#;
    with_picture(dir, "tall.svg", tall.as_bytes());
    let mut blurred = String::from(r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><defs>"#);
    for i in 0..200 {
        blurred.push_str(&format!(r#"<filter id="f{i}"><feGaussianBlur stdDeviation="40"/></filter>"#));
    }
    blurred.push_str("</defs>");
    for i in 0..200 {
        blurred.push_str(&format!(r#"<g filter="url(#f{i})">"#));
    }
    blurred.push_str(r#"<rect width="400" height="400" fill="blue"/>"#);
    blurred.push_str(&"</g>".repeat(200));
    blurred.push_str("</svg>");
    with_picture(dir, "blurred.svg", blurred.as_bytes());
    let mut uses = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"><defs><rect id="u0" width="1" height="1"/>"#,
    );
    for i in 1..=30 {
        uses.push_str(&format!(r##"<g id="u{i}"><use xlink:href="#u{}"/><use xlink:href="#u{}"/></g>"##, i - 1, i - 1));
    }
    uses.push_str(r##"</defs><use xlink:href="#u30"/></svg>"##);
    with_picture(dir, "uses.svg", uses.as_bytes());
    std::os::unix::fs::symlink("/dev/zero", dir.join("assets/zero.png")).unwrap();
    with_picture_reference(dir, "zero.png");
    let build = validate_and_build(dir, "costly SVGs");
    assert!(build.code.is_some());
    let (_, json) = validate_json(dir);
    for name in ["blurred.svg", "uses.svg"] {
        find_diagnostic(&json, |d| d["code"] == "bad-image" && d["message"].as_str().unwrap_or("").contains(name))
            .unwrap_or_else(|| panic!("{name} is a bad-image naming its limit: {json:#}"));
    }
}

/// References a picture that is already there (a link) from CZ's answer.
fn with_picture_reference(dir: &Path, name: &str) {
    let contribution = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
    std::fs::write(dir.join("contributions/CZ.md"), format!("{contribution}\n![A picture {name}](../assets/{name})\n"))
        .unwrap();
}

/// Text boxes inside text boxes, `depth` deep; in Word's own form each
/// level is an `mc:AlternateContent` holding the box twice.
fn nested_text_boxes(depth: usize, alternate: bool) -> String {
    let mut inner = para("Innermost words.");
    for level in 0..depth {
        let text_box = format!("<w:drawing><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></w:drawing>");
        let run = if alternate {
            format!(
                "<mc:AlternateContent><mc:Choice Requires=\"wps\">{text_box}</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent>"
            )
        } else {
            text_box
        };
        inner = format!("<w:p><w:r><w:t xml:space=\"preserve\">Level {level} </w:t></w:r><w:r>{run}</w:r></w:p>");
    }
    inner
}

#[test]
fn nested_text_boxes_import_once_each_within_bounds() {
    for (depth, alternate) in [(24, false), (14, true)] {
        let package = copy_package(&sample());
        let dir = package.path();
        let body = [heading(1, "Key findings"), nested_text_boxes(depth, alternate)].concat();
        let docx = dir.join("nested.docx");
        let bytes = word_file(&body, None);
        // The namespaces the boxes use.
        let bytes = rewrite_document(&bytes, |xml| {
            xml.replacen(
                "<w:document ",
                "<w:document xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:v=\"urn:schemas-microsoft-com:vml\" ",
                1,
            )
        });
        std::fs::write(&docx, bytes).unwrap();
        let run = run_measured(
            &[
                OsStr::new("import-docx"),
                docx.as_os_str(),
                dir.as_os_str(),
                OsStr::new("--country"),
                OsStr::new("CZ"),
                OsStr::new("--force"),
            ],
            60,
        );
        assert_bounded(&format!("{depth} nested text boxes"), &run);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let markdown = std::fs::read_to_string(dir.join("contributions/CZ.md")).unwrap();
        assert_eq!(markdown.matches("Innermost words.").count(), 1, "each box once ({depth}, {alternate})");
        for level in 0..depth {
            assert_eq!(markdown.matches(&format!("Level {level} ")).count(), 1, "level {level} once");
        }
    }
}

/// A Word file with its document part rewritten.
pub fn rewrite_document(docx: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::Write;
    let entries = unzip_bytes(docx);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        if name == "word/document.xml" {
            zip.write_all(edit(std::str::from_utf8(&bytes).unwrap()).as_bytes()).unwrap();
        } else {
            zip.write_all(&bytes).unwrap();
        }
    }
    zip.finish().unwrap().into_inner()
}

#[cfg(target_os = "linux")]
#[test]
fn sixty_megabytes_of_an_indicator_nobody_asked_for_validate_within_bounds() {
    let package = copy_package(&sample());
    let dir = package.path();
    let mut csv = String::with_capacity(61 << 20);
    csv.push_str("indicator,country,year,value,flag\n");
    let mut row = 0u64;
    while csv.len() < 60 << 20 {
        csv.push_str(&format!("not_in_template,CZ,2020,{row},\n"));
        row += 1;
    }
    write(dir, "statistics/other.csv", &csv);
    let run = run_measured(&[OsStr::new("validate"), dir.as_os_str()], 60);
    assert_bounded("60 MB of another indicator", &run);
    assert_eq!(run.stderr.matches("unknown-indicator").count(), 1, "one warning with the count:\n{}", run.stderr);
}

#[cfg(target_os = "linux")]
#[test]
fn a_footnote_cited_thousands_of_times_and_a_huge_template_end_within_bounds() {
    let package = copy_package(&sample());
    let dir = package.path();
    let note = "Long note text. ".repeat(25_000);
    let citations = "See[^big]. ".repeat(3_000);
    replace(
        dir,
        "contributions/CZ.md",
        "# Key findings\n",
        &format!("# Key findings\n\n{citations}\n\n[^big]: {note}\n"),
    );
    let build = validate_and_build(dir, "a 400 KB note cited 3,000 times");
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let entries = unzip(&dir.join("hostile.zip"));
    let docx = unzip_bytes(&entries["synthesis-report-draft.docx"]);
    assert!(entries["synthesis-report-draft.docx"].len() < 20 << 20, "the note is in the Word draft once");
    let footnotes = String::from_utf8_lossy(&docx["word/footnotes.xml"]);
    assert!(footnotes.matches("Long note text.").count() <= 25_000 + 10, "one copy of the note");

    let huge = copy_package(&sample());
    let mut template =
        String::from("id = \"huge\"\nkind = \"study\"\ntitle = \"Huge\"\n[[sections]]\nid = \"1\"\ntitle = \"All\"\n");
    for i in 0..10_000 {
        template.push_str(&format!(
            "[[sections.questions]]\nid = \"Q1.{i}\"\ntext = \"Question {i}?\"\nanswer = \"text\"\n"
        ));
    }
    write(huge.path(), "huge.toml", &template);
    replace(huge.path(), "emn.toml", "template = \"study-generic\"", "template = \"huge.toml\"");
    let run = run_measured(&[OsStr::new("validate"), huge.path().as_os_str()], 60);
    assert_bounded("a template of 10,000 questions", &run);
    assert!(run.stderr.contains("bad-template") && run.stderr.contains("10000 questions"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn out_naming_a_device_or_fifo_leaves_it_as_it_was() {
    use std::os::unix::fs::FileTypeExt;
    let package = copy_package(&sample());
    let dir = package.path();
    let fifo = dir.join("out.fifo");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    for target in [Path::new("/dev/null"), fifo.as_path()] {
        let output =
            emn_pub().arg("build-package").arg(dir).args(["--only", "flash", "--out"]).arg(target).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stderr).contains("not a regular file"));
        let kind = std::fs::symlink_metadata(target).unwrap().file_type();
        assert!(kind.is_char_device() || kind.is_fifo(), "{} is as it was", target.display());
    }
    // Through a linked folder inside the package: refused too.
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.join("linked")).unwrap();
    let output = emn_pub()
        .arg("build-package")
        .arg(dir)
        .args(["--only", "flash", "--out"])
        .arg(dir.join("linked/b.zip"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(std::fs::read_dir(elsewhere.path()).unwrap().next().is_none(), "nothing written outside");
}

#[test]
fn the_word_draft_links_only_http_https_and_mailto() {
    let package = copy_package(&sample());
    let dir = package.path();
    let links = "[a](javascript:alert(1)) [b](vbscript:msgbox) [c](data:text/html,x) [d](file:///etc/passwd) [e](file://host/share) [f](ftp://example.org/) [g](https://example.org/) [h](mailto:ncp@example.org)";
    replace(dir, "contributions/CZ.md", "# Key findings\n", &format!("# Key findings\n\n{links}\n"));
    let out = dir.join("w.zip");
    emn_pub().arg("build-package").arg(dir).args(["--allow-incomplete", "--out"]).arg(&out).assert().success();
    let docx = unzip_bytes(&unzip(&out)["synthesis-report-draft.docx"]);
    let relationships = String::from_utf8_lossy(&docx["word/_rels/document.xml.rels"]).to_lowercase();
    for scheme in ["javascript:", "vbscript:", "file:", "data:", "ftp:"] {
        assert!(!relationships.contains(&format!("target=\"{scheme}")), "{scheme} linked: {relationships}");
    }
    assert!(relationships.contains("https://example.org/") && relationships.contains("mailto:ncp@example.org"));
    let document = String::from_utf8_lossy(&docx["word/document.xml"]);
    for text in ["javascript", "vbscript"] {
        assert!(!document.contains(&format!("{text}:")), "the link's target is not printed as a link");
    }
}

#[test]
fn malformed_eurostat_values_in_selected_rows_are_each_a_diagnostic() {
    let package = copy_package(&sample());
    let dir = package.path();
    std::fs::remove_file(dir.join("statistics/estat_migr_asyappctza.csv")).unwrap();
    let tsv = "freq,citizen,sex,applicant,age,unit,geo\\TIME_PERIOD\t2019 \t2020 \t2021 \t2022 \t2023 \n\
               A,EXT_EU27_2020,T,FRST,TOTAL,PER,BE\t1,5 \t12 3 p\tNaN \t0x10 \t7 zz\n\
               A,EXT_EU27_2020,T,FRST,TOTAL,PER,CZ\t1000 \t1100 p\t: \t1200 e\t1300 \n\
               A,EXT_EU27_2020,T,FRST,TOTAL,PER,FI\t1,5 \t1,5 \t1,5 \t1,5 \t1,5 \n";
    write(dir, "statistics/estat_migr_asyappctza.tsv", tsv);
    let (_, json) = validate_json(dir);
    let diagnostics: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "statistics/estat_migr_asyappctza.tsv")
        .collect();
    let line2: Vec<(&str, i64)> = diagnostics
        .iter()
        .filter(|d| d["line"] == 2)
        .map(|d| (d["code"].as_str().unwrap(), d["column"].as_i64().unwrap_or(0)))
        .collect();
    assert_eq!(line2.len(), 5, "one per malformed cell of BE: {diagnostics:#?}");
    assert_eq!(line2.iter().filter(|(code, _)| *code == "bad-value").count(), 4, "{line2:?}");
    assert_eq!(line2.iter().filter(|(code, _)| *code == "unknown-flag").count(), 1, "{line2:?}");
    let columns: std::collections::BTreeSet<i64> = line2.iter().map(|(_, column)| *column).collect();
    assert_eq!(columns.len(), 5, "each at its own cell: {line2:?}");
    assert!(
        diagnostics.iter().all(|d| d["line"] != 3 && d["line"] != 4),
        "clean rows and countries not shown: {diagnostics:#?}"
    );
}

#[test]
fn a_malformed_source_date_epoch_is_an_error() {
    for bad in ["garbage", "1e9", "1750000000.5"] {
        let output = emn_pub()
            .env("SOURCE_DATE_EPOCH", bad)
            .arg("build-package")
            .arg(sample())
            .args(["--only", "flash", "--out", "/nonexistent/never.zip"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("SOURCE_DATE_EPOCH"), "{bad}");
    }
}
