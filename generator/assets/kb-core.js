/* Shared by the widgets: an element helper, set-up that runs once per page and again after each of
   Material's instant navigations, and the pure rules the widgets apply (whether a value meets a
   condition, which rule of a decision table applies, how an answer is marked). The pure rules are
   unit-tested under Node (tests/js/); in the browser they are window.KB. */
(function (root) {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null && text !== "") node.textContent = text;
    return node;
  }

  /* Run `init` on every page: on load, and after each instant navigation (Material's document$). */
  function onEachPage(init) {
    if (typeof document$ !== "undefined") document$.subscribe(init);
    else document.addEventListener("DOMContentLoaded", init);
  }

  /* How short answers are compared, as Python's " ".join(unicodedata.normalize("NFKC", t).casefold().split()):
     compatibility forms unified, case folded (ß is ss, final sigma is sigma), spacing collapsed. */
  function normalise(text) {
    return String(text).normalize("NFKC").toLowerCase()
      .replace(/\u00df|\u1e9e/g, "ss").replace(/\u03c2/g, "\u03c3")
      .replace(/\s+/g, " ").trim();
  }

  function empty(v) { return v === undefined || v === null || v === ""; }

  /* Whether value v meets a compiled condition: {in: [...]}, {is: true} or an interval. */
  function inside(c, v) {
    if (empty(v)) return false;
    if (c.in) return c.in.indexOf(v) >= 0;
    if ("is" in c) return c.is === v;
    return (v > c.low || (c.lowClosed && v === c.low)) && (v < c.high || (c.highClosed && v === c.high));
  }

  /* The rule that applies to fully given values under the table's hit policy, or null. */
  function decide(data, values) {
    var hits = data.rules.filter(function (rule) {
      return Object.keys(rule.when).every(function (k) { return inside(rule.when[k], values[k]); });
    });
    if (!hits.length) return null;
    if (data.policy === "priority") {
      return hits.reduce(function (best, r) { return r.priority > best.priority ? r : best; });
    }
    return hits[0];
  }

  /* The rule that applies, or which empty inputs it still depends on. An empty input is tried at
     each value that can change a verdict (enum values; for numbers the verifier's cells), so a
     decision is given only when every way of filling the empty inputs leads to the same rule. */
  function resolve(data, values) {
    var open = data.inputs.filter(function (input) { return input.type !== "boolean" && empty(values[input.id]); });
    if (!open.length) return { rule: decide(data, values), missing: [] };
    var choices = open.map(function (input) { return input.type === "enum" ? input.values : input.cells || []; });
    var outcomes = [], combos = 1;
    choices.forEach(function (c) { combos *= c.length; });
    if (!combos || combos > 20000) return { rule: null, missing: open };
    for (var n = 0; n < combos; n++) {
      var trial = Object.assign({}, values), rest = n, picked = [];
      open.forEach(function (input, i) {
        var k = rest % choices[i].length;
        rest = Math.floor(rest / choices[i].length);
        trial[input.id] = choices[i][k];
        picked.push(k);
      });
      outcomes.push({ picked: picked, rule: decide(data, trial) });
    }
    var first = outcomes[0].rule;
    if (outcomes.every(function (o) { return o.rule === first; })) return { rule: first, missing: [] };
    var matters = open.filter(function (input, i) {  // only the empty inputs whose value changes the rule
      return outcomes.some(function (a) {
        return outcomes.some(function (b) {
          return a.rule !== b.rule && a.picked.every(function (k, j) { return j === i || k === b.picked[j]; });
        });
      });
    });
    return { rule: null, missing: matters.length ? matters : open };
  }

  /* Marks an answer with a question's key. `given` is the chosen option ids, or the typed text.
     Returns {ok, problem, unit}: problem when the answer cannot be read; unit when the unit is wrong. */
  function mark(key, given) {
    if (key.options) {
      var right = key.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; });
      return { ok: given.length === right.length && right.every(function (r) { return given.indexOf(r) >= 0; }) };
    }
    if (key.answer) {
      var m = /^\s*([-+]?\d+(?:[.,]\d+)?)\s*(.*?)\s*$/.exec(given);
      if (!m) return { ok: false, problem: "Enter a number, with or without its unit (" + key.answer.unit + ")." };
      var number = Number(m[1].replace(",", ".")), unit = normalise(m[2]).replace(/\s/g, "");
      var units = key.answer.units.map(function (u) { return normalise(u).replace(/\s/g, ""); });
      if (unit && units.indexOf(unit) < 0) return { ok: false, unit: key.answer.unit };
      return { ok: number >= key.answer.low && number <= key.answer.high };
    }
    return { ok: key.accept.indexOf(normalise(given)) >= 0 };
  }

  var KB = { el: el, onEachPage: onEachPage, normalise: normalise, empty: empty, inside: inside, decide: decide,
    resolve: resolve, mark: mark };
  if (typeof module !== "undefined" && module.exports) module.exports = KB;
  else root.KB = KB;
})(this);
