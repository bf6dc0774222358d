#!/usr/bin/env python3
"""Starts a command in a tmux pane and times how long it takes to show text matching a regex.

Usage: screen_time.py SESSION WIDTH HEIGHT REGEX TIMEOUT COMMAND

Makes session SESSION (WIDTH x HEIGHT) holding a placeholder, attaches one tmux control-mode
client (`tmux -C`), then starts COMMAND in the pane (`respawn-pane`) and reads the pane every
POLL seconds (default 0.005) with `capture-pane` on that same connection, until a line matches
REGEX. Prints the milliseconds from the respawn to the match, or -1 if there is none within
TIMEOUT seconds. The session is left running (the caller quits the program and kills it).

Why not `tmux capture-pane | grep` in a shell loop: that starts two processes per look, and at
a look every 3 ms it took so much of a 2-core machine that the reader itself finished its cold
start 0.5-0.6 s later (by its own timestamps); at one every 20 ms still 0.2-0.3 s later. Why the
placeholder: the client attaches before the clock starts, so its start-up is not timed.
"""
import os
import re
import select
import subprocess
import sys
import time


def quoted(s):
    """A tmux command-line argument."""
    return "'" + s.replace("'", "'\\''") + "'"


def main():
    session, width, height, regex, timeout, command = sys.argv[1:7]
    pattern = re.compile(regex)
    interval = float(os.environ.get("POLL", "0.005"))
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", width, "-y", height, "sleep 600"],
        check=True,
    )
    client = subprocess.Popen(
        ["tmux", "-C", "attach", "-t", session],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        bufsize=0,
    )
    pending = b""

    def send(cmd):
        client.stdin.write((cmd + "\n").encode())

    def reply():
        """The lines of the next %begin ... %end block (None when the client is gone)."""
        nonlocal pending
        lines, inside = [], False
        while True:
            while b"\n" not in pending:
                ready, _, _ = select.select([client.stdout], [], [], 2.0)
                chunk = os.read(client.stdout.fileno(), 65536) if ready else b""
                if not chunk:
                    return None
                pending += chunk
            raw, pending = pending.split(b"\n", 1)
            line = raw.decode("utf-8", "replace")
            if line.startswith("%begin"):
                inside, lines = True, []
            elif inside and (line.startswith("%end") or line.startswith("%error")):
                return lines
            elif inside:
                lines.append(line)

    # The attach is done when a first command is answered.
    send("display-message -p ready")
    reply()
    target = f"{session}:0.0"
    start = time.monotonic_ns()
    send(f"respawn-pane -k -t {target} {quoted(command)}")
    reply()
    deadline = time.monotonic() + float(timeout)
    found = False
    try:
        while not found and time.monotonic() < deadline:
            send(f"capture-pane -p -t {target}")
            lines = reply()
            if lines is None:
                break
            found = any(pattern.search(line) for line in lines)
            if not found:
                time.sleep(interval)
    except BrokenPipeError:
        pass
    end = time.monotonic_ns()
    client.kill()
    print((end - start) // 1_000_000 if found else -1)


main()
