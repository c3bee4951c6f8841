"""What a bot replica counts, for Prometheus (``/metrics`` on ``[bot] status_port``): questions,
answers, abstentions, errors, taps, how long answering takes, and the corpus it serves."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

QUESTIONS = Counter("pasokh_questions", "Questions asked (messages, commands, inline queries)")
ANSWERS = Counter("pasokh_answers", "Questions answered with quotes")
ABSTENTIONS = Counter("pasokh_abstentions", "Questions answered with «no answer»")
ERRORS = Counter(
    "pasokh_errors",
    "Updates that ended in an error (kind store, damaged or other) and failed polls of the Bot API (telegram)",
    ["kind"],
)
UNDELIVERED = Counter(
    "pasokh_undelivered",
    "Replies Telegram refused for their chat, by reason: the user blocked the bot or deleted their account (blocked), "
    "the bot was removed (removed) or may not write (muted) there, the forum topic is closed (topic_closed), "
    "the group became a supergroup under a button tapped in its old history (migrated)",
    ["reason"],
)
UNWRITTEN = Counter(
    "pasokh_log_unwritten",
    "Writes to the bot's log (questions asked, answers shown, votes) its store refused; the answers were sent without them",
)
TAPS = Counter("pasokh_taps", "Button taps")
LATENCY = Histogram(
    "pasokh_question_seconds", "Time to answer a question", buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30)
)
ARTICLES = Gauge("pasokh_corpus_articles", "Articles in the corpus served")
SENTENCES = Gauge("pasokh_corpus_sentences", "Sentences in the corpus served")
GENERATION = Gauge("pasokh_corpus_generation", "The corpus generation served")
SINCE_REFRESH = Gauge("pasokh_seconds_since_refresh", "Seconds since the corpus was last checked for changes")
