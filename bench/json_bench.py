#!/usr/bin/env python3
"""The 1,000,000-node chain of `sin` nodes in DOT, each figure beside its
reference in the same run:

  * JSON writing: gradviz's writer (bench_json: the write alone, after
    reading and evaluating) against Python's json.dumps of the same
    document (loaded from gradviz's output; only the dumps is timed), CPU
    seconds, best of two. Ratio target: at most 1.0.
  * Peak memory: `gradviz eval --format json CHAIN > /dev/null` against
    Graphviz's own `nop CHAIN > /dev/null` (reading and writing the same
    file), maximum resident set size from /usr/bin/time -v. Ratio target:
    at most 1.2.

Usage: json_bench.py BENCH_JSON GRADVIZ"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

N = 1000000


def write_chain(path):
    """x0 = 0.5, x_i = sin(x_{i-1}): a node line and an edge line per node."""
    with open(path, "w") as f:
        f.write("digraph chain {\n  x0 [value=0.5];\n")
        for i in range(1, N + 1):
            f.write("  x%d [op=sin];\n  x%d -> x%d;\n" % (i, i - 1, i))
        f.write("}\n")


def peak_kb(argv):
    """Maximum resident set size of a command, its output thrown away."""
    with open(os.devnull, "w") as null:
        r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=null,
                           stderr=subprocess.PIPE, text=True, check=True)
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))


def main():
    bench_json, gradviz = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="gdv-bench-json.")
    try:
        chain = os.path.join(tmp, "chain.dot")
        out = os.path.join(tmp, "chain.json")
        write_chain(chain)
        t_gdv = float(subprocess.run([bench_json, chain, out], stdout=subprocess.PIPE,
                                     text=True, check=True).stdout)
        with open(out) as f:
            doc = json.load(f)
        os.remove(out)
        t_py = None
        for _ in range(2):
            start = time.process_time()
            json.dumps(doc)
            t = time.process_time() - start
            t_py = t if t_py is None else min(t_py, t)
        del doc
        print("bench: json-1m-chain-gradviz %.2f s" % t_gdv)
        print("bench: json-1m-chain-python-dumps %.2f s" % t_py)
        print("bench: json-1m-chain-ratio %.2f x" % (t_gdv / t_py))
        if shutil.which("nop") is None:
            print("bench: memory-1m-chain skipped (Graphviz nop not installed)")
            return
        m_gdv = peak_kb([gradviz, "eval", "--format", "json", chain])
        m_nop = peak_kb(["nop", chain])
        print("bench: memory-1m-chain-gradviz %.0f MB" % (m_gdv / 1024))
        print("bench: memory-1m-chain-nop %.0f MB" % (m_nop / 1024))
        print("bench: memory-1m-chain-ratio %.2f x" % (m_gdv / m_nop))
    finally:
        shutil.rmtree(tmp)


main()
