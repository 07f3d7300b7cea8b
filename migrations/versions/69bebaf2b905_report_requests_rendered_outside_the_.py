"""report requests rendered outside the web request

Revision ID: 69bebaf2b905
Revises: bed5f1ae6371
Create Date: 2026-12-01 10:01:39.836131

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '69bebaf2b905'
down_revision = 'bed5f1ae6371'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_jobs',
    sa.Column('report', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_report_jobs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_jobs'))
    )
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_jobs_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_report_jobs_status_requested_at', ['status', 'requested_at'], unique=False)



def downgrade():
    with op.batch_alter_table('report_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_report_jobs_status_requested_at')
        batch_op.drop_index(batch_op.f('ix_report_jobs_requested_by_id'))

    op.drop_table('report_jobs')
