"""Figures 1 and 2: their data (pure, against numpy) and their SVG (well-formed, one line per patient,
reproducible byte for byte)."""

from decimal import Decimal
from xml.etree import ElementTree

import numpy as np
import pytest

from reports.figures import figure1_svg, figure2_svg, patient_courses, timepoint_summaries
from reports.tables import VisitRow

CODES = ["baseline", "week1", "week2"]
LABELS = ["Baseline", "Week 1", "Week 2"]
SVG = "{http://www.w3.org/2000/svg}"


def rows() -> list[VisitRow]:
    data = {2: [15, 41, 52], 1: [12, 25, None], 3: [8, 10, 14]}
    found = [VisitRow(pid, code, "NR", Decimal(v)) for pid, values in data.items()
             for code, v in zip(CODES, values, strict=True) if v is not None]
    return [*found, VisitRow(1, "unscheduled", "CR", Decimal(300)), VisitRow(1, "month4", "CR", Decimal(200))]


def test_courses_per_patient_by_study_id_at_the_protocol_timepoints_only():
    courses = patient_courses(rows(), codes=CODES, study_ids={1: "ITP-001", 2: "ITP-002", 3: "ITP-003"})
    assert [(c.study_id, c.points) for c in courses] == [
        ("ITP-001", ((0, 12.0), (1, 25.0))), ("ITP-002", ((0, 15.0), (1, 41.0), (2, 52.0))),
        ("ITP-003", ((0, 8.0), (1, 10.0), (2, 14.0)))]


def test_summaries_are_numpys_quartiles():
    summaries = timepoint_summaries(rows(), codes=[*CODES, "week3"])
    for summary, values in zip(summaries, ([15, 12, 8], [41, 25, 10], [52, 14]), strict=False):
        assert (summary.q1, summary.median, summary.q3) == pytest.approx(tuple(np.percentile(values, [25, 50, 75])))
        assert summary.n == len(values)
    assert summaries[3].n == 0 and summaries[3].median is None


def ids(svg: str) -> set[str]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return {element.get("id") for element in root.iter() if element.get("id")}


def test_figure1_draws_one_line_per_patient_reproducibly():
    courses = patient_courses(rows(), codes=CODES, study_ids={1: "ITP-001", 2: "ITP-002", 3: "ITP-003"})
    svg = figure1_svg(courses=courses, labels=LABELS)
    assert {"patient-ITP-001", "patient-ITP-002", "patient-ITP-003"} <= ids(svg)
    assert figure1_svg(courses=courses, labels=LABELS) == svg  # no timestamps, fixed ids


def test_figure2_draws_medians_and_interquartile_ranges():
    svg = figure2_svg(summaries=timepoint_summaries(rows(), codes=CODES), labels=LABELS)
    assert {"medians", "interquartile-ranges"} <= ids(svg)


def test_figures_of_an_empty_study_are_still_images():
    assert "patient-" not in "".join(ids(figure1_svg(courses=[], labels=LABELS)))
    assert "medians" not in ids(figure2_svg(summaries=timepoint_summaries([], codes=CODES), labels=LABELS))
