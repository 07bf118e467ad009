"""Coordinators: the registry of labs moving from the 地方版IoT推進ラボ and the reminders sent to them.

``csv_import`` reads the registry CSV, ``planner`` decides which reminders are due and what they
say, ``runner`` records and sends them exactly once, ``delivery`` holds the channels (terminal,
Slack, Telegram), ``scheduler`` runs the nudge daily inside ``dxlab serve`` and ``service`` is the
facade used by the command line and the chat commands. See docs/coordinators.md.
"""
