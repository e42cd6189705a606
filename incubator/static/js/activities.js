/* Check-in page enhancement: filter the startup list while typing.
   Without this file the search box works with a normal page load (GET ?q=). */
(function () {
  "use strict";
  var box = document.querySelector("input[data-checkin-filter]");
  var list = document.getElementById(box ? box.getAttribute("data-checkin-filter") : "");
  if (!box || !list) { return; }
  var none = document.getElementById("checkin-none");
  var rows = list.querySelectorAll("li[data-name]");

  function normal(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function filter() {
    var query = normal(box.value);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var match = normal(rows[i].getAttribute("data-name")).indexOf(query) !== -1;
      rows[i].hidden = !match;
      if (match) { shown++; }
    }
    if (none) { none.hidden = shown !== 0 || rows.length === 0; }
  }

  box.addEventListener("input", filter);
})();
