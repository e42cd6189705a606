/* Scoring page enhancement: save the draft on every change, without leaving the page, and lose
   nothing on a bad connection. Without this file the Save draft button does the same with a
   normal page load.

   Each change becomes a save (the whole sheet as typed), queued in order and kept in the
   browser's localStorage under the sheet's own key (judge, round, application) until the server
   confirms it. Saves are sent one at a time: each names the sheet version the last confirmed save
   returned (the queue's `base`), so the server refuses a stale one, as it refuses a second tab,
   instead of overwriting a newer sheet. A save that could not be sent (no network, no JSON answer)
   stays queued, the sheet says "Not saved yet, will resend", and the queue is sent again when the
   browser is back online, every few seconds, and when the page is opened again. A refusal from
   the server (stale, invalid) empties the queue and shows why; what was typed stays on the page.
   A session that has ended (the answer is the sign-in page) stops the retries; the queue is kept.
   While saves are queued the form carries data-unsent="1", so that the pitch-day page
   (pitchday.js) does not follow the stage away from a sheet whose saves are not yet confirmed. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name='version']");
  var csrf = form.querySelector("input[name='csrf_token']");
  var KEY = form.getAttribute("data-pending-key");
  var NOT_SENT = { csrf_token: 1, version: 1, save: 1, submit_sheet: 1 };
  var TYPING_PAUSE = 1500;
  var RETRY = 4000;
  var store = storage();
  var pending = load(); /* {base: version string, saves: [[[name, value], ...], ...]} or null */
  var busy = false;
  var timer = null;
  var retry = null;
  var after = null;

  function storage() {
    try {
      window.localStorage.setItem("incubator-probe", "1");
      window.localStorage.removeItem("incubator-probe");
      return window.localStorage;
    } catch (e) { return null; } /* private mode or disabled: the queue lives in the page only */
  }

  function load() {
    if (!store || !KEY) { return null; }
    try {
      var kept = JSON.parse(store.getItem(KEY) || "null");
      return kept && kept.saves && kept.saves.length ? kept : null;
    } catch (e) { return null; }
  }

  function persist() {
    if (pending && pending.saves.length) { form.setAttribute("data-unsent", "1"); } else { form.removeAttribute("data-unsent"); }
    if (!store || !KEY) { return; }
    try {
      if (pending && pending.saves.length) { store.setItem(KEY, JSON.stringify(pending)); } else { store.removeItem(KEY); }
    } catch (e) { /* storage full: the queue still lives in the page */ }
  }

  function show(text, failed) {
    status.textContent = text || "";
    status.classList.toggle("autosave-failed", !!failed);
  }

  function snapshot() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (!NOT_SENT[name]) { pairs.push([name, String(value)]); }
    });
    return pairs;
  }

  /* Put a kept save back on the page (opened again after the connection failed). */
  function restore(pairs) {
    pairs.forEach(function (pair) {
      var fields = form.querySelectorAll("[name='" + pair[0].replace(/'/g, "\\'") + "']");
      Array.prototype.forEach.call(fields, function (field) {
        if (field.type === "radio" || field.type === "checkbox") { field.checked = field.value === pair[1]; } else { field.value = pair[1]; }
      });
    });
  }

  function enqueue(leaving) {
    if (timer) { clearTimeout(timer); timer = null; }
    var pairs = snapshot();
    if (!pending) { pending = { base: version.value, saves: [] }; }
    var last = pending.saves[pending.saves.length - 1];
    if (!last || JSON.stringify(last) !== JSON.stringify(pairs)) { pending.saves.push(pairs); }
    persist();
    send(leaving);
  }

  function waiting() {
    show(form.getAttribute("data-pending"), true);
    if (!retry) { retry = setTimeout(function () { retry = null; send(); }, RETRY); }
  }

  function send(leaving) {
    if (busy || !pending || !pending.saves.length) { return; }
    busy = true;
    show(form.getAttribute("data-saving"));
    var body = new FormData();
    pending.saves[0].forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrf_token", csrf.value);
    body.append("version", pending.base);
    var sent = false;
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!leaving, /* lets the last save finish while the page closes */
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected && type.indexOf("application/json") === -1) {
        return { status: "signed-out" }; /* sent to the sign-in page: retrying cannot help */
      }
      if (type.indexOf("application/json") === -1) { throw new Error("not json"); }
      return response.json();
    }).then(function (answer) {
      if (answer.status === "signed-out") {
        /* The queue stays in the browser: it is sent when this sheet is opened again, signed in. */
        after = null;
        show(form.getAttribute("data-signed-out"), true);
      } else if (answer.status === "saved") {
        version.value = answer.version;
        pending.base = String(answer.version);
        pending.saves.shift();
        if (!pending.saves.length) { pending = null; }
        persist();
        show(answer.message);
        sent = true;
      } else if (answer.status === "refused") {
        /* The server's final word (another tab changed the sheet, a value is not allowed): the
           queue goes, the page keeps what was typed and says why. */
        pending = null;
        persist();
        after = null;
        show(answer.message, true);
      } else {
        throw new Error(answer.message || "error"); /* e.g. too many requests: try again later */
      }
    }).catch(function () {
      waiting();
    }).then(function () {
      busy = false;
      if (sent && pending) { send(); } else if (!pending && after) {
        var next = after;
        after = null;
        next();
      }
    });
  }

  form.addEventListener("change", function () { enqueue(); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { enqueue(); }, TYPING_PAUSE);
  });
  /* Text typed just before leaving the page (its pause not yet over) is queued on the way out. */
  window.addEventListener("pagehide", function () {
    if (timer) { enqueue(true); }
  });
  window.addEventListener("online", function () {
    if (retry) { clearTimeout(retry); retry = null; }
    send();
  });
  form.addEventListener("submit", function (event) {
    /* The page's own buttons send everything typed; they first wait until every queued save is
       confirmed, so that they carry the latest version. */
    if (timer) { clearTimeout(timer); timer = null; }
    if (!busy && !pending) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    after = function () {
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    };
    if (!busy) { send(); }
  });

  /* A level chosen or text typed before this file ran (a slow phone on a venue's network taps
     before the page is ready) is a change like any other. */
  function changedBeforeReady() {
    return Array.prototype.some.call(form.elements, function (field) {
      if (field.type === "radio" || field.type === "checkbox") { return field.checked !== field.defaultChecked; }
      if (field.tagName === "TEXTAREA") { return field.value !== field.defaultValue; }
      return false;
    });
  }

  if (pending) {
    form.setAttribute("data-unsent", "1");
    restore(pending.saves[pending.saves.length - 1]);
    show(form.getAttribute("data-pending"), true);
    send();
  } else if (changedBeforeReady()) {
    enqueue();
  }
})();
