"""Telegram messages: replies as HTML (``html``), inline keyboards (``keyboards``) and their
``callback_data`` (``callbacks``)."""
