"""The rule files: valid at load, traced to the seed, every code reachable, errors that say where."""

from __future__ import annotations

from pathlib import Path
from string import Template

import pytest

from criteria import checks
from criteria.data import DataError, load
from criteria.findings import CATALOGUE, FindingsFile, finding
from criteria.report import VIEWPOINT_SLUGS
from criteria.seed import SEED, is_quoted
from criteria.transition import GAP
from criteria.viewpoints import VIEWPOINTS
from criteria.vocab import VOCAB, VocabFile


def test_seed_passages_are_not_empty() -> None:
    assert len(SEED.passages) >= 40
    assert all(text.strip() for text in SEED.passages.values())


def test_every_quote_is_verbatim_from_the_seed() -> None:
    quotes = [q for spec in CATALOGUE.values() for q in spec.seed]
    for viewpoint in VIEWPOINTS.values():
        quotes += [*viewpoint.text, *viewpoint.sources, *viewpoint.iot.text]
    for item in GAP:
        quotes += [*item.seed, *item.iot, *item.dx]
    missing = [q for q in quotes if not is_quoted(q)]
    assert missing == []


def test_viewpoints_are_the_six_in_order() -> None:
    assert tuple(VIEWPOINTS) == VIEWPOINT_SLUGS
    assert [v.label for v in VIEWPOINTS.values()] == [
        "方向性",
        "地域性",
        "変革",
        "自治体の積極性と継続性",
        "多様性と一体感",
        "その他",
    ]
    # 方向性 and 変革 are new; the others have an IoT-lab equivalent
    assert VIEWPOINTS["direction"].iot.label is None
    assert VIEWPOINTS["transformation"].iot.label is None
    assert all(VIEWPOINTS[s].iot.label for s in ("regionality", "municipal_commitment", "diversity", "other"))


def test_every_sub_requirement_has_its_assessor() -> None:
    from criteria.requirements import REQUIREMENTS

    for slug, items in REQUIREMENTS.items():
        assert items, slug
        for item in items:
            assert checks.get(item.slug).viewpoint == slug
        assert any(item.core for item in items) or slug == "other"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_finding_wording(code: str) -> None:
    spec = CATALOGUE[code]
    assert "例" in spec.hint
    assert spec.message.endswith("。")
    assert "です" in spec.message or "ます" in spec.message or "せん" in spec.message
    values = {name: "「テスト」" for name in spec.params}
    made = finding(code, **values)
    assert made.code == code
    assert made.severity == spec.severity
    assert "$" not in made.message + made.hint
    assert set(Template(spec.message).get_identifiers()) <= set(spec.params)


def test_other_findings_are_never_defects() -> None:
    assert all(spec.severity == "ok" for spec in CATALOGUE.values() if spec.viewpoint == "other")


def test_unknown_code_names_the_file() -> None:
    with pytest.raises(DataError, match=r"findings\.yaml: no\.such: no such finding code"):
        finding("no.such")


def test_bad_findings_file_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "findings.yaml").write_text(
        "kpi.bad:\n  viewpoint: direction\n  severity: fatal\n  field: kpis\n"
        "  message: m\n  hint: 例\n  seed: ['DXの推進に向けたビジョン']\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"findings\.yaml: findings\.kpi\.bad\.severity"):
        load("findings.yaml", FindingsFile, tmp_path)


def test_quote_not_in_seed_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "findings.yaml").write_text(
        "kpi.bad:\n  viewpoint: direction\n  severity: warn\n  field: kpis\n"
        "  message: m\n  hint: 例\n  seed: ['どこにも書かれていない文']\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="not a verbatim seed passage"):
        load("findings.yaml", FindingsFile, tmp_path)


def test_other_warning_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "findings.yaml").write_text(
        "other.bad:\n  viewpoint: other\n  severity: warn\n  field: other\n"
        "  message: m\n  hint: 例\n  seed: ['オープンデータを積極的に活用する取組']\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="severity ok"):
        load("findings.yaml", FindingsFile, tmp_path)


def test_bad_vocab_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "vocab.yaml").write_text(
        "words: {economic: []}\nunits: [社]\nsectors: {}\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"vocab\.yaml: words: .*'economic' is empty"):
        load("vocab.yaml", VocabFile, tmp_path)
    (tmp_path / "broken.yaml").write_text("words: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.yaml: not valid YAML"):
        load("broken.yaml", VocabFile, tmp_path)
    with pytest.raises(DataError, match=r"absent\.yaml: cannot read"):
        load("absent.yaml", VocabFile, tmp_path)


def test_vocab_has_the_lists_the_checks_use() -> None:
    for name in ("economic", "wellbeing", "digitisation", "model_change", "revenue"):
        assert VOCAB.words[name]
    assert set(VOCAB.sectors) == {"産", "学", "官", "金"}
