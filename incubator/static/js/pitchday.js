/* Pitch day, with JavaScript: the countdown ticks every second; the live board swaps in its
   fresh table every few seconds; the judge's page asks the small now.json and follows the stage.
   Without this file the pages reload themselves (a meta refresh), except over a form. */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function tick() {
    var clocks = document.querySelectorAll(".countdown[data-seconds]");
    Array.prototype.forEach.call(clocks, function (clock) {
      if (clock.getAttribute("data-running") !== "1") { return; }
      var left = parseInt(clock.getAttribute("data-seconds"), 10) - 1;
      clock.setAttribute("data-seconds", String(left));
      var abs = Math.abs(left);
      var text = Math.floor(abs / 60) + ":" + ("0" + (abs % 60)).slice(-2);
      clock.querySelector(".countdown-value").textContent = left < 0 ? "+" + text : text;
      clock.classList.toggle("overtime", left < 0);
    });
  }
  setInterval(tick, 1000);

  var board = document.getElementById("board-live");
  if (board) {
    var every = parseInt(board.getAttribute("data-every"), 10) * 1000;
    setInterval(function () {
      fetch(board.getAttribute("data-refresh"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) { board.innerHTML = html; } })
        .catch(function () { /* the next round trip tries again */ });
    }, every);
  }

  var stage = document.getElementById("stage-now");
  if (stage) {
    var form = document.querySelector("form[data-autosave]");
    var typed = false;
    if (form) {
      form.addEventListener("input", function () { typed = true; });
      form.addEventListener("change", function () { typed = true; });
    }
    var moved = document.getElementById("stage-moved");
    setInterval(function () {
      fetch(stage.getAttribute("data-now"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (now) {
          if (!now) { return; }
          var clock = stage.querySelector(".countdown[data-seconds]");
          if (clock) {
            clock.setAttribute("data-seconds", String(now.seconds_left));
            clock.setAttribute("data-running", now.running ? "1" : "0");
          }
          if (now.mark === stage.getAttribute("data-mark")) { return; }
          /* The stage moved on. A judge who is typing keeps their place (scoring.js saves each
             change); one who is not follows the stage at once. A sheet with saves still queued
             (typed offline, or kept in the browser and put back when the page opened) counts as
             typing: leaving it would leave those saves unsent until the sheet is opened again. */
          if (form && form.hasAttribute("data-unsent")) { typed = true; }
          if (stage.getAttribute("data-following") === "1" && !typed) {
            window.location.assign(stage.getAttribute("data-follow"));
            return;
          }
          moved.hidden = false;
          moved.textContent = "";
          var link = document.createElement("a");
          link.href = stage.getAttribute("data-follow");
          link.className = "button";
          link.textContent = stage.getAttribute("data-moved") + (now.startup ? ": " + now.startup : "");
          moved.appendChild(link);
        })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }, parseInt(stage.getAttribute("data-every"), 10) * 1000);
  }
})();
