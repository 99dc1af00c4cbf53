"""Checks: references, verbatim quotes, published ids and timeline estimates, before anything is written."""
