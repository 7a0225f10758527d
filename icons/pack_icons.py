"""Packs rendered PNGs into shipdeck.ico (PNG-compressed entries) and shipdeck.icns (PNG-based chunks).

Both formats are small containers around PNG data, so no imaging library is needed.
Usage: python3 pack_icons.py PNG_DIR
"""
import struct
import sys
from pathlib import Path


def png(dir_: Path, size: int) -> bytes:
    return (dir_ / f"shipdeck-{size}.png").read_bytes()


def write_ico(dir_: Path, out: Path) -> None:
    sizes = [16, 24, 32, 48, 64, 128, 256]
    images = [png(dir_, s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for s, data in zip(sizes, images):
        dim = 0 if s >= 256 else s  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out.write_bytes(header + entries + b"".join(images))


def write_icns(dir_: Path, out: Path) -> None:
    # OSType -> pixel size of the PNG it holds (ic11..ic14 are the @2x variants)
    types = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
             ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512)]
    chunks = b""
    for ostype, size in types:
        data = png(dir_, size)
        chunks += ostype.encode("ascii") + struct.pack(">I", len(data) + 8) + data
    out.write_bytes(b"icns" + struct.pack(">I", len(chunks) + 8) + chunks)


if __name__ == "__main__":
    d = Path(sys.argv[1])
    write_ico(d, Path("shipdeck.ico"))
    write_icns(d, Path("shipdeck.icns"))
