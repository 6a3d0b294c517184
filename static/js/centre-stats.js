// The service centre's statistics chart (admin): applications per row (bars) with the on-time and one-go rates
// (lines, right axis). The figures come from a JSON data island written by the page (no inline script: the
// Content-Security-Policy forbids it); Chart.js is served from static/, no CDN.
(function () {
  var island = document.getElementById("stats-data");
  var canvas = document.getElementById("stats-chart");
  if (!island || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  if (!data.labels.length) { canvas.hidden = true; return; }
  new Chart(canvas, {
    data: {
      labels: data.labels,
      // The lines are drawn over the bars (a lower order is drawn later), so that a rate of 100 % stays visible.
      datasets: [
        {type: "bar", label: data.label_applications, data: data.applications, backgroundColor: "#417690",
         yAxisID: "y", order: 2},
        {type: "line", label: data.label_acceptance, data: data.acceptance, borderColor: "#1f6f43", yAxisID: "rate", order: 1},
        {type: "line", label: data.label_decision, data: data.decision, borderColor: "#c0392b", yAxisID: "rate", order: 1},
        {type: "line", label: data.label_first_time, data: data.first_time, borderColor: "#b8860b", yAxisID: "rate", order: 1}
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {y: {beginAtZero: true, position: "left", ticks: {precision: 0}},
               rate: {beginAtZero: true, max: 100, position: "right", grid: {drawOnChartArea: false}}}
    }
  });
})();
