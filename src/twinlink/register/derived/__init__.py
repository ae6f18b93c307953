"""What the register derives from its claims and keeps beside them, so that pages and lists read a
row instead of recomputing: partnership digests (``digests``), party timelines (``timelines``)
and the full-text index. ``refresh`` keeps them in step: every write calls
``refresh(session, touched)`` before it commits, and ``rebuild`` recomputes them all."""
