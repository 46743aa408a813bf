"""The CSI-4 chart, tested as a Vega-Lite spec through ``to_dict()``."""

from __future__ import annotations

from datetime import date

from closer.charts import BACKGROUND, CSI_CUTOFF_LABEL, PARTNER_COLOURS, csi_chart
from closer.store import CsiRecord

ALEX, SAM = 1, 2
PARTNERS = {ALEX: "Alex", SAM: "Sam"}
RECORDS = [
    CsiRecord(ALEX, date(2026, 1, 5), (3, 3, 3, 3), True),
    CsiRecord(SAM, date(2026, 1, 5), (5, 4, 4, None), True),  # incomplete: no total
    CsiRecord(SAM, date(2026, 2, 2), (1, 1, 1, 1), False),
    CsiRecord(ALEX, date(2026, 2, 2), (6, 5, 5, 5), True),
    CsiRecord(9, date(2026, 2, 2), (0, 0, 0, 0), True),  # nobody we chart
]


def layers(spec: dict) -> dict[str, dict]:
    """The first layer of each mark type."""
    found: dict[str, dict] = {}
    for layer in spec["layer"]:
        found.setdefault(layer["mark"]["type"], layer)
    return found


def rows(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def test_one_point_per_complete_answer_with_its_total():
    spec = csi_chart(RECORDS, PARTNERS).to_dict()
    points = layers(spec)["point"]
    assert rows(spec, points) == [
        {"week": "2026-01-05T00:00:00", "partner": "Alex", "total": 12},
        {"week": "2026-02-02T00:00:00", "partner": "Sam", "total": 4},
        {"week": "2026-02-02T00:00:00", "partner": "Alex", "total": 21},
    ]


def test_typed_fields_full_scale_and_partner_colours_and_shapes():
    spec = csi_chart(RECORDS, PARTNERS).to_dict()
    points = layers(spec)["point"]["encoding"]
    assert points["x"]["field"] == "week" and points["x"]["type"] == "temporal"
    assert points["y"]["field"] == "total" and points["y"]["type"] == "quantitative"
    assert points["y"]["scale"]["domain"] == [0, 21]
    assert points["color"]["type"] == "nominal"
    assert points["color"]["scale"] == {
        "domain": ["Alex", "Sam"],
        "range": list(PARTNER_COLOURS[:2]),
    }
    assert points["shape"]["scale"]["range"] == ["circle", "square"]
    assert [t["title"] for t in points["tooltip"]] == ["Week of", "Who", "Total (0–21)"]
    assert layers(spec)["line"]["encoding"]["color"] == points["color"]


def test_a_faint_labelled_rule_at_the_published_cut_off():
    spec = csi_chart(RECORDS, PARTNERS).to_dict()
    rule = layers(spec)["rule"]
    assert rows(spec, rule) == [{"cutoff": 13.5, "label": CSI_CUTOFF_LABEL}]
    assert rule["encoding"]["y"]["field"] == "cutoff"
    assert rule["encoding"]["y"]["scale"]["domain"] == [0, 21]
    assert rule["mark"]["opacity"] <= 0.5 and rule["mark"]["strokeDash"]
    assert CSI_CUTOFF_LABEL == "Below this line, many couples find support helpful"


def test_the_label_sits_under_the_rule_above_the_lines_with_a_halo():
    spec = csi_chart(RECORDS, PARTNERS).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "line", "point", "text", "text"]
    halo, label = spec["layer"][3], spec["layer"][4]
    for text in (halo, label):
        assert text["encoding"]["text"]["field"] == "label"
        assert text["encoding"]["y"]["field"] == "cutoff"
        assert text["mark"]["baseline"] == "top"  # under the line: "below this line"
    assert halo["mark"]["stroke"] == BACKGROUND and "stroke" not in label["mark"]


def test_every_layer_states_the_same_y_axis():
    # Vega-Lite merges the axes of layers sharing a scale; one layer without an axis
    # removed it from the whole chart.
    spec = csi_chart(RECORDS, PARTNERS).to_dict()
    axes = [layer["encoding"]["y"].get("axis") for layer in spec["layer"]]
    assert axes == [{"values": [0, 7, 14, 21]}] * 5


def test_no_answers_yet_still_builds_a_chart():
    spec = csi_chart([], PARTNERS).to_dict()
    assert rows(spec, layers(spec)["point"]) == []
    assert layers(spec)["point"]["encoding"]["color"]["scale"]["domain"] == ["Alex", "Sam"]
