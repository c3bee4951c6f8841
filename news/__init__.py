"""Articles from the web: a polite client, feeds, sitemaps and article pages → raw articles."""
