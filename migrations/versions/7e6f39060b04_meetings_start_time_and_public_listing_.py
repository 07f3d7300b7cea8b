"""meetings: start time and public listing; translations of plan summaries, priorities and changes

Revision ID: 7e6f39060b04
Revises: 624f82de9bcc
Create Date: 2026-12-04 18:30:05.490432

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e6f39060b04'
down_revision = '624f82de9bcc'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('plan_priorities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))

    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('translations')

    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.drop_column('translations')

    with op.batch_alter_table('plan_priorities', schema=None) as batch_op:
        batch_op.drop_column('translations')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('is_public')
        batch_op.drop_column('starts_at')

