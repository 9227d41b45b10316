// Code typeaheads: the list under a code box (filled by htmx as you type) can be used with the
// mouse or the keyboard. Down arrow from the box goes into the list, up and down move in it,
// Enter or Space picks, Escape (or a click elsewhere) closes it and goes back to the box.
(function () {
  "use strict";
  function boxFor(input) {
    return input && input.id && document.querySelector('[data-typeahead-results][data-for="' + input.id + '"]');
  }
  function options(box) {
    return Array.prototype.slice.call(box.querySelectorAll("[data-code]"));
  }
  function close(box, focusInput) {
    var input = document.getElementById(box.dataset.for);
    box.innerHTML = "";
    if (focusInput && input) input.focus();
  }
  function pick(option) {
    var box = option.closest("[data-typeahead-results]");
    var input = box && document.getElementById(box.dataset.for);
    if (!input) return;
    input.value = option.dataset.code;
    close(box, true);
    // What was picked, in words, under the box (until it is typed in again).
    var note = document.createElement("div");
    note.className = "form-text";
    note.setAttribute("data-picked", "");
    note.textContent = option.dataset.code + ": " + (option.dataset.description || "");
    box.appendChild(note);
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-typeahead-results] [data-code]");
    if (option) { pick(option); return; }
    document.querySelectorAll("[data-typeahead-results]").forEach(function (box) {
      if (options(box).length && event.target.id !== box.dataset.for) close(box, false);
    });
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var option = target.closest("[data-typeahead-results] [data-code]");
    if (option) {
      var box = option.closest("[data-typeahead-results]");
      var list = options(box);
      var at = list.indexOf(option);
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); pick(option); }
      else if (event.key === "ArrowDown") { event.preventDefault(); (list[at + 1] || option).focus(); }
      else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (at > 0) list[at - 1].focus(); else document.getElementById(box.dataset.for).focus();
      } else if (event.key === "Escape") { event.preventDefault(); close(box, true); }
      return;
    }
    var own = boxFor(target);
    if (!own) return;
    if (event.key === "ArrowDown" && options(own).length) { event.preventDefault(); options(own)[0].focus(); }
    else if (event.key === "Escape" && options(own).length) { event.preventDefault(); close(own, true); }
  });
})();
