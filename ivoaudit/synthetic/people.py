"""Synthetic persons, caseworkers and units.

Personnummer are built from a plausible birth date for the area, a random serial and a
correct Luhn check digit (over ``YYMMDDNNN``); about 2 % are samordningsnummer (day + 60).
All persons are invented; a number may by chance equal a real person's, but no real data
is used anywhere.
"""

from __future__ import annotations

import numpy as np

from ivoaudit.synthetic.calendar import add_days

# (min age, max age) in whole years at the time the case is received
AGE_RANGE = {"barn_unga": (0, 17), "funktionshinder": (3, 80), "missbruk": (18, 75), "aldre": (65, 101)}

UNITS = {
    "barn_unga": ("Barn och unga mottagning", "Barn och unga utredning 1", "Barn och unga utredning 2",
                  "Familjehemsenheten"),
    "funktionshinder": ("LSS-handläggning", "Socialpsykiatri och funktionsstöd"),
    "missbruk": ("Vuxenenheten missbruk", "Beroendeenheten"),
    "aldre": ("Biståndsenheten äldre norr", "Biståndsenheten äldre söder"),
}

FIRST_NAMES = ("Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Johanna",
               "Sofia", "Ida", "Linnéa", "Malin", "Åsa", "Erik", "Lars", "Karl", "Anders", "Johan",
               "Per", "Mikael", "Magnus", "Oskar", "Jonas", "Ali", "Amira", "Leila", "Yusuf", "Björn")
LAST_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
              "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
              "Öberg", "Åberg", "Holm", "Bergström", "Sandberg", "Ahmed", "Hassan", "Lundgren", "Ek",
              "Forsberg", "Sjöberg", "Wallin", "Engström", "Hedlund", "Björk", "Nyström")

INTERVENTIONS = {
    "barn_unga": ("Kontaktfamilj", "Familjebehandling", "Öppenvård ungdom", "Kontaktperson"),
    "barn_unga_placement": ("Placering familjehem", "Placering HVB"),
    "funktionshinder": ("Personlig assistans (LSS 9 § 2)", "Ledsagarservice (LSS 9 § 3)",
                        "Kontaktperson (LSS 9 § 4)", "Korttidsvistelse (LSS 9 § 6)",
                        "Bostad med särskild service (LSS 9 § 9)", "Daglig verksamhet (LSS 9 § 10)"),
    "funktionshinder_sol": ("Boendestöd", "Hemtjänst"),
    "missbruk": ("Öppenvård missbruk", "Behandlingshem", "Boendestöd", "Kontaktperson"),
    "missbruk_lvm": ("Tvångsvård LVM",),
    "aldre": ("Hemtjänst", "Särskilt boende", "Trygghetslarm", "Korttidsboende", "Dagverksamhet"),
}


def caseworker_pool(rng: np.random.Generator, area: str, per_unit: int = 6) -> dict[str, list[str]]:
    """Invented caseworker names per unit of ``area`` (distinct within a unit)."""
    pool = {}
    for unit in UNITS[area]:
        names: list[str] = []
        while len(names) < per_unit:
            name = f"{FIRST_NAMES[rng.integers(len(FIRST_NAMES))]} {LAST_NAMES[rng.integers(len(LAST_NAMES))]}"
            if name not in names:
                names.append(name)
        pool[unit] = names
    return pool


def luhn_check_digit(digits: np.ndarray) -> np.ndarray:
    """Check digit per row of a (n, 9) digit matrix (``YYMMDDNNN``)."""
    weights = np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    prod = digits * weights
    total = (prod // 10 + prod % 10).sum(axis=1)
    return (10 - total % 10) % 10


def make_personnummer(rng: np.random.Generator, received: np.ndarray, area: str,
                      coordination_share: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """12-digit numbers ``YYYYMMDD-NNNC`` and the birth dates, for persons of ``area``."""
    n = len(received)
    lo, hi = AGE_RANGE[area]
    age_days = rng.integers(lo * 365, (hi + 1) * 365 - 1, size=n, endpoint=False)
    if area == "barn_unga":  # a few young adults (aftercare, 18-20)
        older = rng.random(n) < 0.03
        age_days[older] = rng.integers(18 * 365, 20 * 365, size=int(older.sum()))
    birth = add_days(received, -age_days)
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    coord = rng.random(n) < coordination_share
    day_field = day + np.where(coord, 60, 0)
    serial = rng.integers(1, 1000, size=n)  # serial 000 is never issued
    yy = year % 100
    digits = np.stack([yy // 10, yy % 10, month // 10, month % 10, day_field // 10, day_field % 10,
                       serial // 100, serial // 10 % 10, serial % 10], axis=1)
    check = luhn_check_digit(digits)
    text = (_zfill(year, 4) + _zfill(month, 2) + _zfill(day_field, 2) + "-" + _zfill(serial, 3)
            + check.astype(str).astype(object))
    return text.astype(object), birth


def _zfill(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(values.astype(str), width).astype(object)
