"""Network forum models (organisations, categories, topics, posts)."""
