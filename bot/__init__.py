"""Front ends: the `pasokh` command line and (bot.telegram) the Telegram bot."""
