// The segment builder: edits a rule as nested groups of conditions, previews its size and reach
// as it changes (POST /segments/preview) and saves it (POST /segments). The rule it sends is the
// segment YAML's own form: {all: [...]}, {any: [...]}, {not: ...}, {tag, op, value} / {tag, in} /
// {tag, between} / {tag, is_null}, {event, window, min_count}, {purchased: {column: value}, window,
// min_count}, {segment}.
(function () {
  var root = document.getElementById("segment-builder");
  if (!root) return;
  var choices = JSON.parse(root.dataset.choices);
  var labels = JSON.parse(root.dataset.labels);
  var tagsByCode = {};
  choices.tags.forEach(function (tag) { tagsByCode[tag.tag_code] = tag; });
  var state = { kind: "group", mode: "all", negate: false, items: [] };
  var timer = null;

  function element(name, attributes, children) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), attributes[key]);
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function select(values, current, onChange, name) {
    var node = element("select", { onchange: function () { onChange(node.value); }, "aria-label": name || "" });
    values.forEach(function (value) {
      var label = Array.isArray(value) ? value[1] : value;
      var key = Array.isArray(value) ? value[0] : value;
      var option = element("option", { value: key, text: label });
      if (String(key) === String(current)) option.selected = true;
      node.appendChild(option);
    });
    return node;
  }

  function input(current, onChange, attributes) {
    var node = element("input", Object.assign({ value: current == null ? "" : current }, attributes || {}));
    node.addEventListener("input", function () { onChange(node.value); });
    return node;
  }

  function newCondition(kind) {
    if (kind === "group") return { kind: "group", mode: "any", negate: false, items: [] };
    if (kind === "tag") return { kind: "tag", negate: false, tag: choices.tags[0].tag_code, op: "=", value: "" };
    if (kind === "event") return { kind: "event", negate: false, event: choices.events[0], window: "30d", min_count: 1 };
    if (kind === "purchased") {
      var column = Object.keys(choices.purchase_columns)[0];
      return { kind: "purchased", negate: false, column: column, value: (choices.purchase_columns[column] || [""])[0], window: "90d", min_count: 1 };
    }
    return { kind: "segment", negate: false, segment: (choices.segments[0] || {}).segment_code };
  }

  function typed(tag, text) {
    if (!tag) return text;
    if (tag.value_type === "number" || tag.value_type === "integer") return text === "" ? text : Number(text);
    if (tag.value_type === "boolean") return text === "true";
    return text;
  }

  function toRule(item) {
    var rule;
    if (item.kind === "group") {
      var parts = item.items.map(toRule);
      rule = {}; rule[item.mode] = parts;
    } else if (item.kind === "tag") {
      var tag = tagsByCode[item.tag];
      rule = { tag: item.tag };
      if (item.op === "in") rule["in"] = String(item.value).split(",").map(function (v) { return typed(tag, v.trim()); }).filter(function (v) { return v !== ""; });
      else if (item.op === "between") rule.between = [typed(tag, item.value), typed(tag, item.high)];
      else if (item.op === "is_null") rule.is_null = item.value === "true";
      else { rule.op = item.op; rule.value = typed(tag, item.value); }
    } else if (item.kind === "event") {
      rule = { event: item.event, window: item.window, min_count: Number(item.min_count) };
    } else if (item.kind === "purchased") {
      var purchased = {}; purchased[item.column] = item.value;
      rule = { purchased: purchased, window: item.window, min_count: Number(item.min_count) };
    } else {
      rule = { segment: item.segment };
    }
    return item.negate ? { not: rule } : rule;
  }

  function changed() {
    draw();
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  function conditionRow(item, parent) {
    var row = element("div", { "class": "condition", "data-kind": item.kind });
    var negate = element("label", { "class": "inline" }, [
      element("input", { type: "checkbox", onchange: function (e) { item.negate = e.target.checked; changed(); } }),
      document.createTextNode(labels.not)
    ]);
    negate.firstChild.checked = item.negate;
    row.appendChild(negate);
    if (item.kind === "group") {
      row.appendChild(group(item));
    } else if (item.kind === "tag") {
      var tag = tagsByCode[item.tag] || {};
      row.appendChild(select(choices.tags.map(function (t) { return [t.tag_code, t.name + " (" + t.tag_code + ")"]; }), item.tag, function (v) { item.tag = v; item.value = ""; changed(); }, "tag"));
      row.appendChild(select(choices.operators.concat(["in", "between", "is_null"]), item.op, function (v) { item.op = v; changed(); }, "op"));
      if (item.op === "is_null") row.appendChild(select([["true", labels.is_empty], ["false", labels.has_value]], item.value || "true", function (v) { item.value = v; changed(); }, "value"));
      else if (tag.enum_values && item.op !== "in" && item.op !== "between") row.appendChild(select([""].concat(tag.enum_values), item.value, function (v) { item.value = v; changed(); }, "value"));
      else row.appendChild(input(item.value, function (v) { item.value = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "value", placeholder: item.op === "in" ? "a, b, c" : "" }));
      if (item.op === "between") row.appendChild(input(item.high, function (v) { item.high = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "high" }));
    } else if (item.kind === "event") {
      row.appendChild(select(choices.events, item.event, function (v) { item.event = v; changed(); }, "event"));
      row.appendChild(input(item.window, function (v) { item.window = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "window", size: 6 }));
      row.appendChild(input(item.min_count, function (v) { item.min_count = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "min_count", type: "number", min: 1 }));
    } else if (item.kind === "purchased") {
      row.appendChild(select(Object.keys(choices.purchase_columns), item.column, function (v) { item.column = v; item.value = (choices.purchase_columns[v] || [""])[0]; changed(); }, "column"));
      row.appendChild(select(choices.purchase_columns[item.column] || [], item.value, function (v) { item.value = v; changed(); }, "value"));
      row.appendChild(input(item.window, function (v) { item.window = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "window", size: 6 }));
      row.appendChild(input(item.min_count, function (v) { item.min_count = v; clearTimeout(timer); timer = setTimeout(refresh, 500); }, { "aria-label": "min_count", type: "number", min: 1 }));
    } else {
      row.appendChild(select(choices.segments.map(function (s) { return [s.segment_code, s.name + " (" + s.segment_code + ")"]; }), item.segment, function (v) { item.segment = v; changed(); }, "segment"));
    }
    row.appendChild(element("button", { type: "button", "class": "secondary", text: "×", "aria-label": labels.remove,
      onclick: function () { parent.items.splice(parent.items.indexOf(item), 1); changed(); } }));
    return row;
  }

  function group(item) {
    var box = element("div", { "class": "group" });
    box.appendChild(select([["all", labels.all_of], ["any", labels.any_of]], item.mode, function (v) { item.mode = v; changed(); }, "mode"));
    item.items.forEach(function (child) { box.appendChild(conditionRow(child, item)); });
    var adders = element("div", { "class": "adders" });
    ["tag", "event", "purchased", "segment", "group"].forEach(function (kind) {
      adders.appendChild(element("button", { type: "button", "class": "secondary", "data-add": kind, text: "+ " + labels["add_" + kind],
        onclick: function () { item.items.push(newCondition(kind)); changed(); } }));
    });
    box.appendChild(adders);
    return box;
  }

  function draw() {
    var editor = document.getElementById("rule-editor");
    editor.replaceChildren(group(state));
    document.getElementById("rule-json").textContent = JSON.stringify(toRule(state), null, 1);
  }

  function showPreview(response, body) {
    var out = document.getElementById("preview");
    if (!response.ok) {
      out.replaceChildren(element("p", { "class": "error", role: "alert", text: body.detail || response.statusText }));
      return;
    }
    var rows = body.reach.map(function (r) {
      return element("tr", {}, [element("td", { text: r.destination }), element("td", { "class": "number", text: r.is_refused ? "—" : r.reachable_members.toLocaleString() }),
        element("td", { text: r.refusal_reason || "" })]);
    });
    out.replaceChildren(
      element("p", { "class": "members" }, [document.createTextNode(labels.members + ": "), element("strong", { id: "preview-members", text: body.members.toLocaleString() })]),
      element("table", {}, [element("thead", {}, [element("tr", {}, [element("th", { text: labels.destination }), element("th", { "class": "number", text: labels.reachable }), element("th", { text: "" })])]), element("tbody", {}, rows)]),
      element("p", { "class": "muted", text: body.compile_ms + " + " + body.query_ms + " ms" })
    );
  }

  function post(url, payload) {
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) })
      .then(function (response) { return response.json().then(function (body) { return [response, body]; }); });
  }

  function refresh() {
    if (!state.items.length) { document.getElementById("preview").replaceChildren(); return; }
    root.setAttribute("aria-busy", "true");
    post("/segments/preview", { rule: toRule(state) }).then(function (result) {
      root.removeAttribute("aria-busy");
      showPreview(result[0], result[1]);
    });
  }

  var form = document.getElementById("save-segment");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = { rule: toRule(state) };
      new FormData(form).forEach(function (value, key) { payload[key] = value; });
      post("/segments", payload).then(function (result) {
        var out = document.getElementById("save-result");
        out.textContent = result[0].ok ? labels.saved + " " + result[1].saved : (result[1].detail || result[0].statusText);
        out.className = result[0].ok ? "ok" : "error";
      });
    });
  }
  draw();
})();
