"""Running the suite's JavaScript clients (tests/js) against a gateway, as users' code would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

JS = Path(__file__).parents[1] / "js"


def require_js() -> None:
    """Skip (fail on CI) when node or the clients' packages are missing."""
    if not (shutil.which("node") and (JS / "node_modules").is_dir()):
        message = "node with tests/js/node_modules is missing: `make test` installs them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run_js(script: str, *args: str) -> Any:
    """Run `tests/js/<script>` with node; return the JSON its last line prints."""
    require_js()
    done = subprocess.run(
        ["node", str(JS / script), *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
