"""Traffic-light targets for reports: the logic lives in :mod:`ivoaudit.targets` (tracking
uses it too); kept here so report code and users' imports keep working."""

from ivoaudit.targets import DEFAULT_GREEN, DEFAULT_YELLOW, Targets, light, load_targets

__all__ = ["DEFAULT_GREEN", "DEFAULT_YELLOW", "Targets", "light", "load_targets"]
