"""A demonstration third-party atrogame model package (a test fixture, not part of atrogame)."""

from atrogame_plugin_demo.model import MonitoredViolence, MonitoredViolenceParams

__all__ = ["MonitoredViolence", "MonitoredViolenceParams"]
