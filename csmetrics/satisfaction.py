"""Customer satisfaction and support: NPS, CSAT, CES and first contact resolution.

Sources: seeds 000, 001, 003 and 004 (NPS), 003 and 004 (CSAT, CES), 001 (FCR). Survey answers
are any array-like of numbers; nested lists (an Excel range) are flattened.
"""

from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from csmetrics._checks import (
    above,
    at_most,
    denominator,
    finite_result,
    non_negative,
    number,
    survey_answers,
)
from csmetrics.errors import ImpossibleValueError

NPS_SCALE = (0, 10)
NPS_SCORES = range(NPS_SCALE[0], NPS_SCALE[1] + 1)
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
CES_SCALE_MIN = 1
CSAT_SATISFIED_MIN = 4
CSAT_SCALE_MAX = 5
CES_SCALE_MAX = 7


class NpsBreakdown(NamedTuple):
    """Counts and shares behind a Net Promoter Score."""

    promoters: int
    passives: int
    detractors: int
    responses: int
    promoter_share: float
    passive_share: float
    detractor_share: float
    nps: float


def nps_breakdown(scores):
    """Promoters (9-10), passives (7-8) and detractors (0-6) of an NPS survey.

    Parameters
    ----------
    scores : array-like of int
        Answers to "how likely are you to recommend us?", whole numbers from 0 to 10.

    Returns
    -------
    NpsBreakdown
        Counts, shares (fractions) and the NPS (-100..+100).

    Examples
    --------
    >>> b = nps_breakdown([10, 9, 8, 6, 3])
    >>> b.promoters, b.passives, b.detractors, b.nps
    (2, 1, 2, 0.0)
    """
    answers = survey_answers("scores", scores, *NPS_SCALE, whole=True)
    responses = answers.size
    promoters = int(np.count_nonzero(answers >= PROMOTER_MIN))
    detractors = int(np.count_nonzero(answers <= DETRACTOR_MAX))
    passives = responses - promoters - detractors
    return NpsBreakdown(
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        responses=responses,
        promoter_share=promoters / responses,
        passive_share=passives / responses,
        detractor_share=detractors / responses,
        nps=100 * (promoters - detractors) / responses,
    )


@finite_result
def net_promoter_score(scores):
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6).

    Parameters
    ----------
    scores : array-like of int
        Answers on Bain's 0-10 scale (whole numbers).

    Returns
    -------
    float
        The NPS on its own scale, from -100 to +100 (not a fraction).

    Warnings
    --------
    Seeds 001 and 003 describe a 1-10 scale; the standard (Bain) scale is 0-10. Both are
    accepted, since a 1-10 answer is also a 0-10 answer; anything outside 0-10 is
    rejected.

    Examples
    --------
    Ten answers: four promoters (9, 9, 10, 10), three passives, three detractors:

    >>> net_promoter_score([10, 9, 8, 7, 6, 10, 9, 3, 0, 8])
    10.0
    """
    return nps_breakdown(scores).nps


@finite_result
def nps_margin_of_error(scores, *, confidence=0.95):
    """Half-width of the confidence interval of an NPS, in NPS points.

    Parameters
    ----------
    scores : array-like of int
        Answers on the 0-10 scale.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    float
        ``z x 100 x sqrt(variance / n)``, where each answer counts +1 (promoter), 0 or -1
        (detractor), ``variance = p + d - (p - d)^2`` with ``p`` and ``d`` the promoter and
        detractor shares, and ``z`` the normal quantile of the confidence level.

    Notes
    -----
    The normal approximation is the usual one for NPS; it is loose under about 30 answers.

    Examples
    --------
    200 answers: 100 promoters, 60 passives, 40 detractors (NPS 30):

    >>> answers = [10] * 100 + [7] * 60 + [2] * 40
    >>> round(nps_margin_of_error(answers), 2)
    10.82
    """
    level = number("confidence", confidence)
    if not 0 < level < 1:
        raise ImpossibleValueError(
            f"confidence must be between 0 and 1 (95 % is 0.95), got {level:g}"
        )
    b = nps_breakdown(scores)
    p, d = b.promoter_share, b.detractor_share
    variance = p + d - (p - d) ** 2
    z = NormalDist().inv_cdf((1 + level) / 2)
    return float(z * 100 * np.sqrt(variance / b.responses))


@finite_result
def csat_score(scores, *, threshold=CSAT_SATISFIED_MIN, scale_max=CSAT_SCALE_MAX, scale_min=1):
    """Customer satisfaction (CSAT): share of answers at or above a threshold.

    Parameters
    ----------
    scores : array-like of float
        Satisfaction answers between ``scale_min`` and ``scale_max``.
    threshold : float, default 4
        Lowest answer counted as satisfied.
    scale_max : float, default 5
        Top of the scale.
    scale_min : float, default 1
        Bottom of the scale (Python only; Excel's CS_CSAT uses 1).

    Returns
    -------
    float
        ``satisfied / answers``, a fraction.

    Warnings
    --------
    Seed 003 counts 6 and above on a 1-10 scale as positive; the common convention is 4-5
    on a 1-5 scale, the default here. Pass ``threshold=6, scale_max=10`` for seed 003.

    Examples
    --------
    >>> csat_score([5, 4, 4, 3, 5, 2, 5, 4])
    0.75
    >>> csat_score([7, 6, 5, 9, 10], threshold=6, scale_max=10)
    0.8
    """
    top = number("scale_max", scale_max)
    bottom = number("scale_min", scale_min)
    above("scale_max", top, "scale_min", bottom)
    cut = number("threshold", threshold)
    if not bottom <= cut <= top:
        raise ImpossibleValueError(
            f"threshold must lie on the scale {bottom:g}-{top:g}, got {cut:g}"
        )
    answers = survey_answers("scores", scores, bottom, top)
    return float(np.count_nonzero(answers >= cut) / answers.size)


@finite_result
def customer_effort_score(scores, *, scale_max=CES_SCALE_MAX):
    """Customer effort score (CES): the mean agreement with "it was easy to ...".

    Parameters
    ----------
    scores : array-like of float
        Answers from 1 (strongly disagree) to ``scale_max`` (strongly agree).
    scale_max : float, default 7
        Top of the scale; 7 is the usual CES 2.0 scale, 5 also common.

    Returns
    -------
    float
        The mean answer; higher is easier.

    Warnings
    --------
    Seed 004 calls it "customer experience score" and gives no formula. Some vendors report
    CES as the share of answers of 5 or more on the 1-7 scale instead of the mean; this is
    the mean, as seed 003 reads it ("the lower the average rating, the lower your CES").

    Examples
    --------
    >>> customer_effort_score([7, 6, 5, 6, 3, 6])
    5.5
    """
    top = number("scale_max", scale_max)
    above("scale_max", top, "the bottom of the scale", CES_SCALE_MIN)
    return float(survey_answers("scores", scores, CES_SCALE_MIN, top).mean())


@finite_result
def first_contact_resolution_rate(resolved_first_contact, total_contacts):
    """First contact resolution (FCR): share of issues solved on the first contact (seed 001).

    Parameters
    ----------
    resolved_first_contact : float
        Issues resolved in the first contact.
    total_contacts : float
        All issues opened (first contacts), > 0.

    Returns
    -------
    float
        ``resolved / total``.

    Examples
    --------
    >>> first_contact_resolution_rate(312, 400)
    0.78
    """
    total = denominator("total_contacts", total_contacts)
    resolved = non_negative("resolved_first_contact", resolved_first_contact)
    return at_most("resolved_first_contact", resolved, "total_contacts", total) / total
