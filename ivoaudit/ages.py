"""Age groups for breakdowns (IVO asks for figures by sex and age group).

One definition for every part (check outputs, sampling strata, reports). The age is
counted in whole years on the day the case was received (the report or application came
in), because that is the age at which the law's duties applied to the person; where the
received date is unknown, on the check date. Groups: 0–12, 13–17, 18–20 (children and young
people), 21–64, 65–79, 80+ (adults and elderly care).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

AGE_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 12, "0-12"), (13, 17, "13-17"), (18, 20, "18-20"), (21, 64, "21-64"), (65, 79, "65-79"),
    (80, 200, "80+"),
)


def age_groups(birth: pd.Series, received: pd.Series | None = None, as_of: date | None = None) -> pd.Series:
    """The age group of each case; missing (``None``) where the birth date is unknown.

    ``received`` (dates, same index) is the reference day; where it is missing, ``as_of``.
    """
    born = pd.to_datetime(birth, errors="coerce")
    reference = pd.to_datetime(received, errors="coerce") if received is not None else \
        pd.Series(pd.NaT, index=born.index, dtype="datetime64[ns]")
    if as_of is not None:
        reference = reference.fillna(pd.Timestamp(as_of))
    not_yet_birthday = (reference.dt.month * 100 + reference.dt.day) < (born.dt.month * 100 + born.dt.day)
    years = reference.dt.year - born.dt.year - not_yet_birthday.astype(int)
    groups = pd.Series([None] * len(born), index=born.index, dtype=object)
    for low, high, label in AGE_GROUPS:
        groups[(years >= low) & (years <= high)] = label
    return groups
