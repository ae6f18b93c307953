"""The SQL store: schema, engine, sessions and the queries. Nothing else writes SQL."""
