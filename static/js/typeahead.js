// Picking a code from a typeahead list fills the input it belongs to (keyboard too).
(function () {
  "use strict";
  function pick(option) {
    var box = option.closest("[data-typeahead-results]");
    var input = box && document.getElementById(box.dataset.for);
    if (!input) return;
    input.value = option.dataset.code;
    box.innerHTML = "";
    input.focus();
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-typeahead-results] [data-code]");
    if (option) pick(option);
  });
  document.addEventListener("keydown", function (event) {
    var option = event.target.closest && event.target.closest("[data-typeahead-results] [data-code]");
    if (option && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); pick(option); }
  });
})();
