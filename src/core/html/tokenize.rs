//! The tokenizer: html5ever's, fed in chunks with a guard on separators, calling back with
//! [`Token`]s until told to stop.

use super::*;

/// One token of HTML, as [`tokenize`] hands it on.
pub enum Token<'a> {
    /// A start or end tag.
    Tag(Tag<'a>),
    /// Text, character references decoded; every run of text between two tags (comments do not
    /// count) comes whole. `raw` for the text of an element whose content is not markup
    /// (`script`, `style`, `xmp`, `iframe`, `noembed`, `noframes`, `noscript`, `plaintext`).
    Text { text: &'a str, raw: bool },
    /// A `<!DOCTYPE ...>`.
    Doctype(Doctype<'a>),
}

/// A tag: its name in lowercase, its attributes with their values decoded.
pub struct Tag<'a>(&'a tk::Tag);

impl<'a> Tag<'a> {
    pub fn new(tag: &'a tk::Tag) -> Tag<'a> {
        Tag(tag)
    }

    pub fn name(&self) -> &'a str {
        &self.0.name
    }

    pub fn is_end(&self) -> bool {
        self.0.kind == tk::EndTag
    }

    /// Written `<name ... />`.
    pub fn self_closing(&self) -> bool {
        self.0.self_closing
    }

    /// The value of attribute `name` (lowercase), if the tag has it.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The attributes, in order (a repeated name only once, the first).
    pub fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let tag: &'a tk::Tag = self.0;
        tag.attrs.iter().map(|a| (&*a.name.local, &*a.value))
    }

    /// True for a start tag whose element holds text, not markup, up to its end tag, as HTML
    /// reads it in a page's body: `script`, `style`, `title`, `textarea` and the like.
    pub fn holds_raw_text(&self) -> bool {
        !self.is_end() && raw_kind(self.name()).is_some()
    }
}

/// A document type declaration.
pub struct Doctype<'a> {
    pub name: Option<&'a str>,
    pub public_id: Option<&'a str>,
    pub system_id: Option<&'a str>,
}

/// What the tokenizer does after a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Goes on as HTML reads a page's body: after a start tag for which
    /// [`Tag::holds_raw_text`] is true, the element's content is read as text.
    Next,
    /// Goes on reading markup, even after such a start tag (HTML does so in SVG and MathML, and
    /// for `noscript` when scripting is off).
    Markup,
    /// Stops: no more tokens.
    Stop,
}

/// How the tokenizer reads the content of an element, when that is not markup.
pub(super) enum RawContent {
    Kind(RawKind),
    Plaintext,
}

pub(super) fn raw_kind(name: &str) -> Option<RawContent> {
    Some(match name {
        "script" => RawContent::Kind(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            RawContent::Kind(RawKind::Rawtext)
        }
        "title" | "textarea" => RawContent::Kind(RawKind::Rcdata),
        "plaintext" => RawContent::Plaintext,
        _ => return None,
    })
}

/// The input goes to html5ever in pieces of this many bytes (see [`feed`]).
pub(super) const CHUNK: usize = 512;

/// Inside one token, more than this many bytes that may start an attribute (whitespace, `/` and
/// quotes) in whole pieces of input: the tag is cut (see [`feed`]).
pub(super) const MAX_SEPARATORS: usize = 512;

/// What is fed to end a tag that is too long. U+FFFF is a noncharacter: no page uses it, and an
/// attribute named with it, or the mark in a value, is removed before any sink sees the tag.
pub(super) const CUT: &str = "\u{FFFF}>";
pub(super) const CUT_MARK: char = '\u{FFFF}';

/// Reads `html` with html5ever's tokenizer, calling `f` for each token in order; `f` says how
/// to go on. Returns the number of tags that were cut (see [`feed`]).
pub fn tokenize(html: &str, f: impl FnMut(Token<'_>) -> Step) -> usize {
    let sink = Sink {
        f: RefCell::new(f),
        text: RefCell::new(None),
        raw: Cell::new(false),
        stopped: Cell::new(false),
    };
    feed(html, sink, |s| s.stopped.get()).1
}

/// Feeds `html` to html5ever's tokenizer with `sink` (the callback of [`tokenize`], or a tree
/// builder), until the end or until `stop(&sink)`; returns the sink and the number of tags cut.
///
/// Linear in the input. html5ever checks each new attribute of a tag against all the earlier
/// ones, so one tag with a million attributes would take hours. The input is fed in pieces of
/// [`CHUNK`] bytes; a piece during which no token came out lies inside one tag, comment or
/// doctype, and when such pieces in a row hold more than [`MAX_SEPARATORS`] bytes that may
/// start an attribute, `U+FFFF >` is fed to end the tag there (the rest of it is then read as
/// text). Inside a quoted value or a comment that changes nothing: the mark is removed from
/// values, attributes named with it are removed, and comments are not shown. So a tag holds at
/// most about 1,500 attributes, and real pages, whose long tags are long values, read as they
/// are.
pub fn feed<S: TokenSink>(html: &str, sink: S, stop: impl Fn(&S) -> bool) -> (S, usize) {
    let tokenizer = Tokenizer::new(
        Counted {
            sink,
            tokens: Cell::new(0),
            cut: Cell::new(false),
        },
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    let stopped = || stop(&tokenizer.sink.sink);
    let push = |piece: &str| {
        queue.push_back(StrTendril::from_slice(piece));
        while !queue.is_empty() && !stopped() {
            let _ = tokenizer.feed(&queue);
        }
    };
    let (mut at, mut separators, mut cuts) = (0, 0, 0);
    while at < html.len() && !stopped() {
        let mut end = (at + CHUNK).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        let before = tokenizer.sink.tokens.get();
        push(&html[at..end]);
        if tokenizer.sink.tokens.get() != before {
            separators = 0;
        } else {
            separators += html.as_bytes()[at..end]
                .iter()
                .filter(|&&c| c.is_ascii_whitespace() || matches!(c, b'/' | b'"' | b'\''))
                .count();
            if separators > MAX_SEPARATORS {
                tokenizer.sink.cut.set(true);
                push(CUT);
                separators = 0;
                cuts += 1;
            }
        }
        at = end;
    }
    if !stopped() {
        tokenizer.end();
    }
    (tokenizer.sink.sink, cuts)
}

/// Counts the tokens going to `sink` (parse errors not counted: they come inside tags) and,
/// once a tag was cut, removes the cut's mark from tags.
pub(super) struct Counted<S> {
    sink: S,
    tokens: Cell<usize>,
    cut: Cell<bool>,
}

impl<S: TokenSink> TokenSink for Counted<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: tk::Token, line: u64) -> TokenSinkResult<S::Handle> {
        let token = match token {
            tk::Token::ParseError(_) | tk::Token::EOFToken => token,
            tk::Token::TagToken(mut tag) if self.cut.get() => {
                self.tokens.set(self.tokens.get() + 1);
                tag.attrs.retain(|a| !a.name.local.contains(CUT_MARK));
                for a in &mut tag.attrs {
                    if a.value.contains(CUT_MARK) {
                        let clean = a.value.replace(CUT, "").replace(CUT_MARK, "");
                        a.value = StrTendril::from_slice(&clean);
                    }
                }
                tk::Token::TagToken(tag)
            }
            _ => {
                self.tokens.set(self.tokens.get() + 1);
                token
            }
        };
        self.sink.process_token(token, line)
    }

    fn end(&self) {
        self.sink.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.sink
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Hands html5ever's tokens on to the callback of [`tokenize`]: text runs joined, comments and
/// parse errors left out.
pub(super) struct Sink<F> {
    f: RefCell<F>,
    /// Text not handed on yet (most runs come in one piece: kept as html5ever made it).
    text: RefCell<Option<StrTendril>>,
    /// The text is the content of a raw text element.
    raw: Cell<bool>,
    stopped: Cell<bool>,
}

impl<F: FnMut(Token<'_>) -> Step> Sink<F> {
    fn call(&self, token: Token<'_>) -> Step {
        let step = (self.f.borrow_mut())(token);
        if step == Step::Stop {
            self.stopped.set(true);
        }
        step
    }

    fn flush(&self) {
        let text = self.text.borrow_mut().take();
        if let Some(text) = text
            && !self.stopped.get()
        {
            self.call(Token::Text {
                text: &text,
                raw: self.raw.get(),
            });
        }
    }
}

impl<F: FnMut(Token<'_>) -> Step> TokenSink for Sink<F> {
    type Handle = ();

    fn process_token(&self, token: tk::Token, _line: u64) -> TokenSinkResult<()> {
        if self.stopped.get() {
            return TokenSinkResult::Continue;
        }
        match token {
            tk::Token::CharacterTokens(t) => match &mut *self.text.borrow_mut() {
                Some(text) => text.push_tendril(&t),
                text => *text = Some(t),
            },
            // A NUL in text is dropped, as the sanitizer would; comments are never shown.
            tk::Token::NullCharacterToken | tk::Token::CommentToken(_) => {}
            tk::Token::DoctypeToken(d) => {
                self.flush();
                if !self.stopped.get() {
                    self.call(Token::Doctype(Doctype {
                        name: d.name.as_deref(),
                        public_id: d.public_id.as_deref(),
                        system_id: d.system_id.as_deref(),
                    }));
                }
            }
            tk::Token::TagToken(tag) => {
                self.flush();
                self.raw.set(false);
                if self.stopped.get() {
                    return TokenSinkResult::Continue;
                }
                let t = Tag(&tag);
                if self.call(Token::Tag(Tag(&tag))) == Step::Next && t.holds_raw_text() {
                    match raw_kind(t.name()) {
                        Some(RawContent::Kind(kind)) => {
                            self.raw.set(!matches!(kind, RawKind::Rcdata));
                            return TokenSinkResult::RawData(kind);
                        }
                        Some(RawContent::Plaintext) => {
                            self.raw.set(true);
                            return TokenSinkResult::Plaintext;
                        }
                        None => {}
                    }
                }
            }
            tk::Token::ParseError(_) | tk::Token::EOFToken => {}
        }
        TokenSinkResult::Continue
    }

    fn end(&self) {
        self.flush();
    }
}
