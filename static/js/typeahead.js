// Code typeaheads as ARIA comboboxes (the WAI-ARIA "list autocomplete" pattern): the box keeps
// the focus, and the list under it (filled by htmx as you type) is its listbox. Down and Up move
// the active option (aria-activedescendant), Enter picks it, Escape (or a click elsewhere)
// closes the list; a click on an option picks it too. Enter with no active option submits the
// form as usual.
(function () {
  "use strict";
  function boxFor(input) {
    return input && input.id && document.querySelector('[data-typeahead-results][data-for="' + input.id + '"]');
  }
  function inputOf(box) {
    return document.getElementById(box.dataset.for);
  }
  function options(box) {
    return Array.prototype.slice.call(box.querySelectorAll('[role="option"]'));
  }
  function activeOption(box) {
    return box.querySelector('[role="option"][aria-selected="true"]');
  }
  // Roles, ids and the expanded state, on load and after every swap (a new list, a new step).
  function sync(box) {
    var input = inputOf(box);
    if (!input) return;
    var listId = box.id + "-list";
    var list = box.querySelector('[role="listbox"]');
    if (list) list.id = listId;
    options(box).forEach(function (option, n) {
      if (option.id) return;  // already set up: keep the active option
      option.id = listId + "-" + n;
      option.setAttribute("aria-selected", "false");
    });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", list ? "true" : "false");
    if (!activeOption(box)) input.removeAttribute("aria-activedescendant");
  }
  function syncAll() {
    document.querySelectorAll("[data-typeahead-results]").forEach(sync);
  }
  function setActive(box, option) {
    var input = inputOf(box);
    options(box).forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close(box) {
    box.innerHTML = "";
    sync(box);
  }
  function pick(box, option) {
    var input = inputOf(box);
    if (!input) return;
    input.value = option.dataset.code;
    close(box);
    input.focus();
    // What was picked, in words, under the box (until it is typed in again).
    var note = document.createElement("div");
    note.className = "form-text";
    note.setAttribute("data-picked", "");
    note.textContent = option.dataset.code + ": " + (option.dataset.description || "");
    box.appendChild(note);
  }

  syncAll();
  document.addEventListener("htmx:afterSwap", syncAll);
  document.addEventListener("htmx:afterSettle", syncAll);
  document.addEventListener("click", function (event) {
    var option = event.target.closest('[data-typeahead-results] [role="option"]');
    if (option) { pick(option.closest("[data-typeahead-results]"), option); return; }
    document.querySelectorAll("[data-typeahead-results]").forEach(function (box) {
      if (options(box).length && event.target.id !== box.dataset.for) close(box);
    });
  });
  document.addEventListener("keydown", function (event) {
    var box = boxFor(event.target);
    if (!box) return;
    var list = options(box);
    if (!list.length) return;
    var current = activeOption(box);
    var at = list.indexOf(current);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(box, list[Math.min(at + 1, list.length - 1)]);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(box, at > 0 ? list[at - 1] : null);
    } else if (event.key === "Enter" && current) {
      event.preventDefault();  // picks; it does not submit the form
      pick(box, current);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(box);
    }
  });
})();
