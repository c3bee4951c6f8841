"""The one Config, read from config.toml (+ a few environment variables) and validated at start-up.

Each layer owns its settings dataclass; this module only reads the file, checks for
unknown keys (a typo should fail loudly, not be ignored) and composes them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from embeddings import EmbedderError, EmbedderSettings
from news.sources import FetchSettings, Source, SourceError
from retrieval import RetrievalSettings, SettingsError
from retrieval.settings import StorageSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.toml"
DEMO_DIR = PROJECT_ROOT / "corpus" / "demo"
TELEGRAM_API = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """config.toml (or the environment) is wrong; the message names the key and the fix."""


@dataclass(frozen=True)
class BotSettings:
    api_base_url: str = TELEGRAM_API
    admin_ids: tuple[int, ...] = ()
    allowed_chat_ids: tuple[int, ...] = ()
    allowed_user_ids: tuple[int, ...] = ()
    blocked_user_ids: tuple[int, ...] = ()
    max_message_chars: int = 1000
    questions_per_minute: int = 10
    inline_per_minute: int = 30
    taps_per_minute: int = 30
    reload_seconds: float = 5.0
    page_size: int = 3
    workers: int = 4
    log_questions: bool = True
    log_keep_days: int = 90

    def __post_init__(self) -> None:
        for name in ("admin_ids", "allowed_chat_ids", "allowed_user_ids", "blocked_user_ids"):
            value = getattr(self, name)
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise ConfigError(f"[bot] {name} must be a list of Telegram ids (integers), got {list(value)!r}")
        for name in ("max_message_chars", "questions_per_minute", "inline_per_minute", "taps_per_minute", "page_size", "workers"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"[bot] {name} must be a whole number of at least 1, got {value!r}")
        if not isinstance(self.log_keep_days, int) or isinstance(self.log_keep_days, bool) or self.log_keep_days < 1:
            raise ConfigError(f"[bot] log_keep_days must be a whole number of days, at least 1, got {self.log_keep_days!r}")
        if not isinstance(self.reload_seconds, int | float) or self.reload_seconds <= 0:
            raise ConfigError(f"[bot] reload_seconds must be a positive number, got {self.reload_seconds!r}")

    @property
    def restricted(self) -> bool:
        """An allowlist is set: only the chats and users on it may use the bot."""
        return bool(self.allowed_chat_ids or self.allowed_user_ids)


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


def _section(raw: Mapping[str, Any], name: str, cls: type, where: Path | None) -> dict[str, Any]:
    values = raw.get(name, {})
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) in [{name}]: {', '.join(unknown)}; known keys: {', '.join(sorted(known))}")
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
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
    top_known = {"data_dir", "include_demo", "log_level", "embedder", "retrieval", "storage", "fetch", "sources", "bot"}
    unknown = sorted(set(raw) - top_known)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s): {', '.join(unknown)}; known: {', '.join(sorted(top_known))}")
    base = path.parent.resolve() if path else Path.cwd()
    data_dir = Path(env.get("PASOKH_DATA_DIR") or raw.get("data_dir", "data")).expanduser()
    if not data_dir.is_absolute():
        data_dir = (base / data_dir) if not env.get("PASOKH_DATA_DIR") else data_dir.resolve()
    try:
        embedder = EmbedderSettings(**_section(raw, "embedder", EmbedderSettings, path))
        retrieval = RetrievalSettings(**_section(raw, "retrieval", RetrievalSettings, path))
        bot = BotSettings(**_section(raw, "bot", BotSettings, path))
        storage = _storage(raw, env, path)
        fetch = FetchSettings(**_section(raw, "fetch", FetchSettings, path))
        sources = _sources(raw.get("sources", []), path)
    except (EmbedderError, SettingsError, ConfigError, SourceError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except TypeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if embedder.backend == "sentence-transformers" and not Path(embedder.model).is_absolute():
        candidate = base / embedder.model
        if candidate.exists():
            embedder = EmbedderSettings(**{**embedder.__dict__, "model": str(candidate)})
    _check_types(embedder, retrieval, storage, fetch, bot, *sources, path=path)
    return Config(
        path=path,
        data_dir=data_dir,
        include_demo=bool(raw.get("include_demo", True)),
        demo_dir=DEMO_DIR,
        embedder=embedder,
        retrieval=retrieval,
        storage=storage,
        fetch=fetch,
        sources=sources,
        bot=bot,
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
        bot_secret=env.get("PASOKH_BOT_SECRET") or None,
        log_level=str(raw.get("log_level", "WARNING")).upper(),
    )


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
        out.append(Source(**table))
    urls = [s.url for s in out]
    if len(set(urls)) != len(urls):
        twice = sorted({u for u in urls if urls.count(u) > 1})
        raise ConfigError(f"[[sources]] lists {', '.join(twice)} more than once")
    return tuple(out)


def _storage(raw: Mapping[str, Any], env: Mapping[str, str], path: Path | None) -> StorageSettings:
    values = _section(raw, "storage", StorageSettings, path)
    if "database_url" in values:
        raise ConfigError(
            f"{path}: [storage] database_url is never read from config.toml (it holds a password and the file is shared); "
            "set PASOKH_DATABASE_URL in the environment"
        )
    url = env.get("PASOKH_DATABASE_URL", "")
    return StorageSettings(**values, database_url=url)


def _check_types(*sections: object, path: Path | None = None) -> None:
    for section in sections:
        if not hasattr(section, "__dataclass_fields__"):
            continue
        for f in fields(section):  # type: ignore[arg-type]
            value = getattr(section, f.name)
            default = f.default if f.default is not f.default_factory else None  # type: ignore[comparison-overlap]
            if default is None or value is None:
                continue
            if (
                isinstance(default, bool) != isinstance(value, bool)
                or (isinstance(default, (int, float)) and not isinstance(value, (int, float)))
                or (isinstance(default, str) and not isinstance(value, str))
            ):
                raise ConfigError(f"{path}: {f.name} should be {type(default).__name__}, got {value!r}")
