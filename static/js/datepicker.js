/* ISO date entry (YYYY-MM-DD) whatever the browser's locale.
 * Every <input data-datepicker="iso"> (itp_trial.forms.IsoDateInput) stays a text field the user may type
 * into; a calendar button beside it opens flatpickr (vendored) in ISO format, Monday first. The calendar
 * opens only from the button, so typing and tabbing through a form are never covered by a popup.
 */
(function () {
  "use strict";
  if (typeof window.flatpickr !== "function") return;
  // Words come from the JavaScript catalogue (i18n/js/, loaded before this script) in the page's language.
  const gettext = window.gettext || function (message) { return message; };
  const pgettext = window.pgettext || function (context, message) { return message; };
  const LOCALE = {
    firstDayOfWeek: 1,
    weekdays: {
      shorthand: [pgettext("weekday", "Sun"), pgettext("weekday", "Mon"), pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"), pgettext("weekday", "Thu"), pgettext("weekday", "Fri"), pgettext("weekday", "Sat")],
      longhand: [gettext("Sunday"), gettext("Monday"), gettext("Tuesday"), gettext("Wednesday"), gettext("Thursday"),
        gettext("Friday"), gettext("Saturday")],
    },
    months: {
      shorthand: [gettext("January"), gettext("February"), gettext("March"), gettext("April"), gettext("May"),
        gettext("June"), gettext("July"), gettext("August"), gettext("September"), gettext("October"),
        gettext("November"), gettext("December")],
      longhand: [gettext("January"), gettext("February"), gettext("March"), gettext("April"), gettext("May"),
        gettext("June"), gettext("July"), gettext("August"), gettext("September"), gettext("October"),
        gettext("November"), gettext("December")],
    },
  };
  const ISO = /^\d{4}-\d{2}-\d{2}$/;

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
    button.setAttribute("aria-label", gettext("Open calendar"));
    button.title = gettext("Open calendar (dates are YYYY-MM-DD)");
    button.setAttribute("data-testid", "date-toggle");
    button.innerHTML = '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 16 16" fill="currentColor"><path d="M3.5 0a.5.5 0 0 1 .5.5V1h8V.5a.5.5 0 0 1 1 0V1h1a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2h1V.5a.5.5 0 0 1 .5-.5zM1 4v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V4H1z"/></svg>';
    group.appendChild(button);
    moveFeedback(input, group);

    // flatpickr works on a hidden twin: what the user types is never reparsed or rewritten by the picker
    // (a typed 11/28/2026 reaches the server as typed and is refused there, not silently turned into a date).
    const twin = document.createElement("input");
    twin.type = "text";
    twin.className = "date-twin";  // never shown (app.css); flatpickr would turn a hidden input into text
    twin.tabIndex = -1;
    twin.setAttribute("aria-hidden", "true");
    group.appendChild(twin);
    const picker = window.flatpickr(twin, {
      dateFormat: "Y-m-d",
      clickOpens: false,
      animate: false,
      disableMobile: true, // never hand over to the device's locale-formatted picker
      locale: LOCALE,
      positionElement: group,
      onChange: function (dates, iso) {
        input.value = iso;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        picker.close();
        input.focus();
      },
    });
    button.addEventListener("click", function () {
      if (picker.isOpen) { picker.close(); return; }
      picker.setDate(ISO.test(input.value) ? input.value : null, false);
      if (!ISO.test(input.value)) picker.jumpToDate(new Date());
      picker.open();
    });
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
