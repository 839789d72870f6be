/* ISO date entry (YYYY-MM-DD) whatever the browser's locale.
 * Every <input data-datepicker="iso"> (itp_trial.forms.IsoDateInput) stays a text field the user may type
 * into; a calendar button beside it opens flatpickr (vendored) in ISO format, Monday first. The calendar
 * opens only from the button, so typing and tabbing through a form are never covered by a popup.
 */
(function () {
  "use strict";
  if (typeof window.flatpickr !== "function") return;

  function moveFeedback(input, group) {
    // Bootstrap shows .invalid-feedback only as a sibling of the invalid control: keep it in the group.
    let next = group.nextElementSibling;
    while (next && next.classList.contains("invalid-feedback")) {
      const following = next.nextElementSibling;
      group.appendChild(next);
      next = following;
    }
  }

  function attach(input) {
    if (input.dataset.datepickerReady) return;
    input.dataset.datepickerReady = "1";
    const group = document.createElement("div");
    group.className = "input-group has-validation date-group";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-toggle";
    button.setAttribute("aria-label", "Open calendar");
    button.title = "Open calendar (dates are YYYY-MM-DD)";
    button.setAttribute("data-testid", "date-toggle");
    button.innerHTML = '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 16 16" fill="currentColor"><path d="M3.5 0a.5.5 0 0 1 .5.5V1h8V.5a.5.5 0 0 1 1 0V1h1a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2h1V.5a.5.5 0 0 1 .5-.5zM1 4v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V4H1z"/></svg>';
    group.appendChild(button);
    moveFeedback(input, group);

    const picker = window.flatpickr(input, {
      dateFormat: "Y-m-d",
      allowInput: true,
      clickOpens: false,
      disableMobile: true, // never hand over to the device's locale-formatted picker
      locale: { firstDayOfWeek: 1 },
      positionElement: group,
    });
    button.addEventListener("click", function () { picker.toggle(); });
  }

  function init(root) {
    root.querySelectorAll("input[data-datepicker]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
