"""surveys: whether one device may answer a survey more than once (kiosks at meetings)

Existing surveys take one response per device, like new ones.

Revision ID: b7c41e2d9a10
Revises: 3361baf7becd
Create Date: 2026-12-04 18:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7c41e2d9a10'
down_revision = '3361baf7becd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_repeat_responses', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_column('allow_repeat_responses')
