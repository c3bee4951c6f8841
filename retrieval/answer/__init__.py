"""From a ranking to an answer: time, selection, abstention and verbatim quotes (:mod:`retrieval.answer.pipeline`)."""
