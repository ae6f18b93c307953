"""The web face of the register: server-rendered pages and a JSON API over the same queries."""
