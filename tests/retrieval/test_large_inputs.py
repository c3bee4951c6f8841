"""Big inputs in bounded memory: a folder of 5,000 small files and one 20 MB text file.

Sentences come from a fixed pool, combined differently in every article or paragraph, so
the texts are all distinct (nothing is skipped as a repeat) while the embedder, the slow
part on a 2-core CPU, sees each distinct sentence once, as it does in production.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CITIES = ["تهران", "اصفهان", "شیراز", "تبریز", "مشهد", "یزد", "کرمان", "رشت", "اهواز", "قزوین"]
TOPICS = ["آب شرب", "حمل و نقل عمومی", "فضای سبز", "آموزش", "بهداشت", "مسکن", "فرهنگ", "ورزش"]


def pool(size: int) -> list[str]:
    return [
        f"شورای شهر {CITIES[k % 10]} در نشست شماره {k} دربارهٔ {TOPICS[k % 8]} و بودجهٔ {k * 3} میلیاردی آن گفتگو کرد."
        for k in range(size)
    ]


def run_measured(*args: str, data_dir, config=None) -> tuple[subprocess.CompletedProcess, float]:
    """Run `pasokh` and return its peak resident memory in MB, as the kernel counted it: the
    high-water mark of its own memory (``VmHWM``), not ``ru_maxrss``, which Linux carries over
    from the parent across fork and exec, so that a child of a large test process would report
    the parent's size whatever it used itself."""
    code = (
        "import re, sys; from app.cli import main; rc = main(sys.argv[1:]); "
        "hwm = re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1); "
        "sys.stderr.write('\\nPEAK_RSS_KB=%s\\n' % hwm); sys.exit(rc)"
    )
    env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("PASOKH_CONFIG", None)
    if config is not None:
        env["PASOKH_CONFIG"] = str(config)
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    peak = re.search(r"PEAK_RSS_KB=(\d+)", result.stderr)
    return result, int(peak.group(1)) / 1024 if peak else float("nan")


def small_files(folder, count: int, per_file: int = 3) -> None:
    sentences = pool(300)
    folder.mkdir()
    for i in range(count):
        body = " ".join(sentences[(i * 7 + 13 * j) % 300] for j in range(per_file))
        (folder / f"n{i:05d}.txt").write_text(f"خبر شماره {i}\n\n{body}\n", encoding="utf-8")


@pytest.mark.slow
def test_five_thousand_small_files_take_no_more_memory_than_five_hundred(tmp_path):
    """The same 15,000 sentences in 500 files or in 5,000: what a file costs is not kept once it
    is stored (the index grows with the sentences, the same in both)."""
    few, many = tmp_path / "few", tmp_path / "many"
    small_files(few, 500, per_file=30)
    small_files(many, 5000, per_file=3)
    # every file has a headline of its own, so embedding sentences with their headline would embed
    # 15,000 texts instead of the pool's 300: what is measured here is memory, not the embedder
    alone = tmp_path / "alone.toml"
    alone.write_text('[embedder]\npassage = "sentence"\n', encoding="utf-8")
    done_few, rss_few = run_measured("ingest", str(few), data_dir=tmp_path / "d1", config=alone)
    done_many, rss_many = run_measured("ingest", str(many), data_dir=tmp_path / "d2", config=alone)
    assert done_few.returncode == 0 and done_many.returncode == 0, done_many.stderr[-2000:]
    assert "added 5000" in done_many.stdout
    assert "ingesting" in done_many.stderr and "sentences embedded" in done_many.stderr
    print(f"peak RSS: 500 files {rss_few:.0f} MB, 5000 files {rss_many:.0f} MB (ratio {rss_many / rss_few:.2f})")
    assert rss_many < rss_few * 1.25


@pytest.mark.slow
def test_a_20_mb_text_file_is_ingested_in_bounded_memory_and_answered(tmp_path):
    sentences = pool(2000)
    path = tmp_path / "dump.txt"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("آرشیو گزارش‌های شوراهای شهر\n\n")
        i = 0
        while fh.tell() < 20 * 1024 * 1024:  # (a, b) differs for every paragraph; the sentences repeat
            a, b = i % 2000, (i // 2000) % 2000
            fh.write(" ".join(sentences[k] for k in (a, b, (a + 3 * b + 1) % 2000)) + "\n\n")
            i += 1
    size_mb = path.stat().st_size / 1024 / 1024
    result, rss = run_measured("ingest", str(path), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "added 1" in result.stdout and "sentences embedded" in result.stderr
    print(f"20 MB file ({size_mb:.1f} MB): peak RSS {rss:.0f} MB")
    assert rss < 2500
    stats = subprocess.run(
        [sys.executable, "-m", "app.cli", "stats", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PASOKH_DATA_DIR": str(tmp_path / "data")},
    )
    assert json.loads(stats.stdout)["sentences"] > 100_000
    answer = subprocess.run(
        [sys.executable, "-m", "app.cli", "ask", "--json", "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ چه گفتگو کرد؟"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PASOKH_DATA_DIR": str(tmp_path / "data")},
    )
    quotes = json.loads(answer.stdout)["quotes"]
    assert quotes and quotes[0]["article_id"] == "dump" and "نشست شماره 1505" in quotes[0]["text"]
