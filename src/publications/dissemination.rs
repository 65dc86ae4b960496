//! What is for the EMN network only, per edition, decided once on the
//! package before anything is planned: every publication, the changes
//! report and every writer then receive text that is already right for
//! the edition, and none of them can forget a rule.
//!
//! - The network edition prints everything and marks each text that is
//!   for the network only ("For the EMN network only: not for
//!   publication") where it begins.
//! - The public edition replaces each such text by a notice in the text's
//!   language; the country still counts among those that answered, and a
//!   closed answer is counted as "answered, not for publication". Its
//!   notes, its words (for the Glossary's "Terms used") and every other
//!   trace of it are dropped.

use crate::load::answers::Closed;
use crate::load::document::has_no_content;
use crate::load::markdown::{Block, Inline, walk_inlines};

use crate::load::{Contribution, Edition, Package};

/// Prepares `package` for `edition`: see the module's description.
pub fn prepare(package: &mut Package, edition: Edition) {
    package.edition = edition;
    for contribution in &mut package.contributions {
        match edition {
            Edition::Network => mark(contribution),
            Edition::Public => withhold(contribution),
        }
    }
}

/// The words that stand for a withheld text, and that mark a restricted
/// one, in `lang` (English where emn-pub has no words of the language).
pub fn words(lang: &str) -> (&'static str, &'static str) {
    const WORDS: [(&str, &str, &str); 16] = [
        (
            "en",
            "This answer is for the EMN network only and is not published.",
            "For the EMN network only: not for publication.",
        ),
        (
            "cs",
            "Tato odpověď je určena pouze pro síť EMN a nezveřejňuje se.",
            "Pouze pro síť EMN: není určeno ke zveřejnění.",
        ),
        (
            "sk",
            "Táto odpoveď je určená len pre sieť EMN a nezverejňuje sa.",
            "Len pre sieť EMN: nie je určené na zverejnenie.",
        ),
        (
            "de",
            "Diese Antwort ist nur für das EMN-Netzwerk bestimmt und wird nicht veröffentlicht.",
            "Nur für das EMN-Netzwerk: nicht zur Veröffentlichung.",
        ),
        (
            "fr",
            "Cette réponse est réservée au réseau EMN et n'est pas publiée.",
            "Réservé au réseau EMN : ne pas publier.",
        ),
        (
            "es",
            "Esta respuesta es solo para la red EMN y no se publica.",
            "Solo para la red EMN: no destinado a publicación.",
        ),
        (
            "it",
            "Questa risposta è riservata alla rete EMN e non è pubblicata.",
            "Riservato alla rete EMN: non destinato alla pubblicazione.",
        ),
        (
            "pl",
            "Ta odpowiedź jest przeznaczona wyłącznie dla sieci EMN i nie jest publikowana.",
            "Wyłącznie dla sieci EMN: nie do publikacji.",
        ),
        (
            "nl",
            "Dit antwoord is alleen voor het EMN-netwerk en wordt niet gepubliceerd.",
            "Alleen voor het EMN-netwerk: niet voor publicatie.",
        ),
        (
            "pt",
            "Esta resposta destina-se apenas à rede EMN e não é publicada.",
            "Apenas para a rede EMN: não se destina a publicação.",
        ),
        (
            "sv",
            "Detta svar är endast avsett för EMN-nätverket och publiceras inte.",
            "Endast för EMN-nätverket: ej för publicering.",
        ),
        (
            "fi",
            "Tämä vastaus on vain EMN-verkoston käyttöön, eikä sitä julkaista.",
            "Vain EMN-verkoston käyttöön: ei julkaistavaksi.",
        ),
        ("hr", "Ovaj je odgovor namijenjen samo mreži EMN i ne objavljuje se.", "Samo za mrežu EMN: nije za objavu."),
        ("sl", "Ta odgovor je namenjen samo mreži EMN in se ne objavi.", "Samo za mrežo EMN: ni za objavo."),
        (
            "ro",
            "Acest răspuns este destinat doar rețelei EMN și nu este publicat.",
            "Doar pentru rețeaua EMN: nu este destinat publicării.",
        ),
        (
            "no",
            "Dette svaret er bare for EMN-nettverket og publiseres ikke.",
            "Bare for EMN-nettverket: ikke for publisering.",
        ),
    ];
    let code = super::words::words(lang).lang;
    let (_, notice, marker) = WORDS.iter().find(|(l, _, _)| *l == code).unwrap_or(&WORDS[0]);
    (notice, marker)
}

fn paragraph(text: &str, strong: bool) -> Block {
    let text = Inline::Text(text.to_string());
    Block::Paragraph(vec![if strong { Inline::Strong(vec![text]) } else { Inline::Emph(vec![text]) }])
}

/// The network edition: a mark at the start of each restricted text.
fn mark(contribution: &mut Contribution) {
    let (_, marker) = words(contribution.document.language());
    let whole = contribution.document.front.network_only();
    let document = &mut contribution.document;
    for answer in document.answers.iter_mut().filter(|a| a.network_only && !a.is_empty()) {
        answer.blocks.insert(0, paragraph(marker, true));
    }
    let restricted = |s: &&mut crate::load::FreeSection| s.network_only && !has_no_content(&s.blocks);
    for section in document.sections.iter_mut().filter(restricted) {
        section.blocks.insert(0, paragraph(marker, true));
    }
    if whole && !has_no_content(&document.preamble) {
        document.preamble.insert(0, paragraph(marker, true));
    }
}

/// The public edition: each restricted text replaced by the notice, and
/// what it cited or printed dropped with it.
fn withhold(contribution: &mut Contribution) {
    let (notice, _) = words(contribution.document.language());
    let whole = contribution.document.front.network_only();
    let document = &mut contribution.document;
    let mut withheld_lines: Vec<(usize, usize)> = Vec::new();
    let mut cited: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut headings: Vec<usize> = document.answers.iter().map(|a| a.pos.line).collect();
    headings.extend(document.sections.iter().map(|s| s.pos.line));
    headings.sort_unstable();
    let next_heading = |line: usize| headings.iter().copied().find(|&h| h > line).unwrap_or(usize::MAX);
    let mut withhold_blocks = |blocks: &mut Vec<Block>, heading: usize| {
        notes_cited(blocks, &mut cited);
        withheld_lines.push((heading + 1, next_heading(heading)));
        *blocks = if has_no_content(blocks) { Vec::new() } else { vec![paragraph(notice, false)] };
    };
    for answer in document.answers.iter_mut().filter(|a| a.network_only) {
        withhold_blocks(&mut answer.blocks, answer.pos.line);
        answer.closed = answer.closed.as_ref().map(|_| Closed::NotForPublication);
    }
    for section in document.sections.iter_mut().filter(|s| s.network_only) {
        // The NCP's own heading is its own words too.
        if section.kind == crate::load::SectionKind::Other {
            section.title.clear();
        }
        withhold_blocks(&mut section.blocks, section.pos.line);
    }
    if whole {
        // Everything else of it: a title, the text before its first heading.
        document.front.title = None;
        document.preamble.clear();
        document.footnotes.clear();
        document.runs.clear();
        document.image_titles.clear();
        document.body = vec![paragraph(notice, false)];
        return;
    }
    // Notes cited by a withheld part go with it (a note numbered in a
    // published part keeps its own citation); so do the part's words.
    document.footnotes.retain(|name, _| !cited.contains(name));
    let withheld = |line: usize| withheld_lines.iter().any(|(from, to)| (*from..*to).contains(&line));
    document.runs.retain(|run| !withheld(run.pos.line));
    // The whole body as the parts now hold it (what counts its words).
    let parts = document.sections.iter().map(|s| &s.blocks).chain(document.answers.iter().map(|a| &a.blocks));
    document.body = document.preamble.iter().chain(parts.flatten()).cloned().collect();
}

/// The names of the notes `blocks` cite.
fn notes_cited(blocks: &[Block], names: &mut std::collections::BTreeSet<String>) {
    crate::load::markdown::for_each_inlines(blocks, &mut |inlines| {
        walk_inlines(inlines, &mut |inline| {
            if let Inline::FootnoteRef(name) = inline {
                names.insert(name.clone());
            }
        })
    });
}
