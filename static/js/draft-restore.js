// A form kept when the session ended (drafts/): the server hands its fields to the page it was typed on in a
// JSON block (#restored-draft); they are put back into the form that has the most of those fields, hidden
// fields included (the page's one-time token and the version the user had opened), so saving it goes through
// the same checks as the first attempt. Passwords are never kept.
(function () {
  "use strict";
  var block = document.getElementById("restored-draft");
  if (!block) return;
  var fields;
  try { fields = JSON.parse(block.textContent); } catch (error) { return; }
  var names = Object.keys(fields);

  function controls(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }

  var best = null, bestCount = 0;
  document.querySelectorAll("form").forEach(function (form) {
    if (form.method.toLowerCase() !== "post") return;
    var count = names.filter(function (name) { return controls(form, name).length > 0; }).length;
    if (count > bestCount) { best = form; bestCount = count; }
  });
  if (!best) return;

  Array.prototype.forEach.call(best.elements, function (el) {
    if (!el.name || el.type === "password" || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
    var values = fields[el.name] || [];
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = values.indexOf(el.value) !== -1;  // an unticked box is not posted: it comes back unticked
    } else if (el.tagName === "SELECT") {
      Array.prototype.forEach.call(el.options, function (option) {
        option.selected = values.indexOf(option.value) !== -1;
      });
    } else if (Object.prototype.hasOwnProperty.call(fields, el.name)) {
      var same = controls(best, el.name);
      el.value = values[same.indexOf(el)] !== undefined ? values[same.indexOf(el)] : values[0];
    } else {
      return;
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));  // dependent parts of the form follow
  });
  best.dataset.draftRestored = "true";
})();
