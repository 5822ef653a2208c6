//! Calendar dates for waiver expiry: ISO `YYYY-MM-DD` only, and "today" from the clock
//! (UTC) or from `ENVGATE_TODAY`, so expiry is reproducible in tests and re-runs.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

/// Overrides the clock for waiver expiry (`ENVGATE_TODAY=2026-11-23`): for tests and
/// for re-running an old gate exactly as it ran.
pub const TODAY_VARIABLE: &str = "ENVGATE_TODAY";

/// A day of the Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl IsoDate {
    /// Exactly `YYYY-MM-DD`, and a day that exists (no 2026-02-30).
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(IsoDate {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Today in UTC, or `ENVGATE_TODAY` when set (an error names a malformed value).
    pub fn today() -> Result<Self, String> {
        if let Some(value) = std::env::var_os(TODAY_VARIABLE) {
            let text = value.to_string_lossy();
            return Self::parse(&text)
                .ok_or_else(|| format!("{TODAY_VARIABLE}={text:?} is not a date (YYYY-MM-DD)"));
        }
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(Self::from_days_since_epoch((seconds / 86_400) as i64))
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        IsoDate {
            year: year.clamp(0, 9999) as u16,
            month: month as u8,
            day: day as u8,
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor (not a String first) so the error carries the value's position.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IsoDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an ISO date, YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<IsoDate, E> {
                IsoDate::parse(text).ok_or_else(|| {
                    E::custom(format!(
                        "{text:?} is not an ISO date: write YYYY-MM-DD, e.g. 2026-12-31"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for IsoDate {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An ISO calendar date, YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_iso_dates_parse() {
        assert_eq!(
            IsoDate::parse("2026-12-31").unwrap().to_string(),
            "2026-12-31"
        );
        assert!(IsoDate::parse("2028-02-29").is_some());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "31/12/2026",
            "2026-12-31T00:00:00Z",
            "2026-00-10",
            "+026-12-31",
        ] {
            assert_eq!(IsoDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_counts_become_civil_dates() {
        assert_eq!(IsoDate::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            IsoDate::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            IsoDate::from_days_since_epoch(20_416).to_string(),
            "2025-11-24"
        );
        assert!(IsoDate::parse("2026-01-01") > IsoDate::parse("2025-12-31"));
    }
}
