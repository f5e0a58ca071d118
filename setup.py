"""Builds GraphiQL's assets into the wheel and sdist: `npm ci` from the pinned lock file, then
the few files the page loads are copied to gateway/graphiql/dist/ (never committed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

UI = Path(__file__).parent / "gateway" / "graphiql"


def build_assets() -> None:
    files: dict[str, str] = json.loads((UI / "assets.json").read_text())["files"]
    dist = UI / "dist"
    if all((dist / name).is_file() for name in files):
        return
    modules = UI / "node_modules"
    if not all((modules / path).is_file() for path in files.values()):
        subprocess.run(
            ["npm", "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=UI,
            check=True,
        )
    dist.mkdir(exist_ok=True)
    for name, path in files.items():
        shutil.copyfile(modules / path, dist / name)


class BuildPy(build_py):
    def run(self) -> None:
        # An editable install (`make install`) serves from node_modules, which `make assets`
        # fills with the dev dependencies too (the browser test's playwright-core).
        if not getattr(self, "editable_mode", False):
            build_assets()
        super().run()


class Sdist(sdist):
    def run(self) -> None:
        build_assets()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
