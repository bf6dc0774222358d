//! Similarity: how two analysed texts are judged (the text test of the module documentation).

use super::*;

/// The numbers a pair of texts is judged by (for tuning and for explaining a decision).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairScore {
    /// Weighted Jaccard similarity of the two word sets.
    pub similarity: f32,
    /// Plain Jaccard similarity of the word sets (for reports).
    pub jaccard: f32,
    /// Words in common.
    pub shared: usize,
    /// Words in common that are in both titles.
    pub shared_title: usize,
    /// Words in common that are in both titles and name something (a number, place, acronym or
    /// name): distinctive in one text, distinctive or capitalised in the other.
    pub shared_title_key: usize,
    /// Words in common (title or lead) that are distinctive in both texts.
    pub shared_distinct: usize,
    /// Each title holds a distinctive word the other text lacks.
    pub conflict: bool,
    /// Both languages are known and differ.
    pub other_language: bool,
}

/// A word of both titles that names something (see [`PairScore::shared_title_key`]).
pub(super) fn title_key(x: u32, y: u32) -> bool {
    x & y & F_TITLE != 0 && x & F_KEY != 0 && y & F_KEY != 0 && (x | y) & F_DISTINCT != 0
}

pub(super) fn other_language(a: u8, b: u8) -> bool {
    a != LANG_UNKNOWN && b != LANG_UNKNOWN && a != b
}

pub(super) fn weight(t: u32) -> u32 {
    1 + (t & F_DISTINCT != 0) as u32 * (W_DISTINCT - 1) + (t & F_TITLE != 0) as u32 * W_TITLE
}

/// What [`score`] needs to know of one text besides its tokens, computed once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Summary {
    /// Total weight of the words (aliases excluded).
    pub(super) weight: u32,
    /// Words (aliases excluded).
    pub(super) words: u16,
    /// Distinctive title words (aliases excluded), by kind (place, number, other).
    pub(super) title_distinct: [u16; 3],
    /// Title words, and those of them that may name something (aliases excluded).
    pub(super) title_words: u16,
    pub(super) title_key: u16,
    pub(super) lang: u8,
}

pub(super) const TD: u32 = F_TITLE | F_DISTINCT;

pub(super) fn summary(tokens: &[u32], lang: u8) -> Summary {
    let mut s = Summary {
        lang,
        ..Summary::default()
    };
    for &t in tokens.iter().filter(|&&t| t & F_ALIAS == 0) {
        s.weight += weight(t);
        s.words = s.words.saturating_add(1);
        if t & TD == TD {
            let k = kind_of(t);
            s.title_distinct[k] = s.title_distinct[k].saturating_add(1);
        }
        s.title_words = s.title_words.saturating_add(u16::from(t & F_TITLE != 0));
        s.title_key = s.title_key.saturating_add(u16::from(is_title_key(t)));
    }
    s
}

/// The kind of a distinctive word: 0 a place, 1 a number, 2 another (a name, an acronym).
pub(super) fn kind_of(t: u32) -> usize {
    if t & F_PLACE != 0 {
        0
    } else if t & F_NUMBER != 0 {
        1
    } else {
        2
    }
}

/// A title word that may name something.
pub(super) fn is_title_key(t: u32) -> bool {
    t & F_TITLE != 0 && t & F_KEY != 0
}

/// The conflict veto from what each title holds that the other text lacks (`a_only`: a mask of
/// the kinds of its distinctive words, any word that names something, any other word): a
/// distinctive word of one kind on both sides (`Lisbon` / `Porto`, `1,100` / `420`; a place
/// against a name is often the same place said more or less precisely: `California` / `Santa
/// Barbara`), or, on both sides, only words that name something (`Brightwave profit falls 20%`
/// / `Solvane profit falls 20%`: a template with another name).
pub(super) fn conflict_of(a_only: (u8, bool, bool), b_only: (u8, bool, bool)) -> bool {
    let (a_kinds, a_key, a_plain) = a_only;
    let (b_kinds, b_key, b_plain) = b_only;
    a_kinds & b_kinds != 0 || (a_key && b_key && !a_plain && !b_plain)
}

/// The kinds (bits of [`kind_of`]) with more words than matched.
pub(super) fn kinds_left(total: [u16; 3], matched: [u16; 3]) -> u8 {
    (0..3).fold(0, |m, k| m | u8::from(total[k] > matched[k]) << k)
}

/// Compares two texts: only their common words are visited; the rest comes from their
/// summaries. (Union weight = both weights minus the smaller weight of each common word.)
pub(super) fn score(a: &[u32], sa: Summary, b: &[u32], sb: Summary) -> PairScore {
    let (mut i, mut j) = (0, 0);
    let (mut inter_w, mut overlap_w) = (0u32, 0u32);
    let (mut shared, mut shared_title, mut shared_title_key) = (0usize, 0usize, 0usize);
    let mut shared_distinct = 0usize;
    let (mut td_a_matched, mut td_b_matched) = ([0u16; 3], [0u16; 3]);
    // Title words matched: all, and those that may name something.
    let (mut tw_a, mut tw_b, mut tk_a, mut tk_b) = (0u16, 0u16, 0u16, 0u16);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let (kx, ky) = (x >> FLAG_BITS, y >> FLAG_BITS);
        if kx == ky {
            let (alias_x, alias_y) = (x & F_ALIAS != 0, y & F_ALIAS != 0);
            if !(alias_x && alias_y) {
                let (wx, wy) = (weight(x), weight(y));
                match (alias_x, alias_y) {
                    (true, _) => inter_w += wy,
                    (_, true) => inter_w += wx,
                    _ => {
                        inter_w += wx.min(wy);
                        overlap_w += wx.min(wy);
                    }
                }
                shared += 1;
                shared_title += usize::from(x & y & F_TITLE != 0);
                shared_title_key += usize::from(title_key(x, y));
                shared_distinct += usize::from(x & y & F_DISTINCT != 0);
                if !alias_x && x & TD == TD {
                    td_a_matched[kind_of(x)] += 1;
                }
                if !alias_y && y & TD == TD {
                    td_b_matched[kind_of(y)] += 1;
                }
                tw_a += u16::from(!alias_x && x & F_TITLE != 0);
                tw_b += u16::from(!alias_y && y & F_TITLE != 0);
                tk_a += u16::from(!alias_x && is_title_key(x));
                tk_b += u16::from(!alias_y && is_title_key(y));
            }
        }
        i += usize::from(kx <= ky);
        j += usize::from(ky <= kx);
    }
    let union_w = sa.weight + sb.weight - overlap_w;
    let plain_union = (usize::from(sa.words) + usize::from(sb.words))
        .saturating_sub(shared)
        .max(1);
    PairScore {
        similarity: if union_w == 0 {
            0.0
        } else {
            inter_w as f32 / union_w as f32
        },
        jaccard: shared as f32 / plain_union as f32,
        shared,
        shared_title,
        shared_title_key,
        shared_distinct,
        conflict: conflict_of(
            (
                kinds_left(sa.title_distinct, td_a_matched),
                sa.title_key > tk_a,
                sa.title_words - sa.title_key > tw_a - tk_a,
            ),
            (
                kinds_left(sb.title_distinct, td_b_matched),
                sb.title_key > tk_b,
                sb.title_words - sb.title_key > tw_b - tk_b,
            ),
        ),
        other_language: other_language(sa.lang, sb.lang),
    }
}

/// Words that are not aliases.
pub(super) fn real_len(tokens: &[u32]) -> usize {
    tokens.iter().filter(|&&t| t & F_ALIAS == 0).count()
}

impl PairScore {
    /// The text test of the module documentation (the window and sources are checked apart).
    pub fn same_event(&self) -> bool {
        let by_title = (self.shared_title >= 2 || self.shared_title_key >= 1)
            && self.similarity >= MIN_SIMILARITY;
        let by_names = self.shared_distinct >= 2 && self.similarity >= MIN_SIMILARITY_NAMES;
        !self.other_language
            && !self.conflict
            && self.shared >= MIN_SHARED
            && (by_title || by_names)
    }
}

/// How the text test sees two inputs (ignoring dates, sources and links), for tuning and for
/// explaining a decision.
pub fn pair_score(a: &StoryInput<'_>, b: &StoryInput<'_>) -> PairScore {
    let mut s = Scratch::default();
    let x = analyse(a.title, a.lead.as_deref(), &mut s);
    let y = analyse(b.title, b.lead.as_deref(), &mut s);
    score(
        &x.tokens,
        summary(&x.tokens, x.lang),
        &y.tokens,
        summary(&y.tokens, y.lang),
    )
}

/// Whether two inputs are linked (see the module documentation): the same id, the same canonical
/// link, or versions of one event by the window, the sources and the text test. Stories are
/// formed from these links by [`StoryIndex`] (which may still keep two linked articles apart
/// when their stories cannot be joined).
pub fn linked(a: &StoryInput<'_>, b: &StoryInput<'_>) -> bool {
    if a.id == b.id {
        return true;
    }
    if let (Some(x), Some(y)) = (a.link, b.link)
        && !x.trim().is_empty()
        && canonical_link(x) == canonical_link(y)
    {
        return true;
    }
    if !a.dated
        || !b.dated
        || a.source == b.source
        || (a.date - b.date).num_seconds().abs() > WINDOW_HOURS * 3600
    {
        return false;
    }
    let mut s = Scratch::default();
    let x = analyse(a.title, a.lead.as_deref(), &mut s);
    let y = analyse(b.title, b.lead.as_deref(), &mut s);
    real_len(&x.tokens) >= MIN_WORDS
        && real_len(&y.tokens) >= MIN_WORDS
        && score(
            &x.tokens,
            summary(&x.tokens, x.lang),
            &y.tokens,
            summary(&y.tokens, y.lang),
        )
        .same_event()
}
