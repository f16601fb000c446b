"""relimpact: relationship-centred impact surveys for networks and coalitions.

Keep this module light: ``relimpact --help`` imports it, so nothing heavy
(scipy, matplotlib, numpy) may be imported here.
"""

__version__ = "0.1.0"
