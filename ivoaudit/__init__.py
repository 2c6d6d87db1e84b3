"""ivoaudit: inspection readiness for Swedish municipal social services.

The library API; the ``ivoaudit`` command is one client of it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
