//! Tests of the key table: resolving keys, overrides from the config, help and hints.

use super::*;

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
                b.action == Action::CloseHelp
                    || matches!(b.action, Action::SearchInput(_))
                    || ACTION_NAMES.iter().any(|(_, a)| *a == b.action),
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
        let help = km.help_table();
        assert!(help[0].rows.contains(&("x, Ctrl-q".into(), "quit".into())));
        assert!(help[0].rows.contains(&("n".into(), "move down".into())));
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

mod table_tests {
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
        // Over the help, a key of the panes does nothing (`j` scrolls the help instead).
        let o = press(KeyCode::Char('o'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&o, Focus::Reader, Some(Context::Help)), None);
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
        let sections = km.help_table();
        let titles: Vec<&str> = sections.iter().map(|s| &*s.title).collect();
        assert_eq!(
            titles,
            [
                "Everywhere",
                "Categories",
                "Headlines",
                "Reader",
                "Search",
                "Marks",
                "Panes",
                "Sources",
                "In the links list (L)",
                "In this help and the sources view",
            ]
        );
        let row = |k: &str, d: &str| (k.to_string(), d.to_string());
        let global = &sections[0];
        assert!(global.rows.contains(&row("q, Ctrl-c", "quit")));
        assert!(global.rows.contains(&row("?", "show this help")));
        assert!(global.rows.contains(&row("Space, PgDn", "page down")));
        assert!(sections[4].rows.contains(&row("/", "search")));
        assert!(sections[5].rows.contains(&row("s", "star / unstar")));
        assert!(sections[7].rows.contains(&row("S", "show the sources")));
        // Every binding is in the help once, the search box's keys with the other search keys.
        let rows: usize = sections.iter().map(|s| s.rows.len()).sum();
        assert_eq!(rows, km.bindings.len());
        assert!(
            sections[4]
                .rows
                .contains(&row("Esc, Ctrl-u", "(in the box) clear the search"))
        );
        let hints = km.hints(Focus::Headlines);
        let pairs: Vec<(&str, &str)> = hints.iter().map(|h| (h.key.as_str(), h.what)).collect();
        assert_eq!(pairs[0], ("Enter", "open"));
        assert!(pairs.contains(&("?", "help")));
        assert!(pairs.contains(&("q", "quit")));
        // Help is the one hint that never goes; moving between panes goes first.
        let keep = |what: &str| hints.iter().find(|h| h.what == what).unwrap().keep;
        assert_eq!(keep("help"), KEEP_ALWAYS);
        assert!(hints.iter().filter(|h| h.keep == KEEP_ALWAYS).count() == 1);
        assert!(keep("pane") < keep("next") && keep("next") < keep("search"));
        assert!(keep("search") < keep("open") && keep("open") < keep("quit"));
    }

    #[test]
    fn layout_keys_are_free_and_reach_their_actions() {
        let km = Keymap::default();
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        for focus in [Focus::Tree, Focus::Headlines, Focus::Reader] {
            assert_eq!(
                km.resolve(&press('<'), focus, None),
                Some(Action::NarrowerList)
            );
            assert_eq!(
                km.resolve(&press('>'), focus, None),
                Some(Action::WiderList)
            );
            assert_eq!(
                km.resolve(&press('Z'), focus, None),
                Some(Action::ToggleZoom)
            );
            // `z` folds and unfolds stories in the headline list, and is free elsewhere.
            let z = (focus == Focus::Headlines).then_some(Action::ToggleStory);
            assert_eq!(km.resolve(&press('z'), focus, None), z);
            assert_eq!(
                km.resolve(&press('v'), focus, None),
                Some(Action::NextVersion)
            );
        }
        // The help and the sources view scroll with the list keys.
        for (c, a) in [
            ('j', Action::Down),
            ('k', Action::Up),
            ('G', Action::Bottom),
        ] {
            assert_eq!(
                km.resolve(&press(c), Focus::Headlines, Some(Context::Help)),
                Some(a)
            );
        }
    }

    #[test]
    fn the_search_box_keys_come_from_the_table() {
        use crate::core::state::SearchKey as S;
        let km = Keymap::default();
        let r = |code, m| km.resolve_search(&press(code, m));
        let none = KeyModifiers::NONE;
        let input = |k| Some(Action::SearchInput(k));
        // Every character is text in the box, even those that are keys elsewhere.
        for c in ['q', '/', 'Z', 'é', ' '] {
            assert_eq!(r(KeyCode::Char(c), none), input(S::Char(c)), "{c}");
        }
        assert_eq!(
            r(KeyCode::Char('A'), KeyModifiers::SHIFT),
            input(S::Char('A'))
        );
        assert_eq!(r(KeyCode::Enter, none), input(S::Accept));
        assert_eq!(r(KeyCode::Esc, none), input(S::Cancel));
        assert_eq!(
            r(KeyCode::Char('u'), KeyModifiers::CONTROL),
            input(S::Cancel)
        );
        assert_eq!(r(KeyCode::Backspace, none), input(S::Backspace));
        assert_eq!(r(KeyCode::End, none), input(S::End));
        assert_eq!(
            r(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Quit)
        );
        assert_eq!(r(KeyCode::Char('x'), KeyModifiers::ALT), None);
        assert_eq!(r(KeyCode::Tab, none), None);
        let mut release = press(KeyCode::Enter, none);
        release.kind = KeyEventKind::Release;
        assert_eq!(km.resolve_search(&release), None);
    }
}
