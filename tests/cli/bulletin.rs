//! The quarterly Bulletin: scaffolded, filled by four NCPs, built; items
//! per theme in protocol order, and first-time applicants summed per
//! quarter from Eurostat's monthly file.

use crate::support::*;

/// Eurostat's monthly first-time applicants (SDMX-CSV), April–September
/// 2026, with the `sex = F` slice beside the totals and one month missing
/// for Sweden.
pub fn monthly_applicants() -> String {
    let mut rows =
        vec!["DATAFLOW,LAST UPDATE,freq,unit,citizen,sex,applicant,age,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG".to_string()];
    let series: [(&str, [u32; 6]); 5] = [
        ("CZ", [90, 100, 110, 120, 130, 140]),
        ("DE", [8000, 8100, 8200, 9000, 9100, 9200]),
        ("SE", [700, 710, 720, 730, 740, 750]),
        ("NO", [300, 310, 320, 330, 340, 350]),
        ("EU27_2020", [60000, 61000, 62000, 63000, 64000, 65000]),
    ];
    for (geo, values) in series {
        for (month, value) in (4..=9).zip(values) {
            for (sex, share) in [("T", 1.0), ("F", 0.4)] {
                let value = if geo == "SE" && month == 8 && sex == "T" {
                    String::new()
                } else {
                    ((f64::from(value) * share) as u32).to_string()
                };
                rows.push(format!(
                    "ESTAT:MIGR_ASYAPPCTZM(1.0),25/10/26 23:00:00,M,PER,EXT_EU27_2020,{sex},FRST,TOTAL,{geo},2026-{month:02},{value},"
                ));
            }
        }
    }
    rows.join("\n") + "\n"
}

#[test]
fn a_bulletin_from_init_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("bulletin");
    emn_pub().arg("init").arg(&package).args(["--kind", "bulletin"]).assert().success();
    let manifest = std::fs::read_to_string(package.join("emn.toml")).unwrap();
    let period_line = manifest.lines().find(|l| l.starts_with("reference-period")).unwrap().to_string();
    replace(&package, "emn.toml", &period_line, "reference-period = \"2026-Q3\"");
    // Added in an order other than the protocol's.
    for country in ["NO", "SE", "CZ", "DE"] {
        emn_pub().arg("new-contribution").arg(&package).args(["--country", country]).assert().success();
        let path = package.join(format!("contributions/{country}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = fill_theme(
            &text,
            "B1",
            &format!(
                "- 3 July 2026: {country} item on temporary protection.\n- 15 August 2026: second {country} item."
            ),
        );
        let text = fill_theme(&text, "B6", &format!("On 1 September 2026 {country} adopted a return strategy."));
        std::fs::write(&path, text).unwrap();
    }
    std::fs::write(package.join("eu.md"), "- 12 July 2026: the Council adopted the solidarity pool.\n").unwrap();
    std::fs::write(package.join("statistics/estat_migr_asyappctzm.csv"), monthly_applicants()).unwrap();

    let out = package.join("b.zip");
    emn_pub().arg("build-package").arg(&package).arg("--out").arg(&out).assert().success();
    let entries = unzip(&out);
    let text = squeeze(&pdf_text(&entries["bulletin.pdf"]));
    assert!(text.contains(&squeeze("the Council adopted the solidarity pool")), "{text}");
    let position = |needle: &str| text.find(&squeeze(needle)).unwrap_or_else(|| panic!("{needle:?} not in {text}"));
    let order: Vec<usize> =
        ["CZ item on temporary", "DE item on temporary", "SE item on temporary", "NO item on temporary"]
            .map(position)
            .into();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "protocol order, Norway last: {order:?}");
    for country in ["CZ", "DE", "SE", "NO"] {
        position(&format!("second {country} item"));
        position(&format!("{country} adopted a return strategy"));
    }
    assert!(position("EU-level developments") < position("CZ item on temporary"), "the EU section comes first");
    // Q2 and Q3 2026 summed from the months; the `sex = F` rows not counted.
    // Each row's cells (the text layer may give the last rows of a table
    // column by column).
    for row in ["Czechia 300 390 +30.0 %", "Germany 24,300 27,300 +12.3 %", "Norway 930 1,020 +9.7 %", "Sweden 2,130 :"]
    {
        for cell in row.split(' ').filter(|c| *c != "%") {
            assert!(text.contains(&squeeze(cell)), "{cell:?} of {row:?} not in {text}");
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert!(manifest["files"].as_array().unwrap().iter().any(|f| f["path"] == "bulletin.pdf"));

    // A quarter the file does not cover: the error says which months it has.
    replace(&package, "emn.toml", "reference-period = \"2026-Q3\"", "reference-period = \"2026-Q4\"");
    let output = emn_pub().arg("validate").arg(&package).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(printed.contains("error[missing-table-data]") && printed.contains("2026-04 to 2026-09"), "{printed}");
}

/// A contribution with the theme `id`'s comment replaced by `items`.
fn fill_theme(text: &str, id: &str, items: &str) -> String {
    let heading = text.find(&format!("## {id} ")).unwrap();
    let start = heading + text[heading..].find("<!--").unwrap();
    let end = start + text[start..].find("-->").unwrap() + 3;
    format!("{}{items}{}", &text[..start], &text[end..])
}
