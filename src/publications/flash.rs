//! The Flash: exactly one A4 page — title, the template's flash questions,
//! scope (countries, reference period) and publication date.
//!
//! The build checks the page count: a Flash that overflows is first set
//! more compactly (never below 9 pt), and if it still does not fit the
//! build fails naming what to shorten.

use super::{Fit, PlanOptions, Publication, preamble, string_array, text};
use crate::load::Package;

pub fn plan(package: &Package, options: &PlanOptions, fit: Fit) -> Publication {
    let title = format!("{} – EMN Flash", package.manifest.title);
    let mut markup = preamble(&title, "en", "", false);
    let (size, margin) = match fit {
        Fit::Normal => ("11pt", "2cm"),
        Fit::Compact => ("9pt", "1.4cm"),
    };
    let countries: Vec<String> = package.contributions.iter().map(|c| c.country().to_string()).collect();
    let period = Some(super::reference_period(package)).filter(|p| !p.is_empty()).unwrap_or_else(|| "–".into());
    markup.push_str(&format!(
        "#set page(margin: {margin}, header: none, footer: none)\n#set text(size: {size})\n\
         #block(width: 100%, fill: emn-blue, inset: 14pt, radius: 2pt)[#set text(fill: white)\n#text(size: 9pt, weight: \"bold\", tracking: 0.08em)[EMN FLASH]\\\n#text(size: 1.7em, weight: \"bold\")[{}]]\n\n",
        text(&package.manifest.title)
    ));
    markup.push_str("#kicker[What the study answers]\n\n#enum(");
    for question in &package.template.flash_questions {
        markup.push_str(&format!("[{}], ", text(question)));
    }
    markup.push_str(")\n\n#kicker[Scope]\n\n");
    markup.push_str(&format!(
        "#grid(columns: (4cm, 1fr), row-gutter: 0.6em, ..{}.map(x => [#x]))\n\n",
        string_array([
            "Countries".to_string(),
            format!("{} ({})", countries.len(), countries.join(", ")),
            "Reference period".to_string(),
            period,
            "Template".to_string(),
            package.template.title.clone(),
            "Published".to_string(),
            options.date.english(),
        ])
    ));
    markup.push_str("#v(1fr)\n#text(size: 8pt, fill: emn-grey)[European Migration Network · National Contributions, the EU Synthesis Report and the Statistical Annex are part of this package.]\n");
    Publication {
        path: "flash.pdf".into(),
        kind: "flash",
        country: None,
        name: format!("flash-{fit:?}").to_lowercase(),
        markup,
    }
}
