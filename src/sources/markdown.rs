//! Markdown article files (`.md`): the plain-text format's rules for the header (`Categories:`
//! and the other keys, also between `---` lines as front matter), the title (the first line, a
//! repeat of it dropped), the standfirst (a short unpunctuated line right after), and a body
//! rendered by pulldown-cmark (CommonMark) into the same blocks and spans as feed HTML:
//! headings, paragraphs, list items, quotes and code, with emphasis, strong, code and links
//! numbered inline (`the report [1]`) and listed at the end, images as `[image: alt]`. The
//! Markdown becomes HTML and goes through [`html_to_blocks`], so raw HTML in a file is treated
//! exactly as in a feed (scripts dropped, everything sanitized). Pure: text in, article out.

use super::text::{
    FileContext, Header, Parsed, STANDFIRST_MAX, assemble, ends_in_punctuation, is_fence,
    list_item, normalize, quote_line, read_header, same_title, strip_md_heading,
};
use crate::core::html::{html_to_blocks, html_to_line};
use pulldown_cmark::{Options, Parser};
use std::borrow::Cow;

/// True for `.md` and `.markdown` paths.
pub fn is_markdown(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown")
}

/// Markdown to HTML (CommonMark, with strikethrough).
fn to_html(md: &str) -> String {
    let mut html = String::with_capacity(md.len() + md.len() / 4);
    pulldown_cmark::html::push_html(
        &mut html,
        Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH),
    );
    html
}

/// One line of Markdown as plain text (markup rendered, links not numbered).
fn line_text(md: &str) -> String {
    html_to_line(&to_html(strip_md_heading(md).unwrap_or(md)))
}

/// `---` front matter: the header between two `---` lines at the start (`key: value` lines, as
/// the plain-text header; quotes and brackets around values dropped). Returns the header and the
/// line after the closing `---`.
fn front_matter(lines: &[Cow<'_, str>], first: usize) -> Option<(Header, usize)> {
    if lines.get(first)?.trim_end() != "---" {
        return None;
    }
    let close =
        (first + 1..lines.len().min(first + 200)).find(|&i| lines[i].trim_end() == "---")?;
    let fields: Vec<Cow<'_, str>> = lines[first + 1..close]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once(':') {
            Some((k, v)) => {
                let v = v.trim().trim_matches(['"', '\'', '[', ']']);
                Cow::Owned(format!("{k}: {v}"))
            }
            None => l.clone(),
        })
        .collect();
    let (header, _) = read_header(&fields, 0).unwrap_or_default();
    Some((header, close + 1))
}

/// The first non-blank line at or after `i`.
fn next_line(lines: &[Cow<'_, str>], i: usize) -> Option<usize> {
    (i..lines.len()).find(|&j| !lines[j].trim().is_empty())
}

/// A setext heading's underline (`===` or `---`).
fn is_underline(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// The standfirst at line `i`: a paragraph of one line, plain (no heading, list item, quote,
/// code or fence), short and without final punctuation, as in the plain-text format.
fn standfirst_at(lines: &[Cow<'_, str>], i: usize) -> Option<String> {
    let line: &str = lines.get(i)?;
    let alone = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
    let plain = strip_md_heading(line).is_none()
        && list_item(line).is_none()
        && quote_line(line).is_none()
        && !is_fence(line)
        && !line.starts_with("    ")
        && !line.starts_with('\t')
        && !line.trim_start().starts_with('<');
    let text = line_text(line);
    (alone
        && plain
        && !text.is_empty()
        && text.chars().count() <= STANDFIRST_MAX
        && !ends_in_punctuation(&text))
    .then_some(text)
}

/// Parses one Markdown file's text. `Err` when there is nothing to show (no title and no text).
pub fn parse_markdown(raw_text: &str, ctx: &FileContext) -> Result<Parsed, String> {
    let normalized = normalize(raw_text);
    // Lines as they are: tabs and trailing spaces mean something in Markdown.
    let lines: Vec<Cow<'_, str>> = normalized.split('\n').map(Cow::Borrowed).collect();
    let mut warnings = Vec::new();
    let Some(first) = next_line(&lines, 0) else {
        return Err("no title or text".to_string());
    };
    let (header, mut at) = front_matter(&lines, first)
        .or_else(|| read_header(&lines, first))
        .unwrap_or((Header::default(), first));

    let title = match header.title.clone() {
        Some(t) => t,
        None => match next_line(&lines, at) {
            Some(i) => {
                at = i + 1;
                if lines.get(at).is_some_and(|l| is_underline(l)) {
                    at += 1;
                }
                line_text(&lines[i])
            }
            None => String::new(),
        },
    };
    // The scraper's repeat of the title.
    if let Some(i) = next_line(&lines, at)
        && !title.is_empty()
        && same_title(&line_text(&lines[i]), &title)
    {
        at = i + 1;
        if lines.get(at).is_some_and(|l| is_underline(l)) {
            at += 1;
        }
    }
    let standfirst = match next_line(&lines, at) {
        Some(i) => standfirst_at(&lines, i).inspect(|_| at = i + 1),
        None => None,
    };
    let body = lines.get(at..).map(|b| b.join("\n")).unwrap_or_default();
    let blocks = html_to_blocks(&to_html(&body), None);
    if title.is_empty() {
        warnings.push("no title; using the file name".to_string());
    }
    Ok(assemble(header, title, standfirst, blocks, warnings, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{ArticleId, BlockKind, Inline};
    use chrono::{TimeZone, Utc};

    fn ctx() -> FileContext {
        FileContext {
            id: ArticleId::from_key("md"),
            origin: "dir/file.md".into(),
            fallback_title: "file".into(),
            default_source: "dir".into(),
            folder_category: None,
            mtime: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        }
    }

    fn parse(text: &str) -> crate::core::model::Article {
        parse_markdown(text, &ctx()).expect("parses").article
    }

    fn styled(b: &crate::core::model::Block) -> Vec<(&str, Inline)> {
        b.spans
            .iter()
            .map(|s| (&b.text[s.start..s.end], s.style))
            .collect()
    }

    #[test]
    fn header_title_repeat_and_standfirst_as_in_plain_text() {
        let a = parse(
            "Categories: World News / Europe\nDate: 2026-11-24\n\n# Night *Trains* Return\n\nNight Trains Return\n\nOperators bet on winter demand\n\nThe **first** paragraph,\nhard-wrapped.\n",
        );
        assert_eq!(&*a.title, "Night Trains Return");
        assert_eq!(a.categories[0].to_string(), "World News / Europe");
        assert!(a.dated);
        assert_eq!(
            a.standfirst.as_deref(),
            Some("Operators bet on winter demand")
        );
        assert_eq!(a.blocks().len(), 1);
        assert_eq!(a.blocks()[0].kind, BlockKind::Paragraph);
        assert_eq!(a.blocks()[0].text, "The first paragraph, hard-wrapped.");
        assert_eq!(styled(&a.blocks()[0]), [("first", Inline::Strong)]);
    }

    #[test]
    fn inline_markdown_becomes_spans_and_numbered_links() {
        let a = parse(
            "Title\n\nA paragraph with *emphasis*, `code` and [the report](https://example.com/r).\n\n## A section\n\n- one [again](https://example.com/r)\n- two\n\n> quoted **words**\n\n```\nlet x = 1;\n```\n",
        );
        let kinds: Vec<(BlockKind, &str)> = a
            .blocks()
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    BlockKind::Paragraph,
                    "A paragraph with emphasis, code and the report [1]."
                ),
                (BlockKind::Heading, "A section"),
                (BlockKind::ListItem, "one again [1]"),
                (BlockKind::ListItem, "two"),
                (BlockKind::Quote, "quoted words"),
                (BlockKind::Code, "let x = 1;"),
                (BlockKind::Heading, "Links"),
                (BlockKind::ListItem, "[1] https://example.com/r"),
            ]
        );
        assert_eq!(
            styled(&a.blocks()[0]),
            [
                ("emphasis", Inline::Emphasis),
                ("code", Inline::Code),
                ("the report", Inline::Link)
            ]
        );
        assert_eq!(styled(&a.blocks()[4]), [("words", Inline::Strong)]);
        // Raw markup is gone from every block.
        assert!(a.blocks().iter().all(|b| !b.text.contains(['*', '`', '#'])));
    }

    #[test]
    fn front_matter_setext_titles_and_hostile_html() {
        let a = parse(
            "---\ntitle: \"Front Matter Title\"\ncategories: [Technology / AI]\nlayout: post\n---\n\nBody with <script>alert(1)</script>text and \u{1b}[31mred.\n",
        );
        assert_eq!(&*a.title, "Front Matter Title");
        assert_eq!(a.categories[0].to_string(), "Technology / AI");
        assert_eq!(a.blocks().len(), 1);
        assert_eq!(a.blocks()[0].text, "Body with text and red.");
        let b = parse("Setext Title\n============\n\nBody.\n");
        assert_eq!(&*b.title, "Setext Title");
        assert_eq!(b.blocks()[0].text, "Body.");
        // Links that are not http(s)/mailto are not numbered.
        let c = parse("T\n\nSee [x](javascript:alert(1)) and [y](other.md).\n");
        assert_eq!(c.blocks().len(), 1);
        assert_eq!(c.blocks()[0].text, "See x and y.");
    }

    #[test]
    fn deep_nesting_and_empty_files_do_not_panic() {
        let deep = format!("T\n\n{}x\n", "> ".repeat(20_000));
        let a = parse(&deep);
        assert_eq!(a.blocks().last().map(|b| b.text.as_str()), Some("x"));
        let lists = format!("T\n\n{}", "- ".repeat(5_000));
        let _ = parse_markdown(&lists, &ctx());
        assert!(parse_markdown("\n \n", &ctx()).is_err());
    }

    #[test]
    fn markdown_paths() {
        assert!(is_markdown("a/b.md") && is_markdown("X.MD") && is_markdown("n.markdown"));
        assert!(!is_markdown("a.txt") && !is_markdown("md"));
    }
}
