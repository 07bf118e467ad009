"""``dxlab serve slack`` ends cleanly on SIGTERM: exit status 0, its clean-up runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.slack.fake_slack import TOKEN, FakeSlack


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    fake = FakeSlack().start()
    try:
        port = _free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": "s3cret",
            "SLACK_API_URL": fake.url,
            "DXLAB_NUDGE": "off",
        }
        env.pop("SLACK_APP_TOKEN", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "slack", "--port", str(port), "--host", "127.0.0.1",
             "--db", str(tmp_path / "dx.db")],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "終了しました" in err and "Traceback" not in err
    finally:
        fake.stop()
