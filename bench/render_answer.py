"""Render an answer as Telegram shows it, to a picture for the README (docs/answer.png).

The bot's own HTML (the Telegram subset: b, i, a) is put in a chat bubble, right to left, and a
headless Chromium takes the screenshot, so what the picture shows is what the bot sends.

    python bench/render_answer.py ["question"] [--out docs/answer.png]

Needs Debian's chromium (and fonts-noto-core for Persian); nothing else of the project's runs it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.messages import answer_messages  # noqa: E402
from embeddings import EmbedderSettings, load_embedder  # noqa: E402
from retrieval import RetrievalSettings, StorageSettings, connect, ingest  # noqa: E402

QUESTION = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
PAGE = """<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><style>
body {{ background: #c9d9e6; margin: 0; padding: 24px; font: 16px/1.55 "Noto Sans Arabic", "Noto Naskh Arabic", sans-serif; }}
.q, .a {{ max-width: 560px; border-radius: 14px; padding: 10px 14px; margin: 0 0 14px; white-space: pre-wrap; }}
.q {{ background: #effdde; margin-right: auto; margin-left: 0; }}
.a {{ background: #fff; }}
a {{ color: #2678b6; text-decoration: none; }}
</style></head><body><div class="q">{question}</div>{answers}</body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=QUESTION)
    parser.add_argument("--out", default=str(ROOT / "docs" / "answer.png"))
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs Debian's chromium: apt-get install chromium fonts-noto-core")
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(StorageSettings(), Path(tmp) / "data", load_embedder(EmbedderSettings()), RetrievalSettings())
        ingest(engine, [ROOT / "corpus" / "demo"])
        engine.load()
        messages = answer_messages(engine.ask(args.question, k=3))
        page = Path(tmp) / "answer.html"
        answers = "".join(f'<div class="a">{m}</div>' for m in messages)
        page.write_text(PAGE.format(question=args.question, answers=answers), encoding="utf-8")
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp}/profile", "--window-size=640,780", f"--screenshot={args.out}", page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
