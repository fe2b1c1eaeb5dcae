#!/usr/bin/env python3
"""Writes a sigmoid network N0-N1-N2 as DOT, one node per weight, product,
sum and activation, with quadratic cost: a big graph for the render
benchmark. `wide.py 34 16 8` gives about 1,500 nodes."""
import random
import sys

sizes = [int(a) for a in sys.argv[1:]] or [34, 16, 8]
rnd = random.Random(1)
out = ['digraph "wide %s" {' % "-".join(map(str, sizes))]
prev = []
for i in range(sizes[0]):
    out.append('  x%d [value=%.3f];' % (i, rnd.uniform(0, 1)))
    prev.append("x%d" % i)
for l, n in enumerate(sizes[1:], 1):
    cur = []
    for j in range(n):
        s = "s%d_%d" % (l, j)
        for i, p in enumerate(prev):
            w, m = "w%d_%d_%d" % (l, j, i), "m%d_%d_%d" % (l, j, i)
            out.append('  %s [value=%.3f, role=param]; %s [op=mul];' % (w, rnd.uniform(-1, 1), m))
            out.append('  %s -> %s; %s -> %s; %s -> %s;' % (w, m, p, m, m, s))
        out.append('  b%d_%d [value=%.3f, role=param]; b%d_%d -> %s;' % (l, j, rnd.uniform(-1, 1), l, j, s))
        out.append('  %s [op=add]; h%d_%d [op=sigmoid]; %s -> h%d_%d;' % (s, l, j, s, l, j))
        cur.append("h%d_%d" % (l, j))
    prev = cur
out.append('  sum [op=add]; half [value=0.5, role=const]; C [op=mul];')
for j, p in enumerate(prev):
    out.append('  t%d [value=%d, role=const]; d%d [op=sub]; q%d [op=square];' % (j, 1 if j == 0 else 0, j, j))
    out.append('  %s -> d%d; t%d -> d%d; d%d -> q%d; q%d -> sum;' % (p, j, j, j, j, j, j))
out.append('  half -> C; sum -> C;')
out.append('}')
print("\n".join(out))
