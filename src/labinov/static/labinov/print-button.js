/* Print buttons without inline handlers (CSP): <button data-print hidden> is shown and prints the page. */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("button[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
