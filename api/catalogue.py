"""What the API serves for each declared record type: its path, the capability that writes it, its date filter.

Everything is read from the declarations (casebook.registry.record_types(): the project's tuple); the few
types that truly differ from the rule say so here, explicitly.
"""

from dataclasses import dataclass

from casebook.registry import record_types
from casebook.types import Dated, RecordType
from itp_trial.roles import ENTER_DATA, REVIEW_DATA, VIEW_STUDY

# The web app lets a physician, not a nurse, take a patient off study (safety:off_study needs REVIEW_DATA).
WRITE_CAPABILITY = {"withdrawal": REVIEW_DATA}
# The date a type is filtered on, where its declaration names none (`dated(...)` fields come first).
DATE_FIELD = {"signature": "signed_at", "treg": "sample_date", "healthy_control": "sample_date"}
# Never leaves the site (identifying; the exports leave it out too).
HIDDEN_FIELDS = {"patient": ("initials",)}


def plural_path(key: str) -> str:
    path = key.replace("_", "-")
    return path[:-1] + "ies" if path.endswith("y") else path + "s"


@dataclass(frozen=True)
class Endpoint:
    declaration: RecordType
    path: str
    read_capability: str
    write_capability: str
    date_field: str | None
    hidden: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.declaration.key

    @property
    def model(self):
        return self.declaration.model

    @property
    def has_patient(self) -> bool:
        """Records that belong to a patient (every type but the patient itself and healthy controls)."""
        return any(field.name == "patient" and field.is_relation for field in self.model._meta.concrete_fields)


def _date_field(declaration: RecordType) -> str | None:
    if isinstance(declaration.lock_dates, Dated):
        return declaration.lock_dates.fields[0]
    return DATE_FIELD.get(declaration.key)


def endpoint_of(declaration: RecordType) -> Endpoint:
    return Endpoint(declaration=declaration, path=plural_path(declaration.key), read_capability=VIEW_STUDY,
                    write_capability=WRITE_CAPABILITY.get(declaration.key, ENTER_DATA),
                    date_field=_date_field(declaration), hidden=HIDDEN_FIELDS.get(declaration.key, ()))


ENDPOINTS: tuple[Endpoint, ...] = tuple(endpoint_of(declaration) for declaration in record_types())
