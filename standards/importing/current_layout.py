"""PLACEHOLDER, replaced at merge by the parser for the current Skills for Care / Skills for
Health layout (another engineer's, issue 14). It only keeps `detect.parse` importable here."""

from __future__ import annotations

from .parsed import NotAUnit, ParsedUnit


def parse_current(text: str) -> ParsedUnit:
    raise NotAUnit("Units in the current Skills for Care layout cannot be imported yet.")
