//! Display-width helpers and date formats shared by the command line and the reader.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width in terminal columns (CJK and emoji count two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Truncates to `cols` columns, then pads with spaces to exactly `cols`.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// `2026-11-24 08:15` in the given zone.
pub fn format_date_short<Tz: TimeZone>(date: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    date.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

/// `Tue 24 Nov 2026 08:15` in the given zone.
pub fn format_date_long<Tz: TimeZone>(date: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    date.with_timezone(tz)
        .format("%a %-d %b %Y %H:%M")
        .to_string()
}

/// For lists: the time when `date` falls on the same day as `now`, else e.g. `Nov 24`
/// (with the year when it is not this year's).
pub fn format_date_compact<Tz: TimeZone>(date: DateTime<Utc>, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let d = date.with_timezone(tz);
    let n = now.with_timezone(tz);
    if d.date_naive() == n.date_naive() {
        d.format("%H:%M").to_string()
    } else if d.year() == n.year() {
        d.format("%b %d").to_string()
    } else {
        d.format("%Y-%m").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_chars() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("台北"), 4);
        assert_eq!(width("🚀"), 2);
    }

    #[test]
    fn truncate_by_display_width() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("台北台北", 5), "台北…");
        assert_eq!(width(&truncate("台北台北", 6)), 5);
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("abc", 1), "…");
    }

    #[test]
    fn fit_pads_to_exact_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("台北台北", 5), "台北…");
        assert_eq!(width(&fit("🚀🚀🚀", 4)), 4);
    }

    #[test]
    fn date_formats() {
        let d = Utc.with_ymd_and_hms(2026, 11, 24, 8, 15, 0).unwrap();
        assert_eq!(format_date_short(d, &Utc), "2026-11-24 08:15");
        assert_eq!(format_date_long(d, &Utc), "Tue 24 Nov 2026 08:15");
        let same_day = Utc.with_ymd_and_hms(2026, 11, 24, 20, 0, 0).unwrap();
        assert_eq!(format_date_compact(d, same_day, &Utc), "08:15");
        let later = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        assert_eq!(format_date_compact(d, later, &Utc), "Nov 24");
        let next_year = Utc.with_ymd_and_hms(2027, 1, 2, 9, 0, 0).unwrap();
        assert_eq!(format_date_compact(d, next_year, &Utc), "2026-11");
        let plus2 = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(format_date_short(d, &plus2), "2026-11-24 10:15");
    }
}

/// A count with thousands separated by commas: `11,003`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn thousands_are_separated() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (11003, "11,003"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(super::count(n), s);
        }
    }
}
