"""Twinlink: an evidence-backed register of twinning, sister-city and school partnerships."""

__version__ = "0.1.0"
