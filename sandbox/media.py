"""Telegram file objects (Document, PhotoSize, Voice, ...) for stored files."""

from __future__ import annotations

import struct
from typing import Any

from sandbox.models import StoredFile

DEFAULT_MIME = {"voice": "audio/ogg", "video": "video/mp4", "audio": "audio/mpeg"}


def image_size(data: bytes) -> tuple[int, int]:
    """Width/height of a PNG, GIF or JPEG; (1, 1) when unknown, so clients still render."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return 1, 1


def file_object(stored: StoredFile, kind: str) -> Any:
    base: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    if kind == "photo":
        width, height = image_size(stored.data)
        return [{**base, "width": width, "height": height}]
    mime = stored.mime_type or DEFAULT_MIME.get(kind)
    if kind in ("voice", "video", "audio", "animation", "video_note"):
        base["duration"] = 1
    if kind in ("video", "animation"):
        base["width"], base["height"] = 640, 360
    if kind == "sticker":
        base.update(
            {
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        )
        return base
    if stored.file_name and kind in ("document", "video", "audio", "animation"):
        base["file_name"] = stored.file_name
    if (mime and mime != "application/octet-stream") or kind == "document":
        base["mime_type"] = mime or "application/octet-stream"
    return base
