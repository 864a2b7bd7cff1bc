"""The options of the normalisation rules, where billing vendors disagree.

The defaults follow ChartMogul (docs/interpretation.md, "Billing exports"); each other
choice is what another trusted product does.
"""

from dataclasses import dataclass, fields

CHOICES = {
    "discounts": ("subtract", "ignore"),
    "refunds": ("ignore", "full"),
    "uncollectible": ("exclude", "include"),
    "churn": ("cancellation", "period_end"),
}


@dataclass(frozen=True)
class Rules:
    """How an import reads the choices vendors make differently.

    Parameters
    ----------
    discounts : {"subtract", "ignore"}
        ``subtract`` (ChartMogul, Baremetrics, ProfitWell): MRR is net of discounts;
        ``ignore`` (Stripe's and Paddle's own MRR): the price before discount.
    refunds : {"ignore", "full"}
        ``ignore``: refunds and credit notes leave MRR alone; ``full``: an invoice refunded
        in full gives no MRR (ChartMogul's ``prevent_subscription_for_invoice_refunded``).
    uncollectible : {"exclude", "include"}
        Uncollectible (written-off) invoices give no MRR, or count as billed.
    churn : {"cancellation", "period_end"}
        A cancelled subscription ends on its cancellation date (ChartMogul's default), or at
        the end of its last paid service period.

    >>> Rules(discounts="ignore").discounts
    'ignore'
    >>> Rules(refunds="some")
    Traceback (most recent call last):
    ...
    ValueError: refunds must be one of ('ignore', 'full'), got 'some'
    """

    discounts: str = "subtract"
    refunds: str = "ignore"
    uncollectible: str = "exclude"
    churn: str = "cancellation"

    def __post_init__(self):
        for option in fields(self):
            value = getattr(self, option.name)
            if value not in CHOICES[option.name]:
                raise ValueError(
                    f"{option.name} must be one of {CHOICES[option.name]}, got {value!r}"
                )
