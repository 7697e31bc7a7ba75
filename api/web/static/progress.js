// Forms whose answer takes a while (skill gap, programme, scenario): on submit, the buttons are
// disabled (no second click starts the computation again), the clicked one reads the form's
// data-progress text ("computing…", from the page's catalogue) and the form is marked busy. The
// clicked button's name and value still go with the form (a hidden copy, since a disabled button is
// not sent). Coming back through the browser's history gives the form back as it was.
// No inline script: the UI's Content-Security-Policy allows only 'self'.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-progress]");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      var clicked = event.submitter || form.querySelector("button[type=submit]");
      if (clicked && clicked.name) {
        var copy = document.createElement("input");
        copy.type = "hidden";
        copy.name = clicked.name;
        copy.value = clicked.value;
        copy.setAttribute("data-progress-copy", "");
        form.appendChild(copy);
      }
      window.setTimeout(function () {  // after the browser has read the form
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
          b.setAttribute("data-label", b.textContent);
          b.disabled = true;
        });
        if (clicked) { clicked.textContent = form.getAttribute("data-progress"); }
        form.setAttribute("aria-busy", "true");
        var live = form.querySelector(".progress-status");
        if (live) { live.textContent = form.getAttribute("data-progress"); }
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(forms, function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("[data-progress-copy]"), function (c) { c.remove(); });
      Array.prototype.forEach.call(form.querySelectorAll("button[data-label]"), function (b) {
        b.textContent = b.getAttribute("data-label");
        b.removeAttribute("data-label");
        b.disabled = false;
      });
      var live = form.querySelector(".progress-status");
      if (live) { live.textContent = ""; }
    });
  });
})();
