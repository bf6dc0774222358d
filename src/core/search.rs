//! Search: case- and accent-insensitive substring matching over title, source, standfirst and
//! body. Text is folded once per article (lowercase, accents stripped) into an index built on the
//! first search; each keystroke then runs a SIMD substring search (memchr's memmem), and only over
//! the previous hits when the query grew.

use crate::core::model::Article;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds one character: lowercase, accents (combining marks after NFD) dropped.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for d in std::iter::once(c).nfd() {
        if !is_combining_mark(d) {
            out.extend(d.to_lowercase());
        }
    }
}

/// Lowercase, accents stripped: `Zürich` and `zurich` fold alike.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        out.push_str(&s.to_ascii_lowercase());
        return out;
    }
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The folded text an article is searched in: title, source, standfirst and body (a pending
/// HTML body with its tags skipped), separated by newlines.
pub fn index_text(a: &Article) -> String {
    let mut raw = String::with_capacity(a.title.len() + 256);
    raw.push_str(&a.title);
    raw.push('\n');
    raw.push_str(&a.source);
    raw.push('\n');
    if let Some(s) = &a.standfirst {
        raw.push_str(s);
        raw.push('\n');
    }
    for b in a.blocks() {
        raw.push_str(&b.text);
        raw.push('\n');
    }
    if let Some(p) = a.pending() {
        strip_tags(&p.html, &mut raw);
    }
    fold(&raw)
}

/// Appends the text of HTML with its tags skipped (entities left as written).
fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        rest = match rest[lt..].find('>') {
            Some(gt) => &rest[lt + gt + 1..],
            None => "",
        };
    }
    out.push_str(rest);
}

/// A compiled query.
pub struct Matcher {
    folded: String,
    finder: memchr::memmem::Finder<'static>,
}

impl Matcher {
    /// `None` for an empty query (everything matches).
    pub fn new(query: &str) -> Option<Matcher> {
        let folded = fold(query.trim());
        if folded.is_empty() {
            return None;
        }
        let finder = memchr::memmem::Finder::new(folded.as_bytes()).into_owned();
        Some(Matcher { folded, finder })
    }

    pub fn matches(&self, folded_text: &str) -> bool {
        self.finder.find(folded_text.as_bytes()).is_some()
    }

    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Byte ranges of `text` (not folded) where the query occurs, for highlighting.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        // Fold char by char, remembering where each folded byte came from.
        let mut folded = String::with_capacity(text.len());
        let mut origin: Vec<usize> = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let before = folded.len();
            fold_char(c, &mut folded);
            origin.extend(std::iter::repeat_n(i, folded.len() - before));
        }
        origin.push(text.len());
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(pos) = self.finder.find(&folded.as_bytes()[from..]) {
            let start = from + pos;
            let end = start + self.folded.len();
            let (s, e) = (origin[start], origin[end.min(origin.len() - 1)]);
            // The end maps to the start of the next original char, so whole chars are covered.
            let e = if e <= s {
                text[s..].chars().next().map_or(s, |c| s + c.len_utf8())
            } else {
                e
            };
            out.push((s, e));
            from = end.max(start + 1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Zürich ÉTÉ São Paulo"), "zurich ete sao paulo");
        assert_eq!(
            fold("Łódź"),
            "łodz",
            "ł has no decomposition: lowercased only"
        );
        assert_eq!(fold("ABC"), "abc");
        assert_eq!(fold("東京"), "東京");
    }

    #[test]
    fn matching_ignores_case_and_accents() {
        let m = Matcher::new("ZURICH").unwrap();
        assert!(m.matches(&fold("Housing vote in Zürich")));
        assert!(!m.matches(&fold("Geneva")));
        assert!(Matcher::new("   ").is_none());
        let m = Matcher::new("été").unwrap();
        assert!(m.matches(&fold("Un ETE chaud")));
    }

    #[test]
    fn ranges_point_into_the_original_text() {
        let m = Matcher::new("zurich").unwrap();
        let t = "In Zürich, zurich and ZÜRICH";
        let got: Vec<&str> = m.ranges(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(got, ["Zürich", "zurich", "ZÜRICH"]);
        assert!(m.ranges("nothing").is_empty());
        let m = Matcher::new("e").unwrap();
        assert_eq!(m.ranges("éé").len(), 2);
    }

    #[test]
    fn index_covers_every_field_and_pending_html() {
        use crate::core::model::{ArticleId, Block, BlockKind, Body, PendingHtml};
        let mut a = Article {
            id: ArticleId::from_key("x"),
            title: "Title".into(),
            source: "Harbour Wire".into(),
            author: None,
            date: Default::default(),
            dated: false,
            link: None,
            categories: vec![],
            standfirst: Some("Standfirst".into()),
            body: crate::core::model::Body::Html(Box::new(PendingHtml {
                html: "<p>Hidden <b>gem</b></p>".into(),
                base: None,
            })),
            words: 0,
            meta: vec![],
            origin: "".into(),
        };
        let t = index_text(&a);
        for q in ["title", "harbour", "standfirst", "hidden", "gem"] {
            assert!(Matcher::new(q).unwrap().matches(&t), "{q} in {t}");
        }
        assert!(!Matcher::new("<b>").unwrap().matches(&t));
        // Rendered blocks are read too.
        a.body = Body::Blocks(vec![Block::new(BlockKind::Paragraph, "Body Ünïcode")]);
        let t = index_text(&a);
        assert!(Matcher::new("unicode").unwrap().matches(&t), "{t}");
    }
}
