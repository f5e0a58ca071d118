"""GraphiQL's page and its JavaScript and CSS, served by the gateway itself (no CDN).

The files come from the npm packages pinned in gateway/graphiql/package-lock.json; only the
few named in graphiql/assets.json are served: from graphiql/dist/ in an installed wheel (the
build copies them there), else from graphiql/node_modules/ in a checkout (`make assets`).
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

UI = Path(__file__).parent / "graphiql"
PAGE = UI / "index.html"
BUILT = UI / "dist"
FILES: dict[str, str] = json.loads((UI / "assets.json").read_text())["files"]
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def page() -> HTMLResponse:
    return HTMLResponse(PAGE.read_text())


def asset_endpoint(root: Path):  # type: ignore[no-untyped-def]
    async def serve(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return PlainTextResponse("Not Found", 404)
        path = BUILT / name
        if not path.is_file():
            path = root / FILES[name]
        if not path.is_file():
            return PlainTextResponse(
                "GraphiQL assets are not installed: run `make assets` (npm ci)", 503
            )
        suffix = Path(name).suffix
        return FileResponse(
            path, media_type=TYPES[suffix], headers={"Cache-Control": "public, max-age=86400"}
        )

    return serve
