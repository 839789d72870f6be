// "Back" buttons on the error pages: the browser's own back, which keeps what was typed in the form.
(function () {
  "use strict";
  document.querySelectorAll("[data-history-back]").forEach(function (button) {
    button.addEventListener("click", function () { window.history.back(); });
  });
})();
