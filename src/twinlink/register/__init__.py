"""Facts become sourced claims about resolved parties, partnerships and events."""

# Imported for its session hooks: partnership digests are refreshed by every write in the register.
from twinlink.register import digests as digests
