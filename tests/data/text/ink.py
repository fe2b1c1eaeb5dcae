#!/usr/bin/env python3
"""Prints how many pixels of a PNG are dark (luminance below 128 on the
alpha-blended-on-white image): text drawn with real glyphs inks more or
less than an empty box, depending on the character, where missing glyphs
all ink the same. Standard library only (zlib); 8-bit, non-interlaced PNG
as Cairo, rsvg-convert and pdftoppm write them. Exit 1 on anything else."""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def unfilter(raw, width, height, bpp):
    """Undoes the per-row PNG filters; returns the rows as bytearrays."""
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return rows


def dark_pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, head = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = head
    if depth != 8 or interlace or ctype not in CHANNELS:
        raise ValueError("unsupported PNG (depth %d, type %d)" % (depth, ctype))
    bpp = CHANNELS[ctype]
    dark = 0
    for row in unfilter(zlib.decompress(idat), width, height, bpp):
        for x in range(width):
            px = row[x * bpp:(x + 1) * bpp]
            grey = px[0] if bpp <= 2 else (299 * px[0] + 587 * px[1] + 114 * px[2]) // 1000
            alpha = px[-1] if bpp in (2, 4) else 255
            grey = (grey * alpha + 255 * (255 - alpha)) // 255
            dark += grey < 128
    return dark


if __name__ == "__main__":
    try:
        print(dark_pixels(sys.argv[1]))
    except (OSError, ValueError, TypeError, zlib.error) as e:
        print("ink.py: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        sys.exit(1)
