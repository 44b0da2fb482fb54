//! Showing stored UTC timestamps in Italian local time.
//!
//! Italy follows the EU rule: CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on
//! the last Sunday of March to 01:00 UTC on the last Sunday of October. The
//! rule is computed here so no time-zone database is needed.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_next - Duration::days(1);
    let back = i64::from(last.weekday().num_days_from_sunday());
    Some(last - Duration::days(back))
}

/// Whether Italian summer time (CEST) is in force at `t`.
pub fn is_summer_time(t: DateTime<Utc>) -> bool {
    let y = t.year();
    let (Some(start), Some(end)) = (last_sunday(y, 3), last_sunday(y, 10)) else {
        return false;
    };
    let at_one = |d: NaiveDate| d.and_hms_opt(1, 0, 0).map(|n| n.and_utc());
    match (at_one(start), at_one(end)) {
        (Some(s), Some(e)) => t >= s && t < e,
        _ => false,
    }
}

/// `t` in Italian local time (Europe/Rome).
pub fn italian_time(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    let hours = if is_summer_time(t) { 2 } else { 1 };
    match FixedOffset::east_opt(hours * 3600) {
        Some(offset) => t.with_timezone(&offset),
        None => t.fixed_offset(),
    }
}

/// `t` as Italian local date and time, `24/11/2026 12:05`.
pub fn format_italian(t: DateTime<Utc>) -> String {
    italian_time(t).format("%d/%m/%Y %H:%M").to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn eu_rule() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(last_sunday(2026, 3), NaiveDate::from_ymd_opt(2026, 3, 29));
        assert_eq!(last_sunday(2026, 10), NaiveDate::from_ymd_opt(2026, 10, 25));
        assert_eq!(
            last_sunday(2026, 12).map(|d| d.weekday()),
            Some(Weekday::Sun)
        );
        assert_eq!(
            format_italian(utc("2026-11-24T11:05:00Z")),
            "24/11/2026 12:05"
        );
        assert_eq!(
            format_italian(utc("2026-07-01T22:30:00Z")),
            "02/07/2026 00:30"
        );
        assert_eq!(
            format_italian(utc("2026-03-29T00:59:59Z")),
            "29/03/2026 01:59"
        );
        assert_eq!(
            format_italian(utc("2026-03-29T01:00:00Z")),
            "29/03/2026 03:00"
        );
        assert_eq!(
            format_italian(utc("2026-10-25T00:59:00Z")),
            "25/10/2026 02:59"
        );
        assert_eq!(
            format_italian(utc("2026-10-25T01:00:00Z")),
            "25/10/2026 02:00"
        );
    }
}
