"""scomodel: the Shanghai Cooperation Organization as an executable, sourced model."""

__version__ = "0.1.0"
