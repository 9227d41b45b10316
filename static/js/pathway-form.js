// Pathway questions are re-rendered by htmx as answers change (follow-up questions appear or
// go). A reply can arrive after the user has typed or ticked something newer; the values on
// screen must win over that older echo, so they are carried across every swap. And since the
// reply was computed without them (a follow-up question they enable would be missing; the
// change event of a field replaced while focused never reaches the form), the questions are then
// asked for once more, with what is on screen.
(function () {
  "use strict";
  var snapshot = null;
  var resent = false;  // at most one catch-up request per answer the user gives

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

  // Puts the values back; returns the first one the reply had shown otherwise that can show or
  // hide another question (.pathway-driver), if any.
  function restore(root, values) {
    var differed = null;
    root.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || !(el.name in values)) return;
      var list = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var checked = list.indexOf(el.value) !== -1;
        if (el.checked !== checked && !differed && el.closest(".pathway-driver")) differed = el;
        el.checked = checked;
      } else if (list.length) {
        if (el.value !== list[0] && !differed && el.closest(".pathway-driver")) differed = el;
        el.value = list[0];
      }
    });
    return differed;
  }

  document.addEventListener("change", function (event) {
    if (event.isTrusted) resent = false;
  }, true);
  // Captured just before the swap and put back just after it, in the same task: nothing the
  // user types can fall in between (the swap settles at once: settle:0ms in the template, so the
  // new questions listen for changes from the start).
  var differed = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    snapshot = target && target.id === "pathway-questions" ? capture(target) : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var root = document.getElementById("pathway-questions");
    differed = snapshot && root ? restore(root, snapshot) : null;
    snapshot = null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (differed && document.body.contains(differed) && !resent) {
      resent = true;
      differed.dispatchEvent(new Event("change", {bubbles: true}));
    }
    differed = null;
  });
})();
