/* gradviz.js: the interactive page of `gradviz render G -o G.html` and
 * `gradviz mnist -o m.html`. Built into the binary (gdv_html_assets.h by
 * the build, src/render/local.mk) and written inline, so the page needs no
 * network and no framework. It reads its data from #gv-data: the graph's
 * numbers exactly as `gradviz eval --format json` writes them, the
 * --steps frames as SVG texts, and (MNIST) which graph nodes a drawn unit
 * stands for. The figure's SVG marks every node <g class="node"
 * data-node data-id> and edge <g class="edge" data-edge>; everything here
 * hangs off those attributes, so the drawing stays gradviz's own. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('gv-data').textContent);
  var G = data.graph;
  var nNodes = G.ids.length;
  var nEdges = G.from.length;
  var precision = data.precision || 4;
  var MAX_PATHS_LISTED = 50;
  var MAX_PATHS_COUNTED = 100000;

  /* ---- the graph: consumers and out-edges, built once ---------------- */

  /* Edges are grouped by consumer (argStart), as in eval's JSON. */
  var edgeTo = new Int32Array(nEdges);
  for (var v = 0; v < nNodes; v++)
    for (var e = G.argStart[v]; e < G.argStart[v + 1]; e++) edgeTo[e] = v;

  /* Out-edges per node in edge order (a counting sort keeps it stable),
   * the order eval lists them in. */
  var outStart = new Int32Array(nNodes + 1);
  var outEdge = new Int32Array(nEdges);
  (function () {
    var k, fill = new Int32Array(nNodes);
    for (k = 0; k < nEdges; k++) outStart[G.from[k] + 1]++;
    for (k = 0; k < nNodes; k++) outStart[k + 1] += outStart[k];
    for (k = 0; k < nEdges; k++) outEdge[outStart[G.from[k]] + fill[G.from[k]]++] = k;
  })();

  var indexOfId = new Map();
  G.ids.forEach(function (id, i) { indexOfId.set(id, i); });

  /* The name the figure draws for a node (its label, else its id). */
  function label(v) { return G.labels[v] || G.ids[v]; }

  /* ---- MNIST: names as the figure draws them -------------------------- */

  /* An MNIST page (data.units maps drawn units to graph nodes) names its
   * nodes as the figure does: x434 is x₄₃₄, a1_3 is a¹₃, w1_3_434 is
   * w¹₃,₄₃₄ and its product m1_3_434 is w¹₃,₄₃₄·x₄₃₄. */
  var isMnist = data.units && Object.keys(data.units).length > 0;
  var SUBS = '₀₁₂₃₄₅₆₇₈₉';
  function subDigits(s) { return s.replace(/[0-9]/g, function (c) { return SUBS.charAt(+c); }); }
  function supDigits(s) {
    return s.replace(/[0-9]/g, function (c) { return '⁰¹²³⁴⁵⁶⁷⁸⁹'.charAt(+c); });
  }
  function mnistName(id) {
    var m;
    if ((m = /^x(\d+)$/.exec(id))) return 'x' + subDigits(m[1]);
    if ((m = /^y(\d+)$/.exec(id))) return 'y' + subDigits(m[1]);
    if ((m = /^([azb])(\d+)_(\d+)$/.exec(id))) return m[1] + supDigits(m[2]) + subDigits(m[3]);
    if ((m = /^w(\d+)_(\d+)_(\d+)$/.exec(id)))
      return 'w' + supDigits(m[1]) + subDigits(m[2]) + ',' + subDigits(m[3]);
    if ((m = /^m(\d+)_(\d+)_(\d+)$/.exec(id)))
      return 'w' + supDigits(m[1]) + subDigits(m[2]) + ',' + subDigits(m[3]) + '·' +
             (m[1] === '1' ? 'x' : 'a' + supDigits(String(m[1] - 1))) + subDigits(m[3]);
    return null;
  }
  if (isMnist) {
    G.ids.forEach(function (id, v) {
      var name = G.labels[v] ? null : mnistName(id);
      if (name) G.labels[v] = name;
    });
  }

  /* The name after ∂: one of several terms in parentheses, ∂(x1·w1), as
   * the figure's titles write it. */
  function dname(v) {
    var n = label(v);
    return /[·+\-−×\/* ]/.test(n) && n.charAt(0) !== '(' ? '(' + n + ')' : n;
  }

  /* ---- numbers as the figure prints them ------------------------------ */

  var SUP = {'0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵',
             '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻'};

  /* precision significant digits, no trailing zeros, the minus sign
   * U+2212, and 1.234×10⁻⁵ below 1e-4 and from 1e6 on; JSON's null (the
   * number was NaN or infinite) reads "not finite". */
  function fmt(x) {
    if (x === null || x === undefined) return 'not finite';
    if (x === 0) return '0';
    var a = Math.abs(x), s;
    if (a >= 1e6 || a < 1e-4) {
      var parts = x.toExponential(precision - 1).split('e');
      var mant = parts[0].indexOf('.') >= 0 ? parts[0].replace(/\.?0+$/, '') : parts[0];
      var exp = String(parseInt(parts[1], 10)).replace(/./g, function (c) { return SUP[c]; });
      s = mant + '×10' + exp;
    } else {
      s = String(parseFloat(x.toPrecision(precision)));
      if (s.indexOf('e') >= 0) s = x.toFixed(10).replace(/\.?0+$/, '');
    }
    return s.replace(/-/g, '−');
  }

  /* The figure's text for a number JSON holds as null (NaN, ∞, −∞). */
  function fmtAt(x, texts, i) {
    return x === null && texts && texts[i] !== undefined ? texts[i] : fmt(x);
  }
  function fv(v) { return fmtAt(G.value[v], G.valueText, v); }
  function fg(v) { return fmtAt(G.grad[v], G.gradText, v); }
  function fl(k) { return fmtAt(G.local[k], G.localText, k); }
  function fe(k) { return fmtAt(G.egrad[k], G.egradText, k); }

  /* A term after the first: negative ones in parentheses, as the
   * figure's sums write them. */
  function term(x, first, text) {
    var t = text !== undefined ? text : fmt(x);
    return !first && x !== null && x < 0 ? '(' + t + ')' : t;
  }

  /* ---- the script interface: inspect ---------------------------------- */

  /* Node id -> its numbers and its edges' numbers, exactly eval's
   * doubles (null where eval writes null); null for an unknown id. */
  function inspect(id) {
    var v = indexOfId.get(String(id));
    if (v === undefined) return null;
    var out = [], inn = [], k;
    for (k = G.argStart[v]; k < G.argStart[v + 1]; k++)
      inn.push({from: G.ids[G.from[k]], local: G.local[k], grad: G.egrad[k]});
    for (k = outStart[v]; k < outStart[v + 1]; k++) {
      var e = outEdge[k];
      out.push({to: G.ids[edgeTo[e]], local: G.local[e], grad: G.egrad[e]});
    }
    return {id: G.ids[v], value: G.value[v], grad: G.grad[v], in: inn, out: out};
  }

  /* ---- the page's parts ---------------------------------------------- */

  var app = document.getElementById('gv-app');
  var stage = document.getElementById('gv-stage');
  var pan = document.getElementById('gv-pan');
  var figureBox = document.getElementById('gv-figure');
  var frameBox = document.getElementById('gv-frame');

  /* An element with a class and optional text. */
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined) x.textContent = text;
    return x;
  }

  /* A toolbar button with a label for screen readers. */
  function button(text, title, fn) {
    var b = el('button', 'gv-button', text);
    b.type = 'button';
    b.title = title;
    b.setAttribute('aria-label', title);
    b.addEventListener('click', fn);
    return b;
  }

  var steps = data.frames.length;
  var bar = el('div', 'gv-bar');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'steps and zoom');
  /* the step and its title (the chain rule), read out as it changes */
  var stepLabel = el('span', 'gv-step-label');
  stepLabel.setAttribute('aria-live', 'polite');
  var panel = el('aside', 'gv-panel');
  panel.id = 'gv-panel';
  panel.setAttribute('aria-live', 'polite');
  panel.setAttribute('aria-label', 'numbers of the node or edge in focus');
  if (steps > 0) {
    bar.appendChild(button('⇤', 'finished figure (Home)', function () { step(0); }));
    bar.appendChild(button('◀', 'previous step (←)', function () { step(current - 1); }));
    bar.appendChild(button('▶', 'next step (→)', function () { step(current + 1); }));
    bar.appendChild(button('⇥', 'last step (End)', function () { step(steps); }));
  }
  bar.appendChild(stepLabel);
  bar.appendChild(button('−', 'zoom out (−)', function () { zoomBy(1 / 1.25); }));
  bar.appendChild(button('+', 'zoom in (+)', function () { zoomBy(1.25); }));
  bar.appendChild(button('⤢', 'fit the figure (0)', fit));
  app.insertBefore(bar, stage);
  app.appendChild(panel);
  if (isMnist) app.classList.add('gv-mnist');

  /* ---- the shown SVG: its nodes and edges indexed --------------------- */

  var shown = null;       /* the <svg> on screen */
  var nodeEls = [];       /* its node groups, in document (tab) order */
  var edgeEls = new Map();  /* graph edge -> its drawn groups */

  /* The graph node a drawn node stands for: data-node, else its data-id
   * among the graph's ids; -1 for a drawn node that is no graph node. */
  function graphNode(g) {
    var n = g.getAttribute('data-node');
    if (n !== null && n !== '') return parseInt(n, 10);
    var id = g.getAttribute('data-id');
    var v = id === null ? undefined : indexOfId.get(id);
    return v === undefined ? -1 : v;
  }

  /* The drawn node's own id (MNIST units are found by it). */
  function drawnId(g) {
    var id = g.getAttribute('data-id');
    if (id !== null) return id;
    var m = /node-(.*)$/.exec(g.id || '');
    return m ? m[1] : '';
  }

  /* Every node becomes a tab stop with its <title> as its name, so the
   * figure works by keyboard and screen reader. */
  function indexSvg(svg) {
    shown = svg;
    nodeEls = svg ? Array.prototype.slice.call(svg.querySelectorAll('g.node')) : [];
    edgeEls = new Map();
    nodeEls.forEach(function (g) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      var t = g.querySelector('title');
      if (t) g.setAttribute('aria-label', t.textContent);
    });
    if (!svg) return;
    Array.prototype.forEach.call(svg.querySelectorAll('g.edge'), function (g) {
      var k = g.getAttribute('data-edge');
      if (k === null || k === '') return;
      k = parseInt(k, 10);
      if (!edgeEls.has(k)) edgeEls.set(k, []);
      edgeEls.get(k).push(g);
    });
  }

  /* ---- lighting: the edges and nodes the panel talks about ------------ */

  var lit = [];

  /* Removes every mark this script set. */
  function unlight() {
    lit.forEach(function (p) { p[0].classList.remove(p[1]); });
    lit = [];
  }

  /* Marks graph edge k's drawn edge with cls. */
  function lightEdge(k, cls) {
    (edgeEls.get(k) || []).forEach(function (g) {
      g.classList.add(cls);
      lit.push([g, cls]);
    });
  }

  /* Marks a drawn element with cls. */
  function lightEl(g, cls) {
    g.classList.add(cls);
    lit.push([g, cls]);
  }

  /* Hovering a term or a path in the panel lights its edges. */
  function hoverLights(item, edges) {
    item.addEventListener('mouseenter', function () {
      edges.forEach(function (k) { lightEdge(k, 'gv-strong'); });
    });
    item.addEventListener('mouseleave', function () {
      lit = lit.filter(function (p) {
        if (p[1] !== 'gv-strong') return true;
        p[0].classList.remove('gv-strong');
        return false;
      });
    });
  }

  /* ---- the panel ------------------------------------------------------ */

  /* A heading and a line of "name = number" pairs. */
  function head(text) { panel.appendChild(el('h2', 'gv-head', text)); }
  function line(text, cls) { var p = el('p', cls || 'gv-line', text); panel.appendChild(p); return p; }

  /* v's live out-edges: into nodes that reach the output, as the
   * figure's fan-out sums count them. */
  function liveOut(v) {
    var r = [];
    for (var k = outStart[v]; k < outStart[v + 1]; k++)
      if (G.reaches[edgeTo[outEdge[k]]]) r.push(outEdge[k]);
    return r;
  }

  /* ∂C/∂v as its fan-out sum, each term a span that lights its edge. */
  function fanOut(v) {
    var live = liveOut(v);
    var p = line('', 'gv-sum');
    p.appendChild(document.createTextNode('∂C/∂' + dname(v) + ' = '));
    if (v === G.output || live.length === 0) {
      p.appendChild(document.createTextNode(fg(v) +
          (v === G.output ? ' (the output)' : ' (does not reach C)')));
      return;
    }
    if (live.length === 1) {
      var w = edgeTo[live[0]];
      p.appendChild(document.createTextNode('∂C/∂' + dname(w) + ' · ∂' + dname(w) + '/∂' + dname(v) +
          ' = ' + term(G.grad[w], true, fg(w)) + ' × ' +
          term(G.local[live[0]], false, fl(live[0])) + ' = ' + fg(v)));
      lightEdge(live[0], 'gv-lit');
      return;
    }
    live.forEach(function (k, i) {
      if (i) p.appendChild(document.createTextNode(' + '));
      var s = el('span', 'gv-term', term(G.egrad[k], i === 0, fe(k)));
      s.title = label(v) + ' → ' + label(edgeTo[k]);
      hoverLights(s, [k]);
      lightEdge(k, 'gv-lit');
      p.appendChild(s);
    });
    p.appendChild(document.createTextNode(' = ' + fg(v)));
  }

  /* A table with a header row, scrolling when long. */
  function table(heads, rows) {
    var t = el('table', 'gv-table'), hr = el('tr');
    heads.forEach(function (h) { hr.appendChild(el('th', '', h)); });
    t.appendChild(hr);
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    t.appendChild(frag);
    var wrap = el('div', 'gv-scroll');
    wrap.appendChild(t);
    panel.appendChild(wrap);
  }

  /* A table row of cells [class, text], lighting graph edges on hover. */
  function row(cells, edges) {
    var tr = el('tr');
    cells.forEach(function (c) { tr.appendChild(el('td', c[0], c[1])); });
    hoverLights(tr, edges);
    return tr;
  }

  /* u = w·x with two operands: its in-edges [w, x], else null. */
  function product(u) {
    var k = G.argStart[u];
    return G.ops[u] === 'mul' && G.argStart[u + 1] - k === 2 ? [k, k + 1] : null;
  }

  /* Ops whose value is the sum of their operands times their locals, so
   * each operand's share of the value is local × operand. */
  var LINEAR = {add: 1, sub: 1, sum: 1, neg: 1};

  /* The fan-in: every operand with its value, ∂v/∂u, its share of v (for
   * sums) and the gradient it receives; a unit's weighted sum (many
   * products w·x) term by term. Large fan-ins sorted by size, all
   * listed: the figure elides, the page does not. */
  function fanIn(v) {
    var n = G.argStart[v + 1] - G.argStart[v];
    if (n === 0) return;
    var linear = LINEAR[G.ops[v]] === 1, products = 0, rows = [];
    for (var k = G.argStart[v]; k < G.argStart[v + 1]; k++) {
      var u = G.from[k];
      var share = linear && G.value[u] !== null && G.local[k] !== null ? G.local[k] * G.value[u] : null;
      rows.push({k: k, u: u, share: share});
      if (product(u)) products++;
    }
    if (n > 8) {
      rows.sort(function (a, b) {
        var x = linear ? a.share : G.egrad[a.k], y = linear ? b.share : G.egrad[b.k];
        return Math.abs(y || 0) - Math.abs(x || 0) || a.k - b.k;
      });
    }
    line(label(v) + ' = ' + (G.ops[v] || 'leaf') + ' of ' + n + ' operand' + (n > 1 ? 's' : '') +
         (n > 8 ? ', largest ' + (linear ? 'terms' : 'gradients') + ' first' : ''), 'gv-sub');
    if (linear && n > 8 && products * 2 > n) {
      weightedSum(v, rows);
      return;
    }
    table(['operand', 'value', '∂' + dname(v) + '/∂u'].concat(linear ? ['term'] : [], ['∂C/∂u here']),
          rows.map(function (r) {
            return row([['gv-name', label(r.u)], ['gv-fwd', fv(r.u)],
                        ['gv-fwd', fl(r.k)]].concat(
                          linear ? [['gv-fwd', fmt(r.share)]] : [], [['gv-bwd', fe(r.k)]]),
                       [r.k]);
          }));
  }

  /* z = Σ w·x + b term by term: each product's weight, input, the term
   * and ∂C/∂w (the gradient the weight gets from this sum); the bias and
   * other terms with their value as the term. */
  function weightedSum(v, rows) {
    table(['term', 'w', 'x', 'w·x', '∂C/∂w'], rows.map(function (r) {
      var f = product(r.u);
      if (!f) return row([['gv-name', label(r.u)], ['', ''], ['', ''], ['gv-fwd', fmt(r.share)],
                          ['gv-bwd', fe(r.k)]], [r.k]);
      var w = G.from[f[0]], x = G.from[f[1]];
      return row([['gv-name', label(w) + '·' + label(x)], ['gv-fwd', fv(w)],
                  ['gv-fwd', fv(x)], ['gv-fwd', fmt(r.share)],
                  ['gv-bwd', fe(f[0])]], [r.k, f[0], f[1]]);
    }));
  }

  /* Every path v → C with the product of its local derivatives (the
   * chain rule along it), as --highlight lists them: their sum is
   * ∂C/∂v. Depth first with an explicit stack; listed up to a limit,
   * counted further. */
  function pathsToC(v) {
    var listed = [], count = 0;
    var stack = [[v, 0, [], 1]];
    while (stack.length && count < MAX_PATHS_COUNTED) {
      var top = stack.pop(), node = top[0];
      if (node === G.output) {
        count++;
        if (listed.length < MAX_PATHS_LISTED) listed.push({edges: top[2], product: top[3]});
        continue;
      }
      for (var k = outStart[node + 1] - 1; k >= outStart[node]; k--) {
        var e = outEdge[k];
        if (!G.reaches[edgeTo[e]]) continue;
        var l = G.local[e];
        stack.push([edgeTo[e], 0, listed.length < MAX_PATHS_LISTED ? top[2].concat([e]) : top[2],
                    l === null || top[3] === null ? null : top[3] * l]);
      }
    }
    return {listed: listed, count: count, more: stack.length > 0};
  }

  /* The paths as lines; each lights its edges when hovered. */
  function paths(v) {
    if (v === G.output || !G.reaches[v]) return;
    var p = pathsToC(v);
    line(p.count + (p.more ? '+' : '') + ' path' + (p.count === 1 ? '' : 's') + ' to ' +
         label(G.output) + ', each the product of its local derivatives:', 'gv-sub');
    var list = el('ol', 'gv-paths');
    p.listed.forEach(function (path) {
      var names = [label(v)], factors = [];
      path.edges.forEach(function (e) {
        names.push(label(edgeTo[e]));
        factors.push(term(G.local[e], factors.length === 0, fl(e)));
        lightEdge(e, 'gv-path');
      });
      var item = el('li', '', names.join(' → ') + ': ' + factors.join(' × ') + ' = ' + fmt(path.product));
      hoverLights(item, path.edges);
      list.appendChild(item);
    });
    panel.appendChild(list);
    if (p.count > p.listed.length) line('… and ' + (p.count - p.listed.length) + (p.more ? '+' : '') +
                                        ' more', 'gv-sub');
  }

  /* Everything the page says about graph node v. */
  function showGraphNode(v) {
    /* (an MNIST page's names are the figure's own: no ids beside them) */
    head(label(v) + (label(v) !== G.ids[v] && !isMnist ? '  (' + G.ids[v] + ')' : ''));
    line('value = ' + fv(v), 'gv-fwd');
    line('∂C/∂' + dname(v) + ' = ' + fg(v), 'gv-bwd');
    fanIn(v);
    if (outStart[v + 1] > outStart[v]) fanOut(v);
    paths(v);
  }

  /* A drawn node: a graph node, or a unit standing for its sum and its
   * activation (MNIST), which opens the unit's whole sum. */
  function showNode(g) {
    unlight();
    panel.textContent = '';
    lightEl(g, 'gv-focus');
    /* a unit first: its drawn id may also name its activation's node */
    var unit = data.units[drawnId(g)];
    var v = graphNode(g);
    if (!unit && v >= 0) {
      showGraphNode(v);
      return;
    }
    if (!unit) {
      head(drawnId(g));
      var t = g.querySelector('title');
      line(t ? t.textContent : 'no graph node of its own', 'gv-sub');
      return;
    }
    if (unit[0] >= 0 && unit[1] >= 0) {
      mnistUnit(unit[0], unit[1]);
      return;
    }
    if (unit[1] >= 0) {
      head(label(unit[1]));
      line('value = ' + fv(unit[1]), 'gv-fwd');
      line('∂C/∂' + dname(unit[1]) + ' = ' + fg(unit[1]), 'gv-bwd');
    }
    if (unit[0] >= 0) {
      var z = unit[0];
      line('its sum ' + label(z) + ' = ' + fv(z) + ',  ∂C/∂' + dname(z) + ' = ' +
           fg(z), 'gv-line');
      fanIn(z);
    }
  }

  /* ---- MNIST: a unit's whole sum --------------------------------------- */

  /* The digit the inputs hold, when they are a square image: a canvas
   * whose pixels link to their terms (and back). */
  function mnistDigit(onPick) {
    var xs = [];
    G.ids.forEach(function (id, v) { var m = /^x(\d+)$/.exec(id); if (m) xs[+m[1]] = v; });
    var side = Math.round(Math.sqrt(xs.length));
    if (!xs.length || side * side !== xs.length) return null;
    var px = 6, c = el('canvas', 'gv-digit');
    c.width = c.height = side * px;
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', 'the digit: ' + side + ' by ' + side + ' inputs; click a pixel for its term');
    var cx = c.getContext('2d');
    function paint(mark) {
      for (var k = 0; k < xs.length; k++) {
        var g = Math.round(255 * (1 - Math.max(0, Math.min(1, G.value[xs[k]] || 0))));
        cx.fillStyle = 'rgb(' + g + ',' + g + ',' + g + ')';
        cx.fillRect((k % side) * px, Math.floor(k / side) * px, px, px);
      }
      if (mark >= 0) {
        cx.strokeStyle = '#cc79a7';
        cx.lineWidth = 2;
        cx.strokeRect((mark % side) * px - 1, Math.floor(mark / side) * px - 1, px + 2, px + 2);
      }
    }
    paint(-1);
    c.addEventListener('click', function (ev) {
      var r = c.getBoundingClientRect();
      var k = Math.floor((ev.clientY - r.top) / px) * side + Math.floor((ev.clientX - r.left) / px);
      if (k >= 0 && k < xs.length) onPick(k);
    });
    return {canvas: c, mark: paint, side: side};
  }

  /* A unit of an MNIST page: a, its z as the sum of all its terms (every
   * w·x and the bias, in one table with no sideways scroll), sortable, each
   * input linked to its pixel on the digit. */
  function mnistUnit(z, a) {
    var softmax = z === a;
    var m = /^z(\d+)_(\d+)$/.exec(G.ids[z]) || ['', '', ''];
    head(label(a) + (softmax ? ' = softmax(z)' : ' = ' + (G.ops[a] || 'f') + '(' + label(z) + ')'));
    if (softmax) {
      var lp = indexOfId.get('logp_' + m[2]);
      line('a = softmax(z) = ' + (lp === undefined ? '?' : fmt(Math.exp(G.value[lp]))), 'gv-fwd');
      line(label(z) + ' = ' + fv(z), 'gv-fwd');
      line('∂C/∂z = a − y = ' + fg(z), 'gv-bwd');
    } else {
      line('a = ' + fv(a) + ',  ' + label(z) + ' = ' + fv(z), 'gv-fwd');
      line('∂C/∂a = ' + fg(a) + ',  ∂C/∂z = ' + fg(z), 'gv-bwd');
    }
    var rows = [];
    for (var k = G.argStart[z]; k < G.argStart[z + 1]; k++) {
      var u = G.from[k], f = product(u);
      var r = {k: k, term: G.value[u], index: rows.length};
      if (f) {
        r.w = G.from[f[0]];
        r.x = G.from[f[1]];
        r.grad = G.grad[r.w];
        r.edges = [k, f[0], f[1]];
        var px = /^x(\d+)$/.exec(G.ids[r.x]);
        r.pixel = px ? +px[1] : -1;
      } else {
        r.bias = u;
        r.grad = G.grad[u];
        r.edges = [k];
        r.pixel = -1;
      }
      rows.push(r);
    }
    line(label(z) + ' = ' + rows.length + ' terms: ' + (rows.length - 1) + ' products w·' +
         (m[1] === '1' ? 'x' : 'a') + ' and the bias; ∂C/∂w = ' + (m[1] === '1' ? 'x' : 'a') +
         ' · ∂C/∂z', 'gv-sub');
    var digit = null, byPixel = {};
    function pick(pixel) {
      var tr = byPixel[pixel];
      if (!tr) return;
      Array.prototype.forEach.call(body.querySelectorAll('tr.gv-picked'), function (t) {
        t.classList.remove('gv-picked');
      });
      tr.classList.add('gv-picked');
      tr.scrollIntoView({block: 'center'});
      if (digit) digit.mark(pixel);
    }
    if (m[1] === '1') digit = mnistDigit(pick);
    if (digit) panel.appendChild(digit.canvas);
    var order = {key: 'size', down: true};
    var t = el('table', 'gv-table gv-terms'), hr = el('tr');
    var heads = [['term', 'index'], ['w', null], [m[1] === '1' ? 'x' : 'a', null],
                 ['w·x', 'size'], ['∂C/∂w', 'grad']];
    heads.forEach(function (h) {
      var th = el('th', '', h[0]);
      if (h[1]) {
        var b = el('button', 'gv-sort', h[0] + (h[1] === 'size' ? ' ▼' : ''));
        b.type = 'button';
        b.title = 'sort by ' + (h[1] === 'index' ? 'input' : h[1] === 'size' ? '|w·x|' : '|∂C/∂w|');
        b.setAttribute('aria-label', b.title);
        b.addEventListener('click', function () {
          order.down = order.key === h[1] ? !order.down : h[1] !== 'index';
          order.key = h[1];
          Array.prototype.forEach.call(hr.querySelectorAll('.gv-sort'), function (x) {
            x.textContent = x.textContent.replace(/ [▲▼]$/, '');
          });
          b.textContent = h[0] + (order.down ? ' ▼' : ' ▲');
          fill();
        });
        th.textContent = '';
        th.appendChild(b);
      }
      hr.appendChild(th);
    });
    var headRow = el('thead'), body = el('tbody');
    headRow.appendChild(hr);
    t.appendChild(headRow);
    t.appendChild(body);
    function key(r) {
      return order.key === 'index' ? r.index
           : order.key === 'size' ? Math.abs(r.term || 0) : Math.abs(r.grad || 0);
    }
    function fill() {
      rows.sort(function (p, q) {
        var d = key(p) - key(q);
        return (order.down ? -d : d) || p.index - q.index;
      });
      var frag = document.createDocumentFragment();
      byPixel = {};
      rows.forEach(function (r) {
        var tr = el('tr');
        var name = el('td', 'gv-name');
        if (r.bias !== undefined) {
          name.textContent = label(r.bias);
        } else if (r.pixel >= 0 && digit) {
          name.appendChild(document.createTextNode(label(r.w) + '·'));
          var link = el('a', 'gv-pixel', label(r.x));
          link.href = '#';
          link.title = 'pixel row ' + Math.floor(r.pixel / digit.side) + ', column ' +
                       r.pixel % digit.side + ' of the digit';
          link.addEventListener('click', function (ev) { ev.preventDefault(); pick(r.pixel); });
          name.appendChild(link);
          byPixel[r.pixel] = tr;
        } else {
          name.textContent = label(r.w) + '·' + label(r.x);
        }
        tr.appendChild(name);
        tr.appendChild(el('td', 'gv-fwd', r.bias !== undefined ? '' : fv(r.w)));
        tr.appendChild(el('td', 'gv-fwd', r.bias !== undefined ? '' : fv(r.x)));
        tr.appendChild(el('td', 'gv-fwd', fmt(r.term)));
        tr.appendChild(el('td', 'gv-bwd', fmt(r.grad)));
        tr.title = r.bias !== undefined ? 'the bias' : label(r.w) + ' · ' + label(r.x);
        hoverLights(tr, r.edges);
        if (r.pixel >= 0 && digit)
          tr.addEventListener('mouseenter', function () { digit.mark(r.pixel); });
        frag.appendChild(tr);
      });
      body.textContent = '';
      body.appendChild(frag);
    }
    fill();
    panel.appendChild(t);
  }

  /* An edge u → v: its gradient is its local derivative times v's. */
  function showEdge(g) {
    unlight();
    panel.textContent = '';
    lightEl(g, 'gv-strong');
    var k = g.getAttribute('data-edge');
    if (k === null || k === '') {
      var t = g.querySelector('title');
      head(t ? t.textContent : 'edge');
      return;
    }
    k = parseInt(k, 10);
    var u = G.from[k], v = edgeTo[k];
    head(label(u) + ' → ' + label(v));
    line('∂' + dname(v) + '/∂' + dname(u) + ' × ∂C/∂' + dname(v) + ' = ∂C through this edge', 'gv-sub');
    line('local × upstream = gradient', 'gv-sub');
    line(term(G.local[k], true, fl(k)) + ' × ' + term(G.grad[v], false, fg(v)) + ' = ' + fe(k), 'gv-sum');
  }

  /* What the panel says when nothing is in focus. */
  function showHelp() {
    unlight();
    panel.textContent = '';
    head('Inspect the figure');
    line('Hover, tap or Tab to a node: its value, its gradient, its fan-in and fan-out sums ' +
         'and every path to ' + label(G.output) + '. Hover an edge: local × upstream = gradient.',
         'gv-sub');
    if (steps > 0)
      line('← and → step through the forward and the backward pass (' + steps + ' steps); Home ' +
           'shows the finished figure.', 'gv-sub');
    line('Drag to pan, wheel or pinch to zoom, 0 to fit.', 'gv-sub');
  }

  /* ---- steps ---------------------------------------------------------- */

  var current = 0;

  /* 0 shows the finished figure, 1..steps the frames of --steps (the same
   * SVG the frame files hold); returns the step shown. */
  function step(k) {
    k = Math.max(0, Math.min(steps, Math.floor(Number(k) || 0)));
    current = k;
    pinned = null;
    if (k === 0) {
      frameBox.hidden = true;
      frameBox.textContent = '';
      figureBox.hidden = false;
      indexSvg(figureBox.querySelector('svg'));
      stepLabel.textContent = steps ? 'finished figure (' + steps + ' steps: → to step)' : '';
    } else {
      frameBox.innerHTML = data.frames[k - 1];
      frameBox.hidden = false;
      figureBox.hidden = true;
      indexSvg(frameBox.querySelector('svg'));
      stepLabel.textContent = data.titles[k - 1];
    }
    showHelp();
    return k;
  }

  /* ---- pan and zoom --------------------------------------------------- */

  var view = {x: 0, y: 0, s: 1};

  /* One transform on the wrapper: the SVG keeps its own size, so text
   * stays vector-sharp at any zoom. */
  function applyView() {
    pan.style.transform = 'translate(' + view.x + 'px,' + view.y + 'px) scale(' + view.s + ')';
  }

  /* The shown figure's size at zoom 1. */
  function natural() {
    if (!shown) return {w: 1, h: 1};
    var r = shown.getBoundingClientRect();
    return {w: r.width / view.s || 1, h: r.height / view.s || 1};
  }

  /* The whole figure in the stage, centred; a figure more than four
   * stages tall (MNIST's full view) fills the width from its top
   * instead, so its text stays near legible; dragging goes down it. */
  function fit() {
    var n = natural(), sw = stage.clientWidth, sh = stage.clientHeight;
    var tall = n.h * sw / n.w > 4 * sh;
    view.s = tall ? sw / n.w : Math.min(sw / n.w, sh / n.h);
    /* whole pixels: a figure half a pixel off blurs every line */
    view.x = Math.round((sw - n.w * view.s) / 2);
    view.y = tall ? 0 : Math.round((sh - n.h * view.s) / 2);
    applyView();
  }

  /* Zooms by f about the stage point (cx, cy) (default its centre). */
  function zoomBy(f, cx, cy) {
    if (cx === undefined) { cx = stage.clientWidth / 2; cy = stage.clientHeight / 2; }
    var s = Math.max(0.02, Math.min(50, view.s * f));
    f = s / view.s;
    view.x = cx - (cx - view.x) * f;
    view.y = cy - (cy - view.y) * f;
    view.s = s;
    applyView();
  }

  stage.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = stage.getBoundingClientRect();
    zoomBy(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, {passive: false});

  /* Pointers: one drags the figure, two pinch-zoom it; a press that does
   * not move is a tap (pins a node's numbers, as a click does). */
  var pointers = new Map(), moved = false, pinch = null;
  stage.addEventListener('pointerdown', function (ev) {
    pointers.set(ev.pointerId, {x: ev.clientX, y: ev.clientY});
    if (pointers.size === 1) moved = false;
    if (pointers.size === 2) {
      var p = Array.from(pointers.values());
      pinch = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
    }
  });
  stage.addEventListener('pointermove', function (ev) {
    var old = pointers.get(ev.pointerId);
    if (!old) return;
    var now = {x: ev.clientX, y: ev.clientY};
    pointers.set(ev.pointerId, now);
    if (pointers.size === 1) {
      if (!moved && Math.hypot(now.x - old.x, now.y - old.y) < 1) return;
      moved = true;
      view.x += now.x - old.x;
      view.y += now.y - old.y;
      applyView();
    } else if (pointers.size === 2 && pinch) {
      var p = Array.from(pointers.values()), r = stage.getBoundingClientRect();
      var d = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
      moved = true;
      zoomBy(d / pinch, (p[0].x + p[1].x) / 2 - r.left, (p[0].y + p[1].y) / 2 - r.top);
      pinch = d;
    }
  });
  /* Forgets a lifted pointer. */
  function lift(ev) {
    pointers.delete(ev.pointerId);
    if (pointers.size < 2) pinch = null;
  }
  stage.addEventListener('pointerup', lift);
  stage.addEventListener('pointercancel', lift);

  /* ---- hover, focus, taps --------------------------------------------- */

  var pinned = null;

  /* The node or edge group an event is about. */
  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest('g.node, g.edge') : null;
  }

  /* Shows what g is (node or edge). */
  function show(g) {
    if (g.classList.contains('node')) showNode(g);
    else showEdge(g);
  }

  stage.addEventListener('mouseover', function (ev) {
    var g = target(ev);
    if (g && !pinned) show(g);
  });
  stage.addEventListener('mouseleave', function () {
    if (pinned) show(pinned);
    else showHelp();
  });
  stage.addEventListener('focusin', function (ev) {
    var g = target(ev);
    if (!g) return;
    pinned = null;
    show(g);
    reveal(g);
  });
  stage.addEventListener('click', function (ev) {
    if (moved) return;
    var g = target(ev);
    if (g && pinned !== g) {
      pinned = g;
      show(g);
    } else {
      pinned = null;
      showHelp();
    }
  });

  /* Pans a focused node into view (Tab may land outside the stage). */
  function reveal(g) {
    var r = g.getBoundingClientRect(), s = stage.getBoundingClientRect();
    if (r.left >= s.left && r.right <= s.right && r.top >= s.top && r.bottom <= s.bottom) return;
    view.x += (s.left + s.width / 2) - (r.left + r.width / 2);
    view.y += (s.top + s.height / 2) - (r.top + r.height / 2);
    applyView();
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var k = ev.key;
    if ((k === 'ArrowRight' || k === 'PageDown') && steps) step(current + 1);
    else if ((k === 'ArrowLeft' || k === 'PageUp') && steps) step(current - 1);
    else if (k === 'Home' && steps) step(0);
    else if (k === 'End' && steps) step(steps);
    else if (k === '+' || k === '=') zoomBy(1.25);
    else if (k === '-') zoomBy(1 / 1.25);
    else if (k === '0') fit();
    else if (k === 'Escape') { pinned = null; showHelp(); }
    else if ((k === 'Enter' || k === ' ') && target(ev)) { pinned = target(ev); show(pinned); }
    else return;
    ev.preventDefault();
  });
  window.addEventListener('resize', fit);

  /* ---- start ---------------------------------------------------------- */

  step(0);
  fit();
  window.gradviz = {
    steps: steps,
    step: step,
    inspect: inspect,
    /* the step shown */
    get current() { return current; },
    fit: fit
  };
})();
