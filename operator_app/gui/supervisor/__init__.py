"""The supervisor's area of the window: the review queue, dashboards and pages other modules add
(supervisors and admins only)."""
