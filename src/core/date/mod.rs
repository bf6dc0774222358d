//! Liberal date parsing: every date form that real feeds and article files use, after Python's
//! feedparser (its `_parse_date_*` handlers are the de-facto reference), and `None` for strings
//! that are not dates. Pure, allocation-free and panic-free: the input is cut into at most
//! [`MAX_TOKS`] tokens (numbers, words, punctuation) kept on the stack, and the tokens are matched
//! against the forms below by hand.
//!
//! Forms (case-insensitive; runs of spaces, and a trailing `(comment)` such as `(CET)`, ignored):
//!
//! - an optional weekday first, with an optional `,` (`Thu`, `Thursday,`, `Tues.`, Greek `Κυρ,`),
//!   which is not checked against the date;
//! - the date: RFC 822 `01 Jan 2004` (also `1-Jan-04`, `24. November 2026`), month first
//!   `Jan 01 2004` / `November 24, 2026` / `Nov. 24th, 2026`, ISO 8601 / W3C-DTF `2004-01-15`,
//!   `2004-01`, `2004`, `20040115`, ordinal `2004-015`, Hungarian `2004-július-13`, Perforce
//!   `2006/09/15`, `2006.09.15`, day first with dots `24.11.2026` (four-digit year), Korean
//!   `2004년 05월 28일` and CJK `2004年05月28日`; English month names full, three letters or `Sept`,
//!   Hungarian and Greek (with or without accents) month names;
//! - two-digit years as RFC 5322 says: `00`–`49` are 2000–2049, `50`–`99` 1950–1999; three-digit
//!   years add 1900;
//! - an optional time, after `T`, a space, a `,` or `at`: `10:00`, `10:00:00`, `10:00:00.123`,
//!   compact `100000` after `T` or a compact date, `24:00:00` (the next midnight), `:60` (a leap
//!   second), with `AM`/`PM`/`a.m.`/`p.m.` (also `10 AM`) or Korean `오전`/`오후` before or after;
//!   asctime puts the year after the time (and zone): `Sun Jan  4 16:29:06 PST 2004`;
//! - an optional zone, after a time (or a named zone after a date): `Z`, `+0100`, `+01:00`, `+01`,
//!   `-5`, `GMT+2`, `UTC+01:00`, `GMT-0500`, `Etc/GMT` (and `Etc/GMT+2`, which is UTC−2 as in the
//!   tz database), the abbreviations in `zone_of` (US, European, Asian and Pacific ones and the
//!   military letters, which RFC 5322 says carry no offset: UTC) and full names in
//!   [`ZONE_NAMES`] (`Eastern Standard Time`); any other word (or `Region/City`) is an unknown
//!   zone, read as UTC as feedparser does. No zone: the zone a trailing comment names
//!   (`10:00 AM (PST)`), else UTC, except for the Korean forms, which are Korean time (+09:00)
//!   as in feedparser.
//!
//! Not dates (`None`): text without a day (`tomorrow`, `next Tuesday`, `Nov 24`, `November
//! 2026`), a bare number other than a four-digit year or an eight-digit `YYYYMMDD` (`12345`),
//! out-of-range fields (`2004-13-01`, `2004-02-30`, `25:00`), unknown month names (`31 Foo 2004`),
//! ambiguous numeric dates (`11/12/2026`, `11.12.26`), anything left over after the zone, and
//! anything longer than [`MAX_LEN`] bytes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
mod words;

use words::*;

/// Longer strings are not dates (and are never scanned).
pub const MAX_LEN: usize = 256;
/// Strings of more tokens are not dates.
pub const MAX_TOKS: usize = 32;

/// Korean time, the default zone of the Korean forms.
const KST: i32 = 9 * 60;

/// Reads a date in any of the forms in the module documentation, as a UTC instant.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    rfc3339ish(s.as_bytes())
        .or_else(|| rfc822ish(s))
        .or_else(|| general(s))
}

/// Every form, by tokens.
fn general(s: &str) -> Option<DateTime<Utc>> {
    let (s, comment) = split_comment(s);
    let mut toks = [Tok::default(); MAX_TOKS];
    let n = lex(s, &mut toks)?;
    let (local, zone, korean) = Parser::new(s, &toks[..n]).parse()?;
    let offset = zone
        .or_else(|| comment.and_then(comment_zone))
        .unwrap_or(if korean { KST } else { 0 });
    let utc = local.checked_sub_signed(TimeDelta::try_minutes(i64::from(offset))?)?;
    Some(utc.and_utc())
}

/// The fast path for the form of nearly every Atom and JSON feed, read straight from the bytes:
/// `YYYY-MM-DD`, then `T`, `t` or a space and `HH:MM[:SS[.fraction]]`, then nothing, `Z`/`z`
/// or `±HH[[:]MM]`. `None` for anything else (including out-of-range fields), which then goes
/// the general way; whatever this accepts, the general way reads the same.
fn rfc3339ish(b: &[u8]) -> Option<DateTime<Utc>> {
    fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
        b.get(at..at + n)?.iter().try_fold(0, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0'))
        })
    }
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(b, 0, 4)?).ok()?,
        digits(b, 5, 2)?,
        digits(b, 8, 2)?,
    )?;
    if b.len() == 10 {
        return Some(date.and_time(NaiveTime::MIN).and_utc());
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, m) = (digits(b, 11, 2)?, digits(b, 14, 2)?);
    let mut at = 16;
    let (mut sec, mut nanos) = (0, 0);
    if b.get(at) == Some(&b':') {
        sec = digits(b, 17, 2)?;
        at = 19;
        if matches!(b.get(at), Some(b'.' | b',')) {
            at += 1;
            let from = at;
            let mut scale = 100_000_000;
            while let Some(c) = b.get(at).filter(|c| c.is_ascii_digit()) {
                nanos += u32::from(c - b'0') * scale;
                scale /= 10;
                at += 1;
            }
            if at == from {
                return None;
            }
        }
    }
    let offset = match b.get(at) {
        None => 0,
        Some(b'Z' | b'z') if b.len() == at + 1 => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, at + 1, 2)?;
            let om = match b.len() - at {
                3 => 0,
                5 => digits(b, at + 3, 2)?,
                6 if b[at + 3] == b':' => digits(b, at + 4, 2)?,
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i32::try_from(oh * 60 + om).ok()?;
            if sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    // Leap seconds and 24:00 go the general way.
    if sec > 59 {
        return None;
    }
    let local = date.and_time(NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?);
    let utc = local.checked_sub_signed(TimeDelta::try_minutes(i64::from(offset))?)?;
    Some(utc.and_utc())
}

/// The fast path for the form of nearly every RSS feed, read straight from the bytes:
/// `[Ddd, ]D[D] Mon YYYY HH:MM:SS ` then `±HHMM` or a zone abbreviation, single spaces.
/// `None` for anything else, which then goes the general way; whatever this accepts, the
/// general way reads the same.
fn rfc822ish(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let letters = |from: usize, to: usize| {
        b.get(from..to)
            .is_some_and(|w| w.iter().all(u8::is_ascii_alphabetic))
            .then(|| &s[from..to])
    };
    let num = |from: usize, n: usize| -> Option<u32> {
        b.get(from..from + n)?.iter().try_fold(0, |v, &c| {
            c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0'))
        })
    };
    let mut i = 0;
    if b.get(3) == Some(&b',') {
        if !is_weekday(letters(0, 3)?) || b.get(4) != Some(&b' ') {
            return None;
        }
        i = 5;
    }
    let day_len = if b.get(i + 1) == Some(&b' ') { 1 } else { 2 };
    let day = num(i, day_len)?;
    i += day_len;
    if b.get(i) != Some(&b' ') || b.get(i + 4) != Some(&b' ') {
        return None;
    }
    let month = month_of(letters(i + 1, i + 4)?)?;
    let year = i32::try_from(num(i + 5, 4)?).ok()?;
    i += 9;
    if b.get(i) != Some(&b' ') || b.get(i + 3) != Some(&b':') || b.get(i + 6) != Some(&b':') {
        return None;
    }
    let (h, m, sec) = (num(i + 1, 2)?, num(i + 4, 2)?, num(i + 7, 2)?);
    i += 9;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let offset = match b.get(i)? {
        &sign @ (b'+' | b'-') if b.len() == i + 5 => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 3, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i32::try_from(oh * 60 + om).ok()?;
            if sign == b'-' { -o } else { o }
        }
        _ => {
            let mut buf = [0u8; 12];
            zone_of(ascii_lower(letters(i, b.len())?, &mut buf)?)?
        }
    };
    // Leap seconds go the general way.
    if sec > 59 {
        return None;
    }
    let local =
        NaiveDate::from_ymd_opt(year, month, day)?.and_time(NaiveTime::from_hms_opt(h, m, sec)?);
    let utc = local.checked_sub_signed(TimeDelta::try_minutes(i64::from(offset))?)?;
    Some(utc.and_utc())
}

/// `… +0100 (CET)` → `(… +0100, Some(CET))`.
fn split_comment(s: &str) -> (&str, Option<&str>) {
    if let Some(inner) = s.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
    {
        return (s[..open].trim_end(), Some(&inner[open + 1..]));
    }
    (s, None)
}

/// The zone a trailing comment names when the date has none: `10:00 AM (PST)`. Names only:
/// an unknown word here is not a zone.
fn comment_zone(c: &str) -> Option<i32> {
    let mut toks = [Tok::default(); MAX_TOKS];
    let n = lex(c, &mut toks)?;
    let mut p = Parser::new(c, &toks[..n]);
    let zone = p.zone(true, false)?;
    p.at_end().then_some(zone)?
}

/// The day of a date: a month and day, or the day of the year (`2004-015`).
#[derive(Clone, Copy)]
enum Day {
    Ymd(u32, u32),
    Ordinal(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

#[derive(Clone, Copy, Default)]
struct Time {
    h: u32,
    m: u32,
    s: u32,
    nanos: u32,
}

struct Parser<'a> {
    s: &'a str,
    t: &'a [Tok],
    i: usize,
}

impl<'a> Parser<'a> {
    fn at(&self, k: usize) -> Option<Tok> {
        self.t.get(self.i + k).copied()
    }

    fn text(&self, t: Tok) -> &'a str {
        &self.s[usize::from(t.start)..usize::from(t.end)]
    }

    fn is_punct(&self, k: usize, c: u8) -> bool {
        self.at(k)
            .is_some_and(|t| t.kind == Kind::Punct && t.val == u32::from(c))
    }

    fn punct(&mut self, c: u8) -> bool {
        let hit = self.is_punct(0, c);
        self.i += usize::from(hit);
        hit
    }

    /// The number `k` tokens ahead when its digit count is in `lens`.
    fn num_at(&self, k: usize, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
        self.at(k)
            .filter(|t| t.kind == Kind::Num && lens.contains(&t.len()))
            .map(|t| t.val)
    }

    fn num(&mut self, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
        let v = self.num_at(0, lens)?;
        self.i += 1;
        Some(v)
    }

    fn word_at(&self, k: usize) -> Option<&'a str> {
        self.at(k)
            .filter(|t| t.kind == Kind::Word)
            .map(|t| self.text(t))
    }

    /// The word `k` tokens ahead is `w` (ignoring ASCII case).
    fn word_is(&self, k: usize, w: &str) -> bool {
        self.at(k).is_some_and(|t| {
            t.kind == Kind::Word
                && self.s.as_bytes()[usize::from(t.start)..usize::from(t.end)]
                    .eq_ignore_ascii_case(w.as_bytes())
        })
    }

    /// A number `k` tokens ahead that is not the hour of a time.
    fn year_at(&self, k: usize) -> Option<Tok> {
        self.at(k)
            .filter(|t| t.kind == Kind::Num && !self.is_punct(k + 1, b':'))
    }

    fn new(s: &'a str, t: &'a [Tok]) -> Parser<'a> {
        Parser { s, t, i: 0 }
    }

    /// The local date and time, the zone when given (minutes east of UTC) and whether the form
    /// is Korean.
    fn parse(mut self) -> Option<(NaiveDateTime, Option<i32>, bool)> {
        if self.word_at(0).is_some_and(is_weekday) {
            self.i += 1;
            self.punct(b'.');
            self.punct(b',');
        }
        let mut korean = false;
        let mut compact = false;
        // `year` is None for asctime until the year after the time.
        let (mut year, day) = self.date(&mut korean, &mut compact)?;

        let mut meridiem = None;
        let mut time = None;
        if !self.at_end() {
            self.punct(b',');
            let mut after_t = compact;
            if self.num_at(1, 1..=6).is_some() {
                if self.word_is(0, "t") {
                    self.i += 1;
                    after_t = true;
                } else if self.word_is(0, "at") {
                    self.i += 1;
                }
            }
            if let Some(m) = self.korean_meridiem() {
                meridiem = Some(m);
                korean = true;
            }
            let before = self.i;
            time = self.time(after_t);
            if time.is_none() {
                self.i = before;
            }
            if time.is_some() && meridiem.is_none() {
                meridiem = self.meridiem();
                if let Some(m) = self.korean_meridiem() {
                    meridiem = Some(m);
                    korean = true;
                }
            }
            if meridiem.is_some() && time.is_none() {
                return None;
            }
        }
        let mut zone = self.zone(time.is_some(), true)?;
        if year.is_none() {
            year = Some(self.year(4..=4)?);
            if zone.is_none() {
                zone = self.zone(true, true)?;
            }
        }
        self.punct(b'.');
        if !self.at_end() {
            return None;
        }

        let year = year?;
        let date = match day {
            Day::Ordinal(n) => NaiveDate::from_yo_opt(year, n)?,
            Day::Ymd(m, d) => NaiveDate::from_ymd_opt(year, m, d)?,
        };
        let mut t = time.unwrap_or_default();
        if let Some(m) = meridiem {
            t.h = match (m, t.h) {
                (Meridiem::Am, 12) => 0,
                (Meridiem::Am, 0..=11) => t.h,
                (Meridiem::Pm, 1..=11) => t.h + 12,
                (Meridiem::Pm, 12..=23) => t.h,
                _ => return None,
            };
        }
        let (date, t) = if t.h == 24 {
            if (t.m, t.s, t.nanos) != (0, 0, 0) {
                return None;
            }
            (date.succ_opt()?, Time::default())
        } else {
            (date, t)
        };
        let clock = if t.s == 60 {
            NaiveTime::from_hms_nano_opt(t.h, t.m, 59, 1_000_000_000 + t.nanos)?
        } else {
            NaiveTime::from_hms_nano_opt(t.h, t.m, t.s, t.nanos)?
        };
        Some((date.and_time(clock), zone, korean))
    }

    fn at_end(&self) -> bool {
        self.i >= self.t.len()
    }

    /// A year of `lens` digits, with RFC 5322's reading of two and three digits.
    fn year(&mut self, lens: std::ops::RangeInclusive<usize>) -> Option<i32> {
        let t = self.year_at(0).filter(|t| lens.contains(&t.len()))?;
        self.i += 1;
        let v = i32::try_from(t.val).ok()?;
        Some(match t.len() {
            2 if v < 50 => v + 2000,
            2 | 3 => v + 1900,
            _ => v,
        })
    }

    /// The date; the year is None when it comes after the time (asctime).
    fn date(&mut self, korean: &mut bool, compact: &mut bool) -> Option<(Option<i32>, Day)> {
        let first = self.at(0)?;
        match first.kind {
            Kind::Num if first.len() == 8 => {
                // 20040115
                self.i += 1;
                *compact = true;
                let v = first.val;
                Some((
                    Some(i32::try_from(v / 10_000).ok()?),
                    Day::Ymd(v / 100 % 100, v % 100),
                ))
            }
            Kind::Num if first.len() == 4 => {
                let year = i32::try_from(first.val).ok()?;
                self.i += 1;
                if self.at_end() && self.i == 1 {
                    // 2004
                    return Some((Some(year), Day::Ymd(1, 1)));
                }
                if self.punct(b'-') {
                    // 2004-01-15, 2004-01, 2004-015, 2004-július-13
                    if let Some(ordinal) = self.num(3..=3) {
                        return Some((Some(year), Day::Ordinal(ordinal)));
                    }
                    if let Some(month) = self.num(1..=2) {
                        if self.is_punct(0, b'-') && self.num_at(1, 1..=2).is_some() {
                            self.i += 1;
                            let day = self.num(1..=2)?;
                            return Some((Some(year), Day::Ymd(month, day)));
                        }
                        return Some((Some(year), Day::Ymd(month, 1)));
                    }
                    let month = month_of(self.word_at(0)?)?;
                    self.i += 1;
                    if !self.punct(b'-') {
                        return None;
                    }
                    return Some((Some(year), Day::Ymd(month, self.num(1..=2)?)));
                }
                for sep in [b'/', b'.'] {
                    if self.punct(sep) {
                        // 2006/09/15, 2006.09.15
                        let month = self.num(1..=2)?;
                        if !self.punct(sep) {
                            return None;
                        }
                        return Some((Some(year), Day::Ymd(month, self.num(1..=2)?)));
                    }
                }
                // 2004년 05월 28일, 2004年05月28日
                let (y, m, d) = match self.word_at(0)? {
                    "년" => ("년", "월", "일"),
                    "年" => ("年", "月", "日"),
                    _ => return None,
                };
                *korean = y == "년";
                self.i += 1;
                let month = self.num(1..=2)?;
                if !self.word_is(0, m) {
                    return None;
                }
                self.i += 1;
                let day = self.num(1..=2)?;
                if !self.word_is(0, d) {
                    return None;
                }
                self.i += 1;
                Some((Some(year), Day::Ymd(month, day)))
            }
            Kind::Num if first.len() <= 2 => {
                let day = first.val;
                self.i += 1;
                self.ordinal_suffix();
                let dot = self.is_punct(0, b'.');
                if dot || self.is_punct(0, b'-') {
                    self.i += 1;
                }
                if let Some(month) = self.word_at(0).and_then(month_of) {
                    // 01 Jan 2004, 1-Jan-04, 24. November 2026
                    self.i += 1;
                    if !self.punct(b'.') && !self.punct(b'-') {
                        self.punct(b',');
                    }
                    let year = self.year(2..=4)?;
                    return Some((Some(year), Day::Ymd(month, day)));
                }
                if dot {
                    // 24.11.2026
                    let month = self.num(1..=2)?;
                    if !self.punct(b'.') {
                        return None;
                    }
                    let year = self.year(4..=4)?;
                    return Some((Some(year), Day::Ymd(month, day)));
                }
                None
            }
            Kind::Word => {
                // Jan 01 2004, November 24, 2026, Nov. 24th, 2026, Sun Jan  4 16:29:06 2004
                let month = month_of(self.text(first))?;
                self.i += 1;
                self.punct(b'.');
                let day = self.num(1..=2)?;
                self.ordinal_suffix();
                self.punct(b',');
                if self.year_at(0).is_some_and(|t| matches!(t.len(), 2 | 4)) {
                    let year = self.year(2..=4)?;
                    return Some((Some(year), Day::Ymd(month, day)));
                }
                // asctime: the year comes after the time.
                if self.num_at(0, 1..=2).is_some() && self.is_punct(1, b':') {
                    return Some((None, Day::Ymd(month, day)));
                }
                None
            }
            _ => None,
        }
    }

    /// `st`, `nd`, `rd`, `th` after a day.
    fn ordinal_suffix(&mut self) {
        if self.word_at(0).is_some_and(|w| {
            ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| w.eq_ignore_ascii_case(s))
        }) {
            self.i += 1;
        }
    }

    /// `10:00`, `10:00:00`, `10:00:00.5`, `10 AM` (the meridiem is left to read), and after `T`
    /// or a compact date `1000`, `100000`, `100000.5`.
    fn time(&mut self, compact: bool) -> Option<Time> {
        let mut t = Time::default();
        if self.num_at(0, 1..=2).is_some() && self.is_punct(1, b':') {
            t.h = self.num(1..=2)?;
            self.i += 1;
            t.m = self.num(2..=2)?;
            if self.is_punct(0, b':') && self.num_at(1, 2..=2).is_some() {
                self.i += 1;
                t.s = self.num(2..=2)?;
                t.nanos = self.fraction();
            }
        } else if compact && let Some(v) = self.num_at(0, 4..=4).or(self.num_at(0, 6..=6)) {
            let six = self.at(0)?.len() == 6;
            self.i += 1;
            let v = if six { v } else { v * 100 };
            (t.h, t.m, t.s) = (v / 10_000, v / 100 % 100, v % 100);
            if six {
                t.nanos = self.fraction();
            }
        } else if self.num_at(0, 1..=2).is_some() && self.meridiem_at(1) {
            t.h = self.num(1..=2)?;
        } else {
            return None;
        }
        (t.h <= 24 && t.m <= 59 && t.s <= 60).then_some(t)
    }

    /// `.123` or `,123` right after the seconds, as nanoseconds.
    fn fraction(&mut self) -> u32 {
        let (Some(p), Some(d)) = (self.at(0), self.at(1)) else {
            return 0;
        };
        let sep = p.kind == Kind::Punct && (p.val == u32::from(b'.') || p.val == u32::from(b','));
        if !sep || d.kind != Kind::Num || d.start != p.end || self.t[self.i - 1].end != p.start {
            return 0;
        }
        self.i += 2;
        let mut nanos = 0;
        let mut scale = 100_000_000;
        for b in self.text(d).bytes().take(9) {
            nanos += u32::from(b - b'0') * scale;
            scale /= 10;
        }
        nanos
    }

    fn meridiem_at(&self, k: usize) -> bool {
        self.meridiem_len(k).is_some()
    }

    /// `AM`, `pm`, `a.m.`, `P.M` `k` tokens ahead: the meridiem and its token count.
    fn meridiem_len(&self, k: usize) -> Option<(Meridiem, usize)> {
        let w = self.word_at(k)?;
        let m = |c: &str| {
            if c.eq_ignore_ascii_case("a") {
                Some(Meridiem::Am)
            } else if c.eq_ignore_ascii_case("p") {
                Some(Meridiem::Pm)
            } else {
                None
            }
        };
        if w.len() == 2 && w.is_ascii() && w.as_bytes()[1].eq_ignore_ascii_case(&b'm') {
            return m(&w[..1]).map(|x| (x, 1));
        }
        let x = m(w)?;
        if self.is_punct(k + 1, b'.') && self.word_is(k + 2, "m") {
            return Some((x, 3 + usize::from(self.is_punct(k + 3, b'.'))));
        }
        None
    }

    fn meridiem(&mut self) -> Option<Meridiem> {
        let (m, n) = self.meridiem_len(0)?;
        self.i += n;
        Some(m)
    }

    fn korean_meridiem(&mut self) -> Option<Meridiem> {
        let m = match self.word_at(0)? {
            "오전" => Meridiem::Am,
            "오후" => Meridiem::Pm,
            _ => return None,
        };
        self.i += 1;
        Some(m)
    }

    /// An optional zone, as minutes east of UTC: `Some(None)` when there is none, `None` when
    /// what is there is malformed. Numeric offsets, military letters and (with `unknown`)
    /// unknown names, read as UTC, only after a time.
    fn zone(&mut self, after_time: bool, unknown: bool) -> Option<Option<i32>> {
        if self.is_punct(0, b'+') || self.is_punct(0, b'-') {
            if !after_time {
                return Some(None);
            }
            return self.offset(false).map(Some);
        }
        let Some(w) = self.word_at(0) else {
            return Some(None);
        };
        let mut buf = [0u8; 12];
        let lower = ascii_lower(w, &mut buf);
        // Etc/GMT, Etc/GMT+2 (tz database signs: UTC−2).
        let etc = lower.is_some_and(|l| l == b"etc")
            && self.is_punct(1, b'/')
            && self.word_at(2).is_some();
        let (name, skip) = if etc { (self.word_at(2)?, 3) } else { (w, 1) };
        let mut buf = [0u8; 12];
        let lower = ascii_lower(name, &mut buf);
        if let Some(l) = lower
            && matches!(l, b"gmt" | b"utc" | b"ut" | b"uct" | b"z")
            && (self.is_punct(skip, b'+') || self.is_punct(skip, b'-'))
            && self.num_at(skip + 1, 1..=4).is_some()
        {
            // GMT+2, GMT-0500, UTC+01:00
            self.i += skip;
            return self.offset(etc).map(Some);
        }
        // Without a time, a single letter is not taken for a military zone (`2004-01-15T`).
        if let Some(offset) = lower
            .filter(|l| after_time || l.len() > 1 || l == b"z")
            .and_then(zone_of)
        {
            self.i += skip;
            return Some(Some(offset));
        }
        if let Some((offset, words)) = self.zone_name() {
            self.i += words;
            return Some(Some(offset));
        }
        if !after_time || !unknown {
            return Some(None);
        }
        // An unknown zone, read as UTC: `Eastern`, `America/New_York`.
        self.i += skip;
        while self.is_punct(0, b'/') && self.word_at(1).is_some() {
            self.i += 2;
        }
        Some(Some(0))
    }

    /// A zone's full name (`Eastern Standard Time`): its offset and its word count.
    fn zone_name(&self) -> Option<(i32, usize)> {
        // Every name ends in `Time`; most are not zones at all.
        let words = (1..=4).find(|&k| self.word_is(k, "time"))? + 1;
        ZONE_NAMES.iter().find_map(|&(name, offset)| {
            let mut parts = name.split(' ');
            let hit = (0..words).all(|k| parts.next().is_some_and(|p| self.word_is(k, p)))
                && parts.next().is_none();
            hit.then_some((offset, words))
        })
    }

    /// `+0100`, `+01:00`, `+01`, `-5`, `+530` as minutes east of UTC (`invert` flips the sign).
    fn offset(&mut self, invert: bool) -> Option<i32> {
        let negative = self.is_punct(0, b'-') != invert;
        self.i += 1;
        let t = self.at(0).filter(|t| t.kind == Kind::Num)?;
        self.i += 1;
        let (h, m) = match t.len() {
            1 | 2 if self.is_punct(0, b':') => {
                self.i += 1;
                (t.val, self.num(2..=2)?)
            }
            1 | 2 => (t.val, 0),
            3 | 4 => (t.val / 100, t.val % 100),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        let minutes = i32::try_from(h * 60 + m).ok()?;
        Some(if negative { -minutes } else { minutes })
    }
}

#[cfg(test)]
mod tests;
