"""What any engine is given and what is written into any engine's built site: no engine imported here."""
