/* The pitch form saves itself as the founder types, without leaving the page (as the
   judges' scoring sheet does, static/js/scoring.js). Without this file the Save draft
   button does the same with a normal page load.

   Each save sends the application version the page shows; the server answers JSON
   {status, version, message, errors} and refuses a stale save (another tab or device
   saved since) instead of overwriting it. The valid fields are saved; each refused one
   gets its message next to it. Saves go one at a time, and never carry the deck: the
   deck travels with Save draft or Submit, and a deck over the limit is refused here,
   before it is sent, so the text is never lost with it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name='version']");
  var deck = form.querySelector("input[type='file']");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var busy = false;
  var again = false;
  var timer = null;
  var after = null;
  var TYPING_PAUSE = 1500;

  function show(text, failed) {
    status.textContent = text || "";
    status.classList.toggle("autosave-failed", !!failed);
  }

  /* The message of a field the server refused, shown under it (and removed once it is saved). */
  function mark(errors) {
    Array.prototype.forEach.call(form.querySelectorAll("p.autosave-error"), function (p) {
      var input = document.getElementById(p.getAttribute("data-for"));
      if (input) { input.removeAttribute("aria-invalid"); }
      p.parentNode.removeChild(p);
    });
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.elements[name];
      if (!input || !input.parentNode) { return; }
      var p = document.createElement("p");
      p.className = "error autosave-error";
      p.id = input.id + "-autosave-error";
      p.setAttribute("data-for", input.id);
      p.textContent = errors[name];
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
      input.parentNode.insertBefore(p, input.nextSibling);
    });
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
    var data = new FormData(form);
    data.delete(deck ? deck.name : "deck");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
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
        mark(answer.errors);
        show(answer.message);
      } else {
        show(answer.message, true);
      }
    }).catch(function () {
      show(form.getAttribute("data-failed"), true);
    }).then(finished);
  }

  /* A deck over the limit is taken off the form before anything is sent. */
  function deckTooLarge() {
    if (!deck || !maxBytes || !deck.files || !deck.files.length) { return false; }
    if (deck.files[0].size <= maxBytes) { return false; }
    deck.value = "";
    show(form.getAttribute("data-too-large"), true);
    return true;
  }

  form.addEventListener("change", function (event) {
    if (event.target === deck) { deckTooLarge(); return; } /* the deck goes with the buttons */
    save();
  });
  form.addEventListener("input", function (event) {
    if (event.target === deck) { return; }
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
    if (deckTooLarge()) { event.preventDefault(); save(); return; }
    if (!busy) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    after = function () {
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    };
  });
})();
