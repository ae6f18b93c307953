"""Facts become sourced claims about resolved parties, partnerships and events."""

# Imported for its session hooks: digests and timelines are refreshed by every write in the register.
from twinlink.register import refresh as refresh
