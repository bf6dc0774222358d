//! Feed bytes to text: byte-order marks (UTF-8, UTF-16 and UTF-32, either order), the XML
//! declaration's `encoding`, and a Windows-1252 fallback for bytes that are not valid UTF-8.
//!
//! Labels are read as the WHATWG Encoding Standard (and so browsers) read them: `ISO-8859-1` and
//! `US-ASCII` mean Windows-1252, so the curly quotes that Windows tools put into "Latin-1" feeds
//! (bytes 0x91–0x94) come out as ‘ ’ “ ” instead of being dropped.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// Text decoded from feed bytes, and a note when the bytes were not what they claimed.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub warning: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wide {
    Utf32Le,
    Utf32Be,
}

/// What the first bytes say about the encoding: (the encoding, bytes to skip).
fn sniff(bytes: &[u8]) -> Option<(Result<&'static Encoding, Wide>, usize)> {
    Some(match bytes {
        [0xEF, 0xBB, 0xBF, ..] => (Ok(UTF_8), 3),
        [0xFF, 0xFE, 0, 0, ..] => (Err(Wide::Utf32Le), 4),
        [0, 0, 0xFE, 0xFF, ..] => (Err(Wide::Utf32Be), 4),
        [0xFF, 0xFE, ..] => (Ok(UTF_16LE), 2),
        [0xFE, 0xFF, ..] => (Ok(UTF_16BE), 2),
        // No mark: a '<' (or '{') written in a wide encoding.
        [b'<' | b'{', 0, 0, 0, ..] => (Err(Wide::Utf32Le), 0),
        [0, 0, 0, b'<' | b'{', ..] => (Err(Wide::Utf32Be), 0),
        [b'<' | b'{', 0, _, 0, ..] => (Ok(UTF_16LE), 0),
        [0, b'<' | b'{', 0, _, ..] => (Ok(UTF_16BE), 0),
        _ => return None,
    })
}

/// The `encoding` of an XML declaration at the start of ASCII-compatible bytes.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = head[start..].strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = &head[..end];
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = &decl[at + 8..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let label = &value[..memchr::memchr(quote, value)?];
    Encoding::for_label(label.trim_ascii())
}

fn decode_utf32(bytes: &[u8], order: Wide) -> String {
    bytes
        .chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            let n = match order {
                Wide::Utf32Le => u32::from_le_bytes(b),
                Wide::Utf32Be => u32::from_be_bytes(b),
            };
            char::from_u32(n).unwrap_or('\u{FFFD}')
        })
        .collect()
}

/// Decodes feed bytes to text, with C1 control characters (U+0080–U+009F, never text) read as
/// the Windows-1252 characters their code points stand for (`don\u{92}t` is `don’t`).
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    let mut d = decode_raw(bytes);
    // In UTF-8 those are 0xC2 followed by 0x80–0x9F.
    let b = d.text.as_bytes();
    let has_c1 = memchr::memchr_iter(0xC2, b).any(|i| matches!(b.get(i + 1), Some(0x80..=0x9f)));
    if has_c1 {
        let fixed: String = d
            .text
            .chars()
            .map(|c| match u8::try_from(u32::from(c)) {
                Ok(b @ 0x80..=0x9f) => {
                    let byte = [b];
                    let (s, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
                    s.chars().next().unwrap_or(c)
                }
                _ => c,
            })
            .collect();
        d.text = Cow::Owned(fixed);
    }
    d
}

fn decode_raw(bytes: &[u8]) -> Decoded<'_> {
    if let Some((enc, skip)) = sniff(bytes) {
        let body = &bytes[skip..];
        let text = match enc {
            Err(order) => Cow::Owned(decode_utf32(body, order)),
            Ok(enc) if enc == UTF_8 => return decode_utf8(body, None),
            Ok(enc) => enc.decode_without_bom_handling(body).0,
        };
        return Decoded {
            text,
            warning: None,
        };
    }
    match declared(bytes) {
        // A declaration of UTF-16 in bytes that are plainly 8-bit (sniff found no wide '<') is
        // wrong: read them as UTF-8.
        Some(enc) if enc == UTF_8 || enc == UTF_16LE || enc == UTF_16BE => decode_utf8(bytes, None),
        Some(enc) => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            Decoded {
                text,
                warning: None,
            }
        }
        None => decode_utf8(bytes, None),
    }
}

fn decode_utf8<'a>(bytes: &'a [u8], warning: Option<String>) -> Decoded<'a> {
    // SIMD validation: every feed is checked whole, and the std's check was 8% of a cold load
    // (feeds of mixed scripts and emoji).
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: Cow::Borrowed(s),
            warning,
        },
        Err(_) => Decoded {
            text: WINDOWS_1252.decode_without_bom_handling(bytes).0,
            warning: Some("not valid UTF-8; read as Windows-1252".to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn marks_and_declarations() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>é</rss>";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let bytes = utf16(xml, le, bom);
            assert_eq!(decode(&bytes).text, xml, "le {le} bom {bom}");
        }
        let mut u32le = vec![0xFF, 0xFE, 0, 0];
        for c in "<rss>ü</rss>".chars() {
            u32le.extend((c as u32).to_le_bytes());
        }
        assert_eq!(decode(&u32le).text, "<rss>ü</rss>");
        let bom8 = b"\xEF\xBB\xBF<rss/>";
        assert_eq!(decode(bom8).text, "<rss/>");
    }

    #[test]
    fn c1_controls_are_read_as_windows_1252() {
        assert_eq!(
            decode("<t>don\u{92}t \u{93}x\u{94}</t>".as_bytes()).text,
            "<t>don’t “x”</t>"
        );
        assert!(matches!(
            decode("<t>é</t>".as_bytes()).text,
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn latin1_is_read_as_windows_1252() {
        let bytes =
            b"<?xml version='1.0' encoding='ISO-8859-1'?><t>S\xe3o Paulo don\x92t \x93q\x94</t>";
        let d = decode(bytes);
        assert_eq!(
            d.text,
            "<?xml version='1.0' encoding='ISO-8859-1'?><t>São Paulo don’t “q”</t>"
        );
        assert!(d.warning.is_none());
        // Undeclared and not UTF-8: Windows-1252, with a note.
        let d = decode(b"<rss>caf\xe9</rss>");
        assert_eq!(d.text, "<rss>café</rss>");
        assert!(d.warning.is_some());
        // Declared UTF-16 but written in 8 bits.
        let d = decode(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss/>");
        assert_eq!(d.text, "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss/>");
    }
}
