"""Charts converted by the helper process are the charts vl-convert makes in-process; a broken spec is one
error; a helper that dies mid-render is replaced by converting in-process; the helper belongs to the render
that started it (no process outlives it, none is shared through module state)."""
from __future__ import annotations

import json

import pytest

from plugins.charts import worker as chart_worker
from plugins.charts.worker import ChartWorker

SPEC = json.dumps({"data": {"values": [{"month": "Apr", "n": 31}, {"month": "May", "n": 24}]}, "mark": "bar",
                   "encoding": {"x": {"field": "month", "type": "nominal"},
                                "y": {"field": "n", "type": "quantitative"}}})


@pytest.fixture
def helper():
    worker = ChartWorker()
    yield worker
    worker.close()


def test_the_helper_makes_the_same_svg_and_png_as_vl_convert_in_process(helper):
    import vl_convert as vlc
    helper.prestart()
    assert helper.running
    assert helper.convert("svg", SPEC).decode() == vlc.vegalite_to_svg(vl_spec=SPEC)
    assert helper.convert("png", SPEC)[:8] == b"\x89PNG\r\n\x1a\n"
    assert helper.running       # the conversions came from the helper, which is still there


def test_a_spec_vl_convert_refuses_is_one_error_and_the_helper_keeps_working(helper):
    with pytest.raises(chart_worker.ChartError):
        helper.convert("svg", '{"mark": "no-such-mark", "data": {"values": []}}')
    assert helper.running
    assert b"<svg" in helper.convert("svg", SPEC)


def test_a_helper_that_dies_is_replaced_by_converting_in_process(helper):
    helper.prestart()
    helper._proc.kill()
    helper._proc.wait()
    assert b"<svg" in helper.convert("svg", SPEC)
    assert helper._broken


def test_switched_off_it_converts_in_process(monkeypatch, helper):
    monkeypatch.setenv("LSCB_CHART_WORKER", "0")
    assert b"<svg" in helper.convert("svg", SPEC)
    assert helper._proc is None


def test_charts_use_the_helper_of_the_render_that_is_active_and_closing_ends_it(helper):
    helper.prestart()
    proc = helper._proc
    with helper.active():
        assert b"<svg" in chart_worker.convert("svg", SPEC)
    assert chart_worker._active.get() is None        # outside the render: converted in-process
    helper.close()
    assert proc.poll() is not None and not helper.running
