"""Storage backends: one module (or package) per `[storage] backend` value, each exposing `open_backend`."""
