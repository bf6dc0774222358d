//! The shell: the event loop ([`app`]), the real terminal ([`terminal`]) and the [`worker`] that
//! executes effects. [`reader`] puts them together.

pub mod app;
pub mod graphics;
pub mod terminal;
pub mod worker;

use crate::cli::SourceArgs;
use crate::core::state::{Action, Clock, SourceState, SourceStatus, State, update};
use crate::sources::fetch::Fetcher;
use app::{App, Msg};
use std::io;
use std::process::ExitCode;
use worker::Worker;

/// The full-screen reader. Sources load on the worker, so the first frame never waits for them.
pub fn reader(args: &SourceArgs, category: Option<String>) -> io::Result<ExitCode> {
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let store = args.store();
    let clock = Clock {
        now: chrono::Utc::now(),
        tz: *chrono::Local::now().offset(),
    };
    let mut state = State::new(clock, category);
    update(
        &mut state,
        Action::SourceNames(args.settings.source_names()),
    );
    if args.settings.story_marks_one {
        update(&mut state, Action::StoryMarksOne(true));
    }
    // Read and star marks from earlier runs, before any article arrives.
    if let Some(store) = &store {
        let (marks, warning) = store.load();
        update(&mut state, Action::Marks(marks));
        if let Some(w) = warning {
            update(&mut state, Action::Warn(w));
        }
    }
    let fetcher = Fetcher::new(args.fetch_options());
    let (archive, warning) = args.archive();
    if let Some(w) = warning {
        update(&mut state, Action::Warn(w));
    }
    let worker = Worker::new(
        fetcher,
        archive,
        tx.clone(),
        args.specs(),
        args.settings.clone(),
        store,
    );
    if let Err(e) = worker.start() {
        update(&mut state, Action::Warn(e));
    }
    let (terminal, guard) = terminal::setup()?;
    // Pictures: the terminal is asked before the input thread reads its answers.
    let picker = graphics::probe(args.settings.images());
    let cell = picker
        .as_ref()
        .map(|p| (p.font_size().width, p.font_size().height));
    update(&mut state, Action::ImagesAvailable(cell));
    crate::ui::picture::install(picker);
    terminal::spawn_input(tx.clone());
    terminal::spawn_signals(tx)?;
    let mut app = App::new(
        terminal,
        state,
        args.settings.keymap(),
        args.settings.theme(),
    )?;
    // For the terminal-restore test: a panic after the first frame, on request.
    if std::env::var_os("TIDINGS_PANIC_AFTER_FIRST_FRAME").is_some() {
        app.draw()?;
        panic!("TIDINGS_PANIC_AFTER_FIRST_FRAME is set: panicking on purpose");
    }
    let result = app.run(&rx, |effect| worker.execute(effect));
    // Marks are saved in the background: all of them before the process ends.
    worker.flush_marks();
    drop(guard);
    // The first screen for the next start, with the marks as they are now (saved after the
    // first load too; an unchanged one is not written again).
    if let Some(head) = app.state.head()
        && let Err(e) = worker.save_head(&head, true)
    {
        tracing::warn!("{e}");
    }
    result?;
    // As for the commands: when no source could be loaded at all, say so and exit 1.
    let sources = app.state.sources();
    let failed = |s: &&SourceStatus| matches!(s.state, SourceState::Failed(_));
    if !sources.is_empty() && sources.iter().all(|s| failed(&s)) {
        eprintln!("tidings: error: no source could be loaded");
        for s in sources.iter().filter(failed) {
            if let SourceState::Failed(why) = &s.state {
                eprintln!("tidings: {}: {why}", s.label);
            }
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// True when the reader can run: standard output is a terminal and the process has one to read
/// keys from (crossterm reads `/dev/tty` when standard input is not a terminal).
pub fn has_terminal() -> bool {
    use std::io::IsTerminal;
    io::stdout().is_terminal()
        && (io::stdin().is_terminal()
            || std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .is_ok())
}
