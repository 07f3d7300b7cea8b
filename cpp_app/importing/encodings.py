"""Telling which encoding a CSV that is not UTF-8 is in: Windows' code pages, or UTF-16."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

READ_BLOCK = 1 << 20
#: The encodings a CSV that is not UTF-8 may be in: Windows' Western and East Asian code pages
#: (GB18030 reads GBK; cp932 is Windows' Shift-JIS; cp949 Windows' EUC-KR), and UTF-16.
LEGACY_ENCODINGS = ("cp1252", "cp932", "gb18030", "cp949", "big5", "utf_16")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
UNKNOWN_ENCODING = ("The file's text is in an encoding that could not be recognised; save it "
                    "as \"CSV UTF-8\" (or .xlsx) and upload it again.")


def legacy_encoding(path: Path) -> str | None:
    """The encoding of a text file that is not UTF-8: one of LEGACY_ENCODINGS.

    UTF-16 is known by its byte-order mark; the others are told apart by charset-normalizer
    on the first block, and the whole file must then decode. None when none fits.
    """
    with path.open("rb") as handle:
        sample = handle.read(READ_BLOCK)
    if sample.startswith(UTF16_BOMS):
        encoding = "utf_16"
    else:
        best = from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS)).best()
        if best is None:
            return None
        encoding = best.encoding
    return encoding if _decodes_whole(path, encoding) else None


def _decodes_whole(path: Path, encoding: str) -> bool:
    """Whether every byte of the file decodes in `encoding`."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while block := handle.read(READ_BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
