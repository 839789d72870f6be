/* Patient dashboard chart: platelets over days since day 0 with the response thresholds, sirolimus dose
   (step line) and trough levels against the 5-15 ng/mL band, and adverse events by grade.
   Data come from the page (json_script #chart-data); the same data are in the table under the chart. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var canvas = document.getElementById("platelet-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = { CR: "#198754", R: "#0d6efd", NR: "#6c757d", NE: "#ffc107" };
  var days = data.points.map(function (p) { return p.day; })
    .concat(data.doses.map(function (d) { return d.day; }))
    .concat(data.troughs.map(function (t) { return t.day; }))
    .concat(data.adverse_events.map(function (a) { return a.day; }));
  var first = Math.min.apply(null, days.concat([0]));
  var last = Math.max.apply(null, days.concat([28]));

  function line(label, y, colour, axis) {
    return { type: "line", label: label, data: [{ x: first, y: y }, { x: last, y: y }], yAxisID: axis || "y",
      borderColor: colour, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false };
  }

  var datasets = [{
    type: "line", label: "Platelets (×10⁹/L)", yAxisID: "y", borderColor: "#343a40", borderWidth: 2,
    data: data.points.map(function (p) { return { x: p.day, y: p.platelets, meta: p }; }),
    pointRadius: data.points.map(function (p) { return p.bleeding ? 8 : 5; }),
    pointStyle: data.points.map(function (p) { return p.bleeding ? "triangle" : "circle"; }),
    pointBackgroundColor: data.points.map(function (p) { return colours[p.category] || "#adb5bd"; }),
    pointBorderColor: data.points.map(function (p) { return p.bleeding ? "#dc3545" : "#343a40"; })
  }];
  datasets.push(line("R threshold 30", data.lines.r, "#0d6efd"));
  datasets.push(line("CR threshold 100", data.lines.cr, "#198754"));
  if (data.lines.double_baseline !== null) {
    datasets.push(line("2 × baseline", data.lines.double_baseline, "#6f42c1"));
  }
  var hasDrug = data.doses.length > 0 || data.troughs.length > 0;
  if (hasDrug) {
    datasets.push({ type: "line", label: "band-low", yAxisID: "y2", pointRadius: 0, borderWidth: 0,
      data: [{ x: first, y: data.trough_range[0] }, { x: last, y: data.trough_range[0] }], fill: false });
    datasets.push({ type: "line", label: "Target trough 5–15 ng/mL", yAxisID: "y2", pointRadius: 0, borderWidth: 0,
      data: [{ x: first, y: data.trough_range[1] }, { x: last, y: data.trough_range[1] }],
      fill: "-1", backgroundColor: "rgba(13, 202, 240, 0.12)" });
    datasets.push({ type: "scatter", label: "Trough (ng/mL)", yAxisID: "y2", pointStyle: "rectRot", pointRadius: 6,
      data: data.troughs.map(function (t) { return { x: t.day, y: t.ng_ml }; }),
      backgroundColor: data.troughs.map(function (t) { return t.in_range ? "#0dcaf0" : "#dc3545"; }) });
    datasets.push({ type: "line", label: "Sirolimus (mg/day)", yAxisID: "y3", stepped: "after",
      borderColor: "#fd7e14", borderWidth: 2, pointRadius: 0,
      data: data.doses.map(function (d) { return { x: d.day, y: d.mg_per_day }; }) });
  }
  if (data.adverse_events.length > 0) {
    datasets.push({ type: "scatter", label: "Adverse event (grade)", yAxisID: "y4", pointStyle: "crossRot",
      pointRadius: 9, borderWidth: 3, borderColor: "#dc3545",
      data: data.adverse_events.map(function (a) { return { x: a.day, y: a.grade, meta: a }; }) });
  }

  var scales = {
    x: { type: "linear", min: first, max: last, title: { display: true, text: "Days since day 0" } },
    y: { type: "linear", beginAtZero: true, title: { display: true, text: "Platelets ×10⁹/L" } }
  };
  if (hasDrug) {
    scales.y2 = { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
      title: { display: true, text: "Trough ng/mL" } };
    scales.y3 = { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
      title: { display: true, text: "Dose mg/day" } };
  }
  if (data.adverse_events.length > 0) {
    scales.y4 = { type: "linear", position: "right", min: 0, max: 5, grid: { drawOnChartArea: false },
      ticks: { stepSize: 1 }, title: { display: true, text: "AE grade" } };
  }

  new Chart(canvas, {
    data: { datasets: datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "nearest", intersect: true },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 14,
          filter: function (item) { return item.text !== "band-low"; } } },
        tooltip: { callbacks: { afterLabel: function (item) {
          var meta = item.raw && item.raw.meta;
          if (!meta) { return ""; }
          if (meta.category) {
            var category = meta.visit === "baseline" ? "reference count" : meta.category;  // no category at baseline
            return meta.visit + " · " + category + (meta.bleeding ? " · bleeding grade " + meta.bleeding_grade : "");
          }
          return meta.term ? meta.term + " grade " + meta.grade : "";
        } } }
      },
      scales: scales
    }
  });
})();
