#!/usr/bin/env python3
"""figure_check.py DUMP.json CHECK...: measures an MNIST figure from its
--dump-layout and prints one line per check, 'ok' or 'FAIL: why'.

Checks:
  pxem        text size on a 1920x1080 slide: s = min(1920/width,
              1080/height) points to pixels, times the smallest node or
              edge font (the dump's 'size' when it has one, else the
              default style's 11 pt nodes, 10 pt edge labels); prints it
  pxem>=N     the same, failing under N px/em
  overlap     no text box overlaps another owner's text box
  edges       no edge passes through a node box or a text box that is not
              its own (its two end nodes, its own label)
  badges      every badge's text keeps 2 pt or more inside its outline
              (a capsule: the round ends are half circles)
  sums        every written-out sum "T = t1 + t2 + N more: r" adds up
              exactly as printed (decimal arithmetic); prints how many
  title=TEXT  the title is TEXT
  legend=TEXT some legend entry is TEXT
"""
import json
import math
import re
import sys
from decimal import Decimal

NODE_PT, EDGE_PT = 11.0, 10.0


def font_size(t):
    if 'size' in t:
        return t['size']
    return EDGE_PT if t['owner'] == 'edge' else NODE_PT


def pxem(d):
    s = min(1920 / d['width'], 1080 / d['height'])
    sizes = [font_size(t) for t in d['texts'] if t['owner'] in ('node', 'edge')]
    return s * min(sizes) if sizes else float('inf')


def inter(a, b, pad=0.0):
    return (a[0] < b[0] + b[2] - pad and b[0] < a[0] + a[2] - pad and
            a[1] < b[1] + b[3] - pad and b[1] < a[1] + a[3] - pad)


def box(o):
    return (o['x'], o['y'], o['w'], o['h'])


def overlaps(d):
    bad = []
    ts = d['texts']
    for i in range(len(ts)):
        for j in range(i + 1, len(ts)):
            a, b = ts[i], ts[j]
            if (a['owner'], a['index']) == (b['owner'], b['index']):
                continue
            if inter(box(a), box(b), 0.5):
                bad.append('%r / %r' % (a['text'], b['text']))
    return bad


def samples(pts):
    """Points along the polyline of cubic Beziers (3k+1 points)."""
    out = [tuple(pts[0])]
    k = 1
    while k + 2 < len(pts):
        p0, p1, p2, p3 = pts[k - 1], pts[k], pts[k + 1], pts[k + 2]
        for i in range(1, 25):
            t = i / 24
            u = 1 - t
            out.append(tuple(u ** 3 * p0[c] + 3 * u * u * t * p1[c] +
                             3 * u * t * t * p2[c] + t ** 3 * p3[c] for c in (0, 1)))
        k += 3
    for q in pts[k:]:
        out.append(tuple(q))
    return out


def seg_hits_box(p, q, b, inset=1.0):
    """Whether segment p-q enters box b shrunk by inset (Liang-Barsky)."""
    x0, y0, x1, y1 = b[0] + inset, b[1] + inset, b[0] + b[2] - inset, b[1] + b[3] - inset
    if x1 <= x0 or y1 <= y0:
        return False
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pp, qq in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pp == 0:
            if qq < 0:
                return False
        else:
            r = qq / pp
            if pp < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return False
    return True


def edge_crossings(d):
    nodes = d['nodes']
    texts_by_owner = {}
    for t in d['texts']:
        if t['owner'] in ('node', 'edge', 'item', 'title'):
            texts_by_owner.setdefault((t['owner'], t['index']), []).append(box(t))
    obstacles = [(('node', n['index']), box(n)) for n in nodes]
    for key, bs in texts_by_owner.items():
        obstacles += [(key, b) for b in bs]
    obstacles += [(('item', it['index']), box(it)) for it in d.get('items', [])]
    bad = []
    for e in d['edges']:
        own = {('node', e['from']), ('node', e['to']), ('edge', e['index'])}
        pts = samples(e['points'])
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        bb = (min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
        for key, b in obstacles:
            if key in own or not inter(bb, b):
                continue
            if any(seg_hits_box(pts[i], pts[i + 1], b) for i in range(len(pts) - 1)):
                bad.append('edge %d (%d->%d) through %s %d' % (e['index'], e['from'], e['to'],
                                                               key[0], key[1]))
                break
    return bad


def capsule_gap(b, t):
    """Smallest distance from text box t to the outline of capsule b (inside
    it), negative when the text pokes out."""
    x, y, w, h = b
    r = min(w, h) / 2
    cy = y + h / 2
    gap = min(t['y'] - y, y + h - (t['y'] + t['h']))
    for cx, side in ((x + r, -1), (x + w - r, 1)):
        for ty in (t['y'], t['y'] + t['h']):
            tx = t['x'] if side < 0 else t['x'] + t['w']
            if (tx - cx) * side > 0:
                gap = min(gap, r - math.hypot(tx - cx, ty - cy))
    gap = min(gap, t['x'] - x, x + w - (t['x'] + t['w']))
    return gap


def badge_gaps(d):
    bad = []
    items = {it['index']: it for it in d.get('items', [])}
    for t in d['texts']:
        if t['owner'] != 'item' or t['index'] not in items:
            continue
        it = items[t['index']]
        if it['h'] > 60:  # pictures: caption below, no outline around it
            continue
        g = capsule_gap(box(it), t)
        if g < 2:
            bad.append('%r: %.2f pt' % (t['text'], g))
    return bad


SUP = str.maketrans('⁰¹²³⁴⁵⁶⁷⁸⁹⁻', '0123456789-')


def number(tok):
    tok = tok.replace('−', '-')
    m = re.fullmatch(r'(-?[0-9.]+)(?:×10([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))?', tok)
    if not m:
        raise ValueError('not a number: %r' % tok)
    v = Decimal(m.group(1))
    if m.group(2):
        v = v.scaleb(int(m.group(2).translate(SUP)))
    return v


def node_lines(d):
    """Each node's texts, a row that starts with a sign ("+ 1.37 + 1.35")
    joined to the text before it: a long sum cut into rows."""
    lines = []
    for t in d['texts']:
        if t['owner'] != 'node':
            continue
        if lines and lines[-1][0] == t['index'] and t['text'][:2] in ('+ ', '− '):
            lines[-1][1] += ' ' + t['text']
        else:
            lines.append([t['index'], t['text']])
    return [text for _, text in lines]


def sums(d):
    """(bad, checked): sums that do not add up as printed, and how many
    sums there were (a formula such as "∂C/∂z = a − y = −1" is none)."""
    bad, checked = [], 0
    for text in node_lines(d):
        parts = text.split(' = ')
        if len(parts) != 3:
            continue
        try:
            total = number(parts[1])
        except ValueError:
            continue
        checked += 1
        rhs = re.sub(r'[0-9]+ more: ', '', parts[2].replace(' (b)', ''))
        toks = rhs.split(' ')
        acc = number(toks[0])
        for i in range(1, len(toks), 2):
            v = number(toks[i + 1])
            acc += v if toks[i] == '+' else -v
        if acc != total:
            bad.append('%r: terms add up to %s' % (text, acc))
    return bad, checked


def main():
    d = json.load(open(sys.argv[1]))
    rc = 0
    for check in sys.argv[2:]:
        if check.startswith('pxem'):
            v = pxem(d)
            want = float(check[6:]) if check.startswith('pxem>=') else 0
            msg = '%.1f px/em (%.0fx%.0f pt)' % (v, d['width'], d['height'])
            print(('ok ' if v >= want else 'FAIL: ') + msg)
            rc |= v < want
            continue
        if check.startswith('title=') or check.startswith('legend='):
            owner, want = check.split('=', 1)
            got = [t['text'] for t in d['texts'] if t['owner'] == owner]
            ok = want in got
            print('ok' if ok else 'FAIL: %s texts are %r' % (owner, got))
            rc |= not ok
            continue
        if check == 'sums':
            bad, checked = sums(d)
            ok = not bad and checked > 0
            print(('ok %d sums' % checked) if ok else 'FAIL: %d of %d: %s' % (
                len(bad), checked, '; '.join(bad[:5])))
            rc |= not ok
            continue
        bad = {'overlap': overlaps, 'edges': edge_crossings, 'badges': badge_gaps}[check](d)
        print('ok' if not bad else 'FAIL: %d: %s' % (len(bad), '; '.join(bad[:5])))
        rc |= bool(bad)
    return rc


if __name__ == '__main__':
    sys.exit(main())
