"""Test-session set-up shared by every test module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# nbgrader runs helper programs (alembic, jupyter) by name: make this interpreter's
# environment come first on PATH even when pytest is started as .venv/bin/python -m pytest.
_BIN = str(Path(sys.executable).parent)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _BIN:
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

sys.path.insert(0, str(Path(__file__).parent))
