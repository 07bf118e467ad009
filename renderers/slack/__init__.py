"""Slack Block Kit: engine replies as messages, the record modal and the App Home view.

Everything here is pure: it takes replies or prepared view models and returns JSON-ready dicts
within Slack's limits (``limits.py``); nothing here calls Slack or storage.
"""
