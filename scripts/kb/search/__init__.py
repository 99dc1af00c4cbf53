"""Search: the documents, the sharded bigram index and writing it into a built site."""
