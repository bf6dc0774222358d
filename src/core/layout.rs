//! Lays an article out as wrapped lines for a given width: the one rendering used by
//! `tidings show` and by the reading pane (which styles lines by their kind).

use crate::core::model::{Article, BlockKind, Inline, Span};
use crate::core::text::format_date_long;
use chrono::TimeZone;

/// What a laid-out line is, so a front end can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Byline,
    Categories,
    Link,
    Standfirst,
    Heading,
    Paragraph,
    Quote,
    ListItem,
    Code,
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
    /// Which element of the article (title, byline, a block, a blank) this line belongs to; the
    /// same at every width, so a reading position survives re-wrapping.
    pub element: u32,
    /// Inline styles as byte ranges of `text`.
    pub spans: Vec<(usize, usize, Inline)>,
}

/// Collects lines, numbering the elements they come from.
struct Out {
    lines: Vec<Line>,
    element: u32,
}

impl Out {
    fn push(&mut self, kind: LineKind, text: String) {
        self.push_styled(kind, text, Vec::new());
    }

    fn push_styled(&mut self, kind: LineKind, text: String, spans: Vec<(usize, usize, Inline)>) {
        self.lines.push(Line {
            kind,
            text,
            element: self.element,
            spans,
        });
    }

    fn end_element(&mut self) {
        self.element += 1;
    }
}

/// `Source · Author · Tue 24 Nov 2026 08:15 · 3 min read` (`undated` when the date is a stand-in).
pub fn byline<Tz: TimeZone>(article: &Article, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut parts: Vec<String> = Vec::new();
    if !article.source.is_empty() {
        parts.push(article.source.to_string());
    }
    if let Some(a) = &article.author {
        parts.push(a.to_string());
    }
    parts.push(if article.dated {
        format_date_long(article.date, tz)
    } else {
        "undated".to_string()
    });
    parts.push(format!("{} min read", article.reading_minutes()));
    parts.join(" · ")
}

fn push_wrapped(out: &mut Out, kind: LineKind, text: &str, first: &str, rest: &str, width: usize) {
    push_wrapped_styled(out, kind, text, &[], first, rest, width);
}

/// Wraps `text` to `width` columns after the indent (`first` on the first line, `rest` after),
/// carrying the inline styles over to the lines they fall on.
fn push_wrapped_styled(
    out: &mut Out,
    kind: LineKind,
    text: &str,
    spans: &[Span],
    first: &str,
    rest: &str,
    width: usize,
) {
    let indent = crate::core::text::width(first).max(crate::core::text::width(rest));
    let avail = width.saturating_sub(indent).max(1);
    let opts = textwrap::Options::new(avail).break_words(true);
    // textwrap and the terminal can disagree on a character's width (emoji sequences): a line
    // still too wide by our measure is cut again, so no line ever overflows the pane.
    let lines = textwrap::wrap(text, opts)
        .into_iter()
        .flat_map(|l| split_to_width(l, avail));
    for (i, l) in lines.enumerate() {
        let prefix = if i == 0 { first } else { rest };
        let mut line_spans = Vec::new();
        // Unindented lines are slices of `text`: their offset maps the spans onto them.
        if let std::borrow::Cow::Borrowed(slice) = &l {
            let off = (slice.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            if off <= text.len() {
                for s in spans {
                    let (start, end) = (s.start.max(off), s.end.min(off + slice.len()));
                    if start < end {
                        let p = prefix.len();
                        line_spans.push((start - off + p, end - off + p, s.style));
                    }
                }
            }
        }
        out.push_styled(kind, format!("{prefix}{l}"), line_spans);
    }
    out.end_element();
}

/// Cuts a line into pieces of at most `avail` columns (by `text::width`), keeping borrowed
/// pieces borrowed so styles still map onto them.
fn split_to_width(l: std::borrow::Cow<'_, str>, avail: usize) -> Vec<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    if crate::core::text::width(&l) <= avail {
        return vec![l];
    }
    // Measured on whole slices, as `text::width` does, so sequences (emoji with a variation
    // selector) count as the terminal shows them.
    let cuts = |s: &str| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in s.char_indices() {
            let end = i + c.len_utf8();
            if i > start && crate::core::text::width(&s[start..end]) > avail {
                out.push((start, i));
                start = i;
            }
        }
        out.push((start, s.len()));
        out
    };
    match l {
        Cow::Borrowed(b) => cuts(b)
            .into_iter()
            .map(|(s, e)| Cow::Borrowed(&b[s..e]))
            .collect(),
        Cow::Owned(o) => cuts(&o)
            .into_iter()
            .map(|(s, e)| Cow::Owned(o[s..e].to_string()))
            .collect(),
    }
}

fn blank(out: &mut Out) {
    out.push(LineKind::Blank, String::new());
    out.end_element();
}

/// Lays out the whole article for `width` columns (at least 10 are used).
pub fn layout<Tz: TimeZone>(article: &Article, width: usize, tz: &Tz) -> Vec<Line>
where
    Tz::Offset: std::fmt::Display,
{
    layout_marked(article, width, tz, false)
}

/// [`layout`], with `★ ` before the byline when the article is starred.
pub fn layout_marked<Tz: TimeZone>(
    article: &Article,
    width: usize,
    tz: &Tz,
    starred: bool,
) -> Vec<Line>
where
    Tz::Offset: std::fmt::Display,
{
    let width = width.max(10);
    let star = if starred { "★ " } else { "" };
    let mut out = Out {
        lines: Vec::new(),
        element: 0,
    };
    push_wrapped(&mut out, LineKind::Title, &article.title, "", "", width);
    push_wrapped(
        &mut out,
        LineKind::Byline,
        &format!("{star}{}", byline(article, tz)),
        "",
        "",
        width,
    );
    if !article.categories.is_empty() {
        let cats: Vec<String> = article.categories.iter().map(|c| c.to_string()).collect();
        push_wrapped(
            &mut out,
            LineKind::Categories,
            &cats.join(", "),
            "",
            "",
            width,
        );
    }
    if let Some(link) = &article.link {
        push_wrapped(&mut out, LineKind::Link, link, "", "", width);
    }
    if let Some(s) = &article.standfirst {
        blank(&mut out);
        push_wrapped(&mut out, LineKind::Standfirst, s, "", "", width);
    }
    if article.body_unloaded() {
        // The body is being read from disk (see `Article::stored`): a moment at most.
        blank(&mut out);
        push_wrapped(
            &mut out,
            LineKind::Byline,
            "Loading the story…",
            "",
            "",
            width,
        );
    }
    let mut prev: Option<BlockKind> = None;
    for block in article.blocks() {
        // List items of one list sit together; every other block is set off by a blank line.
        if !(block.kind == BlockKind::ListItem && prev == Some(BlockKind::ListItem)) {
            blank(&mut out);
        }
        match block.kind {
            BlockKind::Heading => push_wrapped_styled(
                &mut out,
                LineKind::Heading,
                &block.text,
                &block.spans,
                "",
                "",
                width,
            ),
            BlockKind::Paragraph => push_wrapped_styled(
                &mut out,
                LineKind::Paragraph,
                &block.text,
                &block.spans,
                "",
                "",
                width,
            ),
            BlockKind::Quote => push_wrapped_styled(
                &mut out,
                LineKind::Quote,
                &block.text,
                &block.spans,
                "│ ",
                "│ ",
                width,
            ),
            BlockKind::ListItem => push_wrapped_styled(
                &mut out,
                LineKind::ListItem,
                &block.text,
                &block.spans,
                "• ",
                "  ",
                width,
            ),
            BlockKind::Code => {
                for l in block.text.lines() {
                    out.push(LineKind::Code, format!("    {l}"));
                }
                out.end_element();
            }
        }
        prev = Some(block.kind);
    }
    out.lines
}

/// The first line of `element`, or of the first element after it.
pub fn first_line_of(lines: &[Line], element: u32) -> usize {
    lines.partition_point(|l| l.element < element)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{ArticleId, Block, CategoryPath};
    use crate::core::text::width;
    use chrono::Utc;

    fn sample() -> Article {
        let blocks = vec![
            Block::new(
                BlockKind::Paragraph,
                "word ".repeat(60).trim_end().to_string(),
            ),
            Block::new(BlockKind::Heading, "Outlook"),
            Block::new(
                BlockKind::ListItem,
                "first item that is long enough to wrap around",
            ),
            Block::new(BlockKind::ListItem, "second"),
            Block::new(BlockKind::Quote, "a quoted line that wraps over the width"),
            Block::new(BlockKind::Code, "fn main() {}\n    nested();"),
        ];
        Article {
            id: ArticleId::from_key("k"),
            title: "A title".into(),
            source: "Wire".into(),
            author: Some("Ann".into()),
            date: Utc.with_ymd_and_hms(2026, 11, 24, 8, 15, 0).unwrap(),
            dated: true,
            link: Some("https://example.com/a".into()),
            categories: CategoryPath::parse_list("World News / Europe; Business"),
            standfirst: Some("The short version".into()),
            words: Article::count_words(Some("The short version"), &blocks),
            meta: Box::default(),
            origin: "k".into(),
            body: crate::core::model::Body::Blocks(blocks),
        }
    }

    #[test]
    fn header_lines_and_block_spacing() {
        let lines = layout(&sample(), 30, &Utc);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(lines[0].text, "A title");
        assert_eq!(lines[1].text, "Wire · Ann · Tue 24 Nov 2026");
        assert_eq!(lines[2].text, "08:15 · 1 min read");
        assert_eq!(lines[3].text, "World News / Europe, Business");
        assert_eq!(lines[4].kind, LineKind::Link);
        assert_eq!(&kinds[5..7], [LineKind::Blank, LineKind::Standfirst]);
        // Paragraph wrapped to 30 columns, never wider.
        assert!(
            lines
                .iter()
                .filter(|l| l.kind != LineKind::Code)
                .all(|l| width(&l.text) <= 30)
        );
        let heading = lines
            .iter()
            .position(|l| l.kind == LineKind::Heading)
            .unwrap();
        assert_eq!(lines[heading].text, "Outlook");
        assert_eq!(lines[heading - 1].kind, LineKind::Blank);
        // Two list items with no blank between them, bullets and hanging indent.
        let items: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::ListItem)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(
            items,
            [
                "• first item that is long",
                "  enough to wrap around",
                "• second"
            ]
        );
        assert!(
            lines
                .iter()
                .filter(|l| l.kind == LineKind::Quote)
                .all(|l| l.text.starts_with("│ "))
        );
        let code: Vec<&str> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Code)
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(code, ["    fn main() {}", "        nested();"]);
    }

    #[test]
    fn elements_are_numbered_the_same_at_every_width() {
        let narrow = layout(&sample(), 20, &Utc);
        let wide = layout(&sample(), 100, &Utc);
        assert!(narrow.len() > wide.len());
        let last = |ls: &[Line]| ls.last().unwrap().element;
        assert_eq!(last(&narrow), last(&wide));
        let heading = |ls: &[Line]| {
            ls.iter()
                .find(|l| l.kind == LineKind::Heading)
                .unwrap()
                .element
        };
        assert_eq!(heading(&narrow), heading(&wide));
        let h = heading(&narrow);
        assert_eq!(narrow[first_line_of(&narrow, h)].text, "Outlook");
        assert!(narrow.windows(2).all(|w| w[0].element <= w[1].element));
    }

    #[test]
    fn inline_styles_follow_the_words_across_lines() {
        use crate::core::model::{Inline, Span};
        let mut a = sample();
        let text = "plain words then some strong words that wrap onto the next line here";
        let start = text.find("strong").unwrap();
        let end = text.find(" onto").unwrap();
        let mut block = Block::new(BlockKind::ListItem, text);
        block.spans.push(Span {
            start,
            end,
            style: Inline::Strong,
        });
        a.body = crate::core::model::Body::Blocks(vec![block]);
        let lines = layout(&a, 30, &Utc);
        let items: Vec<&Line> = lines
            .iter()
            .filter(|l| l.kind == LineKind::ListItem)
            .collect();
        let styled: Vec<&str> = items
            .iter()
            .flat_map(|l| l.spans.iter().map(move |(s, e, _)| &l.text[*s..*e]))
            .collect();
        assert_eq!(styled.join(" "), "strong words that wrap");
        assert!(
            items
                .iter()
                .all(|l| l.spans.iter().all(|(_, _, st)| *st == Inline::Strong))
        );
        assert!(items[0].text.starts_with("• ") && items[1].text.starts_with("  "));
    }

    #[test]
    fn undated_byline() {
        let mut a = sample();
        a.dated = false;
        a.author = None;
        assert_eq!(byline(&a, &Utc), "Wire · undated · 1 min read");
    }

    #[test]
    fn very_long_words_are_broken_to_width() {
        let mut a = sample();
        a.body = crate::core::model::Body::Blocks(vec![Block::new(
            BlockKind::Paragraph,
            "x".repeat(20_000),
        )]);
        let lines = layout(&a, 40, &Utc);
        let body: Vec<&Line> = lines
            .iter()
            .filter(|l| l.kind == LineKind::Paragraph)
            .collect();
        assert_eq!(body.len(), 500);
        assert!(body.iter().all(|l| width(&l.text) == 40));
    }
}
