"""The programme's rules: the Application model, the six review viewpoints and their checks.

This package imports nothing else of dxlab; every other package may import it.
"""
