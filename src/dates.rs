//! Calendar dates without a clock: the civil date a build prints (from
//! `SOURCE_DATE_EPOCH` or the package), deadlines, and the English and Czech
//! long forms. Calendar arithmetic is the `time` crate's.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Self {
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD` (as front matter and TOML write dates), a real
    /// day of a year from 1900 to 2200.
    pub fn parse(text: &str) -> Option<Self> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(text.trim(), format).ok()?;
        (1900..=2200).contains(&date.year()).then(|| Self::from_civil(date))
    }

    /// The date `seconds` after 1970-01-01 UTC (as `SOURCE_DATE_EPOCH` gives it).
    pub fn from_unix(seconds: i64) -> Self {
        let moment = time::OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        Self::from_civil(moment.date())
    }

    /// Today, from the system clock (UTC).
    pub fn today() -> Self {
        Self::from_civil(time::OffsetDateTime::now_utc().date())
    }

    /// The day of this run: `SOURCE_DATE_EPOCH` when set (reproducible
    /// builds), else the clock's today.
    pub fn of_this_run() -> Self {
        source_date_epoch().ok().flatten().map_or_else(Self::today, Self::from_unix)
    }

    /// A TOML date (`launched`, `published` in `emn.toml`).
    pub fn from_toml(date: toml::value::Date) -> Self {
        Self::new(i32::from(date.year), date.month, date.day)
    }

    fn from_civil(date: time::Date) -> Self {
        Self { year: date.year(), month: u8::from(date.month()), day: date.day() }
    }

    fn civil(self) -> time::Date {
        time::Month::try_from(self.month)
            .ok()
            .and_then(|month| time::Date::from_calendar_date(self.year, month, self.day).ok())
            .unwrap_or(time::Date::MIN)
    }

    pub fn add_days(self, days: i64) -> Self {
        Self::from_civil(self.civil().saturating_add(time::Duration::days(days)))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Self) -> i64 {
        (later.civil() - self.civil()).whole_days()
    }

    pub fn tuple(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2 May 2025`: as the EU writes English dates (CLDR's `en-GB`).
    pub fn english(self) -> String {
        self.written("en-GB")
    }

    /// `26. listopadu 2026` (month in the genitive, as Czech dates are written).
    pub fn czech(self) -> String {
        self.written("cs")
    }

    /// The date as `lang` writes it in full, from CLDR: "20. Mai 2026",
    /// "15 mai 2025", "14. května 2026". English is written the EU's way
    /// (`en` as `en-GB`); a language CLDR does not know gets that English;
    /// a date outside the Gregorian calendar's range its ISO form. A day
    /// number followed by a dot keeps its month on the same line.
    pub fn written(self, lang: &str) -> String {
        use icu_datetime::fieldsets::YMD;
        use icu_datetime::input::Date as CldrDate;
        let tag = match crate::countries::known_language(lang) {
            Some(tag) if tag == "en" || tag.starts_with("en-") && tag != "en-GB" => "en-GB".to_string(),
            Some(tag) => tag,
            None => "en-GB".to_string(),
        };
        let Ok(locale) = icu_locale::Locale::try_from_str(&tag) else { return self.iso() };
        // The calendar (Gregorian) follows from the date it formats.
        let formatter = icu_datetime::FixedCalendarDateTimeFormatter::try_new(locale.into(), YMD::long());
        let date = CldrDate::try_new_gregorian(self.year, self.month, self.day);
        match (formatter, date) {
            (Ok(formatter), Ok(date)) => {
                let written = formatter.format(&date).to_string();
                match written.split_once(". ") {
                    Some((day, rest)) if day.chars().all(|c| c.is_ascii_digit()) => format!("{day}.\u{a0}{rest}"),
                    _ => written,
                }
            }
            _ => self.iso(),
        }
    }
}

/// `SOURCE_DATE_EPOCH` from the environment: `None` when unset or empty, an
/// error when it is not a whole number of seconds (ignoring it would make
/// the build silently not reproducible).
pub fn source_date_epoch() -> Result<Option<i64>, String> {
    match std::env::var_os("SOURCE_DATE_EPOCH") {
        None => Ok(None),
        Some(value) => parse_source_date_epoch(&value.to_string_lossy()),
    }
}

fn parse_source_date_epoch(value: &str) -> Result<Option<i64>, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let seconds = trimmed
        .parse::<i64>()
        .ok()
        .filter(|s| time::OffsetDateTime::from_unix_timestamp(*s).is_ok())
        .ok_or_else(|| {
            format!("SOURCE_DATE_EPOCH is `{trimmed}`, not a whole number of seconds since 1970-01-01 (hint: unset it, or set it with `date +%s`)")
        })?;
    Ok(Some(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_is_a_whole_number_or_an_error() {
        assert_eq!(parse_source_date_epoch("1750000000"), Ok(Some(1750000000)));
        assert_eq!(parse_source_date_epoch(" "), Ok(None));
        for bad in ["garbage", "1e9", "1750000000.5", "99999999999999999999"] {
            let error = parse_source_date_epoch(bad).unwrap_err();
            assert!(error.contains(bad) && error.contains("hint"), "{error}");
        }
    }

    #[test]
    fn round_trips_and_formats() {
        let date = Date::new(2026, 11, 26);
        assert_eq!(Date::parse("2026-11-26"), Some(date));
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2 May"), None);
        assert_eq!(Date::from_unix(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix(1_764_115_200), Date::new(2025, 11, 26));
        assert_eq!(date.days_until(Date::new(2026, 12, 1)), 5);
        assert_eq!(Date::new(2025, 3, 3).add_days(30), Date::new(2025, 4, 2));
        assert_eq!(date.czech(), "26.\u{a0}listopadu 2026");
        assert_eq!(Date::new(2025, 5, 2).english(), "2 May 2025");
    }

    #[test]
    fn every_language_writes_its_own_date_from_cldr() {
        let date = Date::new(2026, 5, 20);
        assert_eq!(date.written("de"), "20.\u{a0}Mai 2026");
        assert_eq!(date.written("fr"), "20 mai 2026");
        assert_eq!(date.written("cs"), "20.\u{a0}května 2026");
        assert_eq!(date.written("pl"), "20 maja 2026");
        assert_eq!(date.written("en"), "20 May 2026");
        assert_eq!(date.written("zz"), "20 May 2026", "an unknown language gets English");
    }
}
