"""A dedicated answer left empty but read from another answer: the Word body says where (not a bare
【未記入】 beside a ○ in the self-check), and importing that Word file back keeps the answer empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from docx import Document

from bot.cli import main

CASE = Path(__file__).parents[1] / "criteria" / "corpus" / "01_kaihama_tourism.yaml"


def test_note_in_the_body_and_empty_after_a_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = yaml.safe_load(CASE.read_text(encoding="utf-8"))["application"]
    assert app["transformation"] == "" and app["customer_social_needs"] == ""
    src = tmp_path / "app.json"
    src.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    plan = tmp_path / "plan.docx"
    assert main(["render", str(src), "-o", str(plan)]) == 0
    body = "\n".join(p.text for p in Document(str(plan)).paragraphs)
    assert "「ビジョン」の記述から読み取れます" in body
    db = tmp_path / "t.db"
    assert main(["import", str(plan), "--lab", "往復", "--db", str(db)]) == 0
    out = tmp_path / "back.json"
    assert main(["export", "--lab", "往復", "--db", str(db), "-o", str(out)]) == 0
    back = json.loads(out.read_text(encoding="utf-8"))
    assert back["transformation"] == "" and back["customer_social_needs"] == ""
    capsys.readouterr()
