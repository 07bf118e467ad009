"""Word documents written in the tests with python-docx, in the styles real plans come in."""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.document import Document


def _bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Document, rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def _bold(document: Document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def heading_style_plan() -> bytes:
    """Real Word headings with full-width numbers; a KPI table headed KPI/現状値/目標値/期限."""
    d = docx.Document()
    d.add_heading("さくら町地域DX推進ラボ 実施計画書", level=0)
    d.add_heading("１．地域が目指すビジョン", level=1)
    d.add_paragraph("農業と観光のデータを生かし、町の経済発展と住民のウェルビーイングの向上を実現します。")
    d.add_heading("(1) 地域の課題", level=2)
    d.add_paragraph("担い手の高齢化が進み、農業の生産額が減っています。")
    d.add_heading("２．ビジョンを実現するための実施計画", level=1)
    d.add_heading("(1) 取組内容", level=2)
    d.add_heading("① 地域の産学官金プロジェクト等の取組", level=3)
    d.add_heading("スマート農業データ共有", level=4)
    d.add_paragraph("農協と町が圃場のデータを共有し、出荷計画を立てます。")
    d.add_heading("② 地域支援機関等による企業支援の取組", level=3)
    d.add_heading("町内事業者のDX伴走支援", level=4)
    d.add_paragraph("商工会が専門家を派遣します。")
    d.add_heading("(2) 自立化シナリオ", level=2)
    d.add_paragraph("3年目から会費と利用料で運営します。")
    d.add_heading("３．実施体制", level=1)
    d.add_heading("(1) 構成員", level=2)
    _table(
        d,
        [
            ["団体名", "役割", "区分"],
            ["さくら町", "事務局", "自治体"],
            ["さくら農業協同組合", "データ提供", "事業者団体"],
            ["株式会社さくらファーム", "実証", ""],
        ],
    )
    d.add_heading("４．管理体制", level=1)
    d.add_heading("(1) KPI", level=2)
    _table(
        d,
        [
            ["KPI", "現状値（令和5年度）", "目標値", "期限"],
            ["スマート農業の導入農家数", "3戸", "30戸", "令和9年度"],
            ["DX支援企業数", "0社", "20", "2028年度"],
        ],
    )
    d.add_heading("(2) 進捗管理", level=2)
    d.add_paragraph("四半期ごとに運営会議で確認します。")
    return _bytes(d)


def bold_paragraph_plan() -> bytes:
    """No heading styles: bold numbered plain paragraphs, 【…】 labels, KPI columns reordered."""
    d = docx.Document()
    _bold(d, "実施計画書（案）")
    _bold(d, "1. 地域が目指すビジョン")
    d.add_paragraph("港の水産業をデータで強くし、暮らしの満足度も高めます。")
    d.add_paragraph("【地域課題】")
    d.add_paragraph("漁獲量の減少と後継者不足が課題です。")
    _bold(d, "2. 実施計画")
    d.add_paragraph("【取組内容】")
    d.add_paragraph("取組1　水揚げデータ連携")
    d.add_paragraph("漁協と加工業者が水揚げデータを共有します。")
    d.add_paragraph("【顧客・社会のニーズ】")
    d.add_paragraph("飲食店から、鮮度の高い魚を必要な量だけ仕入れたいという声があります。")
    d.add_paragraph("【従来モデルの変革】")
    d.add_paragraph("獲れた分を売るモデルから、注文に合わせて獲り加工するモデルへ変えます。")
    _bold(d, "(2) 自立化シナリオ")
    d.add_paragraph("会費と手数料で3年目に自立します。")
    _bold(d, "(3) 実施体制・役割分担")
    d.add_paragraph("【事務局】")
    d.add_paragraph("うみべ市 産業課")
    d.add_paragraph("【キーパーソン】")
    _table(d, [["所属", "氏名", "役割"], ["うみべ市", "浜 一郎", "統括"]])
    _bold(d, "3. 管理体制")
    d.add_paragraph("【指標】")
    _table(
        d,
        [
            ["目標年度", "指標", "基準値", "目標", "種別"],
            ["R10年度", "水産加工品の売上高", "12億円", "15億円", "アウトカム"],
            ["令和8年度", "データ連携に参加する事業者数", "", "25社", "アウトプット"],
        ],
    )
    _bold(d, "4. スケジュール")
    d.add_paragraph("令和7年度に準備会を開きます。")
    return _bytes(d)


def iot_era_plan() -> bytes:
    """A 地方版IoT推進ラボ's plan: no 変革 section, KPIs as bullet sentences, no ② support."""
    d = docx.Document()
    d.add_paragraph("やまなみ村IoT推進ラボ 実施計画書", style="Title")
    d.add_heading("1. 目的", level=1)
    d.add_paragraph("IoTを活用して、村の地域課題を解決し、地域の経済発展を実現します。")
    d.add_heading("2. これまでの活動状況", level=1)
    d.add_paragraph("平成29年に選定され、センサーによる獣害対策の実証を3年間行いました。")
    d.add_heading("3. 活動の中で見えてきた課題", level=1)
    d.add_paragraph("実証の後、事業として続ける担い手が見つかっていません。")
    d.add_heading("4. プロジェクトの内容", level=1)
    d.add_paragraph("獣害センサーのデータを猟友会と共有し、捕獲を効率化します。")
    d.add_heading("5. 推進体制", level=1)
    d.add_paragraph("【構成員】")
    d.add_paragraph("・やまなみ村：事務局")
    d.add_paragraph("・やまなみ信用金庫：資金面の支援")
    d.add_heading("6. 数値目標", level=1)
    d.add_paragraph("・令和8年度までに獣害の被害額を500万円にする")
    return _bytes(d)


def unrecognisable() -> bytes:
    d = docx.Document()
    d.add_paragraph("お世話になっております。")
    d.add_paragraph("来週の会議の件でご連絡しました。")
    return _bytes(d)


def form_table_plan() -> bytes:
    """The whole plan as one two-column form (項目 | 記入欄), as many application templates are."""
    d = docx.Document()
    d.add_paragraph("地域DX推進ラボ 申請書")
    _table(
        d,
        [
            ["ラボの名称", "かわせみ市地域DX推進ラボ"],
            ["対象地域", "かわせみ市"],
            ["地域が目指すビジョン", "川の恵みを生かした観光と農業で、稼ぐ力と暮らしの満足度を高めます。"],
            ["事務局", "かわせみ市 商工観光課"],
            ["構成員", "かわせみ市：事務局\nかわせみ信用金庫：資金支援"],
            ["KPI", "令和9年度までに観光消費額を30億円にする\n令和10年度までにDX支援企業数を40社"],
            ["備考", "詳しくは別添資料をご覧ください。"],
        ],
    )
    return _bytes(d)


def auto_numbered_plan() -> bytes:
    """Section titles numbered by Word itself (List Number style: 「1.」 is not in the text)."""
    d = docx.Document()
    d.add_paragraph("地域が目指すビジョン", style="List Number")
    d.add_paragraph("森林資源とデータで、林業と暮らしを豊かにします。")
    d.add_paragraph("自立化シナリオ", style="List Number")
    d.add_paragraph("木材の共同販売の手数料で運営します。")
    d.add_paragraph("間伐材を集める", style="List Number")  # a list item the vocabulary does not know
    return _bytes(d)
