"""Small, dependency-free statistics for sampled audits.

* :func:`wilson_interval` and :func:`exact_interval` (Clopper–Pearson): confidence intervals
  for a compliance rate measured on a sample. Ten reviewed cases say little; the interval
  says how little.
* :func:`attribute_sample_size`: the sample size an auditor uses for attribute (tests of
  controls) sampling, computed from the binomial distribution as in the AICPA Audit Guide
  *Audit Sampling* tables: the smallest ``n`` such that, if the true deviation rate were the
  tolerable rate, finding at most ``k`` deviations (``k`` = the deviations expected in the
  sample, ``ceil(n × expected rate)``) would happen with probability at most
  ``1 − confidence``. With 95 % confidence and no expected deviations this gives 59 for a 5 %
  and 29 for a 10 % tolerable rate, the AICPA table's values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def _z_for(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence`` (bisection on erf: no scipy needed)."""
    if abs(confidence - 0.95) < 1e-12:
        return Z95
    target = confidence
    lo, hi = 0.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if math.erf(mid / math.sqrt(2)) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval for ``successes`` out of ``n``; ``None`` when ``n`` is 0.

    Chosen over the normal approximation because samples are small and rates often near
    0 or 1, where the normal interval leaves [0, 1] (Newcombe 1998, method 3).
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} outside 0..{n}")
    z = _z_for(confidence)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p), summed term by term in log space (exact enough)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k + 1):
        log_term = (math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                    + i * log_p + (n - i) * log_q)
        total += math.exp(log_term)
    return min(1.0, total)


def exact_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Clopper–Pearson ("exact") interval, found by bisection on the binomial tails."""
    if n <= 0:
        return None
    alpha = 1 - confidence

    def solve(f, want_increasing: bool) -> float:
        lo, hi = 0.0, 1.0
        for _ in range(100):
            mid = (lo + hi) / 2
            if (f(mid) > alpha / 2) == want_increasing:
                hi = mid
            else:
                lo = mid
        return (lo + hi) / 2

    # lower: P(X >= x | p) = alpha/2, increasing in p
    lower = 0.0 if successes == 0 else solve(lambda p: 1 - binom_cdf(successes - 1, n, p), True)
    # upper: P(X <= x | p) = alpha/2, decreasing in p
    upper = 1.0 if successes == n else solve(lambda p: binom_cdf(successes, n, p), False)
    return lower, upper


@dataclass(frozen=True)
class SampleSizeCalculation:
    """The result of :func:`attribute_sample_size`, with what an auditor needs to check it."""

    n: int
    confidence: float
    tolerable: float
    expected: float
    allowed_deviations: int  # k: deviations expected in the sample
    risk: float  # P(X <= k | n, tolerable): the achieved risk of over-reliance

    def explain(self, lang: str = "sv") -> str:
        """One paragraph showing the method and the numbers."""
        if lang == "en":
            return (
                f"Attribute sampling (binomial, as the AICPA Audit Sampling tables): the smallest n "
                f"such that P(at most k deviations | n, tolerable rate {self.tolerable:.1%}) "
                f"≤ 1 − confidence ({1 - self.confidence:.1%}), with k = ceil(n × expected rate "
                f"{self.expected:.1%}). Result: n = {self.n}, k = {self.allowed_deviations}, "
                f"P = {self.risk:.4f}.")
        return (
            f"Attributurval (binomialfördelning, som AICPA:s tabeller i Audit Sampling): minsta n "
            f"sådant att P(högst k avvikelser | n, tolerabel avvikelsegrad {self.tolerable:.1%}) "
            f"≤ 1 − konfidensgrad ({1 - self.confidence:.1%}), där k = ceil(n × förväntad "
            f"avvikelsegrad {self.expected:.1%}). Resultat: n = {self.n}, k = "
            f"{self.allowed_deviations}, P = {self.risk:.4f}.")


def attribute_sample_size(confidence: float = 0.95, tolerable: float = 0.10,
                          expected: float = 0.0, max_n: int = 5000) -> SampleSizeCalculation:
    """Smallest attribute-sampling size (see the module docstring for the method).

    Raises ``ValueError`` when the parameters make no sense (expected ≥ tolerable) or no
    ``n`` up to ``max_n`` suffices.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if not 0 < tolerable < 1:
        raise ValueError("tolerable must be between 0 and 1")
    if not 0 <= expected < tolerable:
        raise ValueError("expected must be at least 0 and below tolerable")
    risk_allowed = 1 - confidence
    for n in range(1, max_n + 1):
        # The small epsilon keeps n × rate = 1.0000000001 from rounding up to 2.
        k = math.ceil(n * expected - 1e-9) if expected > 0 else 0
        risk = binom_cdf(k, n, tolerable)
        if risk <= risk_allowed + 1e-12:
            return SampleSizeCalculation(n, confidence, tolerable, expected, k, risk)
    raise ValueError(f"no sample size up to {max_n} reaches the confidence asked for")
