//! Stories (issue 17): the versions of one piece of news from several sources, grouped so that a
//! reader sees one headline per story. Pure: no IO; the index is fed articles (or the lighter
//! [`StoryInput`]) and answers which story each belongs to. docs/stories.md has the measurements
//! and the API for the UI.
//!
//! # Links
//!
//! Two articles are *linked* when
//! - they are **the same article**: equal [`ArticleId`] (an id added twice is one article), or
//!   equal [`canonical_link`] (tracking parameters, `amp`/`m.`/`www.` variants, fragments and
//!   trailing slashes removed), whatever their sources, dates and texts; or
//! - they are **versions of one event**: both dated, from different sources, published within
//!   [`WINDOW_HOURS`] of each other, and the text test below holds.
//!
//! Stories are then formed from the links (see [`StoryIndex`]): strongest links first, never
//! putting in one story two articles that *cannot* be versions of one event (one source twice,
//! two languages, more than [`WINDOW_HOURS`] apart, conflicting titles). The result depends only
//! on the *set* of articles indexed, never on the order they were added in.
//!
//! # The text test
//!
//! 1. Words: title + lead (the standfirst, else the body's first paragraph or the start of its
//!    HTML, at most [`LEAD_BYTES`]) are cut into words; numbers keep their decimals (`2,5` =
//!    `2.5`, `1,100` = `1100`, `€5m` = `5` `million`, `M6.8` = `6.8`) and number words count as
//!    digits (`three` = `3`); words are lowercased and accent-folded, stop words of the text's
//!    language dropped, English words lightly stemmed (`kills`/`killed`/`killing` = `kill`),
//!    demonyms folded into their country (`German` = `Germany`), `quake` read as `earthquake`.
//! 2. Kinds of words: *distinctive* words are numbers, places (a built-in list of countries,
//!    demonyms and large cities), acronyms (`ECB`) and words capitalised inside a sentence
//!    (names); a word capitalised at a sentence start is only *capitalised* (`Nexora shares
//!    jump`); a title's opening `Label:` is neither. Distinctive words weigh [`W_DISTINCT`],
//!    others 1, and a title word [`W_TITLE`] more. *Aliases* are other names of a word of the
//!    text: the initials of a capitalised run (`European Central Bank` = `ECB`, `Bank of England`
//!    = `BoE`), the country of a capital (`Washington` = `US`); an alias counts only when the
//!    other text has the word itself.
//! 3. Language: guessed from stop words (en, fr, de, es, pt, it, nl) or from the script (Cyrillic,
//!    Greek, Arabic, Hebrew, CJK, Hangul, …); two texts in different known languages are never
//!    versions of one event (translations stay apart).
//! 4. Conflict veto: what each title holds that the other text (title and lead) lacks must not
//!    be a distinctive word of one kind on both sides (place against place: `Lisbon` / `Porto`;
//!    number against number: `1,100` / `420`; name against name), nor, on both sides, only words
//!    that name something (a template with another name: `Brightwave profit falls 20%` /
//!    `Solvane profit falls 20%`).
//! 5. Similarity: weighted Jaccard (Σ min weight / Σ max weight over the two word sets), with at
//!    least [`MIN_SHARED`] words in common, and either
//!    - two title words in common, or one that names something in both (distinctive in one,
//!      distinctive or capitalised in the other), and a similarity of [`MIN_SIMILARITY`]; or
//!    - two distinctive words in common anywhere (a rewritten headline over the same names and
//!      numbers) and a similarity of [`MIN_SIMILARITY_NAMES`].
//!
//! # Finding candidates
//!
//! Comparing all pairs is quadratic. Each article is filed, in a table per time slot of
//! [`WINDOW_HOURS`], under keys that any pair the text test accepts must share: each pair of its
//! title words, each title word that may name something, and each distinctive word (two of
//! which must be shared). A new article reads the keys of its slot and the two neighbouring
//! ones, so it meets only articles within the window that share such keys, never all of them:
//! the cost per article does not grow with the number of articles, only with how many share its
//! words in the same days. The candidates are exactly those comparing all pairs would accept
//! (tested), except for titles of more than [`MAX_PAIRED`] words, whose extra words are not
//! paired.
//!
//! # Story ids and the representative
//!
//! A [`StoryId`] is the [`ArticleId`] of the story's earliest version by `(date, id)`, so the same
//! articles give the same ids on every run and in any load order (`tidings show <story id>`
//! opens that version). When an earlier version joins later, the id changes; [`Added`] says
//! which stories changed and which ids are gone. The *representative* (the row the headline list
//! shows) is the earliest version that is at least half as long as the longest
//! (`Article::words`), so a short agency flash or an aggregator's stub never hides the full
//! story, and the original wins over later rewrites.

use crate::core::model::{Article, ArticleId, BlockKind};
use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

mod analyse;
mod index;
mod link;
mod score;
mod tables;
#[cfg(test)]
mod tests;

use analyse::*;
pub use index::*;
pub use link::*;
use score::*;
pub use score::{PairScore, linked, pair_score};
use tables::*;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// Versions of one event are published at most this far apart.
pub const WINDOW_HOURS: i64 = 48;
/// At most this much of the lead (standfirst or first paragraph) is read, in bytes.
pub const LEAD_BYTES: usize = 280;
/// Weight of a distinctive word (number, place, name, acronym); other words weigh 1.
pub const W_DISTINCT: u32 = 2;
/// Extra weight of a word that appears in the title.
pub const W_TITLE: u32 = 1;
/// The weighted Jaccard similarity two versions of one event reach at least (with two title
/// words in common, or one that names something).
pub const MIN_SIMILARITY: f32 = 0.22;
/// The similarity two versions whose titles share little (a rewritten headline) reach at least,
/// with two distinctive words (names, numbers, places) in common.
pub const MIN_SIMILARITY_NAMES: f32 = 0.3;
/// Words two versions have in common at least.
pub const MIN_SHARED: usize = 3;
/// Texts with fewer words than this (after stop words) are matched by link and id only.
pub const MIN_WORDS: usize = 3;
/// A story holds at most this many versions (this bounds the cost of regrouping).
pub const MAX_VERSIONS: usize = 64;
/// The candidate index has a table per time slot of this many seconds: two articles within
/// [`WINDOW_HOURS`] are in the same slot or in neighbouring ones.
const SLOT_SECONDS: i64 = WINDOW_HOURS * 3600;

// ------------------------------------------------------------------------------------------
// Public types

/// A story's id: the [`ArticleId`] of its earliest version (by date, then id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(ArticleId);

impl StoryId {
    /// The story whose earliest version is `id` (as stored, e.g. with the snapshot).
    pub fn of_article(id: ArticleId) -> StoryId {
        StoryId(id)
    }

    /// The earliest version's id.
    pub fn article(&self) -> &ArticleId {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What the index reads of an article. [`StoryInput::from_article`] fills it from an [`Article`]
/// without copying the strings (except a lead cut out of an HTML body).
#[derive(Debug, Clone)]
pub struct StoryInput<'a> {
    pub id: &'a ArticleId,
    /// The source's name: versions of one event come from different sources (an article and its
    /// tracking-link copy may share one).
    pub source: &'a str,
    pub title: &'a str,
    /// The standfirst, else the start of the body; cut to [`LEAD_BYTES`].
    pub lead: Option<Cow<'a, str>>,
    pub link: Option<&'a str>,
    pub date: DateTime<Utc>,
    /// False when `date` is a stand-in: such articles join stories by link and id only.
    pub dated: bool,
    /// Length, for choosing the representative ([`Article::words`]).
    pub words: u32,
}

impl<'a> StoryInput<'a> {
    /// The input for an article: its standfirst as the lead, else its first paragraph, else the
    /// text at the start of its pending HTML body.
    pub fn from_article(a: &'a Article) -> StoryInput<'a> {
        let lead = match &a.standfirst {
            Some(s) if !s.trim().is_empty() => Some(Cow::Borrowed(cut(s, LEAD_BYTES))),
            _ => a
                .blocks()
                .iter()
                .find(|b| b.kind == BlockKind::Paragraph && !b.text.is_empty())
                .map(|b| Cow::Borrowed(cut(&b.text, LEAD_BYTES)))
                .or_else(|| {
                    a.pending()
                        .as_ref()
                        .map(|p| Cow::Owned(html_lead(&p.html, LEAD_BYTES)))
                }),
        };
        StoryInput {
            id: &a.id,
            source: &a.source,
            title: &a.title,
            lead,
            link: a.link.as_deref(),
            date: a.date,
            dated: a.dated,
            words: a.words,
        }
    }
}

/// What [`StoryIndex::add`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// The story of each input, in input order (an id indexed before gives its story now).
    pub stories: Vec<StoryId>,
    /// Stories that are new or whose versions changed, by their id now; sorted.
    pub changed: Vec<StoryId>,
    /// Ids of stories that existed before the call and no longer do (merged into another,
    /// split, or renamed because an earlier version joined); sorted.
    pub removed: Vec<StoryId>,
}
