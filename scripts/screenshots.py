"""Screenshots of the HTML report and the playground for the docs (docs/images/*.png).

Writes a report with ``tokstats report``, starts ``tokstats serve`` on a free port, and
photographs both in headless Chromium (Debian's ``chromium``, driven by Playwright). Run it
from the repository root after a change to either page::

    python scripts/screenshots.py
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"
TEXT = "Tokenizers cut text into tokens. Los tokenizadores cortan el texto. Η ίδια πρόταση στα ελληνικά."


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "tokstats", "report", "--models", "gpt-4-turbo,gpt-4o", "--output", str(report)],
            check=True,
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "tokstats", "serve", "--port", str(port), "--quiet"])
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "api/options", timeout=5).close()
                    break
                except OSError:
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1200, "height": 820}, device_scale_factor=1)
                page.goto(report.as_uri())
                page.wait_for_selector("#chart-cost .main-svg")
                box = page.locator("#chart-saving-gpt-4o").bounding_box()
                assert box is not None
                clip = {"x": 0, "y": box["y"] - 10, "width": 1200, "height": 820}
                page.screenshot(path=str(IMAGES / "report-saving.png"), full_page=True, clip=clip)
                page.goto(report.as_uri())
                page.wait_for_selector("#chart-premium .main-svg")
                page.screenshot(path=str(IMAGES / "report.png"))
                page = browser.new_page(viewport={"width": 1200, "height": 760}, device_scale_factor=1)
                page.goto(url)
                page.wait_for_selector("body[data-state=done]")
                page.locator("#text").fill(TEXT)
                page.wait_for_selector("[data-tokenizer=o200k_base] .t")
                page.wait_for_selector("body[data-state=done]")
                time.sleep(0.5)
                page.screenshot(path=str(IMAGES / "playground.png"))
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    for name in ("report.png", "report-saving.png", "playground.png"):
        print(f"wrote docs/images/{name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
