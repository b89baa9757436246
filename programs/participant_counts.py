"""`TrainingCourse.participant_count`: how many participants each course has.

The reports and the dashboard sum it over the courses of a year instead of counting
participants (two million at national size; bench/README.md). It is only ever
changed by increments, which are safe when two people add participants to the same
course at once (the UPDATE takes the course row's lock, and each adds its own one):

- a participant saved, moved to another course or deleted one by one: the signal
  receivers below (connected in ProgramsConfig.ready);
- rows written in bulk, which send no signal: whoever writes them calls
  `adjust_participant_counts` in the same transaction (the import of a roster does,
  through ParticipantResource; seed_scale and the demo data write the counts
  themselves);
- a course deleted with its participants: nothing to do, the course goes too.

`recount_participants()` rebuilds the counts from the participants (the
`recount_participants` management command), should anything ever write
participants behind the application's back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from programs.models import Participant, TrainingCourse


def adjust_participant_counts(deltas: Mapping[int, int]) -> None:
    """Add each delta to its course's count: one UPDATE per distinct delta."""
    by_delta: dict[int, list[int]] = defaultdict(list)
    for course_id, delta in deltas.items():
        if delta and course_id is not None:
            by_delta[delta].append(course_id)
    for delta, course_ids in by_delta.items():
        TrainingCourse.objects.filter(pk__in=course_ids).update(
            participant_count=F("participant_count") + delta
        )


def count_added(participants: Iterable[Participant]) -> None:
    """Participants just written in bulk (bulk_create): one each to their course."""
    adjust_participant_counts(Counter(p.course_id for p in participants))


def participant_count_subquery() -> Coalesce:
    counts = (
        Participant.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def courses_miscounted(courses=None):
    """The courses (of `courses`, a queryset, or all) whose kept count differs from
    their participants. One query."""
    courses = TrainingCourse.objects.all() if courses is None else courses
    return courses.annotate(actual=participant_count_subquery()).exclude(
        participant_count=F("actual")
    )


def recount_participants(courses=None) -> int:
    """Set every course's count (or those of `courses`, a queryset) from its
    participants. Returns the number of courses whose count was wrong."""
    fixed = 0
    for pk in courses_miscounted(courses).values_list("pk", flat=True).iterator():
        TrainingCourse.objects.filter(pk=pk).update(
            participant_count=participant_count_subquery()
        )
        fixed += 1
    return fixed


# ---------------------------------------------------------------- signal receivers
# The course a participant was read with (Participant.from_db) or last saved with is
# remembered on the instance, so that a save that moves it to another course moves
# one from the old count to the new one without reading the row again.

_SAVED_COURSE = "_participant_counts_course_id"  # set by Participant.from_db too


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if hasattr(instance, _SAVED_COURSE):
        instance._participant_counts_from = getattr(instance, _SAVED_COURSE)
    elif instance.pk is None:
        instance._participant_counts_from = None
    else:
        # Built by hand with a primary key (a version restored from the history,
        # say): the row, if it exists, says which course it was in.
        instance._participant_counts_from = (
            Participant.objects.filter(pk=instance.pk)
            .values_list("course_id", flat=True)
            .first()
        )


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        # loaddata (restore) brings the courses with their counts.
        return
    old = getattr(instance, "_participant_counts_from", None)
    new = instance.course_id
    if created:
        adjust_participant_counts({new: 1})
    elif old != new:
        adjust_participant_counts({old: -1, new: 1})
    setattr(instance, _SAVED_COURSE, new)


def _after_delete(sender, instance, origin=None, **kwargs) -> None:
    if isinstance(origin, TrainingCourse) or (
        getattr(origin, "model", None) is TrainingCourse
    ):
        return  # the course is deleted with its participants
    adjust_participant_counts(
        {getattr(instance, _SAVED_COURSE, instance.course_id): -1}
    )


def connect_signals() -> None:
    pre_save.connect(_before_save, sender=Participant, dispatch_uid="pc-pre-save")
    post_save.connect(_after_save, sender=Participant, dispatch_uid="pc-post-save")
    post_delete.connect(_after_delete, sender=Participant, dispatch_uid="pc-delete")
