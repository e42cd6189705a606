/* Rubric builder enhancement: on the criterion form, show this criterion's share of the
   100 points while its weight is typed. The server renders the same figure after each save,
   so the page works without this file. */
(function () {
  "use strict";
  var box = document.querySelector("[data-other-weights]");
  if (!box) { return; }
  var input = document.getElementById(box.getAttribute("data-weight-input"));
  var output = box.querySelector("output");
  if (!input || !output) { return; }
  var others = box.getAttribute("data-other-weights").split(/\s+/).reduce(function (sum, text) {
    var value = parseFloat(text);
    return isNaN(value) ? sum : sum + value;
  }, 0);
  var format = new Intl.NumberFormat(document.documentElement.lang || "id", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2
  });

  function update() {
    var weight = parseFloat(String(input.value).replace(",", "."));
    if (isNaN(weight) || weight <= 0) {
      output.textContent = "\u2013";
      return;
    }
    /* Half away from zero, in hundredths, as the server rounds. */
    var share = Math.round(10000 * weight / (weight + others)) / 100;
    output.textContent = format.format(share);
  }

  input.addEventListener("input", update);
})();
