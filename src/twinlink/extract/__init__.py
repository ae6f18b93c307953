"""Documents to facts: a pure function of the text and the gazetteer (no database)."""
