"""The shipped flow is valid, and a broken flow file is rejected with its file and key named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from criteria.application import Application
from dialogs.flow import FLOW_PATH, FlowError, default_flow, load_flow, parse_flow


def _raw() -> Any:
    return yaml.safe_load(FLOW_PATH.read_text(encoding="utf-8"))


def test_the_shipped_flow_covers_every_section_of_the_application() -> None:
    flow = default_flow()
    assert [s.title for s in flow.sections] == ["基本情報", "ビジョン", "実施計画", "実施体制", "管理体制"]
    fields = {step.field.split(".")[0] for step in flow.steps}
    assert fields == set(Application.model_fields) - {"format"}
    for step in flow.steps:
        assert step.prompt.endswith(("。", "？", "）", "す。")), step.id
        assert step.example or step.kind == "records", step.id


def test_an_initiatives_type_defaults_from_the_plans_choice() -> None:
    (type_field,) = [f for f in default_flow().step("initiatives").record.fields if f.name == "type"]  # type: ignore[union-attr]
    assert type_field.default_from == "initiative_types"


def test_conditions_are_declared() -> None:
    flow = default_flow()
    assert flow.step("self_reliance_scenario").when is not None
    assert [s.id for s in flow.dependants("initiative_types")] == ["initiatives", "self_reliance_scenario"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["sections"][0]["steps"][0].update(kind="essay"), "sections.0.steps.0.kind"),
        (lambda d: d["sections"][0]["steps"][0].update(field="nonsense"), "'nonsense' is not a field"),
        (lambda d: d["sections"][0]["steps"][1].update(id="lab_name"), "duplicate step id"),
        (lambda d: d["sections"][2]["steps"][0].update(choices_from="colours"), "unknown choice list"),
        (lambda d: d["sections"][0]["steps"][0].update(when={"field": "ghost", "equals": 1}), "'ghost'"),
        (lambda d: d["sections"][0]["steps"][0].update(surprise=1), "surprise"),
        (lambda d: d["sections"][0]["steps"][0].pop("prompt"), "prompt"),
        (
            lambda d: d["sections"][2]["steps"][1]["record"]["fields"][2].update(default_from="ghost"),
            "defaults from 'ghost'",
        ),
    ],
)
def test_a_broken_flow_names_the_key(mutate: Any, expected: str) -> None:
    data = copy.deepcopy(_raw())
    mutate(data)
    with pytest.raises(FlowError) as err:
        parse_flow(data, source="flow.yaml")
    assert "flow.yaml" in str(err.value)
    assert expected in str(err.value)


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("sections: [\n", encoding="utf-8")
    with pytest.raises(FlowError, match=r"broken\.yaml"):
        load_flow(bad)
