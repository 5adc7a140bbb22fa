"""Telegrams: scanned 1937-38 cipher telegrams in, reviewable result.json out."""

__version__ = "0.1.0"
