//! The bundle's clock-free calendar time: [`Timestamp`], made from seconds since 1970 that the
//! caller read from its own clock (the CLI from the system, the page from `Date.now()`), so
//! that the writer itself never asks for the time. The calendar arithmetic is chrono's (without
//! its `clock` feature); the zip crate turns it into the entries' DOS date and time.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// A calendar time (UTC) for zip entries and the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Timestamp {
    /// From seconds since 1970-01-01 UTC. Years are clamped to 0..=9999.
    pub fn from_unix(secs: i64) -> Timestamp {
        // Beyond chrono's ±262,143 years the year is clamped anyway.
        let t = DateTime::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        });
        Timestamp {
            year: t.year().clamp(0, 9999) as u16,
            month: t.month() as u8,
            day: t.day() as u8,
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
        }
    }

    /// `2026-11-27T10:00:00Z`.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// The zip entries' modification time.
    pub(super) fn zip(&self) -> zip::DateTime {
        zip::DateTime::from_date_and_time(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_to_calendar() {
        assert_eq!(Timestamp::from_unix(0).iso(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_unix(1_795_000_000).iso(),
            "2026-11-18T11:06:40Z"
        );
        assert_eq!(
            Timestamp::from_unix(951_782_400).iso(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(Timestamp::from_unix(i64::MAX).year, 9999);
        assert_eq!(Timestamp::from_unix(i64::MIN).year, 0);
    }
}
