"""lscb-reports engine: hooks, boards, blocks and the built-in renderer."""
import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("lscb")
"""Marker for hook implementations: ``from core import hookimpl``."""

__all__ = ["__version__", "hookimpl"]
