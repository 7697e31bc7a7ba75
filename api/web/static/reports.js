// The reports page: while a report is queued or running, ask the app for the statuses every 3 s and
// show them (an aria-live region announces the change); reload once every report has finished, so
// the file links appear. No inline script: the UI's Content-Security-Policy allows only 'self'.
(function () {
  "use strict";
  var table = document.getElementById("reports");
  var live = document.getElementById("report-status");
  if (!table || !live) { return; }
  var lang = document.documentElement.lang || "en";
  function pending() {
    return Array.prototype.some.call(table.querySelectorAll("td.status"), function (td) {
      var s = td.getAttribute("data-status");
      return s === "queued" || s === "running";
    });
  }
  function poll() {
    fetch("/ui/reports/status?lang=" + encodeURIComponent(lang), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (rows) {
        var finished = true;
        rows.forEach(function (row) {
          var td = table.querySelector('tr[data-id="' + row.id + '"] td.status');
          if (td && td.getAttribute("data-status") !== row.status) {
            td.setAttribute("data-status", row.status);
            td.textContent = row.label;
            live.textContent = (row.title || "") + ": " + row.label;
          }
          if (row.status === "queued" || row.status === "running") { finished = false; }
        });
        if (finished) { window.location.reload(); } else { window.setTimeout(poll, 3000); }
      })
      .catch(function () { window.setTimeout(poll, 6000); });
  }
  if (pending()) { window.setTimeout(poll, 1500); }
})();
