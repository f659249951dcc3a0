"use strict";
// The page script of newsgraph's HTML view (inlined by viz.py, allowed by its CSP hash).
//
// Every piece of graph text reaches the page through textContent, an input's value or
// vis-network's tooltip (innerText): never innerHTML, so markup in an article is shown,
// not run. A link is made only from an http(s) URL.

// Same globals and drawGraph() as pyvis's own template, so scripts written for pyvis
// pages (and the tests) find `network`, `nodes` (every node, a vis.DataSet) and `edges`
// where they expect them; network.body.data holds the filtered views.
var nodes, edges, data, options, network, container;
var newsgraph = {timings: {}};

function drawGraph() {
  var started = performance.now();
  var payload = JSON.parse(document.getElementById("newsgraph-data").textContent);
  var status = document.getElementById("status");
  var stats = document.getElementById("stats");
  var initialStats = stats.textContent;
  container = document.getElementById("mynetwork");
  nodes = new vis.DataSet(payload.nodes);
  edges = new vis.DataSet(payload.edges);

  var typeOf = new Map();
  var incident = new Map();
  nodes.forEach(function (n) { typeOf.set(n.id, n.type); });
  edges.forEach(function (e) {
    [e.from, e.to].forEach(function (end, i) {
      if (i === 1 && e.to === e.from) { return; }
      if (!incident.has(end)) { incident.set(end, []); }
      incident.get(end).push(e);
    });
  });

  // ---------------------------------------------------------------- what is shown
  var hiddenTypes = new Set();
  var hiddenPredicates = new Set();
  var focus = null;  // the ids around a focused node, or null for everything

  function endShown(id) {
    return !hiddenTypes.has(typeOf.get(id)) && (focus === null || focus.has(id));
  }
  function edgeShown(e) {
    return !hiddenPredicates.has(e.predicate) && endShown(e.from) && endShown(e.to);
  }
  // An entity with facts is shown while one of them is; one without, while its type is.
  function nodeShown(n) {
    if (!endShown(n.id)) { return false; }
    var own = incident.get(n.id);
    return !own || own.some(edgeShown);
  }
  var nodeView = new vis.DataView(nodes, {filter: nodeShown});
  var edgeView = new vis.DataView(edges, {filter: edgeShown});
  data = {nodes: nodeView, edges: edgeView};
  options = payload.options;
  network = new vis.Network(container, data, options);
  newsgraph.timings.constructed = performance.now();

  function apply() {
    edgeView.refresh();
    nodeView.refresh();
    var filtered = focus !== null || hiddenTypes.size > 0 || hiddenPredicates.size > 0;
    stats.textContent = filtered
      ? nodeView.length + " of " + nodes.length + " entities · " +
        edgeView.length + " of " + edges.length + " facts shown"
      : initialStats;
  }

  // ---------------------------------------------------------------- layout
  var done = false;
  function settled() {
    if (done) { return; }
    done = true;
    network.setOptions({physics: {enabled: false}});
    // Remember where the polish left each node, so one a filter hides comes back there.
    var positions = network.getPositions();
    var moved = [];
    Object.keys(positions).forEach(function (id) {
      var old = nodes.get(id, {fields: ["x", "y"]});
      var p = positions[id];
      if (Math.abs(old.x - p.x) > 0.5 || Math.abs(old.y - p.y) > 0.5) {
        moved.push({id: id, x: p.x, y: p.y});
      }
    });
    if (moved.length) { nodes.update(moved); }
    // fit() frames the nodes' centres; leave room for the labels at the edges.
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.92, animation: false});
    status.textContent = "";
    newsgraph.timings.stabilized = performance.now();
    network.once("afterDrawing", function () {
      newsgraph.timings.drawn = performance.now();
      document.body.setAttribute("data-drawn", "true");
    });
    network.redraw();
    document.body.setAttribute("data-stabilized", "true");
  }
  network.on("stabilizationProgress", function (params) {
    status.textContent = "laying out " + Math.round(100 * params.iterations / params.total) + "%";
    // The layout came computed: polish only as long as the reader would wait.
    if (performance.now() - started > payload.layoutBudgetMs) { network.stopSimulation(); }
  });
  network.once("stabilizationIterationsDone", settled);
  network.on("dragEnd", function (params) {
    if (!params.nodes.length) { return; }
    var positions = network.getPositions(params.nodes);
    nodes.update(params.nodes.map(function (id) {
      return {id: id, x: positions[id].x, y: positions[id].y};
    }));
  });
  var physics = options.physics || {};
  var polishing = physics.enabled !== false && (physics.stabilization || {}).enabled !== false &&
    payload.nodes.some(function (n) { return n.physics !== false; });
  if (!polishing) {
    // vis-network reports no stabilisation when physics is off or no node takes part.
    settled();
  }

  // ---------------------------------------------------------------- DOM helpers
  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (className) { el.className = className; }
    return el;
  }
  function link(url, text) {
    if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/i.test(url)) {
      return element("span", text);
    }
    var a = element("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function button(text, onClick, className) {
    var b = element("button", text, className);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function plural(count, word, many) {
    return count + " " + (count === 1 ? word : many || word + "s");
  }
  function labelOf(id) { var n = nodes.get(id); return n ? n.label : id; }

  // ---------------------------------------------------------------- details panel
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function openDetails(children) {
    detailsBody.replaceChildren.apply(detailsBody, children);
    details.hidden = false;
  }
  function closeDetails() {
    details.hidden = true;
    detailsBody.replaceChildren();
  }
  document.getElementById("details-close").addEventListener("click", closeDetails);

  function factLine(e) {
    return labelOf(e.from) + " " + e.label + " " + labelOf(e.to) +
      " (" + plural(e.statements, "statement") + ")";
  }

  function showNode(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    var parts = [element("h2", n.label)];
    var type = element("p", null, "type");
    var swatch = element("span", null, "swatch");
    swatch.style.backgroundColor = payload.colours[n.type] || "#999999";
    type.append(swatch, document.createTextNode(n.type));
    parts.push(type);
    if (n.aliases.length) { parts.push(element("p", "Also known as: " + n.aliases.join("; "))); }
    parts.push(element("p", "Mentions: " + n.mentions));
    var own = (incident.get(id) || []).slice().sort(function (a, b) {
      return b.statements - a.statements || factLine(a).localeCompare(factLine(b));
    });
    parts.push(element("h3", own.length ? plural(own.length, "fact") : "No facts"));
    if (own.length) {
      var list = element("ul", null, "facts");
      own.forEach(function (e) {
        var item = element("li");
        var b = button(factLine(e), function () {
          network.selectEdges([e.id]);
          showEdge(e.id);
        });
        if (!edgeView.get(e.id)) { b.classList.add("hidden-fact"); b.title = "hidden by the filters"; }
        item.append(b);
        list.append(item);
      });
      parts.push(list);
      var hops = element("select");
      hops.setAttribute("aria-label", "hops");
      [1, 2, 3].forEach(function (h) { hops.append(element("option", plural(h, "hop"))); });
      var row = element("p", null, "actions");
      row.append(button("Focus here", function () { focusOn(id, hops.selectedIndex + 1); }), hops);
      parts.push(row);
    }
    openDetails(parts);
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    var parts = [];
    var head = element("h2");
    head.append(
      button(labelOf(e.from), function () { selectNode(e.from); }, "entity"),
      document.createTextNode(" " + e.label + " "),
      button(labelOf(e.to), function () { selectNode(e.to); }, "entity"));
    parts.push(head, element("p", "ng:" + e.predicate, "predicate"));
    parts.push(element("h3", plural(e.statements, "supporting statement")));
    e.evidence.forEach(function (s) {
      var block = element("figure", null, s.negated ? "statement denied" : "statement");
      if (s.negated) { block.append(element("p", "Denied:", "denied-mark")); }
      block.append(element("blockquote", s.text || "(no evidence sentence)"));
      var meta = element("figcaption");
      if (s.title) { meta.append(link(s.url, s.title)); }
      else if (s.url) { meta.append(link(s.url, s.url)); }
      [s.date, s.confidence === null ? "" : "confidence " + s.confidence.toFixed(2)]
        .filter(Boolean)
        .forEach(function (text) { meta.append(document.createTextNode(" · " + text)); });
      block.append(meta);
      parts.push(block);
    });
    openDetails(parts);
  }

  function selectNode(id) {
    if (nodeView.get(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    }
    showNode(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { closeDetails(); }
  });

  // ---------------------------------------------------------------- focus
  var focusNote = document.getElementById("focus-note");
  function focusOn(id, hops) {
    var distance = new Map([[id, 0]]);
    var queue = [id];
    while (queue.length) {
      var current = queue.shift();
      if (distance.get(current) >= hops) { continue; }
      (incident.get(current) || []).forEach(function (e) {
        var other = e.from === current ? e.to : e.from;
        if (hiddenPredicates.has(e.predicate) || hiddenTypes.has(typeOf.get(other))) { return; }
        if (!distance.has(other)) {
          distance.set(other, distance.get(current) + 1);
          queue.push(other);
        }
      });
    }
    focus = new Set(distance.keys());
    apply();
    document.getElementById("focus-text").textContent =
      "Around " + labelOf(id) + " (" + plural(hops, "hop") + "): " + plural(nodeView.length, "entity", "entities");
    focusNote.hidden = false;
    network.fit({nodes: nodeView.getIds(), animation: false});
  }
  document.getElementById("focus-clear").addEventListener("click", function () {
    focus = null;
    focusNote.hidden = true;
    apply();
    network.fit({animation: false});
  });

  // ---------------------------------------------------------------- filters
  document.querySelectorAll("input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hiddenTypes.delete(box.dataset.type); }
      else { hiddenTypes.add(box.dataset.type); }
      apply();
    });
  });
  var predicateBoxes = document.querySelectorAll("input[data-predicate]");
  function setPredicate(box, on) {
    box.checked = on;
    if (on) { hiddenPredicates.delete(box.dataset.predicate); }
    else { hiddenPredicates.add(box.dataset.predicate); }
  }
  predicateBoxes.forEach(function (box) {
    box.addEventListener("change", function () { setPredicate(box, box.checked); apply(); });
  });
  [["predicates-all", true], ["predicates-none", false]].forEach(function (pair) {
    var b = document.getElementById(pair[0]);
    if (b) {
      b.addEventListener("click", function () {
        predicateBoxes.forEach(function (box) { setPredicate(box, pair[1]); });
        apply();
      });
    }
  });

  // ---------------------------------------------------------------- search
  function normal(text) { return String(text).toLowerCase().replace(/\s+/g, " ").trim(); }
  var names = [];
  nodes.forEach(function (n) {
    names.push({id: n.id, keys: [n.label].concat(n.aliases).map(normal)});
  });
  var datalist = document.getElementById("names");
  var labels = Array.from(new Set(nodes.map(function (n) { return n.label; }))).sort();
  datalist.replaceChildren.apply(datalist, labels.map(function (label) {
    var option = document.createElement("option");
    option.value = label;
    return option;
  }));
  var search = document.getElementById("search");
  function find(query) {
    var key = normal(query);
    if (!key) { return; }
    var hits = names.filter(function (n) { return n.keys.indexOf(key) >= 0; });
    if (!hits.length) {
      hits = names.filter(function (n) { return n.keys.some(function (k) { return k.indexOf(key) >= 0; }); });
    }
    var ids = hits.map(function (h) { return h.id; });
    var shown = ids.filter(function (id) { return nodeView.get(id) !== null; });
    if (!ids.length) {
      status.textContent = "No entity matches “" + query + "”.";
      return;
    }
    if (!shown.length) {
      status.textContent = plural(ids.length, "match", "matches") +
        ", hidden by the filters.";
      showNode(ids[0]);
      return;
    }
    status.textContent = shown.length === 1 ? "" :
      shown.length + " matches: " + shown.slice(0, 5).map(labelOf).join(", ") +
      (shown.length > 5 ? " …" : "");
    network.selectNodes(shown);
    if (shown.length === 1) {
      network.focus(shown[0], {scale: Math.max(network.getScale(), 1), animation: false});
    } else {
      network.fit({nodes: shown, animation: false});
    }
    showNode(shown[0]);
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    find(search.value);
  });
  search.addEventListener("change", function () { find(search.value); });

  return network;
}
drawGraph();
