/* Quiz modules: a Check button per question marks the answer with the key in data-key, shows
   per-option feedback and the explanation, and keeps progress in localStorage under the question
   id and its content version. Nothing typed by the learner is inserted as HTML. */
(function () {
  "use strict";
  var STORE = "kb-quiz:";

  var el = KB.el;

  /* Progress is kept per review and question ("kb-quiz:<review>/<question>"): two reviews may use
     the same question id. Progress saved under the question id alone (before reviews were part of
     the key) is moved to the new key the first time the question is shown. */
  function load(id) {
    try {
      var raw = localStorage.getItem(STORE + id);
      var old = id.indexOf("/") > 0 ? STORE + id.slice(id.indexOf("/") + 1) : null;
      if (raw === null && old && localStorage.getItem(old) !== null) {
        raw = localStorage.getItem(old);
        localStorage.setItem(STORE + id, raw);
        localStorage.removeItem(old);
      }
      return JSON.parse(raw || "null");
    } catch (e) { return null; }
  }
  function save(id, state) {
    try { localStorage.setItem(STORE + id, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function forget(id) { try { localStorage.removeItem(STORE + id); } catch (e) { /* ignore */ } }

  function setupQuestion(box, quiz, refresh) {
    var id = (quiz.dataset.review ? quiz.dataset.review + "/" : "") + box.dataset.question;
    var version = box.dataset.version, key = JSON.parse(box.dataset.key);
    var answer = quiz.querySelector('details[data-answer-for="' + box.dataset.question + '"]');
    if (answer) answer.hidden = true;
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input"));
    var list = box.querySelector(".kb-quiz__options");
    if (list && box.hasAttribute("data-shuffle")) {
      var items = Array.prototype.slice.call(list.children);
      for (var i = items.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1)), t = items[i]; items[i] = items[j]; items[j] = t;
      }
      items.forEach(function (item) { list.appendChild(item); });
    }
    var note = el("p", { class: "kb-quiz__note" });
    var actions = el("div", { class: "kb-quiz__actions" });
    var check = el("button", { type: "button", class: "kb-button kb-button--primary" }, "Check");
    var again = el("button", { type: "button", class: "kb-button" }, "Try again");
    again.hidden = true;
    var feedback = el("div", { class: "kb-quiz__feedback", role: "status", "aria-live": "polite" });
    actions.append(check, again);
    box.append(note, actions, feedback);
    box.kbState = { id: id, answered: false, correct: false };

    function given() {
      if (key.options) return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      return inputs[0].value;
    }
    function restore(value) {
      if (key.options) inputs.forEach(function (i) { i.checked = value.indexOf(i.value) >= 0; });
      else inputs[0].value = value;
    }
    function labelOf(optionId) {
      var input = inputs.filter(function (i) { return i.value === optionId; })[0];
      return input ? input.parentNode.textContent.trim() : optionId;
    }
    function mark(value) {
      var result = KB.mark(key, value), lines = [];
      if (key.options) {
        key.options.forEach(function (o) {
          var picked = value.indexOf(o.id) >= 0;
          if (picked) lines.push([o.correct ? "right" : "wrong", "Your choice “" + labelOf(o.id) + "”: " + o.feedback]);
          else if (o.correct) {
            lines.push(["missed", (key.type === "single" ? "The right answer, “" : "Also correct, “") +
              labelOf(o.id) + "”: " + o.feedback]);
          }
        });
      } else if (result.unit) {
        lines.push(["wrong", "Check the unit: the answer is in " + result.unit + "."]);
      }
      return { ok: result.ok, lines: lines, problem: result.problem || null };
    }
    function show(result) {
      feedback.textContent = "";
      if (result.problem) { feedback.appendChild(el("p", { class: "kb-quiz__problem" }, result.problem)); return; }
      feedback.appendChild(el("p", { class: "kb-quiz__verdict kb-quiz__verdict--" + (result.ok ? "right" : "wrong") },
        result.ok ? "Correct." : "Incorrect."));
      if (result.lines.length) {
        var ul = el("ul");
        result.lines.forEach(function (line) { ul.appendChild(el("li", { class: "kb-quiz__" + line[0] }, line[1])); });
        feedback.appendChild(ul);
      }
      if (answer) {
        var why = el("div", { class: "kb-quiz__why" });
        Array.prototype.forEach.call(answer.childNodes, function (node) {
          if (node.nodeName !== "SUMMARY") why.appendChild(node.cloneNode(true));
        });
        feedback.appendChild(why);
      }
    }
    function submit() {
      var value = given();
      if ((key.options && !value.length) || (!key.options && !value.trim())) {
        feedback.textContent = "";
        feedback.appendChild(el("p", { class: "kb-quiz__problem" }, "Give an answer first."));
        return;
      }
      var result = mark(value);
      show(result);
      if (result.problem) return;
      box.kbState.answered = true;
      box.kbState.correct = result.ok;
      again.hidden = false;
      save(id, { v: version, answer: value, checked: true, correct: result.ok });
      refresh();
    }
    function reset() {
      restore(key.options ? [] : "");
      feedback.textContent = "";
      note.textContent = "";
      again.hidden = true;
      box.kbState.answered = false;
      box.kbState.correct = false;
      forget(id);
      refresh();
    }
    check.addEventListener("click", submit);
    again.addEventListener("click", function () { reset(); (inputs[0] || check).focus(); });
    box.addEventListener("change", function () {
      var stored = load(id);
      if (!stored || !stored.checked) save(id, { v: version, answer: given(), checked: false });
    });
    if (!key.options) {
      inputs[0].addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); submit(); } });
    }
    var stored = load(id);
    if (stored && stored.v !== version) {
      forget(id);
      note.textContent = "This question was updated since your last attempt, so it starts afresh.";
    } else if (stored) {
      restore(stored.answer);
      if (stored.checked) {
        show(mark(stored.answer));
        box.kbState.answered = true;
        box.kbState.correct = !!stored.correct;
        again.hidden = false;
      }
    }
    box.kbReset = reset;
  }

  function init(quiz) {
    if (quiz.dataset.kbReady) return;
    quiz.dataset.kbReady = "ready";
    var boxes = Array.prototype.slice.call(quiz.querySelectorAll("[data-question]"));
    var pass = Number(quiz.dataset.passMark);
    var summary = el("div", { class: "kb-quiz__summary" });
    var text = el("p", { class: "kb-quiz__score" });
    var resetAll = el("button", { type: "button", class: "kb-button" }, "Reset module");
    summary.append(text, resetAll);
    quiz.insertBefore(summary, quiz.firstChild);
    function refresh() {
      var answered = 0, correct = 0;
      boxes.forEach(function (b) {
        if (b.kbState && b.kbState.answered) { answered++; if (b.kbState.correct) correct++; }
      });
      // The pass mark as a number of right answers; unanswered questions count for nothing either way.
      var needed = Math.ceil((pass * boxes.length) / 100 - 1e-9);
      text.textContent = "Answered " + answered + " of " + boxes.length + " · " + correct + " correct · pass mark " +
        pass + "% (" + needed + " of " + boxes.length + ") · " +
        (correct >= needed ? "passed" : answered === boxes.length ? "not passed" : "in progress");
    }
    boxes.forEach(function (box) { setupQuestion(box, quiz, refresh); });
    resetAll.addEventListener("click", function () {
      if (window.confirm("Clear every answer in this module?")) boxes.forEach(function (b) { b.kbReset(); });
    });
    refresh();
  }

  KB.onEachPage(function () { document.querySelectorAll("[data-quiz]").forEach(init); });
})();
