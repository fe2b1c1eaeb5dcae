"""Reads an animated GIF with the standard library alone (blocks, the LZW
codes, the frames composited as a viewer shows them) and checks what
gradviz's -o x.gif promises (issue 22), printing TAP:

    gif.py GIF STEPS_DIR FRAME_MS

STEPS_DIR holds the frames of `render --steps` drawn with the same options
(frame-NNN.png): the GIF has one frame per step, every frame the screen's
size, looping forever, FRAME_MS a frame and four times that on the last,
and each composited frame is that step's PNG within the palette's
rounding (same layout: every box where the PNG has it). `--png OUT GIF`
writes the composited frames as OUT-NNN.png to look at.
"""
import glob
import os
import struct
import sys
import zlib


def read_gif(path):
    """The screen size, the loop count, and the frames: (x, y, w, h, delay
    in hundredths, disposal, transparent index or None, palette, indices)."""
    d = open(path, "rb").read()
    if d[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    sw, sh, flags, _bg, _aspect = struct.unpack("<HHBBB", d[6:13])
    p = 13
    gct = None
    if flags & 0x80:
        n = 2 << (flags & 7)
        gct = [tuple(d[p + 3 * i:p + 3 * i + 3]) for i in range(n)]
        p += 3 * n
    frames, loop = [], None
    gce = (0, 0, None)
    while True:
        b = d[p]
        p += 1
        if b == 0x3B:
            break
        if b == 0x21:
            label = d[p]
            p += 1
            blocks = []
            while d[p]:
                blocks.append(d[p + 1:p + 1 + d[p]])
                p += 1 + d[p]
            p += 1
            if label == 0xF9:
                pf, delay, ti = struct.unpack("<BHB", blocks[0][:4])
                gce = (delay, (pf >> 2) & 7, ti if pf & 1 else None)
            elif label == 0xFF and blocks[0] == b"NETSCAPE2.0":
                loop = struct.unpack("<H", blocks[1][1:3])[0]
            continue
        if b != 0x2C:
            raise ValueError("unknown block 0x%02x at %d" % (b, p - 1))
        x, y, w, h, f = struct.unpack("<HHHHB", d[p:p + 9])
        p += 9
        pal = gct
        if f & 0x80:
            n = 2 << (f & 7)
            pal = [tuple(d[p + 3 * i:p + 3 * i + 3]) for i in range(n)]
            p += 3 * n
        if f & 0x40:
            raise ValueError("interlaced frames are not expected")
        min_code = d[p]
        p += 1
        data = bytearray()
        while d[p]:
            data += d[p + 1:p + 1 + d[p]]
            p += 1 + d[p]
        p += 1
        idx = lzw_decode(bytes(data), min_code, w * h)
        frames.append((x, y, w, h, gce[0], gce[1], gce[2], pal, idx))
        gce = (0, 0, None)
    return sw, sh, loop, frames


def lzw_decode(data, min_code, count):
    """GIF's variable-width LZW."""
    clear, end = 1 << min_code, (1 << min_code) + 1
    out = bytearray()
    bits, width, pos = 0, min_code + 1, 0
    acc = 0
    table = None
    prev = None
    nbits = len(data) * 8
    while pos + width <= nbits or bits:
        while bits < width and pos < nbits:
            acc |= data[pos // 8] << bits
            bits += 8
            pos += 8
        if bits < width:
            break
        code = acc & ((1 << width) - 1)
        acc >>= width
        bits -= width
        if code == clear:
            table = [bytes([i]) for i in range(clear)] + [b"", b""]
            width, prev = min_code + 1, None
            continue
        if code == end:
            break
        if prev is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            table.append(prev + entry[:1])
        else:
            entry = prev + prev[:1]
            table.append(entry)
        out += entry
        prev = entry
        if len(table) == (1 << width) and width < 12:
            width += 1
    if len(out) < count:
        raise ValueError("a frame of %d pixels decoded to %d" % (count, len(out)))
    return bytes(out[:count])


def composite(sw, sh, frames):
    """Each frame as shown: drawn over the last (disposal 'do not dispose'),
    transparent pixels keeping what was there. RGB rows."""
    canvas = [[(255, 255, 255)] * sw for _ in range(sh)]
    shown = []
    for x, y, w, h, _delay, disposal, ti, pal, idx in frames:
        if disposal not in (0, 1):
            raise ValueError("disposal %d" % disposal)
        for r in range(h):
            row = canvas[y + r]
            for c in range(w):
                k = idx[r * w + c]
                if k != ti:
                    row[x + c] = pal[k]
        shown.append([list(row) for row in canvas])
    return shown


def read_png(path):
    """An 8-bit RGB or RGBA PNG (gradviz's) as RGB rows."""
    d = open(path, "rb").read()
    p, idat = 8, b""
    while p < len(d):
        n, t = struct.unpack(">I4s", d[p:p + 8])
        body = d[p + 8:p + 8 + n]
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif t == b"IDAT":
            idat += body
        p += 12 + n
    bpp = {2: 3, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for r in range(h):
        f = raw[r * (stride + 1)]
        line = bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append([tuple(line[k * bpp:k * bpp + 3]) for k in range(w)])
        prev = line
    return w, h, rows


def write_png(path, rows):
    """RGB rows as a PNG (filter 0)."""
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(v for px in row for v in px) for row in rows)

    def chunk(t, body):
        c = struct.pack(">I", len(body)) + t + body
        return c + struct.pack(">I", zlib.crc32(t + body) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    if sys.argv[1] == "--png":
        sw, sh, _loop, frames = read_gif(sys.argv[3])
        for k, rows in enumerate(composite(sw, sh, frames)):
            write_png("%s-%03d.png" % (sys.argv[2], k + 1), rows)
        return 0
    gif, steps, frame_ms = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n = 0
    fails = 0

    def check(ok, name):
        nonlocal n, fails
        n += 1
        fails += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))

    sw, sh, loop, frames = read_gif(gif)
    pngs = sorted(glob.glob(os.path.join(steps, "frame-*.png")))
    check(len(frames) == len(pngs) and len(frames) > 1,
          "one GIF frame per step: %d frames, %d steps" % (len(frames), len(pngs)))
    check(loop == 0, "it loops forever (NETSCAPE2.0, count %r)" % loop)
    delays = [f[4] for f in frames]
    want = [frame_ms // 10] * (len(frames) - 1) + [4 * frame_ms // 10]
    check(delays == want, "each step %d ms, the last held %d ms (got %s)" %
          (frame_ms, 4 * frame_ms, sorted(set(delays))))
    inside = all(x + w <= sw and y + h <= sh for x, y, w, h, *_ in frames)
    first = frames[0][:4] == (0, 0, sw, sh)
    check(inside and first, "the first frame covers the %dx%d screen and the others lie in it" % (sw, sh))
    shown = composite(sw, sh, frames)
    worst = (0, 0.0, 0)
    for k, (rows, png) in enumerate(zip(shown, pngs)):
        pw, ph, prow = read_png(png)
        if (pw, ph) != (sw, sh):
            check(False, "frame %d: the PNG is %dx%d, the GIF %dx%d" % (k + 1, pw, ph, sw, sh))
            continue
        off = total = 0
        for r in range(sh):
            a, b = rows[r], prow[r]
            for c in range(sw):
                d = max(abs(a[c][0] - b[c][0]), abs(a[c][1] - b[c][1]), abs(a[c][2] - b[c][2]))
                total += d
                off += d > 40
        share = off / (sw * sh)
        if share >= worst[1]:
            worst = (k + 1, share, total / (sw * sh))
    check(worst[1] < 0.002 and worst[2] < 1.5,
          "every composited frame is its step's PNG within the palette's rounding, so the layout "
          "is the same throughout (worst: frame %d, %.3f%% of pixels off by more than 40, mean "
          "difference %.2f)" % (worst[0], 100 * worst[1], worst[2]))
    print("1..%d" % n)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
