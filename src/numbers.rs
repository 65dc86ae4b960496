//! Figures as each language writes them, from CLDR (below the stages: the
//! publications print them, `check` reads the texts' figures by the same
//! marks).

/// Formats a number with `decimals` digits after the mark, grouped and
/// marked as CLDR says its language writes it: English `56,417` and
/// `26.0`, Czech `56 417` and `26,0`, German `56.417`; a group separator
/// that is a space never breaks.
pub fn format_number(value: f64, decimals: u8, lang: &str) -> String {
    let negative = value < 0.0 && (value * 10f64.powi(i32::from(decimals))).round() != 0.0;
    let text = format!("{:.*}", usize::from(decimals), value.abs());
    let Ok(number) = text.parse::<fixed_decimal::Decimal>() else { return text };
    let shown = with_formatter(lang, |formatter| formatter.format(&number).to_string()).replace(' ', "\u{a0}");
    if negative { format!("−{shown}") } else { shown }
}

/// Runs `write` with the number formatter of `lang` (English where CLDR
/// has none), made once per language and thread.
fn with_formatter<T>(lang: &str, write: impl FnOnce(&icu_decimal::DecimalFormatter) -> T) -> T {
    use icu_decimal::DecimalFormatter;
    thread_local! {
        static FORMATTERS: std::cell::RefCell<std::collections::HashMap<String, DecimalFormatter>> =
            Default::default();
    }
    FORMATTERS.with(|formatters| {
        let mut formatters = formatters.borrow_mut();
        let formatter = formatters.entry(lang.to_string()).or_insert_with(|| {
            let locale = icu_locale::Locale::try_from_str(lang).unwrap_or(icu_locale::locale!("en"));
            DecimalFormatter::try_new((&locale).into(), Default::default())
                .or_else(|_| DecimalFormatter::try_new(icu_locale::locale!("en").into(), Default::default()))
                .expect("CLDR's English number format is compiled in")
        });
        write(formatter)
    })
}

/// The decimal mark and the group separator CLDR gives `lang` (read from
/// how it writes 1234.5).
pub fn marks(lang: &str) -> (char, char) {
    let written = format_number(1234.5, 1, lang);
    let group = written.chars().nth(1).filter(|c| !c.is_ascii_digit()).unwrap_or(',');
    let decimal = written.chars().rev().nth(1).unwrap_or('.');
    (decimal, group)
}
