"""The playground page: one HTML document, its styles and script inline, nothing else loaded.

The script asks ``/api/options`` and ``/api/languages`` once, then on every change of the text,
the tokenizers or the models (after a short pause in typing) posts the text to ``/api/tokens``
and draws the answer: one panel per tokenizer, side by side, each token a coloured box (hover it
for its ids), the count and characters per token, and a table of the text's input cost on each
model. An answer older than the latest request is dropped. ``body[data-state]`` is ``busy``
while a request is out, ``done`` when the page shows the latest text, ``error`` with the
server's message shown; tests wait on it.
"""

from __future__ import annotations

PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokstats playground</title>
<style>
:root { --fg:#1a1a1a; --muted:#5a5a5a; --line:#ddd; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto;
       max-width: 1400px; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.4rem; margin: .3rem 0; } .muted { color: var(--muted); font-size: .9rem; }
textarea { width: 100%; min-height: 8rem; font: inherit; font-size: 1rem; padding: .6rem; border: 1px solid #bbb;
           border-radius: 6px; resize: vertical; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1.5rem; align-items: flex-start; margin: .6rem 0; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .3rem .7rem; margin: 0; }
fieldset label { margin-right: .8rem; white-space: nowrap; font-size: .9rem; }
input[type=text], select { font: inherit; padding: .25rem .4rem; }
#models { width: 22rem; max-width: 100%; }
#error { color: #a00000; font-weight: 600; min-height: 1.4em; }
#results { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; margin-top: .5rem; }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.panel h2 { font-size: 1rem; margin: 0 0 .3rem; }
.stats { font-size: .9rem; color: var(--muted); margin-bottom: .4rem; } .count { font-size: 1.3rem; color: var(--fg); font-weight: 700; }
.toks { white-space: pre-wrap; word-break: break-word; line-height: 1.9; font-size: 1rem; }
.t { border-radius: 3px; padding: 1px 0; box-shadow: inset -1px 0 0 rgba(0,0,0,.35); }
.t0 { background:#cfe3f3; } .t1 { background:#fbe3bf; } .t2 { background:#c9eadf; } .t3 { background:#f2d4e6; } .t4 { background:#e5e5e5; }
table { border-collapse: collapse; margin-top: 1rem; font-variant-numeric: tabular-nums; font-size: .9rem; }
th, td { padding: .25rem .7rem; border-bottom: 1px solid #eee; text-align: left; } td.num { text-align: right; }
footer { margin-top: 2rem; }
</style>
</head>
<body data-state="loading">
<h1>tokstats playground</h1>
<p class="muted">Type or paste text: each tokenizer's tokens are coloured as you type (hover a token for its ids).
Counts are those of <code>tokstats count</code>. Everything runs on this machine; nothing is sent anywhere else.</p>
<textarea id="text" spellcheck="false" aria-label="text to tokenize" placeholder="Type or paste text here…"></textarea>
<div class="controls">
  <label>Load a sample: <select id="language" aria-label="language of a built-in corpus sentence"><option value="">choose a language…</option></select></label>
  <fieldset id="tokenizers"><legend>Tokenizers</legend></fieldset>
  <label>Models (comma-separated): <input id="models" type="text" list="model-list" aria-label="models to price"></label>
  <datalist id="model-list"></datalist>
</div>
<div id="error" role="alert"></div>
<div id="summary" class="muted"></div>
<div id="results"></div>
<table id="costs" hidden><thead><tr><th>model</th><th>tokenizer</th><th>tokens</th><th>input price, $ / 1M tokens</th><th>cost of this text as input</th><th>per 1,000 such texts</th></tr></thead><tbody></tbody></table>
<footer class="muted">tokstats serve · local use only, no authentication · <a href="/api/options">API: /api/options</a></footer>
<script>
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var seq = 0, timer = null;
  function state(s) { document.body.dataset.state = s; }
  function getJSON(url) {
    return fetch(url).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) throw new Error(d.error || r.statusText); return d; });
    });
  }
  function chosen() {
    return Array.prototype.map.call(document.querySelectorAll("#tokenizers input:checked"), function (i) { return i.value; });
  }
  function models() {
    return $("models").value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function money(v) { return "$" + (v >= 0.01 ? v.toFixed(4) : v.toPrecision(3)); }
  function render(d) {
    var res = $("results"); res.textContent = "";
    d.tokenizers.forEach(function (t) {
      var p = el("section", "panel"); p.dataset.tokenizer = t.name;
      p.appendChild(el("h2", "", t.name));
      var s = el("div", "stats");
      s.appendChild(el("span", "count", String(t.tokens))); s.appendChild(document.createTextNode(" tokens · "));
      s.appendChild(el("span", "cpt", t.characters_per_token === null ? "n/a" : t.characters_per_token.toFixed(2)));
      s.appendChild(document.createTextNode(" characters per token"));
      p.appendChild(s);
      var box = el("div", "toks");
      t.pieces.forEach(function (pc, i) {
        var sp = el("span", "t t" + (i % 5), pc[0].replace(/\n/g, "\u21b5\n")); sp.title = pc[1].join(" "); box.appendChild(sp);
      });
      p.appendChild(box); res.appendChild(p);
    });
    $("summary").textContent = d.characters.toLocaleString("en-US") + " characters, " + d.bytes.toLocaleString("en-US") + " bytes (UTF-8)";
    var tb = $("costs").querySelector("tbody"); tb.textContent = "";
    d.models.forEach(function (m) {
      var tr = el("tr"); tr.dataset.model = m.model;
      [m.model, m.tokenizer].forEach(function (v) { tr.appendChild(el("td", "", v)); });
      [String(m.tokens), "$" + m.input_usd_per_1m_tokens, money(m.cost_usd), money(m.cost_usd * 1000)].forEach(function (v) { tr.appendChild(el("td", "num", v)); });
      tb.appendChild(tr);
    });
    $("costs").hidden = d.models.length === 0;
  }
  function update() {
    var mine = ++seq; state("busy");
    fetch("/api/tokens", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({text: $("text").value, encodings: chosen(), models: models()})})
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (x) {
        if (mine !== seq) return;
        if (!x[0]) { $("error").textContent = x[1].error; state("error"); return; }
        $("error").textContent = ""; render(x[1]); state("done");
      })
      .catch(function (e) { if (mine === seq) { $("error").textContent = String(e); state("error"); } });
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 150); }
  Promise.all([getJSON("/api/options"), getJSON("/api/languages")]).then(function (x) {
    var o = x[0], langs = x[1], fs = $("tokenizers");
    o.tokenizers.forEach(function (n) {
      var l = el("label"), i = el("input"); i.type = "checkbox"; i.value = n; i.checked = o.default_tokenizers.indexOf(n) >= 0;
      i.addEventListener("change", update); l.appendChild(i); l.appendChild(document.createTextNode(" " + n)); fs.appendChild(l);
    });
    o.models.forEach(function (m) { var op = el("option"); op.value = m; $("model-list").appendChild(op); });
    $("models").value = o.default_models.join(",");
    langs.corpora.forEach(function (c) {
      var g = el("optgroup"); g.label = c.title;
      c.languages.forEach(function (l) { var op = el("option", "", l.name + " (" + l.code + ")"); op.value = c.corpus + ":" + l.code; g.appendChild(op); });
      $("language").appendChild(g);
    });
    $("language").addEventListener("change", function (ev) {
      var v = ev.target.value; if (!v) return;
      var i = v.indexOf(":");
      getJSON("/api/sample?corpus=" + encodeURIComponent(v.slice(0, i)) + "&language=" + encodeURIComponent(v.slice(i + 1)))
        .then(function (s) { $("text").value = s.text; update(); })
        .catch(function (e) { $("error").textContent = String(e.message || e); state("error"); });
    });
    $("text").addEventListener("input", later);
    $("models").addEventListener("change", update);
    update();
  }).catch(function (e) { $("error").textContent = "cannot reach the tokstats server: " + e; state("error"); });
})();
</script>
</body>
</html>
"""
