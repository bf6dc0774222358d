//! Text-level repairs and decoding for the XML reader: what must be fixed before the tokenizer
//! sees the document (a bare `<`, an attribute quote or CDATA section never closed), character
//! and entity references (XML's, the DOCTYPE's within a budget, HTML's), and what raw markup
//! needs before an HTML parser reads it (CDATA markers, namespace prefixes, escaped markup).

use std::borrow::Cow;

/// Repairs what would make the tokenizer lose the rest of the document, outside CDATA sections
/// and comments: a `<` that cannot start markup (`1 < 2`, `<<`) is escaped, and an attribute
/// quote left open (`<a href="x>text`) is closed before the tag's `>`. Returns the text and, when
/// a quote had to be closed (data may be lost there), where.
pub(super) fn repair(s: &str) -> (Cow<'_, str>, Option<usize>) {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut damage = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &b[lt..];
        let skip_to = |end: &[u8], from: usize| {
            memchr::memmem::find(&b[lt + from..], end)
                .map_or(b.len(), |e| lt + from + e + end.len())
        };
        if rest.starts_with(b"<![CDATA[") {
            // A section that never ends would swallow the document: its marker is dropped.
            if memchr::memmem::find(&b[lt + 9..], b"]]>").is_none() {
                let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
                o.push_str(&s[copied..lt]);
                copied = lt + 9;
                damage.get_or_insert(lt);
                i = lt + 9;
                continue;
            }
            i = skip_to(b"]]>", 9);
            continue;
        }
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->", 4);
            continue;
        }
        let next = rest.get(1).copied().unwrap_or(b' ');
        let starts_tag = next.is_ascii_alphabetic() || next == b'_' || next == b':' || next >= 0x80;
        if !(starts_tag || matches!(next, b'/' | b'!' | b'?')) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(&s[copied..lt]);
            o.push_str("&lt;");
            copied = lt + 1;
        } else if starts_tag && let Some(gt) = unclosed_quote(b, lt) {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
            o.push_str(&s[copied..gt]);
            o.push('"');
            copied = gt;
            damage.get_or_insert(gt);
        }
        i = lt + 1;
    }
    let text = match out {
        Some(mut o) => {
            o.push_str(&s[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(s),
    };
    (text, damage)
}

/// For a start tag at `lt` whose attribute quote is never closed before the next `<` (XML allows
/// no `<` in attribute values), the position of the `>` where the tag must have ended.
pub(super) fn unclosed_quote(b: &[u8], lt: usize) -> Option<usize> {
    let next_lt = memchr::memchr(b'<', &b[lt + 1..]).map_or(b.len(), |p| lt + 1 + p);
    let tag = &b[lt..next_lt];
    // The common case: no quote at all, or quotes in pairs before the first '>'.
    let first_gt = memchr::memchr(b'>', tag)?;
    memchr::memchr2(b'"', b'\'', &tag[..first_gt])?;
    let mut quote = None;
    for &c in tag {
        match quote {
            None if c == b'>' => return None,
            None if c == b'"' || c == b'\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    // Still inside a quote at the next '<': close it before the last '>' seen.
    quote?;
    memchr::memrchr(b'>', tag).map(|p| lt + p)
}

/// Character references: `#123`, `#x1F`; the Windows-1252 meaning of 128–159, as browsers.
pub(super) fn char_ref(num: &str) -> Option<char> {
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    Some(match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => {
            let byte = [code as u8];
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            s.chars().next().unwrap_or('\u{FFFD}')
        }
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    })
}

/// `<!ENTITY name "value">` declarations of a DOCTYPE's internal subset; parameter and external
/// entities are ignored. Values have their character references decoded.
pub(super) fn entity_declarations(doctype: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doctype;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + 8..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue;
        }
        let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let name = &decl[..name_end];
        let value = decl[name_end..].trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = value[1..].find(quote) else {
            break;
        };
        let raw = &value[1..1 + end];
        if out.len() < 512 && raw.len() <= 4096 && !name.is_empty() {
            out.push((name.to_string(), decode_refs(raw, &[], &mut 0).into_owned()));
        }
    }
    out
}

/// Decodes the references in attribute values and entity declarations (text content gets its
/// references as separate events). An unknown or unterminated reference stays as written.
pub(super) fn decode_refs<'a>(
    s: &'a str,
    entities: &[(String, String)],
    budget: &mut usize,
) -> Cow<'a, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let name_len = rest[1..]
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || c == '#' || c == '_' || c == '-' || c == '.')
            })
            .unwrap_or(rest.len() - 1);
        if rest[1 + name_len..].starts_with(';') && name_len > 0 {
            let name = &rest[1..1 + name_len];
            if push_reference(name, entities, budget, &mut out) {
                rest = &rest[name_len + 2..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Appends what `&name;` stands for; false when it is unknown.
pub(super) fn push_reference(
    name: &str,
    entities: &[(String, String)],
    budget: &mut usize,
    out: &mut String,
) -> bool {
    if let Some(num) = name.strip_prefix('#') {
        return match char_ref(num) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        };
    }
    let predefined = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    };
    if !predefined.is_empty() {
        out.push_str(predefined);
        return true;
    }
    if let Some((_, v)) = entities.iter().find(|(n, _)| n == name) {
        if v.len() <= *budget {
            *budget -= v.len();
            out.push_str(v);
            return true;
        }
        return false;
    }
    // Undeclared: the HTML entities real feeds use without declaring them.
    let written = format!("&{name};");
    let decoded = crate::core::html::decode_entities(&written);
    if decoded != written {
        out.push_str(&decoded);
        return true;
    }
    false
}

/// Unwraps CDATA sections in raw markup so an HTML parser sees their text.
pub(super) fn unwrap_cdata(raw: &str) -> Cow<'_, str> {
    if !raw.contains("<![CDATA[") {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&rest[..at]);
        let inner = &rest[at + 9..];
        let end = inner.find("]]>").unwrap_or(inner.len());
        out.push_str(&inner[..end]);
        rest = inner.get(end + 3..).unwrap_or("");
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Markup with namespace prefixes on its tags (`<xhtml:p>`, `</xhtml:a>`) without them, so an
/// HTML parser knows the elements.
pub(super) fn strip_prefixes(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let name_at = if b.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':'))
            .count();
        let name = &raw[name_at..name_at + name_len];
        if let Some(colon) = name.find(':') {
            out.push_str(&raw[copied..name_at]);
            copied = name_at + colon + 1;
        }
        i = lt + 1;
    }
    out.push_str(&raw[copied..]);
    out
}

/// The escaped markup inside markup: `&lt;b&gt;` becomes `<b>` (and `&amp;` `&`), once.
pub(super) fn unescape_markup(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Plain text that holds markup: a closing tag, a common tag that is never closed, or an entity.
/// (feedparser's rule for RSS, whose fields do not say which they are.)
pub fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let at = i + off;
        let rest = &b[at + 1..];
        if b[at] == b'<' {
            if rest.first() == Some(&b'/') && rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
                let name_len = rest[1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if rest.get(1 + name_len) == Some(&b'>') {
                    return true;
                }
            }
            for open in [&b"br"[..], b"p>", b"img ", b"hr", b"a href"] {
                if rest.len() >= open.len() && rest[..open.len()].eq_ignore_ascii_case(open) {
                    return true;
                }
            }
        } else {
            let name_len = rest
                .iter()
                .take(32)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
                .count();
            if name_len > 0 && rest.get(name_len) == Some(&b';') {
                return true;
            }
        }
        i = at + 1;
    }
    false
}

pub(super) fn base64_text(s: &str) -> Option<String> {
    use base64::Engine;
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('='))
        })
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_less_than_is_escaped_outside_markup() {
        let fixed = |s| repair(s).0.into_owned();
        assert_eq!(fixed("<t>1 < 2</t>"), "<t>1 &lt; 2</t>");
        assert_eq!(fixed("<t><<>></t>"), "<t>&lt;&lt;>></t>");
        assert_eq!(
            fixed("<![CDATA[a < b]]><!-- < -->"),
            "<![CDATA[a < b]]><!-- < -->"
        );
        assert!(matches!(repair("<rss><a/></rss>").0, Cow::Borrowed(_)));
        assert_eq!(repair("<t>1 < 2</t>").1, None, "nothing lost: no damage");
    }

    #[test]
    fn an_unclosed_attribute_quote_ends_at_the_tag() {
        let (text, damage) = repair("<a x=\"1>t</a><b y=\"2\">u</b><c z='a > b'>v</c>");
        assert_eq!(text, "<a x=\"1\">t</a><b y=\"2\">u</b><c z='a > b'>v</c>");
        assert_eq!(damage, Some(7));
    }

    #[test]
    fn prefixed_xhtml_tags_lose_their_prefix() {
        assert_eq!(
            strip_prefixes("<x:p>a <x:a href=\"u\">b</x:a></x:p><br/>"),
            "<p>a <a href=\"u\">b</a></p><br/>"
        );
    }

    #[test]
    fn html_is_recognised_as_feedparser_does() {
        assert!(looks_like_html("a <b>bold</b> move"));
        assert!(looks_like_html("Tom &amp; Jerry"));
        assert!(looks_like_html("line<br>break"));
        assert!(!looks_like_html("History of the <blink> tag"));
        assert!(!looks_like_html("Q&A"));
        assert!(!looks_like_html("1 < 2 > 0"));
    }

    #[test]
    fn declared_entities_expand_within_a_budget() {
        let d = entity_declarations(
            r#"rss [<!ENTITY nbsp "&#160;"> <!ENTITY % p "x"> <!ENTITY me 'Me &amp; you'>]"#,
        );
        assert_eq!(
            d,
            [
                ("nbsp".to_string(), "\u{a0}".to_string()),
                ("me".to_string(), "Me & you".to_string())
            ]
        );
        let mut budget = 10;
        let mut out = String::new();
        assert!(push_reference("me", &d, &mut budget, &mut out));
        assert!(
            !push_reference("me", &d, &mut budget, &mut out),
            "budget spent"
        );
    }
}
