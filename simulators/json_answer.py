"""The simulators' JSON answers, encoded with orjson.

Starlette's JSONResponse encodes with the stdlib, which was half of the simulators' CPU in the
gateway bench (a 180-entry JSON:API page per query). On the bench's two cores that CPU is taken
from the gateway's workers, so it skewed the worker comparison. orjson writes the same compact
UTF-8 bytes, keys in insertion order.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class JsonAnswer(JSONResponse):
    """A JSON answer; the bytes equal Starlette's compact, non-ASCII-escaping encoding."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
