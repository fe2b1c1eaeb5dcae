#!/usr/bin/env python3
"""Writes Nielsen's chapter-1 network (784-30-10, sigmoid, quadratic cost)
as a formula file, node by node, for `gradviz stats`: 23,860 parameters."""
import random
import sys

random.seed(1)
sizes = [784, 30, 10]
out = ["x%d = %.6g" % (i, random.random()) for i in range(sizes[0])]
prev = ["x%d" % i for i in range(sizes[0])]
for l in (1, 2):
    cur = []
    for j in range(sizes[l]):
        for i in range(len(prev)):
            out.append("param w%d_%d_%d = %.6g" % (l, j, i, random.gauss(0, 1)))
        out.append("param b%d_%d = %.6g" % (l, j, random.gauss(0, 1)))
        terms = " + ".join("w%d_%d_%d*%s" % (l, j, i, p) for i, p in enumerate(prev))
        out.append("z%d_%d = %s + b%d_%d" % (l, j, terms, l, j))
        out.append("a%d_%d = sigmoid(z%d_%d)" % (l, j, l, j))
        cur.append("a%d_%d" % (l, j))
    prev = cur
for j in range(sizes[2]):
    out.append("const y%d = %d" % (j, 1 if j == 3 else 0))
out.append("C = 0.5*(%s)" % " + ".join("(a2_%d - y%d)^2" % (j, j) for j in range(sizes[2])))
out.append("output C")
sys.stdout.write("\n".join(out) + "\n")
