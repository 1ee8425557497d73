/* The leader dashboard: reads the filters, calls /api/v1/dashboard/* in parallel and draws the panels with
 * ECharts (static/vendor/echarts). Changing a filter reloads the figures without reloading the page.
 * window.minshengDashboard exposes the chart instances and the last figures (the browser tests read them);
 * <main data-state> is "loading", "ready" or "error".
 * Tooltips render as rich text on the canvas: the HTML ones carry style="" attributes, which the
 * Content-Security-Policy refuses. */
(function () {
  "use strict";

  var main = document.getElementById("main");
  var form = document.getElementById("filters");
  var statusLine = document.getElementById("status");
  var LIGHTS = { green: ["绿灯", "#1a7f37"], yellow: ["黄灯", "#9a6700"], red: ["红灯", "#cf222e"], none: ["未评价", "#6e7781"] };
  var charts = {};
  var state = { charts: charts, data: {}, loads: 0 };
  window.minshengDashboard = state;

  function pct(rate) {
    if (rate === null || rate === undefined) return "—";
    return (Number(rate) * 100).toFixed(1) + "%";
  }

  // A rate as a percentage for a chart; no figure stays null (ECharts leaves a gap), never 0%.
  function pctValue(rate) {
    return rate === null || rate === undefined ? null : Number(rate) * 100;
  }

  function wan(yuan) {
    return yuan === null || yuan === undefined ? null : Number(yuan) / 1e4;
  }

  function money(yuan) {
    if (yuan === null || yuan === undefined) return "—";
    // As minsheng.formatting.money_grouped: 亿元 from 1亿 up, else 万元; separators, no trailing zeros.
    var n = Number(yuan);
    var grouped = { maximumFractionDigits: 2 };
    if (Math.abs(n) >= 1e8) return (n / 1e8).toLocaleString("en-US", grouped) + "亿元";
    return (n / 1e4).toLocaleString("en-US", grouped) + "万元";
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    }
    return charts[id];
  }

  function text(tag, content, className) {
    var cell = document.createElement(tag);
    cell.textContent = content;
    if (className) cell.className = className;
    return cell;
  }

  function light(code) {
    var span = text("span", (LIGHTS[code] || LIGHTS.none)[0], "light light-" + (LIGHTS[code] ? code : "none"));
    var cell = document.createElement("td");
    cell.appendChild(span);
    return cell;
  }

  function fillTable(id, rows, cells) {
    var body = document.querySelector("#" + id + " tbody");
    body.replaceChildren();
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = text("td", "没有符合条件的记录。", "empty");
      td.colSpan = document.querySelectorAll("#" + id + " thead th").length;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      cells(row).forEach(function (cell) { tr.appendChild(cell); });
      body.appendChild(tr);
    });
  }

  var renderers = {
    overview: function (o) {
      document.getElementById("kpi-projects").textContent = o.projects;
      document.getElementById("kpi-lights").textContent = o.green + " / " + o.yellow + " / " + o.red;
      document.getElementById("kpi-completion").textContent = pct(o.completion) + " / " + pct(o.expected);
      document.getElementById("kpi-investment").textContent = money(o.planned_investment) + " / " + money(o.investment_completed);
      chart("chart-lights").setOption({
        tooltip: { renderMode: "richText", trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          name: "灯号", type: "pie", radius: ["35%", "65%"],
          data: ["green", "yellow", "red", "none"].map(function (key) {
            return { name: LIGHTS[key][0], value: o[key], itemStyle: { color: LIGHTS[key][1] } };
          })
        }]
      }, true);
    },
    categories: function (rows) {
      chart("chart-categories").setOption({
        tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "未报" : v.toFixed(1) + "%"; } },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: [
          { name: "平均完成率", type: "bar", data: rows.map(function (r) { return pctValue(r.completion); }) },
          { name: "序时进度", type: "bar", data: rows.map(function (r) { return pctValue(r.expected); }) }
        ]
      }, true);
    },
    trend: function (t) {
      var months = t.months;
      chart("chart-trend").setOption({
        tooltip: { renderMode: "richText", trigger: "axis" },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: months.map(function (m) { return m.month + "月"; }) },
        yAxis: [
          { type: "value", name: "进度", axisLabel: { formatter: "{value}%" } },
          { type: "value", name: "万元", position: "right" }
        ],
        series: [
          { name: "平均完成率", type: "line", data: months.map(function (m) { return pctValue(m.completion); }) },
          { name: "序时进度", type: "line", lineStyle: { type: "dashed" }, data: months.map(function (m) { return pctValue(m.expected); }) },
          { name: "累计完成投资", type: "bar", yAxisIndex: 1, data: months.map(function (m) { return wan(m.investment_completed); }) }
        ]
      }, true);
    },
    units: function (rows) {
      var shown = rows.slice(0, 20).reverse();
      chart("chart-units").setOption({
        tooltip: { renderMode: "richText", trigger: "axis" },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: shown.map(function (r) { return r.rank + ". " + r.name; }),
          axisLabel: { width: 120, overflow: "truncate" } },
        series: [
          { name: "平均完成率", type: "bar", data: shown.map(function (r) { return pctValue(r.completion); }) },
          { name: "平均滞后（个百分点）", type: "bar", data: shown.map(function (r) { return pctValue(r.lag); }) }
        ]
      }, true);
    },
    funds: function (f) {
      var rows = f.levels;
      chart("chart-funds-months").setOption({
        tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "万元"; } },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: f.months.map(function (m) { return m.label; }) },
        yAxis: { type: "value", name: "累计（万元）" },
        series: [["cum_arrived", "累计到位"], ["cum_spent", "累计支出"]].map(function (k) {
          return { name: k[1], type: "line", data: f.months.map(function (m) { return wan(m[k[0]]); }) };
        })
      }, true);
      var figures = [["planned", "计划"], ["arrived", "到位"], ["disbursed", "拨付"], ["spent", "支出"]];
      chart("chart-funds").setOption({
        tooltip: { renderMode: "richText", trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "万元"; } },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
        yAxis: { type: "value", name: "万元" },
        series: figures.map(function (f) {
          return { name: f[1], type: "bar", data: rows.map(function (r) { return wan(r[f[0]]); }) };
        })
      }, true);
      fillTable("table-funds", rows, function (r) {
        return [text("td", r.label), text("td", money(r.planned), "num"), text("td", money(r.arrived), "num"),
          text("td", money(r.disbursed), "num"), text("td", money(r.spent), "num"),
          text("td", pct(r.arrival_rate), "num"), text("td", pct(r.disbursement_rate), "num"),
          text("td", pct(r.execution_rate), "num")];
      });
    },
    supervision: function (b) {
      document.getElementById("kpi-problems").textContent = b.open_problems;
      document.getElementById("kpi-serious").textContent = b.problems_serious;
      document.getElementById("kpi-major").textContent = b.problems_major;
      document.getElementById("kpi-orders").textContent = b.open_orders;
      document.getElementById("kpi-overdue-orders").textContent = b.overdue_orders;
      fillTable("table-orders", b.orders, function (o) {
        var due = o.due ? new Date(o.due).toLocaleDateString("zh-CN") : "—";
        return [text("td", o.number), text("td", o.title), text("td", o.project), text("td", o.unit),
          text("td", o.stage || o.status), text("td", o.overdue ? due + "（超期）" : due, o.overdue ? "late" : "")];
      });
      fillTable("table-problems", b.problems, function (p) {
        return [text("td", p.found_on), text("td", p.description), text("td", p.project), text("td", p.unit),
          text("td", p.severity), text("td", p.status)];
      });
    },
    lagging: function (rows) {
      fillTable("table-lagging", rows, function (r) {
        return [light(r.light), text("td", r.code + " " + r.title), text("td", r.unit_short || r.unit),
          text("td", pct(r.completion), "num"), text("td", pct(r.expected), "num"), text("td", pct(r.lag), "num")];
      });
    },
    projects: function (rows) {
      fillTable("table-projects", rows, function (r) {
        return [light(r.light), text("td", r.code), text("td", r.title), text("td", r.region), text("td", r.unit_short || r.unit),
          text("td", pct(r.completion), "num"), text("td", pct(r.expected), "num"),
          text("td", money(r.planned_investment), "num"), text("td", money(r.latest_investment), "num")];
      });
    }
  };
  // Panels of other apps (funds, supervision) register here before this file runs, or after it.
  window.minshengDashboardRenderers = Object.assign(window.minshengDashboardRenderers || {}, renderers);

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) params.set(key, value); });
    return params.toString();
  }

  function load() {
    var qs = query();
    main.dataset.state = "loading";
    statusLine.className = "status";
    statusLine.textContent = "正在加载……";
    var all = window.minshengDashboardRenderers;
    var names = Object.keys(all).filter(function (name) { return main.dataset["api" + name.charAt(0).toUpperCase() + name.slice(1)]; });
    var load = ++state.loads;
    return Promise.all(names.map(function (name) {
      var url = main.dataset["api" + name.charAt(0).toUpperCase() + name.slice(1)];
      return fetch(url + "?" + qs, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.detail || ("HTTP " + response.status));
            return [name, body];
          });
        });
    })).then(function (answers) {
      if (load !== state.loads) return;  // a newer filter change is on its way
      answers.forEach(function (answer) {
        var body = answer[1];
        state.data[answer[0]] = body.results;
        if (body.results !== null) all[answer[0]](body.results);
      });
      var year = answers.length ? answers[0][1].year : null;
      statusLine.textContent = year ? year + "年数据已更新。" : "没有可查看的年度计划。";
      main.dataset.state = "ready";
    }).catch(function (error) {
      statusLine.className = "status error";
      statusLine.textContent = "加载失败：" + error.message;
      main.dataset.state = "error";
    });
  }

  form.addEventListener("change", function () {
    history.replaceState(null, "", "?" + query());
    load();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?" + query());
    load();
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
  state.reload = load;
  load();
})();
