// Behaviour of every page, without inline script (the Content Security Policy
// allows scripts from our static files only).
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form when the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <form data-confirm="..."> and <button data-confirm="...">: ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // A computing payroll cycle: <div data-progress-url="..."> polls its progress.
  var progress = document.querySelector("[data-progress-url]");
  if (progress) {
    var url = progress.dataset.progressUrl;
    var poll = async function () {
      try {
        var data = await (await fetch(url, {credentials: "same-origin"})).json();
        document.getElementById("progress-bar").style.width = data.percent + "%";
        document.getElementById("progress-text").textContent = data.chunks_done + " / " + data.chunks_total;
        document.getElementById("cycle-status").textContent = data.status_label;
        document.getElementById("cycle-error").textContent = data.error;
        if (data.status === "computing") { setTimeout(poll, 800); } else { window.location.reload(); }
      } catch (e) { setTimeout(poll, 2000); }
    };
    setTimeout(poll, 500);
  }

  // An import checked in the background: <div data-import-progress-url="...">.
  var importProgress = document.querySelector("[data-import-progress-url]");
  if (importProgress) {
    var importUrl = importProgress.dataset.importProgressUrl;
    var importPoll = async function () {
      try {
        var data = await (await fetch(importUrl, {credentials: "same-origin"})).json();
        document.getElementById("progress-bar").style.width = data.percent + "%";
        document.getElementById("progress-text").textContent = data.rows_done + " / " + data.rows_total;
        document.getElementById("import-status").textContent = data.status_label;
        if (data.done) { window.location.reload(); } else { setTimeout(importPoll, 800); }
      } catch (e) { setTimeout(importPoll, 2000); }
    };
    setTimeout(importPoll, 500);
  }
})();
