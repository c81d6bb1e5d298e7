"""Benchmark the duty optimiser against its greedy baselines, in one run.

Usage::

    .venv/bin/python benchmarks/optimise.py [--events 1000] [--hours 24]
        [--officers 400] [--days 7] [--roster-time-limit 30] [--workers 2] [--seed 1]

Stage one: a region (five districts, police, emergency service, health) with ``--events``
mass events over ``--hours`` hours plus 60 strategic facilities staffed around the clock and
a readiness reserve; solved by ``solve_staffing`` (target: proven optimal in ≤ 10 s) next to
``greedy_staffing``, with how the shortage falls on posts (short post-hours, post-hours with
nobody, the largest shortage at one post-hour). Stage two: one district with ``--officers``
police officers over ``--days`` days (24/7 posts, the week's events, night hotspot patrols,
leave and sickness, escorted trips, a New Year's Eve holiday); ``solve_roster`` (target: no
hard-rule violation within 30 s, with the gap) next to ``greedy_roster``, both checked by
``check_roster`` and both scored by the one yardstick ``score_roster`` (unmet hours, short
post-hours, post hops, short stints, night and holiday excess, hours away from home, changes,
duty hours).

The instances are synthetic and seeded: event sizes log-normal (median 300 attendees, a tail
into the tens of thousands), durations log-normal (median 4 h, 1–12 h), evening-heavy start
times; staffing by attendance (police 1 per 250, more for children's events; traffic police,
dog handlers, fire standby and paramedics above thresholds); officers' skills, contracts,
absences and trips from plausible shares. Asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saqshy.algorithms.optimise import (
    HoursBudget,
    Need,
    Person,
    Pool,
    RosterProblem,
    RosterScore,
    StaffingProblem,
    Window,
    check_roster,
    greedy_roster,
    greedy_staffing,
    night_hours,
    replan_problem,
    score_roster,
    solve_roster,
    solve_staffing,
)

DISTRICTS = ("almaty", "baikonur", "yesil", "saryarka", "nura")
# (skill, share of the agency holding it); every member also serves needs with no skill.
SKILLS = {
    "police": (("patrol", 0.85), ("traffic", 0.2), ("crowd", 0.2), ("escort", 0.1), ("k9", 0.04)),
    "emergency": (("firefighter", 0.8), ("rescue", 0.3), ("driver", 0.25)),
    "health": (("paramedic", 0.75), ("doctor", 0.25)),
}
HEADCOUNT = {"police": 5000, "emergency": 1400, "health": 700}
EVENT_KINDS = (
    ("concert", 0.25),
    ("fair", 0.2),
    ("sport", 0.15),
    ("children", 0.2),
    ("fireworks", 0.1),
    ("religious", 0.1),
)


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _w in table], weights=[w for _k, w in table])[0]


def _skills(rng: random.Random, agency: str) -> frozenset[str]:
    held = {skill for skill, share in SKILLS[agency] if rng.random() < share}
    return frozenset(held or {SKILLS[agency][0][0]})


def staffing_instance(events: int, hours: int, seed: int) -> StaffingProblem:
    rng = random.Random(seed)
    needs: list[Need] = []
    for n in range(events):
        kind = _pick(rng, EVENT_KINDS)
        attendance = min(60000, max(30, int(rng.lognormvariate(math.log(300), 1.3))))
        duration = min(12, max(1, round(rng.lognormvariate(math.log(4), 0.5))))
        if rng.random() < 0.6:
            start = int(rng.triangular(14, hours - 1, 20)) % hours
        else:
            start = rng.randrange(hours)
        district = rng.choice(DISTRICTS)
        police = max(1, math.ceil(attendance / (150 if kind == "children" else 250)))
        rows: list[tuple[str, str, int, int]] = [("police", "patrol", min(police, 80), 1)]
        if attendance > 2000:
            rows.append(("police", "traffic", math.ceil(attendance / 4000), 1))
            rows.append(("police", "crowd", math.ceil(attendance / 3000), 1))
        if attendance > 8000:
            rows.append(("police", "k9", math.ceil(attendance / 15000), 1))
        if kind == "fireworks" or attendance > 1000:
            rows.append(("emergency", "firefighter", max(2, math.ceil(attendance / 5000)), 1))
        if attendance > 500 or kind == "children":
            rows.append(("health", "paramedic", max(1, math.ceil(attendance / 3000)), 1))
        if attendance > 10000:
            rows.append(("health", "doctor", 1, 1))
        for hour in range(start - 1, min(hours, start + duration)):  # one hour to set up
            for agency, skill, people, priority in rows:
                if hour >= 0:
                    needs.append(
                        Need(f"event-{n}", hour, agency, people, skill, district, priority)
                    )
    for n in range(60):  # strategic facilities, around the clock
        district = DISTRICTS[n % len(DISTRICTS)]
        for hour in range(hours):
            needs.append(Need(f"facility-{n}", hour, "police", 2, "", district, 2))
    pools: list[Pool] = []
    reserve_share = 0.05
    for agency, count in HEADCOUNT.items():
        staff = [(rng.choice(DISTRICTS), _skills(rng, agency)) for _ in range(count)]
        absent = 0.08
        for hour in range(hours):
            clock = hour % 24
            on_shift = 0.42 if clock >= 18 or clock < 3 else 0.3  # enhanced regime at night
            groups: Counter[tuple[str, frozenset[str]]] = Counter(
                key for key in staff if rng.random() < on_shift * (1 - absent)
            )
            for (district, skills), available in groups.items():
                pools.append(Pool(agency, hour, available, skills, district))
            for district in DISTRICTS:  # the readiness reserve on call, per district
                reserve = math.ceil(count * reserve_share * on_shift / len(DISTRICTS))
                needs.append(
                    Need(f"reserve-{agency}-{district}", hour, agency, reserve, "", district, 3)
                )
    return StaffingProblem(hours=hours, needs=tuple(needs), pools=tuple(pools), time_limit_s=10.0)


def roster_instance(
    officers: int, days: int, seed: int, time_limit: float, workers: int
) -> RosterProblem:
    rng = random.Random(seed)
    hours = days * 24
    home, neighbour = "yesil", "almaty"
    people = []
    for n in range(officers):
        skills = _skills(rng, "police")
        weekly = rng.choices((40, 36, 48), weights=(0.8, 0.1, 0.1))[0]
        absences: list[Window] = []
        if rng.random() < 0.06:  # leave
            start = rng.randrange(hours)
            absences.append(Window(start, min(hours, start + 24 * rng.randint(2, 7))))
        if rng.random() < 0.03:  # sickness
            start = rng.randrange(hours)
            absences.append(Window(start, min(hours, start + 24 * rng.randint(1, 3))))
        committed = []
        if "escort" in skills and rng.random() < 0.3:  # an escorted children's trip
            start = rng.randrange(hours - 10)
            committed.append(Window(start, start + rng.randint(6, 10)))
        people.append(
            Person(
                f"officer-{n}",
                "police",
                skills,
                weekly,
                home if rng.random() < 0.85 else neighbour,
                tuple(absences),
                tuple(committed),
            )
        )
    scale = officers / 400
    needs: list[Need] = []
    for n in range(round(20 * scale)):  # 24/7 posts
        for hour in range(hours):
            needs.append(Need(f"facility-{n}", hour, "police", 2, "", home, 2))
    for n in range(round(22 * scale)):  # hotspot patrols 18:00-06:00
        for hour in night_hours(hours, start=18):
            needs.append(Need(f"hotspot-{n}", hour, "police", 2, "patrol", home, 1))
    for n in range(round(80 * scale)):  # the week's events
        attendance = min(30000, max(50, int(rng.lognormvariate(math.log(600), 1.2))))
        start = int(rng.triangular(0, hours - 4, hours * 0.6))
        duration = min(10, max(2, round(rng.lognormvariate(math.log(4), 0.4))))
        district = home if rng.random() < 0.85 else neighbour
        rows: list[tuple[str, int]] = [("patrol", max(2, min(25, math.ceil(attendance / 250))))]
        if attendance > 2000:
            rows += [
                ("traffic", math.ceil(attendance / 4000)),
                ("crowd", math.ceil(attendance / 3000)),
            ]
        if attendance > 8000:
            rows.append(("k9", 1))
        for hour in range(start, min(hours, start + duration)):
            for skill, people_needed in rows:
                needs.append(Need(f"event-{n}", hour, "police", people_needed, skill, district, 1))
    holiday = frozenset(h for h in range(hours) if 90 <= h < 108)  # 31 Dec 18:00 - 1 Jan 12:00
    return RosterProblem(
        hours=hours,
        people=tuple(people),
        demands=tuple(needs),
        night_hours=night_hours(hours),
        holiday_hours=holiday,
        time_limit_s=time_limit,
        workers=workers,
        seed=seed,
    )


def _table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def _gap(gap: float) -> str:
    return "—" if math.isinf(gap) else f"{gap:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--officers", type=int, default=400)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--roster-time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"ortools {version('ortools')}, Python {sys.version.split()[0]}, seed {args.seed}\n")

    problem = staffing_instance(args.events, args.hours, args.seed)
    needed = sum(n.people for n in problem.needs)
    print(
        f"Stage one: {args.events} events + 60 facilities + reserves over {args.hours} h: "
        f"{len({n.post for n in problem.needs})} posts, {len(problem.needs)} post-hour needs, "
        f"{needed} person-hours needed, {sum(p.people for p in problem.pools)} available"
    )
    best = solve_staffing(problem)
    greedy = greedy_staffing(problem)
    rows: list[tuple[str, ...]] = [
        (
            "method",
            "status",
            "time s",
            "objective",
            "bound",
            "gap",
            "sub-problems",
            "coverage",
            "short person-hours",
            "short post-hours",
            "post-hours with nobody",
            "largest shortage at a post-hour",
        )
    ]
    for name, result in (("CP-SAT", best), ("greedy", greedy)):
        empty = sum(1 for s in result.shortfalls if s.staffed == 0)
        worst = max(result.shortfalls, key=lambda s: s.short, default=None)
        rows.append(
            (
                name,
                result.stats.status,
                f"{result.stats.wall_time_s:.2f}",
                f"{result.stats.objective:.0f}" if name == "CP-SAT" else "—",
                f"{result.stats.best_bound:.0f}" if name == "CP-SAT" else "—",
                _gap(result.stats.gap),
                str(result.stats.subproblems),
                f"{result.coverage:.4f}",
                str(result.needed_person_hours - result.staffed_person_hours),
                str(len(result.shortfalls)),
                str(empty),
                f"{worst.short} ({worst.staffed}/{worst.needed})" if worst else "—",
            )
        )
    _table(rows)
    for shortfall in best.shortfalls[:3]:
        print(
            f"  short: {shortfall.post} h{shortfall.hour} {shortfall.skill or 'any'} "
            f"{shortfall.staffed}/{shortfall.needed} - {shortfall.reason.describe()}"
        )

    budgeted = StaffingProblem(
        hours=problem.hours,
        needs=problem.needs,
        pools=problem.pools,
        budgets=tuple(
            HoursBudget(agency, 0, problem.hours, round(count * 0.92 * 10 * problem.hours / 24))
            for agency, count in HEADCOUNT.items()
        ),
    )
    tied = solve_staffing(budgeted)
    print(
        f"  with a daily budget of 10 h per person (hours tied per agency): {tied.stats.status}, "
        f"{tied.stats.wall_time_s:.2f} s, gap {_gap(tied.stats.gap)}, "
        f"coverage {tied.coverage:.4f}\n"
    )

    roster = roster_instance(
        args.officers, args.days, args.seed, args.roster_time_limit, args.workers
    )
    print(
        f"Stage two: {args.officers} officers over {args.days} days, "
        f"{len({n.post for n in roster.demands})} posts, "
        f"{sum(n.people for n in roster.demands)} person-hours needed, "
        f"{sum(p.weekly_hours for p in roster.people) * args.days // 7} contracted"
    )
    solved = solve_roster(roster)
    baseline = greedy_roster(roster)
    rows = [
        (
            "method",
            "status",
            "time s",
            "solver objective",
            "bound",
            "gap",
            "violations",
            "coverage",
            "shifts",
            "night h max/mean",
        )
    ]
    scores = {}
    for name, roster_result in (("CP-SAT", solved), ("greedy", baseline)):
        nights: dict[str, int] = defaultdict(int)
        for shift in roster_result.shifts:
            nights[shift.person] += sum(
                1 for h in range(shift.start, shift.end) if h in roster.night_hours
            )
        worked = [nights.get(p.id, 0) for p in roster.people]
        scores[name] = score_roster(roster, roster_result.shifts)
        rows.append(
            (
                name,
                roster_result.stats.status,
                f"{roster_result.stats.wall_time_s:.2f}",
                f"{roster_result.stats.objective:.0f}" if name == "CP-SAT" else "—",
                f"{roster_result.stats.best_bound:.0f}" if name == "CP-SAT" else "—",
                _gap(roster_result.stats.gap),
                str(len(check_roster(roster, roster_result.shifts))),
                f"{roster_result.coverage_ratio:.4f}",
                str(len(roster_result.shifts)),
                f"{max(worked)}/{sum(worked) / len(worked):.1f}",
            )
        )
    _table(rows)
    weights = roster.weights
    print(
        f"\nThe same score for both (score_roster; weights: unmet person-hour {weights.short} "
        f"x priority, change {weights.change}, hop {weights.hop}, short stint "
        f"{weights.short_stint} (< {roster.rules.min_stint_hours} h), night/holiday excess "
        f"hour {weights.fairness}, away hour {weights.home_district}, duty hour {weights.hour}):"
    )
    _score_table(scores)

    # Re-planning on day three: 5 % of the officers on duty later fall sick at hour 48 and three
    # events (6 h, 8 patrol officers each) are added; what began before hour 48 stays.
    rng = random.Random(args.seed + 1)
    later = sorted({s.person for s in solved.shifts if s.start >= 48})
    sick = rng.sample(later, max(1, len(later) // 20))
    added = tuple(
        Need(f"added-{n}", hour, "police", 8, "patrol", "yesil", 1)
        for n, start in enumerate((60, 80, 100))
        for hour in range(start, start + 6)
    )
    disrupted = replan_problem(roster, solved.shifts, at=48, sick=sick, added=added)
    print(
        f"\nRe-plan at hour 48 of the roster above: {len(sick)} officers sick, "
        f"{sum(n.people for n in added)} person-hours added; a change is a duty period added or "
        "dropped against the roster in force:"
    )
    results = {
        "CP-SAT (warm start below)": solve_roster(disrupted),
        "greedy keeping the roster in force (the warm start)": greedy_roster(
            disrupted, keep_previous=True
        ),
        "greedy from scratch": greedy_roster(disrupted),
    }
    for name, outcome in results.items():
        print(
            f"  {name}: {outcome.stats.status}, {outcome.stats.wall_time_s:.2f} s, "
            f"{len(check_roster(disrupted, outcome.shifts))} violations"
        )
    _score_table({name: score_roster(disrupted, r.shifts) for name, r in results.items()})


def _score_table(scores: dict[str, RosterScore]) -> None:
    names = list(scores)
    parts = list(scores[names[0]].parts())
    score_rows: list[tuple[str, ...]] = [("method", *parts, "total score")]
    for name in names:
        score = scores[name]
        score_rows.append((name, *(str(v) for v in score.parts().values()), str(score.total)))
    _table(score_rows)


if __name__ == "__main__":
    main()
