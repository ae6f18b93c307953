"""Reports drafted from the register: an FOI-style answer, dormant links, a summary."""
