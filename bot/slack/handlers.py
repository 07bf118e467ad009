"""Slack requests → engine events → Slack messages, files and views.

Every listener acknowledges first (``app.py``) and does its work here, in a lazy listener, so the
3-second acknowledgement holds whatever the engine, the database or the export take. Each turn
carries an idempotency key (``event_id`` for events, the action or view id for interactions), so
Slack's retries and duplicate deliveries are applied once, in the same transaction as the answer.
Commands come from the one command layer (``bot.core``): the router checks the role and runs
them; a drafting command is a turn, which the router runs exactly once after the roles policy let
the person edit the session's lab. Modals, App Home and exports ask the policy too
(``Identity.refusal``): only staff of the session's lab and admins work on its draft. A command's
buttons (``dx_act_<n>``) carry the action id and its value.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.commands import Caller, ChoicesOut, FileOut, Output, TextOut, TurnRequest
from bot.core.router import Router
from bot.errors import UserError
from bot.exporter import export_to_dir
from bot.roles import Action
from bot.service import DialogService, Session, to_engine_draft
from bot.slack import forms
from bot.slack.identity import Identity, is_own_lab
from bot.slack.inbox import CHANNEL, action_key, command_key, event_id, message_key, view_key
from bot.slack.settings import SlackSettings
from dialogs.events import Act, Command, Event, Pick, Start, SubmitRecord, Text
from dialogs.replies import ExportRequest, Notice, Scorecard
from dialogs.state import Cursor, DialogState
from dialogs.words import COMMAND_NAMES, CommandName
from renderers.messages import message
from renderers.slack.blocks import SlackMessage, render_messages, text_message
from renderers.slack.elements import (
    ACT,
    COMMAND,
    EDIT_PICK,
    FORM,
    FORM_EDIT,
    MULTI_SELECT,
    MULTI_SUBMIT,
    PICK,
    actions,
    button,
    decode,
    encode,
)
from renderers.slack.limits import mrkdwn_escape
from renderers.slack.views import HomeModel, home_notice, home_view, record_modal
from storage.base import LinkLocked

log = logging.getLogger(__name__)

PREFIX = "/dxlab "
#: /dxlab subcommands this channel handles itself (the others are the router's commands).
OWN_SUBCOMMANDS: frozenset[str] = frozenset({"", "bind", "link"})
ACTION = "dx_act"  # dx_act_<n>: a command's button, its value encode(a=action, v=value)
POSITION_COMMANDS: frozenset[str] = frozenset({"back", "skip"})


def subcommands(router: Router) -> frozenset[str]:
    """Every ``/dxlab`` subcommand: the router's commands and this channel's own."""
    return router.commands.names() | OWN_SUBCOMMANDS


def turn_subcommands(router: Router) -> frozenset[str]:
    """The subcommands that run a dialog turn (``/dxlab`` alone starts the dialog)."""
    return router.commands.turn_names() | {""}


def slack_unescape(text: str) -> str:
    """Slack sends typed ``<``, ``>`` and ``&`` escaped; store what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class SlackAdapter:
    """Carries out one Slack request's work against the dialog service."""

    def __init__(
        self, *, service: DialogService, identity: Identity, settings: SlackSettings, router: Router
    ) -> None:
        self.service = service
        self.identity = identity
        self.settings = settings
        self.router = router
        self.subcommands = subcommands(router)
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self._dm: dict[str, str] = {}

    # --- plumbing ----------------------------------------------------------------------------

    def _lock(self, person_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(person_id, threading.Lock())

    def dm_channel(self, client: WebClient, user_id: str) -> str:
        channel = self._dm.get(user_id)
        if channel is None:
            channel = str(client.conversations_open(users=user_id)["channel"]["id"])
            self._dm[user_id] = channel
        return channel

    def post(self, client: WebClient, channel: str, messages: list[SlackMessage]) -> None:
        for m in messages:
            client.chat_postMessage(channel=channel, text=m.text, blocks=list(m.blocks))

    def say(self, client: WebClient, channel: str, key: str, **params: Any) -> None:
        self.post(client, channel, [text_message(message(f"slack.{key}", escape=mrkdwn_escape, **params))])

    def turn(
        self,
        client: WebClient,
        session: Session,
        event: Event,
        *,
        channel: str,
        key: str,
        replay: bool = False,
        pressed: Mapping[str, Any] | None = None,
    ) -> bool:
        """One engine turn; replies posted to ``channel``; nothing when ``key`` was already done.
        ``True`` when the turn was applied now.

        A refused turn records nothing and leaves the inbox (it will never apply); replayed from
        the inbox (``replay``) it is skipped quietly. ``pressed`` is the block action whose button
        ran the turn: its message then shows what was chosen instead of live buttons.
        """
        with self._lock(session.person.id):
            outcome = self.router.turn(session, event, event_id=event_id(key))
        if outcome.refusal is not None:
            if not replay:
                self.say(client, channel, "session_denied", reason=outcome.refusal)
            return False
        replies = outcome.replies
        if replies is None:
            return False
        if pressed is not None:
            self.mark_answered(client, pressed, self.chosen_label(pressed))
        self.post(client, channel, render_messages(replies))
        for reply in replies:
            if isinstance(reply, ExportRequest):
                self.export(client, session, channel, reply.format)
        return True

    def chosen_label(self, body: Mapping[str, Any]) -> str:
        """What the person chose: the pressed button's text, the select's option, the ticked boxes."""
        action = (body.get("actions") or [{}])[0]
        for source in (action.get("text"), (action.get("selected_option") or {}).get("text")):
            if isinstance(source, Mapping) and source.get("text"):
                return str(source["text"])
        data = decode(action.get("value"))
        step_id = str(data.get("s") or "")
        flow = self.service.engine.flow
        if str(action.get("action_id") or "") == MULTI_SUBMIT and flow.has_step(step_id):
            picked = set(_checked(body.get("state") or {}, step_id))
            return "、".join(c.label for c in flow.step(step_id).choices if c.value in picked)
        if flow.has_step(step_id):
            value = str(data.get("v") or "")
            return next((c.label for c in flow.step(step_id).choices if c.value == value), value)
        return ""

    def permitted(
        self,
        client: WebClient,
        session: Session,
        channel: str,
        action: Action = Action.EDIT_DRAFT,
        *,
        quiet: bool = False,
    ) -> bool:
        """Whether the person may ``action`` the session's lab; if not, says why in ``channel``."""
        refusal = self.identity.refusal(session, action)
        if refusal is not None and not quiet:
            self.say(client, channel, "session_denied", reason=refusal)
        return refusal is None

    def export(self, client: WebClient, session: Session, channel: str, fmt: str) -> None:
        """Write the draft and upload it to ``channel`` with ``files_upload_v2``."""
        if not self.permitted(client, session, channel, Action.EXPORT_DRAFT):
            return
        app = self.service.application(session.lab)
        with tempfile.TemporaryDirectory(prefix="dxlab-slack-") as folder:
            try:
                try:
                    path = export_to_dir(
                        app, session.lab.name, "docx" if fmt == "docx" else "json", Path(folder)
                    )
                except ImportError:
                    log.warning("the docx writer is not available: exporting JSON")
                    self.say(client, channel, "export_json_fallback")
                    path = export_to_dir(app, session.lab.name, "json", Path(folder))
            except UserError as exc:
                self.post(
                    client, channel, [text_message(message("dialog.export_failed", reason=exc.message))]
                )
                return
            try:
                client.files_upload_v2(
                    channel=channel,
                    file=str(path),
                    filename=path.name,
                    title=path.stem,
                    initial_comment=message("slack.export_comment", lab=app.lab_name or session.lab.name),
                )
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.warning("export upload failed: %s", exc)
                self.say(client, channel, "export_upload_failed", reason=type(exc).__name__)

    # --- events --------------------------------------------------------------------------------

    def on_message(self, body: Mapping[str, Any], client: WebClient, *, replay: bool = False) -> None:
        """A message typed in the DM with the app: an answer or a command word."""
        key = message_key(body)
        if key is None:
            return  # not typed by a person in the DM (edits, bots, channels)
        event = body["event"]
        user = str(event["user"])
        session = self.identity.session(user)
        channel = str(event["channel"])
        self._dm[user] = channel
        text = Text(slack_unescape(str(event.get("text") or "")))
        self.turn(client, session, text, channel=channel, key=key, replay=replay)

    def on_home_opened(self, body: Mapping[str, Any], client: WebClient) -> None:
        event = body.get("event") or {}
        if event.get("tab") != "home":
            return
        self.publish_home(client, str(event["user"]))

    def publish_home(self, client: WebClient, user: str) -> None:
        session = self.identity.session(user)
        refusal = self.identity.refusal(session)  # a session's view is for those who edit it
        if refusal is not None:
            client.views_publish(user_id=user, view=home_notice(session.lab.name, refusal))
            return
        store = self.service.store
        state = DialogState(
            draft=to_engine_draft(store.draft(session.lab.id)),
            cursor=Cursor.from_json(store.cursor(session.lab.id, session.person.id)),
            person=session.person.name,
        )
        _, replies = self.service.engine.handle(state, Command("status"))  # pure: nothing is written
        card = next(r for r in replies if isinstance(r, Scorecard))
        client.views_publish(user_id=user, view=home_view(HomeModel(self.lab_title(session), card)))

    def lab_title(self, session: Session) -> str:
        """The lab as people know it: the name written in the draft, else the lab's own name (a
        user's own lab, ``slack:U…``, is never shown as such)."""
        written = self.service.application(session.lab).lab_name
        if written:
            return written
        if is_own_lab(session.lab.name):
            return message("slack.home_lab_unnamed")
        return session.lab.name

    # --- the slash command ---------------------------------------------------------------------

    def on_command(self, body: Mapping[str, Any], client: WebClient, *, replay: bool = False) -> None:
        """``/dxlab [start|status|review|export|help|bind|link] …``; answers go to the DM."""
        user = str(body["user_id"])
        name, _, argument = str(body.get("text") or "").strip().partition(" ")
        name, argument = name.lower(), slack_unescape(argument.strip())
        where = str(body.get("channel_id") or "")
        channel = self.dm_channel(client, user)
        key = command_key(body)
        if name not in self.subcommands:
            return  # the acknowledgement already said so
        if name == "bind":
            result = self.identity.bind(user, argument, channel_id=where)
            self.say(client, channel, result.key, **result.params)
            return
        if name == "link":
            self.link(client, user, channel, argument)
            return
        invocation = self.router.invocation(name or "start", argument)
        if invocation is None:
            return
        if not invocation.command.turn:  # coordinators' and secretariat's tools: the router checks roles
            caller = self.caller(user, where)
            self.deliver(client, channel, self.router.run(caller, invocation))
            return
        resolved = self.identity.resolve(user, channel_id=where)
        if resolved.joined is not None:
            self.say(client, channel, "joined_channel_lab", lab=resolved.joined.name)
        if invocation.name == "help":
            self.say(client, channel, "command_help")
        caller = Caller(resolved.session.person, CHANNEL, PREFIX)
        for out in invocation.command.handler(caller, argument):
            if isinstance(out, TurnRequest):
                self.turn(client, resolved.session, out.event, channel=channel, key=key, replay=replay)

    def deliver(self, client: WebClient, channel: str, outputs: Sequence[Output]) -> None:
        """A command's outputs: escaped text, a file, text with buttons (never a turn: see ``turn``)."""
        for out in outputs:
            if isinstance(out, FileOut):
                try:
                    client.files_upload_v2(
                        channel=channel,
                        content=out.content,
                        filename=out.filename,
                        initial_comment=out.comment,
                    )
                except (SlackApiError, SlackClientError) as exc:
                    self.say(client, channel, "export_upload_failed", reason=type(exc).__name__)
            elif isinstance(out, ChoicesOut):
                text = mrkdwn_escape(out.text)
                buttons = [
                    button(c.label, f"{ACTION}_{i}", encode(a=c.action, v=c.value))
                    for i, c in enumerate(out.choices)
                ]
                base = text_message(text)
                self.post(client, channel, [SlackMessage(base.text, (*base.blocks, *actions(buttons)))])
            elif isinstance(out, TextOut):
                self.post(client, channel, [text_message(mrkdwn_escape(out.text))])

    def on_command_action(self, body: Mapping[str, Any], client: WebClient, channel: str) -> None:
        """A command's button: the command run with the button's value; the pressed message then
        shows the chosen answer instead of live buttons (``chat.update``)."""
        action = (body.get("actions") or [{}])[0]
        data = decode(action.get("value"))
        invocation = self.router.invocation(str(data.get("a") or ""), str(data.get("v") or ""))
        if invocation is None or invocation.command.turn:
            return
        self.mark_answered(client, body, self.chosen_label(body))
        caller = self.caller(str(body["user"]["id"]))
        self.deliver(client, channel, self.router.run(caller, invocation))

    def caller(self, user: str, where: str | None = None) -> Caller:
        """The caller of a command that answers (no turn): every answer goes to the user's DM, so
        it is private; their lab is the one their next turn would work on."""
        return Caller(
            self.identity.person(user),
            CHANNEL,
            PREFIX,
            external_id=user,
            lab_of=lambda: self.identity.resolve(user, channel_id=where).session.lab,
        )

    def mark_answered(self, client: WebClient, body: Mapping[str, Any], chosen: str) -> None:
        """Replace the pressed message's buttons by what was chosen, so it no longer looks live."""
        container = body.get("container") or {}
        channel, ts = container.get("channel_id"), container.get("message_ts")
        original = body.get("message") or {}
        if not channel or not ts:
            return
        kept = [b for b in original.get("blocks") or [] if b.get("type") != "actions"]
        key = "slack.chosen" if chosen else "slack.answered_button"
        note = text_message(message(key, label=chosen, escape=mrkdwn_escape))
        try:
            client.chat_update(
                channel=str(channel),
                ts=str(ts),
                text=str(original.get("text") or note.text),
                blocks=[*kept, *note.blocks],
            )
        except (SlackApiError, SlackClientError) as exc:
            log.info("could not mark message %s answered: %s", ts, exc)

    def link(self, client: WebClient, user: str, channel: str, code: str) -> None:
        if not code:
            ttl = self.settings.link_ttl_seconds
            issued = self.identity.create_link_code(user, ttl_seconds=ttl)
            self.say(client, channel, "link_code", code=issued, minutes=ttl // 60)
            return
        try:
            linked = self.identity.redeem(user, code)
        except LinkLocked:  # too many wrong codes from this user (storage.base.LINK_MAX_FAILURES)
            self.say(client, channel, "link_locked")
            return
        if linked is None:
            self.say(client, channel, "link_invalid")
            return
        person, lab = linked
        if lab is None:
            self.say(client, channel, "linked_no_lab", name=person.name)
            return
        self.say(client, channel, "linked", name=person.name, lab=lab.name)
        self.turn(client, self.identity.session(user), Start(), channel=channel, key=f"linked:{code}")

    # --- buttons and selects -------------------------------------------------------------------

    def on_action(self, body: Mapping[str, Any], client: WebClient, *, replay: bool = False) -> None:
        action = (body.get("actions") or [{}])[0]
        action_id = str(action.get("action_id") or "")
        if action_id == MULTI_SELECT:
            return  # ticking a checkbox; the 決定 button sends the choice
        user = str(body["user"]["id"])
        container = body.get("container") or {}
        from_dm = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        channel = from_dm if from_dm.startswith("D") else self.dm_channel(client, user)
        session = self.identity.session(user)
        chosen = (action.get("selected_option") or {}).get("value")
        data = decode(action.get("value") or chosen)
        step_id = str(data.get("s") or "")
        if action_id.startswith(ACTION + "_"):
            self.on_command_action(body, client, channel)
            return
        if action_id.startswith(ACTION + "_"):
            self.on_command_action(body, client, channel)
            return
        if action_id in (FORM, FORM_EDIT):
            index = data.get("i")
            self.open_form(
                client,
                session,
                str(body["trigger_id"]),
                step_id,
                index if isinstance(index, int) else None,
                channel,
            )
            return
        event: Event
        if action_id.startswith(PICK):
            event = Pick(step_id, str(data.get("v", "")))
        elif action_id == MULTI_SUBMIT:
            event = Pick(step_id, ",".join(_checked(body.get("state") or {}, step_id)))
        elif action_id.startswith(COMMAND + "_"):
            name = action_id.removeprefix(COMMAND + "_")
            expect = step_id if name in POSITION_COMMANDS and step_id else None
            event = Start() if name == "start" else Command(_command(name), step_id=expect)
        elif action_id.startswith(ACT + "_"):
            event = Act(step_id, str(data.get("a") or ""), str(data.get("v") or ""))
        elif action_id.startswith(EDIT_PICK):
            event = Command("edit", str(chosen or ""))
        else:
            return
        self.turn(client, session, event, channel=channel, key=action_key(body), replay=replay, pressed=body)

    def open_form(
        self,
        client: WebClient,
        session: Session,
        trigger_id: str,
        step_id: str,
        index: int | None,
        channel: str,
    ) -> None:
        flow = self.service.engine.flow
        if not flow.has_step(step_id) or flow.step(step_id).record is None:
            self.post(client, channel, render_messages([Notice("stale_button")]))
            return
        if not self.permitted(client, session, channel):
            return
        step = flow.step(step_id)
        record: Mapping[str, Any] | None = None
        if index is not None:
            records = self.service.store.draft(session.lab.id).answers.get(step.field) or []
            if not 0 <= index < len(records) or not isinstance(records[index], Mapping):
                self.post(client, channel, render_messages([Notice("stale_button")]))
                return
            record = records[index]
        metadata = encode(s=step_id, i=index, c=channel)
        view = record_modal(
            step, metadata=metadata, record=record, number=None if index is None else index + 1
        )
        client.views_open(trigger_id=trigger_id, view=view)

    # --- the record modal ----------------------------------------------------------------------

    def check_submission(self, body: Mapping[str, Any]) -> dict[str, str]:
        """Errors by block id for ``response_action: errors`` (run while acknowledging)."""
        view = body.get("view") or {}
        meta = decode(view.get("private_metadata"))
        flow = self.service.engine.flow
        step_id = str(meta.get("s") or "")
        if not flow.has_step(step_id) or flow.step(step_id).record is None:
            blocks = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
            return {str(blocks[0]): message("slack.modal_stale")} if blocks else {}
        step = flow.step(step_id)
        values = forms.complete(step, forms.read_values((view.get("state") or {}).get("values") or {}))
        return forms.validate(step, values)

    def on_submission(self, body: Mapping[str, Any], client: WebClient, *, replay: bool = False) -> None:
        if self.check_submission(body):
            return
        view = body["view"]
        meta = decode(view.get("private_metadata"))
        step = self.service.engine.flow.step(str(meta["s"]))
        values = forms.complete(step, forms.read_values(view["state"]["values"]))
        user = str(body["user"]["id"])
        channel = str(meta.get("c") or "") or self.dm_channel(client, user)
        index = meta.get("i")
        event = SubmitRecord(step.id, values, index if isinstance(index, int) else None)
        session = self.identity.session(user)
        self.turn(client, session, event, channel=channel, key=view_key(body), replay=replay)


def _command(name: str) -> CommandName:
    for known in COMMAND_NAMES:
        if known == name:
            return known
    return "help"


def _checked(state: Mapping[str, Any], step_id: str) -> list[str]:
    values = state.get("values") or {}
    block = values.get(f"{MULTI_SELECT}:{step_id}"[:255]) or {}
    element = block.get(MULTI_SELECT) or {}
    return [str(o.get("value")) for o in element.get("selected_options") or []]
