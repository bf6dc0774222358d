//! What the terminal tests share (`mod common;` in each): a private tmux server that runs the
//! real binary in a real pseudo-terminal, types keys at it and reads the screen back.
//!
//! The tests need `tmux` on PATH: without it they are skipped, unless `CI` is set (then they
//! fail, since the run would prove nothing).

// Each test binary uses its own part of the harness.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Points `cmd` at fresh data, config and cache folders under `home` (a user's own never leak
/// in), in UTC, from the crate root: how every test runs the binary.
pub fn isolated<'c>(cmd: &'c mut Command, home: &Path) -> &'c mut Command {
    cmd.env("TZ", "UTC")
        .env("XDG_DATA_HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_CACHE_HOME", home)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary with `args` in fresh data, config and cache folders under `home`
/// (see [`isolated`]); standard input is empty and standard output a pipe, as from a script.
pub fn tidings_in(home: &Path, args: &[&str]) -> Output {
    isolated(&mut Command::new(env!("CARGO_BIN_EXE_tidings")), home)
        .args(args)
        .output()
        .expect("runs tidings")
}

/// [`tidings_in`] a home of its own, removed afterwards: a user's own folders never leak in.
pub fn tidings(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp home");
    tidings_in(home.path(), args)
}

/// How often the screen is captured while waiting for something to appear.
pub const POLL: Duration = Duration::from_millis(50);
/// The longest any one step may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a single tmux client command may take.
pub const TMUX_TIMEOUT: Duration = Duration::from_secs(5);

/// True when tmux runs; false (with a note on stderr) when it is missing and `CI` is not set.
pub fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but tmux is not installed: the terminal tests cannot run \
             (install tmux, e.g. `apt-get install tmux`)"
        );
        eprintln!("skipping: tmux is not on PATH");
    }
    ok
}

/// A private tmux server with one session, killed when this value is dropped (also when the
/// test panics).
pub struct Tmux {
    socket: String,
    session: String,
    /// The socket file, removed on drop (tmux leaves it behind after `kill-server`).
    socket_path: Option<PathBuf>,
}

impl Tmux {
    /// Starts a server (socket `tidings-NAME-PID`) with one session, `session`, running `argv`
    /// (no shell) in `cwd`, in a `width`x`height` pane that stays after the program exits (to
    /// read its exit status), with no status line, TERM=xterm-256color, TZ=UTC, the XDG data,
    /// config, cache and state folders all `home` (a user's marks or config never change a run),
    /// then `env` (which may override those).
    ///
    /// One client command, so the options are in place before the program starts.
    pub fn start(
        name: &str,
        session: &str,
        home: &Path,
        cwd: &Path,
        env: &[(&str, &str)],
        size: (u16, u16),
        argv: &[&str],
    ) -> Tmux {
        let mut t = Tmux {
            socket: format!("tidings-{name}-{}", std::process::id()),
            session: session.to_string(),
            socket_path: None,
        };
        let home = home.to_str().expect("a UTF-8 home").to_string();
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let mut args: Vec<&str> = vec![
            "start-server",
            ";",
            "set-option",
            "-g",
            "default-terminal",
            "xterm-256color",
            ";",
            "set-option",
            "-g",
            "status",
            "off",
            ";",
            "set-option",
            "-wg",
            "remain-on-exit",
            "on",
            ";",
        ];
        let mut all_env: Vec<(&str, &str)> = vec![
            ("TZ", "UTC"),
            ("XDG_DATA_HOME", &home),
            ("XDG_CONFIG_HOME", &home),
            ("XDG_CACHE_HOME", &home),
            ("XDG_STATE_HOME", &home),
        ];
        all_env.extend_from_slice(env);
        for (k, v) in &all_env {
            args.extend_from_slice(&["set-environment", "-g", k, v, ";"]);
        }
        let cwd = cwd.to_str().expect("a UTF-8 folder");
        args.extend_from_slice(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &w,
            "-y",
            &h,
            "-c",
            cwd,
            "--",
        ]);
        args.extend_from_slice(argv);
        t.run(&args);
        let socket = t.display("#{socket_path}");
        t.socket_path = Some(PathBuf::from(socket));
        t
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        // `-f /dev/null`: no user configuration; `-L`: a server of our own, not the user's.
        cmd.args(["-u", "-f", "/dev/null", "-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs a tmux client command; panics if it fails or takes longer than `TMUX_TIMEOUT`.
    pub fn run(&self, args: &[&str]) -> String {
        let child = self
            .command(args)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run tmux {args:?}: {e}"));
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        let out: Output = rx
            .recv_timeout(TMUX_TIMEOUT)
            .unwrap_or_else(|_| panic!("tmux {args:?} took over {TMUX_TIMEOUT:?}"))
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        assert!(
            out.status.success(),
            "tmux {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("tmux output is UTF-8")
    }

    /// A `display-message` format (`#{pane_dead}`, `#{alternate_on}`…) for the session's pane.
    pub fn display(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", &self.session, format])
            .trim_end()
            .to_string()
    }

    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// The screen, with its SGR escapes when `escapes`.
    pub fn capture(&self, escapes: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", &self.session];
        if escapes {
            args.push("-e");
        }
        self.run(&args)
    }

    /// "<pane_dead> <pane_dead_status>", e.g. "0 " while running, "1 0" after a clean exit.
    pub fn pane_state(&self) -> String {
        self.display("#{pane_dead} #{pane_dead_status}")
    }

    /// Waits until the program has exited and returns "1 STATUS" (e.g. "1 0"); panics after
    /// `STEP_TIMEOUT` with the screen.
    pub fn wait_exit(&self) -> String {
        let server_pid = self.display("#{pid}");
        let start = Instant::now();
        loop {
            let state = self.pane_state();
            if state.starts_with("1 ") && state.len() > 2 {
                return state;
            }
            if state == "1" {
                // Dead (the pty is closed) but not reaped yet. The tmux server sometimes never
                // sees the SIGCHLD (libutempter installs its own handler while a pane is
                // spawned, see tmux/tmux#311) and the exit status then never appears; another
                // SIGCHLD makes it reap. `kill` is the shell's builtin; the pid comes from tmux,
                // as an argument.
                let _ = Command::new("sh")
                    .args(["-c", "kill -s CHLD \"$1\"", "sh", &server_pid])
                    .status();
            }
            assert!(
                start.elapsed() < STEP_TIMEOUT,
                "the program did not exit (pane dead/status {state:?}); screen:\n{}",
                self.capture(false)
            );
            std::thread::sleep(POLL);
        }
    }

    /// Captures the screen every `POLL` until `ready` holds for two identical captures in a row
    /// (so a frame that is half written is never used); panics with the last screen after
    /// `STEP_TIMEOUT`.
    pub fn wait_until(&self, escapes: bool, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous: Option<String> = None;
        loop {
            let text = self.capture(escapes);
            let ok = ready(&text);
            if ok && previous.as_deref() == Some(text.as_str()) {
                return text;
            }
            if start.elapsed() > STEP_TIMEOUT {
                panic!(
                    "timed out after {STEP_TIMEOUT:?} waiting for: {what}\n\
                     pane dead/status: {:?}\nlast screen:\n{}",
                    self.pane_state(),
                    if escapes {
                        text.replace('\x1b', "^[")
                    } else {
                        text
                    },
                );
            }
            previous = ok.then_some(text);
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]).output();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}
