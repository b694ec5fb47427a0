"""Duplicate detection for ideas: the calibrated settings, in words.

The thresholds below were calibrated on the labelled set in bench/data (bench/bench_duplicates.py,
docs/benchmarks.md): "mirip" is the cut that agrees best with the groups coaches would make
(adjusted Rand index), "sangat mirip" proposes fewer, surer groups, "agak mirip" casts a wider net.
The mixed similarity (sentence encoder + TF-IDF) and TF-IDF alone (the fallback when no encoder is
installed) live on different scales, so each has its own cuts.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VERY_SIMILAR, SIMILAR, SOMEWHAT_SIMILAR = "very", "similar", "somewhat"
DEFAULT_LEVEL = SIMILAR
LEVEL_LABELS = {
    VERY_SIMILAR: _("very similar"),
    SIMILAR: _("similar"),
    SOMEWHAT_SIMILAR: _("somewhat similar"),
}
_MIXED = {VERY_SIMILAR: 0.24, SIMILAR: 0.17, SOMEWHAT_SIMILAR: 0.13}
_TFIDF = {VERY_SIMILAR: 0.14, SIMILAR: 0.10, SOMEWHAT_SIMILAR: 0.07}


def thresholds(*, semantic_available: bool) -> dict[str, float]:
    """Level -> similarity cut, for the mixed similarity or for TF-IDF alone."""
    return dict(_MIXED if semantic_available else _TFIDF)
