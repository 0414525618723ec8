"""The benchmark against centres generated before and kept (`benchmark --existing DIR --alongside URL
DIR2`): the two centres' pages measured in turns, page by page, so that other work on the machine
weighs on both alike (ops/benchmark/lockstep.py)."""

import os
import threading

import pytest
from django.core.management import CommandError, call_command

from ops.benchmark.lockstep import END, Pacer, Turns, conduct, pipes
from ops.benchmark.production_env import centre_env


def _measuring(label: str, names: list[str], measured: list[tuple[str, str]], *, finish: bool = True) -> Turns:
    """A stand-in for one measuring process, in a thread: it announces each page, waits for its
    turn, and notes that it measured it."""
    (its_read, its_write), (our_read, our_write) = pipes()

    def work() -> None:
        pacer = Pacer(f"{its_read},{its_write}")
        try:
            for name in names:
                pacer(name)
                measured.append((label, name))
        except RuntimeError:  # the conductor stopped: what a measuring process does then
            return
        if finish:
            pacer.end()
        else:  # dies part-way, as a process does: its ends of the pipes closed
            pacer.end = lambda: None  # type: ignore[method-assign]
            pacer._names.close()
            pacer._turns.close()

    threading.Thread(target=work, daemon=True).start()
    return Turns(label, os.fdopen(our_read, "r", encoding="utf-8"), os.fdopen(our_write, "w", encoding="utf-8"))


def test_two_centres_take_turns_page_by_page_each_going_first_in_turn():
    measured: list[tuple[str, str]] = []
    pages = ["baseline", "home", "queue", "one sign-in"]
    runs = [_measuring("1,000", pages, measured), _measuring("10,000", pages, measured)]

    assert conduct(runs) == pages
    assert measured == [
        ("1,000", "baseline"), ("10,000", "baseline"),
        ("10,000", "home"), ("1,000", "home"),
        ("1,000", "queue"), ("10,000", "queue"),
        ("10,000", "one sign-in"), ("1,000", "one sign-in"),
    ]
    assert all(run.next == END for run in runs)
    for run in runs:
        run.close()


def test_centres_whose_runs_measure_different_pages_are_stopped_at_the_first_difference():
    measured: list[tuple[str, str]] = []
    runs = [_measuring("small", ["baseline", "home", "claims"], measured),
            _measuring("large", ["baseline", "home", "report"], measured)]

    with pytest.raises(RuntimeError, match="small: claims; large: report"):
        conduct(runs)
    for run in runs:
        run.close()
    assert ("small", "claims") not in measured and ("large", "report") not in measured


def test_a_measuring_process_that_stops_part_way_is_reported():
    measured: list[tuple[str, str]] = []
    runs = [_measuring("small", ["baseline", "home"], measured),
            _measuring("large", ["baseline", "home"], measured, finish=False)]

    with pytest.raises(RuntimeError, match="the measurement of large stopped before it finished"):
        conduct(runs)
    for run in runs:
        run.close()


def test_a_kept_centre_is_measured_with_the_keys_it_was_signed_with(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "sign-in.json").write_text("{}", encoding="utf-8")
    (tmp_path / "keys.env").write_text("DJANGO_SECRET_KEY=secret-of-that-centre\nPORTFOLIO_BACKUP_KEY=its-backup-key\n",
                                       encoding="utf-8")

    env = centre_env(tmp_path, "postgres://portfolio@127.0.0.1:55432/centre1k", site_url="http://127.0.0.1:8000",
                     hosts="testserver")

    assert env["DATABASE_URL"] == "postgres://portfolio@127.0.0.1:55432/centre1k"
    assert env["DJANGO_SECRET_KEY"] == "secret-of-that-centre" and env["PORTFOLIO_BACKUP_KEY"] == "its-backup-key"
    assert env["PORTFOLIO_EVIDENCE_ROOT"] == str(tmp_path / "var" / "evidence")
    assert env["DJANGO_DEBUG"] == "false"


def test_existing_refuses_a_folder_that_is_not_a_kept_centre(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://portfolio@127.0.0.1:1/nothing")
    with pytest.raises(CommandError, match=r"has no sign-in\.json"):
        call_command("benchmark", existing=str(tmp_path), output=str(tmp_path / "out.json"))
    assert not (tmp_path / "out.json").exists()


def test_alongside_is_for_two_existing_centres_each_with_its_own_output(tmp_path):
    with pytest.raises(CommandError, match="give --existing and --alongside-output too"):
        call_command("benchmark", alongside=["postgres://portfolio@127.0.0.1:1/other", str(tmp_path)])
    with pytest.raises(CommandError, match="give --existing and --alongside-output too"):
        call_command("benchmark", existing=str(tmp_path), alongside=["postgres://portfolio@127.0.0.1:1/other", str(tmp_path)])
