"""The Telegram channel: python-telegram-bot handlers translating updates to engine events."""
