// District -> street -> community selects: offer only the children of the
// chosen parent, and clear a child that no longer belongs. Options carry
// data-parent (core.user_forms.ScopeSelect); without script every option
// stays and the server refuses a mismatch.
(function () {
  "use strict";
  function link(child) {
    var parent = document.getElementById(child.getAttribute("data-parent-field"));
    if (!parent) { return; }
    function apply() {
      var chosen = parent.value;
      Array.prototype.forEach.call(child.options, function (option) {
        var owner = option.getAttribute("data-parent");
        var fits = !option.value || !chosen || owner === chosen;
        option.hidden = !fits;
        option.disabled = !fits;
        if (!fits && option.selected) { child.value = ""; }
      });
      child.dispatchEvent(new Event("scope-filtered"));
    }
    parent.addEventListener("change", apply);
    parent.addEventListener("scope-filtered", apply);
    apply();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-parent-field]"), link);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
