"""Pasokh at 10k, 100k and 1M sentences on this machine: ingest, ask, start-up, memory, freshness, recall.

    python bench/scale.py [--sizes 10k,100k,1M] [--work DIR] [--questions 200] [--probe 200]

Corpus. A pool of real Persian sentences (every sentence of PQuAD validation, ParsiNLU
reading comprehension train+dev and the demo corpus, deduplicated) is ingested once as its
own articles: the embedder sees each pool sentence once. Larger corpora are then grown
through the real ``pasokh ingest`` from JSONL files of *recombined* articles (20 pool
sentences each, no two articles alike, dated over a year), whose vectors are reused from the
store as for any repeated sentence, so the ingest figures exclude embedding and embedding is
reported separately. One corpus grows through the sizes, so 1M costs 1M sentences once.

Per size, one row:
- ingest: the growth step through ``pasokh ingest``, sentences/s (no embedding);
- embed ratio: ``pasokh ingest`` of ``--probe`` new (held-out) sentences that need embedding,
  against the bare embedder on the same sentences, in the same run (1.0 = ingest costs nothing
  beyond embedding);
- ask p50/p95: warm, in-process, over ``--questions`` PQuAD questions; with the bare
  query-embedding p50 beside it;
- cold ask: wall time of ``pasokh ask`` as a new process (median of 3), and its peak RSS;
- bot: peak RSS of a running ``pasokh bot`` (long polling against the Bot API stand-in of the
  tests), and seconds from an ingest's commit until the bot answers from the new article;
- recall@10 of the served vector index against exact search over the stored vectors; ties
  count by score, since a recombined corpus holds many copies of one vector;
- data directory size.

Recombined articles each have a headline of their own, and the product embeds a sentence after
its headline, so none of their vectors could be reused and 1M would be hours of embedding: the
bench embeds sentences alone (``[embedder] passage = "sentence"``). A question costs the same in
either form (one query embedding, the same index), which is what the bench measures.

The pool embedding is cached in ``--work`` (the seeded store is copied, not rebuilt), so a
second run skips it. Figures are from one run; compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import math
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from corpus.prepare import prepare  # noqa: E402
from corpus.read import read_all  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from evaluation.datasets import load_dataset  # noqa: E402
from retrieval import connect  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
POOL_SOURCES = ("pquad_validation.json", "parsinlu_rc_train.jsonl", "parsinlu_rc_dev.jsonl")
PER_ARTICLE = 20
PASOKH = [sys.executable, "-m", "app.cli"]
YEAR = 365 * 86400


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pquad_questions(limit: int, seed: int, eval_dir: Path = EVAL) -> list[str]:
    """``limit`` PQuAD validation questions in the order ``seed`` shuffles them into: what the
    benches that ask in a loop (ask_stages, bot_load, ivf_scan) ask."""
    data = json.loads((eval_dir / "pquad_validation.json").read_text(encoding="utf-8"))["data"]
    questions = [qa["question"] for doc in data for par in doc["paragraphs"] for qa in par["qas"]]
    random.Random(seed).shuffle(questions)
    return questions[:limit]


def ask_times(engine, questions: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds each question's ``engine.ask`` took, in order: the loop of the benches that time
    asking alone (ask_stages, cold_questions)."""
    times = []
    for q in questions:
        started = time.perf_counter()
        engine.ask(q)
        times.append(time.perf_counter() - started)
    return times


# ---- the pool ----------------------------------------------------------------------
def load_pool(eval_dir: Path) -> tuple[list[str], list[str]]:
    """Distinct real sentences (verbatim text) and PQuAD questions to ask. Without the evaluation
    sets (a clone outside this workspace) the pool is the demo corpus and the questions are the
    seed questions: enough for the smoke run to exercise every path, not for figures."""
    raws = []
    questions: list[str] = []
    if all((eval_dir / name).exists() for name in POOL_SOURCES):
        for name in POOL_SOURCES:
            ds = load_dataset(eval_dir / name)
            raws += list(ds.articles)
            if name.startswith("pquad"):
                questions = [i.question for i in ds.items if i.article]
    else:
        print(f"({eval_dir} not found: pool and questions from the demo corpus only)", flush=True)
        lines = (ROOT / "tests" / "data" / "seed_questions.jsonl").read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["question"] for line in lines if line.strip()]
    raws += [r for r in read_all([ROOT / "corpus" / "demo"]) if not isinstance(r, Exception)]
    seen: dict[str, str] = {}
    for raw in raws:
        try:
            prepared = prepare(raw)
        except Exception:
            continue
        for s in prepared.sentences:
            if len(s.norm) >= 20:
                seen.setdefault(s.norm, s.text.replace("\n", " "))
    return list(seen.values()), questions


def article(art_id: str, sentences: list[str], when: float, title: str) -> str:
    """One JSONL line; a paragraph per sentence, so splitting gives back the pool's sentences (run
    together, a sentence without a final stop would merge with the next into a new one to embed)."""
    published = time.strftime("%Y-%m-%dT%H:%M:%S+03:30", time.gmtime(when))
    return json.dumps(
        {"id": art_id, "title": title, "text": "\n\n".join(sentences), "source": "ایرنا", "published": published},
        ensure_ascii=False,
    )


class Env:
    """One data directory, its config and a way to run ``pasokh`` on it."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.data = work / "data"
        self.config = work / "scale.toml"
        self.config.write_text(
            "include_demo = false\nlog_level = \"WARNING\"\n"
            "[embedder]\npassage = \"sentence\"\n"
            "[bot]\nreload_seconds = 1.0\nquestions_per_minute = 10000\n",  # api_base_url: bot_figures adds the stand-in's
            encoding="utf-8",
        )
        self.env = {**os.environ, "PASOKH_DATA_DIR": str(self.data), "PASOKH_CONFIG": str(self.config)}

    def run(self, *args: str, check: bool = True) -> tuple[float, str]:
        """(wall seconds, stdout) of one ``pasokh`` process."""
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*PASOKH, *args], cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        out, err = proc.communicate()
        wall = time.perf_counter() - started
        if check and proc.returncode != 0:
            raise SystemExit(f"pasokh {' '.join(args[:2])} failed ({proc.returncode}): {err.strip()[-800:]}")
        return wall, out


def child_rss(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one process, measured for that process alone: its own
    high-water mark (``VmHWM``), read every few milliseconds while it runs. The rusage ``wait4``
    gives is no good here: Linux counts the parent's resident memory at the fork as the child's,
    so a bench holding 4 GB made every cold ``ask`` it started look 4 GB."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                peak = max(peak, peak_rss(proc.pid))
            time.sleep(0.005)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args[2:4])} failed: {errors.read().decode(errors='replace')[-800:]}")
    return wall, peak


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


# ---- steps -------------------------------------------------------------------------
def seed(env: Env, pool: list[str], held: int, cache: Path) -> dict:
    """Ingest the pool as articles (embedding each sentence once), or copy the cached result."""
    key = hashlib.sha256("\n".join(["paragraphs", str(held), *pool]).encode()).hexdigest()[:12]
    cached = cache / f"seeded-{key}"
    if not (cached / "data" / "pasokh.sqlite3").exists():
        shutil.rmtree(cached, ignore_errors=True)
        cached.mkdir(parents=True)
        files = cached / "pool.jsonl"
        body = pool[held:]
        with files.open("w", encoding="utf-8") as fh:
            for n in range(0, len(body), PER_ARTICLE):
                fh.write(article(f"pool-{n}", body[n : n + PER_ARTICLE], time.time() - YEAR, f"مجموعه {n}") + "\n")
        seeding = Env(cached)
        wall, _ = seeding.run("ingest", "-q", str(files))
        (cached / "seed.json").write_text(json.dumps({"seconds": wall, "sentences": len(body)}))
    shutil.rmtree(env.data, ignore_errors=True)
    shutil.copytree(cached / "data", env.data)
    return json.loads((cached / "seed.json").read_text())


def sentence_count(data: Path) -> int:
    with sqlite3.connect(data / "pasokh.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM sentences").fetchone()[0])


def grow(env: Env, pool: list[str], held: int, target: int, rng: random.Random, serial: list[int]) -> tuple[int, float]:
    """Recombined articles up to ``target`` sentences, through ``pasokh ingest``: (added, seconds)."""
    have = sentence_count(env.data)
    need = target - have
    if need <= 0:
        return 0, 0.0
    path = env.work / f"grow-{target}.jsonl"
    write_recombined(path, pool[held:], need, rng, serial)
    wall, _ = env.run("ingest", "-q", str(path))
    path.unlink()
    return sentence_count(env.data) - have, wall


def write_recombined(
    path: Path, body: list[str], need: int, rng: random.Random, serial: list[int], prefix: str = "r"
) -> None:
    """``need`` sentences of recombined articles (``PER_ARTICLE`` of ``body`` each, dated over the
    last year) as JSONL; ``serial`` numbers them across calls, ids ``{prefix}{number}``."""
    now = time.time()
    with path.open("w", encoding="utf-8") as fh:
        made = 0
        while made < need:
            n = min(PER_ARTICLE, need - made)
            picks = rng.sample(body, n)
            serial[0] += 1
            title = f"گزارش {serial[0]}: " + picks[0][:60]
            fh.write(article(f"{prefix}{serial[0]}", picks, now - rng.random() * YEAR, title) + "\n")
            made += n


def embed_ratio(env: Env, embedder, probe: list[str], tag: str) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """(ingest s/s, bare embedder s/s, ratio) on the same new sentences."""
    path = env.work / f"probe-{tag}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(0, len(probe), PER_ARTICLE):
            fh.write(article(f"probe-{tag}-{n}", probe[n : n + PER_ARTICLE], time.time(), f"تازه {tag} {n}") + "\n")
    from corpus.normalize import normalize

    norms = [normalize(s) for s in probe]
    started = time.perf_counter()
    embedder.encode_passages(norms)
    bare = len(norms) / (time.perf_counter() - started)
    wall, out = env.run("ingest", "-q", "--json", str(path))
    report = json.loads(out)
    took = float(report.get("seconds") or wall)
    ingest_rate = int(report.get("sentences") or len(probe)) / took
    path.unlink()
    return ingest_rate, bare, ingest_rate / bare


def warm_ask(config, embedder, questions: list[str]) -> dict:  # type: ignore[no-untyped-def]
    engine = connect(config.storage, config.data_dir, embedder, config.retrieval)
    engine.load()
    engine.warm()  # as the bot does at start
    for q in questions[:10]:
        engine.ask(q)
    asks, embeds = [], []
    for q in questions:
        t0 = time.perf_counter()
        embedder.encode_queries([q])
        embeds.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        engine.ask(q)
        asks.append((time.perf_counter() - t0) * 1000)
    recall = recall_at_10(engine, embedder, questions[:100])
    engine.close()
    return {
        "ask_p50": statistics.median(asks),
        "ask_p95": percentile(asks, 0.95),
        "embed_p50": statistics.median(embeds),
        "recall10": recall,
        "index": engine.describe().get("vector_index", "?"),
    }


def recall_at_10(engine, embedder, questions: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Served top-10 (of the candidates the pipeline asks for) against exact top-10 over every
    stored vector; a served hit counts when it scores at least the exact 10th (copies of one
    sentence tie)."""
    from retrieval.store.backends.sqlite.faiss_index import decode

    queries = embedder.encode_queries(questions)
    best = np.full((len(questions), 10), -np.inf, dtype=np.float32)
    store = engine.storage.documents
    with store.reading() as conn:
        cursor = conn.execute("SELECT v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key")  # every copy
        while rows := cursor.fetchmany(100_000):
            scores = queries @ decode([r[0] for r in rows], engine.embedder.dimension).T
            best = -np.sort(-np.hstack([best, scores]), axis=1)[:, :10]
    found = 0
    for q, row in zip(queries, best, strict=True):
        served = engine.storage.vectors.search_dense(q, engine.settings.candidates)[:10]  # as the pipeline asks
        found += sum(1 for h in served if h.score >= row[9] - 1e-3)
    return found / (10 * len(questions))


def bot_figures(env: Env, sentence: str, tag: str) -> tuple[int, float]:
    """(bot peak RSS MB, seconds from commit to an answer from the new article)."""
    from tests.bot.standin import StandIn, plain_text

    standin = StandIn().start()
    env.config.write_text(
        env.config.read_text(encoding="utf-8").split("api_base_url")[0] + f'api_base_url = "{standin.base_url}"\n',
        encoding="utf-8",
    )
    bot_env = {**env.env, "TELEGRAM_BOT_TOKEN": "123:TEST"}
    proc = subprocess.Popen([*PASOKH, "bot", "-q"], cwd=ROOT, env=bot_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        standin.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), timeout=300)
        for chat in range(5):  # a few answers before measuring memory
            standin.send_text("کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟", chat_id=100 + chat)
            standin.wait_for(lambda calls, c=chat: standin.sent_to(100 + c), timeout=120)
        path = env.work / f"fresh-{tag}.jsonl"
        path.write_text(article(f"fresh-{tag}", [sentence], time.time(), f"خبر فوری {tag}") + "\n", encoding="utf-8")
        committed = watch_commit(env.data)
        env.run("ingest", "-q", str(path))
        commit_at = committed()
        question = sentence[:120]
        chat = 1000
        answered = None
        deadline = time.monotonic() + 120
        while answered is None and time.monotonic() < deadline:
            chat += 1
            asked = time.monotonic()
            standin.send_text(question, chat_id=chat)
            standin.wait_for(lambda calls, c=chat: standin.sent_to(c), timeout=60)
            if any(sentence[:40] in plain_text(m.params.get("text", "")) for m in standin.sent_to(chat)):
                answered = asked
            else:
                time.sleep(0.2)
        fresh = (answered - commit_at) if answered is not None else float("nan")
        rss = peak_rss(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        standin.stop()
    return rss, max(fresh, 0.0)


def watch_commit(data: Path):  # type: ignore[no-untyped-def]
    """The monotonic time the store's generation moves (the ingest's commit), polled every 10 ms."""
    db = sqlite3.connect(data / "pasokh.sqlite3", check_same_thread=False)
    start = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
    seen: list[float] = []

    def poll() -> None:
        while not seen:
            if db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0] != start:
                seen.append(time.monotonic())
                return
            time.sleep(0.01)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()

    def committed() -> float:
        thread.join(timeout=60)
        db.close()
        return seen[0] if seen else time.monotonic()

    return committed


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "scale")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--probe", type=int, default=600, help="new sentences per size for the embed ratio")
    parser.add_argument("--pool", type=int, default=0, help="use only this many pool sentences (0: all)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--plot", type=Path, help="also draw p50 against size here (PNG; bench/plot_scale.py)")
    parser.add_argument("--eval-dir", type=Path, default=EVAL, help="where PQuAD and ParsiNLU are")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the corpus already in --work (one size) without growing it"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI's quick run: 10k sentences from a 3,000-sentence pool, fewer questions; fails if the "
        "vector index misses (recall@10 < 0.95) or the bot never answers from a new article",
    )
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.pool, args.questions, args.probe = "10k", 3000, 50, 100
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))

    args.work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    pool, questions = load_pool(args.eval_dir)
    gc.collect()  # loading the pool leaves the collector a heap to walk: it slowed every measured ask ~40%
    gc.freeze()
    args.probe = min(args.probe, len(pool) // (4 * len(sizes)))
    rng.shuffle(pool)
    if args.pool:
        pool = pool[: args.pool]
    questions = random.Random(1).sample(questions, min(args.questions, len(questions)))
    held = len(sizes) * (args.probe + 1)  # per size: the embed-ratio probe, and one sentence for the bot
    env = Env(args.work)
    started = time.perf_counter()
    if args.reuse:
        if not (env.data / "pasokh.sqlite3").exists():
            raise SystemExit(f"--reuse: no corpus in {env.data}; run without it first")
        seeded = {"sentences": 0, "seconds": 1.0}
    else:
        seeded = seed(env, pool, held, args.work / "cache")
    print(
        f"pool: {len(pool)} distinct sentences ({held} held out for probes); embedding the rest once: "
        f"{seeded['sentences'] / seeded['seconds']:.1f} sentences/s through pasokh ingest",
        flush=True,
    )
    config = load_config(str(env.config), env.env)
    embedder = load_embedder(config.embedder)
    embedder.encode_passages(["گرم کردن"])
    rows = []
    serial = [0]
    header = (
        f"{'sentences':>10} {'ingest s/s':>10} {'embed ratio':>11} {'ask p50':>8} {'embed p50':>9} {'p50/embed':>9} "
        f"{'ask p95':>8} {'cold ask':>8} {'ask RSS':>8} {'bot RSS':>8} {'fresh s':>7} {'recall@10':>9} {'index':>5} "
        f"{'data MB':>8}"
    )
    print(header, flush=True)
    for i, size in enumerate(sizes):
        if args.reuse:  # the held-out sentences are in the corpus by now: new ones are made from them
            added, seconds = 0, 0.0
            stamp = f"{time.time():.0f}"
            probe = [f"گزارش {stamp}-{n}: {s}" for n, s in enumerate(pool[i * args.probe : (i + 1) * args.probe])]
            ingest_rate, bare, ratio = embed_ratio(env, embedder, probe, f"{size}-{stamp}")
            fresh_sentence = f"خبر {stamp}: {pool[len(sizes) * args.probe + i]}"
        else:
            added, seconds = grow(env, pool, held, size, rng, serial)
            probe = pool[i * args.probe : (i + 1) * args.probe]
            ingest_rate, bare, ratio = embed_ratio(env, embedder, probe, f"{size}")
            fresh_sentence = pool[len(sizes) * args.probe + i]
        warm = warm_ask(config, embedder, questions)
        colds = [child_rss([*PASOKH, "ask", "-q", q], env.env) for q in questions[:3]]
        cold = statistics.median(c[0] for c in colds)
        cold_rss = max(c[1] for c in colds)
        bot_rss, fresh = bot_figures(env, fresh_sentence, f"{size}-{int(time.time())}")
        total = sentence_count(env.data)
        row = {
            "sentences": total,
            "ingest_sps": added / seconds if seconds else float("nan"),
            "ingest_embed_sps": ingest_rate,
            "bare_embed_sps": bare,
            "embed_ratio": ratio,
            **warm,
            "cold_ask_s": cold,
            "ask_rss_mb": cold_rss,
            "bot_rss_mb": bot_rss,
            "fresh_s": fresh,
            "data_mb": dir_mb(env.data),
        }
        rows.append(row)
        print(
            f"{total:>10,} {row['ingest_sps']:>10.0f} {ratio:>11.2f} {warm['ask_p50']:>7.0f}ms {warm['embed_p50']:>7.0f}ms "
            f"{warm['ask_p50'] / warm['embed_p50']:>8.2f}x {warm['ask_p95']:>6.0f}ms {cold:>7.2f}s {cold_rss:>6}MB "
            f"{bot_rss:>6}MB {fresh:>7.1f} {warm['recall10']:>9.3f} {warm['index']:>5} {row['data_mb']:>8.0f}",
            flush=True,
        )
    print(f"(bench took {(time.perf_counter() - started) / 60:.1f} min)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=1))
    if args.plot:
        from plot_scale import plot

        print(f"drew {plot({'this run': rows}, args.plot)}")
    broken = [r for r in rows if r["recall10"] < 0.95 or math.isnan(r["fresh_s"])]
    if args.smoke and broken:
        raise SystemExit(f"scale smoke failed: {broken}")


if __name__ == "__main__":
    main()
