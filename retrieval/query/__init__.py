"""Understanding a question: its written form, repaired terms, named periods, the kind of answer it wants, and follow-ups."""
