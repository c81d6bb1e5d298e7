"""The shipped systemd units for the nightly backup (deploy/systemd) run the real command."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

from django.core.management import get_commands, load_command_class

UNITS = Path(__file__).resolve().parents[3] / "deploy" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def test_the_service_runs_manage_py_backup_with_arguments_it_accepts() -> None:
    service = _unit("saqshy-backup.service")
    assert service["Service"]["Type"] == "oneshot"
    argv = shlex.split(service["Service"]["ExecStart"])
    at = argv.index("manage.py")
    name, arguments = argv[at + 1], argv[at + 2 :]
    command = load_command_class(get_commands()[name], name)
    command.create_parser("manage.py", name).parse_args(arguments)  # exits on a bad option
    assert "EnvironmentFile" in service["Service"]


def test_the_timer_fires_nightly_and_catches_up_a_missed_run() -> None:
    timer = _unit("saqshy-backup.timer")
    calendar = timer["Timer"]["OnCalendar"]
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    tool = shutil.which("systemd-analyze")
    if tool is not None:  # the calendar expression is one systemd understands
        subprocess.run([tool, "calendar", calendar], check=True, capture_output=True)
