//! Calendar dates without a clock: civil dates from day numbers, and the
//! English and Czech long forms the publications print.

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

    /// Parses `YYYY-MM-DD` (as front matter and TOML write dates).
    pub fn parse(text: &str) -> Option<Self> {
        crate::check::parse_date(text).map(|(y, m, d)| Self::new(y, m, d))
    }

    /// The date `seconds` after 1970-01-01 UTC (as `SOURCE_DATE_EPOCH` gives it).
    pub fn from_unix(seconds: i64) -> Self {
        Self::from_days(seconds.div_euclid(86_400))
    }

    /// Today, from the system clock (only for scaffolding, never for builds).
    pub fn today() -> Self {
        let seconds =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Self::from_unix(seconds)
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    pub fn to_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year - era * 400;
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn add_days(self, days: i64) -> Self {
        Self::from_days(self.to_days() + days)
    }

    pub fn tuple(self) -> (i32, u8, u8) {
        (self.year, self.month, self.day)
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2 May 2025`
    pub fn english(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {} {}", self.day, MONTHS[usize::from(self.month.clamp(1, 12)) - 1], self.year)
    }

    /// `26. listopadu 2026` (month in the genitive, as Czech dates are written).
    pub fn czech(self) -> String {
        const MONTHS: [&str; 12] = [
            "ledna",
            "února",
            "března",
            "dubna",
            "května",
            "června",
            "července",
            "srpna",
            "září",
            "října",
            "listopadu",
            "prosince",
        ];
        format!("{}.\u{a0}{} {}", self.day, MONTHS[usize::from(self.month.clamp(1, 12)) - 1], self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        let date = Date::new(2026, 11, 26);
        assert_eq!(Date::from_days(date.to_days()), date);
        assert_eq!(Date::from_unix(0), Date::new(1970, 1, 1));
        assert_eq!(Date::new(2025, 3, 3).add_days(30), Date::new(2025, 4, 2));
        assert_eq!(date.czech(), "26.\u{a0}listopadu 2026");
        assert_eq!(Date::new(2025, 5, 2).english(), "2 May 2025");
    }
}
