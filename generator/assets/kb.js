/* Sortable tables: headings of tables inside .kb-sortable become buttons that sort the rows.
   Runs again after each instant navigation (Material's document$), once per table. */
(function () {
  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a.replace(/,/g, "") && String(y) === b.replace(/,/g, "")) {
      return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellText(r1, index), cellText(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  /* A box that scrolls sideways says so: kb-scrolls while its content is wider than it, and
     data-kb-more="right" while there is more to the right (the stylesheet fades that edge), with a
     line under it saying the table scrolls. Kept up to date as the box is resized or scrolled. */
  var SCROLLERS = ".md-typeset__scrollwrap, .kb-dt__scroll, .md-typeset pre > code";
  function scrollState(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("kb-scrolls", scrolls);
    box.setAttribute("data-kb-more", scrolls && box.scrollLeft + box.clientWidth < box.scrollWidth - 1 ? "right" : "none");
    var code = box.tagName === "CODE";  /* a code block: the line goes under its <pre> */
    var after = code ? box.parentNode : box;
    var hint = after.nextElementSibling;
    var has = hint && hint.classList.contains("kb-scrolls__hint");
    if (scrolls && !has) {
      hint = document.createElement("p");
      hint.className = "kb-scrolls__hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways to see the whole " + (code ? "example" : "table") + " \u2192";
      after.parentNode.insertBefore(hint, after.nextSibling);
    } else if (!scrolls && has) {
      hint.remove();
    }
  }
  var resized = typeof ResizeObserver !== "undefined" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { scrollState(entry.target); });
  }) : null;
  function watchScrolling() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (box.dataset.kbScroll) return;
      box.dataset.kbScroll = "ready";
      box.addEventListener("scroll", function () { scrollState(box); }, { passive: true });
      if (resized) resized.observe(box);
      scrollState(box);
    });
  }

  function init() {
    /* Abbreviations: reachable by keyboard, so Material's tooltip shows on focus as on hover; but only
       the first of each term in each section (from one h2 to the next) is a tab stop, so a page full
       of CRS is not 100 presses of Tab. Collapsed answers are skipped: they are not shown. */
    var seen = {};
    document.querySelectorAll("article h2, article abbr[title]").forEach(function (node) {
      if (node.tagName === "H2") { seen = {}; return; }
      if (node.closest("details[data-answer-for], [hidden]")) return;
      var term = node.textContent + "\u0000" + node.title;
      if (seen[term] || node.hasAttribute("tabindex")) { seen[term] = true; return; }
      seen[term] = true;
      node.setAttribute("tabindex", "0");
    });
    watchScrolling();
    document.querySelectorAll(".kb-sortable table").forEach(function (table) {
      if (table.dataset.kbSortable || !table.tHead || !table.tBodies.length) return;
      table.dataset.kbSortable = "ready";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  KB.onEachPage(init);
})();
