"""Theme analysis run models (runs, themes, assignments, decisions)."""
