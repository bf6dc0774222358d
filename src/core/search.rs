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
    fold_into(s, &mut out);
    out
}

/// Appends `s` folded (see [`fold`]): runs of ASCII are lowercased at once, other characters
/// one by one.
pub fn fold_into(s: &str, out: &mut String) {
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        fold_char(c, out);
        rest = &rest[c.len_utf8()..];
    }
}

/// The folded text an article is searched in: title, source, standfirst and body (a pending
/// HTML body with its tags skipped), separated by newlines.
pub fn index_text(a: &Article) -> String {
    index_text_of(a, a)
}

/// [`index_text`] of article `a` with the body of `body` (the same article read back from
/// disk, which may carry nothing but its body).
pub fn index_text_of(a: &Article, body: &Article) -> String {
    let mut out = String::with_capacity(a.title.len() + 256);
    let line = |text: &str, out: &mut String| {
        fold_into(text, out);
        out.push('\n');
    };
    line(&a.title, &mut out);
    line(&a.source, &mut out);
    if let Some(s) = &a.standfirst {
        line(s, &mut out);
    }
    for b in body.blocks() {
        line(&b.text, &mut out);
    }
    if let Some(p) = body.pending() {
        let mut raw = String::new();
        strip_tags(&p.html, &mut raw);
        fold_into(&raw, &mut out);
    }
    out
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

/// One term of a query, folded: a word, or a `"quoted phrase"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub phrase: bool,
    /// The last word while it is being typed: it matches words that start with it.
    pub prefix: bool,
}

/// The last word is matched as a prefix from this many characters on (shorter ones as whole
/// words: a one- or two-letter prefix would match most of the index, see docs/performance.md).
pub const PREFIX_FROM: usize = 4;

/// Splits a query into its terms: words, and phrases in double quotes (an unclosed quote runs
/// to the end). Every term is ANDed. The last bare word is a prefix unless a space follows it.
pub fn terms(query: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut rest = query;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(inner) = rest.strip_prefix('"') {
            let (phrase, after) = match inner.find('"') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            };
            let text = fold(phrase.trim());
            if !text.is_empty() {
                out.push(Term {
                    text,
                    phrase: true,
                    prefix: false,
                });
            }
            rest = after;
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            out.push(Term {
                text: fold(&rest[..end]),
                phrase: false,
                prefix: false,
            });
            rest = &rest[end..];
        }
    }
    if !query.ends_with(char::is_whitespace)
        && let Some(last) = out.last_mut()
        && !last.phrase
        && last.text.chars().count() >= PREFIX_FROM
    {
        last.prefix = true;
    }
    out
}

/// The SQLite FTS5 `MATCH` expression of the terms (each term quoted, so nothing typed is
/// taken as FTS5 syntax; ANDed; the prefix term starred). `None` when no term holds a word
/// character, since such a query can only match by substring.
pub fn fts_expression(terms: &[Term]) -> Option<String> {
    let words: Vec<String> = terms
        .iter()
        .filter(|t| t.text.chars().any(char::is_alphanumeric))
        .map(|t| {
            let quoted = format!("\"{}\"", t.text.replace('"', "\"\""));
            if t.prefix { quoted + "*" } else { quoted }
        })
        .collect();
    (words.len() == terms.len() && !words.is_empty()).then(|| words.join(" AND "))
}

/// A compiled query, matched in memory by substring: every term must occur in the text.
pub struct Matcher {
    terms: Vec<Term>,
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl Matcher {
    /// `None` for an empty query (everything matches).
    pub fn new(query: &str) -> Option<Matcher> {
        let terms = terms(query);
        if terms.is_empty() {
            return None;
        }
        let finders = terms
            .iter()
            .map(|t| memchr::memmem::Finder::new(t.text.as_bytes()).into_owned())
            .collect();
        Some(Matcher { terms, finders })
    }

    /// True when every term occurs in `folded_text`.
    pub fn matches(&self, folded_text: &str) -> bool {
        self.finders
            .iter()
            .all(|f| f.find(folded_text.as_bytes()).is_some())
    }

    /// True when any term occurs in `folded_text` (a line of the reader worth jumping to).
    pub fn matches_any(&self, folded_text: &str) -> bool {
        self.finders
            .iter()
            .any(|f| f.find(folded_text.as_bytes()).is_some())
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// The `MATCH` expression for the full-text index (see [`fts_expression`]).
    pub fn fts(&self) -> Option<String> {
        fts_expression(&self.terms)
    }

    /// Byte ranges of `text` (not folded) where any term occurs, for highlighting; sorted,
    /// overlapping ones merged.
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
        for (term, finder) in self.terms.iter().zip(&self.finders) {
            let mut from = 0;
            while let Some(pos) = finder.find(&folded.as_bytes()[from..]) {
                let start = from + pos;
                let end = start + term.text.len();
                let (s, e) = (origin[start], origin[end.min(origin.len() - 1)]);
                // The end maps to the start of the next original char, so whole chars are
                // covered.
                let e = if e <= s {
                    text[s..].chars().next().map_or(s, |c| s + c.len_utf8())
                } else {
                    e
                };
                out.push((s, e));
                from = end.max(start + 1);
            }
        }
        out.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
        for (s, e) in out {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of ASCII folded at once fold as each character alone does.
    #[test]
    fn folding_runs_equals_folding_each_character() {
        for text in [
            "",
            "ABC def",
            "Zürich",
            "ÉTÉ à Paris",
            "“Quoted” — Київ, ŁÓDŹ and 東京 MIXED case İstanbul ß",
            "trailing é",
            "é leading",
        ] {
            let mut each = String::new();
            text.chars().for_each(|c| fold_char(c, &mut each));
            assert_eq!(fold(text), each, "{text}");
            let mut appended = "Kept ".to_string();
            fold_into(text, &mut appended);
            assert_eq!(appended, format!("Kept {each}"));
        }
    }

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
    fn queries_split_into_words_and_phrases() {
        let t = terms("Québec  \"Night TRAIN\" elec");
        let texts: Vec<(&str, bool, bool)> = t
            .iter()
            .map(|t| (t.text.as_str(), t.phrase, t.prefix))
            .collect();
        assert_eq!(
            texts,
            [
                ("quebec", false, false),
                ("night train", true, false),
                ("elec", false, true)
            ]
        );
        // A space ends the last word; short last words are whole words; unclosed quotes run on.
        assert!(!terms("elec ")[0].prefix);
        assert!(!terms("ele")[0].prefix);
        assert_eq!(terms("\"open end")[0].text, "open end");
        assert!(terms("  \"\"  ").is_empty());
    }

    #[test]
    fn fts_expressions_quote_everything_typed() {
        let e = |q: &str| fts_expression(&terms(q));
        assert_eq!(
            e("quebec elec").as_deref(),
            Some("\"quebec\" AND \"elec\"*")
        );
        assert_eq!(
            e("\"night train\" OR").as_deref(),
            Some("\"night train\" AND \"or\"")
        );
        assert_eq!(e("a\"b").as_deref(), Some("\"a\" AND \"b\""));
        assert_eq!(e("NEAR(x*"), Some("\"near(x*\"*".to_string()));
        // Punctuation alone can only match by substring.
        assert_eq!(e("-- ++"), None);
        assert_eq!(e("quebec --"), None);
    }

    #[test]
    fn every_term_must_match() {
        let m = Matcher::new("zurich vote").unwrap();
        assert!(m.matches(&fold("Housing vote in Zürich")));
        assert!(!m.matches(&fold("Housing in Zürich")));
        let m = Matcher::new("\"in zurich\"").unwrap();
        assert!(m.matches(&fold("Housing vote in Zürich")));
        assert!(!m.matches(&fold("Zürich: in the vote")));
        let got = Matcher::new("vote zur")
            .unwrap()
            .ranges("Vote in Zürich, vote");
        assert_eq!(got, [(0, 4), (8, 12), (17, 21)]);
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
            meta: Box::default(),
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
