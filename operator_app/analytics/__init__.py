"""Customer value analytics (numpy/scipy): CLV models and the refit job's scoring.

- :mod:`.clv`: BG/NBD and Gamma-Gamma fits, P(alive), expected purchases and spend,
  predicted CLV; re-exports :func:`rfm_from_orders` and :func:`segment`.
- :mod:`.rfm`: orders → frequency/recency/T/monetary per customer.
- :mod:`.segments`: new / loyal / high value / at risk / lost.
- :mod:`.scoring`: fit both models and score every customer in one call.
"""
