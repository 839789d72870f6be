/* Patient dashboard: three panels stacked on one shared axis of days since day 0, as a physician reads them.
   1. Platelets (×10⁹/L) coloured by response category, bleeding as a red-edged triangle, with the R (30),
      CR (100) and 2 × baseline lines.
   2. Sirolimus dose (mg/day, left axis) as steps, each dose held from its start day to the next change,
      and trough levels (ng/mL, right axis) against the shaded 5-15 ng/mL target band.
   3. Adverse events as bars from onset to resolution (ongoing: to today), coloured by CTCAE grade.
   The data come from the page (json_script #chart-data); the same values are in the tables under the panels.
   Every word comes from the page too (json_script #chart-text, reports/chart_text.py), in the reader's language:
   whole sentences with named placeholders, filled here with numbers and ISO dates.
   Every panel has the same x range and the same axis widths, so a day sits at the same pixel in all three. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var textSource = document.getElementById("chart-text");
  var TEXT = textSource ? JSON.parse(textSource.textContent) : {};

  // The sentence `key` with its %(name)s placeholders filled from `values` (as Django's interpolate does).
  function say(key, values) {
    var sentence = TEXT[key] === undefined ? key : TEXT[key];
    return sentence.replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && values[name] !== undefined && values[name] !== null ? String(values[name]) : whole;
    });
  }
  var band = { low: data.trough_range[0], high: data.trough_range[1] };
  var LEFT = 52;  // px of every left axis
  var RIGHT = 44;  // px of the dose panel's right axis, and right padding of the others
  var CATEGORY = { CR: "#198754", R: "#0d6efd", NR: "#6c757d", NE: "#ffc107" };
  var GRADE = { 1: "#f2c94c", 2: "#f2994a", 3: "#dc3545", 4: "#842029", 5: "#212529" };
  var DOSE = "#fd7e14";
  var small = window.matchMedia && window.matchMedia("(max-width: 576px)").matches;
  var font = { size: small ? 10 : 12 };

  function width(px) { return function (scale) { scale.width = px; }; }

  function xAxis(title) {
    return { type: "linear", min: data.x.min, max: data.x.max, offset: false,
      ticks: { font: font, maxRotation: 0, autoSkipPadding: 12, precision: 0 },
      title: { display: title, text: say("days_axis"), font: font } };
  }

  function yAxis(label, extra) {
    var axis = { type: "linear", position: "left", beginAtZero: true, afterFit: width(LEFT),
      ticks: { font: font, maxTicksLimit: small ? 5 : 7 }, title: { display: true, text: label, font: font } };
    return Object.assign(axis, extra || {});
  }

  function across(y) { return [{ x: data.x.min, y: y }, { x: data.x.max, y: y }]; }

  function reference(label, y, colour) {
    return { type: "line", label: label, data: across(y), borderColor: colour, borderDash: [6, 4],
      borderWidth: 1.5, pointRadius: 0, pointHitRadius: 0, fill: false };
  }

  function options(scales, padRight, legend, tooltip) {
    return { responsive: true, maintainAspectRatio: false, animation: false, parsing: true,
      layout: { padding: { right: padRight ? RIGHT : 0, left: 0 } },
      interaction: { mode: "nearest", intersect: true },
      plugins: { legend: legend, tooltip: tooltip || {} }, scales: scales };
  }

  function legendOf(filter) {
    return { position: "bottom", labels: { boxWidth: 12, boxHeight: 8, font: font, filter: filter } };
  }

  // 1. Platelets ------------------------------------------------------------------------------------------
  var plateletCanvas = document.getElementById("platelet-chart");
  if (plateletCanvas) {
    var platelets = {
      type: "line", label: say("platelets"), borderColor: "#343a40", borderWidth: 2, tension: 0,
      data: data.points.map(function (p) { return { x: p.day, y: p.platelets, meta: p }; }),
      pointRadius: data.points.map(function (p) { return p.bleeding ? 8 : 5; }),
      pointStyle: data.points.map(function (p) { return p.bleeding ? "triangle" : "circle"; }),
      pointBackgroundColor: data.points.map(function (p) { return CATEGORY[p.category] || "#adb5bd"; }),
      pointBorderColor: data.points.map(function (p) { return p.bleeding ? "#dc3545" : "#343a40"; }),
      pointBorderWidth: data.points.map(function (p) { return p.bleeding ? 2.5 : 1; })
    };
    var lines = [platelets, reference(say("r_line", { value: data.lines.r }), data.lines.r, "#0d6efd"),
      reference(say("cr_line", { value: data.lines.cr }), data.lines.cr, "#198754")];
    if (data.lines.double_baseline !== null) {
      lines.push(reference(say("double_baseline"), data.lines.double_baseline, "#6f42c1"));
    }
    new Chart(plateletCanvas, {
      data: { datasets: lines },
      options: options({ x: xAxis(false), y: yAxis(say("platelets_axis")) }, true, legendOf(), {
        callbacks: { afterLabel: function (item) {
          var p = item.raw && item.raw.meta;
          if (!p) { return ""; }
          var category = p.visit === "baseline" ? say("reference_count") : p.category;  // none at baseline
          var parts = [p.date, p.visit_label || p.visit, category];
          if (p.bleeding) { parts.push(say("bleeding_grade", { grade: p.bleeding_grade })); }
          if (p.rescue) { parts.push(say("rescue_window")); }
          return parts.join(" · ");
        } } })
    });
  }

  // 2. Sirolimus dose and troughs ---------------------------------------------------------------------------
  var drugCanvas = document.getElementById("drug-chart");
  if (drugCanvas) {
    // Each dose is a horizontal segment from its start day to the next change; the change is a vertical jump.
    var steps = [];
    data.dose_steps.forEach(function (s) {
      steps.push({ x: s.from, y: s.mg_per_day, meta: s });
      steps.push({ x: s.to, y: s.mg_per_day, meta: s });
    });
    var troughMax = Math.max.apply(null, data.troughs.map(function (t) { return t.ng_ml; })
      .concat([data.trough_range[1] * 1.4]));
    var doseMax = Math.max.apply(null, data.dose_steps.map(function (s) { return s.mg_per_day; }).concat([2]));
    new Chart(drugCanvas, {
      data: { datasets: [
        // `order`: the lowest is drawn on top (troughs, then the dose, then the band underneath)
        { type: "line", label: "band-low", yAxisID: "ng", data: across(data.trough_range[0]), pointRadius: 0,
          borderWidth: 0, fill: false, order: 3 },
        { type: "line", label: say("target_band", band), yAxisID: "ng", data: across(data.trough_range[1]),
          pointRadius: 0, borderWidth: 0, fill: "-1", backgroundColor: "rgba(13, 202, 240, 0.15)", order: 2 },
        { type: "line", label: say("dose"), yAxisID: "y", data: steps, borderColor: DOSE,
          backgroundColor: DOSE, borderWidth: 3, tension: 0, stepped: false, pointRadius: 0, pointHitRadius: 6,
          order: 1 },
        { type: "scatter", label: say("trough"), yAxisID: "ng", pointStyle: "rectRot", pointRadius: 6, order: 0,
          data: data.troughs.map(function (t) { return { x: t.day, y: t.ng_ml, meta: t }; }),
          backgroundColor: data.troughs.map(function (t) { return t.in_range ? "#0dcaf0" : "#dc3545"; }),
          borderColor: "#212529", borderWidth: 1 }
      ] },
      options: options({
        x: xAxis(!data.adverse_events.length),
        y: yAxis(say("dose_axis"), { suggestedMax: doseMax * 1.25, ticks: { font: font, stepSize: 0.5 } }),
        ng: { type: "linear", position: "right", beginAtZero: true, max: Math.ceil(troughMax / 5) * 5,
          afterFit: width(RIGHT), grid: { drawOnChartArea: false }, ticks: { font: font, maxTicksLimit: 6 },
          title: { display: true, text: say("trough_axis"), font: font } }
      }, false, legendOf(function (item) { return item.text !== "band-low"; }), {
        callbacks: { label: function (item) {
          var m = item.raw && item.raw.meta;
          if (!m) { return item.dataset.label; }
          if (m.ng_ml !== undefined) {
            return say(m.in_range ? "trough_in_range" : "trough_out_of_range",
              { date: m.date, value: m.ng_ml, low: band.low, high: band.high });
          }
          return say("dose_step", { date: m.date, day: m.from, dose: m.mg_per_day,
            phase: m.phase_label || m.phase });
        } } })
    });
  }

  // 3. Adverse events --------------------------------------------------------------------------------------
  var aeCanvas = document.getElementById("ae-chart");
  if (aeCanvas && data.adverse_events.length) {
    var events = data.adverse_events;
    aeCanvas.parentNode.style.height = (48 + events.length * (small ? 30 : 34)) + "px";  // one row per event
    var labelPlugin = {  // the term and grade written over each bar (the y axis stays as narrow as the others)
      id: "aeLabels",
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx;
        var meta = chart.getDatasetMeta(0);
        ctx.save();
        ctx.font = (small ? 10 : 12) + "px system-ui, sans-serif";
        ctx.textBaseline = "bottom";
        meta.data.forEach(function (bar, i) {
          var e = events[i];
          var text = say(e.ongoing ? "ae_bar_ongoing" : "ae_bar", { grade: e.grade, term: e.term });
          var left = Math.min(bar.base, bar.x);
          var x = Math.max(chart.chartArea.left + 2,
            Math.min(left, chart.chartArea.right - ctx.measureText(text).width - 2));
          ctx.fillStyle = "#212529";
          ctx.fillText(text, x, bar.y - bar.height / 2 - 1);
        });
        ctx.restore();
      }
    };
    new Chart(aeCanvas, {
      type: "bar",
      plugins: [labelPlugin],
      data: { labels: events.map(function (e, i) { return String(i + 1); }), datasets: [{
        label: say("adverse_events"), data: events.map(function (e) { return [e.day, Math.max(e.to, e.day + 0.5)]; }),
        backgroundColor: events.map(function (e) { return GRADE[e.grade] || "#6c757d"; }),
        borderColor: events.map(function (e) { return e.ongoing ? "#212529" : "rgba(0,0,0,0)"; }),
        borderWidth: events.map(function (e) { return e.ongoing ? { right: 3 } : 0; }),
        borderSkipped: false, barPercentage: 0.5, categoryPercentage: 1 }] },
      options: Object.assign(options({
        x: xAxis(true),
        y: { type: "category", afterFit: width(LEFT), grid: { display: false },
          ticks: { font: font }, title: { display: true, text: say("ae_axis"), font: font } }
      }, true, { display: false }, {
        callbacks: { title: function (items) { return events[items[0].dataIndex].term; },
          label: function (item) {
            var e = events[item.dataIndex];
            return say(e.ongoing ? "ae_ongoing" : "ae_resolved", { grade: e.grade, start: e.date, end: e.end_date });
          } } }), { indexAxis: "y" })
    });
  }
})();
