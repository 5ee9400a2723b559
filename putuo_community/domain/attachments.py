"""Attachments (scans of 备案证明, contracts, vote results …): the rules every layer shares.

A scan is stored once under its SHA-256, whatever it was called; its record keeps the original
name, its kind, date and note, and at most one record of the estate it belongs to (a term, a
contract, a lift, a project). Removing one moves it to a bin, from which it can be restored.
"""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass

from putuo_community.domain.errors import UserError
from putuo_community.domain.file_names import safe_file_name
from putuo_community.domain.formatting import mask_personal_numbers
from putuo_community.domain.registers.records import ATTACHMENT_KINDS

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024  # a 200 dpi scan of a 100-page contract is well under this
CERTIFICATE_KIND = "备案证明"
_HASH = re.compile(r"[0-9a-f]{64}")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,15}")


class AttachmentProblem(UserError):
    """A file that cannot be attached or opened: missing, a folder, empty, too large, unreadable."""


class AttachmentChanged(UserError):
    """A stored file no longer has the content it was added with (changed or damaged outside the program)."""


class FileState(enum.Enum):
    """What the stored file of an attachment is like now."""

    OK = "完好"
    MISSING = "文件缺失"
    CHANGED = "已在程序外被改动"

    @property
    def label(self) -> str:
        return self.value


@dataclass(frozen=True)
class AttachmentLink:
    """A register whose records a scan may belong to, the attachment field that points at it, and the kind
    of scan such a record usually has (offered first when a file is dropped on one)."""

    register: str
    field: str
    usual_kind: str
    word: str  # how the record is named in a sentence: 第3届业委会, 合同, 电梯 ...


LINKS: tuple[AttachmentLink, ...] = (
    AttachmentLink("committee_terms", "term_id", "备案证明", "业委会"),
    AttachmentLink("contracts", "contract_id", "合同", "合同"),
    AttachmentLink("lifts", "lift_id", "评估报告", "电梯"),
    AttachmentLink("projects", "project_id", "验收报告", "修缮项目"),
    AttachmentLink("lift_projects", "lift_project_id", "表决结果", "加装电梯项目"),
)
LINKS_BY_REGISTER = {link.register: link for link in LINKS}
LINK_FIELDS = tuple(link.field for link in LINKS)


def link_of(register_key: str) -> AttachmentLink:
    try:
        return LINKS_BY_REGISTER[register_key]
    except KeyError:
        known = "、".join(link.register for link in LINKS)
        raise UserError(f"附件不能关联到“{register_key}”台账的记录；可关联：{known}") from None


def link_label(register_key: str, title: str) -> str:
    """A linked record as a short phrase: 第3届业委会, 物业服务合同, 电梯 31101…, 修缮项目“…”."""
    if not title:
        return ""
    if register_key == "committee_terms":
        return f"第{title}届业委会"
    if register_key == "contracts":
        return f"{title}合同"
    if register_key == "lifts":
        return f"电梯 {title}"
    if register_key == "projects":
        return f"修缮项目“{title}”"
    if register_key == "lift_projects":
        return f"加装电梯项目（{title}）"
    return title


# Words in a scan's file name that say what it is, in the order they are tried.
_KIND_WORDS = (
    ("备案", "备案证明"),
    ("表决", "表决结果"),
    ("投票", "表决结果"),
    ("评估", "评估报告"),
    ("验收", "验收报告"),
    ("纪要", "会议纪要"),
    ("审计", "审计报告"),
    ("合同", "合同"),
    ("协议", "合同"),
)
_PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".heic", ".bmp", ".gif", ".webp"})


def guess_kind(file_name: str, link_register: str | None = None) -> str | None:
    """The kind a scan most likely is, offered first in the form: from words in its name (备案, 合同 …), else the
    usual kind of the record it is dropped on, else 照片 for a picture; None when nothing says."""
    for word, kind in _KIND_WORDS:
        if word in file_name:
            return kind
    if link_register in LINKS_BY_REGISTER:
        return LINKS_BY_REGISTER[link_register].usual_kind
    if os.path.splitext(file_name)[1].lower() in _PHOTO_EXTENSIONS:
        return "照片"
    return None


def check_kind(kind: str) -> str:
    """The declared kind `kind` stands for (spaces ignored), or a clear refusal listing the kinds."""
    wanted = kind.strip()
    if wanted in ATTACHMENT_KINDS:
        return wanted
    raise AttachmentProblem(f"附件类型“{kind}”不可用。可选：{'、'.join(ATTACHMENT_KINDS)}")


def is_sha256(text: str) -> bool:
    return bool(_HASH.fullmatch(text))


def format_size(size: int | None) -> str:
    """A size as a clerk reads it: 812 字节, 45.3 KB, 3.4 MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def size_limit_text(limit: int = MAX_ATTACHMENT_BYTES) -> str:
    """The limit as a round figure: 50 MB."""
    megabytes = limit / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else format_size(limit)


def too_large_message(name: str, size: int, limit: int = MAX_ATTACHMENT_BYTES) -> str:
    return (
        f"文件“{shown_name(name)}”有 {format_size(size)}，超过附件大小上限 {size_limit_text(limit)}，未添加。"
        "请压缩后再添加（例如扫描时选 200 dpi、黑白或灰度），或把它分成几份。"
    )


def shown_name(name: str) -> str:
    """A file name as messages and logs may show it: personal numbers in it masked."""
    return mask_personal_numbers(name)


def title_from_file_name(name: str) -> str:
    """The name an attachment starts with: the file's name without its extension."""
    stem, extension = os.path.splitext(name)
    return (stem if _EXTENSION.fullmatch(extension) else name).strip() or name


def viewer_file_name(original: str) -> str:
    """The name a copy opened for viewing gets: the original name, made safe for Windows, its extension kept
    (the viewer is chosen by it)."""
    stem, extension = os.path.splitext(original)
    if _EXTENSION.fullmatch(extension):
        return safe_file_name(stem, extension, fallback="附件")
    return safe_file_name(original, fallback="附件")
