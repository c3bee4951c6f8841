"""hazm loaded without its package import behaves exactly as hazm, and `ask` stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "مي‌خواهم  كتاب ها را بخوانم ۱۲۳ و 456",
    "«خوزستان»، يكي از استانهاي پايلوت در طرح کودکان بازمانده از تحصیل است.",
    "ميروم به خانه‌ها و آنها را مي بينم!!! سلاااام",
    "The cabinet met on Sunday; وزیر گفت: «ما آماده‌ایم».",
]
_PROBE = """
import json, sys
{setup}
from corpus.normalize import analyze, normalize
from corpus.split import spans
texts = json.loads(sys.stdin.read())
out = []
for t in texts:
    norm = normalize(t)
    out.append([norm, analyze(norm, "stem"), analyze(norm, "lemma"), list(spans(t, [0]))])
print(json.dumps({{"out": out, "heavy": sorted(m for m in ("sklearn", "gensim", "scipy") if m in sys.modules)}}))
"""


def _run(setup: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(setup=setup)],
        cwd=ROOT,
        input=json.dumps(TEXTS),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_lean_hazm_normalizes_analyzes_and_splits_exactly_as_the_whole_package():
    lean = _run("")
    whole = _run("import hazm")
    assert lean["out"] == whole["out"]
    assert lean["heavy"] == [], "the lean import must not pull in scikit-learn, gensim or scipy"
    assert whole["heavy"], "the whole package does (else this test proves nothing)"


def test_a_cold_ask_loads_neither_scikit_learn_nor_gensim_nor_scipy(tmp_path):
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['pasokh', 'ask', '-q', 'کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟']\n"
        "try:\n    runpy.run_module('app.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('sklearn', 'gensim', 'pandas', 'scipy') if m in sys.modules))\n"
    )
    env = {"PASOKH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert "استانهای پایلوت" in result.stdout, result.stderr
    assert "HEAVY []" in result.stdout
