//! Whether the terminal can show pictures, and in which protocol: detected, never assumed.
//!
//! The environment only gives hints ([`Hints`]: `TERM_PROGRAM`, `LC_TERMINAL`,
//! `KITTY_WINDOW_ID`…), which outlive the terminal they describe (through `ssh`, `tmux`, `sudo`):
//! pictures are shown only when the terminal itself answered the query ratatui-image sends
//! (kitty graphics, the device attributes that list sixel, the cell size in pixels; [`Answer`]).
//! Never when stdin or stdout is not a terminal, in `TERM=dumb` or the Linux console, nor inside
//! tmux, screen or zellij (they would need passthrough turned on in the user's own settings,
//! which ratatui-image would do behind the user's back). [`choose`]
//! is the rule, pure and tested; [`probe`] asks the terminal, once, before the input thread
//! starts reading (it reads the answer from stdin).

use ratatui_image::picker::{Capability, Picker, ProtocolType, cap_parser::QueryStdioOptions};
use std::io::IsTerminal;
use std::time::Duration;

/// A graphics protocol tidings draws pictures with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Kitty,
    Iterm2,
    Sixel,
}

/// What the environment says. Hints only: none of them turns pictures on by itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// stdin and stdout are both terminals.
    pub tty: bool,
    pub term: String,
    pub term_program: String,
    pub lc_terminal: String,
    /// `KITTY_WINDOW_ID` is set (it survives into ssh sessions and multiplexers, so it proves
    /// nothing: the kitty answer does).
    pub kitty_window_id: bool,
    /// `TMUX`, `STY` or `ZELLIJ` is set, or `TERM` or `TERM_PROGRAM` names tmux or screen.
    pub multiplexer: bool,
    /// `KONSOLE_VERSION` is set (Konsole's sixel is broken).
    pub konsole: bool,
}

impl Hints {
    pub fn from_env() -> Hints {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        let term = var("TERM");
        Hints {
            tty: std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
            multiplexer: set("TMUX")
                || set("STY")
                || set("ZELLIJ")
                || var("TERM_PROGRAM") == "tmux"
                || term.starts_with("tmux")
                || term.starts_with("screen"),
            term,
            term_program: var("TERM_PROGRAM"),
            lc_terminal: var("LC_TERMINAL"),
            kitty_window_id: set("KITTY_WINDOW_ID"),
            konsole: set("KONSOLE_VERSION"),
        }
    }
}

/// What the terminal answered to the query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answer {
    /// It answered the kitty graphics query.
    pub kitty: bool,
    /// Its device attributes list sixel graphics.
    pub sixel: bool,
    /// Its cell size in pixels (asked, or from the window size): `None` when it answered
    /// nothing, and nothing can be drawn to size.
    pub cell: Option<(u16, u16)>,
}

impl Answer {
    fn from_picker(picker: &Picker) -> Answer {
        let caps = picker.capabilities();
        let font = picker.font_size();
        Answer {
            kitty: caps.contains(&Capability::Kitty),
            sixel: caps.contains(&Capability::Sixel),
            // ratatui-image keeps capabilities only when it knew the cell size.
            cell: (!caps.is_empty()).then_some((font.width, font.height)),
        }
    }
}

/// Whether the terminal may be asked at all.
pub fn may_ask(h: &Hints) -> bool {
    h.tty && !h.multiplexer && !matches!(h.term.as_str(), "" | "dumb" | "linux")
}

/// The protocol to draw pictures with, if any. iTerm2's (also WezTerm's) has no query: its
/// program name counts, but only in a terminal that answered the query.
pub fn choose(h: &Hints, a: &Answer) -> Option<Protocol> {
    if !may_ask(h) || a.cell.is_none() {
        return None;
    }
    let iterm = h.term_program.contains("iTerm")
        || h.term_program.contains("WezTerm")
        || h.lc_terminal.contains("iTerm");
    if iterm {
        Some(Protocol::Iterm2)
    } else if a.kitty {
        Some(Protocol::Kitty)
    } else if a.sixel && !h.konsole {
        Some(Protocol::Sixel)
    } else {
        None
    }
}

/// Asks the terminal (at most half a second) and returns the picker to draw pictures with, or
/// `None` when pictures are off (`enabled` false: nothing is asked) or cannot be shown. Call it
/// once, on the main thread, after the terminal is set up and before anything reads input.
pub fn probe(enabled: bool) -> Option<Picker> {
    if !enabled {
        return None;
    }
    let hints = Hints::from_env();
    if !may_ask(&hints) {
        return None;
    }
    let options = QueryStdioOptions {
        timeout: Duration::from_millis(500),
        ..QueryStdioOptions::default()
    };
    let mut picker = Picker::from_query_stdio_with_options(options).ok()?;
    let answer = Answer::from_picker(&picker);
    let protocol = choose(&hints, &answer);
    tracing::info!(?answer, ?protocol, term = %hints.term, "graphics");
    picker.set_protocol_type(match protocol? {
        Protocol::Kitty => ProtocolType::Kitty,
        Protocol::Iterm2 => ProtocolType::Iterm2,
        Protocol::Sixel => ProtocolType::Sixel,
    });
    Some(picker)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(term: &str, program: &str) -> Hints {
        Hints {
            tty: true,
            term: term.into(),
            term_program: program.into(),
            ..Hints::default()
        }
    }

    const CELL: Option<(u16, u16)> = Some((9, 18));

    #[test]
    fn the_protocol_comes_from_the_answer_with_hints_only_helping() {
        let kitty = Answer {
            kitty: true,
            sixel: false,
            cell: CELL,
        };
        let sixel = Answer {
            kitty: false,
            sixel: true,
            cell: CELL,
        };
        let plain = Answer {
            kitty: false,
            sixel: false,
            cell: CELL,
        };
        let silent = Answer::default();
        let in_tmux = Hints {
            multiplexer: true,
            ..hints("tmux-256color", "tmux")
        };
        let stale_kitty = Hints {
            kitty_window_id: true,
            ..hints("xterm-256color", "")
        };
        let piped = Hints {
            tty: false,
            ..hints("xterm-kitty", "")
        };
        let konsole = Hints {
            konsole: true,
            ..hints("xterm-256color", "")
        };
        let table: [(&str, Hints, Answer, Option<Protocol>); 12] = [
            (
                "kitty answers",
                hints("xterm-kitty", ""),
                kitty,
                Some(Protocol::Kitty),
            ),
            (
                "sixel in DA1",
                hints("xterm-256color", ""),
                sixel,
                Some(Protocol::Sixel),
            ),
            (
                "iTerm2 by name",
                hints("xterm-256color", "iTerm.app"),
                plain,
                Some(Protocol::Iterm2),
            ),
            (
                "WezTerm by name",
                hints("xterm-256color", "WezTerm"),
                kitty,
                Some(Protocol::Iterm2),
            ),
            (
                "iTerm2 named, silent",
                hints("xterm-256color", "iTerm.app"),
                silent,
                None,
            ),
            ("an xterm", hints("xterm-256color", ""), plain, None),
            ("KITTY_WINDOW_ID alone", stale_kitty, plain, None),
            ("tmux", in_tmux, kitty, None),
            ("not a tty", piped, kitty, None),
            ("dumb", hints("dumb", ""), kitty, None),
            ("Konsole's sixel", konsole, sixel, None),
            ("the Linux console", hints("linux", ""), sixel, None),
        ];
        for (what, h, a, want) in table {
            assert_eq!(choose(&h, &a), want, "{what}");
        }
    }

    #[test]
    fn only_terminals_are_asked() {
        assert!(may_ask(&hints("xterm-256color", "")));
        assert!(!may_ask(&Hints::default()));
        let screen = Hints {
            multiplexer: true,
            ..hints("screen", "")
        };
        assert!(!may_ask(&screen));
        // Under `cargo test` stdout is captured, so the real probe asks nothing and says no.
        if !std::io::stdout().is_terminal() {
            assert!(probe(true).is_none());
        }
        assert!(probe(false).is_none());
    }
}
