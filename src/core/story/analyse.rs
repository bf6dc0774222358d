//! Text analysis: a title and lead read into packed, flagged word tokens.

use super::*;

/// One word as read. Flags that depend on the segment's case style (names, acronyms) are
/// settled when the segment ends; stop words and the stem wait for the language.
#[derive(Clone, Copy, Default)]
pub(super) struct Raw {
    /// Hash of the folded word, or of the canonical form of a fixed word.
    pub(super) hash: u64,
    /// Hash of the English stem of the folded word (`hash` when there is none).
    pub(super) stem: u64,
    /// `F_*` flags: title, distinctive, place, number, alias.
    pub(super) flags: u32,
    /// Stop word of these languages (bit `l` for language `l + 1`).
    pub(super) stop: u8,
    pub(super) kind: RawKind,
    /// For words: capitalised, at a sentence start, all capitals (2 to 6 letters), `US`, a
    /// section label (`Skiing:` opening a title).
    pub(super) first_upper: bool,
    pub(super) at_start: bool,
    pub(super) caps: bool,
    pub(super) us: bool,
    pub(super) label: bool,
}

#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum RawKind {
    /// A word: stop-word test and stem to come.
    #[default]
    Word,
    /// A word of one letter: dropped.
    Short,
    /// A number, place or alias, already canonical.
    Fixed,
    /// An acronym alias of a run of capitalised words: kept in sentence case only.
    RunAlias,
    /// Dropped.
    Dead,
}

/// The analysed text of one article: its words as packed tokens (sorted by hash, unique), and
/// its language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Analysis {
    pub(super) tokens: Vec<u32>,
    pub(super) lang: u8,
}

/// Reusable buffers for [`analyse`].
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) raws: Vec<Raw>,
    /// A word being read character by character (non-ASCII or joined).
    pub(super) cur: String,
    /// A number being normalised.
    pub(super) num: String,
    pub(super) cjk: Vec<char>,
    pub(super) toks: Vec<u32>,
    /// The tokens of the last analysis, given back for reuse.
    pub(super) done: Vec<u32>,
    /// A canonical link being made.
    pub(super) link: String,
    /// The candidate keys being made.
    pub(super) keys: Vec<u64>,
    pub(super) script_counts: [u32; 10],
    /// The initials of the current run of capitalised words (for acronyms): only the capitalised
    /// words, and with the small words (`of`, `and`) too; and how many capitalised words.
    pub(super) initials: String,
    pub(super) initials_all: String,
    pub(super) run_caps: usize,
}

pub(super) fn pack(hash: u64, flags: u32) -> u32 {
    ((hash >> (32 + FLAG_BITS)) as u32) << FLAG_BITS | flags
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Capitals mark names (and sentence starts).
    Sentence,
    /// Most words capitalised (`Storm Hits Lisbon`): capitals say nothing, acronyms still do.
    Title,
    /// All capitals: nothing to learn from case.
    Shout,
}

/// What decides a segment's case style: its letters, and its words of four letters or more
/// after the first.
#[derive(Default)]
pub(super) struct CaseCounts {
    pub(super) letters: usize,
    pub(super) upper: usize,
    pub(super) long: usize,
    pub(super) capitalised: usize,
    pub(super) words: usize,
}

impl CaseCounts {
    /// Counts one word (any characters).
    pub(super) fn word(&mut self, w: &str) {
        let (mut len, mut alpha) = (0usize, true);
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        if w.is_ascii() {
            for &b in w.as_bytes() {
                self.letters += usize::from(b.is_ascii_alphabetic());
                self.upper += usize::from(b.is_ascii_uppercase());
                alpha &= b.is_ascii_alphabetic();
            }
            len = w.len();
        } else {
            for c in w.chars() {
                self.letters += usize::from(c.is_alphabetic());
                self.upper += usize::from(c.is_uppercase());
                alpha &= c.is_alphabetic();
                len += 1;
            }
        }
        if self.words > 0 && len >= 4 && alpha {
            self.long += 1;
            self.capitalised += usize::from(first_upper);
        }
        self.words += 1;
    }

    /// [`CaseCounts::word`] for a plain ASCII word, counted by the caller.
    pub(super) fn ascii_word(
        &mut self,
        len: usize,
        letters: usize,
        upper: usize,
        first_upper: bool,
    ) {
        self.letters += letters;
        self.upper += upper;
        if self.words > 0 && len >= 4 && letters == len {
            self.long += 1;
            self.capitalised += usize::from(first_upper);
        }
        self.words += 1;
    }

    pub(super) fn case(&self) -> Case {
        if self.letters >= 8 && self.upper * 10 >= self.letters * 9 {
            Case::Shout
        } else if self.long >= 2 && self.capitalised * 10 >= self.long * 6 {
            Case::Title
        } else {
            Case::Sentence
        }
    }
}

/// Script classes counted in `Scratch::script_counts`.
pub(super) fn script_of(c: char) -> usize {
    match c as u32 {
        0..=0x024F | 0x1E00..=0x1EFF => 0,      // Latin
        0x0370..=0x03FF | 0x1F00..=0x1FFF => 1, // Greek
        0x0400..=0x052F => 2,                   // Cyrillic
        0x0590..=0x05FF => 3,                   // Hebrew
        0x0600..=0x06FF | 0x0750..=0x077F => 4, // Arabic
        0x0900..=0x097F => 5,                   // Devanagari
        0x0E00..=0x0E7F => 6,                   // Thai
        0x1100..=0x11FF | 0xAC00..=0xD7AF => 7, // Hangul
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => 8, // CJK
        _ => 9,
    }
}

/// CJK characters have no spaces between words: they are read as overlapping pairs.
#[inline]
pub(super) fn is_cjk(c: char) -> bool {
    !c.is_ascii() && script_of(c) == 8
}

#[inline]
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
    }
}

/// Cuts `s` to at most `max` bytes, at a word boundary when there is one.
pub(super) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let head = &s[..end];
    match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &head[..i],
        _ => head,
    }
}

/// The start of an HTML body as text, for the lead: tags and character references skipped,
/// whitespace collapsed, at most `max` bytes of text read from at most `8 * max` bytes of HTML.
pub(super) fn html_lead(html: &str, max: usize) -> String {
    let html = cut(html, max * 8);
    let mut out = String::with_capacity(max + 8);
    let mut space = true; // at the start, or after a space: no space to add
    let mut rest = html;
    let push_text = |out: &mut String, text: &str, space: &mut bool| {
        for (k, w) in text.split(char::is_whitespace).enumerate() {
            *space |= k > 0;
            if w.is_empty() {
                continue;
            }
            if *space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
            *space = false;
        }
    };
    let starts_with_ci = |s: &str, p: &str| {
        s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    while !rest.is_empty() && out.len() < max {
        let Some(i) = rest.find(['<', '&']) else {
            push_text(&mut out, rest, &mut space);
            break;
        };
        push_text(&mut out, &rest[..i], &mut space);
        rest = &rest[i..];
        space = true;
        if rest.starts_with('&') {
            // A character reference: a separator (the tokenizer splits words on it).
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .map_or(rest.len(), |j| j + 1);
            rest = &rest[end..];
            rest = rest.strip_prefix(';').unwrap_or(rest);
            continue;
        }
        let skip_to = if starts_with_ci(&rest[1..], "script") {
            Some("</script")
        } else if starts_with_ci(&rest[1..], "style") {
            Some("</style")
        } else if rest[1..].starts_with("!--") {
            Some("-->")
        } else {
            None
        };
        if let Some(end_tag) = skip_to {
            let end = rest
                .as_bytes()
                .windows(end_tag.len())
                .position(|w| w.eq_ignore_ascii_case(end_tag.as_bytes()));
            match end {
                Some(j) => rest = &rest[j + end_tag.len()..],
                None => break,
            }
            if end_tag == "-->" {
                continue;
            }
        }
        match rest.find('>') {
            Some(j) => rest = &rest[j + 1..],
            None => break,
        }
    }
    let len = cut(&out, max).len();
    out.truncate(len);
    out
}

/// Reads title and lead into tokens. See the module documentation for the rules.
pub(super) fn analyse(title: &str, lead: Option<&str>, s: &mut Scratch) -> Analysis {
    s.raws.clear();
    s.script_counts = [0; 10];
    let table = tables();
    scan(title, true, table, s);
    if let Some(lead) = lead {
        scan(lead, false, table, s);
    }
    // The script, then the language.
    let (script, &n) = s
        .script_counts
        .iter()
        .enumerate()
        .take(9)
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    let mut lang = LANG_UNKNOWN;
    if script != 0 && n > 0 {
        lang = SCRIPT_BASE + script as u8;
    } else {
        let mut votes = [0u32; LANGS];
        for r in s
            .raws
            .iter()
            .filter(|r| matches!(r.kind, RawKind::Word | RawKind::Short))
        {
            // A stop word of one language only says more than one shared by several.
            let weight = if r.stop.count_ones() == 1 { 2 } else { 1 };
            for (l, v) in votes.iter_mut().enumerate() {
                *v += u32::from(r.stop >> l & 1) * weight;
            }
        }
        let mut order: [(u32, usize); LANGS] = [(0, 0); LANGS];
        for (l, &v) in votes.iter().enumerate() {
            order[l] = (v, l);
        }
        order.sort_unstable_by(|a, b| b.cmp(a));
        if order[0].0 >= 3 && order[0].0 > order[1].0 {
            lang = order[0].1 as u8 + 1;
        }
    }
    // Stop words of the language (English when unknown), stems for English.
    let stop_bit = if (1..=LANGS as u8).contains(&lang) {
        1u8 << (lang - 1)
    } else {
        1
    };
    let english = lang == LANG_EN || lang == LANG_UNKNOWN;
    s.toks.clear();
    for r in &s.raws {
        match r.kind {
            RawKind::Fixed | RawKind::RunAlias => s.toks.push(pack(r.hash, r.flags)),
            RawKind::Word if r.stop & stop_bit == 0 => {
                s.toks
                    .push(pack(if english { r.stem } else { r.hash }, r.flags));
            }
            _ => {}
        }
    }
    s.toks.sort_unstable();
    // One token per word, flags merged; a word that is also an alias is a word.
    let mut tokens: Vec<u32> = std::mem::take(&mut s.done);
    tokens.clear();
    for &t in &s.toks {
        match tokens.last_mut() {
            Some(last) if *last >> FLAG_BITS == t >> FLAG_BITS => {
                let alias = *last & t & F_ALIAS;
                *last = (*last | t) & !F_ALIAS | alias;
            }
            _ => tokens.push(t),
        }
    }
    Analysis { tokens, lang }
}

/// Acronyms of common nouns: ordinary words, not names (`PM Verbeek resigns`).
pub(super) fn is_common_acronym(folded: &[u8]) -> bool {
    matches!(
        folded,
        b"pm"
            | b"mp"
            | b"mps"
            | b"ceo"
            | b"cfo"
            | b"coo"
            | b"cto"
            | b"gdp"
            | b"ai"
            | b"tv"
            | b"ipo"
            | b"vat"
            | b"ev"
            | b"evs"
            | b"it"
            | b"hr"
            | b"pr"
            | b"faq"
            | b"diy"
            | b"ok"
    )
}

/// Small words allowed inside a name (`Bank of England`), for acronyms.
pub(super) fn is_name_joiner(folded: &[u8]) -> bool {
    matches!(
        folded,
        b"of" | b"and" | b"for" | b"the" | b"de" | b"du" | b"des" | b"der" | b"van" | b"von"
    )
}

/// The character at byte `i` of `text` and its length in bytes (ASCII without decoding).
#[inline]
pub(super) fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b as char, 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c, c.len_utf8())
    }
}

/// Whether the character at byte `i` (if any) is a word character.
pub(super) fn word_char_at(text: &str, i: usize) -> bool {
    i < text.len() && is_word_char(char_at(text, i).0)
}

/// Cuts one segment into [`Raw`] words, then settles the flags that depend on its case style.
pub(super) fn scan(text: &str, title: bool, table: &HashMap<u64, WordInfo>, s: &mut Scratch) {
    let bytes = text.as_bytes();
    let title_flag = if title { F_TITLE } else { 0 };
    let first = s.raws.len();
    let mut counts = CaseCounts::default();
    let mut i = 0;
    let mut sentence_start = true;
    let mut prev_united = false;
    s.initials.clear();
    s.initials_all.clear();
    s.run_caps = 0;
    let mut word = std::mem::take(&mut s.cur);
    while i < bytes.len() {
        let (c, n) = char_at(text, i);
        if !is_word_char(c) {
            if matches!(c, '.' | '!' | '?' | ':' | ';' | '|' | '•' | '–' | '—') {
                sentence_start = true;
            }
            if !c.is_whitespace() {
                flush_acronym(title_flag, s);
            }
            i += n;
            continue;
        }
        if is_cjk(c) {
            flush_acronym(title_flag, s);
            // Overlapping pairs of CJK characters.
            let mut run = std::mem::take(&mut s.cjk);
            run.clear();
            while i < bytes.len() {
                let (c, n) = char_at(text, i);
                if !is_cjk(c) {
                    break;
                }
                run.push(c);
                i += n;
            }
            s.script_counts[8] += run.len() as u32;
            counts.letters += run.len();
            counts.words += 1;
            let mut buf = [0u8; 8];
            for k in 0..run.len().saturating_sub(1).max(1) {
                let mut len = 0;
                for &c in &run[k..(k + 2).min(run.len())] {
                    len += c.encode_utf8(&mut buf[len..]).len();
                }
                s.raws.push(Raw {
                    hash: word_hash(&buf[..len]),
                    flags: title_flag,
                    kind: RawKind::Fixed,
                    ..Raw::default()
                });
            }
            s.cjk = run;
            sentence_start = false;
            continue;
        }
        // One word: word characters, with `.` or `,` between digits, and dotted acronyms
        // (`U.S.`) joined. Plain ASCII words are read in place.
        let start = i;
        let (mut has_digit, mut letters, mut upper) = (false, 0usize, 0usize);
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            let b = bytes[i];
            has_digit |= b.is_ascii_digit();
            letters += usize::from(b.is_ascii_alphabetic());
            upper += usize::from(b.is_ascii_uppercase());
            i += 1;
        }
        let plain = i > start
            && match bytes.get(i) {
                None => true,
                Some(&b) => b < 0x80 && b != b'.' && b != b',',
            };
        let w: &str = if plain {
            &text[start..i]
        } else {
            i = start;
            has_digit = false;
            word.clear();
            while i < bytes.len() {
                let (c, n) = char_at(text, i);
                if is_word_char(c) && !is_cjk(c) {
                    has_digit |= c.is_ascii_digit();
                    word.push(c);
                    i += n;
                } else if (c == '.' || c == ',')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                    && word.ends_with(|p: char| p.is_ascii_digit())
                {
                    word.push(c);
                    i += 1;
                } else if c == '.'
                    && !word.is_empty()
                    && word.len() <= 4
                    && word.bytes().all(|b| b.is_ascii_uppercase())
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase)
                    && (bytes.get(i + 2) == Some(&b'.') || !word_char_at(text, i + 2))
                {
                    // `U.S.`: the letters joined.
                    i += 1;
                } else {
                    break;
                }
            }
            &word
        };
        if plain {
            counts.ascii_word(w.len(), letters, upper, bytes[start].is_ascii_uppercase());
            s.script_counts[0] += letters as u32;
        } else {
            counts.word(w);
            for c in w.chars().filter(|c| c.is_alphabetic()) {
                s.script_counts[script_of(c)] += 1;
            }
        }
        let at_start = sentence_start;
        let label = counts.words == 1 && bytes.get(i) == Some(&b':');
        sentence_start = false;
        if has_digit {
            flush_acronym(title_flag, s);
            push_number(w, title_flag, s);
            prev_united = false;
        } else {
            prev_united = scan_word(w, title_flag, at_start, prev_united, table, s);
            // After an apostrophe, a letter is English (`China's`, `don't`), not a French
            // elision (`l'`, `d'`, which come before it): it says nothing of the language.
            let after_apostrophe = text[..start].ends_with(['\'', '’']);
            if let Some(r) = s.raws.last_mut().filter(|r| r.kind != RawKind::Fixed) {
                r.label |= label && r.kind == RawKind::Word;
                if after_apostrophe && r.kind == RawKind::Short {
                    r.stop = 0;
                }
            }
        }
    }
    s.cur = word;
    flush_acronym(title_flag, s);
    // Now that the case style is known: names, acronyms, acronym aliases.
    let case = counts.case();
    for r in &mut s.raws[first..] {
        match r.kind {
            RawKind::RunAlias if case != Case::Sentence => r.kind = RawKind::Dead,
            RawKind::Word | RawKind::Short => {
                let acronym = r.caps && case != Case::Shout;
                if acronym && r.us {
                    // `US` the country, not `us`.
                    r.hash = word_hash(b"usa");
                    r.kind = RawKind::Fixed;
                    r.flags |= F_DISTINCT | F_PLACE;
                } else if acronym {
                    r.flags |= F_DISTINCT;
                    r.stop = 0;
                } else if r.first_upper && case == Case::Sentence && r.stop == 0 && !r.label {
                    r.flags |= if r.at_start { F_CAP } else { F_DISTINCT };
                }
            }
            _ => {}
        }
    }
}

/// Ends a run of capitalised words: two or more give their initials as aliases (`European
/// Central Bank` = `ecb`, `Bank of England` = `be` and `boe`).
pub(super) fn flush_acronym(title_flag: u32, s: &mut Scratch) {
    if s.run_caps >= 2 {
        for k in 0..2 {
            let initials = if k == 0 { &s.initials } else { &s.initials_all };
            if !(2..=6).contains(&initials.len()) || (k == 1 && s.initials_all == s.initials) {
                continue;
            }
            let hash = word_hash(initials.as_bytes());
            s.raws.push(Raw {
                hash,
                stem: hash,
                flags: title_flag | F_ALIAS,
                kind: RawKind::RunAlias,
                ..Raw::default()
            });
        }
    }
    s.initials.clear();
    s.initials_all.clear();
    s.run_caps = 0;
}

/// Longer words are not stemmed (nor lowercased on the stack).
pub(super) const MAX_WORD: usize = 48;

/// One word without digits: folded, looked up, classified. Returns whether it is `United`
/// (capitalised), for `United States` and `United Kingdom`.
pub(super) fn scan_word(
    word: &str,
    title_flag: u32,
    at_start: bool,
    prev_united: bool,
    table: &HashMap<u64, WordInfo>,
    s: &mut Scratch,
) -> bool {
    // Folded (lowercase, no accents): on the stack for ASCII words.
    let mut stack = [0u8; MAX_WORD];
    let heap: String;
    let ascii = word.is_ascii();
    let folded: &[u8] = if ascii && word.len() <= MAX_WORD {
        let f = &mut stack[..word.len()];
        for (d, &x) in f.iter_mut().zip(word.as_bytes()) {
            *d = x.to_ascii_lowercase();
        }
        f
    } else {
        heap = crate::core::search::fold(word);
        heap.as_bytes()
    };
    let (first_upper, n_chars, all_upper) = if ascii {
        let b = word.as_bytes();
        (
            b.first().is_some_and(u8::is_ascii_uppercase),
            b.len(),
            b.len() >= 2 && !b.iter().any(u8::is_ascii_lowercase),
        )
    } else {
        let n = word.chars().count();
        (
            word.chars().next().is_some_and(char::is_uppercase),
            n,
            n >= 2 && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()),
        )
    };
    let hash = word_hash(folded);
    let info = table.get(&hash).copied().unwrap_or_default();
    let initial = char::from(folded.first().copied().unwrap_or(b'x'));
    // Acronym runs: capitalised words, and small words inside them.
    if first_upper && !all_upper && (info.stop == 0 || s.run_caps > 0 && is_name_joiner(folded)) {
        s.run_caps += 1;
        s.initials.push(initial);
        s.initials_all.push(initial);
    } else if s.run_caps > 0 && is_name_joiner(folded) {
        s.initials_all.push(initial);
    } else {
        flush_acronym(title_flag, s);
    }
    let united = first_upper && folded == b"united";
    let fixed = |s: &mut Scratch, hash: u64, flags: u32| {
        s.raws.push(Raw {
            hash,
            stem: hash,
            flags: title_flag | flags,
            kind: RawKind::Fixed,
            ..Raw::default()
        });
    };
    if let Some((n, digits)) = info.number {
        fixed(s, n, if digits { F_DISTINCT | F_NUMBER } else { 0 });
        return united;
    }
    if first_upper && let Some(country) = info.stands_for {
        fixed(s, country, F_ALIAS);
    }
    let place = if prev_united && first_upper && folded == b"states" {
        Some(word_hash(b"usa"))
    } else if prev_united && first_upper && folded == b"kingdom" {
        Some(word_hash(b"uk"))
    } else if first_upper {
        info.place
    } else {
        None
    };
    if let Some(p) = place {
        fixed(s, p, F_DISTINCT | F_PLACE);
        return united;
    }
    s.raws.push(Raw {
        hash,
        // English stop words are dropped in English, and stems are for English only.
        stem: if ascii && info.stop & 1 == 0 {
            stem_hash(folded, hash)
        } else {
            hash
        },
        flags: title_flag,
        stop: info.stop,
        kind: if n_chars < 2 {
            RawKind::Short
        } else {
            RawKind::Word
        },
        first_upper,
        at_start,
        caps: all_upper && n_chars <= 6 && !is_common_acronym(folded),
        us: all_upper && folded == b"us",
        label: false,
    });
    united
}

/// A word with digits: the number (thousands separators dropped, a decimal comma read as a
/// point), and its unit as a word of its own (`5m` = `5` `million`).
pub(super) fn push_number(word: &str, title_flag: u32, s: &mut Scratch) {
    let bytes = word.as_bytes();
    let digits_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b','))
        .unwrap_or(bytes.len());
    let (num, unit) = word.split_at(digits_end);
    let mut out = std::mem::take(&mut s.num);
    out.clear();
    if digits_end == 0 {
        // `Q4`, `G7`: one word; a magnitude `M6.8` is also the number.
        out.push_str(&crate::core::search::fold(word));
        let rest = &word[1..];
        if word.as_bytes()[0].is_ascii_alphabetic()
            && rest.contains('.')
            && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        {
            push_number(rest, title_flag, s);
        }
    } else {
        let thousands = num.contains(',')
            && num.split(',').enumerate().all(|(k, p)| {
                if k == 0 {
                    (1..=3).contains(&p.len())
                } else {
                    p.len() == 3 && !p.contains('.')
                }
            });
        for (k, p) in num.split(',').enumerate() {
            if k > 0 && !thousands {
                out.push('.');
            }
            out.push_str(p);
        }
        // `2.50` = `2.5`; `3.0` = `3`.
        if out.contains('.') {
            while out.ends_with('0') {
                out.pop();
            }
            if out.ends_with('.') {
                out.pop();
            }
        }
    }
    if !out.is_empty() {
        let hash = word_hash(out.as_bytes());
        s.raws.push(Raw {
            hash,
            stem: hash,
            flags: title_flag | F_DISTINCT | F_NUMBER,
            kind: RawKind::Fixed,
            ..Raw::default()
        });
    }
    s.num = out;
    if digits_end == 0 || unit.is_empty() {
        return;
    }
    let u = crate::core::search::fold(unit);
    let hash = match u.as_str() {
        "m" | "mn" | "mln" | "million" => word_hash(b"million"),
        "bn" | "b" | "billion" => word_hash(b"billion"),
        "tn" | "trillion" => word_hash(b"trillion"),
        "k" => word_hash(b"1000"),
        _ if u.len() >= 2 => word_hash(u.as_bytes()),
        _ => return,
    };
    s.raws.push(Raw {
        hash,
        stem: hash,
        flags: title_flag,
        kind: RawKind::Fixed,
        ..Raw::default()
    });
}

/// The hash of a folded ASCII word's light English stem: plurals, `-ing`, `-ed` and a final
/// `e` go, and doubled final consonants are undoubled, so `kills`, `killed`, `killing` and
/// `kill` agree, as do `rates`, `rated` and `rate`. Crude, but both sides of a comparison are
/// stemmed alike.
pub(super) fn stem_hash(w: &[u8], hash: u64) -> u64 {
    let ends = |n: usize, s: &[u8]| n >= s.len() && &w[n - s.len()..n] == s;
    let mut n = w.len();
    // `-ies` becomes `-y`: the only change that is not a cut.
    let mut y = false;
    if n > 4 && ends(n, b"ies") {
        n -= 2;
        y = true;
    } else if n > 4 && ends(n, b"sses") {
        n -= 2;
    } else if n > 3 && ends(n, b"s") && !ends(n, b"ss") && !ends(n, b"us") && !ends(n, b"is") {
        n -= 1;
    }
    if y {
        // The stem ends in `y`: no further rule applies (`-ing`, `-ed`, `-e` do not end in y).
        let mut b = [0u8; MAX_WORD + 1];
        b[..n - 1].copy_from_slice(&w[..n - 1]);
        b[n - 1] = b'y';
        return word_hash(&b[..n]);
    }
    let mut undouble = false;
    if n > 5 && ends(n, b"ing") {
        n -= 3;
        undouble = true;
    } else if n > 4 && ends(n, b"ed") {
        n -= 2;
        undouble = true;
    }
    if undouble && n >= 3 && w[n - 1] == w[n - 2] && !b"aeiouylsz".contains(&w[n - 1]) {
        n -= 1;
    }
    if n > 3 && w[n - 1] == b'e' {
        n -= 1;
    }
    if n == w.len() {
        hash
    } else {
        word_hash(&w[..n])
    }
}
