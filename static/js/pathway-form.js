// Pathway questions are re-rendered by htmx as answers change (follow-up questions appear or
// go). A reply can arrive after the user has typed or ticked something newer; the values on
// screen must win over that older echo, so they are carried across every swap.
(function () {
  "use strict";
  var snapshot = null;

  function capture(root) {
    var values = {};
    root.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name) return;
      var list = values[el.name] || (values[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) list.push(el.value);
      } else {
        list.push(el.value);
      }
    });
    return values;
  }

  function restore(root, values) {
    root.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || !(el.name in values)) return;
      var list = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = list.indexOf(el.value) !== -1;
      } else if (list.length) {
        el.value = list[0];
      }
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    snapshot = target && target.id === "pathway-questions" ? capture(target) : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var root = document.getElementById("pathway-questions");
    if (snapshot && root) restore(root, snapshot);
    snapshot = null;
  });
})();
