/* worksheet.js: a worksheet page (gradviz worksheet -o sheet.html). A field
 * over each box of the figure; every answer typed is judged at once as
 * `gradviz grade` judges it: right, wrong with its likely cause (the sign,
 * part of a fan-out sum, the local derivative for the gradient), or
 * carried from the student's own wrong answer upstream. The page holds no
 * answer: only salted hashes of the tolerance cells near each one (and
 * near each part of a fan-out sum), and the numbers the sheet shows. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ws-data").textContent);
  var sheet = document.getElementById("ws-sheet");
  var svg = sheet.querySelector("svg");
  var layer = document.getElementById("ws-fields");
  var items = data.items;
  var answers = items.map(function () { return null; });
  var texts = items.map(function () { return ""; });
  var results = items.map(function () { return null; });
  var fields = [];
  var okSets = items.map(function (it) { return new Set(it.ok); });
  var encoder = new TextEncoder();

  /* FNV-1a over UTF-8 bytes, from h: gdv_grade_hash's first step. */
  function fnv(h, s) {
    var b = encoder.encode(s);
    for (var i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
    return h;
  }

  /* murmur3's finaliser, as gdv_grade.c's fmix32. */
  function fmix(h) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85EBCA6B) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xC2B2AE35) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
  }

  /* gdv_grade_hash: "SALT|TAG|CELL", 64 rounds, eight hex digits. */
  function hash(tag, cell) {
    var h = fnv(fnv(fnv(fnv(fnv(2166136261, data.salt), "|"), tag), "|"), cell);
    for (var r = 0; r < 64; r++) h = fmix((h ^ r) >>> 0);
    return ("0000000" + h.toString(16)).slice(-8);
  }

  /* gdv_grade_cell: the cell of x on the tolerance's grid. */
  function cell(x) {
    var t = data.tol;
    var lin = t.atol > 0 ? t.atol / 4 : 0;
    var lg = t.rtol > 0 ? Math.log1p(t.rtol / 4) : 0;
    var split = t.rtol > 0 ? (t.atol > 0 ? t.atol / t.rtol : 0) : Infinity;
    if (!isFinite(x)) return "n";
    if (Math.abs(x) < split) return "a" + String(lin > 0 ? Math.floor(x / lin + 0.5) + 0 : 0);
    if (x === 0) return "z";
    return (x < 0 ? "-" : "+") + String(Math.floor(Math.log(Math.abs(x)) / lg + 0.5) + 0);
  }

  /* Whether x is in a list of hashes made for tag. */
  function near(list, tag, x) {
    var set = list instanceof Set ? list : new Set(list);
    return set.has(hash(tag, cell(x)));
  }

  /* gdv_grade_close: within max(rtol |e|, atol). */
  function close(x, e) {
    return isFinite(x) && isFinite(e) &&
      Math.abs(x - e) <= Math.max(data.tol.rtol * Math.abs(e), data.tol.atol);
  }

  /* A number as a student writes it: also with U+2212 or a decimal comma. */
  function parse(text) {
    var t = text.trim().replace(/^\u2212/, "-").replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
    return parseFloat(t);
  }

  function label(i) { return items[i].q + " " + items[i].item; }

  /* The student's own number behind a reference, and the first wrong
   * answer it rests on: {x, wrong} (x null when unknown). */
  function own(ref) {
    if (ref === null) return {x: null, wrong: null};
    if (ref.v !== undefined) return {x: ref.v, wrong: null};
    var r = results[ref.i];
    var wrong = r && r.verdict !== "right" ? (r.verdict === "carried" ? r.from : ref.i) : null;
    return {x: answers[ref.i], wrong: wrong};
  }

  /* What the student's answers upstream give for item i. */
  function carried(it) {
    var c = it.carry, x = null, wrong = null, k, o;
    if (!c) return {x: null, wrong: null};
    if (c.one) return {x: 1, wrong: null};
    if (c.sum) {
      x = 0;
      for (k = 0; k < c.sum.length; k++) {
        o = own(c.sum[k]);
        if (o.x === null) return {x: null, wrong: null};
        x += o.x;
        if (wrong === null) wrong = o.wrong;
      }
      return {x: x, wrong: wrong};
    }
    x = 1;
    for (k = 0; k < c.mul.length; k++) {
      o = own(c.mul[k]);
      if (o.x === null) return {x: null, wrong: null};
      x *= o.x;
      if (wrong === null) wrong = o.wrong;
    }
    return {x: c.zero ? 0 : x, wrong: wrong};
  }

  /* The terms missing from a part of a fan-out sum (mask: the ones in). */
  function missing(part, mask) {
    return part.names.filter(function (n, k) { return !(mask >> k & 1); });
  }

  /* Part of a fan-out sum: the true terms' subsets by their hashes, then
   * the student's own terms by number. */
  function partSum(i, x) {
    var it = items[i], part = it.part, k, m;
    if (!part) return null;
    for (k = 0; k < part.subs.length; k++)
      if (near(part.subs[k].h, "sub " + it.tag + " " + part.subs[k].mask, x))
        return missing(part, part.subs[k].mask);
    var terms = it.carry.sum.map(function (r) { return own(r).x; });
    if (terms.some(function (t) { return t === null; }) || terms.length > 12) return null;
    var best = null;
    for (m = 1; m < (1 << terms.length) - 1; m++) {
      var s = 0;
      for (k = 0; k < terms.length; k++) if (m >> k & 1) s += terms[k];
      if (close(x, s) && (best === null || popcount(m) < popcount(best))) best = m;
    }
    return best === null ? null : missing(part, best);
  }

  function popcount(m) { var n = 0; for (; m; m >>= 1) n += m & 1; return n; }

  /* The local derivative given for the gradient. */
  function gaveLocal(it, x) {
    var l = it.local;
    if (!l) return false;
    if (l.ref && l.ref.i !== undefined) return near(okSets[l.ref.i], items[l.ref.i].tag, x);
    if (l.ref && l.ref.v !== undefined) return close(x, l.ref.v);
    return l.h ? near(l.h, l.tag, x) : false;
  }

  /* Judges every answer in grade's order. */
  function judge() {
    results = items.map(function () { return null; });
    data.order.forEach(function (i) {
      var x = answers[i], it = items[i];
      if (x === null) return;
      var r = {verdict: "wrong", cause: null};
      if (near(okSets[i], it.tag, x)) {
        r.verdict = "right";
      } else {
        var c = carried(it), parts;
        if (c.wrong !== null && c.x !== null && close(x, c.x)) {
          r.verdict = "carried";
          r.cause = "carried";
          r.from = c.wrong;
        } else if (near(okSets[i], it.tag, -x)) {
          r.cause = "sign";
        } else if ((parts = partSum(i, x)) !== null) {
          r.cause = "part-sum";
          r.missing = parts;
        } else if (gaveLocal(it, x)) {
          r.cause = "local";
        }
      }
      results[i] = r;
    });
    return results;
  }

  /* The words grade says for an answer (without the numbers: the page
   * does not know them). */
  function message(i) {
    var r = results[i], it = items[i];
    if (!r) return "";
    if (r.verdict === "right") return "right";
    if (r.cause === "carried")
      return "carried: right from your own " + label(r.from) +
        ", which was wrong: only the first error costs";
    if (r.cause === "sign") return "wrong: the sign is wrong";
    if (r.cause === "part-sum")
      return "wrong: " + (r.missing.length === it.part.names.length - 1 ? "one term" : "some terms") +
        " of the fan-out sum of " + it.part.names.length + " terms instead of the sum; missing " +
        r.missing.join(", ");
    if (r.cause === "local")
      return "wrong: that is the local derivative of " + it.local.edge +
        ": multiply it by the upstream gradient dC/d" + it.local.to;
    return "wrong";
  }

  /* Fields, list and score after a change. */
  function update() {
    judge();
    fields.forEach(function (f) {
      var r = results[f.item];
      f.el.className = "ws-field" + (r ? " ws-" + r.verdict : "");
      f.el.title = label(f.item) + (r ? ": " + message(f.item) : "");
    });
    var list = document.getElementById("ws-list"), n = [0, 0, 0], asked = 0;
    while (list.firstChild) list.removeChild(list.firstChild);
    data.order.forEach(function (i) {
      asked++;
      var r = results[i];
      if (!r) return;
      n[["right", "wrong", "carried"].indexOf(r.verdict)]++;
      var li = document.createElement("li");
      li.className = "ws-" + r.verdict;
      li.setAttribute("data-item", label(i));
      li.textContent = label(i) + " = " + texts[i].trim() + ": " + message(i);
      list.appendChild(li);
    });
    document.getElementById("ws-score").textContent = n[0] + n[1] + n[2] === 0 ?
      "Type your answers into the boxes: each is checked as you type." :
      n[0] + " right, " + n[1] + " wrong, " + n[2] + " carried from an earlier error; " +
      (n[0] + n[1] + n[2]) + " of " + asked + " answered";
  }

  /* Every field over a box: where the box is drawn now. */
  function place() {
    var base = sheet.getBoundingClientRect();
    fields.forEach(function (f) {
      var r = f.box.getBoundingClientRect();
      f.el.style.left = (r.left - base.left) + "px";
      f.el.style.top = (r.top - base.top) + "px";
      f.el.style.width = r.width + "px";
      f.el.style.height = r.height + "px";
      f.el.style.fontSize = Math.max(8, r.height * 0.72) + "px";
    });
  }

  data.boxes.forEach(function (b) {
    var box = svg.querySelector('g.blank[data-item="' + b[0] + '"]');
    if (!box) return;
    var el = document.createElement("input");
    el.type = "text";
    el.inputMode = "decimal";
    el.autocomplete = "off";
    el.spellcheck = false;
    el.className = "ws-field";
    el.setAttribute("aria-label", label(b[1]));
    el.setAttribute("data-item", label(b[1]));
    var f = {el: el, box: box, item: b[1]};
    el.addEventListener("input", function () {
      texts[f.item] = el.value;
      answers[f.item] = parse(el.value);
      fields.forEach(function (o) { if (o.item === f.item && o !== f) o.el.value = el.value; });
      update();
    });
    fields.push(f);
    layer.appendChild(el);
  });

  document.getElementById("ws-save").addEventListener("click", function () {
    var csv = "quantity,item,value\n";
    items.forEach(function (it, i) {
      if (answers[i] !== null) csv += it.q + ",\"" + it.item.replace(/"/g, '""') + "\"," + answers[i] + "\n";
    });
    var a = document.createElement("a");
    a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv);
    a.download = "answers.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  window.addEventListener("resize", place);
  place();
  update();
  /* for scripts and tests: what is judged, and how */
  window.worksheet = {
    items: items.map(function (it) { return label(items.indexOf(it)); }),
    fields: fields.map(function (f) { return f.el; }),
    judge: judge,
    feedback: function (q, item) {
      for (var i = 0; i < items.length; i++)
        if (items[i].q === q && items[i].item === item) return message(i);
      return null;
    }
  };
})();
