//! Keybindings as data: (context, key) -> action with a description. `resolve` looks keys up;
//! the help overlay and the status-line hints are generated from the same table.

use crate::core::geometry::Focus;
use crate::core::state::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt;

/// Where a binding applies. Pane contexts are tried before `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Tree,
    Headlines,
    Reader,
    Help,
    Links,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Tree => "Categories",
            Context::Headlines => "Headlines",
            Context::Reader => "Reader",
            Context::Help => "Help",
            Context::Links => "Links",
        }
    }

    fn of(focus: Focus) -> Context {
        match focus {
            Focus::Tree => Context::Tree,
            Focus::Headlines => Context::Headlines,
            Focus::Reader => Context::Reader,
        }
    }
}

/// A key with its modifiers (Shift is folded into the character for letters and symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            modifiers: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            modifiers: KeyModifiers::CONTROL,
        }
    }

    /// The key of a terminal event, normalized: Shift dropped where it is part of the character.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut modifiers =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key { code, modifiers }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the table: these keys, in this context, do this.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the status line's hints for its context.
    pub hint: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    /// The default table, one binding per line; help and hints list a context's bindings in this
    /// order.
    #[rustfmt::skip]
    fn default() -> Keymap {
        use Action as A;
        use Context::*;
        use KeyCode as K;
        let b = |context, keys: &[Key], action, description, hint| Binding {
            context,
            keys: keys.to_vec(),
            action,
            description,
            hint,
        };
        let p = Key::plain;
        let c = Key::ch;
        Keymap {
            bindings: vec![
                b(Global,    &[c('/')],                           A::StartSearch,      "search",               Some("search")),
                b(Global,    &[c('n')],                           A::NextMatch,        "next match",           None),
                b(Global,    &[c('N')],                           A::PrevMatch,        "previous match",       None),
                b(Global,    &[c('u')],                           A::ToggleUnreadOnly, "unread only",          None),
                b(Global,    &[c('m')],                           A::ToggleRead,       "mark read / unread",   None),
                b(Global,    &[c('s')],                           A::ToggleStar,       "star / unstar",        None),
                b(Global,    &[c('A')],                           A::MarkAllRead,      "mark all shown read",  None),
                b(Global,    &[c('U')],                           A::UndoMarkAll,      "undo mark all",        None),
                b(Links,     &[c('j'), p(K::Down)],               A::Down,             "next link",            None),
                b(Links,     &[c('k'), p(K::Up)],                 A::Up,               "previous link",        None),
                b(Links,     &[p(K::Enter), c('o')],              A::Choose,           "open the link",        None),
                b(Links,     &[p(K::Esc), c('L'), c('q')],        A::CloseHelp,        "close",                None),
                b(Reader,    &[c('o')],                           A::OpenLink,         "open in the browser",  Some("browser")),
                b(Reader,    &[c('L')],                           A::ShowLinks,        "list its links",       Some("links")),
                b(Reader,    &[c('f')],                           A::ToggleFull,       "full story / summary", Some("full story")),
                b(Help,      &[p(K::Esc), c('?'), c('q')],        A::CloseHelp,        "close help",           None),
                b(Help,      &[c('S')],                           A::ToggleSources,    "close the sources",    None),
                b(Tree,      &[p(K::Enter), c('l'), p(K::Right)], A::Choose,           "filter to it",         Some("filter")),
                b(Tree,      &[c(' ')],                           A::ToggleCollapse,   "fold or unfold",       Some("fold")),
                b(Tree,      &[p(K::Esc), c('h'), p(K::Left)],    A::Back,             "fold, or go up",       None),
                b(Headlines, &[p(K::Enter), c('l'), p(K::Right)], A::Choose,           "open the article",     Some("open")),
                b(Headlines, &[p(K::Esc), c('h'), p(K::Left)],    A::Back,             "back to categories",   None),
                b(Reader,    &[c('j'), p(K::Down)],               A::Down,             "scroll down",          None),
                b(Reader,    &[c('k'), p(K::Up)],                 A::Up,               "scroll up",            None),
                b(Reader,    &[p(K::Esc), c('h'), p(K::Left)],    A::Back,             "back to headlines",    Some("back")),
                b(Global,    &[c('j'), p(K::Down)],               A::Down,             "move down",            None),
                b(Global,    &[c('k'), p(K::Up)],                 A::Up,               "move up",              None),
                b(Global,    &[c(' '), p(K::PageDown)],           A::PageDown,         "page down",            None),
                b(Global,    &[c('b'), p(K::PageUp)],             A::PageUp,           "page up",              None),
                b(Global,    &[c('g'), p(K::Home)],               A::Top,              "top",                  None),
                b(Global,    &[c('G'), p(K::End)],                A::Bottom,           "bottom",               None),
                b(Global,    &[c('J')],                           A::NextArticle,      "next article",         Some("next")),
                b(Global,    &[c('K')],                           A::PrevArticle,      "previous article",     None),
                b(Global,    &[p(K::Tab)],                        A::FocusNext,        "next pane",            Some("pane")),
                b(Global,    &[p(K::BackTab)],                    A::FocusPrev,        "previous pane",        None),
                b(Global,    &[c('c')],                           A::JumpToTree,       "go to categories",     None),
                b(Global,    &[c('r')],                           A::Refresh,          "refresh its source",   None),
                b(Global,    &[c('R')],                           A::RefreshAll,       "refresh every source", None),
                b(Global,    &[c('S')],                           A::ToggleSources,    "show the sources",     Some("sources")),
                b(Global,    &[c('?')],                           A::ToggleHelp,       "show this help",       Some("help")),
                b(Global,    &[c('q'), Key::ctrl('c')],           A::Quit,             "quit",                 Some("quit")),
            ],
        }
    }
}

impl Keymap {
    /// The action for a key press in a pane (or over the help), if any. Only presses count;
    /// Ctrl-C always quits.
    pub fn resolve(&self, ev: &KeyEvent, focus: Focus, overlay: Option<Context>) -> Option<Action> {
        if ev.kind != KeyEventKind::Press {
            return None;
        }
        let key = Key::from_event(ev);
        if key == Key::ctrl('c') {
            return Some(Action::Quit);
        }
        let pane = [Context::of(focus), Context::Global];
        let over;
        let contexts: &[Context] = match overlay {
            Some(o) => {
                over = [o];
                &over
            }
            None => &pane,
        };
        contexts.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == *ctx && b.keys.contains(&key))
                .map(|b| b.action.clone())
        })
    }

    /// `(first key, hint)` for the status line: the pane's hints, then the global ones.
    pub fn hints(&self, focus: Focus) -> Vec<(String, &'static str)> {
        [Context::of(focus), Context::Global]
            .iter()
            .flat_map(|ctx| self.bindings.iter().filter(move |b| b.context == *ctx))
            .filter_map(|b| Some((b.keys.first()?.to_string(), b.hint?)))
            .collect()
    }

    /// The help overlay's sections: a title and `(keys, description)` rows.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        [
            Context::Global,
            Context::Tree,
            Context::Headlines,
            Context::Reader,
        ]
        .iter()
        .map(|ctx| {
            let rows = self
                .bindings
                .iter()
                .filter(|b| b.context == *ctx)
                .map(|b| {
                    let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
                    (keys.join(", "), b.description)
                })
                .collect();
            (ctx.title(), rows)
        })
        .collect()
    }
}

/// The actions `[keys]` in the config can rebind, by name, in the order the docs list them: the
/// one list of action names (the config's check, its example and the docs read it). Every action
/// of the key table but `CloseHelp` (the overlays close with their own keys) is here; a test
/// checks both ways.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("down", Action::Down),
    ("up", Action::Up),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("choose", Action::Choose),
    ("back", Action::Back),
    ("next_article", Action::NextArticle),
    ("prev_article", Action::PrevArticle),
    ("focus_next", Action::FocusNext),
    ("focus_prev", Action::FocusPrev),
    ("jump_to_tree", Action::JumpToTree),
    ("toggle_collapse", Action::ToggleCollapse),
    ("toggle_help", Action::ToggleHelp),
    ("quit", Action::Quit),
    ("refresh", Action::Refresh),
    ("refresh_all", Action::RefreshAll),
    ("toggle_sources", Action::ToggleSources),
    ("open_link", Action::OpenLink),
    ("show_links", Action::ShowLinks),
    ("toggle_full", Action::ToggleFull),
    ("search", Action::StartSearch),
    ("next_match", Action::NextMatch),
    ("prev_match", Action::PrevMatch),
    ("toggle_unread_only", Action::ToggleUnreadOnly),
    ("toggle_read", Action::ToggleRead),
    ("toggle_star", Action::ToggleStar),
    ("mark_all_read", Action::MarkAllRead),
    ("undo_mark_all", Action::UndoMarkAll),
];

/// [`ACTION_NAMES`] as a list.
pub fn action_names() -> Vec<(&'static str, Action)> {
    ACTION_NAMES.to_vec()
}

/// The action a config name stands for.
pub fn action_named(name: &str) -> Option<Action> {
    ACTION_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| a.clone())
}

/// A key name [`parse_key`] cannot read (as written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a key (a character such as q, G or /, or a name such as Enter, Esc, Tab, Space, \
     Up, PgDn, Home, F1, optionally after ctrl-, alt- or shift-)"
)]
pub struct KeyError(pub String);

/// Why [`Keymap::with_overrides`] refused the config's `[keys]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("unknown action '{0}' (actions: {list})", list = action_list())]
    UnknownAction(String),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("'{0}' and '{1}' are the same action")]
    SameAction(String, String),
    #[error("the key {key} is given to both {first} and {second}")]
    Clash {
        key: String,
        first: String,
        second: String,
    },
}

/// Every action name, comma-separated, for messages.
pub fn action_list() -> String {
    let names: Vec<&str> = ACTION_NAMES.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

/// Parses a key as the config writes it: a character (`q`, `G`, `/`), a name (`Enter`, `Esc`,
/// `Tab`, `Space`, `Up`, `PgDn`, `Home`, `F5`…, case-insensitive; also the help's `↑` and
/// `Shift-Tab`), with `ctrl-`, `alt-` and `shift-` prefixes (`ctrl-c`, `shift-tab`). Shift with a
/// letter is the capital letter, as the terminal sends it.
pub fn parse_key(text: &str) -> Result<Key, KeyError> {
    let bad = || KeyError(text.to_string());
    let mut rest = if text == " " { text } else { text.trim() };
    let mut modifiers = KeyModifiers::NONE;
    while rest.chars().count() > 1 {
        let Some(sep) = rest.find(['-', '+']).filter(|&i| i > 0) else {
            break;
        };
        let m = match rest[..sep].to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" | "a" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => break,
        };
        if rest.len() == sep + 1 {
            break; // `ctrl-` alone: not a modifier
        }
        modifiers |= m;
        rest = &rest[sep + 1..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (None, _) => return Err(bad()),
        (Some(c), None) => match c {
            '↑' => KeyCode::Up,
            '↓' => KeyCode::Down,
            '←' => KeyCode::Left,
            '→' => KeyCode::Right,
            c if c.is_control() => return Err(bad()),
            c => KeyCode::Char(c),
        },
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" | "ret" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" | "spc" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" | "page_up" => KeyCode::PageUp,
            "pgdn" | "pgdown" | "pagedown" | "page_down" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            name => match name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n @ 1..=24) => KeyCode::F(n),
                _ => return Err(bad()),
            },
        },
    };
    // Normalize as `Key::from_event` does, so the parsed key equals the pressed one.
    let key = match code {
        KeyCode::Char(c) => {
            let shift = modifiers.contains(KeyModifiers::SHIFT);
            modifiers.remove(KeyModifiers::SHIFT);
            let c = if modifiers.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else if shift {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            };
            Key {
                code: KeyCode::Char(c),
                modifiers,
            }
        }
        KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
            modifiers.remove(KeyModifiers::SHIFT);
            Key {
                code: KeyCode::BackTab,
                modifiers,
            }
        }
        KeyCode::BackTab => {
            modifiers.remove(KeyModifiers::SHIFT);
            Key { code, modifiers }
        }
        code => Key { code, modifiers },
    };
    Ok(key)
}

impl Keymap {
    /// The table with some actions' keys replaced: `(action name, keys)` as in the config's
    /// `[keys]`. An action's keys are replaced in every context it appears in (an empty list
    /// unbinds it), and the keys it takes are removed from the other bindings that would shadow
    /// or hide them there. Two actions given the same key in one context is an error.
    pub fn with_overrides(
        mut self,
        overrides: &[(String, Vec<String>)],
    ) -> Result<Keymap, OverrideError> {
        let mut parsed: Vec<(&str, Action, Vec<Key>, Vec<Context>)> = Vec::new();
        for (name, keys) in overrides {
            let action =
                action_named(name).ok_or_else(|| OverrideError::UnknownAction(name.clone()))?;
            let mut ks: Vec<Key> = Vec::new();
            for k in keys {
                let k = parse_key(k)?;
                if !ks.contains(&k) {
                    ks.push(k);
                }
            }
            let contexts: Vec<Context> = self
                .bindings
                .iter()
                .filter(|b| b.action == action)
                .map(|b| b.context)
                .collect();
            if let Some(prev) = parsed.iter().find(|p| p.1 == action) {
                return Err(OverrideError::SameAction(name.clone(), prev.0.to_string()));
            }
            parsed.push((name, action, ks, contexts));
        }
        for (i, (a_name, _, a_keys, a_ctx)) in parsed.iter().enumerate() {
            for (b_name, _, b_keys, b_ctx) in &parsed[i + 1..] {
                let clash = a_keys.iter().find(|k| b_keys.contains(k));
                if let Some(k) = clash
                    && a_ctx.iter().any(|c| b_ctx.contains(c))
                {
                    return Err(OverrideError::Clash {
                        key: k.to_string(),
                        first: a_name.to_string(),
                        second: b_name.to_string(),
                    });
                }
            }
        }
        let is_pane =
            |c: Context| matches!(c, Context::Tree | Context::Headlines | Context::Reader);
        for (_, action, keys, contexts) in &parsed {
            let global = contexts.contains(&Context::Global);
            for b in &mut self.bindings {
                if b.action == *action {
                    b.keys = keys.clone();
                } else if !parsed.iter().any(|p| p.1 == b.action)
                    && (contexts.contains(&b.context) || (global && is_pane(b.context)))
                {
                    b.keys.retain(|k| !keys.contains(k));
                }
            }
        }
        self.bindings.retain(|b| !b.keys.is_empty());
        Ok(self)
    }
}

#[cfg(test)]
mod override_tests {
    use super::*;

    #[test]
    fn parses_key_names() {
        let k = |code, modifiers| Key { code, modifiers };
        assert_eq!(parse_key("q"), Ok(Key::ch('q')));
        assert_eq!(parse_key("G"), Ok(Key::ch('G')));
        assert_eq!(parse_key("/"), Ok(Key::ch('/')));
        assert_eq!(parse_key("-"), Ok(Key::ch('-')));
        assert_eq!(parse_key("ctrl-c"), Ok(Key::ctrl('c')));
        assert_eq!(parse_key("Ctrl-C"), Ok(Key::ctrl('c')));
        assert_eq!(parse_key("ctrl+x"), Ok(Key::ctrl('x')));
        assert_eq!(parse_key("ctrl--"), Ok(Key::ctrl('-')));
        assert_eq!(parse_key("shift-g"), Ok(Key::ch('G')));
        assert_eq!(
            parse_key("alt-j"),
            Ok(k(KeyCode::Char('j'), KeyModifiers::ALT))
        );
        assert_eq!(parse_key("Enter"), Ok(Key::plain(KeyCode::Enter)));
        assert_eq!(parse_key("esc"), Ok(Key::plain(KeyCode::Esc)));
        assert_eq!(parse_key("Tab"), Ok(Key::plain(KeyCode::Tab)));
        assert_eq!(parse_key("shift-tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(parse_key("Shift-Tab"), Ok(Key::plain(KeyCode::BackTab)));
        assert_eq!(parse_key("space"), Ok(Key::ch(' ')));
        assert_eq!(parse_key(" "), Ok(Key::ch(' ')));
        assert_eq!(parse_key("pgdn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(parse_key("PageUp"), Ok(Key::plain(KeyCode::PageUp)));
        assert_eq!(parse_key("up"), Ok(Key::plain(KeyCode::Up)));
        assert_eq!(parse_key("↓"), Ok(Key::plain(KeyCode::Down)));
        assert_eq!(parse_key("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert_eq!(
            parse_key("shift-up"),
            Ok(k(KeyCode::Up, KeyModifiers::SHIFT))
        );
        assert_eq!(
            parse_key("ctrl-alt-x").map(|k| k.modifiers),
            Ok(KeyModifiers::CONTROL | KeyModifiers::ALT)
        );
        for bad in ["", "ctrl-", "enterr", "F99", "hyper-x", "\u{7}", "qq"] {
            assert!(parse_key(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn every_default_key_reads_back_as_written_in_help() {
        for b in Keymap::default().bindings {
            for key in b.keys {
                assert_eq!(parse_key(&key.to_string()), Ok(key), "{key}");
            }
        }
    }

    #[test]
    fn every_action_name_is_in_the_table_and_back() {
        let km = Keymap::default();
        for (name, action) in action_names() {
            assert!(km.bindings.iter().any(|b| b.action == action), "{name}");
        }
        for b in &km.bindings {
            assert!(
                b.action == Action::CloseHelp || ACTION_NAMES.iter().any(|(_, a)| *a == b.action),
                "{:?} has no name in ACTION_NAMES",
                b.action
            );
        }
        let mut names: Vec<&str> = ACTION_NAMES.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ACTION_NAMES.len(), "a name given twice");
    }

    fn keys_of(km: &Keymap, ctx: Context, action: Action) -> Option<Vec<String>> {
        km.bindings
            .iter()
            .find(|b| b.context == ctx && b.action == action)
            .map(|b| b.keys.iter().map(Key::to_string).collect())
    }

    fn over(pairs: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        pairs
            .iter()
            .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    }

    #[test]
    fn overrides_replace_keys_everywhere_and_show_in_help() {
        let km = Keymap::default()
            .with_overrides(&over(&[("quit", &["x", "ctrl-q"]), ("down", &["n"])]))
            .unwrap();
        assert_eq!(
            keys_of(&km, Context::Global, Action::Quit),
            Some(vec!["x".into(), "Ctrl-q".into()])
        );
        for ctx in [Context::Global, Context::Reader, Context::Links] {
            assert_eq!(
                keys_of(&km, ctx, Action::Down),
                Some(vec!["n".into()]),
                "{ctx:?}"
            );
        }
        // `n` was next match: taken by `down`, so next match is left unbound.
        assert_eq!(keys_of(&km, Context::Global, Action::NextMatch), None);
        let help = km.help_sections();
        assert!(help[0].1.contains(&("x, Ctrl-q".to_string(), "quit")));
        assert!(help[0].1.contains(&("n".to_string(), "move down")));
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(&press('x'), Focus::Headlines, None),
            Some(Action::Quit)
        );
        assert_eq!(km.resolve(&press('q'), Focus::Headlines, None), None);
        assert_eq!(
            km.resolve(&press('n'), Focus::Reader, None),
            Some(Action::Down)
        );
        assert_eq!(km.resolve(&press('j'), Focus::Reader, None), None);
        // The help overlay still closes with q: Help's own bindings are not quit.
        assert_eq!(
            km.resolve(&press('q'), Focus::Reader, Some(Context::Help)),
            Some(Action::CloseHelp)
        );
    }

    #[test]
    fn a_global_override_wins_over_pane_bindings() {
        // `o` opens the link in the reader; given to search, it searches there too.
        let km = Keymap::default()
            .with_overrides(&over(&[("search", &["o"])]))
            .unwrap();
        let o = KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(&o, Focus::Reader, None),
            Some(Action::StartSearch)
        );
        assert_eq!(keys_of(&km, Context::Reader, Action::OpenLink), None);
    }

    #[test]
    fn bad_overrides_are_errors() {
        let err = |pairs: &[(&str, &[&str])]| {
            Keymap::default()
                .with_overrides(&over(pairs))
                .unwrap_err()
                .to_string()
        };
        assert!(err(&[("jump", &["j"])]).contains("unknown action 'jump'"));
        assert!(err(&[("quit", &["ctrl-"])]).contains("not a key"));
        assert_eq!(
            err(&[("quit", &["x"]), ("search", &["x"])]),
            "the key x is given to both quit and search"
        );
        // Different contexts may share a key, as Space does by default.
        assert!(
            Keymap::default()
                .with_overrides(&over(&[("toggle_collapse", &["z"]), ("page_down", &["z"])]))
                .is_ok()
        );
        assert_eq!(
            Keymap::default()
                .with_overrides(&[])
                .unwrap()
                .bindings
                .len(),
            Keymap::default().bindings.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventState;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    #[test]
    fn resolves_by_pane_then_global() {
        let km = Keymap::default();
        let r = |code, m, focus| km.resolve(&press(code, m), focus, None);
        let none = KeyModifiers::NONE;
        assert_eq!(
            r(KeyCode::Char('j'), none, Focus::Headlines),
            Some(Action::Down)
        );
        assert_eq!(r(KeyCode::Enter, none, Focus::Tree), Some(Action::Choose));
        assert_eq!(
            r(KeyCode::Char(' '), none, Focus::Tree),
            Some(Action::ToggleCollapse)
        );
        assert_eq!(
            r(KeyCode::Char(' '), none, Focus::Reader),
            Some(Action::PageDown)
        );
        // Shift is part of the character: `G` arrives as Char('G') with SHIFT.
        assert_eq!(
            r(KeyCode::Char('G'), KeyModifiers::SHIFT, Focus::Reader),
            Some(Action::Bottom)
        );
        assert_eq!(
            r(KeyCode::BackTab, KeyModifiers::SHIFT, Focus::Reader),
            Some(Action::FocusPrev)
        );
        assert_eq!(
            r(KeyCode::Char('c'), KeyModifiers::CONTROL, Focus::Tree),
            Some(Action::Quit)
        );
        assert_eq!(
            r(
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT,
                Focus::Tree
            ),
            Some(Action::Quit)
        );
        assert_eq!(r(KeyCode::Char('x'), none, Focus::Tree), None);
        assert_eq!(r(KeyCode::Char('j'), KeyModifiers::ALT, Focus::Tree), None);
    }

    #[test]
    fn releases_do_nothing_and_help_swallows_keys() {
        let km = Keymap::default();
        let mut ev = press(KeyCode::Char('q'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(km.resolve(&ev, Focus::Headlines, None), None);
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&j, Focus::Headlines, Some(Context::Help)), None);
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve(&q, Focus::Headlines, Some(Context::Help)),
            Some(Action::CloseHelp)
        );
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            km.resolve(&ctrl_c, Focus::Headlines, Some(Context::Help)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn help_and_hints_come_from_the_table() {
        let km = Keymap::default();
        let sections = km.help_sections();
        let global = &sections[0];
        assert_eq!(global.0, "Everywhere");
        assert!(global.1.contains(&("q, Ctrl-c".to_string(), "quit")));
        assert!(global.1.contains(&("Space, PgDn".to_string(), "page down")));
        let rows: usize = sections.iter().map(|s| s.1.len()).sum();
        let table = km
            .bindings
            .iter()
            .filter(|b| !matches!(b.context, Context::Help | Context::Links))
            .count();
        assert_eq!(rows, table);
        let hints = km.hints(Focus::Headlines);
        assert_eq!(hints[0], ("Enter".to_string(), "open"));
        assert!(hints.contains(&("?".to_string(), "help")));
        assert!(hints.contains(&("q".to_string(), "quit")));
    }
}
