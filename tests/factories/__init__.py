"""Builders of test data, one module per feature.

The stations, members and users nearly every test needs are re-exported here, so tests write
`from tests import factories` and then `factories.make_station(...)`; a feature's own builders
are imported from its module (`from tests.factories.plans import adopted_plan`).
"""

from tests.factories.base import fresh_transaction
from tests.factories.stations import make_member, make_station
from tests.factories.users import PASSWORD, make_user

__all__ = ["PASSWORD", "fresh_transaction", "make_member", "make_station", "make_user"]
