"""plans, priorities, problems, responses and semi-annual updates

Revision ID: 6e63044d08a6
Revises: 1dbdf890eced
Create Date: 2026-11-22 19:09:30.918715

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6e63044d08a6'
down_revision = '1dbdf890eced'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=True),
    sa.Column('schedule_start_on', sa.Date(), nullable=True),
    sa.Column('previous_plan_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_plan_id'], ['plans.id'], name=op.f('fk_plans_previous_plan_id_plans')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_plans_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('station_id', 'version', name=op.f('uq_plans_station_id'))
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_status'), ['status'], unique=False)
        batch_op.create_index('uq_plans_one_active_per_station', ['station_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('plan_priorities',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('source_reference', sa.JSON(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lineage_key', sa.String(length=32), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_priorities_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_priorities'))
    )
    with op.batch_alter_table('plan_priorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_priorities_lineage_key'), ['lineage_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_priorities_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_updates',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('feedback_summary', sa.Text(), nullable=False),
    sa.Column('implementation_modified', sa.Boolean(), nullable=True),
    sa.Column('implementation_reason', sa.Text(), nullable=False),
    sa.Column('review_comments', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resulting_plan_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_updates_plan_id_plans')),
    sa.ForeignKeyConstraint(['resulting_plan_id'], ['plans.id'], name=op.f('fk_plan_updates_resulting_plan_id_plans')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_plan_updates_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_updates')),
    sa.UniqueConstraint('station_id', 'due_on', name=op.f('uq_plan_updates_station_id'))
    )
    with op.batch_alter_table('plan_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_updates_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_updates_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_updates_status'), ['status'], unique=False)

    op.create_table('plan_problems',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('sara_stage', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('scanning_notes', sa.Text(), nullable=False),
    sa.Column('analysis_notes', sa.Text(), nullable=False),
    sa.Column('response_notes', sa.Text(), nullable=False),
    sa.Column('assessment_notes', sa.Text(), nullable=False),
    sa.Column('is_internal', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lineage_key', sa.String(length=32), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_problems_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['priority_id'], ['plan_priorities.id'], name=op.f('fk_plan_problems_priority_id_plan_priorities'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_problems'))
    )
    with op.batch_alter_table('plan_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_problems_lineage_key'), ['lineage_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_problems_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_problems_priority_id'), ['priority_id'], unique=False)

    op.create_table('plan_update_feedback_sources',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=255), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_update_feedback_sources_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_update_feedback_sources'))
    )
    with op.batch_alter_table('plan_update_feedback_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_update_feedback_sources_update_id'), ['update_id'], unique=False)

    op.create_table('plan_update_sharing',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('shared_on', sa.Date(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('recorded_automatically', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_update_sharing_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_update_sharing'))
    )
    with op.batch_alter_table('plan_update_sharing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_update_sharing_update_id'), ['update_id'], unique=False)

    op.create_table('plan_responses',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_member_id', sa.Integer(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lineage_key', sa.String(length=32), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_member_id'], ['members.id'], name=op.f('fk_plan_responses_owner_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_responses_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['plan_problems.id'], name=op.f('fk_plan_responses_problem_id_plan_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_responses'))
    )
    with op.batch_alter_table('plan_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_responses_lineage_key'), ['lineage_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_responses_owner_member_id'), ['owner_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_responses_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_responses_problem_id'), ['problem_id'], unique=False)

    op.create_table('plan_response_assessments',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('assessment', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['plan_responses.id'], name=op.f('fk_plan_response_assessments_response_id_plan_responses')),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_response_assessments_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_response_assessments')),
    sa.UniqueConstraint('update_id', 'response_id', name=op.f('uq_plan_response_assessments_update_id'))
    )
    with op.batch_alter_table('plan_response_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_response_assessments_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_response_assessments_update_id'), ['update_id'], unique=False)

    op.create_table('plan_response_changes',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('modifies_response_id', sa.Integer(), nullable=True),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_member_id', sa.Integer(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('basis', sa.String(length=30), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['modifies_response_id'], ['plan_responses.id'], name=op.f('fk_plan_response_changes_modifies_response_id_plan_responses')),
    sa.ForeignKeyConstraint(['owner_member_id'], ['members.id'], name=op.f('fk_plan_response_changes_owner_member_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['plan_problems.id'], name=op.f('fk_plan_response_changes_problem_id_plan_problems')),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_response_changes_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_response_changes'))
    )
    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_response_changes_update_id'), ['update_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_response_changes_update_id'))

    op.drop_table('plan_response_changes')
    with op.batch_alter_table('plan_response_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_response_assessments_update_id'))
        batch_op.drop_index(batch_op.f('ix_plan_response_assessments_response_id'))

    op.drop_table('plan_response_assessments')
    with op.batch_alter_table('plan_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_responses_problem_id'))
        batch_op.drop_index(batch_op.f('ix_plan_responses_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_responses_owner_member_id'))
        batch_op.drop_index(batch_op.f('ix_plan_responses_lineage_key'))

    op.drop_table('plan_responses')
    with op.batch_alter_table('plan_update_sharing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_update_sharing_update_id'))

    op.drop_table('plan_update_sharing')
    with op.batch_alter_table('plan_update_feedback_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_update_feedback_sources_update_id'))

    op.drop_table('plan_update_feedback_sources')
    with op.batch_alter_table('plan_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_problems_priority_id'))
        batch_op.drop_index(batch_op.f('ix_plan_problems_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_problems_lineage_key'))

    op.drop_table('plan_problems')
    with op.batch_alter_table('plan_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_updates_status'))
        batch_op.drop_index(batch_op.f('ix_plan_updates_station_id'))
        batch_op.drop_index(batch_op.f('ix_plan_updates_plan_id'))

    op.drop_table('plan_updates')
    with op.batch_alter_table('plan_priorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_priorities_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_priorities_lineage_key'))

    op.drop_table('plan_priorities')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index('uq_plans_one_active_per_station', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_plans_status'))
        batch_op.drop_index(batch_op.f('ix_plans_station_id'))

    op.drop_table('plans')
