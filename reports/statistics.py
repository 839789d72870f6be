"""The study's statistics, in one module: named, typed wrappers over scipy and statsmodels (pure, no database).

What the paper's methods name and where it is computed:
- descriptive: mean ± SD (n − 1), median (range), quartiles (numpy's linear interpolation);
- Shapiro–Wilk normality test (scipy.stats.shapiro);
- Friedman test over repeated platelet counts with Kendall's W = χ² / (n (k − 1)) (scipy.stats.friedmanchisquare,
  average ranks for ties, tie-corrected);
- one-way ANOVA (scipy.stats.f_oneway) with Fisher's LSD pairwise comparisons (pooled within-group variance,
  N − k df), and a repeated-measures ANOVA within patients (statsmodels AnovaRM);
- binary logistic regression (statsmodels Logit): b, Wald P, odds ratio and its 95 % CI, or a note when the model
  cannot be estimated (perfect separation, no convergence, a constant or collinear factor);
- the Freeman–Halton extension of Fisher's exact test for an r × c table. Neither library gives an exact P for
  tables larger than 2 × 2, so it is computed here by the network algorithm (Mehta & Patel 1983): the tables
  with the observed margins are built row by row, paths that reach the same partial column sums with the same
  probability are merged, and a subtree is settled at once when all or none of its tables are at most as
  probable as the observed one. When a study is too large for that (more than `EXACT_MAX_PATHS` open paths),
  P is estimated by Monte Carlo (scipy.stats.fisher_exact with `MC_SAMPLES` random tables, fixed seed
  `MC_SEED`), and the result says so.
"""

import functools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

# Tables whose probability is within this relative tolerance of the observed one count as "as extreme"
# (the same tolerance as R's fisher.test and scipy's 2 × 2 fisher_exact).
RELATIVE_TOLERANCE = 1e-7
EXACT_WORK_LIMIT = 10_000_000  # path extensions the exact test may try before falling back to Monte Carlo
PREDICTION_MARGIN = 4  # give up when the predicted work is this many times the budget left
EXACT_MAX_GRID = 2_000_000
EXACT_MAX_ROW_CHOICES = 200_000  # ways to fill one row  # nodes of the network (product of the column totals + 1)
MC_SAMPLES = 100_000
MC_SEED = 20240324
ALPHA = 0.05


# --------------------------------------------------------------------------- descriptive


def mean_sd(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and sample SD (n − 1); SD is None below 2 values."""
    n = len(values)
    if n == 0:
        return None, None
    array = np.asarray(values, dtype=float)
    mean = float(array.mean())
    if n < 2:
        return mean, None
    return mean, float(array.std(ddof=1))


def median_range(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(median, minimum, maximum), None without values."""
    if len(values) == 0:
        return None
    array = np.asarray(values, dtype=float)
    return float(np.median(array)), float(array.min()), float(array.max())


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(25th percentile, median, 75th percentile) by linear interpolation (numpy's default); None without values."""
    if len(values) == 0:
        return None
    q1, q2, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(q1), float(q2), float(q3)


# --------------------------------------------------------------------------- distributions


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    return float(special.betainc(a, b, x))


def chi2_sf(x: float, df: int) -> float:
    """P(χ² > x) with df degrees of freedom."""
    return float(stats.chi2.sf(x, df))


def f_sf(f: float, df1: int, df2: int) -> float:
    """P(F > f) for the F distribution."""
    return float(stats.f.sf(f, df1, df2))


def t_two_sided(t: float, df: int) -> float:
    """Two-sided P of Student's t."""
    return float(2 * stats.t.sf(abs(t), df))


# --------------------------------------------------------------------------- normality


@dataclass(frozen=True)
class ShapiroWilk:
    n: int
    w: float
    p: float

    @property
    def normal(self) -> bool:
        """Normality not rejected at ALPHA."""
        return self.p >= ALPHA


def shapiro_wilk(values: Sequence[float]) -> ShapiroWilk | None:
    """None below 3 values or when all values are equal (the test is undefined)."""
    array = np.asarray(values, dtype=float)
    if array.size < 3 or np.ptp(array) == 0:
        return None
    result = stats.shapiro(array)
    return ShapiroWilk(n=int(array.size), w=float(result.statistic), p=float(result.pvalue))


# --------------------------------------------------------------------------- ranks and Friedman


@dataclass(frozen=True)
class Friedman:
    n: int  # complete cases (patients with a count at every timepoint)
    k: int  # timepoints
    chi2: float
    p: float
    kendall_w: float  # chi2 / (n (k - 1))
    mean_ranks: tuple[float, ...]


def average_ranks(values: Sequence[float]) -> list[float]:
    return [float(r) for r in stats.rankdata(values, method="average")]


def friedman(rows: Sequence[Sequence[float]]) -> Friedman | None:
    """Friedman test over `rows` (one row per patient, one value per timepoint).

    None when undefined: fewer than 2 patients or 3 timepoints, ragged rows, or no patient whose values differ.
    """
    n = len(rows)
    if n < 2:
        return None
    k = len(rows[0])
    if k < 3 or any(len(r) != k for r in rows):
        return None
    matrix = np.asarray(rows, dtype=float)
    if all(np.ptp(row) == 0 for row in matrix):
        return None
    result = stats.friedmanchisquare(*matrix.T)
    chi2 = float(result.statistic)
    mean_ranks = stats.rankdata(matrix, axis=1).mean(axis=0)
    return Friedman(n=n, k=k, chi2=chi2, p=float(result.pvalue), kendall_w=chi2 / (n * (k - 1)),
                    mean_ranks=tuple(float(r) for r in mean_ranks))


# --------------------------------------------------------------------------- ANOVA


@dataclass(frozen=True)
class Anova:
    f: float
    df_between: int
    df_within: int
    p: float
    mse: float


def one_way_anova(groups: Sequence[Sequence[float]]) -> Anova | None:
    """None unless there are ≥2 groups with values and some within-group variation."""
    groups = [np.asarray(g, dtype=float) for g in groups if len(g) > 0]
    k, n = len(groups), sum(g.size for g in groups)
    if k < 2 or n - k < 1:
        return None
    within = sum(float(((g - g.mean()) ** 2).sum()) for g in groups)
    mse = within / (n - k)
    if mse == 0:
        return None
    result = stats.f_oneway(*groups)
    return Anova(f=float(result.statistic), df_between=k - 1, df_within=n - k, p=float(result.pvalue), mse=mse)


def lsd_p(a: Sequence[float], b: Sequence[float], anova: Anova) -> float | None:
    """Fisher's LSD: two-sided P for the difference of two group means with the ANOVA's MSE."""
    if not len(a) or not len(b):
        return None
    diff = float(np.mean(a)) - float(np.mean(b))
    t = diff / math.sqrt(anova.mse * (1 / len(a) + 1 / len(b)))
    return t_two_sided(t, anova.df_within)


@dataclass(frozen=True)
class RepeatedMeasures:
    n: int  # subjects with a value in every condition
    f: float
    df_num: int
    df_den: int
    p: float


def repeated_measures_anova(rows: Sequence[Sequence[float]]) -> RepeatedMeasures | None:
    """One-factor repeated-measures ANOVA (statsmodels AnovaRM) over `rows` (one row per subject, one value per
    condition). None below 2 subjects or 2 conditions, or when the residual variance is zero."""
    n = len(rows)
    k = len(rows[0]) if n else 0
    if n < 2 or k < 2 or any(len(r) != k for r in rows):
        return None
    matrix = np.asarray(rows, dtype=float)
    residual = matrix - matrix.mean(axis=1, keepdims=True) - matrix.mean(axis=0, keepdims=True) + matrix.mean()
    if np.allclose(residual, 0, atol=1e-12):
        return None
    import pandas as pd
    from statsmodels.stats.anova import AnovaRM

    frame = pd.DataFrame([{"subject": i, "condition": j, "value": float(v)}
                          for i, row in enumerate(matrix) for j, v in enumerate(row)])
    table = AnovaRM(frame, depvar="value", subject="subject", within=["condition"]).fit().anova_table
    row = table.loc["condition"]
    return RepeatedMeasures(n=n, f=float(row["F Value"]), df_num=int(row["Num DF"]), df_den=int(row["Den DF"]),
                            p=float(row["Pr > F"]))


# --------------------------------------------------------------------------- logistic regression


@dataclass(frozen=True)
class Coefficient:
    name: str
    b: float
    se: float
    p: float
    odds_ratio: float
    ci_low: float  # 95 % CI of the odds ratio
    ci_high: float


@dataclass(frozen=True)
class Logistic:
    n: int
    events: int
    coefficients: tuple[Coefficient, ...]  # the factors, in the order given (the intercept is not reported)
    note: str | None  # None when estimated; else "no_outcome_variation", "too_few", "constant_factor",
    #                   "separation", "not_converged", "singular"
    note_params: dict | None = None


def _separates(values: np.ndarray, outcome: np.ndarray) -> bool:
    """A two-valued factor one of whose values has only responders or only non-responders (quasi-complete
    separation: its coefficient has no finite maximum-likelihood estimate)."""
    levels = np.unique(values)
    return levels.size == 2 and any(np.ptp(outcome[values == level]) == 0 for level in levels)


def logistic_regression(y: Sequence[int], factors: dict[str, Sequence[float]]) -> Logistic:
    """Binary logistic regression of `y` (0/1) on `factors` (name → values), with an intercept (statsmodels Logit,
    Newton, up to 100 iterations). Never raises for the data: a model that cannot be estimated comes back with
    no coefficients and a `note`."""
    outcome = np.asarray(y, dtype=float)
    n, events = int(outcome.size), int(outcome.sum())
    names = list(factors)

    def failed(note: str, **params) -> Logistic:
        return Logistic(n=n, events=events, coefficients=(), note=note, note_params=params or None)

    if n <= len(names) + 1:
        return failed("too_few", n=n, parameters=len(names) + 1)
    if events in (0, n):
        return failed("no_outcome_variation")
    design = np.column_stack([np.ones(n)] + [np.asarray(factors[name], dtype=float) for name in names])
    constant = [name for i, name in enumerate(names) if np.ptp(design[:, i + 1]) == 0]
    if constant:
        return failed("constant_factor", factors=constant)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return failed("singular")
    separating = [name for i, name in enumerate(names) if _separates(design[:, i + 1], outcome)]
    if separating:
        return failed("separation", factors=separating)
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = sm.Logit(outcome, design).fit(disp=0, maxiter=100)
        except PerfectSeparationError:
            return failed("separation")
        except np.linalg.LinAlgError:
            return failed("singular")
    kinds = {w.category for w in caught}
    if PerfectSeparationWarning in kinds:
        return failed("separation")
    if ConvergenceWarning in kinds or not fit.mle_retvals.get("converged", False):
        return failed("not_converged")
    bse = np.asarray(fit.bse)
    if not np.all(np.isfinite(bse)):
        return failed("singular")
    ci = np.asarray(fit.conf_int(alpha=0.05))
    coefficients = tuple(
        Coefficient(name=name, b=float(fit.params[i]), se=float(bse[i]), p=float(fit.pvalues[i]),
                    odds_ratio=float(np.exp(fit.params[i])), ci_low=float(np.exp(ci[i, 0])),
                    ci_high=float(np.exp(ci[i, 1])))
        for i, name in ((j + 1, name) for j, name in enumerate(names))
    )
    return Logistic(n=n, events=events, coefficients=coefficients, note=None)


# --------------------------------------------------------------------------- Freeman–Halton exact test

EXACT = "exact"
MONTE_CARLO = "monte_carlo"


@dataclass(frozen=True)
class ContingencyTest:
    statistic: float  # Freeman–Halton statistic −2 ln(γ P(observed)), asymptotically χ² with df
    df: int
    p: float
    method: str  # EXACT (network algorithm) or MONTE_CARLO
    table_probability: float  # P(observed table | margins)
    samples: int | None = None  # Monte Carlo only
    seed: int | None = None


def _log_table_probability(table: np.ndarray) -> float:
    rows, cols, total = table.sum(axis=1), table.sum(axis=0), table.sum()
    return float(special.gammaln(rows + 1).sum() + special.gammaln(cols + 1).sum() - special.gammaln(total + 1)
                 - special.gammaln(table + 1).sum())


def freeman_halton_statistic(table: np.ndarray) -> float:
    """−2 ln(γ P) with γ = (2π)^((r−1)(c−1)/2) N^(−(rc−1)/2) Π R_i^((c−1)/2) Π C_j^((r−1)/2) (Freeman & Halton 1951;
    the statistic SPSS prints for Fisher's exact test of an r × c table)."""
    r, c = table.shape
    rows, cols, total = table.sum(axis=1), table.sum(axis=0), table.sum()
    log_gamma = ((r - 1) * (c - 1) / 2 * math.log(2 * math.pi) - (r * c - 1) / 2 * math.log(total)
                 + (c - 1) / 2 * float(np.log(rows).sum()) + (r - 1) / 2 * float(np.log(cols).sum()))
    return -2 * (log_gamma + _log_table_probability(table))


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """Every vector x ≥ 0 with sum `total` and x ≤ caps, as rows of an array."""
    found = []
    c = len(caps)

    def extend(prefix: list[int], left: int, j: int) -> None:
        if j == c - 1:
            if left <= caps[j]:
                found.append([*prefix, left])
            return
        for x in range(min(left, caps[j]) + 1):
            extend([*prefix, x], left - x, j + 1)

    extend([], total, 0)
    return np.asarray(found, dtype=np.int64).reshape(-1, c)


class _TooLarge(Exception):
    pass


class _Network:
    """The tables with margins `rows` × `cols` as paths through stages 0..r (stage k: rows 0..k−1 filled); a node
    is the vector of column totals still to fill, numbered in a grid. A path's value is Σ −ln x! over its cells,
    so a table's probability is exp(const + value).

    Heads (from the start) and tails (from the end) are grown until they meet at one stage, then joined: per node,
    every head with every tail whose summed value is ≤ the observed table's. Heads whose completions are all in
    (or all out) are settled early with the least/most probable completion of each node (dynamic programming);
    tails are only dropped when no head can bring them in (settling them in too would count a table twice).
    Values are compared on a fixed grid of `quantum` (≤ 1e-8 on the log scale, far below the 1e-7 tolerance)."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, work_limit: int):
        self.rows, self.cols, self.r = rows, cols, len(rows)
        self.size = int(np.prod(cols + 1))
        if self.size > EXACT_MAX_GRID:
            raise _TooLarge
        self.node_bits = max(1, int(self.size - 1).bit_length())
        self.vmin = -float(special.gammaln(rows.sum() + 1)) - 1.0  # no table's value is lower
        self.quantum = max(1e-9, -self.vmin / 2 ** (62 - self.node_bits))
        if self.quantum > 1e-8:
            raise _TooLarge
        self.work_left = work_limit
        self.strides = np.concatenate([[1], np.cumprod(cols[::-1] + 1)[:-1]])[::-1].astype(np.int64)
        self.grid = np.stack(np.unravel_index(np.arange(self.size), tuple(int(x) + 1 for x in cols)),
                             axis=1).astype(np.int64)
        sums = self.grid.sum(axis=1)
        self.remaining = np.concatenate([np.cumsum(rows[::-1])[::-1], [0]])
        if any(math.comb(int(total) + len(cols) - 1, len(cols) - 1) > EXACT_MAX_ROW_CHOICES for total in rows):
            raise _TooLarge
        self.choices = [_compositions(int(total), cols) for total in rows]
        self.weights = [-special.gammaln(x + 1).sum(axis=1) for x in self.choices]
        self.const = float(special.gammaln(rows + 1).sum() + special.gammaln(cols + 1).sum()
                           - special.gammaln(rows.sum() + 1))
        stage_nodes = [int(np.count_nonzero(sums == self.remaining[k])) for k in range(self.r + 1)]
        self.work_left -= sum(2 * stage_nodes[k] * len(self.choices[k]) for k in range(self.r))
        if self.work_left < 0:
            raise _TooLarge
        # Least and most probable completion of every node (tails), least probable way to reach it (heads).
        self.tail_low = [np.full(self.size, np.inf) for _ in range(self.r + 1)]
        self.tail_high = [np.full(self.size, -np.inf) for _ in range(self.r + 1)]
        self.head_low = [np.full(self.size, np.inf) for _ in range(self.r + 1)]
        self.tail_low[self.r][0] = self.tail_high[self.r][0] = self.head_low[0][self.size - 1] = 0.0
        for k in range(self.r - 1, -1, -1):
            for chunk in self._chunks(np.flatnonzero(sums == self.remaining[k]), k):
                child, valid = self._moves(chunk, k, -1)
                self.tail_low[k][chunk] = np.where(valid, self.weights[k] + self.tail_low[k + 1][child],
                                                   np.inf).min(axis=1)
                self.tail_high[k][chunk] = np.where(valid, self.weights[k] + self.tail_high[k + 1][child],
                                                    -np.inf).max(axis=1)
        for k in range(self.r):
            for chunk in self._chunks(np.flatnonzero(sums == self.remaining[k + 1]), k):
                parent, valid = self._moves(chunk, k, +1)
                self.head_low[k + 1][chunk] = np.where(valid, self.weights[k] + self.head_low[k][parent],
                                                       np.inf).min(axis=1)

    def _chunks(self, items: np.ndarray, k: int) -> list[np.ndarray]:
        return np.array_split(items, max(1, items.size * len(self.choices[k]) // 400_000))

    def _moves(self, nodes: np.ndarray, k: int, sign: int) -> tuple[np.ndarray, np.ndarray]:
        """Nodes reached from `nodes` by each choice of row k (sign −1: filling it, +1: taking it back)."""
        moved = self.grid[nodes][:, None, :] + sign * self.choices[k][None, :, :]
        valid = ((moved >= 0) & (moved <= self.cols)).all(axis=2)
        return np.where(valid, (moved * self.strides).sum(axis=2), 0), valid

    def _keys(self, node: np.ndarray, value: np.ndarray) -> np.ndarray:
        steps = np.clip(np.floor((value - self.vmin) / self.quantum), -1, 2 ** (62 - self.node_bits) - 1)
        return (node.astype(np.int64) << (62 - self.node_bits)) + steps.astype(np.int64)

    def _merge(self, frontier):
        """Paths that reach the same node with the same value become one path with their summed count."""
        node, value, count = frontier
        if node.size < 2:
            return frontier
        keys = self._keys(node, value)
        order = np.argsort(keys)
        keys = keys[order]
        start = np.concatenate([[True], keys[1:] != keys[:-1]])
        return node[order][start], value[order][start], np.bincount(np.cumsum(start) - 1, weights=count[order])

    def _grow(self, frontier, k: int, sign: int, keep):
        node, value, count = self._merge(frontier)
        self.work_left -= node.size * len(self.choices[k])
        if self.work_left < 0:
            raise _TooLarge
        kept = ([], [], [])
        for part in self._chunks(np.arange(node.size), k):
            moved, valid = self._moves(node[part], k, sign)
            new_value = value[part][:, None] + self.weights[k][None, :]
            counts = np.broadcast_to(count[part][:, None], new_value.shape)
            chosen = keep(moved, valid, new_value, counts)
            for bucket, values in zip(kept, (moved, new_value, counts), strict=True):
                bucket.append(values[chosen])
        return tuple(np.concatenate(bucket) for bucket in kept)

    def forward(self, frontier, k: int, threshold: float, settled: list[float]):
        """Fill row k on every open head; settle the heads whose completions are all in or all out."""
        def keep(child, valid, value, counts):
            all_in = valid & (value + self.tail_high[k + 1][child] <= threshold)
            if all_in.any():
                rows_left = float(special.gammaln(self.rows[k + 1:] + 1).sum())
                log_completions = (special.gammaln(self.remaining[k + 1] + 1) - rows_left
                                   - special.gammaln(self.grid[child[all_in]] + 1).sum(axis=1))
                settled.append(float((counts[all_in] * np.exp(self.const + value[all_in] + log_completions)).sum()))
            return valid & ~all_in & (value + self.tail_low[k + 1][child] <= threshold)

        return self._grow(frontier, k, -1, keep)

    def backward(self, frontier, k: int, threshold: float):
        """Put row k in front of every tail; drop the tails that no head can bring in."""
        def keep(parent, valid, value, counts):
            return valid & (value + self.head_low[k][parent] <= threshold)

        return self._grow(frontier, k, +1, keep)

    def join(self, heads, tails, threshold: float) -> float:
        """Σ P over the (head, tail) pairs meeting at a node whose summed value is ≤ `threshold`: the smaller side
        is sorted by (node, value) with running sums of its weights, the larger side looks itself up in it."""
        small, large = sorted((self._merge(heads), tails), key=lambda side: side[0].size)
        s_node, s_value, s_count = small
        l_node, l_value, l_count = large
        if s_node.size == 0 or l_node.size == 0:
            return 0.0
        keys = self._keys(s_node, s_value)
        order = np.argsort(keys)
        keys, s_node, s_value, s_count = keys[order], s_node[order], s_value[order], s_count[order]
        top = np.full(self.size, -np.inf)  # each node's largest value on the small side, to keep exp() in range
        np.maximum.at(top, s_node, s_value)
        cumulative = np.concatenate([[0.0], np.cumsum(s_count * np.exp(s_value - top[s_node]))])
        node_start = np.searchsorted(keys, l_node.astype(np.int64) << (62 - self.node_bits), side="left")
        upto = np.searchsorted(keys, self._keys(l_node, threshold - l_value), side="right")
        upto = np.maximum(upto, node_start)  # entries of the same node with value ≤ threshold − own value
        reached = np.isfinite(top[l_node])
        scale = np.exp(self.const + l_value + np.where(reached, top[l_node], 0.0))
        return float(np.where(reached, l_count * scale * (cumulative[upto] - cumulative[node_start]), 0.0).sum())


def _predicted_work(net: _Network, heads: float, tails: float, f: int, b: int, growth: list[float]) -> float:
    """The work left to meet if each side keeps growing as in its last step (a guess, used only to give up
    early on tables far beyond the budget)."""
    work = 0.0
    while f < b:
        if heads * len(net.choices[f]) <= tails * len(net.choices[b - 1]):
            work, heads, f = work + heads * len(net.choices[f]), heads * growth[0], f + 1
        else:
            work, tails, b = work + tails * len(net.choices[b - 1]), tails * growth[1], b - 1
    return work


def _exact_p(table: np.ndarray, work_limit: int) -> float | None:
    """P of the tables with the observed margins that are at most as probable as `table`; None if too large."""
    if np.prod(table.sum(axis=0) + 1) > np.prod(table.sum(axis=1) + 1):
        table = table.T  # the smaller network
    table = table[np.argsort(-table.sum(axis=1), kind="stable")]
    try:
        net = _Network(table.sum(axis=1), table.sum(axis=0), work_limit)
    except _TooLarge:
        return None
    threshold = float(-special.gammaln(table + 1).sum()) + math.log1p(RELATIVE_TOLERANCE)
    settled: list[float] = []
    heads = (np.array([net.size - 1]), np.zeros(1), np.ones(1))  # the start node: every column total to fill
    tails = (np.array([0]), np.zeros(1), np.ones(1))  # the end node: nothing left
    f, b = 0, net.r
    growth = [None, None]  # last observed growth of the heads and of the tails (entries after / before a step)
    try:
        while f < b:  # grow the cheaper side until the two meet
            if None not in growth and _predicted_work(net, heads[0].size, tails[0].size, f, b, growth) > \
                    PREDICTION_MARGIN * net.work_left:
                return None  # give up now rather than after most of the budget
            if heads[0].size * len(net.choices[f]) <= tails[0].size * len(net.choices[b - 1]):
                before = heads[0].size
                heads, f = net.forward(heads, f, threshold, settled), f + 1
                growth[0] = max(1.0, heads[0].size / max(before, 1))
            else:
                before = tails[0].size
                tails, b = net.backward(tails, b - 1, threshold), b - 1
                growth[1] = max(1.0, tails[0].size / max(before, 1))
    except _TooLarge:
        return None
    return min(math.fsum(settled) + net.join(heads, tails, threshold), 1.0)


def freeman_halton(table: Sequence[Sequence[int]], *, work_limit: int = EXACT_WORK_LIMIT,
                   samples: int = MC_SAMPLES, seed: int = MC_SEED) -> ContingencyTest | None:
    """Freeman–Halton test of independence of an r × c table of counts (rows and columns without any count are
    left out). None when fewer than 2 rows or 2 columns have counts. Results are kept per table in this process
    (a study's table changes only when a visit is entered)."""
    array = np.asarray(table, dtype=np.int64)
    if array.ndim != 2 or (array < 0).any():
        raise ValueError("a table of non-negative counts is required")
    array = array[array.sum(axis=1) > 0][:, array.sum(axis=0) > 0]
    if array.shape[0] < 2 or array.shape[1] < 2:
        return None
    return _freeman_halton(tuple(tuple(row) for row in array.tolist()), work_limit, samples, seed)


@functools.lru_cache(maxsize=64)
def _freeman_halton(table: tuple[tuple[int, ...], ...], work_limit: int, samples: int,
                    seed: int) -> ContingencyTest:
    array = np.asarray(table, dtype=np.int64)
    r, c = array.shape
    common = {"statistic": freeman_halton_statistic(array), "df": (r - 1) * (c - 1),
              "table_probability": math.exp(_log_table_probability(array))}
    p = _exact_p(array, work_limit)
    if p is not None:
        return ContingencyTest(p=p, method=EXACT, **common)
    method = stats.MonteCarloMethod(n_resamples=samples, rng=np.random.default_rng(seed))
    result = stats.fisher_exact(array, method=method)
    return ContingencyTest(p=float(result.pvalue), method=MONTE_CARLO, samples=samples, seed=seed, **common)
