"""SalesMeet benchmarks: `make bench` (or `.venv/bin/python -m bench --help`).

Dev tooling like tests/support: benchmarks print figures and never assert on timings.
"""
