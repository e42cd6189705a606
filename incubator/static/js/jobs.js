// A background export's page: while the job runs, fetch the page again every few seconds and swap in
// its status region, until the job has ended. Without JavaScript the page offers "Check again".
(function () {
  "use strict";
  var region = document.getElementById("job-live");
  if (!region || !region.dataset.jobPoll) return;
  var url = region.dataset.jobPoll;
  var delay = 2000;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-live");
        if (!fresh) return;
        region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes));
        if (fresh.dataset.jobPoll) window.setTimeout(poll, delay);
        else delete region.dataset.jobPoll;
      })
      .catch(function () { window.setTimeout(poll, delay * 3); });  // a bad connection: try again later
  }
  window.setTimeout(poll, delay);
})();
