"""Benchmarks run by hand (`python -m bench.<name>`), documented in bench/README.md."""
