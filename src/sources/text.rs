//! The plain-text article format (see docs/article-format.md): header block, title (with the
//! scraper's repeat dropped), standfirst, and blocks of paragraphs, headings, quotes, list items
//! and code. Pure: text in, article out.

use crate::core::date::parse_date;
use crate::core::model::{Article, ArticleId, Block, BlockKind, CategoryPath};
use crate::core::sanitize::{collapse_whitespace, push_collapsed, sanitize, sanitize_line};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// What the loader knows about a file besides its text.
#[derive(Debug, Clone)]
pub struct FileContext {
    pub id: ArticleId,
    /// Path for messages.
    pub origin: String,
    /// Used when the file has no title at all (the file name without extension).
    pub fallback_title: String,
    /// Used when the file has no `Source:`.
    pub default_source: String,
    /// The category from the folder path, used when the file has no `Categories:`.
    pub folder_category: Option<CategoryPath>,
    /// The file's modification time, used when the file has no date.
    pub mtime: DateTime<Utc>,
}

/// A parsed article and the problems worth a warning (the article is still good).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Longest heading, in characters.
const HEADING_MAX: usize = 80;
/// Longest standfirst, in characters.
pub(super) const STANDFIRST_MAX: usize = 200;
const TAB_STOP: usize = 8;

/// Line ends normalized (CRLF and CR become LF), BOM dropped, then sanitized.
pub(super) fn normalize(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    if raw.contains('\r') {
        let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
        Cow::Owned(sanitize(&unified).into_owned())
    } else {
        sanitize(raw)
    }
}

/// The lines of normalized text, tabs expanded to 8-column stops, trailing space trimmed.
fn split_lines(text: &str) -> Vec<Cow<'_, str>> {
    text.split('\n')
        .map(|line| {
            if line.contains('\t') {
                Cow::Owned(expand_tabs(line).trim_end().to_string())
            } else {
                Cow::Borrowed(line.trim_end())
            }
        })
        .collect()
}

fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_STOP - col % TAB_STOP;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    out
}

const KNOWN_KEYS: [&str; 8] = [
    "categories",
    "category",
    "title",
    "source",
    "author",
    "date",
    "link",
    "url",
];

/// `Key: value` with a plausible key (a letter, then letters, digits, spaces, `-`, `_`; at most
/// 32 characters) and a colon followed by a space or the end of the line (so `http://` is not one).
fn header_field(line: &str) -> Option<(&str, &str)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (key, value) = line.split_once(':')?;
    let ok_key = key.chars().next().is_some_and(char::is_alphabetic)
        && key.chars().count() <= 32
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
    let ok_value = value.is_empty() || value.starts_with(char::is_whitespace);
    (ok_key && ok_value).then(|| (key.trim(), value.trim()))
}

#[derive(Debug, Default)]
pub(super) struct Header {
    pub(super) title: Option<String>,
    source: Option<String>,
    author: Option<String>,
    date: Option<String>,
    link: Option<String>,
    categories: Vec<CategoryPath>,
    meta: Vec<(String, String)>,
}

/// Reads the header block at `lines[start..]`, if there is one: a run of `Key: value` lines (and
/// indented continuation lines) up to a blank line, holding at least one known key.
/// Returns the header and the index of the first line after it.
pub(super) fn read_header(lines: &[Cow<'_, str>], start: usize) -> Option<(Header, usize)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut i = start;
    while i < lines.len() && !lines[i].is_empty() {
        let line: &str = &lines[i];
        if let Some((k, v)) = header_field(line) {
            fields.push((k.to_string(), v.to_string()));
        } else if line.starts_with(char::is_whitespace) && !fields.is_empty() {
            let last = fields.last_mut().expect("checked non-empty");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else if fields.is_empty() {
            return None;
        } else {
            // A line that is not a field ends the header (the body follows without a blank).
            break;
        }
        i += 1;
    }
    if !fields
        .iter()
        .any(|(k, _)| KNOWN_KEYS.contains(&k.to_lowercase().as_str()))
    {
        return None;
    }
    let mut h = Header::default();
    for (k, v) in fields {
        let value = sanitize_line(&v);
        let first = |slot: &mut Option<String>| {
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.clone());
            }
        };
        match k.to_lowercase().as_str() {
            "title" => first(&mut h.title),
            "source" => first(&mut h.source),
            "author" => first(&mut h.author),
            "date" => first(&mut h.date),
            "link" | "url" => first(&mut h.link),
            "categories" | "category" => {
                for p in CategoryPath::parse_list(&value) {
                    if !h.categories.iter().any(|q| q.key() == p.key()) {
                        h.categories.push(p);
                    }
                }
            }
            _ => h.meta.push((sanitize_line(&k), value)),
        }
    }
    Some((h, i))
}

/// A run of lines between blank lines, or a fenced code block.
#[derive(Debug, Clone, PartialEq)]
enum Raw<'a> {
    Lines(Vec<&'a str>),
    Fence(String),
}

pub(super) fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

fn raw_blocks<'a>(lines: &'a [Cow<'a, str>]) -> Vec<Raw<'a>> {
    let mut out = Vec::new();
    let mut cur: Vec<&'a str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line: &'a str = &lines[i];
        if is_fence(line) {
            if !cur.is_empty() {
                out.push(Raw::Lines(std::mem::take(&mut cur)));
            }
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !is_fence(&lines[i]) {
                code.push(lines[i].as_ref());
                i += 1;
            }
            out.push(Raw::Fence(code.join("\n")));
        } else if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(Raw::Lines(std::mem::take(&mut cur)));
            }
        } else {
            cur.push(line);
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(Raw::Lines(cur));
    }
    out
}

/// Ends in closing punctuation, looking past closing quotes and brackets.
pub(super) fn ends_in_punctuation(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    t.ends_with(['.', '!', '?', '…', ':', ';', ','])
}

/// Compares titles ignoring case, surrounding and repeated whitespace, and Markdown `#`s.
pub(super) fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| collapse_whitespace(strip_md_heading(s).unwrap_or(s)).to_lowercase();
    norm(a) == norm(b)
}

/// `# Heading` -> `Heading`.
pub(super) fn strip_md_heading(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let hashes = t.len() - t.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) {
        let rest = &t[hashes..];
        if rest.is_empty() || rest.starts_with(' ') {
            return Some(rest.trim());
        }
    }
    None
}

/// `- item`, `* item`, `+ item`, `• item`, `1. item`, `1) item` -> `item`.
pub(super) fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for marker in ["- ", "* ", "+ ", "• ", "– "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r.trim());
        }
    }
    None
}

pub(super) fn quote_line(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix('>').map(str::trim)
}

/// A block as read, before the heading rule: `single` when it came from a one-line raw block.
struct Draft {
    block: Block,
    single: bool,
}

/// Appends a line to a block's text, every run of whitespace collapsed to one space.
fn push_text(block: &mut Block, text: &str) {
    push_collapsed(&mut block.text, text);
}

/// Splits one raw block into typed blocks.
fn classify(raw: &Raw, out: &mut Vec<Draft>) {
    let lines = match raw {
        Raw::Fence(code) => {
            out.push(Draft {
                block: Block::new(BlockKind::Code, code.clone()),
                single: false,
            });
            return;
        }
        Raw::Lines(lines) => lines,
    };
    // Indentation in ASCII spaces (tabs are expanded by now): cutting there is always on a char
    // boundary, whatever other whitespace follows.
    let indent = |l: &&str| l.len() - l.trim_start_matches(' ').len();
    if lines.iter().all(|l| indent(l) >= 4) {
        let cut = lines.iter().map(indent).min().unwrap_or(0);
        let code: Vec<&str> = lines.iter().map(|l| &l[cut..]).collect();
        out.push(Draft {
            block: Block::new(BlockKind::Code, code.join("\n")),
            single: false,
        });
        return;
    }
    let single = lines.len() == 1;
    let start = out.len();
    let mut open: Option<Block> = None;
    let flush = |open: &mut Option<Block>, out: &mut Vec<Draft>| {
        if let Some(b) = open.take()
            && !b.text.is_empty()
        {
            out.push(Draft { block: b, single });
        }
    };
    for line in lines {
        if let Some(h) = strip_md_heading(line) {
            flush(&mut open, out);
            if !h.is_empty() {
                out.push(Draft {
                    block: Block::new(BlockKind::Heading, collapse_whitespace(h)),
                    single: false,
                });
            }
        } else if let Some(q) = quote_line(line) {
            match &mut open {
                Some(b) if b.kind == BlockKind::Quote && !q.is_empty() => push_text(b, q),
                _ => {
                    flush(&mut open, out);
                    open = Some(Block::new(BlockKind::Quote, collapse_whitespace(q)));
                }
            }
        } else if let Some(item) = list_item(line) {
            flush(&mut open, out);
            open = Some(Block::new(BlockKind::ListItem, collapse_whitespace(item)));
        } else {
            match &mut open {
                Some(b) => push_text(b, line.trim()),
                None => open = Some(Block::new(BlockKind::Paragraph, collapse_whitespace(line))),
            }
        }
    }
    flush(&mut open, out);
    // Only a block that was a whole one-line raw block can become a heading.
    if out.len() - start != 1 {
        for d in &mut out[start..] {
            d.single = false;
        }
    }
}

fn is_heading_candidate(d: &Draft) -> bool {
    d.single
        && d.block.kind == BlockKind::Paragraph
        && d.block.text.chars().count() <= HEADING_MAX
        && !ends_in_punctuation(&d.block.text)
}

fn is_standfirst<'a>(raw: &Raw<'a>) -> Option<&'a str> {
    match raw {
        Raw::Lines(lines) if lines.len() == 1 => {
            let l = lines[0].trim();
            let plain = strip_md_heading(l).is_none()
                && list_item(l).is_none()
                && quote_line(l).is_none()
                && !lines[0].starts_with("    ");
            (plain && l.chars().count() <= STANDFIRST_MAX && !ends_in_punctuation(l)).then_some(l)
        }
        _ => None,
    }
}

/// Takes the first line off the body (the first line of the first raw block).
fn take_first_line<'a>(raws: &mut Vec<Raw<'a>>) -> Option<&'a str> {
    let Some(Raw::Lines(lines)) = raws.first_mut() else {
        return None;
    };
    let first = lines.remove(0);
    if lines.is_empty() {
        raws.remove(0);
    }
    Some(first)
}

fn first_line<'a>(raws: &[Raw<'a>]) -> Option<&'a str> {
    match raws.first() {
        Some(Raw::Lines(lines)) => lines.first().copied(),
        _ => None,
    }
}

/// Parses one file's text. `Err` when there is nothing to show (no title and no text).
pub fn parse_article(raw_text: &str, ctx: &FileContext) -> Result<Parsed, String> {
    let normalized = normalize(raw_text);
    let lines = split_lines(&normalized);
    let mut warnings = Vec::new();
    let first = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let (header, body_start) = read_header(&lines, first).unwrap_or((Header::default(), first));
    let mut raws = raw_blocks(&lines[body_start..]);

    let title = match header.title.clone() {
        Some(t) => t,
        None => match take_first_line(&mut raws) {
            Some(line) => collapse_whitespace(strip_md_heading(line).unwrap_or(line)),
            None if raws.is_empty() && header.meta.is_empty() && header.categories.is_empty() => {
                return Err("no title or text".to_string());
            }
            None => {
                warnings.push("no title; using the file name".to_string());
                sanitize_line(&ctx.fallback_title)
            }
        },
    };
    if first_line(&raws).is_some_and(|l| same_title(l, &title)) {
        take_first_line(&mut raws);
    }
    if title.is_empty() && raws.is_empty() {
        return Err("no title or text".to_string());
    }

    let standfirst = match raws.first().and_then(is_standfirst) {
        Some(s) => {
            let s = collapse_whitespace(s);
            raws.remove(0);
            Some(s)
        }
        None => None,
    };

    let mut drafts = Vec::new();
    for raw in &raws {
        classify(raw, &mut drafts);
    }
    let mut blocks = Vec::with_capacity(drafts.len());
    for i in 0..drafts.len() {
        let mut block = drafts[i].block.clone();
        if is_heading_candidate(&drafts[i])
            && drafts.get(i + 1).is_some_and(|next| {
                !is_heading_candidate(next) && next.block.kind != BlockKind::Heading
            })
        {
            block.kind = BlockKind::Heading;
        }
        blocks.push(block);
    }

    Ok(assemble(header, title, standfirst, blocks, warnings, ctx))
}

/// The article from what a file's text gave: its header, title, standfirst and body blocks
/// (the plain-text format and Markdown alike). The date is read, the folder gives the category
/// when the header has none, and the file name the title when there is none.
pub(super) fn assemble(
    header: Header,
    title: String,
    standfirst: Option<String>,
    blocks: Vec<Block>,
    mut warnings: Vec<String>,
    ctx: &FileContext,
) -> Parsed {
    // Any form `crate::core::date` reads (docs/article-format.md, *Dates*).
    let date = header.date.as_deref().and_then(parse_date);
    if let (Some(text), None) = (&header.date, date) {
        warnings.push(format!(
            "unrecognised date '{text}'; the article is undated (sorted by the file's modification time)"
        ));
    }
    let categories = if header.categories.is_empty() {
        ctx.folder_category.clone().into_iter().collect()
    } else {
        header.categories
    };
    let words = Article::count_words(standfirst.as_deref(), &blocks);
    Parsed {
        article: Article {
            id: ctx.id.clone(),
            title: if !title.is_empty() {
                title.into()
            } else {
                let fallback = sanitize_line(&ctx.fallback_title);
                if fallback.is_empty() {
                    "(untitled)".into()
                } else {
                    fallback.into()
                }
            },
            source: header
                .source
                .unwrap_or_else(|| sanitize_line(&ctx.default_source))
                .into(),
            author: header.author.map(Into::into),
            date: date.unwrap_or(ctx.mtime),
            dated: date.is_some(),
            link: header.link.map(Into::into),
            categories,
            standfirst: standfirst.map(Into::into),
            words,
            meta: header.meta.into(),
            origin: sanitize_line(&ctx.origin).into(),
            body: crate::core::model::Body::Blocks(blocks),
        },
        warnings,
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
