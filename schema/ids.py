"""Global IDs: the only place that builds or splits them, and checks what they carry.

An ID is base64url("TypeName:platform:remote id"), as strawberry's relay GlobalID encodes
"TypeName:node id"; the node id here is "<platform>:<upstream id>", e.g. `productive:4812`.

The upstream id part ends up in upstream URL paths and filters, so it is checked per platform
before anything is built from it: Productive ids are decimal digits, Clockify ids are 24 hex
characters (Mongo ObjectIds). Composite ids (a Clockify task under its project, a Clockify
approval's kind) are checked part by part.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from adapters.base import Platform
from schema.errors import bad_input

PRODUCTIVE_ID = re.compile(r"[0-9]{1,19}")
CLOCKIFY_ID = re.compile(r"[0-9a-fA-F]{24}")
TYPE_NAME = re.compile(r"[A-Za-z]{1,40}")
# Every type a global ID can name, with the platforms it exists on.
NODE_TYPES: dict[str, frozenset[Platform]] = {
    **{
        name: frozenset(Platform)
        for name in ("Person", "TimeEntry", "Timer", "Project", "Task", "Approval")
    },
    "Service": frozenset({Platform.PRODUCTIVE}),
    "Tag": frozenset({Platform.CLOCKIFY}),
    "TimeTrackingPolicy": frozenset({Platform.PRODUCTIVE}),
    "ApprovalPolicy": frozenset({Platform.PRODUCTIVE}),
    "ApprovalPolicyAssignment": frozenset({Platform.PRODUCTIVE}),
    "Human": frozenset(Platform),  # named by one of its accounts
    "TimeOffPolicy": frozenset(Platform),  # Clockify policies, Productive absence events
}


@dataclass(frozen=True, slots=True)
class NodeKey:
    """Which upstream record a node is: platform plus the upstream's own id."""

    platform: Platform
    remote_id: str


def encode(type_name: str, platform: Platform, remote_id: str) -> str:
    raw = f"{type_name}:{platform.value}:{remote_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def is_upstream_id(platform: Platform, value: str) -> bool:
    """Whether `value` has the shape of one upstream id of that platform."""
    pattern = PRODUCTIVE_ID if platform is Platform.PRODUCTIVE else CLOCKIFY_ID
    return pattern.fullmatch(value) is not None


def _well_formed(type_name: str, key: NodeKey) -> bool:
    parts = key.remote_id.split("/")
    if key.platform is Platform.PRODUCTIVE and type_name == "Approval" and len(parts) == 2:
        # An absence booking; a time entry's approval is the entry's id alone.
        return parts[0] == "booking" and is_upstream_id(key.platform, parts[1])
    if key.platform is Platform.CLOCKIFY:
        if type_name == "Task" and len(parts) == 2:
            # A task is addressed through its project; a task without one has an empty part.
            return (not parts[0] or is_upstream_id(key.platform, parts[0])) and is_upstream_id(
                key.platform, parts[1]
            )
        if type_name == "Approval":
            kind, rest = parts[0], parts[1:]
            expected = {"timesheet": 1, "time_off": 2}.get(kind)
            return expected == len(rest) and all(is_upstream_id(key.platform, p) for p in rest)
    return len(parts) == 1 and is_upstream_id(key.platform, parts[0])


def decode(value: str, argument: str) -> tuple[str, NodeKey]:
    """Split an ID, or raise BAD_USER_INPUT naming the argument it came in."""
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        type_name, platform, remote_id = text.split(":", 2)
        key = NodeKey(Platform(platform), remote_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_input(argument, f"'{_shown(value)}' is not a Timebridge ID") from None
    if not TYPE_NAME.fullmatch(type_name) or not _well_formed(type_name, key):
        raise bad_input(argument, f"'{_shown(value)}' is not a Timebridge ID")
    platforms = NODE_TYPES.get(type_name)
    if platforms is None:
        raise bad_input(argument, f"'{_shown(value)}' names a type Timebridge has no objects of")
    if key.platform not in platforms:
        raise bad_input(
            argument, f"'{_shown(value)}' is a {type_name} ID, and {key.platform.name} has none"
        )
    return type_name, key


def decode_as(value: str, argument: str, *type_names: str) -> NodeKey:
    """Decode an ID that must name one of the given types."""
    type_name, key = decode(value, argument)
    if type_name not in type_names:
        expected = " or ".join(type_names)
        raise bad_input(argument, f"'{_shown(value)}' is a {type_name} ID, expected {expected}")
    return key


def _shown(value: str) -> str:
    # Echo enough of a bad ID to recognise it, never a whole megabyte of it.
    return value if len(value) <= 80 else value[:77] + "..."
