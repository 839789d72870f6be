"""One-way ANOVA with Fisher's LSD pairwise comparisons, pure Python (no scipy), for the Treg comparison
the paper's Table 5 makes (controls vs patients before vs after sirolimus).

P values come from the F and Student t distributions through the regularized incomplete beta function
(continued fraction, Numerical Recipes §6.4). Pairwise: Fisher's least significant difference — a two-sided
t test of two group means using the ANOVA's pooled within-group variance (MSE) and its N − k degrees of freedom.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def mean_sd(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and sample SD (n − 1); SD is None below 2 values."""
    n = len(values)
    if n == 0:
        return None, None
    mean = sum(values) / n
    if n < 2:
        return mean, None
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))


def _betacf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1.0 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > 1e-300 else 1e-300)
        c = 1.0 + aa / c
        c = c if abs(c) > 1e-300 else 1e-300
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def f_sf(f: float, df1: int, df2: int) -> float:
    """P(F > f) for the F distribution."""
    if f <= 0:
        return 1.0
    return betainc(df2 / 2, df1 / 2, df2 / (df2 + df1 * f))


def t_two_sided(t: float, df: int) -> float:
    return betainc(df / 2, 0.5, df / (df + t * t))


@dataclass(frozen=True)
class Anova:
    f: float
    df_between: int
    df_within: int
    p: float
    mse: float


def one_way_anova(groups: Sequence[Sequence[float]]) -> Anova | None:
    """None unless there are ≥2 groups with values and some within-group variation."""
    groups = [list(g) for g in groups if len(g) > 0]
    k, n = len(groups), sum(len(g) for g in groups)
    if k < 2 or n - k < 1:
        return None
    grand = sum(sum(g) for g in groups) / n
    between = sum(len(g) * (sum(g) / len(g) - grand) ** 2 for g in groups)
    within = sum(sum((v - sum(g) / len(g)) ** 2 for v in g) for g in groups)
    df_b, df_w = k - 1, n - k
    mse = within / df_w
    if mse == 0:
        return None
    f = (between / df_b) / mse
    return Anova(f=f, df_between=df_b, df_within=df_w, p=f_sf(f, df_b, df_w), mse=mse)


def lsd_p(a: Sequence[float], b: Sequence[float], anova: Anova) -> float | None:
    """Fisher's LSD: two-sided P for the difference of two group means with the ANOVA's MSE."""
    if not a or not b:
        return None
    diff = sum(a) / len(a) - sum(b) / len(b)
    t = diff / math.sqrt(anova.mse * (1 / len(a) + 1 / len(b)))
    return t_two_sided(t, anova.df_within)
