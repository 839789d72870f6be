"""Builders for tests: users per role, and patients enrolled through the real service."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from itp_trial.role_sync import roles_sync
from itp_trial.roles import ROLES
from patients.eligibility import PriorTherapyInput
from patients.models import Eligibility
from visits.enrolment import ConsentInput, EligibilityInput, EnrolmentInput, patient_enrol
from visits.services import VisitValues, visit_record

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


def user_with_role(role_code: str, username: str | None = None):
    user = UserFactory(username=username or role_code)
    user.groups.add(Group.objects.get(name=role_code))
    return user


def role_users() -> dict:
    roles_sync()
    return {role.code: user_with_role(role.code) for role in ROLES}


def enrolment_input(
    *, start: date, baseline: Decimal | int = 15, baseline_grade: int = 0, baseline_date: date | None = None,
    birth: date = date(1975, 6, 1), prior: list[PriorTherapyInput] | None = None, acknowledged: bool = False,
    criteria: dict | None = None,
) -> EnrolmentInput:
    return EnrolmentInput(
        sex="female", birth_date=birth, diagnosis_date=start - timedelta(days=400), start_date=start,
        weight_kg=Decimal("60.0"), early_steroid_effective=True,
        prior_therapies=prior if prior is not None else [PriorTherapyInput("glucocorticoids")],
        eligibility=EligibilityInput(
            criteria=criteria if criteria is not None else {name: True for name in Eligibility.CRITERIA},
            second_line_washout=True, washout_warning_acknowledged=acknowledged, checked_on=start,
        ),
        consent=ConsentInput(consent_date=start - timedelta(days=1), version="2.1", obtained_by="Dr Example"),
        baseline=VisitValues(visit_date=baseline_date or start, platelets=Decimal(baseline),
                             bleeding_grade=baseline_grade),
    )


def enrol(user, *, start: date, today: date | None = None, **kwargs):
    return patient_enrol(data=enrolment_input(start=start, **kwargs), user=user, today=today or start)


def record(patient, user, code: str, *, day: int, platelets, grade: int | None = 0, today: date | None = None):
    visit_date = patient.start_date + timedelta(days=day)
    return visit_record(
        patient=patient, code=code, user=user, today=today or visit_date,
        values=VisitValues(visit_date=visit_date, platelets=Decimal(platelets), bleeding_grade=grade),
    )


def sign_casebook(patient, physician, *, up_to: date, today: date | None = None):
    """Sign `patient`'s casebook up to a date as the sign page would: with what it covers now."""
    from casebook.snapshots import casebook_content
    from review.services import signature_sign_casebook

    seen = casebook_content(patient_id=patient.pk, up_to=up_to).snapshot
    return signature_sign_casebook(patient=patient, up_to=up_to, user=physician, password=PASSWORD, seen=seen,
                                   today=today)


def sign_visit(visit, physician):
    """Sign a visit as the sign page would: at its current version."""
    from review.services import signature_sign_visit

    visit.refresh_from_db()
    return signature_sign_visit(visit=visit, user=physician, password=PASSWORD, version=visit.version)
