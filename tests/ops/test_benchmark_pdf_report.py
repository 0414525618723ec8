"""The benchmark's PDF figures: the yardstick alternated with the render, and WeasyPrint's own
figure on the unit's HTML printed beside the sealed PDF's."""

from ops.benchmark.unit_pdf import _alternated, report_lines

FIGURES = {
    "unit": "HSC331", "evidence": 40, "photos": 20, "pages": 33, "size_kb": 617,
    "first_render_s": 2.2, "first_render_cpu_s": 2.21, "warm_render_s": 1.84, "peak_mb": 189.9, "added_mb": 58.6,
    "first_sealed_over_plain_per_page": 3.4, "first_sealed_over_plain_per_page_cpu": 3.39,
    "sealed_over_plain_per_page": 2.98, "sealed_over_plain_per_page_cpu": 2.98,
    "sealed_per_page_ms": 55.8, "plain_text_per_page_ms": 18.7,
    "weasyprint_alone_over_plain_per_page": 3.17, "weasyprint_alone_over_plain_per_page_cpu": 3.16,
}


def test_the_report_prints_weasyprint_alone_beside_the_sealed_pdf():
    lines = report_lines(FIGURES)
    assert lines[0].startswith("PDF of HSC331 (40 evidence items, 20 photos, 33 pages, 617 KB)")
    assert "warm 2.98x (2.98x CPU), 55.8 ms a page against 18.7 ms" in lines[1]
    assert lines[2] == (
        "  plain WeasyPrint alone on this unit's own HTML (untagged, unsealed, record and template done): "
        "3.17x (3.16x CPU)"
    )


def test_a_report_from_before_the_figure_was_measured_leaves_it_out():
    older = {k: v for k, v in FIGURES.items() if not k.startswith("weasyprint_alone")}
    assert not any("WeasyPrint alone" in line for line in report_lines(older))


def test_each_work_is_timed_in_turn_and_its_medians_come_back_in_order():
    calls = []
    medians = _alternated(lambda: calls.append("render"), 1, rounds=3, also=lambda: calls.append("also"))
    assert calls == ["render", "also"] * 3
    assert len(medians) == 3
    assert all(m.wall >= 0 and m.cpu >= 0 for m in medians)
