"""People counting on PETS 2009 S2.L1 frames 1–400 against the ground truth, one core.

Usage::

    .venv/bin/python benchmarks/vision.py [--video PATH] [--counts PATH] [--runs 3]

Defaults read ``../shared/data/vision/`` beside the repository (research data: never shipped).
Every method sees frames 1–400 in order from frame 1 (the counter's background model and its
person-size calibration start cold at frame 1). Prints, per method: frames scored, mean
absolute error and bias (mean of estimate − truth) over 1–400 and over 201–400 (after the
warm-up), and frames per second on one core (``cv2.setNumThreads(1)``, frames decoded
beforehand, median of ``--runs`` runs; HOG timed on its first 30 frames).

Methods: the counter with its shipped defaults; the same with constants cross-validated on
the ground truth (chosen on 1–200 and scored on 201–400, and the other way round: a check of
how much tuning to this camera would buy, not what ships); OpenCV's default HOG people
detector on the frame enlarged 2× with non-maximum suppression, raw and with the counter's
5-frame running median.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from saqshy.algorithms.vision import CounterSettings, FrameCount, HogCounter, PeopleCounter

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "vision"
GRID: dict[str, list[Any]] = {
    "calibration_statistic": ["weighted", "mode", "quantile"],
    "calibration_min_aspect": [1.0, 1.5, 2.0],
    "close_px": [5, 9],
}


def load(video: Path, counts: Path, last: int) -> tuple[list[np.ndarray], dict[int, int]]:
    for path in (video, counts):
        if not path.is_file():
            sys.exit(f"benchmark data absent: {path.resolve()} not found (see shared/data/README)")
    truth = {int(r["frame"]): int(r["count"]) for r in csv.DictReader(counts.open())}
    capture = cv2.VideoCapture(str(video))
    frames: list[np.ndarray] = []
    while len(frames) < last:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return frames, truth


def errors(results: list[FrameCount], truth: dict[int, int], lo: int, hi: int) -> np.ndarray:
    return np.array([r.count - truth[r.frame] for r in results if lo <= r.frame <= hi])


def run_counter(frames: list[np.ndarray], settings: CounterSettings) -> tuple[list, float]:
    counter = PeopleCounter(settings)
    start = time.perf_counter()
    results = [counter.feed(frame) for frame in frames]
    return results, len(frames) / (time.perf_counter() - start)


def median_smooth(results: list[FrameCount], window: int) -> list[FrameCount]:
    out = []
    for i, r in enumerate(results):
        recent = [x.raw for x in results[max(0, i - window + 1) : i + 1]]
        out.append(FrameCount(r.frame, float(np.median(recent)), r.raw))
    return out


def cross_validated(frames: list[np.ndarray], truth: dict[int, int]) -> tuple[list, str]:
    keys = list(GRID)
    runs = []
    for values in itertools.product(*[GRID[k] for k in keys]):
        chosen = dict(zip(keys, values, strict=True))
        results, _ = run_counter(frames, replace(CounterSettings(), **chosen))
        runs.append((chosen, results))
    judged: list[FrameCount] = []
    notes = []
    for fit, judge in (((1, 200), (201, 400)), ((201, 400), (1, 200))):
        best, results = min(runs, key=lambda run: np.abs(errors(run[1], truth, *fit)).mean())
        judged += [r for r in results if judge[0] <= r.frame <= judge[1]]
        notes.append(f"fit {fit[0]}-{fit[1]}: {best}")
    judged.sort(key=lambda r: r.frame)
    return judged, "; ".join(notes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--video", type=Path, default=DATA / "pets2009_s2l1_480x360.avi")
    parser.add_argument(
        "--counts", type=Path, default=DATA / "pets2009_s2l1_counts_frames_1_400.csv"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    frames, truth = load(args.video, args.counts, 400)
    rows = []

    speeds = []
    for _ in range(args.runs):
        results, fps = run_counter(frames, CounterSettings())
        speeds.append(fps)
    rows.append(("counter, shipped defaults", results, statistics.median(speeds)))

    tuned, notes = cross_validated(frames, truth)
    rows.append(("counter, cross-validated constants", tuned, statistics.median(speeds)))

    hog = HogCounter()
    hog_results = [hog.feed(frame) for frame in frames]
    hog_speeds = []
    for _ in range(args.runs):
        timer = HogCounter()
        start = time.perf_counter()
        for frame in frames[:30]:
            timer.feed(frame)
        hog_speeds.append(30 / (time.perf_counter() - start))
    rows.append(("HOG default, 2x upscale, NMS", hog_results, statistics.median(hog_speeds)))
    rows.append(
        ("HOG + 5-frame median", median_smooth(hog_results, 5), statistics.median(hog_speeds))
    )

    print("| method | frames | MAE 1-400 | bias 1-400 | MAE 201-400 | bias 201-400 | frames/s |")
    print("|---|---|---|---|---|---|---|")
    for name, results, fps in rows:
        whole, late = errors(results, truth, 1, 400), errors(results, truth, 201, 400)
        print(
            f"| {name} | {len(whole)} | {np.abs(whole).mean():.2f} | {whole.mean():+.2f} "
            f"| {np.abs(late).mean():.2f} | {late.mean():+.2f} | {fps:.0f} |"
        )
    print(f"\nground truth mean {np.mean([truth[f] for f in range(1, 401)]):.2f} people/frame")
    print(f"cross-validated choices: {notes}")

    # Footage that starts mid-scene: the counter begins cold at frame A (no earlier frames).
    print("\nCold start (shipped defaults, nothing fed before frame A):")
    print("| from frame | frames | MAE | bias | MAE of its first 100 |")
    print("|---|---|---|---|---|")
    for first in (1, 101, 201):
        counter = PeopleCounter(CounterSettings())
        cold = [counter.feed(frame) for frame in frames[first - 1 :]]
        cold = [FrameCount(first + i, r.count, r.raw) for i, r in enumerate(cold)]
        every, opening = errors(cold, truth, first, 400), errors(cold, truth, first, first + 99)
        print(
            f"| {first} | {len(every)} | {np.abs(every).mean():.2f} | {every.mean():+.2f} "
            f"| {np.abs(opening).mean():.2f} |"
        )


if __name__ == "__main__":
    main()
