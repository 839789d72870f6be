/* Adverse event form: show the CTCAE grade definitions of the chosen term (only its defined grades), and the
   "other term" field only for an uncoded term. Definitions come from the page (json_script #grade-map). */
(function () {
  const map = JSON.parse(document.getElementById("grade-map").textContent);
  const term = document.getElementById("id_term");
  const other = document.getElementById("other-term");
  function update() {
    const defs = map[term.value] || map["__other__"];
    other.style.display = term.value === "__other__" ? "" : "none";
    document.querySelectorAll("input[name=grade]").forEach(function (input) {
      const label = document.querySelector("label[for='" + input.id + "']");
      const wrap = input.closest(".form-check");
      const text = defs[input.value];
      if (wrap) wrap.style.display = text ? "" : "none";
      if (!text && input.checked) input.checked = false;
      if (label && text) label.textContent = input.value + " — " + text;
    });
  }
  term.addEventListener("change", update);
  update();
})();
