"""A generated study with every record type, written as the interchange document (for the round-trip tests).

Deterministic: patient n gets the same values on every run. Written the way the exporter writes (phases given,
empty optional values left out), so importing and exporting it gives it back.
"""

from datetime import date, timedelta

from visits.schedule import PROTOCOL_SCHEDULE

GENERATED_AS_OF = date(2026, 6, 30)
FIRST_START = date(2025, 3, 3)


def _on(start: date, day: int) -> str:
    return (start + timedelta(days=day)).isoformat()


def _patient(n: int) -> dict:
    start = FIRST_START + timedelta(days=n % 90)
    core = [v for v in PROTOCOL_SCHEDULE.visits if not v.follow_up]
    visits = []
    for i, slot in enumerate(core):
        day = slot.day
        platelets = 12 + n % 7 if slot.code == "baseline" else 20 + (n * 7 + i * 13) % 160
        visit = {"visit": slot.code, "date": _on(start, day), "platelets": platelets}
        if i % 3 == 0:
            visit["who_bleeding_grade"] = (n + i) % 3
        else:
            visit["bleeding"] = (n + i) % 5 == 0
        if i == 2:
            visit["haemoglobin"] = 118.5
            visit["white_cells"] = 6.25
        visits.append(visit)
    visits.append({"visit": "unscheduled", "date": _on(start, 10), "platelets": 33.5, "bleeding": False})
    visits.sort(key=lambda v: v["date"])
    patient = {
        "study_id": f"ITP-{n:03d}", "sex": "female" if n % 2 else "male",
        "birth_date": (date(1960, 1, 15) + timedelta(days=97 * n)).isoformat(),
        "diagnosis_date": (start - timedelta(days=200 + n)).isoformat(), "start_date": start.isoformat(),
        "weight_kg": 55 + n % 30 + 0.5,
        "early_steroid_effective": n % 3 != 0, "steroid_taper_at_start": n % 4 == 0,
        "prior_therapies": ["glucocorticoids", {"therapy": "other", "other_name": "danazol",
                                                "stop_date": (start - timedelta(days=60)).isoformat()}]
        if n % 5 == 2 else ["glucocorticoids", "ivig"],
        "eligibility": {"checked_on": (start - timedelta(days=3)).isoformat(), "primary_itp": True,
                        "two_low_counts": True, "normal_morphology": True, "no_splenomegaly": True,
                        "megakaryocytes_normal": True, "secondary_causes_excluded": True,
                        "first_line_failed": True, "second_line_washout": True,
                        "washout_warning_acknowledged": False},
        "consent": {"date": (start - timedelta(days=3)).isoformat(), "form_version": "2.1",
                    "obtained_by": "Dr Example"},
        "visits": visits,
        "rescue_therapies": [{"date": _on(start, 20), "kind": "ivig", "details": "1 g/kg"}] if n % 3 == 1 else [],
        "doses": [{"date": _on(start, 0), "mg_per_day": 2, "phase": "start", "prescribed_by": "Dr Example"},
                  {"date": _on(start, 15), "mg_per_day": 1.5, "phase": "adjustment",
                   "reason": "trough above the range", "prescribed_by": "Dr Example"}],
        "troughs": [{"date": _on(start, 14), "time": "08:00", "hours_since_dose": 24, "ng_ml": 16.5,
                     "lab": "Central laboratory"},
                    {"date": _on(start, 28), "ng_ml": 9.2}],
        "con_meds": [{"name": "Prednisone", "dose": "10 mg/day", "start_date": _on(start, -20),
                      "stop_date": _on(start, 14), "indication": "ITP: taper", "glucocorticoid_taper": True},
                     {"name": "Omeprazole", "dose": "20 mg/day", "start_date": _on(start, -5),
                      "indication": "gastric protection"}],
        "labs": [{"date": _on(start, 0), "laboratory": "Central laboratory",
                  "values": [{"analyte": "alt", "value": 22, "unit": "U/L", "uln": 40},
                             {"analyte": "creatinine", "value": 68, "unit": "µmol/L", "uln": 110, "lln": 45}]},
                 {"date": _on(start, 28),
                  "values": [{"analyte": "alt", "value": 130 + n % 10, "unit": "U/L", "uln": 40},
                             {"analyte": "triglycerides", "value": 1.2, "unit": "mmol/L", "uln": 1.7}]}],
        "adverse_events": [{"term": "Diarrhea", "grade": 1, "onset": _on(start, 30), "resolved": True,
                            "end_date": _on(start, 37)},
                           {"term": "Mucositis oral", "grade": 2, "onset": _on(start, 40), "serious": True,
                            "relation": "probable", "action": "dose_reduced"}],
        "treg_before": 5.6, "treg_before_date": _on(start, -2), "treg_after": 7.8,
    }
    if n % 2 == 0:
        patient["ae_proposals"] = [{"date": _on(start, 28), "analyte": "alt", "status": "confirmed",
                                    "decided_on": _on(start, 30), "resolved": True, "end_date": _on(start, 45),
                                    "relation": "possible"}]
    else:
        patient["ae_proposals"] = [{"date": _on(start, 28), "analyte": "alt", "status": "dismissed",
                                    "decided_on": _on(start, 29), "dismiss_reason": "haemolysed sample"}]
    if n % 5 == 1:
        patient["adverse_events"].append({"term": "Pneumonitis", "grade": 3, "onset": _on(start, 60),
                                          "relation": "possible", "action": "withdrawn"})
        patient["off_study"] = {"date": _on(start, 62), "reason": "grade 3 pneumonitis"}
    baseline = visits[0]["date"]
    patient["signatures"] = [{"visit_date": baseline, "signed_by": "Dr Signer", "signed_at": f"{baseline}T10:00:00Z"}]
    if n % 4 == 0:
        patient["signatures"].append({"up_to": _on(start, 21), "signed_by": "Dr Signer",
                                      "signed_at": f"{_on(start, 22)}T09:30:00Z", "unlocked_at":
                                      f"{_on(start, 23)}T08:00:00Z", "unlock_reason": "late lab correction"})
    return {key: value for key, value in patient.items() if value != []}


def generated_study(count: int) -> dict:
    return {"format": "itp-trial/1", "patients": [_patient(n) for n in range(1, count + 1)],
            "controls": [{"control_id": f"HC-{n:02d}", "treg": 5 + n / 10, "sample_date": "2025-06-02"}
                         for n in range(1, 21)]}
