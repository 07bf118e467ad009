"""SIGKILL ``dxlab chat``, ``dxlab serve slack`` and ``dxlab serve telegram`` at random points.

Each program runs as a real subprocess on one SQLite file while several people type a whole
application (``FULL_APPLICATION``) on their own labs. At random rounds the program is killed while
answers are in flight (a random delay after sending, so before, during or after the commit). After
every kill: ``PRAGMA integrity_check`` is ok, each person's stored state is exactly the state before
or after their in-flight answer (``tests.reliability.model``), an acknowledged answer is never
missing, and the restarted program resumes on the question the oracle expects. Slack's retries
(``X-Slack-Retry-Num``) and Telegram's redelivery of unconfirmed updates are applied once; a Slack
event acknowledged with a 200 but not applied is applied by the restart (its inbox), never lost. At the
end the applied events are replayed in a fresh database: identical history, nothing applied twice.

Acknowledgement = what the person saw: the terminal's output for the answer, the Slack message
posted to the fake Web API, the Telegram message received by the fake Bot API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bot.roles import os_account
from dialogs.events import Event, Start, Text
from dialogs.replies import ExportRequest, Reply
from renderers.slack.blocks import render_messages
from renderers.telegram.html import render_html, split_html
from renderers.telegram.keyboards import keyboard_for
from renderers.text import render_reply
from tests.answers import FULL_APPLICATION
from tests.reliability.model import (
    Person,
    Tally,
    assert_applied_once,
    kill_rounds,
    read_snapshot,
    report,
)
from tests.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.slack.fake_slack import FakeSlack
from tests.telegram.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "reliability-signing-secret"
NAMES = ("山田", "佐藤", "鈴木", "高橋", "田中")


def typed_in_a_chat(lines: Sequence[str]) -> list[str]:
    """Slack and Telegram cannot send an empty message: there, a person types スキップ instead."""
    return [line or "スキップ" for line in lines]


def sizes(soak: bool) -> tuple[int, int, int]:
    """(people, lines per person, kills): ≥200 turns per program in soak mode, ~36 by default."""
    return (4, len(FULL_APPLICATION), 24) if soak else (2, 18, 4)


def kill_delay(rng: random.Random) -> float:
    """How long after sending to kill: mostly within a turn's few milliseconds, sometimes later."""
    return rng.random() ** 2 * 0.03


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "DXLAB_"))}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **extra}


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def check_after_kill(db: Path, people: Sequence[Person], tally: Tally) -> dict[str, bool | None]:
    """Integrity and every person's state after a kill; which in-flight events were applied."""
    snap = read_snapshot(db, people)
    assert snap.integrity == "ok", snap.integrity
    tally.integrity_checks += 1
    tally.kills += 1
    return {p.key: p.settle(snap.states[p.key], tally) for p in people}


# --- dxlab chat ------------------------------------------------------------------------------------


def terminal_text(replies: Sequence[Reply]) -> str:
    """What ``dxlab chat`` prints for ``replies`` with a non-TTY stdin (``ConsoleAdapter.show``)."""
    texts = (render_reply(r) for r in replies if not isinstance(r, ExportRequest))
    return "".join(t + "\n" for t in texts if t)


class ChatProcess:
    """``python -m bot chat`` for one person; stdout collected on a thread."""

    def __init__(self, db: Path, person: Person) -> None:
        self.person = person
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "chat",
                "--db",
                str(db),
                "--lab",
                person.lab,
                "--user",
                person.name,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            cwd=db.parent,
        )
        self.out = b""
        self.lock = threading.Lock()
        self.expected = ""  # what the oracle says must have been printed so far
        assert self.proc.stdout is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        while chunk := stream.read1(65536):
            with self.lock:
                self.out += chunk

    def text(self) -> str:
        with self.lock:
            return self.out.decode("utf-8", errors="replace")

    def begin(self, event: Event) -> None:
        op = self.person.begin(event)
        self.base = len(self.expected.encode())
        self.expected += terminal_text(op.replies)
        if isinstance(event, Text):
            assert self.proc.stdin is not None
            self.proc.stdin.write(event.text.encode() + b"\n")
            self.proc.stdin.flush()

    def seen_any(self) -> bool:
        with self.lock:
            return len(self.out) > self.base

    def wait_ack(self, tally: Tally, timeout: float = 30.0) -> None:
        want = self.expected.encode()
        wait_until(lambda: len(self.out) >= len(want) or self.proc.poll() is not None, timeout, "chat output")
        assert self.text() == self.expected, f"{self.person.key}: the terminal printed something else"
        assert self.person.pending is not None
        self.person.pending.acked = True
        self.person.confirm(tally)

    def finish(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, self.proc.stderr.read() if self.proc.stderr else ""


def test_chat_survives_sigkill(
    tmp_path: Path, soak: bool, seed: int, rng: random.Random, tmp_path_factory: Any, capsys: Any
) -> None:
    count, length, kills = sizes(soak)
    db = tmp_path / "chat.db"
    people = [
        # the terminal identity is the OS account (one for every process), each on its own lab
        Person(key=f"c{i}", name=NAMES[i], lab=f"ラボ{i}", channel="console", external_id=os_account(),
               lines=FULL_APPLICATION[:length])
        for i in range(count)
    ]  # fmt: skip
    tally = Tally("chat", seed=seed, people=count)
    kill_at = kill_rounds(rng, length, kills)
    procs: dict[str, ChatProcess] = {}

    def launch() -> None:
        for p in people:
            if p.pos < len(p.lines):
                procs[p.key] = proc = ChatProcess(db, p)
                proc.begin(Start())  # the program starts (or resumes) the dialog by itself
                proc.wait_ack(tally)  # on the question the oracle expects: it resumes where it was

    launch()
    for round_no in itertools.count():
        live = [procs[p.key] for p in people if p.pos < len(p.lines)]
        if not live:
            break
        for proc in live:
            proc.begin(Text(proc.person.next_line()))
        if round_no not in kill_at:
            for proc in live:
                proc.wait_ack(tally)
            continue
        time.sleep(kill_delay(rng))
        for proc in procs.values():
            proc.proc.kill()
        for proc in procs.values():
            proc.proc.wait(timeout=10)
            if proc.person.pending is not None:
                proc.person.pending.acked = proc.seen_any()
        for key, applied in check_after_kill(db, people, tally).items():
            person = next(p for p in people if p.key == key)
            if applied:
                person.confirm(tally)
            elif applied is False:
                tally.dropped_unacked += 1
                person.abandon()  # never acknowledged: the person types it again
        procs.clear()
        launch()
    for proc in procs.values():
        proc.finish()
    assert_applied_once(db, people, tmp_path)
    assert tally.turns == count * length and tally.answers_lost == 0
    report(tally, tmp_path_factory, capsys)


# --- dxlab serve slack -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def slack_headers(body: str, content_type: str, secret: str, retry_num: int | None = None) -> dict[str, str]:
    """Slack's signed request headers (``v0=`` HMAC-SHA256 of ``v0:{ts}:{body}``), and its retry headers."""
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry_num is not None:
        headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
    return headers


def http_post(url: str, body: str, headers: dict[str, str], timeout: float = 10.0) -> int | None:
    """The HTTP status, or ``None`` when no response came (the server was killed or not up)."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None


class SlackServer:
    """``python -m bot serve slack --port P`` on ``db``, its Web API calls going to ``fake``."""

    def __init__(self, db: Path, port: int, fake: FakeSlack, *, secret: str = SIGNING_SECRET) -> None:
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.secret = secret
        env = child_env(SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_SIGNING_SECRET=secret, SLACK_API_URL=fake.url)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "slack", "--port", str(port), "--host", "127.0.0.1",
             "--db", str(db)],
            env=env, cwd=db.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._listening(port), 30, "dxlab serve slack to listen")

    def _listening(self, port: int) -> Callable[[], bool]:
        def check() -> bool:
            assert self.proc.poll() is None, "dxlab serve slack exited"
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0

        return check

    def deliver(self, wire: tuple[str, str], retry_num: int | None = None) -> int | None:
        body, content_type = wire
        return http_post(self.url, body, slack_headers(body, content_type, self.secret, retry_num))

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


class SlackPeople:
    """Slack users typing in their DM with the app: event bodies, and what the fake API saw."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.ids = itertools.count(1)
        self.base: dict[str, int] = {}

    @staticmethod
    def user(person: Person) -> str:
        return person.external_id

    @staticmethod
    def dm(person: Person) -> str:
        return "D" + person.external_id.lstrip("U")

    def wire(self, person: Person, event: Event) -> tuple[str, str]:
        user, n = person.external_id, next(self.ids)
        if isinstance(event, Start):  # /dxlab: start or resume the dialog
            form = {"team_id": "T0001", "channel_id": self.dm(person), "channel_name": "directmessage",
                    "user_id": user, "user_name": user.lower(), "command": "/dxlab", "text": "",
                    "api_app_id": "A0001", "response_url": f"{self.fake.base}/response",
                    "trigger_id": f"{n}.reliability"}  # fmt: skip
            return urlencode(form), "application/x-www-form-urlencoded"
        assert isinstance(event, Text)
        ts = f"{time.time():.6f}"
        text = event.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
                "event_id": f"EvR{n:08d}", "event_time": int(time.time()),
                "event": {"type": "message", "channel": self.dm(person), "user": user, "text": text,
                          "ts": ts, "event_ts": ts, "channel_type": "im"}}  # fmt: skip
        return json.dumps(body), "application/json"

    def posts(self, person: Person) -> list[str]:
        return [
            str(c.args.get("text"))
            for c in self.fake.of("chat.postMessage")
            if c.args.get("channel") == self.dm(person)
        ]

    def begin(self, person: Person, event: Event) -> tuple[str, str]:
        wire = self.wire(person, event)
        person.begin(event, wire)
        self.base[person.key] = len(self.posts(person))
        return wire

    def seen_any(self, person: Person) -> bool:
        return len(self.posts(person)) > self.base[person.key]

    def wait_ack(self, person: Person, tally: Tally, timeout: float = 30.0) -> None:
        """Wait for the replies of the in-flight event; they must be what the oracle rendered."""
        op = person.pending
        assert op is not None
        want = [m.text for m in render_messages(op.replies)]
        base = self.base[person.key]
        self.fake.wait_until(
            lambda: len(self.posts(person)) >= base + len(want), timeout, what=f"{person.key} replies"
        )
        assert self.posts(person)[base:] == want, f"{person.key}: Slack was sent something else"
        op.acked = True
        person.confirm(tally)


def test_slack_server_survives_sigkill(
    tmp_path: Path, soak: bool, seed: int, rng: random.Random, tmp_path_factory: Any, capsys: Any
) -> None:
    count, length, kills = sizes(soak)
    db = tmp_path / "slack.db"
    people = [
        Person(key=f"s{i}", name=NAMES[i], lab=f"slack:U{i + 1}", channel="slack", external_id=f"U{i + 1}",
               lines=typed_in_a_chat(FULL_APPLICATION[:length]))
        for i in range(count)
    ]  # fmt: skip
    tally = Tally("slack", seed=seed, people=count)
    kill_at = kill_rounds(rng, length, kills)
    fake = FakeSlack(names={f"U{i + 1}": NAMES[i] for i in range(count)}).start()
    slack = SlackPeople(fake)
    port = free_port()
    pool = ThreadPoolExecutor(max_workers=8)
    server = SlackServer(db, port, fake)
    try:

        def resume(todo: Sequence[Person]) -> None:
            """/dxlab for everyone still typing: the reply must ask the question the oracle expects."""
            for p in todo:
                assert server.deliver(slack.begin(p, Start())) == 200
            for p in todo:
                slack.wait_ack(p, tally)

        resume(people)
        for round_no in itertools.count():
            live = [p for p in people if p.pos < len(p.lines)]
            if not live:
                break
            sends = {p.key: pool.submit(server.deliver, slack.begin(p, Text(p.next_line()))) for p in live}
            if round_no not in kill_at:
                for p in live:
                    assert sends[p.key].result() == 200
                    slack.wait_ack(p, tally)
                continue
            time.sleep(kill_delay(rng))
            rejected = len(fake.rejections)
            server.kill()
            statuses = {key: future.result() for key, future in sends.items()}
            for p in live:
                assert p.pending is not None
                p.pending.acked = slack.seen_any(p)
            applied = check_after_kill(db, people, tally)
            server = SlackServer(db, port, fake)
            # a Web API call cut by the kill reaches the fake without its body: not the app's doing
            del fake.rejections[rejected:]
            retry: list[Person] = []
            for p in live:
                if statuses[p.key] == 200 and not applied[p.key]:
                    tally.redelivered += 1  # acknowledged, not applied: kept, the restart replays it
                if statuses[p.key] != 200:  # Slack saw no acknowledgement: it retries the event
                    assert p.pending is not None
                    assert server.deliver(p.pending.wire, retry_num=1) == 200
                    tally.redelivered += 1
                if applied[p.key]:
                    tally.redelivered_ignored += statuses[p.key] != 200
                    p.confirm(tally)
                else:
                    retry.append(p)
            for p in retry:
                slack.wait_ack(p, tally)  # the retry is applied, once
            resume([p for p in people if p.pos < len(p.lines)])
        server.stop()
        assert_applied_once(db, people, tmp_path)
        assert not fake.rejections, fake.rejections
    finally:
        if server.proc.poll() is None:
            server.kill()
        pool.shutdown(wait=False)
        fake.stop()
    assert tally.turns == count * length and tally.answers_lost == 0
    report(tally, tmp_path_factory, capsys)


# --- dxlab serve telegram --------------------------------------------------------------------------


def telegram_texts(replies: Sequence[Reply]) -> list[str]:
    """The messages ``bot.telegram.sender`` sends in a private chat for ``replies``."""
    sent: list[str] = []
    texts: list[str] = []

    def flush() -> None:
        if texts:
            sent.extend(split_html("\n\n".join(texts)))
            texts.clear()

    for reply in replies:
        if isinstance(reply, ExportRequest):
            flush()
            continue
        if text := render_html(reply):
            texts.append(text)
        if keyboard_for(reply) is not None:
            flush()
    flush()
    return sent


class TelegramPeople:
    """Telegram users in private chats with the bot: their updates, and what the fake API received."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.base: dict[str, int] = {}

    def posts(self, person: Person) -> list[str]:
        return self.api.texts(int(person.external_id))

    async def begin(self, person: Person, event: Event) -> dict[str, Any]:
        text = "/start" if isinstance(event, Start) else event.text if isinstance(event, Text) else ""
        user = FakeBotApi.user(int(person.external_id), first=person.name, last="")
        update = self.api.message_update(text, user=user)
        person.begin(event, update)
        self.base[person.key] = len(self.posts(person))
        await self.api.push(update)
        return update

    def seen_any(self, person: Person) -> bool:
        return len(self.posts(person)) > self.base[person.key]

    async def wait_ack(self, person: Person, tally: Tally, timeout: float = 30.0) -> None:
        op = person.pending
        assert op is not None
        want = telegram_texts(op.replies)
        base = self.base[person.key]
        await self.api.wait_for(lambda: len(self.posts(person)) >= base + len(want), timeout)
        assert self.posts(person)[base:] == want, f"{person.key}: Telegram was sent something else"
        op.acked = True
        person.confirm(tally)


def update_id(person: Person) -> int:
    assert person.pending is not None
    return int(person.pending.wire["update_id"])


async def telegram_process(db: Path, api: FakeBotApi) -> asyncio.subprocess.Process:
    env = child_env(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url, DXLAB_DB=str(db))
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "telegram", cwd=db.parent, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


def test_telegram_bot_survives_sigkill(
    tmp_path: Path, soak: bool, seed: int, rng: random.Random, tmp_path_factory: Any, capsys: Any
) -> None:
    count, length, kills = sizes(soak)
    db = tmp_path / "telegram.db"
    people = [
        Person(key=f"t{i}", name=NAMES[i], lab=f"tg{i}", channel="telegram", external_id=str(5001 + i),
               lines=typed_in_a_chat(FULL_APPLICATION[:length]))
        for i in range(count)
    ]  # fmt: skip
    tally = Tally("telegram", seed=seed, people=count)
    kill_at = kill_rounds(rng, length, kills)

    async def scenario() -> None:
        async with FakeBotApi() as api:
            tg = TelegramPeople(api)
            process = await telegram_process(db, api)

            async def resume(todo: Sequence[Person]) -> None:
                """/start for everyone still typing: the reply asks the question the oracle expects."""
                for p in todo:
                    await tg.begin(p, Start())
                for p in todo:
                    await tg.wait_ack(p, tally)

            try:
                await resume(people)
                for round_no in itertools.count():
                    live = [p for p in people if p.pos < len(p.lines)]
                    if not live:
                        break
                    for p in live:
                        await tg.begin(p, Text(p.next_line()))
                    if round_no not in kill_at:
                        for p in live:
                            await tg.wait_ack(p, tally)
                        continue
                    await asyncio.sleep(kill_delay(rng))
                    process.kill()
                    await process.wait()
                    for p in live:
                        assert p.pending is not None
                        p.pending.acked = tg.seen_any(p)
                    applied = check_after_kill(db, people, tally)
                    confirmed = {
                        p.key: api.confirmed_offset > p.pending.wire["update_id"] for p in live if p.pending
                    }
                    process = await telegram_process(db, api)
                    retry: list[Person] = []
                    for p in live:
                        if not confirmed[p.key] or not applied[p.key]:
                            # unconfirmed: the fake hands it out again; confirmed: the inbox kept it
                            # and the restart replays it. Either way it must apply, once
                            tally.redelivered += 1
                        if applied[p.key]:
                            tally.redelivered_ignored += not confirmed[p.key]
                            p.confirm(tally)
                        else:
                            retry.append(p)
                    for p in retry:
                        await tg.wait_ack(p, tally)
                    await resume([p for p in people if p.pos < len(p.lines)])
                await api.drained()
                assert not api.rejected or all("not modified" in r for _, r in api.rejected), api.rejected
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGINT)
                    try:
                        await asyncio.wait_for(process.wait(), 20)
                    except TimeoutError:
                        process.kill()
                        await process.wait()

    asyncio.run(scenario())
    assert_applied_once(db, people, tmp_path)
    assert tally.turns == count * length and tally.answers_lost == 0
    assert tally.dropped_unacked == 0, "every update handed to the bot is applied after the restart"
    report(tally, tmp_path_factory, capsys)
