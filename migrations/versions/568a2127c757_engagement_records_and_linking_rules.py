"""engagement records and linking rules

Revision ID: 568a2127c757
Revises: 735cbd747183
Create Date: 2026-11-22 20:03:50.347738

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '568a2127c757'
down_revision = '735cbd747183'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('engagement_location_rules',
    sa.Column('pattern', sa.String(length=120), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_engagement_location_rules_station_id_stations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_location_rules'))
    )
    op.create_table('engagement_problem_rules',
    sa.Column('pattern', sa.String(length=120), nullable=False),
    sa.Column('call_type', sa.String(length=80), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['plan_problems.id'], name=op.f('fk_engagement_problem_rules_problem_id_plan_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_problem_rules'))
    )
    op.create_table('engagement_records',
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('occurred_time', sa.Time(), nullable=True),
    sa.Column('call_type', sa.String(length=80), nullable=False),
    sa.Column('shield_number', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('problem_id', sa.Integer(), nullable=True),
    sa.Column('identity', sa.String(length=40), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batches.id'], name=op.f('fk_engagement_records_import_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_engagement_records_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['plan_problems.id'], name=op.f('fk_engagement_records_problem_id_plan_problems'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_engagement_records_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_records')),
    sa.UniqueConstraint('identity', name=op.f('uq_engagement_records_identity'))
    )
    with op.batch_alter_table('engagement_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_records_occurred_on'), ['occurred_on'], unique=False)



def downgrade():
    with op.batch_alter_table('engagement_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_records_occurred_on'))

    op.drop_table('engagement_records')
    op.drop_table('engagement_problem_rules')
    op.drop_table('engagement_location_rules')
