// Draws every element with a data-chart attribute ({"kind": "bar" | "line", "rows": [{label, value}]})
// with ECharts, on load and after htmx swaps content in.
(function () {
  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var spec = JSON.parse(element.dataset.chart);
      var rows = spec.rows || [];
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 48, right: 16, top: 16, bottom: 48 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (row) { return String(row.label); }), axisLabel: { rotate: rows.length > 6 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: [{ type: spec.kind === "line" ? "line" : "bar", data: rows.map(function (row) { return row.value; }) }]
      });
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
