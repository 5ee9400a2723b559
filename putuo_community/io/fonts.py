"""Finding and registering the TrueType font that PDF documents embed.

The program ships WenQuanYi Micro Hei so that a printout looks the same on every
machine; a user may pick another TrueType font (e.g. 微软雅黑 msyh.ttc). reportlab
embeds a subset of the glyphs used. Fonts with PostScript (CFF) outlines cannot be
embedded by reportlab and are refused with a message saying what to pick instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import sys
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from putuo_community.domain.errors import EnvironmentProblem, UserError

BUNDLED_FONT = "wqy-microhei.ttc"
RESOURCES = "resources"

# Characters every Chinese font has; a font without them would print boxes (豆腐块).
_CHINESE_PROBE = "小区档案第页"

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


def bundled_font_path() -> Path:
    """The font shipped with the program: in the installed package, the source checkout or a frozen build."""
    here = Path(__file__).resolve()
    candidates = [here.parents[1] / RESOURCES / BUNDLED_FONT, here.parents[2] / RESOURCES / BUNDLED_FONT]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / RESOURCES / BUNDLED_FONT)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise EnvironmentProblem(f"找不到程序自带的字体文件“{BUNDLED_FONT}”，无法生成 PDF。程序安装可能不完整，请重新安装")


def register_font(path: Path | None = None, *, subfont: int = 0) -> str:
    """Register a TrueType font (.ttf, or one face of a .ttc) with reportlab once per process; return its name.

    `None` means the bundled font. The name is derived from the file's path and face index,
    so the same file gives the same name in every process.
    """
    font_path = (path if path is not None else bundled_font_path()).expanduser()
    with contextlib.suppress(OSError):  # an unreadable path is reported below, when it is opened
        font_path = font_path.resolve()
    key = (str(font_path), subfont)
    with _lock:
        known = _registered.get(key)
        if known is not None:
            return known
        name = _font_name(font_path, subfont)
        _check_outlines(font_path, subfont)
        try:
            font = TTFont(name, str(font_path), subfontIndex=subfont)
        except TTFError as exc:
            raise _translate(font_path, exc) from exc
        except OSError as exc:
            raise UserError(f"无法读取字体文件“{font_path.name}”：{exc.strerror or exc}") from exc
        except Exception as exc:  # a damaged file fails anywhere in reportlab's parser
            raise _damaged(font_path) from exc
        glyphs = font.face.charToGlyph
        if any(ord(ch) not in glyphs for ch in _CHINESE_PROBE):
            raise UserError(f"“{font_path.name}”不含中文字形，打印出来会是方框；请选择中文字体，例如微软雅黑")
        pdfmetrics.registerFont(font)
        _registered[key] = name
        return name


def _font_name(path: Path, subfont: int) -> str:
    digest = hashlib.sha1(f"{path}|{subfont}".encode(), usedforsecurity=False).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-")[:32] or "font"
    return f"{stem}-{subfont}-{digest}"


def _check_outlines(path: Path, subfont: int) -> None:
    """Refuse what reportlab cannot embed, telling the user why, before reportlab parses the file."""
    try:
        with path.open("rb") as stream:
            head = stream.read(12)
            tag = head[:4]
            if tag == b"ttcf" and len(head) == 12:
                (count,) = struct.unpack(">I", head[8:12])
                if not 0 <= subfont < count:
                    raise UserError(f"字体文件“{path.name}”中只有 {count} 个字体，没有第 {subfont + 1} 个")
                stream.seek(12 + 4 * subfont)
                (offset,) = struct.unpack(">I", stream.read(4))
                stream.seek(offset)
                tag = stream.read(4)
    except FileNotFoundError as exc:
        raise UserError(f"找不到字体文件“{path.name}”") from exc
    except IsADirectoryError as exc:
        raise UserError(f"“{path.name}”是文件夹，不是字体文件") from exc
    except PermissionError as exc:
        raise UserError(f"没有读取字体文件“{path.name}”的权限") from exc
    except (OSError, struct.error) as exc:
        raise UserError(f"“{path.name}”不是有效的字体文件") from exc
    if tag == b"OTTO":
        raise _not_truetype(path)
    if tag in (b"wOFF", b"wOF2"):
        raise UserError(f"“{path.name}”是网页字体（WOFF），无法嵌入 PDF；请选择 .ttf 或 .ttc 字体，例如微软雅黑")
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        raise UserError(f"“{path.name}”不是有效的字体文件；请选择 .ttf 或 .ttc 字体，例如微软雅黑")


def _not_truetype(path: Path) -> UserError:
    return UserError(f"“{path.name}”不是 TrueType 字体，无法嵌入 PDF；请选择 .ttf 或 .ttc 字体，例如微软雅黑")


def _translate(path: Path, exc: TTFError) -> UserError:
    text = str(exc)
    if "postscript outlines" in text.lower():
        return _not_truetype(path)
    if "subsetting/embedding" in text:
        return UserError(f"“{path.name}”的授权不允许嵌入 PDF，请换一种字体，例如微软雅黑")
    return _damaged(path)


def _damaged(path: Path) -> UserError:
    return UserError(f"“{path.name}”已损坏或不是有效的 TrueType 字体；请选择 .ttf 或 .ttc 字体，例如微软雅黑")
