// The study dashboard: the whole study's counts per visit and Tables 2-3 load beside the grid (their own
// request, so a page of patients stays small and quick); without JavaScript the section is a link to them.
(function () {
  "use strict";
  const section = document.getElementById("study-summary");
  if (!section || !section.dataset.url) return;
  fetch(section.dataset.url, {credentials: "same-origin", headers: {"Accept": "text/html"}})
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      const parsed = new DOMParser().parseFromString(html, "text/html");
      section.replaceChildren(...parsed.body.childNodes);
      section.dataset.loaded = "true";
    })
    .catch(() => { section.dataset.loaded = "failed"; });
})();
