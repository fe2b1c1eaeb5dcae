#!/usr/bin/env python3
"""Prints `gradviz stats --format json` (on stdin) as bench lines."""
import json
import sys

d = json.load(sys.stdin)
c = d["cost"]
s = c["seconds"]
bp = s["forward"] + s["backward"]
name = sys.argv[1] if len(sys.argv) > 1 else "graph"
print("bench: stats-%s-params %d count" % (name, d["leaves"]["param"]))
print("bench: stats-%s-fd-passes %d count" % (name, c["fd_forward_passes"]))
print("bench: stats-%s-backprop %.2f ms" % (name, 1e3 * bp))
print("bench: stats-%s-fd%s %.1f s" % (name, "-estimated" if s["fd_estimated"] else "",
                                        s["finite_differences"]))
print("bench: stats-%s-fd-over-backprop %.0f x" % (name, s["finite_differences"] / bp))
print("bench: stats-%s-saved-bytes %d bytes" % (name, d["memory"]["saved_bytes"]))
