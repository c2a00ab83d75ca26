/* My progress: reads the answers quiz.js keeps in this browser's localStorage ("kb-quiz:<review>/<question>",
   holding {v: content version, answer, checked, correct}) and shows, for each module of the review,
   how many questions are answered and right against the pass mark, the questions last answered
   wrongly with links to try them again and to the page they test, and those changed since they
   were answered (not counted). The modules come from the page's data-progress; links are the page's
   own (MkDocs wrote them), found by their data- attributes. Reads and removes only; sends nothing. */
(function () {
  "use strict";
  var STORE = "kb-quiz:";
  var el = KB.el;

  function read(review, id) {
    try {
      var raw = localStorage.getItem(STORE + review + "/" + id);
      if (raw === null) raw = localStorage.getItem(STORE + id);  // saved before reviews were part of the key
      return JSON.parse(raw || "null");
    } catch (e) { return null; }
  }

  /* Each question's state: "right", "wrong", "changed" (answered, but the question has changed
     since) or "open" (not answered, or answered without pressing Check). */
  function state(saved, question) {
    if (!saved || typeof saved !== "object") return "open";
    if (saved.v !== question.v) return "changed";
    if (!saved.checked) return "open";
    return saved.correct ? "right" : "wrong";
  }

  function link(href, text) { return el("a", { href: href }, text); }

  function show(box, data) {
    var review = box.dataset.review;
    box.querySelectorAll(".kb-progress__view").forEach(function (old) { old.remove(); });
    var total = { answered: 0 };
    data.modules.forEach(function (module) {
      var section = box.querySelector('[data-module="' + module.id + '"]');
      var moduleLink = box.querySelector('[data-module-link="' + module.id + '"]');
      if (!section || !moduleLink) return;
      var states = module.questions.map(function (q) { return state(read(review, q.id), q); });
      var count = function (s) { return states.filter(function (x) { return x === s; }).length; };
      var right = count("right"), answered = right + count("wrong"), n = module.questions.length;
      var needed = Math.ceil((module.pass * n) / 100 - 1e-9);
      total.answered += answered + count("changed");
      var view = el("div", { class: "kb-progress__view" });
      view.appendChild(el("p", { class: "kb-progress__score" }, "Answered " + answered + " of " + n + " · " +
        right + " correct · pass mark " + module.pass + "% (" + needed + " of " + n + ") · " +
        (right >= needed ? "passed" : answered === n ? "not passed" : answered ? "in progress" : "not started")));
      [["wrong", "Last answered wrongly"], ["changed", "Changed since you answered them (not counted)"]]
        .forEach(function (kind) {
          var questions = module.questions.filter(function (q, i) { return states[i] === kind[0]; });
          if (!questions.length) return;
          view.appendChild(el("p", { class: "kb-progress__heading" }, kind[1] + ":"));
          var list = el("ul", { class: "kb-progress__list kb-progress__list--" + kind[0] });
          questions.forEach(function (q) {
            var item = el("li", { "data-question": q.id });
            item.appendChild(el("span", { class: "kb-progress__prompt" }, "Question " + q.n + ": " + q.prompt + " "));
            item.appendChild(link(moduleLink.href.split("#")[0] + "#question-" + q.id,
              kind[0] === "wrong" ? "Try it again" : "Answer it again"));
            var tested = q.tests ? box.querySelector('[data-target="' + q.tests + '"]') : null;
            if (tested) {
              item.appendChild(document.createTextNode(" · "));
              item.appendChild(link(tested.href, "Read: " + tested.textContent));
            }
            list.appendChild(item);
          });
          view.appendChild(list);
        });
      section.appendChild(view);
    });
    var status = box.querySelector(".kb-progress__status");
    status.textContent = total.answered ? "" : "You have not answered any question of this review in this browser yet.";
  }

  function init(box) {
    if (box.dataset.kbReady) return;
    box.dataset.kbReady = "ready";
    var data = JSON.parse(box.dataset.progress);
    var bar = el("div", { class: "kb-progress__actions" });
    var status = el("p", { class: "kb-progress__status", role: "status" });
    var reset = el("button", { type: "button", class: "kb-button" }, "Clear all my answers");
    bar.append(reset);
    box.insertBefore(status, box.firstChild);
    box.insertBefore(bar, box.firstChild);
    reset.addEventListener("click", function () {
      if (!window.confirm("Clear every answer you gave in this review's modules, in this browser?")) return;
      var prefix = STORE + box.dataset.review + "/", mine = {};
      data.modules.forEach(function (m) { m.questions.forEach(function (q) { mine[STORE + q.id] = true; }); });
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var key = localStorage.key(i);
          if (key && (key.indexOf(prefix) === 0 || mine[key])) localStorage.removeItem(key);
        }
      } catch (e) { /* storage unavailable: nothing kept to clear */ }
      show(box, data);
    });
    box.kbShow = function () { show(box, data); };
    show(box, data);
  }

  /* Answers given in another tab show up here too. */
  window.addEventListener("storage", function (e) {
    if (e.key && e.key.indexOf(STORE) !== 0) return;
    document.querySelectorAll("[data-progress]").forEach(function (box) { if (box.kbShow) box.kbShow(); });
  });
  KB.onEachPage(function () { document.querySelectorAll("[data-progress]").forEach(init); });
})();
