"""Shared pytest set-up: hypothesis profile and the tests folder on the import path."""

import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("csmetrics", max_examples=200, deadline=None)
settings.load_profile("csmetrics")
