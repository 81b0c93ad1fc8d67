"""compare(): aggregation, premium, bootstrap intervals, user files and the `tokstats compare` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tokstats
from tokstats import get_encoding
from tokstats.comparison._bootstrap import BootstrapConfig, ratio_ci
from tokstats.comparison._compare import compare, compare_rows, flat_columns, json_columns

ENCS = ["cl100k_base", "o200k_base"]
LANGS = [
    {"code": "en", "language": "English", "segmented_by_spaces": True},
    {"code": "hi", "language": "Hindi", "segmented_by_spaces": True},
    {"code": "ja", "language": "Japanese", "segmented_by_spaces": False},
]
ENTRIES = [
    {
        "id": "chat-01",
        "domain": "chat",
        "text": {
            "en": "Hi! Are you free for lunch tomorrow?",
            "hi": "नमस्ते! क्या आप कल दोपहर के खाने के लिए खाली हैं?",
            "ja": "こんにちは！明日のランチは空いていますか？",
        },
    },
    {
        "id": "support-01",
        "domain": "support",
        "text": {
            "en": "Please restart the router and try again.",
            "hi": "कृपया राउटर को पुनः आरंभ करें और फिर से प्रयास करें।",
            "ja": "ルーターを再起動して、もう一度お試しください。",
        },
    },
    {
        "id": "news-01",
        "domain": "news",
        "text": {
            "en": "The central bank kept interest rates unchanged.",
            "hi": "केंद्रीय बैंक ने ब्याज दरों को अपरिवर्तित रखा।",
        },
    },
    {
        "id": "legal-01",
        "domain": "legal",
        "text": {
            "en": "This agreement is governed by the laws of Ireland.",
            "ja": "本契約はアイルランド法に準拠します。",
        },
    },
]
MINI = tokstats.Corpus(name="mini", sha256="ab" * 32, meta={"languages": LANGS}, entries=ENTRIES)


def _tokens(text: str, name: str) -> int:
    return len(get_encoding(name).encode_ordinary(text))


def test_rows_per_language_in_corpus_order() -> None:
    result = compare_rows(corpus=MINI)
    assert [r["source"] for r in result.rows] == ["en", "hi", "ja"]
    assert [r["language"] for r in result.rows] == ["English", "Hindi", "Japanese"]
    assert [r["documents"] for r in result.rows] == [4, 3, 3]
    assert list(result.rows[0]) == json_columns()
    sig = result.signature.as_dict()
    assert sig["corpus"] == {"name": "mini", "sha256": "ab" * 32}
    assert sig["ci"] == "percentile-bootstrap,level=0.95,resamples=2000,seed=20261123"
    assert sig["count"] == "encode_ordinary" and sig["by"] == "language" and sig["reference"] == "en"


def test_premium_is_measured_on_aligned_sentences_only() -> None:
    rows = {r["source"]: r for r in compare_rows(corpus=MINI).rows}
    for name in ENCS:
        assert rows["en"]["premium"][name] == 1.0
        # Hindi has chat, support, news; Japanese chat, support, legal: English over the same ids.
        for lang, ids in (("hi", [0, 1, 2]), ("ja", [0, 1, 3])):
            num = sum(_tokens(ENTRIES[i]["text"][lang], name) for i in ids)
            den = sum(_tokens(ENTRIES[i]["text"]["en"], name) for i in ids)
            assert rows[lang]["premium"][name] == pytest.approx(num / den)
            # three aligned sentences: fewer than MIN_UNITS, so no interval
            assert rows[lang]["premium_ci_low"][name] is None and rows[lang]["premium_ci_high"][name] is None
    assert rows["hi"]["aligned_units"] == 3
    # cl100k_base needs far more tokens for Hindi than o200k_base does (the GPT-4o launch finding).
    assert rows["hi"]["premium"]["cl100k_base"] > rows["hi"]["premium"]["o200k_base"]


def test_metrics_in_rows_are_the_documented_formulas() -> None:
    for r in compare_rows(corpus=MINI).rows:
        a, b = (r["tokens"][n] for n in ENCS)
        assert r["ratio"] == a / b
        assert r["token_reduction_pct"] == pytest.approx(100 * (a - b) / a)
        for n in ENCS:
            assert r["bytes_per_token"][n] * r["tokens"][n] == pytest.approx(r["bytes"])
            assert r["characters_per_token"][n] * r["tokens"][n] == pytest.approx(r["characters"])
        assert r["ratio_ci_low"] is None and r["ratio_ci_high"] is None  # 3-4 units < MIN_UNITS
    ja = compare_rows(corpus=MINI).rows[2]
    assert ja["words"] is None and ja["fertility_in_context"] == {"cl100k_base": None, "o200k_base": None}
    # Rust et al.'s fertility: the segmenter's words (MeCab via fugashi), each tokenized alone
    from tokstats.comparison._segmenters import rust_words

    words = [w for e in ENTRIES if "ja" in e["text"] for w in rust_words(e["text"]["ja"], False).words or []]
    assert ja["isolated_words"] == len(words) and ja["word_segmentation"].startswith("fugashi")
    for n in ENCS:
        assert ja["fertility"][n] == pytest.approx(sum(_tokens(w, n) for w in words) / len(words))
        assert ja["continued_words"][n] == pytest.approx(sum(_tokens(w, n) >= 2 for w in words) / len(words))


def test_intervals_reproduce_with_the_seed() -> None:
    a = compare_rows(corpus=MINI, config=BootstrapConfig(resamples=500, seed=1)).rows
    b = compare_rows(corpus=MINI, config=BootstrapConfig(resamples=500, seed=1)).rows
    assert a == b
    assert ratio_ci([1, 2, 3, 10], [1, 1, 1, 1], BootstrapConfig(seed=1)) == ratio_ci(
        [1, 2, 3, 10], [1, 1, 1, 1], BootstrapConfig(seed=1)
    )
    assert ratio_ci([5], [2]) is None  # nothing to resample
    assert ratio_ci([1, 2, 3, 4], [1, 1, 1, 1]) is None  # below MIN_UNITS: no interval
    assert ratio_ci([1, 2, 3, 4, 5], [1, 1, 1, 1, 1]) is not None
    lo, hi = ratio_ci([2.0] * 10, [1.0] * 10)  # no spread: the interval is the point
    assert lo == hi == 2.0


def test_reference_can_change() -> None:
    rows = {r["source"]: r for r in compare_rows(corpus=MINI, reference="hi").rows}
    assert rows["hi"]["premium"]["o200k_base"] == 1.0
    assert rows["en"]["premium"]["o200k_base"] < 1


def test_three_encodings_and_the_dataframe() -> None:
    df = compare(corpus=MINI, encodings=["cl100k_base", "o200k_base", "o200k_harmony"], resamples=200)
    assert list(df.columns) == flat_columns(["cl100k_base", "o200k_base", "o200k_harmony"])
    assert (df["ratio"] == df["tokens.cl100k_base"] / df["tokens.o200k_base"]).all()
    # o200k_harmony shares o200k_base's ranks and pattern: same ordinary-text counts
    assert (df["tokens.o200k_harmony"] == df["tokens.o200k_base"]).all()
    assert isinstance(df.attrs["signature"], tokstats.Signature)


def test_files_count_exactly(tmp_path: Path) -> None:
    text = "\ufeffFirst line\r\nsecond <|endoftext|> line\r\u00e9\u0301\n"
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode())
    (tmp_path / "empty.txt").write_bytes(b"")
    df = compare([str(p), str(tmp_path / "empty.txt")])
    assert list(df["source"]) == [str(p), str(tmp_path / "empty.txt")]
    for n in ENCS:
        assert df.loc[0, f"tokens.{n}"] == len(get_encoding(n).encode_ordinary(text))
        assert df.loc[1, f"tokens.{n}"] == 0
    assert df.loc[0, "bytes"] == len(text.encode())


def test_gettext_premium_is_translation_over_msgid(tmp_path: Path) -> None:
    po = tmp_path / "de.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "Open the file"\nmsgstr "Datei öffnen"\n\n'
        'msgid "Save changes?"\nmsgstr "Änderungen speichern?"\n',
        "utf-8",
    )
    [row] = compare_rows([str(po)]).rows
    for n in ENCS:
        num = _tokens("Datei öffnen", n) + _tokens("Änderungen speichern?", n)
        den = _tokens("Open the file", n) + _tokens("Save changes?", n)
        assert row["premium"][n] == pytest.approx(num / den)
    by_lang = {r["source"]: r for r in compare_rows([str(po)], by="language").rows}
    assert set(by_lang) == {"en", "de"} and by_lang["en"]["premium"]["o200k_base"] == 1.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=30), min_size=1, max_size=6))
def test_jsonl_documents_add_up(tmp_path: Path, lines: list[str]) -> None:
    # A text split at its newlines into JSONL documents: the file's row is the sum over documents.
    p = tmp_path / "docs.jsonl"
    p.write_text("".join(json.dumps({"text": t}) + "\n" for t in lines), "utf-8")
    [row] = compare_rows([str(p)], config=BootstrapConfig(resamples=50)).rows
    assert row["documents"] == len(lines)
    assert row["bytes"] == sum(len(t.encode()) for t in lines)
    for n in ENCS:
        assert row["tokens"][n] == sum(_tokens(t, n) for t in lines)
    a, b = row["tokens"]["cl100k_base"], row["tokens"]["o200k_base"]
    assert row["ratio"] == (a / b if b else None)


# --- the command line ------------------------------------------------------------------------


def test_cli_json_rows(run_cli, tmp_path: Path) -> None:
    text = "Grüße <|endoftext|>\r\n"
    (tmp_path / "g.txt").write_bytes(text.encode())
    (tmp_path / "e.txt").write_bytes(b"")
    r = run_cli("compare", str(tmp_path / "g.txt"), str(tmp_path / "e.txt"), "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["signature"]["count"] == "encode_ordinary"
    g, e = out["rows"]
    assert g["source"] == str(tmp_path / "g.txt")
    assert g["tokens"] == {n: _tokens(text, n) for n in ENCS}
    assert g["ratio"] == g["tokens"]["cl100k_base"] / g["tokens"]["o200k_base"]
    assert (g["bytes"], g["characters"]) == (len(text.encode()), 20)  # 5 + 1 + 13 + CRLF as one grapheme
    for key in ("fertility", "continued_words", "byte_token_rate", "single_token_pretokens", "premium"):
        assert set(g[key]) == set(ENCS)
    assert e["tokens"] == {"cl100k_base": 0, "o200k_base": 0} and e["ratio"] is None


def test_cli_csv_and_table(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello there", "utf-8")
    r = run_cli("compare", str(tmp_path / "a.txt"), "--format", "csv")
    assert r.returncode == 0, r.stderr
    header, row = r.stdout.splitlines()
    assert header.split(",") == flat_columns(ENCS)
    assert r.stderr.splitlines()[-1].startswith("# signature: tokstats:")
    t = run_cli("compare", str(tmp_path / "a.txt"))
    assert "cl100k_base" in t.stdout and "signature: " in t.stdout


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda d: None, ["missing.txt"], "missing.txt: no such file"),
        (lambda d: (d / "bad.txt").write_bytes(b"ok\n\xff"), ["bad.txt"], "bad.txt: invalid UTF-8 at byte offset 3"),
        (
            lambda d: (d / "d.jsonl").write_text('{"body": "x"}\n'),
            ["d.jsonl"],
            "d.jsonl: line 1: no column 'text'; columns found: body",
        ),
        (lambda d: (d / "d.csv").write_text("a,b\n1,2\n"), ["d.csv"], "d.csv: no column 'text'; columns found: a, b"),
        (
            lambda d: None,
            ["good.txt", "--encodings", "cl100k_base,nope"],
            "unknown tokenizer 'nope'; known tokenizers: cl100k_base,",
        ),
    ],
    ids=["missing", "invalid-utf8", "jsonl-column", "csv-column", "unknown-encoding"],
)
def test_cli_bad_input_names_it_and_reports_nothing(run_cli, tmp_path: Path, make, args, message) -> None:
    (tmp_path / "good.txt").write_text("fine", "utf-8")
    make(tmp_path)
    paths = [str(tmp_path / a) if not a.startswith("-") and "," not in a else a for a in args]
    r = run_cli("compare", str(tmp_path / "good.txt"), *paths, "--format", "json")
    assert r.returncode == 2
    assert r.stdout == ""  # nothing is reported for the good file as if the run had counted
    [line] = r.stderr.splitlines()
    assert message in line and "Traceback" not in r.stderr


PARALLEL = Path(__file__).resolve().parent.parent / "corpora" / "parallel.json"


@pytest.mark.skipif(not PARALLEL.exists(), reason="corpora/parallel.json not built yet")
def test_cli_builtin_parallel_corpus(run_cli) -> None:
    r = run_cli("compare", "--corpus", "parallel", "--format", "json", "--resamples", "300")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    corpus = tokstats.load_corpus("parallel")
    codes = [lang["code"] for lang in corpus.meta["languages"]]
    assert [row["source"] for row in out["rows"]] == [c for c in codes if any(c in e["text"] for e in corpus.entries)]
    assert out["signature"]["corpus"]["sha256"] == corpus.sha256
    en = next(row for row in out["rows"] if row["source"] == "en")
    assert en["premium"]["o200k_base"] == 1.0
    for row in out["rows"]:
        assert row["ratio_ci_low"] <= row["ratio"] <= row["ratio_ci_high"]


def test_cli_tiny_sample_prints_no_interval_and_says_why(run_cli, tmp_path: Path) -> None:
    from tokstats.comparison._bootstrap import MIN_UNITS

    data = tmp_path / "two.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": t, "lang": "en", "id": str(i)}) + "\n"
            for i, t in enumerate(["Hello there.", "A second document."])
        ),
        "utf-8",
    )
    r = run_cli("compare", str(data))
    assert r.returncode == 0, r.stderr
    assert "[n/a]" in r.stdout and f"[n/a]: fewer than {MIN_UNITS} documents, too few for an interval" in r.stdout
    j = json.loads(run_cli("compare", str(data), "--format", "json").stdout)
    assert j["rows"][0]["ratio"] is not None and j["rows"][0]["ratio_ci_low"] is None


# --- one code path: the same rows through an executor --------------------------------------------


def test_compare_rows_same_through_an_executor(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tokstats.sources._readers import Columns

    data = tmp_path / "d.jsonl"
    lines = [{"text": f"Hello number {i}, world.", "lang": "en", "id": str(i)} for i in range(12)]
    lines += [{"text": f"Hallo Nummer {i}, Welt.", "lang": "de", "id": str(i)} for i in range(12)]
    data.write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff")
    config = BootstrapConfig(resamples=50)
    cols = Columns("text", "lang", "id")
    with ThreadPoolExecutor(max_workers=3) as pool:
        for by in ("source", "language"):
            local = compare_rows([str(data)], by=by, columns=cols, config=config)
            pooled = compare_rows([str(data)], by=by, columns=cols, config=config, executor=pool)
            assert pooled == local
        corpus_local = compare_rows(corpus="parallel", config=config)
        assert compare_rows(corpus="parallel", config=config, executor=pool) == corpus_local
        with pytest.raises(tokstats.errors.InputError) as local_error:
            compare_rows([str(data), str(bad)], config=config)
        with pytest.raises(tokstats.errors.InputError) as pooled_error:
            compare_rows([str(data), str(bad)], config=config, executor=pool)
        assert str(pooled_error.value) == str(local_error.value)
