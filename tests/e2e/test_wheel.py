"""The distribution as a pip user gets it: an sdist built from the tracked files, a wheel built
from that sdist, installed into a fresh venv outside the repository; `timebridge demo` from
there serves a working GraphiQL in headless Chromium, its assets from the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_graphiql_browser import run_graphiql

ROOT = Path(__file__).parents[2]


def sh(*args: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dist")
    source = work / "source"
    for name in sh("git", "ls-files", cwd=ROOT).splitlines():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, target)
    out = work / "out"
    sh(sys.executable, "-m", "build", "--sdist", "--outdir", out, source)
    [sdist] = out.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(n.endswith("gateway/graphiql/dist/graphiql.min.js") for n in names)
    assert not any("node_modules" in n for n in names)
    wheels = work / "wheels"
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, sdist)
    [wheel] = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        files = archive.namelist()
    assert "gateway/graphiql/dist/graphiql.min.js" in files
    assert not any("node_modules" in f for f in files)
    venv = work / "venv"
    sh(sys.executable, "-m", "venv", venv)
    sh(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    return venv


def test_the_installed_wheel_serves_graphiql_in_chromium(installed: Path, tmp_path: Path) -> None:
    command = installed / "bin" / "timebridge"
    version = sh(command, "--version", cwd=tmp_path).strip()
    assert version.startswith("timebridge ") and "unknown" not in version
    demo = subprocess.Popen(
        [command, "demo", "--port", "0"],
        cwd=tmp_path,  # outside the repository: nothing but the wheel to serve from
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert demo.stdout is not None
        url = [demo.stdout.readline() for _ in range(3)][2].split("GraphiQL:", 1)[1].strip()
        asset = httpx.get(url.replace("/graphql", "/graphiql/assets/graphiql.min.js"), timeout=10)
        assert asset.status_code == 200 and len(asset.content) > 100_000
        report = run_graphiql(url, tmp_path / "graphiql.png")
        assert report["outside"] == [] and '"timeEntries"' in report["result"]
    finally:
        demo.kill()
        demo.communicate(timeout=20)
