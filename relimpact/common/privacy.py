"""The one suppression rule: ``min_group_size`` with complementary suppression, used
by every view of a group (segments, representation, the network map)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def suppress(sizes: Sequence[int], threshold: int, forced: Iterable[int] = ()) -> set[int]:
    """Which groups to hide so that no group of fewer than ``threshold`` can be seen or
    worked out from what is shown.

    Primary: every group under the threshold, and any ``forced`` (hidden already for
    another reason). Complementary: the overall figure is shown, so the hidden groups
    together could be recovered as "overall minus the shown groups"; while exactly one
    group is hidden, or the hidden groups together hold fewer than ``threshold``, the
    smallest shown group is hidden too.
    """
    hidden = {i for i, n in enumerate(sizes) if n < threshold} | set(forced)
    while hidden and len(hidden) < len(sizes):
        together = sum(sizes[i] for i in hidden)
        if len(hidden) > 1 and together >= threshold:
            break
        shown = sorted((n, i) for i, n in enumerate(sizes) if i not in hidden)
        hidden.add(shown[0][1])
    return hidden
