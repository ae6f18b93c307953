"""A font with Chinese characters for the PDFs Twinlink writes: ``TWINLINK_CJK_FONT``, else one of
the usual system fonts (fonts-wqy-zenhei, Noto CJK…), else what fontconfig offers for Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


@lru_cache(maxsize=1)
def chinese_font() -> Path | None:
    given = os.environ.get("TWINLINK_CJK_FONT")
    if given:
        return Path(given) if Path(given).is_file() else None
    for candidate in FONT_PATHS:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True, timeout=10)
        path = Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None
        if path is not None and path.is_file() and path.suffix.lower() in (".ttf", ".ttc", ".otf"):
            return path
    return None
