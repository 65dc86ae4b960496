//! `changes.pdf` (`build-package DIR --since OLD.zip`): what changed since
//! an earlier bundle, per country — answers added, removed or changed (the
//! words inserted and deleted marked, not only by colour), statistics whose
//! value or flag changed, countries added or gone — and the countries that
//! did not change, listed as such. Planned from the old bundle's sources
//! and the package now, as every other publication is planned.

use std::collections::BTreeMap;

use super::document::{Node, Paragraph, Span, TextStyle};
use super::{PartCache, PlanOptions, Publication, banner, country_name, heading, part, style_for};
use crate::load::markdown::blocks_text;
use crate::load::{Contribution, Package};

/// The earlier edition a build compares with: its package, read from the
/// bundle's sources, and the bundle's name.
#[derive(Debug)]
pub struct Earlier {
    pub package: Package,
    pub name: String,
}

/// The words of a change between two texts, as spans: unchanged words as
/// text, and each run of changes as the old words deleted, then the new
/// ones inserted ("[− the Interior −][+ Foreign Affairs +]"), a space
/// between two changed words belonging to the run.
pub fn word_changes(old: &str, new: &str) -> Vec<Span> {
    use similar::ChangeTag;
    let diff = similar::TextDiff::from_words(old, new);
    let tokens: Vec<(ChangeTag, &str)> = diff.iter_all_changes().map(|c| (c.tag(), c.value())).collect();
    let mut out: Vec<Span> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let (tag, value) = tokens[index];
        if tag == ChangeTag::Equal {
            match out.last_mut() {
                Some(Span::Text(run)) => run.push_str(value),
                _ => out.push(Span::Text(value.to_string())),
            }
            index += 1;
            continue;
        }
        let (mut deleted, mut inserted) = (String::new(), String::new());
        while index < tokens.len() {
            let (tag, value) = tokens[index];
            let space_inside = tag == ChangeTag::Equal
                && value.trim().is_empty()
                && tokens.get(index + 1).is_some_and(|(next, _)| *next != ChangeTag::Equal);
            match tag {
                ChangeTag::Delete => deleted.push_str(value),
                ChangeTag::Insert => inserted.push_str(value),
                ChangeTag::Equal if space_inside => {
                    deleted.push_str(value);
                    inserted.push_str(value);
                }
                ChangeTag::Equal => break,
            }
            index += 1;
        }
        for (run, make) in [(deleted, Span::Deleted as fn(String) -> Span), (inserted, Span::Inserted)] {
            if !run.trim().is_empty() {
                out.extend(trimmed(run, make));
            }
        }
    }
    out
}

fn trimmed(run: String, make: fn(String) -> Span) -> Vec<Span> {
    let start = run.len() - run.trim_start().len();
    let end = run.trim_end().len();
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::Text(run[..start].to_string()));
    }
    spans.push(make(run[start..end].to_string()));
    if end < run.len() {
        spans.push(Span::Text(run[end..].to_string()));
    }
    spans
}

/// Statistics of a package by (indicator, country, period, breakdowns):
/// the value as printed and its flag.
fn statistics(package: &Package) -> BTreeMap<(String, String, String, String), (String, String)> {
    package
        .observations
        .iter()
        .map(|o| {
            let breakdowns: Vec<String> = o.breakdowns.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let shown = o.value.map_or_else(|| ":".to_string(), |value| format!("{value:.*}", usize::from(o.decimals)));
            ((o.indicator.clone(), o.country.clone(), o.period.clone(), breakdowns.join(", ")), (shown, o.flag.clone()))
        })
        .collect()
}

fn shown((value, flag): &(String, String)) -> String {
    if flag.is_empty() { value.clone() } else { format!("{value} ({flag})") }
}

/// What changed in one country's contribution, as nodes (empty: nothing).
fn country_changes(old: Option<&Contribution>, new: &Contribution, package: &Package, cache: &PartCache) -> Vec<Node> {
    let mut nodes = Vec::new();
    let style = style_for(new.document.language());
    let mut ids: Vec<String> = package.template.questions().map(|q| q.id.get_ref().clone()).collect();
    // Key findings are compared as an answer of their own.
    ids.insert(0, String::new());
    for id in ids {
        let (before, now, label) = if id.is_empty() {
            let text = |c: &Contribution| c.document.key_findings().map(|k| blocks_text(&k.blocks));
            (old.and_then(text), text(new), "Key findings".to_string())
        } else {
            let text = |c: &Contribution| c.document.filled_answer(&id).map(|a| blocks_text(&a.blocks));
            let question = package.template.questions().find(|q| *q.id.get_ref() == id);
            (old.and_then(text), text(new), question.map_or(id.clone(), |q| format!("{id} {}", q.text)))
        };
        match (before, now) {
            (Some(before), Some(now)) if before.split_whitespace().eq(now.split_whitespace()) => {}
            (Some(before), Some(now)) => {
                nodes.push(Node::Kicker(format!("Changed: {label}")));
                nodes.push(Node::Paragraph(Paragraph { spans: word_changes(&before, &now), style }));
            }
            (None, Some(_)) => {
                nodes.push(Node::Kicker(format!("Added: {label}")));
                let blocks = if id.is_empty() {
                    new.document.key_findings().map(|k| k.blocks.as_slice())
                } else {
                    new.document.filled_answer(&id).map(|a| a.blocks.as_slice())
                };
                if let Some(blocks) = blocks {
                    nodes.push(part(cache, package, &new.document, blocks, 3, style));
                }
            }
            (Some(before), None) => {
                nodes.push(Node::Kicker(format!("Removed: {label}")));
                nodes.push(Node::Paragraph(Paragraph { spans: vec![Span::Deleted(before)], style }));
            }
            (None, None) => {}
        }
    }
    nodes
}

/// `changes.pdf` of `package` since the bundle whose sources are `old`.
pub fn plan(old: &Package, package: &Package, options: &PlanOptions, since: &str) -> Publication {
    let cache = PartCache::default();
    let title = format!("{} – what changed", package.manifest.title);
    let mut doc = super::doc(package, options, &title, "en", "What changed since the last edition", false);
    let old_by_country: BTreeMap<&str, &Contribution> = old.contributions.iter().map(|c| (c.country(), c)).collect();
    let new_by_country: BTreeMap<&str, &Contribution> =
        package.contributions.iter().map(|c| (c.country(), c)).collect();
    let added: Vec<&str> =
        package.contributions.iter().map(|c| c.country()).filter(|c| !old_by_country.contains_key(c)).collect();
    let gone: Vec<&str> =
        old.contributions.iter().map(|c| c.country()).filter(|c| !new_by_country.contains_key(c)).collect();
    let (old_statistics, new_statistics) = (statistics(old), statistics(package));

    let mut changed_countries = Vec::new();
    let mut unchanged = Vec::new();
    let mut body = Vec::new();
    for contribution in &package.contributions {
        let code = contribution.country();
        let name = country_name(code, "en");
        let mut nodes = match old_by_country.get(code) {
            None => {
                let mut nodes =
                    vec![Node::Note(format!("{name} is new in this edition: its whole contribution is added."))];
                nodes.extend(country_changes(None, contribution, package, &cache));
                nodes
            }
            Some(before) => country_changes(Some(before), contribution, package, &cache),
        };
        let statistics_changed: Vec<String> = new_statistics
            .iter()
            .filter(|((_, country, _, _), _)| country == code)
            .filter_map(|(key, now)| match old_statistics.get(key) {
                Some(before) if before == now => None,
                Some(before) => Some(format!("{} {}: {} → {}", key.0, key.2, shown(before), shown(now))),
                None => Some(format!("{} {}: new, {}", key.0, key.2, shown(now))),
            })
            .chain(
                old_statistics
                    .iter()
                    .filter(|(key, _)| key.1 == code && !new_statistics.contains_key(*key))
                    .map(|(key, before)| format!("{} {}: {} removed", key.0, key.2, shown(before))),
            )
            .collect();
        if !statistics_changed.is_empty() {
            nodes.push(Node::Kicker("Statistics changed".into()));
            nodes.push(Node::List {
                ordered: false,
                items: statistics_changed.into_iter().map(|s| vec![Span::Text(s)]).collect(),
            });
        }
        if nodes.is_empty() {
            unchanged.push(name);
        } else {
            changed_countries.push(name.clone());
            body.push(heading(2, &name, TextStyle::default()));
            body.extend(nodes);
        }
    }
    for code in &gone {
        let name = country_name(code, "en");
        body.push(heading(2, &name, TextStyle::default()));
        body.push(Node::Gap(format!(
            "{name}'s contribution is no longer in the package: it was removed since the last edition."
        )));
    }

    let names = |codes: &[&str]| codes.iter().map(|c| country_name(c, "en")).collect::<Vec<_>>().join(", ");
    doc.body.push(banner(
        "What changed",
        &package.manifest.title,
        &[("Compared with", since.to_string()), ("Built", options.date.english())],
    ));
    doc.body.push(heading(1, "Summary", TextStyle::default()));
    let none = || "none".to_string();
    let summary = [
        ("Changed", if changed_countries.is_empty() { none() } else { changed_countries.join(", ") }),
        ("Added", if added.is_empty() { none() } else { names(&added) }),
        ("Removed", if gone.is_empty() { none() } else { names(&gone) }),
        ("Unchanged", if unchanged.is_empty() { none() } else { unchanged.join(", ") }),
    ];
    doc.body.push(Node::Facts(summary.iter().map(|(l, v)| (l.to_string(), v.clone())).collect()));
    doc.body.push(Node::SmallPrint(vec![Span::Text(
        "Inserted words are marked [+ … +] and underlined; deleted words [− … −] and struck through.".into(),
    )]));
    if !body.is_empty() {
        doc.body.push(heading(1, "Changes by country", TextStyle::default()));
        doc.body.extend(body);
    }
    Publication {
        path: "changes.pdf".into(),
        kind: super::FileKind::Changes,
        country: None,
        name: "changes".into(),
        doc,
        page_limit: None,
        word: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_run_of_words_is_deleted_then_inserted_in_marks() {
        let spans = word_changes(
            "Ministry of the Interior, through its Department.",
            "The Ministry of Foreign Affairs, through its Department.",
        );
        assert_eq!(
            spans,
            [
                Span::Inserted("The".into()),
                Span::Text(" Ministry of ".into()),
                Span::Deleted("the Interior,".into()),
                Span::Inserted("Foreign Affairs,".into()),
                Span::Text(" through its Department.".into()),
            ]
        );
        assert_eq!(word_changes("same words", "same words"), [Span::Text("same words".into())]);
    }

    #[test]
    fn changes_name_what_was_added_changed_removed_and_left_alone() {
        let old = crate::testing::package(&[]);
        let (path, text) = crate::testing::contribution(
            "CZ",
            "Ministry of the Interior, through",
            "The Ministry of Foreign Affairs, through",
        );
        let new = crate::testing::package(&[(&path, &text)]);
        let options = PlanOptions { date: crate::dates::Date::from_unix(1_700_000_000), allow_incomplete: true };
        let changes = plan(&old, &new, &options, "old.zip");
        let outline = changes.doc.outline();
        assert_eq!(
            outline.iter().filter(|(level, _)| *level == 2).map(|(_, t)| t.as_str()).collect::<Vec<_>>(),
            ["Czechia"]
        );
        let facts = changes
            .doc
            .nodes()
            .into_iter()
            .find_map(|n| if let Node::Facts(f) = n { Some(f.clone()) } else { None })
            .unwrap();
        assert_eq!(facts[0], ("Changed".to_string(), "Czechia".to_string()));
        assert!(facts[3].1.contains("Belgium") && !facts[3].1.contains("Czechia"), "{facts:?}");
        let deleted = changes
            .doc
            .nodes()
            .into_iter()
            .any(|n| matches!(n, Node::Paragraph(p) if p.spans.contains(&Span::Deleted("the Interior,".into()))));
        assert!(deleted);
    }
}
