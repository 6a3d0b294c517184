// 绩效考核 chart: cases per row (bars) with the on-time and satisfaction rates (lines, right axis). The figures come
// from a JSON data island written by the page (no inline script: the Content-Security-Policy forbids it).
(function () {
  var island = document.getElementById("stats-data");
  var canvas = document.getElementById("stats-chart");
  if (!island || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  if (!data.labels.length) { canvas.hidden = true; return; }
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        {type: "bar", label: data.label_cases, data: data.cases, backgroundColor: "#c0392b", yAxisID: "y"},
        {type: "line", label: data.label_on_time, data: data.on_time, borderColor: "#1f6f43", yAxisID: "rate"},
        {type: "line", label: data.label_satisfaction, data: data.satisfaction, borderColor: "#0a4fb3",
         yAxisID: "rate"}
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {y: {beginAtZero: true, position: "left"},
               rate: {beginAtZero: true, max: 100, position: "right", grid: {drawOnChartArea: false}}}
    }
  });
})();
