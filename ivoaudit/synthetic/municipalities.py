"""Synthetic municipalities for a regional comparison: different sizes, seeds and calibrations.

:func:`generate` draws every case's outcome with the same probabilities, so two generated
sets differ only by chance. Municipalities differ for real (IVO 2015: 0–81 % of preliminary
assessments late between committees), so a municipality here is *calibrated*: a set is
generated and then a share of the cases that pass a chosen rule are left out, which lowers
that rule's compliance. Only cases of persons with a single case are left out, so every
status the generator recorded for the cases kept stays true (``BU-ATERUPPTAGEN`` links a
person's cases): the calibrated set keeps an exact ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from ivoaudit.synthetic.generate import DEFAULT_AS_OF, GeneratedSet, generate


@dataclass(frozen=True)
class Municipality:
    """How to generate one municipality."""

    name: str
    cases: int
    seed: int
    system: str = "lifecare"
    # (rule id, share of the cases that pass it to keep): 1.0 keeps the generator's rates.
    keep_passing: tuple[tuple[str, float], ...] = ()


# Three municipalities of a made-up region: a large one as generated, a middle one slow on
# preliminary assessments and execution, and a small one (its small counts are suppressed).
REGION: tuple[Municipality, ...] = (
    Municipality("Norrby", 1200, 20261101),
    Municipality("Söderås", 900, 20261102, keep_passing=(("BU-FORHAND-14D", 0.45), ("ALL-EJ-VERKST-3M", 0.55))),
    Municipality("Västvik", 160, 20261103, keep_passing=(("BU-UTR-4M", 0.5), ("ALL-BESLUT-UNDERRATTAD", 0.6))),
)


def generate_municipality(m: Municipality, as_of: date = DEFAULT_AS_OF) -> GeneratedSet:
    """The municipality's generated set, calibrated; its ground truth holds for every case kept."""
    gset = generate(m.cases, m.seed, m.system, as_of=as_of)
    if not m.keep_passing:
        return replace(gset, meta={**gset.meta, "municipality": m.name})
    rng = np.random.default_rng(m.seed + 1)
    cases = gset.cases
    counts = cases["person_id"].map(cases["person_id"].value_counts())
    single = set(cases.loc[counts.to_numpy() == 1, "case_id"])
    truth = gset.ground_truth
    drop: set[str] = set()
    for rule_id, keep in m.keep_passing:
        passing = truth.loc[(truth["rule_id"] == rule_id) & (truth["expected_status"] == "pass"), "case_id"]
        candidates = sorted(set(passing) & single - drop)
        k = int(round(len(candidates) * (1 - keep)))
        drop |= set(rng.choice(candidates, size=k, replace=False).tolist()) if k else set()
    kept = ~cases["case_id"].isin(drop).to_numpy()
    case_header = gset.system.columns["case_id"]
    event_header = gset.system.event_columns["case_id"]
    extract = gset.extract[kept].reset_index(drop=True)
    assert list(extract[case_header]) == list(cases.loc[kept, "case_id"])  # rendered in case order
    events = gset.events[~gset.events[event_header].isin(drop)].reset_index(drop=True)
    ground_truth = truth[~truth["case_id"].isin(drop)].reset_index(drop=True)
    meta = {**gset.meta, "municipality": m.name, "n_cases": int(kept.sum()), "extract_rows": len(extract),
            "event_rows": len(events), "ground_truth_rows": len(ground_truth),
            "calibration": {rule: keep for rule, keep in m.keep_passing}, "generated_cases": m.cases}
    return replace(gset, extract=extract, events=events, ground_truth=ground_truth, meta=meta,
                   cases=cases[kept].reset_index(drop=True))


__all__ = ["REGION", "Municipality", "generate_municipality"]
