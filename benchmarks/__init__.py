"""Reproducible benchmarks: each ``bench_<part>.py`` prints ratios against a baseline
measured in the same run (``make bench`` runs them all)."""
