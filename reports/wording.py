"""The study report's codes turned into the reader's language (the one place; the report itself holds codes).

Everything here reads a section of `study_report()` and returns display rows or sentences; nothing computes.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patients.vocabulary import Therapy
from visits.schedule import PROTOCOL_SCHEDULE
from visits.selectors import slot_label

GROUP_LABELS = {"controls": lambda: _("Healthy controls"), "before": lambda: _("Patients before sirolimus"),
                "after": lambda: _("Patients after 3 months")}
FACTOR_LABELS = {
    "sex": lambda: _("Sex (male vs female)"),
    "age_group": lambda: _("Age > 40 vs ≤ 40 years"),
    "months_from_diagnosis": lambda: _("Months from diagnosis to start (per month)"),
    "baseline_platelets": lambda: _("Initial platelet count (per 10⁹/L)"),
}


def group_label(code: str) -> str:
    return GROUP_LABELS[code]()


def p_text(p: float | None) -> str:
    """P to three decimals, or "< 0.001"."""
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def table1_rows(section: dict) -> list[dict]:
    """Table 1 as display rows: headings (`heading`) and counts (`label`, `n`, `percent`)."""
    def count(label, share):
        return {"label": label, "n": share["n"], "percent": share["percent"]}

    rows = [{"heading": _("Age at start (years)")},
            count(_("≤ 40"), section["age"]["le40"]), count(_("> 40"), section["age"]["gt40"]),
            count(_("Children (< 18)"), section["age"]["children"]),
            {"heading": _("Sex")},
            count(_("Male"), section["sex"]["male"]), count(_("Female"), section["sex"]["female"]),
            {"heading": _("Early glucocorticoid therapy")},
            count(_("Effective"), section["early_glucocorticoid"]["effective"]),
            count(_("Ineffective"), section["early_glucocorticoid"]["ineffective"])]
    if section["early_glucocorticoid"]["not_recorded"]["n"]:
        rows.append(count(_("Not recorded"), section["early_glucocorticoid"]["not_recorded"]))
    rows.append({"heading": _("First-line treatment")})
    rows += [count(Therapy(code).label, share) for code, share in section["first_line"].items()]
    rows.append({"heading": _("Second-line treatment before sirolimus")})
    rows += [count(Therapy(code).label, share) for code, share in section["second_line"].items()]
    rows.append(count(_("Any second-line treatment"), section["second_line_any"]))
    return rows


def range_text(summary: dict, places: int = 1) -> str:
    """"51 (13–83)": median (minimum–maximum)."""
    if summary["median"] is None:
        return "—"

    def number(x: float) -> str:
        return f"{x:.{places}f}".rstrip("0").rstrip(".") if places else f"{x:.0f}"

    return f"{number(summary['median'])} ({number(summary['min'])}–{number(summary['max'])})"


def table2_test_text(section: dict) -> str:
    if section["note"] == "too_few":
        return _("Exact test of timepoint × response: needs at least two timepoints and two response categories "
                 "with patients.")
    if section["method"] == "exact":
        how = _("exact P (network algorithm)")
    else:
        how = _("Monte Carlo P from %(samples)s random tables with the observed margins (seed %(seed)s, SE "
                "%(se).5f)") % {"samples": f"{section['samples']:,}", "seed": section["seed"],
                               "se": section["monte_carlo_se"]}
    return _("Freeman–Halton extension of Fisher's exact test, timepoint × %(categories)s over %(visits)s: "
             "statistic = %(statistic).3f, df = %(df)s, P %(p)s; %(how)s.") % {
        "categories": "/".join(section["categories"]),
        "visits": ngettext("%(n)s timepoint", "%(n)s timepoints", len(section["visits"])) % {
            "n": len(section["visits"])},
        "statistic": section["statistic"], "df": section["df"], "p": _p_clause(section["p"]), "how": how}


def normality_text(section: dict) -> str:
    tests = section["timepoints"]
    if section["decision"] is None:
        return _("Shapiro–Wilk: needs at least 3 complete cases with differing values at every timepoint.")
    rejected = sum(1 for t in tests if not t["normal"])
    if section["decision"] == "friedman":
        return ngettext(
            "Shapiro–Wilk rejects normality (P < %(alpha)s) at %(rejected)s of %(k)s timepoint: the Friedman test "
            "(non-parametric, related samples) applies, as the paper's methods prescribe.",
            "Shapiro–Wilk rejects normality (P < %(alpha)s) at %(rejected)s of %(k)s timepoints: the Friedman test "
            "(non-parametric, related samples) applies, as the paper's methods prescribe.",
            len(tests)) % {"alpha": section["alpha"], "rejected": rejected, "k": len(tests)}
    anova = section["repeated_measures_anova"]
    if anova is None:
        return _("Shapiro–Wilk does not reject normality at any timepoint: the paper's methods call for an ANOVA; "
                 "repeated-measures ANOVA: not computable (no residual variation).")
    return _("Shapiro–Wilk does not reject normality at any timepoint: the paper's methods call for an ANOVA; "
             "repeated-measures ANOVA: F = %(f)s, df = %(df1)s, %(df2)s, P %(p)s.") % {
        "f": f"{anova['f']:.3f}", "df1": anova["df"][0], "df2": anova["df"][1], "p": _p_clause(anova["p"])}


def _p_clause(p: float) -> str:
    return p_text(p) if p < 0.001 else f"= {p_text(p)}"


def table4_note(section: dict) -> str | None:
    note, params = section["note"], section["note_params"] or {}
    if note is None:
        return None
    texts = {
        "too_few": lambda: _("Not estimated: %(n)s patients with an evaluable month-3 visit for %(parameters)s "
                             "parameters.") % params,
        "no_outcome_variation": lambda: _("Not estimated: every evaluable patient had the same outcome at month 3."),
        "constant_factor": lambda: _("Not estimated: %(factors)s does not vary among the patients.") % {
            "factors": ", ".join(str(FACTOR_LABELS[f]()) for f in params.get("factors", []))},
        "separation": lambda: (_("Not estimated: %(factors)s separates responders from non-responders (one of "
                                 "its values has only one outcome), so its maximum-likelihood estimate does not "
                                 "exist.") % {"factors": ", ".join(str(FACTOR_LABELS[f]()) for f in params["factors"])}
                               if params.get("factors") else
                               _("Not estimated: the factors separate responders from non-responders perfectly (the "
                                 "maximum-likelihood estimates do not exist).")),
        "not_converged": lambda: _("Not estimated: the maximum-likelihood fit did not converge (often a factor that "
                                   "nearly separates responders from non-responders)."),
        "singular": lambda: _("Not estimated: the factors are collinear (singular information matrix)."),
    }
    return texts[note]()


def factor_label(code: str) -> str:
    return FACTOR_LABELS[code]()


def method_label(code: str) -> str:
    return {"one_way_anova": _("one-way ANOVA"), "repeated_measures_anova": _("repeated-measures ANOVA")}[code]


def _number(value: float | None, places: int) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _friedman_text(f: dict | None) -> str:
    if not f:
        return _("Friedman test: fewer than 2 patients have a count at baseline and at every timepoint.")
    return _("Friedman test over the %(n)s patients with a count at baseline and every timepoint: χ² = %(chi2)s, "
             "df = %(df)s, P %(p)s; Kendall's W = %(w)s.") % {"n": f["n"], "chi2": f"{f['chi2']:.3f}", "df": f["df"],
                                                             "p": _p_clause(f["p"]), "w": f"{f['kendall_w']:.3f}"}


def report_display(report: dict) -> dict:
    """What the study report page and its PDF print, section by section, from `study_report()`."""
    t1, test, rates = report["table1"], report["table2_test"], report["table2_rates"]
    normal, t4, t5 = report["table3_normality"], report["table4"], report["table5"]
    friedman = report["friedman"]
    table2 = [{**t, **rate, "label": slot_label(t["visit"])} for t, rate in zip(report["timepoints"], rates,
                                                                                strict=True)]
    shapiro = {t["visit"]: t for t in normal["timepoints"]}
    # Table 3 over the timepoints every patient has, as in the paper (Table 2 also lists the follow-up visits)
    core = {v.code for v in PROTOCOL_SCHEDULE.core_timepoints}
    table3_points = [t for t in report["timepoints"] if t["visit"] in core]
    columns = [{"label": slot_label("baseline"), "median": report["baseline"]["median_platelets"],
                "n": report["baseline"]["n"]}]
    columns += [{"label": slot_label(t["visit"]), "median": t["median_platelets"], "n": t["n"]}
                for t in table3_points]
    codes = ["baseline", *[t["visit"] for t in table3_points]]
    for column, code in zip(columns, codes, strict=True):
        found = shapiro.get(code, {})
        column["w"] = _number(found.get("w"), 3)
        column["shapiro_p"] = p_text(found.get("p"))
    if friedman:
        ranks = dict(zip(friedman["visits"], friedman["mean_ranks"], strict=True))
        for column, code in zip(columns, codes, strict=True):
            if code in ranks:
                column["mean_rank"] = f"{ranks[code]:.2f}"
    return {
        "table1": {"n": t1["n"], "rows": table1_rows(t1), "age": range_text(t1["age"]),
                   "months": range_text(t1["months_from_diagnosis"]),
                   "children_ages": ", ".join(str(a) for a in t1["age"]["children"]["ages"])},
        "table2": {"rows": table2, "test": table2_test_text(test)},
        "table3": {"columns": columns, "friedman": _friedman_text(friedman), "normality": normality_text(normal),
                   "complete": friedman["n"] if friedman else 0},
        "table4": {"rows": [{**f, "label": factor_label(f["factor"]), "p_text": p_text(f["p"])} for f in t4["factors"]],
                   "note": table4_note(t4), "n": t4["n"], "events": t4["events"], "excluded": t4["excluded"],
                   "method": _(t4["method"])},  # the JSON states it in English (predictors.METHOD)
        "table5": {
            "groups": [{**t5["groups"][g], "label": group_label(g),
                        "shapiro_p": p_text((t5["groups"][g]["shapiro_wilk"] or {}).get("p"))}
                       for g in ("controls", "before", "after")],
            "overall": {**t5["overall"], "p_text": p_text(t5["overall"]["p"])},
            "comparisons": [{**c, "label": " – ".join(group_label(g) for g in c["groups"]),
                             "method_label": method_label(c["method"]), "p_text": p_text(c["p"])}
                            for c in t5["comparisons"]],
        },
        "figure2": [{**row, "label": slot_label(row["visit"])} for row in report["figure2"]],
    }
