"""Our talk: a guided agenda for the weekly conversation, ending with this week's plan."""

import time
from datetime import date, datetime

import streamlit as st

from closer import analysis, plans, store
from closer.analysis import WeakArea
from closer.content import PASS_LINE
from closer.markdown import escape_markdown
from closer.reveal import Topic, WeekStatus, talk_topics, view_week, visible_scores
from closer.survey import reflection_prompts
from closer.weeks import checkin_week, week_label
from views.parts.cached_reads import recent_scores
from views.parts.components import show_text, who_is_here
from views.parts.notices import flash, show_flash, showing_store_errors
from views.parts.plan_item import show_plan_item

LISTENING_TIPS = (
    "**Ask how, not why.** “How did that feel?” invites a story; “Why did you…?” can "
    "sound like a charge.",
    "**Say back what you heard** before you answer: “So what you mean is…”. Let your "
    "partner correct you until it fits.",
    "**Acknowledge the feeling first.** “That sounds lonely” comes before any fix, "
    "explanation or other side of the story.",
    "**One topic is enough.** If it gets heated, pause, and pick it up another evening.",
)

couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
today = date.today()
week = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)

st.title("Our talk")
if partner is None:
    st.info(
        "Our talk is a conversation for two. Once your partner has joined (add them in "
        "Settings), this page guides the two of you through it.",
        icon=":material/group_add:",
    )
    st.stop()

with couple.open_db() as db:
    checkins = store.load_week(db, week)
    marks = [(m.note_author_id, m.prompt) for m in store.load_talk_marks(db, week)]
    scores = recent_scores(couple, db, plans.history_window_start(today))
    plan = store.load_plan(db, week)
view = view_week(week, me.id, partner.id, checkins)
scores = visible_scores(scores, me.id, [me.id, partner.id])
weak = analysis.weak_areas(scores, settings.active_dimensions, today)
# Only what the viewer may see, and of that only what was shared: both sit at this screen.
visible = [view.mine, view.theirs]
shown_for = {c.partner_id for c in visible if c is not None}
appreciations = plans.shared_notes(visible, "appreciation")
working = plans.shared_notes(visible, "working")
unsaid = plans.shared_notes(visible, "unsaid")
promised = plans.commitments(plan)
topics = talk_topics(visible, marks)
people = (me, partner)
names = {p.id: p.name for p in people}
prompt_labels = {p.key: p.label for p in reflection_prompts()}


def start_timer(key: str) -> None:
    st.session_state[key] = time.time()


def reset_timer(key: str) -> None:
    st.session_state.pop(key, None)


@st.fragment(run_every="1s")
def ticking(key: str, minutes: int) -> None:
    """The running countdown, redrawn every second without rerunning the page."""
    started = st.session_state.get(key)
    if started is None:
        return
    left = plans.countdown(started, minutes, time.time())
    if left.seconds_left == 0:
        st.rerun()  # the whole page then shows "time's up" and this stops ticking
    st.progress(left.fraction_left, text=f"{left.text} left")


def timer(step: str, minutes: int) -> None:
    """A step's suggested length, with an optional countdown."""
    key = f"talk-timer-{week.isoformat()}-{step}"
    started = st.session_state.get(key)
    if started is None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(f"About {plans.minutes_words(minutes)}")
            st.button(
                "Start timer",
                icon=":material/timer:",
                type="tertiary",
                key=f"start-{key}",
                on_click=start_timer,
                args=(key,),
            )
        return
    if plans.countdown(started, minutes, time.time()).seconds_left == 0:
        st.caption(":material/alarm: Time's up. Finish your thought: there's no rush.")
    else:
        ticking(key, minutes)
    st.button(
        "Reset timer",
        icon=":material/restart_alt:",
        type="tertiary",
        key=f"reset-{key}",
        on_click=reset_timer,
        args=(key,),
    )


def step(number: int, title: str, minutes: int, intro: str) -> None:
    st.header(f"{number}. {title}", anchor=False)
    st.markdown(intro)
    timer(str(number), minutes)


def show_notes(notes: dict[int, str]) -> None:
    """Each partner's shared note, side by side, labelled by name."""
    for column, person in zip(st.columns(2), people, strict=True):
        with column:
            st.markdown(f"**{escape_markdown(person.name)}**")
            if person.id in notes:
                show_text(notes[person.id])
            elif person.id in shown_for:
                st.caption("Nothing written here this week. Say one out loud, if you like.")
            else:
                st.caption(f"Nothing to show from {escape_markdown(person.name)} yet.")


def commitment_box(person: store.Partner, other: store.Partner) -> None:
    key = f"talk-commitment-{week.isoformat()}-{person.id}"
    saved = promised.get(person.id)
    text = st.text_area(
        f"What {escape_markdown(person.name)} will do for {escape_markdown(other.name)} this week",
        value=saved.body if saved and saved.body else "",
        placeholder="Something small and concrete, like “cook on Thursday”.",
        key=key,
        height=100,
    )
    message = st.empty()
    if st.button("Save", key=f"save-{key}", icon=":material/save:"):
        problem = plans.commitment_problem(text)
        if problem:
            message.error(problem, icon=":material/error:")
            return
        with showing_store_errors(message, then="What you wrote is still here."):
            with couple.open_db() as db:
                store.save_commitment(db, week, person.id, text)
            flash(f"talk-flash-{person.id}", "Saved.")
            st.rerun()
    show_flash(f"talk-flash-{person.id}", message)


st.caption(f"For the week of {week_label(week)}.")
if view.status is WeekStatus.REVEALED:
    st.markdown(
        "You've both checked in. Sit somewhere comfortable, put the phones away, and take the "
        "steps in order. About half an hour; the timers are there only if you want them."
    )
elif view.status is WeekStatus.WAITING_FOR_PARTNER:
    st.info(
        f"{escape_markdown(partner.name)} hasn't checked in yet this week. The talk goes best "
        "once you "
        "both have, because it starts from what you each wrote. Until then, this page shows "
        "only what you shared yourself.",
        icon=":material/hourglass_top:",
    )
elif view.status is WeekStatus.WAITING_FOR_ME:
    st.info(
        f"{escape_markdown(partner.name)} has checked in. Once you have too, what you each shared "
        "appears "
        "here. Until then their answers stay with them.",
        icon=":material/mark_email_unread:",
    )
    st.page_link("views/pages/check_in.py", label="Check in now", icon=":material/edit_note:")
else:
    st.info(
        "Neither of you has checked in this week yet. The talk goes best after you both have, "
        "because it starts from what you each wrote. The steps below still work on their own.",
        icon=":material/schedule:",
    )
    st.page_link("views/pages/check_in.py", label="Check in now", icon=":material/edit_note:")

step(
    1,
    "Appreciations",
    5,
    "Start with what you're grateful for. Read yours out, then say a little more about it.",
)
show_notes(appreciations)

step(
    2,
    "What is working",
    5,
    "Name what went well between you, big or small. Noticing it is how it grows.",
)
show_notes(working)

step(
    3,
    "One topic",
    15,
    "Choose one thing to talk about today, together. The rest can wait for another week.",
)
# The couple's own words first: notes either of you marked "let's talk about this", then what
# each wrote they need more of; then what the check-ins point to. You choose; nothing is picked.
options: list[Topic | WeakArea] = [*topics, *weak[:2]]
labels = {}
for index, option in enumerate(options):
    if isinstance(option, Topic):
        mark = "marked to talk about" if option.marked else "what they need more of"
        labels[index] = f"{escape_markdown(names[option.author_id])}'s note ({mark})"
    else:
        labels[index] = f"{plans.area_name(option.dimension)}, from your check-ins"
labels[len(options)] = "Something else"
choice = st.radio(
    "What will you talk about?",
    list(labels),
    format_func=labels.get,
    index=None,
    key=f"talk-topic-{week.isoformat()}",
)
if not topics and not weak:
    st.caption(
        "Nothing on your list this week. Talk about anything either of you would like to, "
        "or pick a question on Suggestions."
    )
if choice is not None and choice < len(options):
    topic = options[choice]
    with st.container(border=True):
        if isinstance(topic, Topic):
            st.caption(
                f"{escape_markdown(names[topic.author_id])}: "
                f"{escape_markdown(prompt_labels[topic.prompt])}"
            )
            show_text(topic.text)
        else:
            # Reasons can hold partner names, so they are escaped like any typed text.
            st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in topic.reasons))
            st.caption(topic.based_on)
if unsaid:
    st.markdown("**Something one of you wanted to bring up**")
    for person in people:
        if person.id in unsaid:
            st.caption(escape_markdown(person.name))
            show_text(unsaid[person.id])
with st.expander("Listening tips", icon=":material/hearing:", expanded=True):
    st.markdown("\n".join(f"- {tip}" for tip in LISTENING_TIPS))

step(
    4,
    "What can I do for you this week?",
    5,
    "Ask each other, and listen. Then each of you writes down one thing you'll do: small and "
    "concrete beats big and vague.",
)
for column, person, other in zip(st.columns(2), people, people[::-1], strict=True):
    with column:
        commitment_box(person, other)

st.header("The plan for this week", anchor=False)
with st.container(key="talk-plan"):
    st.caption(f":material/pan_tool: {PASS_LINE}")
    chosen = plans.picked_items(plan)
    if not chosen:
        st.caption("No question or exercise picked yet.")
    for item in chosen:
        show_plan_item(item)
    for person in people:
        if person.id in promised:
            show_plan_item(promised[person.id], f"**{escape_markdown(person.name)} will:**")
st.page_link(
    "views/pages/suggestions.py",
    label="Pick a question or an exercise",
    icon=":material/lightbulb:",
)
st.page_link("views/pages/deck.py", label="Play as a deck", icon=":material/style:")
st.caption("Everything here is saved as you go.")
