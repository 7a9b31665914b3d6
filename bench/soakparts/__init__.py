"""The parts of bench/soak.py, one subject per module."""
