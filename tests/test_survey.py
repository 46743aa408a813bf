"""The survey's order of intimacy types, used wherever types are listed."""

from __future__ import annotations

from closer.survey import in_survey_order, survey_position


def test_survey_position_follows_the_survey_file_with_unknown_keys_last():
    assert [survey_position(k) for k in ("emotional", "sexual", "sleep")] == [0, 5, 6]


def test_in_survey_order_keeps_each_key_once_and_unknown_ones_in_their_given_order():
    keys = ["social", "zeta", "emotional", "social", "alpha", "physical"]
    assert in_survey_order(keys) == ["emotional", "physical", "social", "zeta", "alpha"]
