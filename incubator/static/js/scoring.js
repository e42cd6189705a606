/* Scoring page enhancement: save the draft on every change, without leaving the page.
   Without this file the Save draft button does the same with a normal page load.

   Each save sends the sheet version the page shows; the server answers JSON
   {status, version, message} and refuses a stale save (another tab or device changed
   the sheet) instead of overwriting it. Saves are sent one at a time so that a quick
   second change never races the first one with the same version. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name='version']");
  var busy = false;
  var again = false;
  var timer = null;
  var after = null;
  var TYPING_PAUSE = 1500;

  function show(text, failed) {
    status.textContent = text || "";
    status.classList.toggle("autosave-failed", !!failed);
  }

  function finished() {
    busy = false;
    if (again) {
      again = false;
      save();
    } else if (after) {
      var next = after;
      after = null;
      next();
    }
  }

  function save(leaving) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (busy) { again = true; return; }
    busy = true;
    show(form.getAttribute("data-saving"));
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: !!leaving, /* lets the last save finish while the page closes */
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("not json"); }
      return response.json();
    }).then(function (answer) {
      if (answer.status === "saved") {
        version.value = answer.version;
        show(answer.message);
      } else {
        show(answer.message, true);
      }
    }).catch(function () {
      show(form.getAttribute("data-failed"), true);
    }).then(finished);
  }

  form.addEventListener("change", function () { save(); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, TYPING_PAUSE);
  });
  /* Text typed just before leaving the page (its pause not yet over) is saved on the way out. */
  window.addEventListener("pagehide", function () {
    if (timer) { save(true); }
  });
  form.addEventListener("submit", function (event) {
    /* The page's own buttons send everything typed; they only wait for a save under way,
       whose new version they must carry. */
    if (timer) { clearTimeout(timer); timer = null; }
    if (!busy) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    after = function () {
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    };
  });
})();
