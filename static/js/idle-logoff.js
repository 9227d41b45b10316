// HIPAA automatic logoff: warn before the server ends an idle session, offer to stay.
// The server is the authority (portal.middleware.IdleLogoffMiddleware); this only warns and then
// reloads, so the server can log the session off and show why.
(function () {
  "use strict";
  var body = document.body;
  var limit = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!limit) return;
  var warnBefore = Math.min(parseInt(body.dataset.idleWarning || "120", 10), limit - 5);
  var modalEl = document.getElementById("idle-warning");
  var countdownEl = modalEl && modalEl.querySelector("[data-idle-countdown]");
  var modal = modalEl && window.bootstrap ? new window.bootstrap.Modal(modalEl) : null;
  // The server records activity at most every half minute: start from what it recorded.
  var lastActivity = Date.now() - 1000 * parseInt(body.dataset.idleElapsed || "0", 10);
  var ticker = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var idle = (Date.now() - lastActivity) / 1000;
    var left = Math.ceil(limit - idle);
    if (left <= 0) {
      window.clearInterval(ticker);
      // A GET of the same address (never a re-POST of a form with patient data): the server
      // logs the session off and says why.
      window.location.replace(window.location.pathname + window.location.search);
      return;
    }
    if (left <= warnBefore && modal) {
      if (countdownEl) countdownEl.textContent = format(left);
      if (!modalEl.classList.contains("show")) modal.show();
    }
  }

  function serverTouched() { lastActivity = Date.now(); }

  // An htmx reply says how long ago the server last recorded activity (it records at most every
  // half minute); a reply without the header (another site's, an error page) counts as now.
  function htmxReplied(event) {
    var xhr = event.detail && event.detail.xhr;
    var elapsed = xhr ? parseInt(xhr.getResponseHeader("X-Idle-Elapsed") || "", 10) : NaN;
    lastActivity = Date.now() - (isNaN(elapsed) ? 0 : 1000 * elapsed);
  }

  var stay = modalEl && modalEl.querySelector("[data-idle-stay]");
  if (stay) {
    stay.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken()}
      }).then(function (r) {
        // A session that already ended answers with a redirect to the login page: no stay.
        if (!r.ok || r.redirected) throw new Error("session ended");
        return r.json();
      }).then(function (body) {
        if (!body.ok) throw new Error("session ended");
        serverTouched(); modal.hide();
      }).catch(function () {
        window.location.replace(window.location.pathname + window.location.search);
      });
    });
  }
  // Any htmx request refreshes the server's idle clock too.
  document.addEventListener("htmx:afterRequest", htmxReplied);
  ticker = window.setInterval(tick, 1000);
})();
