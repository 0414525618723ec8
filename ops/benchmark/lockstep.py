"""Two centres' pages measured in the same run, taking turns page by page, so that whatever else the
machine is doing weighs on both alike (`manage.py benchmark --existing DIR --alongside URL DIR2`).

Each centre is measured by a process of its own (its own database, keys and files). Before each
timed page, download or sign-in, a measuring process writes the page's name on its line to the
conductor and waits for "go"; the conductor lets one process measure while the other waits, then
the other, first one and then the other going first in turn (A B, B A, A B, ...), and checks that
both measure the same pages in the same order.
"""

import os
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import IO

END = "(end)"


class Pacer:
    """The measuring process's side: `pace(name)` announces the next page and waits for its turn;
    `end()` says there is nothing more."""

    def __init__(self, fds: str):
        reading, writing = (int(fd) for fd in fds.split(","))
        self._turns = os.fdopen(reading, "r", encoding="utf-8")
        self._names = os.fdopen(writing, "w", encoding="utf-8")

    def __call__(self, name: str) -> None:
        self._names.write(name.replace("\n", " ") + "\n")
        self._names.flush()
        if self._turns.readline().strip() != "go":
            raise RuntimeError("the conductor of the alternating benchmark went away")

    def end(self) -> None:
        self._names.write(END + "\n")
        self._names.flush()
        self._names.close()
        self._turns.close()


class Turns:
    """The conductor's side of one measuring process: its pipes, and what it said last."""

    def __init__(self, label: str, names: IO[str], turns: IO[str]):
        self.label = label
        self._names = names
        self._turns = turns
        self.next = ""

    def hear(self) -> str:
        line = self._names.readline()
        if not line:
            raise RuntimeError(f"the measurement of {self.label} stopped before it finished")
        self.next = line.rstrip("\n")
        return self.next

    def go(self) -> None:
        self._turns.write("go\n")
        self._turns.flush()

    def close(self) -> None:
        for pipe in (self._turns, self._names):
            with suppress(BrokenPipeError):  # the process ended first
                pipe.close()


def conduct(runs: Sequence[Turns], on_turn: Callable[[str, str], None] = lambda label, name: None) -> list[str]:
    """Lets each run measure the same next page in turn, the first going first and then the last,
    until every run has ended. Returns the names of the pages, in order."""
    done: list[str] = []
    for run in runs:
        run.hear()
    while any(run.next != END for run in runs):
        names = {run.next for run in runs}
        if len(names) != 1:
            raise RuntimeError("the centres' runs measure different pages: "
                               + "; ".join(f"{run.label}: {run.next}" for run in runs))
        name = names.pop()
        order = runs if len(done) % 2 == 0 else list(reversed(runs))
        for run in order:
            on_turn(run.label, name)
            run.go()
            run.hear()
        done.append(name)
    return done


def pipes() -> tuple[tuple[int, int], tuple[int, int]]:
    """Two pipes for one measuring process: (its end, the conductor's end) of the turns it is given
    and of the names it announces."""
    turns_read, turns_write = os.pipe()
    names_read, names_write = os.pipe()
    return (turns_read, names_write), (names_read, turns_write)


def measure_alongside(jobs: Sequence[tuple[str, list[str], dict[str, str], IO[str]]],
                      on_turn: Callable[[str, str], None] = lambda label, name: None) -> None:
    """Starts one measuring process per job (label, command, environment, log) with `--pace=R,W`
    added to its command, and conducts their turns until both end. Raises if any fails."""
    import subprocess

    started: list[tuple[str, subprocess.Popen, IO[str]]] = []
    runs = []
    try:
        for label, command, env, log in jobs:
            (its_read, its_write), (our_read, our_write) = pipes()
            process = subprocess.Popen([*command, f"--pace={its_read},{its_write}"], env=env, stdout=log,
                                       stderr=subprocess.STDOUT, pass_fds=(its_read, its_write))
            os.close(its_read)
            os.close(its_write)
            started.append((label, process, log))
            runs.append(Turns(label, os.fdopen(our_read, "r", encoding="utf-8"), os.fdopen(our_write, "w", encoding="utf-8")))
        conduct(runs, on_turn)
    finally:
        for run in runs:
            run.close()
        failed = [label for label, process, _log in started if process.wait() != 0]
    if failed:
        raise RuntimeError(f"the measurement of {', '.join(failed)} failed; see its log")
