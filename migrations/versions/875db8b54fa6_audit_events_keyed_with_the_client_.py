"""audit events keyed, with the client address

Events already in the log keep their plain SHA-256 hashes and are marked unkeyed (keyed is
false); every event recorded after this revision is keyed (an HMAC with CPP_AUDIT_KEY) and
carries the client address of its request. The first keyed event is the switch-over point:
verifying accepts unkeyed events only before it.

Revision ID: 875db8b54fa6
Revises: 69bebaf2b905
Create Date: 2026-12-04 03:26:08.706331

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '875db8b54fa6'
down_revision = '69bebaf2b905'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_address', sa.String(length=45), nullable=True))
        # The default marks the events already recorded as unkeyed; new ones set it themselves.
        batch_op.add_column(sa.Column('keyed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('keyed', server_default=None)


def downgrade():
    # Keyed events cannot be turned back into plain SHA-256 ones: after a downgrade the
    # events recorded since the upgrade no longer verify with the older code.
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('keyed')
        batch_op.drop_column('client_address')
