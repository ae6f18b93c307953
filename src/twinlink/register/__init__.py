"""Facts become sourced claims about resolved parties, partnerships and events."""
