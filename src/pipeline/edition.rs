//! What an edition (the network's, the public one) prints of a package.

use crate::load::{self, Package};

/// What the public edition refuses that `validate` accepts: a draft
/// contribution (an error there; with `--allow-incomplete` it is printed,
/// marked as a draft, as in the network edition).
pub fn edition_problems(package: &Package, edition: load::Edition) -> Vec<crate::diagnostic::Diagnostic> {
    if edition != load::Edition::Public {
        return Vec::new();
    }
    package
        .contributions
        .iter()
        .filter(|c| c.document.front.parsed_status == Some(load::Status::Draft))
        .map(|c| {
            let line = c.document.front.status.as_ref().map_or(1, |s| s.line);
            crate::diagnostic::Diagnostic::error(
                "draft-in-public-edition",
                c.file(),
                format!("{} is a draft, and the public edition publishes final texts only", c.country()),
            )
            .at_line(line)
            .with_hint("set `status: final` once the NCP has approved it, or build the public edition with --allow-incomplete (drafts are then marked)")
        })
        .collect()
}

/// The package as the publications of `edition` are planned from: only
/// contributions whose country can be published, and what is for the
/// network only marked (network edition) or withheld (public edition).
pub fn for_edition(package: &mut Package, edition: load::Edition) {
    keep_publishable_contributions(package);
    crate::publications::dissemination::prepare(package, edition);
}

/// With `--allow-incomplete`, contributions whose country is not an EMN
/// code (or repeats one) are left out of the publications: a country code
/// becomes a path (`national/CC.pdf`) and a typst file name, so only
/// checked codes may.
fn keep_publishable_contributions(package: &mut Package) {
    let mut seen = std::collections::BTreeSet::new();
    package
        .contributions
        .retain(|c| crate::countries::find(c.country()).is_some() && seen.insert(c.country().to_string()));
}
