//! The real terminal: raw mode, alternate screen and mouse capture on; always undone, on quit,
//! on error (the guard's `Drop`), on panic (a hook) and on SIGTERM/SIGHUP/SIGINT (they become a
//! quit message, so the loop ends and the guard restores).

use super::app::Msg;
use crate::core::state::Action;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};
use std::io::{self, Stdout};
use std::sync::mpsc::Sender;

/// Undoes every terminal mode tidings sets. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Sets the terminal up; the returned guard restores it.
pub fn setup() -> io::Result<(Terminal<CrosstermBackend<Stdout>>, Guard)> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}

/// Reads terminal events on a thread of its own and sends them on.
pub fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        while let Ok(ev) = ratatui::crossterm::event::read() {
            if tx.send(Msg::Term(ev)).is_err() {
                break;
            }
        }
    });
}

/// Turns SIGTERM, SIGHUP and SIGINT into a quit message.
pub fn spawn_signals(tx: Sender<Msg>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Msg::Action(Action::Quit));
        }
    });
    Ok(())
}

/// The command that opens `url` from `$BROWSER` (the first of its `:`-separated choices, split on
/// whitespace; a `%s` argument becomes the URL, else the URL is appended). The URL is always one
/// argument of its own: no shell ever sees it.
pub fn browser_command(browser: &str, url: &str) -> Option<(String, Vec<String>)> {
    let choice = browser.split(':').find(|c| !c.trim().is_empty())?;
    let mut words = choice.split_whitespace().map(String::from);
    let program = words.next()?;
    let mut args: Vec<String> = words.collect();
    match args.iter_mut().find(|a| a.as_str() == "%s") {
        Some(a) => *a = url.to_string(),
        None => args.push(url.to_string()),
    }
    Some((program, args))
}

/// Opens a URL (http, https or mailto only): with `$BROWSER` when set, handing it the terminal
/// and taking it back afterwards (terminal browsers work; the app then draws the whole screen
/// again), else with the system opener, detached.
pub fn open_url(url: &str) -> Result<(), String> {
    if !crate::core::state::openable(url) {
        return Err(format!(
            "not opening '{url}': only http, https and mailto links open"
        ));
    }
    let browser = std::env::var("BROWSER").unwrap_or_default();
    match browser_command(&browser, url) {
        Some((program, args)) => {
            restore();
            let status = std::process::Command::new(&program).args(&args).status();
            let _ = enable_raw_mode();
            let _ = execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture);
            match status {
                Ok(s) if s.success() => Ok(()),
                Ok(s) => Err(format!("{program} exited with {s}")),
                Err(e) => Err(format!("cannot run {program}: {e}")),
            }
        }
        None => open::that_detached(url).map_err(|e| format!("cannot open {url}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::browser_command;

    #[test]
    fn browser_commands_keep_the_url_one_argument() {
        let url = "https://example.com/a b;rm -rf ~";
        assert_eq!(
            browser_command("firefox --new-tab", url),
            Some(("firefox".into(), vec!["--new-tab".into(), url.into()]))
        );
        assert_eq!(
            browser_command("w3m:lynx", url),
            Some(("w3m".into(), vec![url.into()]))
        );
        assert_eq!(
            browser_command("links -g %s -x", url),
            Some(("links".into(), vec!["-g".into(), url.into(), "-x".into()]))
        );
        assert_eq!(browser_command("", url), None);
        assert_eq!(browser_command("  :  ", url), None);
    }
}
