"""The report and the playground in a real browser: headless Chromium driven by Playwright.

Playwright drives the system's Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it)
through ``executable_path``, since it cannot download its own browsers offline. Every request
the page makes is routed through the test: anything but the report file or the local server is
recorded and aborted, and the test fails if there was any. Script errors (``pageerror``) and
console errors fail the test too.

Without Chromium these tests are skipped locally, with the reason; with
``TOKSTATS_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser is a failure instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tokstats

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("TOKSTATS_REQUIRE_BROWSER") == "1"


def _need(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if REQUIRED:
            pytest.fail(f"{module} is not installed (pip install '.[test]')")
        pytest.skip(f"{module} is not installed (pip install '.[test]')")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("no chromium on PATH (apt-get install chromium); TOKSTATS_REQUIRE_BROWSER=1 needs it")
        pytest.skip("no chromium on PATH: install Debian's chromium package to run the browser tests")
    _need("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A page whose outside requests, script errors and console errors are recorded."""

    def __init__(self, browser: Any, allowed: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []

        def route(r: Any) -> None:
            url = r.request.url
            self.requests.append(url)
            if url.startswith(allowed):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)

    def check_clean(self) -> None:
        assert self.outside == [], f"requests left the machine: {self.outside}"
        assert self.errors == [], self.errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def report_file(run_cli_module, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    _need("plotly")
    out = tmp_path_factory.mktemp("report") / "r.html"
    r = run_cli_module("report", "--models", "gpt-4-turbo,gpt-4o", "--resamples", "100", "--output", str(out))
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def module_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """As ``offline_env``, for the module: an empty tiktoken cache and a proxy that refuses."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}
    env.update(HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9", NO_PROXY="")
    env.pop("TOKSTATS_RANK_DIR", None)
    return env


@pytest.fixture(scope="module")
def run_cli_module(module_env: dict[str, str]) -> Any:
    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tokstats", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=module_env,
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
            timeout=300,
        )

    return run


def _numbers(texts: list[str]) -> list[float]:
    return [float(t.replace(",", "")) for t in texts]


def test_report_opens_offline_with_charts_and_tables(browser: Any, report_file: Path) -> None:
    from playwright.sync_api import expect

    w = Watched(browser, report_file.as_uri())
    page = w.page
    page.goto(report_file.as_uri())
    page.wait_for_selector("#chart-tokens .main-svg")
    charts = page.locator(".chart")
    drawn = [i for i in range(charts.count()) if charts.nth(i).locator(".barlayer .point path").count() > 0]
    assert len(drawn) >= 5  # premium, ratio, tokens, cost, saving split
    assert page.locator("#table-main tbody tr").count() == 45

    # the tables sort on a click of a header, numerically, both ways
    header = page.locator("#table-main th", has_text=re.compile(r"^tokens\.o200k_base$"))
    col = int(header.get_attribute("data-col") or -1)
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    cells = page.locator(f"#table-main tbody tr td:nth-child({col + 1})").all_inner_texts()
    values = _numbers(cells)
    assert values == sorted(values) and len(set(values)) > 20
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    values = _numbers(page.locator(f"#table-main tbody tr td:nth-child({col + 1})").all_inner_texts())
    assert values == sorted(values, reverse=True)
    df = tokstats.compare(tokenizers=["o200k_base"], resamples=1)
    assert values[0] == max(df["tokens.o200k_base"])  # an independent run of the library

    # and filter as one types
    page.locator("#table-main .filter").fill("Hindi")
    expect(page.locator("#table-main tbody tr:visible")).to_have_count(1)

    # the token view and the signature are there as text
    assert page.locator(".sample").count() == 45
    assert "enc:cl100k_base@" in page.locator("#signature-line").inner_text()
    w.check_clean()
    assert all(u.startswith("file://") for u in w.requests)
    w.close()


@pytest.fixture(scope="module")
def server(module_env: dict[str, str]) -> Iterator[str]:
    _need("starlette")
    _need("uvicorn")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tokstats", "serve", "--port", str(port), "--quiet"],
        env=module_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                with urllib.request.urlopen(url + "api/options", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "tokstats serve never answered"
                time.sleep(0.3)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=60)


TYPED = "Tokenizers cut text into pieces. नमस्ते दुनिया! Η ίδια πρόταση."


def test_typed_text_shows_the_counts_of_tokstats_count(browser: Any, server: str, run_cli_module) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    w = Watched(browser, server)
    page = w.page
    page.goto(server)
    page.wait_for_selector("body[data-state=done]")
    expect(page.locator("#tokenizers input:checked")).to_have_count(2)
    page.locator("#text").press_sequentially(TYPED, delay=5)
    expect(page.locator("#summary")).to_contain_text(f"{len(TYPED)} characters")
    page.wait_for_selector("body[data-state=done]")
    for name in ("cl100k_base", "o200k_base"):
        cli = run_cli_module("count", "-", "--encoding", name, "--format", "json", input=TYPED)
        expected = json.loads(cli.stdout)["total_tokens"]
        panel = page.locator(f"[data-tokenizer={name}]")
        expect(panel.locator(".count")).to_have_text(str(expected))
        assert panel.locator(".t").count() == len(tokstats.split_view(TYPED, name))
        assert "".join(panel.locator(".t").all_text_contents()) == TYPED
    expect(page.locator("#costs tbody tr")).to_have_count(2)

    # another tokenizer added with a click
    page.locator("#tokenizers input[value=o200k_harmony]").check()
    expect(page.locator("[data-tokenizer=o200k_harmony] .count")).to_have_text(
        str(tokstats.count(TYPED, "o200k_harmony"))
    )

    # a sample from the language picker
    page.select_option("#language", "udhr:hi")
    hindi = tokstats.load_corpus("udhr").entries[0]["text"]["hi"]
    expect(page.locator("[data-tokenizer=o200k_base] .count")).to_have_text(str(tokstats.count(hindi, "o200k_base")))
    w.check_clean()
    assert all(u.startswith(server) for u in w.requests)
    w.close()


def test_too_long_a_paste_shows_the_servers_message(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    w = Watched(browser, server)
    page = w.page
    page.goto(server)
    page.wait_for_selector("body[data-state=done]")
    page.locator("#text").fill("a" * 100_001)
    expect(page.locator("#error")).to_contain_text("100,001 characters is more than this server takes")
    # the failed request is a console error of the browser's own; nothing else went wrong
    w.errors = [e for e in w.errors if "413" not in e]
    w.check_clean()
    w.close()
