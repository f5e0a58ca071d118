"""Upstream paths as they leave: every segment percent-encoded, none that could climb out of
the resource it names. No I/O here."""

from __future__ import annotations

from urllib.parse import quote


class UnsafePath(ValueError):
    """A path segment that could leave the resource it names (never sent)."""


def encode_path(path: str) -> str:
    """Percent-encode every segment of an upstream path; refuse empty and dot segments.

    Ids are validated where they enter (schema/ids.py, gateway/context.py); this is the one
    place every path passes through before it leaves, so nothing else can turn request data
    into another upstream resource.
    """
    segments = path.split("/")
    if segments[0] != "" or any(s in ("", ".", "..") for s in segments[1:]):
        raise UnsafePath(f"refusing to send an upstream path with a bad segment: {path!r}")
    return "/".join(quote(s, safe="") for s in segments)
