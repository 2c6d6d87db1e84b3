"""The generator's record of intended outcomes: one status and intent per (case, rule).

The rule ids and areas are copied from ``shared/spec/rules.md`` (not read from the
product's checklists, so the ground truth stays independent of the code it tests).
Statuses and intents are kept as small integer codes while generating (a million cases
times a dozen rules would not fit as Python strings) and rendered once at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ivoaudit.schema import STATUSES

S = {name: np.int8(i) for i, name in enumerate(STATUSES)}
NO_ROW = np.int8(-1)  # the rule's area does not match the case: no ground-truth row

# rule id -> area it applies to (None: every area), in the order rows are written.
RULES: dict[str, str | None] = {
    "BU-SKYDD": "barn_unga",
    "BU-FORHAND-14D": "barn_unga",
    "BU-UTR-4M": "barn_unga",
    "BU-BARN-INFO": "barn_unga",
    "BU-BARN-ASIKT": "barn_unga",
    "BU-SAMTAL": "barn_unga",
    "BU-ATERUPPTAGEN": "barn_unga",
    "BU-OVERVAG-6M": "barn_unga",
    "ALL-EJ-VERKST-3M": None,
    "ALL-AVBROTT-3M": None,
    "ALL-DROJSMAL-6M": None,
    "ALL-BESLUT-UNDERRATTAD": None,
    "ALL-OVERKLAGANDE": None,
    "FH-SKYNDSAM": "funktionshinder",
    "FH-PLAN": "funktionshinder",
    "MB-PLAN": "missbruk",
    "MB-EGEN-SYN": "missbruk",
    "MB-BEDOMNING": "missbruk",
    "AO-INFO": "aldre",
    "AO-UPPFOLJNING": "aldre",
}
RULE_IDS = tuple(RULES)


class Truth:
    """Per-rule arrays of status code, intent template id and the template's number."""

    def __init__(self, n: int):
        self.n = n
        self.status = {r: np.full(n, NO_ROW, dtype=np.int8) for r in RULES}
        self.template = {r: np.zeros(n, dtype=np.int16) for r in RULES}
        self.number = {r: np.zeros(n, dtype=np.int32) for r in RULES}
        self.templates: list[str] = [""]
        self._ids: dict[str, int] = {"": 0}

    def _tid(self, text: str) -> int:
        if text not in self._ids:
            self._ids[text] = len(self.templates)
            self.templates.append(text)
        return self._ids[text]

    def set(self, rule: str, mask: np.ndarray, status: str, intent: str,
            number: np.ndarray | int | None = None) -> None:
        """Record ``status`` with ``intent`` (``{k}`` is filled from ``number``) where ``mask``."""
        mask = np.asarray(mask, dtype=bool)
        self.status[rule][mask] = S[status]
        self.template[rule][mask] = self._tid(intent)
        if number is not None and "{k}" in intent:
            num = np.broadcast_to(np.asarray(number), mask.shape)
            self.number[rule][mask] = num[mask]
        else:
            self.number[rule][mask] = 0

    def get(self, rule: str) -> np.ndarray:
        return self.status[rule]

    def take(self, order: np.ndarray) -> Truth:
        """The same records with cases reordered/selected by ``order``."""
        out = Truth(len(order))
        out.templates, out._ids = self.templates, self._ids
        for r in RULES:
            out.status[r] = self.status[r][order]
            out.template[r] = self.template[r][order]
            out.number[r] = self.number[r][order]
        return out

    @staticmethod
    def concat(parts: list[Truth]) -> Truth:
        """Join the records of several case batches (templates are merged)."""
        out = Truth(sum(p.n for p in parts))
        for r in RULES:
            chunks_s, chunks_t, chunks_k = [], [], []
            for p in parts:
                remap = np.array([out._tid(text) for text in p.templates], dtype=np.int16)
                chunks_s.append(p.status[r])
                chunks_t.append(remap[p.template[r]])
                chunks_k.append(p.number[r])
            out.status[r] = np.concatenate(chunks_s) if chunks_s else out.status[r]
            out.template[r] = np.concatenate(chunks_t) if chunks_t else out.template[r]
            out.number[r] = np.concatenate(chunks_k) if chunks_k else out.number[r]
        return out

    def frame(self, case_ids: np.ndarray, keep: np.ndarray | None = None) -> pd.DataFrame:
        """``case_id, rule_id, expected_status, intent``: case order, then catalogue order."""
        keep = np.ones(self.n, dtype=bool) if keep is None else keep
        case_idx, rule_idx, status, intent_key = [], [], [], []
        for j, r in enumerate(RULES):
            rows = np.flatnonzero((self.status[r] >= 0) & keep)
            case_idx.append(rows)
            rule_idx.append(np.full(len(rows), j, dtype=np.int16))
            status.append(self.status[r][rows])
            intent_key.append(self.template[r][rows].astype(np.int64) * 1_000_000
                              + self.number[r][rows].astype(np.int64))
        ci = np.concatenate(case_idx)
        ri = np.concatenate(rule_idx)
        order = np.lexsort((ri, ci))
        ci, ri = ci[order], ri[order]
        st = np.concatenate(status)[order]
        key = np.concatenate(intent_key)[order]
        uniq, codes = np.unique(key, return_inverse=True)
        texts = [self.templates[int(u // 1_000_000)].replace("{k}", str(int(u % 1_000_000)))
                 for u in uniq]
        return pd.DataFrame({
            "case_id": pd.Categorical.from_codes(ci, categories=pd.Index(case_ids, dtype=object)),
            "rule_id": pd.Categorical.from_codes(ri, categories=list(RULES)),
            "expected_status": pd.Categorical.from_codes(st, categories=list(STATUSES)),
            "intent": pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(texts, dtype=object)),
        })
