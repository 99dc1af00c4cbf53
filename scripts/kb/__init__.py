"""Annotated knowledge base: load, check and render claim records into a MkDocs site."""
