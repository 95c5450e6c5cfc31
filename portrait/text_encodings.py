"""The encoding of a raw text file, and its lines decoded, as Chinese brands' systems write them.

Files come in UTF-8 (with or without a byte-order mark), GBK / GB18030 (Excel on a Chinese
Windows, most Chinese ERPs), Big5 (Hong Kong and Taiwan systems) and UTF-16. The same bytes are
often valid in several of them (GBK `女` is the UTF-8 `Ů`; any Big5 pair is a GB18030 pair), so a
reading is chosen by how plausible its text is, not by whether it decodes.

Plausibility of a reading (`plausibility`): the share of its non-ASCII characters that a Chinese
business file is expected to hold in that encoding: for the GB18030 reading, characters of GB2312
(the 6,763 common simplified characters and symbols); for the Big5 reading, Big5's level-1
frequent characters (lead bytes 0xA4-0xC6); for the UTF-8 reading, any CJK character. All
readings count CJK and full-width punctuation, Latin-1 letters, kana and Hangul as plausible;
anything else (private-use characters, Armenian, Latin Extended...) is not.

Detection (`detect_encoding`), the first rule that holds:
1. a byte-order mark of UTF-16 LE/BE or UTF-32 LE/BE (a UTF-8 one is removed and the rules go on);
2. NUL bytes in at least a quarter of the first 4 KiB: UTF-16 without a byte-order mark, LE when
   most NULs sit at odd offsets;
3. the file is valid UTF-8 and its first MiB reads more plausibly as UTF-8 than as GB18030: 'utf-8';
4. otherwise the file is read line by line (`best_reading`): each line in the most plausible of
   UTF-8, GB18030 and Big5 it decodes in, ties going to the encoding most lines chose (the
   file's encoding), then to UTF-8, GB18030, Big5 in that order; so a UTF-8 file with lines
   pasted from a GBK system gets each line right.
A line that decodes in none of them keeps U+FFFD in place of the undecodable bytes; staging
quarantines it as `malformed_line_invalid_encoding`.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LINE_ENCODINGS = ("utf-8", "gb18030", "big5")
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_SAMPLE_BYTES = 1 << 20
_CHUNK = 1 << 24
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# CJK and full-width punctuation, general punctuation, Latin-1 letters and signs, kana, Hangul, Bopomofo.
_PLAUSIBLE_NON_CJK = re.compile(
    r"[\u00a0-\u00ff\u2000-\u206f\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u31c0-\u31ef\uac00-\ud7af\ufe30-\ufe4f\uff00-\uffef]"
)


@lru_cache(maxsize=65536)
def _plausible(character: str, encoding: str) -> bool:
    if _CJK.match(character):
        if encoding == "gb18030":
            return _encodes(character, "gb2312")
        if encoding == "big5":
            encoded = _encodes(character, "big5") and character.encode("big5")
            return bool(encoded) and 0xA4 <= encoded[0] <= 0xC6
        return True
    return bool(_PLAUSIBLE_NON_CJK.match(character))


def _encodes(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def plausibility(text: str, encoding: str) -> float:
    """Share (0 to 1) of the non-ASCII characters of `text`, read in `encoding`, that are plausible
    in a Chinese business file (module docstring); 1.0 for ASCII text."""
    characters = _NON_ASCII.findall(text)
    if not characters:
        return 1.0
    return sum(_plausible(character, encoding) for character in characters) / len(characters)


def readings(line: bytes) -> dict[str, str]:
    """Every reading of `line` in LINE_ENCODINGS that decodes strictly: {encoding: text}."""
    found = {}
    for encoding in LINE_ENCODINGS:
        try:
            found[encoding] = line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return found


def best_reading(line: bytes, preferred: str | None = None) -> tuple[str | None, str]:
    """(encoding, text) of the most plausible reading of `line`; ties go to `preferred`, then to
    LINE_ENCODINGS in order. (None, UTF-8 text with U+FFFD) when no encoding decodes it."""
    found = readings(line)
    if not found:
        return None, line.decode("utf-8", errors="replace")
    order = [preferred, *LINE_ENCODINGS] if preferred else list(LINE_ENCODINGS)
    encoding = max(found, key=lambda name: (plausibility(found[name], name), -order.index(name)))
    return encoding, found[encoding]


@dataclass(frozen=True)
class Detected:
    """encoding: a Python codec name (the one most lines chose when by_line); by_line: each line
    is decoded in its own most plausible reading (rule 4)."""

    encoding: str
    by_line: bool = False


def detect_encoding(path: Path) -> Detected:
    """The encoding of a text file by the rules of the module docstring."""
    with path.open("rb") as file:
        head = file.read(_SAMPLE_BYTES)
    for bom, name in BOMS:
        if head.startswith(bom) and name != "utf-8-sig":
            return Detected(name)
    sample = head[:4096]
    if sample and sample.count(0) >= len(sample) / 4:
        return Detected("utf-16-le" if sample[1::2].count(0) >= sample.count(0) / 2 else "utf-16-be")
    if _decodes(path, "utf-8") and not _reads_better_as_gb18030(head):
        return Detected("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
    chosen = Counter(best_reading(line)[0] for line in _lines(path) if not line.isascii())
    chosen.pop(None, None)
    return Detected(chosen.most_common(1)[0][0] if chosen else "utf-8", by_line=True)


def decoded_lines(path: Path, detected: Detected):
    """The text of a file in pieces (line breaks kept): by the codec, or line by line
    (`best_reading`, ties going to the file's encoding) when detected.by_line."""
    if not detected.by_line:
        with path.open("rb") as raw:
            reader = codecs.getreader(detected.encoding)(raw, errors="replace")
            text = reader.read(_CHUNK).removeprefix("\ufeff")
            while text:
                yield text
                text = reader.read(_CHUNK)
        return
    for number, line in enumerate(_lines(path)):
        if number == 0:
            line = line.removeprefix(codecs.BOM_UTF8)
        yield line.decode("ascii") if line.isascii() else best_reading(line, detected.encoding)[1]


def _reads_better_as_gb18030(head: bytes) -> bool:
    """True when the first MiB of a valid UTF-8 file reads more plausibly as GB18030 (a GBK file
    whose every character happens to be valid UTF-8, such as a column of 女)."""
    text = head.decode("utf-8", errors="ignore")
    as_utf8 = plausibility(text, "utf-8")
    if as_utf8 >= 0.5:
        return False
    as_gb18030 = head.decode("gb18030", errors="replace")
    return "\ufffd" not in as_gb18030[:-1] and plausibility(as_gb18030, "gb18030") > as_utf8


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly in `encoding` (read in 16 MiB chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _lines(path: Path):
    with path.open("rb") as file:
        yield from file
