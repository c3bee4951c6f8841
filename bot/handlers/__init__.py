"""Handlers grouped by what users do: asking, browsing, feedback and privacy, admin.

Each is a module-level ``async def verb(update, context)``; the wiring (which update reaches
which handler) is in :mod:`bot.telegram`, and who may reach any of them is :mod:`bot.gate`'s call.
"""
