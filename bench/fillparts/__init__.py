"""The parts of bench/fill.py, one subject per module."""
