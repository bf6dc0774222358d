//! Raw file bytes to text: size and binary checks, BOM, UTF-8 with a Windows-1252 fallback, and
//! UTF-16 (either byte order, with a byte-order mark or recognised by its zero bytes).

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// Files larger than this are skipped.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file's bytes are not article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    Binary,
    /// UTF-16 (named) that decodes to NULs or control characters.
    BinaryUtf16(&'static str),
    TooLarge(u64),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Empty => f.write_str("empty file; skipped"),
            Skip::Binary => f.write_str("binary file (NUL or control bytes); skipped"),
            Skip::BinaryUtf16(name) => {
                write!(f, "{name} text holding NUL or control characters; skipped")
            }
            Skip::TooLarge(n) => write!(f, "file is {n} bytes, over the 16 MiB limit; skipped"),
        }
    }
}

/// Decoded text and, when the bytes were not UTF-8, a warning saying how they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// True when the bytes hold a NUL, or when over a quarter of the first 64 KiB are control bytes
/// other than tab, newline, carriage return, form feed and escape.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    controls * 4 > head.len()
}

/// UTF-16 text: its encoding and the length of its byte-order mark (0 when there is none).
///
/// Without a mark, the bytes must look like UTF-16 of mostly Latin text: an even length, a zero
/// byte in the high half of at least 40% of the code units (the one order) and in almost none of
/// the other (at most 1%). Text in other scripts without a mark is not recognised (as
/// everywhere: such files need their mark).
pub fn utf16(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] => return None, // UTF-32LE's mark
        [0xFF, 0xFE, ..] => return Some((UTF_16LE, 2)),
        [0xFE, 0xFF, ..] => return Some((UTF_16BE, 2)),
        _ => {}
    }
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let units = head.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let mostly = |n: usize| n * 10 >= units * 4;
    let hardly = |n: usize| n * 100 <= units;
    if mostly(odd) && hardly(even) {
        Some((UTF_16LE, 0))
    } else if mostly(even) && hardly(odd) {
        Some((UTF_16BE, 0))
    } else {
        None
    }
}

/// Decodes UTF-16 bytes after their mark (`bom` bytes long; 0 when guessed).
fn decode_utf16(bytes: &[u8], enc: &'static Encoding, bom: usize) -> Result<Decoded, Skip> {
    let name = enc.name();
    let (text, errors) = enc.decode_without_bom_handling(&bytes[bom..]);
    let text = text.into_owned();
    if looks_binary(text.as_bytes()) {
        return Err(Skip::BinaryUtf16(name));
    }
    if text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    let warning = match (errors, bom) {
        (true, _) => Some(format!(
            "not valid {name} (an odd byte or a lone surrogate); those read as U+FFFD"
        )),
        (false, 0) => Some(format!("no byte-order mark; read as {name}")),
        (false, _) => None,
    };
    Ok(Decoded { text, warning })
}

/// Decodes a file's bytes (taking them, so valid UTF-8 is not copied).
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, Skip> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(bytes.len() as u64));
    }
    if let Some((enc, bom)) = utf16(&bytes) {
        return decode_utf16(&bytes, enc, bom);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if looks_binary(&bytes) {
        return Err(Skip::Binary);
    }
    let decoded = match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            warning: None,
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
            Decoded {
                text: text.into_owned(),
                warning: Some(format!(
                    "not valid UTF-8 (byte {at} is invalid); read as Windows-1252"
                )),
            }
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &[u8]) -> Vec<u8> {
        s.to_vec()
    }

    #[test]
    fn utf8_with_bom() {
        let d = decode(b(b"\xEF\xBB\xBFHello")).unwrap();
        assert_eq!(d.text, "Hello");
        assert_eq!(d.warning, None);
    }

    #[test]
    fn windows_1252_fallback_warns() {
        let d = decode(b(b"Z\xFCrich \x80 5")).unwrap();
        assert_eq!(d.text, "Zürich € 5");
        assert!(d.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn empty_and_blank_files() {
        assert_eq!(decode(b(b"")), Err(Skip::Empty));
        assert_eq!(decode(b(b" \n\r\n\t")), Err(Skip::Empty));
        assert_eq!(decode(b(b"\xEF\xBB\xBF")), Err(Skip::Empty));
    }

    #[test]
    fn binary_files() {
        assert_eq!(decode(b(b"PK\x03\x04\x00\x00")), Err(Skip::Binary));
        let controls: Vec<u8> = (0..100)
            .map(|i| if i % 2 == 0 { 1 } else { b'a' })
            .collect();
        assert_eq!(decode(controls), Err(Skip::Binary));
        // Text with a few escapes is still text.
        assert!(decode(b(b"Title\n\x1b[31mred\x1b[0m body text here")).is_ok());
    }

    fn utf16_bytes(s: &str, le: bool, bom: bool) -> Vec<u8> {
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
    fn utf16_with_and_without_a_mark_is_read() {
        let text = "Categories: Europe\r\n\r\nZürich votes — “yes”\r\n\r\nA paragraph. 日本\r\n";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let d =
                decode(utf16_bytes(text, le, bom)).unwrap_or_else(|e| panic!("{le} {bom}: {e}"));
            assert_eq!(d.text, text, "le {le} bom {bom}");
            let name = if le { "UTF-16LE" } else { "UTF-16BE" };
            match bom {
                true => assert_eq!(d.warning, None),
                false => assert_eq!(
                    d.warning.as_deref(),
                    Some(format!("no byte-order mark; read as {name}").as_str())
                ),
            }
        }
    }

    #[test]
    fn utf16_problems_name_utf16() {
        // A lone high surrogate, then text.
        let mut bad = vec![0xFF, 0xFE, 0x00, 0xD8];
        bad.extend(utf16_bytes("Title\n\nBody.", true, false));
        let d = decode(bad).unwrap();
        assert!(d.text.starts_with('\u{FFFD}'), "{:?}", d.text);
        assert!(d.warning.unwrap().contains("not valid UTF-16LE"));
        // Only a mark: empty. NULs: binary, said to be UTF-16.
        assert_eq!(decode(b(b"\xFF\xFE")), Err(Skip::Empty));
        let nul = utf16_bytes("Title\0\0\0\0\0\0", false, true);
        let e = decode(nul).unwrap_err();
        assert_eq!(e, Skip::BinaryUtf16("UTF-16BE"));
        assert!(e.to_string().starts_with("UTF-16BE text"));
        // Zero bytes in both halves are no UTF-16: binary as before.
        assert_eq!(
            decode(b(b"\x7fELF\x02\x01\x01\x00\x00\x00garbage")),
            Err(Skip::Binary)
        );
        // UTF-32's mark is not UTF-16's.
        assert_eq!(utf16(b"\xFF\xFE\x00\x00A\x00\x00\x00"), None);
    }

    #[test]
    fn too_large() {
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert_eq!(decode(big), Err(Skip::TooLarge(MAX_FILE_BYTES + 1)));
    }
}
