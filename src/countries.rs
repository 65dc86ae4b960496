//! EMN country codes, names and the EU protocol order.
//!
//! Codes follow Eurostat/EMN usage (`EL` for Greece). EMN members are the EU
//! states except Denmark; observers come after the members in every listing.

/// One EMN country: code, English name, Czech name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_cs: &'static str,
    pub observer: bool,
}

const fn member(code: &'static str, name_en: &'static str, name_cs: &'static str) -> Country {
    Country { code, name_en, name_cs, observer: false }
}

const fn observer(code: &'static str, name_en: &'static str, name_cs: &'static str) -> Country {
    Country { code, name_en, name_cs, observer: true }
}

/// EMN members in EU protocol order (Denmark is not an EMN member), then observers.
pub const COUNTRIES: &[Country] = &[
    member("BE", "Belgium", "Belgie"),
    member("BG", "Bulgaria", "Bulharsko"),
    // The EU's and the EMN's short names (EU Interinstitutional Style Guide).
    member("CZ", "Czechia", "Česko"),
    member("DE", "Germany", "Německo"),
    member("EE", "Estonia", "Estonsko"),
    member("IE", "Ireland", "Irsko"),
    member("EL", "Greece", "Řecko"),
    member("ES", "Spain", "Španělsko"),
    member("FR", "France", "Francie"),
    member("HR", "Croatia", "Chorvatsko"),
    member("IT", "Italy", "Itálie"),
    member("CY", "Cyprus", "Kypr"),
    member("LV", "Latvia", "Lotyšsko"),
    member("LT", "Lithuania", "Litva"),
    member("LU", "Luxembourg", "Lucembursko"),
    member("HU", "Hungary", "Maďarsko"),
    member("MT", "Malta", "Malta"),
    member("NL", "Netherlands", "Nizozemsko"),
    member("AT", "Austria", "Rakousko"),
    member("PL", "Poland", "Polsko"),
    member("PT", "Portugal", "Portugalsko"),
    member("RO", "Romania", "Rumunsko"),
    member("SI", "Slovenia", "Slovinsko"),
    member("SK", "Slovakia", "Slovensko"),
    member("FI", "Finland", "Finsko"),
    member("SE", "Sweden", "Švédsko"),
    observer("NO", "Norway", "Norsko"),
    observer("GE", "Georgia", "Gruzie"),
    observer("MD", "Moldova", "Moldavsko"),
    observer("UA", "Ukraine", "Ukrajina"),
    observer("ME", "Montenegro", "Černá Hora"),
    observer("AM", "Armenia", "Arménie"),
    observer("RS", "Serbia", "Srbsko"),
    observer("MK", "North Macedonia", "Severní Makedonie"),
];

/// Each country's own name in its own languages (the EU Interinstitutional
/// Style Guide's short names), for the cover of a national PDF written in
/// that language: `(code, language, name)`.
const OWN_NAMES: &[(&str, &str, &str)] = &[
    ("BE", "nl", "België"),
    ("BE", "fr", "Belgique"),
    ("BE", "de", "Belgien"),
    ("BG", "bg", "България"),
    ("CZ", "cs", "Česko"),
    ("DE", "de", "Deutschland"),
    ("EE", "et", "Eesti"),
    ("IE", "ga", "Éire"),
    ("EL", "el", "Ελλάδα"),
    ("ES", "es", "España"),
    ("FR", "fr", "France"),
    ("HR", "hr", "Hrvatska"),
    ("IT", "it", "Italia"),
    ("CY", "el", "Κύπρος"),
    ("LV", "lv", "Latvija"),
    ("LT", "lt", "Lietuva"),
    ("LU", "fr", "Luxembourg"),
    ("LU", "de", "Luxemburg"),
    ("LU", "lb", "Lëtzebuerg"),
    ("HU", "hu", "Magyarország"),
    ("MT", "mt", "Malta"),
    ("NL", "nl", "Nederland"),
    ("AT", "de", "Österreich"),
    ("PL", "pl", "Polska"),
    ("PT", "pt", "Portugal"),
    ("RO", "ro", "România"),
    ("SI", "sl", "Slovenija"),
    ("SK", "sk", "Slovensko"),
    ("FI", "fi", "Suomi"),
    ("FI", "sv", "Finland"),
    ("SE", "sv", "Sverige"),
    ("NO", "no", "Norge"),
    ("NO", "nb", "Norge"),
    ("NO", "nn", "Noreg"),
    ("GE", "ka", "საქართველო"),
    ("MD", "ro", "Republica Moldova"),
    ("UA", "uk", "Україна"),
    ("ME", "cnr", "Crna Gora"),
    ("ME", "sr", "Crna Gora"),
    ("AM", "hy", "Հայաստան"),
    ("RS", "sr", "Srbija"),
    ("MK", "mk", "Северна Македонија"),
];

/// The language of a language tag, lower case: `cs-CZ` → `cs`, `DE` → `de`.
pub fn primary_language(tag: &str) -> String {
    tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// A `language:` tag as a reader's tools take it (`cs`, `de-AT`,
/// `sr-Latn`), when it is well-formed BCP 47 and CLDR knows its language
/// (it has likely subtags: `zz`, `x-…` and `und` have none); else `None`.
pub fn known_language(tag: &str) -> Option<String> {
    static EXPANDER: std::sync::OnceLock<icu_locale::LocaleExpander> = std::sync::OnceLock::new();
    let tag = tag.trim().replace('_', "-");
    let parsed = icu_locale::LanguageIdentifier::try_from_str(&tag).ok()?;
    let mut language = icu_locale::LanguageIdentifier::from(parsed.language);
    if language.language.is_unknown() {
        return None;
    }
    // Montenegrin, an observer's language, has no likely subtags in CLDR.
    if language.language.as_str() == "cnr" {
        return Some(parsed.to_string());
    }
    let expander = EXPANDER.get_or_init(icu_locale::LocaleExpander::new_extended);
    (expander.maximize(&mut language) == icu_locale::TransformResult::Modified).then(|| parsed.to_string())
}

/// The languages a country's NCP may write in (`CZ` → `cs`), for a hint
/// when a `language:` names the country instead (`cz`).
pub fn languages_of(code: &str) -> Vec<&'static str> {
    let code = code.to_ascii_uppercase();
    OWN_NAMES.iter().filter(|(c, _, _)| *c == code).map(|(_, lang, _)| *lang).collect()
}

/// A country's own name in `lang`, if `lang` is one of its languages.
pub fn own_name(code: &str, lang: &str) -> Option<&'static str> {
    let lang = primary_language(lang);
    OWN_NAMES.iter().find(|(c, l, _)| *c == code && *l == lang).map(|(_, _, name)| *name)
}

/// The NCP's name written when a contribution names none
/// (`new-contribution`, `import-docx`): the tool's words, in English.
pub fn default_ncp(code: &str) -> String {
    format!("EMN National Contact Point {}", find(code).map_or(code, |c| c.name_en))
}

/// Eurostat's code for the EU total.
pub const EU_TOTAL: &str = "EU27_2020";

/// Looks a country up by its EMN code (exact, upper case).
pub fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Position in protocol order; unknown codes sort last.
pub fn protocol_rank(code: &str) -> usize {
    COUNTRIES.iter().position(|c| c.code == code).unwrap_or(usize::MAX)
}

/// A hint for common mistakes: ISO codes where EMN uses other ones.
pub fn suggestion(code: &str) -> Option<&'static str> {
    match code.to_ascii_uppercase().as_str() {
        "GR" => Some("EL"),
        other => find(other).map(|c| c.code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_order_puts_members_before_observers() {
        assert!(protocol_rank("BE") < protocol_rank("SE"));
        assert!(protocol_rank("SE") < protocol_rank("NO"));
        assert!(find("DK").is_none(), "Denmark is not an EMN member");
        assert_eq!(suggestion("gr"), Some("EL"));
        assert_eq!(find("CZ").unwrap().name_cs, "Česko");
    }

    #[test]
    fn a_language_is_known_when_cldr_knows_it() {
        for (tag, known) in [("cs", "cs"), ("de-AT", "de-AT"), ("sr_Latn", "sr-Latn"), ("cnr", "cnr"), ("EN", "en")] {
            assert_eq!(known_language(tag).as_deref(), Some(known), "{tag}");
        }
        for tag in ["zz", "x-<script>", "und", "", "english", "c s", "qaa"] {
            assert_eq!(known_language(tag), None, "{tag}");
        }
    }
}
