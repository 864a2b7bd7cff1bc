"""The sample data's billing exports: the subscriptions of ``csmetrics/sample_data/mrr.csv``
as a Stripe export (``stripe/``) and as ChartMogul import files (``chartmogul/``), with the
USD rates they need (``fx_rates.csv``). Written by ``tools/make_sample_data.py``; see
:func:`csmetrics.sample_data.sample_exports_path`.
"""
