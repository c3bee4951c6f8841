"""Two made-up Persian agencies on http://127.0.0.1:8800 for trying `pasokh fetch` / `watch` and
the bot without the internet: ISNA (RSS at /isna/rss) and IRNA (Atom at /irna/atom). A new
story appears in IRNA's feed after ``--after`` seconds.

    python -m tests.news.serve [--port 8800] [--after 60]
"""

from __future__ import annotations

import argparse
import logging
import time

from pytest_httpserver import HTTPServer

from tests.news.sites import LIBRARY, METRO, RAIN, Agency


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--after", type=float, default=60.0, help="seconds until the new story appears")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = HTTPServer(host="127.0.0.1", port=args.port)
    server.start()
    isna = Agency(server, "/isna", "ایسنا")
    irna = Agency(server, "/irna", "ایرنا")
    isna.add(LIBRARY)
    isna.add(METRO)
    print(f"feeds: {isna.url('/rss')}  {irna.url('/atom')}  (sitemap: {isna.url('/sitemap.xml')})", flush=True)
    try:
        time.sleep(args.after)
        irna.add(RAIN)
        print(f"new story in {irna.url('/atom')}: {RAIN.title}", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
