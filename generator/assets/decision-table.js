/* Decision tables: a labelled control per input; on every change the rule that applies is
   highlighted (data-match) and announced with its reason. Reads the verified rules from the
   container's data-rules; never inserts text typed by the user as HTML. The rules themselves
   (KB.resolve, KB.decide) are in kb-core.js. */
(function () {
  "use strict";
  var PREFIX = "dt.";

  var el = KB.el, resolve = KB.resolve, empty = KB.empty;

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

  /* The rules as cards wherever the table is wider than its column (a phone, a table of many
     inputs): measured with the table laid out as a table, again whenever the column's width changes. */
  function fit(box) {
    var scroller = box.querySelector(".kb-dt__scroll"), table = box.querySelector("table");
    if (!scroller || !table) return;
    box.classList.remove("kb-dt--stacked");
    if (table.getBoundingClientRect().width > scroller.clientWidth + 1) box.classList.add("kb-dt--stacked");
  }
  var widths = new WeakMap();
  var resized = typeof ResizeObserver !== "undefined" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var width = Math.round(entry.contentRect.width);
      if (widths.get(entry.target) !== width) { widths.set(entry.target, width); fit(entry.target); }
    });
  }) : null;

  function init(box) {
    if (box.dataset.kbReady) return;
    box.dataset.kbReady = "ready";
    fit(box);
    if (resized) resized.observe(box);
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
          var source = why.parentNode.querySelector(".kb-dt__reason") || why.parentNode;
          Array.prototype.forEach.call(source.childNodes, function (node) {
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

  KB.onEachPage(function () { document.querySelectorAll("[data-decision-table]").forEach(init); });
})();
