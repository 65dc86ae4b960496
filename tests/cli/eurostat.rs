//! The statistics readers against real Eurostat files (tests/fixtures/eurostat,
//! see SOURCES.txt there): legacy bulk TSV (years running backwards), current
//! API TSV with flags, SDMX-CSV 2.0 with label columns, and an old Data
//! Explorer export that must be refused with a clear message.

use crate::support::*;

const TEMPLATE: &str = r#"
id = "eurostat-test"
kind = "study"
title = "Eurostat readers"
flash-questions = ["What do the files say?"]

[[sections]]
id = "1"
title = "Only section"
  [[sections.questions]]
  id = "Q1"
  text = "Anything to add?"
  answer = "text"
  required = true

[[tables]]
id = "T1"
title = "Net migration plus statistical adjustment"
indicator = "demo_r_gind3"
filter = { indic_de = "CNMIGRAT" }
unit = "persons (net)"
required = true

[[tables]]
id = "T2"
title = "Patent applications"
indicator = "sdg_09_40"
filter = { coop_ptn = "APPL", unit = "NR" }
unit = "number"
required = true

[[tables]]
id = "T3"
title = "Municipal waste disposed"
indicator = "env_wasmun"
filter = { wst_oper = "DSP_I", unit = "KG_HAB" }
unit = "kg per inhabitant"
required = true
"#;

fn package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "emn.toml",
        "[package]\nid = \"eurostat\"\nkind = \"study\"\ntitle = \"Eurostat readers\"\ntemplate = \"template.toml\"\nreference-period = \"2004-2019\"\ncountries = [\"AT\", \"CZ\"]\n",
    );
    write(root, "template.toml", TEMPLATE);
    for country in ["AT", "CZ"] {
        write(
            root,
            &format!("contributions/{country}.md"),
            &format!(
                "---\ncountry: {country}\nncp: NCP {country}\nstatus: final\ndate: 2025-01-10\n---\n\n## Q1 Anything?\n\nNothing.\n"
            ),
        );
    }
    write(root, "summary-cs.md", "# Shrnutí\n\nText.\n");
    std::fs::create_dir_all(root.join("statistics")).unwrap();
    for file in [
        "demo_r_gind3_TRIMMED_legacy_bulk.tsv",
        "env_wasmun_TRIMMED_api_tsv.tsv",
        "sdg_09_40_TRIMMED_sdmx_csv2_labels.csv",
    ] {
        std::fs::copy(repo().join("tests/fixtures/eurostat").join(file), root.join("statistics").join(file)).unwrap();
    }
    dir
}

#[test]
fn real_eurostat_files_fill_the_annex() {
    let dir = package();
    let out = dir.path().join("b.zip");
    let output = emn_pub().arg("build-package").arg(dir.path()).arg("--out").arg(&out).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let entries = unzip(&out);
    let annex = pdf_text(&entries["statistical-annex.pdf"]);
    // Legacy bulk TSV, years descending: AT 2015..2018.
    for value in ["114,237", "65,388", "45,039", "34,948"] {
        assert!(annex.contains(value), "annex lacks {value}");
    }
    // SDMX-CSV 2.0 with labels: AT 2006.
    assert!(annex.contains("1,146"), "annex lacks the SDMX 2.0 value");
    // API TSV flags: CZ 2010 `0 e`, 2017 `0 b`.
    assert!(annex.contains("estimated") && annex.contains("break in time series"), "flag legend");
    let csv = String::from_utf8(entries["statistical-annex.csv"].clone()).unwrap();
    assert!(csv.contains("T1,demo_r_gind3,AT,2015,114237,,persons (net)"), "{csv}");
    assert!(csv.contains("T3,env_wasmun,CZ,2010,0,e,kg per inhabitant"), "{csv}");
    assert!(csv.contains("T3,env_wasmun,CZ,2017,0,b,kg per inhabitant"), "{csv}");
    // Regions (AT1, AT11...) and other countries (AL, BE) are not package countries.
    assert!(!csv.contains(",AT1,") && !csv.contains(",AL,"));
    // 16 years: the tables go on landscape pages.
    let document = lopdf::Document::load_mem(&entries["statistical-annex.pdf"]).unwrap();
    let landscape = document.get_pages().values().any(|id| {
        let page = document.get_dictionary(*id).unwrap();
        let media = page.get(b"MediaBox").and_then(|m| m.as_array()).unwrap();
        let number = |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|v| v as f32)).unwrap();
        number(&media[2]) > number(&media[3])
    });
    assert!(landscape, "wide tables on landscape pages");
}

#[test]
fn an_old_data_explorer_export_is_refused_with_a_hint() {
    let dir = package();
    std::fs::copy(
        repo().join("tests/fixtures/eurostat/migr_asydcfsta_legacy_databrowser_export.csv"),
        dir.path().join("statistics/migr_asydcfsta.csv"),
    )
    .unwrap();
    let output = emn_pub().args(["validate", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["file"] == "statistics/migr_asydcfsta.csv").unwrap();
    assert_eq!(diagnostic["code"], "bad-csv");
    assert!(diagnostic["message"].as_str().unwrap().contains("Data Explorer"));
}
