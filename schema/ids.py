"""Global IDs: the only place that builds or splits them.

An ID is base64url("TypeName:platform:remote id"), as strawberry's relay GlobalID encodes
"TypeName:node id"; the node id here is "<platform>:<upstream id>", e.g. `productive:4812`.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from adapters.base import Platform
from schema.errors import bad_input


@dataclass(frozen=True, slots=True)
class NodeKey:
    """Which upstream record a node is: platform plus the upstream's own id."""

    platform: Platform
    remote_id: str


def encode(type_name: str, platform: Platform, remote_id: str) -> str:
    raw = f"{type_name}:{platform.value}:{remote_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(value: str, argument: str) -> tuple[str, NodeKey]:
    """Split an ID, or raise BAD_USER_INPUT naming the argument it came in."""
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        type_name, platform, remote_id = text.split(":", 2)
        key = NodeKey(Platform(platform), remote_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad_input(argument, f"'{value}' is not a Timebridge ID") from None
    if not type_name or not remote_id:
        raise bad_input(argument, f"'{value}' is not a Timebridge ID")
    return type_name, key


def decode_as(value: str, argument: str, *type_names: str) -> NodeKey:
    """Decode an ID that must name one of the given types."""
    type_name, key = decode(value, argument)
    if type_name not in type_names:
        expected = " or ".join(type_names)
        raise bad_input(argument, f"'{value}' is a {type_name} ID, expected {expected}")
    return key
