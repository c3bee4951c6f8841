"""The Telegram bot: handlers, the gate in front of them, buttons, messages and its own log."""
