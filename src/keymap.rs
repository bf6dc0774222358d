//! Keybindings as data: (context, key) -> action with a description. `resolve` looks keys up;
//! the help overlay and the status-line hints are generated from the same table.

use crate::core::geometry::Focus;
use crate::core::help::HelpSection;
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
    /// The search box while it is open (typed characters go into it).
    Search,
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
            Context::Search => "Search",
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
        use crate::core::state::SearchKey as S;
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
                b(Search,    &[p(K::Enter)],                      A::SearchInput(S::Accept),    "(in the box) keep the search",  None),
                b(Search,    &[p(K::Esc), Key::ctrl('u')],        A::SearchInput(S::Cancel),    "(in the box) clear the search", None),
                b(Search,    &[p(K::Backspace)],                  A::SearchInput(S::Backspace), "(in the box) delete backwards", None),
                b(Search,    &[p(K::Delete)],                     A::SearchInput(S::Delete),    "(in the box) delete forwards",  None),
                b(Search,    &[p(K::Left)],                       A::SearchInput(S::Left),      "(in the box) cursor left",      None),
                b(Search,    &[p(K::Right)],                      A::SearchInput(S::Right),     "(in the box) cursor right",     None),
                b(Search,    &[p(K::Home)],                       A::SearchInput(S::Home),      "(in the box) to the start",     None),
                b(Search,    &[p(K::End)],                        A::SearchInput(S::End),       "(in the box) to the end",       None),
                b(Global,    &[c('u')],                           A::ToggleUnreadOnly, "unread only",          None),
                b(Global,    &[c('m')],                           A::ToggleRead,       "mark read / unread",   None),
                b(Global,    &[c('s')],                           A::ToggleStar,       "star / unstar",        None),
                b(Global,    &[c('A')],                           A::MarkAllRead,      "mark all shown read",  None),
                b(Global,    &[c('U')],                           A::UndoMarkAll,      "undo mark all",        None),
                b(Global,    &[c('<')],                           A::NarrowerList,     "headline list narrower", None),
                b(Global,    &[c('>')],                           A::WiderList,        "headline list wider",  None),
                b(Global,    &[c('Z')],                           A::ToggleZoom,       "the reader alone on screen, or back", Some("zoom")),
                b(Links,     &[c('j'), p(K::Down)],               A::Down,             "next link",            None),
                b(Links,     &[c('k'), p(K::Up)],                 A::Up,               "previous link",        None),
                b(Links,     &[p(K::Enter), c('o')],              A::Choose,           "open the link",        None),
                b(Links,     &[p(K::Esc), c('L'), c('q')],        A::CloseHelp,        "close",                None),
                b(Reader,    &[c('o')],                           A::OpenLink,         "open in the browser",  Some("browser")),
                b(Reader,    &[c('L')],                           A::ShowLinks,        "list its links",       Some("links")),
                b(Reader,    &[c('f')],                           A::ToggleFull,       "full story / summary", Some("full story")),
                b(Help,      &[p(K::Esc), c('?'), c('q')],        A::CloseHelp,        "close help",           None),
                b(Help,      &[c('j'), p(K::Down)],               A::Down,             "scroll down",          None),
                b(Help,      &[c('k'), p(K::Up)],                 A::Up,               "scroll up",            None),
                b(Help,      &[c(' '), p(K::PageDown)],           A::PageDown,         "page down",            None),
                b(Help,      &[c('b'), p(K::PageUp)],             A::PageUp,           "page up",              None),
                b(Help,      &[c('g'), p(K::Home)],               A::Top,              "top",                  None),
                b(Help,      &[c('G'), p(K::End)],                A::Bottom,           "end",                  None),
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
                b(Headlines, &[c('z')],                           A::ToggleStory,      "unfold or fold the story", None),
                b(Global,    &[c('v')],                           A::NextVersion,      "next version of the story", None),
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

    /// The action for a key press while the search box is open: the table's `Search` keys, any
    /// other character typed into the box; Ctrl-C still quits.
    pub fn resolve_search(&self, ev: &KeyEvent) -> Option<Action> {
        use crate::core::state::SearchKey;
        if ev.kind != KeyEventKind::Press {
            return None;
        }
        let key = Key::from_event(ev);
        if key == Key::ctrl('c') {
            return Some(Action::Quit);
        }
        let bound = self
            .bindings
            .iter()
            .find(|b| b.context == Context::Search && b.keys.contains(&key));
        match (bound, key.code) {
            (Some(b), _) => Some(b.action.clone()),
            (None, KeyCode::Char(c))
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(Action::SearchInput(SearchKey::Char(c)))
            }
            _ => None,
        }
    }

    /// The status line's hints for a pane: the pane's, then the global ones, in table order,
    /// each with how long it stays when the line is short (see [`Hint::keep`]).
    pub fn hints(&self, focus: Focus) -> Vec<Hint> {
        [Context::of(focus), Context::Global]
            .iter()
            .flat_map(|ctx| self.bindings.iter().filter(move |b| b.context == *ctx))
            .filter_map(|b| {
                Some(Hint {
                    key: b.keys.first()?.to_string(),
                    what: b.hint?,
                    keep: hint_keep(&b.action),
                })
            })
            .collect()
    }

    /// The help overlay's sections, grouped by pane and concern, each row `(keys,
    /// description)` in table order: what is everywhere, the panes' own keys, search (with the
    /// search box's keys), marks, the panes' sizes, sources, the links list and the help itself.
    pub fn help_table(&self) -> Vec<HelpSection> {
        use Action as A;
        let group = |b: &Binding| -> &'static str {
            match (b.context, &b.action) {
                (Context::Global, A::StartSearch | A::NextMatch | A::PrevMatch)
                | (Context::Search, _) => "Search",
                (
                    Context::Global,
                    A::ToggleUnreadOnly
                    | A::ToggleRead
                    | A::ToggleStar
                    | A::MarkAllRead
                    | A::UndoMarkAll,
                ) => "Marks",
                (Context::Global, A::NarrowerList | A::WiderList | A::ToggleZoom) => "Panes",
                (Context::Global, A::Refresh | A::RefreshAll | A::ToggleSources) => "Sources",
                (Context::Help, _) => "In this help and the sources view",
                (Context::Links, _) => "In the links list (L)",
                (ctx, _) => ctx.title(),
            }
        };
        let order = [
            Context::Global.title(),
            Context::Tree.title(),
            Context::Headlines.title(),
            Context::Reader.title(),
            "Search",
            "Marks",
            "Panes",
            "Sources",
            "In the links list (L)",
            "In this help and the sources view",
        ];
        let mut sections: Vec<HelpSection> = order
            .iter()
            .map(|t| HelpSection {
                title: t.to_string(),
                rows: Vec::new(),
            })
            .collect();
        for b in &self.bindings {
            let title = group(b);
            if let Some(s) = sections.iter_mut().find(|s| s.title == title) {
                let keys: Vec<String> = b.keys.iter().map(Key::to_string).collect();
                s.rows.push((keys.join(", "), b.description.to_string()));
            }
        }
        sections.retain(|s| !s.rows.is_empty());
        sections
    }
}

/// One hint of the status line: `key what` (`? help`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub what: &'static str,
    /// When the line is short, hints go lowest `keep` first; [`KEEP_ALWAYS`] never goes.
    pub keep: u8,
}

/// The `keep` of the help hint: it always stays.
pub const KEEP_ALWAYS: u8 = u8::MAX;

/// How useful a hint is to someone who does not know the keys yet: help above all, then how
/// to leave, how to go in and out, search; moving between panes last (it is in the help).
fn hint_keep(action: &Action) -> u8 {
    use Action as A;
    match action {
        A::ToggleHelp => KEEP_ALWAYS,
        A::Quit => 90,
        A::Choose => 80,
        A::Back => 70,
        A::StartSearch => 60,
        A::ToggleSources => 50,
        A::ToggleFull => 45,
        A::ShowLinks => 40,
        A::OpenLink => 38,
        A::ToggleCollapse => 35,
        A::ToggleZoom => 30,
        A::NextArticle => 20,
        A::FocusNext => 10,
        _ => 25,
    }
}

/// The actions `[keys]` in the config can rebind, by name, in the order the docs list them: the
/// one list of action names (the config's check, its example and the docs read it). Every action
/// of the key table but `CloseHelp` (the overlays close with their own keys) and the search
/// box's editing keys is here; a test
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
    ("narrower_list", Action::NarrowerList),
    ("wider_list", Action::WiderList),
    ("zoom", Action::ToggleZoom),
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
    ("toggle_story", Action::ToggleStory),
    ("next_version", Action::NextVersion),
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
#[path = "keymap_tests.rs"]
mod tests;
