//! The index: candidates by shared keys per time slot, links, and stories formed from them.

use super::*;

pub(super) const NONE: u32 = u32::MAX;

/// One indexed article.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) id: ArticleId,
    /// Seconds since the epoch.
    pub(super) date: i64,
    pub(super) dated: bool,
    pub(super) source: u64,
    pub(super) summary: Summary,
    /// Takes part in the text test (dated, enough words).
    pub(super) textual: bool,
    pub(super) tok_start: u32,
    pub(super) tok_len: u32,
    pub(super) words: u32,
    /// Union-find parent in the graph of links.
    pub(super) parent: u32,
    /// Its story's slot in `StoryIndex::stories`.
    pub(super) slot: u32,
}

/// A link between two docs: the text similarity, or infinity for the same article.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) strength: f32,
}

/// A connected component of the link graph (kept at its union-find root). `members` is empty
/// for a component of one doc (the root), so that most docs need no allocation.
#[derive(Debug, Clone, Default)]
pub(super) struct Component {
    pub(super) members: Vec<u32>,
    pub(super) edges: Vec<Edge>,
}

impl Component {
    pub(super) fn len(&self) -> usize {
        self.members.len().max(1)
    }
}

/// One story while indexed.
#[derive(Debug, Clone, Default)]
pub(super) struct Story {
    /// Members (doc indexes), sorted by (date, id); empty for a story of one version, which
    /// is `single` (most stories: no allocation).
    pub(super) docs: Vec<u32>,
    pub(super) single: u32,
    /// The members as article ids (empty for a story of one version).
    pub(super) ids: Vec<ArticleId>,
    pub(super) id: Option<StoryId>,
    pub(super) representative: u32,
}

impl Story {
    pub(super) fn members(&self) -> &[u32] {
        if self.docs.is_empty() {
            std::slice::from_ref(&self.single)
        } else {
            &self.docs
        }
    }
}

/// The 64-bit value of an article id (16 hex digits, as [`ArticleId::from_key`] makes them);
/// a hash for any other form.
pub(super) fn id_key(id: &ArticleId) -> u64 {
    let s = id.as_str().as_bytes();
    let mut v = 0u64;
    if s.len() == 16 {
        for &b in s {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                _ => return word_hash(s) | 1 << 63,
            };
            v = v << 4 | u64::from(d);
        }
        return v;
    }
    word_hash(s) | 1 << 63
}

/// Title words beyond this many (in hash order) are not paired in the candidate index.
pub(super) const MAX_PAIRED: usize = 10;

/// What the index reads of one article ([`prepare`]): made without the index, on any thread,
/// and owned, so the articles can go on while the index adds them
/// ([`StoryIndex::add_prepared`]).
#[derive(Debug, Clone)]
pub struct Prepared {
    id: ArticleId,
    date: DateTime<Utc>,
    dated: bool,
    /// Hash of the source's name.
    source: u64,
    length: u32,
    summary: Summary,
    textual: bool,
    /// The tokens, then the candidate keys ([`key32`]; only of a text that takes the text
    /// test): the title's, then the names'. One allocation: a start-up holds them all.
    words: Vec<u32>,
    tokens: u32,
    title_keys: u32,
    /// Hash of the canonical link.
    link: Option<u64>,
}

impl Prepared {
    pub(super) fn new(input: &StoryInput<'_>, scratch: &mut Scratch) -> Prepared {
        let analysis = analyse(input.title, input.lead.as_deref(), scratch);
        let summary = summary(&analysis.tokens, analysis.lang);
        let textual = input.dated && usize::from(summary.words) >= MIN_WORDS;
        let mut keys = std::mem::take(&mut scratch.keys);
        keys.clear();
        let mut title_key_count = 0;
        if textual {
            title_keys(&analysis.tokens, &mut keys);
            title_key_count = keys.len() as u32;
            name_keys(&analysis.tokens, &mut keys);
        }
        let tokens = analysis.tokens.len() as u32;
        let mut words = Vec::with_capacity(analysis.tokens.len() + keys.len());
        words.extend_from_slice(&analysis.tokens);
        words.extend(keys.iter().map(|&k| key32(k)));
        scratch.keys = keys;
        scratch.done = analysis.tokens;
        let link = input.link.filter(|l| !l.trim().is_empty()).map(|l| {
            let mut buf = std::mem::take(&mut scratch.link);
            canonical_link_into(l, &mut buf);
            let hash = word_hash(buf.as_bytes());
            scratch.link = buf;
            hash
        });
        Prepared {
            id: input.id.clone(),
            date: input.date,
            dated: input.dated,
            source: crate::core::model::fnv1a64(input.source.as_bytes()),
            length: input.words,
            summary,
            textual,
            tokens,
            words,
            title_keys: title_key_count,
            link,
        }
    }
}

/// Reads articles for the index on every core: the costly part of grouping (words, stems,
/// keys, the lead of an HTML body), so that [`StoryIndex::add_prepared`] only compares.
pub fn prepare(articles: &[&Article]) -> Vec<Prepared> {
    use rayon::prelude::*;
    articles
        .par_iter()
        .map_init(Scratch::default, |scratch, a| {
            Prepared::new(&StoryInput::from_article(a), scratch)
        })
        .collect()
}

/// The candidate keys of a text: each pair of its title words (aliases included, at most
/// [`MAX_PAIRED`] words), and each title word that may name something ([`F_KEY`]) alone. Two
/// texts the text test can accept share one: two title words, or a title word that names
/// something in both.
pub(super) fn title_keys(tokens: &[u32], out: &mut Vec<u64>) {
    let mut words = [0u64; MAX_PAIRED];
    let mut n = 0;
    for &t in tokens.iter().filter(|&&t| t & F_TITLE != 0) {
        let w = u64::from(t >> FLAG_BITS);
        if t & F_KEY != 0 && t & F_ALIAS == 0 {
            out.push(mix64(w ^ 0x5151_5151_5151_5151));
        }
        if n < MAX_PAIRED {
            words[n] = w;
            n += 1;
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            // Sorted tokens, so `words[i] < words[j]`: one key per pair.
            out.push(mix64(words[i] << 32 | words[j]));
        }
    }
}

/// Distinctive words (names, numbers, places) of the whole text, each alone (in their own key
/// space): two texts with two such words in common meet twice.
pub(super) fn name_keys(tokens: &[u32], out: &mut Vec<u64>) {
    for &t in tokens
        .iter()
        .filter(|&&t| t & (F_DISTINCT | F_ALIAS) == F_DISTINCT)
    {
        out.push(mix64(u64::from(t >> FLAG_BITS) ^ 0xa3a3_a3a3_a3a3_a3a3));
    }
}

/// A candidate key as filed (32 bits: a collision only adds a candidate).
pub(super) fn key32(key: u64) -> u32 {
    (key >> 32) as u32
}

/// The story index: add articles in batches (one source loading), ask which story an article
/// belongs to, list a story's versions.
///
/// # How stories are formed
///
/// Links (see the module documentation) make a graph; each connected component of it is then
/// split into stories by taking its links strongest first (the same article, then by text
/// similarity, ties by article id) and joining the two groups a link connects unless that
/// would put two articles that *cannot* be versions of one event in one story: two articles of
/// one source (other than copies of one article), in two languages, more than
/// [`WINDOW_HOURS`] apart, or whose titles conflict. So a follow-up (`Two arrested over museum
/// theft`) that resembles one version of the first story (`Paintings stolen from museum`)
/// stays apart when the story already holds the wire's version of the theft.
///
/// # Cost and determinism
///
/// Adding compares each new article only with the articles that share a candidate key (see the
/// module documentation), and with those of equal id or canonical link, never with all; only
/// the components that gained an article are split again. A story holds at most
/// [`MAX_VERSIONS`] versions. Stories depend only on the set of articles indexed: adding them
/// in any order, in one batch or many, gives the same stories and the same [`StoryId`]s.
/// Articles are never removed; build a new index when they leave (110,000 articles take well
/// under a second).
#[derive(Debug, Default)]
pub struct StoryIndex {
    pub(super) docs: Vec<Doc>,
    /// Packed tokens of every doc, back to back.
    pub(super) tokens: Vec<u32>,
    /// [`id_key`] of an article id -> its doc.
    pub(super) by_id: HashMap<u64, u32>,
    /// Hash of a canonical link -> the first doc with it.
    pub(super) by_link: HashMap<u64, u32>,
    /// Per time slot: candidate key -> the last posting filed under it in that slot.
    pub(super) slots: HashMap<i32, HashMap<u32, u32>>,
    /// Postings: the doc, and the previous posting under the same key and slot.
    pub(super) postings: Vec<(u32, u32)>,
    /// Per doc: the last doc that met it in the candidate index, and how (2: a candidate).
    pub(super) seen: Vec<(u32, u8)>,
    /// Per doc: its component, when it is a union-find root (else empty).
    pub(super) comps: Vec<Component>,
    pub(super) stories: Vec<Story>,
    pub(super) free: Vec<u32>,
    /// [`id_key`] of a story id -> its slot.
    pub(super) by_story: HashMap<u64, u32>,
    /// Compare every pair instead of using the bands (for tests: the bands must find the same).
    pub(super) all_pairs: bool,
    /// Counters for [`StoryIndex::debug_stats`]: candidates, posting visits, text links.
    pub(super) stats: [u64; 3],
}

impl StoryIndex {
    pub fn new() -> StoryIndex {
        StoryIndex::default()
    }

    /// An index that compares each new article with every article (quadratic): the reference
    /// the candidate index is tested against.
    #[doc(hidden)]
    pub fn with_all_pairs() -> StoryIndex {
        StoryIndex {
            all_pairs: true,
            ..StoryIndex::default()
        }
    }

    /// Groups a set of articles at once.
    pub fn build<'a>(inputs: impl IntoIterator<Item = StoryInput<'a>>) -> StoryIndex {
        let inputs: Vec<StoryInput<'a>> = inputs.into_iter().collect();
        let mut index = StoryIndex::new();
        index.add(&inputs);
        index
    }

    /// Articles indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Stories (a story of one version counts).
    pub fn story_count(&self) -> usize {
        self.by_story.len()
    }

    /// Adds a batch of articles (an id already indexed is skipped) and regroups the stories
    /// they touch. On this thread; [`prepare`] reads a batch on every core first, and
    /// [`StoryIndex::add_prepared`] adds it.
    pub fn add(&mut self, inputs: &[StoryInput<'_>]) -> Added {
        let mut scratch = Scratch::default();
        let prepared = (inputs.iter())
            .map(|i| Prepared::new(i, &mut scratch))
            .collect();
        self.add_prepared(prepared)
    }

    /// Adds a batch of articles read by [`prepare`], as [`StoryIndex::add`] does. The stories
    /// of [`Added::stories`] are in the order of `batch`.
    pub fn add_prepared(&mut self, batch: Vec<Prepared>) -> Added {
        let mut touched: Vec<u32> = Vec::new();
        let mut edges: Vec<Edge> = Vec::new();
        let mut cands: Vec<u32> = Vec::new();
        // In date order: the time slots in use and the candidates' words stay in cache (the
        // result does not depend on the order).
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|&i, &j| (batch[i].date, &batch[i].id).cmp(&(batch[j].date, &batch[j].id)));
        let mut input_docs: Vec<u32> = vec![NONE; batch.len()];
        let n = batch.len();
        self.docs.reserve(n);
        self.seen.reserve(n);
        self.comps.reserve(n);
        self.by_id.reserve(n);
        self.by_story.reserve(n);
        self.stories.reserve(n);
        self.tokens.reserve(n * 24);
        self.postings.reserve(n * 16);
        for at in order {
            let input = &batch[at];
            if let Some(&d) = self.by_id.get(&id_key(&input.id)) {
                input_docs[at] = d;
                continue;
            }
            let d = self.docs.len() as u32;
            input_docs[at] = d;
            touched.push(d);
            self.docs.push(Doc {
                id: input.id.clone(),
                date: input.date.timestamp(),
                dated: input.dated,
                source: input.source,
                summary: input.summary,
                textual: input.textual,
                tok_start: self.tokens.len() as u32,
                tok_len: input.tokens,
                words: input.length,
                parent: d,
                slot: NONE,
            });
            let (tokens, keys) = input.words.split_at(input.tokens as usize);
            self.tokens.extend_from_slice(tokens);
            let title_key_count = input.title_keys as usize;
            self.seen.push((NONE, 0));
            self.comps.push(Component::default());
            self.by_id.insert(id_key(&input.id), d);
            // The same article: equal canonical link.
            if let Some(link) = input.link {
                match self.by_link.entry(link) {
                    std::collections::hash_map::Entry::Occupied(e) => edges.push(Edge {
                        a: d,
                        b: *e.get(),
                        strength: f32::INFINITY,
                    }),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(d);
                    }
                }
            }
            // Versions of one event: candidates share a title word and a time slot (this or
            // a neighbouring one), then the text test.
            if !input.textual {
                continue;
            }
            cands.clear();
            if self.all_pairs {
                cands.extend(0..d);
            } else {
                let slot = input.date.timestamp().div_euclid(SLOT_SECONDS) as i32;
                // File the doc under its keys in its slot's table; read the keys in this
                // slot and the neighbouring ones.
                let mut own = self.slots.remove(&slot).unwrap_or_default();
                let tables = [self.slots.get(&(slot - 1)), self.slots.get(&(slot + 1))];
                // A title key makes a candidate at once; a distinctive word counts, and two
                // make a candidate.
                for (n, &k) in keys.iter().enumerate() {
                    let by_title = n < title_key_count;
                    let at = self.postings.len() as u32;
                    let prev = own.insert(k, at).unwrap_or(NONE);
                    self.postings.push((d, prev));
                    let heads = [
                        Some(prev),
                        tables[0].and_then(|t| t.get(&k).copied()),
                        tables[1].and_then(|t| t.get(&k).copied()),
                    ];
                    for mut p in heads.into_iter().flatten() {
                        while p != NONE {
                            let (c, prev) = self.postings[p as usize];
                            self.stats[1] += 1;
                            let (stamp, hits) = &mut self.seen[c as usize];
                            if *stamp != d {
                                (*stamp, *hits) = (d, 0);
                            }
                            let before = *hits;
                            *hits = if by_title {
                                2
                            } else {
                                before.saturating_add(1)
                            };
                            if before < 2 && *hits >= 2 {
                                cands.push(c);
                            }
                            p = prev;
                        }
                    }
                }
                self.slots.insert(slot, own);
            }
            self.stats[0] += cands.len() as u64;
            for &c in &cands {
                if let Some(strength) = self.text_link(d, c) {
                    self.stats[2] += 1;
                    edges.push(Edge {
                        a: d,
                        b: c,
                        strength,
                    });
                }
            }
        }
        // Components, then stories.
        for e in edges {
            let root = self.union(e.a, e.b);
            self.comps[root as usize].edges.push(e);
            touched.push(root);
        }
        let mut roots: Vec<u32> = touched.iter().map(|&d| self.find(d)).collect();
        roots.sort_unstable();
        roots.dedup();
        let mut before: Vec<(StoryId, Vec<u32>)> = Vec::new();
        let mut after: Vec<u32> = Vec::new();
        for root in roots {
            self.regroup(root, &mut before, &mut after);
        }
        // What changed.
        let old: HashMap<&StoryId, &[u32]> =
            before.iter().map(|(id, d)| (id, d.as_slice())).collect();
        let mut changed: Vec<StoryId> = after
            .iter()
            .map(|&slot| &self.stories[slot as usize])
            .filter(|st| {
                let id = st.id.as_ref().expect("settled");
                old.get(id).is_none_or(|d| *d != st.members())
            })
            .map(|st| st.id.clone().expect("settled"))
            .collect();
        changed.sort_unstable();
        // Growth slack of the big arrays (a load doubles them).
        for v in [&mut self.postings] {
            if v.capacity() > v.len() + v.len() / 4 {
                v.shrink_to_fit();
            }
        }
        if self.tokens.capacity() > self.tokens.len() + self.tokens.len() / 4 {
            self.tokens.shrink_to_fit();
        }
        let mut removed: Vec<StoryId> = before
            .iter()
            .map(|(id, _)| id)
            .filter(|id| self.slot_of(id).is_none())
            .cloned()
            .collect();
        removed.sort_unstable();
        Added {
            stories: input_docs
                .iter()
                .map(|&d| self.story_id_of_doc(d).clone())
                .collect(),
            changed,
            removed,
        }
    }

    /// The story of an article, when it is indexed.
    pub fn story_of(&self, id: &ArticleId) -> Option<&StoryId> {
        self.by_id
            .get(&id_key(id))
            .map(|&d| self.story_id_of_doc(d))
    }

    /// A story's versions, earliest first (by date, then id); empty for an unknown id.
    pub fn members(&self, story: &StoryId) -> &[ArticleId] {
        self.slot_of(story)
            .map_or(&[], |s| self.ids_of(&self.stories[s as usize]))
    }

    /// The version to show for a story: the earliest one at least half as long as the longest.
    pub fn representative(&self, story: &StoryId) -> Option<&ArticleId> {
        self.slot_of(story)
            .map(|s| &self.docs[self.stories[s as usize].representative as usize].id)
    }

    /// Every story with more than one version, in id order: (story, versions earliest first).
    pub fn groups(&self) -> Vec<(&StoryId, &[ArticleId])> {
        let mut out: Vec<(&StoryId, &[ArticleId])> = self
            .by_story
            .values()
            .map(|&s| &self.stories[s as usize])
            .filter(|st| !st.docs.is_empty())
            .map(|st| (st.id.as_ref().expect("settled"), st.ids.as_slice()))
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The slot of a live story.
    pub(super) fn slot_of(&self, story: &StoryId) -> Option<u32> {
        self.by_story
            .get(&id_key(story.article()))
            .copied()
            .filter(|&s| self.stories[s as usize].id.as_ref() == Some(story))
    }

    pub(super) fn ids_of<'s>(&'s self, story: &'s Story) -> &'s [ArticleId] {
        if story.docs.is_empty() {
            std::slice::from_ref(&self.docs[story.single as usize].id)
        } else {
            &story.ids
        }
    }

    pub(super) fn story_id_of_doc(&self, d: u32) -> &StoryId {
        let slot = self.docs[d as usize].slot;
        self.stories[slot as usize]
            .id
            .as_ref()
            .expect("every story is settled after add")
    }

    /// The approximate heap size of the index, in bytes (from its tables' capacities).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        // A hash table entry, with its control byte.
        let table = |cap: usize, entry: usize| cap * (entry + 1);
        let id = 32; // an ArticleId's text on the heap (16 bytes, allocator overhead)
        self.docs.capacity() * (size_of::<Doc>() + id)
            + self.tokens.capacity() * 4
            + table(self.by_id.capacity(), 12)
            + table(self.by_link.capacity(), 12)
            + self
                .slots
                .values()
                .map(|t| table(t.capacity(), 8))
                .sum::<usize>()
            + self.postings.capacity() * 8
            + self.seen.capacity() * size_of::<(u32, u8)>()
            + self.comps.capacity() * size_of::<Component>()
            + self
                .comps
                .iter()
                .map(|c| c.members.capacity() * 4 + c.edges.capacity() * size_of::<Edge>())
                .sum::<usize>()
            + self.stories.capacity() * (size_of::<Story>() + id)
            + self
                .stories
                .iter()
                .map(|s| s.docs.capacity() * 4 + s.ids.capacity() * (24 + id))
                .sum::<usize>()
            + table(self.by_story.capacity(), 12)
    }

    /// Counters for the benchmark: posting visits, candidates, links, components.
    #[doc(hidden)]
    pub fn debug_stats(&self) -> String {
        let mut sizes: Vec<usize> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(i, d)| d.parent == *i as u32)
            .map(|(i, _)| self.comps[i].len())
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        let edges: usize = self.comps.iter().map(|c| c.edges.len()).sum();
        format!(
            "visits {}, candidates {}, links {}, edges {}, components {}, largest {:?}",
            self.stats[1],
            self.stats[0],
            self.stats[2],
            edges,
            sizes.len(),
            &sizes[..sizes.len().min(8)]
        )
    }

    pub(super) fn tokens_of(&self, d: &Doc) -> &[u32] {
        &self.tokens[d.tok_start as usize..(d.tok_start + d.tok_len) as usize]
    }

    /// The text test between a new doc and one indexed before: the similarity when they may be
    /// versions of one event.
    pub(super) fn text_link(&self, d: u32, c: u32) -> Option<f32> {
        let (a, b) = (&self.docs[d as usize], &self.docs[c as usize]);
        if !a.textual || !b.textual || self.cannot_link(a, b, false) {
            return None;
        }
        let sc = score(self.tokens_of(a), a.summary, self.tokens_of(b), b.summary);
        sc.same_event().then_some(sc.similarity)
    }

    /// Two articles that cannot be versions of one event (unless they are one article): one
    /// source, two languages, too far apart, or (when `titles`) conflicting titles.
    pub(super) fn cannot_link(&self, a: &Doc, b: &Doc, titles: bool) -> bool {
        a.source == b.source
            || other_language(a.summary.lang, b.summary.lang)
            || (a.dated && b.dated && (a.date - b.date).abs() > WINDOW_HOURS * 3600)
            || (titles
                && score(self.tokens_of(a), a.summary, self.tokens_of(b), b.summary).conflict)
    }

    pub(super) fn find(&mut self, mut d: u32) -> u32 {
        let mut root = d;
        while self.docs[root as usize].parent != root {
            root = self.docs[root as usize].parent;
        }
        while self.docs[d as usize].parent != root {
            let next = self.docs[d as usize].parent;
            self.docs[d as usize].parent = root;
            d = next;
        }
        root
    }

    /// Joins the components of two docs (the smaller into the larger); returns the root.
    pub(super) fn union(&mut self, a: u32, b: u32) -> u32 {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return ra;
        }
        let (big, small) = if self.comps[ra as usize].len() >= self.comps[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let mut moved = std::mem::take(&mut self.comps[small as usize]);
        if moved.members.is_empty() {
            moved.members.push(small);
        }
        self.docs[small as usize].parent = big;
        let comp = &mut self.comps[big as usize];
        if comp.members.is_empty() {
            comp.members.push(big);
        }
        comp.members.extend_from_slice(&moved.members);
        comp.edges.extend_from_slice(&moved.edges);
        big
    }

    /// Splits a component into stories again (see [`StoryIndex`]): its old stories go to
    /// `before` (id and members), the slots of its new ones to `after`.
    pub(super) fn regroup(
        &mut self,
        root: u32,
        before: &mut Vec<(StoryId, Vec<u32>)>,
        after: &mut Vec<u32>,
    ) {
        let mut comp = std::mem::take(&mut self.comps[root as usize]);
        if comp.members.is_empty() {
            // A doc alone: its own story.
            if self.docs[root as usize].slot == NONE {
                let slot = self.new_single(root);
                self.settle(slot);
                after.push(slot);
            }
            return;
        }
        // Drop the old stories.
        for &m in &comp.members {
            let slot = self.docs[m as usize].slot;
            if slot == NONE {
                continue;
            }
            let story = std::mem::take(&mut self.stories[slot as usize]);
            for &d in story.members() {
                self.docs[d as usize].slot = NONE;
            }
            if let Some(id) = story.id.clone() {
                self.by_story.remove(&id_key(id.article()));
                before.push((id, story.members().to_vec()));
            }
            self.free.push(slot);
        }
        // Strongest links first; ties by article ids, so the order of arrival never matters.
        let docs = &self.docs;
        let key = |e: &Edge| {
            let (x, y) = (&docs[e.a as usize].id, &docs[e.b as usize].id);
            if x <= y { (x, y) } else { (y, x) }
        };
        comp.edges.sort_unstable_by(|e, f| {
            f.strength
                .total_cmp(&e.strength)
                .then_with(|| key(e).cmp(&key(f)))
        });
        // Groups: union-find over the members, with member lists at the roots.
        let local: HashMap<u32, u32> = comp
            .members
            .iter()
            .enumerate()
            .map(|(i, &m)| (m, i as u32))
            .collect();
        let mut parent: Vec<u32> = (0..comp.members.len() as u32).collect();
        let mut groups: Vec<Vec<u32>> = comp.members.iter().map(|&m| vec![m]).collect();
        fn root_of(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        // Copies of one article (joined first, by their infinite strength): only the fullest
        // (most words, then earliest) speaks for their titles, so that an aggregator's retitled
        // copy ("Five things to know about…") puts no conflict in the way.
        let mut copies: Vec<u32> = Vec::new();
        let mut copies_known = false;
        for e in &comp.edges {
            if !copies_known && e.strength.is_finite() {
                copies_known = true;
                for g in groups.iter().filter(|g| g.len() > 1) {
                    let primary = g.iter().copied().max_by(|&x, &y| {
                        let (x, y) = (&self.docs[x as usize], &self.docs[y as usize]);
                        (x.words, std::cmp::Reverse((x.date, &x.id)))
                            .cmp(&(y.words, std::cmp::Reverse((y.date, &y.id))))
                    });
                    copies.extend(g.iter().copied().filter(|&d| Some(d) != primary));
                }
                copies.sort_unstable();
            }
            let ra = root_of(&mut parent, local[&e.a]);
            let rb = root_of(&mut parent, local[&e.b]);
            if ra == rb {
                continue;
            }
            if e.strength.is_finite()
                && (groups[ra as usize].len() + groups[rb as usize].len() > MAX_VERSIONS
                    || self.cannot_join(&groups[ra as usize], &groups[rb as usize], &copies))
            {
                continue;
            }
            let (big, small) = if groups[ra as usize].len() >= groups[rb as usize].len() {
                (ra, rb)
            } else {
                (rb, ra)
            };
            let moved = std::mem::take(&mut groups[small as usize]);
            groups[big as usize].extend_from_slice(&moved);
            parent[small as usize] = big;
        }
        for group in groups.into_iter().filter(|g| !g.is_empty()) {
            let slot = self.new_slot(group);
            self.settle(slot);
            after.push(slot);
        }
        self.comps[root as usize] = comp;
    }

    /// Whether two groups hold a pair that cannot be in one story (`copies`, sorted: docs whose
    /// titles are not checked).
    pub(super) fn cannot_join(&self, x: &[u32], y: &[u32], copies: &[u32]) -> bool {
        let pairs = || x.iter().flat_map(|&a| y.iter().map(move |&b| (a, b)));
        let doc = |d: u32| &self.docs[d as usize];
        let titled = |d: u32| copies.binary_search(&d).is_err();
        // Cheap tests first, then the titles.
        pairs().any(|(a, b)| self.cannot_link(doc(a), doc(b), false))
            || pairs()
                .filter(|&(a, b)| titled(a) && titled(b))
                .any(|(a, b)| self.cannot_link(doc(a), doc(b), true))
    }

    /// Puts a story in a free slot (or a new one); returns the slot.
    fn place(&mut self, story: Story) -> u32 {
        match self.free.pop() {
            Some(s) => {
                self.stories[s as usize] = story;
                s
            }
            None => {
                self.stories.push(story);
                (self.stories.len() - 1) as u32
            }
        }
    }

    pub(super) fn new_single(&mut self, d: u32) -> u32 {
        let story = Story {
            single: d,
            ..Story::default()
        };
        let slot = self.place(story);
        self.docs[d as usize].slot = slot;
        slot
    }

    pub(super) fn new_slot(&mut self, mut docs: Vec<u32>) -> u32 {
        let story = if docs.len() == 1 {
            Story {
                single: docs[0],
                ..Story::default()
            }
        } else {
            docs.shrink_to_fit();
            Story {
                docs,
                ..Story::default()
            }
        };
        let slot = self.place(story);
        for i in 0..self.stories[slot as usize].members().len() {
            let d = self.stories[slot as usize].members()[i];
            self.docs[d as usize].slot = slot;
        }
        slot
    }

    /// Orders a story's members, registers its id and picks its representative.
    pub(super) fn settle(&mut self, slot: u32) {
        let docs = &self.docs;
        let story = &mut self.stories[slot as usize];
        if story.docs.is_empty() {
            story.representative = story.single;
            let id = StoryId(docs[story.single as usize].id.clone());
            story.id = Some(id.clone());
            self.by_story.insert(id_key(id.article()), slot);
            return;
        }
        story.docs.sort_unstable_by(|&x, &y| {
            let (x, y) = (&docs[x as usize], &docs[y as usize]);
            (x.date, &x.id).cmp(&(y.date, &y.id))
        });
        story.ids = story
            .docs
            .iter()
            .map(|&d| docs[d as usize].id.clone())
            .collect();
        let longest = story
            .docs
            .iter()
            .map(|&d| docs[d as usize].words)
            .max()
            .unwrap_or(0);
        story.representative = story
            .docs
            .iter()
            .copied()
            .find(|&d| u64::from(docs[d as usize].words) * 2 >= u64::from(longest))
            .unwrap_or(story.docs[0]);
        let id = StoryId(story.ids[0].clone());
        story.id = Some(id.clone());
        self.by_story.insert(id_key(id.article()), slot);
    }
}
