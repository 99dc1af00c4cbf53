"""Tooling that measures the `kb` package from outside it: synthetic knowledge bases and benchmarks."""
