"""Storage backends: one package per ``[storage] backend`` value, each exposing
``open_storage(settings, location, signature, corpus) -> Storage`` and, in its ``settings``
module, the ``Settings`` dataclass of its ``[storage.<name>]`` table."""
