//! Raw file bytes to text: size and binary checks, BOM, UTF-8 with a Windows-1252 fallback.

/// Files larger than this are skipped.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file's bytes are not article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    Binary,
    TooLarge(u64),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Empty => f.write_str("empty file; skipped"),
            Skip::Binary => f.write_str("binary file (NUL or control bytes); skipped"),
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

/// Decodes a file's bytes (taking them, so valid UTF-8 is not copied).
pub fn decode(mut bytes: Vec<u8>) -> Result<Decoded, Skip> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Skip::TooLarge(bytes.len() as u64));
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

    #[test]
    fn too_large() {
        let big = vec![b'a'; MAX_FILE_BYTES as usize + 1];
        assert_eq!(decode(big), Err(Skip::TooLarge(MAX_FILE_BYTES + 1)));
    }
}
