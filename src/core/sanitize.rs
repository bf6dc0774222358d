//! The one sanitizer every string from a file or feed passes through before it enters the model.
//!
//! Removed: C0 controls (except newline and tab), DEL, C1 controls, whole escape sequences
//! (CSI, OSC, DCS, SOS, PM, APC, nF and single-character escapes, in their 7-bit `ESC x` and
//! 8-bit C1 forms), bidi embedding/override/isolate/mark characters and zero-width tricks.
//! String sequences (OSC, DCS, ...) end at BEL or ST; an unterminated one ends at the end of its
//! line, so a stray `ESC ]` cannot swallow the rest of an article.

use std::borrow::Cow;

/// True for characters that are removed on sight (bidi controls and invisible tricks).
fn is_invisible_trick(c: char) -> bool {
    matches!(c,
        '\u{061C}'                 // Arabic letter mark
        | '\u{200B}'               // zero width space
        | '\u{200E}' | '\u{200F}'  // LRM, RLM
        | '\u{202A}'..='\u{202E}'  // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'               // word joiner
        | '\u{2066}'..='\u{2069}'  // LRI, RLI, FSI, PDI
        | '\u{FE0E}' | '\u{FE0F}'  // variation selectors: terminals disagree on their width
        | '\u{FEFF}'               // BOM / zero width no-break space
        | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

fn needs_work(c: char) -> bool {
    (c < ' ' && c != '\n' && c != '\t')
        || ('\u{7F}'..='\u{9F}').contains(&c)
        || c == '\u{2028}'
        || c == '\u{2029}'
        || is_invisible_trick(c)
}

/// A byte scan for anything [`needs_work`] would flag: ASCII controls, and the UTF-8 lead bytes
/// of C1 controls (`C2 80..9F`), U+061C (`D8 9C`), the bidi and zero-width characters in
/// U+200B..U+2069 (`E2 80/81 xx`) and U+FEFF / U+FFF9..B (`EF BB BF`, `EF BF B9..BB`).
fn maybe_unclean(bytes: &[u8]) -> bool {
    // A branch-free fold the compiler vectorizes, then SIMD searches for the few lead bytes.
    let ascii_control = bytes.iter().fold(false, |acc, &c| {
        acc | ((c < 0x20) & (c != b'\n') & (c != b'\t')) | (c == 0x7f)
    });
    ascii_control
        || memchr::memchr3_iter(0xC2, 0xD8, 0xEF, bytes)
            .chain(memchr::memchr_iter(0xE2, bytes))
            .any(|i| suspicious_at(bytes, i))
}

/// The exact test for a multi-byte character starting at `bytes[i]`.
fn suspicious_at(bytes: &[u8], i: usize) -> bool {
    let (n1, n2) = (bytes.get(i + 1), bytes.get(i + 2));
    match bytes[i] {
        0xC2 => n1.is_some_and(|n| (0x80..=0x9F).contains(n)),
        0xD8 => n1 == Some(&0x9C),
        0xE2 => matches!(
            (n1, n2),
            (Some(0x80), Some(0x8B | 0x8E | 0x8F | 0xA8..=0xAE))
                | (Some(0x81), Some(0xA0 | 0xA6..=0xA9))
        ),
        0xEF => matches!(
            (n1, n2),
            (Some(0xBB), Some(0xBF))
                | (Some(0xBF), Some(0xB9..=0xBB))
                | (Some(0xB8), Some(0x8E | 0x8F))
        ),
        _ => false,
    }
}

/// Cleans multi-line text: newlines and tabs are kept, everything unsafe is removed.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if !maybe_unclean(input.as_bytes()) || !input.chars().any(needs_work) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{1B}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                Some(n @ ' '..='/') => {
                    // nF escape: intermediates then one final byte.
                    let _ = n;
                    while matches!(chars.peek(), Some(' '..='/')) {
                        chars.next();
                    }
                    if matches!(chars.peek(), Some('0'..='~')) {
                        chars.next();
                    }
                }
                Some('0'..='~') => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9B}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => skip_string(&mut chars),
            c if needs_work(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Cleans a single-line field (title, author, ...): as [`sanitize`], then newlines and tabs become
/// spaces and runs of whitespace collapse to one; the result is trimmed.
pub fn sanitize_line(input: &str) -> String {
    let clean = sanitize(input);
    collapse_whitespace(&clean)
}

/// Trims and collapses every run of whitespace to a single space.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out
}

/// True when a non-ASCII Unicode space (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000) starts at `b[i]`.
fn unicode_space_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)),
        0xE1 => b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80),
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F))
        ),
        0xE3 => b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80),
        _ => false,
    }
}

/// What [`push_collapsed`] has to do with a line.
#[derive(PartialEq)]
enum Spacing {
    /// Trimmed, single ASCII spaces only: copy it whole.
    Clean,
    /// Only ASCII whitespace, but runs or tabs or ends to fix.
    Ascii,
    /// Holds a Unicode space.
    Unicode,
}

fn spacing(b: &[u8]) -> Spacing {
    if memchr::memchr3_iter(0xC2, 0xE1, 0xE3, b)
        .chain(memchr::memchr_iter(0xE2, b))
        .any(|i| unicode_space_at(b, i))
    {
        return Spacing::Unicode;
    }
    let control = b.iter().fold(false, |acc, &c| acc | (c < 0x20));
    let ends = b.first() == Some(&b' ') || b.last() == Some(&b' ');
    if control || ends || memchr::memmem::find(b, b"  ").is_some() {
        Spacing::Ascii
    } else {
        Spacing::Clean
    }
}

/// Appends the words of `s` to `out`, one space between words (and before the first one when
/// `out` already holds text). Byte loops in the usual all-ASCII-spaces case: this runs over every
/// line of every article.
pub fn push_collapsed(out: &mut String, s: &str) {
    match spacing(s.as_bytes()) {
        Spacing::Clean => {
            if !s.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s);
            }
            return;
        }
        Spacing::Unicode => {
            for word in s.split_whitespace() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
            return;
        }
        Spacing::Ascii => {}
    }
    let b = s.as_bytes();
    let mut pending = !out.is_empty();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == b.len() {
            return;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        if pending {
            out.push(' ');
        }
        // ASCII bytes are char boundaries, so this slice is whole characters.
        out.push_str(&s[start..i]);
        pending = true;
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E.
    while matches!(chars.peek(), Some('0'..='?')) {
        chars.next();
    }
    while matches!(chars.peek(), Some(' '..='/')) {
        chars.next();
    }
    if matches!(chars.peek(), Some('@'..='~')) {
        chars.next();
    }
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\n' => return,
            '\u{07}' | '\u{9C}' => {
                chars.next();
                return;
            }
            '\u{1B}' => {
                chars.next();
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

/// True when `s` holds nothing the sanitizer would remove.
pub fn is_clean(s: &str) -> bool {
    !s.chars().any(needs_work)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "Zürich — “quoted” 東京 👩‍💻\nnext\tline";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
        assert_eq!(sanitize(s), s);
    }

    #[test]
    fn removes_whole_escape_sequences() {
        let cases = [
            ("red \x1b[31mtext\x1b[0m", "red text"),
            ("a\x1b[1;31;40mb", "ab"),
            ("title\x1b]0;pwned\x07 ok", "title ok"),
            (
                "link \x1b]8;;http://evil\x1b\\here\x1b]8;;\x1b\\",
                "link here",
            ),
            ("dcs\x1bPq#0;2;0;0;0\x1b\\end", "dcsend"),
            ("apc\x1b_payload\x1b\\x", "apcx"),
            ("pm\x1b^secret\x07y", "pmy"),
            ("sos\x1bXhidden\x1b\\z", "sosz"),
            ("charset\x1b(Bok", "charsetok"),
            ("keypad\x1b=ok", "keypadok"),
            ("reset\x1bcok", "resetok"),
            ("c1 csi \u{9B}2Jgone", "c1 csi gone"),
            ("c1 osc \u{9D}0;t\u{9C}after", "c1 osc after"),
            ("lone esc at end\x1b", "lone esc at end"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "input {input:?}");
        }
    }

    #[test]
    fn unterminated_string_sequence_stops_at_line_end() {
        assert_eq!(sanitize("one\x1b]0;never ends\ntwo"), "one\ntwo");
    }

    #[test]
    fn removes_controls_but_keeps_newline_and_tab() {
        assert_eq!(
            sanitize("a\x00b\x07c\x08d\re\x7ff\u{85}g\n\th"),
            "abcdefg\n\th"
        );
    }

    #[test]
    fn removes_bidi_and_zero_width_tricks() {
        let s = "safe\u{202E}txt.exe\u{2066}x\u{2069}\u{200B}\u{FEFF}\u{200F}";
        assert_eq!(sanitize(s), "safetxt.exex");
        // Joiners that build emoji stay.
        assert_eq!(sanitize("👩\u{200D}💻"), "👩\u{200D}💻");
    }

    #[test]
    fn line_separators_become_newlines() {
        assert_eq!(sanitize("a\u{2028}b\u{2029}c"), "a\nb\nc");
    }

    #[test]
    fn sanitize_line_flattens_and_collapses() {
        assert_eq!(
            sanitize_line("  Big\n\tnews \x1b[5m today  "),
            "Big news today"
        );
        assert!(is_clean(&sanitize_line("\x1b]52;c;AAAA\x07copy")));
    }

    #[test]
    fn collapsing_matches_split_whitespace() {
        let samples = [
            "",
            "   ",
            "a",
            "  a  b\t\tc \n d  ",
            "nbsp\u{A0}\u{A0}here",
            "ideo\u{3000}space",
            "thin\u{2009}space and\u{202F}narrow",
            "“curly” — dash",
        ];
        for s in samples {
            let want: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(collapse_whitespace(s), want.join(" "), "{s:?}");
            let mut out = String::from("x");
            push_collapsed(&mut out, s);
            let joined = if want.is_empty() {
                "x".to_string()
            } else {
                format!("x {}", want.join(" "))
            };
            assert_eq!(out, joined, "{s:?}");
        }
    }

    #[test]
    fn output_never_contains_controls() {
        // Every byte value as a char, in every position around an escape.
        let mut hostile = String::new();
        for b in 0u32..0x200 {
            hostile.push(char::from_u32(b).unwrap());
            hostile.push('\u{1B}');
        }
        let out = sanitize(&hostile);
        assert!(is_clean(&out), "{out:?}");
        assert!(!out.contains('\u{1B}'));
    }

    #[test]
    fn byte_prefilter_agrees_with_the_exact_check() {
        // Every char up to U+2FFFF, alone and between letters: the prefilter never misses one.
        for cp in 0u32..0x3_0000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = format!("a{c}b");
            if needs_work(c) {
                assert!(maybe_unclean(s.as_bytes()), "U+{cp:04X}");
            }
        }
        for c in ['\u{FEFF}', '\u{FFF9}', '\u{FFFB}'] {
            assert!(maybe_unclean(c.to_string().as_bytes()));
        }
        // Curly quotes, dashes and accents do not send text to the slow path.
        assert!(!maybe_unclean(
            "plain “quotes” ‘it’s’ — – … é ü 東京 👩\u{200D}💻".as_bytes()
        ));
    }
}
