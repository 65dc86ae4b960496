//! The three editions of one publication, read as their readers read them:
//! the PDF, the web page and (where the bundle has one) the Word file list
//! the same headings, notes, captions and contents, and a fitted
//! publication shows the same setting in each.

use crate::support::*;

/// Key findings whose every sentence stands under a heading of its own:
/// few words (the Inform plans both settings), too many lines for its
/// pages in full (typst sets the excerpts).
fn findings_too_tall_to_set_whole(dir: &std::path::Path) {
    for country in ["BE", "CZ", "DE", "EL", "AT", "SE", "NO"] {
        let later: String =
            (1..=50).map(|n| format!("### Later{country} point {n}\n\nOne short sentence here.\n\n")).collect();
        replace(
            dir,
            &format!("contributions/{country}.md"),
            "# Key findings\n",
            &format!("# Key findings\n\nOpening{country} finding of the study.\n\n{later}"),
        );
    }
}

#[test]
fn the_web_page_of_a_fitted_inform_shows_the_setting_its_pdf_has() {
    let package = copy_package(&sample());
    let dir = package.path();
    findings_too_tall_to_set_whole(dir);
    let entries = build_incomplete(dir, &dir.join("b.zip"));
    let pdf = normalise(&pdf_text(&entries["inform.pdf"]));
    let page = String::from_utf8(entries["html/inform.html"].clone()).unwrap();
    for country in ["BE", "CZ", "NO"] {
        assert!(pdf.contains(&format!("Opening{country}")), "{country}'s excerpt in the PDF");
        assert!(!pdf.contains(&format!("Later{country}")), "the PDF is set compactly");
        assert!(page.contains(&format!("Opening{country}")), "{country}'s excerpt on the web page");
        assert!(!page.contains(&format!("Later{country}")), "the web page shows the compact setting too");
    }

    // Set whole when it fits: the same in both.
    let package = copy_package(&sample());
    let entries = build_incomplete(package.path(), &package.path().join("b.zip"));
    let pdf = squeeze(&pdf_text(&entries["inform.pdf"]));
    let page = String::from_utf8(entries["html/inform.html"].clone()).unwrap();
    let later = "Ukrainian nationals under temporary protection";
    assert!(pdf.contains(&squeeze(later)) && page.contains(later), "a second finding, whole in both");
}
