//! Rules over the package as a whole: who was expected to answer, the
//! ad-hoc query's deadline, one contribution per country.

use super::*;

pub(super) fn check_expected_countries(package: &Package, out: &mut Vec<Diagnostic>) {
    let text = manifest_text(package);
    for expected in &package.manifest.countries {
        let code = expected.get_ref();
        let (line, column) = line_column(text, expected.span().start);
        if countries::find(code).is_none() {
            out.push(bad_country(manifest::FILE, code).at(line, column));
        } else if package.contribution(code).is_none() && package.manifest.kind == PackageKind::AdHocQuery {
            // Countries answer a query when they can: the compilation lists
            // them as awaited (before the deadline) or not answered.
            out.push(
                Diagnostic::warning(
                    "missing-contribution",
                    manifest::FILE,
                    format!("no answer from {code} yet (contributions/{code}.md)"),
                )
                .at(line, column)
                .with_hint("the compilation lists it as awaited until the deadline, then as not answered"),
            );
        } else if package.contribution(code).is_none() && package.manifest.kind == PackageKind::SituationalReport {
            // A situational report goes out in days with the updates it has:
            // it lists the countries that did not report.
            out.push(
                Diagnostic::warning(
                    "missing-contribution",
                    manifest::FILE,
                    format!("no update from {code} for this edition (contributions/{code}.md)"),
                )
                .at(line, column)
                .with_hint("the report lists it among the countries that did not report"),
            );
        } else if package.contribution(code).is_none()
            && !package.unreadable.contains(&format!("contributions/{code}.md"))
        {
            out.push(
                Diagnostic::error("missing-contribution", manifest::FILE, format!("no contribution from {code} (expected: contributions/{code}.md)"))
                    .at(line, column)
                    .with_hint(format!("run `emn-pub new-contribution . --country {code}`, or remove {code} from `countries`, or build with --allow-incomplete")),
            );
        }
    }
}

/// An ad-hoc query past its 30-day deadline: who has not answered, and
/// who answered late (the compilation shows both).
pub(super) fn check_query_deadline(package: &Package, today: crate::dates::Date, out: &mut Vec<Diagnostic>) {
    let Some((_, due)) = package.query_deadline() else { return };
    if package.manifest.kind != PackageKind::AdHocQuery {
        return;
    }
    let missing: Vec<&str> = package
        .manifest
        .countries
        .iter()
        .map(|c| c.get_ref().as_str())
        .filter(|code| package.contribution(code).is_none() && countries::find(code).is_some())
        .collect();
    if today > due && !missing.is_empty() {
        let launched = package.manifest.launched.as_ref().map_or(0, |l| l.span().start);
        let line = line_column(manifest_text(package), launched).0;
        out.push(
            Diagnostic::warning(
                "deadline-passed",
                manifest::FILE,
                format!(
                    "the query's deadline ({}) has passed and {} {} not answered: {}",
                    due.english(),
                    missing.len(),
                    if missing.len() == 1 { "country has" } else { "countries have" },
                    missing.join(", ")
                ),
            )
            .at_line(line)
            .with_hint("remind these NCPs, or remove them from `countries` before compiling"),
        );
    }
    for (contribution, answered) in dated_after(package, due) {
        out.push(
            Diagnostic::warning(
                "late-answer",
                contribution.file(),
                format!(
                    "{} answered on {}, {} days after the deadline ({})",
                    contribution.country(),
                    answered.english(),
                    due.days_until(answered),
                    due.english()
                ),
            )
            .at_line(date_line(contribution))
            .with_hint("the compilation marks the answer as late; nothing to fix if it is"),
        );
    }
}

/// The contributions dated after `date`, with their dates.
fn dated_after(
    package: &Package,
    date: crate::dates::Date,
) -> impl Iterator<Item = (&crate::load::Contribution, crate::dates::Date)> {
    package.contributions.iter().filter_map(move |c| c.date().filter(|dated| *dated > date).map(|dated| (c, dated)))
}

/// The line of a contribution's `date` in its front matter.
fn date_line(contribution: &crate::load::Contribution) -> usize {
    contribution.document.front.date.as_ref().map_or(1, |d| d.line)
}

/// A situational report describes the situation as of one date: an update
/// dated after it is probably meant for the next edition.
pub(super) fn check_updates_after_as_of(package: &Package, out: &mut Vec<Diagnostic>) {
    let Some(as_of) = package.as_of() else { return };
    for (contribution, dated) in dated_after(package, as_of) {
        out.push(
            Diagnostic::warning(
                "update-after-as-of",
                contribution.file(),
                format!(
                    "{}'s update is dated {}, after the report's as-of date ({})",
                    contribution.country(),
                    dated.english(),
                    as_of.english()
                ),
            )
            .at_line(date_line(contribution))
            .with_hint("keep it for the next edition, or move `as-of` in emn.toml"),
        );
    }
}

/// A situational report of more words than its six pages hold when set
/// compactly: `too-long`, a warning, since an urgent report goes out with
/// the updates it has (the build then sets it over more pages).
pub(super) fn check_situational_length(package: &Package, out: &mut Vec<Diagnostic>) {
    use crate::limits::{
        SITUATIONAL_PAGES as MAX_PAGES, SITUATIONAL_UPDATE_WORDS as UPDATE_WORDS, SITUATIONAL_WORDS as MAX_WORDS,
    };
    if package.manifest.kind != PackageKind::SituationalReport {
        return;
    }
    let words_of = |document: &Document| count_words(&markdown::blocks_text(&document.body));
    let mut updates: Vec<(usize, &Contribution)> =
        package.contributions.iter().map(|c| (words_of(&c.document), c)).collect();
    let eu = package.eu.as_ref().map_or(0, words_of);
    let total = eu + updates.iter().map(|(words, _)| words).sum::<usize>();
    if total + UPDATE_WORDS * updates.len() <= MAX_WORDS {
        return;
    }
    updates.sort_by_key(|(words, c)| (std::cmp::Reverse(*words), c.country().to_string()));
    let longest: Vec<String> = updates.iter().take(3).map(|(words, c)| format!("{} {words}", c.country())).collect();
    out.push(
        Diagnostic::warning(
            "too-long",
            manifest::FILE,
            format!(
                "the situational report's texts hold {total} words in {} updates (eu.md {eu}; the longest updates: {}): more than its {MAX_PAGES} pages hold, so it may run over them",
                updates.len(),
                longest.join(", ")
            ),
        )
        .at_line(1)
        .with_hint(format!(
            "shorten the updates to about {} words each, or eu.md",
            (MAX_WORDS.saturating_sub(eu) / updates.len().max(1)).saturating_sub(UPDATE_WORDS).max(20)
        )),
    );
}

pub(super) fn check_duplicate_contributions(package: &Package, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for contribution in &package.contributions {
        if let Some(first) = seen.insert(contribution.country(), contribution.file()) {
            out.push(
                Diagnostic::error(
                    "duplicate-contribution",
                    contribution.file(),
                    format!("{} already has a contribution ({first})", contribution.country()),
                )
                .at_line(contribution.document.front.country.as_ref().map(|c| c.line).unwrap_or(1))
                .with_hint("keep one contribution per country"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, package};
    use super::*;

    #[test]
    fn an_expected_country_without_a_contribution_is_named_on_the_countries_line() {
        let mut out = Vec::new();
        check_expected_countries(&package(&[]), &mut out);
        assert!(out.is_empty(), "{out:?}");
        let manifest = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/labour-shortages/emn.toml"),
        )
        .unwrap()
        .replace("\"SE\", \"NO\"]", "\"SE\", \"NO\", \"FR\"]");
        check_expected_countries(&package(&[("emn.toml", &manifest)]), &mut out);
        assert_eq!(codes(&out), [("missing-contribution", Some(8))]);
        assert!(out[0].message.contains("FR"), "{}", out[0].message);
    }

    #[test]
    fn two_files_for_one_country_are_a_duplicate() {
        let (_, text) = super::super::testing::contribution("CZ", "country: CZ", "country: CZ");
        let mut out = Vec::new();
        check_duplicate_contributions(&package(&[("contributions/CZ-copy.md", &text)]), &mut out);
        assert_eq!(out.iter().map(|d| d.code).collect::<Vec<_>>(), ["duplicate-contribution"]);
    }
}
