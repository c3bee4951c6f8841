"""The systemd units in deploy/ are valid, as systemd itself reads them (where systemd-analyze
is installed), and name only commands Pasokh has."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_every_unit_runs_a_pasokh_command_that_exists():
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for unit in DEPLOY.glob("*.service"):
        line = next(x for x in unit.read_text().splitlines() if x.startswith("ExecStart="))
        assert line.split()[1] in commands, line


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_units(tmp_path: Path):
    pasokh = Path(sys.executable).with_name("pasokh")
    for unit in [*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")]:
        text = unit.read_text().replace("/srv/pasokh/.venv/bin/pasokh", str(pasokh))
        text = text.replace("/etc/pasokh/env", str(tmp_path / "env"))
        (tmp_path / unit.name).write_text(text)
    shutil.copy(DEPLOY / "env.example", tmp_path / "env")
    units = sorted(str(p) for p in tmp_path.iterdir() if p.suffix in (".service", ".timer"))
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
