"""The payroll admin, one module per concept; Django's autodiscover imports
this package, which registers them all."""

from payroll.admin import annuity, cycles, levels, scales

__all__ = ["annuity", "cycles", "levels", "scales"]
