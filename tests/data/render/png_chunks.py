#!/usr/bin/env python3
"""Prints a PNG's chunks the way the render tests check them:
`pHYs X Y UNIT`, `tEXt KEY VALUE`, `iTXt KEY COMPRESSED TEXT` (the text
decompressed, newlines as \\n). Exit 1 if the file is not a valid PNG."""
import struct
import sys
import zlib


def main(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        print("not a PNG")
        return 1
    pos = 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            print("bad crc in", kind)
            return 1
        kind = kind.decode()
        if kind == "pHYs":
            x, y, unit = struct.unpack(">IIB", body)
            print("pHYs", x, y, unit)
        elif kind == "tEXt":
            k, v = body.split(b"\0", 1)
            print("tEXt", k.decode("latin-1"), v.decode("latin-1"))
        elif kind == "iTXt":
            k, rest = body.split(b"\0", 1)
            comp, method = rest[0], rest[1]
            rest = rest[2:]
            lang, rest = rest.split(b"\0", 1)
            tkey, text = rest.split(b"\0", 1)
            if comp:
                text = zlib.decompress(text)
            print("iTXt", k.decode(), comp, text.decode("utf-8").replace("\n", "\\n"))
        elif kind == "IHDR":
            w, h = struct.unpack(">II", body[:8])
            print("IHDR", w, h)
        pos += 12 + n
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
