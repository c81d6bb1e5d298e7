"""Foot patrols against the walking-speed norm: the fastest leg and the stops planned.

Usage::

    .venv/bin/python benchmarks/patrol_pace.py [--cells 30] [--units 4] [--hours 6] [--seeds 20]

A synthetic city of ``--cells`` hotspot cells spread over about 9 x 9 km (the size of central
Astana), ``--units`` foot patrols, a night of ``--hours`` one-hour slots with the cells' risk
redrawn per slot, planned for ``--seeds`` nights at the norm's 4.5 km/h (road distance 1.3 x the
straight line). Prints, over all nights, the fastest leg between two consecutive stops of one
crew (within a slot and across slots) and the stops per crew-hour. Asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saqshy.algorithms.geo import haversine_m
from saqshy.algorithms.optimise import Cell, PatrolRules, PatrolSlot, plan_patrols


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cells", type=int, default=30)
    parser.add_argument("--units", type=int, default=4)
    parser.add_argument("--hours", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(1)
    cells = [
        Cell(f"c{n}", 51.09 + rng.uniform(0, 0.08), 71.36 + rng.uniform(0, 0.13))
        for n in range(args.cells)
    ]
    at = {cell.id: cell for cell in cells}
    rules = PatrolRules(speed_kmh=4.5)
    units = tuple(f"Foot {n + 1:02d}" for n in range(args.units))
    fastest = (0.0, "", 0.0, 0)
    stops = 0
    over = legs = 0
    for night in range(args.seeds):
        slots = [
            PatrolSlot(h * 60, 60, units, {c.id: rng.choice([0, 1, 2, 4, 8]) for c in cells})
            for h in range(args.hours)
        ]
        plan = plan_patrols(cells, slots, seed=night, rules=rules)
        visits = sorted(
            (v for slot in plan.slots for v in slot.visits), key=lambda v: (v.unit, v.arrive_minute)
        )
        stops += len(visits)
        for unit, own in itertools.groupby(visits, key=lambda v: v.unit):
            for a, b in itertools.pairwise(own):
                metres = rules.detour * haversine_m(
                    at[a.cell].lat, at[a.cell].lon, at[b.cell].lat, at[b.cell].lon
                )
                if not metres:
                    continue
                legs += 1
                minutes = b.arrive_minute - a.depart_minute
                kmh = metres / 1000 / (minutes / 60) if minutes > 0 else float("inf")
                over += kmh > rules.speed_kmh + 1e-9
                if kmh > fastest[0]:
                    fastest = (kmh, unit, metres / 1000, minutes)
    crew_hours = args.seeds * args.hours * args.units
    print(
        f"{args.seeds} nights x {args.units} foot patrols x {args.hours} h, {args.cells} cells: "
        f"{legs} legs, {over} faster than {rules.speed_kmh} km/h; fastest {fastest[0]:.1f} km/h "
        f"({fastest[1]}: {fastest[2]:.1f} km in {fastest[3]} min); "
        f"{stops / crew_hours:.2f} stops per crew-hour"
    )


if __name__ == "__main__":
    main()
