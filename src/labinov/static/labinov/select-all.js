/* "Select all" for a list of checkboxes, without inline script (the CSP allows only files).
 * Markup: <p data-select-all-for="NAME" hidden><input type="checkbox" id="…"><label …></p>
 * The block stays hidden without JavaScript; with it, ticking it ticks every input[name=NAME]
 * of the same form, and it follows the boxes (ticked when all are, mixed when some are). */
(function () {
  "use strict";
  function wire(holder) {
    var form = holder.closest("form");
    var name = holder.getAttribute("data-select-all-for");
    var master = holder.querySelector("input[type=checkbox]");
    if (!form || !name || !master) return;
    var boxes = function () { return form.querySelectorAll('input[type=checkbox][name="' + name + '"]'); };
    var sync = function () {
      var all = boxes(), on = 0;
      all.forEach(function (b) { if (b.checked) on += 1; });
      master.checked = all.length > 0 && on === all.length;
      master.indeterminate = on > 0 && on < all.length;
    };
    master.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = master.checked; });
    });
    form.addEventListener("change", function (e) {
      if (e.target !== master && e.target.name === name) sync();
    });
    holder.hidden = false;
    sync();
  }
  function init() { document.querySelectorAll("[data-select-all-for]").forEach(wire); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
