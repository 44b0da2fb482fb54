#!/usr/bin/env python3
"""Draws Sentinella's icon (a PA-blue shield with a white check mark) and
writes src-tauri/icons/: PNGs of every size the bundlers use and icon.ico
(16-256 px; 32-bit BMP entries up to 64 px, a PNG entry at 256 px).

Pure Python (no Pillow): the shapes are sampled several times per pixel for
smooth edges. Small sizes get a thicker check mark so it still reads at 16 px.
The icons are committed; run this again only to change the design:
    python3 scripts/make-icons.py
"""
import math
import os
import struct
import zlib

BLUE = (0x00, 0x66, 0xCC)   # Designers Italia / Bootstrap Italia primary
DARK = (0x00, 0x4D, 0x99)   # the UI's --sn-primary-dark, for the rim
WHITE = (0xFF, 0xFF, 0xFF)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src-tauri", "icons")


def shield_half_width(y):
    """Half width of the shield at height y (unit square, y down), or None."""
    top, shoulder, tip = 0.06, 0.50, 0.96
    if y < top or y > tip:
        return None
    if y <= shoulder:
        return 0.42
    t = (y - shoulder) / (tip - shoulder)
    return 0.42 * math.sqrt(max(0.0, 1.0 - t ** 1.7))


def inside_shield(x, y, inset=0.0):
    w = shield_half_width(y - inset * 0.2 if y > 0.5 else y)
    if w is None:
        return False
    if y < 0.06 + inset or w - inset <= 0:
        return False
    # Rounded top corners.
    r = 0.10
    cx_l, cx_r, cy = 0.5 - 0.42 + r, 0.5 + 0.42 - r, 0.06 + r
    if y < cy and (x < cx_l or x > cx_r):
        cx = cx_l if x < cx_l else cx_r
        return math.hypot(x - cx, y - cy) <= r - inset
    return abs(x - 0.5) <= w - inset


def dist_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def on_check(x, y, width):
    a, b, c = (0.29, 0.49), (0.44, 0.65), (0.72, 0.33)
    return min(dist_to_segment(x, y, *a, *b), dist_to_segment(x, y, *b, *c)) <= width / 2


def render(size):
    """RGBA rows of the icon at `size` px."""
    samples = 8 if size <= 64 else 4 if size <= 256 else 3
    check_width = 0.15 if size <= 24 else 0.13 if size <= 48 else 0.11
    rim = 0.0 if size <= 32 else 0.035
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            acc = [0.0, 0.0, 0.0]
            cover = 0
            for sy in range(samples):
                for sx in range(samples):
                    x = (px + (sx + 0.5) / samples) / size
                    y = (py + (sy + 0.5) / samples) / size
                    if not inside_shield(x, y):
                        continue
                    cover += 1
                    if on_check(x, y, check_width):
                        col = WHITE
                    elif rim and not inside_shield(x, y, rim):
                        col = DARK
                    else:
                        col = BLUE
                    for i in range(3):
                        acc[i] += col[i]
            n = samples * samples
            if cover:
                row += bytes(round(acc[i] / cover) for i in range(3))
                row.append(round(255 * cover / n))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return rows


def png(rows, size):
    raw = b"".join(b"\0" + r for r in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def bmp_entry(rows, size):
    """A 32-bit BGRA DIB with its AND mask, as an ICO entry holds it."""
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = bytearray()
    for r in reversed(rows):
        for i in range(0, len(r), 4):
            red, green, blue, alpha = r[i:i + 4]
            pixels += bytes((blue, green, red, alpha))
    mask_row = ((size + 31) // 32) * 4
    mask = bytearray()
    for r in reversed(rows):
        bits = bytearray(mask_row)
        for x in range(size):
            if r[4 * x + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + bytes(pixels) + bytes(mask)


def main():
    os.makedirs(OUT, exist_ok=True)
    cache = {}

    def rows_for(size):
        if size not in cache:
            cache[size] = render(size)
        return cache[size]

    pngs = {
        "32x32.png": 32,
        "64x64.png": 64,
        "128x128.png": 128,
        "128x128@2x.png": 256,
        "icon.png": 512,
    }
    for name, size in pngs.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(png(rows_for(size), size))

    ico_sizes = [16, 24, 32, 48, 64, 256]
    entries = []
    for size in ico_sizes:
        data = png(rows_for(size), size) if size >= 256 else bmp_entry(rows_for(size), size)
        entries.append((size, data))
    offset = 6 + 16 * len(entries)
    out = struct.pack("<HHH", 0, 1, len(entries))
    for size, data in entries:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _, data in entries:
        out += data
    with open(os.path.join(OUT, "icon.ico"), "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
