// Draws every element with a data-chart attribute with ECharts, on load and after htmx swaps.
// Kinds: bar and line ({rows: [{label, value}]}), hbar (horizontal bars, same rows), heatmap
// ({labels, cells: [[x, y, value]]}) and sankey ({nodes: [name], links: [{source, target, value}]}).
(function () {
  function option(spec) {
    var rows = spec.rows || [];
    var labels = rows.map(function (row) { return String(row.label); });
    var values = rows.map(function (row) { return row.value; });
    if (spec.kind === "heatmap") {
      var high = Math.max.apply(null, spec.cells.map(function (cell) { return cell[2]; }).concat([0.01]));
      return {
        tooltip: {}, grid: { left: 160, right: 24, top: 16, bottom: 140 },
        xAxis: { type: "category", data: spec.labels, axisLabel: { rotate: 60 } },
        yAxis: { type: "category", data: spec.labels },
        visualMap: { min: 0, max: high, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
        series: [{ type: "heatmap", data: spec.cells }]
      };
    }
    if (spec.kind === "sankey") {
      return { tooltip: {}, series: [{ type: "sankey", data: spec.nodes.map(function (name) { return { name: name }; }), links: spec.links, emphasis: { focus: "adjacency" } }] };
    }
    if (spec.kind === "hbar") {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 220, right: 24, top: 8, bottom: 24 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: labels.slice().reverse(), axisLabel: { interval: 0 } },
        series: [{ type: "bar", data: values.slice().reverse() }]
      };
    }
    return {
      tooltip: { trigger: "axis" }, grid: { left: 56, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: spec.kind === "line" ? "line" : "bar", data: values }]
    };
  }

  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) return;
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption(Object.assign({ animation: false }, option(JSON.parse(element.dataset.chart))));
      element.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
