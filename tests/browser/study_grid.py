"""Reading the study dashboard's grid in browser tests: a patient's row, and the cell under a visit's column (runs
of upcoming or not planned visits share one cell, so a cell is found by the columns it spans)."""

CELL_TEXT = """([studyId, code]) => {
    const grid = document.querySelector('[data-testid=grid]');
    const column = [...grid.querySelectorAll('thead th')].findIndex(th => th.dataset.code === code);
    const row = [...grid.querySelectorAll('tbody tr')].find(tr => tr.querySelector('th a')?.textContent === studyId);
    if (!row || column < 0) return null;
    let at = 0;
    for (const cell of row.cells) {
        if (at <= column && column < at + cell.colSpan) return cell.textContent.trim();
        at += cell.colSpan;
    }
    return null;
}"""


def row(page, study_id: str):
    return page.get_by_test_id("grid").locator("tbody tr").filter(
        has=page.get_by_role("link", name=study_id, exact=True))


def cell_text(page, study_id: str, code: str) -> str | None:
    page.get_by_test_id("grid").locator("tbody tr").first.wait_for()
    return page.evaluate(CELL_TEXT, [study_id, code])


def shown_study_ids(page) -> list[str]:
    return page.get_by_test_id("grid").locator("tbody tr th a").all_inner_texts()
