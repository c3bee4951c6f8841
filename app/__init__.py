"""The application: the one Config, building an engine from it (compose) and the `pasokh` command line."""
