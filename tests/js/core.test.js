// Unit tests of the widgets' pure rules (generator/assets/kb-core.js), run with `node --test tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const KB = require("../../generator/assets/kb-core.js");

const range = (low, high, lowClosed = true, highClosed = false) => ({ low, high, lowClosed, highClosed });

test("inside: enums, booleans and intervals, bounds included or not", () => {
  assert.equal(KB.inside({ in: ["1", "2"] }, "2"), true);
  assert.equal(KB.inside({ in: ["1", "2"] }, "3"), false);
  assert.equal(KB.inside({ is: true }, true), true);
  assert.equal(KB.inside({ is: true }, false), false);
  assert.equal(KB.inside(range(30, 60), 30), true);
  assert.equal(KB.inside(range(30, 60), 60), false);
  assert.equal(KB.inside(range(30, 60, false, true), 30), false);
  assert.equal(KB.inside(range(30, 60, false, true), 60), true);
  assert.equal(KB.inside(range(30, 60), ""), false);
  assert.equal(KB.inside(range(30, 60), null), false);
});

const table = {
  policy: "first",
  inputs: [
    { id: "grade", type: "enum", values: ["3", "4"] },
    { id: "days", type: "number", cells: [0, 3.5, 7, 33.5, 60] },
  ],
  rules: [
    { id: "grade-4", when: { grade: { in: ["4"] } } },
    { id: "slow", when: { grade: { in: ["3"] }, days: range(7, 60, false, true) } },
    { id: "restart", when: { grade: { in: ["3"] }, days: range(0, 7, true, true) } },
  ],
};

test("decide: the first rule that fits, under the first hit policy", () => {
  assert.equal(KB.decide(table, { grade: "4", days: 2 }).id, "grade-4");
  assert.equal(KB.decide(table, { grade: "3", days: 10 }).id, "slow");
  assert.equal(KB.decide(table, { grade: "3", days: 7 }).id, "restart");
});

test("decide: the highest priority wins under the priority hit policy", () => {
  const data = { policy: "priority", rules: [{ id: "a", priority: 1, when: {} }, { id: "b", priority: 5, when: {} }] };
  assert.equal(KB.decide(data, {}).id, "b");
});

test("resolve: an empty input the answer depends on is asked for, not guessed", () => {
  const open = KB.resolve(table, { grade: "3", days: null });
  assert.equal(open.rule, null);
  assert.deepEqual(open.missing.map((i) => i.id), ["days"]);
  // grade 4 stops treatment whatever the days: the answer is given with days empty
  assert.equal(KB.resolve(table, { grade: "4", days: null }).rule.id, "grade-4");
  assert.equal(KB.resolve(table, { grade: "3", days: 3 }).rule.id, "restart");
});

test("mark: choices, numbers with or without their unit, short answers", () => {
  const single = { type: "single", options: [{ id: "a", correct: true }, { id: "b", correct: false }] };
  assert.equal(KB.mark(single, ["a"]).ok, true);
  assert.equal(KB.mark(single, ["b"]).ok, false);
  const multiple = { type: "multiple", options: [{ id: "a", correct: true }, { id: "b", correct: true }, { id: "c" }] };
  assert.equal(KB.mark(multiple, ["a"]).ok, false);
  assert.equal(KB.mark(multiple, ["b", "a"]).ok, true);
  const numeric = { type: "numeric", answer: { value: 28, unit: "µg/day", units: ["mcg/day", "µg/day"], low: 28, high: 28 } };
  assert.equal(KB.mark(numeric, "28").ok, true);
  assert.equal(KB.mark(numeric, " 28 mcg/day ").ok, true);
  assert.equal(KB.mark(numeric, "28,0").ok, true);
  assert.equal(KB.mark(numeric, "9").ok, false);
  assert.equal(KB.mark(numeric, "28 mg").unit, "µg/day");
  assert.ok(KB.mark(numeric, "lots").problem.startsWith("Enter a number"));
  const short = { type: "short", accept: ["strasse", "food and drug administration"] };
  assert.equal(KB.mark(short, "  Food   and DRUG administration ").ok, true);
  assert.equal(KB.mark(short, "Straße").ok, true);
});

test("normalise folds case like Python's casefold", () => {
  assert.equal(KB.normalise("Straße"), "strasse");
  assert.equal(KB.normalise("ΣΊΣΥΦΟΣ"), KB.normalise("σίσυφοσ"));
  assert.equal(KB.normalise("ﬁne  Print"), "fine print");
});
