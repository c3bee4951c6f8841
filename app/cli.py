"""`pasokh`: the terminal front end. Parses arguments, calls one function, renders; errors become one line."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from app import render
from app.compose import ProgressFactory, open_engine, ready_engine, run_ingest, seed_demo
from app.config import Config, ConfigError, load_config
from app.logs import setup_logging
from app.progress import progress_bar
from app.terminal import echo, one_line
from corpus import CorpusError
from embeddings import EmbedderError, load_embedder
from evaluation.datasets import DatasetError
from retrieval import Engine, IngestReport, RetrievalError, backup, check, compact, rebuild, remove
from retrieval.errors import StorageError, refusal_said, store_said
from retrieval.index.maintenance import RebuildReport
from retrieval.settings import backend_names

logger = logging.getLogger("pasokh")
EXIT_ERROR = 1
EXIT_USAGE = 2


def _bar(args: argparse.Namespace) -> ProgressFactory | None:
    return None if args.quiet else progress_bar


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    question = " ".join(args.question)
    if question == "-":
        question = sys.stdin.read()
    engine = ready_engine(config, _bar(args))
    answer = engine.ask(question, k=args.k, mode=args.mode)
    echo(render.to_json(answer) if args.json else render.to_terminal(answer, args.context, args.verbose))
    if answer.abstained and engine.stats().articles == 0:  # «no answer, ask in other words» would mislead
        echo(EMPTY_CORPUS.format(then="nothing can answer"), err=True)
    return 0


EMPTY_CORPUS = (
    "pasokh: the corpus has no articles yet, so {then}: add some with `pasokh ingest FILE…`, "
    "or follow sites with `pasokh fetch` (include_demo = true starts a new data directory with the demo)"
)


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        echo(json.dumps(report.__dict__, ensure_ascii=False, indent=2))
        return
    echo(
        f"added {len(report.added)}, updated {len(report.updated)}, unchanged {report.unchanged}, "
        f"skipped {len(report.skipped)}, failed {len(report.errors)}; "
        f"{report.sentences} sentences indexed, {report.embedded} embedded in {report.seconds:.1f}s"
    )
    for line in report.skipped:
        echo(f"skipped: {line}", err=True)
    for line in report.errors:
        echo(f"error: {line}", err=True)


_ADDRESS = re.compile(r"(?i)^https?://")


def cmd_ingest(args: argparse.Namespace, config: Config) -> int:
    engine = open_engine(config)
    bar = _bar(args)
    seed_demo(engine, config, bar)
    addresses = [p for p in args.paths if _ADDRESS.match(p)]  # before a Path folds their «//»
    paths = [Path(p) for p in args.paths if p not in addresses]
    report = run_ingest(engine, paths, bar, channel=args.channel) if paths else IngestReport()
    report.errors[:0] = [f"{a}: is a web address, not a file: `pasokh fetch {a}` reads it" for a in addresses]
    _print_report(report, args.json)
    return 0 if report.ok else EXIT_ERROR


def cmd_remove(args: argparse.Namespace, config: Config) -> int:
    engine = ready_engine(config, _bar(args))
    report = remove(engine, args.article_ids)
    if report.removed:
        echo(f"removed {len(report.removed)}: {', '.join(report.removed)}")
    for art_id in report.unknown:
        echo(f"error: no article with id {art_id!r} (see `pasokh articles`)", err=True)
    return 0 if not report.unknown else EXIT_ERROR


def cmd_index(args: argparse.Namespace, config: Config) -> int:
    engine = open_engine(config, adopt=not args.rebuild)  # a rebuild converts vectors to the configured form
    if args.rebuild:
        report = _rebuild(engine, args.quiet, args.reembed)
        echo(f"rebuilt indexes over {report.sentences} sentences ({report.embedded} embedded)")
        return 0
    if args.compact:
        done = compact(engine)
        facts = engine.describe()
        echo(f"vector index: {facts.get('vector_index', '-')}, {facts['vectors']} vectors" if done else "nothing to compact")
        return 0
    result = check(engine)
    if args.json:
        echo(json.dumps({"ok": result.ok, "problems": result.problems, **result.facts}, ensure_ascii=False, indent=2))
    else:
        for key, value in result.facts.items():
            echo(f"{key}: {value}")
        agree = "ok: the store, the lexical index and the vector index agree"
        echo(agree if result.ok else "\n".join(f"problem: {p}" for p in result.problems))
    return 0 if result.ok else EXIT_ERROR


def cmd_repair(args: argparse.Namespace, config: Config) -> int:
    from retrieval.index.maintenance import repair

    report = repair(config.storage, config.data_dir, load_embedder(config.embedder))
    if report is None:
        echo(f"the database in {config.data_dir} is whole: nothing to repair (`pasokh index --check` checks the indexes)")
        return 0
    if report.bot_log_damage is not None:
        echo(
            f"the bot's log was damaged ({report.bot_log_damage}); kept as {report.bot_log_kept_as}, "
            f"{report.bot_log_questions} questions read back into a new one"
        )
    ok = True
    if report.damage is not None:
        echo(f"the database was damaged ({report.damage}); kept as {report.kept_as}")
        engine = open_engine(config)
        rebuilt = _rebuild(engine, args.quiet)
        passed = "; ".join(f"{table} {n}" for table, n in report.unreadable.items())
        echo(
            f"repaired in {report.seconds:.1f}s: {report.articles} articles ({report.sentences} sentences) read whole, "
            f"{report.embedded} lost vectors embedded again, indexes rebuilt over {rebuilt.sentences} sentences "
            f"({rebuilt.embedded} embedded)"
            + (
                f"; unreadable stretches of rows passed over ({passed}): what lay only there left no trace to list"
                if passed
                else ""
            )
        )
        if report.lost:
            listed = ", ".join(a.id for a in report.lost[:5]) + (", …" if len(report.lost) > 5 else "")
            echo(
                f"lost {len(report.lost)} articles ({listed}), listed in {report.lost_list}: ingest its lines that kept "
                "their text (`pasokh ingest FILE`), fetch the others again by their links"
            )
        ok = check(engine).ok
    echo("a bot or watcher running now still reads the damaged file: restart them")
    return 0 if ok else EXIT_ERROR


def _rebuild(engine: Engine, quiet: bool, reembed: bool = False) -> RebuildReport:
    if quiet:
        return rebuild(engine, reembed=reembed)
    with progress_bar(engine.stats().sentences, "rebuilding") as tick:
        return rebuild(engine, tick, reembed=reembed)


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    from retrieval.index.maintenance import dated_backup, rotate_backups

    if (args.destination is None) == (args.into is None) or (args.keep is not None and args.into is None):
        echo(
            "pasokh: error: give a new folder (`pasokh backup DEST`) or a folder of backups (`--into DIR [--keep N]`)",
            err=True,
        )
        return EXIT_USAGE
    engine = open_engine(config)
    destination = Path(args.destination) if args.destination else dated_backup(Path(args.into))
    report = backup(engine, destination, wait=args.wait)
    left_out = f"; left out, built again when needed: {', '.join(report.left_out)}" if report.left_out else ""
    echo(
        f"backed up {report.articles} articles ({report.sentences} sentences) to {report.destination} in "
        f"{report.seconds:.1f}s, {report.bytes / 2**20:.1f} MB: {', '.join(report.copied)}{left_out}"
    )
    echo(
        f"to restore: stop the bot and the watcher, put {report.destination} where the data directory was (or point "
        "PASOKH_DATA_DIR at it), start them again; `pasokh index --check` confirms it"
    )
    if args.keep is not None:
        removed = rotate_backups(Path(args.into), args.keep)
        if removed:
            echo(f"removed {len(removed)} older backups, keeping the newest {args.keep}: {', '.join(p.name for p in removed)}")
    return 0


def cmd_export(args: argparse.Namespace, config: Config) -> int:
    from retrieval.index.export import STDOUT, export

    engine = open_engine(config)
    seed_demo(engine, config, None if args.quiet else _bar(args))  # what `pasokh articles` lists; no index loaded
    destination = Path(args.destination)
    if destination == STDOUT or args.quiet:
        count = export(engine, destination)
    else:
        with progress_bar(engine.stats().articles, "exporting") as tick:
            count = export(engine, destination, tick)
    if destination != STDOUT:
        echo(f"exported {count} articles to {destination}; `pasokh ingest {destination}` reads them back")
    return 0


def cmd_stats(args: argparse.Namespace, config: Config) -> int:
    engine = ready_engine(config, _bar(args))
    stats = engine.stats()
    facts = {
        "articles": stats.articles,
        "sentences": stats.sentences,
        **engine.describe(),
        "embedder": engine.embedder.name,
        "dimension": engine.embedder.dimension,
        "analyzer": engine.settings.analyzer,
    }
    if args.json:
        echo(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        for key, value in facts.items():
            echo(f"{key}: {value}")
    return 0


def cmd_articles(args: argparse.Namespace, config: Config) -> int:
    engine = ready_engine(config, _bar(args))
    if args.json:
        echo("[")
        for n, art in enumerate(engine.iter_articles()):  # streamed: a corpus may hold millions
            record = {"id": art.id, "title": art.title, "agency": art.agency, "published": art.published, "url": art.url}
            echo(("," if n else "") + json.dumps(record, ensure_ascii=False))
        echo("]")
        return 0
    listed = False
    for art in engine.iter_articles():
        echo(f"{art.id}\t{one_line(art.citation)}")
        listed = True
    if not listed:
        echo(EMPTY_CORPUS.format(then="nothing can answer"), err=True)
    return 0


def _news_client(config: Config):  # type: ignore[no-untyped-def]
    from news.client import Client

    return Client(config.fetch)


def _print_fetch(reports) -> int:  # type: ignore[no-untyped-def]
    failed = 0
    for r in reports:
        counts = f"{r.listed} listed, {r.fetched} fetched, {r.added} added, {r.updated} updated"
        if r.removed:
            counts += f", {len(r.removed)} removed (taken back at the source)"
        if r.dropped:
            counts += f", {r.dropped} extracted lines not in the pages left out"
        what = "not modified" if r.not_modified else counts
        echo(f"{r.source.label}: {what}")
        if r.error:
            failed += 1
            echo(f"error: {r.source.label}: {r.error}", err=True)
    return failed


def cmd_fetch(args: argparse.Namespace, config: Config) -> int:
    from news.fetch import fetch_all, fetch_urls, retire

    if not args.urls and not config.sources:
        raise ConfigError("no sources: add [[sources]] tables to config.toml (see README, Follow news sites) or give URLs")
    for given in args.urls:
        if not _ADDRESS.match(given) and Path(given).exists():
            where = f"{given} is a file here, not an address: `pasokh ingest {given}` reads saved pages"
            echo(f"pasokh: error: {where}", err=True)
            return EXIT_USAGE
    engine = ready_engine(config, _bar(args))
    client = _news_client(config)
    total = len(args.urls or config.sources)
    if args.quiet:
        reports = fetch_urls(engine, args.urls, client) if args.urls else fetch_all(engine, config.sources, client)
    else:
        with progress_bar(total, "fetching") as tick:
            if args.urls:
                reports = fetch_urls(engine, args.urls, client, tick)
            else:
                reports = fetch_all(engine, config.sources, client, tick)
    retired = retire(engine, config.fetch.keep_days)
    if retired:
        echo(f"removed {len(retired)} articles older than {config.fetch.keep_days} days")
    failed = _print_fetch(reports)
    return EXIT_ERROR if failed and failed == len(reports) else 0


def cmd_watch(args: argparse.Namespace, config: Config) -> int:
    import signal
    import threading

    from news.fetch import watch
    from news.report import REPORT_NAME
    from news.sources import Source

    if not config.sources:
        raise ConfigError("no sources to watch: add [[sources]] tables to config.toml (see README, Follow news sites)")
    engine = ready_engine(config, None)
    port = config.fetch.status_port if args.status_port is None else args.status_port
    if port:
        from app.status import StatusServer

        StatusServer(port, _store_answers(engine)).start()
    stop, wake = threading.Event(), threading.Event()

    def stopping(*_: object) -> None:
        stop.set()
        wake.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stopping)
    signal.signal(signal.SIGHUP, lambda *_: wake.set())  # read the sources again (systemctl reload)
    echo(f"watching {len(config.sources)} sources; Ctrl-C stops, SIGHUP reads the sources again", err=True, flush=True)
    report = config.data_dir / REPORT_NAME

    def sources_again() -> Sequence[Source]:
        return load_config(args.config).sources

    passes = watch(engine, config.sources, _news_client(config), stop, config.fetch.keep_days, report, sources_again, wake)
    for reports in passes:
        _print_fetch(reports)
        sys.stdout.flush()
    echo("stopped", err=True)
    return 0


def cmd_sources(args: argparse.Namespace, config: Config) -> int:
    """Each source as the store knows it, with the watcher's own report beside it; while the
    store cannot be asked, the watcher's last report instead (and a non-zero exit)."""
    from news.fetch import status
    from news.report import REPORT_NAME, ReportError, read_report

    try:
        report = read_report(config.data_dir / REPORT_NAME)
    except ReportError as exc:
        echo(f"pasokh: warning: {exc}", err=True)
        report = None
    try:
        rows = status(ready_engine(config, _bar(args)), config.sources)
    except StorageError as exc:
        if report is None or not report.sources:
            raise
        echo(f"pasokh: error: {exc}", err=True)
        echo(f"pasokh: the store cannot be asked; this is the watcher's report of {_stamp(report.updated)}", err=True)
        _print_sources(args, report.sources, report)
        return EXIT_ERROR
    _print_sources(args, rows, report)
    return 0


def _print_sources(args: argparse.Namespace, rows: list[dict[str, object]], report) -> None:  # type: ignore[no-untyped-def]
    if args.json:
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if report is not None:
        line = f"watcher: last check {_stamp(report.last_check)}"
        if report.store_error:
            line += f"; the store has not answered since {_stamp(report.store_away_since)}: {one_line(report.store_error)}"
        echo(line)
    if not rows:
        echo("no sources configured: add [[sources]] tables to config.toml (see README, Follow news sites)")
    for row in rows:  # three lines a source, whatever its fields hold
        taken_back = f"  taken back at the source: {one_line(str(row['taken_back']))}" if row.get("taken_back") else ""
        echo(
            f"{one_line(str(row['name']))}\t{row['kind']} {one_line(str(row['url']))}\n"
            f"  last fetch: {row['last_fetch'] or 'never'}  next: {row['next_fetch']}  articles: {row['articles']}{taken_back}\n"
            f"  last error: {one_line(str(row['last_error'] or '-'))}"
        )


def _stamp(when: float | None) -> str:
    from news.fetch import tehran_time

    return tehran_time(when) or "never"


def cmd_pages(args: argparse.Namespace, config: Config) -> int:
    """What would be stored from each saved page in a folder (no corpus is touched)."""
    from news.inspect import inspect_folder, read_url_list

    folder = Path(args.folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder of saved pages")
    if args.urls and not Path(args.urls).is_file():
        raise ConfigError(f"{args.urls} does not exist (it should list each page's file name and URL)")
    rows = inspect_folder(folder, read_url_list(Path(args.urls)) if args.urls else None)
    if args.json:
        echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    echo("file\ttitle\tagency\ttime (UTC)\ttime (Tehran)\tsentences\tverbatim\tdropped\tlead")
    for r in rows:  # a line a page, whatever its file name and title hold
        if r.error:
            echo(f"{one_line(r.file)}\terror: {one_line(r.error)}")
            continue
        lead = "yes" if r.lead else "no"
        echo(
            f"{one_line(r.file)}\t{one_line(r.title)}\t{one_line(r.agency or '-')}\t"
            f"{r.published_utc or '-'}\t{r.published_shown or '-'}\t{r.sentences}\t{r.verbatim}\t{r.dropped}\t{lead}"
        )
    return 0


def cmd_migrate(args: argparse.Namespace, config: Config) -> int:
    from retrieval.engine import open_adopted
    from retrieval.store import open_storage, signature_of
    from retrieval.store.migrate import migrate

    embedder = load_embedder(config.embedder)
    analyzer = config.retrieval.analyzer
    if args.upgrade:
        reached = open_adopted(config.storage, config.data_dir, embedder, analyzer)[0].maintenance.upgrade()
        upgraded = f" (upgraded to {reached[-1]})" if reached else ""
        echo(f"the {config.storage.backend} store is at the current schema{upgraded}")
        return 0
    origin_name = args.origin or config.storage.backend
    if origin_name == args.to:
        raise ConfigError(f"the corpus is already in {args.to}; name the other side with --from")
    # the copy keeps the origin's vectors, so the target records the form they were made in
    origin, embedder = open_adopted(dataclasses.replace(config.storage, backend=origin_name), config.data_dir, embedder, analyzer)
    signature = signature_of(embedder.name, embedder.dimension, analyzer)
    target = open_storage(dataclasses.replace(config.storage, backend=args.to), config.data_dir, signature)
    total = origin.documents.stats().articles
    if args.quiet:
        report = migrate(origin, target)
    else:
        with progress_bar(total, f"copying {origin_name} → {args.to}") as tick:
            report = migrate(origin, target, tick)
    echo(
        f"{args.to} now holds {report.articles} articles and {report.sentences} sentences "
        f"({report.copied} copied, {report.already_there} already there, {report.removed} removed); "
        f'set [storage] backend = "{args.to}" in config.toml to use it'
    )
    return 0


NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set. Talk to @BotFather in Telegram, send /newbot, follow its questions, "
    "then run: export TELEGRAM_BOT_TOKEN='<the token it gives you>'"
)


def cmd_bot(args: argparse.Namespace, config: Config) -> int:
    if not config.telegram_token:
        raise ConfigError(NO_TOKEN)
    import secrets

    from telegram import Update
    from telegram.error import TelegramError

    from bot import credentials, replicas, webhook
    from bot.api_failures import said
    from bot.keys import SecretError
    from bot.settings import BotSettingsError
    from bot.telegram import FATAL, BotApiError, build_application, reach_bot_api, redact

    try:
        processes = replicas.processes_for(config.bot, webhook=bool(args.webhook_url))
    except replicas.ProcessesError as exc:
        raise ConfigError(str(exc)) from None
    number = replicas.replica_number()
    try:
        token = credentials.telegram_token(config.telegram_token)
        secret = credentials.webhook_secret(config.webhook_secret) if config.webhook_secret else None
    except BotSettingsError as exc:
        raise ConfigError(str(exc)) from None
    secret = secret or secrets.token_urlsafe(32)  # the processes started below are given this one
    sock = None
    if processes > 1:
        if number:
            replicas.follow_parent()
        config = _one_of(config, processes)
    if args.webhook_url:  # before loading: a taken port fails at once
        sock = replicas.webhook_socket(args.listen, args.port, shared=processes > 1)
    engine = ready_engine(config, _bar(args))
    try:
        application = build_application(config.bot, engine, token, config.data_dir, config.bot_secret)
    except SecretError as exc:
        echo(f"pasokh: error: {exc}", err=True)
        return EXIT_ERROR
    try:
        username = reach_bot_api(application, token, config.bot.start_attempts)
    except BotApiError as exc:
        echo(f"pasokh: error: {exc}", err=True)
        return EXIT_ERROR
    port = config.bot.status_port if args.status_port is None else args.status_port
    if port:
        _bot_status(engine, application, port + number)  # each process its own: status_port, + 1, …
    stats = engine.stats()
    mode = f"webhook {args.webhook_url}" if args.webhook_url else "polling"
    if processes > 1:
        mode += f", process {number + 1} of {processes}"
    if not stats.articles:
        echo(EMPTY_CORPUS.format(then="every question is told there is no answer"), err=True)
    echo(
        f"pasokh bot: serving @{username} ({mode}) from {stats.articles} articles, {stats.sentences} sentences "
        f"on {config.storage.backend} ({config.data_dir})",
        err=True,
        flush=True,
    )
    if not args.webhook_url:
        try:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
        except TelegramError as exc:  # deleteWebhook refused at start (later failures are retried, said in the log)
            if not application.bot_data.get(FATAL):  # else the polling loop's end, re-raised as the bot stopped
                echo(f"pasokh: error: the Bot API refused to start polling: {redact(said(exc), token)}", err=True)
                return EXIT_ERROR
        return _stopped(application)
    others = None
    if processes > 1 and not number:
        env = {**os.environ, "TELEGRAM_WEBHOOK_SECRET": secret}
        others = replicas.Replicas(processes - 1, replicas.own_command(), env).start()
    webhook.guard()  # before PTB makes its server: a stranger's request is small and quick, or refused
    try:
        application.run_webhook(
            unix=sock,
            url_path=args.url_path,
            webhook_url=args.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    except TelegramError as exc:  # setWebhook refused: an http:// address, a port Telegram does not call
        if not application.bot_data.get(FATAL):
            echo(f"pasokh: error: Telegram refused the webhook {args.webhook_url}: {redact(said(exc), token)}", err=True)
            return EXIT_ERROR
    finally:
        if others is not None:
            others.stop()
    return _stopped(application)


def _stopped(application) -> int:  # type: ignore[no-untyped-def]
    """The exit code of a bot that stopped: 1, with the reason in one line, when it stopped
    itself because it could no longer serve (its token revoked), so a supervisor sees a failure."""
    from bot.telegram import FATAL  # the bot's modules load only for `pasokh bot`

    if reason := application.bot_data.get(FATAL):
        echo(f"pasokh: error: {reason}", err=True)
        return EXIT_ERROR
    return 0


def _one_of(config: Config, processes: int) -> Config:
    """The settings one of ``processes`` bot processes runs with: a share of the sends Telegram
    allows the token, and of the cores for its embedder unless ``[embedder] threads`` says."""
    from embeddings.cores import available_cores

    bot = dataclasses.replace(config.bot, sends_per_second=max(1, config.bot.sends_per_second // processes))
    embedder = config.embedder
    if not embedder.threads:
        embedder = dataclasses.replace(embedder, threads=max(1, available_cores() // processes))
    return dataclasses.replace(config, bot=bot, embedder=embedder)


def _bot_status(engine, application, port: int):  # type: ignore[no-untyped-def]
    """/healthz, /readyz and /metrics for a bot replica: ready while its corpus is loaded and its store answers."""
    import time

    from app.status import StatusServer
    from bot import metrics

    def gauges() -> None:
        stats = engine.stats()
        metrics.ARTICLES.set(stats.articles)
        metrics.SENTENCES.set(stats.sentences)
        metrics.GENERATION.set(stats.generation)
        pasokh = application.bot_data.get("pasokh")
        if pasokh is not None:
            metrics.SINCE_REFRESH.set(time.monotonic() - pasokh.refreshed_at)

    return StatusServer(port, _store_answers(engine), gauges).start()


def _store_answers(engine):  # type: ignore[no-untyped-def]
    """/readyz for `bot` and `watch` alike: ready while the store answers (engine.stats raises
    when it cannot be reached, and the status server turns that into a 503 with the reason)."""

    def ready() -> str | None:
        engine.stats()
        return None

    return ready


class _VersionAction(argparse.Action):
    """argparse's ``version`` action, but asking for the version only when ``--version`` is given."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        sys.stdout.write(f"pasokh {_version()}\n")  # to standard output, as argparse's own action
        parser.exit()


def _version() -> str:
    import importlib.metadata  # here, not at the top: 50-70 ms of every command's start

    try:
        return importlib.metadata.version("pasokh")
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def _at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help="config file (default: ./config.toml)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress bars")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log what happens")
    common.add_argument(
        "--log-format", choices=["text", "json"], default=argparse.SUPPRESS, help="log lines as text (default) or JSON"
    )

    parser = argparse.ArgumentParser(
        prog="pasokh", description="Answer Persian questions with cited quotes from news articles.", parents=[common]
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = sub.add_parser("ask", parents=[common], help="answer a question with quotes")
    ask.add_argument("question", nargs="+", help="the question (or - to read it from standard input)")
    ask.add_argument("--k", type=_at_least_one, default=None, help="number of quotes")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("--context", action="store_true", help="show neighbouring sentences too")
    ask.add_argument("--mode", choices=["hybrid", "lexical", "dense"], default=None, help=argparse.SUPPRESS)
    ask.set_defaults(func=cmd_ask)

    ing = sub.add_parser(
        "ingest",
        parents=[common],
        help=(
            "add .txt / .jsonl / .csv articles (also compressed: .gz, .bz2, .xz), Word .docx, saved .html / .mhtml"
            " pages, Telegram and WordPress exports (files or folders)"
        ),
    )
    ing.add_argument("paths", nargs="+", help="files and folders; - reads JSONL from standard input")
    ing.add_argument(
        "--channel",
        metavar="NAME",
        help="the public handle of the channel a Telegram Desktop export is of (result.json, or the folder of an HTML "
        "export), for its posts' links: NAME, @NAME or its link t.me/NAME",
    )
    ing.add_argument("--json", action="store_true", help="print the report as JSON")
    ing.set_defaults(func=cmd_ingest)

    rem = sub.add_parser("remove", parents=[common], help="delete articles by id")
    rem.add_argument("article_ids", nargs="+")
    rem.set_defaults(func=cmd_remove)

    bak = sub.add_parser(
        "backup", parents=[common], help="copy the data directory whole to a new folder, while the bot and watcher run"
    )
    bak.add_argument("destination", nargs="?", help="a new (or empty) folder outside the data directory")
    bak.add_argument("--into", metavar="DIR", help="instead: a new folder in DIR named for the time (for a timer or cron)")
    bak.add_argument("--keep", type=int, metavar="N", help="with --into: remove all but the newest N backups it made")
    bak.add_argument(
        "--wait", type=float, default=600.0, metavar="SECONDS", help="how long to wait for a running ingest (default 600)"
    )
    bak.set_defaults(func=cmd_backup)

    exp = sub.add_parser("export", parents=[common], help="write every article as JSONL that `pasokh ingest` reads back")
    exp.add_argument("destination", help="a .jsonl file (gzip if it ends in .gz), or - for standard output")
    exp.set_defaults(func=cmd_export)

    idx = sub.add_parser("index", parents=[common], help="check or rebuild the indexes")
    what = idx.add_mutually_exclusive_group(required=True)
    what.add_argument("--rebuild", action="store_true", help="rebuild every index from the database")
    what.add_argument("--check", action="store_true", help="verify that database and indexes agree")
    what.add_argument("--compact", action="store_true", help="fold recent changes into a new vector index file now")
    idx.add_argument("--reembed", action="store_true", help="with --rebuild: embed every sentence again")
    idx.add_argument("--json", action="store_true")
    idx.set_defaults(func=cmd_index)

    rep = sub.add_parser(
        "repair",
        parents=[common],
        help="replace a damaged database by what can be read of it whole, then rebuild the indexes",
        description="Replace a damaged pasokh.sqlite3 (and bot.sqlite3) by every article (and row) that can be read of it "
        "whole; the damaged file is kept beside it under a dated name, the lost articles listed in a JSONL file beside "
        "that, lost vectors embedded again and the indexes rebuilt. Restart a running bot and watcher afterwards.",
    )
    rep.set_defaults(func=cmd_repair)

    mig = sub.add_parser("migrate", parents=[common], help="copy the corpus between sqlite and postgres, or upgrade a schema")
    how = mig.add_mutually_exclusive_group(required=True)
    how.add_argument("--to", choices=backend_names(), help="copy the corpus into this backend")
    how.add_argument("--upgrade", action="store_true", help="upgrade the configured store's schema to this version")
    mig.add_argument("--from", dest="origin", choices=backend_names(), help="copy from here (default: the configured backend)")
    mig.set_defaults(func=cmd_migrate)

    st = sub.add_parser("stats", parents=[common], help="corpus and index size, embedder")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)

    bot = sub.add_parser("bot", parents=[common], help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")
    bot.add_argument("--webhook-url", default=None, help="public HTTPS URL Telegram should post updates to")
    bot.add_argument("--listen", default="0.0.0.0", help="webhook: address to listen on")
    bot.add_argument("--port", type=int, default=8443, help="webhook: port to listen on")
    bot.add_argument("--url-path", default="telegram", help="webhook: path part of the URL")
    bot.add_argument(
        "--status-port", type=int, default=None, help="/healthz /readyz /metrics on this port (instead of [bot] status_port)"
    )
    bot.set_defaults(func=cmd_bot)

    from app import evaluate as evaluation

    evaluation.add_parser(sub, common)

    src = sub.add_parser("sources", parents=[common], help="the news sources: last fetch, last error, articles, next fetch")
    src.add_argument("--json", action="store_true")
    src.set_defaults(func=cmd_sources)

    arts = sub.add_parser("articles", parents=[common], help="list the articles")
    arts.add_argument("--json", action="store_true", help="a JSON list of id, title, agency, published, url")
    arts.set_defaults(func=cmd_articles)

    fetch = sub.add_parser("fetch", parents=[common], help="one pass over the configured sources, or over the URLs given")
    fetch.add_argument("urls", nargs="*", help="feeds, sitemaps or article pages (default: the [[sources]] in config.toml)")
    fetch.set_defaults(func=cmd_fetch)

    watch = sub.add_parser("watch", parents=[common], help="keep fetching each source on its schedule until stopped")
    watch.add_argument(
        "--status-port", type=int, default=None, help="/healthz /readyz /metrics on this port (instead of [fetch] status_port)"
    )
    watch.set_defaults(func=cmd_watch)

    pages = sub.add_parser("pages", parents=[common], help="what would be stored from each saved page in a folder")
    pages.add_argument("folder", help="a folder of saved .html (or single-file .mhtml) pages")
    pages.add_argument("--urls", help="a file naming each page's file and the URL it was saved from (else its canonical URL)")
    pages.add_argument("--json", action="store_true")
    pages.set_defaults(func=cmd_pages)
    return parser


def _persian_out() -> None:
    """Standard output and error in UTF-8 when their encoding cannot write Persian (a latin-1 or
    ASCII locale, PYTHONIOENCODING set so): every answer, title and error naming one was a
    UnicodeEncodeError traceback. Said once, with the setting that makes it right."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "پاسخ".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(encoding="utf-8")
                changed.append(encoding)
    if changed:
        echo(
            f"pasokh: warning: this terminal's encoding ({changed[0]}) cannot show Persian; writing UTF-8 "
            "(a UTF-8 locale, export LANG=C.UTF-8, makes the two agree)",
            err=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    _persian_out()
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):  # `pasokh` alone: what it can do, as `git` shows it
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    for name, default in (("config", None), ("quiet", False), ("verbose", False), ("log_format", "text")):
        if not hasattr(args, name):
            setattr(args, name, default)
    config: Config | None = None  # named in the one line a damaged database gives, once loaded
    try:
        config = load_config(args.config)
        level = logging.INFO if args.verbose else getattr(logging, config.log_level, logging.WARNING)
        setup_logging(level, config.telegram_token, config.webhook_secret, config.bot_secret, fmt=args.log_format)
        return int(args.func(args, config))
    except ConfigError as exc:
        echo(f"pasokh: config error: {exc}", err=True)
        return EXIT_USAGE
    except (CorpusError, RetrievalError, EmbedderError, DatasetError) as exc:
        logger.debug("failed", exc_info=True)
        echo(f"pasokh: error: {exc}", err=True)
        return EXIT_ERROR
    except sqlite3.DatabaseError as exc:  # a page of the database unreadable, deep in whatever read it
        logger.debug("failed", exc_info=True)
        echo(f"pasokh: error: {store_said(exc, config.data_dir if config is not None else None)}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        echo("pasokh: interrupted", err=True)
        return 130
    except BrokenPipeError:  # `pasokh articles | head`: the reader has all it wanted
        _quiet_stdout()
        return 141
    except OSError as exc:  # a full disk (with the room it has), a file that vanished, a permission the system refused
        logger.debug("failed", exc_info=True)
        where = f" ({exc.filename})" if exc.filename else ""
        said = store_said(exc, config.data_dir if config is not None else None) or f"{exc.strerror or exc}{where}"
        echo(f"pasokh: error: {said}", err=True)
        return EXIT_ERROR
    except Exception as exc:  # only the PostgreSQL server's refusals are said here; the rest is raised
        if (refusal := refusal_said(exc)) is None:
            raise
        logger.debug("failed", exc_info=True)
        echo(f"pasokh: error: {refusal}", err=True)
        return EXIT_ERROR


def _quiet_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's own flush at exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
