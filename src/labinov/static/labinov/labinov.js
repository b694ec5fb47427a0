/* Labinov's page behaviour. The Content-Security-Policy allows no inline scripts or event handlers
   (onclick=...), so pages mark elements with data- attributes and this file, loaded by base.html,
   wires them up. Everything works without it too, only less conveniently. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  ready(function () {
    /* <button data-print>: print the page */
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    /* <p data-word-count="id1 id2 ..." data-word-min="300"> with a <strong data-word-count-out>:
       counts the words typed in those fields and marks the paragraph "enough" at the minimum */
    document.querySelectorAll("[data-word-count]").forEach(function (box) {
      var ids = box.getAttribute("data-word-count").split(/\s+/).filter(Boolean);
      var min = parseInt(box.getAttribute("data-word-min"), 10) || 0;
      var out = box.querySelector("[data-word-count-out]");
      function count() {
        var n = 0;
        ids.forEach(function (id) {
          var el = document.getElementById(id);
          var text = el ? el.value.trim() : "";
          if (text) { n += text.split(/\s+/).length; }
        });
        if (out) { out.textContent = n; }
        box.classList.toggle("enough", n >= min);
      }
      ids.forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.addEventListener("input", count); }
      });
      count();
    });
  });
})();
