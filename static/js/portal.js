// When an htmx request fails (a server error, a lost connection), say so on the page instead of
// leaving the form as if nothing happened. What was saved before stays saved.
(function () {
  "use strict";
  function show(text) {
    var main = document.getElementById("main");
    if (!main) return;
    var old = document.getElementById("htmx-error");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "htmx-error";
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = text;
    main.prepend(box);
    box.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show(status === 403 || status === 404
      ? "This page can no longer be used (it may have expired, or you were logged off). Reload the page to continue."
      : "Something went wrong on our side (error " + status + "). Nothing already saved was lost; please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    show("The portal could not be reached. Check your connection and try again; nothing already saved was lost.");
  });
  document.addEventListener("htmx:afterSwap", function () {
    var old = document.getElementById("htmx-error");
    if (old) old.remove();
  });

  // A wizard step swapped in place: move the focus as a page load would, to the new step's
  // heading, or to the first field to correct when the same step came back with errors. A
  // submission's determination replaces the whole main area: the focus goes to its heading.
  var newStep = false;
  document.addEventListener("htmx:pushedIntoHistory", function () { newStep = true; });
  document.addEventListener("htmx:afterSettle", function (event) {
    var moved = newStep;
    newStep = false;
    var id = event.detail && event.detail.target && event.detail.target.id;
    if (id !== "wizard" && id !== "main") return;
    var area = document.getElementById(id);  // the new element, after an outerHTML swap
    if (!area || area.contains(document.activeElement)) return;
    var target = moved
      ? area.querySelector(id === "main" ? "h1" : "h2")
      : area.querySelector(".is-invalid, .alert-danger");
    // The same step came back without errors (a site chosen): what was clicked is gone, so the
    // focus would fall to the page's start; it goes to the step's next action instead.
    if (!target && (!document.activeElement || document.activeElement === document.body)) {
      target = area.querySelector(".wizard-buttons .btn-primary");
    }
    if (!target) return;
    if (!target.matches("input, select, textarea")) target.setAttribute("tabindex", "-1");
    target.focus();
  });

  // Print buttons work only with JavaScript: shown only then (the browser's own Print works
  // either way), on every page and after every swap.
  function printButtons(root) {
    root.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  printButtons(document);
  document.addEventListener("htmx:afterSettle", function () { printButtons(document); });

  // A table wider than the screen (a phone) scrolls sideways: its box becomes a region that
  // Tab reaches and the arrow keys scroll, named by the table's caption.
  function scrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      var caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
    });
  }
  scrollingTables();
  window.addEventListener("resize", scrollingTables);
  document.addEventListener("htmx:afterSettle", scrollingTables);

  // Enter in a box marked data-enter-trigger fires "enterkey" (its hx-trigger) instead of
  // submitting the form: the CSP allows no hx-on or trigger filters, which htmx evaluates.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-enter-trigger]")) return;
    event.preventDefault();
    box.dispatchEvent(new CustomEvent("enterkey", {bubbles: true}));
  });
})();
