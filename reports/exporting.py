"""Export services: stream a dataset as CSV (audited), its codebook, or everything as one zip.

Column names are the machine interface: the same in every language. A codebook's labels and descriptions are
written in the active language (the reader's); `bom=True` starts a file with the UTF-8 byte-order mark (Excel).
"""

import getpass
import tempfile
import zipfile
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from .csvformat import LINE_END, cell, csv_lines, with_bom
from .datasets import DATASETS, Dataset
from .models import ExportLog

COPY_CHUNK = 64 * 1024


class UnknownDataset(LookupError):
    pass


def dataset_get(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError as exc:
        raise UnknownDataset(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}") from exc


def _formatted(dataset: Dataset) -> Iterator[list[str]]:
    kinds = [c.kind for c in dataset.columns]
    for row in dataset.rows():
        yield [cell(value, kind) for value, kind in zip(row, kinds, strict=True)]


def python_csv(dataset: Dataset, counter: list[int] | None = None) -> Iterator[bytes]:
    """The dataset as CSV bytes, formatted in Python (any database); counter[0] counts the rows written."""
    counter = counter if counter is not None else [0]

    def counted():
        for row in _formatted(dataset):
            counter[0] += 1
            yield row

    return csv_lines([c.name for c in dataset.columns], counted())


def copy_csv(dataset: Dataset, counter: list[int] | None = None) -> Iterator[bytes]:
    """The dataset as CSV bytes straight from PostgreSQL's COPY, in chunks of about 64 KiB.

    Only for datasets whose cells never hold a line break, so counter[0] can count lines as rows.
    """
    counter = counter if counter is not None else [0]
    yield (",".join(c.name for c in dataset.columns) + LINE_END).encode()
    pending: list[bytes] = []
    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY ({dataset.copy_sql()}) TO STDOUT WITH (FORMAT csv)"
    ) as copy:
        for block in copy:
            data = bytes(block)
            pending.append(data)
            size += len(data)
            counter[0] += data.count(b"\n")
            if size >= COPY_CHUNK:
                yield b"".join(pending)
                pending, size = [], 0
    if pending:
        yield b"".join(pending)


def dataset_csv(dataset: Dataset, counter: list[int] | None = None) -> Iterator[bytes]:
    """COPY on PostgreSQL where the dataset has a COPY form; the Python writer otherwise (same bytes)."""
    if dataset.copy_sql is not None and connection.vendor == "postgresql":
        return copy_csv(dataset, counter)
    return python_csv(dataset, counter)


def _translated(text) -> str:
    """A label or description in the active language: a lazy one renders itself; a plain one marked elsewhere
    (gettext_noop) is looked up; text the catalogue does not hold stays as written."""
    text = str(text)
    return gettext(text) if text else ""


def codebook_csv(dataset: Dataset, *, bom: bool = False) -> bytes:
    """The dataset's codebook (one row per column), labels and descriptions in the active language."""
    rows = ([c.name, _translated(c.label), c.kind, c.unit, _translated(c.allowed)]
            for c in dataset.columns)
    return b"".join(with_bom(csv_lines(["column", "label", "type", "unit", "allowed"], rows), bom=bom))


def export_stream(*, dataset: Dataset, user=None, via: str = "web", bom: bool = False) -> Iterator[bytes]:
    """Stream `dataset` and record who exported it, when, and how many rows were written."""
    actor = user.get_username() if user is not None else getpass.getuser()
    log = ExportLog.objects.create(user=user, actor=actor, via=via, dataset=dataset.name)
    counter = [0]
    yield from with_bom(dataset_csv(dataset, counter), bom=bom)
    log.rows = counter[0]
    log.finished_at = timezone.now()
    log.save(update_fields=["rows", "finished_at"])


def export_zip(*, user=None, via: str = "web", bom: bool = False):
    """Every dataset and its codebook in one zip, built in a spooled temporary file (memory stays bounded);
    `bom`: each CSV starts with the UTF-8 byte-order mark."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dataset in DATASETS.values():
            with archive.open(f"{dataset.name}.csv", "w") as member:
                for chunk in export_stream(dataset=dataset, user=user, via=via, bom=bom):
                    member.write(chunk)
            archive.writestr(f"{dataset.name}-codebook.csv", codebook_csv(dataset, bom=bom))
    spool.seek(0)
    return spool
