"""The one Config, read from config.toml (+ a few environment variables) and validated at start-up.

Each layer owns its settings dataclass; this module only reads the file, checks for
unknown keys (a typo should fail loudly, not be ignored) and composes them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from app.config_file import ConfigFileError, read_toml
from app.schema import check_fields
from bot import credentials
from bot.settings import BotSettings, BotSettingsError
from embeddings import EmbedderError, EmbedderSettings
from news.sources import FetchSettings, Source, SourceError
from retrieval import RetrievalSettings, SettingsError
from retrieval.settings import StorageSettings, backend_names, backend_settings_class
from retrieval.settings_checks import unknown_keys

logger = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.toml"
DEMO_DIR = PROJECT_ROOT / "corpus" / "demo"


class ConfigError(Exception):
    """config.toml (or the environment) is wrong; the message names the key and the fix."""


@dataclass(frozen=True)
class Config:
    path: Path | None
    data_dir: Path
    include_demo: bool
    demo_dir: Path
    embedder: EmbedderSettings
    retrieval: RetrievalSettings
    bot: BotSettings = field(default_factory=BotSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: tuple[Source, ...] = ()
    telegram_token: str | None = None
    webhook_secret: str | None = None
    bot_secret: str | None = None
    log_level: str = "WARNING"


def find_config(explicit: str | None, env: Mapping[str, str]) -> Path | None:
    """--config, then $PASOKH_CONFIG, then ./config.toml, then the project's own."""
    if explicit:
        return Path(explicit)
    if env.get("PASOKH_CONFIG"):
        return Path(env["PASOKH_CONFIG"])
    local = Path.cwd() / "config.toml"
    if local.is_file():
        return local
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def _section(raw: Mapping[str, Any], name: str, cls: type) -> dict[str, Any]:
    """Table ``name`` as keyword arguments for ``cls`` (the caller names the file in any error)."""
    values = raw.get(name, {})
    if not isinstance(values, dict):
        raise ConfigError(f"[{name}] must be a table")
    if bad := unknown_keys(cls, values, f"[{name}]"):
        raise ConfigError(bad)
    out = dict(values)
    for f in fields(cls):
        if f.name in out and isinstance(out[f.name], list):
            out[f.name] = tuple(out[f.name])
    return out


def load_config(explicit: str | None = None, env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = find_config(explicit, env)
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = read_toml(path)
        except ConfigFileError as exc:
            raise ConfigError(str(exc)) from None
    top_known = {"data_dir", "include_demo", "log_level", "embedder", "retrieval", "storage", "fetch", "sources", "bot"}
    unknown = sorted(set(raw) - top_known)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s): {', '.join(unknown)}; known: {', '.join(sorted(top_known))}")
    if not isinstance(raw.get("data_dir", ""), str):
        raise ConfigError(f"{path}: data_dir must be a folder name in quotes, got {raw['data_dir']!r}")
    if not raw.get("data_dir", "data").strip():  # "" would put the database beside config.toml, unasked
        raise ConfigError(f'{path}: data_dir must name a folder, got an empty name (write "." for this file\'s own)')
    base = path.parent.resolve() if path else Path.cwd()
    data_dir = Path(env.get("PASOKH_DATA_DIR") or raw.get("data_dir", "data")).expanduser()
    if not data_dir.is_absolute():
        data_dir = (base / data_dir) if not env.get("PASOKH_DATA_DIR") else data_dir.resolve()
    try:
        embedder = _build(EmbedderSettings, _section(raw, "embedder", EmbedderSettings), "[embedder]")
        retrieval = _build(RetrievalSettings, _section(raw, "retrieval", RetrievalSettings), "[retrieval]")
        bot = _build(BotSettings, _section(raw, "bot", BotSettings), "[bot]")
        storage = _storage(raw, env, path)
        fetch = _build(FetchSettings, _section(raw, "fetch", FetchSettings), "[fetch]")
        sources = _sources(raw.get("sources", []), path)
        include_demo, log_level = _top_level(raw)
    except (EmbedderError, SettingsError, BotSettingsError, ConfigError, SourceError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if embedder.backend == "sentence-transformers" and not Path(embedder.model).is_absolute():
        candidate = base / embedder.model
        if candidate.exists():
            embedder = EmbedderSettings(**{**embedder.__dict__, "model": str(candidate)})
    return Config(
        path=path,
        data_dir=data_dir,
        include_demo=include_demo,
        demo_dir=DEMO_DIR,
        embedder=embedder,
        retrieval=retrieval,
        storage=storage,
        fetch=fetch,
        sources=sources,
        bot=bot,
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
        bot_secret=_bot_secret(env.get("PASOKH_BOT_SECRET") or None),
        log_level=log_level,
    )


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _bot_secret(value: str | None) -> str | None:
    """The bots' shared secret, refused at start when it can be guessed (bot.credentials)."""
    try:
        return credentials.bot_secret(value) if value is not None else None
    except BotSettingsError as exc:
        raise ConfigError(str(exc)) from None


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    """A settings dataclass from its table: its own checks name ranges and allowed values; the
    schema check names a value of the wrong kind (a word for a number, ``nan``, ``"false"``)."""
    try:
        built = cls(**values)
    except (TypeError, AttributeError) as exc:  # the dataclass used a value of the wrong kind
        raise ConfigError(check_fields(cls, values, where) or f"{where} {exc}") from None
    if bad := check_fields(cls, values, where):
        raise ConfigError(bad)
    return built


def _top_level(raw: Mapping[str, Any]) -> tuple[bool, str]:
    include_demo = raw.get("include_demo", True)
    if not isinstance(include_demo, bool):
        raise ConfigError(f"include_demo must be true or false (without quotes), got {include_demo!r}")
    level = raw.get("log_level", "WARNING")
    if not isinstance(level, str) or level.upper() not in LOG_LEVELS:
        raise ConfigError(f"log_level must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return include_demo, level.upper()


def _sources(raw: object, path: Path | None) -> tuple[Source, ...]:
    """``[[sources]]``: each table checked like a section (unknown keys named), URLs unique."""
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise ConfigError("sources must be a list of [[sources]] tables")
    known = {f.name for f in fields(Source)}
    out: list[Source] = []
    for n, table in enumerate(raw, start=1):
        unknown = sorted(set(table) - known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise ConfigError(f"[[sources]] number {n}: unknown key(s) {', '.join(unknown)}; known keys: {listed}")
        out.append(_build(Source, table, f"[[sources]] number {n}:"))
    urls = [s.url for s in out]
    if len(set(urls)) != len(urls):
        twice = sorted({u for u in urls if urls.count(u) > 1})
        raise ConfigError(f"[[sources]] lists {', '.join(twice)} more than once")
    return tuple(out)


LEGACY_STORAGE_KEYS = {
    "schema": "postgres", "ef_search": "postgres", "lock_wait_seconds": "postgres",
    "vector_index": "sqlite", "exact_limit": "sqlite", "nprobe": "sqlite",
}  # fmt: skip


def _storage(raw: Mapping[str, Any], env: Mapping[str, str], path: Path | None) -> StorageSettings:
    """``[storage]`` names the backend; each backend's keys live in its own table
    (``[storage.sqlite]``, ``[storage.postgres]``). A key of a backend's written flat under
    ``[storage]`` (the layout before the tables) still works, with a warning saying where it goes."""
    values = raw.get("storage", {})
    if not isinstance(values, dict):
        raise ConfigError("[storage] must be a table")
    if "database_url" in values:
        raise ConfigError(
            "[storage] database_url is never read from config.toml (it holds a password and the file is shared); "
            "set PASOKH_DATABASE_URL in the environment"
        )
    names = backend_names()
    tables: dict[str, dict[str, Any]] = {name: dict(values[name]) for name in names if isinstance(values.get(name), dict)}
    for key, owner in LEGACY_STORAGE_KEYS.items():
        if key in values:
            logger.warning("%s: [storage] %s belongs in [storage.%s] now; it is read from there", path, key, owner)
            tables.setdefault(owner, {}).setdefault(key, values[key])
    unknown = sorted(set(values) - {"backend", *names, *LEGACY_STORAGE_KEYS})
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [storage]: {', '.join(unknown)}; known: backend, and a table per backend "
            f"({', '.join(f'[storage.{n}]' for n in names)})"
        )
    backend = values.get("backend", "sqlite")
    if not isinstance(backend, str):
        raise ConfigError(f"[storage] backend must be one of {', '.join(names)}, got {backend!r}")
    for name, table in tables.items():
        if bad := check_fields(backend_settings_class(name), table, f"[storage.{name}]"):
            raise ConfigError(bad)
    return StorageSettings(backend, env.get("PASOKH_DATABASE_URL", ""), tables)
