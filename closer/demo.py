"""Sample data: a made-up couple's weekly check-ins, written to a demo database of its own.

The app tells the demo apart from the couple's real data by its path alone: a database at
DEMO_DB_PATH is the demo. Nothing inside the file marks it, so no store change is needed.
"""

from __future__ import annotations

import argparse
import random
import time as clock
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from closer import content, store
from closer.checkin import Answers, Reflection
from closer.plan_items import FollowupAnswer, ItemKind, Rating
from closer.settings import DEFAULT_TIME, DEFAULT_WEEKDAY, Settings
from closer.survey import dimension_keys
from closer.weeks import day_in_current_week, week_start

DEMO_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "demo.db"
PARTNERS = ("Robin", "Kai")

# Where each partner usually sits, per intimacy type: different on purpose, so the charts
# show two people rather than one line drawn twice.
BASELINES = {
    "Robin": {
        "emotional": 7.5,
        "physical": 7.0,
        "intellectual": 6.5,
        "spiritual": 5.0,
        "social": 7.0,
        "sexual": 6.5,
    },
    "Kai": {
        "emotional": 6.5,
        "physical": 8.0,
        "intellectual": 7.5,
        "spiritual": 6.0,
        "social": 5.5,
        "sexual": 7.0,
    },
}
BASELINE_JITTER = 0.5
NOISE_SD = 0.8
WEEK_MOOD_SD = 0.4  # a good or bad week lifts or lowers every dimension a little, for both
DRIFT_KEEP = 0.985  # slow mean-reverting drift: weekly steps are small, seasons are visible
DRIFT_STEP_SD = 0.15
DRIFT_LIMIT = 2.0

# The stressful stretch: these dimensions fall for DIP_LENGTH weeks, then climb back over
# RECOVERY_WEEKS. Its first week is dip_weeks(weeks).start (see there).
DIP_DEPTH = {"physical": 3.0, "emotional": 2.0, "sexual": 3.0, "social": 1.0}
DIP_LENGTH = 6
RECOVERY_WEEKS = 4
DIP_MIN_WEEKS = 20  # shorter histories have no room for the weeks before, during and after

# The couple's exercises, by weeks before the last (0 is this week), so What helps us has
# one of each label: one exercise truly lifts its area the week after (by LIFT points),
# one does nothing beyond the usual bounce back, and one was tried too few times to tell.
# Neither area is one the stressful stretch pulls down.
TRIES = (
    ("awe-walk", "spiritual", (11, 9, 7, 5, 3)),
    ("article-swap", "intellectual", (10, 8, 4, 1)),
    ("kitchen-dance", "physical", (6, 2)),
)
HELPS = "awe-walk"
LIFT = 3.0

MISSED_SHARE = 0.05
SKIP_CHANCE = 0.03
PRIVATE_CHANCE = {"unsaid": 0.85}
PRIVATE_CHANCE_OTHER = 0.05
ANSWER_CHANCE = {"working": 0.65, "lacking": 0.45, "unsaid": 0.15, "appreciation": 0.55}
SELF_CHANCE_CALM = 0.25
SELF_CHANCE_STRESSED = 0.7
UNSAID_CHANCE_STRESSED = 0.3

WORKING = (
    "Our Sunday walk. It's turning into the best hour of my week.",
    "You made coffee every morning without being asked. Small thing, big difference.",
    "We laughed a lot this week, properly laughed.",
    "Talking in bed before sleep instead of scrolling. Let's keep that.",
    "Cooking together on Wednesday felt like a little date.",
    "I felt really listened to when I talked about my sister.",
    "We sorted the holiday plans without a single argument.",
    "Lots of small hugs in the kitchen.",
    "The book we're both reading gives us so much to talk about.",
    "Dinner with friends on Saturday: we were a good team.",
)
WORKING_STRESSED = (
    "Even on the bad days we still said good night properly.",
    "You took over the chores when I was swamped. Thank you.",
    "We're both tired, but it still feels like we're on the same side.",
    "The short walk on Thursday helped more than I expected.",
)
LACKING = {
    "emotional": (
        "I'd like us to talk about more than logistics.",
        "I want to hear how you're really doing, not just 'fine'.",
    ),
    "physical": (
        "More hugs that aren't on the way out of the door.",
        "I miss just sitting close together on the sofa.",
    ),
    "intellectual": (
        "Let's talk about something other than the house: a film, an idea, anything.",
        "I'd love for us to learn something new together again.",
    ),
    "spiritual": (
        "I'd like us to talk about what matters to us, not only what's next on the list.",
        "Some quiet time together, with no plans at all.",
    ),
    "social": (
        "An evening that's just ours, planned ahead.",
        "I'd like us to see our friends together more often.",
    ),
    "sexual": (
        "I'd like us to make time for each other in bed, not just fall asleep.",
        "I'd like to talk about what we each want, without it feeling awkward.",
    ),
}
UNSAID = (
    "I'm more worried about money than I let on.",
    "I was a bit hurt when my plans were forgotten on Tuesday.",
    "I don't know how to say I'd like fewer weekends at your parents'.",
    "Sometimes it feels like I'm always the one who starts the serious talks.",
    "I'm nervous about the job interview and haven't said so.",
    "I miss how spontaneous we used to be.",
)
APPRECIATION = (
    "You remembered my big meeting and asked how it went.",
    "Your patience with me when I was grumpy on Monday.",
    "You make our place feel like home.",
    "How you stood up for me at dinner.",
    "Your terrible puns. Really.",
    "You noticed I was tired and ran me a bath.",
    "You planned Saturday so I didn't have to think about anything.",
)
SELF_CALM = (
    "Rested, mostly. Sleeping better.",
    "Busy week ahead, but I feel ready for it.",
    "Good. Running again, and it shows.",
    "A bit flat, nothing serious.",
)
SELF_STRESSED = (
    "Work is relentless right now. I'm short on sleep and on patience.",
    "Stressed. The deadline is eating everything.",
    "Worn out. I know I've been distant.",
    "Anxious about the move; it's taking up all my head space.",
)


@dataclass(frozen=True)
class DemoCheckin:
    """One made-up check-in: whose it is, for which week (a Monday), and the answers."""

    partner: str
    week: date
    answers: Answers


def dip_weeks(weeks: int) -> range:
    """The stressful stretch as week indexes (0 is the oldest): it starts 3/5 of the way in."""
    if weeks < DIP_MIN_WEEKS:
        return range(0)
    start = weeks * 3 // 5
    return range(start, start + DIP_LENGTH)


def _stress(index: int, dip: range) -> float:
    """How hard the stressful stretch weighs on this week: 1 in the dip, easing off after it."""
    if index in dip:
        return 1.0
    after = index - dip.stop if dip else -1
    if 0 <= after < RECOVERY_WEEKS:
        return 1 - (after + 1) / (RECOVERY_WEEKS + 1)
    return 0.0


def _missed(rng: random.Random, weeks: int) -> dict[int, tuple[str, ...]]:
    """Who skipped which week: about one week in twenty, never the first or the last."""
    count = int(weeks * MISSED_SHARE + 0.5)
    # The first and the last week stay complete, so the history spans exactly `weeks`
    # and the demo's "this week" shows both partners' answers side by side.
    candidates = range(1, weeks - 1)
    chosen = rng.sample(candidates, min(count, len(candidates)))
    return {i: rng.choice((PARTNERS, PARTNERS[:1], PARTNERS[1:])) for i in sorted(chosen)}


def _wants_more_chance(score: int) -> float:
    """Ticks go mostly on the dimensions that scored low."""
    if score <= 5:
        return 0.6
    if score == 6:
        return 0.3
    if score == 7:
        return 0.1
    return 0.03


def _reflections(
    rng: random.Random, scores: dict[str, int | None], stress: float
) -> dict[str, Reflection]:
    """A few short reflections, in keeping with the week's scores and mood."""
    stressed = stress >= 0.5
    texts: dict[str, str] = {}
    if rng.random() < ANSWER_CHANCE["working"]:
        texts["working"] = rng.choice(WORKING_STRESSED if stressed else WORKING)
    scored = {k: s for k, s in scores.items() if s is not None}
    if scored and rng.random() < ANSWER_CHANCE["lacking"]:
        lowest = min(scored, key=lambda k: (scored[k], k))
        texts["lacking"] = rng.choice(LACKING[lowest])
    if rng.random() < (UNSAID_CHANCE_STRESSED if stressed else ANSWER_CHANCE["unsaid"]):
        texts["unsaid"] = rng.choice(UNSAID)
    if rng.random() < ANSWER_CHANCE["appreciation"]:
        texts["appreciation"] = rng.choice(APPRECIATION)
    if rng.random() < (SELF_CHANCE_STRESSED if stressed else SELF_CHANCE_CALM):
        texts["self"] = rng.choice(SELF_STRESSED if stressed else SELF_CALM)
    return {
        key: Reflection(text, rng.random() >= PRIVATE_CHANCE.get(key, PRIVATE_CHANCE_OTHER))
        for key, text in texts.items()
    }


def generate_history(weeks: int, end_week: date, seed: int = 7) -> list[DemoCheckin]:
    """Robin's and Kai's check-ins for `weeks` weeks up to the week of end_week, oldest first."""
    if weeks < 0:
        raise ValueError("weeks must be zero or more")
    rng = random.Random(seed)
    keys = dimension_keys()
    last = week_start(end_week)
    dip = dip_weeks(weeks)
    missed = _missed(rng, weeks)
    baseline = {
        p: {k: BASELINES[p][k] + rng.uniform(-BASELINE_JITTER, BASELINE_JITTER) for k in keys}
        for p in PARTNERS
    }
    drift = {p: dict.fromkeys(keys, 0.0) for p in PARTNERS}
    lifted = {ago - 1: area for item, area, agos in TRIES if item == HELPS for ago in agos}
    measured = {ago - step for _, _, agos in TRIES for ago in agos for step in (0, 1)}
    history: list[DemoCheckin] = []
    for index in range(weeks):
        week = last - timedelta(weeks=weeks - 1 - index)
        ago = weeks - 1 - index
        stress = _stress(index, dip)
        mood = rng.gauss(0, WEEK_MOOD_SD)
        # Both check in around a try, so every try has a change either of them may see.
        skipping = () if ago in measured else missed.get(index, ())
        for partner in PARTNERS:
            # Drift moves every week, checked in or not, so a missed week doesn't reset it.
            for key in keys:
                step = drift[partner][key] * DRIFT_KEEP + rng.gauss(0, DRIFT_STEP_SD)
                drift[partner][key] = max(-DRIFT_LIMIT, min(DRIFT_LIMIT, step))
            if partner in skipping:
                continue
            scores: dict[str, int | None] = {}
            for key in keys:
                level = (
                    baseline[partner][key]
                    + drift[partner][key]
                    + mood
                    + rng.gauss(0, NOISE_SD)
                    - stress * DIP_DEPTH.get(key, 0.0)
                    + (LIFT if lifted.get(ago) == key else 0.0)
                )
                skipped = rng.random() < SKIP_CHANCE
                scores[key] = None if skipped else max(1, min(10, round(level)))
            wants_more = frozenset(
                k
                for k, s in scores.items()
                if s is not None and rng.random() < _wants_more_chance(s)
            )
            answers = Answers(scores, wants_more, _reflections(rng, scores, stress))
            history.append(DemoCheckin(partner, week, answers))
    return history


def _saved_at(week: date, today: date, partner_index: int) -> str:
    """Sunday evening of the week (never later than today), a few minutes apart per partner."""
    day = min(week + timedelta(days=6), today)
    moment = datetime.combine(day, time(20, 5 + 7 * partner_index), tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _refuse_unless_replaceable(path: Path) -> None:
    """Stop before deleting a file that could be the couple's real data or someone else's."""
    real = {store.DEFAULT_DB_PATH.resolve(), store.database_path().resolve()}
    if path.resolve() in real:
        raise store.StoreError(
            f"{path} is where Closer keeps your real check-ins, so the sample data will not "
            f"replace it. Write the sample data to its own file, such as {DEMO_DB_PATH}."
        )
    if not path.exists() or path.stat().st_size == 0:
        return
    with store.open_db(path) as db:
        tables = set(db.table_names())
        names = {p.name for p in store.list_partners(db)} if "partners" in tables else set()
    if tables and not ("partners" in tables and names <= set(PARTNERS)):
        raise store.StoreError(
            f"{path} holds data that is not Closer's sample data, so it was left alone. "
            "Choose another file for the sample data."
        )


PLAN_WEEKS = 12  # the latest weeks get a plan, each one's promises and (but the last) follow-ups
# Most tried things help a little: weighted towards "it helped", as in a couple who keep going.
_DEMO_RATINGS = (Rating.HELPED, Rating.HELPED, Rating.NOT_SURE, Rating.DID_NOT_HELP)
COMMITMENTS = {
    "Robin": (
        "Cook on Thursday, phones off.",
        "Plan Saturday's walk, with a coffee stop.",
        "Ask about your week before I talk about mine.",
    ),
    "Kai": (
        "Bring you coffee in bed on Sunday.",
        "Be home by seven on Wednesday.",
        "Read the next chapter so we can talk about it.",
    ),
}
REPLIES = (
    "Me too. Let's keep doing it.",
    "Thank you for writing this down.",
    "Yes. Let's talk about it on Sunday.",
    "I hadn't noticed, and I'm glad you said it.",
)


def _add_plans_and_talk(db, history: Sequence[DemoCheckin], ids: dict[str, int], seed: int) -> None:
    """Plans, promises, follow-ups, replies and marked notes for the latest weeks."""
    rng = random.Random(seed + 1)  # its own stream: the check-ins stay as they were
    by_week: dict[date, dict[str, Answers]] = {}
    for checkin in history:
        by_week.setdefault(checkin.week, {})[checkin.partner] = checkin.answers
    weeks = sorted(by_week)[-PLAN_WEEKS:]
    for week in weeks:
        answered = by_week[week]
        last = week == weeks[-1]
        ago = (weeks[-1] - week).days // 7
        scores = [(s, k) for a in answered.values() for k, s in a.scores.items() if s is not None]
        lowest = min(scores)[1] if scores else "emotional"
        pool = content.questions_for(lowest, "light") or content.questions()
        store.add_plan_item(db, week, ItemKind.QUESTION, rng.choice(pool).id, lowest, ids["Robin"])
        for item_id, area, agos in TRIES:
            if ago in agos:
                store.add_plan_item(db, week, ItemKind.EXERCISE, item_id, area, ids["Kai"])
        for partner in PARTNERS:
            store.save_commitment(db, week, ids[partner], rng.choice(COMMITMENTS[partner]))
        if not last:
            items = store.load_plan(db, week)
            # Whether a thing happened is one fact for both of them (a promise kept, an
            # exercise done): only how it felt differs, so their answers never contradict.
            happened = {
                item.id: item.kind == ItemKind.EXERCISE or rng.random() < 0.75 for item in items
            }
            for partner in PARTNERS:
                store.save_followups(
                    db,
                    ids[partner],
                    {
                        item.id: FollowupAnswer(
                            happened[item.id],
                            rng.choice(_DEMO_RATINGS) if happened[item.id] else None,
                        )
                        for item in items
                    },
                )
        if len(answered) < len(PARTNERS):
            continue  # nothing is revealed, so nothing to reply to
        for author, other in (PARTNERS, PARTNERS[::-1]):
            shared = [k for k, r in answered[author].reflections.items() if r.shared]
            if shared and (last or rng.random() < 0.5):
                store.save_note_reply(
                    db, week, ids[author], shared[0], ids[other], rng.choice(REPLIES)
                )
            if "lacking" in shared and (last or rng.random() < 0.4):
                store.set_talk_mark(db, week, ids[author], "lacking", ids[other], True)
            elif last and shared:
                store.set_talk_mark(db, week, ids[author], shared[-1], ids[other], True)


def _write_history(path: Path, history: Sequence[DemoCheckin], today: date, seed: int = 7) -> None:
    """Replace the demo database at path with these check-ins, over one connection."""
    _refuse_unless_replaceable(path)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    store.initialise(path)
    with store.open_db(path) as db:
        partners = store.setup_couple(db, list(PARTNERS), Settings())
        ids = {p.name: p.id for p in partners}
        for checkin in history:
            store.save_checkin(
                db,
                ids[checkin.partner],
                checkin.week,
                checkin.answers,
                saved_at=_saved_at(checkin.week, today, PARTNERS.index(checkin.partner)),
            )
        _add_plans_and_talk(db, history, ids, seed)


def sample_today(now: datetime) -> date:
    """The day the sample year runs up to: within the week the app calls "this week" now."""
    return day_in_current_week(now, DEFAULT_WEEKDAY, DEFAULT_TIME)


def write_demo(path: Path, weeks: int = 52, today: date | None = None, seed: int = 7) -> None:
    """Create (or recreate) the demo database at path with `weeks` weeks up to today's week."""
    today = today or date.today()
    _write_history(path, generate_history(weeks, today, seed), today, seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Write the demo database from the command line and say what was written."""
    parser = argparse.ArgumentParser(
        prog="python -m closer.demo", description="Write Closer's sample data to its own file."
    )
    parser.add_argument("--weeks", type=int, default=52, help="how many weeks (default 52)")
    parser.add_argument("--out", type=Path, default=DEMO_DB_PATH, help="the demo database file")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    if args.weeks < 1:
        parser.error("--weeks must be at least 1")
    today = date.today()
    started = clock.perf_counter()
    history = generate_history(args.weeks, today, args.seed)
    try:
        _write_history(args.out, history, today, args.seed)
    except store.StoreError as error:
        parser.exit(1, f"{error}\n")
    elapsed = clock.perf_counter() - started
    print(f"Wrote {len(history)} check-ins to {args.out} in {elapsed:.2f} s.")


if __name__ == "__main__":
    main()


def demo_database_path() -> Path:
    """The sample-data file for this Closer: beside the couple's database, never the same file."""
    real = store.database_path()
    return real.with_name(f"{real.stem}-sample.db")
