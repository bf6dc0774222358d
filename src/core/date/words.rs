//! Words of dates: the tokenizer, and the names it knows (months and weekdays in English, Greek
//! and Hungarian; time zones).

use super::MAX_TOKS;

#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    #[default]
    Num,
    Word,
    Punct,
}

/// A token: a run of ASCII digits (`val` its value, saturating), a run of letters, or one
/// punctuation byte (`val`). `start..end` is its byte range in the input.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: u16,
    pub(super) end: u16,
    pub(super) val: u32,
}

impl Tok {
    pub(super) fn len(self) -> usize {
        usize::from(self.end - self.start)
    }
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Splits `s` (at most [`MAX_LEN`] bytes) into tokens; `None` when it holds a character no date
/// has, or too many tokens.
pub(super) fn lex(s: &str, out: &mut [Tok; MAX_TOKS]) -> Option<usize> {
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        let (kind, val) = if c.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            // Exact up to 9 digits; no field has more (fractions are read from the text).
            let mut v: u32 = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                v = v.wrapping_mul(10).wrapping_add(u32::from(b[i] - b'0'));
                i += 1;
            }
            (Kind::Num, v)
        } else if c.is_ascii() {
            if c.is_ascii_alphabetic() || c == b'_' {
                i = word_end(s, i);
                (Kind::Word, 0)
            } else if matches!(c, b',' | b'.' | b':' | b'/' | b'-' | b'+') {
                i += 1;
                (Kind::Punct, u32::from(c))
            } else {
                return None;
            }
        } else {
            let ch = s[i..].chars().next()?;
            if ch.is_whitespace() {
                i += ch.len_utf8();
                continue;
            } else if ch == '\u{2212}' {
                // MINUS SIGN
                i += ch.len_utf8();
                (Kind::Punct, u32::from(b'-'))
            } else if ch.is_alphabetic() {
                i = word_end(s, i);
                (Kind::Word, 0)
            } else {
                return None;
            }
        };
        if n == MAX_TOKS {
            return None;
        }
        // `s` is at most MAX_LEN bytes, so offsets fit.
        out[n] = Tok {
            kind,
            start: start as u16,
            end: i as u16,
            val,
        };
        n += 1;
    }
    Some(n)
}

pub(super) fn word_end(s: &str, start: usize) -> usize {
    let b = s.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
        i += 1;
    }
    if i == b.len() || b[i].is_ascii() {
        return i;
    }
    s[i..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(s.len(), |(k, _)| i + k)
}

/// Up to 16 characters of a word, lowercased, with Greek accents and diaeresis removed.
pub(super) struct Folded {
    pub(super) buf: [char; 16],
    pub(super) len: usize,
}

impl Folded {
    pub(super) fn new(w: &str) -> Option<Folded> {
        let mut f = Folded {
            buf: ['\0'; 16],
            len: 0,
        };
        for c in w.chars() {
            if f.len == f.buf.len() {
                return None;
            }
            let c = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                strip_greek_accent(c.to_lowercase().next().unwrap_or(c))
            };
            f.buf[f.len] = c;
            f.len += 1;
        }
        Some(f)
    }

    pub(super) fn chars(&self) -> &[char] {
        &self.buf[..self.len]
    }

    pub(super) fn is(&self, w: &str) -> bool {
        self.chars().iter().copied().eq(w.chars())
    }

    /// This word is `w`, or a prefix of `w` at least `min` characters long.
    pub(super) fn abbreviates(&self, w: &str, min: usize) -> bool {
        self.len >= min
            && self.len <= w.chars().count()
            && w.chars().zip(self.chars()).all(|(a, &b)| a == b)
    }
}

pub(super) fn strip_greek_accent(c: char) -> char {
    match c {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ϊ' | 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ϋ' | 'ΰ' => 'υ',
        'ώ' => 'ω',
        'ς' => 'σ',
        _ => c,
    }
}

/// Lowercases an ASCII word of at most 12 bytes into `buf`.
pub(super) fn ascii_lower<'b>(w: &str, buf: &'b mut [u8; 12]) -> Option<&'b [u8]> {
    if !w.is_ascii() || w.len() > buf.len() {
        return None;
    }
    let out = &mut buf[..w.len()];
    out.copy_from_slice(w.as_bytes());
    out.make_ascii_lowercase();
    Some(out)
}

pub(super) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Hungarian month names (with feedparser's misspellings `februári` and `máujus`).
pub(super) const HUNGARIAN_MONTHS: [(&str, u32); 14] = [
    ("január", 1),
    ("február", 2),
    ("februári", 2),
    ("március", 3),
    ("április", 4),
    ("május", 5),
    ("máujus", 5),
    ("június", 6),
    ("július", 7),
    ("augusztus", 8),
    ("szeptember", 9),
    ("október", 10),
    ("november", 11),
    ("december", 12),
];

/// Greek month names without accents, each a name and the shortest abbreviation accepted
/// (`μαω` is feedparser's `Μάώ`, a misspelling of March it has seen in feeds).
pub(super) const GREEK_MONTHS: [(&str, usize, u32); 13] = [
    ("ιανουαριοσ", 3, 1),
    ("φεβρουαριοσ", 3, 2),
    ("μαρτιοσ", 3, 3),
    ("μαω", 3, 3),
    ("απριλιοσ", 3, 4),
    ("μαιοσ", 3, 5),
    ("ιουνιοσ", 4, 6),
    ("ιουλιοσ", 4, 7),
    ("αυγουστοσ", 3, 8),
    ("σεπτεμβριοσ", 3, 9),
    ("οκτωβριοσ", 3, 10),
    ("νοεμβριοσ", 3, 11),
    ("δεκεμβριοσ", 3, 12),
];

/// `Jan`, `january`, `Sept`, `JULY`, `július`, `Ιούλ` → the month number.
pub(super) fn month_of(w: &str) -> Option<u32> {
    let mut buf = [0u8; 12];
    if let Some(l) = ascii_lower(w, &mut buf) {
        let n = match l.get(..3)? {
            b"jan" => 1,
            b"feb" => 2,
            b"mar" => 3,
            b"apr" => 4,
            b"may" => 5,
            b"jun" => 6,
            b"jul" => 7,
            b"aug" => 8,
            b"sep" => 9,
            b"oct" => 10,
            b"nov" => 11,
            b"dec" => 12,
            _ => 0,
        };
        if n > 0 && (l.len() == 3 || l == MONTHS[n - 1].as_bytes() || l == b"sept") {
            return u32::try_from(n).ok();
        }
        // Hungarian names in plain ASCII; Greek ones never are.
        return match l {
            b"augusztus" => Some(8),
            b"szeptember" => Some(9),
            _ => None,
        };
    }
    let f = Folded::new(w)?;
    if let Some(&(_, n)) = HUNGARIAN_MONTHS.iter().find(|(m, _)| f.is(m)) {
        return Some(n);
    }
    // Greek names also come with the genitive ending -ου (Ιουλίου) or unaccented Ιον/Ιολ.
    if f.is("ιον") {
        return Some(6);
    }
    if f.is("ιολ") {
        return Some(7);
    }
    GREEK_MONTHS.iter().find_map(|&(m, min, n)| {
        let genitive = f.len > 2
            && f.chars().ends_with(&['ο', 'υ'])
            && m.ends_with("οσ")
            && f.chars()[..f.len - 2]
                .iter()
                .copied()
                .eq(m.chars().take(m.chars().count() - 2));
        (f.abbreviates(m, min) || genitive).then_some(n)
    })
}

pub(super) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

pub(super) const GREEK_WEEKDAYS: [&str; 7] = [
    "κυριακη",
    "δευτερα",
    "τριτη",
    "τεταρτη",
    "πεμπτη",
    "παρασκευη",
    "σαββατο",
];

/// `Thu`, `Thursday`, `Tues`, `Thurs`, `Κυρ` …
pub(super) fn is_weekday(w: &str) -> bool {
    let mut buf = [0u8; 12];
    if let Some(l) = ascii_lower(w, &mut buf) {
        let day = match l.get(..3) {
            Some(b"mon") => 0,
            Some(b"tue") => 1,
            Some(b"wed") => 2,
            Some(b"thu") => 3,
            Some(b"fri") => 4,
            Some(b"sat") => 5,
            Some(b"sun") => 6,
            _ => return false,
        };
        let d = WEEKDAYS[day].as_bytes();
        return d.starts_with(l) && (l.len() <= 5 || l.len() == d.len());
    }
    Folded::new(w).is_some_and(|f| GREEK_WEEKDAYS.iter().any(|d| f.abbreviates(d, 3)))
}

/// Zone abbreviations (lowercase) → their offsets in minutes. Ambiguous ones take the reading
/// common in English-language feeds (`IST` India, `CST` US Central, `BST` British Summer Time).
/// The single letters are the military zones: RFC 822 gave them the wrong signs, so RFC 1123
/// and RFC 5322 say to read them (other than `Z`) as `-0000`, an unknown offset: UTC, as chrono
/// does.
pub(super) fn zone_of(l: &[u8]) -> Option<i32> {
    Some(match l {
        [b'a'..=b'i' | b'k'..=b'z'] => 0,
        b"ut" | b"utc" | b"gmt" | b"uct" | b"wet" => 0,
        b"west" | b"bst" | b"cet" | b"met" | b"mez" => 60,
        b"cest" | b"mest" | b"mesz" | b"eet" => 120,
        b"eest" | b"msk" => 180,
        b"ist" => 330,
        b"ict" | b"wib" => 420,
        b"hkt" | b"sgt" | b"awst" | b"pht" => 480,
        b"jst" | b"kst" => 540,
        b"acst" => 570,
        b"aest" => 600,
        b"acdt" => 630,
        b"aedt" => 660,
        b"nzst" => 720,
        b"nzdt" => 780,
        b"ndt" => -150,
        b"nst" => -210,
        b"adt" | b"brt" | b"art" => -180,
        b"ast" | b"at" | b"edt" => -240,
        b"est" | b"et" | b"cdt" => -300,
        b"cst" | b"ct" | b"mdt" => -360,
        b"mst" | b"mt" | b"pdt" => -420,
        b"pst" | b"pt" | b"akdt" => -480,
        b"akst" => -540,
        b"hst" => -600,
        _ => return None,
    })
}

/// Zones' full names (as in `Date.toString()` comments) and their offsets in minutes.
pub const ZONE_NAMES: &[(&str, i32)] = &[
    ("coordinated universal time", 0),
    ("universal time", 0),
    ("greenwich mean time", 0),
    ("western european time", 0),
    ("western european standard time", 0),
    ("western european summer time", 60),
    ("british summer time", 60),
    ("central european time", 60),
    ("central european standard time", 60),
    ("central european summer time", 120),
    ("central european daylight time", 120),
    ("eastern european time", 120),
    ("eastern european standard time", 120),
    ("eastern european summer time", 180),
    ("eastern european daylight time", 180),
    ("moscow standard time", 180),
    ("india standard time", 330),
    ("china standard time", 480),
    ("hong kong time", 480),
    ("hong kong standard time", 480),
    ("singapore time", 480),
    ("singapore standard time", 480),
    ("japan standard time", 540),
    ("korea standard time", 540),
    ("korean standard time", 540),
    ("australian eastern standard time", 600),
    ("australian eastern daylight time", 660),
    ("new zealand standard time", 720),
    ("new zealand daylight time", 780),
    ("atlantic standard time", -240),
    ("atlantic daylight time", -180),
    ("eastern standard time", -300),
    ("eastern daylight time", -240),
    ("central standard time", -360),
    ("central daylight time", -300),
    ("mountain standard time", -420),
    ("mountain daylight time", -360),
    ("pacific standard time", -480),
    ("pacific daylight time", -420),
    ("alaska standard time", -540),
    ("alaska daylight time", -480),
    ("hawaii standard time", -600),
];
