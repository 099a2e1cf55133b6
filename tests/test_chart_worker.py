"""Charts converted by the helper process are the charts vl-convert makes in-process; a broken spec is one
error; a helper that dies mid-render is replaced by converting in-process."""
from __future__ import annotations

import json

import pytest

from core import chart_worker

SPEC = json.dumps({"data": {"values": [{"month": "Apr", "n": 31}, {"month": "May", "n": 24}]}, "mark": "bar",
                   "encoding": {"x": {"field": "month", "type": "nominal"},
                                "y": {"field": "n", "type": "quantitative"}}})


@pytest.fixture(autouse=True)
def _fresh_helper():
    chart_worker._stop()
    chart_worker._owner, chart_worker._broken = 0, False
    yield
    chart_worker._stop()


def test_the_helper_makes_the_same_svg_and_png_as_vl_convert_in_process():
    import vl_convert as vlc
    chart_worker.prestart()
    assert chart_worker._proc is not None and chart_worker._proc.poll() is None
    assert chart_worker.convert("svg", SPEC).decode() == vlc.vegalite_to_svg(vl_spec=SPEC)
    assert chart_worker.convert("png", SPEC)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_spec_vl_convert_refuses_is_one_error_and_the_helper_keeps_working():
    with pytest.raises(chart_worker.ChartError):
        chart_worker.convert("svg", '{"mark": "no-such-mark", "data": {"values": []}}')
    assert b"<svg" in chart_worker.convert("svg", SPEC)


def test_a_helper_that_dies_is_replaced_by_converting_in_process():
    chart_worker.prestart()
    chart_worker._proc.kill()
    chart_worker._proc.wait()
    assert b"<svg" in chart_worker.convert("svg", SPEC)
    assert chart_worker._broken


def test_switched_off_it_converts_in_process(monkeypatch):
    monkeypatch.setenv("LSCB_CHART_WORKER", "0")
    assert b"<svg" in chart_worker.convert("svg", SPEC)
    assert chart_worker._proc is None
