"""Records: YAML with positions, the record schemas, problems with locations, and loading a knowledge base."""
