"""``tokstats serve``: the playground's JSON API, answered in-process (Starlette's TestClient).

Counts are checked against ``tokstats count -`` run as a command; the page itself is opened in a
real browser by tests/test_browser.py.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient

import tokstats
from tokstats.serve import Playground, create_app

TEXTS = [
    "Hello, world!",
    "नमस्ते दुनिया, मेरा नाम जीपीटी है।",
    "  spaces\tand\nnew lines\r\n  ",
    "emoji 👩\u200d👩\u200d👧 and 👍🏽, <|endoftext|> as text",
]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Playground(max_chars=5000)))


def test_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "<script src" not in r.text and "<link" not in r.text


@pytest.mark.parametrize("text", TEXTS)
def test_counts_equal_tokstats_count(client: TestClient, run_cli, text: str) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/api/tokens", json={"text": text, "encodings": ["cl100k_base", "o200k_base"], "models": []})
    assert r.status_code == 200, r.text
    got = {t["name"]: t for t in r.json()["tokenizers"]}
    for name in ("cl100k_base", "o200k_base"):
        cli = run_cli("count", "-", "--encoding", name, "--format", "json", input=text)
        assert cli.returncode == 0, cli.stderr
        expected = json.loads(cli.stdout)["total_tokens"]
        assert got[name]["tokens"] == expected
        assert "".join(p[0] for p in got[name]["pieces"]) == text
        assert sum(len(p[1]) for p in got[name]["pieces"]) == expected


def test_get_and_defaults(client: TestClient) -> None:
    r = client.get("/api/tokens", params={"text": "Hello world"})
    assert r.status_code == 200
    d = r.json()
    assert [t["name"] for t in d["tokenizers"]] == ["cl100k_base", "o200k_base"]
    assert d["characters"] == 11 and d["tokenizers"][0]["characters_per_token"] == pytest.approx(11 / 2)
    prices = tokstats.load_prices()
    by_model = {m["model"]: m for m in d["models"]}
    assert set(by_model) == {"gpt-4-turbo", "gpt-4o"}
    assert by_model["gpt-4o"]["cost_usd"] == pytest.approx(2 * prices.quote("gpt-4o").input_per_1m / 1e6)
    assert by_model["gpt-4o"]["tokenizer"] == "o200k_base"


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        ({"params": {"text": "x", "encodings": "nope"}}, 400, "unknown tokenizer 'nope'"),
        ({"params": {"text": "x", "encodings": "hf:/etc/passwd"}}, 400, "unknown tokenizer"),
        ({"params": {"encodings": "o200k_base"}}, 400, "text:"),
        ({"params": {"text": "x", "models": "no-such-model"}}, 400, "no-such-model"),
        (
            {"params": {"text": "x", "encodings": ",".join(["o200k_base"] * 1 + [f"e{i}" for i in range(9)])}},
            400,
            "at most",
        ),
        ({"params": {"text": "a" * 5001}}, 413, "5,001 characters"),
    ],
)
def test_bad_get_requests_are_4xx_json(client: TestClient, request_args: dict, status: int, message: str) -> None:  # type: ignore[type-arg]
    r = client.get("/api/tokens", **request_args)
    assert r.status_code == status
    assert message in r.json()["error"]


def test_bad_posts_are_4xx_json(client: TestClient) -> None:
    r = client.post("/api/tokens", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not JSON" in r.json()["error"]
    r = client.post("/api/tokens", json=["a list"])
    assert r.status_code == 400 and "object" in r.json()["error"]
    r = client.post("/api/tokens", json={"text": "x", "encodings": [1, 2]})
    assert r.status_code == 400 and "encodings" in r.json()["error"]
    r = client.post("/api/tokens", content=b'{"text": "' + b"a" * 100_000 + b'"}')
    assert r.status_code == 413 and "5,000" in r.json()["error"]
    r = client.delete("/api/tokens")
    assert r.status_code == 405 and "error" in r.json()
    r = client.get("/nothing")
    assert r.status_code == 404 and r.json()["error"].startswith("GET /nothing")


def test_other_host_names_are_refused(client: TestClient) -> None:
    r = client.get("/api/options", headers={"host": "attacker.example:8765"})
    assert r.status_code == 400 and "attacker.example" in r.json()["error"]
    assert client.get("/api/options", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/api/options", headers={"host": "[::1]:8765"}).status_code == 200


def test_languages_and_samples(client: TestClient) -> None:
    langs = client.get("/api/languages").json()["corpora"]
    udhr = next(c for c in langs if c["corpus"] == "udhr")
    assert len(udhr["languages"]) == len(tokstats.load_corpus("udhr").meta["languages"])
    r = client.get("/api/sample", params={"corpus": "parallel", "language": "hi", "unit": "0"})
    assert r.json()["text"] == tokstats.load_corpus("parallel").entries[0]["text"]["hi"]
    assert client.get("/api/sample", params={"corpus": "udhr", "language": "xx"}).status_code == 404
    assert client.get("/api/sample", params={"corpus": "/etc", "language": "en"}).status_code == 400
    assert client.get("/api/sample", params={"corpus": "udhr", "language": "en", "unit": "999"}).status_code == 400


def test_options_list_installed_tokenizers(client: TestClient) -> None:
    o = client.get("/api/options").json()
    assert o["tokenizers"] == tokstats.list_tokenizers()
    assert o["default_tokenizers"] == ["cl100k_base", "o200k_base"]
    assert "openai:gpt-4o" in o["models"]


def test_a_file_tokenizer_given_at_start_may_be_chosen(tiny_tokenizers) -> None:  # type: ignore[no-untyped-def]
    spec = f"hf:{tiny_tokenizers['bytelevel']}"
    client = TestClient(create_app(Playground([spec])))
    r = client.get("/api/tokens", params={"text": "Hello world", "encodings": spec, "models": ""})
    assert r.status_code == 200, r.text
    assert r.json()["tokenizers"][0]["tokens"] == tokstats.count("Hello world", spec)


def test_cli_refuses_a_bad_port(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("serve", "--port", "70000")
    assert r.returncode == 2 and "70000" in r.stderr and "Traceback" not in r.stderr


def test_cli_refuses_a_port_in_use(run_cli) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = run_cli("serve", "--port", str(port))
    assert r.returncode == 2 and r.stdout == ""
    assert (
        r.stderr == f"tokstats serve: error: --port {port}: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
