"""Friedman test and Kendall's W over repeated platelet counts (pure; SPEC §3, the paper's Table 3).

Ranks are within each patient across timepoints (average ranks for ties), with the usual
tie correction. The p-value is the chi-square upper tail with k - 1 degrees of freedom.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Friedman:
    n: int  # complete cases (patients with a count at every timepoint)
    k: int  # timepoints
    chi2: float
    p: float
    kendall_w: float  # chi2 / (n (k - 1))
    mean_ranks: tuple[float, ...]


def average_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for m in range(i, j + 1):
            ranks[order[m]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _upper_gamma_regularized(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a), by series for x < a + 1 and a continued fraction otherwise."""
    if x <= 0:
        return 1.0
    log_prefix = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        denominator = a
        for _ in range(1000):
            denominator += 1
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(log_prefix) * h


def chi2_sf(x: float, df: int) -> float:
    return _upper_gamma_regularized(df / 2, x / 2)


def friedman(rows: Sequence[Sequence[float]]) -> Friedman | None:
    """Friedman test over `rows` (one row per patient, one value per timepoint); None when undefined."""
    n = len(rows)
    if n < 2:
        return None
    k = len(rows[0])
    if k < 2 or any(len(r) != k for r in rows):
        return None
    ranked = [average_ranks(r) for r in rows]
    rank_sums = [sum(r[j] for r in ranked) for j in range(k)]
    ties = 0.0
    for r in ranked:
        for rank in set(r):
            t = r.count(rank)
            ties += t**3 - t
    denominator = 1 - ties / (n * (k**3 - k))
    if denominator <= 0:  # every patient has the same value at every timepoint
        return None
    chi2 = (12 / (n * k * (k + 1)) * sum(s * s for s in rank_sums) - 3 * n * (k + 1)) / denominator
    return Friedman(n=n, k=k, chi2=chi2, p=chi2_sf(chi2, k - 1), kendall_w=chi2 / (n * (k - 1)),
                    mean_ranks=tuple(s / n for s in rank_sums))
