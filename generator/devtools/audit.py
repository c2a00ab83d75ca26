"""`make audit`: Lighthouse (npm, driving Debian's Chromium) on four kinds of page; prints the scores.

A benchmark, not a test: it reports figures and never fails on them. Targets: accessibility, best
practices and SEO 100, performance at least 95 on Lighthouse's default mobile preset.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the project
LIGHTHOUSE = ROOT / ".venv" / "npm" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "trial": "blinatumomab/trials/tower/",
    "decision table": "blinatumomab/decisions/crs-management/",
    "quiz": "blinatumomab/quizzes/quiz-toxicity/",
}
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static server that compresses text as any production web server would."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        textual = kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml")
        if not path.is_file() or not textual or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)


def main() -> int:
    site = ROOT / "site"
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not (site / "index.html").exists() or not LIGHTHOUSE.exists() or not chromium:
        print("needs site/ (make site), Lighthouse (make audit installs it) and Chromium", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in PAGES.items():
            out = Path(tmp) / "report.json"
            run = subprocess.run(
                [
                    str(LIGHTHOUSE),
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={out}",
                    f"--chrome-flags={FLAGS}",
                    f"--only-categories={','.join(CATEGORIES)}",
                ],
                env=dict(os.environ, CHROME_PATH=chromium),
                capture_output=True,
                text=True,
                timeout=300,
            )
            if run.returncode != 0 or not out.exists():
                print(f"{name:<16}lighthouse failed: {run.stderr.strip()[-300:]}")
                continue
            report = json.loads(out.read_text(encoding="utf-8"))
            scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
            results[name] = scores
            print(f"{name:<16}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
            for c in CATEGORIES:
                if scores[c] < 100:
                    failing = [
                        a
                        for a in report["categories"][c]["auditRefs"]
                        if a["weight"] > 0
                        and (report["audits"][a["id"]]["score"] is not None)
                        and report["audits"][a["id"]]["score"] < 1
                    ]
                    print(f"{'':<18}{c}: " + ", ".join(report["audits"][a["id"]]["id"] for a in failing[:6]))
    server.shutdown()
    print("AUDIT_JSON " + json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
