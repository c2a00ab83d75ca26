/* Decision tables: a labelled control per input; on every change the rule that applies is
   highlighted (data-match) and announced with its reason. Reads the verified rules from the
   container's data-rules; never inserts text typed by the user as HTML. */
(function () {
  "use strict";
  var PREFIX = "dt.";

  function inside(c, v) {
    if (v === undefined || v === null || v === "") return false;
    if (c.in) return c.in.indexOf(v) >= 0;
    if ("is" in c) return c.is === v;
    return (v > c.low || (c.lowClosed && v === c.low)) && (v < c.high || (c.highClosed && v === c.high));
  }

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

  function empty(v) { return v === undefined || v === null || v === ""; }

  /* The rule that applies, or which empty inputs it still depends on. An empty input is tried at
     each value that can change a verdict (enum values; for numbers the verifier's cells), so a
     decision is shown only when every way of filling the empty inputs leads to the same rule. */
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
    /* Only the empty inputs whose value changes the rule are asked for. */
    var matters = open.filter(function (input, i) {
      return outcomes.some(function (a) {
        return outcomes.some(function (b) {
          return a.rule !== b.rule && a.picked.every(function (k, j) { return j === i || k === b.picked[j]; });
        });
      });
    });
    return { rule: null, missing: matters.length ? matters : open };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function control(box, data, input) {
    var id = "dt-" + data.id + "-" + input.id;
    var field = el("div", { class: "kb-dt__field" });
    var label = el("label", { for: id }, input.label);
    var widget;
    if (input.type === "enum") {
      widget = el("select", { id: id, name: input.id });
      widget.appendChild(el("option", { value: "" }, "Choose…"));
      input.values.forEach(function (v) { widget.appendChild(el("option", { value: v }, v)); });
      field.append(label, widget);
    } else if (input.type === "number") {
      var hint = el("span", { class: "kb-dt__hint", id: id + "-hint" },
        (input.unit || "") + " (" + input.min + "–" + input.max + ")");
      widget = el("input", { id: id, name: input.id, type: "number", step: "any", min: input.min,
        max: input.max, inputmode: "decimal", "aria-describedby": id + "-hint" });
      field.append(label, widget, hint);
    } else {
      widget = el("input", { id: id, name: input.id, type: "checkbox" });
      field.classList.add("kb-dt__field--check");
      field.append(widget, label);
    }
    box.appendChild(field);
    return widget;
  }

  function read(input, widget) {
    if (input.type === "boolean") return widget.checked;
    if (input.type === "enum") return widget.value;
    if (widget.value.trim() === "") return null;
    var n = Number(widget.value);
    return isNaN(n) ? NaN : n;
  }

  function init(box) {
    if (box.dataset.kbReady) return;
    box.dataset.kbReady = "ready";
    var data = JSON.parse(box.dataset.rules);
    var form = el("form", { class: "kb-dt__form", "aria-label": "Inputs of the decision table" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var status = el("div", { class: "kb-dt__result", role: "status", "aria-live": "polite" });
    var params = new URLSearchParams(location.search);
    var widgets = data.inputs.map(function (input) {
      var w = control(form, data, input);
      var saved = params.get(PREFIX + data.id + "." + input.id);
      if (saved !== null) {
        if (input.type === "boolean") w.checked = saved === "true";
        else w.value = saved;
      }
      return w;
    });
    box.insertBefore(status, box.firstChild);
    box.insertBefore(form, status);

    function update(remember) {
      var values = {}, problem = null;
      data.inputs.forEach(function (input, i) {
        var v = read(input, widgets[i]);
        widgets[i].removeAttribute("aria-invalid");
        if (input.type === "number" && v !== null && (isNaN(v) || v < input.min || v > input.max)) {
          problem = input.label + " must be a number from " + input.min + " to " + input.max +
            (input.unit ? " " + input.unit : "") + ".";
          widgets[i].setAttribute("aria-invalid", "true");
          v = null;
        }
        values[input.id] = v;
      });
      var found = problem ? { rule: null, missing: [] } : resolve(data, values);
      var rule = found.rule;
      box.classList.toggle("kb-dt--active", !!rule);
      box.querySelectorAll("tbody tr").forEach(function (row) {
        if (rule && row.dataset.rule === rule.id) row.setAttribute("data-match", "");
        else row.removeAttribute("data-match");
      });
      status.textContent = "";
      if (problem) {
        status.appendChild(el("p", { class: "kb-dt__problem" }, problem));
      } else if (!rule && found.missing.length) {
        var given = data.inputs.some(function (input) { return input.type !== "boolean" && !empty(values[input.id]); });
        status.appendChild(el("p", { class: "kb-dt__prompt" }, given
          ? "The answer depends on " + found.missing.map(function (i) { return i.label; }).join(" and ") +
            ": give " + (found.missing.length > 1 ? "them" : "it") + " to see which rule applies."
          : "Choose the inputs to see which rule applies."));
      } else if (!rule) {
        status.appendChild(el("p", {}, "No rule of this table covers these inputs."));
      } else {
        var number = data.rules.indexOf(rule) + 1;
        status.appendChild(el("p", { class: "kb-dt__applies" }, "Rule " + number + " applies."));
        var list = el("dl");
        data.outputs.forEach(function (out) {
          list.append(el("dt", {}, out.label), el("dd", {}, rule.then[out.id]));
        });
        status.appendChild(list);
        var why = document.getElementById("why-" + rule.id);
        if (why && why.parentNode) {
          var reason = el("p", { class: "kb-dt__why" });
          Array.prototype.forEach.call(why.parentNode.childNodes, function (node) {
            if (node !== why) reason.appendChild(node.cloneNode(true));
          });
          status.appendChild(reason);
        }
      }
      if (remember) {
        var query = new URLSearchParams(location.search);
        data.inputs.forEach(function (input, i) {
          var key = PREFIX + data.id + "." + input.id, w = widgets[i];
          var raw = input.type === "boolean" ? String(w.checked) : w.value;
          if (raw === "" || (input.type === "boolean" && !w.checked)) query.delete(key);
          else query.set(key, raw);
        });
        var search = query.toString();
        history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
      }
    }
    form.addEventListener("input", function () { update(true); });
    form.addEventListener("change", function () { update(true); });
    update(false);
  }

  function initAll() { document.querySelectorAll("[data-decision-table]").forEach(init); }
  if (typeof document$ !== "undefined") document$.subscribe(initAll);
  else document.addEventListener("DOMContentLoaded", initAll);
})();
